/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-summary-page.h"

/* Certificate Request Summary: every choice, read-only; complete only when the whole
 * request is valid. Next leads to the Executing Commands page. */
struct _CertwizSummaryPage
{
  CertwizPage    parent_instance;

  GtkTextView   *summary_view;
  GtkTextBuffer *summary_buffer;
  GtkLabel      *problem_label;
};

G_DEFINE_TYPE (CertwizSummaryPage, certwiz_summary_page, CERTWIZ_TYPE_PAGE)

static const char *
or_none (const char *value)
{
  /* Translators: shown in the summary for a field left empty */
  return value != NULL && *value != '\0' ? value : _("(none)");
}

/* One "Field: value" line */
static void
add_field (GtkTextBuffer *buffer,
           const char    *field,
           const char    *value)
{
  GtkTextIter end;
  g_autofree char *label = NULL;

  /* Translators: a field name in the request summary, followed by its value */
  label = g_strdup_printf (_("%s:"), field);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_with_tags_by_name (buffer, &end, label, -1, "field", NULL);
  gtk_text_buffer_insert (buffer, &end, " ", -1);
  gtk_text_buffer_insert (buffer, &end, value, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", -1);
}

/* A field whose values go on lines of their own */
static void
add_list (GtkTextBuffer *buffer,
          const char    *field,
          const char    *const *values)
{
  GtkTextIter end;
  g_autofree char *label = NULL;

  if (values == NULL || values[0] == NULL)
    {
      add_field (buffer, field, or_none (NULL));
      return;
    }

  label = g_strdup_printf (_("%s:"), field);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_with_tags_by_name (buffer, &end, label, -1, "field", NULL);
  gtk_text_buffer_insert (buffer, &end, "\n", -1);
  for (guint i = 0; values[i] != NULL; i++)
    {
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, values[i], -1, "item", NULL);
      gtk_text_buffer_insert (buffer, &end, "\n", -1);
    }
}

static char *
usages_text (CertreqUsageFlags usages)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    if ((usages & CERTREQ_USAGE_TO_FLAG (i)) != 0)
      g_ptr_array_add (labels, (gpointer) certreq_usage_get_label (i));
  if (labels->len == 0)
    return g_strdup (or_none (NULL));
  g_ptr_array_add (labels, NULL);
  /* Translators: separates the certificate usages listed in the summary */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

static char *
ca_text (CertwizSummaryPage *self,
         const char         *ca_id)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autoptr(CertreqCaClient) client = NULL;

  if (ca_id == NULL || *ca_id == '\0')
    return g_strdup (or_none (NULL));
  if (store == NULL)
    return g_strdup (ca_id);
  client = certreq_ca_client_new_for_id (store, ca_id, NULL);
  if (client == NULL)
    return g_strdup (ca_id);
  return g_strdup (certreq_ca_client_get_name (client));
}

static char *
country_text (const char *code)
{
  const char *name;

  if (code == NULL || *code == '\0')
    return g_strdup (or_none (NULL));
  name = certreq_country_is_valid (code) ? certreq_country_get_name (code) : NULL;
  if (name == NULL)
    return g_strdup (code);
  /* Translators: a country in the summary: %1$s is its name, %2$s its ISO code, e.g. DE */
  return g_strdup_printf (_("%1$s (%2$s)"), name, code);
}

static void
refresh (CertwizSummaryPage *self)
{
  CertwizPage *page = CERTWIZ_PAGE (self);
  CertreqRequest *request = certwiz_page_get_request (page);
  GtkTextBuffer *buffer = self->summary_buffer;
  g_autofree char *usages = usages_text (certreq_request_get_usages (request));
  g_autofree char *ca = ca_text (self, certreq_request_get_ca_id (request));
  g_autofree char *friendly_name = certreq_request_get_effective_friendly_name (request);
  g_autofree char *template_name = NULL;
  g_autofree char *common_name = certreq_request_get_common_name (request);
  g_autofree char *country = country_text (certreq_request_get_country (request));
  g_auto(GStrv) names = certreq_request_get_names (request);
  const char *given_name = certreq_request_get_friendly_name (request);
  g_autoptr(GError) error = NULL;

  gtk_text_buffer_set_text (buffer, "", -1);

  add_field (buffer, _("Certificate usages"), usages);
  add_field (buffer, _("Request type"),
             certreq_request_get_online (request)
             ? _("Sent immediately to an online certification authority")
             : _("Prepared now, sent later (offline certificate request)"));
  add_field (buffer, _("Certification authority"), ca);
  /* The password is never shown, not even masked */
  add_field (buffer, _("Alternate credentials"),
             certreq_request_get_use_credentials (request)
             ? or_none (certreq_request_get_username (request))
             : _("None"));
  if (certreq_request_get_use_template (request))
    template_name = g_strdup (or_none (certreq_request_get_template (request)));
  else
    /* Translators: %s is the default certificate template, "WebServer" */
    template_name = g_strdup_printf (_("%s (default)"), CERTREQ_DEFAULT_TEMPLATE);
  add_field (buffer, _("Certificate template"), template_name);
  if (given_name == NULL || *given_name == '\0')
    {
      g_autofree char *generated = NULL;

      /* Translators: %s is the friendly name Certwiz made up because none was given */
      generated = g_strdup_printf (_("%s (generated)"), or_none (friendly_name));
      add_field (buffer, _("Friendly name"), generated);
    }
  else
    add_field (buffer, _("Friendly name"), given_name);
  add_field (buffer, _("Key"), certreq_key_type_get_label (certreq_request_get_key_type (request)));
  add_field (buffer, _("Private key exportable"),
             certreq_request_get_exportable (request) ? _("Yes") : _("No"));
  add_field (buffer, _("Subject name"), or_none (common_name));
  add_field (buffer, _("Organization"), or_none (certreq_request_get_organization (request)));
  add_field (buffer, _("Organizational unit"),
             or_none (certreq_request_get_organizational_unit (request)));
  add_field (buffer, _("Country/region"), country);
  add_field (buffer, _("State/province"), or_none (certreq_request_get_state (request)));
  add_field (buffer, _("City/locality"), or_none (certreq_request_get_locality (request)));
  add_list (buffer, _("Subject alternative names"), (const char * const *) names);

  certreq_request_validate (request, certwiz_page_get_store (page), &error);
  certwiz_page_show_problem (page, self->problem_label, error);
}

static void
certwiz_summary_page_prepare (CertwizPage *page)
{
  refresh (CERTWIZ_SUMMARY_PAGE (page));
}

static void
certwiz_summary_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_summary_page_parent_class)->constructed (object);

  refresh (CERTWIZ_SUMMARY_PAGE (object));
}

static void
certwiz_summary_page_class_init (CertwizSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_summary_page_constructed;
  page_class->prepare = certwiz_summary_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizSummaryPage, summary_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizSummaryPage, summary_buffer);
  gtk_widget_class_bind_template_child (widget_class, CertwizSummaryPage, problem_label);
}

static void
certwiz_summary_page_init (CertwizSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Request Summary"));
  gtk_text_buffer_create_tag (self->summary_buffer, "field", "weight", PANGO_WEIGHT_BOLD, NULL);
  /* Indents the items of a list field such as the names */
  gtk_text_buffer_create_tag (self->summary_buffer, "item", "left-margin", 24, NULL);
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_summary_page_new (CertreqRequest *request,
                          CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_SUMMARY_PAGE, "request", request, "store", store, NULL);
}
