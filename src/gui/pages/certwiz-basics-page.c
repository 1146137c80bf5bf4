/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-basics-page.h"
#include "certwiz-ca-page.h"

/* Name and Security Settings: friendly name, key type and size, exportable key */
struct _CertwizBasicsPage
{
  CertwizPage      parent_instance;

  GtkEntry        *friendly_name_entry;
  GtkComboBoxText *key_type_combo;
  GtkToggleButton *exportable_check;
  GtkLabel        *problem_label;

  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizBasicsPage, certwiz_basics_page, CERTWIZ_TYPE_PAGE)

static void
validate (CertwizBasicsPage *self)
{
  CertwizPage *page = CERTWIZ_PAGE (self);
  g_autoptr(GError) error = NULL;

  certreq_request_validate_basics (certwiz_page_get_request (page), certwiz_page_get_store (page),
                                   &error);
  certwiz_page_show_problem (page, self->problem_label, error);
}

static void
on_basics_changed (CertwizBasicsPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *key_id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->key_type_combo));
  CertreqKeyType key_type;

  if (self->syncing)
    return;
  certreq_request_set_friendly_name (request, gtk_entry_get_text (self->friendly_name_entry));
  if (key_id != NULL && certreq_key_type_from_id (key_id, &key_type))
    certreq_request_set_key_type (request, key_type);
  certreq_request_set_exportable (request, gtk_toggle_button_get_active (self->exportable_check));
  validate (self);
}

static void
sync_from_model (CertwizBasicsPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *friendly_name = certreq_request_get_friendly_name (request);

  self->syncing = TRUE;
  gtk_entry_set_text (self->friendly_name_entry, friendly_name != NULL ? friendly_name : "");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->key_type_combo),
                               certreq_key_type_to_id (certreq_request_get_key_type (request)));
  gtk_toggle_button_set_active (self->exportable_check, certreq_request_get_exportable (request));
  self->syncing = FALSE;
  validate (self);
}

/* Only the key types the chosen CA's protocol can certify (SCEP: RSA only) */
static void
fill_key_types (CertwizBasicsPage *self)
{
  CertwizPage *page = CERTWIZ_PAGE (self);
  CertreqRequest *request = certwiz_page_get_request (page);
  CertreqKeyType current = certreq_request_get_key_type (request);
  CertreqCaProtocol protocol;
  gboolean known;
  gboolean have_current = FALSE;

  known = certreq_request_get_online (request) &&
          certwiz_ca_lookup (certwiz_page_get_store (page), certreq_request_get_ca_id (request),
                             &protocol, NULL);

  self->syncing = TRUE;
  gtk_combo_box_text_remove_all (self->key_type_combo);
  for (guint i = 0; i < CERTREQ_N_KEY_TYPES; i++)
    {
      if (known && !certreq_ca_protocol_supports_key_type (protocol, i))
        continue;
      gtk_combo_box_text_append (self->key_type_combo, certreq_key_type_to_id (i),
                                 certreq_key_type_get_label (i));
      have_current = have_current || i == current;
    }
  self->syncing = FALSE;

  /* A key type the CA cannot certify gives way to the default one */
  if (!have_current)
    certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_DEFAULT);
}

static void
certwiz_basics_page_prepare (CertwizPage *page)
{
  fill_key_types (CERTWIZ_BASICS_PAGE (page));
  sync_from_model (CERTWIZ_BASICS_PAGE (page));
  /* The store may have gained a certificate with this friendly name meanwhile */
  validate (CERTWIZ_BASICS_PAGE (page));
}

static void
certwiz_basics_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_basics_page_parent_class)->constructed (object);

  sync_from_model (CERTWIZ_BASICS_PAGE (object));
}

static void
certwiz_basics_page_class_init (CertwizBasicsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_basics_page_constructed;
  page_class->prepare = certwiz_basics_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-basics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizBasicsPage, friendly_name_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizBasicsPage, key_type_combo);
  gtk_widget_class_bind_template_child (widget_class, CertwizBasicsPage, exportable_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizBasicsPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_basics_changed);
}

static void
certwiz_basics_page_init (CertwizBasicsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Name and Security Settings"));

  /* No request yet: the model is read in constructed */
  self->syncing = TRUE;
  for (guint i = 0; i < CERTREQ_N_KEY_TYPES; i++)
    gtk_combo_box_text_append (self->key_type_combo, certreq_key_type_to_id (i),
                               certreq_key_type_get_label (i));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->key_type_combo),
                               certreq_key_type_to_id (CERTREQ_KEY_TYPE_DEFAULT));
  self->syncing = FALSE;
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_basics_page_new (CertreqRequest *request,
                         CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_BASICS_PAGE, "request", request, "store", store, NULL);
}
