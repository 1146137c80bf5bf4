/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "certwiz-test-utils.h"

static char *
repeat (char  c,
        guint n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';
  return s;
}

static void
test_validate_fqdn (void)
{
  g_autofree char *l63 = repeat ('a', 63);
  g_autofree char *l64 = repeat ('a', 64);
  g_autofree char *l61 = repeat ('d', 61);
  g_autofree char *l62 = repeat ('d', 62);
  g_autofree char *label63 = g_strconcat (l63, ".example.com", NULL);
  g_autofree char *label64 = g_strconcat (l64, ".example.com", NULL);
  /* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
  g_autofree char *total253 = g_strjoin (".", l63, l63, l63, l61, NULL);
  g_autofree char *total254 = g_strjoin (".", l63, l63, l63, l62, NULL);
  const struct
  {
    const char *name;
    gboolean    wildcard;
    gboolean    valid;
    const char *message;   /* substring of the error, or NULL */
  } table[] = {
    { "server.example.com", FALSE, TRUE, NULL },
    { "Server01.Example.COM", FALSE, TRUE, NULL },
    { "a-b.example.com", FALSE, TRUE, NULL },
    { "xn--bcher-kva.example", FALSE, TRUE, NULL },
    { "localhost", FALSE, TRUE, NULL },
    { "1.2.3.4", FALSE, TRUE, NULL },
    { label63, FALSE, TRUE, NULL },
    { label64, FALSE, FALSE, "longer than 63 characters" },
    { total253, FALSE, TRUE, NULL },
    { total254, FALSE, FALSE, "longer than 253 characters" },
    { "-a.example.com", FALSE, FALSE, "starts or ends with a hyphen" },
    { "a-.example.com", FALSE, FALSE, "starts or ends with a hyphen" },
    { "a.example-.com", FALSE, FALSE, "starts or ends with a hyphen" },
    { "a.example.-com", FALSE, FALSE, "starts or ends with a hyphen" },
    { "x..y", FALSE, FALSE, "The server FQDN “x..y” is not valid: a label is empty." },
    { ".example.com", FALSE, FALSE, "a label is empty" },
    { "example.com.", FALSE, FALSE, "a label is empty" },
    { ".", FALSE, FALSE, "a label is empty" },
    { "", FALSE, FALSE, "Enter the server FQDN." },
    { NULL, FALSE, FALSE, "Enter the server FQDN." },
    { "under_score.example.com", FALSE, FALSE, "the character “_” is not allowed" },
    { "sp ace.example.com", FALSE, FALSE, "the character “ ” is not allowed" },
    { "bücher.example.com", FALSE, FALSE, "the character “ü” is not allowed" },
    { "a/b.example.com", FALSE, FALSE, "the character “/” is not allowed" },
    { "*.example.com", TRUE, TRUE, NULL },
    { "*.example.com", FALSE, FALSE, "a wildcard is not allowed here" },
    { "a.*.example.com", TRUE, FALSE, "whole left-most label" },
    { "*a.example.com", TRUE, FALSE, "whole left-most label" },
    { "a*.example.com", TRUE, FALSE, "whole left-most label" },
    { "**.example.com", TRUE, FALSE, "whole left-most label" },
    { "example.*", TRUE, FALSE, "whole left-most label" },
    { "*", TRUE, FALSE, "whole left-most label" },
    { "*.*.example.com", TRUE, FALSE, "whole left-most label" },
  };
  guint i;

  g_test_summary ("FQDN syntax: label and total lengths, hyphens, wildcards, characters");

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("%u: %s (wildcard %d)", i, table[i].name, table[i].wildcard);
      ok = certreq_validate_fqdn (table[i].name, "server FQDN", table[i].wildcard, &error);
      g_assert_cmpint (ok, ==, table[i].valid);
      if (table[i].valid)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
      g_assert_nonnull (strstr (error->message, table[i].message));
      /* The message always names the field */
      g_assert_nonnull (strstr (error->message, "server FQDN"));
    }
}

