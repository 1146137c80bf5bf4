/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* certwiz-cli ca add|list|show|remove: the online certification authorities in cas.ini */

#include "config.h"

#include <string.h>

#include "certwiz-cli.h"

/* ---- Output: never a secret, only where it comes from ---- */

static void
cli_ca_to_json (JsonBuilder           *builder,
                const CertreqCaConfig *config)
{
  json_builder_begin_object (builder);
  cli_json_add_string (builder, "name", config->name);
  cli_json_add_string (builder, "protocol", certreq_ca_protocol_to_id (config->protocol));
  cli_json_add_string (builder, "protocol-label", certreq_ca_protocol_get_label (config->protocol));
  cli_json_add_string (builder, "url", config->url);
  cli_json_add_string (builder, "trust-bundle", config->trust_bundle);
  cli_json_add_string (builder, "contact", config->contact);
  cli_json_add_string (builder, "eab-kid", config->eab_kid);
  cli_json_add_string (builder, "eab-hmac-file", config->eab_hmac_file);
  cli_json_add_string (builder, "http01", config->http01);
  cli_json_add_string (builder, "dns01-hook", config->dns01_hook);
  cli_json_add_string (builder, "template", config->template_name);
  cli_json_add_string (builder, "auth", certreq_ca_auth_to_id (config->auth));
  cli_json_add_string (builder, "user", config->username);
  cli_json_add_string (builder, "password-file", config->password_file);
  cli_json_add_string (builder, "client-cert", config->client_cert);
  cli_json_add_string (builder, "client-key", config->client_key);
  cli_json_add_string (builder, "challenge-password-file", config->challenge_password_file);
  json_builder_end_object (builder);
}

static const char *
cli_auth_label (CertreqHttpAuth auth)
{
  switch (auth)
    {
    case CERTREQ_HTTP_AUTH_BASIC:
      return _("basic (user name and password over TLS)");
    case CERTREQ_HTTP_AUTH_NTLM:
      return _("NTLM");
    case CERTREQ_HTTP_AUTH_NEGOTIATE:
      return _("Negotiate (Kerberos)");
    case CERTREQ_HTTP_AUTH_CERT:
      return _("TLS client certificate");
    case CERTREQ_HTTP_AUTH_NONE:
    default:
      return _("none");
    }
}

static void
cli_ca_print (const CertreqCaConfig *config)
{
  g_autoptr(CliFields) fields = cli_fields_new ();
  gboolean acme = config->protocol == CERTREQ_CA_PROTOCOL_ACME;
  gboolean account = config->protocol == CERTREQ_CA_PROTOCOL_ADCS ||
                     config->protocol == CERTREQ_CA_PROTOCOL_EST;

  cli_fields_add (fields, _("Protocol"), certreq_ca_protocol_get_label (config->protocol));
  cli_fields_add (fields, _("URL"), config->url);
  cli_fields_add (fields, _("Trust bundle"), config->trust_bundle);
  if (acme)
    {
      cli_fields_add (fields, _("Contact"), config->contact);
      cli_fields_add (fields, _("EAB key id"), config->eab_kid);
      cli_fields_add (fields, _("EAB HMAC key file"), config->eab_hmac_file);
      cli_fields_add (fields, _("http-01"), config->http01);
      cli_fields_add (fields, _("dns-01 hook"), config->dns01_hook);
    }
  if (account)
    {
      cli_fields_add (fields, _("Template"), config->template_name);
      cli_fields_add (fields, _("Authentication"), cli_auth_label (config->auth));
      cli_fields_add (fields, _("User"), config->username);
      cli_fields_add (fields, _("Password file"),
                      config->password_file != NULL ? config->password_file
                      : config->auth == CERTREQ_HTTP_AUTH_BASIC ||
                        config->auth == CERTREQ_HTTP_AUTH_NTLM
                      ? _("none (the keyring)") : NULL);
      cli_fields_add (fields, _("Client certificate"), config->client_cert);
      cli_fields_add (fields, _("Client key"), config->client_key);
    }
  if (config->protocol == CERTREQ_CA_PROTOCOL_SCEP)
    cli_fields_add (fields, _("Challenge password file"),
                    config->challenge_password_file != NULL ? config->challenge_password_file
                                                            : _("none (the keyring)"));

  g_print ("%s\n", config->name);
  cli_fields_print (fields, 2);
}

