/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-ca-page.h"

/* Choose a Certification Authority (CA): the CAs Certwiz knows, and (in a later version)
 * another one given by its address. The choice is remembered in the last-ca setting. */
struct _CertwizCaPage
{
  CertwizPage      parent_instance;

  GtkComboBoxText *ca_combo;
  GtkLabel        *problem_label;

  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizCaPage, certwiz_ca_page, CERTWIZ_TYPE_PAGE)

/* The certification authorities that need no configuration; configured ones join later */
static const char * const known_ca_ids[] = { CERTREQ_LOCAL_CA_ID };

static void
validate (CertwizCaPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_ca (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_ca_changed (CertwizCaPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (self->syncing)
    return;
  certreq_request_set_ca_id (request, gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->ca_combo)));
  validate (self);
}

static gboolean
select_ca (CertwizCaPage *self,
           const char    *ca_id)
{
  if (ca_id == NULL || *ca_id == '\0')
    return FALSE;
  return gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->ca_combo), ca_id);
}

static void
fill_ca_list (CertwizCaPage *self)
{
  CertwizPage *page = CERTWIZ_PAGE (self);
  CertreqRequest *request = certwiz_page_get_request (page);
  g_autofree char *last_ca = certwiz_page_settings_get ("last-ca");

  self->syncing = TRUE;
  gtk_combo_box_text_remove_all (self->ca_combo);
  for (gsize i = 0; i < G_N_ELEMENTS (known_ca_ids); i++)
    {
      g_autoptr(CertreqCaClient) client = NULL;
      g_autoptr(GError) error = NULL;

      /* Without a store (a page made on its own, in a test) no client can be made; the id
       * is all there is to show */
      if (certwiz_page_get_store (page) == NULL)
        {
          gtk_combo_box_text_append (self->ca_combo, known_ca_ids[i], known_ca_ids[i]);
          continue;
        }
      client = certreq_ca_client_new_for_id (certwiz_page_get_store (page), known_ca_ids[i],
                                             &error);
      if (client == NULL)
        {
          g_warning ("Cannot list the certification authority %s: %s",
                     known_ca_ids[i], error->message);
          continue;
        }
      gtk_combo_box_text_append (self->ca_combo, certreq_ca_client_get_id (client),
                                 certreq_ca_client_get_name (client));
    }

  /* The CA used last time, else the one the request names, else the first one */
  if (!select_ca (self, last_ca) &&
      !select_ca (self, certreq_request_get_ca_id (request)))
    gtk_combo_box_set_active (GTK_COMBO_BOX (self->ca_combo), 0);
  self->syncing = FALSE;

  certreq_request_set_ca_id (request,
                             gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->ca_combo)));
  validate (self);
}

static void
certwiz_ca_page_prepare (CertwizPage *page)
{
  validate (CERTWIZ_CA_PAGE (page));
}

static void
certwiz_ca_page_leave (CertwizPage *page)
{
  const char *ca_id = certreq_request_get_ca_id (certwiz_page_get_request (page));

  if (ca_id != NULL && *ca_id != '\0')
    certwiz_page_settings_set ("last-ca", ca_id);
}

static void
certwiz_ca_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_ca_page_parent_class)->constructed (object);

  fill_ca_list (CERTWIZ_CA_PAGE (object));
}

static void
certwiz_ca_page_class_init (CertwizCaPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_ca_page_constructed;
  page_class->prepare = certwiz_ca_page_prepare;
  page_class->leave = certwiz_ca_page_leave;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-ca-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, ca_combo);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_changed);
}

static void
certwiz_ca_page_init (CertwizCaPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Choose a Certification Authority (CA)"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_ca_page_new (CertreqRequest *request,
                     CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_CA_PAGE, "request", request, "store", store, NULL);
}