static CertreqServer *
make_server (const char *fqdn,
             const char *pool,
             const char *web_int,
             const char *web_ext,
             const char *sip,
             const char *simple)
{
  CertreqServer *server = certreq_server_new ();
  g_auto(GStrv) sip_v = g_strsplit (sip, ",", -1);
  g_auto(GStrv) simple_v = g_strsplit (simple, ",", -1);

  certreq_server_set_fqdn (server, fqdn);
  certreq_server_set_pool_fqdn (server, pool);
  certreq_server_set_web_internal_fqdn (server, web_int);
  certreq_server_set_web_external_fqdn (server, web_ext);
  certreq_server_set_sip_domains (server, (const char * const *) sip_v);
  certreq_server_set_simple_urls (server, (const char * const *) simple_v);

  return server;
}

static void
assert_names (char      **names,
              const char *expected)
{
  g_autofree char *joined = g_strjoinv (",", names);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_usage_names (void)
{
  const struct
  {
    const char   *fqdn, *pool, *web_int, *web_ext, *sip, *simple;
    CertreqUsage  usage;
    const char   *chosen_sip;
    const char   *expected;
  } table[] = {
    /* default: pool (or server) FQDN first, server FQDN, sip.<domain> per chosen domain */
    { "fe1.example.com", "pool.example.com", "", "", "example.com,example.org", "",
      CERTREQ_USAGE_DEFAULT, "example.com,example.org",
      "pool.example.com,fe1.example.com,sip.example.com,sip.example.org" },
    { "fe1.example.com", "", "", "", "example.com", "",
      CERTREQ_USAGE_DEFAULT, "example.com", "fe1.example.com,sip.example.com" },
    { "fe1.example.com", "", "", "", "example.com", "",
      CERTREQ_USAGE_DEFAULT, "", "fe1.example.com" },
    { "fe1.example.com", "FE1.example.com", "", "", "", "",
      CERTREQ_USAGE_DEFAULT, "", "FE1.example.com" },
    /* web-internal: internal web FQDN (fallback server FQDN), simple URLs */
    { "fe1.example.com", "pool.example.com", "webint.example.com", "webext.example.com", "",
      "meet.example.com,dialin.example.com",
      CERTREQ_USAGE_WEB_INTERNAL, "",
      "webint.example.com,meet.example.com,dialin.example.com" },
    { "fe1.example.com", "pool.example.com", "", "", "", "meet.example.com",
      CERTREQ_USAGE_WEB_INTERNAL, "", "fe1.example.com,meet.example.com" },
    /* web-external: external web FQDN (fallback pool, then server FQDN), simple URLs */
    { "fe1.example.com", "pool.example.com", "webint.example.com", "webext.example.com", "",
      "meet.example.com", CERTREQ_USAGE_WEB_EXTERNAL, "", "webext.example.com,meet.example.com" },
    { "fe1.example.com", "pool.example.com", "", "", "", "",
      CERTREQ_USAGE_WEB_EXTERNAL, "", "pool.example.com" },
    { "fe1.example.com", "", "", "", "", "*.meet.example.com",
      CERTREQ_USAGE_WEB_EXTERNAL, "", "fe1.example.com,*.meet.example.com" },
    /* oauth: primary SIP domain, or pool FQDN, or server FQDN */
    { "fe1.example.com", "pool.example.com", "", "", "example.com,example.org", "",
      CERTREQ_USAGE_OAUTH, "example.org", "example.com" },
    { "fe1.example.com", "pool.example.com", "", "", "", "",
      CERTREQ_USAGE_OAUTH, "", "pool.example.com" },
    { "fe1.example.com", "", "", "", "", "", CERTREQ_USAGE_OAUTH, "", "fe1.example.com" },
  };
  guint i;

  g_test_summary ("Each usage's names follow DESIGN.md's usage table");

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(CertreqServer) server = make_server (table[i].fqdn, table[i].pool,
                                                     table[i].web_int, table[i].web_ext,
                                                     table[i].sip, table[i].simple);
      g_auto(GStrv) chosen = g_strsplit (table[i].chosen_sip, ",", -1);
      g_auto(GStrv) names = NULL;

      g_test_message ("case %u", i);
      names = certreq_server_get_usage_names (server, table[i].usage,
                                              (const char * const *) chosen);
      assert_names (names, table[i].expected);
    }
}

