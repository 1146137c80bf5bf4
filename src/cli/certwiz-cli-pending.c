/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "certwiz-cli.h"

/* Parses options and accepts up to @max_args positional arguments */
static gboolean
cli_parse_up_to (GOptionContext   *context,
                 const char       *command,
                 int              *argc,
                 char           ***argv,
                 int               max_args,
                 GError          **error)
{
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc - 1 > max_args)
    {
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("Unexpected argument “%1$s”; run “certwiz-cli %2$s --help” for help."),
                   (*argv)[max_args + 1], command);
      return FALSE;
    }

  return TRUE;
}

static const char *
cli_pending_state_text (CertreqPendingState state,
                        gboolean            offline)
{
  switch (state)
    {
    case CERTREQ_PENDING_CREATED:
      return _("Created, not sent yet");
    case CERTREQ_PENDING_SUBMITTED:
      return _("Sent; the certification authority has not answered yet");
    case CERTREQ_PENDING_PENDING:
      return offline ? _("Written to a file; waiting for the certificate to be imported")
                     : _("Pending: the certification authority holds it for approval");
    case CERTREQ_PENDING_ISSUED:
      return _("Issued; the certificate is not stored yet");
    case CERTREQ_PENDING_DENIED:
    default:
      return _("Denied by the certification authority");
    }
}

/* ---- pending list ---- */

