/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "certwiz-page.h"

typedef struct
{
  CertreqRequest       *request;
  CertreqStore         *store;
  char                 *title;
  GtkAssistantPageType  page_type;
  gboolean              complete;
} CertwizPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (CertwizPage, certwiz_page, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_REQUEST,
  PROP_STORE,
  PROP_TITLE,
  PROP_PAGE_TYPE,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
certwiz_page_finalize (GObject *object)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (CERTWIZ_PAGE (object));

  g_free (priv->title);

  G_OBJECT_CLASS (certwiz_page_parent_class)->finalize (object);
}

static void
certwiz_page_dispose (GObject *object)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (CERTWIZ_PAGE (object));

  g_clear_object (&priv->request);
  g_clear_object (&priv->store);

  G_OBJECT_CLASS (certwiz_page_parent_class)->dispose (object);
}

static void
certwiz_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CertwizPage *self = CERTWIZ_PAGE (object);
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, priv->request);
      break;
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_PAGE_TYPE:
      g_value_set_enum (value, priv->page_type);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CertwizPage *self = CERTWIZ_PAGE (object);
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_REQUEST:
      priv->request = g_value_dup_object (value);
      break;
    case PROP_STORE:
      priv->store = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      certwiz_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_PAGE_TYPE:
      certwiz_page_set_page_type (self, g_value_get_enum (value));
      break;
    case PROP_COMPLETE:
      certwiz_page_set_complete (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certwiz_page_class_init (CertwizPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = certwiz_page_dispose;
  object_class->finalize = certwiz_page_finalize;
  object_class->get_property = certwiz_page_get_property;
  object_class->set_property = certwiz_page_set_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, CERTREQ_TYPE_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CERTREQ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_TYPE] =
    g_param_spec_enum ("page-type", NULL, NULL, GTK_TYPE_ASSISTANT_PAGE_TYPE,
                       GTK_ASSISTANT_PAGE_CONTENT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
certwiz_page_init (CertwizPage *self)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  priv->page_type = GTK_ASSISTANT_PAGE_CONTENT;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}

CertreqRequest *
certwiz_page_get_request (CertwizPage *self)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_val_if_fail (CERTWIZ_IS_PAGE (self), NULL);
  return priv->request;
}

CertreqStore *
certwiz_page_get_store (CertwizPage *self)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_val_if_fail (CERTWIZ_IS_PAGE (self), NULL);
  return priv->store;
}

const char *
certwiz_page_get_title (CertwizPage *self)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_val_if_fail (CERTWIZ_IS_PAGE (self), NULL);
  return priv->title;
}

void
certwiz_page_set_title (CertwizPage *self,
                        const char  *title)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_if_fail (CERTWIZ_IS_PAGE (self));
  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

GtkAssistantPageType
certwiz_page_get_page_type (CertwizPage *self)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_val_if_fail (CERTWIZ_IS_PAGE (self), GTK_ASSISTANT_PAGE_CONTENT);
  return priv->page_type;
}

void
certwiz_page_set_page_type (CertwizPage          *self,
                            GtkAssistantPageType  type)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_if_fail (CERTWIZ_IS_PAGE (self));
  if (priv->page_type == type)
    return;
  priv->page_type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_TYPE]);
}

gboolean
certwiz_page_get_complete (CertwizPage *self)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_val_if_fail (CERTWIZ_IS_PAGE (self), FALSE);
  return priv->complete;
}

