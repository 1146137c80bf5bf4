/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char            *dir;
  CertreqStore    *store;
  CertreqCaClient *ca;
} Fixture;

static void
save_profile (CertreqStore *store)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(GError) error = NULL;
  const char *sip[] = { "example.org", NULL };

  certreq_server_set_fqdn (server, "fe01.corp.example.com");
  certreq_server_set_pool_fqdn (server, "pool01.corp.example.com");
  certreq_server_set_web_internal_fqdn (server, "webint.corp.example.com");
  certreq_server_set_web_external_fqdn (server, "webext.example.net");
  certreq_server_set_sip_domains (server, sip);
  certreq_store_save_server (store, server, &error);
  g_assert_no_error (error);
}

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);
  save_profile (fx->store);
  fx->ca = certreq_ca_client_new_for_id (fx->store, "local", &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  g_clear_object (&fx->ca);
  g_clear_object (&fx->store);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
}

/* A PKCS#10 request made by the openssl command line, so the CA is tested against
 * requests it did not build itself. @key_alg: "ec" or "rsa" */
static GBytes *
openssl_csr (const char *dir,
             const char *key_alg,
             const char *cn,
             const char *san,
             const char *eku)
{
  g_autofree char *key_path = g_build_filename (dir, "leaf.key", NULL);
  g_autofree char *csr_path = g_build_filename (dir, "leaf.csr", NULL);
  g_autofree char *subj = g_strdup_printf ("/O=Contoso/CN=%s", cn);
  g_autofree char *san_ext = g_strdup_printf ("subjectAltName=%s", san);
  g_autofree char *eku_ext = g_strdup_printf ("extendedKeyUsage=%s", eku);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  if (g_str_equal (key_alg, "ec"))
    out = certwiz_test_openssl (NULL, 0, "req", "-new", "-newkey", "ec", "-pkeyopt",
                                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key_path,
                                "-subj", subj, "-addext", san_ext, "-addext", eku_ext,
                                "-outform", "DER", "-out", csr_path, NULL);
  else
    out = certwiz_test_openssl (NULL, 0, "req", "-new", "-newkey", "rsa:2048",
                                "-nodes", "-keyout", key_path,
                                "-subj", subj, "-addext", san_ext, "-addext", eku_ext,
                                "-outform", "DER", "-out", csr_path, NULL);

  g_file_get_contents (csr_path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

static char *
write_pem (const char         *dir,
           const char         *name,
           CertreqCertificate *cert)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);

  return certwiz_test_write (dir, name, pem, strlen (pem));
}

static char *
x509_text (const char *path)
{
  return certwiz_test_openssl (NULL, 0, "x509", "-in", path, "-noout", "-text", NULL);
}

static void
test_new_for_id (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) other = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("\"local\" is the lab CA; an unknown id is NOT_FOUND with a sentence");
  g_assert_true (CERTREQ_IS_CA_LOCAL (fx->ca));
  g_assert_cmpstr (certreq_ca_client_get_id (fx->ca), ==, "local");
  g_assert_nonnull (certreq_ca_client_get_name (fx->ca));
  g_assert_true (certreq_ca_client_get_store (fx->ca) == fx->store);

  other = certreq_ca_client_new_for_id (fx->store, "acme-nowhere", &error);
  g_assert_null (other);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "acme-nowhere"));
}

static void
test_stage_labels (void)
{
  guint i, j;

  g_test_summary ("Every stage has its own label");
  g_assert_cmpstr (certreq_submit_stage_get_label (CERTREQ_SUBMIT_STAGE_GENERATING_KEY), ==,
                   "Generating the private key");
  g_assert_cmpstr (certreq_submit_stage_get_label (CERTREQ_SUBMIT_STAGE_STORING), ==,
                   "Storing the certificate");
  for (i = 0; i < CERTREQ_N_SUBMIT_STAGES; i++)
    for (j = i + 1; j < CERTREQ_N_SUBMIT_STAGES; j++)
      g_assert_cmpstr (certreq_submit_stage_get_label (i), !=,
                       certreq_submit_stage_get_label (j));
}

