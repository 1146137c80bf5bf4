/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-import-summary-page.h"

/* Import Certificate Summary (reference/wizard.md §3.23): file name, path, private key */
struct _CertwizImportSummaryPage
{
  CertwizPage           parent_instance;

  GtkGrid              *summary_grid;

  CertwizImportOptions *options;       /* the assistant's */
};

G_DEFINE_TYPE (CertwizImportSummaryPage, certwiz_import_summary_page, CERTWIZ_TYPE_PAGE)

static void
add_row (CertwizImportSummaryPage *self,
         int                       row,
         const char               *field,
         const char               *value)
{
  GtkWidget *name = gtk_label_new (field);
  GtkWidget *text = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_yalign (GTK_LABEL (name), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (name), "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_line_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_line_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 50);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_can_focus (text, FALSE);
  gtk_widget_set_hexpand (text, TRUE);
  atk_object_set_name (gtk_widget_get_accessible (text), field);
  gtk_widget_show (name);
  gtk_widget_show (text);
  gtk_grid_attach (self->summary_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->summary_grid, text, 1, row, 1, 1);
}

static void
refresh (CertwizImportSummaryPage *self)
{
  CertwizImportOptions *options = self->options;
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->summary_grid));
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  const char *trust;
  int row = 0;

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  if (options == NULL || options->path == NULL)
    return;

  name = g_path_get_basename (options->path);
  dir = g_path_get_dirname (options->path);
  switch (options->trust)
    {
    case CERTREQ_IMPORT_TRUST_ROOT:
      trust = _("Trusted as root certification authorities (self-signed ones; the others as "
                "intermediates)");
      break;
    case CERTREQ_IMPORT_TRUST_INTERMEDIATE:
      trust = _("Trusted as intermediate certification authorities");
      break;
    case CERTREQ_IMPORT_TRUST_NONE:
    default:
      trust = _("Kept only as the certificate’s chain");
      break;
    }

  add_row (self, row++, _("File name"), name);
  add_row (self, row++, _("Path"), dir);
  add_row (self, row++, _("Private key"),
           options->has_key
           ? (options->exportable ? _("In the file; exportable")
                                  : _("In the file; not exportable"))
           : _("Not in the file: the key of a waiting request or of this server"));
  add_row (self, row++, _("CA certificates"), trust);
  add_row (self, row++, _("Friendly name"),
           options->friendly_name != NULL && *options->friendly_name != '\0'
           ? options->friendly_name
           /* Translators: the summary's friendly name when none was entered */
           : _("From the file or the request"));
}

static void
certwiz_import_summary_page_prepare (CertwizPage *page)
{
  refresh (CERTWIZ_IMPORT_SUMMARY_PAGE (page));
  certwiz_page_set_complete (page, TRUE);
}

static void
certwiz_import_summary_page_class_init (CertwizImportSummaryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  page_class->prepare = certwiz_import_summary_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-import-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizImportSummaryPage, summary_grid);
}

static void
certwiz_import_summary_page_init (CertwizImportSummaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: the wizard's page title; German "Zertifikat importieren – Zusammenfassung" */
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Import Certificate Summary"));
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
}

GtkWidget *
certwiz_import_summary_page_new (CertreqStore         *store,
                                 CertwizImportOptions *options)
{
  CertwizImportSummaryPage *self = g_object_new (CERTWIZ_TYPE_IMPORT_SUMMARY_PAGE,
                                                 "store", store, NULL);

  self->options = options;
  return GTK_WIDGET (self);
}
