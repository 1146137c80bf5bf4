/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-remove-executing-page.h"
#include "certwiz-runner.h"

/* Executing Commands (removal, wizard.md §3.26): the runner's unassignment */
struct _CertwizRemoveExecutingPage
{
  CertwizPage        parent_instance;

  GtkLabel          *stage_label;
  GtkProgressBar    *progress_bar;
  GtkInfoBar        *info_bar;
  GtkLabel          *info_label;

  CertreqUsageFlags  usages;
  GCancellable      *cancellable;
  gboolean           busy;
  gboolean           done;
};

G_DEFINE_TYPE (CertwizRemoveExecutingPage, certwiz_remove_executing_page, CERTWIZ_TYPE_PAGE)

enum
{
  SIGNAL_SUCCEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_unassigned (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CertwizRemoveExecutingPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->cancellable == NULL)
    return;   /* disposed */

  self->busy = FALSE;
  if (!certwiz_runner_unassign_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)),
                                       result, &error))
    {
      certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CONTENT);
      certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_label_set_text (self->stage_label, _("The removal failed."));
      gtk_label_set_text (self->info_label, error->message);
      gtk_widget_show (GTK_WIDGET (self->info_bar));
      return;
    }

  self->done = TRUE;
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_label_set_text (self->stage_label, _("The certificate was removed from the usages."));
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
  g_signal_emit (self, signals[SIGNAL_SUCCEEDED], 0);
}

static void
start (CertwizRemoveExecutingPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));

  g_return_if_fail (store != NULL);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->info_bar));
  gtk_label_set_text (self->stage_label, _("Removing the certificate from the usages…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_pulse (self->progress_bar);
  self->busy = TRUE;

  certwiz_runner_unassign_async (certwiz_runner_get_for_store (store), self->usages,
                                 self->cancellable, on_unassigned, g_object_ref (self));
}

void
certwiz_remove_executing_page_set_usages (CertwizRemoveExecutingPage *self,
                                          CertreqUsageFlags           usages)
{
  g_return_if_fail (CERTWIZ_IS_REMOVE_EXECUTING_PAGE (self));
  self->usages = usages;
}

static void
certwiz_remove_executing_page_prepare (CertwizPage *page)
{
  CertwizRemoveExecutingPage *self = CERTWIZ_REMOVE_EXECUTING_PAGE (page);

  if (self->done || self->busy)
    return;
  start (self);
}

static void
certwiz_remove_executing_page_dispose (GObject *object)
{
  CertwizRemoveExecutingPage *self = CERTWIZ_REMOVE_EXECUTING_PAGE (object);

  /* The unassignment itself is one atomic write: it is not interrupted, only not reported */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (certwiz_remove_executing_page_parent_class)->dispose (object);
}

static void
certwiz_remove_executing_page_class_init (CertwizRemoveExecutingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->dispose = certwiz_remove_executing_page_dispose;
  page_class->prepare = certwiz_remove_executing_page_prepare;

  signals[SIGNAL_SUCCEEDED] =
    g_signal_new ("succeeded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-remove-executing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizRemoveExecutingPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizRemoveExecutingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizRemoveExecutingPage, info_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizRemoveExecutingPage, info_label);
}

static void
certwiz_remove_executing_page_init (CertwizRemoveExecutingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Executing Commands"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_PROGRESS);
}
