/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* EST answers (RFC 7030): /cacerts and /simpleenroll (base64 certs-only PKCS #7),
 * /csrattrs (base64 CsrAttrs, and what a request lacks of them) and the text of an
 * error answer. Input: an HTTP answer (fuzz-common.h). */

#include "config.h"

#include "fuzz-common.h"
#include "certreq-ca-est.h"
#include "certreq-fuzz-private.h"

static CertreqCaClient *client;
static GBytes *csr_der;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static char *names[] = { "www.example.com", NULL };
  CertreqCsrSpec spec = { .common_name = "www.example.com", .dns_names = names,
                          .eku = CERTREQ_EKU_SERVER_AUTH };
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  client = fuzz_client (certreq_ca_est_new, CERTREQ_CA_PROTOCOL_EST,
                        "https://est.example/.well-known/est");

  /* A request to hold against the CA's CSR attributes */
  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  csr_der = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(CertreqHttpResponse) response = fuzz_response_new (data, size);
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GPtrArray) attrs = NULL;
  g_autoptr(GError) error = NULL;

  certs = certreq_est_parse_certs (response->body, &error);
  g_assert ((certs == NULL) == (error != NULL));
  g_clear_error (&error);

  attrs = certreq_est_parse_csr_attrs (response->body, &error);
  g_assert ((attrs == NULL) == (error != NULL));
  g_clear_error (&error);
  if (attrs != NULL)
    {
      g_auto(GStrv) unmet = certreq_est_csr_attrs_unmet (attrs, csr_der);

      g_assert (unmet != NULL);
    }

  _certreq_fuzz_est (client, response);
  return 0;
}
