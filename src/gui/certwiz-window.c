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
  COL_RENEWAL,
};

struct _CertwizWindow
{
  GtkApplicationWindow  parent_instance;

  GtkLabel             *store_label;
  GtkInfoBar           *info_bar;
  GtkLabel             *info_label;
  GtkInfoBar           *renewal_bar;
  GtkLabel             *renewal_label;
  GtkButton            *renewal_bar_button;
  GtkButton            *renew_button;
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
  GPtrArray            *renewals;    /* CertreqRenewalStatus of every certificate */
  char                 *banner_thumbprint;  /* what the banner's Renew… renews */
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

static const CertreqRenewalStatus *
find_renewal (CertwizWindow *self,
              const char    *thumbprint)
{
  for (guint i = 0; self->renewals != NULL && thumbprint != NULL && i < self->renewals->len; i++)
    {
      const CertreqRenewalStatus *status = g_ptr_array_index (self->renewals, i);

      if (g_ascii_strcasecmp (status->thumbprint, thumbprint) == 0)
        return status;
    }
  return NULL;
}

static char *get_selected_thumbprint (CertwizWindow *self);

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
  /* Renew: the selected usage's certificate came from a request Certwiz keeps */
  {
    g_autofree char *thumbprint = have_store ? get_selected_thumbprint (self) : NULL;
    const CertreqRenewalStatus *status = find_renewal (self, thumbprint);

    gtk_widget_set_sensitive (GTK_WIDGET (self->renew_button),
                              can_change && status != NULL && status->renewable);
  }
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

/* "Due for renewal (12 days left)": the state, with the days left where they matter */
static char *
format_renewal (const CertreqRenewalStatus *status)
{
  const char *label;

  if (status == NULL)
    return NULL;
  label = certreq_renewal_state_get_label (status->state);
  switch (status->state)
    {
    case CERTREQ_RENEWAL_STATE_DUE:
    case CERTREQ_RENEWAL_STATE_FAILED:
    case CERTREQ_RENEWAL_STATE_WAITING:
      if (status->days_left >= 0)
        /* Translators: the renewal column of the main window; %1$s is a renewal status
         * ("Due for renewal"), %2$d the days until the certificate expires */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$s (%2$d day left)",
                                             "%1$s (%2$d days left)", status->days_left),
                                label, (int) status->days_left);
      return g_strdup (label);
    case CERTREQ_RENEWAL_STATE_OK:
    case CERTREQ_RENEWAL_STATE_EXPIRED:
    case CERTREQ_RENEWAL_STATE_RENEWED:
    default:
      return g_strdup (label);
    }
}

/* The certificate names in the banner: its friendly name, else its thumbprint */
static char *
certificate_name (CertwizWindow *self,
                  const char    *thumbprint)
{
  g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (self->store, thumbprint);

  if (meta != NULL && meta->friendly_name != NULL && *meta->friendly_name != '\0')
    /* Translators: a certificate named by its friendly name, then its thumbprint */
    return g_strdup_printf (_("“%1$s” (%2$s)"), meta->friendly_name, thumbprint);
  return g_strdup (thumbprint);
}

static char *
usage_names (CertreqUsageFlags usages)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (CertreqUsage usage = 0; usage < CERTREQ_N_USAGES; usage++)
    if (usages & CERTREQ_USAGE_TO_FLAG (usage))
      g_ptr_array_add (labels, (gpointer) certreq_usage_get_label (usage));
  g_ptr_array_add (labels, NULL);
  /* Translators: separates the usage names in a list */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

/* How urgent a certificate is for the banner: lower is more urgent; -1 for none */
static int
banner_rank (const CertreqRenewalStatus *status)
{
  gboolean assigned = status->assigned != CERTREQ_USAGE_FLAG_NONE;

  switch (status->state)
    {
    case CERTREQ_RENEWAL_STATE_EXPIRED:
      return assigned ? 0 : -1;
    case CERTREQ_RENEWAL_STATE_FAILED:
      return 1;
    case CERTREQ_RENEWAL_STATE_DUE:
      return assigned ? 2 : -1;
    case CERTREQ_RENEWAL_STATE_WAITING:
      return assigned ? 3 : -1;
    case CERTREQ_RENEWAL_STATE_OK:
    case CERTREQ_RENEWAL_STATE_RENEWED:
    default:
      return -1;
    }
}