static void
test_derive (void)
{
  g_autoptr(CertreqServer) server = make_server ("fe1.example.com", "pool.example.com",
                                                 "webint.example.com", "webext.example.com",
                                                 "example.com", "meet.example.com");
  const char *sip[] = { "example.com", NULL };
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) web = NULL;
  g_auto(GStrv) oauth = NULL;
  g_autofree char *cn = NULL;
  g_autofree char *cn_web = NULL;
  g_autofree char *cn_none = NULL;

  g_test_summary ("Derived names are the union in usage order; the CN is the first one");

  all = certreq_server_derive_names (server, CERTREQ_USAGE_FLAGS_STANDARD | CERTREQ_USAGE_FLAG_OAUTH,
                                     sip);
  assert_names (all, "pool.example.com,fe1.example.com,sip.example.com,webint.example.com,"
                     "meet.example.com,webext.example.com,example.com");
  web = certreq_server_derive_names (server, CERTREQ_USAGE_FLAG_WEB_EXTERNAL |
                                             CERTREQ_USAGE_FLAG_WEB_INTERNAL, sip);
  assert_names (web, "webint.example.com,meet.example.com,webext.example.com");
  oauth = certreq_server_derive_names (server, CERTREQ_USAGE_FLAG_NONE, sip);
  assert_names (oauth, "");

  cn = certreq_server_derive_common_name (server, CERTREQ_USAGE_FLAGS_STANDARD);
  g_assert_cmpstr (cn, ==, "pool.example.com");
  cn_web = certreq_server_derive_common_name (server, CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  g_assert_cmpstr (cn_web, ==, "webext.example.com");
  cn_none = certreq_server_derive_common_name (server, CERTREQ_USAGE_FLAG_NONE);
  g_assert_cmpstr (cn_none, ==, "");
}

static void
test_dedup_case_insensitive (void)
{
  g_autoptr(CertreqServer) server = make_server ("fe1.example.com", "", "FE1.EXAMPLE.COM",
                                                 "", "", "Fe1.Example.Com,meet.example.com");
  g_auto(GStrv) names = certreq_server_derive_names (server, CERTREQ_USAGE_FLAGS_STANDARD, NULL);

  g_test_summary ("Names that differ only in case appear once");
  assert_names (names, "fe1.example.com,meet.example.com");
}

static void
test_defaults (void)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  const char *fqdn = certreq_server_get_fqdn (server);

  g_test_summary ("A new profile is pre-filled from the machine's name, the rest empty");
  g_assert_nonnull (fqdn);
  g_assert_cmpstr (fqdn, !=, "");
  /* Either the host name or a fully qualified name that starts with it */
  g_assert_true (g_ascii_strncasecmp (fqdn, g_get_host_name (), strcspn (g_get_host_name (), "."))
                 == 0);
  g_assert_cmpstr (certreq_server_get_pool_fqdn (server), ==, "");
  g_assert_cmpstr (certreq_server_get_web_internal_fqdn (server), ==, "");
  g_assert_cmpstr (certreq_server_get_web_external_fqdn (server), ==, "");
  g_assert_nonnull (certreq_server_get_sip_domains (server));
  g_assert_null (certreq_server_get_sip_domains (server)[0]);
  g_assert_null (certreq_server_get_simple_urls (server)[0]);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;

  g_hash_table_insert (counts, (gpointer) g_intern_string (pspec->name),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (
                         g_hash_table_lookup (counts, g_intern_string (pspec->name))) + 1));
}

static guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, g_intern_string (name)));
}

