/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char               *dir;
  CertreqStore       *store;
  CertreqCaClient    *ca;
  CertreqCertificate *root;
} Fixture;

/* Every name the three standard usages need, plus the chosen SIP domain's */
static const char * const all_names[] = {
  "pool01.corp.example.com", "fe01.corp.example.com", "webint.corp.example.com",
  "webext.corp.example.com", "sip.example.org", NULL
};

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(GError) error = NULL;
  const char *sip[] = { "example.org", NULL };

  fx->dir = certwiz_test_mkdtemp ();
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);

  certreq_server_set_fqdn (server, "fe01.corp.example.com");
  certreq_server_set_pool_fqdn (server, "pool01.corp.example.com");
  certreq_server_set_web_internal_fqdn (server, "webint.corp.example.com");
  certreq_server_set_web_external_fqdn (server, "webext.corp.example.com");
  certreq_server_set_sip_domains (server, sip);
  certreq_store_save_server (fx->store, server, &error);
  g_assert_no_error (error);

  fx->ca = certreq_ca_local_new (fx->store);
  fx->root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (fx->ca), &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  g_clear_object (&fx->root);
  g_clear_object (&fx->ca);
  g_clear_object (&fx->store);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
}

static void
add_to_store (Fixture            *fx,
              CertreqCertificate *cert)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CertreqCertMeta meta = { 0 };

  g_ptr_array_add (chain, fx->root);
  meta.thumbprint = (char *) certreq_certificate_get_thumbprint (cert);
  meta.friendly_name = (char *) certreq_certificate_get_thumbprint (cert);
  meta.usages = CERTREQ_USAGE_FLAGS_STANDARD;
  meta.ca_id = (char *) "local";
  meta.added = g_date_time_new_now_utc ();
  certreq_store_add_certificate (fx->store, cert, chain, &meta, &error);
  g_date_time_unref (meta.added);
  g_assert_no_error (error);
}

/* A certificate from the lab CA for a new key; the key goes to the store when @save_key */
static CertreqCertificate *
issue (Fixture            *fx,
       const char * const *names,
       CertreqEku          eku,
       gboolean            save_key)
{
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;
  CertreqCertificate *cert;
  CertreqCsrSpec spec = { 0 };

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec.common_name = (char *) names[0];
  spec.organization = (char *) "Contoso";
  spec.dns_names = (char **) names;
  spec.eku = eku;
  csr = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);

  cert = certreq_ca_local_issue (CERTREQ_CA_LOCAL (fx->ca), csr, &error);
  g_assert_no_error (error);

  if (save_key)
    {
      certreq_store_save_key (fx->store, key, FALSE, &error);
      g_assert_no_error (error);
    }
  add_to_store (fx, cert);
  return cert;
}

static void
trust_root (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  certreq_store_trust_add (fx->store, fx->root, TRUE, &error);
  g_assert_no_error (error);
}

