/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "certreq-private.h"

#define SERVER_GROUP "server"

#define FQDN_MAX_LENGTH 253
#define LABEL_MAX_LENGTH 63

struct _CertreqServer
{
  GObject  parent_instance;

  char    *fqdn;               /* never NULL; "" when unset */
  char    *pool_fqdn;
  char    *web_internal_fqdn;
  char    *web_external_fqdn;
  GStrv    sip_domains;        /* never NULL */
  GStrv    simple_urls;        /* never NULL */
};

G_DEFINE_TYPE (CertreqServer, certreq_server, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_FQDN,
  PROP_POOL_FQDN,
  PROP_WEB_INTERNAL_FQDN,
  PROP_WEB_EXTERNAL_FQDN,
  PROP_SIP_DOMAINS,
  PROP_SIMPLE_URLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- FQDN syntax ---- */

static gboolean
is_ldh (char c)
{
  return g_ascii_isalnum (c) || c == '-';
}

/* The offending character as text, for the message: one UTF-8 character */
static char *
describe_char (const char *p)
{
  gunichar c = g_utf8_get_char_validated (p, -1);

  if ((guchar) *p < 0x80)
    return g_strndup (p, 1);
  if (c != (gunichar) -1 && c != (gunichar) -2)
    return g_strndup (p, g_utf8_next_char (p) - p);
  return g_strdup ("\357\277\275");   /* U+FFFD for a byte that is not UTF-8 */
}

/**
 * certreq_validate_fqdn:
 * @name: the name to check
 * @field: the translated name of the field @name comes from, e.g. "server FQDN"
 * @allow_wildcard: whether "*" is allowed as the whole left-most label
 * @error: return location for a #GError
 *
 * Checks DNS host name syntax (RFC 1123, letters, digits and hyphens), as a
 * certificate's subject alternative names need it: labels of 1 to 63
 * characters, not starting or ending with a hyphen, at most 253 characters in
 * all, and a wildcard only as the whole left-most label of a longer name.
 *
 * Returns: %TRUE when @name is valid; else %FALSE with a
 *   %CERTREQ_ERROR_INVALID_SUBJECT error that names @field and @name
 */
gboolean
certreq_validate_fqdn (const char  *name,
                       const char  *field,
                       gboolean     allow_wildcard,
                       GError     **error)
{
  g_auto(GStrv) labels = NULL;
  gsize length;
  guint i;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || *name == '\0')
    {
      /* Translators: %s is a field name such as "server FQDN" */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("Enter the %s."), field);
      return FALSE;
    }

  length = strlen (name);
  if (length > FQDN_MAX_LENGTH)
    {
      /* Translators: %1$s is a field name such as "server FQDN", %2$s the name entered */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The %1$s “%2$s” is not valid: it is longer than 253 characters."),
                   field, name);
      return FALSE;
    }

  labels = g_strsplit (name, ".", -1);
  for (i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize label_length = strlen (label);
      const char *p;

      if (label_length == 0)
        {
          /* Translators: %1$s is a field name such as "server FQDN", %2$s the name entered */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The %1$s “%2$s” is not valid: a label is empty."),
                       field, name);
          return FALSE;
        }

      if (strchr (label, '*') != NULL)
        {
          if (!allow_wildcard)
            {
              /* Translators: %1$s is a field name such as "server FQDN", %2$s the name entered */
              g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The %1$s “%2$s” is not valid: a wildcard is not allowed here."),
                           field, name);
              return FALSE;
            }
          if (i != 0 || strcmp (label, "*") != 0 || labels[1] == NULL)
            {
              /* Translators: %1$s is a field name such as "additional name", %2$s the
               * name entered; "*.example.com" is an example and stays as it is */
              g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The %1$s “%2$s” is not valid: a wildcard is only allowed as "
                             "the whole left-most label, as in *.example.com."),
                           field, name);
              return FALSE;
            }
          continue;
        }

      if (label_length > LABEL_MAX_LENGTH)
        {
          /* Translators: %1$s is a field name such as "server FQDN", %2$s the name
           * entered, %3$s the part of it between two dots that is too long */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The %1$s “%2$s” is not valid: the label “%3$s” is longer than "
                         "63 characters."),
                       field, name, label);
          return FALSE;
        }

      for (p = label; *p != '\0'; p++)
        {
          if (!is_ldh (*p))
            {
              g_autofree char *c = describe_char (p);

              /* Translators: %1$s is a field name such as "server FQDN", %2$s the name
               * entered, %3$s the character that is not allowed */
              g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The %1$s “%2$s” is not valid: the character “%3$s” is not "
                             "allowed; use only letters, digits, hyphens and dots."),
                           field, name, c);
              return FALSE;
            }
        }

      if (label[0] == '-' || label[label_length - 1] == '-')
        {
          /* Translators: %1$s is a field name such as "server FQDN", %2$s the name entered */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The %1$s “%2$s” is not valid: a label starts or ends with a "
                         "hyphen."),
                       field, name);
          return FALSE;
        }
    }

  return TRUE;
}

