/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-intro-page.h"

/* Certificate Request: what the assistant does, and the usages the certificate is for */
struct _CertwizIntroPage
{
  CertwizPage  parent_instance;

  GtkBox      *usages_box;
  GtkLabel    *problem_label;

  GtkToggleButton *usage_checks[CERTREQ_N_USAGES];
  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizIntroPage, certwiz_intro_page, CERTWIZ_TYPE_PAGE)

static void
validate (CertwizIntroPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_usages (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_usage_toggled (CertwizIntroPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  CertreqUsageFlags usages = CERTREQ_USAGE_FLAG_NONE;

  if (self->syncing)
    return;

  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    if (gtk_toggle_button_get_active (self->usage_checks[i]))
      usages |= CERTREQ_USAGE_TO_FLAG (i);

  certreq_request_set_usages (request, usages);
  validate (self);
}

/* The assistant may set the usages (from the main window's selection) after it made the page */
static void
sync_from_model (CertwizIntroPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  CertreqUsageFlags usages = certreq_request_get_usages (request);

  self->syncing = TRUE;
  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    gtk_toggle_button_set_active (self->usage_checks[i],
                                  (usages & CERTREQ_USAGE_TO_FLAG (i)) != 0);
  self->syncing = FALSE;
  validate (self);
}

static void
add_usage_checks (CertwizIntroPage *self)
{
  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    {
      g_autofree char *text = certwiz_page_make_mnemonic (CERTWIZ_PAGE (self),
                                                          certreq_usage_get_label (i));
      GtkWidget *check = gtk_check_button_new_with_mnemonic (text);
      GtkWidget *description = gtk_label_new (certreq_usage_get_description (i));

      gtk_widget_set_tooltip_text (check, certreq_usage_get_description (i));
      atk_object_set_description (gtk_widget_get_accessible (check),
                                  certreq_usage_get_description (i));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_usage_toggled), self);

      gtk_label_set_xalign (GTK_LABEL (description), 0.0);
      gtk_label_set_line_wrap (GTK_LABEL (description), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (description), 60);
      gtk_style_context_add_class (gtk_widget_get_style_context (description), "dim-label");
      /* Indented under the check button's text */
      gtk_widget_set_margin_start (description, 24);

      gtk_container_add (GTK_CONTAINER (self->usages_box), check);
      gtk_container_add (GTK_CONTAINER (self->usages_box), description);
      gtk_widget_show (check);
      gtk_widget_show (description);
      self->usage_checks[i] = GTK_TOGGLE_BUTTON (check);
    }
}

static void
certwiz_intro_page_prepare (CertwizPage *page)
{
  sync_from_model (CERTWIZ_INTRO_PAGE (page));
}

static void
certwiz_intro_page_constructed (GObject *object)
{
  CertwizIntroPage *self = CERTWIZ_INTRO_PAGE (object);

  G_OBJECT_CLASS (certwiz_intro_page_parent_class)->constructed (object);

  sync_from_model (self);
}

static void
certwiz_intro_page_class_init (CertwizIntroPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_intro_page_constructed;
  page_class->prepare = certwiz_intro_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-intro-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizIntroPage, usages_box);
  gtk_widget_class_bind_template_child (widget_class, CertwizIntroPage, problem_label);
}

static void
certwiz_intro_page_init (CertwizIntroPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Request"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_INTRO);
  add_usage_checks (self);
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_intro_page_new (CertreqRequest *request,
                        CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_INTRO_PAGE, "request", request, "store", store, NULL);
}
