/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "certwiz-export-dialog.h"
#include "certwiz-runner.h"

struct _CertwizExportDialog
{
  GtkDialog           parent_instance;

  GtkLabel           *cert_label;
  GtkToggleButton    *pfx_radio;
  GtkToggleButton    *pem_radio;
  GtkToggleButton    *der_radio;
  GtkToggleButton    *p7b_radio;
  GtkLabel           *key_label;
  GtkWidget          *pfx_grid;
  GtkComboBox        *profile_combo;
  GtkEntry           *password_entry;
  GtkEntry           *confirm_entry;
  GtkEntry           *file_entry;
  GtkLabel           *problem_label;
  GtkWidget          *export_button;

  CertreqStore       *store;
  CertreqCertificate *cert;
  char               *confirmed_path;  /* a file the admin agreed to replace */
  GCancellable       *exporting;       /* while exporting; cancelled when the dialog goes */
};

G_DEFINE_TYPE (CertwizExportDialog, certwiz_export_dialog, GTK_TYPE_DIALOG)

static CertreqExportFormat
get_format (CertwizExportDialog *self)
{
  if (gtk_toggle_button_get_active (self->pfx_radio))
    return CERTREQ_EXPORT_PFX;
  if (gtk_toggle_button_get_active (self->der_radio))
    return CERTREQ_EXPORT_DER;
  if (gtk_toggle_button_get_active (self->p7b_radio))
    return CERTREQ_EXPORT_CHAIN_P7B;
  return CERTREQ_EXPORT_PEM;
}

static const char *
format_extension (CertreqExportFormat format)
{
  switch (format)
    {
    case CERTREQ_EXPORT_PFX:
      return ".pfx";
    case CERTREQ_EXPORT_DER:
      return ".cer";
    case CERTREQ_EXPORT_CHAIN_P7B:
      return ".p7b";
    case CERTREQ_EXPORT_PEM:
    default:
      return ".pem";
    }
}

static void
show_problem (CertwizExportDialog *self,
              const char          *message)
{
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static void
on_entry_changed (CertwizExportDialog *self)
{
  show_problem (self, NULL);
}

/* The file name follows the format while it still ends in one of ours */
static void
on_format_toggled (CertwizExportDialog *self)
{
  CertreqExportFormat format = get_format (self);
  const char *text = gtk_entry_get_text (self->file_entry);
  const char *extensions[] = { ".pfx", ".cer", ".p7b", ".pem" };

  gtk_widget_set_sensitive (self->pfx_grid, format == CERTREQ_EXPORT_PFX);
  show_problem (self, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (text, extensions[i]))
      {
        g_autofree char *stem = g_strndup (text, strlen (text) - strlen (extensions[i]));
        g_autofree char *path = g_strconcat (stem, format_extension (format), NULL);

        gtk_entry_set_text (self->file_entry, path);
        break;
      }
}

static void
on_chooser_response (GtkNativeDialog     *chooser,
                     int                  response,
                     CertwizExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));

      if (path != NULL)
        {
          gtk_entry_set_text (self->file_entry, path);
          /* The file chooser has asked before replacing it */
          g_free (self->confirmed_path);
          self->confirmed_path = g_steal_pointer (&path);
        }
    }
  g_object_unref (chooser);
}

static void
on_browse_clicked (CertwizExportDialog *self)
{
  GtkFileChooserNative *chooser;
  const char *text = gtk_entry_get_text (self->file_entry);
  g_autofree char *dir = g_path_get_dirname (text);
  g_autofree char *name = g_path_get_basename (text);

  chooser = gtk_file_chooser_native_new (_("Export Certificate"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CertwizExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean exported;

  exported = certwiz_runner_export_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)),
                                           result, &error);
  if (self->exporting == NULL || g_cancellable_is_cancelled (self->exporting))
    return;   /* the dialog went away */
  g_clear_object (&self->exporting);
  gtk_widget_set_sensitive (self->export_button, TRUE);
  if (!exported)
    {
      show_problem (self, error->message);
      return;
    }

  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
}

static void
export_now (CertwizExportDialog *self)
{
  CertreqExportFormat format = get_format (self);
  CertreqPfxProfile profile = CERTREQ_PFX_MODERN;
  const char *password = NULL;
  const char *path = gtk_entry_get_text (self->file_entry);

  if (self->exporting != NULL)
    return;

  if (format == CERTREQ_EXPORT_PFX)
    {
      password = gtk_entry_get_text (self->password_entry);
      certreq_pfx_profile_from_id (gtk_combo_box_get_active_id (self->profile_combo), &profile);
    }

  /* In this process, or through the privileged helper: keys/ is root's */
  self->exporting = g_cancellable_new ();
  gtk_widget_set_sensitive (self->export_button, FALSE);
  certwiz_runner_export_async (certwiz_runner_get_for_store (self->store),
                               certreq_certificate_get_thumbprint (self->cert), format, profile,
                               password, path, self->exporting, on_exported,
                               g_object_ref (self));
}

static void
on_replace_response (GtkDialog           *question,
                     int                  response,
                     CertwizExportDialog *self)
{
  gtk_widget_destroy (GTK_WIDGET (question));
  if (response != GTK_RESPONSE_ACCEPT)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->file_entry));
      return;
    }
  g_free (self->confirmed_path);
  self->confirmed_path = g_strdup (gtk_entry_get_text (self->file_entry));
  export_now (self);
}

