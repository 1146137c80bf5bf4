/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-ca-page.h"
#include "certwiz-template-page.h"

/* Specify Alternate Certificate Template: the CA's configured template (AD CS; else
 * WebServer) or label (EST) unless the admin names another one */
struct _CertwizTemplatePage
{
  CertwizPage      parent_instance;

  GtkLabel        *default_label;
  GtkToggleButton *use_template_check;
  GtkLabel        *use_template_label;
  GtkLabel        *template_label;
  GtkLabel        *hint_label;
  GtkEntry        *template_entry;
  GtkLabel        *problem_label;

  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizTemplatePage, certwiz_template_page, CERTWIZ_TYPE_PAGE)

static void
validate (CertwizTemplatePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_template (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_template_changed (CertwizTemplatePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (self->syncing)
    return;
  certreq_request_set_use_template (request,
                                    gtk_toggle_button_get_active (self->use_template_check));
  certreq_request_set_template (request, gtk_entry_get_text (self->template_entry));
  validate (self);
}

static void
sync_from_model (CertwizTemplatePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  gboolean use_template = certreq_request_get_use_template (request);

  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->use_template_check, use_template);
  /* Without an alternate template the model answers with the default one, which is not
   * something the admin typed */
  if (use_template)
    {
      const char *name = certreq_request_get_template (request);

      gtk_entry_set_text (self->template_entry, name != NULL ? name : "");
    }
  self->syncing = FALSE;
  validate (self);
}

/* The words of the chosen CA's protocol: an EST label is no AD CS template */
static void
adapt_to_ca (CertwizTemplatePage *self)
{
  CertwizPage *page = CERTWIZ_PAGE (self);
  CertreqRequest *request = certwiz_page_get_request (page);
  g_autoptr(CertreqCaConfig) config = NULL;
  g_autofree char *text = NULL;
  CertreqCaProtocol protocol = CERTREQ_CA_PROTOCOL_LOCAL;
  const char *configured;

  if (certreq_request_get_online (request))
    certwiz_ca_lookup (certwiz_page_get_store (page), certreq_request_get_ca_id (request),
                       &protocol, &config);
  configured = config != NULL && config->template_name != NULL && *config->template_name != '\0'
               ? config->template_name : NULL;

  if (protocol == CERTREQ_CA_PROTOCOL_EST)
    {
      if (configured != NULL)
        /* Translators: %s is the EST label configured for the certification authority */
        text = g_strdup_printf (_("The certificate is requested under the label %s of the "
                                  "certification authority. Name another label only when "
                                  "its administrator tells you to."), configured);
      else
        text = g_strdup (_("The certificate is requested without a label, from the "
                           "certification authority's default. Name a label only when its "
                           "administrator tells you to."));
      gtk_label_set_text_with_mnemonic (self->use_template_label,
                                        _("_Use another label for the selected certification "
                                          "authority"));
      gtk_label_set_text_with_mnemonic (self->template_label, _("EST _label"));
      gtk_label_set_text (self->hint_label,
                          _("An EST label is one part of the certification authority's URL "
                            "path, without “/” or spaces."));
    }
  else
    {
      /* Translators: %s is the name of the default certificate template, "WebServer" */
      text = g_strdup_printf (_("The certificate is requested with the %s template. Name "
                                "another template only when the certification authority "
                                "asks for one, or when your organization replaced or "
                                "disabled the default template."),
                              configured != NULL ? configured : CERTREQ_DEFAULT_TEMPLATE);
      gtk_label_set_text_with_mnemonic (self->use_template_label,
                                        _("_Use alternate certificate template for selected "
                                          "certification authority"));
      gtk_label_set_text_with_mnemonic (self->template_label, _("Certificate _template name"));
      gtk_label_set_text (self->hint_label,
                          _("Enter the template's name as the certification authority "
                            "defines it, not its display name. You need permission to enroll "
                            "with that template."));
    }
  gtk_label_set_text (self->default_label, text);
  certwiz_page_name_controls (page);
}

static void
certwiz_template_page_prepare (CertwizPage *page)
{
  adapt_to_ca (CERTWIZ_TEMPLATE_PAGE (page));
  validate (CERTWIZ_TEMPLATE_PAGE (page));
}

static void
certwiz_template_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_template_page_parent_class)->constructed (object);

  sync_from_model (CERTWIZ_TEMPLATE_PAGE (object));
  adapt_to_ca (CERTWIZ_TEMPLATE_PAGE (object));
}

static void
certwiz_template_page_class_init (CertwizTemplatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_template_page_constructed;
  page_class->prepare = certwiz_template_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-template-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizTemplatePage, default_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizTemplatePage, use_template_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizTemplatePage, use_template_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizTemplatePage, template_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizTemplatePage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizTemplatePage, template_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizTemplatePage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_template_changed);
}

static void
certwiz_template_page_init (CertwizTemplatePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Specify Alternate Certificate Template"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_template_page_new (CertreqRequest *request,
                           CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_TEMPLATE_PAGE, "request", request, "store", store, NULL);
}
