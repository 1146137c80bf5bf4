/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/crypto.h>
#include <string.h>

#include "certwiz-ca-page.h"
#include "certwiz-cas-dialog.h"
#include "certwiz-runner.h"

#define PROTOCOL_DETECT "detect"

enum
{
  COL_NAME,
  COL_PROTOCOL,
  COL_URL,
};

struct _CertwizCasDialog
{
  GtkDialog         parent_instance;

  GtkListStore     *cas_store;
  GtkTreeSelection *cas_selection;
  GtkButton        *remove_button;
  GtkButton        *save_button;
  GtkGrid          *form_grid;
  GtkLabel         *status_label;
  GtkLabel         *problem_label;

  GtkEntry         *name_entry;
  GtkComboBoxText  *protocol_combo;
  GtkEntry         *url_entry;
  GtkEntry         *trust_bundle_entry;
  GtkEntry         *contact_entry;
  GtkEntry         *eab_kid_entry;
  GtkEntry         *eab_hmac_file_entry;
  GtkEntry         *http01_entry;
  GtkEntry         *dns01_hook_entry;
  GtkLabel         *template_label;
  GtkEntry         *template_entry;
  GtkComboBoxText  *auth_combo;
  GtkEntry         *username_entry;
  GtkEntry         *password_file_entry;
  GtkEntry         *client_cert_entry;
  GtkEntry         *client_key_entry;
  GtkEntry         *challenge_file_entry;
  GtkEntry         *secret_entry;

  CertreqStore     *store;
  GCancellable     *busy;        /* detection or saving; cancelled when the dialog goes */
  char             *removing;    /* the name being removed */
  gboolean          have_secret_service;
  gboolean          loading;
};

G_DEFINE_TYPE (CertwizCasDialog, certwiz_cas_dialog, GTK_TYPE_DIALOG)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Helpers ---- */

static char *
entry_value (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (entry)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
show_problem (CertwizCasDialog *self,
              const char       *message)
{
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static void
show_status (CertwizCasDialog *self,
             const char       *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

/* The accessible name of each field is its label's text (AT-SPI tests, screen readers) */
static void
name_controls (GtkWidget *widget,
               gpointer   user_data)
{
  if (GTK_IS_LABEL (widget))
    {
      GtkWidget *target = gtk_label_get_mnemonic_widget (GTK_LABEL (widget));

      if (target != NULL && target != gtk_widget_get_parent (widget))
        atk_object_set_name (gtk_widget_get_accessible (target),
                             gtk_label_get_text (GTK_LABEL (widget)));
    }
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_foreach (GTK_CONTAINER (widget), name_controls, user_data);
}

/* A field and its label, shown or hidden together */
static void
show_field (CertwizCasDialog *self,
            gpointer          widget,
            gboolean          visible)
{
  GtkWidget *label = NULL;
  GList *labels = gtk_widget_list_mnemonic_labels (GTK_WIDGET (widget));

  if (labels != NULL)
    label = labels->data;
  g_list_free (labels);
  gtk_widget_set_visible (GTK_WIDGET (widget), visible);
  if (label != NULL)
    gtk_widget_set_visible (label, visible);
}

static gboolean
get_protocol (CertwizCasDialog  *self,
              CertreqCaProtocol *out_protocol)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->protocol_combo));

  return id != NULL && !g_str_equal (id, PROTOCOL_DETECT) &&
         certreq_ca_protocol_from_id (id, out_protocol);
}

