/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-ca-page.h"

/* Choose a Certification Authority (CA): the built-in CA and the CAs configured in
 * cas.ini, or another one given by its URL, whose protocol Detect finds out (in a worker,
 * cancellable). The request's CA id is the configured name or the URL; the choice is
 * remembered in the last-ca setting. */
struct _CertwizCaPage
{
  CertwizPage      parent_instance;

  GtkToggleButton *list_radio;
  GtkToggleButton *other_radio;
  GtkComboBoxText *ca_combo;
  GtkEntry        *url_entry;
  GtkButton       *detect_button;
  GtkSpinner      *detect_spinner;
  GtkLabel        *detect_label;
  GtkLabel        *problem_label;

  char            *detected_url;   /* the URL whose protocol detection found */
  GCancellable    *detecting;      /* while detection runs */
  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizCaPage, certwiz_ca_page, CERTWIZ_TYPE_PAGE)

/* ---- What the other pages ask about the chosen CA ---- */

gboolean
certwiz_ca_lookup (CertreqStore       *store,
                   const char         *ca_id,
                   CertreqCaProtocol  *out_protocol,
                   CertreqCaConfig   **out_config)
{
  g_autoptr(CertreqCaConfig) config = NULL;
  CertreqCaProtocol protocol;

  if (out_config != NULL)
    *out_config = NULL;
  if (ca_id == NULL || *ca_id == '\0')
    return FALSE;

  if (store != NULL && !certreq_ca_id_is_url (ca_id) &&
      g_strcmp0 (ca_id, CERTREQ_LOCAL_CA_ID) != 0)
    config = certreq_store_get_ca (store, ca_id, NULL);

  if (config != NULL)
    protocol = config->protocol;
  else if (!certreq_ca_protocol_for_id (store, ca_id, &protocol))
    return FALSE;

  if (out_protocol != NULL)
    *out_protocol = protocol;
  if (out_config != NULL)
    *out_config = g_steal_pointer (&config);
  return TRUE;
}

CertwizCaCredentials
certwiz_ca_get_credentials (CertreqStore *store,
                            const char   *ca_id)
{
  g_autoptr(CertreqCaConfig) config = NULL;
  CertreqCaProtocol protocol;

  if (!certwiz_ca_lookup (store, ca_id, &protocol, &config))
    return CERTWIZ_CA_CREDENTIALS_NONE;

  switch (protocol)
    {
    case CERTREQ_CA_PROTOCOL_SCEP:
      return CERTWIZ_CA_CREDENTIALS_CHALLENGE;
    case CERTREQ_CA_PROTOCOL_ADCS:
      /* Negotiate uses the Kerberos ticket, cert the client certificate */
      if (config != NULL &&
          (config->auth == CERTREQ_HTTP_AUTH_BASIC || config->auth == CERTREQ_HTTP_AUTH_NTLM))
        return CERTWIZ_CA_CREDENTIALS_ACCOUNT;
      return CERTWIZ_CA_CREDENTIALS_NONE;
    case CERTREQ_CA_PROTOCOL_EST:
      if (config != NULL && config->auth == CERTREQ_HTTP_AUTH_BASIC)
        return CERTWIZ_CA_CREDENTIALS_ACCOUNT;
      return CERTWIZ_CA_CREDENTIALS_NONE;
    case CERTREQ_CA_PROTOCOL_LOCAL:
    case CERTREQ_CA_PROTOCOL_ACME:
    default:
      return CERTWIZ_CA_CREDENTIALS_NONE;
    }
}

gboolean
certwiz_ca_uses_template (CertreqStore *store,
                          const char   *ca_id)
{
  CertreqCaProtocol protocol;

  return certwiz_ca_lookup (store, ca_id, &protocol, NULL) &&
         (protocol == CERTREQ_CA_PROTOCOL_ADCS || protocol == CERTREQ_CA_PROTOCOL_EST);
}

/* The session bus has a Secret Service, running or activatable */
gboolean
certwiz_ca_session_has_secret_service (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) names = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  if (owned)
    return TRUE;
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, NULL);
  if (reply == NULL)
    return FALSE;
  names = g_variant_get_child_value (reply, 0);
  for (gsize i = 0; i < g_variant_n_children (names); i++)
    {
      g_autoptr(GVariant) name = g_variant_get_child_value (names, i);

      if (g_str_equal (g_variant_get_string (name, NULL), "org.freedesktop.secrets"))
        return TRUE;
    }
  return FALSE;
}

/* ---- The page ---- */

static char *
get_url (CertwizCaPage *self)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (self->url_entry)));
}

static gboolean
url_is_detected (CertwizCaPage *self)
{
  g_autofree char *url = get_url (self);

  return self->detected_url != NULL && g_str_equal (self->detected_url, url);
}

