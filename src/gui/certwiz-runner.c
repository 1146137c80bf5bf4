/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <openssl/crypto.h>
#include <unistd.h>

#include "certwiz-runner.h"

struct _CertwizRunner
{
  GObject        parent_instance;

  CertreqStore  *store;        /* unowned: the store owns its runner */
  gboolean       use_helper;
  char         **elevate;      /* e.g. { "pkexec", NULL }; NULL when none is available */
  char          *helper;       /* the certwiz-cli to run */
};

G_DEFINE_TYPE (CertwizRunner, certwiz_runner, G_TYPE_OBJECT)

#define RUNNER_DATA_KEY "certwiz-runner"

static void
certwiz_runner_finalize (GObject *object)
{
  CertwizRunner *self = CERTWIZ_RUNNER (object);

  g_strfreev (self->elevate);
  g_free (self->helper);

  G_OBJECT_CLASS (certwiz_runner_parent_class)->finalize (object);
}

static void
certwiz_runner_class_init (CertwizRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = certwiz_runner_finalize;
}

static void
certwiz_runner_init (CertwizRunner *self)
{
}

static CertwizRunner *
certwiz_runner_new (CertreqStore *store)
{
  CertwizRunner *self = g_object_new (CERTWIZ_TYPE_RUNNER, NULL);
  const char *elevate = g_getenv ("CERTWIZ_ELEVATE");
  const char *helper = g_getenv ("CERTWIZ_HELPER");
  g_auto(GStrv) words = NULL;

  self->store = store;
  self->use_helper = !certreq_store_is_writable (store);
  self->helper = helper != NULL && *helper != '\0'
                 ? g_strdup (helper)
                 : g_build_filename (BINDIR, "certwiz-cli", NULL);

  if (elevate == NULL)
    elevate = "pkexec";
  if (*elevate != '\0' && g_shell_parse_argv (elevate, NULL, &words, NULL) && words[0] != NULL)
    {
      g_autofree char *program = g_find_program_in_path (words[0]);

      if (program != NULL)
        self->elevate = g_steal_pointer (&words);
    }

  return self;
}

CertwizRunner *
certwiz_runner_get_for_store (CertreqStore *store)
{
  CertwizRunner *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  self = g_object_get_data (G_OBJECT (store), RUNNER_DATA_KEY);
  if (self == NULL)
    {
      self = certwiz_runner_new (store);
      g_object_set_data_full (G_OBJECT (store), RUNNER_DATA_KEY, self, g_object_unref);
    }

  return self;
}

gboolean
certwiz_runner_uses_helper (CertwizRunner *self)
{
  g_return_val_if_fail (CERTWIZ_IS_RUNNER (self), FALSE);
  return self->use_helper;
}

gboolean
certwiz_runner_can_change (CertwizRunner *self)
{
  g_return_val_if_fail (CERTWIZ_IS_RUNNER (self), FALSE);
  return !self->use_helper || self->elevate != NULL;
}

/* ---- The helper back end ---- */

typedef struct
{
  GSubprocess         *process;
  GDataInputStream    *out;
  GOutputStream       *err;          /* a GMemoryOutputStream: what the helper said on stderr */
  GCancellable        *cancellable;
  gulong               cancel_id;
  CertreqProgressFunc  progress;
  gpointer             progress_data;
  JsonNode            *result;
  GError              *error;        /* from an "error" line */
  char                *secret_file;  /* removed when the call ends */
  guint                waiting;      /* stdout, stderr and the exit still to come */
} HelperCall;

static void
remove_secret_file (const char *path)
{
  int fd;

  if (path == NULL)
    return;
  /* Overwrite before unlinking: the password does not stay on disk */
  fd = g_open (path, O_WRONLY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      GStatBuf st;

      if (fstat (fd, &st) == 0 && st.st_size > 0)
        {
          g_autofree char *zeros = g_malloc0 (st.st_size);

          if (write (fd, zeros, st.st_size) < 0)
            g_debug ("could not overwrite %s: %s", path, g_strerror (errno));
          fsync (fd);
        }
      close (fd);
    }
  g_unlink (path);
}

static void
helper_call_free (HelperCall *call)
{
  if (call->cancel_id != 0)
    g_cancellable_disconnect (call->cancellable, call->cancel_id);
  g_clear_object (&call->cancellable);
  g_clear_object (&call->process);
  g_clear_object (&call->out);
  g_clear_object (&call->err);
  g_clear_pointer (&call->result, json_node_unref);
  g_clear_error (&call->error);
  remove_secret_file (call->secret_file);
  g_free (call->secret_file);
  g_free (call);
}

static GError *
error_from_json (JsonObject *object)
{
  const char *domain = json_object_get_string_member_with_default (object, "domain", "");
  const char *message = json_object_get_string_member_with_default (object, "message", "");
  gint64 code = json_object_get_int_member_with_default (object, "code", CERTREQ_ERROR_STORE);

  if (g_str_equal (domain, "cancelled"))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, message);
  if (g_str_equal (domain, "certreq-error"))
    return g_error_new_literal (CERTREQ_ERROR, (int) code, message);

  /* Translators: %s is what the helper (certwiz-cli) said */
  return g_error_new (CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                      _("The privileged helper could not do what was asked: %s"), message);
}

