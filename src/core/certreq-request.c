/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/crypto.h>
#include <string.h>

#include "certreq-private.h"

#define FRIENDLY_NAME_MAX 64
#define ORGANIZATION_MAX 64
#define GEOGRAPHY_MAX 128
#define COMMON_NAME_MAX 64

struct _CertreqRequest
{
  GObject            parent_instance;

  CertreqServer     *server;
  CertreqUsageFlags  usages;
  gboolean           online;
  char              *request_file;      /* offline requests */
  char              *ca_id;
  gboolean           use_credentials;
  char              *username;
  char              *password;          /* wiped on change and finalize */
  gboolean           use_template;
  char              *template_name;     /* the alternate template as entered */
  char              *friendly_name;
  CertreqKeyType     key_type;
  gboolean           exportable;
  char              *organization;
  char              *organizational_unit;
  char              *country;
  char              *state;
  char              *locality;
  GStrv              sip_domains;
  GStrv              extra_names;
  char              *replaces;          /* thumbprint of the certificate renewed, or "" */
  gboolean           reuse_key;         /* renewal keeps that certificate's key */
};

G_DEFINE_TYPE (CertreqRequest, certreq_request, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SERVER,
  PROP_USAGES,
  PROP_ONLINE,
  PROP_REQUEST_FILE,
  PROP_CA_ID,
  PROP_USE_CREDENTIALS,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_USE_TEMPLATE,
  PROP_TEMPLATE,
  PROP_FRIENDLY_NAME,
  PROP_KEY_TYPE,
  PROP_EXPORTABLE,
  PROP_ORGANIZATION,
  PROP_ORGANIZATIONAL_UNIT,
  PROP_COUNTRY,
  PROP_STATE,
  PROP_LOCALITY,
  PROP_SIP_DOMAINS,
  PROP_EXTRA_NAMES,
  PROP_REPLACES,
  PROP_REUSE_KEY,
  PROP_COMMON_NAME,
  PROP_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ALL_USAGES ((CertreqUsageFlags) ((1 << CERTREQ_N_USAGES) - 1))

static void
wipe_string (char **secret)
{
  if (*secret == NULL)
    return;

  OPENSSL_cleanse (*secret, strlen (*secret));
  g_free (*secret);
  *secret = NULL;
}

static void
notify_derived (CertreqRequest *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAMES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMON_NAME]);
}

static void
on_server_notify (CertreqServer  *server,
                  GParamSpec     *pspec,
                  CertreqRequest *self)
{
  notify_derived (self);
}

/* ---- GObject ---- */

static void
certreq_request_constructed (GObject *object)
{
  CertreqRequest *self = CERTREQ_REQUEST (object);
  const char * const *server_sip;

  G_OBJECT_CLASS (certreq_request_parent_class)->constructed (object);

  if (self->server == NULL)
    self->server = certreq_server_new ();

  /* A new request chooses the primary SIP domain, as the original wizard does */
  server_sip = certreq_server_get_sip_domains (self->server);
  if (server_sip[0] != NULL)
    {
      g_strfreev (self->sip_domains);
      self->sip_domains = g_new0 (char *, 2);
      self->sip_domains[0] = g_strdup (server_sip[0]);
    }

  g_signal_connect_object (self->server, "notify", G_CALLBACK (on_server_notify), self, 0);
}

static void
certreq_request_dispose (GObject *object)
{
  CertreqRequest *self = CERTREQ_REQUEST (object);

  g_clear_object (&self->server);

  G_OBJECT_CLASS (certreq_request_parent_class)->dispose (object);
}

static void
certreq_request_finalize (GObject *object)
{
  CertreqRequest *self = CERTREQ_REQUEST (object);

  wipe_string (&self->password);
  g_free (self->request_file);
  g_free (self->ca_id);
  g_free (self->username);
  g_free (self->template_name);
  g_free (self->friendly_name);
  g_free (self->organization);
  g_free (self->organizational_unit);
  g_free (self->country);
  g_free (self->state);
  g_free (self->locality);
  g_strfreev (self->sip_domains);
  g_strfreev (self->extra_names);
  g_free (self->replaces);

  G_OBJECT_CLASS (certreq_request_parent_class)->finalize (object);
}

