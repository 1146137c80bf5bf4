/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certreq.h"
#include "certwiz-application.h"
#include "certwiz-window.h"

struct _CertwizApplication
{
  GtkApplication  parent_instance;

  char           *store_path;   /* from --store, or NULL for the default store */
  guint           open_store_id;
};

G_DEFINE_TYPE (CertwizApplication, certwiz_application, GTK_TYPE_APPLICATION)

static void
certwiz_application_finalize (GObject *object)
{
  CertwizApplication *self = CERTWIZ_APPLICATION (object);

  g_clear_handle_id (&self->open_store_id, g_source_remove);
  g_free (self->store_path);

  G_OBJECT_CLASS (certwiz_application_parent_class)->finalize (object);
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