static void
handle_line (HelperCall *call,
             const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, -1, NULL))
    {
      g_debug ("helper: not a JSON line: %s", line);
      return;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);

  if (json_object_has_member (object, "progress"))
    {
      JsonObject *progress = json_object_get_object_member (object, "progress");
      CertreqSubmitStage stage;

      if (progress != NULL && call->progress != NULL &&
          certreq_submit_stage_from_id (
            json_object_get_string_member_with_default (progress, "stage", ""), &stage))
        call->progress (stage,
                        json_object_get_string_member_with_default (progress, "detail", NULL),
                        json_object_get_double_member_with_default (progress, "fraction", -1),
                        call->progress_data);
    }
  else if (json_object_has_member (object, "result"))
    {
      g_clear_pointer (&call->result, json_node_unref);
      call->result = json_node_copy (json_object_get_member (object, "result"));
    }
  else if (json_object_has_member (object, "error"))
    {
      JsonObject *error = json_object_get_object_member (object, "error");

      if (error != NULL)
        {
          g_clear_error (&call->error);
          call->error = error_from_json (error);
        }
    }
}

static char *
last_stderr_line (HelperCall *call)
{
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (call->err);
  const char *data = g_memory_output_stream_get_data (memory);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  if (data == NULL)
    return NULL;
  text = g_strndup (data, g_memory_output_stream_get_data_size (memory));
  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  return g_strdup (g_strstrip (lines[n - 1]));
}

static void
helper_call_complete (GTask *task)
{
  HelperCall *call = g_task_get_task_data (task);
  g_autofree char *said = NULL;
  int status;

  if (call->result != NULL)
    {
      g_task_return_pointer (task, json_node_ref (call->result),
                             (GDestroyNotify) json_node_unref);
      return;
    }
  if (call->error != NULL)
    {
      g_task_return_error (task, g_error_copy (call->error));
      return;
    }

  /* No answer at all: the helper never ran, typically because the admin did not
   * authenticate (pkexec exits 126 or 127, sudo -n 1) */
  said = last_stderr_line (call);
  status = g_subprocess_get_if_exited (call->process) ? g_subprocess_get_exit_status (call->process)
                                                      : -1;
  g_debug ("helper exited with %d: %s", status, said != NULL ? said : "");
  if (g_cancellable_is_cancelled (call->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The operation was interrupted."));
  else if (said != NULL)
    /* Translators: %1$s is the store's directory, %2$s what pkexec or sudo said */
    g_task_return_new_error (task, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                             _("Changing the store %1$s needs administrator rights, and they "
                               "were not granted: %2$s"),
                             certreq_store_get_path (g_task_get_source_object (task)), said);
  else
    /* Translators: %s is the store's directory */
    g_task_return_new_error (task, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                             _("Changing the store %s needs administrator rights, and they "
                               "were not granted."),
                             certreq_store_get_path (g_task_get_source_object (task)));
}

static void
helper_call_step_done (GTask *task)
{
  HelperCall *call = g_task_get_task_data (task);

  if (--call->waiting == 0)
    helper_call_complete (task);
  g_object_unref (task);
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  helper_call_step_done (G_TASK (user_data));
}

static void
on_stderr_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, NULL);
  helper_call_step_done (G_TASK (user_data));
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = G_TASK (user_data);
  HelperCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (line != NULL)
    {
      handle_line (call, line);
      g_data_input_stream_read_line_async (call->out, G_PRIORITY_DEFAULT, NULL, on_line, task);
      return;
    }

  if (error != NULL)
    g_debug ("helper: reading its output: %s", error->message);
  /* The end of its output: wait for the process itself */
  g_subprocess_wait_async (call->process, NULL, on_exited, g_object_ref (task));
  helper_call_step_done (task);
}

static void
on_call_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GSubprocess *process = user_data;
  GOutputStream *in = g_subprocess_get_stdin_pipe (process);

  /* End of file on the helper's standard input cancels it (docs/helper-protocol.md) */
  if (in != NULL)
    g_output_stream_close (in, NULL, NULL);
}

/* Runs `ELEVATE HELPER ARGS… --store STORE --json-progress`; the task returns the
 * "result" object's JsonNode. Takes @secret_file (removed at the end). */