static void
test_stage_ids (void)
{
  CertreqSubmitStage stage;
  guint i;

  g_test_summary ("Every stage has a stable id that maps back to it");
  g_assert_cmpstr (certreq_submit_stage_to_id (CERTREQ_SUBMIT_STAGE_GENERATING_KEY), ==,
                   "generating-key");
  g_assert_cmpstr (certreq_submit_stage_to_id (CERTREQ_SUBMIT_STAGE_PROVING_CONTROL), ==,
                   "proving-control");
  for (i = 0; i < CERTREQ_N_SUBMIT_STAGES; i++)
    {
      g_assert_true (certreq_submit_stage_from_id (certreq_submit_stage_to_id (i), &stage));
      g_assert_cmpuint (stage, ==, i);
    }
  g_assert_false (certreq_submit_stage_from_id ("Generating-Key", &stage));
  g_assert_false (certreq_submit_stage_from_id ("", &stage));
  g_assert_false (certreq_submit_stage_from_id (NULL, &stage));
}

static void
test_nothing_before_use (Fixture       *fx,
                         gconstpointer  unused)
{
  g_autofree char *key_path = g_build_filename (fx->dir, "local-ca", "ca.key", NULL);
  g_autofree char *cert_path = g_build_filename (fx->dir, "local-ca", "ca.pem", NULL);

  g_test_summary ("No CA key or root is created until the CA is first used");
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (cert_path, G_FILE_TEST_EXISTS));
}

static void
test_root (Fixture       *fx,
           gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ca_dir = g_build_filename (fx->dir, "local-ca", NULL);
  g_autofree char *key_path = g_build_filename (ca_dir, "ca.key", NULL);
  g_autofree char *key_text = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  GStatBuf st;

  g_test_summary ("The root: P-256, pathlen:0, keyCertSign|cRLSign, name constraints "
                  "permitting only the profile's domains, ten years; files 0700/0600");

  root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (fx->ca), &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);

  root_path = write_pem (fx->dir, "root.pem", root);
  text = x509_text (root_path);

  g_assert_nonnull (strstr (text, "Subject: O = Certwiz lab CA, "
                                  "CN = Certwiz Lab Root CA (fe01.corp.example.com)"));
  g_assert_nonnull (strstr (text, "Issuer: O = Certwiz lab CA, "
                                  "CN = Certwiz Lab Root CA (fe01.corp.example.com)"));
  g_assert_nonnull (strstr (text, "NIST CURVE: P-256"));
  g_assert_nonnull (strstr (text, "ecdsa-with-SHA256"));
  g_assert_nonnull (strstr (text, "X509v3 Basic Constraints: critical\n"
                                  "                CA:TRUE, pathlen:0"));
  g_assert_nonnull (strstr (text, "X509v3 Key Usage: critical\n"
                                  "                Certificate Sign, CRL Sign"));
  g_assert_nonnull (strstr (text, "X509v3 Subject Key Identifier"));
  g_assert_nonnull (strstr (text, "X509v3 Name Constraints: critical"));
  g_assert_nonnull (strstr (text, "Permitted:"));
  /* The parent domain of each profile host, and the SIP domain */
  g_assert_nonnull (strstr (text, "DNS:corp.example.com\n"));
  g_assert_nonnull (strstr (text, "DNS:example.net\n"));
  g_assert_nonnull (strstr (text, "DNS:example.org\n"));
  /* Nothing wider: not the whole example.com, not a top-level domain */
  g_assert_null (strstr (text, "DNS:example.com\n"));
  g_assert_null (strstr (text, "DNS:com\n"));
  g_assert_null (strstr (text, "DNS:net\n"));
  g_assert_null (strstr (text, "Excluded:"));

  not_before = certreq_certificate_get_not_before (root);
  not_after = certreq_certificate_get_not_after (root);
  g_assert_cmpint (g_date_time_difference (not_after, not_before) / G_TIME_SPAN_DAY, >=,
                   3652);
  g_assert_cmpint (g_date_time_difference (not_after, not_before) / G_TIME_SPAN_DAY, <=,
                   3653);

  /* The root is self-signed and valid as a CA in openssl's eyes */
  g_free (text);
  text = certwiz_test_openssl (NULL, 0, "verify", "-CAfile", root_path, root_path, NULL);
  g_assert_nonnull (strstr (text, ": OK"));

  g_assert_cmpint (g_stat (ca_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The key on disk is the root's key */
  key_text = certwiz_test_openssl (NULL, 0, "pkey", "-in", key_path, "-pubout", NULL);
  g_free (text);
  text = certwiz_test_openssl (NULL, 0, "x509", "-in", root_path, "-noout", "-pubkey", NULL);
  g_assert_cmpstr (key_text, ==, text);
}

static void
test_root_reused (Fixture       *fx,
                  gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) first = NULL;
  g_autoptr(CertreqCertificate) second = NULL;
  g_autoptr(CertreqCertificate) third = NULL;
  g_autoptr(CertreqStore) store2 = NULL;
  g_autoptr(CertreqCaClient) ca2 = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqCertificate) leaf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *subject = NULL;

  g_test_summary ("The root is created once and reused, also by another store object");

  first = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (fx->ca), &error);
  g_assert_no_error (error);
  second = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (fx->ca), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_certificate_get_thumbprint (first), ==,
                   certreq_certificate_get_thumbprint (second));

  store2 = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);
  ca2 = certreq_ca_local_new (store2);
  third = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (ca2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_certificate_get_thumbprint (first), ==,
                   certreq_certificate_get_thumbprint (third));

  /* Issuing uses the same root */
  csr = openssl_csr (fx->dir, "ec", "fe01.corp.example.com", "DNS:fe01.corp.example.com",
                     "serverAuth");
  leaf = certreq_ca_local_issue (CERTREQ_CA_LOCAL (ca2), csr, &error);
  g_assert_no_error (error);
  issuer = certreq_certificate_get_issuer (leaf);
  subject = certreq_certificate_get_subject (first);
  g_assert_cmpstr (issuer, ==, subject);
}