/* The fields that make sense for the protocol chosen (all of them while it is detected) */
static void
update_fields (CertwizCasDialog *self)
{
  CertreqCaProtocol protocol;
  gboolean known = get_protocol (self, &protocol);
  gboolean acme = !known || protocol == CERTREQ_CA_PROTOCOL_ACME;
  gboolean http = !known || protocol == CERTREQ_CA_PROTOCOL_ADCS ||
                  protocol == CERTREQ_CA_PROTOCOL_EST;
  gboolean scep = !known || protocol == CERTREQ_CA_PROTOCOL_SCEP;
  const char *auth = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->auth_combo));
  gboolean with_password = auth != NULL && (g_str_equal (auth, "basic") ||
                                            g_str_equal (auth, "ntlm"));
  gboolean with_cert = auth != NULL && g_str_equal (auth, "cert");

  show_field (self, self->contact_entry, acme);
  show_field (self, self->eab_kid_entry, acme);
  show_field (self, self->eab_hmac_file_entry, acme);
  show_field (self, self->http01_entry, acme);
  show_field (self, self->dns01_hook_entry, acme);
  show_field (self, self->template_entry, http);
  show_field (self, self->auth_combo, http);
  show_field (self, self->username_entry, http && with_password);
  show_field (self, self->password_file_entry, http && with_password);
  show_field (self, self->client_cert_entry, http && with_cert);
  show_field (self, self->client_key_entry, http && with_cert);
  show_field (self, self->challenge_file_entry, scep);
  show_field (self, self->secret_entry, scep || (http && with_password));

  gtk_label_set_text_with_mnemonic (self->template_label,
                                    known && protocol == CERTREQ_CA_PROTOCOL_EST
                                    ? _("EST _label") : _("Certificate te_mplate"));
  name_controls (GTK_WIDGET (self->form_grid), NULL);
}

/* The form as a configuration; hidden fields are left out */
static CertreqCaConfig *
config_from_form (CertwizCasDialog *self)
{
  CertreqCaConfig *config = certreq_ca_config_new ();
  const char *auth = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->auth_combo));

#define VISIBLE_VALUE(entry) \
  (gtk_widget_get_visible (GTK_WIDGET (entry)) ? entry_value (entry) : NULL)

  config->name = entry_value (self->name_entry);
  if (!get_protocol (self, &config->protocol))
    config->protocol = CERTREQ_CA_PROTOCOL_ACME;
  config->url = entry_value (self->url_entry);
  config->trust_bundle = entry_value (self->trust_bundle_entry);
  config->contact = VISIBLE_VALUE (self->contact_entry);
  config->eab_kid = VISIBLE_VALUE (self->eab_kid_entry);
  config->eab_hmac_file = VISIBLE_VALUE (self->eab_hmac_file_entry);
  config->http01 = VISIBLE_VALUE (self->http01_entry);
  config->dns01_hook = VISIBLE_VALUE (self->dns01_hook_entry);
  config->template_name = VISIBLE_VALUE (self->template_entry);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->auth_combo)) || auth == NULL ||
      !certreq_ca_auth_from_id (auth, &config->auth))
    config->auth = CERTREQ_HTTP_AUTH_NONE;
  config->username = VISIBLE_VALUE (self->username_entry);
  config->password_file = VISIBLE_VALUE (self->password_file_entry);
  config->client_cert = VISIBLE_VALUE (self->client_cert_entry);
  config->client_key = VISIBLE_VALUE (self->client_key_entry);
  config->challenge_password_file = VISIBLE_VALUE (self->challenge_file_entry);
#undef VISIBLE_VALUE

  return config;
}

/* The core's word on the form; while the protocol is still to be detected, the name and
 * the URL's form only (SCEP's rules admit http and https alike) */
static gboolean
validate_form (CertwizCasDialog  *self,
               GError           **error)
{
  g_autoptr(CertreqCaConfig) config = config_from_form (self);
  CertreqCaProtocol protocol;

  if (!get_protocol (self, &protocol))
    {
      g_autoptr(CertreqCaConfig) check = certreq_ca_config_new ();

      check->name = g_strdup (config->name);
      check->protocol = CERTREQ_CA_PROTOCOL_SCEP;
      check->url = g_strdup (config->url);
      return certreq_ca_config_validate (check, error);
    }
  return certreq_ca_config_validate (config, error);
}

static void
on_form_changed (CertwizCasDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;
  update_fields (self);
  show_status (self, NULL);
  show_problem (self, validate_form (self, &error) ? NULL : error->message);
}

static void
set_entry (GtkEntry   *entry,
           const char *text)
{
  gtk_entry_set_text (entry, text != NULL ? text : "");
}

