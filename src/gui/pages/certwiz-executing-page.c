/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-executing-page.h"
#include "certwiz-runner.h"
#include "certwiz-log-dialog.h"

typedef enum
{
  TASK_WAITING,
  TASK_RUNNING,
  TASK_DONE,
  TASK_SKIPPED,
  TASK_FAILED,
  TASK_CANCELLED,
} TaskState;

struct _CertwizExecutingPage
{
  CertwizPage          parent_instance;

  GtkLabel            *stage_label;
  GtkLabel            *detail_label;
  GtkProgressBar      *progress_bar;
  GtkListBox          *task_list;
  GtkInfoBar          *info_bar;
  GtkLabel            *info_label;
  GtkButton           *retry_button;
  GtkButton           *cancel_button;
  GtkButton           *log_button;

  GtkImage            *task_icons[CERTREQ_N_SUBMIT_STAGES];
  GtkLabel            *task_states[CERTREQ_N_SUBMIT_STAGES];
  TaskState            states[CERTREQ_N_SUBMIT_STAGES];

  GCancellable        *cancellable;   /* the running operation's; NULL when none */
  guint                pulse_id;
  gboolean             busy;
  gboolean             sent;          /* the request may have reached the CA */
  GPtrArray           *logs_before;   /* log paths that existed before the operation */
  char                *log_path;
  CertreqSubmitResult *result;
  /* A renewal (the request replaces a certificate): what it did, or why it failed */
  CertreqRenewResult  *renew_result;
  GError              *renew_error;
};

G_DEFINE_TYPE (CertwizExecutingPage, certwiz_executing_page, CERTWIZ_TYPE_PAGE)

