/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certwiz-cli.h"

G_DEFINE_QUARK (certwiz-cli-usage-error-quark, cli_usage_error)

/* ---- Exit status ---- */

/* Exit 0 is success, 1 any failure not listed here, 2 a command-line mistake;
 * every CertreqError has its own status so that scripts can tell them apart. */
static const struct
{
  CertreqError  code;
  int           status;
  const char   *id;           /* stable, for the JSON error line's "code-id" */
  const char   *description;
} cli_exit_statuses[] = {
  { CERTREQ_ERROR_INVALID_SUBJECT, 3, "invalid-subject",
    N_("a field or option value is not valid") },
  { CERTREQ_ERROR_KEY_GENERATION, 4, "key-generation",
    N_("the private key could not be generated") },
  { CERTREQ_ERROR_CRYPTO, 5, "crypto", N_("a cryptographic operation failed") },
  { CERTREQ_ERROR_NETWORK, 6, "network",
    N_("the certification authority could not be reached") },
  { CERTREQ_ERROR_CA_REJECTED, 7, "ca-rejected",
    N_("the certification authority denied the request") },
  { CERTREQ_ERROR_PROTOCOL, 8, "protocol",
    N_("the certification authority answered something unusable") },
  { CERTREQ_ERROR_STORE, 9, "store", N_("the store could not be read or written") },
  { CERTREQ_ERROR_LOCKED, 10, "locked", N_("another process holds the store’s lock") },
  { CERTREQ_ERROR_NOT_FOUND, 11, "not-found",
    N_("no such certificate, key, usage, CA or pending request") },
  { CERTREQ_ERROR_BAD_FORMAT, 12, "bad-format",
    N_("a file is not in a format Certwiz understands") },
  { CERTREQ_ERROR_UNTRUSTED, 13, "untrusted", N_("the certificate chain does not verify") },
  { CERTREQ_ERROR_NOT_ASSIGNABLE, 14, "not-assignable",
    N_("the certificate cannot serve a usage") },
  { CERTREQ_ERROR_DEPLOY, 15, "deploy", N_("deployment or the reload command failed") },
  { CERTREQ_ERROR_PERMISSION, 16, "permission", N_("the store is not writable by this user") },
  { CERTREQ_ERROR_BAD_PASSWORD, 17, "bad-password",
    N_("the password of a PKCS #12 file is wrong or missing") },
  { CERTREQ_ERROR_NOT_EXPORTABLE, 18, "not-exportable",
    N_("the private key is not marked exportable") },
};

#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE 2
#define CLI_EXIT_CANCELLED 130

static int
cli_exit_status_for_error (const GError *error)
{
  gsize i;

  if (error->domain == G_OPTION_ERROR || error->domain == CLI_USAGE_ERROR)
    return CLI_EXIT_USAGE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return CLI_EXIT_CANCELLED;
  if (error->domain == CERTREQ_ERROR)
    for (i = 0; i < G_N_ELEMENTS (cli_exit_statuses); i++)
      if (cli_exit_statuses[i].code == (CertreqError) error->code)
        return cli_exit_statuses[i].status;

  return CLI_EXIT_FAILURE;
}

void
cli_set_exit_code (CliContext   *ctx,
                   CertreqError  code)
{
  gsize i;

  ctx->exit_status = CLI_EXIT_FAILURE;
  for (i = 0; i < G_N_ELEMENTS (cli_exit_statuses); i++)
    if (cli_exit_statuses[i].code == code)
      ctx->exit_status = cli_exit_statuses[i].status;
}

static char *
cli_exit_status_help (void)
{
  GString *text = g_string_new (NULL);
  gsize i;

  g_string_append (text, _("Exit status:"));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, "  %3d  %s\n", 0, _("success"));
  g_string_append_printf (text, "  %3d  %s\n", CLI_EXIT_FAILURE, _("any other failure"));
  g_string_append_printf (text, "  %3d  %s\n", CLI_EXIT_USAGE,
                          _("the command line is not valid"));
  for (i = 0; i < G_N_ELEMENTS (cli_exit_statuses); i++)
    g_string_append_printf (text, "  %3d  %s\n", cli_exit_statuses[i].status,
                            _(cli_exit_statuses[i].description));
  g_string_append_printf (text, "  %3d  %s\n", CLI_EXIT_CANCELLED,
                          _("the operation was interrupted"));
  g_string_append_c (text, '\n');
  /* Translators: the environment variable's name stays as it is */
  g_string_append (text, _("The store is /var/lib/certwiz; --store or the CERTWIZ_STORE "
                           "environment variable choose another one. Changing the machine’s "
                           "store needs root."));

  return g_string_free (text, FALSE);
}

