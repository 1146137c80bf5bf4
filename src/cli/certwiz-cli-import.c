/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "certwiz-cli.h"

/* ---- Passwords ---- */

void
cli_password_free (char *password)
{
  if (password != NULL)
    {
      memset (password, 0, strlen (password));
      g_free (password);
    }
}

/* The first line of @path, without its line end */
char *
cli_read_password_file (const char  *path,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;
  char *password;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      /* Translators: %1$s is a file name, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The password file %1$s could not be read: %2$s"),
                   path, local_error->message);
      return NULL;
    }

  password = g_strndup (contents, strcspn (contents, "\r\n"));
  memset (contents, 0, length);
  g_free (contents);
  return password;
}

/* Reads a line from the terminal on stdin with echo off; NULL when stdin is not a terminal */
static char *
cli_read_password_tty (const char *prompt)
{
  struct termios old_attr, new_attr;
  char buffer[1024];
  char *password = NULL;

  if (!isatty (STDIN_FILENO) || tcgetattr (STDIN_FILENO, &old_attr) != 0)
    return NULL;

  new_attr = old_attr;
  new_attr.c_lflag &= ~(tcflag_t) ECHO;
  new_attr.c_lflag |= ECHONL;
  g_printerr ("%s", prompt);
  if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &new_attr) != 0)
    return NULL;
  if (fgets (buffer, sizeof buffer, stdin) != NULL)
    password = g_strndup (buffer, strcspn (buffer, "\r\n"));
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &old_attr);
  memset (buffer, 0, sizeof buffer);
  return password;
}

/* ---- import ---- */

static gboolean
cli_parse_trust (const char          *text,
                 CertreqImportTrust  *out_trust,
                 GError             **error)
{
  if (text == NULL)
    *out_trust = CERTREQ_IMPORT_TRUST_NONE;
  else if (g_str_equal (text, "root"))
    *out_trust = CERTREQ_IMPORT_TRUST_ROOT;
  else if (g_str_equal (text, "intermediate"))
    *out_trust = CERTREQ_IMPORT_TRUST_INTERMEDIATE;
  else
    {
      /* Translators: %s is what the user gave; "root" and "intermediate" stay as they are */
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("Unknown trust “%s”; use --trust root or --trust intermediate."), text);
      return FALSE;
    }
  return TRUE;
}

static void
cli_import_print (CertreqStore        *store,
                  CertreqImportResult *result)
{
  g_autoptr(CliFields) fields = cli_fields_new ();
  guint i;

  if (result->thumbprint != NULL)
    {
      g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (store, result->thumbprint);

      cli_fields_add (fields, _("Imported certificate"), result->thumbprint);
      cli_fields_add (fields, _("Friendly name"), meta != NULL ? meta->friendly_name : NULL);
      if (result->pending_id != NULL)
        {
          cli_fields_add (fields, _("Completed request"), result->pending_id);
          cli_fields_add (fields, _("Private key"), _("from the waiting request"));
        }
      else if (result->key_imported)
        cli_fields_add (fields, _("Private key"), _("imported from the file"));
      else
        cli_fields_add (fields, _("Private key"), _("already in the store"));
    }
  for (i = 0; i < result->roots->len; i++)
    cli_fields_add (fields, _("Trusted root added"), g_ptr_array_index (result->roots, i));
  for (i = 0; i < result->intermediates->len; i++)
    cli_fields_add (fields, _("Intermediate added"),
                    g_ptr_array_index (result->intermediates, i));
  cli_fields_print (fields, 0);
}

static gboolean
cli_import_json (CliContext           *ctx,
                 CertreqImportResult  *result,
                 GError              **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_ptr_array_add (result->roots, NULL);
  g_ptr_array_add (result->intermediates, NULL);
  json_builder_begin_object (builder);
  cli_json_add_string (builder, "thumbprint", result->thumbprint);
  cli_json_add_string (builder, "completed_request", result->pending_id);
  json_builder_set_member_name (builder, "key_imported");
  json_builder_add_boolean_value (builder, result->key_imported);
  cli_json_add_strv (builder, "roots_added", (const char * const *) result->roots->pdata);
  cli_json_add_strv (builder, "intermediates_added",
                     (const char * const *) result->intermediates->pdata);
  json_builder_end_object (builder);
  g_ptr_array_set_size (result->roots, result->roots->len - 1);
  g_ptr_array_set_size (result->intermediates, result->intermediates->len - 1);
  return cli_json_print (ctx, builder, error);
}

