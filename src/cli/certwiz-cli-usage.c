/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* certwiz-cli usage show|set and unassign */

#include "config.h"

#include <string.h>

#include "certwiz-cli.h"

static gboolean
cli_parse_usage_id (const char    *id,
                    CertreqUsage  *out_usage,
                    GError       **error)
{
  if (certreq_usage_from_id (id, out_usage))
    return TRUE;

  /* Translators: %s is what the user gave; the ids after the colon are literal */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
               _("There is no usage “%s”; the usages are default, web-internal, "
                 "web-external and oauth."), id);
  return FALSE;
}

static char *
cli_mode_string (guint mode)
{
  return g_strdup_printf ("%04o", mode != 0 ? mode : 0600);
}

/* ---- usage show ---- */

static void
cli_usage_to_json (JsonBuilder              *builder,
                   CertreqStore             *store,
                   CertreqUsage              usage,
                   const CertreqUsageConfig *config)
{
  g_autofree char *assigned = certreq_store_get_assigned (store, usage);
  g_autofree char *previous = certreq_store_get_previous (store, usage);
  g_autofree char *live = certreq_store_get_live_dir (store, usage);
  g_autofree char *mode = cli_mode_string (config->mode);

  json_builder_begin_object (builder);
  cli_json_add_string (builder, "id", certreq_usage_to_id (usage));
  cli_json_add_string (builder, "label", certreq_usage_get_label (usage));
  cli_json_add_string (builder, "assigned", assigned);
  cli_json_add_string (builder, "previous", previous);
  cli_json_add_string (builder, "live", live);
  cli_json_add_string (builder, "deploy", config->copy ? "copy" : "link");
  cli_json_add_string (builder, "target_dir", config->target_dir);
  cli_json_add_string (builder, "cert_path", config->cert_path);
  cli_json_add_string (builder, "key_path", config->key_path);
  cli_json_add_string (builder, "chain_path", config->chain_path);
  cli_json_add_string (builder, "fullchain_path", config->fullchain_path);
  cli_json_add_string (builder, "owner", config->owner);
  cli_json_add_string (builder, "group", config->group);
  cli_json_add_string (builder, "mode", mode);
  cli_json_add_strv (builder, "reload_command", (const char * const *) config->reload_argv);
  cli_json_add_string (builder, "check", config->check);
  json_builder_end_object (builder);
}

static void
cli_usage_print (CertreqStore             *store,
                 CertreqUsage              usage,
                 const CertreqUsageConfig *config)
{
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_autofree char *live = certreq_store_get_live_dir (store, usage);
  g_autofree char *reload = NULL;

  if (config->reload_argv != NULL)
    {
      g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);
      guint i;

      for (i = 0; config->reload_argv[i] != NULL; i++)
        g_ptr_array_add (quoted, g_shell_quote (config->reload_argv[i]));
      g_ptr_array_add (quoted, NULL);
      reload = g_strjoinv (" ", (char **) quoted->pdata);
    }

  cli_fields_add_take (fields, _("Assigned"), certreq_store_get_assigned (store, usage));
  cli_fields_add_take (fields, _("Previous"), certreq_store_get_previous (store, usage));
  cli_fields_add (fields, _("Live files"), live);
  cli_fields_add (fields, _("Deployment"),
                  config->copy ? _("copies of the live files")
                               : _("links to the live files"));
  cli_fields_add (fields, _("Target directory"), config->target_dir);
  if (config->target_dir == NULL)
    {
      cli_fields_add (fields, _("Certificate path"), config->cert_path);
      cli_fields_add (fields, _("Key path"), config->key_path);
      cli_fields_add (fields, _("Chain path"), config->chain_path);
      cli_fields_add (fields, _("Full chain path"), config->fullchain_path);
    }
  cli_fields_add (fields, _("Key owner"), config->owner != NULL ? config->owner : "root");
  cli_fields_add (fields, _("Key group"), config->group != NULL ? config->group : "root");
  cli_fields_add_take (fields, _("Key mode"), cli_mode_string (config->mode));
  cli_fields_add (fields, _("Reload command"), reload);
  cli_fields_add (fields, _("Check endpoint"), config->check);

  /* Translators: %1$s is a usage's label, %2$s its id such as web-internal */
  g_print (_("%1$s (%2$s)\n"), certreq_usage_get_label (usage), certreq_usage_to_id (usage));
  cli_fields_print (fields, 2);
}