static void
run_helper (CertwizRunner        *self,
            GTask                *task,
            const char * const   *args,
            CertreqProgressFunc   progress,
            gpointer              progress_data,
            char                 *secret_file)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  HelperCall *call = g_new0 (HelperCall, 1);
  guint i;

  call->cancellable = g_task_get_cancellable (task) != NULL
                      ? g_object_ref (g_task_get_cancellable (task)) : g_cancellable_new ();
  call->progress = progress;
  call->progress_data = progress_data;
  call->secret_file = secret_file;
  g_task_set_task_data (task, call, (GDestroyNotify) helper_call_free);
  /* The helper's answer counts, even when Cancel came too late to stop it */
  g_task_set_check_cancellable (task, FALSE);

  if (self->elevate == NULL)
    {
      /* Translators: %s is the store's directory */
      g_task_return_new_error (task, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                               _("The store %s can be changed only by an administrator, and "
                                 "pkexec, which asks for administrator rights, is not "
                                 "installed."),
                               certreq_store_get_path (self->store));
      g_object_unref (task);
      return;
    }

  for (i = 0; self->elevate[i] != NULL; i++)
    g_ptr_array_add (argv, self->elevate[i]);
  g_ptr_array_add (argv, self->helper);
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, "--store");
  g_ptr_array_add (argv, (gpointer) certreq_store_get_path (self->store));
  g_ptr_array_add (argv, "--json-progress");
  g_ptr_array_add (argv, NULL);

  call->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                     &error);
  if (call->process == NULL)
    {
      /* Translators: %s is the system's reason */
      g_task_return_new_error (task, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                               _("The privileged helper could not be started: %s"),
                               error->message);
      g_object_unref (task);
      return;
    }

  call->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (call->process));
  call->err = g_memory_output_stream_new_resizable ();
  call->waiting = 3;   /* stdout, stderr, exit */
  call->cancel_id = g_cancellable_connect (call->cancellable, G_CALLBACK (on_call_cancelled),
                                           call->process, NULL);

  g_output_stream_splice_async (call->err, g_subprocess_get_stderr_pipe (call->process),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, on_stderr_read, g_object_ref (task));
  /* The task's own reference goes to the reading of stdout */
  g_data_input_stream_read_line_async (call->out, G_PRIORITY_DEFAULT, NULL, on_line, task);
}

/* ---- Reading the helper's results ---- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  const char *value = json_object_get_string_member_with_default (object, name, NULL);

  return value != NULL && *value != '\0' ? value : NULL;
}

static CertreqSubmitResult *
submit_result_from_json (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *status = object != NULL ? member_string (object, "status") : NULL;

  if (status == NULL)
    goto bad;

  if (g_str_equal (status, "issued"))
    result = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
  else if (g_str_equal (status, "pending"))
    result = certreq_submit_result_new (CERTREQ_SUBMIT_PENDING);
  else if (g_str_equal (status, "denied"))
    result = certreq_submit_result_new (CERTREQ_SUBMIT_DENIED);
  else
    goto bad;

  result->ca_id = g_strdup (member_string (object, "ca-id"));
  result->ca_name = g_strdup (member_string (object, "ca-name"));
  result->request_id = g_strdup (member_string (object, "request-id"));
  result->pending_id = g_strdup (member_string (object, "pending-id"));
  result->log_path = g_strdup (member_string (object, "log"));
  result->request_file = g_strdup (member_string (object, "request-file"));
  result->reason = g_strdup (member_string (object, "reason"));

  if (result->status == CERTREQ_SUBMIT_ISSUED)
    {
      const char *pem = member_string (object, "certificate-pem");
      JsonArray *chain = json_object_get_array_member (object, "chain-pem");

      if (pem == NULL)
        goto bad;
      result->certificate = certreq_certificate_new_from_pem (pem, -1, error);
      if (result->certificate == NULL)
        return NULL;
      result->chain = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; chain != NULL && i < json_array_get_length (chain); i++)
        {
          const char *link = json_array_get_string_element (chain, i);
          CertreqCertificate *cert = link != NULL
                                     ? certreq_certificate_new_from_pem (link, -1, NULL) : NULL;

          if (cert != NULL)
            g_ptr_array_add (result->chain, cert);
        }
    }

  return g_steal_pointer (&result);

bad:
  g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                       _("The privileged helper answered something Certwiz does not "
                         "understand."));
  return NULL;
}

static GPtrArray *
strv_member (JsonObject *object,
             const char *name)
{
  JsonArray *array = json_object_get_array_member (object, name);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *value = json_array_get_string_element (array, i);

      if (value != NULL)
        g_ptr_array_add (values, g_strdup (value));
    }
  g_ptr_array_add (values, NULL);
  g_ptr_array_set_size (values, values->len - 1);

  return values;
}

static CertreqImportResult *
import_result_from_json (JsonNode *node)
{
  CertreqImportResult *result = g_new0 (CertreqImportResult, 1);
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                     : json_object_new ();

  result->thumbprint = g_strdup (member_string (object, "thumbprint"));
  result->pending_id = g_strdup (member_string (object, "completed_request"));
  result->key_imported = json_object_get_boolean_member_with_default (object, "key_imported",
                                                                      FALSE);
  result->roots = strv_member (object, "roots_added");
  result->intermediates = strv_member (object, "intermediates_added");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    json_object_unref (object);

  return result;
}

/* ---- Request ---- */

static void
add_option (GPtrArray  *args,
            const char *name,
            const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_ptr_array_add (args, g_strdup (name));
  g_ptr_array_add (args, g_strdup (value));
}

/* The request as certwiz-cli options: what the assistant's pages set */
static char *write_secret_file (const char  *secret,
                                GError     **error);

/* @out_secret_file: the account's password goes to the helper in a file only the user
 * and root can read, never on its command line */
