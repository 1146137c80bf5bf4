/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "certwiz-test-pki.h"

typedef struct
{
  char         *dir;
  char         *work;
  CertreqStore *store;
  TestPki       pki;
  char         *leaf_thumbprint;
  char         *inter_thumbprint;
  char         *root_thumbprint;
} Fixture;

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(GError) error = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  fx->work = certwiz_test_mkdtemp ();
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);

  certreq_server_set_fqdn (server, "fe01.corp.example.com");
  certreq_server_set_pool_fqdn (server, "pool01.corp.example.com");
  certreq_store_save_server (fx->store, server, &error);
  g_assert_no_error (error);

  test_pki_init (&fx->pki, fx->work);
  fx->leaf_thumbprint = test_pki_thumbprint (fx->pki.leaf_pem);
  fx->inter_thumbprint = test_pki_thumbprint (fx->pki.inter_pem);
  fx->root_thumbprint = test_pki_thumbprint (fx->pki.root_pem);
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
  g_free (fx->leaf_thumbprint);
  g_free (fx->inter_thumbprint);
  g_free (fx->root_thumbprint);
}

static char *
work_path (Fixture    *fx,
           const char *name)
{
  return g_build_filename (fx->work, name, NULL);
}

/* The imported key is the leaf's: the store's key file has the same public key */
static void
assert_key_stored (Fixture    *fx,
                   const char *thumbprint,
                   gboolean    exportable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqCertificate) cert = certreq_store_find_certificate (fx->store, thumbprint,
                                                                       &error);
  g_autoptr(CertreqKey) key = NULL;

  g_assert_no_error (error);
  key = certreq_store_load_key (fx->store, certreq_certificate_get_key_id (cert), &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_matches_key (cert, key));
  g_assert_cmpint (certreq_store_key_is_exportable (fx->store, certreq_key_get_id (key)), ==,
                   exportable);
}

static void
test_pem_leaf_key (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = test_pki_concat (fx->pki.leaf_pem, fx->pki.leaf_key, NULL);
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *key_mode = NULL;

  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_NONE, TRUE, NULL,
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->thumbprint, ==, fx->leaf_thumbprint);
  g_assert_true (result->key_imported);
  g_assert_null (result->pending_id);
  g_assert_cmpuint (result->roots->len, ==, 0);
  g_assert_cmpuint (result->intermediates->len, ==, 0);
  assert_key_stored (fx, fx->leaf_thumbprint, TRUE);

  meta = certreq_store_get_meta (fx->store, fx->leaf_thumbprint);
  g_assert_nonnull (meta);
  g_assert_cmpstr (meta->friendly_name, ==, "fe01.corp.example.com");
  chain = certreq_store_get_chain (fx->store, fx->leaf_thumbprint);
  g_assert_cmpuint (chain->len, ==, 0);

  /* A log was written, without the key */
  {
    g_autoptr(GPtrArray) logs = certreq_store_list_logs (fx->store);
    g_autofree char *text = NULL;

    g_assert_cmpuint (logs->len, >=, 1);
    g_file_get_contents (g_ptr_array_index (logs, 0), &text, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, fx->leaf_thumbprint));
    g_assert_null (strstr (text, "PRIVATE KEY"));
  }
}