static char *
live_path (Fixture      *fx,
           CertreqUsage  usage,
           const char   *file)
{
  return g_build_filename (fx->dir, "live", certreq_usage_to_id (usage), file, NULL);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
link_target (Fixture      *fx,
             CertreqUsage  usage)
{
  g_autofree char *link = live_path (fx, usage, NULL);

  return g_file_read_link (link, NULL);
}

static CertreqUsageVerdict *
verdict_at (GPtrArray *verdicts,
            guint      i)
{
  return g_ptr_array_index (verdicts, i);
}

static void
test_refused_untrusted (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx, all_names,
                                              CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                              TRUE);
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *live = g_build_filename (fx->dir, "live", "default", NULL);
  guint i;

  g_test_summary ("While the lab root is not trusted every usage is refused with a reason "
                  "naming the root, and assign changes nothing");

  verdicts = certreq_assign_check (fx->store, cert, CERTREQ_USAGE_FLAGS_STANDARD, &chain,
                                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (chain);
  g_assert_cmpint (chain->status, !=, CERTREQ_CHAIN_TRUSTED);
  g_assert_cmpuint (verdicts->len, ==, 3);
  g_assert_cmpint (verdict_at (verdicts, 0)->usage, ==, CERTREQ_USAGE_DEFAULT);
  g_assert_cmpint (verdict_at (verdicts, 1)->usage, ==, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpint (verdict_at (verdicts, 2)->usage, ==, CERTREQ_USAGE_WEB_EXTERNAL);
  for (i = 0; i < verdicts->len; i++)
    {
      g_assert_cmpint (verdict_at (verdicts, i)->kind, ==, CERTREQ_VERDICT_REFUSED);
      g_assert_cmpstr (verdict_at (verdicts, i)->reason, ==, chain->message);
      g_assert_nonnull (strstr (verdict_at (verdicts, i)->reason, "Certwiz Lab Root CA"));
    }

  g_assert_false (certreq_assign (fx->store, cert, CERTREQ_USAGE_FLAGS_STANDARD, NULL, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_ASSIGNABLE);
  g_assert_nonnull (strstr (error->message, "Certwiz Lab Root CA"));
  g_assert_nonnull (strstr (error->message, certreq_usage_get_label (CERTREQ_USAGE_WEB_EXTERNAL)));
  g_assert_false (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_DEFAULT));
}

static void
check_live_set (Fixture            *fx,
                CertreqUsage        usage,
                CertreqCertificate *cert,
                const char         *expected_target)
{
  g_autofree char *target = link_target (fx, usage);
  g_autofree char *cert_path = live_path (fx, usage, "cert.pem");
  g_autofree char *chain_path = live_path (fx, usage, "chain.pem");
  g_autofree char *fullchain_path = live_path (fx, usage, "fullchain.pem");
  g_autofree char *key_path = live_path (fx, usage, "privkey.pem");
  g_autofree char *fingerprint = NULL;
  g_autofree char *expected_fingerprint = NULL;
  g_autofree char *cert_pub = NULL;
  g_autofree char *key_pub = NULL;
  g_autofree char *chain_text = NULL;
  g_autofree char *fullchain_text = NULL;
  g_autofree char *cert_text = NULL;
  g_autofree char *root_pem = certreq_certificate_to_pem (fx->root);
  g_autofree char *expected_fullchain = NULL;
  g_autofree char *verify = NULL;
  g_autofree char *assigned = NULL;
  g_autofree char *fp = NULL;
  GStatBuf st;

  g_assert_cmpstr (target, ==, expected_target);

  /* privkey.pem is 0600 and belongs to cert.pem */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  cert_pub = certwiz_test_openssl (NULL, 0, "x509", "-in", cert_path, "-noout", "-pubkey", NULL);
  key_pub = certwiz_test_openssl (NULL, 0, "pkey", "-in", key_path, "-pubout", NULL);
  g_assert_cmpstr (cert_pub, ==, key_pub);

  /* cert.pem is the certificate */
  fingerprint = certwiz_test_openssl (NULL, 0, "x509", "-in", cert_path, "-noout",
                                      "-fingerprint", "-sha1", NULL);
  fp = certreq_format_fingerprint (certreq_certificate_get_thumbprint (cert));
  expected_fingerprint = g_strdup_printf ("%s\n", fp);
  /* OpenSSL 3.0 says "sha1 Fingerprint=", later versions "SHA1 Fingerprint=" */
  g_assert_nonnull (strchr (fingerprint, '='));
  g_assert_cmpstr (strchr (fingerprint, '=') + 1, ==, expected_fingerprint);

  /* chain.pem is the issuers (here the root); fullchain.pem the leaf and intermediates */
  chain_text = read_text (chain_path);
  g_assert_cmpstr (chain_text, ==, root_pem);
  cert_text = read_text (cert_path);
  fullchain_text = read_text (fullchain_path);
  expected_fullchain = g_strdup (cert_text);
  g_assert_cmpstr (fullchain_text, ==, expected_fullchain);
  verify = certwiz_test_openssl (NULL, 0, "verify", "-CAfile", chain_path, cert_path, NULL);
  g_assert_nonnull (strstr (verify, ": OK"));

  assigned = certreq_store_get_assigned (fx->store, usage);
  g_assert_cmpstr (assigned, ==, certreq_certificate_get_thumbprint (cert));
}

static void
test_assign_three (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx, all_names,
                                              CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                              TRUE);
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *live_dir = NULL;
  guint i;

  g_test_summary ("After the root is trusted the three usages are assigned: each live/<usage> "
                  "points at a complete archive set with a matching 0600 key");

  trust_root (fx);
  verdicts = certreq_assign_check (fx->store, cert, CERTREQ_USAGE_FLAGS_STANDARD, NULL, &error);
  g_assert_no_error (error);
  for (i = 0; i < verdicts->len; i++)
    {
      g_assert_cmpint (verdict_at (verdicts, i)->kind, ==, CERTREQ_VERDICT_OK);
      g_assert_null (verdict_at (verdicts, i)->reason);
    }

  certreq_assign (fx->store, cert, CERTREQ_USAGE_FLAGS_STANDARD, NULL, &error);
  g_assert_no_error (error);

  check_live_set (fx, CERTREQ_USAGE_DEFAULT, cert, "../archive/default/1");
  check_live_set (fx, CERTREQ_USAGE_WEB_INTERNAL, cert, "../archive/web-internal/1");
  check_live_set (fx, CERTREQ_USAGE_WEB_EXTERNAL, cert, "../archive/web-external/1");
  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_OAUTH));

  live_dir = certreq_store_get_live_dir (fx->store, CERTREQ_USAGE_DEFAULT);
  g_assert_nonnull (live_dir);
  g_assert_nonnull (strstr (live_dir, "archive"));
}

