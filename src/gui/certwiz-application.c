/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "certreq.h"
#include "certwiz-application.h"
#include "certwiz-window.h"

struct _CertwizApplication
{
  GtkApplication  parent_instance;

  char           *store_path;   /* from --store, or NULL for the default store */
  guint           open_store_id;
  char           *select_thumbprint;  /* to select once the store is open (a notification) */
  gboolean        checking;     /* --check-renewals waits for a click on its notification */
  gboolean        open_window;  /* … and it came: the window opens after all */
  guint           linger_id;
};

G_DEFINE_TYPE (CertwizApplication, certwiz_application, GTK_TYPE_APPLICATION)

static void
certwiz_application_finalize (GObject *object)
{
  CertwizApplication *self = CERTWIZ_APPLICATION (object);

  g_clear_handle_id (&self->open_store_id, g_source_remove);
  g_clear_handle_id (&self->linger_id, g_source_remove);
  g_free (self->store_path);
  g_free (self->select_thumbprint);

  G_OBJECT_CLASS (certwiz_application_parent_class)->finalize (object);
}

/* ---- Renewal notifications ---- */

/* What the desktop was told: [<store path>] <THUMBPRINT>=<state id> */
static char *
notified_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "certwiz", "renewal-notifications.ini",
                           NULL);
}

static char *
describe_certificate (CertreqStore *store,
                      const char   *thumbprint)
{
  g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (store, thumbprint);

  if (meta != NULL && meta->friendly_name != NULL && *meta->friendly_name != '\0')
    /* Translators: a certificate named by its friendly name, then its thumbprint */
    return g_strdup_printf (_("“%1$s” (%2$s)"), meta->friendly_name, thumbprint);
  return g_strdup (thumbprint);
}

static char *
describe_usages (CertreqUsageFlags usages)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (CertreqUsage usage = 0; usage < CERTREQ_N_USAGES; usage++)
    if (usages & CERTREQ_USAGE_TO_FLAG (usage))
      g_ptr_array_add (labels, (gpointer) certreq_usage_get_label (usage));
  if (labels->len == 0)
    /* Translators: a certificate that serves no usage */
    return g_strdup (_("no usage"));
  g_ptr_array_add (labels, NULL);
  /* Translators: separates the usage names in a list */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

static GNotification *
renewal_notification (CertreqStore               *store,
                      const CertreqRenewalStatus *status)
{
  g_autofree char *name = describe_certificate (store, status->thumbprint);
  g_autofree char *usages = describe_usages (status->assigned);
  g_autofree char *body = NULL;
  GNotification *notification;
  const char *title;
  int days = (int) MAX (status->days_left, 0);

  switch (status->state)
    {
    case CERTREQ_RENEWAL_STATE_FAILED:
      /* Translators: title of a desktop notification */
      title = _("Certificate renewal failed");
      /* Translators: %1$s names a certificate, %2$s why its renewal failed (a sentence),
       * %3$s the usages it serves */
      body = g_strdup_printf (_("Renewing the certificate %1$s failed: %2$s It still serves: "
                                "%3$s."), name,
                              status->record != NULL && status->record->last_error != NULL
                                ? status->record->last_error : "—", usages);
      break;
    case CERTREQ_RENEWAL_STATE_EXPIRED:
      /* Translators: title of a desktop notification */
      title = _("Certificate expired");
      /* Translators: %1$s names a certificate, %2$s the usages it serves */
      body = g_strdup_printf (_("The certificate %1$s has expired and still serves: %2$s."),
                              name, usages);
      break;
    case CERTREQ_RENEWAL_STATE_WAITING:
      /* Translators: title of a desktop notification */
      title = _("Certificate renewal pending");
      /* Translators: %1$s names a certificate, %2$d the days until it expires */
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The certification authority holds the renewal of "
                                           "the certificate %1$s, which expires in %2$d day.",
                                           "The certification authority holds the renewal of "
                                           "the certificate %1$s, which expires in %2$d days.",
                                           days), name, days);
      break;
    case CERTREQ_RENEWAL_STATE_DUE:
    default:
      /* Translators: title of a desktop notification */
      title = _("Certificate due for renewal");
      /* Translators: %1$s names a certificate, %2$d the days until it expires, %3$s the
       * usages it serves */
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The certificate %1$s expires in %2$d day. It "
                                           "serves: %3$s.",
                                           "The certificate %1$s expires in %2$d days. It "
                                           "serves: %3$s.", days), name, days, usages);
      break;
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification,
                               status->state == CERTREQ_RENEWAL_STATE_DUE ||
                               status->state == CERTREQ_RENEWAL_STATE_WAITING
                               ? G_NOTIFICATION_PRIORITY_NORMAL : G_NOTIFICATION_PRIORITY_HIGH);
  /* A click opens the window with the certificate's usages selected */
  g_notification_set_default_action_and_target (notification, "app.show-certificate", "s",
                                                status->thumbprint);
  return notification;
}