void
certwiz_page_set_complete (CertwizPage *self,
                           gboolean     complete)
{
  CertwizPagePrivate *priv = certwiz_page_get_instance_private (self);

  g_return_if_fail (CERTWIZ_IS_PAGE (self));
  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

void
certwiz_page_prepare (CertwizPage *self)
{
  g_return_if_fail (CERTWIZ_IS_PAGE (self));
  if (CERTWIZ_PAGE_GET_CLASS (self)->prepare != NULL)
    CERTWIZ_PAGE_GET_CLASS (self)->prepare (self);
}

void
certwiz_page_leave (CertwizPage *self)
{
  g_return_if_fail (CERTWIZ_IS_PAGE (self));
  if (CERTWIZ_PAGE_GET_CLASS (self)->leave != NULL)
    CERTWIZ_PAGE_GET_CLASS (self)->leave (self);
}

void
certwiz_page_show_problem (CertwizPage  *self,
                           GtkLabel     *problem_label,
                           const GError *error)
{
  g_return_if_fail (CERTWIZ_IS_PAGE (self));

  if (problem_label != NULL)
    {
      gtk_label_set_text (problem_label, error != NULL ? error->message : "");
      gtk_widget_set_visible (GTK_WIDGET (problem_label), error != NULL);
    }
  certwiz_page_set_complete (self, error == NULL);
}

static void
name_controls_in (GtkWidget *widget,
                  gpointer   user_data)
{
  if (GTK_IS_LABEL (widget))
    {
      GtkWidget *target = gtk_label_get_mnemonic_widget (GTK_LABEL (widget));
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      /* A button's own label names its button already */
      if (target != NULL && target != gtk_widget_get_parent (widget) && text != NULL)
        atk_object_set_name (gtk_widget_get_accessible (target), text);
    }
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_foreach (GTK_CONTAINER (widget), name_controls_in, user_data);
}

void
certwiz_page_name_controls (CertwizPage *self)
{
  g_return_if_fail (CERTWIZ_IS_PAGE (self));

  gtk_container_foreach (GTK_CONTAINER (self), name_controls_in, NULL);
}

static void
collect_mnemonics (GtkWidget *widget,
                   gpointer   user_data)
{
  GString *used = user_data;

  if (GTK_IS_LABEL (widget))
    {
      guint keyval = gtk_label_get_mnemonic_keyval (GTK_LABEL (widget));

      if (keyval != GDK_KEY_VoidSymbol)
        g_string_append_unichar (used, g_unichar_tolower (gdk_keyval_to_unicode (keyval)));
    }
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_foreach (GTK_CONTAINER (widget), collect_mnemonics, user_data);
}

static void
collect_mnemonic_of (GString    *used,
                     const char *label)
{
  const char *underscore = strchr (label, '_');

  if (underscore != NULL && underscore[1] != '\0')
    g_string_append_unichar (used, g_unichar_tolower (g_utf8_get_char (underscore + 1)));
}

char *
certwiz_page_make_mnemonic (CertwizPage *self,
                            const char  *text)
{
  g_autoptr(GString) used = g_string_new (NULL);
  g_autoptr(GString) result = g_string_new (NULL);
  gboolean placed = FALSE;
  const char *p;

  g_return_val_if_fail (CERTWIZ_IS_PAGE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  gtk_container_foreach (GTK_CONTAINER (self), collect_mnemonics, used);
  /* GtkAssistant's own buttons, in the language GTK shows them */
  collect_mnemonic_of (used, g_dgettext ("gtk30", "_Back"));
  collect_mnemonic_of (used, g_dgettext ("gtk30", "_Next"));
  collect_mnemonic_of (used, g_dgettext ("gtk30", "_Cancel"));

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '_')
        {
          g_string_append (result, "__");
          continue;
        }
      if (!placed && g_unichar_isalnum (c))
        {
          char buf[7] = { 0 };

          g_unichar_to_utf8 (g_unichar_tolower (c), buf);
          if (strstr (used->str, buf) == NULL)
            {
              g_string_append_c (result, '_');
              placed = TRUE;
            }
        }
      g_string_append_unichar (result, c);
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

static GSettings *
dup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* The schema is installed with the application; unit tests and uninstalled runs
   * without GSETTINGS_SCHEMA_DIR simply do without remembered values. */
  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

char *
certwiz_page_settings_get (const char *key)
{
  g_autoptr(GSettings) settings = dup_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  if (settings == NULL)
    return NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, key))
    return NULL;
  return g_settings_get_string (settings, key);
}

void
certwiz_page_settings_set (const char *key,
                           const char *value)
{
  g_autoptr(GSettings) settings = dup_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;

  g_return_if_fail (key != NULL);

  if (settings == NULL)
    return;
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, key))
    return;
  g_settings_set_string (settings, key, value != NULL ? value : "");
  /* The application may quit right after the assistant closes */
  g_settings_sync ();
}