static void
load_form (CertwizCasDialog      *self,
           const CertreqCaConfig *config)
{
  self->loading = TRUE;
  set_entry (self->name_entry, config != NULL ? config->name : NULL);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->protocol_combo),
                               config != NULL ? certreq_ca_protocol_to_id (config->protocol)
                                              : PROTOCOL_DETECT);
  set_entry (self->url_entry, config != NULL ? config->url : NULL);
  set_entry (self->trust_bundle_entry, config != NULL ? config->trust_bundle : NULL);
  set_entry (self->contact_entry, config != NULL ? config->contact : NULL);
  set_entry (self->eab_kid_entry, config != NULL ? config->eab_kid : NULL);
  set_entry (self->eab_hmac_file_entry, config != NULL ? config->eab_hmac_file : NULL);
  set_entry (self->http01_entry, config != NULL ? config->http01 : NULL);
  set_entry (self->dns01_hook_entry, config != NULL ? config->dns01_hook : NULL);
  set_entry (self->template_entry, config != NULL ? config->template_name : NULL);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->auth_combo),
                               certreq_ca_auth_to_id (config != NULL ? config->auth
                                                                     : CERTREQ_HTTP_AUTH_NONE));
  set_entry (self->username_entry, config != NULL ? config->username : NULL);
  set_entry (self->password_file_entry, config != NULL ? config->password_file : NULL);
  set_entry (self->client_cert_entry, config != NULL ? config->client_cert : NULL);
  set_entry (self->client_key_entry, config != NULL ? config->client_key : NULL);
  set_entry (self->challenge_file_entry,
             config != NULL ? config->challenge_password_file : NULL);
  set_entry (self->secret_entry, NULL);
  self->loading = FALSE;

  update_fields (self);
  show_problem (self, NULL);
}

static char *
get_selected_name (CertwizCasDialog *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  char *name = NULL;

  if (gtk_tree_selection_get_selected (self->cas_selection, &model, &iter))
    gtk_tree_model_get (model, &iter, COL_NAME, &name, -1);
  return name;
}

static void
fill_list (CertwizCasDialog *self,
           const char       *select)
{
  g_autoptr(GPtrArray) cas = NULL;
  g_autoptr(GError) error = NULL;

  gtk_list_store_clear (self->cas_store);
  cas = certreq_store_list_cas (self->store, &error);
  if (cas == NULL)
    {
      show_problem (self, error->message);
      return;
    }
  for (guint i = 0; i < cas->len; i++)
    {
      const CertreqCaConfig *config = g_ptr_array_index (cas, i);
      GtkTreeIter iter;

      gtk_list_store_insert_with_values (self->cas_store, &iter, -1,
                                         COL_NAME, config->name,
                                         COL_PROTOCOL,
                                         certreq_ca_protocol_get_label (config->protocol),
                                         COL_URL, config->url,
                                         -1);
      if (g_strcmp0 (config->name, select) == 0)
        gtk_tree_selection_select_iter (self->cas_selection, &iter);
    }
}

static void
on_selection_changed (CertwizCasDialog *self)
{
  g_autofree char *name = get_selected_name (self);
  g_autoptr(CertreqCaConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button),
                            name != NULL && self->busy == NULL);
  if (name == NULL)
    return;
  config = certreq_store_get_ca (self->store, name, &error);
  if (config == NULL)
    {
      show_problem (self, error->message);
      return;
    }
  load_form (self, config);
  show_status (self, NULL);
}

static void
on_new_clicked (CertwizCasDialog *self)
{
  gtk_tree_selection_unselect_all (self->cas_selection);
  load_form (self, NULL);
  show_status (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
set_busy (CertwizCasDialog *self,
          gboolean          busy)
{
  if (busy)
    {
      g_clear_object (&self->busy);
      self->busy = g_cancellable_new ();
    }
  else
    g_clear_object (&self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button),
                            !busy && gtk_tree_selection_count_selected_rows (self->cas_selection) > 0);
}

/* ---- Saving: detect the protocol (when asked to), validate, save, keep the password ---- */

typedef struct
{
  CertwizCasDialog *self;     /* owned */
  CertreqCaConfig  *config;
  gboolean          detect;
  char             *secret;   /* wiped */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->self);
  certreq_ca_config_free (data->config);
  if (data->secret != NULL)
    OPENSSL_cleanse (data->secret, strlen (data->secret));
  g_free (data->secret);
  g_free (data);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveData *data = user_data;
  CertwizCasDialog *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean saved;

  saved = certwiz_runner_set_ca_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)),
                                        result, &error);
  if (self->busy == NULL || g_cancellable_is_cancelled (self->busy))
    {
      save_data_free (data);
      return;   /* the dialog went away */
    }
  set_busy (self, FALSE);
  if (!saved)
    {
      show_problem (self, error->message);
      save_data_free (data);
      return;
    }

  /* The password into the session's keyring, under the CA's name */
  if (data->secret != NULL)
    {
      CertreqCaSecret kind = data->config->protocol == CERTREQ_CA_PROTOCOL_SCEP
                             ? CERTREQ_CA_SECRET_CHALLENGE_PASSWORD
                             : CERTREQ_CA_SECRET_PASSWORD;

      if (!certreq_ca_config_store_secret (data->config, kind, data->secret, &error))
        show_problem (self, error->message);
    }

  fill_list (self, data->config->name);
  if (error == NULL)
    show_problem (self, NULL);
  /* Translators: %1$s is the CA's name, %2$s its protocol such as "ACME (RFC 8555)" */
  text = g_strdup_printf (_("Saved the certification authority “%1$s” (%2$s)."),
                          data->config->name,
                          certreq_ca_protocol_get_label (data->config->protocol));
  show_status (self, text);
  save_data_free (data);
}

