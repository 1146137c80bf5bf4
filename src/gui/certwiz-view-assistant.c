/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-details-dialog.h"
#include "certwiz-view-assistant.h"

enum
{
  COL_CERT,
  COL_FRIENDLY_NAME,
  COL_SUBJECT,
  COL_EXPIRES,
  COL_THUMBPRINT,
  COL_ASSIGNED,
  COL_RENEWAL,
};

struct _CertwizViewAssistant
{
  GtkDialog         parent_instance;

  GtkTreeView      *cert_view;
  GtkTreeSelection *cert_selection;
  GtkListStore     *cert_store;
  GtkLabel         *problem_label;
  GtkWidget        *details_button;

  CertreqStore     *store;
};

G_DEFINE_TYPE (CertwizViewAssistant, certwiz_view_assistant, GTK_TYPE_DIALOG)

static void
populate (CertwizViewAssistant *self)
{
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GError) error = NULL;
  char *assigned[CERTREQ_N_USAGES];
  GtkTreeIter iter;

  gtk_list_store_clear (self->cert_store);
  certs = certreq_store_list_certificates (self->store, &error);
  if (certs == NULL)
    {
      gtk_label_set_text (self->problem_label, error->message);
      gtk_widget_show (GTK_WIDGET (self->problem_label));
      return;
    }

  for (guint u = 0; u < CERTREQ_N_USAGES; u++)
    assigned[u] = certreq_store_get_assigned (self->store, u);

  for (guint i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);
      const char *thumbprint = certreq_certificate_get_thumbprint (cert);
      g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (self->store, thumbprint);
      g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
      g_autofree char *subject = certreq_certificate_get_subject_name (cert);
      g_autofree char *expires = NULL;
      g_autoptr(GString) usages = g_string_new (NULL);
      g_autoptr(CertreqRenewalStatus) renewal = certreq_renewal_get_status (self->store, cert,
                                                                           CERTREQ_RENEWAL_RULE_DEFAULT,
                                                                           NULL);

      for (guint u = 0; u < CERTREQ_N_USAGES; u++)
        if (assigned[u] != NULL && g_ascii_strcasecmp (assigned[u], thumbprint) == 0)
          {
            if (usages->len > 0)
              g_string_append (usages, ", ");
            g_string_append (usages, certreq_usage_get_label (u));
          }
      if (not_after != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (not_after);

          /* Translators: an expiration date; see g_date_time_format() */
          /* xgettext:no-c-format */
          expires = g_date_time_format (local, _("%Y-%m-%d"));
        }

      gtk_list_store_insert_with_values (self->cert_store, &iter, -1,
                                         COL_CERT, cert,
                                         COL_FRIENDLY_NAME,
                                         meta != NULL && meta->friendly_name != NULL
                                           ? meta->friendly_name : "",
                                         COL_SUBJECT, subject != NULL ? subject : "",
                                         COL_EXPIRES, expires != NULL ? expires : "",
                                         COL_THUMBPRINT, thumbprint,
                                         COL_ASSIGNED, usages->str,
                                         COL_RENEWAL,
                                         certreq_renewal_state_get_label (renewal->state),
                                         -1);
    }

  for (guint u = 0; u < CERTREQ_N_USAGES; u++)
    g_free (assigned[u]);

  if (gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->cert_store), &iter))
    gtk_tree_selection_select_iter (self->cert_selection, &iter);
}

static void
on_selection_changed (CertwizViewAssistant *self)
{
  gtk_widget_set_sensitive (self->details_button,
                            gtk_tree_selection_get_selected (self->cert_selection, NULL, NULL));
}

static void
on_details_clicked (CertwizViewAssistant *self)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  GtkTreeModel *model;
  GtkTreeIter iter;
  GtkWidget *dialog;

  if (!gtk_tree_selection_get_selected (self->cert_selection, &model, &iter))
    return;
  gtk_tree_model_get (model, &iter, COL_CERT, &cert, -1);

  dialog = certwiz_details_dialog_new (GTK_WINDOW (self), cert, self->store, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_row_activated (CertwizViewAssistant *self)
{
  on_details_clicked (self);
}

static void
on_response (GtkDialog *dialog,
             int        response,
             gpointer   user_data)
{
  /* The buttons with work of their own answer GTK_RESPONSE_NONE: the dialog stays */
  if (response != GTK_RESPONSE_NONE)
    gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
certwiz_view_assistant_dispose (GObject *object)
{
  CertwizViewAssistant *self = CERTWIZ_VIEW_ASSISTANT (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (certwiz_view_assistant_parent_class)->dispose (object);
}

static void
certwiz_view_assistant_class_init (CertwizViewAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = certwiz_view_assistant_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-view-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizViewAssistant, cert_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizViewAssistant, cert_selection);
  gtk_widget_class_bind_template_child (widget_class, CertwizViewAssistant, cert_store);
  gtk_widget_class_bind_template_child (widget_class, CertwizViewAssistant, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizViewAssistant, details_button);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_details_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
certwiz_view_assistant_init (CertwizViewAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
certwiz_view_assistant_new (GtkWindow    *parent,
                            CertreqStore *store)
{
  CertwizViewAssistant *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  self = g_object_new (CERTWIZ_TYPE_VIEW_ASSISTANT,
                       "transient-for", parent,
                       "use-header-bar", FALSE,
                       NULL);
  self->store = g_object_ref (store);
  populate (self);
  gtk_widget_grab_default (self->details_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->cert_view));

  return GTK_WIDGET (self);
}
