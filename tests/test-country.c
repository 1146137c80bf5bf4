/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "certwiz-test-utils.h"

#define ISO_JSON ISO_CODES_PREFIX "/share/iso-codes/json/iso_3166-1.json"

static guint
count_in_iso_codes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *p;
  guint n = 0;

  g_file_get_contents (ISO_JSON, &text, NULL, &error);
  g_assert_no_error (error);
  for (p = strstr (text, "\"alpha_2\""); p != NULL; p = strstr (p + 1, "\"alpha_2\""))
    n++;

  return n;
}

static void
test_list (void)
{
  g_autoptr(GPtrArray) list = certreq_country_list ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  g_test_summary ("Every iso-codes country is listed once, sorted by its translated name");
  g_assert_cmpuint (list->len, >, 240);
  g_assert_cmpuint (list->len, ==, count_in_iso_codes ());

  for (i = 0; i < list->len; i++)
    {
      CertreqCountry *country = list->pdata[i];

      g_assert_cmpuint (strlen (country->code), ==, 2);
      g_assert_true (g_ascii_isupper (country->code[0]) && g_ascii_isupper (country->code[1]));
      g_assert_true (g_utf8_validate (country->name, -1, NULL));
      g_assert_true (g_hash_table_add (seen, country->code));
      g_assert_true (certreq_country_is_valid (country->code));
      g_assert_cmpstr (certreq_country_get_name (country->code), ==, country->name);
      if (i > 0)
        {
          CertreqCountry *previous = list->pdata[i - 1];

          g_assert_cmpint (g_utf8_collate (previous->name, country->name), <=, 0);
        }
    }

  /* A second list shares the same entries */
  {
    g_autoptr(GPtrArray) again = certreq_country_list ();

    g_assert_cmpuint (again->len, ==, list->len);
    g_assert_true (again->pdata[0] == list->pdata[0]);
  }
}

static void
test_is_valid (void)
{
  static const struct
  {
    const char *code;
    gboolean    valid;
  } table[] = {
    { "DE", TRUE },
    { "US", TRUE },
    { "CH", TRUE },
    { "GB", TRUE },
    { "de", FALSE },
    { "De", FALSE },
    { "DEU", FALSE },
    { "D", FALSE },
    { "", FALSE },
    { "XX", FALSE },
    { "UK", FALSE },
    { "D1", FALSE },
    { NULL, FALSE },
  };
  guint i;

  g_test_summary ("Only upper-case alpha-2 codes known to iso-codes are valid");
  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_test_message ("code %s", table[i].code ? table[i].code : "(null)");
      g_assert_cmpint (certreq_country_is_valid (table[i].code), ==, table[i].valid);
      if (!table[i].valid)
        g_assert_null (certreq_country_get_name (table[i].code));
    }
}

static void
test_german (void)
{
  g_test_summary ("With LANGUAGE=de the names come from iso-codes' German translation");
  g_assert_cmpstr (certreq_country_get_name ("DE"), ==, "Deutschland");
  g_assert_cmpstr (certreq_country_get_name ("AT"), ==, "Österreich");
  g_assert_cmpstr (certreq_country_get_name ("CH"), ==, "Schweiz");
}

static void
test_english (void)
{
  if (g_test_subprocess ())
    {
      g_assert_cmpstr (certreq_country_get_name ("DE"), ==, "Germany");
      g_assert_cmpstr (certreq_country_get_name ("AT"), ==, "Austria");
      return;
    }

  g_test_summary ("Without LANGUAGE the names are iso-codes' English ones");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  certwiz_test_init (&argc, &argv);

  /* The German run is the main process; the English one is a subprocess.
   * C.UTF-8 honours LANGUAGE; a real German locale is used when installed. */
  if (g_test_subprocess ())
    {
      g_unsetenv ("LANGUAGE");
    }
  else
    {
      g_setenv ("LANGUAGE", "de", TRUE);
      if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
        setlocale (LC_ALL, "");
    }

  g_test_add_func ("/certreq/country/list", test_list);
  g_test_add_func ("/certreq/country/is-valid", test_is_valid);
  g_test_add_func ("/certreq/country/german", test_german);
  g_test_add_func ("/certreq/country/english", test_english);

  return g_test_run ();
}
