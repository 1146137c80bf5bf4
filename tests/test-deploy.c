/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certwiz-test-utils.h"
#include "certreq-private.h"

/* Deployment of a usage's set to targets outside the store (links into live/ or
 * journaled copies), the usage configuration in usages.ini, and unassignment */

typedef struct
{
  char               *dir;       /* the store */
  char               *targets;   /* outside the store */
  CertreqStore       *store;
  CertreqCaClient    *ca;
  CertreqCertificate *root;
} Fixture;

static const char * const all_names[] = {
  "pool01.corp.example.com", "fe01.corp.example.com", "webint.corp.example.com",
  "webext.corp.example.com", "sip.example.org", NULL
};

static const char * const set_files[] = { "cert.pem", "chain.pem", "fullchain.pem",
                                          "privkey.pem", NULL };

/* One store with a server profile and a trusted lab CA, made once: generating the
 * lab root for every case would dominate the run time (under ASan above all) */
static char *template_store;

static void
make_template (void)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaClient) ca = NULL;
  g_autoptr(CertreqCertificate) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *sip[] = { "example.org", NULL };

  template_store = certwiz_test_mkdtemp ();
  store = certreq_store_open (template_store, &error);
  g_assert_no_error (error);

  certreq_server_set_fqdn (server, "fe01.corp.example.com");
  certreq_server_set_pool_fqdn (server, "pool01.corp.example.com");
  certreq_server_set_web_internal_fqdn (server, "webint.corp.example.com");
  certreq_server_set_web_external_fqdn (server, "webext.corp.example.com");
  certreq_server_set_sip_domains (server, sip);
  certreq_store_save_server (store, server, &error);
  g_assert_no_error (error);

  ca = certreq_ca_local_new (store);
  root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (ca), &error);
  g_assert_no_error (error);
  certreq_store_trust_add (store, root, TRUE, &error);
  g_assert_no_error (error);
}

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autofree char *source = g_build_filename (template_store, ".", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  fx->targets = certwiz_test_mkdtemp ();
  {
    const char *argv[] = { "cp", "-a", "--", source, fx->dir, NULL };

    out = certwiz_test_run (argv);
  }
  fx->store = certreq_store_open (fx->dir, &error);
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
  certwiz_test_rmrf (fx->targets);
  g_free (fx->dir);
  g_free (fx->targets);
}

/* A certificate from the lab CA for a new key, with its key in the store */
static CertreqCertificate *
issue (Fixture *fx)
{
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  CertreqCertificate *cert;
  CertreqCsrSpec spec = { 0 };
  CertreqCertMeta meta = { 0 };

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec.common_name = (char *) all_names[0];
  spec.organization = (char *) "Contoso";
  spec.dns_names = (char **) all_names;
  spec.eku = CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH;
  csr = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);
  cert = certreq_ca_local_issue (CERTREQ_CA_LOCAL (fx->ca), csr, &error);
  g_assert_no_error (error);
  certreq_store_save_key (fx->store, key, FALSE, &error);
  g_assert_no_error (error);

  g_ptr_array_add (chain, fx->root);
  meta.thumbprint = (char *) certreq_certificate_get_thumbprint (cert);
  meta.friendly_name = (char *) certreq_certificate_get_thumbprint (cert);
  meta.usages = CERTREQ_USAGE_FLAGS_STANDARD;
  meta.added = g_date_time_new_now_utc ();
  certreq_store_add_certificate (fx->store, cert, chain, &meta, &error);
  g_date_time_unref (meta.added);
  g_assert_no_error (error);

  return cert;
}

static void
assign (Fixture            *fx,
        CertreqCertificate *cert,
        CertreqUsageFlags   usages)
{
  g_autoptr(GError) error = NULL;

  certreq_assign (fx->store, cert, usages, NULL, &error);
  g_assert_no_error (error);
}

