/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-extra-names-page.h"

/* Configure Additional Subject Alternative Names: names the admin adds by hand.
 * Remove and Clear All touch only these, never the names derived from the profile. */
struct _CertwizExtraNamesPage
{
  CertwizPage   parent_instance;

  GtkEntry     *name_entry;
  GtkButton    *add_button;
  GtkTreeView  *names_view;
  GtkListStore *names_store;
  GtkButton    *remove_button;
  GtkButton    *clear_button;
  GtkLabel     *problem_label;
};

G_DEFINE_TYPE (CertwizExtraNamesPage, certwiz_extra_names_page, CERTWIZ_TYPE_PAGE)

/* Shows @error (a rejected name) or, without one, what the core says about all the names.
 * A rejected name does not block Next: it was never added. */
static void
validate (CertwizExtraNamesPage *self,
          const GError          *add_error)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;
  gboolean valid = certreq_request_validate_names (request, &error);

  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label,
                             add_error != NULL ? add_error : error);
  certwiz_page_set_complete (CERTWIZ_PAGE (self), valid);
}

static void
refresh (CertwizExtraNamesPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char * const *names = certreq_request_get_extra_names (request);
  guint n = 0;

  gtk_list_store_clear (self->names_store);
  for (; names != NULL && names[n] != NULL; n++)
    gtk_list_store_insert_with_values (self->names_store, NULL, -1, 0, names[n], -1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), n > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button),
                            gtk_tree_selection_count_selected_rows (
                              gtk_tree_view_get_selection (self->names_view)) > 0);
}

static void
on_name_changed (CertwizExtraNamesPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (self->name_entry)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), *text != '\0');
  /* A name rejected before is no longer the problem once the admin edits it */
  validate (self, NULL);
}

static void
on_add_clicked (CertwizExtraNamesPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autofree char *name = g_strstrip (g_strdup (gtk_entry_get_text (self->name_entry)));
  g_autoptr(GError) error = NULL;

  if (*name == '\0')
    return;

  if (!certreq_request_add_extra_name (request, name, &error))
    {
      validate (self, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return;
    }

  gtk_entry_set_text (self->name_entry, "");
  refresh (self);
  validate (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
on_remove_clicked (CertwizExtraNamesPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->names_view);
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *name = NULL;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return;
  gtk_tree_model_get (model, &iter, 0, &name, -1);
  certreq_request_remove_extra_name (request, name);
  refresh (self);
  validate (self, NULL);
}

static void
on_clear_clicked (CertwizExtraNamesPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  certreq_request_set_extra_names (request, NULL);
  refresh (self);
  validate (self, NULL);
}

static void
on_selection_changed (CertwizExtraNamesPage *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->names_view);

  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button),
                            gtk_tree_selection_count_selected_rows (selection) > 0);
}

static void
certwiz_extra_names_page_prepare (CertwizPage *page)
{
  CertwizExtraNamesPage *self = CERTWIZ_EXTRA_NAMES_PAGE (page);

  refresh (self);
  validate (self, NULL);
}

static void
certwiz_extra_names_page_constructed (GObject *object)
{
  CertwizExtraNamesPage *self = CERTWIZ_EXTRA_NAMES_PAGE (object);

  G_OBJECT_CLASS (certwiz_extra_names_page_parent_class)->constructed (object);

  refresh (self);
  validate (self, NULL);
}

static void
certwiz_extra_names_page_class_init (CertwizExtraNamesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_extra_names_page_constructed;
  page_class->prepare = certwiz_extra_names_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-extra-names-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizExtraNamesPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizExtraNamesPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizExtraNamesPage, names_view);
  gtk_widget_class_bind_template_child (widget_class, CertwizExtraNamesPage, names_store);
  gtk_widget_class_bind_template_child (widget_class, CertwizExtraNamesPage, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizExtraNamesPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizExtraNamesPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
}

static void
certwiz_extra_names_page_init (CertwizExtraNamesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Configure Additional Subject Alternative Names"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_extra_names_page_new (CertreqRequest *request,
                              CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_EXTRA_NAMES_PAGE, "request", request, "store", store, NULL);
}