static void
test_all_or_nothing (Fixture       *fx,
                     gconstpointer  unused)
{
  const char * const web_only[] = { "webint.corp.example.com", NULL };
  g_autoptr(CertreqCertificate) first = issue (fx, all_names,
                                               CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                               TRUE);
  g_autoptr(CertreqCertificate) partial = issue (fx, web_only,
                                                 CERTREQ_EKU_SERVER_AUTH |
                                                 CERTREQ_EKU_CLIENT_AUTH, TRUE);
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *second_set = g_build_filename (fx->dir, "archive", "web-internal", "2", NULL);
  g_autofree char *assigned = NULL;

  g_test_summary ("One refused usage refuses them all: nothing changes");

  trust_root (fx);
  certreq_assign (fx->store, first, CERTREQ_USAGE_FLAG_DEFAULT | CERTREQ_USAGE_FLAG_WEB_INTERNAL,
                  NULL, &error);
  g_assert_no_error (error);

  verdicts = certreq_assign_check (fx->store, partial,
                                   CERTREQ_USAGE_FLAG_DEFAULT | CERTREQ_USAGE_FLAG_WEB_INTERNAL,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verdict_at (verdicts, 0)->kind, ==, CERTREQ_VERDICT_REFUSED);
  g_assert_nonnull (strstr (verdict_at (verdicts, 0)->reason, "fe01.corp.example.com"));
  g_assert_nonnull (strstr (verdict_at (verdicts, 0)->reason, "pool01.corp.example.com"));
  g_assert_cmpint (verdict_at (verdicts, 1)->kind, ==, CERTREQ_VERDICT_OK);

  g_assert_false (certreq_assign (fx->store, partial,
                                  CERTREQ_USAGE_FLAG_DEFAULT | CERTREQ_USAGE_FLAG_WEB_INTERNAL,
                                  NULL, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_ASSIGNABLE);
  g_assert_nonnull (strstr (error->message, "fe01.corp.example.com"));

  /* web-internal, which alone would have passed, was not touched either */
  target = link_target (fx, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (target, ==, "../archive/web-internal/1");
  g_assert_false (g_file_test (second_set, G_FILE_TEST_EXISTS));
  assigned = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (assigned, ==, certreq_certificate_get_thumbprint (first));
}

static void
test_reload_and_rollback (Fixture       *fx,
                          gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) first = issue (fx, all_names,
                                               CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                               TRUE);
  g_autoptr(CertreqCertificate) second = issue (fx, all_names,
                                                CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                                TRUE);
  g_autofree char *marker = g_build_filename (fx->dir, "reloaded-default", NULL);
  g_autofree char *web_marker = g_build_filename (fx->dir, "reloaded-web", NULL);
  g_autofree char *second_default = g_build_filename (fx->dir, "archive", "default", "2", NULL);
  g_autofree char *target = NULL;
  g_autofree char *assigned = NULL;
  g_autoptr(GError) error = NULL;
  const char *touch_default[] = { "touch", marker, NULL };
  const char *touch_web[] = { "touch", web_marker, NULL };
  const char *fail[] = { "sh", "-c", "echo 'nginx: configuration broken' >&2; exit 3", NULL };
  CertreqUsageFlags both = CERTREQ_USAGE_FLAG_DEFAULT | CERTREQ_USAGE_FLAG_WEB_INTERNAL;

  g_test_summary ("The reload command runs as argv; a failing one rolls every switched usage "
                  "back to its previous set and reports the command's error output");

  trust_root (fx);
  certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_DEFAULT, touch_default, &error);
  g_assert_no_error (error);
  certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_WEB_INTERNAL, touch_web, &error);
  g_assert_no_error (error);

  certreq_assign (fx->store, first, both, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (web_marker, G_FILE_TEST_EXISTS));

  /* default is switched first, then web-internal's reload fails: both go back */
  g_unlink (marker);
  certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_WEB_INTERNAL, fail, &error);
  g_assert_no_error (error);
  g_assert_false (certreq_assign (fx->store, second, both, NULL, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY);
  g_assert_nonnull (strstr (error->message, "nginx: configuration broken"));
  g_clear_error (&error);

  target = link_target (fx, CERTREQ_USAGE_DEFAULT);
  g_assert_cmpstr (target, ==, "../archive/default/1");
  g_free (target);
  target = link_target (fx, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (target, ==, "../archive/web-internal/1");
  assigned = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_DEFAULT);
  g_assert_cmpstr (assigned, ==, certreq_certificate_get_thumbprint (first));
  g_free (assigned);
  assigned = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (assigned, ==, certreq_certificate_get_thumbprint (first));
  check_live_set (fx, CERTREQ_USAGE_DEFAULT, first, "../archive/default/1");
  /* The restored default set was reloaded again; the failed new set is gone */
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (second_default, G_FILE_TEST_EXISTS));

  /* `false` fails without output: the exit status is reported */
  {
    const char *plain_false[] = { "false", NULL };

    certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_WEB_INTERNAL, plain_false, &error);
    g_assert_no_error (error);
    g_assert_false (certreq_assign (fx->store, second, both, NULL, &error));
    g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY);
    g_free (target);
    target = link_target (fx, CERTREQ_USAGE_WEB_INTERNAL);
    g_assert_cmpstr (target, ==, "../archive/web-internal/1");
  }
}

