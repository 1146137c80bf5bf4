/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-assign-assistant.h"
#include "certwiz-cas-dialog.h"
#include "certwiz-details-dialog.h"
#include "certwiz-export-dialog.h"
#include "certwiz-import-assistant.h"
#include "certwiz-pending-assistant.h"
#include "certwiz-remove-assistant.h"
#include "certwiz-request-assistant.h"
#include "certwiz-runner.h"
#include "certwiz-server-dialog.h"
#include "certwiz-usages-dialog.h"
#include "certwiz-view-assistant.h"
#include "certwiz-window.h"

enum
{
  COL_USAGE,
  COL_LABEL,
  COL_FRIENDLY_NAME,
  COL_EXPIRES,
  COL_THUMBPRINT,
  COL_STATUS,
  COL_HAS_CERT,
};

struct _CertwizWindow
{
  GtkApplicationWindow  parent_instance;

  GtkLabel             *store_label;
  GtkInfoBar           *info_bar;
  GtkLabel             *info_label;
  GtkTreeView          *usages_view;
  GtkTreeSelection     *usages_selection;
  GtkListStore         *usages_store;
  GtkButton            *request_button;
  GtkButton            *assign_button;
  GtkButton            *remove_button;
  GtkButton            *view_button;
  GtkButton            *view_any_button;
  GtkButton            *export_button;
  GtkButton            *usages_button;
  GtkButton            *refresh_button;
  GtkButton            *import_button;
  GtkButton            *pending_button;
  GtkButton            *server_button;
  GtkButton            *cas_button;

  CertreqStore         *store;
  char                 *store_warning;   /* the store's permission problems, or NULL */
  GtkWidget            *assistant;   /* weak */
};

G_DEFINE_TYPE (CertwizWindow, certwiz_window, GTK_TYPE_APPLICATION_WINDOW)

/* @message: an operation's failure; without one, the store's permission problems
 * (if any) stay in the info bar as a warning */
static void
show_problem (CertwizWindow *self,
              const char    *message)
{
  const char *text = message != NULL ? message : self->store_warning;

  gtk_info_bar_set_message_type (self->info_bar,
                                 message != NULL ? GTK_MESSAGE_ERROR : GTK_MESSAGE_WARNING);
  gtk_label_set_text (self->info_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->info_bar), text != NULL);
}

static void
update_buttons (CertwizWindow *self)
{
  GtkTreeModel *model = NULL;
  GList *rows = gtk_tree_selection_get_selected_rows (self->usages_selection, &model);
  gboolean have_store = self->store != NULL;
  /* Changes: in this process, or through the privileged helper (DESIGN "Privileges") */
  gboolean can_change = have_store &&
                        certwiz_runner_can_change (certwiz_runner_get_for_store (self->store));
  gboolean any_cert = FALSE;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      GtkTreeIter iter;
      gboolean has_cert = FALSE;

      if (gtk_tree_model_get_iter (model, &iter, l->data))
        gtk_tree_model_get (model, &iter, COL_HAS_CERT, &has_cert, -1);
      any_cert |= has_cert;
    }
  g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);

  gtk_widget_set_sensitive (GTK_WIDGET (self->request_button), can_change);
  gtk_widget_set_sensitive (GTK_WIDGET (self->view_button), have_store && any_cert);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), have_store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_button), have_store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cas_button), have_store);
  /* Not part of this version yet: present, so the page looks as admins know it */
  gtk_widget_set_sensitive (GTK_WIDGET (self->assign_button), can_change);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), can_change && any_cert);
  gtk_widget_set_sensitive (GTK_WIDGET (self->view_any_button), have_store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), have_store && any_cert);
  gtk_widget_set_sensitive (GTK_WIDGET (self->usages_button), have_store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), can_change);
  /* Enabled only when a request waits on an online CA (reference/wizard.md §2.4); read
   * again on Refresh and after every assistant */
  gtk_widget_set_sensitive (GTK_WIDGET (self->pending_button),
                            can_change && certreq_pending_has_retrievable (self->store));
}