static void
certreq_request_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CertreqRequest *self = CERTREQ_REQUEST (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_object (value, self->server);
      break;
    case PROP_USAGES:
      g_value_set_uint (value, self->usages);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_REQUEST_FILE:
      g_value_set_string (value, self->request_file);
      break;
    case PROP_CA_ID:
      g_value_set_string (value, self->ca_id);
      break;
    case PROP_USE_CREDENTIALS:
      g_value_set_boolean (value, self->use_credentials);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    case PROP_USE_TEMPLATE:
      g_value_set_boolean (value, self->use_template);
      break;
    case PROP_TEMPLATE:
      g_value_set_string (value, self->template_name);
      break;
    case PROP_FRIENDLY_NAME:
      g_value_set_string (value, self->friendly_name);
      break;
    case PROP_KEY_TYPE:
      g_value_set_int (value, self->key_type);
      break;
    case PROP_EXPORTABLE:
      g_value_set_boolean (value, self->exportable);
      break;
    case PROP_REPLACES:
      g_value_set_string (value, self->replaces);
      break;
    case PROP_REUSE_KEY:
      g_value_set_boolean (value, self->reuse_key);
      break;
    case PROP_ORGANIZATION:
      g_value_set_string (value, self->organization);
      break;
    case PROP_ORGANIZATIONAL_UNIT:
      g_value_set_string (value, self->organizational_unit);
      break;
    case PROP_COUNTRY:
      g_value_set_string (value, self->country);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_LOCALITY:
      g_value_set_string (value, self->locality);
      break;
    case PROP_SIP_DOMAINS:
      g_value_set_boxed (value, self->sip_domains);
      break;
    case PROP_EXTRA_NAMES:
      g_value_set_boxed (value, self->extra_names);
      break;
    case PROP_COMMON_NAME:
      g_value_take_string (value, certreq_request_get_common_name (self));
      break;
    case PROP_NAMES:
      g_value_take_boxed (value, certreq_request_get_names (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certreq_request_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CertreqRequest *self = CERTREQ_REQUEST (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      self->server = g_value_dup_object (value);
      break;
    case PROP_USAGES:
      certreq_request_set_usages (self, g_value_get_uint (value));
      break;
    case PROP_ONLINE:
      certreq_request_set_online (self, g_value_get_boolean (value));
      break;
    case PROP_REQUEST_FILE:
      certreq_request_set_request_file (self, g_value_get_string (value));
      break;
    case PROP_CA_ID:
      certreq_request_set_ca_id (self, g_value_get_string (value));
      break;
    case PROP_USE_CREDENTIALS:
      certreq_request_set_use_credentials (self, g_value_get_boolean (value));
      break;
    case PROP_USERNAME:
      certreq_request_set_username (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      certreq_request_set_password (self, g_value_get_string (value));
      break;
    case PROP_USE_TEMPLATE:
      certreq_request_set_use_template (self, g_value_get_boolean (value));
      break;
    case PROP_TEMPLATE:
      certreq_request_set_template (self, g_value_get_string (value));
      break;
    case PROP_FRIENDLY_NAME:
      certreq_request_set_friendly_name (self, g_value_get_string (value));
      break;
    case PROP_KEY_TYPE:
      certreq_request_set_key_type (self, g_value_get_int (value));
      break;
    case PROP_EXPORTABLE:
      certreq_request_set_exportable (self, g_value_get_boolean (value));
      break;
    case PROP_REPLACES:
      certreq_request_set_replaces (self, g_value_get_string (value));
      break;
    case PROP_REUSE_KEY:
      certreq_request_set_reuse_key (self, g_value_get_boolean (value));
      break;
    case PROP_ORGANIZATION:
      certreq_request_set_organization (self, g_value_get_string (value));
      break;
    case PROP_ORGANIZATIONAL_UNIT:
      certreq_request_set_organizational_unit (self, g_value_get_string (value));
      break;
    case PROP_COUNTRY:
      certreq_request_set_country (self, g_value_get_string (value));
      break;
    case PROP_STATE:
      certreq_request_set_state (self, g_value_get_string (value));
      break;
    case PROP_LOCALITY:
      certreq_request_set_locality (self, g_value_get_string (value));
      break;
    case PROP_SIP_DOMAINS:
      certreq_request_set_sip_domains (self, g_value_get_boxed (value));
      break;
    case PROP_EXTRA_NAMES:
      certreq_request_set_extra_names (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certreq_request_class_init (CertreqRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = certreq_request_constructed;
  object_class->dispose = certreq_request_dispose;
  object_class->finalize = certreq_request_finalize;
  object_class->get_property = certreq_request_get_property;
  object_class->set_property = certreq_request_set_property;

  properties[PROP_SERVER] =
    g_param_spec_object ("server", NULL, NULL, CERTREQ_TYPE_SERVER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USAGES] =
    g_param_spec_uint ("usages", NULL, NULL, 0, ALL_USAGES, CERTREQ_USAGE_FLAGS_STANDARD, rw);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE, rw);
  /* Offline requests: where the PKCS#10 PEM file is written ("" when not chosen) */
  properties[PROP_REQUEST_FILE] =
    g_param_spec_string ("request-file", NULL, NULL, "", rw);
  properties[PROP_CA_ID] =
    g_param_spec_string ("ca-id", NULL, NULL, CERTREQ_LOCAL_CA_ID, rw);
  properties[PROP_USE_CREDENTIALS] =
    g_param_spec_boolean ("use-credentials", NULL, NULL, FALSE, rw);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, "", rw);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, "", rw);
  properties[PROP_USE_TEMPLATE] =
    g_param_spec_boolean ("use-template", NULL, NULL, FALSE, rw);
  /* The alternate template as entered; certreq_request_get_template() gives the one in effect */
  properties[PROP_TEMPLATE] =
    g_param_spec_string ("template", NULL, NULL, "", rw);
  properties[PROP_FRIENDLY_NAME] =
    g_param_spec_string ("friendly-name", NULL, NULL, "", rw);
  properties[PROP_KEY_TYPE] =
    g_param_spec_int ("key-type", NULL, NULL, 0, CERTREQ_N_KEY_TYPES - 1,
                      CERTREQ_KEY_TYPE_DEFAULT, rw);
  properties[PROP_EXPORTABLE] =
    g_param_spec_boolean ("exportable", NULL, NULL, FALSE, rw);
  properties[PROP_ORGANIZATION] =
    g_param_spec_string ("organization", NULL, NULL, "", rw);
  properties[PROP_ORGANIZATIONAL_UNIT] =
    g_param_spec_string ("organizational-unit", NULL, NULL, "", rw);
  properties[PROP_COUNTRY] =
    g_param_spec_string ("country", NULL, NULL, "", rw);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "", rw);
  properties[PROP_LOCALITY] =
    g_param_spec_string ("locality", NULL, NULL, "", rw);
  properties[PROP_SIP_DOMAINS] =
    g_param_spec_boxed ("sip-domains", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_EXTRA_NAMES] =
    g_param_spec_boxed ("extra-names", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_REPLACES] =
    g_param_spec_string ("replaces", NULL, NULL, "", rw);
  properties[PROP_REUSE_KEY] =
    g_param_spec_boolean ("reuse-key", NULL, NULL, FALSE, rw);
  properties[PROP_COMMON_NAME] =
    g_param_spec_string ("common-name", NULL, NULL, "", ro);
  properties[PROP_NAMES] =
    g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
certreq_request_init (CertreqRequest *self)
{
  self->usages = CERTREQ_USAGE_FLAGS_STANDARD;
  self->online = TRUE;
  self->request_file = g_strdup ("");
  self->ca_id = g_strdup (CERTREQ_LOCAL_CA_ID);
  self->username = g_strdup ("");
  self->template_name = g_strdup ("");
  self->friendly_name = g_strdup ("");
  self->key_type = CERTREQ_KEY_TYPE_DEFAULT;
  self->exportable = FALSE;
  self->organization = g_strdup ("");
  self->organizational_unit = g_strdup ("");
  self->country = g_strdup ("");
  self->state = g_strdup ("");
  self->locality = g_strdup ("");
  self->sip_domains = g_new0 (char *, 1);
  self->extra_names = g_new0 (char *, 1);
  self->replaces = g_strdup ("");
}

/**
 * certreq_request_new:
 * @server: (nullable): the server profile the names are derived from; %NULL
 *   for certreq_server_new()'s defaults
 *
 * A new request with the original wizard's defaults: the three standard
 * usages, online, the built-in CA, the WebServer template, RSA 2048, a key
 * that cannot be exported, and the primary SIP domain chosen.
 *
 * Returns: (transfer full): a new #CertreqRequest
 */
CertreqRequest *
certreq_request_new (CertreqServer *server)
{
  g_return_val_if_fail (server == NULL || CERTREQ_IS_SERVER (server), NULL);

  return g_object_new (CERTREQ_TYPE_REQUEST, "server", server, NULL);
}

/**
 * certreq_request_copy:
 * @self: a #CertreqRequest
 *
 * A deep copy, server profile and password included, for a worker thread (R10).
 *
 * Returns: (transfer full): the copy
 */
CertreqRequest *
certreq_request_copy (CertreqRequest *self)
{
  g_autoptr(CertreqServer) server = NULL;
  CertreqRequest *copy;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);

  server = certreq_server_copy (self->server);
  copy = certreq_request_new (server);
  copy->usages = self->usages;
  copy->online = self->online;
  g_free (copy->request_file);
  copy->request_file = g_strdup (self->request_file);
  g_free (copy->ca_id);
  copy->ca_id = g_strdup (self->ca_id);
  copy->use_credentials = self->use_credentials;
  g_free (copy->username);
  copy->username = g_strdup (self->username);
  copy->password = g_strdup (self->password);
  copy->use_template = self->use_template;
  g_free (copy->template_name);
  copy->template_name = g_strdup (self->template_name);
  g_free (copy->friendly_name);
  copy->friendly_name = g_strdup (self->friendly_name);
  copy->key_type = self->key_type;
  copy->exportable = self->exportable;
  g_free (copy->organization);
  copy->organization = g_strdup (self->organization);
  g_free (copy->organizational_unit);
  copy->organizational_unit = g_strdup (self->organizational_unit);
  g_free (copy->country);
  copy->country = g_strdup (self->country);
  g_free (copy->state);
  copy->state = g_strdup (self->state);
  g_free (copy->locality);
  copy->locality = g_strdup (self->locality);
  g_strfreev (copy->sip_domains);
  copy->sip_domains = g_strdupv (self->sip_domains);
  g_strfreev (copy->extra_names);
  copy->extra_names = g_strdupv (self->extra_names);
  g_free (copy->replaces);
  copy->replaces = g_strdup (self->replaces);
  copy->reuse_key = self->reuse_key;

  return copy;
}

/* ---- Accessors: string getters never return NULL ---- */

static gboolean
set_string (CertreqRequest  *self,
            char           **field,
            const char      *value,
            guint            prop)
{
  char *copy;

  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  /* Copy before freeing: @value may point into the old string */
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static gboolean
set_boolean (CertreqRequest *self,
             gboolean       *field,
             gboolean        value,
             guint           prop)
{
  value = !!value;
  if (*field == value)
    return FALSE;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static gboolean
set_strv (CertreqRequest     *self,
          GStrv              *field,
          const char * const *value,
          guint               prop)
{
  static const char * const empty[] = { NULL };
  GStrv copy;

  if (value == NULL)
    value = empty;
  if (g_strv_equal ((const char * const *) *field, value))
    return FALSE;

  /* Copy before freeing: @value may borrow the strings of *field
   * (certreq_request_add_extra_name and _remove_extra_name do) */
  copy = g_strdupv ((char **) value);
  g_strfreev (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

CertreqServer *
certreq_request_get_server (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->server;
}

CertreqUsageFlags
certreq_request_get_usages (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), CERTREQ_USAGE_FLAG_NONE);
  return self->usages;
}

void
certreq_request_set_usages (CertreqRequest    *self,
                            CertreqUsageFlags  usages)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));

  usages &= ALL_USAGES;
  if (self->usages == usages)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->usages = usages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USAGES]);
  notify_derived (self);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