/* A file typed by hand that exists already is replaced only when the admin says so, as
 * the file chooser asks for a file chosen there */
static void
ask_replace (CertwizExportDialog *self,
             const char          *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_name = g_filename_display_name (dir);
  GtkWidget *question;

  question = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL |
                                     GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
                                     GTK_BUTTONS_NONE,
                                     /* Translators: %s is a file name */
                                     _("A file named “%s” already exists. Do you want to "
                                       "replace it?"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (question),
                                            /* Translators: %s is a folder */
                                            _("The file already exists in “%s”. Replacing it "
                                              "overwrites its contents."), dir_name);
  /* Translators: the title of the question before an export replaces a file */
  gtk_window_set_title (GTK_WINDOW (question), _("Replace File"));
  /* GtkMessageDialog names itself after its type ("Question"); the title says more */
  atk_object_set_name (gtk_widget_get_accessible (question), _("Replace File"));
  gtk_dialog_add_buttons (GTK_DIALOG (question), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Replace"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
  g_signal_connect_object (question, "response", G_CALLBACK (on_replace_response), self, 0);
  gtk_window_present (GTK_WINDOW (question));
}

static void
on_export_clicked (CertwizExportDialog *self)
{
  const char *path = gtk_entry_get_text (self->file_entry);

  if (get_format (self) == CERTREQ_EXPORT_PFX &&
      g_strcmp0 (gtk_entry_get_text (self->password_entry),
                 gtk_entry_get_text (self->confirm_entry)) != 0)
    {
      /* Comparing the two entries is the dialog's job; the core checks the password itself */
      show_problem (self, _("The two passwords differ. Type the same password twice."));
      gtk_widget_grab_focus (GTK_WIDGET (self->confirm_entry));
      return;
    }

  if (*path == '\0')
    {
      show_problem (self, _("Enter the name of the file to export to."));
      gtk_widget_grab_focus (GTK_WIDGET (self->file_entry));
      return;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS) && g_strcmp0 (path, self->confirmed_path) != 0)
    {
      ask_replace (self, path);
      return;
    }

  export_now (self);
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
certwiz_export_dialog_dispose (GObject *object)
{
  CertwizExportDialog *self = CERTWIZ_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->exporting);
  g_clear_object (&self->exporting);
  g_clear_object (&self->store);
  g_clear_object (&self->cert);
  g_clear_pointer (&self->confirmed_path, g_free);

  G_OBJECT_CLASS (certwiz_export_dialog_parent_class)->dispose (object);
}

static void
certwiz_export_dialog_class_init (CertwizExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = certwiz_export_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, cert_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, pfx_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, pem_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, der_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, p7b_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, key_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, pfx_grid);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, profile_combo);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, confirm_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, file_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizExportDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_format_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
certwiz_export_dialog_init (CertwizExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

/* The user's Documents folder, as the offline request's default file is */
static char *
default_directory (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_strdup (documents);
  return g_strdup (g_get_home_dir ());
}

GtkWidget *
certwiz_export_dialog_new (GtkWindow          *parent,
                           CertreqStore       *store,
                           CertreqCertificate *certificate)
{
  CertwizExportDialog *self;
  const char *thumbprint;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  const char *key_id;
  gboolean has_key;
  gboolean exportable;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (certificate), NULL);

  self = g_object_new (CERTWIZ_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "use-header-bar", FALSE,
                       NULL);
  self->store = g_object_ref (store);
  self->cert = g_object_ref (certificate);

  thumbprint = certreq_certificate_get_thumbprint (certificate);
  meta = certreq_store_get_meta (store, thumbprint);
  subject = certreq_certificate_get_subject (certificate);
  if (meta != NULL && meta->friendly_name != NULL && *meta->friendly_name != '\0')
    /* Translators: %1$s is a certificate's friendly name, %2$s its subject, %3$s its thumbprint */
    text = g_strdup_printf (_("Certificate “%1$s”, %2$s, thumbprint %3$s"),
                            meta->friendly_name, subject, thumbprint);
  else
    /* Translators: %1$s is a certificate's subject, %2$s its thumbprint */
    text = g_strdup_printf (_("Certificate %1$s, thumbprint %2$s"), subject, thumbprint);
  gtk_label_set_text (self->cert_label, text);

  /* Certwiz's own rule: a key not marked exportable never leaves the store */
  key_id = certreq_certificate_get_key_id (certificate);
  has_key = certreq_store_has_key_for (store, certificate);
  exportable = has_key && key_id != NULL && certreq_store_key_is_exportable (store, key_id);
  if (!exportable)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->pfx_radio), FALSE);
      gtk_toggle_button_set_active (self->pem_radio, TRUE);
      gtk_label_set_text (self->key_label,
                          has_key
                          ? _("PFX is not available: the private key is not marked exportable.")
                          : _("PFX is not available: the store has no private key for this "
                              "certificate."));
      gtk_widget_show (GTK_WIDGET (self->key_label));
    }

  dir = default_directory ();
  file = g_strconcat (meta != NULL && meta->friendly_name != NULL && *meta->friendly_name != '\0'
                        ? meta->friendly_name : thumbprint,
                      format_extension (get_format (self)), NULL);
  g_strdelimit (file, "/\\:", '_');
  path = g_build_filename (dir, file, NULL);
  gtk_entry_set_text (self->file_entry, path);
  on_format_toggled (self);
  gtk_widget_grab_default (self->export_button);

  return GTK_WIDGET (self);
}