static void
save_config (SaveData *data)
{
  CertwizCasDialog *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!certreq_ca_config_validate (data->config, &error))
    {
      set_busy (self, FALSE);
      show_problem (self, error->message);
      save_data_free (data);
      return;
    }
  certwiz_runner_set_ca_async (certwiz_runner_get_for_store (self->store), data->config,
                               self->busy, on_saved, data);
}

static void
detect_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (certreq_ca_detect_protocol (data->config->url, data->config->trust_bundle,
                                  &data->config->protocol, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_detected (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CertwizCasDialog *self = CERTWIZ_CAS_DIALOG (source);
  SaveData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          show_problem (self, error->message);
        }
      return;
    }

  /* What was found shows in the form; the task keeps its data, so copy it */
  {
    SaveData *copy = g_new0 (SaveData, 1);

    self->loading = TRUE;
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->protocol_combo),
                                 certreq_ca_protocol_to_id (data->config->protocol));
    self->loading = FALSE;
    update_fields (self);
    copy->self = g_object_ref (self);
    /* The fields of the detected protocol only */
    copy->config = config_from_form (self);
    copy->secret = g_steal_pointer (&data->secret);
    save_config (copy);
  }
}

static void
save_data_free_task (gpointer data)
{
  save_data_free (data);
}

static void
on_save_clicked (CertwizCasDialog *self)
{
  g_autoptr(GError) error = NULL;
  CertreqCaProtocol protocol;
  SaveData *data;

  if (self->busy != NULL)
    return;
  show_status (self, NULL);
  if (!validate_form (self, &error))
    {
      show_problem (self, error->message);
      return;
    }

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->config = config_from_form (self);
  data->secret = gtk_widget_get_visible (GTK_WIDGET (self->secret_entry)) &&
                 *gtk_entry_get_text (self->secret_entry) != '\0'
                 ? g_strdup (gtk_entry_get_text (self->secret_entry)) : NULL;
  set_busy (self, TRUE);

  if (get_protocol (self, &protocol))
    {
      save_config (data);
      return;
    }

  /* Ask the CA which protocol it speaks first, in a worker */
  {
    g_autoptr(GTask) task = g_task_new (self, self->busy, on_detected, NULL);

    show_status (self, _("Asking the certification authority which protocol it speaks…"));
    g_task_set_source_tag (task, on_save_clicked);
    g_task_set_task_data (task, data, save_data_free_task);
    g_task_run_in_thread (task, detect_thread);
  }
}

/* ---- Removing ---- */

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CertwizCasDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean removed;

  removed = certwiz_runner_remove_ca_finish (
    certwiz_runner_get_for_store (CERTREQ_STORE (source)), result, &error);
  if (self->busy == NULL || g_cancellable_is_cancelled (self->busy))
    return;
  set_busy (self, FALSE);
  if (!removed)
    {
      show_problem (self, error->message);
      return;
    }
  fill_list (self, NULL);
  load_form (self, NULL);
  /* Translators: %s is the CA's name */
  text = g_strdup_printf (_("Removed the certification authority “%s”. Its certificates and "
                            "pending requests stay in the store."), self->removing);
  show_status (self, text);
}

static void
on_remove_clicked (CertwizCasDialog *self)
{
  g_autofree char *name = get_selected_name (self);

  if (name == NULL || self->busy != NULL)
    return;
  set_busy (self, TRUE);
  show_status (self, NULL);
  g_free (self->removing);
  self->removing = g_strdup (name);
  certwiz_runner_remove_ca_async (certwiz_runner_get_for_store (self->store), name, self->busy,
                                  on_removed, g_object_ref (self));
}