/* Traditional "RSA PRIVATE KEY", leaf + chain with CRLF line ends, roots trusted */
static void
test_pem_bundle_crlf (Fixture       *fx,
                      gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rsa_key = work_path (fx, "leaf-rsa.key");
  g_autofree char *out = certwiz_test_openssl (NULL, 0, "pkey", "-in", fx->pki.leaf_key,
                                               "-traditional", "-out", rsa_key, NULL);
  g_autoptr(GBytes) unix_data = test_pki_concat (fx->pki.leaf_pem, fx->pki.inter_pem,
                                                 fx->pki.root_pem, rsa_key, NULL);
  g_autofree char *crlf = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(GPtrArray) inters = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(CertreqImportContents) contents = NULL;

  lines = g_strsplit (g_bytes_get_data (unix_data, NULL), "\n", -1);
  crlf = g_strjoinv ("\r\n", lines);
  g_assert_nonnull (strstr (crlf, "BEGIN RSA PRIVATE KEY-----\r\n"));
  data = g_bytes_new (crlf, strlen (crlf));

  contents = certreq_import_parse (data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contents->certificates->len, ==, 3);
  g_assert_nonnull (contents->key);
  g_assert_false (contents->is_pkcs12);

  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_ROOT, FALSE, "Bundle",
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->thumbprint, ==, fx->leaf_thumbprint);
  g_assert_cmpuint (result->roots->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->roots, 0), ==, fx->root_thumbprint);
  g_assert_cmpuint (result->intermediates->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->intermediates, 0), ==, fx->inter_thumbprint);
  assert_key_stored (fx, fx->leaf_thumbprint, FALSE);

  roots = certreq_store_get_trusted_roots (fx->store);
  inters = certreq_store_get_intermediates (fx->store);
  g_assert_cmpuint (roots->len, ==, 1);
  g_assert_cmpuint (inters->len, ==, 1);
  chain = certreq_store_get_chain (fx->store, fx->leaf_thumbprint);
  g_assert_cmpuint (chain->len, ==, 2);

  {
    g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (fx->store, fx->leaf_thumbprint);

    g_assert_cmpstr (meta->friendly_name, ==, "Bundle");
  }
}

/* An encrypted PKCS #8 key in PEM: the password decrypts it, a wrong one is BAD_PASSWORD */
static void
test_pem_encrypted_key (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *enc_key = work_path (fx, "leaf-enc.key");
  g_autofree char *out = certwiz_test_openssl (NULL, 0, "pkcs8", "-topk8", "-in",
                                               fx->pki.leaf_key, "-v2", "aes-256-cbc",
                                               "-passout", "pass:pem pass", "-out", enc_key,
                                               NULL);
  g_autoptr(GBytes) data = test_pki_concat (fx->pki.leaf_pem, enc_key, NULL);
  g_autoptr(CertreqImportContents) contents = NULL;
  g_autoptr(CertreqImportResult) result = NULL;
  g_autofree char *before = test_pki_snapshot (fx->dir);
  g_autofree char *after = NULL;

  g_assert_nonnull (strstr (g_bytes_get_data (data, NULL), "ENCRYPTED PRIVATE KEY"));
  contents = certreq_import_parse (data, "wrong", &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD);
  g_assert_null (contents);
  g_clear_error (&error);
  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL, NULL,
                           &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD);
  g_clear_error (&error);
  after = test_pki_snapshot (fx->dir);
  g_assert_cmpstr (before, ==, after);

  result = certreq_import (fx->store, data, "pem pass", CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL,
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->key_imported);
  assert_key_stored (fx, fx->leaf_thumbprint, FALSE);
}

static void
test_der (Fixture       *fx,
          gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root_der = work_path (fx, "root.der");
  g_autofree char *out = certwiz_test_openssl (NULL, 0, "x509", "-in", fx->pki.root_pem,
                                               "-outform", "DER", "-out", root_der, NULL);
  g_autoptr(GBytes) data = test_pki_read (root_der);
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(CertreqImportResult) none = NULL;
  g_autoptr(CertreqImportContents) contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  contents = certreq_import_parse (data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contents->certificates->len, ==, 1);
  g_assert_null (contents->key);

  /* Only a CA certificate and no trust chosen: refused with a hint, nothing changes */
  before = test_pki_snapshot (fx->dir);
  none = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL, NULL,
                         &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "--trust"));
  g_assert_null (none);
  g_clear_error (&error);
  after = test_pki_snapshot (fx->dir);
  g_assert_cmpstr (before, ==, after);

  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_ROOT, FALSE, NULL, NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_null (result->thumbprint);
  g_assert_cmpuint (result->roots->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->roots, 0), ==, fx->root_thumbprint);
}

