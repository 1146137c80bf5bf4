/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-import-executing-page.h"
#include "certwiz-runner.h"

/* Executing Commands (import, reference/wizard.md §3.24): reads the file and runs
 * the runner's import with a pulse. A failure shows the core's message and lets the
 * admin go Back to the file page. */
struct _CertwizImportExecutingPage
{
  CertwizPage           parent_instance;

  GtkLabel             *stage_label;
  GtkProgressBar       *progress_bar;
  GtkInfoBar           *info_bar;
  GtkLabel             *info_label;

  CertwizImportOptions *options;       /* the assistant's */
  GCancellable         *cancellable;   /* the running import's; NULL when none */
  guint                 pulse_id;
  gboolean              busy;
};

G_DEFINE_TYPE (CertwizImportExecutingPage, certwiz_import_executing_page, CERTWIZ_TYPE_PAGE)

enum
{
  SIGNAL_SUCCEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One import: the page's reference and the cancellable that identifies it */
typedef struct
{
  CertwizImportExecutingPage *page;
  GCancellable               *cancellable;
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
  CertwizImportExecutingPage *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
stop (CertwizImportExecutingPage *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  self->busy = FALSE;
}

static void
show_failure (CertwizImportExecutingPage *self,
              const GError               *error)
{
  stop (self);
  g_clear_object (&self->cancellable);
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CONTENT);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->stage_label, _("Cancelled"));
      gtk_label_set_text (self->info_label,
                          _("The import was cancelled. Nothing was changed."));
    }
  else
    {
      gtk_label_set_text (self->stage_label,
                          _("The import failed. Nothing was changed; go back to choose "
                            "another file or password."));
      gtk_label_set_text (self->info_label, error->message);
    }
  gtk_widget_show (GTK_WIDGET (self->info_bar));
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  CertwizImportExecutingPage *self = op->page;
  g_autoptr(CertreqImportResult) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = certwiz_runner_import_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)),
                                          result, &error);
  if (op->cancellable != self->cancellable)
    return;   /* replaced or abandoned */

  if (outcome == NULL)
    {
      show_failure (self, error);
      return;
    }

  stop (self);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->options->result, certreq_import_result_free);
  self->options->result = g_steal_pointer (&outcome);
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_label_set_text (self->stage_label, _("The file was imported."));
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
  g_signal_emit (self, signals[SIGNAL_SUCCEEDED], 0);
}

static void
start (CertwizImportExecutingPage *self)
{
  CertwizImportOptions *options = self->options;
  Operation *op;

  g_return_if_fail (self->options != NULL && self->options->path != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  gtk_label_set_text (self->stage_label, _("Importing the certificate…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, pulse_cb, self);
  self->busy = TRUE;

  op = g_new0 (Operation, 1);
  op->page = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  certwiz_runner_import_async (certwiz_runner_get_for_store (certwiz_page_get_store (CERTWIZ_PAGE (self))),
                               options->path,
                               options->has_key && options->password != NULL ? options->password : "",
                               options->trust, options->has_key && options->exportable,
                               options->friendly_name != NULL && *options->friendly_name != '\0'
                               ? options->friendly_name : NULL,
                               self->cancellable, on_imported, op);
}

gboolean
certwiz_import_executing_page_is_busy (CertwizImportExecutingPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_IMPORT_EXECUTING_PAGE (self), FALSE);
  return self->busy;
}

void
certwiz_import_executing_page_cancel (CertwizImportExecutingPage *self)
{
  g_return_if_fail (CERTWIZ_IS_IMPORT_EXECUTING_PAGE (self));
  g_cancellable_cancel (self->cancellable);
}

static void
certwiz_import_executing_page_prepare (CertwizPage *page)
{
  CertwizImportExecutingPage *self = CERTWIZ_IMPORT_EXECUTING_PAGE (page);

  /* Shown again after Back: the options may have changed, so import anew */
  if (self->busy)
    return;
  start (self);
}

static void
certwiz_import_executing_page_leave (CertwizPage *page)
{
  CertwizImportExecutingPage *self = CERTWIZ_IMPORT_EXECUTING_PAGE (page);

  /* Back while importing: the import is all or nothing, so stopping it changes nothing */
  if (self->busy)
    g_cancellable_cancel (self->cancellable);
}

static void
certwiz_import_executing_page_dispose (GObject *object)
{
  CertwizImportExecutingPage *self = CERTWIZ_IMPORT_EXECUTING_PAGE (object);

  /* R11 */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop (self);

  G_OBJECT_CLASS (certwiz_import_executing_page_parent_class)->dispose (object);
}

static void
certwiz_import_executing_page_class_init (CertwizImportExecutingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->dispose = certwiz_import_executing_page_dispose;
  page_class->prepare = certwiz_import_executing_page_prepare;
  page_class->leave = certwiz_import_executing_page_leave;

  signals[SIGNAL_SUCCEEDED] =
    g_signal_new ("succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-import-executing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizImportExecutingPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportExecutingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportExecutingPage, info_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportExecutingPage, info_label);
}

static void
certwiz_import_executing_page_init (CertwizImportExecutingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Executing Commands"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
}

GtkWidget *
certwiz_import_executing_page_new (CertreqStore         *store,
                                   CertwizImportOptions *options)
{
  CertwizImportExecutingPage *self = g_object_new (CERTWIZ_TYPE_IMPORT_EXECUTING_PAGE,
                                                   "store", store, NULL);

  self->options = options;
  return GTK_WIDGET (self);
}