/* ---- GObject ---- */

static void
certwiz_cas_dialog_constructed (GObject *object)
{
  CertwizCasDialog *self = CERTWIZ_CAS_DIALOG (object);

  G_OBJECT_CLASS (certwiz_cas_dialog_parent_class)->constructed (object);

  fill_list (self, NULL);
  load_form (self, NULL);
}

static void
certwiz_cas_dialog_dispose (GObject *object)
{
  CertwizCasDialog *self = CERTWIZ_CAS_DIALOG (object);

  if (self->busy != NULL)
    g_cancellable_cancel (self->busy);
  g_clear_object (&self->busy);
  g_clear_object (&self->store);
  g_clear_pointer (&self->removing, g_free);

  G_OBJECT_CLASS (certwiz_cas_dialog_parent_class)->dispose (object);
}

static void
certwiz_cas_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CertwizCasDialog *self = CERTWIZ_CAS_DIALOG (object);

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
certwiz_cas_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CertwizCasDialog *self = CERTWIZ_CAS_DIALOG (object);

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
certwiz_cas_dialog_class_init (CertwizCasDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = certwiz_cas_dialog_constructed;
  object_class->dispose = certwiz_cas_dialog_dispose;
  object_class->set_property = certwiz_cas_dialog_set_property;
  object_class->get_property = certwiz_cas_dialog_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CERTREQ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-cas-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CertwizCasDialog, name)
  BIND (cas_store);
  BIND (cas_selection);
  BIND (remove_button);
  BIND (save_button);
  BIND (form_grid);
  BIND (status_label);
  BIND (problem_label);
  BIND (name_entry);
  BIND (protocol_combo);
  BIND (url_entry);
  BIND (trust_bundle_entry);
  BIND (contact_entry);
  BIND (eab_kid_entry);
  BIND (eab_hmac_file_entry);
  BIND (http01_entry);
  BIND (dns01_hook_entry);
  BIND (template_label);
  BIND (template_entry);
  BIND (auth_combo);
  BIND (username_entry);
  BIND (password_file_entry);
  BIND (client_cert_entry);
  BIND (client_key_entry);
  BIND (challenge_file_entry);
  BIND (secret_entry);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
}

static void
certwiz_cas_dialog_init (CertwizCasDialog *self)
{
  static const CertreqCaProtocol protocols[] = {
    CERTREQ_CA_PROTOCOL_ACME, CERTREQ_CA_PROTOCOL_SCEP, CERTREQ_CA_PROTOCOL_ADCS,
    CERTREQ_CA_PROTOCOL_EST,
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->loading = TRUE;
  gtk_combo_box_text_append (self->protocol_combo, PROTOCOL_DETECT,
                             _("Detect from the URL"));
  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    gtk_combo_box_text_append (self->protocol_combo, certreq_ca_protocol_to_id (protocols[i]),
                               certreq_ca_protocol_get_label (protocols[i]));
  gtk_combo_box_text_append (self->auth_combo, "none", _("None"));
  gtk_combo_box_text_append (self->auth_combo, "basic", _("User name and password (Basic)"));
  gtk_combo_box_text_append (self->auth_combo, "ntlm", _("User name and password (NTLM)"));
  gtk_combo_box_text_append (self->auth_combo, "negotiate", _("Kerberos (Negotiate)"));
  gtk_combo_box_text_append (self->auth_combo, "cert", _("TLS client certificate"));
  self->loading = FALSE;

  self->have_secret_service = certwiz_ca_session_has_secret_service ();
  if (!self->have_secret_service)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->secret_entry), FALSE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->secret_entry),
                                   _("This session has no keyring (Secret Service) to keep "
                                     "the password in; name a file only you can read "
                                     "instead."));
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->secret_entry),
                                 _("Kept in this session's keyring (Secret Service) under the "
                                   "certification authority's name, never in the store."));
  gtk_widget_grab_default (GTK_WIDGET (self->save_button));
}

GtkWidget *
certwiz_cas_dialog_new (GtkWindow    *parent,
                        CertreqStore *store)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  return g_object_new (CERTWIZ_TYPE_CAS_DIALOG,
                       "store", store,
                       "transient-for", parent,
                       "use-header-bar", FALSE,
                       NULL);
}