/* ---- ca add ---- */

typedef struct
{
  char          *url;
  char          *trust_bundle;
} DetectData;

static void
detect_data_free (gpointer data)
{
  DetectData *detect = data;

  g_free (detect->url);
  g_free (detect->trust_bundle);
  g_free (detect);
}

static void
detect_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DetectData *data = task_data;
  g_autoptr(GError) error = NULL;
  CertreqCaProtocol protocol;

  if (certreq_ca_detect_protocol (data->url, data->trust_bundle, &protocol, cancellable,
                                  &error))
    g_task_return_int (task, protocol);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Detection in a worker, so that Ctrl+C and a closed standard input (--json-progress)
 * stop it */
static gboolean
cli_detect_protocol (CliContext         *ctx,
                     const char         *url,
                     const char         *trust_bundle,
                     CertreqCaProtocol  *out_protocol,
                     GError            **error)
{
  g_autoptr(GTask) task = NULL;
  DetectData *data;
  CliWait wait;
  gssize protocol;

  cli_wait_init (&wait, ctx);
  data = g_new0 (DetectData, 1);
  data->url = g_strdup (url);
  data->trust_bundle = g_strdup (trust_bundle);
  task = g_task_new (NULL, wait.cancellable, cli_on_ready, &wait);
  g_task_set_task_data (task, data, detect_data_free);
  g_task_run_in_thread (task, detect_thread);
  g_clear_object (&task);
  cli_wait_run (&wait);
  protocol = g_task_propagate_int (G_TASK (wait.result), error);
  cli_wait_clear (&wait);
  if (protocol < 0)
    return FALSE;

  *out_protocol = (CertreqCaProtocol) protocol;
  return TRUE;
}

/* Files are kept as absolute paths: certwiz-cli runs from anywhere later */
static char *
cli_absolute_path (const char *path)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL || *path == '\0')
    return NULL;
  file = g_file_new_for_commandline_arg (path);
  return g_file_get_path (file);
}