static void
validate (CertwizCaPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  if (certreq_request_validate_ca (request, &error) &&
      gtk_toggle_button_get_active (self->other_radio) && !url_is_detected (self))
    {
      if (self->detecting != NULL)
        g_set_error_literal (&error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                             _("Certwiz is asking the certification authority which protocol "
                               "it speaks."));
      else
        g_set_error_literal (&error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                             _("Click Detect to find out which protocol the certification "
                               "authority at this URL speaks."));
    }
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

/* The request's CA: the configured name, "local", or the URL */
static void
update_request (CertwizCaPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (gtk_toggle_button_get_active (self->other_radio))
    {
      g_autofree char *url = get_url (self);

      certreq_request_set_ca_id (request, url);
    }
  else
    certreq_request_set_ca_id (request,
                               gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->ca_combo)));
  validate (self);
}

static void
on_ca_changed (CertwizCaPage *self)
{
  if (self->syncing)
    return;
  update_request (self);
}

static void
show_detect_result (CertwizCaPage *self,
                    const char    *text,
                    gboolean       is_error)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->detect_label));

  gtk_label_set_text (self->detect_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detect_label), text != NULL);
  if (is_error)
    gtk_style_context_add_class (context, "error");
  else
    gtk_style_context_remove_class (context, "error");
}

static void
stop_detection (CertwizCaPage *self)
{
  if (self->detecting == NULL)
    return;
  g_cancellable_cancel (self->detecting);
  g_clear_object (&self->detecting);
  gtk_spinner_stop (self->detect_spinner);
  gtk_widget_hide (GTK_WIDGET (self->detect_spinner));
}

static void
on_url_changed (CertwizCaPage *self)
{
  if (self->syncing)
    return;
  /* A new URL: what was found belongs to the old one */
  stop_detection (self);
  if (!url_is_detected (self))
    show_detect_result (self, NULL, FALSE);
  update_request (self);
}

static void
detect_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *url = task_data;
  CertreqCaProtocol protocol;
  GError *error = NULL;

  if (certreq_ca_detect_protocol (url, NULL, &protocol, cancellable, &error))
    g_task_return_int (task, protocol);
  else
    g_task_return_error (task, error);
}

static void
on_detected (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CertwizCaPage *self = CERTWIZ_CA_PAGE (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  const char *url = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gssize protocol;

  protocol = g_task_propagate_int (G_TASK (result), &error);
  /* Stopped: a newer URL, Back, or the page went away */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->detecting)
    return;

  g_clear_object (&self->detecting);
  gtk_spinner_stop (self->detect_spinner);
  gtk_widget_hide (GTK_WIDGET (self->detect_spinner));

  if (error != NULL)
    {
      g_clear_pointer (&self->detected_url, g_free);
      show_detect_result (self, error->message, TRUE);
    }
  else
    {
      g_free (self->detected_url);
      self->detected_url = g_strdup (url);
      /* Translators: %1$s is a protocol such as "ACME (RFC 8555)", %2$s the URL */
      text = g_strdup_printf (_("Found %1$s at %2$s."),
                              certreq_ca_protocol_get_label ((CertreqCaProtocol) protocol), url);
      show_detect_result (self, text, FALSE);
    }
  update_request (self);
  /* The same id, a protocol known now: it decides which pages follow */
  g_object_notify (G_OBJECT (certwiz_page_get_request (CERTWIZ_PAGE (self))), "ca-id");
}

static void
start_detection (CertwizCaPage *self)
{
  g_autofree char *url = get_url (self);
  g_autoptr(GTask) task = NULL;

  stop_detection (self);
  if (*url == '\0')
    {
      validate (self);
      return;
    }
  if (!certreq_ca_id_is_url (url))
    {
      show_detect_result (self, _("Enter a URL that starts with https:// (or http:// for "
                                  "SCEP)."), TRUE);
      validate (self);
      return;
    }

  self->detecting = g_cancellable_new ();
  show_detect_result (self, NULL, FALSE);
  gtk_widget_show (GTK_WIDGET (self->detect_spinner));
  gtk_spinner_start (self->detect_spinner);

  task = g_task_new (self, self->detecting, on_detected, NULL);
  g_task_set_source_tag (task, start_detection);
  g_task_set_task_data (task, g_steal_pointer (&url), g_free);
  g_task_run_in_thread (task, detect_thread);
  validate (self);
}

static void
on_detect_clicked (CertwizCaPage *self)
{
  start_detection (self);
}

static void
on_mode_toggled (CertwizCaPage *self)
{
  if (self->syncing)
    return;
  update_request (self);
  if (gtk_toggle_button_get_active (self->other_radio))
    gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

static gboolean
select_ca (CertwizCaPage *self,
           const char    *ca_id)
{
  if (ca_id == NULL || *ca_id == '\0')
    return FALSE;
  if (certreq_ca_id_is_url (ca_id))
    {
      gtk_entry_set_text (self->url_entry, ca_id);
      gtk_toggle_button_set_active (self->other_radio, TRUE);
      return TRUE;
    }
  if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->ca_combo), ca_id))
    return FALSE;
  gtk_toggle_button_set_active (self->list_radio, TRUE);
  return TRUE;
}

