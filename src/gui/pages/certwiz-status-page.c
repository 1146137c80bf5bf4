/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-details-dialog.h"
#include "certwiz-status-page.h"
#include "certwiz-runner.h"

struct _CertwizStatusPage
{
  CertwizPage           parent_instance;

  GtkLabel             *status_label;
  GtkInfoBar           *trust_bar;
  GtkLabel             *trust_label;
  GtkLabel             *trust_hint_label;
  GtkButton            *trust_button;
  GtkButton            *import_button;
  GtkGrid              *details_grid;
  GtkLabel             *ca_label;
  GtkLabel             *request_id_label;
  GtkLabel             *subject_label;
  GtkLabel             *names_label;
  GtkLabel             *issuer_label;
  GtkLabel             *valid_from_label;
  GtkLabel             *valid_to_label;
  GtkLabel             *thumbprint_label;
  GtkLabel             *sha256_label;
  GtkButton            *copy_button;
  GtkButton            *view_button;
  GtkCheckButton       *assign_check;
  GtkListBox           *verdict_list;
  GtkInfoBar           *assign_bar;
  GtkSpinner           *assign_spinner;
  GtkLabel             *assign_label;
  GtkButton            *finish_button;

  CertreqSubmitResult  *result;
  /* A renewal: what it did or why it failed, and the certificate shown (the new one, or
   * the old one that still serves) */
  gboolean              renewing;
  CertreqRenewResult   *renew_result;
  GError               *renew_error;
  CertreqCertificate   *renewal_cert;
  gboolean              assignable;    /* the checks allow assignment */
  gboolean              busy;          /* assigning */
  GCancellable         *cancellable;   /* the assignment's */
  GtkFileChooserNative *chooser;
  guint                 focus_id;
};

G_DEFINE_TYPE (CertwizStatusPage, certwiz_status_page, CERTWIZ_TYPE_PAGE)

static char *
format_date_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (when);
  /* Translators: how dates and times of certificates are shown; see g_date_time_format() */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
}

static CertreqCertificate *
get_certificate (CertwizStatusPage *self)
{
  if (self->renewing)
    return self->renewal_cert;
  if (self->result == NULL || self->result->status != CERTREQ_SUBMIT_ISSUED)
    return NULL;
  return self->result->certificate;
}

static void
show_assign_message (CertwizStatusPage *self,
                     GtkMessageType     type,
                     const char        *message,
                     gboolean           spinning)
{
  if (message == NULL)
    {
      gtk_spinner_stop (self->assign_spinner);
      gtk_widget_hide (GTK_WIDGET (self->assign_bar));
      return;
    }

  gtk_info_bar_set_message_type (self->assign_bar, type);
  gtk_label_set_text (self->assign_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->assign_spinner), spinning);
  if (spinning)
    gtk_spinner_start (self->assign_spinner);
  else
    gtk_spinner_stop (self->assign_spinner);
  gtk_widget_show (GTK_WIDGET (self->assign_bar));
}

/* ---- The per-usage checks ---- */

/* @chain_message: the untrusted chain's sentence, already shown in the trust summary
 * above the list, or NULL */
static void
add_verdict_row (CertwizStatusPage         *self,
                 const CertreqUsageVerdict *verdict,
                 const char                *chain_message)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon;
  GtkWidget *usage_label = gtk_label_new (certreq_usage_get_label (verdict->usage));
  GtkWidget *verdict_label;
  const char *icon_name;
  const char *text;

  switch (verdict->kind)
    {
    case CERTREQ_VERDICT_OK:
      icon_name = "object-select-symbolic";
      /* Translators: verdict for one certificate usage on the status page */
      text = verdict->reason != NULL ? verdict->reason : _("Can be assigned");
      break;
    case CERTREQ_VERDICT_WARNING:
      icon_name = "dialog-warning-symbolic";
      text = verdict->reason;
      break;
    case CERTREQ_VERDICT_REFUSED:
    default:
      icon_name = "dialog-error-symbolic";
      /* Each usage would repeat the summary's long sentence: point to it instead */
      if (chain_message != NULL && g_strcmp0 (verdict->reason, chain_message) == 0)
        text = _("The certificate chain does not verify (see above).");
      else
        text = verdict->reason;
      break;
    }

  icon = gtk_image_new_from_icon_name (icon_name, GTK_ICON_SIZE_MENU);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  verdict_label = gtk_label_new (text != NULL ? text : "");
  gtk_label_set_xalign (GTK_LABEL (usage_label), 0);
  gtk_label_set_yalign (GTK_LABEL (usage_label), 0);
  gtk_label_set_width_chars (GTK_LABEL (usage_label), 20);
  gtk_label_set_xalign (GTK_LABEL (verdict_label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (verdict_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (verdict_label), TRUE);
  gtk_widget_set_hexpand (verdict_label, TRUE);
  g_object_set (box, "margin-top", 2, "margin-bottom", 2, NULL);

  gtk_container_add (GTK_CONTAINER (box), icon);
  gtk_container_add (GTK_CONTAINER (box), usage_label);
  gtk_container_add (GTK_CONTAINER (box), verdict_label);
  gtk_widget_show_all (box);
  gtk_container_add (GTK_CONTAINER (self->verdict_list), box);
}

static void
clear_verdicts (CertwizStatusPage *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->verdict_list));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