static void
check_issued (Fixture    *fx,
              const char *key_alg,
              const char *eku_request,
              const char *eku_text,
              const char *key_usage_text)
{
  g_autoptr(CertreqCertificate) root = NULL;
  g_autoptr(CertreqCertificate) leaf = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *root_path = NULL;
  g_autofree char *leaf_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *verify = NULL;
  g_autofree char *csr_pub = NULL;
  g_autofree char *leaf_pub = NULL;
  g_autofree char *key_path = g_build_filename (fx->dir, "leaf.key", NULL);
  GTimeSpan lifetime;

  csr = openssl_csr (fx->dir, key_alg, "fe01.corp.example.com",
                     "DNS:fe01.corp.example.com,DNS:pool01.corp.example.com,"
                     "DNS:webext.example.net,DNS:sip.example.org,DNS:*.corp.example.com",
                     eku_request);
  leaf = certreq_ca_local_issue (CERTREQ_CA_LOCAL (fx->ca), csr, &error);
  g_assert_no_error (error);
  g_assert_nonnull (leaf);
  root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (fx->ca), &error);
  g_assert_no_error (error);

  root_path = write_pem (fx->dir, "root.pem", root);
  leaf_path = write_pem (fx->dir, "leaf.pem", leaf);

  /* openssl checks the signature, pathlen, name constraints and the TLS server purpose */
  verify = certwiz_test_openssl (NULL, 0, "verify", "-CAfile", root_path,
                                 "-purpose", "sslserver", leaf_path, NULL);
  g_assert_nonnull (strstr (verify, "leaf.pem: OK"));

  text = x509_text (leaf_path);
  g_assert_nonnull (strstr (text, "Subject: O = Contoso, CN = fe01.corp.example.com"));
  g_assert_nonnull (strstr (text, "Issuer: O = Certwiz lab CA, "
                                  "CN = Certwiz Lab Root CA (fe01.corp.example.com)"));
  g_assert_nonnull (strstr (text, "DNS:fe01.corp.example.com, DNS:pool01.corp.example.com, "
                                  "DNS:webext.example.net, DNS:sip.example.org, "
                                  "DNS:*.corp.example.com"));
  g_assert_nonnull (strstr (text, eku_text));
  g_assert_nonnull (strstr (text, key_usage_text));
  g_assert_nonnull (strstr (text, "X509v3 Basic Constraints: critical\n"
                                  "                CA:FALSE"));
  g_assert_nonnull (strstr (text, "X509v3 Subject Key Identifier"));
  g_assert_nonnull (strstr (text, "X509v3 Authority Key Identifier"));
  g_assert_nonnull (strstr (text, "Signature Algorithm: ecdsa-with-SHA256"));

  /* The certificate is for the request's key */
  csr_pub = certwiz_test_openssl (NULL, 0, "pkey", "-in", key_path, "-pubout", NULL);
  leaf_pub = certwiz_test_openssl (NULL, 0, "x509", "-in", leaf_path, "-noout", "-pubkey", NULL);
  g_assert_cmpstr (csr_pub, ==, leaf_pub);

  /* 397 days from five minutes ago */
  not_before = certreq_certificate_get_not_before (leaf);
  not_after = certreq_certificate_get_not_after (leaf);
  lifetime = g_date_time_difference (not_after, not_before);
  g_assert_cmpint (lifetime, ==, 397 * G_TIME_SPAN_DAY + 5 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (now, not_before), >=, 4 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (now, not_before), <=, 6 * G_TIME_SPAN_MINUTE);
}

