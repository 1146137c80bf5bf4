/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-import-file-page.h"

/* Import Certificate (reference/wizard.md §3.22) */
struct _CertwizImportFilePage
{
  CertwizPage           parent_instance;

  GtkEntry             *file_entry;
  GtkToggleButton      *key_check;
  GtkEntry             *password_entry;
  GtkToggleButton      *exportable_check;
  GtkToggleButton      *root_radio;
  GtkToggleButton      *intermediate_radio;
  GtkToggleButton      *chain_radio;
  GtkEntry             *friendly_name_entry;
  GtkLabel             *problem_label;

  CertwizImportOptions *options;       /* the assistant's */
  gboolean              syncing;
};

G_DEFINE_TYPE (CertwizImportFilePage, certwiz_import_file_page, CERTWIZ_TYPE_PAGE)

static gboolean
validate_file (const char  *path,
               GError     **error)
{
  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                           _("Choose the certificate file to import."));
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* Translators: %s is a file name */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The file “%s” does not exist."), path);
      return FALSE;
    }
  return TRUE;
}

static void
validate (CertwizImportFilePage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->options != NULL)
    validate_file (self->options->path, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_import_changed (CertwizImportFilePage *self)
{
  CertwizImportOptions *options = self->options;
  const char *path;

  if (self->syncing || options == NULL)
    return;

  path = gtk_entry_get_text (self->file_entry);
  g_free (options->path);
  /* A path pasted with spaces around it still names the file */
  options->path = g_strstrip (g_strdup (path));
  options->has_key = gtk_toggle_button_get_active (self->key_check);
  certwiz_import_options_set_password (options, options->has_key
                                                ? gtk_entry_get_text (self->password_entry)
                                                : NULL);
  options->exportable = gtk_toggle_button_get_active (self->exportable_check);
  if (gtk_toggle_button_get_active (self->root_radio))
    options->trust = CERTREQ_IMPORT_TRUST_ROOT;
  else if (gtk_toggle_button_get_active (self->intermediate_radio))
    options->trust = CERTREQ_IMPORT_TRUST_INTERMEDIATE;
  else
    options->trust = CERTREQ_IMPORT_TRUST_NONE;
  g_free (options->friendly_name);
  options->friendly_name = g_strstrip (g_strdup (gtk_entry_get_text (self->friendly_name_entry)));
  validate (self);
}

static void
sync_from_options (CertwizImportFilePage *self)
{
  CertwizImportOptions *options = self->options;

  if (options == NULL)
    return;

  self->syncing = TRUE;
  gtk_entry_set_text (self->file_entry, options->path != NULL ? options->path : "");
  gtk_toggle_button_set_active (self->key_check, options->has_key);
  gtk_entry_set_text (self->password_entry, options->password != NULL ? options->password : "");
  gtk_toggle_button_set_active (self->exportable_check, options->exportable);
  switch (options->trust)
    {
    case CERTREQ_IMPORT_TRUST_ROOT:
      gtk_toggle_button_set_active (self->root_radio, TRUE);
      break;
    case CERTREQ_IMPORT_TRUST_INTERMEDIATE:
      gtk_toggle_button_set_active (self->intermediate_radio, TRUE);
      break;
    case CERTREQ_IMPORT_TRUST_NONE:
    default:
      gtk_toggle_button_set_active (self->chain_radio, TRUE);
      break;
    }
  gtk_entry_set_text (self->friendly_name_entry,
                      options->friendly_name != NULL ? options->friendly_name : "");
  self->syncing = FALSE;
  validate (self);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *const *patterns)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    {
      g_autofree char *upper = g_ascii_strup (patterns[i], -1);

      gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_filter_add_pattern (filter, upper);
    }
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
on_browse_clicked (CertwizImportFilePage *self)
{
  static const char *const all[] = {
    "*.pem", "*.crt", "*.cer", "*.der", "*.p7b", "*.p7c", "*.pfx", "*.p12", NULL
  };
  static const char *const pem[] = { "*.pem", "*.crt", "*.cer", NULL };
  static const char *const der[] = { "*.der", "*.cer", "*.crt", NULL };
  static const char *const p7b[] = { "*.p7b", "*.p7c", NULL };
  static const char *const pfx[] = { "*.pfx", "*.p12", NULL };
  static const char *const any[] = { "*", NULL };
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkFileChooser *chooser;
  GtkWidget *dialog;
  const char *current = gtk_entry_get_text (self->file_entry);

  dialog = gtk_file_chooser_dialog_new (_("Select Certificate File"),
                                        GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL,
                                        _("_Open"), GTK_RESPONSE_ACCEPT,
                                        NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  chooser = GTK_FILE_CHOOSER (dialog);
  /* Translators: file types in the file chooser */
  add_filter (chooser, _("Certificate files (*.pem, *.cer, *.crt, *.der, *.p7b, *.pfx, *.p12)"),
              all);
  add_filter (chooser, _("PEM certificates (*.pem, *.cer, *.crt)"), pem);
  add_filter (chooser, _("DER certificates (*.der, *.cer, *.crt)"), der);
  add_filter (chooser, _("PKCS #7 certificate chains (*.p7b)"), p7b);
  add_filter (chooser, _("PKCS #12 files with a private key (*.pfx, *.p12)"), pfx);
  add_filter (chooser, _("All files"), any);

  if (current != NULL && *current != '\0')
    gtk_file_chooser_set_filename (chooser, current);

  if (gtk_dialog_run (GTK_DIALOG (dialog)) == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (chooser);

      if (path != NULL)
        {
          gtk_entry_set_text (self->file_entry, path);
          /* A PKCS #12 file always carries a key: say so for the admin */
          if (g_str_has_suffix (path, ".pfx") || g_str_has_suffix (path, ".p12") ||
              g_str_has_suffix (path, ".PFX") || g_str_has_suffix (path, ".P12"))
            gtk_toggle_button_set_active (self->key_check, TRUE);
        }
    }
  gtk_widget_destroy (dialog);
}

static void
certwiz_import_file_page_prepare (CertwizPage *page)
{
  sync_from_options (CERTWIZ_IMPORT_FILE_PAGE (page));
}

static void
certwiz_import_file_page_class_init (CertwizImportFilePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  page_class->prepare = certwiz_import_file_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-import-file-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, file_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, key_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, exportable_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, root_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, intermediate_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, chain_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, friendly_name_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizImportFilePage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_import_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_clicked);
}

static void
certwiz_import_file_page_init (CertwizImportFilePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: the wizard's page title; German "Zertifikat importieren" */
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Import Certificate"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_import_file_page_new (CertreqStore         *store,
                              CertwizImportOptions *options)
{
  CertwizImportFilePage *self = g_object_new (CERTWIZ_TYPE_IMPORT_FILE_PAGE, "store", store,
                                              NULL);

  self->options = options;
  sync_from_options (self);
  return GTK_WIDGET (self);
}