static void
test_first_assignment_rolled_back (Fixture       *fx,
                                   gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx, all_names,
                                              CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                              TRUE);
  g_autofree char *live = g_build_filename (fx->dir, "live", "web-external", NULL);
  g_autoptr(GError) error = NULL;
  const char *fail[] = { "false", NULL };

  g_test_summary ("A usage that had no certificate is unassigned again when the reload fails");

  trust_root (fx);
  certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_WEB_EXTERNAL, fail, &error);
  g_assert_no_error (error);
  g_assert_false (certreq_assign (fx->store, cert, CERTREQ_USAGE_FLAGS_STANDARD, NULL, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY);

  g_assert_false (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_DEFAULT));
  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_EXTERNAL));
}

/* A certificate signed by the lab CA's key with the openssl command line, with
 * exactly the extensions in @extensions */
static CertreqCertificate *
openssl_signed (Fixture    *fx,
                const char *extensions)
{
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csr_pem = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *ext_path = NULL;
  g_autofree char *root_path = NULL;
  g_autofree char *root_pem = certreq_certificate_to_pem (fx->root);
  g_autofree char *ca_key = g_build_filename (fx->dir, "local-ca", "ca.key", NULL);
  g_autofree char *pem = NULL;
  CertreqCertificate *cert;
  CertreqCsrSpec spec = { 0 };

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec.common_name = (char *) all_names[0];
  spec.dns_names = (char **) all_names;
  spec.eku = CERTREQ_EKU_SERVER_AUTH;
  csr = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);
  csr_pem = certreq_csr_der_to_pem (csr);

  csr_path = certwiz_test_write (fx->dir, "leaf.csr", csr_pem, strlen (csr_pem));
  ext_path = certwiz_test_write (fx->dir, "leaf.ext", extensions, strlen (extensions));
  root_path = certwiz_test_write (fx->dir, "root.pem", root_pem, strlen (root_pem));
  pem = certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", csr_path, "-CA", root_path,
                              "-CAkey", ca_key, "-set_serial", "4711", "-days", "30",
                              "-sha256", "-extfile", ext_path, NULL);
  cert = certreq_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);

  certreq_store_save_key (fx->store, key, FALSE, &error);
  g_assert_no_error (error);
  add_to_store (fx, cert);
  return cert;
}

