/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internals shared by the certwiz-cli source files; not a library API. */

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "certreq.h"

G_BEGIN_DECLS

typedef struct
{
  char     *store_option;   /* --store as given on the command line, or NULL */
  gboolean  json_progress;  /* --json-progress: JSON lines for the GUI (docs/helper-protocol.md) */
  int       exit_status;    /* when the command succeeds: its exit status (0, or a status
                             * for an outcome already reported, such as a denial in JSON) */
  GPtrArray *warnings;      /* (element-type utf8) (nullable): the store's permission
                             * problems, printed on stderr and added to a JSON result */
} CliContext;

/* Command-line mistakes (unknown command, missing or extra argument): exit status 2 */
#define CLI_USAGE_ERROR (cli_usage_error_quark ())
GQuark cli_usage_error_quark (void);

typedef gboolean (*CliCommandFunc) (CliContext  *ctx,
                                    int          argc,
                                    char       **argv,
                                    GError     **error);

/* ---- Commands (one file each group) ---- */
gboolean cli_cmd_server_show  (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_server_set   (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_request      (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_assign       (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_list         (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_show         (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_trust_import (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_trust_list   (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_trust_system (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_local_root (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_usage_show   (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_usage_set    (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_unassign     (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_import       (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_export       (CliContext *ctx, int argc, char **argv, GError **error);

gboolean cli_cmd_pending_list     (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_pending_retrieve (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_pending_clear    (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_local_hold    (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_local_approve (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_local_deny    (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_local_held    (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_add           (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_list          (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_show          (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_ca_remove        (CliContext *ctx, int argc, char **argv, GError **error);
gboolean cli_cmd_renew            (CliContext *ctx, int argc, char **argv, GError **error);

/* ---- Waiting for an asynchronous core operation (certwiz-cli-request.c) ----
 * The core's slow operations run in a worker (GTask); the CLI spins the main context
 * so that progress arrives in this thread and Ctrl+C / SIGTERM cancel cleanly. */
typedef struct
{
  CliContext         *ctx;
  GCancellable       *cancellable;
  GAsyncResult       *result;
  int                 last_stage;
  char               *last_detail;
  guint               stdin_watch;
} CliWait;

void cli_wait_init   (CliWait *wait, CliContext *ctx);
void cli_wait_clear  (CliWait *wait);
/* Runs the main context until cli_on_ready() stored the result. SIGINT and SIGTERM
 * cancel; so does the end of standard input with --json-progress when it is a pipe
 * or a socket (the GUI closed it, or died). */
void cli_wait_run    (CliWait *wait);
/* The GAsyncReadyCallback for a CliWait (user data) */
void cli_on_ready    (GObject *source, GAsyncResult *result, gpointer user_data);
/* The CertreqProgressFunc for a CliWait (progress data): each stage once, on stderr,
 * or as a {"progress": …} line on stdout with --json-progress */
void cli_on_progress (CertreqSubmitStage stage, const char *detail, double fraction,
                      gpointer user_data);

/* What `request` prints for an issued certificate (status, fields, usages' verdicts,
 * the next step) and for a pending or offline request */
void cli_request_print_issued  (CliContext *ctx, CertreqStore *store, CertreqRequest *request,
                                CertreqSubmitResult *result);
void cli_request_print_pending (CliContext *ctx, CertreqSubmitResult *result);
/* The JSON object of `request --json` and `pending retrieve ID --json` */
void cli_json_add_submit_result (JsonBuilder *builder, CertreqRequest *request,
                                 CertreqSubmitResult *result);

/* @text: a thumbprint in any case, with spaces or colons. NOT_FOUND when the
 * store has no such certificate, INVALID_SUBJECT when @text is not a thumbprint. */
CertreqCertificate *cli_find_certificate (CertreqStore    *store,
                                          const char      *text,
                                          GError         **error);

/* ---- Passwords (certwiz-cli-import.c) ---- */
/* Wipes and frees; CliPassword is a char * that is wiped when it goes out of scope */
void            cli_password_free        (char                *password);
typedef char CliPassword;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliPassword, cli_password_free)
/* The first line of @path, without its line end */
char           *cli_read_password_file   (const char          *path,
                                          GError             **error);

/* ---- Options ---- */
/* A context for one command: its own @entries plus the global --store, the exit
 * status table as description, translated through the certwiz domain.
 * @command is e.g. "trust import"; @parameter_string e.g. "FILE". */
GOptionContext *cli_option_context_new   (CliContext          *ctx,
                                          const char          *command,
                                          const char          *parameter_string,
                                          const char          *summary,
                                          const GOptionEntry  *entries);
/* Parses, then checks that exactly @n_args positional arguments remain
 * (argv[1] … argv[n_args]). Errors are usage errors. */
gboolean        cli_option_context_parse (GOptionContext      *context,
                                          const char          *command,
                                          int                 *argc,
                                          char              ***argv,
                                          int                  n_args,
                                          GError             **error);
/* Comma-separated lists, possibly given several times: stripped, empty items dropped.
 * Returns: (transfer full): never NULL */
char          **cli_split_list           (const char * const  *values);

/* Sets ctx->exit_status to the status of @code (the command reported the outcome) */
void            cli_set_exit_code        (CliContext          *ctx,
                                          CertreqError         code);

/* ---- Files written for the user ----
 * Under pkexec or sudo (PKEXEC_UID, SUDO_UID), a file the command creates for the
 * admin (an offline request, an export) is given to the admin who ran it. */
typedef struct _CliUserFile CliUserFile;
/* Call before @path is written: notes whether it exists */
CliUserFile    *cli_user_file_new        (const char          *path);
/* Call after @path was written: gives it to the invoking user when this command
 * created it (or replaced a file that user owned); a warning on stderr if it fails */
void            cli_user_file_hand_over  (CliUserFile         *file);
void            cli_user_file_free       (CliUserFile         *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliUserFile, cli_user_file_free)

/* ---- Store ---- */
char           *cli_get_store_path       (CliContext          *ctx);
/* Opens the store and, the first time, reports its permission problems as warnings
 * (stderr, and ctx->warnings for the JSON result); never changes a mode */
CertreqStore   *cli_open_store           (CliContext          *ctx,
                                          GError             **error);
/* The command an admin would type next: "certwiz-cli" plus --store when it was given */
char           *cli_command_prefix       (CliContext          *ctx);
CertreqStoreLock *cli_lock_store         (CertreqStore        *store,
                                          GError             **error);

/* ---- Output ---- */
typedef struct _CliFields CliFields;
CliFields      *cli_fields_new           (void);
/* @value may be NULL or empty: then the field prints as "—" */
void            cli_fields_add           (CliFields           *fields,
                                          const char          *label,
                                          const char          *value);
void            cli_fields_add_take      (CliFields           *fields,
                                          const char          *label,
                                          char                *value);
/* "Label:" padded so that every value starts in the same column;
 * continuation lines of a multi-line value are indented to that column. */
void            cli_fields_print         (CliFields           *fields,
                                          guint                indent);
void            cli_fields_free          (CliFields           *fields);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliFields, cli_fields_free)

/* Human form "2026-01-02 03:04:05 UTC", or ISO 8601 UTC "2026-01-02T03:04:05Z" */
char           *cli_format_date          (GDateTime           *date,
                                          gboolean             iso);
char           *cli_format_usages        (CertreqUsageFlags    usages);
/* Stable ids for scripts: "trusted", "untrusted-root", ... */
const char     *cli_chain_status_to_id   (CertreqChainStatus   status);
/* The usages @thumbprint is assigned to in @store (nullable) */
CertreqUsageFlags cli_get_assigned_usages (CertreqStore       *store,
                                          const char          *thumbprint);
/* Verifies with the store when there is one, else against the system's trust only */
CertreqChainResult *cli_verify_chain     (CertreqStore        *store,
                                          CertreqCertificate  *cert,
                                          GPtrArray           *extra,
                                          GError             **error);

/* Writes all of @data to stdout; FALSE with an error when stdout cannot take it */
gboolean        cli_write_stdout         (const char          *data,
                                          gssize               length,
                                          GError             **error);
/* TRUE when the command should print JSON: --json (@json) or --json-progress */
gboolean        cli_json_wanted          (CliContext          *ctx,
                                          gboolean             json);
/* @builder's root to stdout: pretty JSON for --json, or one compact line
 * {"result": ROOT} with --json-progress */
gboolean        cli_json_print           (CliContext          *ctx,
                                          JsonBuilder         *builder,
                                          GError             **error);
void            cli_json_add_string      (JsonBuilder         *builder,
                                          const char          *member,
                                          const char          *value);
void            cli_json_add_strv        (JsonBuilder         *builder,
                                          const char          *member,
                                          const char * const  *values);
void            cli_json_add_usages      (JsonBuilder         *builder,
                                          const char          *member,
                                          CertreqUsageFlags    usages);
void            cli_json_add_date        (JsonBuilder         *builder,
                                          const char          *member,
                                          GDateTime           *date);

G_END_DECLS
