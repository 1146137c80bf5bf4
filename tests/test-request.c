/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "certwiz-test-utils.h"

typedef struct
{
  CertreqServer  *server;
  CertreqRequest *request;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  unused)
{
  const char *sip[] = { "example.com", "example.org", NULL };
  const char *simple[] = { "meet.example.com", "*.dialin.example.com", NULL };

  fx->server = certreq_server_new ();
  certreq_server_set_fqdn (fx->server, "fe1.example.com");
  certreq_server_set_pool_fqdn (fx->server, "pool.example.com");
  certreq_server_set_web_internal_fqdn (fx->server, "webint.example.com");
  certreq_server_set_web_external_fqdn (fx->server, "webext.example.com");
  certreq_server_set_sip_domains (fx->server, sip);
  certreq_server_set_simple_urls (fx->server, simple);
  fx->request = certreq_request_new (fx->server);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  unused)
{
  g_clear_object (&fx->request);
  g_clear_object (&fx->server);
}

static char *
join (char **names)
{
  return g_strjoinv (",", names);
}

static void
test_defaults (Fixture       *fx,
               gconstpointer  unused)
{
  g_test_summary ("A new request has the original wizard's defaults");

  g_assert_true (certreq_request_get_server (fx->request) == fx->server);
  g_assert_cmpint (certreq_request_get_usages (fx->request), ==, CERTREQ_USAGE_FLAGS_STANDARD);
  g_assert_true (certreq_request_get_online (fx->request));
  g_assert_cmpstr (certreq_request_get_ca_id (fx->request), ==, "local");
  g_assert_false (certreq_request_get_use_credentials (fx->request));
  g_assert_false (certreq_request_get_use_template (fx->request));
  g_assert_cmpstr (certreq_request_get_template (fx->request), ==, "WebServer");
  g_assert_cmpint (certreq_request_get_key_type (fx->request), ==, CERTREQ_KEY_TYPE_RSA_2048);
  g_assert_false (certreq_request_get_exportable (fx->request));
  g_assert_cmpstr (certreq_request_get_friendly_name (fx->request), ==, "");
  g_assert_cmpstr (certreq_request_get_password (fx->request), ==, "");
  g_assert_cmpstr (certreq_request_get_country (fx->request), ==, "");
  /* The primary SIP domain is chosen */
  g_assert_cmpstr (certreq_request_get_sip_domains (fx->request)[0], ==, "example.com");
  g_assert_null (certreq_request_get_sip_domains (fx->request)[1]);
  g_assert_null (certreq_request_get_extra_names (fx->request)[0]);

  /* Without SIP domains in the profile, none is chosen; without a profile, the machine's */
  {
    g_autoptr(CertreqRequest) bare = certreq_request_new (NULL);

    g_assert_nonnull (certreq_request_get_server (bare));
    g_assert_null (certreq_request_get_sip_domains (bare)[0]);
  }

  g_assert_true (certreq_request_validate (fx->request, NULL, NULL));
}

