/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-mode-page.h"

/* Delayed or Immediate Requests: online (the default) or offline (a request file) */
struct _CertwizModePage
{
  CertwizPage     parent_instance;

  GtkToggleButton *online_radio;
  GtkToggleButton *offline_radio;

  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizModePage, certwiz_mode_page, CERTWIZ_TYPE_PAGE)

static void
update_complete (CertwizModePage *self)
{
  /* Nothing for the core to validate: either choice is a complete answer */
  certwiz_page_set_complete (CERTWIZ_PAGE (self), TRUE);
}

static void
on_mode_toggled (CertwizModePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  if (self->syncing)
    return;
  certreq_request_set_online (request, gtk_toggle_button_get_active (self->online_radio));
  update_complete (self);
}

static void
sync_from_model (CertwizModePage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));

  self->syncing = TRUE;
  if (certreq_request_get_online (request))
    gtk_toggle_button_set_active (self->online_radio, TRUE);
  else
    gtk_toggle_button_set_active (self->offline_radio, TRUE);
  self->syncing = FALSE;
  update_complete (self);
}

static void
certwiz_mode_page_prepare (CertwizPage *page)
{
  sync_from_model (CERTWIZ_MODE_PAGE (page));
}

static void
certwiz_mode_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_mode_page_parent_class)->constructed (object);

  sync_from_model (CERTWIZ_MODE_PAGE (object));
}

static void
certwiz_mode_page_class_init (CertwizModePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_mode_page_constructed;
  page_class->prepare = certwiz_mode_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-mode-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizModePage, online_radio);
  gtk_widget_class_bind_template_child (widget_class, CertwizModePage, offline_radio);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
}

static void
certwiz_mode_page_init (CertwizModePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Delayed or Immediate Requests"));
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
}

GtkWidget *
certwiz_mode_page_new (CertreqRequest *request,
                       CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_MODE_PAGE, "request", request, "store", store, NULL);
}