gboolean
cli_cmd_import (CliContext  *ctx,
                int          argc,
                char       **argv,
                GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqImportResult) result = NULL;
  g_autoptr(CliPassword) password = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *trust_text = NULL;
  g_autofree char *friendly_name = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean exportable = FALSE;
  gboolean json = FALSE;
  CertreqImportTrust trust;
  const GOptionEntry entries[] = {
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the PKCS #12 file’s password from the first line of FILE"), N_("FILE") },
    { "trust", 0, 0, G_OPTION_ARG_STRING, &trust_text,
      N_("Trust the CA certificates in the file: self-signed ones as roots and the others "
         "as intermediates (root), or all as intermediates (intermediate)"),
      "root|intermediate" },
    { "exportable", 0, 0, G_OPTION_ARG_NONE, &exportable,
      N_("Mark a private key from the file as exportable"), NULL },
    { "friendly-name", 0, 0, G_OPTION_ARG_STRING, &friendly_name,
      N_("The certificate’s friendly name"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "import", _("FILE"),
                                    _("Imports a certificate file: PEM (certificates and a "
                                      "private key), DER, PKCS #7 (.p7b) or PKCS #12 (.pfx, "
                                      ".p12, also as older Windows exports them). A server "
                                      "certificate needs its private key: from the file, from "
                                      "a waiting request (which the import completes) or from "
                                      "the store. CA certificates are kept as its chain, or "
                                      "trusted with --trust. Without --password-file, the "
                                      "password of a PKCS #12 file is asked for on the "
                                      "terminal. Nothing changes when anything fails."),
                                    entries);
  if (!cli_option_context_parse (context, "import", &argc, &argv, 1, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);
  if (!cli_parse_trust (trust_text, &trust, error))
    return FALSE;

  if (!g_file_get_contents (argv[1], &contents, &length, &local_error))
    {
      /* Translators: %1$s is a file name, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The file %1$s could not be read: %2$s"), argv[1], local_error->message);
      return FALSE;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);

  if (password_file != NULL)
    {
      password = cli_read_password_file (password_file, error);
      if (password == NULL)
        return FALSE;
    }

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;

  result = certreq_import (store, data, password, trust, exportable, friendly_name, NULL,
                           &local_error);
  if (result == NULL && password_file == NULL &&
      g_error_matches (local_error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD))
    {
      /* The file needs a password nobody gave yet: ask the admin at the terminal */
      /* The helper (--json-progress) never reads standard input */
      if (!ctx->json_progress)
        password = cli_read_password_tty (_("Password of the file: "));
      if (password == NULL)
        {
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD,
                               _("The file is protected by a password. Give it with "
                                 "--password-file FILE (the password on its first line)."));
          return FALSE;
        }
      g_clear_error (&local_error);
      result = certreq_import (store, data, password, trust, exportable, friendly_name, NULL,
                               &local_error);
    }
  if (result == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (json)
    return cli_import_json (ctx, result, error);
  cli_import_print (store, result);
  return TRUE;
}

/* ---- export ---- */

gboolean
cli_cmd_export (CliContext  *ctx,
                int          argc,
                char       **argv,
                GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CliPassword) password = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *pfx = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *der = NULL;
  g_autofree char *p7b = NULL;
  g_autofree char *profile_text = NULL;
  g_autofree char *password_file = NULL;
  CertreqPfxProfile profile = CERTREQ_PFX_MODERN;
  CertreqExportFormat format = CERTREQ_EXPORT_PEM;
  g_autoptr(CliUserFile) user_file = NULL;
  const char *path = NULL;
  const char *format_id = NULL;
  const char *thumbprint;
  gboolean json = FALSE;
  int n_formats = 0;
  const GOptionEntry entries[] = {
    { "pfx", 0, 0, G_OPTION_ARG_FILENAME, &pfx,
      N_("Write the certificate, its chain and its private key as a PKCS #12 file"),
      N_("FILE") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile_text,
      N_("PKCS #12 encryption: modern (AES-256, SHA-256; the default) or compatible "
         "(3DES, SHA-1; Windows Server 2016 and older)"), "modern|compatible" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the PKCS #12 file’s password from the first line of FILE"), N_("FILE") },
    { "pem", 0, 0, G_OPTION_ARG_FILENAME, &pem,
      N_("Write the certificate as PEM (FILE “-” is the standard output)"), N_("FILE") },
    { "der", 0, 0, G_OPTION_ARG_FILENAME, &der,
      N_("Write the certificate as DER (FILE “-” is the standard output)"), N_("FILE") },
    { "chain-p7b", 0, 0, G_OPTION_ARG_FILENAME, &p7b,
      N_("Write the certificate and its chain as PKCS #7 (FILE “-” is the standard output)"),
      N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "export", _("THUMBPRINT"),
                                    _("Exports a certificate of the store in one format. A "
                                      "PKCS #12 file holds the private key too, and only a key "
                                      "marked exportable is ever exported; without "
                                      "--password-file, its password is asked for on the "
                                      "terminal."),
                                    entries);
  if (!cli_option_context_parse (context, "export", &argc, &argv, 1, error))
    return FALSE;
  thumbprint = argv[1];

  json = cli_json_wanted (ctx, json);

  if (pfx != NULL)
    n_formats++, format = CERTREQ_EXPORT_PFX, path = pfx, format_id = "pfx";
  if (pem != NULL)
    n_formats++, format = CERTREQ_EXPORT_PEM, path = pem, format_id = "pem";
  if (der != NULL)
    n_formats++, format = CERTREQ_EXPORT_DER, path = der, format_id = "der";
  if (p7b != NULL)
    n_formats++, format = CERTREQ_EXPORT_CHAIN_P7B, path = p7b, format_id = "chain-p7b";
  if (n_formats != 1)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("Choose one format: --pfx FILE, --pem FILE, --der FILE or "
                             "--chain-p7b FILE."));
      return FALSE;
    }
  if (profile_text != NULL && !certreq_pfx_profile_from_id (profile_text, &profile))
    {
      /* Translators: %s is what the user gave; the profile names stay as they are */
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("Unknown profile “%s”; use --profile modern or --profile compatible."),
                   profile_text);
      return FALSE;
    }
  if (format == CERTREQ_EXPORT_PFX && g_str_equal (path, "-"))
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("A PKCS #12 file holds a private key; give a file name to "
                             "--pfx, not the standard output."));
      return FALSE;
    }
  if (json && g_str_equal (path, "-"))
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("With --json or --json-progress the standard output carries "
                             "JSON; give a file name to write the certificate to."));
      return FALSE;
    }

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  cert = cli_find_certificate (store, thumbprint, error);
  if (cert == NULL)
    return FALSE;

  if (format == CERTREQ_EXPORT_PFX)
    {
      const char *key_id = certreq_certificate_get_key_id (cert);

      /* Refuse before asking for a password that would not be used */
      if (certreq_store_has_key (store, key_id) &&
          !certreq_store_key_is_exportable (store, key_id))
        return certreq_export (store, certreq_certificate_get_thumbprint (cert), format,
                               profile, "-", error) != NULL;

      if (password_file != NULL)
        password = cli_read_password_file (password_file, error);
      else
        {
          g_autoptr(CliPassword) again = NULL;

          /* The helper (--json-progress) never reads standard input */
          if (!ctx->json_progress)
            password = cli_read_password_tty (_("Password for the PKCS #12 file: "));
          if (password == NULL)
            {
              g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD,
                                   _("A PKCS #12 file needs a password. Give it with "
                                     "--password-file FILE (the password on its first "
                                     "line)."));
              return FALSE;
            }
          again = cli_read_password_tty (_("The same password again: "));
          if (again == NULL || !g_str_equal (again, password))
            {
              g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD,
                                   _("The two passwords differ."));
              return FALSE;
            }
        }
      if (password == NULL)
        return FALSE;
    }

  if (g_str_equal (path, "-"))
    {
      bytes = certreq_export (store, certreq_certificate_get_thumbprint (cert), format,
                              profile, password, error);
      return bytes != NULL &&
             cli_write_stdout (g_bytes_get_data (bytes, NULL),
                               (gssize) g_bytes_get_size (bytes), error);
    }

  user_file = cli_user_file_new (path);
  if (!certreq_export_to_file (store, certreq_certificate_get_thumbprint (cert), format,
                               profile, password, path, error))
    return FALSE;
  /* The admin owns what they saved, also when this ran as root (mode kept) */
  cli_user_file_hand_over (user_file);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *file = g_canonicalize_filename (path, NULL);

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "thumbprint", certreq_certificate_get_thumbprint (cert));
      cli_json_add_string (builder, "file", file);
      cli_json_add_string (builder, "format", format_id);
      cli_json_add_string (builder, "profile",
                           format != CERTREQ_EXPORT_PFX ? NULL
                           : profile == CERTREQ_PFX_MODERN ? "modern" : "compatible");
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %1$s is a thumbprint, %2$s a file name */
  g_print (_("Exported %1$s to %2$s.\n"), certreq_certificate_get_thumbprint (cert), path);
  if (format == CERTREQ_EXPORT_PFX)
    g_print ("%s\n", profile == CERTREQ_PFX_MODERN
                     ? _("Encryption: AES-256-CBC with PBKDF2, integrity: HMAC-SHA-256.")
                     : _("Encryption: 3DES, integrity: HMAC-SHA-1 (for Windows Server 2016 "
                         "and older)."));
  return TRUE;
}