certreq_request_get_online (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  return self->online;
}

void
certreq_request_set_online (CertreqRequest *self,
                            gboolean        online)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_boolean (self, &self->online, online, PROP_ONLINE);
}

const char *
certreq_request_get_request_file (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->request_file;
}

void
certreq_request_set_request_file (CertreqRequest *self,
                                  const char     *path)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->request_file, path, PROP_REQUEST_FILE);
}

const char *
certreq_request_get_ca_id (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->ca_id;
}

void
certreq_request_set_ca_id (CertreqRequest *self,
                           const char     *ca_id)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->ca_id, ca_id, PROP_CA_ID);
}

gboolean
certreq_request_get_use_credentials (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  return self->use_credentials;
}

void
certreq_request_set_use_credentials (CertreqRequest *self,
                                     gboolean        use)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_boolean (self, &self->use_credentials, use, PROP_USE_CREDENTIALS);
}

const char *
certreq_request_get_username (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->username;
}

void
certreq_request_set_username (CertreqRequest *self,
                              const char     *username)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->username, username, PROP_USERNAME);
}

/**
 * certreq_request_get_password:
 * @self: a #CertreqRequest
 *
 * The CA account's password. It lives in memory only: it is wiped when it
 * changes and when the request is finalized, and it is never saved or logged.
 *
 * Returns: the password; "" when none was set
 */
const char *
certreq_request_get_password (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->password != NULL ? self->password : "";
}

void
certreq_request_set_password (CertreqRequest *self,
                              const char     *password)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));

  if (password == NULL)
    password = "";
  if (g_strcmp0 (certreq_request_get_password (self), password) == 0)
    return;

  wipe_string (&self->password);
  if (*password != '\0')
    self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

