/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <sys/stat.h>

#include "certwiz-cli.h"

/* Under systemd, standard error is the journal: a "<N>" prefix gives a line its
 * priority (sd-daemon(3)), so failures show as errors in `journalctl -p err`. */
static gboolean
stderr_is_journal (void)
{
  const char *stream = g_getenv ("JOURNAL_STREAM");
  unsigned long long device = 0, inode = 0;
  struct stat st;

  if (stream == NULL || sscanf (stream, "%llu:%llu", &device, &inode) != 2 ||
      fstat (fileno (stderr), &st) < 0)
    return FALSE;
  return (unsigned long long) st.st_dev == device && (unsigned long long) st.st_ino == inode;
}

/* One line on stderr for the journal: @priority is a syslog level (3 error, 4 warning,
 * 5 notice) */
static void
cli_renew_log (int         priority,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
cli_renew_log (int         priority,
               const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  if (stderr_is_journal ())
    g_printerr ("<%d>%s\n", priority, text);
  else
    g_printerr ("certwiz-cli: %s\n", text);
}

/* The certificates a run without thumbprints looks at: those serving a usage (and,
 * with --all, every one Certwiz requested), those whose renewal waits at the CA or
 * whose successor still has to be assigned */
static gboolean
is_candidate (const CertreqRenewalStatus *status,
              gboolean                    all)
{
  if (status->state == CERTREQ_RENEWAL_STATE_RENEWED)
    return FALSE;
  if (status->record->pending_id != NULL || status->record->renewed_by != NULL)
    return TRUE;
  if (status->assigned != CERTREQ_USAGE_FLAG_NONE)
    return TRUE;
  return all && status->renewable;
}

static void
add_result_json (JsonBuilder              *builder,
                 CertreqCertMeta          *meta,
                 const char               *thumbprint,
                 const CertreqRenewResult *result,
                 const GError             *error)
{
  json_builder_begin_object (builder);
  cli_json_add_string (builder, "thumbprint", thumbprint);
  cli_json_add_string (builder, "friendly-name", meta != NULL ? meta->friendly_name : NULL);
  if (result != NULL)
    {
      cli_json_add_string (builder, "outcome", certreq_renew_outcome_to_id (result->outcome));
      cli_json_add_string (builder, "new-thumbprint", result->new_thumbprint);
      cli_json_add_usages (builder, "reassigned", result->reassigned);
      cli_json_add_string (builder, "pending-id", result->pending_id);
      if (result->due != NULL)
        cli_json_add_date (builder, "due", result->due);
      if (result->next_attempt != NULL)
        cli_json_add_date (builder, "next-attempt", result->next_attempt);
      cli_json_add_string (builder, "message", result->message);
      cli_json_add_string (builder, "log", result->log_path);
    }
  else
    {
      cli_json_add_string (builder, "outcome", "failed");
      cli_json_add_string (builder, "message", error->message);
    }
  json_builder_end_object (builder);
}

/* Renews one certificate; prints what happened (or adds it to @builder).
 * Returns: %FALSE with @error when the renewal failed */
static gboolean
cli_renew_one (CliContext          *ctx,
               CertreqStore        *store,
               const char          *thumbprint,
               int                  due_days,
               CertreqRenewFlags    flags,
               JsonBuilder         *builder,
               GError             **error)
{
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (store, thumbprint);
  g_autoptr(GError) local_error = NULL;
  const char *name = meta != NULL && meta->friendly_name != NULL ? meta->friendly_name : "";
  CliWait wait;

  cli_wait_init (&wait, ctx);
  certreq_renew_certificate_async (store, thumbprint, NULL, due_days, flags, cli_on_progress,
                                   &wait, wait.cancellable, cli_on_ready, &wait);
  cli_wait_run (&wait);
  result = certreq_renew_certificate_finish (wait.result, &local_error);
  cli_wait_clear (&wait);

  if (builder != NULL)
    add_result_json (builder, meta, thumbprint, result, local_error);

  if (result == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: %1$s is a certificate's friendly name, %2$s why its renewal failed */
        cli_renew_log (3, _("“%1$s”: %2$s"), name, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  switch (result->outcome)
    {
    case CERTREQ_RENEW_RENEWED:
      cli_renew_log (5, "“%s” (%s): %s", name, thumbprint, result->message);
      break;
    case CERTREQ_RENEW_WAITING:
    case CERTREQ_RENEW_BACKING_OFF:
      cli_renew_log (4, "“%s” (%s): %s", name, thumbprint, result->message);
      break;
    case CERTREQ_RENEW_NOT_DUE:
    case CERTREQ_RENEW_WOULD_RENEW:
    case CERTREQ_RENEW_ALREADY_RENEWED:
    default:
      break;
    }

  if (builder == NULL)
    {
      g_autoptr(CliFields) fields = cli_fields_new ();

      cli_fields_add (fields, _("Certificate"), name);
      cli_fields_add (fields, _("Thumbprint"), thumbprint);
      cli_fields_add (fields, _("Result"), result->message);
      if (result->new_thumbprint != NULL)
        cli_fields_add (fields, _("New certificate"), result->new_thumbprint);
      if (result->outcome == CERTREQ_RENEW_RENEWED)
        cli_fields_add_take (fields, _("Reassigned"), cli_format_usages (result->reassigned));
      if (result->pending_id != NULL)
        cli_fields_add (fields, _("Pending request"), result->pending_id);
      if (result->log_path != NULL && result->outcome != CERTREQ_RENEW_NOT_DUE)
        cli_fields_add (fields, _("Log"), result->log_path);
      cli_fields_print (fields, 0);
    }

  return TRUE;
}

gboolean
cli_cmd_renew (CliContext  *ctx,
               int          argc,
               char       **argv,
               GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GPtrArray) thumbprints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) first_error = NULL;
  CertreqRenewFlags flags = CERTREQ_RENEW_FLAG_NONE;
  gboolean all = FALSE, dry_run = FALSE, reuse_key = FALSE, force = FALSE, json = FALSE;
  int due_days = CERTREQ_RENEWAL_RULE_DEFAULT;
  guint failed = 0;
  guint i;
  const GOptionEntry entries[] = {
    { "due", 0, 0, G_OPTION_ARG_INT, &due_days,
      N_("Renew what expires within DAYS days, instead of the default rule (a third of the "
         "lifetime left, at most 30 days)"), N_("DAYS") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Look at every certificate Certwiz requested, not only those serving a usage"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Say what would be renewed, change nothing"), NULL },
    { "reuse-key", 0, 0, G_OPTION_ARG_NONE, &reuse_key,
      N_("Keep the old certificate’s private key instead of generating a new one"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Renew the named certificates now, even when they are not due, and retry at once "
         "after a failure"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "renew", _("[THUMBPRINT…]"),
                                    _("Renews the certificates that are due: each is requested "
                                      "again from the certification authority that issued it, "
                                      "with the same names, key type and subject and a new "
                                      "key, and the new certificate is assigned to exactly the "
                                      "usages the old one serves (with every check and the "
                                      "live check). Without THUMBPRINT it looks at the "
                                      "certificates serving a usage. A renewal the "
                                      "certification authority holds is retrieved by the next "
                                      "run; a failure leaves the old certificate serving and "
                                      "is retried later (1 hour, then doubling up to a day). "
                                      "The systemd timer certwiz-renew.timer runs this twice "
                                      "a day."),
                                    entries);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  if (due_days < CERTREQ_RENEWAL_RULE_DEFAULT || due_days > 3650)
    {
      g_set_error (error, CLI_USAGE_ERROR, 0, _("--due takes a number of days from 0 to 3650."));
      return FALSE;
    }
  if (force && argc < 2)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("--force renews only the certificates you name by thumbprint."));
      return FALSE;
    }

  if (force)
    flags |= CERTREQ_RENEW_FLAG_FORCE;
  if (reuse_key)
    flags |= CERTREQ_RENEW_FLAG_REUSE_KEY;
  if (dry_run)
    flags |= CERTREQ_RENEW_FLAG_DRY_RUN;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (argc >= 2)
    {
      for (i = 1; i < (guint) argc; i++)
        {
          g_autoptr(CertreqCertificate) cert = cli_find_certificate (store, argv[i], error);

          if (cert == NULL)
            return FALSE;
          g_ptr_array_add (thumbprints, g_strdup (certreq_certificate_get_thumbprint (cert)));
        }
    }
  else
    {
      g_autoptr(GPtrArray) statuses = certreq_renewal_list (store, due_days, NULL, error);

      if (statuses == NULL)
        return FALSE;
      for (i = 0; i < statuses->len; i++)
        {
          const CertreqRenewalStatus *status = g_ptr_array_index (statuses, i);

          if (!is_candidate (status, all))
            continue;
          if (!status->renewable)
            {
              /* Certwiz cannot renew what it did not request: say so while there is time */
              if (status->state == CERTREQ_RENEWAL_STATE_DUE ||
                  status->state == CERTREQ_RENEWAL_STATE_EXPIRED)
                {
                  g_autofree char *date = cli_format_date (status->not_after, FALSE);

                  /* Translators: %1$s is a thumbprint, %2$s a date */
                  cli_renew_log (4, _("The certificate %1$s expires on %2$s and was imported, "
                                      "so Certwiz cannot renew it: request a new one for its "
                                      "usages."), status->thumbprint, date);
                }
              continue;
            }
          g_ptr_array_add (thumbprints, g_strdup (status->thumbprint));
        }
    }

  if (cli_json_wanted (ctx, json))
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dry-run");
      json_builder_add_boolean_value (builder, dry_run);
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
    }

  for (i = 0; i < thumbprints->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (i > 0 && builder == NULL)
        g_print ("\n");
      if (!cli_renew_one (ctx, store, thumbprints->pdata[i], due_days, flags, builder,
                          &local_error))
        {
          failed++;
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (first_error == NULL)
            first_error = g_steal_pointer (&local_error);
        }
    }

  /* The privileged helper's protocol (the GUI renews one certificate): a failure is the
   * operation's {"error": …} line, as for every other command */
  if (ctx->json_progress && thumbprints->len == 1 && first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  if (builder != NULL)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      if (!cli_json_print (ctx, builder, error))
        return FALSE;
    }
  else if (thumbprints->len == 0)
    g_print ("%s\n", _("No certificate serves a usage or waits for its renewal."));

  /* Each failure was reported (stderr or the journal, and the JSON); the exit status
   * says that something failed, with the first failure's code */
  if (first_error != NULL)
    {
      cli_set_exit_code (ctx, first_error->domain == CERTREQ_ERROR
                                ? (CertreqError) first_error->code : CERTREQ_ERROR_NETWORK);
      if (builder == NULL && failed > 1)
        /* Translators: %u is a number of certificates (more than one) */
        cli_renew_log (3, g_dngettext (GETTEXT_PACKAGE, "%u renewal failed.",
                                       "%u renewals failed.", failed), failed);
    }

  return TRUE;
}