static char *
cli_error_message (const GError *error)
{
  char *message;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = g_strdup (_("The operation was interrupted."));
  else
    message = g_strdup (error->message);

  /* One line, whatever the source of the message */
  g_strdelimit (message, "\r\n", ' ');
  g_strstrip (message);
  return message;
}

static void
cli_print_error (const GError *error)
{
  g_autofree char *message = cli_error_message (error);

  g_printerr ("certwiz-cli: %s\n", message);
}

/* The {"error": …} line of --json-progress (docs/helper-protocol.md) */
static void
cli_print_error_json (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = cli_error_message (error);
  g_autofree char *text = NULL;
  const char *domain = "other";
  const char *code_id = NULL;
  gsize i;

  if (error->domain == G_OPTION_ERROR || error->domain == CLI_USAGE_ERROR)
    domain = code_id = "usage";
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    domain = code_id = "cancelled";
  else if (error->domain == CERTREQ_ERROR)
    {
      domain = "certreq-error";
      for (i = 0; i < G_N_ELEMENTS (cli_exit_statuses); i++)
        if (cli_exit_statuses[i].code == (CertreqError) error->code)
          code_id = cli_exit_statuses[i].id;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  cli_json_add_string (builder, "domain", domain);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, error->code);
  cli_json_add_string (builder, "code-id", code_id);
  json_builder_set_member_name (builder, "exit-status");
  json_builder_add_int_value (builder, cli_exit_status_for_error (error));
  cli_json_add_string (builder, "message", message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  /* Nothing more can be done when the GUI no longer reads */
  if (!cli_write_stdout (text, -1, NULL))
    return;
  cli_write_stdout ("\n", 1, NULL);
}

/* ---- Options ---- */

/* The global options, accepted before the command and by every command */
static const GOptionEntry cli_store_entries[] = {
  { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the store in DIR instead of the default one"), N_("DIR") },
  { "json-progress", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("For programs such as the Certwiz GUI: print one JSON object a line on standard "
       "output (the progress, then the result or the error) and cancel the operation when "
       "standard input is closed; see docs/helper-protocol.md"), NULL },
  { NULL }
};

static void
cli_add_store_entry (GOptionContext *context,
                     CliContext     *ctx)
{
  GOptionEntry entries[G_N_ELEMENTS (cli_store_entries)];

  memcpy (entries, cli_store_entries, sizeof entries);
  entries[0].arg_data = &ctx->store_option;
  entries[1].arg_data = &ctx->json_progress;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

GOptionContext *
cli_option_context_new (CliContext         *ctx,
                        const char         *command,
                        const char         *parameter_string,
                        const char         *summary,
                        const GOptionEntry *entries)
{
  GOptionContext *context;
  g_autofree char *description = cli_exit_status_help ();
  g_autofree char *prgname = g_strdup_printf ("certwiz-cli %s", command);

  /* The "Usage:" line of --help names the command */
  g_set_prgname (prgname);
  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_store_entry (context, ctx);

  return context;
}

gboolean
cli_option_context_parse (GOptionContext   *context,
                          const char       *command,
                          int              *argc,
                          char           ***argv,
                          int               n_args,
                          GError          **error)
{
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc - 1 > n_args)
    {
      /* Translators: %1$s is an argument, %2$s a command such as "certwiz-cli list" */
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("Unexpected argument “%1$s”; run “certwiz-cli %2$s --help” for help."),
                   (*argv)[n_args + 1], command);
      return FALSE;
    }
  if (*argc - 1 < n_args)
    {
      /* Translators: %s is a command such as "certwiz-cli show" */
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("An argument is missing; run “certwiz-cli %s --help” for help."),
                   command);
      return FALSE;
    }

  return TRUE;
}

char **
cli_split_list (const char * const *values)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  gsize i, j;

  for (i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (values[i], ",", -1);

      for (j = 0; parts[j] != NULL; j++)
        {
          g_strstrip (parts[j]);
          if (*parts[j] != '\0')
            g_ptr_array_add (items, g_strdup (parts[j]));
        }
    }
  g_ptr_array_add (items, NULL);

  return (char **) g_ptr_array_steal (items, NULL);
}