static GPtrArray *
request_args (CertreqRequest  *request,
              char           **out_secret_file,
              GError         **error)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  const char * const *list;
  g_autofree char *usages = certreq_usage_flags_to_string (certreq_request_get_usages (request));

  g_ptr_array_add (args, g_strdup ("request"));
  add_option (args, "--usage", usages);
  if (certreq_request_get_online (request))
    add_option (args, "--ca", certreq_request_get_ca_id (request));
  else
    add_option (args, "--offline", certreq_request_get_request_file (request));
  add_option (args, "--friendly-name", certreq_request_get_friendly_name (request));
  if (certreq_request_get_online (request) && certreq_request_get_use_template (request))
    add_option (args, "--template", certreq_request_get_template (request));
  add_option (args, "--key", certreq_key_type_to_id (certreq_request_get_key_type (request)));
  if (certreq_request_get_exportable (request))
    g_ptr_array_add (args, g_strdup ("--exportable"));
  add_option (args, "--org", certreq_request_get_organization (request));
  add_option (args, "--ou", certreq_request_get_organizational_unit (request));
  add_option (args, "--country", certreq_request_get_country (request));
  add_option (args, "--state", certreq_request_get_state (request));
  add_option (args, "--city", certreq_request_get_locality (request));
  list = certreq_request_get_sip_domains (request);
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    add_option (args, "--sip-domain", list[i]);
  list = certreq_request_get_extra_names (request);
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    add_option (args, "--san", list[i]);
  if (certreq_request_get_use_credentials (request))
    {
      const char *password = certreq_request_get_password (request);

      add_option (args, "--user", certreq_request_get_username (request));
      if (password != NULL && *password != '\0')
        {
          *out_secret_file = write_secret_file (password, error);
          if (*out_secret_file == NULL)
            {
              g_ptr_array_unref (args);
              return NULL;
            }
          add_option (args, "--password-file", *out_secret_file);
        }
    }
  g_ptr_array_add (args, NULL);

  return args;
}

static void
on_local_submitted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  CertreqSubmitResult *outcome;

  if (g_task_get_source_tag (task) == certwiz_runner_enroll_async)
    outcome = certreq_enroll_finish (result, &error);
  else
    outcome = certreq_pending_retrieve_finish (result, &error);

  if (outcome == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) certreq_submit_result_free);
}

void
certwiz_runner_enroll_async (CertwizRunner       *self,
                             CertreqRequest      *request,
                             CertreqProgressFunc  progress,
                             gpointer             progress_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (CERTREQ_IS_REQUEST (request));

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_enroll_async);

  if (!self->use_helper)
    {
      certreq_enroll_async (self->store, request, progress, progress_data, cancellable,
                            on_local_submitted, task);
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    char *secret_file = NULL;
    g_autoptr(GPtrArray) args = request_args (request, &secret_file, &error);

    if (args == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        g_object_unref (task);
        return;
      }
    run_helper (self, task, (const char * const *) args->pdata, progress, progress_data,
                secret_file);
  }
}

static CertreqSubmitResult *
submit_finish (CertwizRunner  *self,
               GAsyncResult   *result,
               GError        **error)
{
  /* The helper's answer is a JsonNode; the core's a CertreqSubmitResult */
  if (self->use_helper)
    {
      g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), error);

      return node != NULL ? submit_result_from_json (node, error) : NULL;
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

CertreqSubmitResult *
certwiz_runner_enroll_finish (CertwizRunner  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), NULL);
  return submit_finish (self, result, error);
}

void
certwiz_runner_retrieve_async (CertwizRunner       *self,
                               const char          *pending_id,
                               CertreqProgressFunc  progress,
                               gpointer             progress_data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (pending_id != NULL);

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_retrieve_async);

  if (!self->use_helper)
    {
      certreq_pending_retrieve_async (self->store, pending_id, progress, progress_data,
                                      cancellable, on_local_submitted, task);
      return;
    }

  {
    const char *args[] = { "pending", "retrieve", pending_id, NULL };

    run_helper (self, task, args, progress, progress_data, NULL);
  }
}

CertreqSubmitResult *
certwiz_runner_retrieve_finish (CertwizRunner  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), NULL);
  return submit_finish (self, result, error);
}

/* ---- Renew ---- */

static void
on_local_renewed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  CertreqRenewResult *outcome = certreq_renew_certificate_finish (result, &error);

  if (outcome == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) certreq_renew_result_free);
}

void
certwiz_runner_renew_async (CertwizRunner       *self,
                            const char          *thumbprint,
                            CertreqRequest      *request,
                            CertreqProgressFunc  progress,
                            gpointer             progress_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (thumbprint != NULL);
  g_return_if_fail (request == NULL || CERTREQ_IS_REQUEST (request));

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_renew_async);

  if (!self->use_helper)
    {
      /* The Renew action is the admin's decision: renew now, due or not */
      certreq_renew_certificate_async (self->store, thumbprint, request,
                                       CERTREQ_RENEWAL_RULE_DEFAULT, CERTREQ_RENEW_FLAG_FORCE,
                                       progress, progress_data, cancellable,
                                       on_local_renewed, task);
      return;
    }

  {
    const char *args[] = { "renew", thumbprint, "--force", NULL };

    run_helper (self, task, args, progress, progress_data, NULL);
  }
}

/* The first member of @object that is set, under either spelling */
static const char *
member_string_any (JsonObject *object,
                   const char *name,
                   const char *other_name)
{
  const char *value = member_string (object, name);

  return value != NULL ? value : member_string (object, other_name);
}