gboolean
certreq_request_get_use_template (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  return self->use_template;
}

void
certreq_request_set_use_template (CertreqRequest *self,
                                  gboolean        use)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_boolean (self, &self->use_template, use, PROP_USE_TEMPLATE);
}

/**
 * certreq_request_get_template:
 * @self: a #CertreqRequest
 *
 * Returns: the template in effect: the alternate one as entered when
 *   use-template is set (possibly ""), else %CERTREQ_DEFAULT_TEMPLATE
 */
const char *
certreq_request_get_template (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->use_template ? self->template_name : CERTREQ_DEFAULT_TEMPLATE;
}

void
certreq_request_set_template (CertreqRequest *self,
                              const char     *name)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->template_name, name, PROP_TEMPLATE);
}

const char *
certreq_request_get_friendly_name (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->friendly_name;
}

void
certreq_request_set_friendly_name (CertreqRequest *self,
                                   const char     *name)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->friendly_name, name, PROP_FRIENDLY_NAME);
}

CertreqKeyType
certreq_request_get_key_type (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), CERTREQ_KEY_TYPE_DEFAULT);
  return self->key_type;
}

void
certreq_request_set_key_type (CertreqRequest *self,
                              CertreqKeyType  type)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  g_return_if_fail ((guint) type < CERTREQ_N_KEY_TYPES);

  if (self->key_type == type)
    return;
  self->key_type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_TYPE]);
}

gboolean
certreq_request_get_exportable (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  return self->exportable;
}

void
certreq_request_set_exportable (CertreqRequest *self,
                                gboolean        exportable)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_boolean (self, &self->exportable, exportable, PROP_EXPORTABLE);
}

/**
 * certreq_request_get_replaces:
 * @self: a #CertreqRequest
 *
 * Returns: the SHA-1 thumbprint of the certificate this request renews, or ""
 */
const char *
certreq_request_get_replaces (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), "");
  return self->replaces;
}

void
certreq_request_set_replaces (CertreqRequest *self,
                              const char     *thumbprint)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->replaces, thumbprint, PROP_REPLACES);
}

gboolean
certreq_request_get_reuse_key (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  return self->reuse_key;
}

void
certreq_request_set_reuse_key (CertreqRequest *self,
                               gboolean        reuse)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_boolean (self, &self->reuse_key, reuse, PROP_REUSE_KEY);
}

const char *
certreq_request_get_organization (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->organization;
}

void
certreq_request_set_organization (CertreqRequest *self,
                                  const char     *value)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->organization, value, PROP_ORGANIZATION);
}

const char *
certreq_request_get_organizational_unit (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->organizational_unit;
}

void
certreq_request_set_organizational_unit (CertreqRequest *self,
                                         const char     *value)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->organizational_unit, value, PROP_ORGANIZATIONAL_UNIT);
}

const char *
certreq_request_get_country (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->country;
}

void
certreq_request_set_country (CertreqRequest *self,
                             const char     *code)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->country, code, PROP_COUNTRY);
}

const char *
certreq_request_get_state (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->state;
}

void
certreq_request_set_state (CertreqRequest *self,
                           const char     *value)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->state, value, PROP_STATE);
}

const char *
certreq_request_get_locality (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return self->locality;
}

void
certreq_request_set_locality (CertreqRequest *self,
                              const char     *value)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  set_string (self, &self->locality, value, PROP_LOCALITY);
}

const char * const *
certreq_request_get_sip_domains (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return (const char * const *) self->sip_domains;
}

void
certreq_request_set_sip_domains (CertreqRequest     *self,
                                 const char * const *domains)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (set_strv (self, &self->sip_domains, domains, PROP_SIP_DOMAINS))
    notify_derived (self);
  g_object_thaw_notify (G_OBJECT (self));
}

const char * const *
certreq_request_get_extra_names (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  return (const char * const *) self->extra_names;
}

