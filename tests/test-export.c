/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <sys/stat.h>

#include "certwiz-test-pki.h"

typedef struct
{
  char         *dir;
  char         *work;
  CertreqStore *store;
  TestPki       pki;
  char         *thumbprint;
} Fixture;

static void
import_leaf (Fixture  *fx,
             gboolean  exportable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = test_pki_concat (fx->pki.leaf_pem, fx->pki.inter_pem,
                                            fx->pki.root_pem, fx->pki.leaf_key, NULL);
  g_autoptr(CertreqImportResult) result = NULL;

  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_NONE, exportable,
                           "Front end", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->thumbprint, ==, fx->thumbprint);
}

static void
setup (Fixture       *fx,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  fx->work = certwiz_test_mkdtemp ();
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);

  test_pki_init (&fx->pki, fx->work);
  fx->thumbprint = test_pki_thumbprint (fx->pki.leaf_pem);
  import_leaf (fx, GPOINTER_TO_INT (data) == 0);
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  g_clear_object (&fx->store);
  certwiz_test_rmrf (fx->dir);
  certwiz_test_rmrf (fx->work);
  test_pki_clear (&fx->pki);
  g_free (fx->dir);
  g_free (fx->work);
  g_free (fx->thumbprint);
}

static char *
work_path (Fixture    *fx,
           const char *name)
{
  return g_build_filename (fx->work, name, NULL);
}

