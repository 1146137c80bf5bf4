/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-page.h"
#include "certwiz-request-assistant.h"

#include "certwiz-intro-page.h"
#include "certwiz-mode-page.h"
#include "certwiz-request-file-page.h"
#include "certwiz-ca-page.h"
#include "certwiz-account-page.h"
#include "certwiz-template-page.h"
#include "certwiz-basics-page.h"
#include "certwiz-organization-page.h"
#include "certwiz-geography-page.h"
#include "certwiz-names-page.h"
#include "certwiz-sip-page.h"
#include "certwiz-extra-names-page.h"
#include "certwiz-summary-page.h"
#include "certwiz-executing-page.h"
#include "certwiz-status-page.h"
#include "certwiz-request-file-done-page.h"

struct _CertwizRequestAssistant
{
  GtkAssistant    parent_instance;

  CertreqStore   *store;
  CertreqRequest *request;

  CertwizPage    *current_page;     /* the page shown, to tell it when it is left */
  gboolean        renewing;         /* the request replaces a certificate (Renew) */
  CertwizPage    *summary_page;
  guint           skip_id;          /* going forward to the summary of a renewal */
  CertwizPage    *executing_page;
  CertwizPage    *status_page;
  GtkWidget      *finish_button;    /* the status page's own action widget */
  /* Offline requests (reference/wizard.md §2.3) */
  CertwizPage    *request_file_page;
  CertwizPage    *ca_page;
  CertwizPage    *account_page;
  CertwizPage    *template_page;
  CertwizPage    *request_file_done_page;
  GtkWidget      *file_finish_button;
};

G_DEFINE_TYPE (CertwizRequestAssistant, certwiz_request_assistant, GTK_TYPE_ASSISTANT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_REQUEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Page properties -> GtkAssistant child properties (R5) ---- */

static void
on_page_title_changed (CertwizPage             *page,
                       GParamSpec              *pspec,
                       CertwizRequestAssistant *self)
{
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                certwiz_page_get_title (page));
}

static void
on_page_type_changed (CertwizPage             *page,
                      GParamSpec              *pspec,
                      CertwizRequestAssistant *self)
{
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), GTK_WIDGET (page),
                               certwiz_page_get_page_type (page));
}

static void
on_page_complete_changed (CertwizPage             *page,
                          GParamSpec              *pspec,
                          CertwizRequestAssistant *self)
{
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), GTK_WIDGET (page),
                                   certwiz_page_get_complete (page));
}

static CertwizPage *
add_page (CertwizRequestAssistant *self,
          GType                    type)
{
  CertwizPage *page = g_object_new (type,
                                    "request", self->request,
                                    "store", self->store,
                                    NULL);

  gtk_widget_show (GTK_WIDGET (page));
  gtk_assistant_append_page (GTK_ASSISTANT (self), GTK_WIDGET (page));
  gtk_container_child_set (GTK_CONTAINER (self), GTK_WIDGET (page), "has-padding", TRUE, NULL);

  on_page_title_changed (page, NULL, self);
  on_page_type_changed (page, NULL, self);
  on_page_complete_changed (page, NULL, self);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (on_page_title_changed), self, 0);
  g_signal_connect_object (page, "notify::page-type", G_CALLBACK (on_page_type_changed), self, 0);
  g_signal_connect_object (page, "notify::complete", G_CALLBACK (on_page_complete_changed),
                           self, 0);

  return page;
}

/* ---- Flow ---- */

static void
leave_current_page (CertwizRequestAssistant *self)
{
  g_autoptr(CertwizPage) page = g_steal_pointer (&self->current_page);

  if (page != NULL)
    certwiz_page_leave (page);
}

static void
certwiz_request_assistant_prepare (GtkAssistant *assistant,
                                   GtkWidget    *widget)
{
  CertwizRequestAssistant *self = CERTWIZ_REQUEST_ASSISTANT (assistant);
  CertwizPage *page = CERTWIZ_PAGE (widget);

  /* Leaving a page stops its work: Back from Executing Commands cancels the request */
  if (self->current_page != page)
    leave_current_page (self);
  g_set_object (&self->current_page, page);

  if (self->finish_button != NULL)
    gtk_widget_set_visible (self->finish_button, page == self->status_page);
  if (self->file_finish_button != NULL)
    gtk_widget_set_visible (self->file_finish_button, page == self->request_file_done_page);

  certwiz_page_prepare (page);
}

