/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "certwiz-geography-page.h"

/* Geographical Information: country (from iso-codes, translated), state, locality;
 * remembered for the next request */
struct _CertwizGeographyPage
{
  CertwizPage      parent_instance;

  GtkComboBoxText *country_combo;
  GtkEntry        *state_entry;
  GtkEntry        *locality_entry;
  GtkLabel        *problem_label;

  GPtrArray       *countries;       /* element-type CertreqCountry, shared entries */
  gboolean         syncing;
};

G_DEFINE_TYPE (CertwizGeographyPage, certwiz_geography_page, CERTWIZ_TYPE_PAGE)

enum
{
  COLUMN_NAME,   /* GtkComboBoxText's text column */
  COLUMN_CODE,   /* GtkComboBoxText's id column */
};

static GtkEntry *
country_entry (CertwizGeographyPage *self)
{
  return GTK_ENTRY (gtk_bin_get_child (GTK_BIN (self->country_combo)));
}

static void
validate (CertwizGeographyPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  g_autoptr(GError) error = NULL;

  certreq_request_validate_geography (request, &error);
  certwiz_page_show_problem (CERTWIZ_PAGE (self), self->problem_label, error);
}

/* The code for what the admin typed: a country's name in any case, or its alpha-2 code.
 * Anything else goes to the model as typed, so that the core names the problem. */
static char *
country_code_for_text (CertwizGeographyPage *self,
                       const char           *text)
{
  g_autofree char *wanted = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    return g_strdup ("");

  wanted = g_utf8_casefold (stripped, -1);
  for (guint i = 0; i < self->countries->len; i++)
    {
      const CertreqCountry *country = g_ptr_array_index (self->countries, i);
      g_autofree char *name = g_utf8_casefold (country->name, -1);

      if (g_strcmp0 (name, wanted) == 0)
        return g_strdup (country->code);
    }

  upper = g_ascii_strup (stripped, -1);
  if (certreq_country_is_valid (upper))
    return g_steal_pointer (&upper);

  return g_steal_pointer (&stripped);
}

static void
on_geography_changed (CertwizGeographyPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *code = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->country_combo));
  g_autofree char *typed = NULL;

  if (self->syncing)
    return;

  if (code == NULL)
    code = typed = country_code_for_text (self, gtk_entry_get_text (country_entry (self)));
  certreq_request_set_country (request, code);
  certreq_request_set_state (request, gtk_entry_get_text (self->state_entry));
  certreq_request_set_locality (request, gtk_entry_get_text (self->locality_entry));
  validate (self);
}

static gboolean
completion_match (GtkEntryCompletion *completion,
                  const char         *key,
                  GtkTreeIter        *iter,
                  gpointer            user_data)
{
  GtkTreeModel *model = gtk_entry_completion_get_model (completion);
  g_autofree char *name = NULL;
  g_autofree char *folded_name = NULL;
  g_autofree char *folded_key = NULL;

  gtk_tree_model_get (model, iter, COLUMN_NAME, &name, -1);
  if (name == NULL || *key == '\0')
    return FALSE;

  /* Anywhere in the name: "korea" finds both Koreas, "congo" both Congos.
   * GTK hands @key over normalized and case-folded already. */
  folded_name = g_utf8_casefold (name, -1);
  folded_key = g_utf8_casefold (key, -1);
  return strstr (folded_name, folded_key) != NULL;
}

static void
fill_countries (CertwizGeographyPage *self)
{
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();

  /* Translators: the choice of no country in the Country/region list */
  gtk_combo_box_text_append (self->country_combo, "", _("(none)"));
  for (guint i = 0; i < self->countries->len; i++)
    {
      const CertreqCountry *country = g_ptr_array_index (self->countries, i);

      gtk_combo_box_text_append (self->country_combo, country->code, country->name);
    }

  gtk_entry_completion_set_model (completion,
                                  gtk_combo_box_get_model (GTK_COMBO_BOX (self->country_combo)));
  gtk_entry_completion_set_text_column (completion, COLUMN_NAME);
  gtk_entry_completion_set_match_func (completion, completion_match, NULL, NULL);
  gtk_entry_completion_set_minimum_key_length (completion, 1);
  gtk_entry_set_completion (country_entry (self), completion);
}