enum
{
  SIGNAL_SUCCEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One enrolment: the page's reference and the cancellable that identifies it, so that
 * the answer of an operation that was replaced (Retry) or abandoned is recognised */
typedef struct
{
  CertwizExecutingPage *page;
  GCancellable         *cancellable;
} Operation;

static void
operation_free (Operation *op)
{
  g_clear_object (&op->page);
  g_clear_object (&op->cancellable);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operation, operation_free)

/* ---- Task list ---- */

static void
set_task_state (CertwizExecutingPage *self,
                CertreqSubmitStage    stage,
                TaskState             state)
{
  static const struct
  {
    const char *icon;
    const char *text;
  } looks[] = {
    [TASK_WAITING]   = { NULL, "" },
    /* Translators: state of one task on the Executing Commands page */
    [TASK_RUNNING]   = { "media-playback-start-symbolic", N_("Running") },
    /* Translators: state of one task on the Executing Commands page */
    [TASK_DONE]      = { "object-select-symbolic", N_("Done") },
    /* Translators: state of one task: this CA does not need the step */
    [TASK_SKIPPED]   = { NULL, N_("Not needed") },
    /* Translators: state of one task on the Executing Commands page */
    [TASK_FAILED]    = { "dialog-error-symbolic", N_("Failed") },
    /* Translators: state of one task on the Executing Commands page */
    [TASK_CANCELLED] = { "process-stop-symbolic", N_("Cancelled") },
  };

  self->states[stage] = state;
  gtk_image_set_from_icon_name (self->task_icons[stage], looks[state].icon, GTK_ICON_SIZE_MENU);
  gtk_label_set_text (self->task_states[stage], *looks[state].text ? _(looks[state].text) : "");
}

static void
build_task_list (CertwizExecutingPage *self)
{
  for (CertreqSubmitStage stage = 0; stage < CERTREQ_N_SUBMIT_STAGES; stage++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *icon = gtk_image_new ();
      GtkWidget *label = gtk_label_new (certreq_submit_stage_get_label (stage));
      GtkWidget *state = gtk_label_new (NULL);

      gtk_widget_set_size_request (icon, 16, 16);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_style_context_add_class (gtk_widget_get_style_context (state), "dim-label");
      g_object_set (box, "margin-start", 8, "margin-end", 8, "margin-top", 3, "margin-bottom", 3,
                    NULL);
      gtk_container_add (GTK_CONTAINER (box), icon);
      gtk_container_add (GTK_CONTAINER (box), label);
      gtk_container_add (GTK_CONTAINER (box), state);
      gtk_widget_show_all (box);
      gtk_container_add (GTK_CONTAINER (self->task_list), box);

      self->task_icons[stage] = GTK_IMAGE (icon);
      self->task_states[stage] = GTK_LABEL (state);
      set_task_state (self, stage, TASK_WAITING);
    }
}

/* Every task that was running ends as @state; the others stay as they are */
static void
finish_running_tasks (CertwizExecutingPage *self,
                      TaskState             state)
{
  for (CertreqSubmitStage stage = 0; stage < CERTREQ_N_SUBMIT_STAGES; stage++)
    if (self->states[stage] == TASK_RUNNING)
      set_task_state (self, stage, state);
}

/* ---- Progress ---- */

static gboolean
pulse_cb (gpointer user_data)
{
  CertwizExecutingPage *self = CERTWIZ_EXECUTING_PAGE (user_data);

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
stop_pulse (CertwizExecutingPage *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  CertwizExecutingPage *self = CERTWIZ_EXECUTING_PAGE (user_data);

  if (!self->busy || stage >= CERTREQ_N_SUBMIT_STAGES)
    return;

  /* Stages before this one are over: done if they ran, else this CA does not need them */
  for (CertreqSubmitStage s = 0; s < stage; s++)
    {
      if (self->states[s] == TASK_RUNNING)
        set_task_state (self, s, TASK_DONE);
      else if (self->states[s] == TASK_WAITING)
        set_task_state (self, s, TASK_SKIPPED);
    }
  if (self->states[stage] != TASK_RUNNING)
    set_task_state (self, stage, TASK_RUNNING);
  if (stage >= CERTREQ_SUBMIT_STAGE_SUBMITTING)
    self->sent = TRUE;

  gtk_label_set_text (self->stage_label, certreq_submit_stage_get_label (stage));
  gtk_label_set_text (self->detail_label, detail != NULL ? detail : "");

  if (fraction < 0)
    {
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (100, pulse_cb, self);
    }
  else
    {
      stop_pulse (self);
      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
    }
}

/* ---- The operation ---- */

static gboolean
ptr_array_has_string (GPtrArray  *array,
                      const char *str)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), str) == 0)
      return TRUE;
  return FALSE;
}

/* The log this operation wrote: the result says so; after a failure it is the newest
 * log that was not there before */
static void
find_log (CertwizExecutingPage      *self,
          const CertreqSubmitResult *result)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));

  g_clear_pointer (&self->log_path, g_free);
  if (result != NULL && result->log_path != NULL)
    self->log_path = g_strdup (result->log_path);
  else if (store != NULL)
    {
      g_autoptr(GPtrArray) logs = certreq_store_list_logs (store);

      for (guint i = 0; logs != NULL && i < logs->len && self->log_path == NULL; i++)
        if (!ptr_array_has_string (self->logs_before, g_ptr_array_index (logs, i)))
          self->log_path = g_strdup (g_ptr_array_index (logs, i));
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->log_button), self->log_path != NULL);
}

static void
show_outcome (CertwizExecutingPage *self,
              GtkMessageType        type,
              const char           *message)
{
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_label_set_text (self->info_label, message);
  gtk_widget_show (GTK_WIDGET (self->info_bar));
}

