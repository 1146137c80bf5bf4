/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-assign-intro-page.h"

/* Certificate Assignment (wizard.md §3.18): which usages get a certificate from the store */
struct _CertwizAssignIntroPage
{
  CertwizPage      parent_instance;

  GtkBox          *usages_box;
  GtkLabel        *problem_label;

  GtkToggleButton *usage_checks[CERTREQ_N_USAGES];
  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizAssignIntroPage, certwiz_assign_intro_page, CERTWIZ_TYPE_PAGE)

static void
validate (CertwizAssignIntroPage *self)
{
  g_autoptr(GError) error = NULL;

  if (certwiz_assign_intro_page_get_usages (self) == CERTREQ_USAGE_FLAG_NONE)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("Choose at least one certificate usage."));
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_usage_toggled (CertwizAssignIntroPage *self)
{
  if (!self->syncing)
    validate (self);
}

static void
add_usage_checks (CertwizAssignIntroPage *self)
{
  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    {
      g_autofree char *text = certwiz_page_make_mnemonic (CERTWIZ_PAGE (self),
                                                          certreq_usage_get_label (i));
      GtkWidget *check = gtk_check_button_new_with_mnemonic (text);

      gtk_widget_set_tooltip_text (check, certreq_usage_get_description (i));
      atk_object_set_description (gtk_widget_get_accessible (check),
                                  certreq_usage_get_description (i));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_usage_toggled), self);
      gtk_container_add (GTK_CONTAINER (self->usages_box), check);
      gtk_widget_show (check);
      self->usage_checks[i] = GTK_TOGGLE_BUTTON (check);
    }
}

void
certwiz_assign_intro_page_set_usages (CertwizAssignIntroPage *self,
                                      CertreqUsageFlags       usages)
{
  g_return_if_fail (CERTWIZ_IS_ASSIGN_INTRO_PAGE (self));

  self->syncing = TRUE;
  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    gtk_toggle_button_set_active (self->usage_checks[i],
                                  (usages & CERTREQ_USAGE_TO_FLAG (i)) != 0);
  self->syncing = FALSE;
  validate (self);
}

CertreqUsageFlags
certwiz_assign_intro_page_get_usages (CertwizAssignIntroPage *self)
{
  CertreqUsageFlags usages = CERTREQ_USAGE_FLAG_NONE;

  g_return_val_if_fail (CERTWIZ_IS_ASSIGN_INTRO_PAGE (self), CERTREQ_USAGE_FLAG_NONE);

  for (guint i = 0; i < CERTREQ_N_USAGES; i++)
    if (gtk_toggle_button_get_active (self->usage_checks[i]))
      usages |= CERTREQ_USAGE_TO_FLAG (i);

  return usages;
}

static void
certwiz_assign_intro_page_class_init (CertwizAssignIntroPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-assign-intro-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignIntroPage, usages_box);
  gtk_widget_class_bind_template_child (widget_class, CertwizAssignIntroPage, problem_label);
}

static void
certwiz_assign_intro_page_init (CertwizAssignIntroPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Certificate Assignment"));
  certwiz_page_set_page_type (CERTWIZ_PAGE (self), GTK_ASSISTANT_PAGE_INTRO);
  add_usage_checks (self);
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
  validate (self);
}