/* ---- Store ---- */

char *
cli_get_store_path (CliContext *ctx)
{
  if (ctx->store_option != NULL)
    return g_canonicalize_filename (ctx->store_option, NULL);

  return certreq_store_default_path ();
}

CertreqStore *
cli_open_store (CliContext  *ctx,
                GError     **error)
{
  g_autofree char *path = cli_get_store_path (ctx);
  g_autoptr(CertreqStore) store = certreq_store_open (path, error);
  guint i;

  if (store == NULL || ctx->warnings != NULL)
    return g_steal_pointer (&store);

  /* Reported, never repaired: a loose mode may be someone's deliberate mistake, and
   * chmod-ing a key after the fact does not take back what others have read */
  ctx->warnings = certreq_store_check_permissions (store);
  for (i = 0; i < ctx->warnings->len; i++)
    /* Translators: a warning on stderr; %s is a sentence about a file's permissions */
    g_printerr (_("certwiz-cli: warning: %s\n"), (const char *) ctx->warnings->pdata[i]);

  return g_steal_pointer (&store);
}

char *
cli_command_prefix (CliContext *ctx)
{
  g_autofree char *path = NULL;
  g_autofree char *quoted = NULL;

  if (ctx->store_option == NULL)
    return g_strdup ("certwiz-cli");

  path = cli_get_store_path (ctx);
  quoted = g_shell_quote (path);
  return g_strdup_printf ("certwiz-cli --store %s", quoted);
}

CertreqStoreLock *
cli_lock_store (CertreqStore  *store,
                GError       **error)
{
  /* Long enough for another certwiz-cli to finish a deployment */
  return certreq_store_lock (store, 30000, error);
}

/* ---- Files written for the user ---- */

struct _CliUserFile
{
  char     *path;
  gboolean  existed;
  uid_t     old_uid;
  gid_t     old_gid;
};

/* The user who ran pkexec or sudo; FALSE when there is none (or it is root) */
static gboolean
cli_get_invoking_user (uid_t *out_uid,
                       gid_t *out_gid)
{
  const char *uid_text = g_getenv ("PKEXEC_UID");
  const char *gid_text = NULL;
  struct passwd *pw;
  guint64 value;

  if (geteuid () != 0)
    return FALSE;
  if (uid_text == NULL)
    {
      uid_text = g_getenv ("SUDO_UID");
      gid_text = g_getenv ("SUDO_GID");
    }
  if (uid_text == NULL ||
      !g_ascii_string_to_unsigned (uid_text, 10, 1, G_MAXUINT32 - 1, &value, NULL))
    return FALSE;
  *out_uid = (uid_t) value;

  if (gid_text != NULL &&
      g_ascii_string_to_unsigned (gid_text, 10, 0, G_MAXUINT32 - 1, &value, NULL))
    *out_gid = (gid_t) value;
  else if ((pw = getpwuid (*out_uid)) != NULL)
    *out_gid = pw->pw_gid;
  else
    *out_gid = (gid_t) -1;  /* fchown() keeps the group */

  return TRUE;
}

CliUserFile *
cli_user_file_new (const char *path)
{
  CliUserFile *file = g_new0 (CliUserFile, 1);
  struct stat st;

  file->path = g_strdup (path);
  if (lstat (path, &st) == 0)
    {
      file->existed = TRUE;
      file->old_uid = st.st_uid;
      file->old_gid = st.st_gid;
    }

  return file;
}

void
cli_user_file_hand_over (CliUserFile *file)
{
  g_autofree char *problem = NULL;
  struct stat st;
  uid_t uid;
  gid_t gid;
  int fd;

  if (!cli_get_invoking_user (&uid, &gid))
    return;
  /* Only what this command created, or a file of that user it replaced */
  if (file->existed)
    {
      if (file->old_uid != uid)
        return;
      gid = file->old_gid;
    }

  /* Never follow a link, never touch anything but the regular file just written:
   * the directory may be the user's, who could swap names in the meantime */
  fd = open (file->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) != 0)
    problem = g_strdup (g_strerror (errno));
  else if (!S_ISREG (st.st_mode) || st.st_nlink != 1 || st.st_uid != 0)
    problem = g_strdup (_("It is no longer the file that was written."));
  else if (fchown (fd, uid, gid) != 0)
    problem = g_strdup (g_strerror (errno));
  if (fd >= 0)
    close (fd);

  if (problem != NULL)
    /* Translators: a warning on stderr; %1$s is a file name, %2$u a user id,
     * %3$s the reason */
    g_printerr (_("certwiz-cli: warning: %1$s could not be given to user %2$u: %3$s\n"),
                file->path, (guint) uid, problem);
}

