/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "certwiz-test-utils.h"

/* Every test makes its PKI with the openssl command line in a temporary
 * directory: root -> intermediate -> leaf, a second unrelated root, and leaves
 * issued by `openssl ca` with validity periods in the past and the future.
 * No key is ever committed. */
static const char openssl_cnf_template[] =
  "[req]\n"
  "distinguished_name = dn\n"
  "[dn]\n"
  "[ca]\n"
  "default_ca = testca\n"
  "[testca]\n"
  "database = @DIR@/index.txt\n"
  "new_certs_dir = @DIR@\n"
  "serial = @DIR@/serial\n"
  "default_md = sha256\n"
  "policy = policy_any\n"
  "unique_subject = no\n"
  "[policy_any]\n"
  "commonName = supplied\n"
  "[v3_root]\n"
  "basicConstraints = critical,CA:true\n"
  "keyUsage = critical,keyCertSign,cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[v3_inter]\n"
  "basicConstraints = critical,CA:true,pathlen:0\n"
  "keyUsage = critical,keyCertSign,cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid:always\n"
  "[v3_leaf]\n"
  "basicConstraints = CA:false\n"
  "keyUsage = critical,digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:www.example.com\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid:always\n";

typedef struct
{
  char *dir;
  char *cnf;
  char *ec_alg;
  CertreqCertificate *root;
  CertreqCertificate *other_root;
  CertreqCertificate *inter;
  CertreqCertificate *leaf;
} Fixture;

static char *
fx_path (Fixture    *fx,
         const char *name)
{
  return g_build_filename (fx->dir, name, NULL);
}

static CertreqCertificate *
load_cert (Fixture    *fx,
           const char *name)
{
  g_autofree char *path = fx_path (fx, name);
  g_autoptr(GError) error = NULL;
  CertreqCertificate *cert = certreq_certificate_load (path, &error);

  g_assert_no_error (error);
  return cert;
}

static void
make_root (Fixture    *fx,
           const char *name,
           const char *subject)
{
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *key = fx_path (fx, key_name);
  g_autofree char *pem = fx_path (fx, pem_name);

  g_free (certwiz_test_openssl (NULL, 0, "req", "-x509", "-new", "-newkey", fx->ec_alg, "-nodes",
                                "-keyout", key, "-out", pem, "-subj", subject, "-days", "3650",
                                "-config", fx->cnf, "-extensions", "v3_root", NULL));
}

/* A CSR for @name with a new key */
static char *
make_csr (Fixture    *fx,
          const char *name,
          const char *subject)
{
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  g_autofree char *csr_name = g_strconcat (name, ".csr", NULL);
  g_autofree char *key = fx_path (fx, key_name);
  char *csr = fx_path (fx, csr_name);

  g_free (certwiz_test_openssl (NULL, 0, "req", "-new", "-newkey", fx->ec_alg, "-nodes",
                                "-keyout", key, "-out", csr, "-subj", subject,
                                "-config", fx->cnf, NULL));
  return csr;
}

static void
sign_x509 (Fixture    *fx,
           const char *name,
           const char *subject,
           const char *issuer,
           const char *extensions,
           const char *days,
           const char *serial)
{
  g_autofree char *csr = make_csr (fx, name, subject);
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *issuer_pem = g_strconcat (issuer, ".pem", NULL);
  g_autofree char *issuer_key = g_strconcat (issuer, ".key", NULL);
  g_autofree char *pem = fx_path (fx, pem_name);
  g_autofree char *ca = fx_path (fx, issuer_pem);
  g_autofree char *ca_key = fx_path (fx, issuer_key);

  g_free (certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                                "-set_serial", serial, "-days", days, "-extfile", fx->cnf,
                                "-extensions", extensions, "-out", pem, NULL));
}