gboolean
cli_cmd_ca_add (CliContext  *ctx,
                int          argc,
                char       **argv,
                GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaConfig) config = NULL;
  g_autoptr(CertreqCaConfig) check = NULL;
  g_autofree char *url = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *trust_bundle = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *eab_kid = NULL;
  g_autofree char *eab_hmac_file = NULL;
  g_autofree char *http01 = NULL;
  g_autofree char *dns01_hook = NULL;
  g_autofree char *template_name = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *client_cert = NULL;
  g_autofree char *client_key = NULL;
  g_autofree char *challenge_file = NULL;
  gboolean json = FALSE;
  gboolean detected = FALSE;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_("The CA’s URL: the ACME directory, the SCEP endpoint, the AD CS /certsrv/ "
         "address or the EST base (required)"), N_("URL") },
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol,
      N_("The protocol: acme, scep, adcs or est (default: detected from the URL and a "
         "probe)"), N_("PROTOCOL") },
    { "trust-bundle", 0, 0, G_OPTION_ARG_FILENAME, &trust_bundle,
      N_("A PEM file of CA certificates to trust for this CA’s TLS, besides the "
         "system’s"), N_("FILE") },
    { "contact", 0, 0, G_OPTION_ARG_STRING, &contact,
      N_("ACME: the account’s contact e-mail address"), N_("EMAIL") },
    { "eab-kid", 0, 0, G_OPTION_ARG_STRING, &eab_kid,
      N_("ACME: the External Account Binding key id"), N_("ID") },
    { "eab-hmac-file", 0, 0, G_OPTION_ARG_FILENAME, &eab_hmac_file,
      N_("ACME: a file only you can read (0600) with the External Account Binding HMAC "
         "key"), N_("FILE") },
    { "http01", 0, 0, G_OPTION_ARG_STRING, &http01,
      N_("ACME: answer http-01 with a built-in listener (listen:ADDRESS:PORT) or files in "
         "a web server’s directory (webroot:DIRECTORY)"), N_("HOW") },
    { "dns01-hook", 0, 0, G_OPTION_ARG_STRING, &dns01_hook,
      N_("ACME: the command that sets and removes dns-01 records (run with ACTION DOMAIN "
         "VALUE)"), N_("COMMAND") },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_name,
      N_("AD CS: the certificate template; EST: the CA label"), N_("NAME") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth,
      N_("AD CS and EST: the authentication, basic, ntlm, negotiate or cert (default: "
         "none)"), N_("METHOD") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The user name for basic or NTLM authentication"), N_("USER") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("A file only you can read (0600) with the password (default: the keyring)"),
      N_("FILE") },
    { "client-cert", 0, 0, G_OPTION_ARG_FILENAME, &client_cert,
      N_("A TLS client certificate (PEM)"), N_("FILE") },
    { "client-key", 0, 0, G_OPTION_ARG_FILENAME, &client_key,
      N_("The client certificate’s private key (PEM, a file only you can read)"),
      N_("FILE") },
    { "challenge-password-file", 0, 0, G_OPTION_ARG_FILENAME, &challenge_file,
      N_("SCEP: a file only you can read (0600) with the challenge password (default: the "
         "keyring)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca add", _("NAME"),
                                    _("Adds an online certification authority under NAME, or "
                                      "replaces the one of that name. Without --protocol, "
                                      "Certwiz asks the server which protocol it speaks. "
                                      "Secrets are never stored: name files only you can "
                                      "read, or keep them in the keyring."),
                                    entries);
  if (!cli_option_context_parse (context, "ca add", &argc, &argv, 1, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);

  if (url == NULL)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("Give the certification authority’s URL with --url."));
      return FALSE;
    }

  config = certreq_ca_config_new ();
  config->name = g_strdup (argv[1]);
  config->url = g_strdup (url);
  config->trust_bundle = cli_absolute_path (trust_bundle);
  config->contact = g_strdup (contact);
  config->eab_kid = g_strdup (eab_kid);
  config->eab_hmac_file = cli_absolute_path (eab_hmac_file);
  config->http01 = g_strdup (http01);
  config->dns01_hook = g_strdup (dns01_hook);
  config->template_name = g_strdup (template_name);
  config->username = g_strdup (user);
  config->password_file = cli_absolute_path (password_file);
  config->client_cert = cli_absolute_path (client_cert);
  config->client_key = cli_absolute_path (client_key);
  config->challenge_password_file = cli_absolute_path (challenge_file);

  if (auth != NULL && !certreq_ca_auth_from_id (auth, &config->auth))
    {
      /* Translators: %s is what the user gave; the ids stay untranslated */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The authentication “%s” is not known; choose basic, ntlm, negotiate "
                     "or cert."), auth);
      return FALSE;
    }
  if (protocol != NULL &&
      (!certreq_ca_protocol_from_id (protocol, &config->protocol) ||
       config->protocol == CERTREQ_CA_PROTOCOL_LOCAL))
    {
      /* Translators: %s is what the user gave; the ids stay untranslated */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The protocol “%s” is not known; choose acme, scep, adcs or est."),
                   protocol);
      return FALSE;
    }

  /* The name and the URL's form are checked before any traffic (SCEP's rules admit
   * http and https alike; the protocol's own rule follows) */
  check = certreq_ca_config_new ();
  check->name = g_strdup (config->name);
  check->protocol = CERTREQ_CA_PROTOCOL_SCEP;
  check->url = g_strdup (config->url);
  if (!certreq_ca_config_validate (check, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (!certreq_store_is_writable (store))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                   _("You are not allowed to change the store %s."),
                   certreq_store_get_path (store));
      return FALSE;
    }

  if (protocol == NULL)
    {
      if (!cli_detect_protocol (ctx, config->url, config->trust_bundle, &config->protocol,
                                error))
        return FALSE;
      detected = TRUE;
      if (!json)
        /* Translators: %1$s is a URL, %2$s a protocol such as "ACME (RFC 8555)" */
        g_print (_("%1$s speaks %2$s.\n"), config->url,
                 certreq_ca_protocol_get_label (config->protocol));
    }

  if (!certreq_store_set_ca (store, config, error))
    return FALSE;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ca");
      cli_ca_to_json (builder, config);
      json_builder_set_member_name (builder, "detected");
      json_builder_add_boolean_value (builder, detected);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %1$s is the CA's name, %2$s its protocol */
  g_print (_("Added the certification authority “%1$s” (%2$s).\n"), config->name,
           certreq_ca_protocol_get_label (config->protocol));
  return TRUE;
}