void
certreq_request_set_extra_names (CertreqRequest     *self,
                                 const char * const *names)
{
  g_return_if_fail (CERTREQ_IS_REQUEST (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (set_strv (self, &self->extra_names, names, PROP_EXTRA_NAMES))
    notify_derived (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
strv_contains_ci (const char * const *strv,
                  const char         *name)
{
  guint i;

  for (i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (strv[i], name) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * certreq_request_add_extra_name:
 * @self: a #CertreqRequest
 * @name: a DNS name; a wildcard is allowed as the whole left-most label
 * @error: return location for a #GError
 *
 * Appends @name (without surrounding spaces) to the additional subject
 * alternative names.
 *
 * Returns: %TRUE when added; %FALSE with a %CERTREQ_ERROR_INVALID_SUBJECT error
 *   when @name is not a valid name or is already among the request's names
 */
gboolean
certreq_request_add_extra_name (CertreqRequest  *self,
                                const char      *name,
                                GError         **error)
{
  g_autofree char *trimmed = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) extra = NULL;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  /* Translators: a field name, used in "Enter the %s." and "The %1$s “%2$s” is not valid: …" */
  if (!certreq_validate_fqdn (trimmed, _("additional subject alternative name"), TRUE, error))
    return FALSE;

  names = certreq_request_get_names (self);
  if (strv_contains_ci ((const char * const *) names, trimmed))
    {
      /* Translators: %s is a DNS name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The name “%s” is already among the subject alternative names."),
                   trimmed);
      return FALSE;
    }

  extra = g_ptr_array_new ();
  for (i = 0; self->extra_names[i] != NULL; i++)
    g_ptr_array_add (extra, self->extra_names[i]);
  g_ptr_array_add (extra, trimmed);
  g_ptr_array_add (extra, NULL);
  certreq_request_set_extra_names (self, (const char * const *) extra->pdata);

  return TRUE;
}

/**
 * certreq_request_remove_extra_name:
 * @self: a #CertreqRequest
 * @name: an additional name (compared without regard to case)
 *
 * Removes @name from the additional subject alternative names, if it is there.
 */
void
certreq_request_remove_extra_name (CertreqRequest *self,
                                   const char     *name)
{
  g_autoptr(GPtrArray) extra = NULL;
  guint i;

  g_return_if_fail (CERTREQ_IS_REQUEST (self));

  if (name == NULL)
    return;

  extra = g_ptr_array_new ();
  for (i = 0; self->extra_names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->extra_names[i], name) != 0)
        g_ptr_array_add (extra, self->extra_names[i]);
    }
  g_ptr_array_add (extra, NULL);

  certreq_request_set_extra_names (self, (const char * const *) extra->pdata);
}

/* ---- Derived names ---- */

/**
 * certreq_request_get_common_name:
 * @self: a #CertreqRequest
 *
 * Returns: (transfer full): the subject's common name, derived from the server
 *   profile and the chosen usages; "" when there is none
 */
char *
certreq_request_get_common_name (CertreqRequest *self)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);

  return certreq_server_derive_common_name (self->server, self->usages);
}

/**
 * certreq_request_get_names:
 * @self: a #CertreqRequest
 *
 * Returns: (transfer full): the subject alternative names: the names derived
 *   for the chosen usages and SIP domains (the common name first), then the
 *   additional names, de-duplicated without regard to case
 */
char **
certreq_request_get_names (CertreqRequest *self)
{
  g_auto(GStrv) derived = NULL;
  GPtrArray *names;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);

  derived = certreq_server_derive_names (self->server, self->usages,
                                         (const char * const *) self->sip_domains);
  names = g_ptr_array_new ();
  for (i = 0; derived[i] != NULL; i++)
    g_ptr_array_add (names, g_steal_pointer (&derived[i]));
  for (i = 0; self->extra_names[i] != NULL; i++)
    {
      const char *name = self->extra_names[i];

      g_ptr_array_add (names, NULL);
      if (*name != '\0' && !strv_contains_ci ((const char * const *) names->pdata, name))
        names->pdata[names->len - 1] = g_strdup (name);
      else
        g_ptr_array_remove_index (names, names->len - 1);
    }
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (names, FALSE);
}

/* ---- Validation ---- */

static gboolean
has_control_chars (const char *text)
{
  const char *p;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

/* Text for a subject field: valid UTF-8, no control characters, at most @max characters */
static gboolean
validate_text (const char  *value,
               gsize        max,
               const char  *too_long,
               const char  *bad_chars,
               GError     **error)
{
  if (!g_utf8_validate (value, -1, NULL) || has_control_chars (value))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT, bad_chars);
      return FALSE;
    }
  if ((gsize) g_utf8_strlen (value, -1) > max)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT, too_long);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }

  return TRUE;
}

/**
 * certreq_request_validate_usages:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * Returns: %TRUE when at least one usage is chosen
 */
gboolean
certreq_request_validate_usages (CertreqRequest  *self,
                                 GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((self->usages & ALL_USAGES) == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Choose at least one certificate usage."));
      return FALSE;
    }

  return TRUE;
}

/**
 * certreq_request_validate_ca:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * Returns: %TRUE when an online request has a certification authority chosen
 *   (an offline request is written to a file for any CA)
 */
gboolean
certreq_request_validate_ca (CertreqRequest  *self,
                             GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->online && is_blank (self->ca_id))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Choose a certification authority."));
      return FALSE;
    }

  return TRUE;
}

/**
 * certreq_request_validate_request_file:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * Returns: %TRUE for an online request, or when the offline request's file is
 *   an absolute path whose directory exists and that is not a directory itself
 */
gboolean
certreq_request_validate_request_file (CertreqRequest  *self,
                                       GError         **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->online)
    return TRUE;

  if (is_blank (self->request_file))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Enter the file the certificate request is written to."));
      return FALSE;
    }
  if (!g_path_is_absolute (self->request_file) || has_control_chars (self->request_file))
    {
      /* Translators: %s is the file name as entered */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The request file “%s” must be a full path, starting with /."),
                   self->request_file);
      return FALSE;
    }
  if (g_file_test (self->request_file, G_FILE_TEST_IS_DIR))
    {
      /* Translators: %s is the file name as entered */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The request file “%s” is a folder; enter a file name."),
                   self->request_file);
      return FALSE;
    }
  dir = g_path_get_dirname (self->request_file);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      /* Translators: %s is a folder */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The folder “%s” for the request file does not exist."), dir);
      return FALSE;
    }

  return TRUE;
}

/**
 * certreq_request_validate_account:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * Returns: %TRUE unless alternate credentials are on without a user name and without
 *   a password (a SCEP challenge password has no user name; a blank user name falls
 *   back to the CA's configured one)
 */
gboolean
certreq_request_validate_account (CertreqRequest  *self,
                                  GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* An offline request is written to a file: no CA account applies */
  if (!self->online || !self->use_credentials)
    return TRUE;

  if (is_blank (self->username) && (self->password == NULL || *self->password == '\0'))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Enter the user name of the certification authority account."));
      return FALSE;
    }
  if (self->username != NULL && has_control_chars (self->username))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The user name of the certification authority account must not "
                             "contain control characters."));
      return FALSE;
    }

  return TRUE;
}

/**
 * certreq_request_validate_template:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * Returns: %TRUE unless an alternate template is on and its name is empty or
 *   contains spaces or control characters
 */
gboolean
certreq_request_validate_template (CertreqRequest  *self,
                                   GError         **error)
{
  const char *p;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->use_template)
    return TRUE;

  if (*self->template_name == '\0')
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Enter the name of the certificate template."));
      return FALSE;
    }

  if (!g_utf8_validate (self->template_name, -1, NULL))
    p = self->template_name;
  else
    for (p = self->template_name; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
          break;
      }

  if (*p != '\0')
    {
      /* Translators: %s is the template name entered */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The certificate template name “%s” is not valid: it must not contain "
                     "spaces or control characters."),
                   self->template_name);
      return FALSE;
    }

  return TRUE;
}

/**
 * certreq_request_validate_basics:
 * @self: a #CertreqRequest
 * @store: (nullable): the store, asked whether the friendly name is in use
 * @error: return location for a #GError
 *
 * The friendly name may be empty (one is generated); otherwise it has at most
 * 64 characters, no control characters, and no other certificate in @store
 * has it.
 *
 * Returns: %TRUE when valid
 */
