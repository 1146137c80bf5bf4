/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "certwiz-test-utils.h"

/* A small PKI made with the openssl command line for every test: a root, an
 * intermediate with name constraints, a leaf with every extension the details
 * dialog formats (and two it does not), a serverAuth-only certificate and one
 * without a CN. Keys live only in the temporary directory. */
static const char openssl_cnf[] =
  "[req]\n"
  "distinguished_name = dn\n"
  "[dn]\n"
  "[v3_root]\n"
  "basicConstraints = critical,CA:true\n"
  "keyUsage = critical,keyCertSign,cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[v3_inter]\n"
  "basicConstraints = critical,CA:true,pathlen:0\n"
  "keyUsage = critical,keyCertSign,cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid:always\n"
  "nameConstraints = critical,permitted;DNS:example.com,excluded;DNS:bad.example.com\n"
  "[v3_leaf]\n"
  "basicConstraints = CA:false\n"
  "keyUsage = critical,digitalSignature,keyEncipherment\n"
  "extendedKeyUsage = serverAuth,clientAuth,1.2.3.4.5.6\n"
  "subjectAltName = DNS:www.example.com,DNS:*.example.net,DNS:Mixed.Example.ORG,DNS:*.com,"
  "DNS:w*.example.info,IP:192.0.2.1,email:admin@example.com,URI:https://example.com/\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid:always\n"
  "crlDistributionPoints = URI:http://crl.example.com/inter.crl\n"
  "authorityInfoAccess = caIssuers;URI:http://ca.example.com/inter.crt,OCSP;URI:http://ocsp.example.com/\n"
  "certificatePolicies = 2.23.140.1.2.1,@policy1\n"
  "nsComment = \"Made by the Certwiz tests\"\n"
  "1.2.3.4.5.6.7 = ASN1:UTF8String:hello\n"
  "[policy1]\n"
  "policyIdentifier = 1.3.6.1.4.1.99999.1\n"
  "CPS.1 = \"https://example.com/cps\"\n"
  "[v3_server]\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:plain.example.com\n";

typedef struct
{
  char *dir;
  char *cnf;
  char *root_pem;
  char *inter_pem;
  char *leaf_pem;
  char *leaf_key;
  char *server_pem;
  char *nocn_pem;
  CertreqCertificate *root;
  CertreqCertificate *inter;
  CertreqCertificate *leaf;
  CertreqCertificate *server;
  CertreqCertificate *nocn;
} Fixture;

static char *
fx_path (Fixture    *fx,
         const char *name)
{
  return g_build_filename (fx->dir, name, NULL);
}

static CertreqCertificate *
load_cert (const char *path)
{
  g_autoptr(GError) error = NULL;
  CertreqCertificate *cert = certreq_certificate_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cert);
  return cert;
}