static void
certwiz_request_assistant_cancel (GtkAssistant *assistant)
{
  CertwizRequestAssistant *self = CERTWIZ_REQUEST_ASSISTANT (assistant);

  /* Cancel while the request runs stops the request and stays, so that the page can say
   * what was (not) sent; a second Cancel closes the assistant */
  if (self->current_page == self->executing_page &&
      certwiz_executing_page_is_busy (CERTWIZ_EXECUTING_PAGE (self->executing_page)))
    {
      certwiz_executing_page_cancel (CERTWIZ_EXECUTING_PAGE (self->executing_page));
      return;
    }

  leave_current_page (self);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
certwiz_request_assistant_close (GtkAssistant *assistant)
{
  leave_current_page (CERTWIZ_REQUEST_ASSISTANT (assistant));
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

static void
on_executing_page_succeeded (CertwizExecutingPage    *page,
                             CertwizRequestAssistant *self)
{
  const CertreqSubmitResult *result = certwiz_executing_page_get_result (page);

  if (self->renewing)
    {
      const GError *error = NULL;
      const CertreqRenewResult *renewal = certwiz_executing_page_get_renew_result (page, &error);

      certwiz_status_page_set_renewal (CERTWIZ_STATUS_PAGE (self->status_page), renewal, error);
    }
  else if (certreq_request_get_online (self->request))
    certwiz_status_page_set_result (CERTWIZ_STATUS_PAGE (self->status_page), result);
  else
    certwiz_request_file_done_page_set_result (
      CERTWIZ_REQUEST_FILE_DONE_PAGE (self->request_file_done_page), result);
  /* The CA has the request on record now: Back must not pretend otherwise */
  gtk_assistant_commit (GTK_ASSISTANT (self));
  gtk_assistant_next_page (GTK_ASSISTANT (self));
}

/* The offline flow has the request file pages instead of the CA and account pages and the
 * status page; the online flow the other way round */
static gboolean
is_page_skipped (CertwizRequestAssistant *self,
                 GtkWidget               *page)
{
  gboolean online = certreq_request_get_online (self->request);
  const char *ca_id = certreq_request_get_ca_id (self->request);
  CertwizPage *online_only[] = { self->ca_page, self->account_page, self->status_page };
  CertwizPage *offline_only[] = { self->request_file_page, self->request_file_done_page };

  /* A renewal always ends on the status page: it says what serves the usages now */
  if (self->renewing && page == GTK_WIDGET (self->status_page))
    return FALSE;
  if (self->renewing && page == GTK_WIDGET (self->request_file_done_page))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (online_only); i++)
    if (!online && page == GTK_WIDGET (online_only[i]))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (offline_only); i++)
    if (online && page == GTK_WIDGET (offline_only[i]))
      return TRUE;
  /* The chosen CA's protocol: credentials for AD CS and EST (basic), a challenge password
   * for SCEP; a template for AD CS, a label for EST. The built-in CA keeps the pages of
   * the documented flow (reference/wizard.md §2.2). */
  if (g_strcmp0 (ca_id, CERTREQ_LOCAL_CA_ID) == 0)
    return FALSE;
  if (online && page == GTK_WIDGET (self->account_page) &&
      certwiz_ca_get_credentials (self->store, ca_id) == CERTWIZ_CA_CREDENTIALS_NONE)
    return TRUE;
  if (online && page == GTK_WIDGET (self->template_page) &&
      !certwiz_ca_uses_template (self->store, ca_id))
    return TRUE;
  return FALSE;
}

/* The sidebar lists only the pages of the chosen flow: a skipped page is hidden, and
 * GtkAssistant hides its title in the sidebar with it */
static void
update_page_visibility (CertwizRequestAssistant *self)
{
  CertwizPage *flow_pages[] = { self->request_file_page, self->ca_page, self->account_page,
                                self->template_page, self->status_page,
                                self->request_file_done_page };

  for (guint i = 0; i < G_N_ELEMENTS (flow_pages); i++)
    if (flow_pages[i] != NULL)
      gtk_widget_set_visible (GTK_WIDGET (flow_pages[i]),
                              !is_page_skipped (self, GTK_WIDGET (flow_pages[i])));
}

static void
on_request_online_changed (CertwizRequestAssistant *self,
                           GParamSpec              *pspec,
                           CertreqRequest          *request)
{
  update_page_visibility (self);
}

static int
forward_page (int      current,
              gpointer user_data)
{
  CertwizRequestAssistant *self = user_data;
  int n_pages = gtk_assistant_get_n_pages (GTK_ASSISTANT (self));
  int next = current + 1;

  while (next < n_pages &&
         is_page_skipped (self, gtk_assistant_get_nth_page (GTK_ASSISTANT (self), next)))
    next++;

  return next < n_pages ? next : -1;
}

