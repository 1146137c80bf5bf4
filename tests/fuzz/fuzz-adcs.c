/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* AD CS Web Enrollment answers: result pages (issued, pending, denied, error, in
 * Microsoft's markup and in plain English), certnew.cer and certnew.p7b.
 * Input: an HTTP answer (fuzz-common.h). */

#include "config.h"

#include "fuzz-common.h"
#include "certreq-ca-adcs.h"
#include "certreq-fuzz-private.h"

static CertreqCaClient *client;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  client = fuzz_client (certreq_ca_adcs_new, CERTREQ_CA_PROTOCOL_ADCS,
                        "https://adcs.example/certsrv/");
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(CertreqHttpResponse) response = fuzz_response_new (data, size);

  _certreq_fuzz_adcs (client, response);
  return 0;
}