static void
test_issue_ec_both_ekus (Fixture       *fx,
                         gconstpointer  unused)
{
  g_test_summary ("An EC request with serverAuth and clientAuth verifies with openssl "
                  "and carries exactly what was requested");
  check_issued (fx, "ec", "serverAuth,clientAuth",
                "X509v3 Extended Key Usage: \n"
                "                TLS Web Server Authentication, TLS Web Client Authentication\n",
                "X509v3 Key Usage: critical\n"
                "                Digital Signature\n");
}

static void
test_issue_rsa_server_only (Fixture       *fx,
                            gconstpointer  unused)
{
  g_test_summary ("An RSA request with serverAuth only gets serverAuth only and "
                  "keyEncipherment");
  check_issued (fx, "rsa", "serverAuth",
                "X509v3 Extended Key Usage: \n"
                "                TLS Web Server Authentication\n",
                "X509v3 Key Usage: critical\n"
                "                Digital Signature, Key Encipherment\n");
}

static void
test_issue_core_csr (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqCertificate) leaf = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  char *dns[] = { "webint.corp.example.com", "sip.example.org", NULL };
  CertreqCsrSpec spec = { 0 };

  g_test_summary ("A request made by certreq-csr is issued with its names and EKUs");

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec.common_name = (char *) "webint.corp.example.com";
  spec.dns_names = dns;
  spec.eku = CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH;
  csr = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);

  leaf = certreq_ca_local_issue (CERTREQ_CA_LOCAL (fx->ca), csr, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_matches_key (leaf, key));
  g_assert_true (certreq_certificate_has_eku (leaf, CERTREQ_EKU_SERVER_AUTH |
                                                    CERTREQ_EKU_CLIENT_AUTH));
  names = certreq_certificate_get_dns_names (leaf);
  g_assert_cmpstrv (names, dns);
}

