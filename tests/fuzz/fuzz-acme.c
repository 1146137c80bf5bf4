/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* ACME answers (RFC 8555): directory, order, authorization and error documents, with
 * their Retry-After and Link headers. Input: an HTTP answer (fuzz-common.h). */

#include "config.h"

#include "fuzz-common.h"
#include "certreq-ca-acme.h"
#include "certreq-fuzz-private.h"

static CertreqCaClient *client;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  client = fuzz_client (certreq_ca_acme_new, CERTREQ_CA_PROTOCOL_ACME,
                        "https://acme.example/directory");
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(CertreqHttpResponse) response = fuzz_response_new (data, size);

  _certreq_fuzz_acme (client, response);
  return 0;
}
