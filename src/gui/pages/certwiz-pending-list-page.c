/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-pending-list-page.h"

/* Pending Certificate (reference/wizard.md §3.25): the requests waiting in the store */
enum
{
  COL_ID,
  COL_FRIENDLY_NAME,
  COL_COMMON_NAME,
  COL_CA,
  COL_REQUEST_ID,
  COL_STATE,
  COL_CREATED,
  COL_RETRIEVABLE,
  COL_USAGES,
  N_COLUMNS
};

struct _CertwizPendingListPage
{
  CertwizPage           parent_instance;

  GtkTreeView          *requests_view;
  GtkLabel             *problem_label;

  GtkListStore         *requests_store;
  CertwizPendingChoice *choice;        /* the assistant's */
};

G_DEFINE_TYPE (CertwizPendingListPage, certwiz_pending_list_page, CERTWIZ_TYPE_PAGE)

static const char *
state_text (CertreqPendingState state)
{
  switch (state)
    {
    case CERTREQ_PENDING_CREATED:
      /* Translators: state of a request in the pending list */
      return _("Not sent");
    case CERTREQ_PENDING_SUBMITTED:
      /* Translators: state of a request in the pending list */
      return _("Sent");
    case CERTREQ_PENDING_PENDING:
      /* Translators: state of a request in the pending list; German "Genehmigung ausstehend" */
      return _("Pending approval");
    case CERTREQ_PENDING_ISSUED:
      /* Translators: state of a request in the pending list */
      return _("Issued");
    case CERTREQ_PENDING_DENIED:
    default:
      /* Translators: state of a request in the pending list */
      return _("Denied");
    }
}

static void
on_selection_changed (CertwizPendingListPage *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->requests_view);
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *id = NULL;
  gboolean retrievable = FALSE;
  guint usages = 0;

  if (self->choice == NULL)
    return;   /* still being built */
  if (gtk_tree_selection_get_selected (selection, &model, &iter))
    gtk_tree_model_get (model, &iter, COL_ID, &id, COL_RETRIEVABLE, &retrievable,
                        COL_USAGES, &usages, -1);

  g_free (self->choice->pending_id);
  self->choice->pending_id = retrievable ? g_strdup (id) : NULL;
  if (retrievable && usages != 0)
    certreq_request_set_usages (request, usages);

  if (id != NULL && !retrievable)
    {
      g_autoptr(GError) error = NULL;

      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This request does not wait on an online certification authority. "
                             "Import the certificate for a request prepared offline with Import "
                             "Certificate on the main page."));
      certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
      return;
    }
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, NULL);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), retrievable);
}

static char *
ca_text (CertreqStore *store,
         const char   *ca_id)
{
  g_autoptr(CertreqCaClient) client = NULL;

  if (g_strcmp0 (ca_id, CERTREQ_OFFLINE_CA_ID) == 0)
    /* Translators: the CA of an offline request */
    return g_strdup (_("Offline"));
  if (ca_id == NULL)
    return g_strdup ("");
  client = certreq_ca_client_new_for_id (store, ca_id, NULL);
  return g_strdup (client != NULL ? certreq_ca_client_get_name (client) : ca_id);
}