/* A renewal keeps the friendly name of the certificate it replaces */
static gboolean
renews_with_its_name (CertreqRequest *self,
                      CertreqStore   *store)
{
  g_autoptr(CertreqCertMeta) meta = NULL;

  if (*self->replaces == '\0')
    return FALSE;
  meta = certreq_store_get_meta (store, self->replaces);
  return meta != NULL && g_strcmp0 (meta->friendly_name, self->friendly_name) == 0;
}

gboolean
certreq_request_validate_basics (CertreqRequest  *self,
                                 CertreqStore    *store,
                                 GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (store == NULL || CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_text (self->friendly_name, FRIENDLY_NAME_MAX,
                      _("The friendly name is longer than 64 characters."),
                      _("The friendly name must not contain control characters."),
                      error))
    return FALSE;

  if (*self->friendly_name != '\0' && store != NULL &&
      !renews_with_its_name (self, store) &&
      certreq_store_friendly_name_in_use (store, self->friendly_name))
    {
      /* Translators: %s is the friendly name entered */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The friendly name “%s” is already used by another certificate in "
                     "the store; choose another one."),
                   self->friendly_name);
      return FALSE;
    }

  return TRUE;
}

/**
 * certreq_request_validate_key_type:
 * @self: a #CertreqRequest
 * @store: (nullable): the store whose cas.ini knows the configured CAs
 * @error: return location for a #GError
 *
 * Refuses a key type the online CA's protocol cannot certify. A CA whose protocol
 * is not known yet (a URL of no known shape, before its detection) passes.
 *
 * Returns: %TRUE when valid
 */
gboolean
certreq_request_validate_key_type (CertreqRequest  *self,
                                   CertreqStore    *store,
                                   GError         **error)
{
  CertreqCaProtocol protocol;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (store == NULL || CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->online || !certreq_ca_protocol_for_id (store, self->ca_id, &protocol) ||
      certreq_ca_protocol_supports_key_type (protocol, self->key_type))
    return TRUE;

  /* Only SCEP restricts the key type today, to RSA.
   * Translators: %1$s is the certification authority's name or URL, %2$s its protocol
   * such as "SCEP (RFC 8894)", %3$s a key type such as "ECDSA, P-256" */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
               _("The certification authority “%1$s” speaks %2$s, which cannot certify a "
                 "key of the type %3$s; choose an RSA key."),
               self->ca_id, certreq_ca_protocol_get_label (protocol),
               certreq_key_type_get_label (self->key_type));
  return FALSE;
}

/**
 * certreq_request_validate_organization:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * Returns: %TRUE when organization and organizational unit have at most 64
 *   characters each and no control characters
 */
gboolean
certreq_request_validate_organization (CertreqRequest  *self,
                                       GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return validate_text (self->organization, ORGANIZATION_MAX,
                        _("The organization is longer than 64 characters."),
                        _("The organization must not contain control characters."),
                        error) &&
         validate_text (self->organizational_unit, ORGANIZATION_MAX,
                        _("The organizational unit is longer than 64 characters."),
                        _("The organizational unit must not contain control characters."),
                        error);
}

/**
 * certreq_request_validate_geography:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the country is empty or an ISO 3166-1 alpha-2 code, and
 *   state and locality have at most 128 characters and no control characters
 */
gboolean
certreq_request_validate_geography (CertreqRequest  *self,
                                    GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*self->country != '\0' && !certreq_country_is_valid (self->country))
    {
      /* Translators: %s is what was entered as the country */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The country “%s” is not a two-letter ISO 3166 country code, such as "
                     "DE or US."),
                   self->country);
      return FALSE;
    }

  return validate_text (self->state, GEOGRAPHY_MAX,
                        _("The state or province is longer than 128 characters."),
                        _("The state or province must not contain control characters."),
                        error) &&
         validate_text (self->locality, GEOGRAPHY_MAX,
                        _("The city or locality is longer than 128 characters."),
                        _("The city or locality must not contain control characters."),
                        error);
}

/* The server profile's field a derived name comes from, for the message */
static gboolean
validate_derived_name (CertreqServer  *server,
                       const char     *name,
                       GError        **error)
{
  const char * const *sip_domains = certreq_server_get_sip_domains (server);
  const char *field;
  gboolean wildcard = FALSE;

  if (g_ascii_strcasecmp (name, certreq_server_get_pool_fqdn (server)) == 0)
    field = _("pool FQDN");
  else if (g_ascii_strcasecmp (name, certreq_server_get_web_internal_fqdn (server)) == 0)
    field = _("internal web services FQDN");
  else if (g_ascii_strcasecmp (name, certreq_server_get_web_external_fqdn (server)) == 0)
    field = _("external web services FQDN");
  else if (strv_contains_ci (certreq_server_get_simple_urls (server), name))
    {
      field = _("simple URL");
      wildcard = TRUE;
    }
  else if (g_ascii_strcasecmp (name, certreq_server_get_fqdn (server)) == 0)
    field = _("server FQDN");
  else if (strv_contains_ci (sip_domains, name))
    field = _("SIP domain");
  else
    /* Translators: a field name: sip.<domain> for a SIP domain, used in
     * "The %1$s “%2$s” is not valid: …" */
    field = _("SIP domain name");

  return certreq_validate_fqdn (name, field, wildcard, error);
}

/**
 * certreq_request_validate_names:
 * @self: a #CertreqRequest
 * @error: return location for a #GError
 *
 * The request must have a subject name of at most 64 characters; every
 * derived name must be a valid FQDN (wildcards only from simple URLs), the
 * chosen SIP domains must be the server profile's, every additional name a
 * valid FQDN (wildcards allowed), and no name may appear twice.
 *
 * Returns: %TRUE when valid
 */
