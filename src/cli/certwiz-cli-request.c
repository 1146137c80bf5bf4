/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certwiz-cli.h"

/* ---- Waiting for an asynchronous core operation ---- */

/* The core's slow operations run in a worker (GTask); the CLI spins the main
 * context so that progress arrives in this thread and Ctrl+C cancels cleanly,
 * letting the core remove what it started instead of dying half-way. */
void
cli_wait_init (CliWait    *wait,
               CliContext *ctx)
{
  wait->ctx = ctx;
  wait->cancellable = g_cancellable_new ();
  wait->result = NULL;
  wait->last_stage = -1;
  wait->last_detail = NULL;
  wait->stdin_watch = 0;
}

void
cli_wait_clear (CliWait *wait)
{
  g_clear_object (&wait->cancellable);
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->last_detail, g_free);
}

void
cli_on_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CliWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
cli_on_interrupt (gpointer user_data)
{
  CliWait *wait = user_data;

  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Standard input with --json-progress: the GUI never writes to it, it only closes it */
static gboolean
cli_on_stdin (int           fd,
              GIOCondition  condition,
              gpointer      user_data)
{
  CliWait *wait = user_data;
  char buffer[256];
  gssize n = 0;

  if (condition & G_IO_IN)
    {
      do
        n = read (fd, buffer, sizeof buffer);
      while (n < 0 && errno == EINTR);
      /* Anything written is ignored; only the end of the input counts */
      if (n > 0)
        return G_SOURCE_CONTINUE;
    }

  /* End of file, hang-up or an error: the reader is gone, as after Ctrl+C */
  g_cancellable_cancel (wait->cancellable);
  wait->stdin_watch = 0;
  return G_SOURCE_REMOVE;
}

/* TRUE when standard input is a pipe or a socket, whose end the GUI controls
 * (not a terminal, not /dev/null) */
static gboolean
cli_stdin_is_pipe (void)
{
  struct stat st;

  return fstat (STDIN_FILENO, &st) == 0 && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode));
}

void
cli_wait_run (CliWait *wait)
{
  guint sigint = g_unix_signal_add (SIGINT, cli_on_interrupt, wait);
  guint sigterm = g_unix_signal_add (SIGTERM, cli_on_interrupt, wait);

  if (wait->ctx->json_progress && cli_stdin_is_pipe ())
    wait->stdin_watch = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                       cli_on_stdin, wait);

  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (wait->stdin_watch != 0)
    g_source_remove (wait->stdin_watch);
  wait->stdin_watch = 0;
}

void
cli_on_progress (CertreqSubmitStage  stage,
                 const char         *detail,
                 double              fraction,
                 gpointer            user_data)
{
  CliWait *wait = user_data;
  const char *label = certreq_submit_stage_get_label (stage);

  /* Stages, not a progress bar: print each stage (and detail) once */
  if ((int) stage == wait->last_stage && g_strcmp0 (detail, wait->last_detail) == 0)
    return;
  wait->last_stage = (int) stage;
  g_free (wait->last_detail);
  wait->last_detail = g_strdup (detail);

  if (wait->ctx->json_progress)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "progress");
      json_builder_begin_object (builder);
      cli_json_add_string (builder, "stage", certreq_submit_stage_to_id (stage));
      cli_json_add_string (builder, "label", label);
      cli_json_add_string (builder, "detail", detail != NULL && *detail != '\0' ? detail : NULL);
      json_builder_set_member_name (builder, "fraction");
      json_builder_add_double_value (builder, fraction >= 0.0 ? MIN (fraction, 1.0) : -1.0);
      json_builder_end_object (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      /* A reader that went away also closes standard input, which cancels */
      if (cli_write_stdout (text, -1, NULL))
        cli_write_stdout ("\n", 1, NULL);
      return;
    }

  if (detail != NULL && *detail != '\0')
    /* Translators: progress on stderr; %1$s is a stage such as "Generating the private
     * key", %2$s a detail such as "authorization for webext.example.com" */
    g_printerr (_("%1$s: %2$s…\n"), label, detail);
  else
    /* Translators: progress on stderr; %s is a stage such as "Generating the private key" */
    g_printerr (_("%s…\n"), label);
}