static void
set_assignable (CertwizStatusPage *self,
                gboolean           assignable)
{
  /* Checked by default; when assignment becomes possible again (after trusting the
   * root), the box is checked again */
  if (assignable && !self->assignable)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->assign_check), TRUE);
  else if (!assignable)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->assign_check), FALSE);

  self->assignable = assignable;
  gtk_widget_set_sensitive (GTK_WIDGET (self->assign_check), assignable && !self->busy);
}

static void
run_checks (CertwizStatusPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  CertreqCertificate *cert = get_certificate (self);
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean refused = FALSE;

  clear_verdicts (self);
  gtk_widget_hide (GTK_WIDGET (self->trust_bar));

  if (cert == NULL || store == NULL)
    {
      set_assignable (self, FALSE);
      return;
    }

  verdicts = certreq_assign_check (store, cert, certreq_request_get_usages (request), &chain,
                                   &error);
  if (verdicts == NULL)
    {
      show_assign_message (self, GTK_MESSAGE_ERROR, error->message, FALSE);
      set_assignable (self, FALSE);
      return;
    }

  for (guint i = 0; i < verdicts->len; i++)
    {
      const CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);

      add_verdict_row (self, verdict,
                       chain != NULL && chain->status != CERTREQ_CHAIN_TRUSTED
                       ? chain->message : NULL);
      refused |= verdict->kind == CERTREQ_VERDICT_REFUSED;
    }

  if (chain != NULL && chain->status != CERTREQ_CHAIN_TRUSTED)
    {
      gboolean lab_ca = g_strcmp0 (self->result->ca_id, CERTREQ_LOCAL_CA_ID) == 0;

      gtk_label_set_text (self->trust_label, chain->message);
      gtk_label_set_text (self->trust_hint_label,
                          lab_ca
                          ? _("The built-in lab CA is not trusted yet. Trusting it adds its root "
                              "certificate to Certwiz’s own trusted root certification "
                              "authorities, not to the system’s.")
                          : _("Import the root and intermediate CA certificates of the "
                              "certification authority, then the page checks again. You can "
                              "also assign the certificate later with Assign on the main page."));
      gtk_widget_set_visible (GTK_WIDGET (self->trust_button), lab_ca);
      gtk_widget_set_visible (GTK_WIDGET (self->import_button), !lab_ca);
      gtk_widget_show (GTK_WIDGET (self->trust_bar));
      refused = TRUE;
    }

  set_assignable (self, !refused);
}

/* ---- Showing the result ---- */

static void
show_certificate_rows (CertwizStatusPage *self,
                       gboolean           visible)
{
  /* Rows 2.. of the grid describe the certificate; a pending or denied request has none */
  for (int row = 2; row <= 8; row++)
    for (int column = 0; column <= 2; column++)
      {
        GtkWidget *child = gtk_grid_get_child_at (self->details_grid, column, row);

        if (child != NULL)
          gtk_widget_set_visible (child, visible);
      }
}

static void show_certificate (CertwizStatusPage  *self,
                              CertreqCertificate *cert);

/* A usage row of a renewal: which certificate serves it now */
static void
add_usage_row (CertwizStatusPage  *self,
               CertreqUsage        usage,
               CertreqVerdictKind  kind,
               const char         *text)
{
  CertreqUsageVerdict verdict = { usage, kind, (char *) text };

  add_verdict_row (self, &verdict, NULL);
}