guint
certwiz_application_notify_renewals (CertwizApplication *self,
                                     CertreqStore       *store,
                                     GPtrArray          *statuses)
{
  g_autoptr(GKeyFile) told = g_key_file_new ();
  g_autoptr(GDateTime) now = certreq_renewal_now ();
  g_autofree char *path = notified_path ();
  g_autofree char *dir = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(GError) error = NULL;
  const char *group;
  gboolean changed = FALSE;
  guint sent = 0;

  g_return_val_if_fail (CERTWIZ_IS_APPLICATION (self), 0);
  g_return_val_if_fail (CERTREQ_IS_STORE (store), 0);
  g_return_val_if_fail (statuses != NULL, 0);

  group = certreq_store_get_path (store);
  if (!g_key_file_load_from_file (told, path, G_KEY_FILE_NONE, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_debug ("%s: %s", path, error->message);

  for (guint i = 0; i < statuses->len; i++)
    {
      const CertreqRenewalStatus *status = g_ptr_array_index (statuses, i);
      const char *state = certreq_renewal_state_to_id (status->state);
      g_autofree char *before = g_key_file_get_string (told, group, status->thumbprint, NULL);

      if (!certreq_renewal_status_needs_attention (status, now))
        {
          /* Back to normal: a later change is news again */
          if (before != NULL)
            changed |= g_key_file_remove_key (told, group, status->thumbprint, NULL);
          continue;
        }
      if (g_strcmp0 (before, state) == 0)
        continue;

      {
        g_autoptr(GNotification) notification = renewal_notification (store, status);
        g_autofree char *id = g_strconcat ("renewal-", status->thumbprint, NULL);

        g_application_send_notification (G_APPLICATION (self), id, notification);
      }
      g_key_file_set_string (told, group, status->thumbprint, state);
      changed = TRUE;
      sent++;
    }

  /* Certificates that left the store are forgotten */
  keys = g_key_file_get_keys (told, group, NULL, NULL);
  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      gboolean present = FALSE;

      for (guint i = 0; i < statuses->len && !present; i++)
        present = g_str_equal (((CertreqRenewalStatus *) g_ptr_array_index (statuses, i))->thumbprint,
                               keys[k]);
      if (!present)
        changed |= g_key_file_remove_key (told, group, keys[k], NULL);
    }

  if (!changed)
    return sent;
  dir = g_path_get_dirname (path);
  g_clear_error (&error);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_key_file_save_to_file (told, path, &error))
    g_debug ("%s: %s", path, error != NULL ? error->message : g_strerror (errno));
  return sent;
}