void
cli_user_file_free (CliUserFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file);
}

/* ---- Output ---- */

struct _CliFields
{
  GPtrArray *labels;
  GPtrArray *values;
};

CliFields *
cli_fields_new (void)
{
  CliFields *fields = g_new0 (CliFields, 1);

  fields->labels = g_ptr_array_new_with_free_func (g_free);
  fields->values = g_ptr_array_new_with_free_func (g_free);
  return fields;
}

void
cli_fields_add_take (CliFields  *fields,
                     const char *label,
                     char       *value)
{
  g_ptr_array_add (fields->labels, g_strdup (label));
  if (value == NULL || *value == '\0')
    {
      g_free (value);
      value = g_strdup ("—");
    }
  g_ptr_array_add (fields->values, value);
}

void
cli_fields_add (CliFields  *fields,
                const char *label,
                const char *value)
{
  cli_fields_add_take (fields, label, g_strdup (value));
}

void
cli_fields_print (CliFields *fields,
                  guint      indent)
{
  g_autoptr(GString) out = g_string_new (NULL);
  glong width = 0;
  guint i;

  for (i = 0; i < fields->labels->len; i++)
    width = MAX (width, g_utf8_strlen (g_ptr_array_index (fields->labels, i), -1));

  for (i = 0; i < fields->labels->len; i++)
    {
      const char *label = g_ptr_array_index (fields->labels, i);
      g_auto(GStrv) lines = g_strsplit (g_ptr_array_index (fields->values, i), "\n", -1);
      glong pad = width - g_utf8_strlen (label, -1);
      gsize j;

      g_string_append_printf (out, "%*s%s:%*s %s\n", (int) indent, "", label,
                              (int) pad, "", lines[0]);
      for (j = 1; lines[j] != NULL; j++)
        g_string_append_printf (out, "%*s%s\n", (int) (indent + width + 2), "", lines[j]);
    }

  g_print ("%s", out->str);
}

void
cli_fields_free (CliFields *fields)
{
  if (fields == NULL)
    return;
  g_ptr_array_unref (fields->labels);
  g_ptr_array_unref (fields->values);
  g_free (fields);
}

