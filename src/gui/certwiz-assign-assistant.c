/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-assign-assistant.h"
#include "certwiz-page.h"

#include "certwiz-assign-intro-page.h"
#include "certwiz-assign-list-page.h"
#include "certwiz-assign-summary-page.h"
#include "certwiz-assign-executing-page.h"
#include "certwiz-assign-done-page.h"

struct _CertwizAssignAssistant
{
  GtkAssistant       parent_instance;

  CertreqStore      *store;
  CertreqUsageFlags  usages;
  char              *preselected;

  CertwizPage       *current_page;
  CertwizPage       *intro_page;
  CertwizPage       *list_page;
  CertwizPage       *summary_page;
  CertwizPage       *executing_page;
  CertwizPage       *done_page;
  GtkWidget         *finish_button;
};

G_DEFINE_TYPE (CertwizAssignAssistant, certwiz_assign_assistant, GTK_TYPE_ASSISTANT)

static void
on_page_complete_changed (CertwizPage            *page,
                          GParamSpec             *pspec,
                          CertwizAssignAssistant *self)
{
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                   certwiz_page_get_complete (page));
}

static void
on_page_type_changed (CertwizPage            *page,
                      GParamSpec             *pspec,
                      CertwizAssignAssistant *self)
{
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), GTK_WIDGET (page),
                               certwiz_page_get_page_type (page));
}

static CertwizPage *
add_page (CertwizAssignAssistant *self,
          GType                   type)
{
  CertwizPage *page = g_object_new (type, "store", self->store, NULL);

  gtk_widget_show (GTK_WIDGET (page));
  gtk_assistant_append_page (GTK_ASSISTANT (self), GTK_WIDGET (page));
  gtk_container_child_set (GTK_CONTAINER (self), GTK_WIDGET (page), "has-padding", TRUE, NULL);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                certwiz_page_get_title (page));
  on_page_type_changed (page, NULL, self);
  on_page_complete_changed (page, NULL, self);
  g_signal_connect_object (page, "notify::page-type", G_CALLBACK (on_page_type_changed), self, 0);
  g_signal_connect_object (page, "notify::complete", G_CALLBACK (on_page_complete_changed),
                           self, 0);

  return page;
}

static void
leave_current_page (CertwizAssignAssistant *self)
{
  g_autoptr(CertwizPage) page = g_steal_pointer (&self->current_page);

  if (page != NULL)
    certwiz_page_leave (page);
}

static void
certwiz_assign_assistant_prepare (GtkAssistant *assistant,
                                  GtkWidget    *widget)
{
  CertwizAssignAssistant *self = CERTWIZ_ASSIGN_ASSISTANT (assistant);
  CertwizPage *page = CERTWIZ_PAGE (widget);

  if (self->current_page != page)
    leave_current_page (self);
  g_set_object (&self->current_page, page);

  /* Pages do not talk to each other: the assistant carries the choices forward */
  if (page == self->list_page)
    {
      self->usages =
        certwiz_assign_intro_page_get_usages (CERTWIZ_ASSIGN_INTRO_PAGE (self->intro_page));
      certwiz_assign_list_page_set_usages (CERTWIZ_ASSIGN_LIST_PAGE (page), self->usages,
                                           self->preselected);
    }
  else if (page == self->summary_page)
    certwiz_assign_summary_page_set (
      CERTWIZ_ASSIGN_SUMMARY_PAGE (page),
      certwiz_assign_list_page_get_certificate (CERTWIZ_ASSIGN_LIST_PAGE (self->list_page)),
      self->usages);
  else if (page == self->executing_page)
    certwiz_assign_executing_page_set (
      CERTWIZ_ASSIGN_EXECUTING_PAGE (page),
      certwiz_assign_list_page_get_certificate (CERTWIZ_ASSIGN_LIST_PAGE (self->list_page)),
      self->usages);

  gtk_widget_set_visible (self->finish_button, page == self->done_page);
  certwiz_page_prepare (page);
}

static void
on_executing_page_succeeded (CertwizAssignExecutingPage *page,
                             CertwizAssignAssistant     *self)
{
  certwiz_assign_done_page_set (
    CERTWIZ_ASSIGN_DONE_PAGE (self->done_page),
    certwiz_assign_list_page_get_certificate (CERTWIZ_ASSIGN_LIST_PAGE (self->list_page)),
    self->usages);
  /* Deployed: Back must not pretend otherwise */
  gtk_assistant_commit (GTK_ASSISTANT (self));
  gtk_assistant_next_page (GTK_ASSISTANT (self));
}

