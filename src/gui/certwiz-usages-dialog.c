/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "certwiz-runner.h"
#include "certwiz-usages-dialog.h"

struct _CertwizUsagesDialog
{
  GtkDialog        parent_instance;

  GtkComboBoxText *usage_combo;
  GtkEntry        *target_dir_entry;
  GtkEntry        *cert_path_entry;
  GtkEntry        *key_path_entry;
  GtkEntry        *chain_path_entry;
  GtkEntry        *fullchain_path_entry;
  GtkToggleButton *copy_check;
  GtkEntry        *owner_entry;
  GtkEntry        *group_entry;
  GtkEntry        *mode_entry;
  GtkEntry        *reload_entry;
  GtkEntry        *check_entry;
  GtkLabel        *problem_label;
  GtkWidget       *save_button;

  CertreqStore    *store;
  gboolean         loading;
  GCancellable    *saving;     /* while a change is being saved; cancelled when the dialog goes */
};

G_DEFINE_TYPE (CertwizUsagesDialog, certwiz_usages_dialog, GTK_TYPE_DIALOG)

static void
show_problem (CertwizUsagesDialog *self,
              const char          *message)
{
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static gboolean
get_usage (CertwizUsagesDialog *self,
           CertreqUsage        *out_usage)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->usage_combo));

  return id != NULL && certreq_usage_from_id (id, out_usage);
}

static void
set_entry (GtkEntry   *entry,
           const char *text)
{
  gtk_entry_set_text (entry, text != NULL ? text : "");
}