/* ---- request ---- */

static char *
cli_verdict_text (const CertreqUsageVerdict *verdict,
                  const CertreqChainResult  *chain)
{
  /* The chain's problem is explained once, below the list, with the next step */
  if (verdict->kind == CERTREQ_VERDICT_REFUSED && chain != NULL &&
      chain->status != CERTREQ_CHAIN_TRUSTED &&
      g_strcmp0 (verdict->reason, chain->message) == 0)
    return g_strdup (_("Not until the certificate chain is trusted (see below)."));

  switch (verdict->kind)
    {
    case CERTREQ_VERDICT_OK:
      return g_strdup (_("Can be assigned."));
    case CERTREQ_VERDICT_WARNING:
      /* Translators: %s is a sentence, e.g. why MTLS peers may refuse the certificate */
      return g_strdup_printf (_("Can be assigned, with a warning: %s"),
                              verdict->reason != NULL ? verdict->reason : "");
    case CERTREQ_VERDICT_REFUSED:
    default:
      return g_strdup (verdict->reason != NULL ? verdict->reason
                                               : _("Cannot be assigned."));
    }
}

void
cli_request_print_issued (CliContext          *ctx,
                          CertreqStore        *store,
                          CertreqRequest      *request,
                          CertreqSubmitResult *result)
{
  CertreqCertificate *cert = result->certificate;
  CertreqUsageFlags usages = certreq_request_get_usages (request);
  const char *thumbprint = certreq_certificate_get_thumbprint (cert);
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_autoptr(CliFields) verdict_fields = cli_fields_new ();
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (cert);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
  g_auto(GStrv) names = certreq_certificate_get_dns_names (cert);
  g_autofree char *prefix = cli_command_prefix (ctx);
  g_autofree char *usage_list = certreq_usage_flags_to_string (usages);
  gboolean assignable = TRUE;
  guint i;

  cli_fields_add (fields, _("Status"), _("The certificate was issued."));
  cli_fields_add (fields, _("Certification authority"), result->ca_name);
  cli_fields_add (fields, _("Request ID"), result->request_id);
  cli_fields_add_take (fields, _("Friendly name"),
                       certreq_request_get_effective_friendly_name (request));
  cli_fields_add_take (fields, _("Subject"), certreq_certificate_get_subject (cert));
  cli_fields_add_take (fields, _("Names"), g_strjoinv (_(", "), names));
  cli_fields_add_take (fields, _("Issuer"), certreq_certificate_get_issuer (cert));
  cli_fields_add_take (fields, _("Valid from"), cli_format_date (not_before, FALSE));
  cli_fields_add_take (fields, _("Valid to"), cli_format_date (not_after, FALSE));
  cli_fields_add (fields, _("Thumbprint"), thumbprint);
  cli_fields_add (fields, _("SHA-256 fingerprint"), certreq_certificate_get_sha256 (cert));
  cli_fields_add (fields, _("Log"), result->log_path);
  cli_fields_print (fields, 0);

  verdicts = certreq_assign_check (store, cert, usages, &chain, &check_error);
  if (verdicts == NULL)
    {
      /* The certificate is safely in the store; say why the check failed and go on */
      g_print ("\n%s\n", check_error->message);
      return;
    }

  g_print ("\n%s\n", _("Certificate usages:"));
  for (i = 0; i < verdicts->len; i++)
    {
      const CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);

      cli_fields_add_take (verdict_fields, certreq_usage_get_label (verdict->usage),
                           cli_verdict_text (verdict, chain));
      if (verdict->kind == CERTREQ_VERDICT_REFUSED)
        assignable = FALSE;
    }
  cli_fields_print (verdict_fields, 2);
  g_print ("\n");

  if (chain != NULL && chain->status != CERTREQ_CHAIN_TRUSTED)
    {
      if (chain->message != NULL)
        g_print ("%s\n", chain->message);
      if (chain->status == CERTREQ_CHAIN_UNTRUSTED_ROOT &&
          g_strcmp0 (result->ca_id, CERTREQ_LOCAL_CA_ID) == 0)
        {
          g_print ("%s\n", _("Next step: trust the built-in CA’s root certificate for "
                             "Certwiz, then assign the certificate:"));
          g_print ("  %s ca local root > root.pem && %s trust import root.pem\n",
                   prefix, prefix);
        }
      else
        {
          /* Translators: %s is a command such as "certwiz-cli" */
          g_print (_("Next step: import the missing CA certificates with “%s trust import "
                     "FILE”, then assign the certificate:\n"), prefix);
        }
      g_print ("  %s assign %s --usage %s\n", prefix, thumbprint, usage_list);
    }
  else if (assignable)
    {
      g_print ("%s\n", _("Next step: assign the certificate:"));
      g_print ("  %s assign %s --usage %s\n", prefix, thumbprint, usage_list);
    }
  else
    {
      g_print ("%s\n", _("The certificate cannot serve every usage requested; the reasons "
                         "are above."));
    }
}