static void
fill (CertwizPendingListPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GtkTreeIter first;
  gboolean have_first = FALSE;

  gtk_list_store_clear (self->requests_store);
  if (store == NULL)
    return;

  entries = certreq_pending_list (store, &error);
  if (entries == NULL)
    {
      certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const CertreqPendingInfo *info = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *created = NULL;
      g_autofree char *ca = ca_text (store, info->ca_id);
      gboolean retrievable = (info->state == CERTREQ_PENDING_SUBMITTED ||
                              info->state == CERTREQ_PENDING_PENDING) &&
                             g_strcmp0 (info->ca_id, CERTREQ_OFFLINE_CA_ID) != 0;
      GtkTreeIter iter;

      if (info->created != NULL)
        {
          local = g_date_time_to_local (info->created);
          /* Translators: how dates and times of certificates are shown; see g_date_time_format() */
          /* xgettext:no-c-format */
          created = g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
        }
      gtk_list_store_insert_with_values (self->requests_store, &iter, -1,
                                         COL_ID, info->id,
                                         COL_FRIENDLY_NAME, info->friendly_name,
                                         COL_COMMON_NAME, info->common_name,
                                         COL_CA, ca,
                                         COL_REQUEST_ID, info->ca_request_id,
                                         COL_STATE, state_text (info->state),
                                         COL_CREATED, created,
                                         COL_RETRIEVABLE, retrievable,
                                         COL_USAGES, (guint) info->usages,
                                         -1);
      if (retrievable && !have_first)
        {
          first = iter;
          have_first = TRUE;
        }
    }

  /* The first request that can be retrieved is chosen; Next then retrieves it */
  if (have_first)
    gtk_tree_selection_select_iter (gtk_tree_view_get_selection (self->requests_view), &first);
  on_selection_changed (self);
}

static void
add_column (CertwizPendingListPage *self,
            const char             *title,
            int                     column)
{
  GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
  GtkTreeViewColumn *tree_column;
  GtkWidget *header;
  /* The state and the date are short and shown whole; the names, the CA and the request
   * ID may be long and give way, so that every column fits the page (no sideways
   * scrolling that hides the Created column) */
  gboolean whole = column == COL_STATE || column == COL_CREATED;

  if (!whole)
    g_object_set (renderer, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars",
                  column == COL_REQUEST_ID ? 6 : 8, NULL);
  tree_column = gtk_tree_view_column_new_with_attributes (title, renderer, "text", column,
                                                          "sensitive", COL_RETRIEVABLE, NULL);
  /* A long header ("Certification authority", "Zertifizierungsstelle") gives way too */
  header = gtk_label_new (title);
  gtk_label_set_ellipsize (GTK_LABEL (header), whole ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (header, title);
  gtk_widget_show (header);
  gtk_tree_view_column_set_widget (tree_column, header);
  gtk_tree_view_column_set_resizable (tree_column, TRUE);
  gtk_tree_view_column_set_expand (tree_column, !whole);
  gtk_tree_view_append_column (self->requests_view, tree_column);
}

static void
certwiz_pending_list_page_prepare (CertwizPage *page)
{
  fill (CERTWIZ_PENDING_LIST_PAGE (page));
}

static void
certwiz_pending_list_page_dispose (GObject *object)
{
  CertwizPendingListPage *self = CERTWIZ_PENDING_LIST_PAGE (object);

  g_clear_object (&self->requests_store);

  G_OBJECT_CLASS (certwiz_pending_list_page_parent_class)->dispose (object);
}

static void
certwiz_pending_list_page_class_init (CertwizPendingListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->dispose = certwiz_pending_list_page_dispose;
  page_class->prepare = certwiz_pending_list_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-pending-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizPendingListPage, requests_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizPendingListPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
}

static void
certwiz_pending_list_page_init (CertwizPendingListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->requests_store = gtk_list_store_new (N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING,
                                             G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                             G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN,
                                             G_TYPE_UINT);
  gtk_tree_view_set_model (self->requests_view, GTK_TREE_MODEL (self->requests_store));
  /* Translators: column headers of the pending request list */
  add_column (self, _("Friendly name"), COL_FRIENDLY_NAME);
  add_column (self, _("Subject name"), COL_COMMON_NAME);
  add_column (self, _("Certification authority"), COL_CA);
  add_column (self, _("Request ID"), COL_REQUEST_ID);
  add_column (self, _("State"), COL_STATE);
  add_column (self, _("Created"), COL_CREATED);

  /* Translators: the wizard's page title (DeployCertPendingIntro) */
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Pending Certificate"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_pending_list_page_new (CertreqRequest       *request,
                               CertreqStore         *store,
                               CertwizPendingChoice *choice)
{
  CertwizPendingListPage *self = g_object_new (CERTWIZ_TYPE_PENDING_LIST_PAGE,
                                               "request", request, "store", store, NULL);

  self->choice = choice;
  return GTK_WIDGET (self);
}