char *
cli_format_date (GDateTime *date,
                 gboolean   iso)
{
  g_autoptr(GDateTime) utc = NULL;

  if (date == NULL)
    return NULL;

  utc = g_date_time_to_utc (date);
  return g_date_time_format (utc, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S UTC");
}

char *
cli_format_usages (CertreqUsageFlags usages)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  int u;

  for (u = 0; u < CERTREQ_N_USAGES; u++)
    if (usages & CERTREQ_USAGE_TO_FLAG (u))
      g_ptr_array_add (labels, (gpointer) certreq_usage_get_label (u));
  g_ptr_array_add (labels, NULL);

  /* Translators: separates the items of a list such as "Server default, Web services internal" */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

const char *
cli_chain_status_to_id (CertreqChainStatus status)
{
  switch (status)
    {
    case CERTREQ_CHAIN_TRUSTED:
      return "trusted";
    case CERTREQ_CHAIN_UNTRUSTED_ROOT:
      return "untrusted-root";
    case CERTREQ_CHAIN_MISSING_ISSUER:
      return "missing-issuer";
    case CERTREQ_CHAIN_EXPIRED:
      return "expired";
    case CERTREQ_CHAIN_NOT_YET_VALID:
      return "not-yet-valid";
    case CERTREQ_CHAIN_BAD_SIGNATURE:
      return "bad-signature";
    case CERTREQ_CHAIN_INVALID:
    default:
      return "invalid";
    }
}

CertreqUsageFlags
cli_get_assigned_usages (CertreqStore *store,
                         const char   *thumbprint)
{
  CertreqUsageFlags flags = CERTREQ_USAGE_FLAG_NONE;
  int u;

  if (store == NULL)
    return flags;

  for (u = 0; u < CERTREQ_N_USAGES; u++)
    {
      g_autofree char *assigned = certreq_store_get_assigned (store, u);

      if (assigned != NULL && g_ascii_strcasecmp (assigned, thumbprint) == 0)
        flags |= CERTREQ_USAGE_TO_FLAG (u);
    }

  return flags;
}

CertreqChainResult *
cli_verify_chain (CertreqStore        *store,
                  CertreqCertificate  *cert,
                  GPtrArray           *extra,
                  GError             **error)
{
  if (store != NULL)
    return certreq_store_verify (store, cert, extra, error);

  return certreq_chain_verify (cert, extra, NULL, TRUE, NULL, error);
}

gboolean
cli_write_stdout (const char  *data,
                  gssize       length,
                  GError     **error)
{
  gsize len = length < 0 ? strlen (data) : (gsize) length;

  if ((len > 0 && fwrite (data, 1, len, stdout) != len) || fflush (stdout) != 0)
    {
      int saved_errno = errno;

      /* Translators: %s is the system's reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the output: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

gboolean
cli_json_wanted (CliContext *ctx,
                 gboolean    json)
{
  return json || ctx->json_progress;
}

/* The store's permission problems in the result's "warnings" array (created when the
 * result has none; assign's has the usages' warnings already), each an object
 * {"kind": "store-permissions", "message": …}. A result that is a list has no room
 * for them: they are on stderr only. */
static void
cli_json_add_warnings (CliContext *ctx,
                       JsonNode   *root)
{
  JsonObject *object;
  JsonArray *array;
  guint i;

  if (ctx->warnings == NULL || ctx->warnings->len == 0 ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  array = json_object_has_member (object, "warnings")
            ? json_object_get_array_member (object, "warnings") : NULL;
  if (array == NULL)
    {
      array = json_array_new ();
      json_object_set_array_member (object, "warnings", array);
    }
  for (i = 0; i < ctx->warnings->len; i++)
    {
      JsonObject *warning = json_object_new ();

      json_object_set_string_member (warning, "kind", "store-permissions");
      json_object_set_string_member (warning, "message", ctx->warnings->pdata[i]);
      json_array_add_object_element (array, warning);
    }
}

gboolean
cli_json_print (CliContext   *ctx,
                JsonBuilder  *builder,
                GError      **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  if (ctx->json_progress)
    {
      /* One compact line: {"result": ROOT} */
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(JsonNode) line = json_node_new (JSON_NODE_OBJECT);

      cli_json_add_warnings (ctx, root);
      json_object_set_member (object, "result", g_steal_pointer (&root));
      json_node_set_object (line, object);
      json_generator_set_root (generator, line);
    }
  else
    {
      cli_json_add_warnings (ctx, root);
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      json_generator_set_root (generator, root);
    }
  text = json_generator_to_data (generator, NULL);

  return cli_write_stdout (text, -1, error) && cli_write_stdout ("\n", 1, error);
}

void
cli_json_add_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
cli_json_add_strv (JsonBuilder        *builder,
                   const char         *member,
                   const char * const *values)
{
  gsize i;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

void
cli_json_add_usages (JsonBuilder       *builder,
                     const char        *member,
                     CertreqUsageFlags  usages)
{
  int u;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (u = 0; u < CERTREQ_N_USAGES; u++)
    if (usages & CERTREQ_USAGE_TO_FLAG (u))
      json_builder_add_string_value (builder, certreq_usage_to_id (u));
  json_builder_end_array (builder);
}

void
cli_json_add_date (JsonBuilder *builder,
                   const char  *member,
                   GDateTime   *date)
{
  g_autofree char *text = cli_format_date (date, TRUE);

  cli_json_add_string (builder, member, text);
}

/* ---- Commands ---- */

static const struct
{
  const char     *name;
  const char     *summary;
  CliCommandFunc  func;
} cli_commands[] = {
  { "server show", N_("Show the server profile and the names derived from it"),
    cli_cmd_server_show },
  { "server set", N_("Change the server profile"), cli_cmd_server_set },
  { "request", N_("Request a certificate from a certification authority"), cli_cmd_request },
  { "pending list", N_("List the pending requests"), cli_cmd_pending_list },
  { "pending retrieve", N_("Ask the certification authority about pending requests"),
    cli_cmd_pending_retrieve },
  { "renew", N_("Renew the certificates that are due and reassign their usages"),
    cli_cmd_renew },
  { "pending clear", N_("Remove a pending request with its private key"),
    cli_cmd_pending_clear },
  { "list", N_("List the certificates in the store"), cli_cmd_list },
  { "show", N_("Show a certificate of the store or a certificate file"), cli_cmd_show },
  { "import", N_("Import a certificate file (PEM, DER, PKCS #7, PKCS #12)"), cli_cmd_import },
  { "export", N_("Export a certificate (PEM, DER, PKCS #7 chain, PKCS #12)"), cli_cmd_export },
  { "assign", N_("Assign a certificate to certificate usages"), cli_cmd_assign },
  { "unassign", N_("Remove the certificate assignment of certificate usages"),
    cli_cmd_unassign },
  { "usage show", N_("Show where certificate usages deploy their files"),
    cli_cmd_usage_show },
  { "usage set", N_("Change where a certificate usage deploys its files"),
    cli_cmd_usage_set },
  { "trust import", N_("Trust CA certificates from a file, for Certwiz only"),
    cli_cmd_trust_import },
  { "trust list", N_("List the CA certificates Certwiz trusts"), cli_cmd_trust_list },
  { "trust system", N_("Add a root CA certificate to the operating system’s trust, confirmed"),
    cli_cmd_trust_system },
  { "ca add", N_("Add or replace an online certification authority"), cli_cmd_ca_add },
  { "ca list", N_("List the configured online certification authorities"), cli_cmd_ca_list },
  { "ca show", N_("Show a configured online certification authority"), cli_cmd_ca_show },
  { "ca remove", N_("Remove a configured online certification authority"),
    cli_cmd_ca_remove },
  { "ca local root", N_("Print the built-in lab CA’s root certificate"),
    cli_cmd_ca_local_root },
  { "ca local hold", N_("Switch the built-in lab CA’s hold for approval on or off"),
    cli_cmd_ca_local_hold },
  { "ca local held", N_("List the requests the built-in lab CA holds"),
    cli_cmd_ca_local_held },
  { "ca local approve", N_("Issue a request the built-in lab CA holds"),
    cli_cmd_ca_local_approve },
  { "ca local deny", N_("Deny a request the built-in lab CA holds"),
    cli_cmd_ca_local_deny },
};

static char *
cli_commands_help (void)
{
  GString *text = g_string_new (NULL);
  glong width = 0;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cli_commands); i++)
    width = MAX (width, (glong) strlen (cli_commands[i].name));

  g_string_append (text, _("Commands:"));
  g_string_append_c (text, '\n');
  for (i = 0; i < G_N_ELEMENTS (cli_commands); i++)
    g_string_append_printf (text, "  %-*s  %s\n", (int) width, cli_commands[i].name,
                            _(cli_commands[i].summary));
  g_string_append_c (text, '\n');
  g_string_append (text, _("Run “certwiz-cli COMMAND --help” for a command’s options."));

  return g_string_free (text, FALSE);
}

/* Finds the command named by the first words of @argv (after argv[0]).
 * Returns: the index into cli_commands, or -1; @out_words: how many words it took */
static int
cli_find_command (int    argc,
                  char **argv,
                  int   *out_words)
{
  int best = -1;
  int best_words = 0;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cli_commands); i++)
    {
      g_auto(GStrv) words = g_strsplit (cli_commands[i].name, " ", -1);
      int n = (int) g_strv_length (words);
      int k;

      if (n > argc - 1 || n <= best_words)
        continue;
      for (k = 0; k < n; k++)
        if (g_strcmp0 (words[k], argv[k + 1]) != 0)
          break;
      if (k == n)
        {
          best = (int) i;
          best_words = n;
        }
    }

  *out_words = best_words;
  return best;
}

static gboolean
cli_run (CliContext  *ctx,
         int          argc,
         char       **argv,
         GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *summary = cli_commands_help ();
  g_autofree char *description = cli_exit_status_help ();
  g_autofree char *help = NULL;
  g_autoptr(GPtrArray) sub_argv = NULL;
  g_autofree char *sub_name = NULL;
  gboolean version = FALSE;
  int words;
  int index;
  int i;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the program’s version"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  /* Global options come before the command; the command parses the rest */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_store_entry (context, ctx);

  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (version && ctx->json_progress)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "version", PACKAGE_VERSION);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }
  if (version)
    {
      g_print ("certwiz-cli %s\n", PACKAGE_VERSION);
      return TRUE;
    }

  if (argc < 2)
    {
      g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                           _("No command given; run “certwiz-cli --help” for the list of "
                             "commands."));
      return FALSE;
    }

  if (g_strcmp0 (argv[1], "help") == 0)
    {
      help = g_option_context_get_help (context, TRUE, NULL);
      g_print ("%s", help);
      return TRUE;
    }

  index = cli_find_command (argc, argv, &words);
  if (index < 0)
    {
      g_autoptr(GString) given = g_string_new (argv[1]);

      /* Name what was typed, up to the word that matched nothing */
      for (i = 2; i < argc && i <= 3 && argv[i][0] != '-'; i++)
        g_string_append_printf (given, " %s", argv[i]);
      /* Translators: %s is what the user typed as a command */
      g_set_error (error, CLI_USAGE_ERROR, 0,
                   _("Unknown command “%s”; run “certwiz-cli --help” for the list of "
                     "commands."), given->str);
      return FALSE;
    }

  sub_name = g_strdup (cli_commands[index].name);
  sub_argv = g_ptr_array_new ();
  g_ptr_array_add (sub_argv, sub_name);
  for (i = 1 + words; i < argc; i++)
    g_ptr_array_add (sub_argv, argv[i]);
  g_ptr_array_add (sub_argv, NULL);

  return cli_commands[index].func (ctx, (int) sub_argv->len - 1, (char **) sub_argv->pdata,
                                   error);
}