void
cli_request_print_pending (CliContext          *ctx,
                           CertreqSubmitResult *result)
{
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_autofree char *prefix = cli_command_prefix (ctx);

  if (result->request_file != NULL)
    {
      cli_fields_add (fields, _("Status"),
                      _("The certificate request was written to a file; the private key "
                        "waits in the store."));
      cli_fields_add (fields, _("Request file"), result->request_file);
      cli_fields_add (fields, _("Pending request"), result->pending_id);
      cli_fields_add (fields, _("Log"), result->log_path);
      cli_fields_print (fields, 0);
      g_print ("\n%s\n", _("Next step: give the request file to a certification authority, "
                            "then import the certificate it returns:"));
      /* Translators: RESPONSE stands for the file the certification authority returns */
      g_print ("  %s import %s\n", prefix, _("RESPONSE"));
      return;
    }

  cli_fields_add (fields, _("Status"),
                  _("The request is pending: the certification authority holds it for "
                    "approval."));
  cli_fields_add (fields, _("Certification authority"), result->ca_name);
  cli_fields_add (fields, _("Request ID"), result->request_id);
  cli_fields_add (fields, _("Pending request"), result->pending_id);
  cli_fields_add (fields, _("Log"), result->log_path);
  cli_fields_print (fields, 0);
  if (result->pending_id != NULL)
    {
      g_print ("\n%s\n", _("Next step: once the certification authority has approved it, "
                            "retrieve the certificate:"));
      g_print ("  %s pending retrieve %s\n", prefix, result->pending_id);
    }
}

static const char *
cli_submit_status_to_id (CertreqSubmitStatus status)
{
  switch (status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      return "issued";
    case CERTREQ_SUBMIT_PENDING:
      return "pending";
    case CERTREQ_SUBMIT_DENIED:
    default:
      return "denied";
    }
}