/* ---- The machine's name ---- */

static gboolean
is_valid_fqdn (const char *name)
{
  return name != NULL && strchr (name, '.') != NULL &&
         certreq_validate_fqdn (name, "FQDN", FALSE, NULL);
}

/* The host name when it is already fully qualified, else what the resolver
 * calls it (getaddrinfo AI_CANONNAME, which follows /etc/hosts and DNS), else
 * the host name as it is, for the admin to correct. */
static char *
get_machine_fqdn (void)
{
  const char *host = g_get_host_name ();
  struct addrinfo hints = { 0, };
  struct addrinfo *result = NULL;
  char *fqdn = NULL;

  if (is_valid_fqdn (host))
    return g_ascii_strdown (host, -1);

  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  if (getaddrinfo (host, NULL, &hints, &result) == 0)
    {
      if (result != NULL && is_valid_fqdn (result->ai_canonname))
        fqdn = g_ascii_strdown (result->ai_canonname, -1);
      freeaddrinfo (result);
    }

  return fqdn != NULL ? fqdn : g_strdup (host);
}

/* ---- GObject ---- */

static void
certreq_server_finalize (GObject *object)
{
  CertreqServer *self = CERTREQ_SERVER (object);

  g_free (self->fqdn);
  g_free (self->pool_fqdn);
  g_free (self->web_internal_fqdn);
  g_free (self->web_external_fqdn);
  g_strfreev (self->sip_domains);
  g_strfreev (self->simple_urls);

  G_OBJECT_CLASS (certreq_server_parent_class)->finalize (object);
}

