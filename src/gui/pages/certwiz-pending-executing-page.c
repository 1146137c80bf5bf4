/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-pending-executing-page.h"
#include "certwiz-runner.h"

/* Executing Commands for Process Pending Request (reference/wizard.md §2.4: the log
 * "Retrieve Pending Certificates"): asks the request's CA for the certificate */
struct _CertwizPendingExecutingPage
{
  CertwizPage           parent_instance;

  GtkLabel             *stage_label;
  GtkLabel             *detail_label;
  GtkProgressBar       *progress_bar;
  GtkInfoBar           *info_bar;
  GtkLabel             *info_label;

  CertwizPendingChoice *choice;        /* the assistant's */
  GCancellable         *cancellable;   /* the running retrieval's; NULL when none */
  guint                 pulse_id;
  gboolean              busy;
  CertreqSubmitResult  *result;
};

G_DEFINE_TYPE (CertwizPendingExecutingPage, certwiz_pending_executing_page, CERTWIZ_TYPE_PAGE)

enum
{
  SIGNAL_SUCCEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CertwizPendingExecutingPage *page;
  GCancellable                *cancellable;
} Operation;

static void
operation_free (Operation *op)
{
  g_clear_object (&op->page);
  g_clear_object (&op->cancellable);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operation, operation_free)

static gboolean
pulse_cb (gpointer user_data)
{
  CertwizPendingExecutingPage *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
stop (CertwizPendingExecutingPage *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  self->busy = FALSE;
}

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  CertwizPendingExecutingPage *self = user_data;

  if (!self->busy)
    return;
  gtk_label_set_text (self->stage_label, certreq_submit_stage_get_label (stage));
  gtk_label_set_text (self->detail_label, detail != NULL ? detail : "");
  if (fraction >= 0.0)
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
    }
  else if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, pulse_cb, self);
}

static void
on_retrieved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  CertwizPendingExecutingPage *self = op->page;
  g_autoptr(CertreqSubmitResult) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = certwiz_runner_retrieve_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)), result, &error);
  if (op->cancellable != self->cancellable)
    return;   /* replaced or abandoned */

  stop (self);
  g_clear_object (&self->cancellable);

  if (outcome == NULL)
    {
      certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CONTENT);
      certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_label_set_text (self->detail_label, "");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->stage_label, _("Cancelled"));
          gtk_label_set_text (self->info_label,
                              _("Retrieving the certificate was cancelled. The request still "
                                "waits; you can process it again later."));
        }
      else
        {
          gtk_label_set_text (self->stage_label, _("The certificate could not be retrieved."));
          gtk_label_set_text (self->info_label, error->message);
        }
      gtk_widget_show (GTK_WIDGET (self->info_bar));
      return;
    }

  g_clear_pointer (&self->result, certreq_submit_result_free);
  self->result = g_steal_pointer (&outcome);
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_label_set_text (self->stage_label, _("The certification authority answered."));
  gtk_label_set_text (self->detail_label, "");
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
  g_signal_emit (self, signals[SIGNAL_SUCCEEDED], 0);
}

static void
start (CertwizPendingExecutingPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  Operation *op;

  g_return_if_fail (store != NULL && self->choice != NULL && self->choice->pending_id != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  gtk_label_set_text (self->stage_label, _("Asking the certification authority…"));
  gtk_label_set_text (self->detail_label, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, pulse_cb, self);
  self->busy = TRUE;

  op = g_new0 (Operation, 1);
  op->page = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  /* op->page keeps the page, the progress data, alive until on_retrieved */
  certwiz_runner_retrieve_async (certwiz_runner_get_for_store (store), self->choice->pending_id,
                                 on_progress, self, self->cancellable, on_retrieved, op);
}

const CertreqSubmitResult *
certwiz_pending_executing_page_get_result (CertwizPendingExecutingPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_PENDING_EXECUTING_PAGE (self), NULL);
  return self->result;
}

gboolean
certwiz_pending_executing_page_is_busy (CertwizPendingExecutingPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_PENDING_EXECUTING_PAGE (self), FALSE);
  return self->busy;
}

void
certwiz_pending_executing_page_cancel (CertwizPendingExecutingPage *self)
{
  g_return_if_fail (CERTWIZ_IS_PENDING_EXECUTING_PAGE (self));
  g_cancellable_cancel (self->cancellable);
}

static void
certwiz_pending_executing_page_prepare (CertwizPage *page)
{
  CertwizPendingExecutingPage *self = CERTWIZ_PENDING_EXECUTING_PAGE (page);

  if (self->busy)
    return;
  start (self);
}

static void
certwiz_pending_executing_page_leave (CertwizPage *page)
{
  CertwizPendingExecutingPage *self = CERTWIZ_PENDING_EXECUTING_PAGE (page);

  /* Back while asking: the request stays in the store, so stopping loses nothing */
  if (self->busy)
    g_cancellable_cancel (self->cancellable);
}

static void
certwiz_pending_executing_page_dispose (GObject *object)
{
  CertwizPendingExecutingPage *self = CERTWIZ_PENDING_EXECUTING_PAGE (object);

  /* R11 */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop (self);
  g_clear_pointer (&self->result, certreq_submit_result_free);

  G_OBJECT_CLASS (certwiz_pending_executing_page_parent_class)->dispose (object);
}

static void
certwiz_pending_executing_page_class_init (CertwizPendingExecutingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->dispose = certwiz_pending_executing_page_dispose;
  page_class->prepare = certwiz_pending_executing_page_prepare;
  page_class->leave = certwiz_pending_executing_page_leave;

  signals[SIGNAL_SUCCEEDED] =
    g_signal_new ("succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-pending-executing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizPendingExecutingPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizPendingExecutingPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizPendingExecutingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizPendingExecutingPage, info_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizPendingExecutingPage, info_label);
}

static void
certwiz_pending_executing_page_init (CertwizPendingExecutingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Executing Commands"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
}

GtkWidget *
certwiz_pending_executing_page_new (CertreqRequest       *request,
                                    CertreqStore         *store,
                                    CertwizPendingChoice *choice)
{
  CertwizPendingExecutingPage *self = g_object_new (CERTWIZ_TYPE_PENDING_EXECUTING_PAGE,
                                                    "request", request, "store", store, NULL);

  self->choice = choice;
  return GTK_WIDGET (self);
}