void
cli_json_add_submit_result (JsonBuilder         *builder,
                            CertreqRequest      *request,
                            CertreqSubmitResult *result)
{
  CertreqCertificate *cert = result->status == CERTREQ_SUBMIT_ISSUED ? result->certificate
                                                                      : NULL;
  g_autofree char *friendly_name = NULL;
  g_autofree char *pem = NULL;
  guint i;

  if (request != NULL)
    friendly_name = certreq_request_get_effective_friendly_name (request);

  json_builder_begin_object (builder);
  cli_json_add_string (builder, "status", cli_submit_status_to_id (result->status));
  cli_json_add_string (builder, "ca-id", result->ca_id);
  cli_json_add_string (builder, "ca-name", result->ca_name);
  cli_json_add_string (builder, "request-id", result->request_id);
  cli_json_add_string (builder, "pending-id", result->pending_id);
  cli_json_add_string (builder, "log", result->log_path);
  cli_json_add_string (builder, "request-file", result->request_file);
  cli_json_add_string (builder, "reason", result->reason);
  cli_json_add_string (builder, "friendly-name", friendly_name);
  cli_json_add_string (builder, "thumbprint",
                       cert != NULL ? certreq_certificate_get_thumbprint (cert) : NULL);
  if (cert != NULL)
    pem = certreq_certificate_to_pem (cert);
  cli_json_add_string (builder, "certificate-pem", pem);
  json_builder_set_member_name (builder, "chain-pem");
  if (cert != NULL)
    {
      /* Issuer first, as the CA returned it */
      json_builder_begin_array (builder);
      for (i = 0; result->chain != NULL && i < result->chain->len; i++)
        {
          g_autofree char *element = certreq_certificate_to_pem (g_ptr_array_index (result->chain, i));

          json_builder_add_string_value (builder, element);
        }
      json_builder_end_array (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static char *
cli_denied_message (CertreqSubmitResult *result)
{
  if (result->reason != NULL)
    /* Translators: %s is the reason the certification authority gave */
    return g_strdup_printf (_("The certification authority denied the request: %s"),
                            result->reason);

  return g_strdup (_("The certification authority denied the request."));
}

gboolean
cli_cmd_request (CliContext  *ctx,
                 int          argc,
                 char       **argv,
                 GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqCaClient) ca_client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *offline = NULL;
  g_auto(GStrv) usage_values = NULL;
  g_autofree char *friendly_name = NULL;
  g_autofree char *template_name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autoptr(CliPassword) password = NULL;
  g_autofree char *key = NULL;
  gboolean exportable = FALSE;
  gboolean json = FALSE;
  g_autoptr(CliUserFile) user_file = NULL;
  g_autofree char *org = NULL;
  g_autofree char *ou = NULL;
  g_autofree char *country = NULL;
  g_autofree char *state = NULL;
  g_autofree char *city = NULL;
  g_auto(GStrv) sip_values = NULL;
  g_auto(GStrv) san_values = NULL;
  CertreqUsageFlags usages = CERTREQ_USAGE_FLAGS_STANDARD;
  CertreqKeyType key_type = CERTREQ_KEY_TYPE_DEFAULT;
  CliWait wait;
  gsize i;
  const GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_STRING, &ca,
      N_("The certification authority: local (the built-in lab CA, the default), a name "
         "from “certwiz-cli ca list”, or a URL whose protocol Certwiz detects"), N_("CA") },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_name,
      N_("The certificate template to ask the certification authority for (AD CS; the "
         "label for EST)"), N_("NAME") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The account at the certification authority for this request (AD CS, EST); "
         "without it, the one configured for the CA"), N_("USER") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the account’s password (for SCEP: the challenge password) for this request "
         "from the first line of FILE"), N_("FILE") },
    { "offline", 0, 0, G_OPTION_ARG_FILENAME, &offline,
      N_("Prepare the request now and send it later: write it to FILE (PEM) for any "
         "certification authority, keep the key in the store, and import the certificate "
         "the CA returns with “certwiz-cli import”. Not with --ca."), N_("FILE") },
    { "usage", 0, 0, G_OPTION_ARG_STRING_ARRAY, &usage_values,
      N_("The certificate usages, comma-separated: default, web-internal, web-external, "
         "oauth (default: the first three)"), N_("LIST") },
    { "friendly-name", 0, 0, G_OPTION_ARG_STRING, &friendly_name,
      N_("The certificate’s friendly name (default: generated)"), N_("NAME") },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key,
      N_("The key type: rsa2048 (default), rsa3072, rsa4096, p256 or p384"), N_("TYPE") },
    { "exportable", 0, 0, G_OPTION_ARG_NONE, &exportable,
      N_("Mark the private key as exportable"), NULL },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("The organization"), N_("O") },
    { "ou", 0, 0, G_OPTION_ARG_STRING, &ou, N_("The organizational unit"), N_("OU") },
    { "country", 0, 0, G_OPTION_ARG_STRING, &country,
      N_("The country, as a two-letter ISO 3166 code"), N_("CODE") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, N_("The state or province"), N_("STATE") },
    { "city", 0, 0, G_OPTION_ARG_STRING, &city, N_("The city or locality"), N_("CITY") },
    { "sip-domain", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sip_values,
      N_("A SIP domain of the server profile whose sip.DOMAIN name to include (repeatable; "
         "default: the primary one)"), N_("DOMAIN") },
    { "san", 0, 0, G_OPTION_ARG_STRING_ARRAY, &san_values,
      N_("An additional subject alternative name (repeatable)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "request", NULL,
                                    _("Requests a certificate: validates the request, generates "
                                      "the private key, keeps the request in the store, sends it "
                                      "to the certification authority and stores what it "
                                      "returns. The subject and alternative names are derived "
                                      "from the server profile (see “certwiz-cli server show”)."),
                                    entries);
  if (!cli_option_context_parse (context, "request", &argc, &argv, 0, error))
    return FALSE;
  if (offline != NULL && ca != NULL)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("--offline writes the request to a file for any certification "
                             "authority; it cannot be combined with --ca."));
      return FALSE;
    }

  /* Everything is checked before anything is written */
  if (usage_values != NULL)
    {
      g_auto(GStrv) list = cli_split_list ((const char * const *) usage_values);
      g_autofree char *joined = g_strjoinv (",", list);

      if (!certreq_usage_flags_parse (joined, &usages, error))
        return FALSE;
    }
  if (key != NULL && !certreq_key_type_from_id (key, &key_type))
    {
      /* Translators: %s is what the user gave; the ids stay untranslated */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The key type “%s” is not known; choose rsa2048, rsa3072, rsa4096, p256 "
                     "or p384."), key);
      return FALSE;
    }

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  server = certreq_store_load_server (store, error);
  if (server == NULL)
    return FALSE;

  request = certreq_request_new (server);
  certreq_request_set_usages (request, usages);
  certreq_request_set_online (request, offline == NULL);
  certreq_request_set_ca_id (request, ca != NULL ? ca : CERTREQ_LOCAL_CA_ID);
  if (offline != NULL)
    {
      /* A relative name means the current directory, as everywhere in a shell */
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (offline);
      g_autofree char *path = g_file_get_path (file);

      certreq_request_set_request_file (request, path != NULL ? path : offline);
    }
  if (friendly_name != NULL)
    certreq_request_set_friendly_name (request, friendly_name);
  if (template_name != NULL)
    {
      certreq_request_set_use_template (request, TRUE);
      certreq_request_set_template (request, template_name);
    }
  if (user != NULL || password_file != NULL)
    {
      if (password_file != NULL)
        {
          password = cli_read_password_file (password_file, error);
          if (password == NULL)
            return FALSE;
        }
      certreq_request_set_use_credentials (request, TRUE);
      certreq_request_set_username (request, user);
      certreq_request_set_password (request, password);
    }
  certreq_request_set_key_type (request, key_type);
  certreq_request_set_exportable (request, exportable);
  if (org != NULL)
    certreq_request_set_organization (request, org);
  if (ou != NULL)
    certreq_request_set_organizational_unit (request, ou);
  if (country != NULL)
    {
      /* Admins type "de" as often as "DE" */
      g_autofree char *upper = g_ascii_strup (country, -1);

      certreq_request_set_country (request, upper);
    }
  if (state != NULL)
    certreq_request_set_state (request, state);
  if (city != NULL)
    certreq_request_set_locality (request, city);
  if (sip_values != NULL)
    {
      g_auto(GStrv) list = cli_split_list ((const char * const *) sip_values);

      certreq_request_set_sip_domains (request, (const char * const *) list);
    }
  if (san_values != NULL)
    {
      g_auto(GStrv) list = cli_split_list ((const char * const *) san_values);

      for (i = 0; list[i] != NULL; i++)
        if (!certreq_request_add_extra_name (request, list[i], error))
          return FALSE;
    }

  if (!certreq_request_validate_usages (request, error))
    return FALSE;
  if (offline == NULL)
    {
      /* What can be refused without the network is refused first (a key type the
       * protocol of a configured CA or a URL's shape cannot use); creating the client
       * for a URL detects its protocol, and the full validation after it knows it */
      if (!certreq_request_validate (request, store, error))
        return FALSE;
      ca_client = certreq_ca_client_new_for_id (store, certreq_request_get_ca_id (request),
                                                error);
      if (ca_client == NULL)
        return FALSE;
    }
  if (!certreq_request_validate (request, store, error))
    return FALSE;

  if (offline != NULL)
    user_file = cli_user_file_new (certreq_request_get_request_file (request));

  cli_wait_init (&wait, ctx);
  certreq_enroll_async (store, request, cli_on_progress, &wait, wait.cancellable,
                        cli_on_ready, &wait);
  cli_wait_run (&wait);
  result = certreq_enroll_finish (wait.result, error);
  cli_wait_clear (&wait);
  if (result == NULL)
    return FALSE;

  /* The request file is the admin's, also when the request ran as root */
  if (user_file != NULL && result->request_file != NULL)
    cli_user_file_hand_over (user_file);

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      cli_json_add_submit_result (builder, request, result);
      if (result->status == CERTREQ_SUBMIT_DENIED)
        {
          g_autofree char *message = cli_denied_message (result);

          /* The result says it; the exit status and a line on stderr too */
          cli_set_exit_code (ctx, CERTREQ_ERROR_CA_REJECTED);
          g_printerr ("certwiz-cli: %s\n", message);
        }
      return cli_json_print (ctx, builder, error);
    }

  switch (result->status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      cli_request_print_issued (ctx, store, request, result);
      return TRUE;

    case CERTREQ_SUBMIT_PENDING:
      cli_request_print_pending (ctx, result);
      return TRUE;

    case CERTREQ_SUBMIT_DENIED:
    default:
      {
        g_autofree char *message = cli_denied_message (result);

        g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED, message);
        return FALSE;
      }
    }
}

