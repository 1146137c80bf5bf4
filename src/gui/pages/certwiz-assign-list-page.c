/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-assign-list-page.h"
#include "certwiz-details-dialog.h"

/* Certificate Store (wizard.md §3.19): the store's certificates that can serve the usages */
enum
{
  COL_CERT,
  COL_FRIENDLY_NAME,
  COL_SUBJECT,
  COL_EXPIRES,
  COL_THUMBPRINT,
  COL_VERDICT,
  COL_USABLE,
};

struct _CertwizAssignListPage
{
  CertwizPage        parent_instance;

  GtkTreeView       *cert_view;
  GtkTreeSelection  *cert_selection;
  GtkListStore      *cert_store;
  GtkToggleButton   *show_all_check;
  GtkButton         *details_button;
  GtkLabel          *empty_label;
  GtkLabel          *problem_label;

  CertreqUsageFlags  usages;
  char              *preselected;
  CertreqCertificate *selected;     /* a usable candidate, or NULL */
};

G_DEFINE_TYPE (CertwizAssignListPage, certwiz_assign_list_page, CERTWIZ_TYPE_PAGE)

static CertreqCertificate *
get_selected_row (CertwizAssignListPage *self,
                  gboolean              *out_usable)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  CertreqCertificate *cert = NULL;
  gboolean usable = FALSE;

  if (gtk_tree_selection_get_selected (self->cert_selection, &model, &iter))
    gtk_tree_model_get (model, &iter, COL_CERT, &cert, COL_USABLE, &usable, -1);
  if (out_usable != NULL)
    *out_usable = usable;

  return cert;
}

static void
on_selection_changed (CertwizAssignListPage *self)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  gboolean usable = FALSE;

  cert = get_selected_row (self, &usable);
  g_clear_object (&self->selected);
  if (cert != NULL && usable)
    self->selected = g_object_ref (cert);

  gtk_widget_set_sensitive (GTK_WIDGET (self->details_button), cert != NULL);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), self->selected != NULL);
}

/* Every refusal, one per line, each with its usage */
static char *
describe_refusals (GPtrArray *verdicts)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < verdicts->len; i++)
    {
      CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (verdict->kind != CERTREQ_VERDICT_REFUSED)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: why a certificate cannot serve a usage; %1$s is the usage, %2$s the
       * reason (a sentence) */
      g_string_append_printf (text, _("%1$s: %2$s"), certreq_usage_get_label (verdict->usage),
                              verdict->reason != NULL ? verdict->reason : "");
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
populate (CertwizAssignListPage *self)
{
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  gboolean show_all = gtk_toggle_button_get_active (self->show_all_check);
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keep = NULL;
  guint n_usable = 0;
  GtkTreeIter select_iter;
  gboolean have_select = FALSE;

  /* Keep the admin's choice across a rebuild (Show all toggled) */
  if (self->selected != NULL)
    keep = g_strdup (certreq_certificate_get_thumbprint (self->selected));
  else if (self->preselected != NULL)
    keep = g_strdup (self->preselected);

  gtk_list_store_clear (self->cert_store);
  g_clear_object (&self->selected);

  if (store == NULL)
    return;

  certs = certreq_store_list_certificates (store, &error);
  if (certs == NULL)
    {
      certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->problem_label));

  for (guint i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);
      const char *thumbprint = certreq_certificate_get_thumbprint (cert);
      g_autoptr(CertreqCertMeta) meta = certreq_store_get_meta (store, thumbprint);
      g_autoptr(GPtrArray) verdicts = NULL;
      g_autoptr(GError) check_error = NULL;
      g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
      g_autofree char *subject = certreq_certificate_get_subject_name (cert);
      g_autofree char *expires = NULL;
      g_autofree char *verdict = NULL;
      gboolean usable;
      GtkTreeIter iter;

      verdicts = certreq_assign_check (store, cert, self->usages, NULL, &check_error);
      if (verdicts == NULL)
        {
          usable = FALSE;
          verdict = g_strdup (check_error->message);
        }
      else
        {
          verdict = describe_refusals (verdicts);
          usable = *verdict == '\0';
          if (usable)
            {
              g_free (verdict);
              /* Translators: the verdict of a certificate in the Certificate Store list */
              verdict = g_strdup (_("Can be assigned"));
            }
        }

      if (usable)
        n_usable++;
      else if (!show_all)
        continue;

      if (not_after != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (not_after);

          /* Translators: an expiration date; see g_date_time_format() */
          /* xgettext:no-c-format */
          expires = g_date_time_format (local, _("%Y-%m-%d"));
        }

      gtk_list_store_insert_with_values (self->cert_store, &iter, -1,
                                         COL_CERT, cert,
                                         COL_FRIENDLY_NAME,
                                         meta != NULL && meta->friendly_name != NULL
                                           ? meta->friendly_name : "",
                                         COL_SUBJECT, subject != NULL ? subject : "",
                                         COL_EXPIRES, expires != NULL ? expires : "",
                                         COL_THUMBPRINT, thumbprint,
                                         COL_VERDICT, verdict,
                                         COL_USABLE, usable,
                                         -1);
      if (keep != NULL && g_ascii_strcasecmp (keep, thumbprint) == 0)
        {
          select_iter = iter;
          have_select = TRUE;
        }
      else if (!have_select && usable && keep == NULL)
        {
          select_iter = iter;
          have_select = TRUE;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), n_usable == 0);
  if (have_select)
    gtk_tree_selection_select_iter (self->cert_selection, &select_iter);
  on_selection_changed (self);
}

static void
on_show_all_toggled (CertwizAssignListPage *self)
{
  populate (self);
}

static void
on_details_clicked (CertwizAssignListPage *self)
{
  g_autoptr(CertreqCertificate) cert = get_selected_row (self, NULL);
  CertreqStore *store = certwiz_page_get_store (CERTWIZ_PAGE (self));
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (cert == NULL)
    return;

  dialog = certwiz_details_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                       cert, store, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_row_activated (CertwizAssignListPage *self)
{
  on_details_clicked (self);
}

void
certwiz_assign_list_page_set_usages (CertwizAssignListPage *self,
                                     CertreqUsageFlags      usages,
                                     const char            *preselected)
{
  g_return_if_fail (CERTWIZ_IS_ASSIGN_LIST_PAGE (self));

  self->usages = usages;
  g_free (self->preselected);
  self->preselected = g_strdup (preselected);
}

CertreqCertificate *
certwiz_assign_list_page_get_certificate (CertwizAssignListPage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_ASSIGN_LIST_PAGE (self), NULL);
  return self->selected;
}

static void
certwiz_assign_list_page_prepare (CertwizPage *page)
{
  populate (CERTWIZ_ASSIGN_LIST_PAGE (page));
}

static void
certwiz_assign_list_page_finalize (GObject *object)
{
  CertwizAssignListPage *self = CERTWIZ_ASSIGN_LIST_PAGE (object);

  g_clear_object (&self->selected);
  g_free (self->preselected);

  G_OBJECT_CLASS (certwiz_assign_list_page_parent_class)->finalize (object);
}

static void
certwiz_assign_list_page_class_init (CertwizAssignListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->finalize = certwiz_assign_list_page_finalize;
  page_class->prepare = certwiz_assign_list_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-assign-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignListPage, cert_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignListPage, cert_selection);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignListPage, cert_store);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignListPage, show_all_check);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignListPage, details_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignListPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignListPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_show_all_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_details_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
certwiz_assign_list_page_init (CertwizAssignListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Store"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}