static void
fill_row (CertwizWindow *self,
          CertreqUsage   usage,
          GtkTreeIter   *iter,
          GDateTime     *now)
{
  g_autofree char *thumbprint = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expires = NULL;
  const char *status;

  thumbprint = certreq_store_get_assigned (self->store, usage);
  if (thumbprint == NULL)
    {
      gtk_list_store_set (self->usages_store, iter,
                          COL_FRIENDLY_NAME, "",
                          COL_EXPIRES, "",
                          COL_THUMBPRINT, "",
                          /* Translators: status of a certificate usage on the main page */
                          COL_STATUS, _("Not assigned"),
                          COL_HAS_CERT, FALSE,
                          -1);
      return;
    }

  cert = certreq_store_find_certificate (self->store, thumbprint, &error);
  if (cert == NULL)
    {
      g_debug ("Usage %s: %s", certreq_usage_to_id (usage), error->message);
      gtk_list_store_set (self->usages_store, iter,
                          COL_FRIENDLY_NAME, "",
                          COL_EXPIRES, "",
                          COL_THUMBPRINT, thumbprint,
                          /* Translators: status of a usage whose certificate file is gone */
                          COL_STATUS, _("Certificate missing"),
                          COL_HAS_CERT, FALSE,
                          -1);
      return;
    }

  meta = certreq_store_get_meta (self->store, certreq_certificate_get_thumbprint (cert));
  not_after = certreq_certificate_get_not_after (cert);
  if (not_after != NULL)
    {
      local = g_date_time_to_local (not_after);
      /* Translators: the expiration date on the main page; see g_date_time_format() */
      /* xgettext:no-c-format */
      expires = g_date_time_format (local, _("%Y-%m-%d"));
    }

  if (!certreq_certificate_is_valid_at (cert, now))
    {
      if (not_after != NULL && g_date_time_compare (now, not_after) > 0)
        /* Translators: status of a certificate usage on the main page */
        status = _("Expired");
      else
        /* Translators: status of a certificate usage on the main page */
        status = _("Not yet valid");
    }
  else
    /* Translators: status of a certificate usage on the main page */
    status = _("Assigned");

  gtk_list_store_set (self->usages_store, iter,
                      COL_FRIENDLY_NAME,
                      meta != NULL && meta->friendly_name != NULL ? meta->friendly_name : "",
                      COL_EXPIRES, expires != NULL ? expires : "",
                      COL_THUMBPRINT, certreq_certificate_get_thumbprint (cert),
                      COL_STATUS, status,
                      COL_HAS_CERT, TRUE,
                      -1);
}

void
certwiz_window_refresh (CertwizWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkTreeIter iter;
  gboolean valid;

  g_return_if_fail (CERTWIZ_IS_WINDOW (self));

  if (self->store == NULL)
    return;

  valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->usages_store), &iter);
  while (valid)
    {
      CertreqUsage usage;

      gtk_tree_model_get (GTK_TREE_MODEL (self->usages_store), &iter, COL_USAGE, &usage, -1);
      fill_row (self, usage, &iter, now);
      valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (self->usages_store), &iter);
    }

  update_buttons (self);
}

static CertreqUsageFlags
get_selected_usages (CertwizWindow *self)
{
  GtkTreeModel *model = NULL;
  GList *rows = gtk_tree_selection_get_selected_rows (self->usages_selection, &model);
  CertreqUsageFlags flags = CERTREQ_USAGE_FLAG_NONE;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      GtkTreeIter iter;
      CertreqUsage usage;

      if (!gtk_tree_model_get_iter (model, &iter, l->data))
        continue;
      gtk_tree_model_get (model, &iter, COL_USAGE, &usage, -1);
      flags |= CERTREQ_USAGE_TO_FLAG (usage);
    }
  g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);

  return flags;
}

static void
on_usages_selection_changed (CertwizWindow *self)
{
  update_buttons (self);
}

static void
on_assistant_destroy (GtkWidget     *assistant,
                      CertwizWindow *self)
{
  certwiz_window_refresh (self);
}