static CertreqUsageFlags
usages_member (JsonObject *object,
               const char *name)
{
  CertreqUsageFlags flags = CERTREQ_USAGE_FLAG_NONE;
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return flags;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *id = json_array_get_string_element (array, i);
          CertreqUsage usage;

          if (id != NULL && certreq_usage_from_id (id, &usage))
            flags |= CERTREQ_USAGE_TO_FLAG (usage);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
           *json_node_get_string (node) != '\0')
    certreq_usage_flags_parse (json_node_get_string (node), &flags, NULL);
  return flags;
}

/* certwiz-cli renew's result: {"dry-run": …, "results": [one renewal]} (or the object) */
static CertreqRenewResult *
renew_result_from_json (JsonNode  *node,
                        GError   **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  const char *outcome;
  static const CertreqRenewOutcome outcomes[] = {
    CERTREQ_RENEW_NOT_DUE, CERTREQ_RENEW_BACKING_OFF, CERTREQ_RENEW_WOULD_RENEW,
    CERTREQ_RENEW_RENEWED, CERTREQ_RENEW_WAITING, CERTREQ_RENEW_ALREADY_RENEWED,
  };
  gboolean known = FALSE;

  for (const char *const *list = (const char *const[]) { "renewals", "results", NULL };
       object != NULL && *list != NULL; list++)
    {
      JsonArray *array = json_object_has_member (object, *list)
                         ? json_object_get_array_member (object, *list) : NULL;

      if (array != NULL && json_array_get_length (array) > 0)
        {
          object = json_array_get_object_element (array, 0);
          break;
        }
    }

  outcome = object != NULL ? member_string (object, "outcome") : NULL;
  if (outcome == NULL)
    outcome = object != NULL ? member_string (object, "status") : NULL;
  if (outcome == NULL)
    goto bad;
  /* A failure normally comes as the protocol's error line; in a result it is "failed" */
  if (g_str_equal (outcome, "failed"))
    {
      const char *message = member_string (object, "message");

      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                           message != NULL ? message : _("The renewal failed."));
      return NULL;
    }

  result = g_new0 (CertreqRenewResult, 1);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_str_equal (outcome, certreq_renew_outcome_to_id (outcomes[i])))
      {
        result->outcome = outcomes[i];
        known = TRUE;
      }
  if (!known)
    goto bad;

  result->thumbprint = g_strdup (member_string (object, "thumbprint"));
  result->new_thumbprint = g_strdup (member_string_any (object, "new-thumbprint",
                                                        "new_thumbprint"));
  result->reassigned = usages_member (object, "reassigned");
  result->pending_id = g_strdup (member_string_any (object, "pending-id", "pending_id"));
  result->message = g_strdup (member_string (object, "message"));
  result->log_path = g_strdup (member_string (object, "log"));
  return g_steal_pointer (&result);

bad:
  g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                       _("The privileged helper answered something Certwiz does not "
                         "understand."));
  return NULL;
}

CertreqRenewResult *
certwiz_runner_renew_finish (CertwizRunner  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), NULL);

  if (self->use_helper)
    {
      g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), error);

      return node != NULL ? renew_result_from_json (node, error) : NULL;
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The in-process back end of quick changes ---- */

/* Runs @func (the in-process back end) in a worker; its answer is TRUE or an error */
typedef gboolean (*LocalChange) (CertreqStore  *store,
                                 gpointer       data,
                                 GError       **error);

typedef struct
{
  LocalChange     func;
  gpointer        data;
  GDestroyNotify  free_data;
} ChangeData;

static void
change_data_free (ChangeData *change)
{
  if (change->free_data != NULL)
    change->free_data (change->data);
  g_free (change);
}

static void
change_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ChangeData *change = task_data;
  GError *error = NULL;

  if (change->func (source_object, change->data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_local_change (GTask          *task,
                  LocalChange     func,
                  gpointer        data,
                  GDestroyNotify  free_data)
{
  ChangeData *change = g_new0 (ChangeData, 1);

  change->func = func;
  change->data = data;
  change->free_data = free_data;
  g_task_set_task_data (task, change, (GDestroyNotify) change_data_free);
  g_task_run_in_thread (task, change_thread);
  g_object_unref (task);
}

/* ---- Assign, unassign, trust: results are TRUE or an error ---- */

static void
on_local_assigned (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (certreq_assign_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
certwiz_runner_assign_async (CertwizRunner       *self,
                             CertreqCertificate  *cert,
                             CertreqUsageFlags    usages,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (CERTREQ_IS_CERTIFICATE (cert));

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_assign_async);

  if (!self->use_helper)
    {
      certreq_assign_async (self->store, cert, usages, cancellable, on_local_assigned, task);
      return;
    }

  {
    g_autofree char *list = certreq_usage_flags_to_string (usages);
    const char *args[] = { "assign", certreq_certificate_get_thumbprint (cert),
                           "--usage", list, NULL };

    run_helper (self, task, args, NULL, NULL, NULL);
  }
}

/* TRUE, or the error; a helper's JsonNode result also means TRUE */
static gboolean
boolean_finish (CertwizRunner  *self,
                GAsyncResult   *result,
                GError        **error)
{
  if (self->use_helper)
    {
      g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), error);

      return node != NULL;
    }

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
certwiz_runner_assign_finish (CertwizRunner  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}

static gboolean
unassign_local (CertreqStore  *store,
                gpointer       data,
                GError       **error)
{
  return certreq_unassign (store, GPOINTER_TO_UINT (data), error);
}

void
certwiz_runner_unassign_async (CertwizRunner       *self,
                               CertreqUsageFlags    usages,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_unassign_async);

  if (!self->use_helper)
    {
      /* One atomic write: it is not interrupted, only not reported */
      run_local_change (task, unassign_local, GUINT_TO_POINTER (usages), NULL);
      return;
    }

  {
    g_autofree char *list = certreq_usage_flags_to_string (usages);
    const char *args[] = { "unassign", "--usage", list, NULL };

    run_helper (self, task, args, NULL, NULL, NULL);
  }
}

gboolean
certwiz_runner_unassign_finish (CertwizRunner  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}

static gboolean
trust_local (CertreqStore  *store,
             gpointer       data,
             GError       **error)
{
  GPtrArray *certs = data;

  for (guint i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);

      /* A self-issued CA is a root; any other CA certificate an intermediate */
      if (!certreq_store_trust_add (store, cert, certreq_certificate_is_self_issued (cert),
                                    error))
        return FALSE;
    }

  return TRUE;
}

