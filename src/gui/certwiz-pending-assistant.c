/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-page.h"
#include "certwiz-pending-assistant.h"

#include "certwiz-pending-list-page.h"
#include "certwiz-pending-executing-page.h"
#include "certwiz-status-page.h"

struct _CertwizPendingAssistant
{
  GtkAssistant          parent_instance;

  CertreqStore         *store;
  CertreqRequest       *request;         /* carries the chosen request's usages */
  CertwizPendingChoice  choice;

  CertwizPage          *current_page;    /* the page shown, to tell it when it is left */
  CertwizPage          *executing_page;
  CertwizPage          *status_page;
  GtkWidget            *finish_button;   /* the status page's own action widget */
};

G_DEFINE_TYPE (CertwizPendingAssistant, certwiz_pending_assistant, GTK_TYPE_ASSISTANT)

/* ---- Page properties -> GtkAssistant child properties (R5) ---- */

static void
on_page_title_changed (CertwizPage             *page,
                       GParamSpec              *pspec,
                       CertwizPendingAssistant *self)
{
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                certwiz_page_get_title (page));
}

static void
on_page_type_changed (CertwizPage             *page,
                      GParamSpec              *pspec,
                      CertwizPendingAssistant *self)
{
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), GTK_WIDGET (page),
                               certwiz_page_get_page_type (page));
}

static void
on_page_complete_changed (CertwizPage             *page,
                          GParamSpec              *pspec,
                          CertwizPendingAssistant *self)
{
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                   certwiz_page_get_complete (page));
}

static CertwizPage *
add_page (CertwizPendingAssistant *self,
          GtkWidget               *widget)
{
  CertwizPage *page = CERTWIZ_PAGE (widget);

  gtk_widget_show (widget);
  gtk_assistant_append_page (GTK_ASSISTANT (self), widget);
  gtk_container_child_set (GTK_CONTAINER (self), widget, "has-padding", TRUE, NULL);

  on_page_title_changed (page, NULL, self);
  on_page_type_changed (page, NULL, self);
  on_page_complete_changed (page, NULL, self);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (on_page_title_changed), self, 0);
  g_signal_connect_object (page, "notify::page-type", G_CALLBACK (on_page_type_changed), self, 0);
  g_signal_connect_object (page, "notify::complete", G_CALLBACK (on_page_complete_changed),
                           self, 0);

  return page;
}

/* ---- Flow ---- */

static void
leave_current_page (CertwizPendingAssistant *self)
{
  g_autoptr(CertwizPage) page = g_steal_pointer (&self->current_page);

  if (page != NULL)
    certwiz_page_leave (page);
}

static void
certwiz_pending_assistant_prepare (GtkAssistant *assistant,
                                   GtkWidget    *widget)
{
  CertwizPendingAssistant *self = CERTWIZ_PENDING_ASSISTANT (assistant);
  CertwizPage *page = CERTWIZ_PAGE (widget);

  if (self->current_page != page)
    leave_current_page (self);
  g_set_object (&self->current_page, page);

  if (self->finish_button != NULL)
    gtk_widget_set_visible (self->finish_button, page == self->status_page);

  certwiz_page_prepare (page);
}

static void
certwiz_pending_assistant_cancel (GtkAssistant *assistant)
{
  CertwizPendingAssistant *self = CERTWIZ_PENDING_ASSISTANT (assistant);

  /* Cancel while asking the CA stops and stays, so that the page can say so; a second
   * Cancel closes the assistant */
  if (self->current_page == self->executing_page &&
      certwiz_pending_executing_page_is_busy (
        CERTWIZ_PENDING_EXECUTING_PAGE (self->executing_page)))
    {
      certwiz_pending_executing_page_cancel (CERTWIZ_PENDING_EXECUTING_PAGE (self->executing_page));
      return;
    }

  leave_current_page (self);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
certwiz_pending_assistant_close (GtkAssistant *assistant)
{
  leave_current_page (CERTWIZ_PENDING_ASSISTANT (assistant));
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

static void
on_executing_page_succeeded (CertwizPendingExecutingPage *page,
                             CertwizPendingAssistant     *self)
{
  const CertreqSubmitResult *result = certwiz_pending_executing_page_get_result (page);

  certwiz_status_page_set_result (CERTWIZ_STATUS_PAGE (self->status_page), result);
  /* The store recorded the CA's answer: Back must not pretend otherwise */
  gtk_assistant_commit (GTK_ASSISTANT (self));
  gtk_assistant_next_page (GTK_ASSISTANT (self));
}

static void
on_window_title_changed (CertwizPendingAssistant *self,
                         GParamSpec              *pspec,
                         gpointer                 user_data)
{
  const char *title = _("Process Pending Request");

  if (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (self)), title) != 0)
    gtk_window_set_title (GTK_WINDOW (self), title);
}

/* ---- GObject ---- */

static void
certwiz_pending_assistant_dispose (GObject *object)
{
  CertwizPendingAssistant *self = CERTWIZ_PENDING_ASSISTANT (object);

  /* R11 */
  leave_current_page (self);
  self->executing_page = NULL;
  self->status_page = NULL;
  self->finish_button = NULL;

  G_OBJECT_CLASS (certwiz_pending_assistant_parent_class)->dispose (object);

  g_clear_object (&self->request);
  g_clear_object (&self->store);
}

static void
certwiz_pending_assistant_finalize (GObject *object)
{
  CertwizPendingAssistant *self = CERTWIZ_PENDING_ASSISTANT (object);

  g_free (self->choice.pending_id);

  G_OBJECT_CLASS (certwiz_pending_assistant_parent_class)->finalize (object);
}

static void
certwiz_pending_assistant_class_init (CertwizPendingAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  object_class->dispose = certwiz_pending_assistant_dispose;
  object_class->finalize = certwiz_pending_assistant_finalize;
  assistant_class->prepare = certwiz_pending_assistant_prepare;
  assistant_class->cancel = certwiz_pending_assistant_cancel;
  assistant_class->close = certwiz_pending_assistant_close;
}

static void
certwiz_pending_assistant_init (CertwizPendingAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Process Pending Request"));
  g_signal_connect (self, "notify::title", G_CALLBACK (on_window_title_changed), NULL);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 940, 780);
}

GtkWidget *
certwiz_pending_assistant_new (GtkWindow    *parent,
                               CertreqStore *store,
                               GError      **error)
{
  g_autoptr(CertreqServer) server = NULL;
  CertwizPendingAssistant *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  /* The status page checks and assigns for the usages the request was made for */
  server = certreq_store_load_server (store, error);
  if (server == NULL)
    return NULL;

  self = g_object_new (CERTWIZ_TYPE_PENDING_ASSISTANT,
                       "use-header-bar", FALSE,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->request = certreq_request_new (server);
  certreq_request_set_usages (self->request, CERTREQ_USAGE_FLAGS_STANDARD);

  add_page (self, certwiz_pending_list_page_new (self->request, store, &self->choice));
  self->executing_page = add_page (self, certwiz_pending_executing_page_new (self->request, store,
                                                                             &self->choice));
  self->status_page = add_page (self, certwiz_status_page_new (self->request, store));

  g_signal_connect_object (self->executing_page, "succeeded",
                           G_CALLBACK (on_executing_page_succeeded), self, 0);

  self->finish_button = certwiz_status_page_get_action_widget (
    CERTWIZ_STATUS_PAGE (self->status_page));
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->finish_button);
  gtk_widget_hide (self->finish_button);

  return GTK_WIDGET (self);
}