static void
test_refuses_outside_names (Fixture       *fx,
                            gconstpointer  unused)
{
  static const struct
  {
    const char *cn;
    const char *san;
    const char *refused;
  } cases[] = {
    { "fe01.corp.example.com", "DNS:fe01.corp.example.com,DNS:www.contoso.com", "www.contoso.com" },
    /* a sibling of the permitted subtree, not inside it */
    { "fe01.corp.example.com", "DNS:mail.example.com", "mail.example.com" },
    /* a suffix match that is not a subdomain */
    { "fe01.corp.example.com", "DNS:badcorp.example.com", "badcorp.example.com" },
    { "fe01.corp.example.com", "DNS:*.example.com", "*.example.com" },
    /* the CN counts too, as openssl's verifier checks it */
    { "www.contoso.com", "DNS:fe01.corp.example.com", "www.contoso.com" },
  };
  guint i;

  g_test_summary ("A name outside the root's name constraints is refused with CA_REJECTED "
                  "naming the name");

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) csr = openssl_csr (fx->dir, "ec", cases[i].cn, cases[i].san,
                                           "serverAuth");
      g_autoptr(CertreqCertificate) leaf = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", cases[i].refused);

      leaf = certreq_ca_local_issue (CERTREQ_CA_LOCAL (fx->ca), csr, &error);
      g_assert_null (leaf);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
      g_assert_nonnull (strstr (error->message, quoted));
    }
}

static void
test_refuses_bad_signature (Fixture       *fx,
                            gconstpointer  unused)
{
  g_autoptr(GBytes) csr = openssl_csr (fx->dir, "ec", "fe01.corp.example.com",
                                       "DNS:fe01.corp.example.com", "serverAuth");
  g_autoptr(GBytes) broken = NULL;
  g_autoptr(CertreqCertificate) leaf = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *data;
  gsize length;

  g_test_summary ("A request whose signature does not verify is refused");
  length = g_bytes_get_size (csr);
  data = g_memdup2 (g_bytes_get_data (csr, NULL), length);
  data[length - 3] ^= 0x55;   /* inside the signature */
  broken = g_bytes_new_take (data, length);

  leaf = certreq_ca_local_issue (CERTREQ_CA_LOCAL (fx->ca), broken, &error);
  g_assert_null (leaf);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
}

typedef struct
{
  GArray   *stages;
  GThread  *main_thread;
  gboolean  wrong_thread;
} ProgressLog;

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  ProgressLog *log = user_data;

  if (log->main_thread != NULL && g_thread_self () != log->main_thread)
    log->wrong_thread = TRUE;
  g_array_append_val (log->stages, stage);
  g_assert_true (fraction == -1 || (fraction >= 0.0 && fraction <= 1.0));
}

static void
test_submit_sync (Fixture       *fx,
                  gconstpointer  unused)
{
  g_autoptr(GBytes) csr = openssl_csr (fx->dir, "ec", "fe01.corp.example.com",
                                       "DNS:fe01.corp.example.com", "serverAuth");
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqSubmitResult) copy = NULL;
  g_autoptr(CertreqCertificate) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf_path = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *expected_serial = NULL;
  ProgressLog log = { g_array_new (FALSE, FALSE, sizeof (CertreqSubmitStage)), NULL, FALSE };

  g_test_summary ("submit: CONNECTING, SUBMITTING, DOWNLOADING; ISSUED with the root as "
                  "chain and the serial as request id");

  result = certreq_ca_client_submit (fx->ca, csr, CERTREQ_DEFAULT_TEMPLATE, on_progress, &log,
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_cmpstr (result->ca_id, ==, "local");
  g_assert_cmpstr (result->ca_name, ==, certreq_ca_client_get_name (fx->ca));
  g_assert_nonnull (result->certificate);
  g_assert_nonnull (result->chain);
  g_assert_cmpuint (result->chain->len, ==, 1);
  root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (fx->ca), &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_equal (g_ptr_array_index (result->chain, 0), root));

  leaf_path = write_pem (fx->dir, "leaf.pem", result->certificate);
  serial = certwiz_test_openssl (NULL, 0, "x509", "-in", leaf_path, "-noout", "-serial", NULL);
  expected_serial = g_strdup_printf ("serial=%s\n", result->request_id);
  g_assert_cmpstr (serial, ==, expected_serial);
  /* 128 bits, positive */
  g_assert_cmpuint (strlen (result->request_id), ==, 32);
  g_assert_true (g_ascii_xdigit_value (result->request_id[0]) < 8);

  g_assert_cmpuint (log.stages->len, ==, 3);
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, 0), ==,
                   CERTREQ_SUBMIT_STAGE_CONNECTING);
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, 1), ==,
                   CERTREQ_SUBMIT_STAGE_SUBMITTING);
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, 2), ==,
                   CERTREQ_SUBMIT_STAGE_DOWNLOADING);

  copy = certreq_submit_result_copy (result);
  g_assert_cmpstr (copy->request_id, ==, result->request_id);
  g_assert_true (copy->certificate == result->certificate);
  g_assert_cmpuint (copy->chain->len, ==, 1);

  g_array_unref (log.stages);
}