gboolean
cli_cmd_pending_list (CliContext  *ctx,
                      int          argc,
                      char       **argv,
                      GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  gboolean json = FALSE;
  guint i;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "pending list", NULL,
                                    _("Lists the requests waiting in the store: requests a "
                                      "certification authority holds for approval, offline "
                                      "requests waiting for their certificate, and denied "
                                      "requests."),
                                    entries);
  if (!cli_option_context_parse (context, "pending list", &argc, &argv, 0, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  infos = certreq_pending_list (store, error);
  if (infos == NULL)
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (i = 0; i < infos->len; i++)
        {
          const CertreqPendingInfo *info = g_ptr_array_index (infos, i);

          json_builder_begin_object (builder);
          cli_json_add_string (builder, "id", info->id);
          cli_json_add_string (builder, "state", certreq_pending_state_to_id (info->state));
          cli_json_add_string (builder, "ca", info->ca_id);
          cli_json_add_string (builder, "ca_request_id", info->ca_request_id);
          cli_json_add_string (builder, "reason", info->reason);
          cli_json_add_string (builder, "friendly_name", info->friendly_name);
          cli_json_add_string (builder, "common_name", info->common_name);
          cli_json_add_usages (builder, "usages", info->usages);
          cli_json_add_date (builder, "created", info->created);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      return cli_json_print (ctx, builder, error);
    }

  if (infos->len == 0)
    {
      g_print ("%s\n", _("No request is pending."));
      return TRUE;
    }

  for (i = 0; i < infos->len; i++)
    {
      const CertreqPendingInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(CliFields) fields = cli_fields_new ();
      g_autoptr(CertreqCaClient) client = NULL;
      gboolean offline = g_strcmp0 (info->ca_id, CERTREQ_OFFLINE_CA_ID) == 0;

      if (i > 0)
        g_print ("\n");
      cli_fields_add (fields, _("Pending request"), info->id);
      cli_fields_add (fields, _("Status"), cli_pending_state_text (info->state, offline));
      if (info->reason != NULL)
        cli_fields_add (fields, _("Reason"), info->reason);
      if (!offline)
        client = certreq_ca_client_new_for_id (store, info->ca_id, NULL);
      cli_fields_add (fields, _("Certification authority"),
                      offline ? _("Offline (request file)")
                      : client != NULL ? certreq_ca_client_get_name (client) : info->ca_id);
      cli_fields_add (fields, _("Request ID"), info->ca_request_id);
      cli_fields_add (fields, _("Subject"), info->common_name);
      cli_fields_add (fields, _("Friendly name"), info->friendly_name);
      cli_fields_add_take (fields, _("Usages"), cli_format_usages (info->usages));
      cli_fields_add_take (fields, _("Created"), cli_format_date (info->created, FALSE));
      cli_fields_print (fields, 0);
    }

  return TRUE;
}

/* ---- pending retrieve ---- */

/* Retrieves one entry and prints what the CA said, as `request` does, or adds its
 * JSON object to @builder when there is one.
 * @out_denied: set when the CA denied it (printed, not an error) */
static gboolean
cli_retrieve_one (CliContext    *ctx,
                  CertreqStore  *store,
                  const char    *id,
                  JsonBuilder   *builder,
                  gboolean      *out_denied,
                  GError       **error)
{
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  CliWait wait;

  /* The request as it was made, for the friendly name and usages of the status */
  server = certreq_store_load_server (store, NULL);
  request = certreq_store_pending_load_request (store, id, server, error);
  if (request == NULL)
    return FALSE;

  cli_wait_init (&wait, ctx);
  certreq_pending_retrieve_async (store, id, cli_on_progress, &wait, wait.cancellable,
                                  cli_on_ready, &wait);
  cli_wait_run (&wait);
  result = certreq_pending_retrieve_finish (wait.result, error);
  cli_wait_clear (&wait);
  if (result == NULL)
    return FALSE;

  if (result->status == CERTREQ_SUBMIT_DENIED)
    *out_denied = TRUE;
  if (builder != NULL)
    {
      cli_json_add_submit_result (builder, request, result);
      return TRUE;
    }

  switch (result->status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      cli_request_print_issued (ctx, store, request, result);
      break;

    case CERTREQ_SUBMIT_PENDING:
      cli_request_print_pending (ctx, result);
      break;

    case CERTREQ_SUBMIT_DENIED:
    default:
      {
        g_autoptr(CliFields) fields = cli_fields_new ();
        g_autofree char *prefix = cli_command_prefix (ctx);

        cli_fields_add (fields, _("Status"), _("The certification authority denied the request."));
        cli_fields_add (fields, _("Reason"), result->reason);
        cli_fields_add (fields, _("Certification authority"), result->ca_name);
        cli_fields_add (fields, _("Request ID"), result->request_id);
        cli_fields_add (fields, _("Pending request"), result->pending_id);
        cli_fields_add (fields, _("Log"), result->log_path);
        cli_fields_print (fields, 0);
        g_print ("\n%s\n", _("The entry is kept as a record; remove it with its key:"));
        g_print ("  %s pending clear %s\n", prefix, id);
      }
      break;
    }

  return TRUE;
}

gboolean
cli_cmd_pending_retrieve (CliContext  *ctx,
                          int          argc,
                          char       **argv,
                          GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean denied = FALSE;
  gboolean json = FALSE;
  guint done = 0;
  guint i;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "pending retrieve", _("[PENDING-ID]"),
                                    _("Asks the certification authority about a pending "
                                      "request (“certwiz-cli pending list” shows the IDs), or "
                                      "about every request waiting on a certification "
                                      "authority when no ID is given. An issued certificate is "
                                      "stored with its key, as “certwiz-cli request” does."),
                                    entries);
  if (!cli_parse_up_to (context, "pending retrieve", &argc, &argv, 1, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (cli_json_wanted (ctx, json))
    builder = json_builder_new ();

  if (argc == 2)
    {
      if (!cli_retrieve_one (ctx, store, argv[1], builder, &denied, error))
        return FALSE;
      if (denied && builder != NULL)
        {
          g_autofree char *message = NULL;

          /* Translators: %s is a pending request's id */
          message = g_strdup_printf (_("The certification authority denied the request %s."),
                                     argv[1]);
          /* The result says it; the exit status and a line on stderr too */
          cli_set_exit_code (ctx, CERTREQ_ERROR_CA_REJECTED);
          g_printerr ("certwiz-cli: %s\n", message);
        }
      else if (denied)
        {
          /* As `request`: a denial is the command's failure (exit status) */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                       _("The certification authority denied the request %s."), argv[1]);
          return FALSE;
        }
      return builder == NULL || cli_json_print (ctx, builder, error);
    }

  infos = certreq_pending_list (store, error);
  if (infos == NULL)
    return FALSE;
  if (builder != NULL)
    {
      /* {"results": [one object as for a single ID, …]} */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
    }
  for (i = 0; i < infos->len; i++)
    {
      const CertreqPendingInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GError) local_error = NULL;
      gboolean one_denied = FALSE;

      if (g_strcmp0 (info->ca_id, CERTREQ_OFFLINE_CA_ID) == 0 ||
          !certreq_pending_state_is_retrievable (info->state, info->ca_request_id != NULL))
        continue;

      if (done > 0 && builder == NULL)
        g_print ("\n");
      done++;
      if (!cli_retrieve_one (ctx, store, info->id, builder, &one_denied, &local_error))
        {
          /* Translators: %1$s is a pending request's id, %2$s the error */
          g_printerr (_("Pending request %1$s: %2$s\n"), info->id, local_error->message);
          if (first_error == NULL)
            first_error = g_steal_pointer (&local_error);
        }
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  if (builder != NULL)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }
  if (done == 0)
    g_print ("%s\n", _("No request waits on a certification authority."));

  return TRUE;
}

/* ---- pending clear ---- */

gboolean
cli_cmd_pending_clear (CliContext  *ctx,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "pending clear", _("PENDING-ID"),
                                    _("Removes a pending request from the store WITH ITS "
                                      "PRIVATE KEY, without asking: a certificate the "
                                      "certification authority issues for it later can no "
                                      "longer be used. For scripts; check the ID with "
                                      "“certwiz-cli pending list” first."),
                                    entries);
  if (!cli_option_context_parse (context, "pending clear", &argc, &argv, 1, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (!certreq_pending_clear (store, argv[1], error))
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "pending-id", argv[1]);
      json_builder_set_member_name (builder, "removed");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %s is a pending request's id */
  g_print (_("Pending request %s and its private key were removed.\n"), argv[1]);
  return TRUE;
}