void
certwiz_runner_trust_async (CertwizRunner       *self,
                            GPtrArray           *certs,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GString) pems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GTask *task;
  int fd;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (certs != NULL);

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_trust_async);

  if (!self->use_helper)
    {
      run_local_change (task, trust_local, g_ptr_array_ref (certs),
                        (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* Certificates are public: a temporary PEM bundle for `trust import` */
  for (guint i = 0; i < certs->len; i++)
    {
      g_autofree char *pem = certreq_certificate_to_pem (g_ptr_array_index (certs, i));

      g_string_append (pems, pem);
    }
  fd = g_file_open_tmp ("certwiz-trust-XXXXXX.pem", &path, &error);
  if (fd < 0 || (close (fd), !g_file_set_contents (path, pems->str, pems->len, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      if (path != NULL)
        g_unlink (path);
      return;
    }
  g_chmod (path, 0644);

  {
    const char *args[] = { "trust", "import", path, NULL };

    run_helper (self, task, args, NULL, NULL, g_steal_pointer (&path));
  }
}

gboolean
certwiz_runner_trust_finish (CertwizRunner  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}

/* ---- Import ---- */

typedef struct
{
  char               *path;
  char               *password;
  CertreqImportTrust  trust;
  gboolean            exportable;
  char               *friendly_name;
} ImportData;

static void
free_secret (char *secret)
{
  if (secret == NULL)
    return;
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

static void
import_data_free (ImportData *data)
{
  g_free (data->path);
  free_secret (data->password);
  g_free (data->friendly_name);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  g_autoptr(GBytes) bytes = NULL;
  CertreqImportResult *result;
  GError *error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (data->path, &contents, &length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  bytes = g_bytes_new_take (contents, length);
  result = certreq_import (source_object, bytes, data->password != NULL ? data->password : "",
                           data->trust, data->exportable, data->friendly_name, cancellable,
                           &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) certreq_import_result_free);
}

/* A file only the user (and root) can read, holding @secret; NULL with @error */
static char *
write_secret_file (const char  *secret,
                   GError     **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "certwiz", NULL);
  g_autofree char *path = NULL;
  gsize length = strlen (secret);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  path = g_build_filename (dir, "secret-XXXXXX", NULL);
  fd = g_mkstemp_full (path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, secret, length) != (gssize) length || write (fd, "\n", 1) != 1)
    {
      int saved_errno = errno;

      if (fd >= 0)
        {
          close (fd);
          g_unlink (path);
        }
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", path,
                   g_strerror (saved_errno));
      return NULL;
    }
  close (fd);

  return g_steal_pointer (&path);
}

void
certwiz_runner_import_async (CertwizRunner       *self,
                             const char          *path,
                             const char          *password,
                             CertreqImportTrust   trust,
                             gboolean             exportable,
                             const char          *friendly_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GError) error = NULL;
  char *secret_file = NULL;
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_import_async);

  if (!self->use_helper)
    {
      ImportData *data = g_new0 (ImportData, 1);

      data->path = g_strdup (path);
      data->password = g_strdup (password);
      data->trust = trust;
      data->exportable = exportable;
      data->friendly_name = g_strdup (friendly_name);
      g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
      g_task_run_in_thread (task, import_thread);
      g_object_unref (task);
      return;
    }

  args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (args, g_strdup ("import"));
  g_ptr_array_add (args, g_strdup (path));
  if (password != NULL)
    {
      secret_file = write_secret_file (password, &error);
      if (secret_file == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      add_option (args, "--password-file", secret_file);
    }
  if (trust == CERTREQ_IMPORT_TRUST_ROOT)
    add_option (args, "--trust", "root");
  else if (trust == CERTREQ_IMPORT_TRUST_INTERMEDIATE)
    add_option (args, "--trust", "intermediate");
  if (exportable)
    g_ptr_array_add (args, g_strdup ("--exportable"));
  add_option (args, "--friendly-name", friendly_name);
  g_ptr_array_add (args, NULL);

  run_helper (self, task, (const char * const *) args->pdata, NULL, NULL, secret_file);
}

CertreqImportResult *
certwiz_runner_import_finish (CertwizRunner  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), NULL);

  if (self->use_helper)
    {
      g_autoptr(JsonNode) node = g_task_propagate_pointer (G_TASK (result), error);

      return node != NULL ? import_result_from_json (node) : NULL;
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
save_server_local (CertreqStore  *store,
                   gpointer       data,
                   GError       **error)
{
  return certreq_server_validate (data, error) &&
         certreq_store_save_server (store, data, error);
}

static char *
join_list (const char * const *list)
{
  return list != NULL ? g_strjoinv (",", (char **) list) : g_strdup ("");
}

void
certwiz_runner_save_server_async (CertwizRunner       *self,
                                  CertreqServer       *server,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GPtrArray) args = NULL;
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (CERTREQ_IS_SERVER (server));

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_save_server_async);

  if (!self->use_helper)
    {
      run_local_change (task, save_server_local, g_object_ref (server), g_object_unref);
      return;
    }

  /* Every field, empty ones too: "empty" removes it */
  args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (args, g_strdup ("server"));
  g_ptr_array_add (args, g_strdup ("set"));
  g_ptr_array_add (args, g_strdup_printf ("--fqdn=%s", certreq_server_get_fqdn (server) ?: ""));
  g_ptr_array_add (args, g_strdup_printf ("--pool-fqdn=%s",
                                          certreq_server_get_pool_fqdn (server) ?: ""));
  g_ptr_array_add (args, g_strdup_printf ("--web-internal-fqdn=%s",
                                          certreq_server_get_web_internal_fqdn (server) ?: ""));
  g_ptr_array_add (args, g_strdup_printf ("--web-external-fqdn=%s",
                                          certreq_server_get_web_external_fqdn (server) ?: ""));
  {
    g_autofree char *sip = join_list (certreq_server_get_sip_domains (server));
    g_autofree char *urls = join_list (certreq_server_get_simple_urls (server));

    g_ptr_array_add (args, g_strdup_printf ("--sip-domains=%s", sip));
    g_ptr_array_add (args, g_strdup_printf ("--simple-urls=%s", urls));
  }
  g_ptr_array_add (args, NULL);

  run_helper (self, task, (const char * const *) args->pdata, NULL, NULL, NULL);
}