void
certwiz_window_adopt_assistant (CertwizWindow *self,
                                GtkWidget     *assistant)
{
  g_return_if_fail (CERTWIZ_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WINDOW (assistant));

  if (self->assistant == assistant)
    return;
  if (self->assistant != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  self->assistant = assistant;
  g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  g_signal_connect_object (self->assistant, "destroy", G_CALLBACK (on_assistant_destroy),
                           self, 0);
}

static void
on_request_clicked (CertwizWindow *self)
{
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(GError) error = NULL;
  CertreqUsageFlags usages;

  if (self->store == NULL)
    return;

  if (self->assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->assistant));
      return;
    }

  server = certreq_store_load_server (self->store, &error);
  if (server == NULL)
    {
      show_problem (self, error->message);
      return;
    }
  show_problem (self, NULL);

  usages = get_selected_usages (self);
  if (usages == CERTREQ_USAGE_FLAG_NONE)
    usages = CERTREQ_USAGE_FLAGS_STANDARD;

  self->assistant = certwiz_request_assistant_new (GTK_WINDOW (self), self->store, server, usages);
  g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  g_signal_connect_object (self->assistant, "destroy", G_CALLBACK (on_assistant_destroy),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->assistant));
}

static CertreqCertificate *
get_selected_certificate (CertwizWindow *self)
{
  GtkTreeModel *model = NULL;
  GList *rows = gtk_tree_selection_get_selected_rows (self->usages_selection, &model);
  g_autofree char *thumbprint = NULL;
  CertreqCertificate *cert = NULL;

  for (GList *l = rows; l != NULL && thumbprint == NULL; l = l->next)
    {
      GtkTreeIter iter;
      gboolean has_cert = FALSE;

      if (!gtk_tree_model_get_iter (model, &iter, l->data))
        continue;
      gtk_tree_model_get (model, &iter, COL_HAS_CERT, &has_cert, -1);
      if (has_cert)
        gtk_tree_model_get (model, &iter, COL_THUMBPRINT, &thumbprint, -1);
    }
  g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);

  if (thumbprint != NULL && self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      cert = certreq_store_find_certificate (self->store, thumbprint, &error);
      if (cert == NULL)
        show_problem (self, error->message);
    }

  return cert;
}

static void
on_view_clicked (CertwizWindow *self)
{
  g_autoptr(CertreqCertificate) cert = get_selected_certificate (self);
  GtkWidget *dialog;

  if (cert == NULL)
    return;

  dialog = certwiz_details_dialog_new (GTK_WINDOW (self), cert, self->store, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_assign_clicked (CertwizWindow *self)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  CertreqUsageFlags usages;

  if (self->store == NULL)
    return;
  if (self->assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->assistant));
      return;
    }
  show_problem (self, NULL);

  usages = get_selected_usages (self);
  if (usages == CERTREQ_USAGE_FLAG_NONE)
    usages = CERTREQ_USAGE_FLAGS_STANDARD;
  cert = get_selected_certificate (self);

  self->assistant = certwiz_assign_assistant_new (GTK_WINDOW (self), self->store, usages,
                                                  cert != NULL
                                                  ? certreq_certificate_get_thumbprint (cert)
                                                  : NULL);
  g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  g_signal_connect_object (self->assistant, "destroy", G_CALLBACK (on_assistant_destroy),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->assistant));
}

static void
on_remove_clicked (CertwizWindow *self)
{
  if (self->store == NULL)
    return;
  if (self->assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->assistant));
      return;
    }
  show_problem (self, NULL);

  self->assistant = certwiz_remove_assistant_new (GTK_WINDOW (self), self->store,
                                                  get_selected_usages (self));
  g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  g_signal_connect_object (self->assistant, "destroy", G_CALLBACK (on_assistant_destroy),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->assistant));
}

static void
on_view_any_clicked (CertwizWindow *self)
{
  GtkWidget *dialog;

  if (self->store == NULL)
    return;

  dialog = certwiz_view_assistant_new (GTK_WINDOW (self), self->store);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_export_clicked (CertwizWindow *self)
{
  g_autoptr(CertreqCertificate) cert = get_selected_certificate (self);
  GtkWidget *dialog;

  if (cert == NULL)
    return;

  dialog = certwiz_export_dialog_new (GTK_WINDOW (self), self->store, cert);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_usages_dialog_destroy (GtkWidget     *dialog,
                          CertwizWindow *self)
{
  certwiz_window_refresh (self);
}

static void
on_usages_clicked (CertwizWindow *self)
{
  GtkTreeModel *model = NULL;
  GList *rows = gtk_tree_selection_get_selected_rows (self->usages_selection, &model);
  CertreqUsage usage = CERTREQ_USAGE_DEFAULT;
  GtkTreeIter iter;
  GtkWidget *dialog;

  if (self->store == NULL)
    {
      g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);
      return;
    }

  /* The first selected usage is shown first */
  if (rows != NULL && gtk_tree_model_get_iter (model, &iter, rows->data))
    gtk_tree_model_get (model, &iter, COL_USAGE, &usage, -1);
  g_list_free_full (rows, (GDestroyNotify) gtk_tree_path_free);

  dialog = certwiz_usages_dialog_new (GTK_WINDOW (self), self->store, usage);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_usages_dialog_destroy), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_usages_view_row_activated (CertwizWindow     *self,
                              GtkTreePath       *path,
                              GtkTreeViewColumn *column)
{
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->view_button)))
    on_view_clicked (self);
}