/* ---- ca local hold|approve|deny|held ---- */

static CertreqCaLocal *
cli_open_local_ca (CliContext    *ctx,
                   CertreqStore **out_store,
                   GError       **error)
{
  g_autoptr(CertreqStore) store = cli_open_store (ctx, error);

  if (store == NULL)
    return NULL;

  *out_store = g_object_ref (store);
  return CERTREQ_CA_LOCAL (certreq_ca_local_new (store));
}

gboolean
cli_cmd_ca_local_hold (CliContext  *ctx,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaLocal) ca = NULL;
  gboolean hold;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca local hold", "[on|off]",
                                    _("Switches the built-in lab CA’s hold for approval on or "
                                      "off (without an argument, shows it). While it is on, "
                                      "requests wait until “certwiz-cli ca local approve ID” or "
                                      "“deny ID”; the requester then runs “certwiz-cli pending "
                                      "retrieve”."),
                                    entries);
  if (!cli_parse_up_to (context, "ca local hold", &argc, &argv, 1, error))
    return FALSE;

  if (argc == 2 && g_strcmp0 (argv[1], "on") != 0 && g_strcmp0 (argv[1], "off") != 0)
    {
      /* Translators: %s is what the user typed; "on" and "off" stay untranslated */
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("“%s” is neither “on” nor “off”."), argv[1]);
      return FALSE;
    }

  ca = cli_open_local_ca (ctx, &store, error);
  if (ca == NULL)
    return FALSE;

  if (argc == 2)
    {
      hold = g_strcmp0 (argv[1], "on") == 0;
      if (!certreq_ca_local_set_hold (ca, hold, error))
        return FALSE;
    }

  hold = certreq_ca_local_get_hold (ca);
  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "hold");
      json_builder_add_boolean_value (builder, hold);
      json_builder_set_member_name (builder, "changed");
      json_builder_add_boolean_value (builder, argc == 2);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }
  g_print ("%s\n", hold ? _("The lab CA holds new requests for approval.")
                        : _("The lab CA issues requests at once."));
  return TRUE;
}

gboolean
cli_cmd_ca_local_approve (CliContext  *ctx,
                          int          argc,
                          char       **argv,
                          GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaLocal) ca = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca local approve", _("REQUEST-ID"),
                                    _("Issues a request the built-in lab CA holds (“certwiz-cli "
                                      "ca local held” lists them); the requester then retrieves "
                                      "the certificate with “certwiz-cli pending retrieve”."),
                                    entries);
  if (!cli_option_context_parse (context, "ca local approve", &argc, &argv, 1, error))
    return FALSE;

  ca = cli_open_local_ca (ctx, &store, error);
  if (ca == NULL)
    return FALSE;
  if (!certreq_ca_local_approve (ca, argv[1], error))
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "request-id", argv[1]);
      cli_json_add_string (builder, "status", "issued");
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %s is a request id of the lab CA */
  g_print (_("The lab CA issued the certificate for request %s.\n"), argv[1]);
  return TRUE;
}

gboolean
cli_cmd_ca_local_deny (CliContext  *ctx,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaLocal) ca = NULL;
  g_autofree char *reason = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why, for the requester"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca local deny", _("REQUEST-ID"),
                                    _("Denies a request the built-in lab CA holds; the "
                                      "requester sees the reason when retrieving it."),
                                    entries);
  if (!cli_option_context_parse (context, "ca local deny", &argc, &argv, 1, error))
    return FALSE;

  ca = cli_open_local_ca (ctx, &store, error);
  if (ca == NULL)
    return FALSE;
  if (!certreq_ca_local_deny (ca, argv[1], reason, error))
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "request-id", argv[1]);
      cli_json_add_string (builder, "status", "denied");
      cli_json_add_string (builder, "reason", reason);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %s is a request id of the lab CA */
  g_print (_("The lab CA denied request %s.\n"), argv[1]);
  return TRUE;
}

gboolean
cli_cmd_ca_local_held (CliContext  *ctx,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaLocal) ca = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  gboolean json = FALSE;
  guint i;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca local held", NULL,
                                    _("Lists the request IDs the built-in lab CA holds for "
                                      "approval, oldest first, one a line."),
                                    entries);
  if (!cli_option_context_parse (context, "ca local held", &argc, &argv, 0, error))
    return FALSE;

  ca = cli_open_local_ca (ctx, &store, error);
  if (ca == NULL)
    return FALSE;
  ids = certreq_ca_local_list_held (ca, error);
  if (ids == NULL)
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (i = 0; i < ids->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (ids, i));
      json_builder_end_array (builder);
      return cli_json_print (ctx, builder, error);
    }

  for (i = 0; i < ids->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (ids, i));
  return TRUE;
}