/* ---- ca list, ca show ---- */

gboolean
cli_cmd_ca_list (CliContext  *ctx,
                 int          argc,
                 char       **argv,
                 GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GPtrArray) cas = NULL;
  gboolean json = FALSE;
  guint i;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca list", NULL,
                                    _("Lists the online certification authorities configured "
                                      "in the store, besides the built-in lab CA (local)."),
                                    entries);
  if (!cli_option_context_parse (context, "ca list", &argc, &argv, 0, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  cas = certreq_store_list_cas (store, error);
  if (cas == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cas");
      json_builder_begin_array (builder);
      for (i = 0; i < cas->len; i++)
        cli_ca_to_json (builder, g_ptr_array_index (cas, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  if (cas->len == 0)
    {
      g_print ("%s\n", _("No online certification authority is configured; add one with "
                         "“certwiz-cli ca add NAME --url URL”."));
      return TRUE;
    }
  for (i = 0; i < cas->len; i++)
    {
      const CertreqCaConfig *config = g_ptr_array_index (cas, i);

      /* Translators: one line of "ca list": name, protocol, URL */
      g_print (_("%1$s  %2$s  %3$s\n"), config->name,
               certreq_ca_protocol_get_label (config->protocol), config->url);
    }
  return TRUE;
}

gboolean
cli_cmd_ca_show (CliContext  *ctx,
                 int          argc,
                 char       **argv,
                 GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaConfig) config = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca show", _("NAME"),
                                    _("Shows how a configured certification authority is "
                                      "reached; secrets show only as the file they are read "
                                      "from."),
                                    entries);
  if (!cli_option_context_parse (context, "ca show", &argc, &argv, 1, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  config = certreq_store_get_ca (store, argv[1], error);
  if (config == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ca");
      cli_ca_to_json (builder, config);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  cli_ca_print (config);
  return TRUE;
}

/* ---- ca remove ---- */

gboolean
cli_cmd_ca_remove (CliContext  *ctx,
                   int          argc,
                   char       **argv,
                   GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  const GOptionEntry entries[] = {
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca remove", _("NAME"),
                                    _("Removes a configured certification authority. Its "
                                      "certificates and pending requests stay in the store; "
                                      "secret files and keyring entries stay where they are."),
                                    entries);
  if (!cli_option_context_parse (context, "ca remove", &argc, &argv, 1, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (!certreq_store_remove_ca (store, argv[1], error))
    return FALSE;

  if (ctx->json_progress)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "removed", argv[1]);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %s is the CA's name */
  g_print (_("Removed the certification authority “%s”.\n"), argv[1]);
  return TRUE;
}
