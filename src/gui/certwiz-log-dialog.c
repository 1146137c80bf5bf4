/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "certwiz-log-dialog.h"

struct _CertwizLogDialog
{
  GtkDialog     parent_instance;

  GtkLabel     *path_label;
  GtkTextView  *text_view;

  char         *path;
  GCancellable *cancellable;
};

G_DEFINE_TYPE (CertwizLogDialog, certwiz_log_dialog, GTK_TYPE_DIALOG)

enum
{
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_log_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CertwizLogDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GtkTextBuffer *buffer;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        /* Translators: %s is a log file in the store's log/, which only root may read;
         * "sudo less" is a command and stays as it is */
        contents = g_strdup_printf (_("Logs are kept where only an administrator can read "
                                      "them. To read this one, run:\n\n  sudo less %s"),
                                    self->path);
      else
        contents = g_strdup (error->message);
      length = strlen (contents);
    }

  buffer = gtk_text_view_get_buffer (self->text_view);
  if (!g_utf8_validate (contents, length, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (contents, length);

      gtk_text_buffer_set_text (buffer, valid, -1);
    }
  else
    gtk_text_buffer_set_text (buffer, contents, length);
}

static void
certwiz_log_dialog_constructed (GObject *object)
{
  CertwizLogDialog *self = CERTWIZ_LOG_DIALOG (object);
  g_autoptr(GFile) file = NULL;

  G_OBJECT_CLASS (certwiz_log_dialog_parent_class)->constructed (object);

  gtk_label_set_text (self->path_label, self->path != NULL ? self->path : "");
  if (self->path == NULL)
    return;

  file = g_file_new_for_path (self->path);
  g_file_load_contents_async (file, self->cancellable, on_log_loaded, g_object_ref (self));
}

static void
certwiz_log_dialog_dispose (GObject *object)
{
  CertwizLogDialog *self = CERTWIZ_LOG_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (certwiz_log_dialog_parent_class)->dispose (object);
}

static void
certwiz_log_dialog_finalize (GObject *object)
{
  CertwizLogDialog *self = CERTWIZ_LOG_DIALOG (object);

  g_free (self->path);

  G_OBJECT_CLASS (certwiz_log_dialog_parent_class)->finalize (object);
}

static void
certwiz_log_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CertwizLogDialog *self = CERTWIZ_LOG_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_log_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CertwizLogDialog *self = CERTWIZ_LOG_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_log_dialog_response (GtkDialog *dialog,
                             int        response)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
certwiz_log_dialog_class_init (CertwizLogDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkDialogClass *dialog_class = GTK_DIALOG_CLASS (klass);

  object_class->constructed = certwiz_log_dialog_constructed;
  object_class->dispose = certwiz_log_dialog_dispose;
  object_class->finalize = certwiz_log_dialog_finalize;
  object_class->set_property = certwiz_log_dialog_set_property;
  object_class->get_property = certwiz_log_dialog_get_property;
  dialog_class->response = certwiz_log_dialog_response;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-log-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizLogDialog, path_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizLogDialog, text_view);
}

static void
certwiz_log_dialog_init (CertwizLogDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
certwiz_log_dialog_new (GtkWindow  *parent,
                        const char *path)
{
  return g_object_new (CERTWIZ_TYPE_LOG_DIALOG,
                       "transient-for", parent,
                       "use-header-bar", FALSE,
                       "path", path,
                       NULL);
}