/* A certificate whose key is nowhere: NOT_FOUND, and the store is unchanged */
static void
test_no_key (Fixture       *fx,
             gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf_der = work_path (fx, "leaf.der");
  g_autofree char *out = certwiz_test_openssl (NULL, 0, "x509", "-in", fx->pki.leaf_pem,
                                               "-outform", "DER", "-out", leaf_der, NULL);
  g_autoptr(GBytes) data = test_pki_concat (leaf_der, NULL);
  g_autoptr(GBytes) with_chain = test_pki_concat (fx->pki.leaf_pem, fx->pki.root_pem, NULL);
  g_autoptr(CertreqImportResult) result = NULL;
  g_autofree char *before = test_pki_snapshot (fx->dir);
  g_autofree char *after = NULL;

  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL, NULL,
                           &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "matches no private key"));
  g_assert_nonnull (strstr (error->message, fx->leaf_thumbprint));
  g_assert_null (result);
  g_clear_error (&error);

  /* Not even the root is trusted when the leaf fails */
  result = certreq_import (fx->store, with_chain, NULL, CERTREQ_IMPORT_TRUST_ROOT, FALSE, NULL,
                           NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_null (result);

  after = test_pki_snapshot (fx->dir);
  g_assert_cmpstr (before, ==, after);

  /* Once the key is in the store, the same DER file imports */
  {
    g_autoptr(GBytes) pem = test_pki_concat (fx->pki.leaf_pem, fx->pki.leaf_key, NULL);
    g_autoptr(CertreqImportResult) first = NULL;
    g_autoptr(CertreqImportResult) again = NULL;

    g_clear_error (&error);
    first = certreq_import (fx->store, pem, NULL, CERTREQ_IMPORT_TRUST_NONE, TRUE, "Mine",
                            NULL, &error);
    g_assert_no_error (error);
    again = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL,
                            NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again->thumbprint, ==, fx->leaf_thumbprint);
    g_assert_false (again->key_imported);
    assert_key_stored (fx, fx->leaf_thumbprint, TRUE);
  }
}

/* PKCS #7 made by openssl crl2pkcs7, PEM and DER */
static void
test_p7b (Fixture       *fx,
          gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *p7_pem = work_path (fx, "chain.p7b.pem");
  g_autofree char *p7_der = work_path (fx, "chain.p7b");
  g_autofree char *out1 = certwiz_test_openssl (NULL, 0, "crl2pkcs7", "-nocrl",
                                                "-certfile", fx->pki.inter_pem,
                                                "-certfile", fx->pki.root_pem,
                                                "-out", p7_pem, NULL);
  g_autofree char *out2 = certwiz_test_openssl (NULL, 0, "crl2pkcs7", "-nocrl",
                                                "-certfile", fx->pki.inter_pem,
                                                "-certfile", fx->pki.root_pem,
                                                "-outform", "DER", "-out", p7_der, NULL);
  g_autoptr(GBytes) pem = test_pki_read (p7_pem);
  g_autoptr(GBytes) der = test_pki_read (p7_der);
  g_autoptr(CertreqImportContents) pem_contents = NULL;
  g_autoptr(CertreqImportContents) der_contents = NULL;
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(GPtrArray) inters = NULL;
  g_autoptr(GPtrArray) roots = NULL;

  g_assert_nonnull (strstr (g_bytes_get_data (pem, NULL), "BEGIN PKCS7"));
  pem_contents = certreq_import_parse (pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pem_contents->certificates->len, ==, 2);
  der_contents = certreq_import_parse (der, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (der_contents->certificates->len, ==, 2);

  /* Everything as intermediates, the root included */
  result = certreq_import (fx->store, pem, NULL, CERTREQ_IMPORT_TRUST_INTERMEDIATE, FALSE,
                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->roots->len, ==, 0);
  g_assert_cmpuint (result->intermediates->len, ==, 2);
  inters = certreq_store_get_intermediates (fx->store);
  g_assert_cmpuint (inters->len, ==, 2);
  roots = certreq_store_get_trusted_roots (fx->store);
  g_assert_cmpuint (roots->len, ==, 0);
  g_clear_pointer (&result, certreq_import_result_free);

  /* The DER form with root trust: the self-signed one becomes a root */
  result = certreq_import (fx->store, der, NULL, CERTREQ_IMPORT_TRUST_ROOT, FALSE, NULL, NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->roots->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->roots, 0), ==, fx->root_thumbprint);
  g_clear_pointer (&roots, g_ptr_array_unref);
  roots = certreq_store_get_trusted_roots (fx->store);
  g_assert_cmpuint (roots->len, ==, 1);
}