static char *
dup_entry (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (entry)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
load (CertwizUsagesDialog *self)
{
  g_autoptr(CertreqUsageConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  g_autoptr(GString) reload = g_string_new (NULL);
  CertreqUsage usage;

  if (!get_usage (self, &usage))
    return;

  config = certreq_store_get_usage_config (self->store, usage, &error);
  self->loading = TRUE;
  show_problem (self, error != NULL ? error->message : NULL);
  if (config == NULL)
    config = certreq_usage_config_new ();

  for (guint i = 0; config->reload_argv != NULL && config->reload_argv[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (config->reload_argv[i]);
      const char *arg = config->reload_argv[i];
      gboolean plain = *arg != '\0' && strpbrk (arg, " \t\n'\"\\$`*?[]#~=%|&;<>(){}") == NULL;

      if (reload->len > 0)
        g_string_append_c (reload, ' ');
      g_string_append (reload, plain ? arg : quoted);
    }
  if (config->mode != 0)
    mode = g_strdup_printf ("%04o", config->mode);

  set_entry (self->target_dir_entry, config->target_dir);
  set_entry (self->cert_path_entry, config->cert_path);
  set_entry (self->key_path_entry, config->key_path);
  set_entry (self->chain_path_entry, config->chain_path);
  set_entry (self->fullchain_path_entry, config->fullchain_path);
  gtk_toggle_button_set_active (self->copy_check, config->copy);
  set_entry (self->owner_entry, config->owner);
  set_entry (self->group_entry, config->group);
  set_entry (self->mode_entry, mode);
  set_entry (self->reload_entry, reload->str);
  set_entry (self->check_entry, config->check);
  gtk_widget_set_sensitive (self->save_button, FALSE);
  self->loading = FALSE;
}

static void
on_usage_changed (CertwizUsagesDialog *self)
{
  load (self);
}

static void
on_entry_changed (CertwizUsagesDialog *self)
{
  if (self->loading)
    return;
  show_problem (self, NULL);
  gtk_widget_set_sensitive (self->save_button,
                            certwiz_runner_can_change (certwiz_runner_get_for_store (self->store)));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CertwizUsagesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = certwiz_runner_set_usage_config_finish (
    certwiz_runner_get_for_store (CERTREQ_STORE (source)), result, &error);
  if (self->saving == NULL || g_cancellable_is_cancelled (self->saving))
    return;   /* the dialog went away */
  g_clear_object (&self->saving);
  if (!saved)
    {
      gtk_widget_set_sensitive (self->save_button, TRUE);
      show_problem (self, error->message);
      return;
    }

  load (self);
}

static void
on_save_clicked (CertwizUsagesDialog *self)
{
  g_autoptr(CertreqUsageConfig) config = certreq_usage_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = dup_entry (self->mode_entry);
  g_autofree char *reload = dup_entry (self->reload_entry);
  CertreqUsage usage;

  if (!get_usage (self, &usage) || self->saving != NULL)
    return;

  config->target_dir = dup_entry (self->target_dir_entry);
  config->cert_path = dup_entry (self->cert_path_entry);
  config->key_path = dup_entry (self->key_path_entry);
  config->chain_path = dup_entry (self->chain_path_entry);
  config->fullchain_path = dup_entry (self->fullchain_path_entry);
  config->copy = gtk_toggle_button_get_active (self->copy_check);
  config->owner = dup_entry (self->owner_entry);
  config->group = dup_entry (self->group_entry);
  config->check = dup_entry (self->check_entry);

  if (mode != NULL)
    {
      guint64 value = 0;

      /* Reading octal digits is the dialog's job; which modes are allowed is the core's */
      if (!g_ascii_string_to_unsigned (mode, 8, 0, 07777, &value, NULL))
        {
          show_problem (self, _("Enter the mode as octal digits, for example 0640."));
          gtk_widget_grab_focus (GTK_WIDGET (self->mode_entry));
          return;
        }
      config->mode = (guint) value;
    }

  /* Split like a shell would, but nothing runs a shell: the core runs the argv itself */
  if (reload != NULL && !g_shell_parse_argv (reload, NULL, &config->reload_argv, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what is wrong with the quoting */
      message = g_strdup_printf (_("The reload command cannot be read: %s"), error->message);
      show_problem (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->reload_entry));
      return;
    }

  /* In this process, or through the privileged helper for the machine's store */
  self->saving = g_cancellable_new ();
  gtk_widget_set_sensitive (self->save_button, FALSE);
  certwiz_runner_set_usage_config_async (certwiz_runner_get_for_store (self->store), usage,
                                         config, self->saving, on_saved, g_object_ref (self));
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
certwiz_usages_dialog_dispose (GObject *object)
{
  CertwizUsagesDialog *self = CERTWIZ_USAGES_DIALOG (object);

  g_cancellable_cancel (self->saving);
  g_clear_object (&self->saving);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (certwiz_usages_dialog_parent_class)->dispose (object);
}

static void
certwiz_usages_dialog_class_init (CertwizUsagesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = certwiz_usages_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-usages-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, usage_combo);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, target_dir_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, cert_path_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, key_path_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, chain_path_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, fullchain_path_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, copy_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, owner_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, group_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, mode_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, reload_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, check_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizUsagesDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_usage_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
}

static void
certwiz_usages_dialog_init (CertwizUsagesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
certwiz_usages_dialog_new (GtkWindow    *parent,
                           CertreqStore *store,
                           CertreqUsage  usage)
{
  CertwizUsagesDialog *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  self = g_object_new (CERTWIZ_TYPE_USAGES_DIALOG,
                       "transient-for", parent,
                       "use-header-bar", FALSE,
                       NULL);
  self->store = g_object_ref (store);

  for (CertreqUsage u = CERTREQ_USAGE_DEFAULT; u < CERTREQ_N_USAGES; u++)
    gtk_combo_box_text_append (self->usage_combo, certreq_usage_to_id (u),
                               certreq_usage_get_label (u));
  /* Loads the usage's configuration through on_usage_changed */
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->usage_combo), certreq_usage_to_id (usage));
  if (!certwiz_runner_can_change (certwiz_runner_get_for_store (store)))
    show_problem (self, _("The store is read-only: you may look at the settings but not change "
                          "them."));
  gtk_widget_grab_default (self->save_button);

  return GTK_WIDGET (self);
}