/* Issues @name.pem for a new key with @subject, signed by @ca (or self-signed) */
static char *
issue (Fixture    *fx,
       const char *name,
       const char *keyalg,
       const char *subject,
       const char *ca,
       const char *extensions,
       const char *serial)
{
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  g_autofree char *csr_name = g_strconcat (name, ".csr", NULL);
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *key = fx_path (fx, key_name);
  g_autofree char *csr = fx_path (fx, csr_name);
  char *pem = fx_path (fx, pem_name);

  if (ca == NULL)
    {
      g_free (certwiz_test_openssl (NULL, 0, "req", "-x509", "-new", "-utf8", "-newkey", keyalg,
                                    "-nodes", "-keyout", key, "-out", pem, "-subj", subject,
                                    "-days", "3650", "-config", fx->cnf,
                                    "-extensions", extensions, "-set_serial", serial, NULL));
    }
  else
    {
      g_autofree char *ca_pem = g_strconcat (ca, ".pem", NULL);
      g_autofree char *ca_key = g_strconcat (ca, ".key", NULL);
      g_autofree char *ca_pem_path = fx_path (fx, ca_pem);
      g_autofree char *ca_key_path = fx_path (fx, ca_key);

      g_free (certwiz_test_openssl (NULL, 0, "req", "-new", "-utf8", "-newkey", keyalg, "-nodes",
                                    "-keyout", key, "-out", csr, "-subj", subject,
                                    "-config", fx->cnf, NULL));
      g_free (certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", csr, "-CA", ca_pem_path,
                                    "-CAkey", ca_key_path, "-set_serial", serial,
                                    "-days", "365", "-extfile", fx->cnf,
                                    "-extensions", extensions, "-out", pem, NULL));
    }

  return pem;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  unused)
{
  g_autofree char *ec = NULL;
  g_autofree char *ec_alg = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  fx->cnf = certwiz_test_write (fx->dir, "openssl.cnf", openssl_cnf, strlen (openssl_cnf));
  ec = fx_path (fx, "ecparam.pem");
  g_free (certwiz_test_openssl (NULL, 0, "genpkey", "-genparam", "-algorithm", "EC", "-pkeyopt",
                                "ec_paramgen_curve:P-256", "-out", ec, NULL));
  ec_alg = g_strconcat ("ec:", ec, NULL);

  fx->root_pem = issue (fx, "root", ec_alg, "/CN=Certwiz Test Root", NULL, "v3_root", "1");
  fx->inter_pem = issue (fx, "inter", ec_alg, "/O=Certwiz Tests/CN=Certwiz Test Intermediate",
                         "root", "v3_inter", "0x1001");
  fx->leaf_pem = issue (fx, "leaf", "rsa:2048",
                        "/C=DE/ST=Bayern/L=München/O=Example Org/OU=IT/CN=www.example.com",
                        "inter", "v3_leaf", "0x0A1B2C");
  fx->leaf_key = fx_path (fx, "leaf.key");
  fx->server_pem = issue (fx, "server", ec_alg, "/CN=plain.example.com", "inter", "v3_server",
                          "0x77");
  fx->nocn_pem = issue (fx, "nocn", ec_alg, "/C=DE/O=No CN Org", NULL, "v3_server", "0x78");

  fx->root = load_cert (fx->root_pem);
  fx->inter = load_cert (fx->inter_pem);
  fx->leaf = load_cert (fx->leaf_pem);
  fx->server = load_cert (fx->server_pem);
  fx->nocn = load_cert (fx->nocn_pem);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  unused)
{
  g_clear_object (&fx->root);
  g_clear_object (&fx->inter);
  g_clear_object (&fx->leaf);
  g_clear_object (&fx->server);
  g_clear_object (&fx->nocn);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
  g_free (fx->cnf);
  g_free (fx->root_pem);
  g_free (fx->inter_pem);
  g_free (fx->leaf_pem);
  g_free (fx->leaf_key);
  g_free (fx->server_pem);
  g_free (fx->nocn_pem);
}

/* The value after "@prefix" in openssl's one-line output, stripped */
static char *
openssl_value (const char *path,
               const char *option,
               const char *prefix)
{
  g_autofree char *out = certwiz_test_openssl (NULL, 0, "x509", "-in", path, "-noout", option,
                                               "-nameopt", "RFC2253", "-dateopt", "iso_8601",
                                               NULL);

  g_strstrip (out);
  g_assert_true (g_str_has_prefix (out, prefix));
  return g_strdup (out + strlen (prefix));
}

static char *
without_colons (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);

  return g_strjoinv ("", parts);
}

static void
test_fingerprints (Fixture       *fx,
                   gconstpointer  unused)
{
  CertreqCertificate *certs[] = { fx->root, fx->inter, fx->leaf };
  const char *paths[] = { fx->root_pem, fx->inter_pem, fx->leaf_pem };
  gsize i;

  g_test_summary ("Thumbprint and SHA-256 equal `openssl x509 -fingerprint` without colons");

  for (i = 0; i < G_N_ELEMENTS (certs); i++)
    {
      g_autofree char *sha1_out = certwiz_test_openssl (NULL, 0, "x509", "-in", paths[i], "-noout",
                                                        "-fingerprint", "-sha1", NULL);
      g_autofree char *out = certwiz_test_openssl (NULL, 0, "x509", "-in", paths[i], "-noout",
                                                   "-fingerprint", "-sha256", NULL);
      g_autofree char *sha256 = NULL;
      g_autofree char *sha1_plain = NULL;
      g_autofree char *formatted = NULL;
      const char *sha1;

      g_strstrip (sha1_out);
      g_assert_true (g_str_has_prefix (sha1_out, "sha1 Fingerprint="));
      sha1 = sha1_out + strlen ("sha1 Fingerprint=");
      sha1_plain = without_colons (sha1);
      g_strstrip (out);
      g_assert_true (g_str_has_prefix (out, "sha256 Fingerprint="));
      sha256 = without_colons (out + strlen ("sha256 Fingerprint="));

      g_assert_cmpstr (certreq_certificate_get_thumbprint (certs[i]), ==, sha1_plain);
      g_assert_cmpuint (strlen (certreq_certificate_get_thumbprint (certs[i])), ==, 40);
      g_assert_cmpstr (certreq_certificate_get_sha256 (certs[i]), ==, sha256);
      g_assert_cmpuint (strlen (certreq_certificate_get_sha256 (certs[i])), ==, 64);

      formatted = certreq_format_fingerprint (certreq_certificate_get_thumbprint (certs[i]));
      g_assert_cmpstr (formatted, ==, sha1);
    }
}