/* GtkAssistant names its window after the current page; the page titles are in the
 * sidebar already, and the window keeps one name, so that it can be found by it */
static void
on_window_title_changed (CertwizRequestAssistant *self,
                         GParamSpec              *pspec,
                         gpointer                 user_data)
{
  const char *title = self->renewing ? _("Certificate Renewal") : _("Certificate Request");

  if (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (self)), title) != 0)
    gtk_window_set_title (GTK_WINDOW (self), title);
}

/* ---- GObject ---- */

static void
certwiz_request_assistant_constructed (GObject *object)
{
  CertwizRequestAssistant *self = CERTWIZ_REQUEST_ASSISTANT (object);

  G_OBJECT_CLASS (certwiz_request_assistant_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self), 940, 780);
  g_return_if_fail (CERTREQ_IS_REQUEST (self->request));

  /* The online request flow of reference/wizard.md §2.2, in order */
  add_page (self, CERTWIZ_TYPE_INTRO_PAGE);
  add_page (self, CERTWIZ_TYPE_MODE_PAGE);
  self->request_file_page = add_page (self, CERTWIZ_TYPE_REQUEST_FILE_PAGE);
  self->ca_page = add_page (self, CERTWIZ_TYPE_CA_PAGE);
  self->account_page = add_page (self, CERTWIZ_TYPE_ACCOUNT_PAGE);
  self->template_page = add_page (self, CERTWIZ_TYPE_TEMPLATE_PAGE);
  add_page (self, CERTWIZ_TYPE_BASICS_PAGE);
  add_page (self, CERTWIZ_TYPE_ORGANIZATION_PAGE);
  add_page (self, CERTWIZ_TYPE_GEOGRAPHY_PAGE);
  add_page (self, CERTWIZ_TYPE_NAMES_PAGE);
  add_page (self, CERTWIZ_TYPE_SIP_PAGE);
  add_page (self, CERTWIZ_TYPE_EXTRA_NAMES_PAGE);
  self->summary_page = add_page (self, CERTWIZ_TYPE_SUMMARY_PAGE);
  self->executing_page = add_page (self, CERTWIZ_TYPE_EXECUTING_PAGE);
  self->status_page = add_page (self, CERTWIZ_TYPE_STATUS_PAGE);
  self->request_file_done_page = add_page (self, CERTWIZ_TYPE_REQUEST_FILE_DONE_PAGE);
  gtk_assistant_set_forward_page_func (GTK_ASSISTANT (self), forward_page, self, NULL);
  update_page_visibility (self);
  g_signal_connect_object (self->request, "notify::online",
                           G_CALLBACK (on_request_online_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->request, "notify::ca-id",
                           G_CALLBACK (on_request_online_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->executing_page, "succeeded",
                           G_CALLBACK (on_executing_page_succeeded), self, 0);

  /* The status page is a CUSTOM page with its own Finish button; GTK's last-page
   * buttons never show (STYLE.md "the Finish button") */
  self->finish_button = certwiz_status_page_get_action_widget (CERTWIZ_STATUS_PAGE (self->status_page));
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->finish_button);
  gtk_widget_hide (self->finish_button);
  self->file_finish_button = certwiz_request_file_done_page_get_action_widget (
    CERTWIZ_REQUEST_FILE_DONE_PAGE (self->request_file_done_page));
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->file_finish_button);
  gtk_widget_hide (self->file_finish_button);
}

static void
certwiz_request_assistant_dispose (GObject *object)
{
  CertwizRequestAssistant *self = CERTWIZ_REQUEST_ASSISTANT (object);

  /* R11: whatever still runs belongs to a page that is going away */
  g_clear_handle_id (&self->skip_id, g_source_remove);
  leave_current_page (self);
  self->summary_page = NULL;
  self->executing_page = NULL;
  self->status_page = NULL;
  self->finish_button = NULL;
  self->request_file_page = NULL;
  self->ca_page = NULL;
  self->account_page = NULL;
  self->template_page = NULL;
  self->request_file_done_page = NULL;
  self->file_finish_button = NULL;

  G_OBJECT_CLASS (certwiz_request_assistant_parent_class)->dispose (object);

  g_clear_object (&self->request);
  g_clear_object (&self->store);
}