static void
test_eku_warning (Fixture       *fx,
                  gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqCertificate) client_only = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  guint i;

  g_test_summary ("Without clientAuth the default usage gets a warning, not a refusal; "
                  "without serverAuth every usage is refused");

  trust_root (fx);
  cert = openssl_signed (fx, "basicConstraints=CA:FALSE\n"
                             "keyUsage=critical,digitalSignature\n"
                             "extendedKeyUsage=serverAuth\n"
                             "subjectAltName=DNS:pool01.corp.example.com,"
                             "DNS:fe01.corp.example.com,DNS:webint.corp.example.com,"
                             "DNS:webext.corp.example.com\n");
  g_assert_false (certreq_certificate_has_eku (cert, CERTREQ_EKU_CLIENT_AUTH));

  verdicts = certreq_assign_check (fx->store, cert, CERTREQ_USAGE_FLAGS_STANDARD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verdict_at (verdicts, 0)->kind, ==, CERTREQ_VERDICT_WARNING);
  g_assert_nonnull (strstr (verdict_at (verdicts, 0)->reason,
                            "peers that demand client authentication will refuse MTLS "
                            "connections"));
  g_assert_cmpint (verdict_at (verdicts, 1)->kind, ==, CERTREQ_VERDICT_OK);
  g_assert_cmpint (verdict_at (verdicts, 2)->kind, ==, CERTREQ_VERDICT_OK);

  /* A warning does not stop the assignment */
  certreq_assign (fx->store, cert, CERTREQ_USAGE_FLAGS_STANDARD, NULL, &error);
  g_assert_no_error (error);
  target = link_target (fx, CERTREQ_USAGE_DEFAULT);
  g_assert_cmpstr (target, ==, "../archive/default/1");

  client_only = openssl_signed (fx, "basicConstraints=CA:FALSE\n"
                                    "extendedKeyUsage=clientAuth\n"
                                    "subjectAltName=DNS:pool01.corp.example.com,"
                                    "DNS:fe01.corp.example.com,DNS:webint.corp.example.com,"
                                    "DNS:webext.corp.example.com\n");
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  verdicts = certreq_assign_check (fx->store, client_only, CERTREQ_USAGE_FLAGS_STANDARD, NULL,
                                   &error);
  g_assert_no_error (error);
  for (i = 0; i < verdicts->len; i++)
    {
      g_assert_cmpint (verdict_at (verdicts, i)->kind, ==, CERTREQ_VERDICT_REFUSED);
      g_assert_nonnull (verdict_at (verdicts, i)->reason);
    }
}

static void
test_key_missing_first (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx, all_names, CERTREQ_EKU_SERVER_AUTH, FALSE);
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("The first check is the private key: without it in the store, that is "
                  "the reason (even with an untrusted root)");

  verdicts = certreq_assign_check (fx->store, cert, CERTREQ_USAGE_FLAG_WEB_EXTERNAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (verdicts->len, ==, 1);
  g_assert_cmpint (verdict_at (verdicts, 0)->kind, ==, CERTREQ_VERDICT_REFUSED);
  g_assert_nonnull (strstr (verdict_at (verdicts, 0)->reason, "private key"));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (Fixture       *fx,
            gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx, all_names,
                                              CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                              TRUE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;

  g_test_summary ("assign_async deploys in a worker and reports in the main context");

  trust_root (fx);
  certreq_assign_async (fx->store, cert, CERTREQ_USAGE_FLAG_WEB_EXTERNAL, NULL,
                        store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (certreq_assign_finish (result, &error));
  g_assert_no_error (error);

  target = link_target (fx, CERTREQ_USAGE_WEB_EXTERNAL);
  g_assert_cmpstr (target, ==, "../archive/web-external/1");
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/certreq/assign/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("refused-untrusted", test_refused_untrusted);
  ADD ("assign-three", test_assign_three);
  ADD ("all-or-nothing", test_all_or_nothing);
  ADD ("reload-and-rollback", test_reload_and_rollback);
  ADD ("first-assignment-rolled-back", test_first_assignment_rolled_back);
  ADD ("eku-warning", test_eku_warning);
  ADD ("key-missing-first", test_key_missing_first);
  ADD ("async", test_async);
#undef ADD

  return g_test_run ();
}