gboolean
certreq_request_validate_names (CertreqRequest  *self,
                                GError         **error)
{
  g_auto(GStrv) derived = NULL;
  g_autofree char *common_name = NULL;
  guint i, j;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (i = 0; self->sip_domains[i] != NULL; i++)
    {
      if (!strv_contains_ci (certreq_server_get_sip_domains (self->server),
                             self->sip_domains[i]))
        {
          /* Translators: %s is a SIP domain */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The SIP domain “%s” is not one of the server profile’s SIP domains."),
                       self->sip_domains[i]);
          return FALSE;
        }
    }

  derived = certreq_server_derive_names (self->server, self->usages,
                                         (const char * const *) self->sip_domains);
  common_name = certreq_request_get_common_name (self);
  if (derived[0] == NULL || *common_name == '\0')
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The request has no subject name: enter the server FQDN in the "
                             "server profile."));
      return FALSE;
    }

  for (i = 0; derived[i] != NULL; i++)
    {
      if (!validate_derived_name (self->server, derived[i], error))
        return FALSE;
    }

  if (g_utf8_strlen (common_name, -1) > COMMON_NAME_MAX)
    {
      /* Translators: %s is the certificate's subject name (a DNS name) */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The subject name “%s” is longer than 64 characters, the most a "
                     "certificate’s common name may have."),
                   common_name);
      return FALSE;
    }

  for (i = 0; self->extra_names[i] != NULL; i++)
    {
      const char *name = self->extra_names[i];

      if (!certreq_validate_fqdn (name, _("additional subject alternative name"), TRUE, error))
        return FALSE;

      for (j = 0; j < i; j++)
        {
          if (g_ascii_strcasecmp (name, self->extra_names[j]) == 0)
            break;
        }
      if (j < i || strv_contains_ci ((const char * const *) derived, name))
        {
          /* Translators: %s is a DNS name */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The name “%s” appears twice among the subject alternative names."),
                       name);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * certreq_request_validate:
 * @self: a #CertreqRequest
 * @store: (nullable): the store, for the friendly name's uniqueness
 * @error: return location for a #GError
 *
 * Runs every page validator in page order and stops at the first problem.
 *
 * Returns: %TRUE when the whole request is valid
 */
gboolean
certreq_request_validate (CertreqRequest  *self,
                          CertreqStore    *store,
                          GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), FALSE);

  return certreq_request_validate_usages (self, error) &&
         certreq_request_validate_ca (self, error) &&
         certreq_request_validate_request_file (self, error) &&
         certreq_request_validate_account (self, error) &&
         certreq_request_validate_template (self, error) &&
         certreq_request_validate_basics (self, store, error) &&
         certreq_request_validate_key_type (self, store, error) &&
         certreq_request_validate_organization (self, error) &&
         certreq_request_validate_geography (self, error) &&
         certreq_request_validate_names (self, error);
}

/* ---- Friendly name ---- */

/**
 * certreq_request_generate_friendly_name:
 * @self: a #CertreqRequest
 * @store: (nullable): the store the name must be unique in
 *
 * The friendly name as entered; or, when it was left empty, one generated from
 * the common name and today's date ("<CN> <YYYY-MM-DD>"), followed by " (2)",
 * " (3)", … when @store already has a certificate of that name.
 *
 * Returns: (transfer full): the friendly name to store
 */
char *
certreq_request_generate_friendly_name (CertreqRequest *self,
                                        CertreqStore   *store)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *common_name = NULL;
  g_autofree char *date = NULL;
  g_autofree char *base = NULL;
  char *candidate;
  guint n;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);
  g_return_val_if_fail (store == NULL || CERTREQ_IS_STORE (store), NULL);

  if (*self->friendly_name != '\0')
    return g_strdup (self->friendly_name);

  now = g_date_time_new_now_local ();
  date = g_date_time_format (now, "%Y-%m-%d");
  common_name = certreq_request_get_common_name (self);
  /* Keep the generated name within the 64 characters a typed one may have */
  if (g_utf8_strlen (common_name, -1) > FRIENDLY_NAME_MAX - 20)
    *g_utf8_offset_to_pointer (common_name, FRIENDLY_NAME_MAX - 20) = '\0';
  base = *common_name != '\0' ? g_strdup_printf ("%s %s", common_name, date)
                              : g_strdup (date);

  candidate = g_strdup (base);
  for (n = 2; store != NULL && certreq_store_friendly_name_in_use (store, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s (%u)", base, n);
    }

  return candidate;
}

/**
 * certreq_request_get_effective_friendly_name:
 * @self: a #CertreqRequest
 *
 * Returns: (transfer full): the friendly name, or the one generated when it was
 *   left empty (see certreq_request_generate_friendly_name(), without a store)
 */
char *
certreq_request_get_effective_friendly_name (CertreqRequest *self)
{
  return certreq_request_generate_friendly_name (self, NULL);
}

/* ---- CSR ---- */

