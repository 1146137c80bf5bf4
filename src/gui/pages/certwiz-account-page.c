/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-account-page.h"

/* Certification Authority Account: optional alternate credentials for the CA.
 * The password lives only in the request model, in memory. */
struct _CertwizAccountPage
{
  CertwizPage      parent_instance;

  GtkToggleButton *use_credentials_check;
  GtkEntry        *username_entry;
  GtkEntry        *password_entry;
  GtkLabel        *problem_label;

  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizAccountPage, certwiz_account_page, CERTWIZ_TYPE_PAGE)

static void
validate (CertwizAccountPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_account (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_account_changed (CertwizAccountPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (self->syncing)
    return;
  certreq_request_set_use_credentials (request,
                                       gtk_toggle_button_get_active (self->use_credentials_check));
  certreq_request_set_username (request, gtk_entry_get_text (self->username_entry));
  certreq_request_set_password (request, gtk_entry_get_text (self->password_entry));
  validate (self);
}

static void
sync_from_model (CertwizAccountPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *username = certreq_request_get_username (request);
  const char *password = certreq_request_get_password (request);

  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->use_credentials_check,
                                certreq_request_get_use_credentials (request));
  gtk_entry_set_text (self->username_entry, username != NULL ? username : "");
  gtk_entry_set_text (self->password_entry, password != NULL ? password : "");
  self->syncing = FALSE;
  validate (self);
}

static void
certwiz_account_page_prepare (CertwizPage *page)
{
  validate (CERTWIZ_ACCOUNT_PAGE (page));
}

static void
certwiz_account_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_account_page_parent_class)->constructed (object);

  sync_from_model (CERTWIZ_ACCOUNT_PAGE (object));
}

static void
certwiz_account_page_class_init (CertwizAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_account_page_constructed;
  page_class->prepare = certwiz_account_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, use_credentials_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, username_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_account_changed);
}

static void
certwiz_account_page_init (CertwizAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certification Authority Account"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_account_page_new (CertreqRequest *request,
                          CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_ACCOUNT_PAGE, "request", request, "store", store, NULL);
}