gboolean
cli_cmd_usage_show (CliContext  *ctx,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean json = FALSE;
  gboolean first = TRUE;
  CertreqUsage only = 0;
  int u;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "usage show", _("[USAGE]"),
                                    _("Shows where each certificate usage’s files are "
                                      "deployed, their key’s owner, group and mode, the "
                                      "reload command and the check endpoint. USAGE is "
                                      "default, web-internal, web-external or oauth; "
                                      "without it, every usage is shown."),
                                    entries);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);
  /* Options are gone now: at most one argument may remain */
  if (argc > 2)
    {
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("Unexpected argument “%1$s”; run “certwiz-cli %2$s --help” for help."),
                   argv[2], "usage show");
      return FALSE;
    }
  if (argc == 2 && !cli_parse_usage_id (argv[1], &only, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "usages");
      json_builder_begin_array (builder);
    }

  for (u = 0; u < CERTREQ_N_USAGES; u++)
    {
      g_autoptr(CertreqUsageConfig) config = NULL;

      if (argc == 2 && (CertreqUsage) u != only)
        continue;
      config = certreq_store_get_usage_config (store, u, error);
      if (config == NULL)
        return FALSE;
      if (json)
        cli_usage_to_json (builder, store, u, config);
      else
        {
          if (!first)
            g_print ("\n");
          cli_usage_print (store, u, config);
        }
      first = FALSE;
    }

  if (json)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  return TRUE;
}

/* ---- usage set ---- */

static void
cli_replace (char       **field,
             const char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = *value != '\0' ? g_strdup (value) : NULL;
}

gboolean
cli_cmd_usage_set (CliContext  *ctx,
                   int          argc,
                   char       **argv,
                   GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqUsageConfig) config = NULL;
  g_autofree char *target_dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *chain_path = NULL;
  g_autofree char *fullchain_path = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *group = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *reload = NULL;
  g_autofree char *check = NULL;
  gboolean copy = FALSE;
  gboolean link = FALSE;
  gboolean no_reload = FALSE;
  gboolean no_targets = FALSE;
  gboolean json = FALSE;
  CertreqUsage usage;
  const GOptionEntry entries[] = {
    { "target-dir", 0, 0, G_OPTION_ARG_FILENAME, &target_dir,
      N_("Deploy cert.pem, chain.pem, fullchain.pem and privkey.pem into DIR"), N_("DIR") },
    { "cert-path", 0, 0, G_OPTION_ARG_FILENAME, &cert_path,
      N_("Deploy the certificate to FILE (instead of a target directory)"), N_("FILE") },
    { "key-path", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_("Deploy the private key to FILE"), N_("FILE") },
    { "chain-path", 0, 0, G_OPTION_ARG_FILENAME, &chain_path,
      N_("Deploy the issuing CA certificates to FILE"), N_("FILE") },
    { "fullchain-path", 0, 0, G_OPTION_ARG_FILENAME, &fullchain_path,
      N_("Deploy the certificate followed by its intermediates to FILE"), N_("FILE") },
    { "no-targets", 0, 0, G_OPTION_ARG_NONE, &no_targets,
      N_("Deploy nowhere but live/USAGE (forget the target directory and paths)"), NULL },
    { "link", 0, 0, G_OPTION_ARG_NONE, &link,
      N_("Make the targets links into live/USAGE (the default)"), NULL },
    { "copy", 0, 0, G_OPTION_ARG_NONE, &copy,
      N_("Make the targets copies, for a service that cannot follow links"), NULL },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner,
      N_("The user who owns the deployed private key (empty: root)"), N_("USER") },
    { "group", 0, 0, G_OPTION_ARG_STRING, &group,
      N_("The group of the deployed private key (empty: root)"), N_("GROUP") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("The deployed private key’s mode, at most 0640 (default 0600)"), N_("MODE") },
    { "reload", 0, 0, G_OPTION_ARG_STRING, &reload,
      N_("The command that makes the service load new files, one argument split like a "
         "shell would split it but run without a shell, e.g. \"systemctl reload nginx\""),
      N_("COMMAND") },
    { "no-reload", 0, 0, G_OPTION_ARG_NONE, &no_reload, N_("Run no reload command"), NULL },
    { "check", 0, 0, G_OPTION_ARG_STRING, &check,
      N_("The HOST:PORT where the service answers with the certificate (empty: none)"),
      N_("HOST:PORT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the changed settings as JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "usage set", _("USAGE"),
                                    _("Changes where a certificate usage’s files are deployed "
                                      "besides live/USAGE, who can read its private key, and "
                                      "how its service is reloaded. Options not given keep "
                                      "their value. Targets are links into live/USAGE unless "
                                      "--copy is given; then they are copies written so that a "
                                      "crash leaves each usage entirely old or entirely new. "
                                      "The new settings apply from the next assignment."),
                                    entries);
  if (!cli_option_context_parse (context, "usage set", &argc, &argv, 1, error))
    return FALSE;
  if (!cli_parse_usage_id (argv[1], &usage, error))
    return FALSE;

  if (copy && link)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("Give --copy or --link, not both."));
      return FALSE;
    }
  if (reload != NULL && no_reload)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("Give --reload or --no-reload, not both."));
      return FALSE;
    }

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  config = certreq_store_get_usage_config (store, usage, error);
  if (config == NULL)
    return FALSE;

  if (no_targets || target_dir != NULL ||
      cert_path != NULL || key_path != NULL || chain_path != NULL || fullchain_path != NULL)
    {
      /* A new set of targets replaces the old one as a whole */
      g_clear_pointer (&config->target_dir, g_free);
      g_clear_pointer (&config->cert_path, g_free);
      g_clear_pointer (&config->key_path, g_free);
      g_clear_pointer (&config->chain_path, g_free);
      g_clear_pointer (&config->fullchain_path, g_free);
    }
  cli_replace (&config->target_dir, target_dir);
  cli_replace (&config->cert_path, cert_path);
  cli_replace (&config->key_path, key_path);
  cli_replace (&config->chain_path, chain_path);
  cli_replace (&config->fullchain_path, fullchain_path);
  cli_replace (&config->owner, owner);
  cli_replace (&config->group, group);
  cli_replace (&config->check, check);
  if (copy || link)
    config->copy = copy;

  if (mode != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (mode, 8, 0, 07777, &value, NULL))
        {
          /* Translators: %s is what the user gave */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The mode “%s” is not an octal file mode such as 0640."), mode);
          return FALSE;
        }
      config->mode = (guint) value;
      if (config->mode == 0)
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The key’s mode %04o is not allowed: the owner must be able to read "
                         "the key, and nobody may execute it or read it beyond its group "
                         "(0600 or 0640, for example)."), 0u);
          return FALSE;
        }
    }

  if (no_reload)
    g_clear_pointer (&config->reload_argv, g_strfreev);
  else if (reload != NULL)
    {
      g_auto(GStrv) parsed = NULL;
      g_autoptr(GError) parse_error = NULL;

      if (!g_shell_parse_argv (reload, NULL, &parsed, &parse_error))
        {
          /* Translators: %1$s is the command given, %2$s why it cannot be split */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The reload command “%1$s” cannot be read: %2$s"), reload,
                       parse_error->message);
          return FALSE;
        }
      g_strfreev (config->reload_argv);
      config->reload_argv = g_steal_pointer (&parsed);
    }

  if (!certreq_store_set_usage_config (store, usage, config, error))
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      /* What `usage show USAGE --json` prints now */
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(CertreqUsageConfig) saved = certreq_store_get_usage_config (store, usage,
                                                                            error);

      if (saved == NULL)
        return FALSE;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "usages");
      json_builder_begin_array (builder);
      cli_usage_to_json (builder, store, usage, saved);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %s is a usage's label such as "Web services internal" */
  g_print (_("The settings of %s were saved; they apply from the next assignment.\n"),
           certreq_usage_get_label (usage));
  cli_usage_print (store, usage, config);
  return TRUE;
}