/* `openssl ca` can set any validity period, unlike `openssl x509` in 3.0 */
static CertreqCertificate *
sign_with_dates (Fixture    *fx,
                 const char *name,
                 const char *start,
                 const char *end)
{
  g_autofree char *subject = g_strdup_printf ("/CN=%s.example.com", name);
  g_autofree char *csr = make_csr (fx, name, subject);
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *pem = fx_path (fx, pem_name);
  g_autofree char *ca = fx_path (fx, "inter.pem");
  g_autofree char *ca_key = fx_path (fx, "inter.key");

  g_free (certwiz_test_openssl (NULL, 0, "ca", "-config", fx->cnf, "-batch", "-notext",
                                "-cert", ca, "-keyfile", ca_key, "-in", csr, "-out", pem,
                                "-startdate", start, "-enddate", end,
                                "-extfile", fx->cnf, "-extensions", "v3_leaf", NULL));
  return load_cert (fx, pem_name);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  unused)
{
  g_autoptr(GString) cnf = g_string_new (openssl_cnf_template);
  g_autofree char *ec = NULL;
  g_autofree char *index = NULL;
  g_autofree char *serial = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  g_string_replace (cnf, "@DIR@", fx->dir, 0);
  fx->cnf = certwiz_test_write (fx->dir, "openssl.cnf", cnf->str, cnf->len);
  index = certwiz_test_write (fx->dir, "index.txt", "", 0);
  serial = certwiz_test_write (fx->dir, "serial", "5000\n", 5);

  ec = fx_path (fx, "ecparam.pem");
  g_free (certwiz_test_openssl (NULL, 0, "genpkey", "-genparam", "-algorithm", "EC", "-pkeyopt",
                                "ec_paramgen_curve:P-256", "-out", ec, NULL));
  fx->ec_alg = g_strconcat ("ec:", ec, NULL);

  make_root (fx, "root", "/O=Certwiz Tests/CN=Certwiz Test Root");
  make_root (fx, "other-root", "/CN=Some Other Root");
  sign_x509 (fx, "inter", "/O=Certwiz Tests/CN=Certwiz Test Intermediate", "root", "v3_inter",
             "3000", "0x2001");
  sign_x509 (fx, "leaf", "/CN=www.example.com", "inter", "v3_leaf", "365", "0x3001");

  fx->root = load_cert (fx, "root.pem");
  fx->other_root = load_cert (fx, "other-root.pem");
  fx->inter = load_cert (fx, "inter.pem");
  fx->leaf = load_cert (fx, "leaf.pem");
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  unused)
{
  g_clear_object (&fx->root);
  g_clear_object (&fx->other_root);
  g_clear_object (&fx->inter);
  g_clear_object (&fx->leaf);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
  g_free (fx->cnf);
  g_free (fx->ec_alg);
}

static GPtrArray *
cert_list (CertreqCertificate *first,
           ...)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  CertreqCertificate *cert;
  va_list ap;

  va_start (ap, first);
  for (cert = first; cert != NULL; cert = va_arg (ap, CertreqCertificate *))
    g_ptr_array_add (list, g_object_ref (cert));
  va_end (ap);

  return list;
}

/* What `openssl verify` says, whatever its exit status: "error N at D depth" */
static int
openssl_verify_code (Fixture    *fx,
                     const char *leaf_path,
                     const char *cafile,
                     const char *untrusted,
                     gint64      attime)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *hit;
  int code = -1, depth = -1;

  g_ptr_array_add (args, g_strdup ("openssl"));
  g_ptr_array_add (args, g_strdup ("verify"));
  /* An empty CA file: nothing from the system counts as trusted */
  g_ptr_array_add (args, g_strdup ("-no-CApath"));
  g_ptr_array_add (args, g_strdup ("-no-CAfile"));
  if (cafile != NULL)
    {
      g_ptr_array_add (args, g_strdup ("-CAfile"));
      g_ptr_array_add (args, g_strdup (cafile));
    }
  if (untrusted != NULL)
    {
      g_ptr_array_add (args, g_strdup ("-untrusted"));
      g_ptr_array_add (args, g_strdup (untrusted));
    }
  if (attime != 0)
    {
      g_ptr_array_add (args, g_strdup ("-attime"));
      g_ptr_array_add (args, g_strdup_printf ("%" G_GINT64_FORMAT, attime));
    }
  g_ptr_array_add (args, g_strdup (leaf_path));
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  if (g_str_has_suffix (out, ": OK\n"))
    return 0;
  hit = strstr (out, "error ");
  g_assert_nonnull (hit);
  g_assert_cmpint (sscanf (hit, "error %d at %d depth", &code, &depth), ==, 2);
  return code;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static CertreqChainElement *
element (CertreqChainResult *result,
         guint               i)
{
  g_assert_cmpuint (i, <, result->elements->len);
  return g_ptr_array_index (result->elements, i);
}