/* A leaf completing a waiting request: the request's key, metadata and exportable flag */
static void
test_completes_pending (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqServer) server = certreq_store_load_server (fx->store, &error);
  g_autoptr(CertreqRequest) request = certreq_request_new (server);
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autofree char *csr_pem = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *cert_path = work_path (fx, "issued.pem");
  g_autofree char *p7_der = work_path (fx, "issued.p7b");
  g_autofree char *out = NULL;
  g_autofree char *pending_id = NULL;
  g_autofree char *thumbprint = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) chain = NULL;

  g_assert_no_error (error);
  certreq_request_set_usages (request, CERTREQ_USAGE_FLAGS_STANDARD);
  certreq_request_set_online (request, FALSE);
  certreq_request_set_ca_id (request, "offline");
  certreq_request_set_friendly_name (request, "Offline 2026");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P256);
  certreq_request_set_exportable (request, TRUE);
  certreq_request_set_organization (request, "Contoso");
  certreq_request_set_country (request, "DE");
  certreq_request_set_state (request, "Berlin");
  certreq_request_set_locality (request, "Berlin");

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec = certreq_request_get_csr_spec (request);
  csr = certreq_csr_create (spec, key, &error);
  g_assert_no_error (error);
  pending_id = certreq_store_pending_create (fx->store, request, key, csr, &error);
  g_assert_no_error (error);

  /* The offline CA (openssl) signs the request */
  csr_pem = certreq_csr_der_to_pem (csr);
  csr_path = certwiz_test_write (fx->work, "request.csr", csr_pem, strlen (csr_pem));
  out = certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", csr_path,
                              "-CA", fx->pki.inter_pem, "-CAkey", fx->pki.inter_key,
                              "-days", "30", "-extfile", fx->pki.ext_path, "-extensions", "leaf",
                              "-set_serial", "77", "-out", cert_path, NULL);
  g_free (out);
  out = certwiz_test_openssl (NULL, 0, "crl2pkcs7", "-nocrl", "-certfile", cert_path,
                              "-certfile", fx->pki.inter_pem, "-certfile", fx->pki.root_pem,
                              "-outform", "DER", "-out", p7_der, NULL);
  thumbprint = test_pki_thumbprint (cert_path);
  data = test_pki_read (p7_der);

  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL, NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->thumbprint, ==, thumbprint);
  g_assert_cmpstr (result->pending_id, ==, pending_id);
  g_assert_false (result->key_imported);

  /* The pending entry is gone, its key is in keys/ with the request's exportable flag */
  pending = certreq_store_pending_list (fx->store);
  g_assert_cmpuint (pending->len, ==, 0);
  g_assert_true (certreq_store_has_key (fx->store, certreq_key_get_id (key)));
  g_assert_true (certreq_store_key_is_exportable (fx->store, certreq_key_get_id (key)));

  meta = certreq_store_get_meta (fx->store, thumbprint);
  g_assert_cmpstr (meta->friendly_name, ==, "Offline 2026");
  g_assert_cmpuint (meta->usages, ==, CERTREQ_USAGE_FLAGS_STANDARD);
  g_assert_cmpstr (meta->ca_id, ==, "offline");
  g_assert_cmpstr (meta->pending_id, ==, pending_id);
  chain = certreq_store_get_chain (fx->store, thumbprint);
  g_assert_cmpuint (chain->len, ==, 2);
}

/* A failure after the first change rolls everything back: certs/<THUMBPRINT>.pem
 * is made a directory, so storing the certificate fails after the trust and the key */
static void
test_rollback (Fixture       *fx,
               gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = test_pki_concat (fx->pki.leaf_pem, fx->pki.inter_pem,
                                            fx->pki.root_pem, fx->pki.leaf_key, NULL);
  g_autofree char *blocker = NULL;
  g_autofree char *name = g_strconcat (fx->leaf_thumbprint, ".pem", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(GPtrArray) roots = NULL;

  blocker = g_build_filename (fx->dir, "certs", name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (blocker, 0755), ==, 0);
  before = test_pki_snapshot (fx->dir);

  result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_ROOT, TRUE, NULL, NULL,
                           &error);
  g_assert_nonnull (error);
  g_assert_null (result);
  after = test_pki_snapshot (fx->dir);
  g_assert_cmpstr (before, ==, after);
  roots = certreq_store_get_trusted_roots (fx->store);
  g_assert_cmpuint (roots->len, ==, 0);

  /* The trust and the key had been written, and were taken back */
  {
    g_autoptr(GPtrArray) logs = certreq_store_list_logs (fx->store);
    g_autofree char *text = NULL;
    g_autoptr(GError) read_error = NULL;

    g_file_get_contents (g_ptr_array_index (logs, 0), &text, NULL, &read_error);
    g_assert_no_error (read_error);
    g_assert_nonnull (strstr (text, "Rolled back: removed trust/roots/"));
    g_assert_nonnull (strstr (text, "Rolled back: removed keys/"));
  }
}

