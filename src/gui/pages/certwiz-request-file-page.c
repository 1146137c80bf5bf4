/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-request-file-page.h"

/* Certificate Request File (reference/wizard.md §3.4): the file name of the offline
 * request, by default <CN>.csr in the user's Documents folder */
struct _CertwizRequestFilePage
{
  CertwizPage  parent_instance;

  GtkEntry    *file_entry;
  GtkLabel    *problem_label;

  gboolean     syncing;
};

G_DEFINE_TYPE (CertwizRequestFilePage, certwiz_request_file_page, CERTWIZ_TYPE_PAGE)

static char *
default_file_name (CertreqRequest *request)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autofree char *common_name = certreq_request_get_common_name (request);
  g_autofree char *base = NULL;

  if (documents == NULL || !g_file_test (documents, G_FILE_TEST_IS_DIR))
    documents = g_get_home_dir ();
  /* Translators: the default base name of an offline request file when no common name
   * is known yet */
  base = g_strdup_printf ("%s.csr", common_name != NULL && *common_name != '\0'
                                    ? common_name : _("certificate-request"));
  g_strdelimit (base, "/\\:*?\"<>|", '_');

  return g_build_filename (documents, base, NULL);
}

static void
validate (CertwizRequestFilePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_request_file (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_file_changed (CertwizRequestFilePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (self->syncing)
    return;
  certreq_request_set_request_file (request, gtk_entry_get_text (self->file_entry));
  validate (self);
}

static void
sync_from_model (CertwizRequestFilePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *file = certreq_request_get_request_file (request);

  if (file == NULL || *file == '\0')
    {
      g_autofree char *path = default_file_name (request);

      certreq_request_set_request_file (request, path);
      file = certreq_request_get_request_file (request);
    }

  self->syncing = TRUE;
  gtk_entry_set_text (self->file_entry, file != NULL ? file : "");
  self->syncing = FALSE;
  validate (self);
}

static void
on_browse_clicked (CertwizRequestFilePage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkFileFilter *filter;
  const char *current = gtk_entry_get_text (self->file_entry);

  dialog = gtk_file_chooser_dialog_new (_("Certificate Request File"),
                                        GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL,
                                        _("_Save"), GTK_RESPONSE_ACCEPT,
                                        NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dialog), TRUE);

  filter = gtk_file_filter_new ();
  /* Translators: a file type in the file chooser */
  gtk_file_filter_set_name (filter, _("Certificate requests (*.csr, *.req, *.txt)"));
  gtk_file_filter_add_pattern (filter, "*.csr");
  gtk_file_filter_add_pattern (filter, "*.req");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);

  if (current != NULL && *current != '\0')
    {
      g_autofree char *dir = g_path_get_dirname (current);
      g_autofree char *base = g_path_get_basename (current);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), dir);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), base);
    }

  if (gtk_dialog_run (GTK_DIALOG (dialog)) == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));

      if (path != NULL)
        gtk_entry_set_text (self->file_entry, path);
    }
  gtk_widget_destroy (dialog);
}

static void
certwiz_request_file_page_prepare (CertwizPage *page)
{
  sync_from_model (CERTWIZ_REQUEST_FILE_PAGE (page));
}

static void
certwiz_request_file_page_class_init (CertwizRequestFilePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  page_class->prepare = certwiz_request_file_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-request-file-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizRequestFilePage, file_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizRequestFilePage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_file_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_clicked);
}

static void
certwiz_request_file_page_init (CertwizRequestFilePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Request File"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_request_file_page_new (CertreqRequest *request,
                               CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_REQUEST_FILE_PAGE, "request", request, "store", store, NULL);
}