static void
append_local_ca (CertwizCaPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a store (a page made on its own, in a test) no client can be made; the id
   * is all there is to show */
  if (store == NULL)
    {
      gtk_combo_box_text_append (self->ca_combo, CERTREQ_LOCAL_CA_ID, CERTREQ_LOCAL_CA_ID);
      return;
    }
  client = certreq_ca_client_new_for_id (store, CERTREQ_LOCAL_CA_ID, &error);
  if (client == NULL)
    {
      g_warning ("Cannot list the certification authority %s: %s", CERTREQ_LOCAL_CA_ID,
                 error->message);
      return;
    }
  gtk_combo_box_text_append (self->ca_combo, certreq_ca_client_get_id (client),
                             certreq_ca_client_get_name (client));
}

static void
append_configured_cas (CertwizCaPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autoptr(GPtrArray) cas = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;
  cas = certreq_store_list_cas (store, &error);
  if (cas == NULL)
    {
      g_warning ("Cannot list the configured certification authorities: %s", error->message);
      return;
    }
  for (guint i = 0; i < cas->len; i++)
    {
      const CertreqCaConfig *config = g_ptr_array_index (cas, i);
      g_autofree char *text = NULL;

      /* Translators: a configured certification authority in the list: %1$s its name,
       * %2$s its protocol such as "ACME (RFC 8555)", %3$s its URL */
      text = g_strdup_printf (_("%1$s — %2$s, %3$s"), config->name,
                              certreq_ca_protocol_get_label (config->protocol), config->url);
      gtk_combo_box_text_append (self->ca_combo, config->name, text);
    }
}

static void
fill_ca_list (CertwizCaPage *self)
{
  CertwizPage *page = CERTWIZ_PAGE (self);
  CertreqRequest *request = certwiz_page_get_request (page);
  g_autofree char *last_ca = certwiz_page_settings_get ("last-ca");
  g_autofree char *current = g_strdup (certreq_request_get_ca_id (request));

  self->syncing = TRUE;
  gtk_combo_box_text_remove_all (self->ca_combo);
  append_local_ca (self);
  append_configured_cas (self);

  /* The CA the request names (when the page is filled again), else the one used last
   * time, else the first one */
  if (!select_ca (self, current) && !select_ca (self, last_ca))
    gtk_combo_box_set_active (GTK_COMBO_BOX (self->ca_combo), 0);
  if (gtk_combo_box_get_active (GTK_COMBO_BOX (self->ca_combo)) < 0)
    gtk_combo_box_set_active (GTK_COMBO_BOX (self->ca_combo), 0);
  self->syncing = FALSE;

  update_request (self);
}

static void
certwiz_ca_page_prepare (CertwizPage *page)
{
  CertwizCaPage *self = CERTWIZ_CA_PAGE (page);

  /* The CAs may have been changed in the main window meanwhile */
  fill_ca_list (self);
  /* The URL chosen last time: ask it again which protocol it speaks */
  if (gtk_toggle_button_get_active (self->other_radio) && !url_is_detected (self) &&
      self->detecting == NULL)
    start_detection (self);
  validate (self);
}

static void
certwiz_ca_page_leave (CertwizPage *page)
{
  CertwizCaPage *self = CERTWIZ_CA_PAGE (page);
  const char *ca_id = certreq_request_get_ca_id (certwiz_page_get_request (page));

  stop_detection (self);
  if (ca_id != NULL && *ca_id != '\0')
    certwiz_page_settings_set ("last-ca", ca_id);
}

static void
certwiz_ca_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_ca_page_parent_class)->constructed (object);

  fill_ca_list (CERTWIZ_CA_PAGE (object));
}

static void
certwiz_ca_page_dispose (GObject *object)
{
  CertwizCaPage *self = CERTWIZ_CA_PAGE (object);

  if (self->detecting != NULL)
    g_cancellable_cancel (self->detecting);
  g_clear_object (&self->detecting);

  G_OBJECT_CLASS (certwiz_ca_page_parent_class)->dispose (object);
}

static void
certwiz_ca_page_finalize (GObject *object)
{
  CertwizCaPage *self = CERTWIZ_CA_PAGE (object);

  g_free (self->detected_url);

  G_OBJECT_CLASS (certwiz_ca_page_parent_class)->finalize (object);
}

static void
certwiz_ca_page_class_init (CertwizCaPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_ca_page_constructed;
  object_class->dispose = certwiz_ca_page_dispose;
  object_class->finalize = certwiz_ca_page_finalize;
  page_class->prepare = certwiz_ca_page_prepare;
  page_class->leave = certwiz_ca_page_leave;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-ca-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, list_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, other_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, ca_combo);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, url_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, detect_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, detect_spinner);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, detect_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizCaPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_detect_clicked);
}

static void
certwiz_ca_page_init (CertwizCaPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Choose a Certification Authority (CA)"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_ca_page_new (CertreqRequest *request,
                     CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_CA_PAGE, "request", request, "store", store, NULL);
}
