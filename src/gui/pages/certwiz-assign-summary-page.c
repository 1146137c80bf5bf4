/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-assign-summary-page.h"

/* Certificate Assignment Summary (wizard.md §3.20): what is about to be assigned */
struct _CertwizAssignSummaryPage
{
  CertwizPage  parent_instance;

  GtkLabel    *friendly_label;
  GtkLabel    *subject_label;
  GtkLabel    *names_label;
  GtkLabel    *issuer_label;
  GtkLabel    *expires_label;
  GtkLabel    *thumbprint_label;
  GtkLabel    *usages_label;
};

G_DEFINE_TYPE (CertwizAssignSummaryPage, certwiz_assign_summary_page, CERTWIZ_TYPE_PAGE)

void
certwiz_assign_summary_page_set (CertwizAssignSummaryPage *self,
                                 CertreqCertificate       *cert,
                                 CertreqUsageFlags         usages)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *names = NULL;
  g_autofree char *expires = NULL;
  g_auto(GStrv) dns_names = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autoptr(GString) usage_text = g_string_new (NULL);

  g_return_if_fail (CERTWIZ_IS_ASSIGN_SUMMARY_PAGE (self));
  g_return_if_fail (CERTREQ_IS_CERTIFICATE (cert));

  if (store != NULL)
    meta = certreq_store_get_meta (store, certreq_certificate_get_thumbprint (cert));
  subject = certreq_certificate_get_subject (cert);
  issuer = certreq_certificate_get_issuer (cert);
  dns_names = certreq_certificate_get_dns_names (cert);
  names = dns_names != NULL ? g_strjoinv ("\n", dns_names) : g_strdup ("");
  not_after = certreq_certificate_get_not_after (cert);
  if (not_after != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (not_after);

      /* Translators: a date and time; see g_date_time_format() */
      /* xgettext:no-c-format */
      expires = g_date_time_format (local, _("%Y-%m-%d %H:%M"));
    }
  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    if (usages & CERTREQ_USAGE_TO_FLAG (i))
      {
        if (usage_text->len > 0)
          g_string_append_c (usage_text, '\n');
        g_string_append (usage_text, certreq_usage_get_label (i));
      }

  gtk_label_set_text (self->friendly_label,
                      meta != NULL && meta->friendly_name != NULL ? meta->friendly_name : "");
  gtk_label_set_text (self->subject_label, subject != NULL ? subject : "");
  gtk_label_set_text (self->names_label, names);
  gtk_label_set_text (self->issuer_label, issuer != NULL ? issuer : "");
  gtk_label_set_text (self->expires_label, expires != NULL ? expires : "");
  gtk_label_set_text (self->thumbprint_label, certreq_certificate_get_thumbprint (cert));
  gtk_label_set_text (self->usages_label, usage_text->str);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
}

static void
certwiz_assign_summary_page_class_init (CertwizAssignSummaryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-assign-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignSummaryPage, friendly_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignSummaryPage, subject_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignSummaryPage, names_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignSummaryPage, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignSummaryPage, expires_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignSummaryPage, thumbprint_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignSummaryPage, usages_label);
}

static void
certwiz_assign_summary_page_init (CertwizAssignSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Assignment Summary"));
}