static void
test_notify (void)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  const char *sip[] = { "example.com", NULL };
  g_autofree char *pool = NULL;

  g_test_summary ("Every property notifies once per real change");
  g_signal_connect (server, "notify", G_CALLBACK (count_notify), counts);

  certreq_server_set_fqdn (server, "a.example.com");
  certreq_server_set_fqdn (server, "a.example.com");
  certreq_server_set_pool_fqdn (server, "pool.example.com");
  certreq_server_set_web_internal_fqdn (server, "wi.example.com");
  certreq_server_set_web_external_fqdn (server, "we.example.com");
  certreq_server_set_sip_domains (server, sip);
  certreq_server_set_sip_domains (server, sip);
  certreq_server_set_simple_urls (server, sip);
  g_object_set (server, "pool-fqdn", "pool2.example.com", NULL);

  g_assert_cmpuint (count_of (counts, "fqdn"), ==, 1);
  g_assert_cmpuint (count_of (counts, "pool-fqdn"), ==, 2);
  g_assert_cmpuint (count_of (counts, "web-internal-fqdn"), ==, 1);
  g_assert_cmpuint (count_of (counts, "web-external-fqdn"), ==, 1);
  g_assert_cmpuint (count_of (counts, "sip-domains"), ==, 1);
  g_assert_cmpuint (count_of (counts, "simple-urls"), ==, 1);

  g_object_get (server, "pool-fqdn", &pool, NULL);
  g_assert_cmpstr (pool, ==, "pool2.example.com");

  /* Setting a value that borrows the current one's strings (a GUI removing a row) */
  {
    const char *two[] = { "example.com", "example.org", NULL };
    const char *borrowed[2] = { NULL, NULL };

    certreq_server_set_sip_domains (server, two);
    borrowed[0] = certreq_server_get_sip_domains (server)[1];
    certreq_server_set_sip_domains (server, borrowed);
    g_assert_cmpstr (certreq_server_get_sip_domains (server)[0], ==, "example.org");
    g_assert_null (certreq_server_get_sip_domains (server)[1]);
    certreq_server_set_fqdn (server, certreq_server_get_fqdn (server) + 2);
    g_assert_cmpstr (certreq_server_get_fqdn (server), ==, "example.com");
  }

  /* NULL clears to the empty string */
  certreq_server_set_pool_fqdn (server, NULL);
  g_assert_cmpstr (certreq_server_get_pool_fqdn (server), ==, "");
  g_assert_cmpuint (count_of (counts, "pool-fqdn"), ==, 3);
  g_assert_cmpuint (count_of (counts, "sip-domains"), ==, 3);
}

static void
test_validate (void)
{
  const struct
  {
    const char *fqdn, *pool, *web_int, *web_ext, *sip, *simple;
    const char *message;
  } table[] = {
    { "fe1.example.com", "", "", "", "", "", NULL },
    { "fe1.example.com", "pool.example.com", "wi.example.com", "we.example.com",
      "example.com,example.org", "meet.example.com,*.dialin.example.com", NULL },
    { "", "", "", "", "", "", "Enter the server FQDN." },
    { "fe1..example.com", "", "", "", "", "", "server FQDN" },
    { "fe1.example.com", "pool_1.example.com", "", "", "", "", "pool FQDN" },
    { "fe1.example.com", "", "-wi.example.com", "", "", "", "internal web services FQDN" },
    { "fe1.example.com", "", "", "*.example.com", "", "", "external web services FQDN" },
    { "fe1.example.com", "", "", "", "example.com,*.example.org", "", "SIP domain" },
    { "fe1.example.com", "", "", "", "example.com,EXAMPLE.com", "",
      "The SIP domain “EXAMPLE.com” is listed twice." },
    { "fe1.example.com", "", "", "", "", "meet.example.com,meet.example.com",
      "The simple URL “meet.example.com” is listed twice." },
    { "fe1.example.com", "", "", "", "", "https://meet.example.com", "simple URL" },
  };
  guint i;

  g_test_summary ("Profile validation names the field at fault");
  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(CertreqServer) server = make_server (table[i].fqdn, table[i].pool,
                                                     table[i].web_int, table[i].web_ext,
                                                     table[i].sip, table[i].simple);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      if (table[i].message == NULL)
        {
          g_assert_true (certreq_server_validate (server, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (certreq_server_validate (server, &error));
          g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
          g_assert_nonnull (strstr (error->message, table[i].message));
        }
    }
}

static void
assert_no_temp_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_null (strstr (name, ".tmp"));
}