static void
on_refresh_clicked (CertwizWindow *self)
{
  show_problem (self, NULL);
  certwiz_window_refresh (self);
}

static void
on_server_dialog_response (GtkDialog     *dialog,
                           int            response,
                           CertwizWindow *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
  certwiz_window_refresh (self);
}

static void
on_server_clicked (CertwizWindow *self)
{
  GtkWidget *dialog;

  if (self->store == NULL)
    return;

  dialog = certwiz_server_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_server_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_cas_dialog_response (GtkDialog *dialog,
                        int        response)
{
  /* Save answers in the dialog itself (GTK_RESPONSE_NONE); Close and the window's
   * close button end it */
  if (response != GTK_RESPONSE_NONE)
    gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_cas_clicked (CertwizWindow *self)
{
  GtkWidget *dialog;

  if (self->store == NULL)
    return;

  /* The request assistant's CA page reads cas.ini again each time it is shown */
  dialog = certwiz_cas_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect (dialog, "response", G_CALLBACK (on_cas_dialog_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_import_assistant (CertwizWindow *self,
                       const char    *path)
{
  if (self->store == NULL ||
      !certwiz_runner_can_change (certwiz_runner_get_for_store (self->store)))
    return;

  if (self->assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->assistant));
      return;
    }

  show_problem (self, NULL);
  self->assistant = certwiz_import_assistant_new (GTK_WINDOW (self), self->store, path);
  g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  g_signal_connect_object (self->assistant, "destroy", G_CALLBACK (on_assistant_destroy),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->assistant));
}

static void
on_import_clicked (CertwizWindow *self)
{
  open_import_assistant (self, NULL);
}

/* A certificate file dropped on the window opens Import Certificate with it */
static void
on_drag_data_received (CertwizWindow    *self,
                       GdkDragContext   *context,
                       int               x,
                       int               y,
                       GtkSelectionData *data,
                       guint             info,
                       guint             time_,
                       gpointer          user_data)
{
  g_auto(GStrv) uris = gtk_selection_data_get_uris (data);
  g_autofree char *path = NULL;

  if (uris != NULL && uris[0] != NULL)
    path = g_filename_from_uri (uris[0], NULL, NULL);
  gtk_drag_finish (context, path != NULL, FALSE, time_);

  if (path != NULL)
    open_import_assistant (self, path);
}

static void
on_pending_clicked (CertwizWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  if (self->assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->assistant));
      return;
    }

  self->assistant = certwiz_pending_assistant_new (GTK_WINDOW (self), self->store, &error);
  if (self->assistant == NULL)
    {
      show_problem (self, error->message);
      return;
    }
  show_problem (self, NULL);
  g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  g_signal_connect_object (self->assistant, "destroy", G_CALLBACK (on_assistant_destroy),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->assistant));
}