static void
refresh_renewal (CertwizStatusPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *old = certreq_request_get_replaces (request);
  const CertreqRenewResult *result = self->renew_result;
  const char *new_thumbprint = NULL;
  g_autofree char *status = NULL;
  gboolean renewed;

  show_assign_message (self, GTK_MESSAGE_INFO, NULL, FALSE);
  gtk_widget_hide (GTK_WIDGET (self->trust_bar));
  gtk_widget_hide (GTK_WIDGET (self->assign_check));
  clear_verdicts (self);
  set_assignable (self, FALSE);

  renewed = result != NULL && result->new_thumbprint != NULL &&
            (result->outcome == CERTREQ_RENEW_RENEWED ||
             result->outcome == CERTREQ_RENEW_ALREADY_RENEWED);
  if (renewed)
    new_thumbprint = result->new_thumbprint;

  g_clear_object (&self->renewal_cert);
  if (store != NULL)
    self->renewal_cert = certreq_store_find_certificate (store, renewed ? new_thumbprint : old,
                                                         NULL);

  if (renewed)
    status = g_strdup_printf ("%s %s", _("The certificate was renewed."),
                              result->message != NULL ? result->message : "");
  else if (result != NULL)
    /* Translators: %s says what the renewal did (a sentence from the core) */
    status = g_strdup_printf (_("%s The old certificate keeps serving its usages."),
                              result->message != NULL ? result->message : "");
  else
    /* Translators: %s is why the renewal failed (sentences) */
    status = g_strdup_printf (_("The renewal failed. %s"),
                              self->renew_error != NULL ? self->renew_error->message : "");
  gtk_label_set_text (self->status_label, g_strstrip (status));

  if (certreq_request_get_online (request))
    {
      const char *ca_id = certreq_request_get_ca_id (request);
      g_autoptr(CertreqCaClient) client = store != NULL
                                          ? certreq_ca_client_new_for_id (store, ca_id, NULL)
                                          : NULL;

      gtk_label_set_text (self->ca_label,
                          client != NULL ? certreq_ca_client_get_name (client) : ca_id);
    }
  else
    gtk_label_set_text (self->ca_label, "");
  gtk_label_set_text (self->request_id_label,
                      result != NULL && result->pending_id != NULL ? result->pending_id
                                                                   : _("None"));

  show_certificate_rows (self, self->renewal_cert != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->view_button), self->renewal_cert != NULL);
  if (self->renewal_cert != NULL)
    show_certificate (self, self->renewal_cert);

  /* Each usage that either certificate serves now, read back from the store */
  for (CertreqUsage usage = 0; store != NULL && usage < CERTREQ_N_USAGES; usage++)
    {
      g_autofree char *assigned = certreq_store_get_assigned (store, usage);

      if (assigned == NULL)
        continue;
      if (new_thumbprint != NULL && g_ascii_strcasecmp (assigned, new_thumbprint) == 0)
        /* Translators: a usage on the renewal's status page */
        add_usage_row (self, usage, CERTREQ_VERDICT_OK, _("Now uses the new certificate"));
      else if (old != NULL && g_ascii_strcasecmp (assigned, old) == 0)
        /* Translators: a usage on the renewal's status page */
        add_usage_row (self, usage, renewed ? CERTREQ_VERDICT_REFUSED : CERTREQ_VERDICT_WARNING,
                       _("Still uses the old certificate"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_list), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->verdict_list), TRUE);
}