static char *
dup_or_null (const char *value)
{
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/**
 * certreq_request_get_csr_spec:
 * @self: a #CertreqRequest
 *
 * Returns: (transfer full): what the PKCS#10 request contains: the subject
 *   (common name and the optional fields that are set), the subject alternative
 *   names, and the EKU serverAuth, plus clientAuth when the default usage
 *   (MTLS) is chosen
 */
CertreqCsrSpec *
certreq_request_get_csr_spec (CertreqRequest *self)
{
  CertreqCsrSpec *spec;

  g_return_val_if_fail (CERTREQ_IS_REQUEST (self), NULL);

  spec = g_new0 (CertreqCsrSpec, 1);
  spec->common_name = certreq_request_get_common_name (self);
  spec->organization = dup_or_null (self->organization);
  spec->organizational_unit = dup_or_null (self->organizational_unit);
  spec->country = dup_or_null (self->country);
  spec->state = dup_or_null (self->state);
  spec->locality = dup_or_null (self->locality);
  spec->dns_names = certreq_request_get_names (self);
  spec->eku = CERTREQ_EKU_SERVER_AUTH;
  if ((self->usages & CERTREQ_USAGE_FLAG_DEFAULT) != 0)
    spec->eku |= CERTREQ_EKU_CLIENT_AUTH;

  return spec;
}

/* ---- Key file ---- */

/**
 * certreq_request_to_key_file:
 * @self: a #CertreqRequest
 * @key_file: where to write
 * @group: the group to write the fields into
 *
 * Writes every field except the password, which is never saved.
 */
void
certreq_request_to_key_file (CertreqRequest *self,
                             GKeyFile       *key_file,
                             const char     *group)
{
  g_autofree char *usages = NULL;

  g_return_if_fail (CERTREQ_IS_REQUEST (self));
  g_return_if_fail (key_file != NULL);
  g_return_if_fail (group != NULL);

  usages = certreq_usage_flags_to_string (self->usages);
  g_key_file_set_string (key_file, group, "usages", usages);
  g_key_file_set_boolean (key_file, group, "online", self->online);
  g_key_file_set_string (key_file, group, "request-file", self->request_file);
  g_key_file_set_string (key_file, group, "ca-id", self->ca_id);
  g_key_file_set_boolean (key_file, group, "use-credentials", self->use_credentials);
  g_key_file_set_string (key_file, group, "username", self->username);
  g_key_file_set_boolean (key_file, group, "use-template", self->use_template);
  g_key_file_set_string (key_file, group, "template", self->template_name);
  g_key_file_set_string (key_file, group, "friendly-name", self->friendly_name);
  g_key_file_set_string (key_file, group, "key-type", certreq_key_type_to_id (self->key_type));
  g_key_file_set_boolean (key_file, group, "exportable", self->exportable);
  g_key_file_set_string (key_file, group, "organization", self->organization);
  g_key_file_set_string (key_file, group, "organizational-unit", self->organizational_unit);
  g_key_file_set_string (key_file, group, "country", self->country);
  g_key_file_set_string (key_file, group, "state", self->state);
  g_key_file_set_string (key_file, group, "locality", self->locality);
  g_key_file_set_string_list (key_file, group, "sip-domains",
                              (const char * const *) self->sip_domains,
                              g_strv_length (self->sip_domains));
  g_key_file_set_string_list (key_file, group, "extra-names",
                              (const char * const *) self->extra_names,
                              g_strv_length (self->extra_names));
  g_key_file_set_string (key_file, group, "replaces", self->replaces);
  g_key_file_set_boolean (key_file, group, "reuse-key", self->reuse_key);
}

static gboolean
read_string (GKeyFile    *key_file,
             const char  *group,
             const char  *key,
             char       **out)
{
  char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value == NULL)
    return FALSE;
  g_free (*out);
  *out = value;
  return TRUE;
}

static void
read_boolean (GKeyFile   *key_file,
              const char *group,
              const char *key,
              gboolean   *out)
{
  g_autoptr(GError) error = NULL;
  gboolean value = g_key_file_get_boolean (key_file, group, key, &error);

  if (error == NULL)
    *out = value;
}

static void
read_list (GKeyFile   *key_file,
           const char *group,
           const char *key,
           GStrv      *out)
{
  GStrv value = g_key_file_get_string_list (key_file, group, key, NULL, NULL);

  if (value == NULL)
    return;
  g_strfreev (*out);
  *out = value;
}

/**
 * certreq_request_new_from_key_file:
 * @server: (nullable): the server profile of the new request
 * @key_file: a key file written by certreq_request_to_key_file()
 * @group: the group the fields are in
 * @error: return location for a #GError
 *
 * A missing key keeps the default of certreq_request_new(); the password is
 * never in the file and is left empty.
 *
 * Returns: (transfer full): the request, or %NULL with a
 *   %CERTREQ_ERROR_BAD_FORMAT error when the group is missing or a value
 *   cannot be understood
 */
CertreqRequest *
certreq_request_new_from_key_file (CertreqServer  *server,
                                   GKeyFile       *key_file,
                                   const char     *group,
                                   GError        **error)
{
  g_autoptr(CertreqRequest) self = NULL;
  g_autofree char *usages = NULL;
  g_autofree char *key_type = NULL;

  g_return_val_if_fail (server == NULL || CERTREQ_IS_SERVER (server), NULL);
  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_has_group (key_file, group))
    {
      /* Translators: %s is the name of a group in a key file, such as "request" */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                   _("The saved request has no “%s” section."), group);
      return NULL;
    }

  self = certreq_request_new (server);

  if (read_string (key_file, group, "usages", &usages))
    {
      g_autoptr(GError) local_error = NULL;
      CertreqUsageFlags flags;

      if (!certreq_usage_flags_parse (usages, &flags, &local_error))
        {
          /* Translators: %s says what is wrong with the usages */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                       _("The saved request’s usages cannot be read: %s"),
                       local_error->message);
          return NULL;
        }
      self->usages = flags;
    }

  if (read_string (key_file, group, "key-type", &key_type))
    {
      CertreqKeyType type;

      if (!certreq_key_type_from_id (key_type, &type))
        {
          /* Translators: %s is the key type found in the file */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                       _("The saved request’s key type “%s” is not known."), key_type);
          return NULL;
        }
      self->key_type = type;
    }

  read_boolean (key_file, group, "online", &self->online);
  read_string (key_file, group, "request-file", &self->request_file);
  read_string (key_file, group, "ca-id", &self->ca_id);
  read_boolean (key_file, group, "use-credentials", &self->use_credentials);
  read_string (key_file, group, "username", &self->username);
  read_boolean (key_file, group, "use-template", &self->use_template);
  read_string (key_file, group, "template", &self->template_name);
  read_string (key_file, group, "friendly-name", &self->friendly_name);
  read_boolean (key_file, group, "exportable", &self->exportable);
  read_string (key_file, group, "organization", &self->organization);
  read_string (key_file, group, "organizational-unit", &self->organizational_unit);
  read_string (key_file, group, "country", &self->country);
  read_string (key_file, group, "state", &self->state);
  read_string (key_file, group, "locality", &self->locality);
  read_list (key_file, group, "sip-domains", &self->sip_domains);
  read_list (key_file, group, "extra-names", &self->extra_names);
  read_string (key_file, group, "replaces", &self->replaces);
  read_boolean (key_file, group, "reuse-key", &self->reuse_key);

  return g_steal_pointer (&self);
}
