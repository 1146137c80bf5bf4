/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

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
