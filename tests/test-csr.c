/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  unused)
{
  fx->dir = certwiz_test_mkdtemp ();
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  unused)
{
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
assert_not_contains (const char *haystack,
                     const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” contains “%s”", haystack, needle);
}

/* `openssl req -verify` reports on stderr and exits 0 even when the signature
 * is bad (OpenSSL 3.0), so read what it says */
static char *
openssl_req_verify (const char *path,
                    const char *inform)
{
  const char *argv[] = { "openssl", "req", "-inform", inform, "-in", path, "-verify", "-noout",
                         NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static CertreqCsrSpec *
full_spec (void)
{
  static const char *const names[] = { "www.example.com", "sip.example.com", NULL };
  CertreqCsrSpec spec = {
    .common_name = (char *) "www.example.com",
    .organization = (char *) "Example Org",
    .organizational_unit = (char *) "IT",
    .country = (char *) "DE",
    .state = (char *) "Bayern",
    .locality = (char *) "München",
    .dns_names = (char **) names,
    .eku = CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
  };

  return certreq_csr_spec_copy (&spec);
}

static void
test_create (Fixture       *fx,
             gconstpointer  data)
{
  CertreqKeyType type = GPOINTER_TO_INT (data);
  gboolean rsa = type <= CERTREQ_KEY_TYPE_RSA_4096;
  g_autoptr(CertreqCsrSpec) spec = full_spec ();
  g_autoptr(CertreqCsrSpec) back = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *asn1 = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *pub_der_path = g_build_filename (fx->dir, "pub.der", NULL);
  g_autofree char *digest = NULL;
  g_autofree char *verify = NULL;

  g_test_summary ("A request verifies with openssl req -verify and shows subject, SAN, KU "
                  "and EKU; it parses back to the same spec");

  /* A pre-generated key: this tests the request, not key generation (test-key does) */
  key = certwiz_test_key (type);
  der = certreq_csr_create (spec, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (der);

  pem = certreq_csr_der_to_pem (der);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE REQUEST-----\n"));
  g_assert_true (g_str_has_suffix (pem, "-----END CERTIFICATE REQUEST-----\n"));
  path = certwiz_test_write (fx->dir, "req.pem", pem, strlen (pem));

  verify = openssl_req_verify (path, "PEM");
  assert_contains (verify, "self-signature verify OK");
  assert_not_contains (verify, "failure");

  text = certwiz_test_openssl (NULL, 0, "req", "-in", path, "-noout", "-text", NULL);
  assert_contains (text, "Version: 1 (0x0)");
  assert_contains (text, "X509v3 Subject Alternative Name: \n"
                         "                    DNS:www.example.com, DNS:sip.example.com\n");
  assert_contains (text, "X509v3 Extended Key Usage: \n"
                         "                    TLS Web Server Authentication, "
                         "TLS Web Client Authentication\n");
  if (rsa)
    {
      assert_contains (text, "X509v3 Key Usage: critical\n"
                             "                    Digital Signature, Key Encipherment\n");
      assert_contains (text, "Signature Algorithm: sha256WithRSAEncryption");
    }
  else
    {
      assert_contains (text, "X509v3 Key Usage: critical\n"
                             "                    Digital Signature\n");
      assert_contains (text, "Signature Algorithm: ecdsa-with-SHA256");
    }

  subject = certwiz_test_openssl (NULL, 0, "req", "-in", path, "-noout", "-subject",
                                  "-nameopt", "RFC2253", NULL);
  g_assert_cmpstr (subject, ==,
                   "subject=CN=www.example.com,OU=IT,O=Example Org,L=M\\C3\\BCnchen,ST=Bayern,C=DE\n");

  /* UTF8String for the text fields, PrintableString for the country (RFC 5280) */
  asn1 = certwiz_test_openssl (NULL, 0, "asn1parse", "-in", path, NULL);
  assert_contains (asn1, "PRINTABLESTRING   :DE\n");
  assert_contains (asn1, "UTF8STRING        :Bayern\n");
  assert_contains (asn1, "UTF8STRING        :www.example.com\n");
  assert_not_contains (asn1, "PRINTABLESTRING   :www.example.com");

  /* The request's key is the key: its id is the SHA-256 of openssl's public key DER */
  g_free (certwiz_test_openssl (NULL, 0, "req", "-in", path, "-pubkey", "-noout",
                                "-out", pub_der_path, NULL));
  {
    g_autofree char *pub_pem_path = g_build_filename (fx->dir, "pub.pem", NULL);
    g_autofree char *spki = g_build_filename (fx->dir, "spki.der", NULL);

    g_assert_true (g_rename (pub_der_path, pub_pem_path) == 0);
    g_free (certwiz_test_openssl (NULL, 0, "pkey", "-pubin", "-in", pub_pem_path,
                                  "-outform", "DER", "-out", spki, NULL));
    digest = certwiz_test_openssl (NULL, 0, "dgst", "-sha256", "-r", spki, NULL);
  }
  key_id = certreq_csr_get_key_id (der, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key_id, ==, certreq_key_get_id (key));
  g_assert_true (g_str_has_prefix (digest, key_id));

  back = certreq_csr_get_spec (der, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->common_name, ==, "www.example.com");
  g_assert_cmpstr (back->organization, ==, "Example Org");
  g_assert_cmpstr (back->organizational_unit, ==, "IT");
  g_assert_cmpstr (back->country, ==, "DE");
  g_assert_cmpstr (back->state, ==, "Bayern");
  g_assert_cmpstr (back->locality, ==, "München");
  g_assert_cmpstrv (back->dns_names, spec->dns_names);
  g_assert_cmpint (back->eku, ==, CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH);

  reparsed = certreq_csr_parse (pem, strlen (pem), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (reparsed, der));
}

static void
test_minimal (Fixture       *fx,
              gconstpointer  unused)
{
  CertreqCsrSpec spec = { .common_name = (char *) "web.example.com",
                          .eku = CERTREQ_EKU_SERVER_AUTH };
  g_autoptr(CertreqCsrSpec) back = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  g_test_summary ("Only a CN and serverAuth: no SAN, no empty subject fields, no clientAuth");

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P384, NULL, &error);
  g_assert_no_error (error);
  der = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);

  pem = certreq_csr_der_to_pem (der);
  path = certwiz_test_write (fx->dir, "req.pem", pem, strlen (pem));
  text = certwiz_test_openssl (NULL, 0, "req", "-in", path, "-noout", "-text", NULL);
  {
    g_autofree char *verify = openssl_req_verify (path, "PEM");

    assert_contains (verify, "self-signature verify OK");
  }
  assert_contains (text, "Subject: CN = web.example.com\n");
  assert_not_contains (text, "Subject Alternative Name");
  assert_contains (text, "TLS Web Server Authentication\n");
  assert_not_contains (text, "Client Authentication");

  back = certreq_csr_get_spec (der, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->common_name, ==, "web.example.com");
  g_assert_null (back->organization);
  g_assert_null (back->country);
  g_assert_nonnull (back->dns_names);
  g_assert_null (back->dns_names[0]);
  g_assert_cmpint (back->eku, ==, CERTREQ_EKU_SERVER_AUTH);
}

static void
test_parse_openssl (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autofree char *key_path = g_build_filename (fx->dir, "key.pem", NULL);
  g_autofree char *pem_path = g_build_filename (fx->dir, "req.pem", NULL);
  g_autofree char *der_path = g_build_filename (fx->dir, "req.der", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *der_data = NULL;
  g_autofree char *crlf = NULL;
  g_autoptr(GBytes) from_pem = NULL;
  g_autoptr(GBytes) from_der = NULL;
  g_autoptr(GBytes) from_crlf = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_id = NULL;
  g_auto(GStrv) lines = NULL;
  gsize der_len = 0;

  g_test_summary ("A request made by openssl parses from PEM, CRLF PEM and DER to the same spec");

  g_free (certwiz_test_openssl (NULL, 0, "req", "-new", "-newkey", "rsa:2048", "-nodes",
                                "-keyout", key_path, "-out", pem_path,
                                "-subj", "/C=AT/O=Other Org/CN=other.example.org",
                                "-addext", "subjectAltName=DNS:other.example.org,DNS:b.example.org",
                                "-addext", "extendedKeyUsage=clientAuth", NULL));
  g_free (certwiz_test_openssl (NULL, 0, "req", "-in", pem_path, "-outform", "DER",
                                "-out", der_path, NULL));

  g_file_get_contents (pem_path, &pem, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (der_path, &der_data, &der_len, &error);
  g_assert_no_error (error);

  from_pem = certreq_csr_parse (pem, strlen (pem), &error);
  g_assert_no_error (error);
  from_der = certreq_csr_parse (der_data, der_len, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (from_pem, from_der));
  lines = g_strsplit (pem, "\n", -1);
  crlf = g_strjoinv ("\r\n", lines);
  from_crlf = certreq_csr_parse (crlf, strlen (crlf), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (from_crlf, from_der));

  spec = certreq_csr_get_spec (from_der, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (spec->common_name, ==, "other.example.org");
  g_assert_cmpstr (spec->organization, ==, "Other Org");
  g_assert_cmpstr (spec->country, ==, "AT");
  g_assert_null (spec->locality);
  g_assert_cmpuint (g_strv_length (spec->dns_names), ==, 2);
  g_assert_cmpstr (spec->dns_names[1], ==, "b.example.org");
  g_assert_cmpint (spec->eku, ==, CERTREQ_EKU_CLIENT_AUTH);

  key = certreq_key_load (key_path, &error);
  g_assert_no_error (error);
  key_id = certreq_csr_get_key_id (from_der, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key_id, ==, certreq_key_get_id (key));
}

static void
test_refused (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(CertreqCsrSpec) spec = full_spec ();
  g_autoptr(CertreqCsrSpec) back = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *tampered_path = NULL;
  g_autofree char *verify = NULL;
  guint8 *bytes;
  gsize size;

  g_test_summary ("Empty CN, bad country, garbage and a tampered signature are refused");

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);

  g_clear_pointer (&spec->common_name, g_free);
  der = certreq_csr_create (spec, key, &error);
  g_assert_null (der);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  spec->common_name = g_strdup ("www.example.com");
  g_free (spec->country);
  spec->country = g_strdup ("DEU");
  der = certreq_csr_create (spec, key, &error);
  g_assert_null (der);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  out = certreq_csr_parse ("hello", 5, &error);
  g_assert_null (out);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  out = certreq_csr_parse ("", 0, &error);
  g_assert_null (out);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  g_free (spec->country);
  spec->country = g_strdup ("DE");
  der = certreq_csr_create (spec, key, &error);
  g_assert_no_error (error);

  /* Change one byte of the subject: the signature no longer matches */
  bytes = g_bytes_unref_to_data (g_bytes_ref (der), &size);
  {
    gsize i;
    gboolean found = FALSE;

    for (i = 0; i + 11 <= size && !found; i++)
      if (memcmp (bytes + i, "Example Org", 11) == 0)
        {
          bytes[i] = 'F';
          found = TRUE;
        }
    g_assert_true (found);
  }
  tampered = g_bytes_new_take (bytes, size);

  /* openssl sees the same: the way test_create checks requests can fail */
  tampered_path = certwiz_test_write (fx->dir, "tampered.der", g_bytes_get_data (tampered, NULL),
                                      size);
  verify = openssl_req_verify (tampered_path, "DER");
  assert_contains (verify, "verify failure");
  assert_not_contains (verify, "verify OK");

  out = certreq_csr_parse (g_bytes_get_data (tampered, NULL), size, &error);
  g_assert_null (out);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);
  back = certreq_csr_get_spec (tampered, &error);
  g_assert_null (back);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);
  key_id = certreq_csr_get_key_id (tampered, &error);
  g_assert_null (key_id);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
}

static void
test_spec_copy (void)
{
  g_autoptr(CertreqCsrSpec) spec = full_spec ();
  g_autoptr(CertreqCsrSpec) copy = certreq_csr_spec_copy (spec);

  g_test_summary ("A spec copy is deep");
  g_assert_true (copy->common_name != spec->common_name);
  g_assert_cmpstr (copy->locality, ==, "München");
  g_assert_true (copy->dns_names != spec->dns_names);
  g_assert_cmpstrv (copy->dns_names, spec->dns_names);
  g_assert_cmpint (copy->eku, ==, spec->eku);
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

  g_test_add ("/certreq/csr/create/rsa2048", Fixture, GINT_TO_POINTER (CERTREQ_KEY_TYPE_RSA_2048),
              fixture_setup, test_create, fixture_teardown);
  g_test_add ("/certreq/csr/create/p256", Fixture, GINT_TO_POINTER (CERTREQ_KEY_TYPE_EC_P256),
              fixture_setup, test_create, fixture_teardown);
  g_test_add ("/certreq/csr/create/p384", Fixture, GINT_TO_POINTER (CERTREQ_KEY_TYPE_EC_P384),
              fixture_setup, test_create, fixture_teardown);
  g_test_add ("/certreq/csr/minimal", Fixture, NULL,
              fixture_setup, test_minimal, fixture_teardown);
  g_test_add ("/certreq/csr/parse-openssl", Fixture, NULL,
              fixture_setup, test_parse_openssl, fixture_teardown);
  g_test_add ("/certreq/csr/refused", Fixture, NULL,
              fixture_setup, test_refused, fixture_teardown);
  g_test_add_func ("/certreq/csr/spec-copy", test_spec_copy);

  return g_test_run ();
}