/* The banner: what is due, failed or expired while assigned; Renew… for the most urgent */
static void
update_banner (CertwizWindow *self)
{
  const CertreqRenewalStatus *worst = NULL;
  g_autofree char *name = NULL;
  g_autofree char *usages = NULL;
  g_autofree char *text = NULL;
  guint others = 0;
  gboolean can_change;

  g_clear_pointer (&self->banner_thumbprint, g_free);
  for (guint i = 0; self->renewals != NULL && i < self->renewals->len; i++)
    {
      const CertreqRenewalStatus *status = g_ptr_array_index (self->renewals, i);
      int rank = banner_rank (status);

      if (rank < 0)
        continue;
      if (worst != NULL)
        others++;
      /* The list runs from the soonest expiry on: the first of a rank is its most urgent */
      if (worst == NULL || rank < banner_rank (worst))
        worst = status;
    }

  if (worst == NULL)
    {
      gtk_widget_hide (GTK_WIDGET (self->renewal_bar));
      return;
    }

  name = certificate_name (self, worst->thumbprint);
  usages = usage_names (worst->assigned);
  switch (worst->state)
    {
    case CERTREQ_RENEWAL_STATE_EXPIRED:
      /* Translators: %1$s names a certificate, %2$s the usages it serves */
      text = g_strdup_printf (_("The certificate %1$s has expired and still serves: %2$s."),
                              name, usages);
      break;
    case CERTREQ_RENEWAL_STATE_FAILED:
      /* Translators: %1$s names a certificate, %2$s why the renewal failed (a sentence) */
      text = g_strdup_printf (_("Renewing the certificate %1$s failed: %2$s"), name,
                              worst->record != NULL && worst->record->last_error != NULL
                                ? worst->record->last_error : "—");
      break;
    case CERTREQ_RENEWAL_STATE_WAITING:
      /* Translators: %1$s names a certificate, %2$s the usages it serves */
      text = g_strdup_printf (_("The certification authority holds the renewal of the "
                                "certificate %1$s, which serves: %2$s."), name, usages);
      break;
    case CERTREQ_RENEWAL_STATE_DUE:
    default:
      /* Translators: %1$s names a certificate, %2$d the days until it expires, %3$s the
       * usages it serves */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The certificate %1$s is due for renewal: it "
                                           "expires in %2$d day and serves: %3$s.",
                                           "The certificate %1$s is due for renewal: it "
                                           "expires in %2$d days and serves: %3$s.",
                                           MAX (worst->days_left, 0)),
                              name, (int) MAX (worst->days_left, 0), usages);
      break;
    }
  if (others > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            /* Translators: appended to the banner */
                                                            "%u more certificate needs "
                                                            "attention.",
                                                            "%u more certificates need "
                                                            "attention.", others),
                                               others);
      g_autofree char *both = g_strdup_printf ("%s %s", text, more);

      g_free (text);
      text = g_steal_pointer (&both);
    }

  can_change = certwiz_runner_can_change (certwiz_runner_get_for_store (self->store));
  self->banner_thumbprint = g_strdup (worst->thumbprint);
  gtk_label_set_text (self->renewal_label, text);
  gtk_info_bar_set_message_type (self->renewal_bar,
                                 worst->state == CERTREQ_RENEWAL_STATE_EXPIRED ||
                                 worst->state == CERTREQ_RENEWAL_STATE_FAILED
                                 ? GTK_MESSAGE_ERROR : GTK_MESSAGE_WARNING);
  gtk_widget_set_visible (GTK_WIDGET (self->renewal_bar_button), worst->renewable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->renewal_bar_button), can_change);
  gtk_widget_show (GTK_WIDGET (self->renewal_bar));
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
  g_autofree char *renewal = NULL;
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
                          COL_RENEWAL, "",
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
                          COL_RENEWAL, "",
                          -1);
      return;
    }

  meta = certreq_store_get_meta (self->store, certreq_certificate_get_thumbprint (cert));
  renewal = format_renewal (find_renewal (self, certreq_certificate_get_thumbprint (cert)));
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
                      COL_RENEWAL, renewal != NULL ? renewal : "",
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

  /* Renewal states first: the rows and the banner show them */
  {
    g_autoptr(GError) error = NULL;
    GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

    g_clear_pointer (&self->renewals, g_ptr_array_unref);
    self->renewals = certreq_renewal_list (self->store, CERTREQ_RENEWAL_RULE_DEFAULT, NULL,
                                           &error);
    if (self->renewals == NULL)
      g_debug ("renewal states: %s", error->message);
    update_banner (self);
    /* The desktop hears of what changed since it was last told (one notification per
     * change, however often the window refreshes) */
    if (self->renewals != NULL && CERTWIZ_IS_APPLICATION (app))
      certwiz_application_notify_renewals (CERTWIZ_APPLICATION (app), self->store,
                                           self->renewals);
  }

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