static void
certreq_server_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CertreqServer *self = CERTREQ_SERVER (object);

  switch (prop_id)
    {
    case PROP_FQDN:
      g_value_set_string (value, self->fqdn);
      break;
    case PROP_POOL_FQDN:
      g_value_set_string (value, self->pool_fqdn);
      break;
    case PROP_WEB_INTERNAL_FQDN:
      g_value_set_string (value, self->web_internal_fqdn);
      break;
    case PROP_WEB_EXTERNAL_FQDN:
      g_value_set_string (value, self->web_external_fqdn);
      break;
    case PROP_SIP_DOMAINS:
      g_value_set_boxed (value, self->sip_domains);
      break;
    case PROP_SIMPLE_URLS:
      g_value_set_boxed (value, self->simple_urls);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certreq_server_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CertreqServer *self = CERTREQ_SERVER (object);

  switch (prop_id)
    {
    case PROP_FQDN:
      certreq_server_set_fqdn (self, g_value_get_string (value));
      break;
    case PROP_POOL_FQDN:
      certreq_server_set_pool_fqdn (self, g_value_get_string (value));
      break;
    case PROP_WEB_INTERNAL_FQDN:
      certreq_server_set_web_internal_fqdn (self, g_value_get_string (value));
      break;
    case PROP_WEB_EXTERNAL_FQDN:
      certreq_server_set_web_external_fqdn (self, g_value_get_string (value));
      break;
    case PROP_SIP_DOMAINS:
      certreq_server_set_sip_domains (self, g_value_get_boxed (value));
      break;
    case PROP_SIMPLE_URLS:
      certreq_server_set_simple_urls (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certreq_server_class_init (CertreqServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = certreq_server_finalize;
  object_class->get_property = certreq_server_get_property;
  object_class->set_property = certreq_server_set_property;

  properties[PROP_FQDN] =
    g_param_spec_string ("fqdn", NULL, NULL, "", flags);
  properties[PROP_POOL_FQDN] =
    g_param_spec_string ("pool-fqdn", NULL, NULL, "", flags);
  properties[PROP_WEB_INTERNAL_FQDN] =
    g_param_spec_string ("web-internal-fqdn", NULL, NULL, "", flags);
  properties[PROP_WEB_EXTERNAL_FQDN] =
    g_param_spec_string ("web-external-fqdn", NULL, NULL, "", flags);
  properties[PROP_SIP_DOMAINS] =
    g_param_spec_boxed ("sip-domains", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_SIMPLE_URLS] =
    g_param_spec_boxed ("simple-urls", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
certreq_server_init (CertreqServer *self)
{
  self->fqdn = g_strdup ("");
  self->pool_fqdn = g_strdup ("");
  self->web_internal_fqdn = g_strdup ("");
  self->web_external_fqdn = g_strdup ("");
  self->sip_domains = g_new0 (char *, 1);
  self->simple_urls = g_new0 (char *, 1);
}

static CertreqServer *
server_new_empty (void)
{
  return g_object_new (CERTREQ_TYPE_SERVER, NULL);
}

/**
 * certreq_server_new:
 *
 * A profile pre-filled from the machine: the server FQDN is the host's fully
 * qualified name (the host name itself when the resolver does not know one),
 * every other field is empty.
 *
 * Returns: (transfer full): a new #CertreqServer
 */
CertreqServer *
certreq_server_new (void)
{
  CertreqServer *self = server_new_empty ();

  g_free (self->fqdn);
  self->fqdn = get_machine_fqdn ();

  return self;
}

/**
 * certreq_server_copy:
 * @self: a #CertreqServer
 *
 * Returns: (transfer full): a deep copy
 */
CertreqServer *
certreq_server_copy (CertreqServer *self)
{
  CertreqServer *copy;

  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);

  copy = server_new_empty ();
  certreq_server_set_fqdn (copy, self->fqdn);
  certreq_server_set_pool_fqdn (copy, self->pool_fqdn);
  certreq_server_set_web_internal_fqdn (copy, self->web_internal_fqdn);
  certreq_server_set_web_external_fqdn (copy, self->web_external_fqdn);
  certreq_server_set_sip_domains (copy, (const char * const *) self->sip_domains);
  certreq_server_set_simple_urls (copy, (const char * const *) self->simple_urls);

  return copy;
}

/* ---- Accessors: getters never return NULL ---- */

static void
set_string (CertreqServer  *self,
            char          **field,
            const char     *value,
            guint           prop)
{
  char *copy;

  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;

  /* Copy before freeing: @value may point into the old string */
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_strv (CertreqServer      *self,
          GStrv              *field,
          const char * const *value,
          guint               prop)
{
  static const char * const empty[] = { NULL };
  GStrv copy;

  if (value == NULL)
    value = empty;
  if (g_strv_equal ((const char * const *) *field, value))
    return;

  /* Copy before freeing: @value may borrow the strings of *field */
  copy = g_strdupv ((char **) value);
  g_strfreev (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

const char *
certreq_server_get_fqdn (CertreqServer *self)
{
  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);
  return self->fqdn;
}

void
certreq_server_set_fqdn (CertreqServer *self,
                         const char    *fqdn)
{
  g_return_if_fail (CERTREQ_IS_SERVER (self));
  set_string (self, &self->fqdn, fqdn, PROP_FQDN);
}

const char *
certreq_server_get_pool_fqdn (CertreqServer *self)
{
  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);
  return self->pool_fqdn;
}

void
certreq_server_set_pool_fqdn (CertreqServer *self,
                              const char    *fqdn)
{
  g_return_if_fail (CERTREQ_IS_SERVER (self));
  set_string (self, &self->pool_fqdn, fqdn, PROP_POOL_FQDN);
}

const char *
certreq_server_get_web_internal_fqdn (CertreqServer *self)
{
  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);
  return self->web_internal_fqdn;
}

void
certreq_server_set_web_internal_fqdn (CertreqServer *self,
                                      const char    *fqdn)
{
  g_return_if_fail (CERTREQ_IS_SERVER (self));
  set_string (self, &self->web_internal_fqdn, fqdn, PROP_WEB_INTERNAL_FQDN);
}

const char *
certreq_server_get_web_external_fqdn (CertreqServer *self)
{
  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);
  return self->web_external_fqdn;
}

void
certreq_server_set_web_external_fqdn (CertreqServer *self,
                                      const char    *fqdn)
{
  g_return_if_fail (CERTREQ_IS_SERVER (self));
  set_string (self, &self->web_external_fqdn, fqdn, PROP_WEB_EXTERNAL_FQDN);
}

const char * const *
certreq_server_get_sip_domains (CertreqServer *self)
{
  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);
  return (const char * const *) self->sip_domains;
}

void
certreq_server_set_sip_domains (CertreqServer      *self,
                                const char * const *domains)
{
  g_return_if_fail (CERTREQ_IS_SERVER (self));
  set_strv (self, &self->sip_domains, domains, PROP_SIP_DOMAINS);
}

const char * const *
certreq_server_get_simple_urls (CertreqServer *self)
{
  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);
  return (const char * const *) self->simple_urls;
}

void
certreq_server_set_simple_urls (CertreqServer      *self,
                                const char * const *urls)
{
  g_return_if_fail (CERTREQ_IS_SERVER (self));
  set_strv (self, &self->simple_urls, urls, PROP_SIMPLE_URLS);
}

/* ---- server.ini ---- */

static void
load_string (GKeyFile      *key_file,
             const char    *group,
             const char    *key,
             CertreqServer *self,
             void         (*setter) (CertreqServer *, const char *))
{
  g_autofree char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value != NULL)
    setter (self, g_strstrip (value));
}