static void
sync_from_model (CertwizGeographyPage *self)
{
  CertreqRequest *request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  const char *country = certreq_request_get_country (request);
  const char *state = certreq_request_get_state (request);
  const char *locality = certreq_request_get_locality (request);

  self->syncing = TRUE;
  if (country == NULL || *country == '\0')
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->country_combo), "");
  else if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->country_combo), country))
    gtk_entry_set_text (country_entry (self), country);
  gtk_entry_set_text (self->state_entry, state != NULL ? state : "");
  gtk_entry_set_text (self->locality_entry, locality != NULL ? locality : "");
  self->syncing = FALSE;
  validate (self);
}

static void
prefill (CertreqRequest *request,
         const char     *key,
         const char     *(*get) (CertreqRequest *),
         void            (*set) (CertreqRequest *, const char *))
{
  const char *current = get (request);
  g_autofree char *remembered = NULL;

  if (current != NULL && *current != '\0')
    return;
  remembered = certwiz_page_settings_get (key);
  if (remembered != NULL && *remembered != '\0')
    set (request, remembered);
}

static void
certwiz_geography_page_prepare (CertwizPage *page)
{
  validate (CERTWIZ_GEOGRAPHY_PAGE (page));
}

static void
certwiz_geography_page_leave (CertwizPage *page)
{
  CertreqRequest *request = certwiz_page_get_request (page);

  /* Only what the core accepts is worth remembering */
  if (!certreq_request_validate_geography (request, NULL))
    return;
  certwiz_page_settings_set ("country", certreq_request_get_country (request));
  certwiz_page_settings_set ("state", certreq_request_get_state (request));
  certwiz_page_settings_set ("locality", certreq_request_get_locality (request));
}

static void
certwiz_geography_page_constructed (GObject *object)
{
  CertwizGeographyPage *self = CERTWIZ_GEOGRAPHY_PAGE (object);
  CertreqRequest *request;

  G_OBJECT_CLASS (certwiz_geography_page_parent_class)->constructed (object);

  request = certwiz_page_get_request (CERTWIZ_PAGE (self));
  prefill (request, "country", certreq_request_get_country, certreq_request_set_country);
  prefill (request, "state", certreq_request_get_state, certreq_request_set_state);
  prefill (request, "locality", certreq_request_get_locality, certreq_request_set_locality);
  sync_from_model (self);
}

static void
certwiz_geography_page_finalize (GObject *object)
{
  CertwizGeographyPage *self = CERTWIZ_GEOGRAPHY_PAGE (object);

  g_clear_pointer (&self->countries, g_ptr_array_unref);

  G_OBJECT_CLASS (certwiz_geography_page_parent_class)->finalize (object);
}

static void
certwiz_geography_page_class_init (CertwizGeographyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CertwizPageClass *page_class = CERTWIZ_PAGE_CLASS (klass);

  object_class->constructed = certwiz_geography_page_constructed;
  object_class->finalize = certwiz_geography_page_finalize;
  page_class->prepare = certwiz_geography_page_prepare;
  page_class->leave = certwiz_geography_page_leave;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/certwiz/Certwiz/ui/certwiz-geography-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CertwizGeographyPage, country_combo);
  gtk_widget_class_bind_template_child (widget_class, CertwizGeographyPage, state_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizGeographyPage, locality_entry);
  gtk_widget_class_bind_template_child (widget_class, CertwizGeographyPage, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_geography_changed);
}

static void
certwiz_geography_page_init (CertwizGeographyPage *self)
{
  AtkObject *combo_accessible;

  gtk_widget_init_template (GTK_WIDGET (self));
  certwiz_page_set_title (CERTWIZ_PAGE (self), _("Geographical Information"));

  self->countries = certreq_country_list ();
  fill_countries (self);
  certwiz_page_name_controls (CERTWIZ_PAGE (self));
  /* The combo's entry is what keyboard users type into: it carries the same name */
  combo_accessible = gtk_widget_get_accessible (GTK_WIDGET (self->country_combo));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (country_entry (self))),
                       atk_object_get_name (combo_accessible));
}

GtkWidget *
certwiz_geography_page_new (CertreqRequest *request,
                            CertreqStore   *store)
{
  return g_object_new (CERTWIZ_TYPE_GEOGRAPHY_PAGE, "request", request, "store", store, NULL);
}