gboolean
certwiz_runner_save_server_finish (CertwizRunner  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}

typedef struct
{
  CertreqUsage        usage;
  CertreqUsageConfig *config;
} UsageChange;

static void
usage_change_free (UsageChange *change)
{
  certreq_usage_config_free (change->config);
  g_free (change);
}

static gboolean
set_usage_config_local (CertreqStore  *store,
                        gpointer       data,
                        GError       **error)
{
  UsageChange *change = data;

  return certreq_store_set_usage_config (store, change->usage, change->config, error);
}

void
certwiz_runner_set_usage_config_async (CertwizRunner            *self,
                                       CertreqUsage              usage,
                                       const CertreqUsageConfig *config,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  g_autoptr(GPtrArray) args = NULL;
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (config != NULL);

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_set_usage_config_async);

  if (!self->use_helper)
    {
      UsageChange *change = g_new0 (UsageChange, 1);

      change->usage = usage;
      change->config = certreq_usage_config_copy (config);
      run_local_change (task, set_usage_config_local, change,
                        (GDestroyNotify) usage_change_free);
      return;
    }

  args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (args, g_strdup ("usage"));
  g_ptr_array_add (args, g_strdup ("set"));
  g_ptr_array_add (args, g_strdup (certreq_usage_to_id (usage)));
  if (config->target_dir != NULL)
    add_option (args, "--target-dir", config->target_dir);
  else if (config->cert_path == NULL && config->key_path == NULL &&
           config->chain_path == NULL && config->fullchain_path == NULL)
    g_ptr_array_add (args, g_strdup ("--no-targets"));
  add_option (args, "--cert-path", config->cert_path);
  add_option (args, "--key-path", config->key_path);
  add_option (args, "--chain-path", config->chain_path);
  add_option (args, "--fullchain-path", config->fullchain_path);
  g_ptr_array_add (args, g_strdup (config->copy ? "--copy" : "--link"));
  g_ptr_array_add (args, g_strdup_printf ("--owner=%s", config->owner ?: ""));
  g_ptr_array_add (args, g_strdup_printf ("--group=%s", config->group ?: ""));
  g_ptr_array_add (args, g_strdup_printf ("--mode=%04o", config->mode != 0 ? config->mode : 0600));
  if (config->reload_argv != NULL && config->reload_argv[0] != NULL)
    {
      g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *command = NULL;

      for (guint i = 0; config->reload_argv[i] != NULL; i++)
        g_ptr_array_add (quoted, g_shell_quote (config->reload_argv[i]));
      g_ptr_array_add (quoted, NULL);
      command = g_strjoinv (" ", (char **) quoted->pdata);
      add_option (args, "--reload", command);
    }
  else
    g_ptr_array_add (args, g_strdup ("--no-reload"));
  g_ptr_array_add (args, g_strdup_printf ("--check=%s", config->check ?: ""));
  g_ptr_array_add (args, NULL);

  run_helper (self, task, (const char * const *) args->pdata, NULL, NULL, NULL);
}