static GStrv
load_list (GKeyFile   *key_file,
           const char *group,
           const char *key)
{
  g_auto(GStrv) values = g_key_file_get_string_list (key_file, group, key, NULL, NULL);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; values != NULL && values[i] != NULL; i++)
    {
      char *value = g_strstrip (values[i]);

      if (*value != '\0')
        g_ptr_array_add (out, g_strdup (value));
    }
  g_ptr_array_add (out, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/**
 * certreq_server_new_from_key_file:
 * @key_file: a key file written by certreq_server_to_key_file()
 * @group: the group the profile is in
 *
 * A missing server FQDN gives the machine's; other missing fields stay empty.
 *
 * Returns: (transfer full): the profile
 */
CertreqServer *
certreq_server_new_from_key_file (GKeyFile   *key_file,
                                  const char *group)
{
  g_autoptr(CertreqServer) self = NULL;
  g_auto(GStrv) sip_domains = NULL;
  g_auto(GStrv) simple_urls = NULL;

  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);

  self = server_new_empty ();
  load_string (key_file, group, "fqdn", self, certreq_server_set_fqdn);
  if (*self->fqdn == '\0')
    {
      g_free (self->fqdn);
      self->fqdn = get_machine_fqdn ();
    }
  load_string (key_file, group, "pool-fqdn", self, certreq_server_set_pool_fqdn);
  load_string (key_file, group, "web-internal-fqdn", self, certreq_server_set_web_internal_fqdn);
  load_string (key_file, group, "web-external-fqdn", self, certreq_server_set_web_external_fqdn);
  sip_domains = load_list (key_file, group, "sip-domains");
  certreq_server_set_sip_domains (self, (const char * const *) sip_domains);
  simple_urls = load_list (key_file, group, "simple-urls");
  certreq_server_set_simple_urls (self, (const char * const *) simple_urls);

  return g_steal_pointer (&self);
}

/**
 * certreq_server_to_key_file:
 * @self: a #CertreqServer
 * @key_file: where to write
 * @group: the group to write the profile into
 */
void
certreq_server_to_key_file (CertreqServer *self,
                            GKeyFile      *key_file,
                            const char    *group)
{
  g_return_if_fail (CERTREQ_IS_SERVER (self));
  g_return_if_fail (key_file != NULL);
  g_return_if_fail (group != NULL);

  g_key_file_set_string (key_file, group, "fqdn", self->fqdn);
  g_key_file_set_string (key_file, group, "pool-fqdn", self->pool_fqdn);
  g_key_file_set_string (key_file, group, "web-internal-fqdn", self->web_internal_fqdn);
  g_key_file_set_string (key_file, group, "web-external-fqdn", self->web_external_fqdn);
  g_key_file_set_string_list (key_file, group, "sip-domains",
                              (const char * const *) self->sip_domains,
                              g_strv_length (self->sip_domains));
  g_key_file_set_string_list (key_file, group, "simple-urls",
                              (const char * const *) self->simple_urls,
                              g_strv_length (self->simple_urls));
}

/**
 * certreq_server_load:
 * @path: the profile's file, normally <store>/server.ini
 * @error: return location for a #GError
 *
 * Reads the profile. A missing file, or a missing server FQDN in it, gives
 * the machine's defaults (certreq_server_new()).
 *
 * Returns: (transfer full): the profile, or %NULL with @error set when the
 *   file cannot be read or parsed
 */