/* ---- assign ---- */

CertreqCertificate *
cli_find_certificate (CertreqStore  *store,
                      const char    *text,
                      GError       **error)
{
  g_autofree char *thumbprint = certreq_thumbprint_normalize (text);

  if (thumbprint == NULL)
    {
      /* Translators: %s is what the user gave as a thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("“%s” is not a thumbprint; a thumbprint has 40 hexadecimal digits."),
                   text);
      return NULL;
    }

  return certreq_store_find_certificate (store, thumbprint, error);
}

/* FALSE with an error when every refused usage has one and the same reason:
 * UNTRUSTED when that reason is the certificate chain's, else NOT_ASSIGNABLE.
 * Otherwise TRUE, and certreq_assign() reports the refusals usage by usage. */
static gboolean
cli_check_refusal (GPtrArray           *verdicts,
                   CertreqChainResult  *chain,
                   GError             **error)
{
  const char *reason = NULL;
  guint i;

  for (i = 0; verdicts != NULL && i < verdicts->len; i++)
    {
      const CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (verdict->kind != CERTREQ_VERDICT_REFUSED || verdict->reason == NULL)
        continue;
      if (reason != NULL && strcmp (reason, verdict->reason) != 0)
        return TRUE;
      reason = verdict->reason;
    }

  if (reason == NULL)
    return TRUE;

  if (chain != NULL && chain->status != CERTREQ_CHAIN_TRUSTED &&
      g_strcmp0 (reason, chain->message) == 0)
    {
      /* Translators: %s is the reason, a sentence such as "The root certificate … is not
       * trusted." */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_UNTRUSTED,
                   _("The certificate was not assigned: %s"), reason);
      return FALSE;
    }

  /* Translators: %s is the reason, a sentence such as "The root certificate … is not trusted." */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_ASSIGNABLE,
               _("The certificate was not assigned: %s"), reason);
  return FALSE;
}