gboolean
certwiz_runner_set_usage_config_finish (CertwizRunner  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}

typedef struct
{
  char                *thumbprint;
  CertreqExportFormat  format;
  CertreqPfxProfile    profile;
  char                *password;
  char                *path;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->thumbprint);
  free_secret (data->password);
  g_free (data->path);
  g_free (data);
}

static gboolean
export_local (CertreqStore  *store,
              gpointer       data,
              GError       **error)
{
  ExportData *export = data;

  return certreq_export_to_file (store, export->thumbprint, export->format, export->profile,
                                 export->password, export->path, error);
}

void
certwiz_runner_export_async (CertwizRunner       *self,
                             const char          *thumbprint,
                             CertreqExportFormat  format,
                             CertreqPfxProfile    profile,
                             const char          *password,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GError) error = NULL;
  char *secret_file = NULL;
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (thumbprint != NULL && path != NULL);

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_export_async);

  if (!self->use_helper)
    {
      ExportData *data = g_new0 (ExportData, 1);

      data->thumbprint = g_strdup (thumbprint);
      data->format = format;
      data->profile = profile;
      data->password = g_strdup (password);
      data->path = g_strdup (path);
      run_local_change (task, export_local, data, (GDestroyNotify) export_data_free);
      return;
    }

  args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (args, g_strdup ("export"));
  g_ptr_array_add (args, g_strdup (thumbprint));
  switch (format)
    {
    case CERTREQ_EXPORT_PEM:
      add_option (args, "--pem", path);
      break;
    case CERTREQ_EXPORT_DER:
      add_option (args, "--der", path);
      break;
    case CERTREQ_EXPORT_CHAIN_P7B:
      add_option (args, "--chain-p7b", path);
      break;
    case CERTREQ_EXPORT_PFX:
    default:
      add_option (args, "--pfx", path);
      add_option (args, "--profile", profile == CERTREQ_PFX_COMPATIBLE ? "compatible" : "modern");
      secret_file = write_secret_file (password != NULL ? password : "", &error);
      if (secret_file == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      add_option (args, "--password-file", secret_file);
      break;
    }
  g_ptr_array_add (args, NULL);

  run_helper (self, task, (const char * const *) args->pdata, NULL, NULL, secret_file);
}

gboolean
certwiz_runner_export_finish (CertwizRunner  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}

/* ---- Configured certification authorities ---- */

static gboolean
set_ca_local (CertreqStore  *store,
              gpointer       data,
              GError       **error)
{
  return certreq_store_set_ca (store, data, error);
}

void
certwiz_runner_set_ca_async (CertwizRunner         *self,
                             const CertreqCaConfig *config,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GPtrArray) args = NULL;
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (config != NULL && config->name != NULL);

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_set_ca_async);

  if (!self->use_helper)
    {
      run_local_change (task, set_ca_local, certreq_ca_config_copy (config),
                        (GDestroyNotify) certreq_ca_config_free);
      return;
    }

  /* "ca add" replaces a CA of the same name; the protocol is given, so the helper does
   * not probe again. Secrets travel as file names only. */
  args = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (args, g_strdup ("ca"));
  g_ptr_array_add (args, g_strdup ("add"));
  g_ptr_array_add (args, g_strdup (config->name));
  add_option (args, "--url", config->url);
  add_option (args, "--protocol", certreq_ca_protocol_to_id (config->protocol));
  add_option (args, "--trust-bundle", config->trust_bundle);
  add_option (args, "--contact", config->contact);
  add_option (args, "--eab-kid", config->eab_kid);
  add_option (args, "--eab-hmac-file", config->eab_hmac_file);
  add_option (args, "--http01", config->http01);
  add_option (args, "--dns01-hook", config->dns01_hook);
  add_option (args, "--template", config->template_name);
  if (config->auth != CERTREQ_HTTP_AUTH_NONE)
    add_option (args, "--auth", certreq_ca_auth_to_id (config->auth));
  add_option (args, "--user", config->username);
  add_option (args, "--password-file", config->password_file);
  add_option (args, "--client-cert", config->client_cert);
  add_option (args, "--client-key", config->client_key);
  add_option (args, "--challenge-password-file", config->challenge_password_file);
  g_ptr_array_add (args, NULL);

  run_helper (self, task, (const char * const *) args->pdata, NULL, NULL, NULL);
}

gboolean
certwiz_runner_set_ca_finish (CertwizRunner  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}

static gboolean
remove_ca_local (CertreqStore  *store,
                 gpointer       data,
                 GError       **error)
{
  return certreq_store_remove_ca (store, data, error);
}

void
certwiz_runner_remove_ca_async (CertwizRunner       *self,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CERTWIZ_IS_RUNNER (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self->store, cancellable, callback, user_data);
  g_task_set_source_tag (task, certwiz_runner_remove_ca_async);

  if (!self->use_helper)
    {
      run_local_change (task, remove_ca_local, g_strdup (name), g_free);
      return;
    }

  run_helper (self, task, (const char * const[]) { "ca", "remove", name, NULL }, NULL, NULL,
              NULL);
}

gboolean
certwiz_runner_remove_ca_finish (CertwizRunner  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self->store), FALSE);
  return boolean_finish (self, result, error);
}