static void
refresh (CertwizStatusPage *self)
{
  CertreqCertificate *cert = get_certificate (self);
  g_autofree char *status = NULL;

  if (self->renewing)
    {
      refresh_renewal (self);
      return;
    }

  show_assign_message (self, GTK_MESSAGE_INFO, NULL, FALSE);

  if (self->result == NULL)
    {
      gtk_label_set_text (self->status_label,
                          _("The certification authority has not answered yet."));
      show_certificate_rows (self, FALSE);
      gtk_widget_hide (GTK_WIDGET (self->view_button));
      gtk_widget_hide (GTK_WIDGET (self->assign_check));
      gtk_widget_hide (GTK_WIDGET (self->verdict_list));
      set_assignable (self, FALSE);
      return;
    }

  gtk_label_set_text (self->ca_label,
                      self->result->ca_name != NULL ? self->result->ca_name
                                                    : self->result->ca_id ?: "");
  /* Translators: shown when the CA gave no request ID */
  gtk_label_set_text (self->request_id_label,
                      self->result->request_id != NULL ? self->result->request_id : _("None"));

  switch (self->result->status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      status = g_strdup (_("The certificate was issued."));
      break;
    case CERTREQ_SUBMIT_PENDING:
      /* The request ID is in its own row below; Finish closes, the request waits in the
       * store for Process Pending Request */
      status = g_strdup_printf ("%s %s",
                                _("The certification authority is holding the request for "
                                  "approval."),
                                _("Once it is approved, use Process Pending Request on the main "
                                  "page to retrieve the certificate."));
      break;
    case CERTREQ_SUBMIT_DENIED:
    default:
      /* Translators: %s is the CA's reason */
      status = g_strdup_printf (_("The certification authority denied the request: %s"),
                                self->result->reason != NULL ? self->result->reason
                                                             : _("no reason given"));
      break;
    }
  gtk_label_set_text (self->status_label, status);

  show_certificate_rows (self, cert != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->view_button), cert != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->assign_check), cert != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_list), cert != NULL);

  if (cert != NULL)
    show_certificate (self, cert);

  run_checks (self);
}

static void
show_certificate (CertwizStatusPage  *self,
                  CertreqCertificate *cert)
{
    {
      g_autofree char *subject = certreq_certificate_get_subject (cert);
      g_autofree char *issuer = certreq_certificate_get_issuer (cert);
      g_auto(GStrv) names = certreq_certificate_get_dns_names (cert);
      g_autofree char *names_text = names != NULL ? g_strjoinv (", ", names) : g_strdup ("");
      g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (cert);
      g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
      g_autofree char *from = format_date_time (not_before);
      g_autofree char *to = format_date_time (not_after);

      gtk_label_set_text (self->subject_label, subject);
      gtk_label_set_text (self->names_label, names_text);
      gtk_label_set_text (self->issuer_label, issuer);
      gtk_label_set_text (self->valid_from_label, from);
      gtk_label_set_text (self->valid_to_label, to);
      gtk_label_set_text (self->thumbprint_label, certreq_certificate_get_thumbprint (cert));
      gtk_label_set_text (self->sha256_label, certreq_certificate_get_sha256 (cert));
    }
}

/* ---- Trust ---- */

static void start_trust (CertwizStatusPage *self,
                         GPtrArray         *certs);

static void
on_trust_clicked (CertwizStatusPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (store == NULL || self->busy)
    return;

  /* The lab CA's root came with the certificate; a store this process may read
   * (local-ca/ is root's) can also give it directly */
  for (guint i = 0; self->result != NULL && self->result->chain != NULL &&
                    i < self->result->chain->len; i++)
    {
      CertreqCertificate *link = g_ptr_array_index (self->result->chain, i);

      if (certreq_certificate_is_self_issued (link))
        g_ptr_array_add (certs, g_object_ref (link));
    }
  if (certs->len == 0)
    {
      g_autoptr(CertreqCaClient) ca = certreq_ca_local_new (store);
      CertreqCertificate *root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (ca), &error);

      if (root == NULL)
        {
          gtk_label_set_text (self->trust_hint_label, error->message);
          return;
        }
      g_ptr_array_add (certs, root);
    }

  start_trust (self, certs);
}

static void
on_chooser_response (GtkNativeDialog   *dialog,
                     int                response,
                     CertwizStatusPage *self)
{
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSList) files = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (GSList *l = files; l != NULL && error == NULL; l = l->next)
        {
          g_autofree char *path = g_file_get_path (l->data);
          g_autoptr(GPtrArray) found = path != NULL
                                       ? certreq_certificate_list_load (path, &error) : NULL;

          for (guint i = 0; found != NULL && i < found->len; i++)
            g_ptr_array_add (certs, g_object_ref (g_ptr_array_index (found, i)));
        }
      g_slist_free_full (g_steal_pointer (&files), g_object_unref);
    }

  g_clear_object (&self->chooser);

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  if (error != NULL)
    {
      gtk_label_set_text (self->trust_hint_label, error->message);
      return;
    }
  if (certs->len > 0)
    start_trust (self, certs);
}

static void
on_import_clicked (CertwizStatusPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkFileFilter *filter;

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Import CA Certificates"),
                                               GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel)
                                                                        : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Certificates (PEM or DER)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.cer");
  gtk_file_filter_add_pattern (filter, "*.der");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- Buttons ---- */