gboolean
cli_cmd_assign (CliContext  *ctx,
                int          argc,
                char       **argv,
                GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_auto(GStrv) usage_values = NULL;
  CertreqUsageFlags usages = CERTREQ_USAGE_FLAGS_STANDARD;
  gboolean assigned;
  gboolean json = FALSE;
  CliWait wait;
  guint i;
  int u;
  const GOptionEntry entries[] = {
    { "usage", 0, 0, G_OPTION_ARG_STRING_ARRAY, &usage_values,
      N_("The certificate usages, comma-separated: default, web-internal, web-external, "
         "oauth (default: those the certificate was requested for)"), N_("LIST") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "assign", _("THUMBPRINT"),
                                    _("Assigns a certificate of the store to certificate usages, "
                                      "all or nothing: the private key must be present, the "
                                      "certificate valid now, its chain trusted, its extended "
                                      "key usage and names right for every usage. Each usage’s "
                                      "files are then deployed under live/USAGE and its reload "
                                      "command runs."),
                                    entries);
  if (!cli_option_context_parse (context, "assign", &argc, &argv, 1, error))
    return FALSE;

  if (usage_values != NULL)
    {
      g_auto(GStrv) list = cli_split_list ((const char * const *) usage_values);
      g_autofree char *joined = g_strjoinv (",", list);

      if (!certreq_usage_flags_parse (joined, &usages, error))
        return FALSE;
    }

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  cert = cli_find_certificate (store, argv[1], error);
  if (cert == NULL)
    return FALSE;

  meta = certreq_store_get_meta (store, certreq_certificate_get_thumbprint (cert));
  if (usage_values == NULL && meta != NULL && meta->usages != CERTREQ_USAGE_FLAG_NONE)
    usages = meta->usages;

  /* certreq_assign() checks again under the store's lock; this check gives the
   * warnings, and a refusal in one sentence when every usage has the same reason */
  verdicts = certreq_assign_check (store, cert, usages, &chain, NULL);
  if (!cli_check_refusal (verdicts, chain, error))
    return FALSE;

  cli_wait_init (&wait, ctx);
  certreq_assign_async (store, cert, usages, wait.cancellable, cli_on_ready, &wait);
  cli_wait_run (&wait);
  assigned = certreq_assign_finish (wait.result, error);
  cli_wait_clear (&wait);
  if (!assigned)
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "thumbprint", certreq_certificate_get_thumbprint (cert));
      cli_json_add_usages (builder, "usages", usages);
      json_builder_set_member_name (builder, "live");
      json_builder_begin_object (builder);
      for (u = 0; u < CERTREQ_N_USAGES; u++)
        {
          g_autofree char *target = NULL;

          if (!(usages & CERTREQ_USAGE_TO_FLAG (u)))
            continue;
          target = certreq_store_get_live_dir (store, u);
          cli_json_add_string (builder, certreq_usage_to_id (u), target);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "warnings");
      json_builder_begin_array (builder);
      for (i = 0; verdicts != NULL && i < verdicts->len; i++)
        {
          const CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);

          if (verdict->kind != CERTREQ_VERDICT_WARNING || verdict->reason == NULL)
            continue;
          json_builder_begin_object (builder);
          cli_json_add_string (builder, "usage", certreq_usage_to_id (verdict->usage));
          cli_json_add_string (builder, "message", verdict->reason);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  for (u = 0; u < CERTREQ_N_USAGES; u++)
    {
      g_autofree char *link = NULL;
      g_autofree char *target = NULL;

      if (!(usages & CERTREQ_USAGE_TO_FLAG (u)))
        continue;
      link = g_build_filename (certreq_store_get_path (store), "live",
                               certreq_usage_to_id (u), NULL);
      target = certreq_store_get_live_dir (store, u);
      cli_fields_add_take (fields, certreq_usage_get_label (u),
                           g_strdup_printf ("%s → %s", link, target != NULL ? target : "—"));
    }

  /* Translators: %s is a thumbprint */
  g_print (_("Certificate %s assigned:\n"), certreq_certificate_get_thumbprint (cert));
  cli_fields_print (fields, 2);

  for (i = 0; verdicts != NULL && i < verdicts->len; i++)
    {
      const CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (verdict->kind == CERTREQ_VERDICT_WARNING && verdict->reason != NULL)
        /* Translators: %1$s is a usage such as "Server default", %2$s a sentence */
        g_print (_("Warning for %1$s: %2$s\n"), certreq_usage_get_label (verdict->usage),
                 verdict->reason);
    }

  return TRUE;
}