static void
on_enrolled (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  CertwizExecutingPage *self = op->page;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = certwiz_runner_enroll_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)), res, &error);

  /* Replaced by Retry, or the page went away: nobody waits for this answer */
  if (op->cancellable != self->cancellable)
    return;

  self->busy = FALSE;
  stop_pulse (self);
  gtk_widget_hide (GTK_WIDGET (self->cancel_button));
  find_log (self, result);

  if (result == NULL)
    {
      /* Back and Cancel of the assistant work again; Next stays off */
      certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CONTENT);
      certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_label_set_text (self->detail_label, "");

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          finish_running_tasks (self, TASK_CANCELLED);
          gtk_label_set_text (self->stage_label, _("Cancelled"));
          show_outcome (self, GTK_MESSAGE_INFO,
                        self->sent
                        ? _("The request was cancelled. It may have reached the certification "
                            "authority already.")
                        : _("The request was cancelled. Nothing was sent to the certification "
                            "authority."));
        }
      else
        {
          finish_running_tasks (self, TASK_FAILED);
          gtk_label_set_text (self->stage_label, _("The request failed."));
          show_outcome (self, GTK_MESSAGE_ERROR, error->message);
        }
      return;
    }

  finish_running_tasks (self, TASK_DONE);
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_label_set_text (self->stage_label, _("The certification authority answered."));
  gtk_label_set_text (self->detail_label, "");
  self->result = g_steal_pointer (&result);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
  g_signal_emit (self, signals[SIGNAL_SUCCEEDED], 0);
}

static gboolean
is_renewal (CertwizExecutingPage *self)
{
  const char *replaces = certreq_request_get_replaces (certwiz_page_get_request (CERTWIZ_PAGE (self)));

  return replaces != NULL && *replaces != '\0';
}

static void
on_renewed (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  CertwizExecutingPage *self = op->page;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = certwiz_runner_renew_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)),
                                        res, &error);
  if (op->cancellable != self->cancellable)
    return;

  self->busy = FALSE;
  stop_pulse (self);
  gtk_widget_hide (GTK_WIDGET (self->cancel_button));
  find_log (self, NULL);
  if (result != NULL && result->log_path != NULL)
    {
      g_free (self->log_path);
      self->log_path = g_strdup (result->log_path);
      gtk_widget_set_sensitive (GTK_WIDGET (self->log_button), TRUE);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CONTENT);
      certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_label_set_text (self->detail_label, "");
      finish_running_tasks (self, TASK_CANCELLED);
      gtk_label_set_text (self->stage_label, _("Cancelled"));
      show_outcome (self, GTK_MESSAGE_INFO,
                    _("The renewal was cancelled. The old certificate keeps serving its "
                      "usages."));
      return;
    }

  /* Renewed, held by the CA or failed: the status page says which, and what serves the
   * usages now */
  finish_running_tasks (self, result != NULL ? TASK_DONE : TASK_FAILED);
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_label_set_text (self->stage_label, result != NULL ? _("The renewal is done.")
                                                        : _("The renewal failed."));
  gtk_label_set_text (self->detail_label, "");
  self->renew_result = g_steal_pointer (&result);
  self->renew_error = g_steal_pointer (&error);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
  g_signal_emit (self, signals[SIGNAL_SUCCEEDED], 0);
}