static char *
make_pfx (Fixture    *fx,
          const char *name,
          gboolean    legacy)
{
  g_autofree char *path = work_path (fx, name);
  g_autofree char *out = NULL;

  if (legacy)
    out = certwiz_test_openssl (NULL, 0, "pkcs12", "-export", "-legacy",
                                "-inkey", fx->pki.leaf_key, "-in", fx->pki.leaf_pem,
                                "-certfile", fx->pki.inter_pem, "-name", "Windows export",
                                "-passout", "pass:Secret 1", "-out", path, NULL);
  else
    out = certwiz_test_openssl (NULL, 0, "pkcs12", "-export",
                                "-inkey", fx->pki.leaf_key, "-in", fx->pki.leaf_pem,
                                "-certfile", fx->pki.inter_pem, "-name", "Windows export",
                                "-passout", "pass:Secret 1", "-out", path, NULL);
  return g_steal_pointer (&path);
}

static void
check_pfx_import (Fixture  *fx,
                  gboolean  legacy)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_pfx (fx, legacy ? "legacy.pfx" : "default.pfx", legacy);
  g_autoptr(GBytes) data = test_pki_read (path);
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(CertreqImportContents) contents = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GPtrArray) chain = NULL;

  if (legacy)
    {
      /* Proof that this file needs the legacy provider: the default context cannot read it */
      const unsigned char *p = g_bytes_get_data (data, NULL);
      PKCS12 *p12 = d2i_PKCS12 (NULL, &p, (long) g_bytes_get_size (data));
      EVP_PKEY *pkey = NULL;
      X509 *x509 = NULL;

      g_assert_nonnull (p12);
      g_assert_false (PKCS12_parse (p12, "Secret 1", &pkey, &x509, NULL));
      EVP_PKEY_free (pkey);
      X509_free (x509);
      PKCS12_free (p12);
      ERR_clear_error ();
    }

  contents = certreq_import_parse (data, "Secret 1", &error);
  g_assert_no_error (error);
  g_assert_true (contents->is_pkcs12);
  g_assert_nonnull (contents->key);
  g_assert_cmpuint (contents->certificates->len, ==, 2);
  g_assert_cmpstr (contents->friendly_name, ==, "Windows export");

  result = certreq_import (fx->store, data, "Secret 1", CERTREQ_IMPORT_TRUST_NONE, TRUE, NULL,
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->thumbprint, ==, fx->leaf_thumbprint);
  g_assert_true (result->key_imported);
  assert_key_stored (fx, fx->leaf_thumbprint, TRUE);
  meta = certreq_store_get_meta (fx->store, fx->leaf_thumbprint);
  g_assert_cmpstr (meta->friendly_name, ==, "Windows export");
  chain = certreq_store_get_chain (fx->store, fx->leaf_thumbprint);
  g_assert_cmpuint (chain->len, ==, 1);

  /* Never in the default context */
  g_assert_false (OSSL_PROVIDER_available (NULL, "legacy"));
}

static void
test_pkcs12_default (Fixture       *fx,
                     gconstpointer  unused)
{
  check_pfx_import (fx, FALSE);
}

static void
test_pkcs12_legacy (Fixture       *fx,
                    gconstpointer  unused)
{
  check_pfx_import (fx, TRUE);
}