static void
set_config (Fixture                  *fx,
            CertreqUsage              usage,
            const CertreqUsageConfig *config)
{
  g_autoptr(GError) error = NULL;

  certreq_store_set_usage_config (fx->store, usage, config, &error);
  g_assert_no_error (error);
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
archive_file (Fixture    *fx,
              const char *usage_id,
              const char *n,
              const char *file)
{
  return g_build_filename (fx->dir, "archive", usage_id, n, file, NULL);
}

/* The public key of a certificate file and of a key file, as openssl prints them */
static void
assert_key_matches (const char *cert_path,
                    const char *key_path)
{
  g_autofree char *from_cert = certwiz_test_openssl (NULL, 0, "x509", "-in", cert_path,
                                                     "-noout", "-pubkey", NULL);
  g_autofree char *from_key = certwiz_test_openssl (NULL, 0, "pkey", "-in", key_path,
                                                    "-pubout", NULL);

  g_assert_cmpstr (from_cert, ==, from_key);
}

static void
assert_cert_is (const char         *path,
                CertreqCertificate *cert)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);
  g_autofree char *text = read_text (path);

  g_assert_cmpstr (text, ==, pem);
}

/* Every file of @dir equals the set archive/<usage>/<n>/ and the key matches */
static void
assert_targets_are_set (Fixture    *fx,
                        const char *dir,
                        const char *usage_id,
                        const char *n)
{
  guint i;

  for (i = 0; set_files[i] != NULL; i++)
    {
      g_autofree char *target = g_build_filename (dir, set_files[i], NULL);
      g_autofree char *source = archive_file (fx, usage_id, n, set_files[i]);
      g_autofree char *a = read_text (target);
      g_autofree char *b = read_text (source);

      /* Not g_assert_cmpstr: the log never shows a private key, not even a test's */
      if (g_strcmp0 (a, b) != 0)
        g_error ("%s is not the same as %s", target, source);
    }

  {
    g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
    g_autofree char *key = g_build_filename (dir, "privkey.pem", NULL);

    assert_key_matches (cert, key);
  }
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *text = read_text (from);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (to, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_links_follow (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) first = issue (fx);
  g_autoptr(CertreqCertificate) second = issue (fx);
  g_autoptr(CertreqUsageConfig) config = certreq_usage_config_new ();
  g_autofree char *target_dir = g_build_filename (fx->targets, "web", NULL);
  guint i;

  g_test_summary ("Links mode: the target directory's files are links into live/<usage>/, "
                  "created by the first assignment, and they follow a second one");

  config->target_dir = g_strdup (target_dir);
  set_config (fx, CERTREQ_USAGE_WEB_INTERNAL, config);

  assign (fx, first, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  for (i = 0; set_files[i] != NULL; i++)
    {
      g_autofree char *target = g_build_filename (target_dir, set_files[i], NULL);
      g_autofree char *expected = g_build_filename (fx->dir, "live", "web-internal",
                                                    set_files[i], NULL);
      g_autofree char *link = g_file_read_link (target, NULL);

      g_assert_cmpstr (link, ==, expected);
    }
  assert_targets_are_set (fx, target_dir, "web-internal", "1");
  {
    g_autofree char *cert = g_build_filename (target_dir, "cert.pem", NULL);

    assert_cert_is (cert, first);
  }

  assign (fx, second, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  assert_targets_are_set (fx, target_dir, "web-internal", "2");
  {
    g_autofree char *cert = g_build_filename (target_dir, "cert.pem", NULL);

    assert_cert_is (cert, second);
  }
}

static void
test_copy_replaced (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) first = issue (fx);
  g_autoptr(CertreqCertificate) second = issue (fx);
  g_autoptr(CertreqUsageConfig) config = certreq_usage_config_new ();
  g_autofree char *cert_path = g_build_filename (fx->targets, "ssl", "certs", "web.pem", NULL);
  g_autofree char *key_path = g_build_filename (fx->targets, "ssl", "private", "web.key", NULL);
  g_autofree char *fullchain_path = g_build_filename (fx->targets, "ssl", "web-full.pem",
                                                      NULL);
  g_autofree char *chain_path = g_build_filename (fx->targets, "ssl", "chain.pem", NULL);
  g_autofree char *journal = g_build_filename (fx->dir, "journal", "web-external.ini", NULL);
  g_autofree char *live_full = g_build_filename (fx->dir, "live", "web-external",
                                                 "fullchain.pem", NULL);
  GStatBuf st;

  g_test_summary ("Copy mode with individual paths: regular files, replaced by a second "
                  "assignment; a path not configured is not written; no journal is left");

  config->cert_path = g_strdup (cert_path);
  config->key_path = g_strdup (key_path);
  config->fullchain_path = g_strdup (fullchain_path);
  config->copy = TRUE;
  set_config (fx, CERTREQ_USAGE_WEB_EXTERNAL, config);

  assign (fx, first, CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  g_assert_cmpint (g_lstat (cert_path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (g_lstat (key_path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  assert_cert_is (cert_path, first);
  assert_key_matches (cert_path, key_path);
  g_assert_false (g_file_test (chain_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));

  assign (fx, second, CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  assert_cert_is (cert_path, second);
  assert_key_matches (cert_path, key_path);
  {
    g_autofree char *a = read_text (fullchain_path);
    g_autofree char *b = read_text (live_full);

    g_assert_cmpstr (a, ==, b);
  }
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* Two sets assigned in copy mode to web-internal (archive 1 = @first, 2 = @second) */
static char *
two_copy_assignments (Fixture             *fx,
                      CertreqCertificate **out_first,
                      CertreqCertificate **out_second,
                      CertreqUsageConfig **out_config)
{
  CertreqUsageConfig *config = certreq_usage_config_new ();
  char *target_dir = g_build_filename (fx->targets, "copies", NULL);

  config->target_dir = g_strdup (target_dir);
  config->copy = TRUE;
  set_config (fx, CERTREQ_USAGE_WEB_INTERNAL, config);

  *out_first = issue (fx);
  *out_second = issue (fx);
  assign (fx, *out_first, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  assign (fx, *out_second, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  assert_targets_are_set (fx, target_dir, "web-internal", "2");

  *out_config = config;
  return target_dir;
}

static void
reopen (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fx->store);
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);
}

static void
test_crash_rolled_forward (Fixture       *fx,
                           gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) first = NULL;
  g_autoptr(CertreqCertificate) second = NULL;
  g_autoptr(CertreqUsageConfig) config = NULL;
  g_autofree char *target_dir = two_copy_assignments (fx, &first, &second, &config);
  g_autofree char *set1 = g_build_filename (fx->dir, "archive", "web-internal", "1", NULL);
  g_autofree char *set2 = g_build_filename (fx->dir, "archive", "web-internal", "2", NULL);
  g_autofree char *journal = g_build_filename (fx->dir, "journal", "web-internal.ini", NULL);
  g_autoptr(GError) error = NULL;
  guint i;

  g_test_summary ("A crash in the middle of copying, after live/<usage> was switched: "
                  "opening the store again finishes the copy, so every target is the new "
                  "set and the key matches the certificate");

  /* The state a crash leaves: the journal from set 1 to set 2, live/ on set 2, and
   * the key and chain targets not yet copied (still set 1's) */
  _certreq_deploy_write_journal (fx->store, CERTREQ_USAGE_WEB_INTERNAL, set1, set2, config,
                                 &error);
  g_assert_no_error (error);
  for (i = 1; set_files[i] != NULL; i++)
    {
      g_autofree char *old = archive_file (fx, "web-internal", "1", set_files[i]);
      g_autofree char *target = g_build_filename (target_dir, set_files[i], NULL);

      if (i == 1 || i == 3)
        copy_file (old, target);
    }
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));

  reopen (fx);
  assert_targets_are_set (fx, target_dir, "web-internal", "2");
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static void
test_crash_rolled_back (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) first = NULL;
  g_autoptr(CertreqCertificate) second = NULL;
  g_autoptr(CertreqUsageConfig) config = NULL;
  g_autofree char *target_dir = two_copy_assignments (fx, &first, &second, &config);
  g_autofree char *set1 = g_build_filename (fx->dir, "archive", "web-internal", "1", NULL);
  g_autofree char *set2 = g_build_filename (fx->dir, "archive", "web-internal", "2", NULL);
  g_autofree char *live = g_build_filename (fx->dir, "live", "web-internal", NULL);
  g_autofree char *live_tmp = g_build_filename (fx->dir, "live", "web-internal.test", NULL);
  g_autofree char *journal = g_build_filename (fx->dir, "journal", "web-internal.ini", NULL);
  g_autofree char *target_cert = g_build_filename (target_dir, "cert.pem", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A crash while live/<usage> still points at the old set (the switch never "
                  "happened, or was undone): opening the store again makes every target "
                  "the old set");

  /* Back to set 1 as a rollback would have it, with a journal that still names set 2
   * as the new one and the certificate target already the new one */
  g_assert_cmpint (symlink ("../archive/web-internal/1", live_tmp), ==, 0);
  g_assert_cmpint (g_rename (live_tmp, live), ==, 0);
  _certreq_deploy_write_journal (fx->store, CERTREQ_USAGE_WEB_INTERNAL, set1, set2, config,
                                 &error);
  g_assert_no_error (error);
  assert_cert_is (target_cert, second);

  reopen (fx);
  assert_targets_are_set (fx, target_dir, "web-internal", "1");
  assert_cert_is (target_cert, first);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static void
test_crash_first_deployment (Fixture       *fx,
                             gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx);
  g_autoptr(CertreqUsageConfig) config = certreq_usage_config_new ();
  g_autofree char *target_dir = g_build_filename (fx->targets, "first", NULL);
  g_autofree char *set1 = g_build_filename (fx->dir, "archive", "web-external", "1", NULL);
  g_autofree char *live = g_build_filename (fx->dir, "live", "web-external", NULL);
  g_autofree char *target_cert = g_build_filename (target_dir, "cert.pem", NULL);
  g_autofree char *target_key = g_build_filename (target_dir, "privkey.pem", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A crash during the very first copy deployment, before live/<usage> "
                  "existed: the half-written targets are removed, so nothing new is served");

  config->target_dir = g_strdup (target_dir);
  config->copy = TRUE;
  set_config (fx, CERTREQ_USAGE_WEB_EXTERNAL, config);
  assign (fx, cert, CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  assert_targets_are_set (fx, target_dir, "web-external", "1");

  /* As if the first deployment had crashed before its switch: no live/web-external, a
   * journal from nothing to set 1, and one target already copied */
  g_assert_cmpint (g_unlink (live), ==, 0);
  g_assert_cmpint (g_unlink (target_key), ==, 0);
  {
    g_autofree char *chain = g_build_filename (target_dir, "chain.pem", NULL);
    g_autofree char *full = g_build_filename (target_dir, "fullchain.pem", NULL);
    g_autofree char *new_cert = g_build_filename (set1, "cert.pem", NULL);

    g_unlink (chain);
    g_unlink (full);
    g_unlink (target_cert);
    _certreq_deploy_write_journal (fx->store, CERTREQ_USAGE_WEB_EXTERNAL, NULL, set1, config, &error);
    g_assert_no_error (error);
    copy_file (new_cert, target_cert);
  }

  reopen (fx);
  g_assert_false (g_file_test (target_cert, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (target_key, G_FILE_TEST_EXISTS));
}

static void
test_rollback_restores_targets (Fixture       *fx,
                                gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) first = issue (fx);
  g_autoptr(CertreqCertificate) second = issue (fx);
  g_autoptr(CertreqUsageConfig) copies = certreq_usage_config_new ();
  g_autoptr(CertreqUsageConfig) links = certreq_usage_config_new ();
  g_autofree char *copy_dir = g_build_filename (fx->targets, "copies", NULL);
  g_autofree char *link_dir = g_build_filename (fx->targets, "links", NULL);
  g_autofree char *copy_cert = g_build_filename (copy_dir, "cert.pem", NULL);
  g_autofree char *link_cert = g_build_filename (link_dir, "cert.pem", NULL);
  g_autoptr(GError) error = NULL;
  const char *fail[] = { "false", NULL };

  g_test_summary ("A failed reload rolls the targets back too: copies get the previous set "
                  "again, and links made for a usage that had no set are removed");

  copies->target_dir = g_strdup (copy_dir);
  copies->copy = TRUE;
  set_config (fx, CERTREQ_USAGE_WEB_INTERNAL, copies);
  assign (fx, first, CERTREQ_USAGE_FLAG_WEB_INTERNAL);

  /* web-internal (copies) is switched first, then web-external's reload fails */
  links->target_dir = g_strdup (link_dir);
  links->reload_argv = g_strdupv ((char **) fail);
  set_config (fx, CERTREQ_USAGE_WEB_EXTERNAL, links);
  g_assert_false (certreq_assign (fx->store, second,
                                  CERTREQ_USAGE_FLAG_WEB_INTERNAL |
                                  CERTREQ_USAGE_FLAG_WEB_EXTERNAL, NULL, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY);

  assert_targets_are_set (fx, copy_dir, "web-internal", "1");
  assert_cert_is (copy_cert, first);
  g_assert_false (g_file_test (link_cert, G_FILE_TEST_EXISTS));
  {
    GStatBuf st;

    g_assert_cmpint (g_lstat (link_cert, &st), <, 0);
  }
}

static void
test_owner_group_mode (Fixture       *fx,
                       gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx);
  g_autoptr(CertreqUsageConfig) config = certreq_usage_config_new ();
  g_autofree char *target_dir = g_build_filename (fx->targets, "svc", NULL);
  g_autofree char *target_key = g_build_filename (target_dir, "privkey.pem", NULL);
  g_autofree char *target_cert = g_build_filename (target_dir, "cert.pem", NULL);
  g_autofree char *archive_key = archive_file (fx, "web-internal", "1", "privkey.pem");
  g_autofree char *other_key = archive_file (fx, "default", "1", "privkey.pem");
  struct passwd *pw;
  struct group *gr;
  GStatBuf st;

  g_test_summary ("The owner, group and mode of a usage reach its archive key and its "
                  "copied key; another usage's key stays root's with mode 0600");

  if (geteuid () != 0)
    {
      /* CI runs as root: there, not being root is a broken set-up, not a reason to skip */
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("CI=true but not root: the owner and group of a deployed key cannot be tested");
      g_test_skip ("Changing a file's owner needs root; run the suite as root to test it.");
      return;
    }
  pw = getpwnam ("nobody");
  gr = getgrnam ("nogroup");
  g_assert_nonnull (pw);
  g_assert_nonnull (gr);

  config->target_dir = g_strdup (target_dir);
  config->copy = TRUE;
  config->owner = g_strdup ("nobody");
  config->group = g_strdup ("nogroup");
  config->mode = 0640;
  set_config (fx, CERTREQ_USAGE_WEB_INTERNAL, config);
  assign (fx, cert, CERTREQ_USAGE_FLAG_WEB_INTERNAL | CERTREQ_USAGE_FLAG_DEFAULT);

  g_assert_cmpint (g_stat (target_key, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, pw->pw_uid);
  g_assert_cmpuint (st.st_gid, ==, gr->gr_gid);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_cmpint (g_stat (archive_key, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, pw->pw_uid);
  g_assert_cmpuint (st.st_gid, ==, gr->gr_gid);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_cmpint (g_stat (target_cert, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  g_assert_cmpint (g_stat (other_key, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  assert_key_matches (target_cert, target_key);
}

static void
test_unassign_keeps_files (Fixture       *fx,
                           gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx);
  g_autoptr(CertreqUsageConfig) config = certreq_usage_config_new ();
  g_autofree char *target_dir = g_build_filename (fx->targets, "kept", NULL);
  g_autofree char *target_cert = g_build_filename (target_dir, "cert.pem", NULL);
  g_autofree char *live_before = NULL;
  g_autofree char *live_after = NULL;
  g_autofree char *previous = NULL;
  g_autoptr(CertreqCertificate) still = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Unassigning forgets the current certificate but keeps live/, the "
                  "targets and the certificate in the store");

  config->target_dir = g_strdup (target_dir);
  set_config (fx, CERTREQ_USAGE_WEB_INTERNAL, config);
  assign (fx, cert, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  live_before = certreq_store_get_live_dir (fx->store, CERTREQ_USAGE_WEB_INTERNAL);

  g_assert_true (certreq_unassign (fx->store, CERTREQ_USAGE_FLAG_WEB_INTERNAL |
                                   CERTREQ_USAGE_FLAG_OAUTH, &error));
  g_assert_no_error (error);
  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_INTERNAL));
  previous = certreq_store_get_previous (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (previous, ==, certreq_certificate_get_thumbprint (cert));
  live_after = certreq_store_get_live_dir (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (live_after, ==, live_before);
  assert_cert_is (target_cert, cert);
  still = certreq_store_find_certificate (fx->store, certreq_certificate_get_thumbprint (cert),
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (still);

  g_assert_false (certreq_unassign (fx->store, CERTREQ_USAGE_FLAG_NONE, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
}

static void
assert_refused (Fixture                  *fx,
                const CertreqUsageConfig *config,
                const char               *word)
{
  g_autofree char *path = g_build_filename (fx->dir, "usages.ini", NULL);
  g_autofree char *before = read_text (path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (certreq_store_set_usage_config (fx->store, CERTREQ_USAGE_WEB_INTERNAL,
                                                  config, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  if (strstr (error->message, word) == NULL)
    g_error ("“%s” does not name “%s”", error->message, word);
  after = read_text (path);
  g_assert_cmpstr (after, ==, before);
}

static void
test_config (Fixture       *fx,
             gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue (fx);
  g_autoptr(CertreqUsageConfig) config = certreq_usage_config_new ();
  g_autoptr(CertreqUsageConfig) copy = NULL;
  g_autoptr(CertreqUsageConfig) read = NULL;
  g_autoptr(CertreqUsageConfig) bad = NULL;
  g_autofree char *target_dir = g_build_filename (fx->targets, "conf", NULL);
  g_autofree char *assigned = NULL;
  g_auto(GStrv) reload = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "true", "reload", "a b", NULL };
  const char *other[] = { "true", NULL };

  g_test_summary ("The configuration survives usages.ini with the assignment beside it; "
                  "every invalid field is refused naming it, and nothing changes");

  assign (fx, cert, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  config->target_dir = g_strdup (target_dir);
  config->owner = g_strdup ("root");
  config->group = g_strdup ("root");
  config->mode = 0640;
  config->copy = TRUE;
  config->reload_argv = g_strdupv ((char **) argv);
  config->check = g_strdup ("webint.corp.example.com:443");
  copy = certreq_usage_config_copy (config);
  set_config (fx, CERTREQ_USAGE_WEB_INTERNAL, copy);

  read = certreq_store_get_usage_config (fx->store, CERTREQ_USAGE_WEB_INTERNAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->target_dir, ==, target_dir);
  g_assert_null (read->cert_path);
  g_assert_cmpstr (read->owner, ==, "root");
  g_assert_cmpstr (read->group, ==, "root");
  g_assert_cmpuint (read->mode, ==, 0640);
  g_assert_true (read->copy);
  g_assert_cmpstrv (read->reload_argv, argv);
  g_assert_cmpstr (read->check, ==, "webint.corp.example.com:443");
  /* The older API reads the same reload command; the assignment is still recorded */
  reload = certreq_store_get_reload_command (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstrv (reload, argv);
  assigned = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (assigned, ==, certreq_certificate_get_thumbprint (cert));
  /* …and the older setter keeps the rest of the configuration */
  certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_WEB_INTERNAL, other, &error);
  g_assert_no_error (error);
  g_clear_pointer (&read, certreq_usage_config_free);
  read = certreq_store_get_usage_config (fx->store, CERTREQ_USAGE_WEB_INTERNAL, &error);
  g_assert_cmpstr (read->target_dir, ==, target_dir);
  g_assert_cmpstrv (read->reload_argv, other);

  /* Defaults for a usage never configured */
  g_clear_pointer (&read, certreq_usage_config_free);
  read = certreq_store_get_usage_config (fx->store, CERTREQ_USAGE_OAUTH, &error);
  g_assert_no_error (error);
  g_assert_null (read->target_dir);
  g_assert_cmpuint (read->mode, ==, 0);
  g_assert_false (read->copy);
  g_assert_null (read->reload_argv);

  bad = certreq_usage_config_copy (config);
  g_free (bad->target_dir);
  bad->target_dir = g_strdup ("relative/dir");
  assert_refused (fx, bad, "target directory");
  g_free (bad->target_dir);
  bad->target_dir = g_build_filename (fx->dir, "certs", NULL);
  assert_refused (fx, bad, "outside the store");
  g_free (bad->target_dir);
  bad->target_dir = g_strdup (target_dir);
  bad->key_path = g_strdup ("/etc/ssl/private/web.key");
  assert_refused (fx, bad, "not both");
  g_clear_pointer (&bad->target_dir, g_free);
  bad->cert_path = g_strdup ("/etc/ssl/private/web.key");
  assert_refused (fx, bad, "same file");
  g_clear_pointer (&bad->cert_path, g_free);
  g_free (bad->owner);
  bad->owner = g_strdup ("no-such-user-certwiz");
  assert_refused (fx, bad, "no-such-user-certwiz");
  g_free (bad->owner);
  bad->owner = NULL;
  g_free (bad->group);
  bad->group = g_strdup ("no-such-group-certwiz");
  assert_refused (fx, bad, "no-such-group-certwiz");
  g_clear_pointer (&bad->group, g_free);
  bad->mode = 0644;
  assert_refused (fx, bad, "0644");
  bad->mode = 0700;
  assert_refused (fx, bad, "0700");
  bad->mode = 0040;
  assert_refused (fx, bad, "0040");
  bad->mode = 0600;
  g_free (bad->check);
  bad->check = g_strdup ("webint.corp.example.com");
  assert_refused (fx, bad, "HOST:PORT");
  g_free (bad->check);
  bad->check = g_strdup ("[::1]:8443");
  g_strfreev (bad->reload_argv);
  bad->reload_argv = g_strsplit ("/nonexistent/reload-certwiz now", " ", -1);
  assert_refused (fx, bad, "/nonexistent/reload-certwiz");
  g_clear_pointer (&bad->reload_argv, g_strfreev);
  /* What is left is valid: an IPv6 endpoint and individual paths */
  set_config (fx, CERTREQ_USAGE_WEB_INTERNAL, bad);
}

int
main (int    argc,
      char **argv)
{
  int status;

  certwiz_test_init (&argc, &argv);
  make_template ();

#define ADD(path, fn) g_test_add ("/certreq/deploy/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("links-follow", test_links_follow);
  ADD ("copy-replaced", test_copy_replaced);
  ADD ("crash-rolled-forward", test_crash_rolled_forward);
  ADD ("crash-rolled-back", test_crash_rolled_back);
  ADD ("crash-first-deployment", test_crash_first_deployment);
  ADD ("rollback-restores-targets", test_rollback_restores_targets);
  ADD ("owner-group-mode", test_owner_group_mode);
  ADD ("unassign-keeps-files", test_unassign_keeps_files);
  ADD ("config", test_config);
#undef ADD

  status = g_test_run ();
  certwiz_test_rmrf (template_store);
  g_free (template_store);
  return status;
}