static char *
get_selected_thumbprint (CertwizWindow *self)
{
  GtkTreeModel *model = NULL;
  GList *rows = gtk_tree_selection_get_selected_rows (self->usages_selection, &model);
  char *thumbprint = NULL;

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
  return thumbprint;
}

static void
open_renewal (CertwizWindow *self,
              const char    *thumbprint)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || thumbprint == NULL ||
      !certwiz_runner_can_change (certwiz_runner_get_for_store (self->store)))
    return;
  if (self->assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->assistant));
      return;
    }

  self->assistant = certwiz_request_assistant_new_renewal (GTK_WINDOW (self), self->store,
                                                           thumbprint, &error);
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
on_renew_clicked (CertwizWindow *self)
{
  g_autofree char *thumbprint = get_selected_thumbprint (self);

  open_renewal (self, thumbprint);
}

static void
on_renewal_bar_clicked (CertwizWindow *self)
{
  g_autofree char *thumbprint = g_strdup (self->banner_thumbprint);

  open_renewal (self, thumbprint);
}

void
certwiz_window_select_certificate (CertwizWindow *self,
                                   const char    *thumbprint)
{
  GtkTreeIter iter;
  gboolean valid;
  gboolean any = FALSE;

  g_return_if_fail (CERTWIZ_IS_WINDOW (self));

  if (thumbprint == NULL || self->store == NULL)
    return;
  valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->usages_store), &iter);
  while (valid)
    {
      g_autofree char *row_thumbprint = NULL;

      gtk_tree_model_get (GTK_TREE_MODEL (self->usages_store), &iter,
                          COL_THUMBPRINT, &row_thumbprint, -1);
      if (row_thumbprint != NULL && g_ascii_strcasecmp (row_thumbprint, thumbprint) == 0)
        {
          if (!any)
            gtk_tree_selection_unselect_all (self->usages_selection);
          gtk_tree_selection_select_iter (self->usages_selection, &iter);
          any = TRUE;
        }
      valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (self->usages_store), &iter);
    }
  update_buttons (self);
}

static CertreqCertificate *
get_selected_certificate (CertwizWindow *self)
{
  g_autofree char *thumbprint = get_selected_thumbprint (self);
  CertreqCertificate *cert = NULL;

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
  g_clear_pointer (&self->renewals, g_ptr_array_unref);
  g_clear_pointer (&self->banner_thumbprint, g_free);
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
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, renewal_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, renewal_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, renewal_bar_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizWindow, renew_button);
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
  gtk_widget_class_bind_template_callback (widget_class, on_renew_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_renewal_bar_clicked);
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
                                       COL_RENEWAL, "",
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