static void
test_names_and_dates (Fixture       *fx,
                      gconstpointer  unused)
{
  g_autofree char *subject = certreq_certificate_get_subject (fx->leaf);
  g_autofree char *issuer = certreq_certificate_get_issuer (fx->leaf);
  g_autofree char *ossl_subject = openssl_value (fx->leaf_pem, "-subject", "subject=");
  g_autofree char *ossl_issuer = openssl_value (fx->leaf_pem, "-issuer", "issuer=");
  g_autofree char *ossl_serial = openssl_value (fx->leaf_pem, "-serial", "serial=");
  g_autofree char *ossl_start = openssl_value (fx->leaf_pem, "-startdate", "notBefore=");
  g_autofree char *ossl_end = openssl_value (fx->leaf_pem, "-enddate", "notAfter=");
  g_autofree char *serial = certreq_certificate_get_serial (fx->leaf);
  g_autofree char *escaped = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *cn = NULL;
  g_autofree char *issuer_cn = NULL;
  g_autofree char *nocn = NULL;
  g_autofree char *root_serial = NULL;
  g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (fx->leaf);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (fx->leaf);
  g_auto(GStrv) parts = NULL;

  g_test_summary ("Subject, issuer, serial and dates agree with openssl; UTF-8 stays readable");

  g_assert_cmpstr (subject, ==,
                   "CN=www.example.com,OU=IT,O=Example Org,L=München,ST=Bayern,C=DE");
  /* openssl -nameopt RFC2253 escapes the UTF-8 bytes; otherwise identical */
  parts = g_strsplit (subject, "ü", -1);
  escaped = g_strjoinv ("\\C3\\BC", parts);
  g_assert_cmpstr (ossl_subject, ==, escaped);

  g_assert_cmpstr (issuer, ==, "CN=Certwiz Test Intermediate,O=Certwiz Tests");
  g_assert_cmpstr (issuer, ==, ossl_issuer);

  g_assert_cmpstr (serial, ==, "0A1B2C");
  g_assert_cmpstr (serial, ==, ossl_serial);
  root_serial = certreq_certificate_get_serial (fx->root);
  g_assert_cmpstr (root_serial, ==, "01");

  cn = certreq_certificate_get_subject_name (fx->leaf);
  g_assert_cmpstr (cn, ==, "www.example.com");
  issuer_cn = certreq_certificate_get_issuer_name (fx->leaf);
  g_assert_cmpstr (issuer_cn, ==, "Certwiz Test Intermediate");
  nocn = certreq_certificate_get_subject_name (fx->nocn);
  g_assert_cmpstr (nocn, ==, "O=No CN Org,C=DE");

  g_assert_cmpint (g_date_time_get_utc_offset (not_before), ==, 0);
  start = g_date_time_format (not_before, "%Y-%m-%d %H:%M:%SZ");
  end = g_date_time_format (not_after, "%Y-%m-%d %H:%M:%SZ");
  g_assert_cmpstr (start, ==, ossl_start);
  g_assert_cmpstr (end, ==, ossl_end);
}