static void
start (CertwizExecutingPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  Operation *op;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  gtk_label_set_text (self->stage_label, _("Starting…"));
  gtk_label_set_text (self->detail_label, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  for (CertreqSubmitStage stage = 0; stage < CERTREQ_N_SUBMIT_STAGES; stage++)
    set_task_state (self, stage, TASK_WAITING);
  g_clear_pointer (&self->log_path, g_free);
  gtk_widget_set_sensitive (GTK_WIDGET (self->log_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_widget_show (GTK_WIDGET (self->cancel_button));
  self->sent = FALSE;
  self->busy = TRUE;

  g_clear_pointer (&self->logs_before, g_ptr_array_unref);
  self->logs_before = certreq_store_list_logs (store);

  op = g_new0 (Operation, 1);
  op->page = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  /* @self stays alive until on_enrolled runs: op holds a reference (progress_data) */
  if (is_renewal (self))
    {
      certwiz_runner_renew_async (certwiz_runner_get_for_store (store),
                                  certreq_request_get_replaces (request), request, on_progress,
                                  self, self->cancellable, on_renewed, op);
      return;
    }
  certwiz_runner_enroll_async (certwiz_runner_get_for_store (store), request, on_progress, self,
                               self->cancellable, on_enrolled, op);
}

static void
certwiz_executing_page_prepare (CertwizPage *page)
{
  CertwizExecutingPage *self = CERTWIZ_EXECUTING_PAGE (page);

  /* Once the CA has answered, the assistant is committed: nothing runs twice */
  if (self->result != NULL || self->renew_result != NULL || self->renew_error != NULL ||
      self->busy)
    return;

  start (self);
}

static void
certwiz_executing_page_leave (CertwizPage *page)
{
  certwiz_executing_page_cancel (CERTWIZ_EXECUTING_PAGE (page));
}

/* ---- Buttons ---- */

static void
on_retry_clicked (CertwizExecutingPage *self)
{
  if (!self->busy && self->result == NULL && self->renew_result == NULL &&
      self->renew_error == NULL)
    start (self);
}

static void
on_cancel_clicked (CertwizExecutingPage *self)
{
  certwiz_executing_page_cancel (self);
}

static void
on_log_clicked (CertwizExecutingPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->log_path == NULL)
    return;

  dialog = certwiz_log_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   self->log_path);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Public ---- */

void
certwiz_executing_page_cancel (CertwizExecutingPage *self)
{
  g_return_if_fail (CERTWIZ_IS_EXECUTING_PAGE (self));

  if (!self->busy)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_label_set_text (self->stage_label, _("Cancelling…"));
  g_cancellable_cancel (self->cancellable);
}

gboolean
certwiz_executing_page_is_busy (CertwizExecutingPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_EXECUTING_PAGE (self), FALSE);
  return self->busy;
}

const CertreqSubmitResult *
certwiz_executing_page_get_result (CertwizExecutingPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_EXECUTING_PAGE (self), NULL);
  return self->result;
}

const CertreqRenewResult *
certwiz_executing_page_get_renew_result (CertwizExecutingPage  *self,
                                         const GError         **error)
{
  g_return_val_if_fail (CERTWIZ_IS_EXECUTING_PAGE (self), NULL);
  if (error != NULL)
    *error = self->renew_error;
  return self->renew_result;
}

/* ---- GObject ---- */

static void
certwiz_executing_page_dispose (GObject *object)
{
  CertwizExecutingPage *self = CERTWIZ_EXECUTING_PAGE (object);

  /* R11: the operation is cancelled and its answer, arriving later, finds no page */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->busy = FALSE;
  stop_pulse (self);
  g_clear_pointer (&self->logs_before, g_ptr_array_unref);
  g_clear_pointer (&self->result, certreq_submit_result_free);
  g_clear_pointer (&self->renew_result, certreq_renew_result_free);
  g_clear_error (&self->renew_error);

  G_OBJECT_CLASS (certwiz_executing_page_parent_class)->dispose (object);
}

static void
certwiz_executing_page_finalize (GObject *object)
{
  CertwizExecutingPage *self = CERTWIZ_EXECUTING_PAGE (object);

  g_free (self->log_path);

  G_OBJECT_CLASS (certwiz_executing_page_parent_class)->finalize (object);
}

static void
certwiz_executing_page_class_init (CertwizExecutingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->dispose = certwiz_executing_page_dispose;
  object_class->finalize = certwiz_executing_page_finalize;
  page_class->prepare = certwiz_executing_page_prepare;
  page_class->leave = certwiz_executing_page_leave;

  signals[SIGNAL_SUCCEEDED] =
    g_signal_new ("succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-executing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, task_list);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, info_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, info_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizExecutingPage, log_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_log_clicked);
}

static void
certwiz_executing_page_init (CertwizExecutingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: title of the assistant page that generates and sends the request */
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Executing Commands"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
  build_task_list (self);
}

GtkWidget *
certwiz_executing_page_new (CertreqRequest *request,
                            CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_EXECUTING_PAGE, "request", request, "store", store, NULL);
}
