/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* SCEP answers (RFC 8894): GetCACaps, GetCACert (one DER certificate or a certs-only
 * PKCS #7 with RA certificates) and the CertRep pkiMessage of PKIOperation.
 * Input: one byte choosing the operation (0, 1, 2), then an HTTP answer
 * (fuzz-common.h). */

#include "config.h"

#include "fuzz-common.h"
#include "certreq-ca-scep.h"
#include "certreq-fuzz-private.h"

static CertreqCaClient *client;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  client = fuzz_client (certreq_ca_scep_new, CERTREQ_CA_PROTOCOL_SCEP,
                        "http://scep.example/scep");
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(CertreqHttpResponse) response = NULL;

  if (size < 1)
    return 0;
  response = fuzz_response_new (data + 1, size - 1);
  _certreq_fuzz_scep (client, (CertreqFuzzScep) (data[0] % 3), response);
  return 0;
}
