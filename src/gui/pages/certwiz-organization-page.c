/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-organization-page.h"

/* Organization Information: O and OU, remembered for the next request */
struct _CertwizOrganizationPage
{
  CertwizPage  parent_instance;

  GtkEntry    *organization_entry;
  GtkEntry    *organizational_unit_entry;
  GtkLabel    *problem_label;

  gboolean     syncing;
};

G_DEFINE_TYPE (CertwizOrganizationPage, certwiz_organization_page, CERTWIZ_TYPE_PAGE)

static void
validate (CertwizOrganizationPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_organization (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_organization_changed (CertwizOrganizationPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (self->syncing)
    return;
  certreq_request_set_organization (request, gtk_entry_get_text (self->organization_entry));
  certreq_request_set_organizational_unit (request,
                                           gtk_entry_get_text (self->organizational_unit_entry));
  validate (self);
}

/* Fills an empty field of the model from the remembered setting */
static void
prefill (CertreqRequest *request,
         const char     *key,
         const char     *(*get) (CertreqRequest *),
         void            (*set) (CertreqRequest *, const char *))
{
  const char *current = get (request);
  g_autofree char *remembered = NULL;

  if (current != NULL && *current != '\0')
    return;
  remembered = certwiz_page_settings_get (key);
  if (remembered != NULL && *remembered != '\0')
    set (request, remembered);
}

static void
sync_from_model (CertwizOrganizationPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *organization = certreq_request_get_organization (request);
  const char *unit = certreq_request_get_organizational_unit (request);

  self->syncing = TRUE;
  gtk_entry_set_text (self->organization_entry, organization != NULL ? organization : "");
  gtk_entry_set_text (self->organizational_unit_entry, unit != NULL ? unit : "");
  self->syncing = FALSE;
  validate (self);
}

static void
certwiz_organization_page_prepare (CertwizPage *page)
{
  validate (CERTWIZ_ORGANIZATION_PAGE (page));
}

static void
certwiz_organization_page_leave (CertwizPage *page)
{
  CertreqRequest *request = certwiz_page_get_request (page);

  /* Only what the core accepts is worth remembering */
  if (!certreq_request_validate_organization (request, NULL))
    return;
  certwiz_page_settings_set ("organization", certreq_request_get_organization (request));
  certwiz_page_settings_set ("organizational-unit",
                             certreq_request_get_organizational_unit (request));
}

static void
certwiz_organization_page_constructed (GObject *object)
{
  CertwizOrganizationPage *self = CERTWIZ_ORGANIZATION_PAGE (object);
  CertreqRequest *request;

  G_OBJECT_CLASS (certwiz_organization_page_parent_class)->constructed (object);

  request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  prefill (request, "organization",
           certreq_request_get_organization, certreq_request_set_organization);
  prefill (request, "organizational-unit",
           certreq_request_get_organizational_unit, certreq_request_set_organizational_unit);
  sync_from_model (self);
}

static void
certwiz_organization_page_class_init (CertwizOrganizationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_organization_page_constructed;
  page_class->prepare = certwiz_organization_page_prepare;
  page_class->leave = certwiz_organization_page_leave;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-organization-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizOrganizationPage, organization_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizOrganizationPage,
                                        organizational_unit_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizOrganizationPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_organization_changed);
}

static void
certwiz_organization_page_init (CertwizOrganizationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Organization Information"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_organization_page_new (CertreqRequest *request,
                               CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_ORGANIZATION_PAGE, "request", request, "store", store, NULL);
}