static void
test_properties (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autoptr(CertreqKey) leaf_key = NULL;
  g_autoptr(CertreqKey) root_key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 400);
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (fx->leaf);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (fx->leaf);
  g_autofree char *root_key_path = g_build_filename (fx->dir, "root.key", NULL);
  g_autofree char *purposes = NULL;
  g_autofree char *inter_purposes = NULL;
  g_autofree char *server_purposes = NULL;
  g_auto(GStrv) dns = NULL;

  g_test_summary ("EKU, CA, self-issued, key match, validity and DNS names");

  g_assert_true (certreq_certificate_has_eku (fx->leaf, CERTREQ_EKU_SERVER_AUTH));
  g_assert_true (certreq_certificate_has_eku (fx->leaf,
                                              CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH));
  g_assert_true (certreq_certificate_has_eku (fx->server, CERTREQ_EKU_SERVER_AUTH));
  g_assert_false (certreq_certificate_has_eku (fx->server, CERTREQ_EKU_CLIENT_AUTH));
  g_assert_false (certreq_certificate_has_eku (fx->server,
                                               CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH));
  /* No EKU extension: any purpose */
  g_assert_true (certreq_certificate_has_eku (fx->inter, CERTREQ_EKU_CLIENT_AUTH));

  purposes = certreq_certificate_get_purposes (fx->leaf);
  g_assert_cmpstr (purposes, ==, "Server Authentication, Client Authentication, 1.2.3.4.5.6");
  inter_purposes = certreq_certificate_get_purposes (fx->inter);
  g_assert_cmpstr (inter_purposes, ==, "All purposes");
  server_purposes = certreq_certificate_get_purposes (fx->server);
  g_assert_cmpstr (server_purposes, ==, "Server Authentication");

  g_assert_true (certreq_certificate_is_ca (fx->root));
  g_assert_true (certreq_certificate_is_ca (fx->inter));
  g_assert_false (certreq_certificate_is_ca (fx->leaf));
  g_assert_true (certreq_certificate_is_self_issued (fx->root));
  g_assert_false (certreq_certificate_is_self_issued (fx->inter));
  g_assert_false (certreq_certificate_is_self_issued (fx->leaf));

  leaf_key = certreq_key_load (fx->leaf_key, &error);
  g_assert_no_error (error);
  root_key = certreq_key_load (root_key_path, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_matches_key (fx->leaf, leaf_key));
  g_assert_false (certreq_certificate_matches_key (fx->leaf, root_key));
  g_assert_true (certreq_certificate_matches_key (fx->root, root_key));
  g_assert_cmpstr (certreq_certificate_get_key_id (fx->leaf), ==, certreq_key_get_id (leaf_key));

  g_assert_true (certreq_certificate_is_valid_at (fx->leaf, NULL));
  g_assert_true (certreq_certificate_is_valid_at (fx->leaf, now));
  g_assert_true (certreq_certificate_is_valid_at (fx->leaf, not_before));
  g_assert_true (certreq_certificate_is_valid_at (fx->leaf, not_after));
  g_assert_false (certreq_certificate_is_valid_at (fx->leaf, later));
  before = g_date_time_add_seconds (not_before, -1);
  g_assert_false (certreq_certificate_is_valid_at (fx->leaf, before));

  dns = certreq_certificate_get_dns_names (fx->leaf);
  g_assert_cmpuint (g_strv_length (dns), ==, 5);
  g_assert_cmpstr (dns[0], ==, "www.example.com");
  g_assert_cmpstr (dns[1], ==, "*.example.net");
  g_assert_cmpstr (dns[2], ==, "Mixed.Example.ORG");
  g_strfreev (dns);
  dns = certreq_certificate_get_dns_names (fx->root);
  g_assert_cmpuint (g_strv_length (dns), ==, 0);
}

