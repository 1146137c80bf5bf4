/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "certwiz-cli.h"

static const char *
cli_nonempty (const char *value)
{
  return value != NULL && *value != '\0' ? value : NULL;
}

/* The SIP domains a new request chooses: the primary one */
static char **
cli_server_default_sip_domains (CertreqServer *server)
{
  const char * const *domains = certreq_server_get_sip_domains (server);
  const char *primary[] = { domains[0], NULL };

  return g_strdupv ((char **) (domains[0] != NULL ? primary : domains));
}

static void
cli_server_print (CertreqServer *server)
{
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_autoptr(CliFields) names = cli_fields_new ();
  g_auto(GStrv) sip = cli_server_default_sip_domains (server);
  int u;

  cli_fields_add (fields, _("Server FQDN"), certreq_server_get_fqdn (server));
  cli_fields_add (fields, _("Pool FQDN"), certreq_server_get_pool_fqdn (server));
  cli_fields_add (fields, _("Web services internal FQDN"),
                  certreq_server_get_web_internal_fqdn (server));
  cli_fields_add (fields, _("Web services external FQDN"),
                  certreq_server_get_web_external_fqdn (server));
  /* Translators: separates the items of a list such as "Server default, Web services internal" */
  cli_fields_add_take (fields, _("SIP domains"),
                       g_strjoinv (_(", "), (char **) certreq_server_get_sip_domains (server)));
  cli_fields_add_take (fields, _("Simple URLs"),
                       g_strjoinv (_(", "), (char **) certreq_server_get_simple_urls (server)));
  cli_fields_print (fields, 0);

  g_print ("\n%s\n", _("Names each usage must cover:"));
  for (u = 0; u < CERTREQ_N_USAGES; u++)
    {
      g_auto(GStrv) usage_names = certreq_server_get_usage_names (server, u,
                                                                  (const char * const *) sip);

      cli_fields_add_take (names, certreq_usage_get_label (u),
                           g_strjoinv (_(", "), usage_names));
    }
  cli_fields_print (names, 2);
}

/* What `server show --json` prints, and `server set --json` after the change */
static gboolean
cli_server_print_json (CliContext     *ctx,
                       CertreqStore   *store,
                       CertreqServer  *server,
                       GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) sip = cli_server_default_sip_domains (server);
  int u;

  json_builder_begin_object (builder);
  cli_json_add_string (builder, "store", certreq_store_get_path (store));
  cli_json_add_string (builder, "fqdn", cli_nonempty (certreq_server_get_fqdn (server)));
  cli_json_add_string (builder, "pool_fqdn",
                       cli_nonempty (certreq_server_get_pool_fqdn (server)));
  cli_json_add_string (builder, "web_internal_fqdn",
                       cli_nonempty (certreq_server_get_web_internal_fqdn (server)));
  cli_json_add_string (builder, "web_external_fqdn",
                       cli_nonempty (certreq_server_get_web_external_fqdn (server)));
  cli_json_add_strv (builder, "sip_domains", certreq_server_get_sip_domains (server));
  cli_json_add_strv (builder, "simple_urls", certreq_server_get_simple_urls (server));
  json_builder_set_member_name (builder, "usage_names");
  json_builder_begin_object (builder);
  for (u = 0; u < CERTREQ_N_USAGES; u++)
    {
      g_auto(GStrv) names = certreq_server_get_usage_names (server, u,
                                                            (const char * const *) sip);

      cli_json_add_strv (builder, certreq_usage_to_id (u), (const char * const *) names);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return cli_json_print (ctx, builder, error);
}