/* ---- unassign ---- */

gboolean
cli_cmd_unassign (CliContext  *ctx,
                  int          argc,
                  char       **argv,
                  GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_auto(GStrv) usage_values = NULL;
  g_auto(GStrv) list = NULL;
  g_autofree char *joined = NULL;
  CertreqUsageFlags usages = CERTREQ_USAGE_FLAG_NONE;
  CertreqUsageFlags had = CERTREQ_USAGE_FLAG_NONE;
  gboolean json = FALSE;
  int u;
  const GOptionEntry entries[] = {
    { "usage", 0, 0, G_OPTION_ARG_STRING_ARRAY, &usage_values,
      N_("The certificate usages, comma-separated: default, web-internal, web-external, "
         "oauth"), N_("LIST") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "unassign", NULL,
                                    _("Removes the certificate assignment of certificate "
                                      "usages. The certificate stays in the store, and the "
                                      "deployed files stay in place: the service keeps "
                                      "serving them until another certificate is assigned."),
                                    entries);
  if (!cli_option_context_parse (context, "unassign", &argc, &argv, 0, error))
    return FALSE;

  if (usage_values == NULL)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("Name the usages to unassign with --usage; run “certwiz-cli "
                             "unassign --help” for help."));
      return FALSE;
    }
  list = cli_split_list ((const char * const *) usage_values);
  joined = g_strjoinv (",", list);
  if (!certreq_usage_flags_parse (joined, &usages, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  for (u = 0; u < CERTREQ_N_USAGES; u++)
    {
      g_autofree char *assigned = certreq_store_get_assigned (store, u);

      if ((usages & CERTREQ_USAGE_TO_FLAG (u)) && assigned != NULL)
        had |= CERTREQ_USAGE_TO_FLAG (u);
    }

  if (!certreq_unassign (store, usages, error))
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      /* "usages": now without a certificate; "were-assigned": those that had one */
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_usages (builder, "usages", usages);
      cli_json_add_usages (builder, "were-assigned", had);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  for (u = 0; u < CERTREQ_N_USAGES; u++)
    {
      if (!(usages & CERTREQ_USAGE_TO_FLAG (u)))
        continue;
      if (had & CERTREQ_USAGE_TO_FLAG (u))
        /* Translators: %s is a usage's label such as "Web services internal" */
        g_print (_("%s: unassigned.\n"), certreq_usage_get_label (u));
      else
        /* Translators: %s is a usage's label such as "Web services internal" */
        g_print (_("%s: no certificate was assigned.\n"), certreq_usage_get_label (u));
    }

  g_print ("%s\n", _("The certificate stays in the store, and the deployed files stay in "
                     "place: the service keeps serving them until another certificate is "
                     "assigned."));
  return TRUE;
}