static void
test_save_load (void)
{
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "server.ini", NULL);
  g_autoptr(CertreqServer) server = make_server ("fe1.example.com", "pool.example.com",
                                                 "wi.example.com", "we.example.com",
                                                 "example.com,example.org",
                                                 "meet.example.com,dialin.example.com");
  g_autoptr(CertreqServer) loaded = NULL;
  g_autoptr(CertreqServer) copy = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sip = NULL;
  g_autofree char *fqdn = NULL;
  GStatBuf st;

  g_test_summary ("server.ini round-trips every field, is 0644, as DESIGN.md names its keys");

  g_assert_true (certreq_server_save (server, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  assert_no_temp_files (dir);

  /* The file itself, as another tool would read it */
  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  fqdn = g_key_file_get_string (key_file, "server", "fqdn", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fqdn, ==, "fe1.example.com");
  sip = g_key_file_get_string_list (key_file, "server", "sip-domains", NULL, &error);
  g_assert_no_error (error);
  assert_names (sip, "example.com,example.org");

  loaded = certreq_server_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_server_get_fqdn (loaded), ==, "fe1.example.com");
  g_assert_cmpstr (certreq_server_get_pool_fqdn (loaded), ==, "pool.example.com");
  g_assert_cmpstr (certreq_server_get_web_internal_fqdn (loaded), ==, "wi.example.com");
  g_assert_cmpstr (certreq_server_get_web_external_fqdn (loaded), ==, "we.example.com");
  g_assert_true (g_strv_equal (certreq_server_get_sip_domains (loaded),
                               certreq_server_get_sip_domains (server)));
  g_assert_true (g_strv_equal (certreq_server_get_simple_urls (loaded),
                               certreq_server_get_simple_urls (server)));

  copy = certreq_server_copy (loaded);
  g_assert_true (copy != loaded);
  g_assert_cmpstr (certreq_server_get_pool_fqdn (copy), ==, "pool.example.com");
  g_assert_true (g_strv_equal (certreq_server_get_simple_urls (copy),
                               certreq_server_get_simple_urls (server)));

  /* Saving again replaces the file, still 0644, still no temporary files */
  certreq_server_set_pool_fqdn (loaded, "");
  g_assert_true (certreq_server_save (loaded, path, &error));
  g_assert_no_error (error);
  g_clear_object (&copy);
  copy = certreq_server_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_server_get_pool_fqdn (copy), ==, "");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  assert_no_temp_files (dir);

  certwiz_test_rmrf (dir);
}

static void
test_save_invalid (void)
{
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "server.ini", NULL);
  g_autoptr(CertreqServer) server = make_server ("fe1..example.com", "", "", "", "", "");
  g_autoptr(GError) error = NULL;

  g_test_summary ("An invalid profile is not written");
  g_assert_false (certreq_server_save (server, path, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_no_temp_files (dir);
  certwiz_test_rmrf (dir);
}

static void
test_load_missing_and_bad (void)
{
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *missing = g_build_filename (dir, "server.ini", NULL);
  g_autofree char *bad = certwiz_test_write (dir, "bad.ini", "this is [not a key file\n", 24);
  g_autofree char *partial = certwiz_test_write (dir, "partial.ini",
                                                 "[server]\nsip-domains=example.com;\n", 33);
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqServer) defaults = certreq_server_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A missing profile gives the defaults; a broken one is a BAD_FORMAT error");
  server = certreq_server_load (missing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_server_get_fqdn (server), ==, certreq_server_get_fqdn (defaults));

  g_clear_object (&server);
  server = certreq_server_load (partial, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_server_get_fqdn (server), ==, certreq_server_get_fqdn (defaults));
  g_assert_cmpstr (certreq_server_get_sip_domains (server)[0], ==, "example.com");
  g_assert_null (certreq_server_get_sip_domains (server)[1]);

  g_clear_object (&server);
  server = certreq_server_load (bad, &error);
  g_assert_null (server);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_assert_nonnull (strstr (error->message, bad));

  certwiz_test_rmrf (dir);
}

int
main (int   argc,
      char *argv[])
{
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/server/validate-fqdn", test_validate_fqdn);
  g_test_add_func ("/certreq/server/usage-names", test_usage_names);
  g_test_add_func ("/certreq/server/derive", test_derive);
  g_test_add_func ("/certreq/server/dedup-case-insensitive", test_dedup_case_insensitive);
  g_test_add_func ("/certreq/server/defaults", test_defaults);
  g_test_add_func ("/certreq/server/notify", test_notify);
  g_test_add_func ("/certreq/server/validate", test_validate);
  g_test_add_func ("/certreq/server/save-load", test_save_load);
  g_test_add_func ("/certreq/server/save-invalid", test_save_invalid);
  g_test_add_func ("/certreq/server/load-missing-and-bad", test_load_missing_and_bad);

  return g_test_run ();
}