/* --check-renewals: notify, then give the admin a while to click before exiting */
static gboolean
on_check_linger_over (gpointer user_data)
{
  CERTWIZ_APPLICATION (user_data)->checking = FALSE;
  CERTWIZ_APPLICATION (user_data)->linger_id = 0;
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

static int
check_renewals (CertwizApplication *self)
{
  GApplication *application = G_APPLICATION (self);
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GDateTime) now = certreq_renewal_now ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *linger_env = g_getenv ("CERTWIZ_NOTIFY_LINGER");
  guint linger = 600;
  guint sent;

  /* Its own instance: a running window must not take over the check */
  g_application_set_flags (application,
                           g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("certwiz: %s\n", error->message);
      return 1;
    }

  path = self->store_path != NULL ? g_strdup (self->store_path) : certreq_store_default_path ();
  store = certreq_store_open (path, &error);
  if (store != NULL)
    statuses = certreq_renewal_list (store, CERTREQ_RENEWAL_RULE_DEFAULT, now, &error);
  if (statuses == NULL)
    {
      g_printerr ("certwiz: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < statuses->len; i++)
    {
      const CertreqRenewalStatus *status = g_ptr_array_index (statuses, i);
      g_autofree char *line = NULL;

      if (!certreq_renewal_status_needs_attention (status, now))
        continue;
      /* Translators: --check-renewals prints one line per certificate that needs
       * attention; %1$s is its thumbprint, %2$s its renewal status */
      line = g_strdup_printf (_("%1$s: %2$s"), status->thumbprint,
                              certreq_renewal_state_get_label (status->state));
      g_print ("%s\n", line);
    }

  sent = certwiz_application_notify_renewals (self, store, statuses);
  if (g_application_get_dbus_connection (application) != NULL)
    g_dbus_connection_flush_sync (g_application_get_dbus_connection (application), NULL, NULL);
  if (linger_env != NULL && *linger_env != '\0')
    linger = (guint) g_ascii_strtoull (linger_env, NULL, 10);
  if (sent == 0 || linger == 0)
    return 0;

  /* A click on the notification reaches this process (app.show-certificate) */
  self->checking = TRUE;
  self->linger_id = g_timeout_add_seconds (linger, on_check_linger_over, self);
  while (self->checking)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&self->linger_id, g_source_remove);

  return self->open_window ? -1 : 0;
}

static void
on_show_certificate_activated (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  CertwizApplication *self = CERTWIZ_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *thumbprint = g_variant_get_string (parameter, NULL);

  g_free (self->select_thumbprint);
  self->select_thumbprint = g_strdup (thumbprint);
  if (self->checking)
    {
      /* --check-renewals: the window opens once the check has returned */
      self->checking = FALSE;
      self->open_window = TRUE;
      return;
    }

  if (CERTWIZ_IS_WINDOW (window) && certwiz_window_get_store (CERTWIZ_WINDOW (window)) != NULL)
    {
      certwiz_window_select_certificate (CERTWIZ_WINDOW (window), thumbprint);
      g_clear_pointer (&self->select_thumbprint, g_free);
    }
  g_application_activate (G_APPLICATION (self));
}

static int
certwiz_application_handle_local_options (GApplication *application,
                                          GVariantDict *options)
{
  CertwizApplication *self = CERTWIZ_APPLICATION (application);
  g_autofree char *store = NULL;

  if (g_variant_dict_lookup (options, "store", "^ay", &store) && store != NULL && *store != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (store);

      self->store_path = g_file_get_path (file);
      /* Another running instance works on another store: this one must not hand its
       * activation over to it */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  if (g_variant_dict_contains (options, "check-renewals"))
    return check_renewals (self);

  return -1;
}

static void
on_quit_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_about_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *authors[] = { _("The Certwiz authors"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Certificate Wizard"),
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Request, view and assign the TLS certificates of this server."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", on_quit_activated, NULL, NULL, NULL, { 0 } },
  { "about", on_about_activated, NULL, NULL, NULL, { 0 } },
  { "show-certificate", on_show_certificate_activated, "s", NULL, NULL, { 0 } },
};

static void
certwiz_application_startup (GApplication *application)
{
  const char *quit_accels[] = { "<Primary>q", NULL };
  g_autoptr(GtkCssProvider) provider = NULL;

  G_APPLICATION_CLASS (certwiz_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/certwiz/Certwiz/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static gboolean
open_store_idle (gpointer user_data)
{
  CertwizApplication *self = CERTWIZ_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  self->open_store_id = 0;
  if (!CERTWIZ_IS_WINDOW (window))
    return G_SOURCE_REMOVE;

  path = self->store_path != NULL ? g_strdup (self->store_path)
                                  : certreq_store_default_path ();
  store = certreq_store_open (path, &error);
  certwiz_window_set_store (CERTWIZ_WINDOW (window), store, path, error);
  if (store != NULL && self->select_thumbprint != NULL)
    certwiz_window_select_certificate (CERTWIZ_WINDOW (window), self->select_thumbprint);
  g_clear_pointer (&self->select_thumbprint, g_free);

  return G_SOURCE_REMOVE;
}

static gboolean
on_window_map_event (GtkWidget   *window,
                     GdkEvent    *event,
                     gpointer     user_data)
{
  CertwizApplication *self = CERTWIZ_APPLICATION (user_data);

  g_signal_handlers_disconnect_by_func (window, on_window_map_event, user_data);
  /* The window maps at once; the store (disk I/O, journal roll-forward) is opened
   * only when the first frame is on screen */
  if (self->open_store_id == 0)
    self->open_store_id = g_idle_add_full (G_PRIORITY_LOW, open_store_idle,
                                           g_object_ref (self), g_object_unref);
  return GDK_EVENT_PROPAGATE;
}

static void
certwiz_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (certwiz_window_new (CERTWIZ_APPLICATION (application)));
      g_signal_connect (window, "map-event", G_CALLBACK (on_window_map_event), application);
    }

  gtk_window_present (window);
}

static void
certwiz_application_class_init (CertwizApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = certwiz_application_finalize;
  app_class->handle_local_options = certwiz_application_handle_local_options;
  app_class->startup = certwiz_application_startup;
  app_class->activate = certwiz_application_activate;
}

static void
certwiz_application_init (CertwizApplication *self)
{
  static const GOptionEntry options[] = {
    { "store", 's', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Work on the certificate store in DIR instead of the default one"), N_("DIR") },
    { "check-renewals", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Tell the desktop about certificates due for renewal or whose renewal failed, "
         "without opening a window"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

CertwizApplication *
certwiz_application_new (void)
{
  return g_object_new (CERTWIZ_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