gboolean
cli_cmd_server_show (CliContext  *ctx,
                     int          argc,
                     char       **argv,
                     GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqServer) server = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "server show", NULL,
                                    _("Shows the server profile (server FQDN, pool FQDN, web "
                                      "services FQDNs, SIP domains, simple URLs) and the names "
                                      "each certificate usage must cover."),
                                    entries);
  if (!cli_option_context_parse (context, "server show", &argc, &argv, 0, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  server = certreq_store_load_server (store, error);
  if (server == NULL)
    return FALSE;

  if (cli_json_wanted (ctx, json))
    return cli_server_print_json (ctx, store, server, error);

  cli_server_print (server);
  return TRUE;
}

gboolean
cli_cmd_server_set (CliContext  *ctx,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(CertreqServer) server = NULL;
  g_autofree char *fqdn = NULL;
  g_autofree char *pool_fqdn = NULL;
  g_autofree char *web_internal_fqdn = NULL;
  g_autofree char *web_external_fqdn = NULL;
  g_auto(GStrv) sip_domains = NULL;
  g_auto(GStrv) simple_urls = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "fqdn", 0, 0, G_OPTION_ARG_STRING, &fqdn,
      N_("The server’s fully qualified domain name"), N_("FQDN") },
    { "pool-fqdn", 0, 0, G_OPTION_ARG_STRING, &pool_fqdn,
      N_("The pool’s FQDN (empty to remove it)"), N_("FQDN") },
    { "web-internal-fqdn", 0, 0, G_OPTION_ARG_STRING, &web_internal_fqdn,
      N_("The internal web services FQDN (empty to remove it)"), N_("FQDN") },
    { "web-external-fqdn", 0, 0, G_OPTION_ARG_STRING, &web_external_fqdn,
      N_("The external web services FQDN (empty to remove it)"), N_("FQDN") },
    { "sip-domains", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sip_domains,
      N_("The SIP domains, comma-separated, the primary one first (empty to remove them)"),
      N_("LIST") },
    { "simple-urls", 0, 0, G_OPTION_ARG_STRING_ARRAY, &simple_urls,
      N_("The simple URLs’ host names, comma-separated (empty to remove them)"), N_("LIST") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the changed profile as JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "server set", NULL,
                                    _("Changes the fields given and keeps the others. The "
                                      "profile is validated before it is saved; nothing is "
                                      "changed if a field is not valid."),
                                    entries);
  if (!cli_option_context_parse (context, "server set", &argc, &argv, 0, error))
    return FALSE;

  if (fqdn == NULL && pool_fqdn == NULL && web_internal_fqdn == NULL &&
      web_external_fqdn == NULL && sip_domains == NULL && simple_urls == NULL)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("Nothing to change; run “certwiz-cli server set --help” for the "
                             "fields."));
      return FALSE;
    }

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  lock = cli_lock_store (store, error);
  if (lock == NULL)
    return FALSE;
  server = certreq_store_load_server (store, error);
  if (server == NULL)
    return FALSE;

  if (fqdn != NULL)
    certreq_server_set_fqdn (server, g_strstrip (fqdn));
  if (pool_fqdn != NULL)
    certreq_server_set_pool_fqdn (server, g_strstrip (pool_fqdn));
  if (web_internal_fqdn != NULL)
    certreq_server_set_web_internal_fqdn (server, g_strstrip (web_internal_fqdn));
  if (web_external_fqdn != NULL)
    certreq_server_set_web_external_fqdn (server, g_strstrip (web_external_fqdn));
  if (sip_domains != NULL)
    {
      g_auto(GStrv) list = cli_split_list ((const char * const *) sip_domains);

      certreq_server_set_sip_domains (server, (const char * const *) list);
    }
  if (simple_urls != NULL)
    {
      g_auto(GStrv) list = cli_split_list ((const char * const *) simple_urls);

      certreq_server_set_simple_urls (server, (const char * const *) list);
    }

  if (!certreq_server_validate (server, error) ||
      !certreq_store_save_server (store, server, error))
    return FALSE;

  if (cli_json_wanted (ctx, json))
    return cli_server_print_json (ctx, store, server, error);
  cli_server_print (server);
  return TRUE;
}