CertreqServer *
certreq_server_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return certreq_server_new ();

      /* Translators: %1$s is a file, %2$s the reason it could not be read */
      g_set_error (error, CERTREQ_ERROR,
                   local_error->domain == G_KEY_FILE_ERROR
                     ? CERTREQ_ERROR_BAD_FORMAT : CERTREQ_ERROR_STORE,
                   _("Could not read the server profile %1$s: %2$s"),
                   path, local_error->message);
      return NULL;
    }

  return certreq_server_new_from_key_file (key_file, SERVER_GROUP);
}

/**
 * certreq_server_save:
 * @self: a #CertreqServer
 * @path: the profile's file, normally <store>/server.ini
 * @error: return location for a #GError
 *
 * Validates the profile, then replaces @path atomically with mode 0644 (the
 * profile is public). The caller holds the store's lock.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_server_save (CertreqServer  *self,
                     const char     *path,
                     GError        **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (CERTREQ_IS_SERVER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!certreq_server_validate (self, error))
    return FALSE;

  certreq_server_to_key_file (self, key_file, SERVER_GROUP);

  data = g_key_file_to_data (key_file, &length, NULL);
  return _certreq_write_file_atomic (path, data, length, 0644, error);
}

/* ---- Validation ---- */

static gboolean
validate_list (const char * const  *names,
               const char          *field,
               gboolean             allow_wildcard,
               GError             **error)
{
  guint i, j;

  for (i = 0; names[i] != NULL; i++)
    {
      if (!certreq_validate_fqdn (names[i], field, allow_wildcard, error))
        return FALSE;

      for (j = 0; j < i; j++)
        {
          if (g_ascii_strcasecmp (names[i], names[j]) == 0)
            {
              /* Translators: %1$s is a field name such as "SIP domain", %2$s the name */
              g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The %1$s “%2$s” is listed twice."), field, names[i]);
              return FALSE;
            }
        }
    }

  return TRUE;
}

/**
 * certreq_server_validate:
 * @self: a #CertreqServer
 * @error: return location for a #GError
 *
 * The server FQDN is required; the pool and web services FQDNs are optional;
 * every name must be a valid FQDN (wildcards only among the simple URLs), and
 * no SIP domain or simple URL may be listed twice.
 *
 * Returns: %TRUE when valid; else %FALSE with a %CERTREQ_ERROR_INVALID_SUBJECT
 *   error naming the field
 */
