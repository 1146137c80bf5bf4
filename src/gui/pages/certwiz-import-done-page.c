/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-import-done-page.h"

/* The import's last page: what was imported, then Finish (or Assign…) */
struct _CertwizImportDonePage
{
  CertwizPage           parent_instance;

  GtkLabel             *summary_label;
  GtkGrid              *details_grid;
  GtkLabel             *thumbprint_label;
  GtkLabel             *subject_label;
  GtkLabel             *request_label;
  GtkLabel             *roots_label;
  GtkLabel             *intermediates_label;
  GtkLabel             *next_label;
  GtkButton            *assign_button;
  GtkButton            *finish_button;

  CertwizImportOptions *options;       /* the assistant's */
  gboolean              can_assign;
};

G_DEFINE_TYPE (CertwizImportDonePage, certwiz_import_done_page, CERTWIZ_TYPE_PAGE)

enum
{
  SIGNAL_ASSIGN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
join_thumbprints (GPtrArray *thumbprints)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (thumbprints == NULL || thumbprints->len == 0)
    /* Translators: no CA certificates were added to the trusted roots/intermediates */
    return g_strdup (_("None"));
  for (guint i = 0; i < thumbprints->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (thumbprints, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_row_visible (CertwizImportDonePage *self,
                 GtkLabel              *value,
                 gboolean               visible)
{
  GtkWidget *name;
  int row = 0;

  gtk_container_child_get (GTK_CONTAINER (self->details_grid), GTK_WIDGET (value),
                           "top-attach", &row, NULL);
  name = gtk_grid_get_child_at (self->details_grid, 0, row);

  gtk_widget_set_visible (GTK_WIDGET (value), visible);
  if (name != NULL)
    gtk_widget_set_visible (name, visible);
}

static void
refresh (CertwizImportDonePage *self)
{
  CertreqImportResult *result = self->options != NULL ? self->options->result : NULL;
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autofree char *roots = NULL;
  g_autofree char *intermediates = NULL;
  g_autofree char *subject = NULL;
  gboolean leaf;

  if (result == NULL)
    return;

  leaf = result->thumbprint != NULL;
  if (leaf && result->pending_id != NULL)
    gtk_label_set_text (self->summary_label,
                        _("The certificate was imported and completes the waiting certificate "
                          "request."));
  else if (leaf)
    gtk_label_set_text (self->summary_label, _("The certificate was imported."));
  else
    gtk_label_set_text (self->summary_label,
                        _("The certification authority certificates were imported."));

  if (leaf && store != NULL)
    {
      g_autoptr(CertreqCertificate) cert = certreq_store_find_certificate (store,
                                                                          result->thumbprint,
                                                                          NULL);

      if (cert != NULL)
        subject = certreq_certificate_get_subject (cert);
    }

  gtk_label_set_text (self->thumbprint_label, leaf ? result->thumbprint : "");
  gtk_label_set_text (self->subject_label, subject != NULL ? subject : "");
  gtk_label_set_text (self->request_label, result->pending_id != NULL ? result->pending_id : "");
  roots = join_thumbprints (result->roots);
  intermediates = join_thumbprints (result->intermediates);
  gtk_label_set_text (self->roots_label, roots);
  gtk_label_set_text (self->intermediates_label, intermediates);

  set_row_visible (self, self->thumbprint_label, leaf);
  set_row_visible (self, self->subject_label, subject != NULL);
  set_row_visible (self, self->request_label, result->pending_id != NULL);

  gtk_label_set_text (self->next_label,
                      leaf
                      ? (self->can_assign
                         ? _("To use the certificate, assign it to the server’s certificate "
                             "usages: press Assign now, or use Assign on the main page later.")
                         : _("To use the certificate, assign it to the server’s certificate "
                             "usages with Assign on the main page."))
                      : _("Certwiz now uses them to verify certificate chains. Assign on the main "
                          "page checks the chains again."));
  gtk_widget_set_visible (GTK_WIDGET (self->assign_button), leaf && self->can_assign);
}

static void
on_assign_clicked (CertwizImportDonePage *self)
{
  g_signal_emit (self, signals[SIGNAL_ASSIGN], 0);
}

static void
on_finish_clicked (CertwizImportDonePage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  if (GTK_IS_ASSISTANT (toplevel))
    g_signal_emit_by_name (toplevel, "close");
}

static gboolean
focus_finish_idle (gpointer user_data)
{
  CertwizImportDonePage *self = user_data;

  if (gtk_widget_get_realized (GTK_WIDGET (self->finish_button)))
    gtk_widget_grab_default (GTK_WIDGET (self->finish_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->finish_button));
  gtk_label_select_region (self->summary_label, 0, 0);
  gtk_label_select_region (self->thumbprint_label, 0, 0);
  return G_SOURCE_REMOVE;
}

static void
certwiz_import_done_page_prepare (CertwizPage *page)
{
  CertwizImportDonePage *self = CERTWIZ_IMPORT_DONE_PAGE (page);

  refresh (self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_finish_idle, g_object_ref (self),
                   g_object_unref);
}

GtkWidget *
certwiz_import_done_page_get_action_widget (CertwizImportDonePage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_IMPORT_DONE_PAGE (self), NULL);
  return GTK_WIDGET (self->finish_button);
}

void
certwiz_import_done_page_set_can_assign (CertwizImportDonePage *self,
                                         gboolean               can_assign)
{
  g_return_if_fail (CERTWIZ_IS_IMPORT_DONE_PAGE (self));
  self->can_assign = can_assign;
}

static void
certwiz_import_done_page_class_init (CertwizImportDonePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  page_class->prepare = certwiz_import_done_page_prepare;

  signals[SIGNAL_ASSIGN] =
    g_signal_new ("assign", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-import-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, details_grid);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, thumbprint_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, subject_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, request_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, roots_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, intermediates_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, next_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, assign_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportDonePage, finish_button);
  gtk_widget_class_bind_template_callback (widget_class, on_assign_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_finish_clicked);
}

static void
certwiz_import_done_page_init (CertwizImportDonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: the wizard's page title; German "Zertifikat importieren" */
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Import Certificate"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CUSTOM);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_import_done_page_new (CertreqStore         *store,
                              CertwizImportOptions *options)
{
  CertwizImportDonePage *self = g_object_new (CERTWIZ_TYPE_IMPORT_DONE_PAGE, "store", store,
                                              NULL);

  self->options = options;
  return GTK_WIDGET (self);
}
