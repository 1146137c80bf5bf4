/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-runner.h"
#include "certwiz-server-dialog.h"

struct _CertwizServerDialog
{
  GtkDialog      parent_instance;

  GtkEntry      *fqdn_entry;
  GtkEntry      *pool_entry;
  GtkEntry      *web_internal_entry;
  GtkEntry      *web_external_entry;
  GtkEntry      *sip_domains_entry;
  GtkEntry      *simple_urls_entry;
  GtkLabel      *problem_label;
  GtkButton     *save_button;

  CertreqStore  *store;
  CertreqServer *server;   /* the profile being edited; NULL when it could not be read */
  GCancellable  *saving;   /* while the profile is being saved; cancelled when the dialog goes */
};

G_DEFINE_TYPE (CertwizServerDialog, certwiz_server_dialog, GTK_TYPE_DIALOG)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "a.example.com, b.example.com" -> { "a.example.com", "b.example.com", NULL } */
static char **
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (parts[i]);

      if (*item != '\0')
        g_ptr_array_add (list, g_strdup (item));
    }
  g_ptr_array_add (list, NULL);

  return (char **) g_ptr_array_free (list, FALSE);
}

static char *
join_list (const char * const *items)
{
  return g_strjoinv (", ", (char **) items);
}

static void
show_problem (CertwizServerDialog *self,
              const char          *message)
{
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

/* Copies the entries into the profile; the core decides whether it is valid (R6) */
static gboolean
update_server (CertwizServerDialog  *self,
               GError              **error)
{
  g_auto(GStrv) sip_domains = split_list (gtk_entry_get_text (self->sip_domains_entry));
  g_auto(GStrv) simple_urls = split_list (gtk_entry_get_text (self->simple_urls_entry));
  g_autofree char *fqdn = g_strstrip (g_strdup (gtk_entry_get_text (self->fqdn_entry)));
  g_autofree char *pool = g_strstrip (g_strdup (gtk_entry_get_text (self->pool_entry)));
  g_autofree char *web_int = g_strstrip (g_strdup (gtk_entry_get_text (self->web_internal_entry)));
  g_autofree char *web_ext = g_strstrip (g_strdup (gtk_entry_get_text (self->web_external_entry)));

  certreq_server_set_fqdn (self->server, fqdn);
  certreq_server_set_pool_fqdn (self->server, *pool != '\0' ? pool : NULL);
  certreq_server_set_web_internal_fqdn (self->server, *web_int != '\0' ? web_int : NULL);
  certreq_server_set_web_external_fqdn (self->server, *web_ext != '\0' ? web_ext : NULL);
  certreq_server_set_sip_domains (self->server, (const char * const *) sip_domains);
  certreq_server_set_simple_urls (self->server, (const char * const *) simple_urls);

  return certreq_server_validate (self->server, error);
}

static void
on_entry_changed (CertwizServerDialog *self)
{
  g_autoptr(GError) error = NULL;
  gboolean valid;

  if (self->server == NULL)
    return;

  valid = update_server (self, &error);
  show_problem (self, valid ? NULL : error->message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), valid);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CertwizServerDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = certwiz_runner_save_server_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)),
                                             result, &error);
  if (self->saving == NULL || g_cancellable_is_cancelled (self->saving))
    return;   /* the dialog went away */
  g_clear_object (&self->saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
  if (!saved)
    {
      show_problem (self, error->message);
      return;
    }

  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
}

static void
on_save_clicked (CertwizServerDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (self->server == NULL || self->saving != NULL)
    return;

  if (!update_server (self, &error))
    {
      show_problem (self, error->message);
      return;
    }

  /* In this process, or through the privileged helper for the machine's store */
  self->saving = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  certwiz_runner_save_server_async (certwiz_runner_get_for_store (self->store), self->server,
                                    self->saving, on_saved, g_object_ref (self));
}

static void
load_server (CertwizServerDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sip_domains = NULL;
  g_autofree char *simple_urls = NULL;
  CertreqServer *server;

  server = certreq_store_load_server (self->store, &error);
  if (server == NULL)
    {
      show_problem (self, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      return;
    }

  sip_domains = join_list (certreq_server_get_sip_domains (server));
  simple_urls = join_list (certreq_server_get_simple_urls (server));

  /* Fill the entries before taking the profile, so that "changed" does not rewrite it
   * half-filled */
  gtk_entry_set_text (self->fqdn_entry, certreq_server_get_fqdn (server) ?: "");
  gtk_entry_set_text (self->pool_entry, certreq_server_get_pool_fqdn (server) ?: "");
  gtk_entry_set_text (self->web_internal_entry,
                      certreq_server_get_web_internal_fqdn (server) ?: "");
  gtk_entry_set_text (self->web_external_entry,
                      certreq_server_get_web_external_fqdn (server) ?: "");
  gtk_entry_set_text (self->sip_domains_entry, sip_domains);
  gtk_entry_set_text (self->simple_urls_entry, simple_urls);

  self->server = server;
  on_entry_changed (self);
}

static void
certwiz_server_dialog_constructed (GObject *object)
{
  CertwizServerDialog *self = CERTWIZ_SERVER_DIALOG (object);

  G_OBJECT_CLASS (certwiz_server_dialog_parent_class)->constructed (object);

  if (self->store != NULL)
    load_server (self);
}

static void
certwiz_server_dialog_dispose (GObject *object)
{
  CertwizServerDialog *self = CERTWIZ_SERVER_DIALOG (object);

  g_clear_object (&self->server);
  g_cancellable_cancel (self->saving);
  g_clear_object (&self->saving);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (certwiz_server_dialog_parent_class)->dispose (object);
}

static void
certwiz_server_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CertwizServerDialog *self = CERTWIZ_SERVER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_server_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CertwizServerDialog *self = CERTWIZ_SERVER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_server_dialog_class_init (CertwizServerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = certwiz_server_dialog_constructed;
  object_class->dispose = certwiz_server_dialog_dispose;
  object_class->set_property = certwiz_server_dialog_set_property;
  object_class->get_property = certwiz_server_dialog_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CERTREQ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-server-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, fqdn_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, pool_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, web_internal_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, web_external_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, sip_domains_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, simple_urls_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizServerDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
}

static void
certwiz_server_dialog_init (CertwizServerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_grab_default (GTK_WIDGET (self->save_button));
}

GtkWidget *
certwiz_server_dialog_new (GtkWindow    *parent,
                           CertreqStore *store)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  return g_object_new (CERTWIZ_TYPE_SERVER_DIALOG,
                       "store", store,
                       "transient-for", parent,
                       "use-header-bar", FALSE,
                       NULL);
}