gboolean
certreq_server_validate (CertreqServer  *self,
                         GError        **error)
{
  g_return_val_if_fail (CERTREQ_IS_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Translators: a field name, used in "Enter the %s." and "The %1$s “%2$s” is not valid: …" */
  if (!certreq_validate_fqdn (self->fqdn, _("server FQDN"), FALSE, error))
    return FALSE;
  /* Translators: a field name, used in "The %1$s “%2$s” is not valid: …" */
  if (*self->pool_fqdn != '\0' &&
      !certreq_validate_fqdn (self->pool_fqdn, _("pool FQDN"), FALSE, error))
    return FALSE;
  /* Translators: a field name, used in "The %1$s “%2$s” is not valid: …" */
  if (*self->web_internal_fqdn != '\0' &&
      !certreq_validate_fqdn (self->web_internal_fqdn, _("internal web services FQDN"),
                              FALSE, error))
    return FALSE;
  /* Translators: a field name, used in "The %1$s “%2$s” is not valid: …" */
  if (*self->web_external_fqdn != '\0' &&
      !certreq_validate_fqdn (self->web_external_fqdn, _("external web services FQDN"),
                              FALSE, error))
    return FALSE;
  /* Translators: a field name, used in "The %1$s “%2$s” is not valid: …" */
  if (!validate_list ((const char * const *) self->sip_domains, _("SIP domain"), FALSE, error))
    return FALSE;
  /* Translators: a field name, used in "The %1$s “%2$s” is not valid: …" */
  if (!validate_list ((const char * const *) self->simple_urls, _("simple URL"), TRUE, error))
    return FALSE;

  return TRUE;
}

/* ---- Names per usage ---- */

static void
add_name (GPtrArray  *names,
          const char *name)
{
  guint i;

  if (name == NULL || *name == '\0')
    return;

  for (i = 0; i < names->len; i++)
    {
      if (g_ascii_strcasecmp (names->pdata[i], name) == 0)
        return;
    }

  g_ptr_array_add (names, g_strdup (name));
}

static const char *
first_non_empty (const char *a,
                 const char *b,
                 const char *c)
{
  if (a != NULL && *a != '\0')
    return a;
  if (b != NULL && *b != '\0')
    return b;
  return c;
}

static void
add_usage_names (CertreqServer      *self,
                 CertreqUsage        usage,
                 const char * const *sip_domains,
                 GPtrArray          *names)
{
  guint i;

  switch (usage)
    {
    case CERTREQ_USAGE_DEFAULT:
      add_name (names, first_non_empty (self->pool_fqdn, self->fqdn, NULL));
      add_name (names, self->fqdn);
      for (i = 0; sip_domains != NULL && sip_domains[i] != NULL; i++)
        {
          g_autofree char *sip = NULL;

          if (*sip_domains[i] == '\0')
            continue;
          sip = g_strconcat ("sip.", sip_domains[i], NULL);
          add_name (names, sip);
        }
      break;

    case CERTREQ_USAGE_WEB_INTERNAL:
      add_name (names, first_non_empty (self->web_internal_fqdn, self->fqdn, NULL));
      for (i = 0; self->simple_urls[i] != NULL; i++)
        add_name (names, self->simple_urls[i]);
      break;

    case CERTREQ_USAGE_WEB_EXTERNAL:
      add_name (names, first_non_empty (self->web_external_fqdn, self->pool_fqdn, self->fqdn));
      for (i = 0; self->simple_urls[i] != NULL; i++)
        add_name (names, self->simple_urls[i]);
      break;

    case CERTREQ_USAGE_OAUTH:
      add_name (names, first_non_empty (self->sip_domains[0], self->pool_fqdn, self->fqdn));
      break;

    default:
      g_return_if_reached ();
    }
}

static GStrv
names_to_strv (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

/**
 * certreq_server_get_usage_names:
 * @self: a #CertreqServer
 * @usage: a #CertreqUsage
 * @sip_domains: (nullable) (array zero-terminated=1): the SIP domains chosen
 *   for sip.<domain> names
 *
 * The names @usage must cover, as DESIGN.md's usage table says:
 *
 * - default: the pool FQDN (or the server FQDN), the server FQDN, and
 *   sip.<domain> for each of @sip_domains;
 * - web-internal: the internal web services FQDN (or the server FQDN) and the
 *   simple URLs;
 * - web-external: the external web services FQDN (or the pool FQDN, or the
 *   server FQDN) and the simple URLs;
 * - oauth: the primary SIP domain, or the pool FQDN, or the server FQDN.
 *
 * Returns: (transfer full): the names in that order, de-duplicated
 *   case-insensitively, empty ones left out
 */
char **
certreq_server_get_usage_names (CertreqServer      *self,
                                CertreqUsage        usage,
                                const char * const *sip_domains)
{
  GPtrArray *names;

  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  names = g_ptr_array_new ();
  add_usage_names (self, usage, sip_domains, names);

  return names_to_strv (names);
}

/**
 * certreq_server_derive_names:
 * @self: a #CertreqServer
 * @usages: the chosen usages
 * @sip_domains: (nullable) (array zero-terminated=1): the SIP domains chosen
 *   for sip.<domain> names
 *
 * Returns: (transfer full): the union of the names of @usages, in usage order,
 *   de-duplicated case-insensitively; the subject's common name first
 */
char **
certreq_server_derive_names (CertreqServer      *self,
                             CertreqUsageFlags   usages,
                             const char * const *sip_domains)
{
  GPtrArray *names;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);

  names = g_ptr_array_new ();
  for (i = 0; i < CERTREQ_N_USAGES; i++)
    {
      if ((usages & CERTREQ_USAGE_TO_FLAG (i)) != 0)
        add_usage_names (self, (CertreqUsage) i, sip_domains, names);
    }

  return names_to_strv (names);
}

/**
 * certreq_server_derive_common_name:
 * @self: a #CertreqServer
 * @usages: the chosen usages
 *
 * Returns: (transfer full): the first name of the first chosen usage; an empty
 *   string when no usage is chosen or the profile gives no name
 */
char *
certreq_server_derive_common_name (CertreqServer     *self,
                                   CertreqUsageFlags  usages)
{
  guint i;

  g_return_val_if_fail (CERTREQ_IS_SERVER (self), NULL);

  for (i = 0; i < CERTREQ_N_USAGES; i++)
    {
      g_auto(GStrv) names = NULL;

      if ((usages & CERTREQ_USAGE_TO_FLAG (i)) == 0)
        continue;

      /* The first name of every usage is independent of the SIP domains */
      names = certreq_server_get_usage_names (self, (CertreqUsage) i, NULL);
      if (names[0] != NULL)
        return g_strdup (names[0]);
    }

  return g_strdup ("");
}