static void
on_copy_clicked (CertwizStatusPage *self)
{
  CertreqCertificate *cert = get_certificate (self);
  GtkClipboard *clipboard;

  if (cert == NULL)
    return;

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD);
  gtk_clipboard_set_text (clipboard, certreq_certificate_get_thumbprint (cert), -1);
}

static void
on_view_clicked (CertwizStatusPage *self)
{
  CertreqCertificate *cert = get_certificate (self);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (cert == NULL)
    return;

  dialog = certwiz_details_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                       cert, certwiz_page_get_store (CERTWIZ_PAGE (self)),
                                       self->result != NULL ? self->result->chain : NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_assign_toggled (CertwizStatusPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->verdict_list),
                            gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->assign_check)));
}

static void
close_assistant (CertwizStatusPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  if (GTK_IS_ASSISTANT (toplevel))
    g_signal_emit_by_name (toplevel, "close");
}

typedef struct
{
  CertwizStatusPage *page;
  GCancellable      *cancellable;
} Operation;

static void
operation_free (Operation *op)
{
  g_clear_object (&op->page);
  g_clear_object (&op->cancellable);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operation, operation_free)

static void
set_busy (CertwizStatusPage *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->finish_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->assign_check), self->assignable && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->trust_bar), !busy);
}

static void
on_assigned (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  CertwizStatusPage *self = op->page;
  g_autoptr(GError) error = NULL;

  if (!certwiz_runner_assign_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)),
                                     result, &error))
    {
      if (op->cancellable != self->cancellable)
        return;
      set_busy (self, FALSE);
      g_clear_object (&self->cancellable);
      /* Stay open with the reason (DESIGN: all-or-nothing, nothing was changed) */
      show_assign_message (self, GTK_MESSAGE_ERROR, error->message, FALSE);
      return;
    }

  if (op->cancellable != self->cancellable)
    return;

  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);
  close_assistant (self);
}

static void
on_trusted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Operation) op = user_data;
  CertwizStatusPage *self = op->page;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = certwiz_runner_trust_finish (certwiz_runner_get_for_store (CERTREQ_STORE (source)), result,
                                    &error);
  if (op->cancellable != self->cancellable)
    return;

  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);
  /* What was trusted before a failure stays trusted: check again either way */
  run_checks (self);
  if (!ok)
    gtk_label_set_text (self->trust_hint_label, error->message);
}

static void
start_trust (CertwizStatusPage *self,
             GPtrArray         *certs)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  Operation *op;

  if (self->busy || store == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  op = g_new0 (Operation, 1);
  op->page = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  certwiz_runner_trust_async (certwiz_runner_get_for_store (store), certs, self->cancellable,
                              on_trusted, op);
}

