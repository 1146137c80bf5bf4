/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-names-page.h"

/* Subject Name / Subject Alternative Names: read-only, derived from the server profile,
 * the chosen usages and SIP domains, plus the extra names */
struct _CertwizNamesPage
{
  CertwizPage   parent_instance;

  GtkEntry     *subject_entry;
  GtkTreeView  *names_view;
  GtkListStore *names_store;
  GtkLabel     *problem_label;
};

G_DEFINE_TYPE (CertwizNamesPage, certwiz_names_page, CERTWIZ_TYPE_PAGE)

static void
refresh (CertwizNamesPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autofree char *common_name = certreq_request_get_common_name (request);
  g_auto(GStrv) names = certreq_request_get_names (request);
  g_autoptr(GError) error = NULL;

  gtk_entry_set_text (self->subject_entry, common_name != NULL ? common_name : "");

  gtk_list_store_clear (self->names_store);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    gtk_list_store_insert_with_values (self->names_store, NULL, -1, 0, names[i], -1);

  certreq_request_validate_names (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
certwiz_names_page_prepare (CertwizPage *page)
{
  refresh (CERTWIZ_NAMES_PAGE (page));
}

static void
certwiz_names_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_names_page_parent_class)->constructed (object);

  refresh (CERTWIZ_NAMES_PAGE (object));
}

static void
certwiz_names_page_class_init (CertwizNamesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_names_page_constructed;
  page_class->prepare = certwiz_names_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-names-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizNamesPage, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizNamesPage, names_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizNamesPage, names_store);
  gtk_widget_class_bind_template_child (widget_class, CertwizNamesPage, problem_label);
}

static void
certwiz_names_page_init (CertwizNamesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Subject Name / Subject Alternative Names"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_names_page_new (CertreqRequest *request,
                        CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_NAMES_PAGE, "request", request, "store", store, NULL);
}
