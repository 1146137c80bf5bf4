/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* Certificate files a user imports: PEM (certificates, a key, PKCS #7), DER, PKCS #7
 * (.p7b) and PKCS #12 (.pfx) with the seeds' password and with none; a certificate
 * request (PEM or DER); a certificate list as CAs deliver them. */

#include "config.h"

#include "fuzz-common.h"

#define SEED_PASSWORD "certwiz-fuzz"   /* tests/fuzz/make-seeds.sh */

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
import (GBytes     *bytes,
        const char *password)
{
  g_autoptr(CertreqImportContents) contents = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  contents = certreq_import_parse (bytes, password, &error);
  g_assert ((contents == NULL) == (error != NULL));
  if (contents == NULL)
    {
      g_assert (error->domain == CERTREQ_ERROR && error->message[0] != '\0');
      return;
    }
  g_assert (contents->certificates->len > 0 || contents->key != NULL);
  for (i = 0; i < contents->certificates->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (contents->certificates, i);
      g_autofree char *subject = certreq_certificate_get_subject (cert);
      g_autofree char *issuer = certreq_certificate_get_issuer_name (cert);
      g_autofree char *serial = certreq_certificate_get_serial (cert);
      g_autofree char *purposes = certreq_certificate_get_purposes (cert);
      g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
      g_auto(GStrv) names = certreq_certificate_get_dns_names (cert);
      g_autoptr(GPtrArray) fields = certreq_certificate_get_fields (cert);

      /* What the details dialog and the checks read of a certificate */
      g_assert (strlen (certreq_certificate_get_thumbprint (cert)) == 40);
      (void) certreq_certificate_covers_name (cert, "www.example.com");
      (void) certreq_certificate_has_eku (cert, CERTREQ_EKU_SERVER_AUTH);
      (void) certreq_certificate_is_self_issued (cert);
      (void) certreq_certificate_get_key_id (cert);
      (void) subject, (void) issuer, (void) serial, (void) purposes;
      (void) not_after, (void) names, (void) fields;
      if (contents->key != NULL)
        (void) certreq_certificate_matches_key (cert, contents->key);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;

  import (bytes, SEED_PASSWORD);
  import (bytes, "");

  list = certreq_certificate_list_from_data ((const char *) data, size, &error);
  g_assert ((list == NULL) == (error != NULL));
  g_clear_error (&error);

  csr = certreq_csr_parse ((const char *) data, size, &error);
  g_assert ((csr == NULL) == (error != NULL));
  g_clear_error (&error);
  if (csr != NULL)
    {
      g_autoptr(CertreqCsrSpec) spec = certreq_csr_get_spec (csr, &error);
      g_autofree char *key_id = NULL;

      g_assert ((spec == NULL) == (error != NULL));
      g_clear_error (&error);
      key_id = certreq_csr_get_key_id (csr, &error);
      g_assert ((key_id == NULL) == (error != NULL));
    }
  return 0;
}
