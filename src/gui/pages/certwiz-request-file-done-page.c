/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-request-file-done-page.h"

/* Certificate Request File, after generation (reference/wizard.md §3.17) */
struct _CertwizRequestFileDonePage
{
  CertwizPage  parent_instance;

  GtkLabel    *file_label;
  GtkLabel    *problem_label;
  GtkButton   *view_button;
  GtkButton   *finish_button;

  char        *request_file;
};

G_DEFINE_TYPE (CertwizRequestFileDonePage, certwiz_request_file_done_page, CERTWIZ_TYPE_PAGE)

static void
on_copy_clicked (GtkButton     *button,
                 GtkTextBuffer *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gtk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button),
                                                    GDK_SELECTION_CLIPBOARD), text, -1);
}

/* Copy answers GTK_RESPONSE_NONE and leaves the dialog open; Close closes it */
static void
on_view_response (GtkDialog *dialog,
                  int        response,
                  gpointer   user_data)
{
  if (response != GTK_RESPONSE_NONE)
    gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_view_clicked (CertwizRequestFileDonePage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autofree char *pem = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog, *scrolled, *view, *copy_button, *area;
  GtkTextBuffer *buffer;
  gsize length = 0;

  if (self->request_file == NULL)
    return;
  if (!g_file_get_contents (self->request_file, &pem, &length, &error))
    {
      gtk_label_set_text (self->problem_label, error->message);
      gtk_widget_show (GTK_WIDGET (self->problem_label));
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->problem_label));

  title = g_path_get_basename (self->request_file);
  dialog = gtk_dialog_new_with_buttons (title,
                                        GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                        NULL, GTK_RESPONSE_NONE, NULL);
  copy_button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Copy"), GTK_RESPONSE_NONE);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Close"), GTK_RESPONSE_CLOSE);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CLOSE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 620, 480);

  view = gtk_text_view_new ();
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_set_text (buffer, pem, (int) length);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  g_object_set (view, "left-margin", 6, "right-margin", 6, "top-margin", 6, NULL);
  atk_object_set_name (gtk_widget_get_accessible (view), _("Certificate request"));

  scrolled = gtk_scrolled_window_new (NULL, NULL);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  gtk_container_add (GTK_CONTAINER (scrolled), view);
  area = gtk_dialog_get_content_area (GTK_DIALOG (dialog));
  gtk_container_set_border_width (GTK_CONTAINER (dialog), 6);
  gtk_container_add (GTK_CONTAINER (area), scrolled);

  g_signal_connect (copy_button, "clicked", G_CALLBACK (on_copy_clicked), buffer);
  g_signal_connect (dialog, "response", G_CALLBACK (on_view_response), NULL);
  gtk_widget_show_all (dialog);
}

static void
on_finish_clicked (CertwizRequestFileDonePage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  if (GTK_IS_ASSISTANT (toplevel))
    g_signal_emit_by_name (toplevel, "close");
}

static gboolean
focus_finish_idle (gpointer user_data)
{
  CertwizRequestFileDonePage *self = user_data;

  if (gtk_widget_get_realized (GTK_WIDGET (self->finish_button)))
    gtk_widget_grab_default (GTK_WIDGET (self->finish_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->finish_button));
  gtk_label_select_region (self->file_label, 0, 0);
  return G_SOURCE_REMOVE;
}

static void
certwiz_request_file_done_page_prepare (CertwizPage *page)
{
  CertwizRequestFileDonePage *self = CERTWIZ_REQUEST_FILE_DONE_PAGE (page);

  gtk_label_set_text (self->file_label, self->request_file != NULL ? self->request_file : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->view_button), self->request_file != NULL);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_finish_idle, g_object_ref (self),
                   g_object_unref);
}

void
certwiz_request_file_done_page_set_result (CertwizRequestFileDonePage *self,
                                           const CertreqSubmitResult  *result)
{
  g_return_if_fail (CERTWIZ_IS_REQUEST_FILE_DONE_PAGE (self));

  g_free (self->request_file);
  self->request_file = result != NULL ? g_strdup (result->request_file) : NULL;
  certwiz_page_set_complete (CERTWIZ_PAGE (self), result != NULL);
}

GtkWidget *
certwiz_request_file_done_page_get_action_widget (CertwizRequestFileDonePage *self)
{
  g_return_val_if_fail (CERTWIZ_IS_REQUEST_FILE_DONE_PAGE (self), NULL);
  return GTK_WIDGET (self->finish_button);
}

static void
certwiz_request_file_done_page_finalize (GObject *object)
{
  CertwizRequestFileDonePage *self = CERTWIZ_REQUEST_FILE_DONE_PAGE (object);

  g_free (self->request_file);

  G_OBJECT_CLASS (certwiz_request_file_done_page_parent_class)->finalize (object);
}

static void
certwiz_request_file_done_page_class_init (CertwizRequestFileDonePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->finalize = certwiz_request_file_done_page_finalize;
  page_class->prepare = certwiz_request_file_done_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-request-file-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizRequestFileDonePage, file_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizRequestFileDonePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizRequestFileDonePage, view_button);
  gtk_widget_class_bind_template_child (widget_class, CertwizRequestFileDonePage, finish_button);
  gtk_widget_class_bind_template_callback (widget_class, on_view_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_finish_clicked);
}

static void
certwiz_request_file_done_page_init (CertwizRequestFileDonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Request File"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_CUSTOM);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->view_button)), _("View"));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->finish_button)), _("Finish"));
}

GtkWidget *
certwiz_request_file_done_page_new (CertreqRequest *request,
                                    CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_REQUEST_FILE_DONE_PAGE,
                       "request", request, "store", store, NULL);
}