static void
test_submit_denied (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autoptr(GBytes) csr = openssl_csr (fx->dir, "ec", "fe01.corp.example.com",
                                       "DNS:fe01.corp.example.com,DNS:www.contoso.com",
                                       "serverAuth");
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("submit: a refused name is a DENIED answer with the reason, not an error");
  result = certreq_ca_client_submit (fx->ca, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_null (result->certificate);
  g_assert_nonnull (strstr (result->reason, "www.contoso.com"));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_submit_async (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(GBytes) csr = openssl_csr (fx->dir, "ec", "fe01.corp.example.com",
                                       "DNS:fe01.corp.example.com", "serverAuth");
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log = { g_array_new (FALSE, FALSE, sizeof (CertreqSubmitStage)),
                      g_thread_self (), FALSE };
  guint i;

  g_test_summary ("submit_async: progress in the main thread, in stage order; issued");

  certreq_ca_client_submit_async (fx->ca, csr, NULL, on_progress, &log, NULL,
                                  store_result, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);

  result = certreq_ca_client_submit_finish (fx->ca, async_result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_false (log.wrong_thread);
  /* Coalescing may drop reports, never reorder them */
  g_assert_cmpuint (log.stages->len, >=, 1);
  for (i = 1; i < log.stages->len; i++)
    g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, i - 1), <=,
                     g_array_index (log.stages, CertreqSubmitStage, i));

  g_array_unref (log.stages);
}

static void
test_submit_cancelled (Fixture       *fx,
                       gconstpointer  unused)
{
  g_autoptr(GBytes) csr = openssl_csr (fx->dir, "ec", "fe01.corp.example.com",
                                       "DNS:fe01.corp.example.com", "serverAuth");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sync_error = NULL;
  g_autofree char *root_path = g_build_filename (fx->dir, "local-ca", "ca.pem", NULL);

  g_test_summary ("A cancelled submission fails with G_IO_ERROR_CANCELLED, sync and async");

  g_cancellable_cancel (cancellable);
  result = certreq_ca_client_submit (fx->ca, csr, NULL, NULL, NULL, cancellable, &sync_error);
  g_assert_null (result);
  g_assert_error (sync_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  certreq_ca_client_submit_async (fx->ca, csr, NULL, NULL, NULL, cancellable,
                                  store_result, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = certreq_ca_client_submit_finish (fx->ca, async_result, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The CA never got going */
  g_assert_false (g_file_test (root_path, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/ca-local/stage-labels", test_stage_labels);
  g_test_add_func ("/certreq/ca-local/stage-ids", test_stage_ids);
#define ADD(path, fn) g_test_add ("/certreq/ca-local/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("new-for-id", test_new_for_id);
  ADD ("nothing-before-use", test_nothing_before_use);
  ADD ("root", test_root);
  ADD ("root-reused", test_root_reused);
  ADD ("issue-ec-both-ekus", test_issue_ec_both_ekus);
  ADD ("issue-rsa-server-only", test_issue_rsa_server_only);
  ADD ("issue-core-csr", test_issue_core_csr);
  ADD ("refuses-outside-names", test_refuses_outside_names);
  ADD ("refuses-bad-signature", test_refuses_bad_signature);
  ADD ("submit-sync", test_submit_sync);
  ADD ("submit-denied", test_submit_denied);
  ADD ("submit-async", test_submit_async);
  ADD ("submit-cancelled", test_submit_cancelled);
#undef ADD

  return g_test_run ();
}
