/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "certreq-private.h"

/* Debian's iso-codes ships the list as JSON and the translations in the
 * iso_3166-1 gettext domain; a hand-written list would go stale (STYLE.md). */
#define ISO_3166_1_JSON ISO_CODES_PREFIX "/share/iso-codes/json/iso_3166-1.json"
#define ISO_3166_1_DOMAIN "iso_3166-1"

typedef struct
{
  GPtrArray  *list;     /* (element-type CertreqCountry), sorted by translated name */
  GHashTable *by_code;  /* code -> CertreqCountry, borrowed from list */
} CountryTable;

typedef struct
{
  CertreqCountry  country;
  char           *collate_key;
} CountryEntry;

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CountryEntry *ea = *(const CountryEntry * const *) a;
  const CountryEntry *eb = *(const CountryEntry * const *) b;
  int cmp = strcmp (ea->collate_key, eb->collate_key);

  return cmp != 0 ? cmp : strcmp (ea->country.code, eb->country.code);
}

static gboolean
is_alpha2 (const char *code)
{
  return code != NULL &&
         g_ascii_isupper (code[0]) && g_ascii_isupper (code[1]) && code[2] == '\0';
}

static gpointer
load_table (gpointer data)
{
  CountryTable *table = g_new0 (CountryTable, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonArray *entries = NULL;
  guint i;

  /* The table lives as long as the process: entries are shared with callers */
  table->list = g_ptr_array_new ();
  table->by_code = g_hash_table_new (g_str_hash, g_str_equal);

  if (!json_parser_load_from_file (parser, ISO_3166_1_JSON, &error))
    {
      g_warning ("Could not read the country list %s: %s", ISO_3166_1_JSON, error->message);
      return table;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);

      if (json_object_has_member (object, "3166-1"))
        entries = json_object_get_array_member (object, "3166-1");
    }
  if (entries == NULL)
    {
      g_warning ("The country list %s has no “3166-1” array", ISO_3166_1_JSON);
      return table;
    }

  for (i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *entry;
      const char *code;
      const char *name;
      CountryEntry *country;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      code = json_object_get_string_member_with_default (entry, "alpha_2", NULL);
      name = json_object_get_string_member_with_default (entry, "name", NULL);
      if (!is_alpha2 (code) || name == NULL || g_hash_table_contains (table->by_code, code))
        continue;

      country = g_new0 (CountryEntry, 1);
      country->country.code = g_strdup (code);
      country->country.name = g_strdup (g_dgettext (ISO_3166_1_DOMAIN, name));
      country->collate_key = g_utf8_collate_key (country->country.name, -1);
      g_ptr_array_add (table->list, country);
      g_hash_table_insert (table->by_code, country->country.code, country);
    }

  g_ptr_array_sort (table->list, compare_entries);

  return table;
}

static CountryTable *
get_table (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_table, NULL);
}

/**
 * certreq_country_list:
 *
 * Every ISO 3166-1 country that Debian's iso-codes knows, with its name
 * translated through iso-codes' own gettext domain, sorted by that name in
 * the current locale's collation. The list is read once per process.
 *
 * Returns: (transfer container) (element-type CertreqCountry): free it with
 *   g_ptr_array_unref(); the entries are shared and must not be freed
 */
GPtrArray *
certreq_country_list (void)
{
  CountryTable *table = get_table ();
  GPtrArray *copy = g_ptr_array_sized_new (table->list->len);
  guint i;

  for (i = 0; i < table->list->len; i++)
    g_ptr_array_add (copy, &((CountryEntry *) table->list->pdata[i])->country);

  return copy;
}

/**
 * certreq_country_is_valid:
 * @code: an ISO 3166-1 alpha-2 code
 *
 * Returns: %TRUE when @code is an upper-case alpha-2 code known to iso-codes
 */
gboolean
certreq_country_is_valid (const char *code)
{
  if (!is_alpha2 (code))
    return FALSE;

  return g_hash_table_contains (get_table ()->by_code, code);
}

/**
 * certreq_country_get_name:
 * @code: an ISO 3166-1 alpha-2 code
 *
 * Returns: (nullable): the translated country name, or %NULL for an unknown code
 */
const char *
certreq_country_get_name (const char *code)
{
  CountryEntry *entry;

  if (!is_alpha2 (code))
    return NULL;

  entry = g_hash_table_lookup (get_table ()->by_code, code);
  return entry != NULL ? entry->country.name : NULL;
}
