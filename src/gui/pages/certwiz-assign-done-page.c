/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-assign-done-page.h"

/* The last page: what was done; the assistant's own Finish button closes it */
struct _CertwizAssignDonePage
{
  CertwizPage  parent_instance;

  GtkLabel    *outcome_label;
  GtkLabel    *usages_label;
  GtkLabel    *note_label;
};

G_DEFINE_TYPE (CertwizAssignDonePage, certwiz_assign_done_page, CERTWIZ_TYPE_PAGE)

void
certwiz_assign_done_page_set (CertwizAssignDonePage *self,
                              CertreqCertificate    *cert,
                              CertreqUsageFlags      usages)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *outcome = NULL;

  g_return_if_fail (CERTWIZ_IS_ASSIGN_DONE_PAGE (self));

  if (cert != NULL)
    /* Translators: %s is a certificate's thumbprint */
    outcome = g_strdup_printf (_("The certificate %s was assigned to these certificate usages:"),
                               certreq_certificate_get_thumbprint (cert));
  else
    outcome = g_strdup (_("The certificate was assigned to these certificate usages:"));
  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    if (usages & CERTREQ_USAGE_TO_FLAG (i))
      {
        g_autofree char *live = store != NULL ? certreq_store_get_live_dir (store, i) : NULL;

        if (text->len > 0)
          g_string_append_c (text, '\n');
        if (live != NULL)
          /* Translators: a usage on the last page; %1$s is its label, %2$s the directory
           * its service reads the files from */
          g_string_append_printf (text, _("%1$s (files in %2$s)"),
                                  certreq_usage_get_label (i), live);
        else
          g_string_append (text, certreq_usage_get_label (i));
      }
  gtk_label_set_text (self->outcome_label, outcome);
  gtk_label_set_text (self->usages_label, text->str);
  gtk_label_set_text (self->note_label, _("Each usage’s service was reloaded with the new files. Click Finish to close the assistant."));
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
}

static void
certwiz_assign_done_page_class_init (CertwizAssignDonePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-assign-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignDonePage, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignDonePage, usages_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignDonePage, note_label);
}

static void
certwiz_assign_done_page_init (CertwizAssignDonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Assignment"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CUSTOM);
}