static void
test_derived_names (Fixture       *fx,
                    gconstpointer  unused)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *cn = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Names and CN derive from the profile, usages, SIP domains and extra names");

  names = certreq_request_get_names (fx->request);
  joined = join (names);
  g_assert_cmpstr (joined, ==, "pool.example.com,fe1.example.com,sip.example.com,"
                               "webint.example.com,meet.example.com,*.dialin.example.com,"
                               "webext.example.com");
  cn = certreq_request_get_common_name (fx->request);
  g_assert_cmpstr (cn, ==, "pool.example.com");

  g_assert_true (certreq_request_add_extra_name (fx->request, " extra.example.net ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_request_get_extra_names (fx->request)[0], ==, "extra.example.net");

  certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAG_OAUTH);
  g_clear_pointer (&names, g_strfreev);
  g_clear_pointer (&joined, g_free);
  g_clear_pointer (&cn, g_free);
  names = certreq_request_get_names (fx->request);
  joined = join (names);
  g_assert_cmpstr (joined, ==, "example.com,extra.example.net");
  cn = certreq_request_get_common_name (fx->request);
  g_assert_cmpstr (cn, ==, "example.com");

  /* An extra name equal to a derived one appears once */
  {
    const char *extra[] = { "EXAMPLE.com", "x.example.net", "X.example.net", NULL };

    certreq_request_set_extra_names (fx->request, extra);
    g_clear_pointer (&names, g_strfreev);
    g_clear_pointer (&joined, g_free);
    names = certreq_request_get_names (fx->request);
    joined = join (names);
    g_assert_cmpstr (joined, ==, "example.com,x.example.net");
  }

  /* Both SIP domains chosen, default usage */
  {
    const char *sip[] = { "example.com", "example.org", NULL };

    certreq_request_set_extra_names (fx->request, NULL);
    certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAG_DEFAULT);
    certreq_request_set_sip_domains (fx->request, sip);
    g_clear_pointer (&names, g_strfreev);
    g_clear_pointer (&joined, g_free);
    names = certreq_request_get_names (fx->request);
    joined = join (names);
    g_assert_cmpstr (joined, ==, "pool.example.com,fe1.example.com,sip.example.com,"
                                 "sip.example.org");
  }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;
  const char *name = g_intern_string (pspec->name);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, g_intern_string (name)));
}

static void
test_notify (Fixture       *fx,
             gconstpointer  unused)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  const char *extra[] = { "a.example.net", NULL };
  const char *sip[] = { "example.org", NULL };
  static const char * const plain[] = {
    "ca-id", "username", "password", "template", "friendly-name", "organization",
    "organizational-unit", "country", "state", "locality",
  };
  guint i;

  g_test_summary ("Every setter notifies once per change; names and CN follow their inputs");
  g_signal_connect (fx->request, "notify", G_CALLBACK (count_notify), counts);

  for (i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_object_set (fx->request, plain[i], "X", NULL);
      g_object_set (fx->request, plain[i], "X", NULL);
      g_assert_cmpuint (count_of (counts, plain[i]), ==, 1);
    }
  certreq_request_set_online (fx->request, FALSE);
  certreq_request_set_online (fx->request, FALSE);
  g_assert_cmpuint (count_of (counts, "online"), ==, 1);
  certreq_request_set_use_credentials (fx->request, TRUE);
  g_assert_cmpuint (count_of (counts, "use-credentials"), ==, 1);
  certreq_request_set_use_template (fx->request, TRUE);
  g_assert_cmpuint (count_of (counts, "use-template"), ==, 1);
  certreq_request_set_exportable (fx->request, TRUE);
  g_assert_cmpuint (count_of (counts, "exportable"), ==, 1);
  certreq_request_set_key_type (fx->request, CERTREQ_KEY_TYPE_EC_P256);
  certreq_request_set_key_type (fx->request, CERTREQ_KEY_TYPE_EC_P256);
  g_assert_cmpuint (count_of (counts, "key-type"), ==, 1);
  g_assert_cmpuint (count_of (counts, "names"), ==, 0);
  g_assert_cmpuint (count_of (counts, "common-name"), ==, 0);

  certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  g_assert_cmpuint (count_of (counts, "usages"), ==, 1);
  g_assert_cmpuint (count_of (counts, "names"), ==, 1);
  g_assert_cmpuint (count_of (counts, "common-name"), ==, 1);

  certreq_request_set_sip_domains (fx->request, sip);
  g_assert_cmpuint (count_of (counts, "sip-domains"), ==, 1);
  g_assert_cmpuint (count_of (counts, "names"), ==, 2);

  certreq_request_set_extra_names (fx->request, extra);
  certreq_request_set_extra_names (fx->request, extra);
  g_assert_cmpuint (count_of (counts, "extra-names"), ==, 1);
  g_assert_cmpuint (count_of (counts, "names"), ==, 3);

  /* A change in the server profile changes the derived names */
  certreq_server_set_web_external_fqdn (fx->server, "other.example.com");
  g_assert_cmpuint (count_of (counts, "names"), ==, 4);
  g_assert_cmpuint (count_of (counts, "common-name"), ==, 4);
  {
    g_autofree char *cn = NULL;
    g_auto(GStrv) names = NULL;

    g_object_get (fx->request, "common-name", &cn, "names", &names, NULL);
    g_assert_cmpstr (cn, ==, "other.example.com");
    g_assert_cmpstr (names[0], ==, "other.example.com");
  }

  /* The template property is the name entered; the getter is the one in effect */
  {
    g_autofree char *template = NULL;

    certreq_request_set_use_template (fx->request, FALSE);
    certreq_request_set_template (fx->request, "Alt");
    g_object_get (fx->request, "template", &template, NULL);
    g_assert_cmpstr (template, ==, "Alt");
    g_assert_cmpstr (certreq_request_get_template (fx->request), ==, "WebServer");
    certreq_request_set_use_template (fx->request, TRUE);
    g_assert_cmpstr (certreq_request_get_template (fx->request), ==, "Alt");
  }
}