static void
test_covers_name (Fixture       *fx,
                  gconstpointer  unused)
{
  /* The leaf's SANs: www.example.com, *.example.net, Mixed.Example.ORG, *.com, w*.example.info */
  static const struct
  {
    const char *name;
    gboolean    covered;
  } table[] = {
    { "www.example.com", TRUE },
    { "WWW.Example.COM", TRUE },
    { "www.example.com.", TRUE },
    { "example.com", FALSE },
    { "a.www.example.com", FALSE },
    { "wwww.example.com", FALSE },
    { "foo.example.net", TRUE },
    { "FOO.EXAMPLE.NET", TRUE },
    { "example.net", FALSE },
    { "a.b.example.net", FALSE },
    { ".example.net", FALSE },
    { "*.example.net", TRUE },
    { "mixed.example.org", TRUE },
    { "anything.com", FALSE },         /* "*.com" must not cover a whole TLD */
    { "www.example.info", FALSE },     /* partial wildcards are not honoured */
    { "w.example.info", FALSE },
    { "192.0.2.1", FALSE },            /* an IP SAN is not a DNS name */
    { "", FALSE },
  };
  gsize i;

  g_test_summary ("Names are covered per RFC 6125: exact, case-insensitive, one-label wildcards");

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_test_message ("%s", table[i].name);
      g_assert_cmpint (certreq_certificate_covers_name (fx->leaf, table[i].name), ==,
                       table[i].covered);
    }
  g_assert_false (certreq_certificate_covers_name (fx->leaf, NULL));
  g_assert_true (certreq_certificate_covers_name (fx->server, "plain.example.com"));
  g_assert_false (certreq_certificate_covers_name (fx->root, "Certwiz Test Root"));
}

static void
test_thumbprint_normalize (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } table[] = {
    { "bf3763789437894e15c79fd46230a39e984b65c8", "BF3763789437894E15C79FD46230A39E984B65C8" },
    { "BF3763789437894E15C79FD46230A39E984B65C8", "BF3763789437894E15C79FD46230A39E984B65C8" },
    { "bf 37 63 78 94 37 89 4e 15 c7 9f d4 62 30 a3 9e 98 4b 65 c8",
      "BF3763789437894E15C79FD46230A39E984B65C8" },
    { "BF:37:63:78:94:37:89:4E:15:C7:9F:D4:62:30:A3:9E:98:4B:65:C8",
      "BF3763789437894E15C79FD46230A39E984B65C8" },
    /* Windows MMC puts an invisible LEFT-TO-RIGHT MARK in front */
    { "\u200ebf 37 63 78 94 37 89 4e 15 c7 9f d4 62 30 a3 9e 98 4b 65 c8",
      "BF3763789437894E15C79FD46230A39E984B65C8" },
    { "  BF3763789437894E15C79FD46230A39E984B65C8\r\n", "BF3763789437894E15C79FD46230A39E984B65C8" },
    { "\xef\xbb\xbf" "bf3763789437894e15c79fd46230a39e984b65c8",
      "BF3763789437894E15C79FD46230A39E984B65C8" },
    { "bf3763789437894e15c79fd46230a39e984b65c", NULL },
    { "bf3763789437894e15c79fd46230a39e984b65c8a", NULL },
    { "gf3763789437894e15c79fd46230a39e984b65c8", NULL },
    { "bf-37-63-78-94-37-89-4e-15-c7-9f-d4-62-30-a3-9e-98-4b-65-c8", NULL },
    { "454CAA57DA62DBB5753A614F5A14D5B4E3F1CFD6A81691F26B63B063D174A211", NULL },
    { "", NULL },
    { "\xff\xfe", NULL },
  };
  gsize i;

  g_test_summary ("Thumbprints are accepted in any case, with spaces, colons and invisible marks");

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *out = certreq_thumbprint_normalize (table[i].input);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (out, ==, table[i].expected);
    }
  g_assert_null (certreq_thumbprint_normalize (NULL));
}

