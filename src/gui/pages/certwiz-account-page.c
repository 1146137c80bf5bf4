/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/crypto.h>
#include <string.h>

#include "certwiz-account-page.h"
#include "certwiz-ca-page.h"

/* Certification Authority Account: optional alternate credentials for the CA — a user
 * name and password (AD CS, EST with basic authentication) or the SCEP challenge
 * password alone. The password lives in the request model, in memory, unless "Remember
 * the password" puts it into the session's Secret Service for a configured CA. */
struct _CertwizAccountPage
{
  CertwizPage      parent_instance;

  GtkLabel        *intro_label;
  GtkToggleButton *use_credentials_check;
  GtkLabel        *use_credentials_label;
  GtkLabel        *username_label;
  GtkEntry        *username_entry;
  GtkLabel        *password_label;
  GtkEntry        *password_entry;
  GtkToggleButton *remember_check;
  GtkLabel        *problem_label;

  CertwizCaCredentials kind;
  gboolean         have_secret_service;
  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizAccountPage, certwiz_account_page, CERTWIZ_TYPE_PAGE)

static void
validate (CertwizAccountPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_account (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_account_changed (CertwizAccountPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (self->syncing)
    return;
  certreq_request_set_use_credentials (request,
                                       gtk_toggle_button_get_active (self->use_credentials_check));
  certreq_request_set_username (request, gtk_entry_get_text (self->username_entry));
  certreq_request_set_password (request, gtk_entry_get_text (self->password_entry));
  validate (self);
}

static void
sync_from_model (CertwizAccountPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *username = certreq_request_get_username (request);
  const char *password = certreq_request_get_password (request);

  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->use_credentials_check,
                                certreq_request_get_use_credentials (request));
  gtk_entry_set_text (self->username_entry, username != NULL ? username : "");
  gtk_entry_set_text (self->password_entry, password != NULL ? password : "");
  self->syncing = FALSE;
  validate (self);
}

/* The words and controls of the chosen CA's protocol */
static void
adapt_to_ca (CertwizAccountPage *self)
{
  CertwizPage *page = CERTWIZ_PAGE (self);
  CertreqStore *store = certwiz_page_get_store (page);
  const char *ca_id = certreq_request_get_ca_id (certwiz_page_get_request (page));
  g_autoptr(CertreqCaConfig) config = NULL;
  gboolean challenge;

  self->kind = certwiz_ca_get_credentials (store, ca_id);
  challenge = self->kind == CERTWIZ_CA_CREDENTIALS_CHALLENGE;
  certwiz_ca_lookup (store, ca_id, NULL, &config);

  if (challenge)
    {
      gtk_label_set_text (self->intro_label,
                          _("A SCEP certification authority may ask for a challenge password, "
                            "which its administrator hands out. Certwiz sends the configured "
                            "one unless you enter another one here. It goes into the signed "
                            "request, not into the certificate."));
      gtk_label_set_text_with_mnemonic (self->use_credentials_label,
                                        _("Specify a _challenge password for the "
                                          "certification authority"));
      gtk_label_set_text_with_mnemonic (self->password_label, _("_Challenge password"));
    }
  else
    {
      gtk_label_set_text (self->intro_label,
                          _("Certwiz uses your own account with the certification authority "
                            "unless you give other credentials here. They are sent to the "
                            "certification authority with the request, but they are not "
                            "written into the certificate request."));
      gtk_label_set_text_with_mnemonic (self->use_credentials_label,
                                        _("Specify _alternate credentials for the "
                                          "certification authority"));
      gtk_label_set_text_with_mnemonic (self->password_label, _("_Password"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->username_label), !challenge);
  gtk_widget_set_visible (GTK_WIDGET (self->username_entry), !challenge);

  /* Only a configured CA has a name to keep the secret under */
  if (!self->have_secret_service)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->remember_check), FALSE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remember_check),
                                   _("This session has no keyring (Secret Service) to keep "
                                     "the password in."));
    }
  else if (config == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->remember_check), FALSE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remember_check),
                                   _("Only the password of a certification authority "
                                     "configured in the main window can be remembered."));
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->remember_check), TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remember_check),
                                   _("Keep the password in this session's keyring (Secret "
                                     "Service), so that Certwiz finds it next time."));
    }
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->remember_check)))
    gtk_toggle_button_set_active (self->remember_check, FALSE);
  certwiz_page_name_controls (page);
}

static void
certwiz_account_page_prepare (CertwizPage *page)
{
  adapt_to_ca (CERTWIZ_ACCOUNT_PAGE (page));
  validate (CERTWIZ_ACCOUNT_PAGE (page));
}

typedef struct
{
  CertreqCaConfig *config;
  CertreqCaSecret  kind;
  char            *secret;
} StoreSecret;

static void
store_secret_free (StoreSecret *data)
{
  certreq_ca_config_free (data->config);
  if (data->secret != NULL)
    OPENSSL_cleanse (data->secret, strlen (data->secret));
  g_free (data->secret);
  g_free (data);
}

static void
store_secret_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  StoreSecret *data = task_data;
  g_autoptr(GError) error = NULL;

  /* The page is gone by now: a failure can only be reported here */
  if (!certreq_ca_config_store_secret (data->config, data->kind, data->secret, &error))
    g_warning ("%s", error->message);
  g_task_return_boolean (task, TRUE);
}

/* Leaving with "Remember the password" on: into the Secret Service, in a worker (the
 * keyring may have to be unlocked) */
static void
certwiz_account_page_leave (CertwizPage *page)
{
  CertwizAccountPage *self = CERTWIZ_ACCOUNT_PAGE (page);
  CertreqRequest *request = certwiz_page_get_request (page);
  const char *password = certreq_request_get_password (request);
  g_autoptr(CertreqCaConfig) config = NULL;
  g_autoptr(GTask) task = NULL;
  StoreSecret *data;

  if (!gtk_toggle_button_get_active (self->remember_check) ||
      !certreq_request_get_use_credentials (request) || password == NULL || *password == '\0' ||
      !certwiz_ca_lookup (certwiz_page_get_store (page), certreq_request_get_ca_id (request),
                          NULL, &config) || config == NULL)
    return;

  data = g_new0 (StoreSecret, 1);
  data->config = g_steal_pointer (&config);
  data->kind = self->kind == CERTWIZ_CA_CREDENTIALS_CHALLENGE
               ? CERTREQ_CA_SECRET_CHALLENGE_PASSWORD : CERTREQ_CA_SECRET_PASSWORD;
  data->secret = g_strdup (password);
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, certwiz_account_page_leave);
  g_task_set_task_data (task, data, (GDestroyNotify) store_secret_free);
  g_task_run_in_thread (task, store_secret_thread);
}

static void
certwiz_account_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_account_page_parent_class)->constructed (object);

  CERTWIZ_ACCOUNT_PAGE (object)->have_secret_service = certwiz_ca_session_has_secret_service ();
  sync_from_model (CERTWIZ_ACCOUNT_PAGE (object));
  adapt_to_ca (CERTWIZ_ACCOUNT_PAGE (object));
}

static void
certwiz_account_page_class_init (CertwizAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_account_page_constructed;
  page_class->prepare = certwiz_account_page_prepare;
  page_class->leave = certwiz_account_page_leave;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, use_credentials_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, use_credentials_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, username_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, password_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, remember_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, username_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizAccountPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_account_changed);
}

static void
certwiz_account_page_init (CertwizAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certification Authority Account"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_account_page_new (CertreqRequest *request,
                          CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_ACCOUNT_PAGE, "request", request, "store", store, NULL);
}