typedef void (*Setter) (CertreqRequest *request, const char *value);
typedef gboolean (*Validator) (CertreqRequest *request, GError **error);

static gboolean
validate_basics_no_store (CertreqRequest  *request,
                          GError         **error)
{
  return certreq_request_validate_basics (request, NULL, error);
}

static void
set_use_credentials_with_user (CertreqRequest *request,
                               const char     *value)
{
  certreq_request_set_use_credentials (request, TRUE);
  certreq_request_set_username (request, value);
}

static void
set_use_template_with_name (CertreqRequest *request,
                            const char     *value)
{
  certreq_request_set_use_template (request, TRUE);
  certreq_request_set_template (request, value);
}

static void
set_usages_text (CertreqRequest *request,
                 const char     *value)
{
  CertreqUsageFlags flags = CERTREQ_USAGE_FLAG_NONE;

  if (*value != '\0')
    g_assert_true (certreq_usage_flags_parse (value, &flags, NULL));
  certreq_request_set_usages (request, flags);
}

static void
set_extra_names_text (CertreqRequest *request,
                      const char     *value)
{
  g_auto(GStrv) names = g_strsplit (value, ",", -1);

  certreq_request_set_extra_names (request, (const char * const *) names);
}

static void
set_sip_domains_text (CertreqRequest *request,
                      const char     *value)
{
  g_auto(GStrv) names = g_strsplit (value, ",", -1);

  certreq_request_set_sip_domains (request, (const char * const *) names);
}

static void
set_server_fqdn (CertreqRequest *request,
                 const char     *value)
{
  CertreqServer *server = certreq_request_get_server (request);

  certreq_server_set_pool_fqdn (server, "");
  certreq_server_set_fqdn (server, value);
}

static char *
repeat (const char *s,
        guint       n)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < n; i++)
    g_string_append (out, s);
  return g_string_free (out, FALSE);
}