static void
certwiz_assign_assistant_cancel (GtkAssistant *assistant)
{
  CertwizAssignAssistant *self = CERTWIZ_ASSIGN_ASSISTANT (assistant);

  /* Cancel while assigning stops it (the core restores every usage) and stays, so that
   * the page can say so; a second Cancel closes the assistant */
  if (self->current_page == self->executing_page &&
      certwiz_assign_executing_page_is_busy (CERTWIZ_ASSIGN_EXECUTING_PAGE (self->executing_page)))
    {
      certwiz_assign_executing_page_cancel (CERTWIZ_ASSIGN_EXECUTING_PAGE (self->executing_page));
      return;
    }

  leave_current_page (self);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
on_finish_clicked (CertwizAssignAssistant *self)
{
  leave_current_page (self);
  gtk_widget_destroy (GTK_WIDGET (self));
}

/* One window title whatever the page, so that the window can be found by it */
static void
on_window_title_changed (CertwizAssignAssistant *self,
                         GParamSpec             *pspec,
                         gpointer                user_data)
{
  const char *title = _("Certificate Assignment");

  if (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (self)), title) != 0)
    gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
certwiz_assign_assistant_dispose (GObject *object)
{
  CertwizAssignAssistant *self = CERTWIZ_ASSIGN_ASSISTANT (object);

  leave_current_page (self);
  self->intro_page = self->list_page = self->summary_page = NULL;
  self->executing_page = self->done_page = NULL;
  self->finish_button = NULL;

  G_OBJECT_CLASS (certwiz_assign_assistant_parent_class)->dispose (object);

  g_clear_object (&self->store);
}

static void
certwiz_assign_assistant_finalize (GObject *object)
{
  CertwizAssignAssistant *self = CERTWIZ_ASSIGN_ASSISTANT (object);

  g_free (self->preselected);

  G_OBJECT_CLASS (certwiz_assign_assistant_parent_class)->finalize (object);
}

static void
certwiz_assign_assistant_class_init (CertwizAssignAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  object_class->dispose = certwiz_assign_assistant_dispose;
  object_class->finalize = certwiz_assign_assistant_finalize;
  assistant_class->prepare = certwiz_assign_assistant_prepare;
  assistant_class->cancel = certwiz_assign_assistant_cancel;
}

static void
certwiz_assign_assistant_init (CertwizAssignAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Certificate Assignment"));
  g_signal_connect (self, "notify::title", G_CALLBACK (on_window_title_changed), NULL);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 940, 620);
}

GtkWidget *
certwiz_assign_assistant_new (GtkWindow         *parent,
                              CertreqStore      *store,
                              CertreqUsageFlags  usages,
                              const char        *preselected_thumbprint)
{
  CertwizAssignAssistant *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  self = g_object_new (CERTWIZ_TYPE_ASSIGN_ASSISTANT,
                       "use-header-bar", FALSE,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->usages = usages;
  self->preselected = g_strdup (preselected_thumbprint);

  /* wizard.md §2.5, in order */
  self->intro_page = add_page (self, CERTWIZ_TYPE_ASSIGN_INTRO_PAGE);
  self->list_page = add_page (self, CERTWIZ_TYPE_ASSIGN_LIST_PAGE);
  self->summary_page = add_page (self, CERTWIZ_TYPE_ASSIGN_SUMMARY_PAGE);
  self->executing_page = add_page (self, CERTWIZ_TYPE_ASSIGN_EXECUTING_PAGE);
  self->done_page = add_page (self, CERTWIZ_TYPE_ASSIGN_DONE_PAGE);
  certwiz_assign_intro_page_set_usages (CERTWIZ_ASSIGN_INTRO_PAGE (self->intro_page), usages);

  g_signal_connect_object (self->executing_page, "succeeded",
                           G_CALLBACK (on_executing_page_succeeded), self, 0);

  /* The last page is a CUSTOM page with the assistant's own Finish (STYLE.md) */
  self->finish_button = gtk_button_new_with_mnemonic (_("_Finish"));
  g_signal_connect_object (self->finish_button, "clicked", G_CALLBACK (on_finish_clicked), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_can_default (self->finish_button, TRUE);
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->finish_button);
  gtk_widget_hide (self->finish_button);

  return GTK_WIDGET (self);
}