static void
test_trusted (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(GPtrArray) untrusted = cert_list (fx->inter, NULL);
  g_autoptr(GPtrArray) roots = cert_list (fx->other_root, fx->root, NULL);
  g_autoptr(CertreqChainResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf_path = fx_path (fx, "leaf.pem");
  g_autofree char *root_path = fx_path (fx, "root.pem");
  g_autofree char *inter_path = fx_path (fx, "inter.pem");

  g_test_summary ("Leaf, intermediate and trusted root verify; the chain is leaf first");

  g_assert_cmpint (openssl_verify_code (fx, leaf_path, root_path, inter_path, 0), ==, 0);

  result = certreq_chain_verify (fx->leaf, untrusted, roots, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", result->message);
  g_assert_cmpint (result->status, ==, CERTREQ_CHAIN_TRUSTED);
  g_assert_cmpint (result->openssl_code, ==, 0);
  g_assert_null (result->problem_certificate);
  g_assert_null (result->missing_issuer);
  g_assert_cmpuint (result->elements->len, ==, 3);
  g_assert_true (element (result, 0)->certificate == fx->leaf);
  g_assert_true (certreq_certificate_equal (element (result, 1)->certificate, fx->inter));
  g_assert_true (certreq_certificate_equal (element (result, 2)->certificate, fx->root));
  g_assert_false (element (result, 0)->trusted_root);
  g_assert_false (element (result, 1)->trusted_root);
  g_assert_true (element (result, 2)->trusted_root);
  g_assert_cmpint (element (result, 0)->status, ==, CERTREQ_CHAIN_TRUSTED);
  g_assert_cmpint (element (result, 2)->status, ==, CERTREQ_CHAIN_TRUSTED);
  assert_contains (result->message, "“www.example.com”");
  assert_contains (result->message, "“Certwiz Test Root”");
}

static void
test_untrusted_root (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(GPtrArray) untrusted = cert_list (fx->inter, fx->root, NULL);
  g_autoptr(GPtrArray) roots = cert_list (fx->other_root, NULL);
  g_autoptr(CertreqChainResult) result = NULL;
  g_autoptr(CertreqChainResult) self_signed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf_path = fx_path (fx, "leaf.pem");
  g_autofree char *other_path = fx_path (fx, "other-root.pem");
  g_autofree char *bundle = NULL;
  g_autofree char *inter_pem = certreq_certificate_to_pem (fx->inter);
  g_autofree char *root_pem = certreq_certificate_to_pem (fx->root);
  g_autofree char *all = g_strconcat (inter_pem, root_pem, NULL);

  g_test_summary ("A chain that ends in a root nobody trusts names that root and its thumbprint");

  bundle = certwiz_test_write (fx->dir, "bundle.pem", all, strlen (all));
  g_assert_cmpint (openssl_verify_code (fx, leaf_path, other_path, bundle, 0), ==,
                   19 /* X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN */);

  result = certreq_chain_verify (fx->leaf, untrusted, roots, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", result->message);
  g_assert_cmpint (result->status, ==, CERTREQ_CHAIN_UNTRUSTED_ROOT);
  g_assert_cmpint (result->openssl_code, ==, 19);
  g_assert_nonnull (result->problem_certificate);
  g_assert_true (certreq_certificate_equal (result->problem_certificate, fx->root));
  g_assert_cmpuint (result->elements->len, ==, 3);
  g_assert_cmpint (element (result, 2)->status, ==, CERTREQ_CHAIN_UNTRUSTED_ROOT);
  g_assert_false (element (result, 2)->trusted_root);
  g_assert_cmpint (element (result, 0)->status, ==, CERTREQ_CHAIN_TRUSTED);
  assert_contains (result->message, "root certificate “Certwiz Test Root”");
  assert_contains (result->message, certreq_certificate_get_thumbprint (fx->root));

  /* A self-signed certificate alone */
  self_signed = certreq_chain_verify (fx->other_root, NULL, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", self_signed->message);
  g_assert_cmpint (self_signed->status, ==, CERTREQ_CHAIN_UNTRUSTED_ROOT);
  g_assert_cmpint (self_signed->openssl_code, ==, 18 /* DEPTH_ZERO_SELF_SIGNED_CERT */);
  g_assert_true (self_signed->problem_certificate == fx->other_root);
  assert_contains (self_signed->message, "“Some Other Root”");
  assert_contains (self_signed->message, certreq_certificate_get_thumbprint (fx->other_root));
}

static void
test_missing_issuer (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(GPtrArray) roots = cert_list (fx->root, NULL);
  g_autoptr(GPtrArray) untrusted = cert_list (fx->inter, NULL);
  g_autoptr(CertreqChainResult) result = NULL;
  g_autoptr(CertreqChainResult) no_root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf_path = fx_path (fx, "leaf.pem");
  g_autofree char *root_path = fx_path (fx, "root.pem");
  g_autofree char *inter_path = fx_path (fx, "inter.pem");

  g_test_summary ("A missing intermediate is named by its DN, with the certificate it issued");

  g_assert_cmpint (openssl_verify_code (fx, leaf_path, root_path, NULL, 0), ==,
                   20 /* UNABLE_TO_GET_ISSUER_CERT_LOCALLY */);

  result = certreq_chain_verify (fx->leaf, NULL, roots, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", result->message);
  g_assert_cmpint (result->status, ==, CERTREQ_CHAIN_MISSING_ISSUER);
  g_assert_cmpint (result->openssl_code, ==, 20);
  g_assert_true (result->problem_certificate == fx->leaf);
  g_assert_cmpstr (result->missing_issuer, ==, "CN=Certwiz Test Intermediate,O=Certwiz Tests");
  g_assert_cmpuint (result->elements->len, ==, 1);
  g_assert_cmpint (element (result, 0)->status, ==, CERTREQ_CHAIN_MISSING_ISSUER);
  assert_contains (result->message,
                   "The issuer “CN=Certwiz Test Intermediate,O=Certwiz Tests” of “www.example.com”");
  assert_contains (result->message, certreq_certificate_get_thumbprint (fx->leaf));
  assert_contains (result->message, "intermediate certificate");

  /* The root was neither delivered nor trusted: the intermediate's issuer is missing */
  g_assert_cmpint (openssl_verify_code (fx, leaf_path, NULL, inter_path, 0), ==, 20);
  no_root = certreq_chain_verify (fx->leaf, untrusted, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", no_root->message);
  g_assert_cmpint (no_root->status, ==, CERTREQ_CHAIN_MISSING_ISSUER);
  g_assert_cmpuint (no_root->elements->len, ==, 2);
  g_assert_true (no_root->problem_certificate == fx->inter);
  g_assert_cmpstr (no_root->missing_issuer, ==, "CN=Certwiz Test Root,O=Certwiz Tests");
  g_assert_cmpint (element (no_root, 1)->status, ==, CERTREQ_CHAIN_MISSING_ISSUER);
  assert_contains (no_root->message, "“Certwiz Test Intermediate”");
  assert_contains (no_root->message, certreq_certificate_get_thumbprint (fx->inter));
  assert_contains (no_root->message, "root certificate");
}

static void
test_expired (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(GPtrArray) roots = cert_list (fx->root, NULL);
  g_autoptr(GPtrArray) untrusted = cert_list (fx->inter, NULL);
  g_autoptr(CertreqChainResult) result = NULL;
  g_autoptr(CertreqChainResult) later = NULL;
  g_autoptr(CertreqCertificate) old = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_400_days = g_date_time_add_days (now, 400);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = NULL;
  g_autofree char *leaf_path = fx_path (fx, "leaf.pem");
  g_autofree char *root_path = fx_path (fx, "root.pem");
  g_autofree char *inter_path = fx_path (fx, "inter.pem");

  g_test_summary ("An expired leaf is reported as expired, both really and with a later `when`");

  old = sign_with_dates (fx, "old", "20200101000000Z", "20210101000000Z");
  old_path = fx_path (fx, "old.pem");
  g_assert_cmpint (openssl_verify_code (fx, old_path, root_path, inter_path, 0), ==,
                   10 /* CERT_HAS_EXPIRED */);

  result = certreq_chain_verify (old, untrusted, roots, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", result->message);
  g_assert_cmpint (result->status, ==, CERTREQ_CHAIN_EXPIRED);
  g_assert_cmpint (result->openssl_code, ==, 10);
  g_assert_true (result->problem_certificate == old);
  g_assert_cmpuint (result->elements->len, ==, 3);
  g_assert_cmpint (element (result, 0)->status, ==, CERTREQ_CHAIN_EXPIRED);
  g_assert_cmpint (element (result, 1)->status, ==, CERTREQ_CHAIN_TRUSTED);
  assert_contains (result->message, "“old.example.com”");
  assert_contains (result->message, certreq_certificate_get_thumbprint (old));
  assert_contains (result->message, "2021-01-01");

  /* The normal leaf lives 365 days, its CAs longer: in 400 days only it has expired */
  g_assert_cmpint (openssl_verify_code (fx, leaf_path, root_path, inter_path,
                                        g_date_time_to_unix (in_400_days)), ==, 10);
  later = certreq_chain_verify (fx->leaf, untrusted, roots, FALSE, in_400_days, &error);
  g_assert_no_error (error);
  g_test_message ("%s", later->message);
  g_assert_cmpint (later->status, ==, CERTREQ_CHAIN_EXPIRED);
  g_assert_true (later->problem_certificate == fx->leaf);
  assert_contains (later->message, "“www.example.com”");
}

static void
test_not_yet_valid (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autoptr(GPtrArray) roots = cert_list (fx->root, NULL);
  g_autoptr(GPtrArray) untrusted = cert_list (fx->inter, NULL);
  g_autoptr(CertreqChainResult) result = NULL;
  g_autoptr(CertreqChainResult) at_start = NULL;
  g_autoptr(CertreqCertificate) future = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *future_path = NULL;
  g_autofree char *root_path = fx_path (fx, "root.pem");
  g_autofree char *inter_path = fx_path (fx, "inter.pem");

  g_test_summary ("A leaf valid only from 2035 is not yet valid now, and trusted in 2035");

  future = sign_with_dates (fx, "future", "20350101000000Z", "20360101000000Z");
  future_path = fx_path (fx, "future.pem");
  g_assert_cmpint (openssl_verify_code (fx, future_path, root_path, inter_path, 0), ==,
                   9 /* CERT_NOT_YET_VALID */);

  result = certreq_chain_verify (future, untrusted, roots, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", result->message);
  g_assert_cmpint (result->status, ==, CERTREQ_CHAIN_NOT_YET_VALID);
  g_assert_cmpint (result->openssl_code, ==, 9);
  g_assert_true (result->problem_certificate == future);
  g_assert_cmpint (element (result, 0)->status, ==, CERTREQ_CHAIN_NOT_YET_VALID);
  assert_contains (result->message, "“future.example.com”");
  assert_contains (result->message, certreq_certificate_get_thumbprint (future));
  assert_contains (result->message, "2035-01-01");

  /* Within its CAs' validity (the intermediate lives 3000 days from today) */
  start = g_date_time_new_utc (2035, 1, 2, 0, 0, 0);
  at_start = certreq_chain_verify (future, untrusted, roots, FALSE, start, &error);
  g_assert_no_error (error);
  g_assert_cmpint (at_start->status, ==, CERTREQ_CHAIN_TRUSTED);
}

static void
test_bad_signature (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autoptr(GPtrArray) roots = cert_list (fx->root, NULL);
  g_autoptr(GPtrArray) untrusted = cert_list (fx->inter, NULL);
  g_autoptr(CertreqChainResult) result = NULL;
  g_autoptr(CertreqCertificate) tampered = NULL;
  g_autoptr(GBytes) der = certreq_certificate_get_der (fx->leaf);
  g_autoptr(GBytes) bad_der = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tampered_path = NULL;
  g_autofree char *root_path = fx_path (fx, "root.pem");
  g_autofree char *inter_path = fx_path (fx, "inter.pem");
  guint8 *bytes;
  gsize size;

  g_test_summary ("A certificate whose signature was altered is reported as such, by thumbprint");

  /* The last byte of the DER is the last byte of the signature value */
  size = g_bytes_get_size (der);
  bytes = g_memdup2 (g_bytes_get_data (der, NULL), size);
  bytes[size - 1] ^= 0x01;
  bad_der = g_bytes_new_take (bytes, size);
  tampered = certreq_certificate_new_from_der (bad_der, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_certificate_get_thumbprint (tampered), !=,
                   certreq_certificate_get_thumbprint (fx->leaf));

  tampered_path = certwiz_test_write (fx->dir, "tampered.der", bytes, size);
  {
    g_autofree char *pem = certreq_certificate_to_pem (tampered);
    g_autofree char *pem_path = certwiz_test_write (fx->dir, "tampered.pem", pem, strlen (pem));

    g_assert_cmpint (openssl_verify_code (fx, pem_path, root_path, inter_path, 0), ==,
                     7 /* CERT_SIGNATURE_FAILURE */);
  }

  result = certreq_chain_verify (tampered, untrusted, roots, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", result->message);
  g_assert_cmpint (result->status, ==, CERTREQ_CHAIN_BAD_SIGNATURE);
  g_assert_cmpint (result->openssl_code, ==, 7);
  g_assert_true (result->problem_certificate == tampered);
  g_assert_cmpint (element (result, 0)->status, ==, CERTREQ_CHAIN_BAD_SIGNATURE);
  g_assert_cmpint (element (result, 2)->status, ==, CERTREQ_CHAIN_TRUSTED);
  assert_contains (result->message, "“www.example.com”");
  assert_contains (result->message, certreq_certificate_get_thumbprint (tampered));
  assert_contains (result->message, "“Certwiz Test Intermediate”");
}

static void
test_system_trust (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(GPtrArray) untrusted = cert_list (fx->inter, fx->root, NULL);
  g_autoptr(CertreqChainResult) result = NULL;
  g_autoptr(CertreqChainResult) system_root = NULL;
  g_autoptr(GPtrArray) system = NULL;
  g_autoptr(GError) error = NULL;
  const char *bundle = "/etc/ssl/certs/ca-certificates.crt";
  CertreqCertificate *anchor = NULL;
  guint i;

  g_test_summary ("The system's trust does not vouch for a private root, and does for its own");

  result = certreq_chain_verify (fx->leaf, untrusted, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", result->message);
  g_assert_cmpint (result->status, ==, CERTREQ_CHAIN_UNTRUSTED_ROOT);

  /* build-aux/deps installs ca-certificates: its absence is a failure, not a skip */
  if (!g_file_test (bundle, G_FILE_TEST_EXISTS))
    g_error ("%s is missing: install ca-certificates", bundle);
  system = certreq_certificate_list_load (bundle, &error);
  g_assert_no_error (error);
  for (i = 0; i < system->len && anchor == NULL; i++)
    if (certreq_certificate_is_valid_at (g_ptr_array_index (system, i), NULL) &&
        certreq_certificate_is_self_issued (g_ptr_array_index (system, i)))
      anchor = g_ptr_array_index (system, i);
  g_assert_nonnull (anchor);
  system_root = certreq_chain_verify (anchor, NULL, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (system_root->status, ==, CERTREQ_CHAIN_TRUSTED);
  g_assert_true (element (system_root, 0)->trusted_root);
}

static void
test_status_strings (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int status;

  g_test_summary ("Every status has its own sentence");
  for (status = CERTREQ_CHAIN_TRUSTED; status <= CERTREQ_CHAIN_INVALID; status++)
    {
      const char *text = certreq_chain_status_to_string (status);

      g_assert_nonnull (text);
      g_assert_true (g_str_has_suffix (text, "."));
      g_assert_false (g_hash_table_contains (seen, text));
      g_hash_table_add (seen, (gpointer) text);
    }
  g_assert_cmpstr (certreq_chain_status_to_string (CERTREQ_CHAIN_TRUSTED), ==,
                   "This certificate is OK.");
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

  g_test_add ("/certreq/chain/trusted", Fixture, NULL,
              fixture_setup, test_trusted, fixture_teardown);
  g_test_add ("/certreq/chain/untrusted-root", Fixture, NULL,
              fixture_setup, test_untrusted_root, fixture_teardown);
  g_test_add ("/certreq/chain/missing-issuer", Fixture, NULL,
              fixture_setup, test_missing_issuer, fixture_teardown);
  g_test_add ("/certreq/chain/expired", Fixture, NULL,
              fixture_setup, test_expired, fixture_teardown);
  g_test_add ("/certreq/chain/not-yet-valid", Fixture, NULL,
              fixture_setup, test_not_yet_valid, fixture_teardown);
  g_test_add ("/certreq/chain/bad-signature", Fixture, NULL,
              fixture_setup, test_bad_signature, fixture_teardown);
  g_test_add ("/certreq/chain/system-trust", Fixture, NULL,
              fixture_setup, test_system_trust, fixture_teardown);
  g_test_add_func ("/certreq/chain/status-strings", test_status_strings);

  return g_test_run ();
}
