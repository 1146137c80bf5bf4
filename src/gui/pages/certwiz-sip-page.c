/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certwiz-sip-page.h"

/* SIP Domain setting on Subject Alternative Names (SANs): one check button per SIP domain
 * of the server profile; each chosen domain adds sip.<domain>. Choosing none is allowed. */
struct _CertwizSipPage
{
  CertwizPage  parent_instance;

  GtkLabel    *intro_label;
  GtkBox      *domains_box;
  GtkLabel    *recommendation_label;
  GtkLabel    *no_domains_label;
  GtkLabel    *problem_label;

  GPtrArray   *checks;           /* GtkToggleButton, in the profile's order */
  gboolean     syncing;
};

G_DEFINE_TYPE (CertwizSipPage, certwiz_sip_page, CERTWIZ_TYPE_PAGE)

#define DOMAIN_KEY "certwiz-sip-domain"

static void
validate (CertwizSipPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  /* sip.<domain> joins the names, so the names must still be valid (and unique) */
  certreq_request_validate_names (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

static void
on_domain_toggled (CertwizSipPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();

  if (self->syncing)
    return;

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkToggleButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_toggle_button_get_active (check))
        g_ptr_array_add (chosen, g_object_get_data (G_OBJECT (check), DOMAIN_KEY));
    }
  g_ptr_array_add (chosen, NULL);

  certreq_request_set_sip_domains (request, (const char * const *) chosen->pdata);
  validate (self);
}

/* The profile is the server's; the assistant may hand over a request whose profile
 * changed since the page was made, so the check buttons are rebuilt each time */
static void
rebuild (CertwizSipPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  CertreqServer *server = certreq_request_get_server (request);
  const char * const *domains = certreq_server_get_sip_domains (server);
  const char * const *chosen = certreq_request_get_sip_domains (request);
  gboolean any = domains != NULL && domains[0] != NULL;

  self->syncing = TRUE;
  for (guint i = 0; i < self->checks->len; i++)
    gtk_widget_destroy (g_ptr_array_index (self->checks, i));
  g_ptr_array_set_size (self->checks, 0);

  for (guint i = 0; any && domains[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *mnemonic = NULL;
      g_autofree char *sip_name = g_strconcat ("sip.", domains[i], NULL);
      g_autofree char *tooltip = NULL;
      GtkWidget *check;

      if (i == 0)
        /* Translators: %s is a SIP domain, e.g. example.com, the first of the profile's */
        text = g_strdup_printf (_("%s (primary SIP domain)"), domains[i]);
      else
        text = g_strdup (domains[i]);
      /* The check buttons made so far are in the box already, so each gets its own letter */
      mnemonic = certwiz_page_make_mnemonic (CERTWIZ_PAGE (self), text);
      check = gtk_check_button_new_with_mnemonic (mnemonic);

      /* Translators: %s is the name a SIP domain adds, e.g. sip.example.com */
      tooltip = g_strdup_printf (_("Adds the name %s"), sip_name);
      gtk_widget_set_tooltip_text (check, tooltip);
      atk_object_set_description (gtk_widget_get_accessible (check), tooltip);
      g_object_set_data_full (G_OBJECT (check), DOMAIN_KEY, g_strdup (domains[i]), g_free);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check),
                                    chosen != NULL && g_strv_contains (chosen, domains[i]));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_domain_toggled), self);

      gtk_container_add (GTK_CONTAINER (self->domains_box), check);
      gtk_widget_show (check);
      g_ptr_array_add (self->checks, check);
    }
  self->syncing = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), any);
  gtk_widget_set_visible (GTK_WIDGET (self->domains_box), any);
  gtk_widget_set_visible (GTK_WIDGET (self->recommendation_label), any);
  gtk_widget_set_visible (GTK_WIDGET (self->no_domains_label), !any);
  validate (self);
}

static void
certwiz_sip_page_prepare (CertwizPage *page)
{
  rebuild (CERTWIZ_SIP_PAGE (page));
}

static void
certwiz_sip_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (certwiz_sip_page_parent_class)->constructed (object);

  rebuild (CERTWIZ_SIP_PAGE (object));
}

static void
certwiz_sip_page_finalize (GObject *object)
{
  CertwizSipPage *self = CERTWIZ_SIP_PAGE (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (certwiz_sip_page_parent_class)->finalize (object);
}

static void
certwiz_sip_page_class_init (CertwizSipPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_sip_page_constructed;
  object_class->finalize = certwiz_sip_page_finalize;
  page_class->prepare = certwiz_sip_page_prepare;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-sip-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizSipPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizSipPage, domains_box);
  gtk_widget_class_bind_template_child (widget_class, CertwizSipPage, recommendation_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizSipPage, no_domains_label);
  gtk_widget_class_bind_template_child (widget_class, CertwizSipPage, problem_label);
}

static void
certwiz_sip_page_init (CertwizSipPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self),
                          _("SIP Domain setting on Subject Alternative Names (SANs)"));
  self->checks = g_ptr_array_new ();
}

GtkWidget *
certwiz_sip_page_new (CertreqRequest *request,
                      CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_SIP_PAGE, "request", request, "store", store, NULL);
}
