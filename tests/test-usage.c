/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "certwiz-test-utils.h"

static void
test_ids (void)
{
  static const struct
  {
    CertreqUsage  usage;
    const char   *id;
    const char   *label;
  } table[] = {
    { CERTREQ_USAGE_DEFAULT, "default", "Server default" },
    { CERTREQ_USAGE_WEB_INTERNAL, "web-internal", "Web services internal" },
    { CERTREQ_USAGE_WEB_EXTERNAL, "web-external", "Web services external" },
    { CERTREQ_USAGE_OAUTH, "oauth", "OAuthTokenIssuer" },
  };
  CertreqUsage usage;
  guint i;

  g_test_summary ("Every usage has its stable id and English label, and ids round-trip");
  g_assert_cmpuint (G_N_ELEMENTS (table), ==, CERTREQ_N_USAGES);

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpstr (certreq_usage_to_id (table[i].usage), ==, table[i].id);
      g_assert_cmpstr (certreq_usage_get_label (table[i].usage), ==, table[i].label);
      g_assert_true (certreq_usage_from_id (table[i].id, &usage));
      g_assert_cmpint (usage, ==, table[i].usage);
      g_assert_cmpint (CERTREQ_USAGE_TO_FLAG (table[i].usage), ==, 1 << table[i].usage);
    }

  g_assert_true (certreq_usage_from_id ("Web-Internal", &usage));
  g_assert_cmpint (usage, ==, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_false (certreq_usage_from_id ("webinternal", &usage));
  g_assert_false (certreq_usage_from_id ("", &usage));
  g_assert_false (certreq_usage_from_id (NULL, &usage));
}

static void
test_descriptions (void)
{
  g_test_summary ("Descriptions are the original wizard's wording");
  g_assert_cmpstr (certreq_usage_get_description (CERTREQ_USAGE_DEFAULT), ==,
                   "Server Default for Mutual Transport Layer Security (MTLS) - Connections to "
                   "clients and other servers");
  g_assert_cmpstr (certreq_usage_get_description (CERTREQ_USAGE_WEB_INTERNAL), ==,
                   "Web services internal - Client and server connections on the internal Web "
                   "services site for Transport Layer Security/Secure Sockets Layer (TLS/SSL)");
  g_assert_cmpstr (certreq_usage_get_description (CERTREQ_USAGE_WEB_EXTERNAL), ==,
                   "Web services external - Client and server connections on the external Web "
                   "services site for TLS/SSL");
  g_assert_true (g_str_has_prefix (certreq_usage_get_description (CERTREQ_USAGE_OAUTH),
                                   "OAuthTokenIssuer"));
}

static void
test_flags_parse (void)
{
  static const struct
  {
    const char        *list;
    CertreqUsageFlags  flags;
    const char        *canonical;
  } good[] = {
    { "default", CERTREQ_USAGE_FLAG_DEFAULT, "default" },
    { "default,web-internal,web-external", CERTREQ_USAGE_FLAGS_STANDARD,
      "default,web-internal,web-external" },
    { " oauth , default ", CERTREQ_USAGE_FLAG_OAUTH | CERTREQ_USAGE_FLAG_DEFAULT, "default,oauth" },
    { "web-external,web-external,", CERTREQ_USAGE_FLAG_WEB_EXTERNAL, "web-external" },
    { "OAUTH", CERTREQ_USAGE_FLAG_OAUTH, "oauth" },
  };
  static const struct
  {
    const char *list;
    const char *in_message;
  } bad[] = {
    { "", "at least one" },
    { " , ", "at least one" },
    { "default,mtls", "“mtls”" },
    { "web internal", "“web internal”" },
  };
  guint i;

  g_test_summary ("Usage lists parse to flags and back; bad lists give an error naming the id");

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      CertreqUsageFlags flags = 0;

      g_assert_true (certreq_usage_flags_parse (good[i].list, &flags, &error));
      g_assert_no_error (error);
      g_assert_cmpint (flags, ==, good[i].flags);
      text = certreq_usage_flags_to_string (flags);
      g_assert_cmpstr (text, ==, good[i].canonical);
    }

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      CertreqUsageFlags flags = 0x55;

      g_assert_false (certreq_usage_flags_parse (bad[i].list, &flags, &error));
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
      g_assert_nonnull (strstr (error->message, bad[i].in_message));
      g_assert_cmpint (flags, ==, 0x55);
    }
}

static void
test_flags_to_string_empty (void)
{
  g_autofree char *text = certreq_usage_flags_to_string (CERTREQ_USAGE_FLAG_NONE);
  g_autofree char *all = NULL;

  g_assert_cmpstr (text, ==, "");
  all = certreq_usage_flags_to_string (CERTREQ_USAGE_FLAGS_STANDARD | CERTREQ_USAGE_FLAG_OAUTH);
  g_assert_cmpstr (all, ==, "default,web-internal,web-external,oauth");
}

int
main (int   argc,
      char *argv[])
{
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/usage/ids", test_ids);
  g_test_add_func ("/certreq/usage/descriptions", test_descriptions);
  g_test_add_func ("/certreq/usage/flags-parse", test_flags_parse);
  g_test_add_func ("/certreq/usage/flags-to-string-empty", test_flags_to_string_empty);

  return g_test_run ();
}