static void
on_finish_clicked (CertwizStatusPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  CertreqCertificate *cert = get_certificate (self);
  Operation *op;

  if (self->busy)
    return;

  if (cert == NULL || store == NULL || !self->assignable ||
      !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->assign_check)))
    {
      close_assistant (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  show_assign_message (self, GTK_MESSAGE_INFO,
                       _("Assigning the certificate to the chosen usages…"), TRUE);

  op = g_new0 (Operation, 1);
  op->page = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  certwiz_runner_assign_async (certwiz_runner_get_for_store (store), cert,
                               certreq_request_get_usages (request), self->cancellable,
                               on_assigned, op);
}

/* ---- CertwizPage ---- */

static gboolean
focus_finish_idle (gpointer user_data)
{
  CertwizStatusPage *self = CERTWIZ_STATUS_PAGE (user_data);
  GtkLabel *labels[] = {
    self->status_label, self->trust_label, self->ca_label, self->request_id_label,
    self->subject_label, self->names_label, self->issuer_label, self->valid_from_label,
    self->valid_to_label, self->thumbprint_label, self->sha256_label,
  };

  self->focus_id = 0;

  /* GtkAssistant moves the focus to the page's first focusable widget after "prepare",
   * a selectable label that then shows its whole text selected. Finish is what the
   * page is for: Enter presses it. */
  if (gtk_widget_get_realized (GTK_WIDGET (self->finish_button)))
    gtk_widget_grab_default (GTK_WIDGET (self->finish_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->finish_button));
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gtk_label_select_region (labels[i], 0, 0);

  return G_SOURCE_REMOVE;
}

static void
certwiz_status_page_prepare (CertwizPage *page)
{
  CertwizStatusPage *self = CERTWIZ_STATUS_PAGE (page);

  refresh (self);
  if (self->focus_id == 0)
    self->focus_id = g_idle_add (focus_finish_idle, self);
}

static void
certwiz_status_page_leave (CertwizPage *page)
{
  CertwizStatusPage *self = CERTWIZ_STATUS_PAGE (page);

  g_cancellable_cancel (self->cancellable);
}

/* ---- Public ---- */

void
certwiz_status_page_set_result (CertwizStatusPage         *self,
                                 const CertreqSubmitResult *result)
{
  g_return_if_fail (CERTWIZ_IS_STATUS_PAGE (self));

  g_clear_pointer (&self->result, certreq_submit_result_free);
  if (result != NULL)
    self->result = certreq_submit_result_copy (result);
  /* Finish only closes or assigns: the page is never "incomplete" once it has an answer */
  certwiz_page_set_complete (CERTWIZ_PAGE (self), result != NULL);
}

static CertreqRenewResult *
renew_result_copy (const CertreqRenewResult *result)
{
  CertreqRenewResult *copy = g_new0 (CertreqRenewResult, 1);

  copy->thumbprint = g_strdup (result->thumbprint);
  copy->outcome = result->outcome;
  copy->new_thumbprint = g_strdup (result->new_thumbprint);
  copy->reassigned = result->reassigned;
  copy->pending_id = g_strdup (result->pending_id);
  copy->due = result->due != NULL ? g_date_time_ref (result->due) : NULL;
  copy->next_attempt = result->next_attempt != NULL ? g_date_time_ref (result->next_attempt)
                                                    : NULL;
  copy->message = g_strdup (result->message);
  copy->log_path = g_strdup (result->log_path);
  return copy;
}

void
certwiz_status_page_set_renewal (CertwizStatusPage        *self,
                                 const CertreqRenewResult *result,
                                 const GError             *error)
{
  g_return_if_fail (CERTWIZ_IS_STATUS_PAGE (self));
  g_return_if_fail (result != NULL || error != NULL);

  self->renewing = TRUE;
  g_clear_pointer (&self->renew_result, certreq_renew_result_free);
  g_clear_error (&self->renew_error);
  if (result != NULL)
    self->renew_result = renew_result_copy (result);
  else
    self->renew_error = g_error_copy (error);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
}

GtkWidget *
certwiz_status_page_get_action_widget (CertwizStatusPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_STATUS_PAGE (self), NULL);
  return GTK_WIDGET (self->finish_button);
}

/* ---- GObject ---- */

static void
certwiz_status_page_dispose (GObject *object)
{
  CertwizStatusPage *self = CERTWIZ_STATUS_PAGE (object);

  /* R11 */
  g_clear_handle_id (&self->focus_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_pointer (&self->result, certreq_submit_result_free);
  g_clear_pointer (&self->renew_result, certreq_renew_result_free);
  g_clear_error (&self->renew_error);
  g_clear_object (&self->renewal_cert);

  G_OBJECT_CLASS (certwiz_status_page_parent_class)->dispose (object);
}

static void
certwiz_status_page_class_init (CertwizStatusPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->dispose = certwiz_status_page_dispose;
  page_class->prepare = certwiz_status_page_prepare;
  page_class->leave = certwiz_status_page_leave;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certwiz/Certwiz/ui/certwiz-status-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, trust_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, trust_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, trust_hint_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, trust_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, details_grid);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, ca_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, request_id_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, subject_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, names_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, valid_from_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, valid_to_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, thumbprint_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, sha256_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, view_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, assign_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, verdict_list);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, assign_bar);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, assign_spinner);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, assign_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizStatusPage, finish_button);
  gtk_widget_class_bind_template_callback (widget_class, on_trust_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_view_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_assign_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_finish_clicked);
}

static void
certwiz_status_page_init (CertwizStatusPage *self)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A fingerprint broken over two lines must not gain a hyphen that is not part of it */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->sha256_label, attrs);
  gtk_label_set_attributes (self->thumbprint_label, attrs);

  /* Translators: the seed page's exact title; German "Status der Onlinezertifikatsanforderung" */
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Online Certificate Request Status"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CUSTOM);
}

GtkWidget *
certwiz_status_page_new (CertreqRequest *request,
                         CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_STATUS_PAGE, "request", request, "store", store, NULL);
}