static void
certwiz_request_assistant_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  CertwizRequestAssistant *self = CERTWIZ_REQUEST_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_REQUEST:
      self->request = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_request_assistant_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  CertwizRequestAssistant *self = CERTWIZ_REQUEST_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_request_assistant_class_init (CertwizRequestAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  object_class->constructed = certwiz_request_assistant_constructed;
  object_class->dispose = certwiz_request_assistant_dispose;
  object_class->set_property = certwiz_request_assistant_set_property;
  object_class->get_property = certwiz_request_assistant_get_property;
  assistant_class->prepare = certwiz_request_assistant_prepare;
  assistant_class->cancel = certwiz_request_assistant_cancel;
  assistant_class->close = certwiz_request_assistant_close;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CERTREQ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, CERTREQ_TYPE_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
certwiz_request_assistant_init (CertwizRequestAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Certificate Request"));
  g_signal_connect (self, "notify::title", G_CALLBACK (on_window_title_changed), NULL);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
}

GtkWidget *
certwiz_request_assistant_new (GtkWindow         *parent,
                               CertreqStore      *store,
                               CertreqServer     *server,
                               CertreqUsageFlags  usages)
{
  g_autoptr(CertreqRequest) request = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (CERTREQ_IS_SERVER (server), NULL);

  request = certreq_request_new (server);
  certreq_request_set_usages (request, usages);

  return g_object_new (CERTWIZ_TYPE_REQUEST_ASSISTANT,
                       "use-header-bar", FALSE,
                       "transient-for", parent,
                       "store", store,
                       "request", request,
                       NULL);
}

/* Renew: every page was filled from the saved request, so the assistant goes forward
 * page by page (Back then retraces them) and stops on the summary, or earlier on a page
 * that needs an answer (a password the saved request does not keep) */
static gboolean
skip_to_summary_idle (gpointer user_data)
{
  CertwizRequestAssistant *self = CERTWIZ_REQUEST_ASSISTANT (user_data);
  GtkAssistant *assistant = GTK_ASSISTANT (self);

  self->skip_id = 0;
  while (TRUE)
    {
      int current = gtk_assistant_get_current_page (assistant);
      GtkWidget *page = current >= 0 ? gtk_assistant_get_nth_page (assistant, current) : NULL;

      if (page == NULL || page == GTK_WIDGET (self->summary_page) ||
          page == GTK_WIDGET (self->executing_page) ||
          !gtk_assistant_get_page_complete (assistant, page))
        break;
      gtk_assistant_next_page (assistant);
      if (gtk_assistant_get_current_page (assistant) == current)
        break;
    }
  return G_SOURCE_REMOVE;
}

static void
on_renewal_mapped (CertwizRequestAssistant *self)
{
  g_signal_handlers_disconnect_by_func (self, on_renewal_mapped, NULL);
  if (self->skip_id == 0)
    self->skip_id = g_idle_add (skip_to_summary_idle, self);
}

GtkWidget *
certwiz_request_assistant_new_renewal (GtkWindow     *parent,
                                       CertreqStore  *store,
                                       const char    *thumbprint,
                                       GError       **error)
{
  g_autoptr(CertreqRequest) request = NULL;
  CertwizRequestAssistant *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (thumbprint != NULL, NULL);

  request = certreq_store_load_origin (store, thumbprint, error);
  if (request == NULL)
    return NULL;
  certreq_request_set_replaces (request, thumbprint);
  /* The saved request keeps no account: the CA's configured credentials apply, as for
   * an unattended renewal, unless the admin gives others on the account page */
  if (*certreq_request_get_username (request) == '\0')
    certreq_request_set_use_credentials (request, FALSE);

  self = g_object_new (CERTWIZ_TYPE_REQUEST_ASSISTANT,
                       "use-header-bar", FALSE,
                       "transient-for", parent,
                       "store", store,
                       "request", request,
                       NULL);
  self->renewing = TRUE;
  update_page_visibility (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Certificate Renewal"));
  g_signal_connect (self, "map", G_CALLBACK (on_renewal_mapped), NULL);

  return GTK_WIDGET (self);
}

CertreqRequest *
certwiz_request_assistant_get_request (CertwizRequestAssistant *self)
{
  g_return_val_if_fail (CERTWIZ_IS_REQUEST_ASSISTANT (self), NULL);
  return self->request;
}

CertreqStore *
certwiz_request_assistant_get_store (CertwizRequestAssistant *self)
{
  g_return_val_if_fail (CERTWIZ_IS_REQUEST_ASSISTANT (self), NULL);
  return self->store;
}