/* --json-progress anywhere before "--", so that even a command line the option parser
 * rejects ends with an {"error": …} line */
static gboolean
cli_argv_has_json_progress (int    argc,
                            char **argv)
{
  int i;

  for (i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--json-progress"))
        return TRUE;
    }

  return FALSE;
}

/* TRUE when the command line names a command that will talk to a CA over the network:
 * ca add (protocol detection), pending retrieve, and request with a --ca other than the
 * built-in one. A cheap look at the words, before any parsing: a guess that is wrong only
 * costs loading libcurl for nothing, or a little later. */
static gboolean
cli_argv_needs_network (int    argc,
                        char **argv)
{
  gboolean request = FALSE;
  int i;

  for (i = 1; i < argc; i++)
    {
      const char *ca = NULL;

      if (g_str_equal (argv[i], "--"))
        break;
      if (argv[i][0] == '-')
        {
          if (request && g_str_equal (argv[i], "--ca") && i + 1 < argc)
            ca = argv[i + 1];
          else if (request && g_str_has_prefix (argv[i], "--ca="))
            ca = argv[i] + 5;
          if (ca != NULL && !g_str_equal (ca, CERTREQ_LOCAL_CA_ID))
            return TRUE;
          continue;
        }
      if (g_str_equal (argv[i], "request"))
        request = TRUE;
      else if (g_str_equal (argv[i], "renew"))
        return TRUE;
      else if (i + 1 < argc &&
               ((g_str_equal (argv[i], "ca") && g_str_equal (argv[i + 1], "add")) ||
                (g_str_equal (argv[i], "pending") && g_str_equal (argv[i + 1], "retrieve"))))
        return TRUE;
      else if (!request)
        return FALSE;   /* another command: the first word decides */
    }

  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  CliContext ctx = { NULL };
  int status = 0;

  /* libcurl and its ~30 libraries load in a thread while the store is opened, the
   * request checked and the key generated, instead of before the first HTTP request */
  if (cli_argv_needs_network (argc, argv))
    certreq_http_preload ();

  certreq_init ();
  setlocale (LC_ALL, "");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("certwiz-cli");

  ctx.json_progress = cli_argv_has_json_progress (argc, argv);
  /* A GUI that went away must not kill the helper half-way with SIGPIPE: the write
   * fails instead, and the closed standard input cancels the operation cleanly */
  if (ctx.json_progress)
    signal (SIGPIPE, SIG_IGN);

  if (!cli_run (&ctx, argc, argv, &error))
    status = cli_exit_status_for_error (error);
  else if (fflush (stdout) != 0 || ferror (stdout))
    {
      int saved_errno = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the output: %s"), g_strerror (saved_errno));
      status = CLI_EXIT_FAILURE;
    }
  else
    status = ctx.exit_status;

  if (error != NULL)
    {
      cli_print_error (error);
      if (ctx.json_progress)
        cli_print_error_json (error);
    }

  g_free (ctx.store_option);
  g_clear_pointer (&ctx.warnings, g_ptr_array_unref);
  /* Never exit while libcurl is still loading in the preload thread */
  certreq_http_preload_wait ();
  return status;
}