static void
on_close_clicked (CertwizWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

void
certwiz_window_set_store (CertwizWindow *self,
                          CertreqStore  *store,
                          const char    *path,
                          const GError  *error)
{
  g_autofree char *text = NULL;
  GtkTreeIter iter;

  g_return_if_fail (CERTWIZ_IS_WINDOW (self));

  g_set_object (&self->store, store);
  g_clear_pointer (&self->store_warning, g_free);

  if (store == NULL)
    {
      /* Translators: %s is a directory */
      text = g_strdup_printf (_("Store: %s (could not be opened)"), path);
      gtk_label_set_text (self->store_label, text);
      show_problem (self, error != NULL ? error->message : NULL);
      update_buttons (self);
      return;
    }

  if (certreq_store_is_writable (store))
    /* Translators: %s is a directory */
    text = g_strdup_printf (_("Store: %s"), path);
  else if (certwiz_runner_can_change (certwiz_runner_get_for_store (store)))
    /* Translators: %s is a directory; an ordinary user sees the machine's store and
     * changes it through pkexec, which asks for an administrator's password */
    text = g_strdup_printf (_("Store: %s (changes need administrator rights)"), path);
  else
    /* Translators: %s is a directory */
    text = g_strdup_printf (_("Store: %s (read-only: you may not change it)"), path);
  gtk_label_set_text (self->store_label, text);

  /* Reported, never repaired (DESIGN "The store") */
  {
    g_autoptr(GPtrArray) problems = certreq_store_check_permissions (store);

    if (problems->len > 0)
      {
        g_autoptr(GString) warning = g_string_new (NULL);
        guint i;

        for (i = 0; i < problems->len; i++)
          {
            if (i > 0)
              g_string_append_c (warning, '\n');
            g_string_append (warning, g_ptr_array_index (problems, i));
          }
        self->store_warning = g_string_free (g_steal_pointer (&warning), FALSE);
      }
  }
  show_problem (self, NULL);

  certwiz_window_refresh (self);

  /* Request starts with the usages selected here; by default the first three, as the
   * original wizard assigns Server default, Web services internal and external */
  gtk_tree_selection_unselect_all (self->usages_selection);
  if (gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->usages_store), &iter))
    {
      for (int i = 0; i < 3; i++)
        {
          gtk_tree_selection_select_iter (self->usages_selection, &iter);
          if (!gtk_tree_model_iter_next (GTK_TREE_MODEL (self->usages_store), &iter))
            break;
        }
    }
  update_buttons (self);
}

CertreqStore *
certwiz_window_get_store (CertwizWindow *self)
{
  g_return_val_if_fail (CERTWIZ_IS_WINDOW (self), NULL);
  return self->store;
}

/* build-aux/bench-startup: with CERTWIZ_BENCH_MAPPED=1, print the moment the window
 * is first mapped, on the clock of g_get_monotonic_time () */
static gboolean
on_first_map_event (GtkWidget *widget,
                    GdkEvent  *event,
                    gpointer   user_data)
{
  g_printerr ("mapped %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (widget, on_first_map_event, user_data);
  return GDK_EVENT_PROPAGATE;
}

static void
certwiz_window_dispose (GObject *object)
{
  CertwizWindow *self = CERTWIZ_WINDOW (object);

  if (self->assistant != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
      self->assistant = NULL;
    }
  g_clear_object (&self->store);
  g_clear_pointer (&self->store_warning, g_free);

  G_OBJECT_CLASS (certwiz_window_parent_class)->dispose (object);
}

static void
certwiz_window_class_init (CertwizWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = certwiz_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, store_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, usages_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, usages_selection);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, usages_store);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, request_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, assign_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, view_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, view_any_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, usages_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, pending_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, server_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, cas_button);
  gtk_widget_class_bind_template_callback (widget_class, on_usages_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_usages_view_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_request_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_view_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_assign_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_view_any_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_usages_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_server_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cas_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pending_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
}

static void
certwiz_window_init (CertwizWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  if (g_strcmp0 (g_getenv ("CERTWIZ_BENCH_MAPPED"), "1") == 0)
    g_signal_connect (self, "map-event", G_CALLBACK (on_first_map_event), NULL);

  /* One row per usage, in the original wizard's order; the labels come from the core */
  for (CertreqUsage usage = CERTREQ_USAGE_DEFAULT; usage < CERTREQ_N_USAGES; usage++)
    gtk_list_store_insert_with_values (self->usages_store, NULL, -1,
                                       COL_USAGE, usage,
                                       COL_LABEL, certreq_usage_get_label (usage),
                                       COL_STATUS, "",
                                       COL_HAS_CERT, FALSE,
                                       -1);
  update_buttons (self);

  gtk_drag_dest_set (GTK_WIDGET (self), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
  gtk_drag_dest_add_uri_targets (GTK_WIDGET (self));
  g_signal_connect (self, "drag-data-received", G_CALLBACK (on_drag_data_received), NULL);
  /* Not the store line: a selectable label that takes the focus shows a stray cursor */
  gtk_widget_grab_focus (GTK_WIDGET (self->usages_view));
}

GtkWidget *
certwiz_window_new (CertwizApplication *application)
{
  return g_object_new (CERTWIZ_TYPE_WINDOW, "application", application, NULL);
}