static void
test_pem_der (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem_path = work_path (fx, "out.pem");
  g_autofree char *der_path = work_path (fx, "out.cer");
  g_autofree char *lower = g_ascii_strdown (fx->thumbprint, -1);
  g_autofree char *thumb = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *der_as_pem = NULL;
  GStatBuf st;

  /* Thumbprints in any case */
  certreq_export_to_file (fx->store, lower, CERTREQ_EXPORT_PEM, CERTREQ_PFX_MODERN, NULL,
                          pem_path, &error);
  g_assert_no_error (error);
  thumb = test_pki_thumbprint (pem_path);
  g_assert_cmpstr (thumb, ==, fx->thumbprint);
  g_file_get_contents (pem_path, &pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (pem, "PRIVATE KEY"));
  g_assert_cmpint (g_stat (pem_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  certreq_export_to_file (fx->store, fx->thumbprint, CERTREQ_EXPORT_DER, CERTREQ_PFX_MODERN,
                          NULL, der_path, &error);
  g_assert_no_error (error);
  der_as_pem = certwiz_test_openssl (NULL, 0, "x509", "-inform", "DER", "-in", der_path, NULL);
  expected = certwiz_test_openssl (NULL, 0, "x509", "-in", fx->pki.leaf_pem, NULL);
  g_assert_cmpstr (der_as_pem, ==, expected);
}

static void
test_chain_p7b (Fixture       *fx,
                gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = work_path (fx, "chain.p7b");
  g_autofree char *printed = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(CertreqImportContents) back = NULL;

  certreq_export_to_file (fx->store, fx->thumbprint, CERTREQ_EXPORT_CHAIN_P7B,
                          CERTREQ_PFX_MODERN, NULL, path, &error);
  g_assert_no_error (error);
  printed = certwiz_test_openssl (NULL, 0, "pkcs7", "-inform", "DER", "-in", path,
                                  "-print_certs", "-noout", NULL);
  g_assert_nonnull (strstr (printed, "subject=CN = fe01.corp.example.com"));
  g_assert_nonnull (strstr (printed, "subject=CN = Certwiz Test Intermediate"));
  g_assert_nonnull (strstr (printed, "subject=CN = Certwiz Test Root"));

  /* And what we write, we read */
  data = test_pki_read (path);
  back = certreq_import_parse (data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->certificates->len, ==, 3);
  g_assert_cmpstr (certreq_certificate_get_thumbprint (g_ptr_array_index (back->certificates, 0)),
                   ==, fx->thumbprint);
}

static char *
pubkey_of_pfx (const char *path,
               const char *password_arg)
{
  g_autofree char *key_pem = NULL;

  key_pem = certwiz_test_openssl (NULL, 0, "pkcs12", "-in", path, "-nocerts", "-nodes",
                                  "-passin", password_arg, NULL);
  return certwiz_test_openssl (key_pem, strlen (key_pem), "pkey", "-pubout", NULL);
}

static void
check_pfx (Fixture           *fx,
           CertreqPfxProfile  profile)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = work_path (fx, "out.pfx");
  g_autofree char *info = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *expected_pub = NULL;
  g_autofree char *certs = NULL;
  const char *info_args[] = { "pkcs12", "-info", "-nokeys", "-noout", "-in", path,
                              "-passin", "pass:Pa55 word", NULL };
  gboolean ok = FALSE;
  GStatBuf st;

  certreq_export_to_file (fx->store, fx->thumbprint, CERTREQ_EXPORT_PFX, profile,
                          "Pa55 word", path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The algorithms, as openssl reads them without the legacy provider */
  info = test_pki_openssl_all (info_args, &ok);
  g_test_message ("%s", info);
  g_assert_true (ok);
  if (profile == CERTREQ_PFX_MODERN)
    {
      g_assert_nonnull (strstr (info, "MAC: sha256"));
      g_assert_nonnull (strstr (info, "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"));
      g_assert_nonnull (strstr (info, "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"));
      g_assert_null (strstr (info, "TripleDES"));
    }
  else
    {
      g_assert_nonnull (strstr (info, "MAC: sha1"));
      g_assert_nonnull (strstr (info,
                                "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC"));
      g_assert_nonnull (strstr (info, "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC"));
      g_assert_null (strstr (info, "RC2"));
    }

  /* The key inside is the certificate's, the chain and friendly name are there */
  pub = pubkey_of_pfx (path, "pass:Pa55 word");
  expected_pub = certwiz_test_openssl (NULL, 0, "pkey", "-in", fx->pki.leaf_key, "-pubout",
                                       NULL);
  g_assert_cmpstr (pub, ==, expected_pub);
  certs = certwiz_test_openssl (NULL, 0, "pkcs12", "-in", path, "-nokeys",
                                "-passin", "pass:Pa55 word", NULL);
  g_assert_nonnull (strstr (certs, "friendlyName: Front end"));
  g_assert_nonnull (strstr (certs, "subject=CN = Certwiz Test Intermediate"));
  g_assert_nonnull (strstr (certs, "subject=CN = Certwiz Test Root"));

  /* A wrong password is refused by openssl too */
  {
    const char *wrong[] = { "pkcs12", "-info", "-nokeys", "-noout", "-in", path,
                            "-passin", "pass:wrong", NULL };
    g_autofree char *out = test_pki_openssl_all (wrong, &ok);

    g_assert_false (ok);
  }
}

static void
test_pfx_modern (Fixture       *fx,
                 gconstpointer  unused)
{
  check_pfx (fx, CERTREQ_PFX_MODERN);
}

static void
test_pfx_compatible (Fixture       *fx,
                     gconstpointer  unused)
{
  check_pfx (fx, CERTREQ_PFX_COMPATIBLE);
}

static void
test_pfx_needs_password (Fixture       *fx,
                         gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = certreq_export (fx->store, fx->thumbprint, CERTREQ_EXPORT_PFX, CERTREQ_PFX_MODERN,
                          "", &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD);
  g_assert_null (bytes);
}

static void
test_not_exportable (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = work_path (fx, "never.pfx");
  g_autoptr(GBytes) pem = NULL;

  g_assert_false (certreq_export_to_file (fx->store, fx->thumbprint, CERTREQ_EXPORT_PFX,
                                          CERTREQ_PFX_COMPATIBLE, "Pa55 word", path, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_EXPORTABLE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The certificate alone is public */
  pem = certreq_export (fx->store, fx->thumbprint, CERTREQ_EXPORT_PEM, CERTREQ_PFX_MODERN, NULL,
                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (pem);
}

static void
test_unknown (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CertreqPfxProfile profile;

  bytes = certreq_export (fx->store, "0000000000000000000000000000000000000000",
                          CERTREQ_EXPORT_PEM, CERTREQ_PFX_MODERN, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);

  g_assert_true (certreq_pfx_profile_from_id ("modern", &profile));
  g_assert_cmpint (profile, ==, CERTREQ_PFX_MODERN);
  g_assert_true (certreq_pfx_profile_from_id ("compatible", &profile));
  g_assert_cmpint (profile, ==, CERTREQ_PFX_COMPATIBLE);
  g_assert_false (certreq_pfx_profile_from_id ("rc2", &profile));
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

#define ADD(path, data, fn) g_test_add (path, Fixture, GINT_TO_POINTER (data), setup, fn, teardown)
  ADD ("/certreq/export/pem-der", 0, test_pem_der);
  ADD ("/certreq/export/chain-p7b", 0, test_chain_p7b);
  ADD ("/certreq/export/pfx-modern", 0, test_pfx_modern);
  ADD ("/certreq/export/pfx-compatible", 0, test_pfx_compatible);
  ADD ("/certreq/export/pfx-needs-password", 0, test_pfx_needs_password);
  ADD ("/certreq/export/not-exportable", 1, test_not_exportable);
  ADD ("/certreq/export/unknown", 0, test_unknown);
#undef ADD

  return g_test_run ();
}