static const CertreqCertField *
find_field (GPtrArray  *fields,
            const char *name)
{
  guint i;

  for (i = 0; i < fields->len; i++)
    {
      const CertreqCertField *field = g_ptr_array_index (fields, i);

      if (g_strcmp0 (field->name, name) == 0)
        return field;
    }

  g_error ("no field %s", name);
  return NULL;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
test_fields (Fixture       *fx,
             gconstpointer  unused)
{
  static const char *const order[] = {
    "Version", "Serial number", "Signature algorithm", "Signature hash algorithm", "Issuer",
    "Valid from", "Valid to", "Subject", "Public key", "Public key parameters",
    "Subject Alternative Name", "Key Usage", "Enhanced Key Usage", "Basic Constraints",
    "Subject Key Identifier", "Authority Key Identifier", "CRL Distribution Points",
    "Authority Information Access", "Certificate Policies",
  };
  g_autoptr(GPtrArray) fields = certreq_certificate_get_fields (fx->leaf);
  g_autoptr(GPtrArray) inter_fields = certreq_certificate_get_fields (fx->inter);
  g_autofree char *ski_text = certwiz_test_openssl (NULL, 0, "x509", "-in", fx->leaf_pem, "-noout",
                                                    "-ext", "subjectKeyIdentifier", NULL);
  g_autofree char *ski = NULL;
  const CertreqCertField *field;
  gsize i;

  g_test_summary ("Every field of the details dialog is present, in order, with Windows-like values");

  g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (order) + 2 + 2);
  for (i = 0; i < G_N_ELEMENTS (order); i++)
    {
      field = g_ptr_array_index (fields, i);
      g_assert_cmpstr (field->name, ==, order[i]);
      g_assert_cmpint (field->kind, ==,
                       i < 10 ? CERTREQ_FIELD_KIND_BASIC : CERTREQ_FIELD_KIND_EXTENSION);
    }

  /* The two extensions without our own formatter follow, then the properties */
  field = g_ptr_array_index (fields, i);
  g_assert_cmpstr (field->name, ==, "Netscape Comment");
  g_assert_cmpstr (field->value, ==, "Made by the Certwiz tests");
  field = g_ptr_array_index (fields, i + 1);
  g_assert_cmpstr (field->name, ==, "1.2.3.4.5.6.7");
  g_assert_cmpint (field->kind, ==, CERTREQ_FIELD_KIND_EXTENSION);
  g_assert_cmpstr (field->value, ==, "0c 05 68 65 6c 6c 6f");
  field = g_ptr_array_index (fields, i + 2);
  g_assert_cmpstr (field->name, ==, "Thumbprint");
  g_assert_cmpint (field->kind, ==, CERTREQ_FIELD_KIND_PROPERTY);
  g_assert_cmpstr (field->value, ==, certreq_certificate_get_thumbprint (fx->leaf));
  field = g_ptr_array_index (fields, i + 3);
  g_assert_cmpstr (field->name, ==, "SHA-256 fingerprint");
  g_assert_cmpstr (field->value, ==, certreq_certificate_get_sha256 (fx->leaf));

  g_assert_cmpstr (find_field (fields, "Version")->value, ==, "V3");
  g_assert_cmpstr (find_field (fields, "Serial number")->value, ==, "0A1B2C");
  g_assert_cmpstr (find_field (fields, "Signature algorithm")->value, ==, "ecdsa-with-SHA256");
  g_assert_cmpstr (find_field (fields, "Signature hash algorithm")->value, ==, "sha256");
  g_assert_cmpstr (find_field (fields, "Issuer")->value, ==,
                   "CN = Certwiz Test Intermediate\nO = Certwiz Tests");
  g_assert_cmpstr (find_field (fields, "Subject")->value, ==,
                   "CN = www.example.com\nOU = IT\nO = Example Org\nL = München\nST = Bayern\nC = DE");
  g_assert_cmpstr (find_field (fields, "Public key")->value, ==, "RSA (2048 Bits)");
  g_assert_cmpstr (find_field (fields, "Public key parameters")->value, ==, "05 00");

  field = find_field (fields, "Subject Alternative Name");
  g_assert_false (field->critical);
  g_assert_cmpstr (field->value, ==,
                   "DNS Name=www.example.com\nDNS Name=*.example.net\nDNS Name=Mixed.Example.ORG\n"
                   "DNS Name=*.com\nDNS Name=w*.example.info\nIP Address=192.0.2.1\n"
                   "RFC822 Name=admin@example.com\nURL=https://example.com/");

  field = find_field (fields, "Key Usage");
  g_assert_true (field->critical);
  g_assert_cmpstr (field->value, ==, "Digital Signature, Key Encipherment (a0)");

  field = find_field (fields, "Enhanced Key Usage");
  g_assert_false (field->critical);
  g_assert_cmpstr (field->value, ==,
                   "Server Authentication (1.3.6.1.5.5.7.3.1)\n"
                   "Client Authentication (1.3.6.1.5.5.7.3.2)\n"
                   "Unknown Key Usage (1.2.3.4.5.6)");

  g_assert_cmpstr (find_field (fields, "Basic Constraints")->value, ==,
                   "Subject Type=End Entity\nPath Length Constraint=None");

  /* openssl prints "X509v3 Subject Key Identifier: \n    AB:CD:..." */
  ski = without_colons (strrchr (g_strstrip (ski_text), ' ') + 1);
  {
    g_autofree char *lower = g_ascii_strdown (ski, -1);
    g_assert_cmpstr (find_field (fields, "Subject Key Identifier")->value, ==, lower);
    g_assert_cmpstr (find_field (inter_fields, "Subject Key Identifier")->value, !=, lower);
  }
  /* The leaf's AKI is the intermediate's SKI */
  {
    g_autofree char *expected = g_strconcat ("KeyID=",
                                             find_field (inter_fields, "Subject Key Identifier")->value,
                                             NULL);
    g_assert_cmpstr (find_field (fields, "Authority Key Identifier")->value, ==, expected);
  }

  assert_contains (find_field (fields, "CRL Distribution Points")->value,
                   "URL=http://crl.example.com/inter.crl");
  field = find_field (fields, "Authority Information Access");
  assert_contains (field->value,
                   "Access Method=Certification Authority Issuer (1.3.6.1.5.5.7.48.2)");
  assert_contains (field->value, "URL=http://ca.example.com/inter.crt");
  assert_contains (field->value,
                   "Access Method=On-line Certificate Status Protocol (1.3.6.1.5.5.7.48.1)");
  assert_contains (field->value, "URL=http://ocsp.example.com/");
  field = find_field (fields, "Certificate Policies");
  assert_contains (field->value, "Policy Identifier=2.23.140.1.2.1");
  assert_contains (field->value, "Policy Identifier=1.3.6.1.4.1.99999.1");
  assert_contains (field->value, "https://example.com/cps");

  /* The intermediate: EC key, CA constraints, name constraints, no EKU */
  g_assert_cmpstr (find_field (inter_fields, "Public key")->value, ==, "ECC (256 Bits)");
  g_assert_cmpstr (find_field (inter_fields, "Public key parameters")->value, ==,
                   "06 08 2a 86 48 ce 3d 03 01 07\nP-256 (prime256v1)");
  field = find_field (inter_fields, "Basic Constraints");
  g_assert_true (field->critical);
  g_assert_cmpstr (field->value, ==, "Subject Type=CA\nPath Length Constraint=0");
  g_assert_cmpstr (find_field (inter_fields, "Key Usage")->value, ==,
                   "Certificate Signing, CRL Signing (06)");
  field = find_field (inter_fields, "Name Constraints");
  g_assert_true (field->critical);
  g_assert_cmpstr (field->value, ==,
                   "Permitted:\n     DNS Name=example.com\nExcluded:\n     DNS Name=bad.example.com");
  for (i = 0; i < inter_fields->len; i++)
    {
      field = g_ptr_array_index (inter_fields, i);
      g_assert_cmpstr (field->name, !=, "Enhanced Key Usage");
      g_assert_nonnull (field->value);
      g_assert_true (g_utf8_validate (field->value, -1, NULL));
    }
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_load_formats (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autofree char *der_path = g_build_filename (fx->dir, "leaf.der", NULL);
  g_autofree char *key_path = g_build_filename (fx->dir, "root.key", NULL);
  g_autofree char *leaf_text = read_text (fx->leaf_pem);
  g_autofree char *inter_text = read_text (fx->inter_pem);
  g_autofree char *root_text = read_text (fx->root_pem);
  g_autofree char *key_text = read_text (key_path);
  g_autofree char *bundle = NULL;
  g_autofree char *crlf = NULL;
  g_autofree char *bundle_path = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(CertreqCertificate) from_der = NULL;
  g_autoptr(CertreqCertificate) first = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) list2 = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("PEM, DER and CRLF bundles with other blocks and text load; to_pem round-trips");

  g_free (certwiz_test_openssl (NULL, 0, "x509", "-in", fx->leaf_pem, "-outform", "DER",
                                "-out", der_path, NULL));
  from_der = certreq_certificate_load (der_path, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_equal (from_der, fx->leaf));
  der = certreq_certificate_get_der (fx->leaf);
  {
    g_autofree char *der_text = NULL;
    gsize der_len = 0;

    g_file_get_contents (der_path, &der_text, &der_len, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (der, NULL), g_bytes_get_size (der), der_text, der_len);
  }

  pem = certreq_certificate_to_pem (fx->leaf);
  g_assert_cmpstr (pem, ==, leaf_text);

  /* A bundle as it arrives from Windows: CRLF, a text line, a key block in between */
  bundle = g_strconcat ("subject=CN=www.example.com\n", leaf_text, "\nsome notes\n", inter_text,
                        key_text, root_text, NULL);
  lines = g_strsplit (bundle, "\n", -1);
  crlf = g_strjoinv ("\r\n", lines);
  list = certreq_certificate_list_from_data (crlf, strlen (crlf), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_true (certreq_certificate_equal (g_ptr_array_index (list, 0), fx->leaf));
  g_assert_true (certreq_certificate_equal (g_ptr_array_index (list, 1), fx->inter));
  g_assert_true (certreq_certificate_equal (g_ptr_array_index (list, 2), fx->root));

  bundle_path = certwiz_test_write (fx->dir, "bundle.pem", crlf, strlen (crlf));
  list2 = certreq_certificate_list_load (bundle_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list2->len, ==, 3);
  first = certreq_certificate_load (bundle_path, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_equal (first, fx->leaf));
  g_clear_object (&first);

  first = certreq_certificate_new_from_pem (crlf, -1, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_equal (first, fx->leaf));
  g_assert_false (certreq_certificate_equal (first, fx->root));
}

static void
test_load_errors (Fixture       *fx,
                  gconstpointer  unused)
{
  g_autofree char *leaf_text = read_text (fx->leaf_pem);
  g_autofree char *key_path = g_build_filename (fx->dir, "root.key", NULL);
  g_autofree char *key_text = read_text (key_path);
  g_autofree char *missing = g_build_filename (fx->dir, "missing.pem", NULL);
  g_autofree char *damaged = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x30\x03\x02\x01", 4);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GString *cut;
  guint i;

  g_test_summary ("Damaged, empty, key-only and missing inputs are refused with the right code");

  cert = certreq_certificate_new_from_der (garbage, &error);
  g_assert_null (cert);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  list = certreq_certificate_list_from_data ("", 0, &error);
  g_assert_null (list);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  list = certreq_certificate_list_from_data (NULL, 0, &error);
  g_assert_null (list);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  list = certreq_certificate_list_from_data (key_text, strlen (key_text), &error);
  g_assert_null (list);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  /* Drop a line of base64 from the middle */
  lines = g_strsplit (leaf_text, "\n", -1);
  cut = g_string_new (NULL);
  for (i = 0; lines[i] != NULL; i++)
    if (i != 5)
      g_string_append_printf (cut, "%s\n", lines[i]);
  damaged = g_string_free (cut, FALSE);
  list = certreq_certificate_list_from_data (damaged, strlen (damaged), &error);
  g_assert_null (list);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  cert = certreq_certificate_load (missing, &error);
  g_assert_null (cert);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

  g_test_add ("/certreq/certificate/fingerprints", Fixture, NULL,
              fixture_setup, test_fingerprints, fixture_teardown);
  g_test_add ("/certreq/certificate/names-and-dates", Fixture, NULL,
              fixture_setup, test_names_and_dates, fixture_teardown);
  g_test_add ("/certreq/certificate/properties", Fixture, NULL,
              fixture_setup, test_properties, fixture_teardown);
  g_test_add ("/certreq/certificate/covers-name", Fixture, NULL,
              fixture_setup, test_covers_name, fixture_teardown);
  g_test_add_func ("/certreq/certificate/thumbprint-normalize", test_thumbprint_normalize);
  g_test_add ("/certreq/certificate/fields", Fixture, NULL,
              fixture_setup, test_fields, fixture_teardown);
  g_test_add ("/certreq/certificate/load-formats", Fixture, NULL,
              fixture_setup, test_load_formats, fixture_teardown);
  g_test_add ("/certreq/certificate/load-errors", Fixture, NULL,
              fixture_setup, test_load_errors, fixture_teardown);

  return g_test_run ();
}