static void
test_pkcs12_wrong_password (Fixture       *fx,
                            gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = test_pki_snapshot (fx->dir);
  g_autofree char *after = NULL;
  gboolean legacy;

  for (legacy = FALSE; legacy <= TRUE; legacy++)
    {
      g_autofree char *path = make_pfx (fx, legacy ? "legacy.pfx" : "default.pfx", legacy);
      g_autoptr(GBytes) data = test_pki_read (path);
      g_autoptr(CertreqImportResult) result = NULL;
      g_autoptr(CertreqImportContents) contents = NULL;

      contents = certreq_import_parse (data, "wrong", &error);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD);
      g_assert_null (contents);
      g_clear_error (&error);

      result = certreq_import (fx->store, data, "wrong", CERTREQ_IMPORT_TRUST_ROOT, TRUE, NULL,
                               NULL, &error);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD);
      g_assert_cmpstr (error->message, ==, "The password of the PKCS #12 file is wrong.");
      g_assert_null (result);
      g_clear_error (&error);

      result = certreq_import (fx->store, data, NULL, CERTREQ_IMPORT_TRUST_ROOT, TRUE, NULL,
                               NULL, &error);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD);
      g_clear_error (&error);
    }

  after = test_pki_snapshot (fx->dir);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (OSSL_PROVIDER_available (NULL, "legacy"));
}

static void
test_bad_format (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) junk = g_bytes_new_static ("hello, world\n", 13);
  g_autoptr(GBytes) key_only = test_pki_concat (fx->pki.leaf_key, NULL);
  g_autoptr(GBytes) two_leaves = NULL;
  g_autofree char *other_key = work_path (fx, "other.key");
  g_autofree char *other_pem = work_path (fx, "other.pem");
  g_autoptr(CertreqImportContents) contents = NULL;
  g_autoptr(CertreqImportResult) result = NULL;

  contents = certreq_import_parse (junk, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_assert_nonnull (strstr (error->message, "PKCS #12"));
  g_clear_error (&error);

  contents = certreq_import_parse (key_only, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_assert_nonnull (strstr (error->message, "private key but no certificate"));
  g_clear_error (&error);

  /* Two server certificates in one file */
  test_pki_genkey (other_key, FALSE);
  test_pki_issue_leaf (&fx->pki, other_key, "/CN=other.corp.example.com", "9", other_pem);
  two_leaves = test_pki_concat (fx->pki.leaf_pem, other_pem, NULL);
  result = certreq_import (fx->store, two_leaves, NULL, CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL,
                           NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  /* A key that belongs to none of the certificates */
  {
    g_autoptr(GBytes) mismatch = test_pki_concat (fx->pki.leaf_pem, other_key, NULL);

    result = certreq_import (fx->store, mismatch, NULL, CERTREQ_IMPORT_TRUST_NONE, FALSE, NULL,
                             NULL, &error);
    g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  }
}

static void
on_imported (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  CertreqImportResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = certreq_import_finish (res, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fx,
            gconstpointer  unused)
{
  g_autofree char *path = make_pfx (fx, "default.pfx", FALSE);
  g_autoptr(GBytes) data = test_pki_read (path);
  g_autofree char *password = g_strdup ("Secret 1");
  CertreqImportResult *result = NULL;

  certreq_import_async (fx->store, data, password, CERTREQ_IMPORT_TRUST_NONE, FALSE, "Async",
                        NULL, on_imported, &result);
  /* The password was copied */
  memset (password, 'x', strlen (password));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (result->thumbprint, ==, fx->leaf_thumbprint);
  assert_key_stored (fx, fx->leaf_thumbprint, FALSE);
  certreq_import_result_free (result);
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/certreq/import/pem-leaf-key", test_pem_leaf_key);
  ADD ("/certreq/import/pem-bundle-crlf", test_pem_bundle_crlf);
  ADD ("/certreq/import/pem-encrypted-key", test_pem_encrypted_key);
  ADD ("/certreq/import/der", test_der);
  ADD ("/certreq/import/no-key", test_no_key);
  ADD ("/certreq/import/p7b", test_p7b);
  ADD ("/certreq/import/rollback", test_rollback);
  ADD ("/certreq/import/completes-pending", test_completes_pending);
  ADD ("/certreq/import/pkcs12-default", test_pkcs12_default);
  ADD ("/certreq/import/pkcs12-legacy", test_pkcs12_legacy);
  ADD ("/certreq/import/pkcs12-wrong-password", test_pkcs12_wrong_password);
  ADD ("/certreq/import/bad-format", test_bad_format);
  ADD ("/certreq/import/async", test_async);
#undef ADD

  return g_test_run ();
}