static void
test_validators (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autofree char *c64 = repeat ("a", 64);
  g_autofree char *c65 = repeat ("a", 65);
  g_autofree char *u64 = repeat ("ü", 64);
  g_autofree char *c128 = repeat ("b", 128);
  g_autofree char *c129 = repeat ("b", 129);
  /* a 65-character common name made of valid labels */
  g_autofree char *l30 = repeat ("c", 30);
  g_autofree char *cn64 = g_strdup_printf ("%s.%s.ab", l30, l30);
  g_autofree char *cn65 = g_strdup_printf ("%s.%s.abc", l30, l30);
  const struct
  {
    Setter      set;
    Validator   validate;
    const char *value;
    const char *message;   /* NULL: valid */
  } table[] = {
    { set_usages_text, certreq_request_validate_usages, "default", NULL },
    { set_usages_text, certreq_request_validate_usages, "", "Choose at least one certificate usage." },
    { certreq_request_set_ca_id, certreq_request_validate_ca, "local", NULL },
    { certreq_request_set_ca_id, certreq_request_validate_ca, "", "Choose a certification authority." },
    { certreq_request_set_ca_id, certreq_request_validate_ca, "  ", "certification authority" },
    { set_use_credentials_with_user, certreq_request_validate_account, "admin", NULL },
    { set_use_credentials_with_user, certreq_request_validate_account, "", "user name" },
    { set_use_credentials_with_user, certreq_request_validate_account, "a\tb", "control characters" },
    { certreq_request_set_username, certreq_request_validate_account, "", NULL },
    { set_use_template_with_name, certreq_request_validate_template, "WebServer2", NULL },
    { set_use_template_with_name, certreq_request_validate_template, "", "template" },
    { set_use_template_with_name, certreq_request_validate_template, "Web Server",
      "The certificate template name “Web Server” is not valid" },
    { set_use_template_with_name, certreq_request_validate_template, "Web\nServer", "template name" },
    { certreq_request_set_template, certreq_request_validate_template, "", NULL },
    { certreq_request_set_friendly_name, validate_basics_no_store, "", NULL },
    { certreq_request_set_friendly_name, validate_basics_no_store, c64, NULL },
    { certreq_request_set_friendly_name, validate_basics_no_store, u64, NULL },
    { certreq_request_set_friendly_name, validate_basics_no_store, c65, "friendly name is longer than 64" },
    { certreq_request_set_friendly_name, validate_basics_no_store, "Lync\x01", "friendly name must not contain control" },
    { certreq_request_set_organization, certreq_request_validate_organization, c64, NULL },
    { certreq_request_set_organization, certreq_request_validate_organization, c65, "organization is longer than 64" },
    { certreq_request_set_organization, certreq_request_validate_organization, "a\nb", "organization must not" },
    { certreq_request_set_organizational_unit, certreq_request_validate_organization, c64, NULL },
    { certreq_request_set_organizational_unit, certreq_request_validate_organization, c65, "organizational unit is longer than 64" },
    { certreq_request_set_country, certreq_request_validate_geography, "", NULL },
    { certreq_request_set_country, certreq_request_validate_geography, "DE", NULL },
    { certreq_request_set_country, certreq_request_validate_geography, "de", "The country “de”" },
    { certreq_request_set_country, certreq_request_validate_geography, "XX", "The country “XX”" },
    { certreq_request_set_country, certreq_request_validate_geography, "DEU", "ISO 3166" },
    { certreq_request_set_state, certreq_request_validate_geography, c128, NULL },
    { certreq_request_set_state, certreq_request_validate_geography, c129, "state or province is longer than 128" },
    { certreq_request_set_locality, certreq_request_validate_geography, c128, NULL },
    { certreq_request_set_locality, certreq_request_validate_geography, c129, "city or locality is longer than 128" },
    { set_extra_names_text, certreq_request_validate_names, "a.example.net,*.example.net", NULL },
    { set_extra_names_text, certreq_request_validate_names, "a..example.net",
      "The additional subject alternative name “a..example.net” is not valid: a label is empty." },
    { set_extra_names_text, certreq_request_validate_names, "a.*.example.net", "whole left-most label" },
    { set_extra_names_text, certreq_request_validate_names, "a.example.net,A.example.net",
      "The name “A.example.net” appears twice" },
    { set_extra_names_text, certreq_request_validate_names, "fe1.example.com",
      "The name “fe1.example.com” appears twice" },
    { set_sip_domains_text, certreq_request_validate_names, "example.org", NULL },
    { set_sip_domains_text, certreq_request_validate_names, "example.net",
      "The SIP domain “example.net” is not one of the server profile" },
    { set_server_fqdn, certreq_request_validate_names, "fe1..example.com",
      "The server FQDN “fe1..example.com” is not valid" },
    { set_server_fqdn, certreq_request_validate_names, "fe_1.example.com", "server FQDN" },
    { set_server_fqdn, certreq_request_validate_names, cn64, NULL },
    { set_server_fqdn, certreq_request_validate_names, cn65, "longer than 64 characters" },
  };
  guint i;

  g_test_summary ("Each page validator accepts good values and names the field of bad ones");

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(CertreqRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      /* A fresh profile and request per row: some rows change the profile */
      fixture_teardown (fx, NULL);
      fixture_setup (fx, NULL);
      request = g_object_ref (fx->request);

      g_test_message ("row %u: %s", i, table[i].value);
      table[i].set (request, table[i].value);
      ok = table[i].validate (request, &error);
      if (table[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_true (certreq_request_validate (request, NULL, NULL));
        }
      else
        {
          g_autoptr(GError) all_error = NULL;

          g_assert_false (ok);
          g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
          g_assert_nonnull (strstr (error->message, table[i].message));
          /* The whole validation stops at the same problem */
          g_assert_false (certreq_request_validate (request, NULL, &all_error));
          g_assert_cmpstr (all_error->message, ==, error->message);
        }
    }
}

static void
test_add_extra_name (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Adding an extra name refuses invalid names and duplicates");

  g_assert_true (certreq_request_add_extra_name (fx->request, "*.apps.example.com", &error));
  g_assert_no_error (error);

  g_assert_false (certreq_request_add_extra_name (fx->request, "*.APPS.example.com", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "already among"));
  g_clear_error (&error);

  g_assert_false (certreq_request_add_extra_name (fx->request, "pool.example.com", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  g_assert_false (certreq_request_add_extra_name (fx->request, "bad_name.example.com", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "additional subject alternative name"));
  g_clear_error (&error);

  g_assert_false (certreq_request_add_extra_name (fx->request, "", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  g_assert_cmpuint (g_strv_length ((char **) certreq_request_get_extra_names (fx->request)), ==, 1);

  certreq_request_remove_extra_name (fx->request, "*.Apps.Example.com");
  g_assert_null (certreq_request_get_extra_names (fx->request)[0]);
  certreq_request_remove_extra_name (fx->request, "not-there.example.com");
}

static void
test_friendly_name (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *expected = g_strdup_printf ("pool.example.com %s", date);
  g_autofree char *effective = NULL;
  g_autofree char *typed = NULL;

  g_test_summary ("An empty friendly name is generated from the CN and the date");
  effective = certreq_request_get_effective_friendly_name (fx->request);
  g_assert_cmpstr (effective, ==, expected);

  certreq_request_set_friendly_name (fx->request, "Lync 2026");
  typed = certreq_request_get_effective_friendly_name (fx->request);
  g_assert_cmpstr (typed, ==, "Lync 2026");
}

static void
test_csr_spec (Fixture       *fx,
               gconstpointer  unused)
{
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(CertreqCsrSpec) web = NULL;
  g_autofree char *names = NULL;

  g_test_summary ("The CSR spec has the subject, names and EKU; clientAuth only with default");

  certreq_request_set_organization (fx->request, "Example AG");
  certreq_request_set_country (fx->request, "DE");
  certreq_request_set_locality (fx->request, "Köln");
  spec = certreq_request_get_csr_spec (fx->request);
  g_assert_cmpstr (spec->common_name, ==, "pool.example.com");
  g_assert_cmpstr (spec->organization, ==, "Example AG");
  g_assert_null (spec->organizational_unit);
  g_assert_cmpstr (spec->country, ==, "DE");
  g_assert_null (spec->state);
  g_assert_cmpstr (spec->locality, ==, "Köln");
  names = g_strjoinv (",", spec->dns_names);
  g_assert_cmpstr (names, ==, "pool.example.com,fe1.example.com,sip.example.com,"
                              "webint.example.com,meet.example.com,*.dialin.example.com,"
                              "webext.example.com");
  g_assert_cmpint (spec->eku, ==, CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH);

  certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAG_WEB_INTERNAL |
                                           CERTREQ_USAGE_FLAG_OAUTH);
  web = certreq_request_get_csr_spec (fx->request);
  g_assert_cmpint (web->eku, ==, CERTREQ_EKU_SERVER_AUTH);
  g_assert_cmpstr (web->common_name, ==, "webint.example.com");
}

static void
fill_everything (CertreqRequest *request)
{
  const char *extra[] = { "x.example.net", "*.y.example.net", NULL };
  const char *sip[] = { "example.com", "example.org", NULL };

  certreq_request_set_usages (request, CERTREQ_USAGE_FLAG_DEFAULT | CERTREQ_USAGE_FLAG_OAUTH);
  certreq_request_set_online (request, FALSE);
  certreq_request_set_ca_id (request, "acme-1");
  certreq_request_set_use_credentials (request, TRUE);
  certreq_request_set_username (request, "EXAMPLE\\certadmin");
  certreq_request_set_password (request, "s3cret-pa55");
  certreq_request_set_use_template (request, TRUE);
  certreq_request_set_template (request, "LyncWeb");
  certreq_request_set_friendly_name (request, "Front end; 2026 [main]");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P384);
  certreq_request_set_exportable (request, TRUE);
  certreq_request_set_organization (request, "Example, Inc.");
  certreq_request_set_organizational_unit (request, "IT");
  certreq_request_set_country (request, "CH");
  certreq_request_set_state (request, "Zürich");
  certreq_request_set_locality (request, "Zürich");
  certreq_request_set_sip_domains (request, sip);
  certreq_request_set_extra_names (request, extra);
}

static void
assert_same_fields (CertreqRequest *a,
                    CertreqRequest *b)
{
  g_assert_cmpint (certreq_request_get_usages (a), ==, certreq_request_get_usages (b));
  g_assert_cmpint (certreq_request_get_online (a), ==, certreq_request_get_online (b));
  g_assert_cmpstr (certreq_request_get_ca_id (a), ==, certreq_request_get_ca_id (b));
  g_assert_cmpint (certreq_request_get_use_credentials (a), ==,
                   certreq_request_get_use_credentials (b));
  g_assert_cmpstr (certreq_request_get_username (a), ==, certreq_request_get_username (b));
  g_assert_cmpint (certreq_request_get_use_template (a), ==, certreq_request_get_use_template (b));
  g_assert_cmpstr (certreq_request_get_template (a), ==, certreq_request_get_template (b));
  g_assert_cmpstr (certreq_request_get_friendly_name (a), ==,
                   certreq_request_get_friendly_name (b));
  g_assert_cmpint (certreq_request_get_key_type (a), ==, certreq_request_get_key_type (b));
  g_assert_cmpint (certreq_request_get_exportable (a), ==, certreq_request_get_exportable (b));
  g_assert_cmpstr (certreq_request_get_organization (a), ==, certreq_request_get_organization (b));
  g_assert_cmpstr (certreq_request_get_organizational_unit (a), ==,
                   certreq_request_get_organizational_unit (b));
  g_assert_cmpstr (certreq_request_get_country (a), ==, certreq_request_get_country (b));
  g_assert_cmpstr (certreq_request_get_state (a), ==, certreq_request_get_state (b));
  g_assert_cmpstr (certreq_request_get_locality (a), ==, certreq_request_get_locality (b));
  g_assert_true (g_strv_equal (certreq_request_get_sip_domains (a),
                               certreq_request_get_sip_domains (b)));
  g_assert_true (g_strv_equal (certreq_request_get_extra_names (a),
                               certreq_request_get_extra_names (b)));
}

static void
test_copy (Fixture       *fx,
           gconstpointer  unused)
{
  g_autoptr(CertreqRequest) copy = NULL;

  g_test_summary ("A copy is deep: its own profile, every field, the password too");
  fill_everything (fx->request);
  copy = certreq_request_copy (fx->request);

  assert_same_fields (fx->request, copy);
  g_assert_cmpstr (certreq_request_get_password (copy), ==, "s3cret-pa55");
  g_assert_true (certreq_request_get_server (copy) != fx->server);
  g_assert_cmpstr (certreq_server_get_pool_fqdn (certreq_request_get_server (copy)), ==,
                   "pool.example.com");

  /* Changing the original does not change the copy */
  certreq_request_set_organization (fx->request, "Other");
  certreq_server_set_pool_fqdn (fx->server, "pool2.example.com");
  g_assert_cmpstr (certreq_request_get_organization (copy), ==, "Example, Inc.");
  g_assert_cmpstr (certreq_server_get_pool_fqdn (certreq_request_get_server (copy)), ==,
                   "pool.example.com");
}

static void
test_key_file (Fixture       *fx,
               gconstpointer  unused)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(CertreqRequest) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  g_test_summary ("Every field survives a key file, except the password, which is never written");
  fill_everything (fx->request);
  certreq_request_to_key_file (fx->request, key_file, "request");
  data = g_key_file_to_data (key_file, NULL, NULL);

  g_assert_null (strstr (data, "s3cret-pa55"));
  g_assert_null (strstr (data, "password"));
  g_assert_nonnull (strstr (data, "key-type=p384"));
  g_assert_nonnull (strstr (data, "usages=default,oauth"));

  loaded = certreq_request_new_from_key_file (fx->server, key_file, "request", &error);
  g_assert_no_error (error);
  assert_same_fields (fx->request, loaded);
  g_assert_cmpstr (certreq_request_get_password (loaded), ==, "");

  /* Missing group and bad values are BAD_FORMAT */
  g_clear_object (&loaded);
  loaded = certreq_request_new_from_key_file (fx->server, key_file, "other", &error);
  g_assert_null (loaded);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  g_key_file_set_string (key_file, "request", "key-type", "rsa1024");
  loaded = certreq_request_new_from_key_file (fx->server, key_file, "request", &error);
  g_assert_null (loaded);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_assert_nonnull (strstr (error->message, "rsa1024"));
  g_clear_error (&error);

  g_key_file_set_string (key_file, "request", "key-type", "rsa2048");
  g_key_file_set_string (key_file, "request", "usages", "default,mtls");
  loaded = certreq_request_new_from_key_file (fx->server, key_file, "request", &error);
  g_assert_null (loaded);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
}

static void
test_password (Fixture       *fx,
               gconstpointer  unused)
{
  g_test_summary ("The password is kept until changed, and cleared with NULL or \"\"");
  certreq_request_set_password (fx->request, "one");
  g_assert_cmpstr (certreq_request_get_password (fx->request), ==, "one");
  certreq_request_set_password (fx->request, "two");
  g_assert_cmpstr (certreq_request_get_password (fx->request), ==, "two");
  certreq_request_set_password (fx->request, NULL);
  g_assert_cmpstr (certreq_request_get_password (fx->request), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  certwiz_test_init (&argc, &argv);

#define ADD(path, fn) \
  g_test_add ("/certreq/request/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("defaults", test_defaults);
  ADD ("derived-names", test_derived_names);
  ADD ("notify", test_notify);
  ADD ("validators", test_validators);
  ADD ("add-extra-name", test_add_extra_name);
  ADD ("friendly-name", test_friendly_name);
  ADD ("csr-spec", test_csr_spec);
  ADD ("copy", test_copy);
  ADD ("key-file", test_key_file);
  ADD ("password", test_password);

#undef ADD

  return g_test_run ();
}
