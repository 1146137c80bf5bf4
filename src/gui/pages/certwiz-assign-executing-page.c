/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-assign-executing-page.h"
#include "certwiz-runner.h"

/* Executing Commands (assignment, wizard.md §3.21): the runner's assignment with a pulse */
struct _CertwizAssignExecutingPage
{
  CertwizPage         parent_instance;

  GtkLabel           *stage_label;
  GtkProgressBar     *progress_bar;
  GtkInfoBar         *info_bar;
  GtkLabel           *info_label;

  CertreqCertificate *cert;
  CertreqUsageFlags   usages;
  GCancellable       *cancellable;
  guint               pulse_id;
  gboolean            busy;
  gboolean            done;
};

G_DEFINE_TYPE (CertwizAssignExecutingPage, certwiz_assign_executing_page, CERTWIZ_TYPE_PAGE)

enum
{
  SIGNAL_SUCCEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
pulse_cb (gpointer user_data)
{
  CertwizAssignExecutingPage *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
stop_pulse (CertwizAssignExecutingPage *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
on_assigned (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CertwizAssignExecutingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = certwiz_runner_assign_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)), result, &error);
  if (self->cancellable == NULL)
    return;   /* disposed: the assistant went away */

  self->busy = FALSE;
  stop_pulse (self);

  if (!ok)
    {
      certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CONTENT);
      certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_info_bar_set_message_type (self->info_bar, GTK_MESSAGE_ERROR);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->stage_label, _("Cancelled"));
          gtk_label_set_text (self->info_label,
                              _("The assignment was cancelled. Every usage keeps the "
                                "certificate it had."));
        }
      else
        {
          gtk_label_set_text (self->stage_label, _("The assignment failed."));
          gtk_label_set_text (self->info_label, error->message);
        }
      gtk_widget_show (GTK_WIDGET (self->info_bar));
      return;
    }

  self->done = TRUE;
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_label_set_text (self->stage_label, _("The certificate was assigned."));
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
  g_signal_emit (self, signals[SIGNAL_SUCCEEDED], 0);
}

static void
start (CertwizAssignExecutingPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));

  g_return_if_fail (self->cert != NULL && store != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  gtk_label_set_text (self->stage_label,
                      _("Checking the certificate, deploying it and reloading the services…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, pulse_cb, self);
  self->busy = TRUE;

  certwiz_runner_assign_async (certwiz_runner_get_for_store (store), self->cert, self->usages,
                               self->cancellable, on_assigned, g_object_ref (self));
}

void
certwiz_assign_executing_page_set (CertwizAssignExecutingPage *self,
                                   CertreqCertificate         *cert,
                                   CertreqUsageFlags           usages)
{
  g_return_if_fail (CERTWIZ_IS_ASSIGN_EXECUTING_PAGE (self));

  g_set_object (&self->cert, cert);
  self->usages = usages;
}

gboolean
certwiz_assign_executing_page_is_busy (CertwizAssignExecutingPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_ASSIGN_EXECUTING_PAGE (self), FALSE);
  return self->busy;
}

void
certwiz_assign_executing_page_cancel (CertwizAssignExecutingPage *self)
{
  g_return_if_fail (CERTWIZ_IS_ASSIGN_EXECUTING_PAGE (self));
  g_cancellable_cancel (self->cancellable);
}

static void
certwiz_assign_executing_page_prepare (CertwizPage *page)
{
  CertwizAssignExecutingPage *self = CERTWIZ_ASSIGN_EXECUTING_PAGE (page);

  /* Assigned once: nothing runs twice */
  if (self->done || self->busy)
    return;
  start (self);
}

static void
certwiz_assign_executing_page_dispose (GObject *object)
{
  CertwizAssignExecutingPage *self = CERTWIZ_ASSIGN_EXECUTING_PAGE (object);

  /* R11; the core restores every usage it had switched when cancelled */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_pulse (self);
  g_clear_object (&self->cert);

  G_OBJECT_CLASS (certwiz_assign_executing_page_parent_class)->dispose (object);
}

static void
certwiz_assign_executing_page_class_init (CertwizAssignExecutingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->dispose = certwiz_assign_executing_page_dispose;
  page_class->prepare = certwiz_assign_executing_page_prepare;

  signals[SIGNAL_SUCCEEDED] =
    g_signal_new ("succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-assign-executing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignExecutingPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignExecutingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignExecutingPage, info_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignExecutingPage, info_label);
}

static void
certwiz_assign_executing_page_init (CertwizAssignExecutingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Executing Commands"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
}
