/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* Configured certification authorities (cas.ini), their secrets (root-only files or the
 * Secret Service over D-Bus), protocol detection by URL and probe, and the factory that
 * makes a CertreqCaClient for a configured CA or a URL. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "certreq-private.h"

#ifdef CERTREQ_HAVE_HTTP
#include <json-glib/json-glib.h>
#endif

#ifdef CERTREQ_HAVE_CA_ACME
#include "certreq-ca-acme.h"
#endif
#ifdef CERTREQ_HAVE_CA_SCEP
#include "certreq-ca-scep.h"
#endif
#ifdef CERTREQ_HAVE_CA_ADCS
#include "certreq-ca-adcs.h"
#endif
#ifdef CERTREQ_HAVE_CA_EST
#include "certreq-ca-est.h"
#endif

#define CAS_INI "cas.ini"
#define CAS_INI_MODE 0644
#define SECRET_FILE_MAX (64 * 1024)

/* ---- Protocols ---- */

static const struct
{
  CertreqCaProtocol  protocol;
  const char        *id;
  const char        *label;
} protocols[] = {
  { CERTREQ_CA_PROTOCOL_LOCAL, "local", N_("Built-in lab CA") },
  { CERTREQ_CA_PROTOCOL_ACME, "acme", N_("ACME (RFC 8555)") },
  { CERTREQ_CA_PROTOCOL_SCEP, "scep", N_("SCEP (RFC 8894)") },
  { CERTREQ_CA_PROTOCOL_ADCS, "adcs", N_("AD CS Web Enrollment") },
  { CERTREQ_CA_PROTOCOL_EST, "est", N_("EST (RFC 7030)") },
};

/**
 * certreq_ca_protocol_to_id:
 * @protocol: a #CertreqCaProtocol
 *
 * Returns: the stable id: "local", "acme", "scep", "adcs" or "est"
 */
const char *
certreq_ca_protocol_to_id (CertreqCaProtocol protocol)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (protocols[i].protocol == protocol)
      return protocols[i].id;

  g_return_val_if_reached (NULL);
}

/**
 * certreq_ca_protocol_from_id:
 * @id: (nullable): a protocol id
 * @out_protocol: (out): the protocol
 *
 * Returns: %TRUE when @id names a protocol
 */
gboolean
certreq_ca_protocol_from_id (const char        *id,
                             CertreqCaProtocol *out_protocol)
{
  gsize i;

  g_return_val_if_fail (out_protocol != NULL, FALSE);

  for (i = 0; id != NULL && i < G_N_ELEMENTS (protocols); i++)
    if (g_ascii_strcasecmp (protocols[i].id, id) == 0)
      {
        *out_protocol = protocols[i].protocol;
        return TRUE;
      }

  return FALSE;
}

/**
 * certreq_ca_protocol_get_label:
 * @protocol: a #CertreqCaProtocol
 *
 * Returns: the translated name of @protocol, e.g. "ACME (RFC 8555)"
 */
const char *
certreq_ca_protocol_get_label (CertreqCaProtocol protocol)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (protocols[i].protocol == protocol)
      return _(protocols[i].label);

  g_return_val_if_reached (NULL);
}

/**
 * certreq_ca_protocol_supports_key_type:
 * @protocol: a #CertreqCaProtocol
 * @key_type: a #CertreqKeyType
 *
 * SCEP encrypts its reply to the requester's key and signs with it the way RSA does:
 * RFC 8894 clients and Microsoft NDES use RSA keys only.
 *
 * Returns: %TRUE when a CA speaking @protocol can certify a key of @key_type
 */
gboolean
certreq_ca_protocol_supports_key_type (CertreqCaProtocol protocol,
                                       CertreqKeyType    key_type)
{
  switch (protocol)
    {
    case CERTREQ_CA_PROTOCOL_SCEP:
      return key_type == CERTREQ_KEY_TYPE_RSA_2048 ||
             key_type == CERTREQ_KEY_TYPE_RSA_3072 ||
             key_type == CERTREQ_KEY_TYPE_RSA_4096;
    case CERTREQ_CA_PROTOCOL_LOCAL:
    case CERTREQ_CA_PROTOCOL_ACME:
    case CERTREQ_CA_PROTOCOL_ADCS:
    case CERTREQ_CA_PROTOCOL_EST:
    default:
      return TRUE;
    }
}

static const struct
{
  CertreqHttpAuth  auth;
  const char      *id;
} auths[] = {
  { CERTREQ_HTTP_AUTH_NONE, "none" },
  { CERTREQ_HTTP_AUTH_BASIC, "basic" },
  { CERTREQ_HTTP_AUTH_NTLM, "ntlm" },
  { CERTREQ_HTTP_AUTH_NEGOTIATE, "negotiate" },
  { CERTREQ_HTTP_AUTH_CERT, "cert" },
};

/**
 * certreq_ca_auth_to_id:
 * @auth: a #CertreqHttpAuth
 *
 * Returns: "none", "basic", "ntlm", "negotiate" or "cert"
 */
const char *
certreq_ca_auth_to_id (CertreqHttpAuth auth)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (auths); i++)
    if (auths[i].auth == auth)
      return auths[i].id;

  g_return_val_if_reached (NULL);
}

/**
 * certreq_ca_auth_from_id:
 * @id: (nullable): an authentication id
 * @out_auth: (out): the method
 *
 * Returns: %TRUE when @id names an authentication method
 */
gboolean
certreq_ca_auth_from_id (const char      *id,
                         CertreqHttpAuth *out_auth)
{
  gsize i;

  g_return_val_if_fail (out_auth != NULL, FALSE);

  for (i = 0; id != NULL && i < G_N_ELEMENTS (auths); i++)
    if (g_ascii_strcasecmp (auths[i].id, id) == 0)
      {
        *out_auth = auths[i].auth;
        return TRUE;
      }

  return FALSE;
}

/* ---- The configuration ---- */

/**
 * certreq_ca_config_new:
 *
 * Returns: (transfer full): an empty ACME configuration
 */
CertreqCaConfig *
certreq_ca_config_new (void)
{
  CertreqCaConfig *config = g_new0 (CertreqCaConfig, 1);

  config->protocol = CERTREQ_CA_PROTOCOL_ACME;
  config->auth = CERTREQ_HTTP_AUTH_NONE;
  return config;
}

/**
 * certreq_ca_config_copy:
 * @config: a #CertreqCaConfig
 *
 * Returns: (transfer full): a deep copy
 */
CertreqCaConfig *
certreq_ca_config_copy (const CertreqCaConfig *config)
{
  CertreqCaConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (CertreqCaConfig, 1);
  copy->name = g_strdup (config->name);
  copy->protocol = config->protocol;
  copy->url = g_strdup (config->url);
  copy->trust_bundle = g_strdup (config->trust_bundle);
  copy->contact = g_strdup (config->contact);
  copy->eab_kid = g_strdup (config->eab_kid);
  copy->eab_hmac_file = g_strdup (config->eab_hmac_file);
  copy->http01 = g_strdup (config->http01);
  copy->dns01_hook = g_strdup (config->dns01_hook);
  copy->template_name = g_strdup (config->template_name);
  copy->auth = config->auth;
  copy->username = g_strdup (config->username);
  copy->password_file = g_strdup (config->password_file);
  copy->client_cert = g_strdup (config->client_cert);
  copy->client_key = g_strdup (config->client_key);
  copy->challenge_password_file = g_strdup (config->challenge_password_file);
  return copy;
}

void
certreq_ca_config_free (CertreqCaConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->name);
  g_free (config->url);
  g_free (config->trust_bundle);
  g_free (config->contact);
  g_free (config->eab_kid);
  g_free (config->eab_hmac_file);
  g_free (config->http01);
  g_free (config->dns01_hook);
  g_free (config->template_name);
  g_free (config->username);
  g_free (config->password_file);
  g_free (config->client_cert);
  g_free (config->client_key);
  g_free (config->challenge_password_file);
  g_free (config);
}

/* ---- Validation ---- */

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

static gboolean
name_is_valid (const char *name)
{
  const char *p;

  if (!g_ascii_islower (name[0]) && !g_ascii_isdigit (name[0]))
    return FALSE;
  for (p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
has_control_chars (const char *text)
{
  const char *p;

  for (p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;

  return FALSE;
}

/* An existing, readable regular file (following links): the trust bundle, a client
 * certificate */
static gboolean
file_is_usable (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISREG (st.st_mode) && access (path, R_OK) == 0;
}

/* A file holding a secret: regular, the running user's, readable by nobody else */
static gboolean
check_secret_stat (const char         *path,
                   const struct stat  *st,
                   GError            **error)
{
  guint mode = st->st_mode & 07777;

  if (!S_ISREG (st->st_mode))
    {
      /* Translators: %s is a file name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The secret file %s is not a regular file."), path);
      return FALSE;
    }
  if (st->st_uid != geteuid ())
    {
      g_autofree char *user = g_strdup (g_get_user_name ());

      /* Translators: %1$s is a file name, %2$s the user Certwiz runs as */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The secret file %1$s belongs to another user; it must belong to %2$s "
                     "(chown %2$s %1$s)."),
                   path, user);
      return FALSE;
    }
  if (mode != 0600 && mode != 0400)
    {
      /* Translators: %1$s is a file name, %2$s its mode such as 0644 */
      g_autofree char *octal = g_strdup_printf ("%04o", mode);

      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The secret file %1$s has the mode %2$s; only its owner may read it, "
                     "so make it 0600 or 0400 (chmod 600 %1$s)."),
                   path, octal);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_secret_file (const char  *path,
                   GError     **error)
{
  struct stat st;

  if (stat (path, &st) != 0)
    {
      int saved_errno = errno;

      /* Translators: %1$s is a file name, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The secret file %1$s cannot be used: %2$s."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return check_secret_stat (path, &st, error);
}

static gboolean
refuse_option (const CertreqCaConfig  *config,
               const char             *option,
               GError                **error)
{
  /* Translators: %1$s is a protocol such as "SCEP (RFC 8894)", %2$s an option's name
   * such as eab-kid (literal, also the command-line option --eab-kid) */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
               _("A certification authority speaking %1$s has no use for the option "
                 "“%2$s”; remove it."),
               certreq_ca_protocol_get_label (config->protocol), option);
  return FALSE;
}

static gboolean
validate_url (const CertreqCaConfig  *config,
              GError                **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (!is_set (config->url))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Enter the URL of the certification authority."));
      return FALSE;
    }

  uri = g_uri_parse (config->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || !is_set (g_uri_get_host (uri)) || has_control_chars (config->url))
    {
      /* Translators: %s is what was entered as a URL */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("“%s” is not a valid URL; enter it as https://HOST/PATH."), config->url);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      /* Never repeat the password */
      g_autofree char *shown = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);

      /* Translators: %s is a URL (without the user name and password it contained) */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The URL %s contains a user name or password; give the account with "
                     "the authentication settings, never inside the URL."),
                   shown);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (config->protocol == CERTREQ_CA_PROTOCOL_SCEP)
    {
      /* SCEP protects its messages itself and runs over plain HTTP by design */
      if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
        {
          /* Translators: %s is a URL */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The SCEP URL %s must start with http:// or https://."), config->url);
          return FALSE;
        }
    }
  else if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      /* Translators: %1$s is a URL, %2$s a protocol such as "ACME (RFC 8555)" */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The URL %1$s must start with https://: Certwiz speaks %2$s only over "
                     "TLS."),
                   config->url, certreq_ca_protocol_get_label (config->protocol));
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_http01 (const char  *http01,
                 GError     **error)
{
  if (g_str_has_prefix (http01, "listen:"))
    {
      const char *rest = http01 + strlen ("listen:");
      const char *colon = strrchr (rest, ':');
      guint64 port = 0;

      if (colon != NULL && colon > rest &&
          g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        return TRUE;
    }
  else if (g_str_has_prefix (http01, "webroot:"))
    {
      const char *dir = http01 + strlen ("webroot:");

      if (g_path_is_absolute (dir) && g_file_test (dir, G_FILE_TEST_IS_DIR))
        return TRUE;
      if (g_path_is_absolute (dir))
        {
          /* Translators: %s is a directory */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The webroot directory %s for http-01 does not exist."), dir);
          return FALSE;
        }
    }

  /* Translators: %s is what was given; listen:ADDRESS:PORT and webroot:DIRECTORY are
   * literal forms, keep them */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
               _("The http-01 setting “%s” is not valid; use listen:ADDRESS:PORT or "
                 "webroot:DIRECTORY (an absolute path)."),
               http01);
  return FALSE;
}

static gboolean
validate_acme (const CertreqCaConfig  *config,
               GError                **error)
{
  if (is_set (config->contact))
    {
      const char *address = config->contact;
      const char *at;

      if (g_str_has_prefix (address, "mailto:"))
        address += strlen ("mailto:");
      at = strchr (address, '@');
      if (at == NULL || at == address || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
          strpbrk (address, " \t,;<>") != NULL || has_control_chars (address))
        {
          /* Translators: %s is what was entered as the contact */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("“%s” is not an e-mail address; the ACME contact is one address "
                         "such as admin@example.org."),
                       config->contact);
          return FALSE;
        }
    }

  if (is_set (config->eab_kid) != is_set (config->eab_hmac_file))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("External Account Binding needs both the key id (eab-kid) and "
                             "the file with its HMAC key (eab-hmac-file)."));
      return FALSE;
    }
  if (is_set (config->eab_kid) && has_control_chars (config->eab_kid))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The External Account Binding key id must not contain control "
                             "characters."));
      return FALSE;
    }
  if (is_set (config->eab_hmac_file) && !check_secret_file (config->eab_hmac_file, error))
    return FALSE;

  if (is_set (config->http01) && !validate_http01 (config->http01, error))
    return FALSE;

  if (is_set (config->dns01_hook))
    {
      g_auto(GStrv) argv = NULL;

      if (!g_shell_parse_argv (config->dns01_hook, NULL, &argv, NULL))
        {
          /* Translators: %s is the command given */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The dns-01 hook “%s” is not a valid command line; check its "
                         "quotes."),
                       config->dns01_hook);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
validate_account (const CertreqCaConfig  *config,
                  GError                **error)
{
  gboolean auth_ok;
  gboolean takes_password;

  switch (config->protocol)
    {
    case CERTREQ_CA_PROTOCOL_ADCS:
      auth_ok = TRUE;
      break;
    case CERTREQ_CA_PROTOCOL_EST:
      auth_ok = config->auth == CERTREQ_HTTP_AUTH_NONE ||
                config->auth == CERTREQ_HTTP_AUTH_BASIC ||
                config->auth == CERTREQ_HTTP_AUTH_CERT;
      break;
    case CERTREQ_CA_PROTOCOL_LOCAL:
    case CERTREQ_CA_PROTOCOL_ACME:
    case CERTREQ_CA_PROTOCOL_SCEP:
    default:
      auth_ok = config->auth == CERTREQ_HTTP_AUTH_NONE;
      break;
    }
  if (!auth_ok)
    {
      /* Translators: %1$s is a protocol such as "EST (RFC 7030)", %2$s an
       * authentication id such as ntlm (literal) */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("A certification authority speaking %1$s does not use the "
                     "authentication “%2$s”."),
                   certreq_ca_protocol_get_label (config->protocol),
                   certreq_ca_auth_to_id (config->auth));
      return FALSE;
    }

  takes_password = config->auth == CERTREQ_HTTP_AUTH_BASIC ||
                   config->auth == CERTREQ_HTTP_AUTH_NTLM;
  if (takes_password && !is_set (config->username))
    {
      /* Translators: %s is basic or ntlm (literal) */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The authentication “%s” needs a user name."),
                   certreq_ca_auth_to_id (config->auth));
      return FALSE;
    }
  if (!takes_password && (is_set (config->username) || is_set (config->password_file)))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("A user name and a password file are used with basic or NTLM "
                             "authentication only; choose one of them or remove the "
                             "account."));
      return FALSE;
    }
  if (is_set (config->username) && has_control_chars (config->username))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The user name of the certification authority account must not "
                             "contain control characters."));
      return FALSE;
    }
  if (is_set (config->password_file) && !check_secret_file (config->password_file, error))
    return FALSE;

  if (is_set (config->client_cert) != is_set (config->client_key))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("A TLS client certificate needs its private key, and the key its "
                             "certificate: give both files."));
      return FALSE;
    }
  if (config->auth == CERTREQ_HTTP_AUTH_CERT && !is_set (config->client_cert))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Client certificate authentication needs the client certificate "
                             "and its private key."));
      return FALSE;
    }
  if (is_set (config->client_cert) && !file_is_usable (config->client_cert))
    {
      /* Translators: %s is a file name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The client certificate %s does not exist or cannot be read."),
                   config->client_cert);
      return FALSE;
    }
  if (is_set (config->client_key) && !check_secret_file (config->client_key, error))
    return FALSE;

  return TRUE;
}

/**
 * certreq_ca_config_validate:
 * @config: a #CertreqCaConfig
 * @error: return location for a #GError
 *
 * Checks the name, the URL (https, but http or https for SCEP), the files that must
 * exist, the secret files (regular, the running user's, mode 0600 or 0400) and that
 * every option belongs to the protocol. Each refusal is one sentence naming the field;
 * %CERTREQ_ERROR_INVALID_SUBJECT.
 *
 * Returns: %TRUE when @config can be saved
 */
gboolean
certreq_ca_config_validate (const CertreqCaConfig  *config,
                            GError                **error)
{
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_set (config->name))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Enter a name for the certification authority."));
      return FALSE;
    }
  if (g_strcmp0 (config->name, CERTREQ_LOCAL_CA_ID) == 0 ||
      g_strcmp0 (config->name, CERTREQ_OFFLINE_CA_ID) == 0)
    {
      /* Translators: %s is "local" or "offline" (literal) */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The name “%s” is reserved for Certwiz’s own use; choose another name "
                     "for the certification authority."),
                   config->name);
      return FALSE;
    }
  if (!name_is_valid (config->name))
    {
      /* Translators: %s is the name entered */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The name “%s” is not valid for a certification authority; use "
                     "lower-case letters, digits, dots, hyphens and underscores, starting "
                     "with a letter or digit."),
                   config->name);
      return FALSE;
    }
  if (config->protocol == CERTREQ_CA_PROTOCOL_LOCAL)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The built-in lab CA needs no configuration; choose the protocol "
                             "the certification authority speaks: ACME, SCEP, AD CS Web "
                             "Enrollment or EST."));
      return FALSE;
    }

  if (!validate_url (config, error))
    return FALSE;

  if (is_set (config->trust_bundle) && !file_is_usable (config->trust_bundle))
    {
      /* Translators: %s is a file name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The trust bundle %s does not exist or cannot be read."),
                   config->trust_bundle);
      return FALSE;
    }

  /* Options of one protocol given to another */
  if (config->protocol != CERTREQ_CA_PROTOCOL_ACME)
    {
      if (is_set (config->contact))
        return refuse_option (config, "contact", error);
      if (is_set (config->eab_kid))
        return refuse_option (config, "eab-kid", error);
      if (is_set (config->eab_hmac_file))
        return refuse_option (config, "eab-hmac-file", error);
      if (is_set (config->http01))
        return refuse_option (config, "http01", error);
      if (is_set (config->dns01_hook))
        return refuse_option (config, "dns01-hook", error);
    }
  if (config->protocol != CERTREQ_CA_PROTOCOL_SCEP && is_set (config->challenge_password_file))
    return refuse_option (config, "challenge-password-file", error);
  if (config->protocol == CERTREQ_CA_PROTOCOL_ACME || config->protocol == CERTREQ_CA_PROTOCOL_SCEP)
    {
      if (is_set (config->template_name))
        return refuse_option (config, "template", error);
      if (is_set (config->username))
        return refuse_option (config, "user", error);
      if (is_set (config->password_file))
        return refuse_option (config, "password-file", error);
      if (is_set (config->client_cert))
        return refuse_option (config, "client-cert", error);
      if (is_set (config->client_key))
        return refuse_option (config, "client-key", error);
    }

  if (is_set (config->template_name))
    {
      const char *p;

      for (p = config->template_name; *p != '\0'; p++)
        if (g_ascii_isspace (*p) || (guchar) *p < 0x20 || *p == 0x7f || *p == '/')
          break;
      if (*p != '\0')
        {
          /* Translators: %s is the template name entered */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The certificate template name “%s” is not valid: it must not "
                         "contain spaces, slashes or control characters."),
                       config->template_name);
          return FALSE;
        }
    }

  if (config->protocol == CERTREQ_CA_PROTOCOL_ACME && !validate_acme (config, error))
    return FALSE;
  if (!validate_account (config, error))
    return FALSE;
  if (is_set (config->challenge_password_file) &&
      !check_secret_file (config->challenge_password_file, error))
    return FALSE;

  return TRUE;
}

/* ---- cas.ini ---- */

static char *
cas_ini_path (CertreqStore *store)
{
  return _certreq_store_build_path (store, CAS_INI, NULL);
}

static GKeyFile *
load_cas_ini (CertreqStore  *store,
              GError       **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = cas_ini_path (store);
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      /* Translators: %1$s is a file name, %2$s the reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("Could not read the configured certification authorities from %1$s: "
                     "%2$s"),
                   path, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

static char *
get_value (GKeyFile   *key_file,
           const char *group,
           const char *key)
{
  char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static void
set_value (GKeyFile   *key_file,
           const char *group,
           const char *key,
           const char *value)
{
  if (is_set (value))
    g_key_file_set_string (key_file, group, key, value);
}

/* NULL (with a warning) for a group that is not a usable CA */
static CertreqCaConfig *
config_from_key_file (GKeyFile    *key_file,
                      const char  *group,
                      GError     **error)
{
  g_autoptr(CertreqCaConfig) config = certreq_ca_config_new ();
  g_autofree char *protocol = get_value (key_file, group, "protocol");
  g_autofree char *auth = get_value (key_file, group, "auth");

  if (!certreq_ca_protocol_from_id (protocol, &config->protocol) ||
      config->protocol == CERTREQ_CA_PROTOCOL_LOCAL ||
      (auth != NULL && !certreq_ca_auth_from_id (auth, &config->auth)))
    {
      /* Translators: %s is the name of a certification authority in cas.ini */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("The configuration of the certification authority “%s” in cas.ini "
                     "names no protocol or authentication Certwiz knows; remove it and add "
                     "it again."),
                   group);
      return NULL;
    }

  config->name = g_strdup (group);
  config->url = get_value (key_file, group, "url");
  config->trust_bundle = get_value (key_file, group, "trust-bundle");
  config->contact = get_value (key_file, group, "contact");
  config->eab_kid = get_value (key_file, group, "eab-kid");
  config->eab_hmac_file = get_value (key_file, group, "eab-hmac-file");
  config->http01 = get_value (key_file, group, "http01");
  config->dns01_hook = get_value (key_file, group, "dns01-hook");
  config->template_name = get_value (key_file, group, "template");
  config->username = get_value (key_file, group, "user");
  config->password_file = get_value (key_file, group, "password-file");
  config->client_cert = get_value (key_file, group, "client-cert");
  config->client_key = get_value (key_file, group, "client-key");
  config->challenge_password_file = get_value (key_file, group, "challenge-password-file");

  return g_steal_pointer (&config);
}

static int
compare_configs (gconstpointer a,
                 gconstpointer b)
{
  const CertreqCaConfig *ca = *(const CertreqCaConfig * const *) a;
  const CertreqCaConfig *cb = *(const CertreqCaConfig * const *) b;

  return strcmp (ca->name, cb->name);
}

/**
 * certreq_store_list_cas:
 * @store: a #CertreqStore
 * @error: return location for a #GError
 *
 * A group that names no known protocol is left out with a warning.
 *
 * Returns: (transfer full) (element-type CertreqCaConfig): the configured CAs,
 *   sorted by name; %NULL when cas.ini cannot be read
 */
GPtrArray *
certreq_store_list_cas (CertreqStore  *store,
                        GError       **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_auto(GStrv) groups = NULL;
  GPtrArray *list;
  gsize i;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key_file = load_cas_ini (store, error);
  if (key_file == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) certreq_ca_config_free);
  groups = g_key_file_get_groups (key_file, NULL);
  for (i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      CertreqCaConfig *config = config_from_key_file (key_file, groups[i], &local_error);

      if (config == NULL)
        g_warning ("%s", local_error->message);
      else
        g_ptr_array_add (list, config);
    }
  g_ptr_array_sort (list, compare_configs);

  return list;
}

/**
 * certreq_store_get_ca:
 * @store: a #CertreqStore
 * @name: a configured CA's name
 * @error: return location for a #GError
 *
 * Returns: (transfer full): its configuration, or %NULL with %CERTREQ_ERROR_NOT_FOUND
 *   for an unknown name
 */
CertreqCaConfig *
certreq_store_get_ca (CertreqStore  *store,
                      const char    *name,
                      GError       **error)
{
  g_autoptr(GKeyFile) key_file = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key_file = load_cas_ini (store, error);
  if (key_file == NULL)
    return NULL;

  if (name == NULL || !g_key_file_has_group (key_file, name))
    {
      /* Translators: %s is the identifier of a certification authority */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("There is no certification authority called “%s”."),
                   name != NULL ? name : "");
      return NULL;
    }

  return config_from_key_file (key_file, name, error);
}

/**
 * certreq_store_set_ca:
 * @store: a #CertreqStore
 * @config: the CA's configuration; @config->name is its group
 * @error: return location for a #GError
 *
 * Validates @config, then adds it to cas.ini or replaces the CA of that name; the
 * file is written atomically (0644) under the store's lock.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_set_ca (CertreqStore           *store,
                      const CertreqCaConfig  *config,
                      GError                **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  const char *group;
  gsize length = 0;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!certreq_ca_config_validate (config, error))
    return FALSE;

  lock = certreq_store_lock (store, 10000, error);
  if (lock == NULL)
    return FALSE;
  key_file = load_cas_ini (store, error);
  if (key_file == NULL)
    return FALSE;

  group = config->name;
  g_key_file_remove_group (key_file, group, NULL);
  g_key_file_set_string (key_file, group, "protocol", certreq_ca_protocol_to_id (config->protocol));
  set_value (key_file, group, "url", config->url);
  set_value (key_file, group, "trust-bundle", config->trust_bundle);
  set_value (key_file, group, "contact", config->contact);
  set_value (key_file, group, "eab-kid", config->eab_kid);
  set_value (key_file, group, "eab-hmac-file", config->eab_hmac_file);
  set_value (key_file, group, "http01", config->http01);
  set_value (key_file, group, "dns01-hook", config->dns01_hook);
  set_value (key_file, group, "template", config->template_name);
  if (config->auth != CERTREQ_HTTP_AUTH_NONE)
    g_key_file_set_string (key_file, group, "auth", certreq_ca_auth_to_id (config->auth));
  set_value (key_file, group, "user", config->username);
  set_value (key_file, group, "password-file", config->password_file);
  set_value (key_file, group, "client-cert", config->client_cert);
  set_value (key_file, group, "client-key", config->client_key);
  set_value (key_file, group, "challenge-password-file", config->challenge_password_file);

  path = cas_ini_path (store);
  data = g_key_file_to_data (key_file, &length, NULL);
  return _certreq_write_file_atomic (path, data, length, CAS_INI_MODE, error);
}

/**
 * certreq_store_remove_ca:
 * @store: a #CertreqStore
 * @name: a configured CA's name
 * @error: return location for a #GError
 *
 * Removes the CA from cas.ini (atomically, under the lock). Secrets in files or the
 * Secret Service stay where the admin put them.
 *
 * Returns: %TRUE on success; %CERTREQ_ERROR_NOT_FOUND for an unknown name
 */
gboolean
certreq_store_remove_ca (CertreqStore  *store,
                         const char    *name,
                         GError       **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lock = certreq_store_lock (store, 10000, error);
  if (lock == NULL)
    return FALSE;
  key_file = load_cas_ini (store, error);
  if (key_file == NULL)
    return FALSE;

  if (!g_key_file_remove_group (key_file, name, NULL))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("There is no certification authority called “%s”."), name);
      return FALSE;
    }

  path = cas_ini_path (store);
  data = g_key_file_to_data (key_file, &length, NULL);
  return _certreq_write_file_atomic (path, data, length, CAS_INI_MODE, error);
}

/* ---- Secrets: root-only files ---- */

static const char *
secret_kind_id (CertreqCaSecret kind)
{
  switch (kind)
    {
    case CERTREQ_CA_SECRET_PASSWORD:
      return "password";
    case CERTREQ_CA_SECRET_EAB_HMAC:
      return "eab-hmac";
    case CERTREQ_CA_SECRET_CHALLENGE_PASSWORD:
      return "challenge-password";
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
secret_file_for (const CertreqCaConfig *config,
                 CertreqCaSecret        kind)
{
  switch (kind)
    {
    case CERTREQ_CA_SECRET_PASSWORD:
      return config->password_file;
    case CERTREQ_CA_SECRET_EAB_HMAC:
      return config->eab_hmac_file;
    case CERTREQ_CA_SECRET_CHALLENGE_PASSWORD:
      return config->challenge_password_file;
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The first line of @path, without its line end; the file is checked after opening it */
static char *
read_secret_file (const char  *path,
                  GError     **error)
{
  struct stat st;
  char *buffer;
  char *secret;
  gsize length = 0;
  gsize line;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The secret file %1$s cannot be used: %2$s."),
                   path, g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !check_secret_stat (path, &st, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                     _("The secret file %1$s cannot be used: %2$s."),
                     path, g_strerror (errno));
      close (fd);
      return NULL;
    }

  buffer = g_malloc (SECRET_FILE_MAX + 1);
  while (length < SECRET_FILE_MAX)
    {
      gssize n = read (fd, buffer + length, SECRET_FILE_MAX - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          OPENSSL_cleanse (buffer, length);
          g_free (buffer);
          close (fd);
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The secret file %1$s cannot be used: %2$s."),
                       path, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);

  for (line = 0; line < length && buffer[line] != '\n' && buffer[line] != '\r'; line++)
    ;
  if (line == 0)
    {
      OPENSSL_cleanse (buffer, length);
      g_free (buffer);
      /* Translators: %s is a file name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The secret file %s is empty; write the secret on its first line."),
                   path);
      return NULL;
    }

  secret = g_strndup (buffer, line);
  OPENSSL_cleanse (buffer, length);
  g_free (buffer);
  return secret;
}

/* ---- Secrets: the Secret Service (org.freedesktop.secrets) over GDBus ---- */

#define SECRET_BUS_NAME      "org.freedesktop.secrets"
#define SECRET_SERVICE_PATH  "/org/freedesktop/secrets"
#define SECRET_SERVICE_IFACE "org.freedesktop.Secret.Service"
#define SECRET_ITEM_IFACE    "org.freedesktop.Secret.Item"
#define SECRET_COLL_IFACE    "org.freedesktop.Secret.Collection"
#define SECRET_SESSION_IFACE "org.freedesktop.Secret.Session"
#define SECRET_LOGIN_COLLECTION "/org/freedesktop/secrets/collection/login"
#define SECRET_TIMEOUT_MS    10000
#define SECRET_APPLICATION   "io.github.certwiz.Certwiz"

typedef struct
{
  GDBusConnection *connection;
  char            *session;      /* the "plain" session's object path */
} SecretSession;

static void
secret_session_free (SecretSession *session)
{
  if (session == NULL)
    return;

  if (session->session != NULL)
    {
      g_autoptr(GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (session->connection, SECRET_BUS_NAME,
                                           session->session, SECRET_SESSION_IFACE, "Close",
                                           NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                                           SECRET_TIMEOUT_MS, NULL, NULL);
      g_free (session->session);
    }
  if (session->connection != NULL)
    g_dbus_connection_close_sync (session->connection, NULL, NULL);
  g_clear_object (&session->connection);
  g_free (session);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretSession, secret_session_free)

/* A private connection to the session bus, without autolaunching one; NULL (with a
 * debug message) when the session has no bus or the bus no Secret Service */
static SecretSession *
secret_session_open (void)
{
  g_autoptr(SecretSession) session = g_new0 (SecretSession, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = NULL;
  const char *env = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");

  if (is_set (env))
    address = g_strdup (env);
  else if (is_set (runtime_dir))
    {
      g_autofree char *socket_path = g_build_filename (runtime_dir, "bus", NULL);
      g_autofree char *escaped = NULL;

      if (!g_file_test (socket_path, G_FILE_TEST_EXISTS))
        return NULL;
      escaped = g_dbus_address_escape_value (socket_path);
      address = g_strdup_printf ("unix:path=%s", escaped);
    }
  else
    return NULL;

  session->connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  if (session->connection == NULL)
    {
      g_debug ("No session bus for the Secret Service: %s", error->message);
      return NULL;
    }
  g_dbus_connection_set_exit_on_close (session->connection, FALSE);

  reply = g_dbus_connection_call_sync (session->connection, SECRET_BUS_NAME,
                                       SECRET_SERVICE_PATH, SECRET_SERVICE_IFACE,
                                       "OpenSession",
                                       g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                       G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE,
                                       SECRET_TIMEOUT_MS, NULL, &error);
  if (reply == NULL)
    {
      g_debug ("No Secret Service: %s", error->message);
      return NULL;
    }
  g_variant_get (reply, "(vo)", NULL, &session->session);

  return g_steal_pointer (&session);
}

static GVariant *
secret_attributes (const CertreqCaConfig *config,
                   CertreqCaSecret        kind)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "application", SECRET_APPLICATION);
  g_variant_builder_add (&builder, "{ss}", "ca", config->name);
  g_variant_builder_add (&builder, "{ss}", "kind", secret_kind_id (kind));
  return g_variant_builder_end (&builder);
}

static gboolean
set_keyring_locked_error (const CertreqCaConfig  *config,
                          GError                **error)
{
  /* Translators: %s is the name of a certification authority */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
               _("The keyring that holds the secrets of the certification authority “%s” is "
                 "locked; unlock it (for example by logging in again) and try again."),
               config->name);
  return FALSE;
}

static void
set_secret_service_error (const CertreqCaConfig  *config,
                          const GError           *dbus_error,
                          GError                **error)
{
  g_autoptr(GError) copy = g_error_copy (dbus_error);

  g_dbus_error_strip_remote_error (copy);
  /* Translators: %1$s is the name of a certification authority, %2$s the reason */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
               _("The keyring (Secret Service) failed to handle the secret of the "
                 "certification authority “%1$s”: %2$s"),
               config->name, copy->message);
}

/* The secret stored for @config and @kind: NULL with no error when there is none */
static char *
secret_service_lookup (SecretSession          *session,
                       const CertreqCaConfig  *config,
                       CertreqCaSecret         kind,
                       GError                **error)
{
  g_autoptr(GError) dbus_error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) secret = NULL;
  g_autoptr(GVariant) bytes = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;
  const char *item;
  const guint8 *value;
  gsize length = 0;
  char *result;

  reply = g_dbus_connection_call_sync (session->connection, SECRET_BUS_NAME,
                                       SECRET_SERVICE_PATH, SECRET_SERVICE_IFACE,
                                       "SearchItems",
                                       g_variant_new ("(@a{ss})", secret_attributes (config, kind)),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE,
                                       SECRET_TIMEOUT_MS, NULL, &dbus_error);
  if (reply == NULL)
    {
      set_secret_service_error (config, dbus_error, error);
      return NULL;
    }
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);

  if (unlocked[0] != NULL)
    item = unlocked[0];
  else if (locked[0] != NULL)
    {
      g_autoptr(GVariant) unlock_reply = NULL;
      g_autofree const char **now_unlocked = NULL;
      const char *prompt = NULL;

      /* Unlocking without a prompt works when the keyring is open in this session */
      unlock_reply = g_dbus_connection_call_sync (session->connection, SECRET_BUS_NAME,
                                                  SECRET_SERVICE_PATH, SECRET_SERVICE_IFACE,
                                                  "Unlock",
                                                  g_variant_new ("(^ao)", locked),
                                                  G_VARIANT_TYPE ("(aoo)"),
                                                  G_DBUS_CALL_FLAGS_NONE, SECRET_TIMEOUT_MS,
                                                  NULL, &dbus_error);
      if (unlock_reply == NULL)
        {
          set_secret_service_error (config, dbus_error, error);
          return NULL;
        }
      g_variant_get (unlock_reply, "(^a&o&o)", &now_unlocked, &prompt);
      if (now_unlocked[0] == NULL)
        {
          set_keyring_locked_error (config, error);
          return NULL;
        }
      g_clear_pointer (&reply, g_variant_unref);
      reply = g_steal_pointer (&unlock_reply);
      g_free (unlocked);
      unlocked = g_steal_pointer (&now_unlocked);
      item = unlocked[0];
    }
  else
    return NULL;

  secret = g_dbus_connection_call_sync (session->connection, SECRET_BUS_NAME, item,
                                        SECRET_ITEM_IFACE, "GetSecret",
                                        g_variant_new ("(o)", session->session),
                                        G_VARIANT_TYPE ("((oayays))"), G_DBUS_CALL_FLAGS_NONE,
                                        SECRET_TIMEOUT_MS, NULL, &dbus_error);
  if (secret == NULL)
    {
      set_secret_service_error (config, dbus_error, error);
      return NULL;
    }
  g_variant_get (secret, "((&o@ay@ay&s))", NULL, NULL, &bytes, NULL);
  value = g_variant_get_fixed_array (bytes, &length, 1);
  result = g_strndup ((const char *) value, length);
  /* The reply is ours alone: wipe the copy D-Bus delivered */
  if (length > 0)
    OPENSSL_cleanse ((gpointer) value, length);

  if (*result == '\0')
    {
      g_free (result);
      return NULL;
    }
  return result;
}

/**
 * certreq_ca_config_get_secret:
 * @config: a configured CA
 * @kind: which secret
 * @error: return location for a #GError
 *
 * The secret from the file the configuration names (its first line; the file must
 * be regular, the running user's and mode 0600 or 0400), else from the session's
 * Secret Service. Never logged.
 *
 * Returns: (transfer full): the secret, to wipe with OPENSSL_cleanse() after use;
 *   %NULL with %CERTREQ_ERROR_NOT_FOUND when none is configured, or another error
 */
char *
certreq_ca_config_get_secret (const CertreqCaConfig  *config,
                              CertreqCaSecret         kind,
                              GError                **error)
{
  g_autoptr(SecretSession) session = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *path;
  char *secret;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = secret_file_for (config, kind);
  if (is_set (path))
    return read_secret_file (path, error);

  session = is_set (config->name) ? secret_session_open () : NULL;
  if (session != NULL)
    {
      secret = secret_service_lookup (session, config, kind, &local_error);
      if (secret != NULL)
        return secret;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  switch (kind)
    {
    case CERTREQ_CA_SECRET_EAB_HMAC:
      /* Translators: %s is the name of a certification authority */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("No External Account Binding HMAC key is configured for the "
                     "certification authority “%s”: name a file only root can read, or keep "
                     "the key in the keyring."),
                   config->name != NULL ? config->name : "");
      break;
    case CERTREQ_CA_SECRET_CHALLENGE_PASSWORD:
      /* Translators: %s is the name of a certification authority */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("No challenge password is configured for the certification authority "
                     "“%s”: name a file only root can read, or keep the password in the "
                     "keyring."),
                   config->name != NULL ? config->name : "");
      break;
    case CERTREQ_CA_SECRET_PASSWORD:
    default:
      /* Translators: %s is the name of a certification authority */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("No password is configured for the certification authority “%s”: name "
                     "a file only root can read, or keep the password in the keyring."),
                   config->name != NULL ? config->name : "");
      break;
    }
  return NULL;
}

/**
 * certreq_ca_config_store_secret:
 * @config: a configured CA (its name identifies the secret)
 * @kind: which secret
 * @secret: the secret
 * @error: return location for a #GError
 *
 * Keeps @secret in the session's Secret Service (the default collection, replacing an
 * earlier one for the same CA and kind).
 *
 * Returns: %TRUE on success; %CERTREQ_ERROR_PERMISSION when the session has no Secret
 *   Service or its keyring is locked
 */
gboolean
certreq_ca_config_store_secret (const CertreqCaConfig  *config,
                                CertreqCaSecret         kind,
                                const char             *secret,
                                GError                **error)
{
  g_autoptr(SecretSession) session = NULL;
  g_autoptr(GError) dbus_error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *collection = NULL;
  g_autofree char *label = NULL;
  const char *item = NULL;
  const char *prompt = NULL;
  GVariantBuilder properties;
  GVariant *value;

  g_return_val_if_fail (config != NULL && is_set (config->name), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  session = secret_session_open ();
  if (session == NULL)
    {
      /* Translators: %s is the name of a certification authority */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION,
                   _("This session has no keyring (Secret Service) to keep the secret of the "
                     "certification authority “%s” in; name a file only root can read "
                     "instead."),
                   config->name);
      return FALSE;
    }

  reply = g_dbus_connection_call_sync (session->connection, SECRET_BUS_NAME,
                                       SECRET_SERVICE_PATH, SECRET_SERVICE_IFACE, "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, SECRET_TIMEOUT_MS, NULL,
                                       &dbus_error);
  if (reply == NULL)
    {
      set_secret_service_error (config, dbus_error, error);
      return FALSE;
    }
  g_variant_get (reply, "(o)", &collection);
  g_clear_pointer (&reply, g_variant_unref);
  /* No default collection yet: gnome-keyring's login keyring is the usual one */
  if (g_strcmp0 (collection, "/") == 0)
    {
      g_free (collection);
      collection = g_strdup (SECRET_LOGIN_COLLECTION);
    }

  /* Translators: %1$s is the name of a certification authority, %2$s the kind of secret
   * (password, eab-hmac or challenge-password; literal) */
  label = g_strdup_printf (_("Certwiz: %2$s of the certification authority “%1$s”"),
                           config->name, secret_kind_id (kind));
  g_variant_builder_init (&properties, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&properties, "{sv}", "org.freedesktop.Secret.Item.Label",
                         g_variant_new_string (label));
  g_variant_builder_add (&properties, "{sv}", "org.freedesktop.Secret.Item.Attributes",
                         secret_attributes (config, kind));
  value = g_variant_new ("(o@ay@ays)", session->session,
                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, secret,
                                                    strlen (secret), 1),
                         "text/plain; charset=utf8");

  reply = g_dbus_connection_call_sync (session->connection, SECRET_BUS_NAME, collection,
                                       SECRET_COLL_IFACE, "CreateItem",
                                       g_variant_new ("(a{sv}@(oayays)b)", &properties, value,
                                                      TRUE),
                                       G_VARIANT_TYPE ("(oo)"), G_DBUS_CALL_FLAGS_NONE,
                                       SECRET_TIMEOUT_MS, NULL, &dbus_error);
  if (reply == NULL)
    {
      if (g_dbus_error_is_remote_error (dbus_error))
        {
          g_autofree char *name = g_dbus_error_get_remote_error (dbus_error);

          if (g_strcmp0 (name, "org.freedesktop.Secret.Error.IsLocked") == 0)
            return set_keyring_locked_error (config, error);
        }
      set_secret_service_error (config, dbus_error, error);
      return FALSE;
    }
  g_variant_get (reply, "(&o&o)", &item, &prompt);
  if (g_strcmp0 (item, "/") == 0)
    return set_keyring_locked_error (config, error);

  return TRUE;
}

/* ---- Protocol detection ---- */

/**
 * certreq_ca_id_is_url:
 * @ca_id: (nullable): a CA id
 *
 * Returns: %TRUE when @ca_id is an http:// or https:// URL rather than a name
 */
gboolean
certreq_ca_id_is_url (const char *ca_id)
{
  return ca_id != NULL &&
         (g_ascii_strncasecmp (ca_id, "https://", 8) == 0 ||
          g_ascii_strncasecmp (ca_id, "http://", 7) == 0);
}

/* URLs detected in this process: the factory probes once, and validation (which
 * never goes to the network) knows the answer afterwards */
static GMutex detected_mutex;
static GHashTable *detected_urls;   /* URL -> GINT_TO_POINTER (protocol + 1) */

static G_GNUC_UNUSED void
remember_detected (const char        *url,
                   CertreqCaProtocol  protocol)
{
  g_mutex_lock (&detected_mutex);
  if (detected_urls == NULL)
    detected_urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_replace (detected_urls, g_strdup (url), GINT_TO_POINTER (protocol + 1));
  g_mutex_unlock (&detected_mutex);
}

static gboolean
lookup_detected (const char        *url,
                 CertreqCaProtocol *out_protocol)
{
  gpointer value = NULL;

  g_mutex_lock (&detected_mutex);
  if (detected_urls != NULL)
    value = g_hash_table_lookup (detected_urls, url);
  g_mutex_unlock (&detected_mutex);

  if (value == NULL)
    return FALSE;
  *out_protocol = (CertreqCaProtocol) (GPOINTER_TO_INT (value) - 1);
  return TRUE;
}

/* What the URL's path says, before any probe */
static gboolean
protocol_from_url_shape (GUri              *uri,
                         CertreqCaProtocol *out_protocol)
{
  g_autofree char *path = g_ascii_strdown (g_uri_get_path (uri), -1);
  gsize length;

  while ((length = strlen (path)) > 1 && path[length - 1] == '/')
    path[length - 1] = '\0';

  /* NDES lives under /certsrv/mscep/ but speaks SCEP */
  if (strstr (path, "mscep") != NULL || g_str_has_suffix (path, "/pkiclient.exe") ||
      g_str_has_suffix (path, "/scep") || strstr (path, "/scep/") != NULL)
    *out_protocol = CERTREQ_CA_PROTOCOL_SCEP;
  else if (strstr (path, "/.well-known/est") != NULL)
    *out_protocol = CERTREQ_CA_PROTOCOL_EST;
  else if (strstr (path, "/certsrv") != NULL)
    *out_protocol = CERTREQ_CA_PROTOCOL_ADCS;
  else if (g_str_has_suffix (path, "/directory"))
    *out_protocol = CERTREQ_CA_PROTOCOL_ACME;
  else
    return FALSE;

  return TRUE;
}

/**
 * certreq_ca_protocol_for_id:
 * @store: (nullable): the store with cas.ini
 * @ca_id: (nullable): a CA id: "local", a configured name or a URL
 * @out_protocol: (out): the protocol
 *
 * Never goes to the network.
 *
 * Returns: %TRUE when the protocol is known
 */
gboolean
certreq_ca_protocol_for_id (CertreqStore      *store,
                            const char        *ca_id,
                            CertreqCaProtocol *out_protocol)
{
  g_return_val_if_fail (store == NULL || CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_protocol != NULL, FALSE);

  if (ca_id == NULL)
    return FALSE;
  if (g_strcmp0 (ca_id, CERTREQ_LOCAL_CA_ID) == 0)
    {
      *out_protocol = CERTREQ_CA_PROTOCOL_LOCAL;
      return TRUE;
    }
  if (certreq_ca_id_is_url (ca_id))
    {
      g_autoptr(GUri) uri = NULL;

      if (lookup_detected (ca_id, out_protocol))
        return TRUE;
      uri = g_uri_parse (ca_id, G_URI_FLAGS_NONE, NULL);
      return uri != NULL && protocol_from_url_shape (uri, out_protocol);
    }
  if (store != NULL)
    {
      g_autoptr(CertreqCaConfig) config = certreq_store_get_ca (store, ca_id, NULL);

      if (config != NULL)
        {
          *out_protocol = config->protocol;
          return TRUE;
        }
    }

  return FALSE;
}

#ifdef CERTREQ_HAVE_HTTP

/* scheme://host[:port]@path */
static char *
url_with_path (GUri       *uri,
               const char *path)
{
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), path, NULL, NULL);
}

/* "HTTP status 404 (text/html)" for error sentences */
static char *
describe_response (CertreqHttpResponse *response)
{
  const char *type = certreq_http_response_get_header (response, "content-type");

  if (type != NULL)
    /* Translators: %1$u is an HTTP status such as 404, %2$s a content type */
    return g_strdup_printf (_("HTTP status %1$u with content of the type %2$s"),
                            response->status, type);
  /* Translators: %u is an HTTP status such as 404 */
  return g_strdup_printf (_("HTTP status %u without a content type"), response->status);
}

static gboolean
content_type_is (CertreqHttpResponse *response,
                 const char          *type)
{
  const char *value = certreq_http_response_get_header (response, "content-type");
  gsize length = strlen (type);

  return value != NULL && g_ascii_strncasecmp (value, type, length) == 0 &&
         (value[length] == '\0' || value[length] == ';' || value[length] == ' ');
}

static gboolean
looks_like_acme (CertreqHttpResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gconstpointer data;
  gsize length = 0;
  JsonObject *object;
  JsonNode *root;

  if (response->status != 200)
    return FALSE;
  data = g_bytes_get_data (response->body, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);

  return json_object_has_member (object, "newNonce") &&
         json_object_has_member (object, "newAccount") &&
         json_object_has_member (object, "newOrder");
}

static gboolean
looks_like_scep_caps (CertreqHttpResponse *response)
{
  static const char * const capabilities[] = {
    "POSTPKIOperation", "SHA-256", "SHA-512", "SHA-1", "AES", "DES3", "Renewal",
    "GetNextCACert", "SCEPStandard", "Update", NULL
  };
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize i;

  if (response->status != 200)
    return FALSE;
  text = certreq_http_response_dup_text (response);
  g_strstrip (text);
  /* An empty answer means "the defaults" (RFC 8894 §3.5.2), but only as plain text */
  if (*text == '\0')
    return content_type_is (response, "text/plain");

  lines = g_strsplit_set (text, "\r\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0' && g_strv_contains (capabilities, lines[i]))
        return TRUE;
    }
  return FALSE;
}

static gboolean
looks_like_est_cacerts (CertreqHttpResponse *response)
{
  return response->status == 200 && content_type_is (response, "application/pkcs7-mime");
}

static gboolean
looks_like_certsrv (CertreqHttpResponse *response)
{
  static const char * const pages[] = {
    "certfnsh.asp", "certrqus.asp", "certrqxt.asp", "certcarc.asp", "certckpn.asp", NULL
  };
  const char *authenticate;
  gsize i;

  if (response->status == 401)
    {
      authenticate = certreq_http_response_get_header (response, "www-authenticate");
      return authenticate != NULL &&
             (g_ascii_strncasecmp (authenticate, "Negotiate", 9) == 0 ||
              g_ascii_strncasecmp (authenticate, "NTLM", 4) == 0);
    }
  if (response->status == 200)
    {
      g_autofree char *text = certreq_http_response_dup_text (response);
      g_autofree char *lower = g_ascii_strdown (text, -1);

      for (i = 0; pages[i] != NULL; i++)
        if (strstr (lower, pages[i]) != NULL)
          return TRUE;
    }
  return FALSE;
}

static CertreqHttpResponse *
probe_get (CertreqHttp   *http,
           const char    *url,
           GCancellable  *cancellable,
           GError       **error)
{
  return certreq_http_request (http, "GET", url, NULL, NULL, NULL, cancellable, error);
}

static char *
scep_caps_url (const char *url)
{
  return g_strconcat (url, strchr (url, '?') != NULL ? "&" : "?", "operation=GetCACaps", NULL);
}

static char *
est_cacerts_url (GUri *uri)
{
  g_autofree char *path = g_strdup (g_uri_get_path (uri));
  const char *est = strstr (path, "/.well-known/est");
  gsize length;

  if (est == NULL)
    return url_with_path (uri, "/.well-known/est/cacerts");

  while ((length = strlen (path)) > 1 && path[length - 1] == '/')
    path[length - 1] = '\0';
  if (!g_str_has_suffix (path, "/cacerts"))
    {
      g_autofree char *full = g_strconcat (path, "/cacerts", NULL);

      return url_with_path (uri, full);
    }
  return url_with_path (uri, path);
}

static char *
certsrv_url (GUri *uri)
{
  g_autofree char *path = g_strdup (g_uri_get_path (uri));
  char *certsrv = strstr (path, "/certsrv");

  if (certsrv == NULL)
    return url_with_path (uri, "/certsrv/");
  certsrv[strlen ("/certsrv")] = '\0';
  {
    g_autofree char *base = g_strconcat (path, "/", NULL);

    return url_with_path (uri, base);
  }
}

/* One probe: TRUE when @protocol answers at @url's place for it; @out_found describes
 * the answer otherwise. NETWORK and CANCELLED errors end the detection. */
static gboolean
probe_protocol (CertreqHttp        *http,
                const char         *url,
                GUri               *uri,
                CertreqCaProtocol   protocol,
                char              **out_found,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autofree char *probe_url = NULL;
  gboolean found = FALSE;

  switch (protocol)
    {
    case CERTREQ_CA_PROTOCOL_ACME:
      probe_url = g_strdup (url);
      break;
    case CERTREQ_CA_PROTOCOL_SCEP:
      probe_url = scep_caps_url (url);
      break;
    case CERTREQ_CA_PROTOCOL_EST:
      probe_url = est_cacerts_url (uri);
      break;
    case CERTREQ_CA_PROTOCOL_ADCS:
      probe_url = certsrv_url (uri);
      break;
    case CERTREQ_CA_PROTOCOL_LOCAL:
    default:
      g_return_val_if_reached (FALSE);
    }

  response = probe_get (http, probe_url, cancellable, error);
  if (response == NULL)
    return FALSE;

  switch (protocol)
    {
    case CERTREQ_CA_PROTOCOL_ACME:
      found = looks_like_acme (response);
      break;
    case CERTREQ_CA_PROTOCOL_SCEP:
      found = looks_like_scep_caps (response);
      break;
    case CERTREQ_CA_PROTOCOL_EST:
      found = looks_like_est_cacerts (response);
      break;
    case CERTREQ_CA_PROTOCOL_ADCS:
      found = looks_like_certsrv (response);
      break;
    case CERTREQ_CA_PROTOCOL_LOCAL:
    default:
      break;
    }

  if (!found && out_found != NULL && *out_found == NULL)
    {
      g_autofree char *answer = describe_response (response);

      /* Translators: %1$s is a URL, %2$s e.g. "HTTP status 404 with content of the type
       * text/html" */
      *out_found = g_strdup_printf (_("%1$s answered with %2$s"), probe_url, answer);
    }
  return found;
}

#endif /* CERTREQ_HAVE_HTTP */

/**
 * certreq_ca_detect_protocol:
 * @url: the CA's URL
 * @trust_bundle: (nullable): PEM file of extra CAs trusted for TLS
 * @out_protocol: (out): the protocol found
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Which protocol @url speaks: its shape (…/directory, …/certsrv, …/.well-known/est,
 * …/pkiclient.exe, …/scep, NDES's mscep) names a candidate, and a probe confirms it
 * (the ACME directory's JSON, SCEP's GetCACaps, EST's /cacerts as PKCS #7, the certsrv
 * pages or its Windows authentication). A URL of no known shape is probed for every
 * protocol. Blocking: call it from a worker thread in the GUI.
 *
 * Returns: %TRUE with @out_protocol; %FALSE with %CERTREQ_ERROR_PROTOCOL saying what
 *   the server answered, or a %CERTREQ_ERROR_NETWORK error
 */
gboolean
certreq_ca_detect_protocol (const char         *url,
                            const char         *trust_bundle,
                            CertreqCaProtocol  *out_protocol,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(GUri) uri = NULL;
  CertreqCaProtocol guess;
  gboolean has_guess;

  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (out_protocol != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || !certreq_ca_id_is_url (url) || !is_set (g_uri_get_host (uri)))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("“%s” is not a valid URL; enter it as https://HOST/PATH."), url);
      return FALSE;
    }
  has_guess = protocol_from_url_shape (uri, &guess);

#ifdef CERTREQ_HAVE_HTTP
  {
    static const CertreqCaProtocol order[] = {
      CERTREQ_CA_PROTOCOL_ACME, CERTREQ_CA_PROTOCOL_ADCS, CERTREQ_CA_PROTOCOL_SCEP,
      CERTREQ_CA_PROTOCOL_EST,
    };
    g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
    g_autoptr(CertreqHttp) http = NULL;
    g_autofree char *found = NULL;
    gsize i;

    options->trust_bundle = g_strdup (trust_bundle);
    options->connect_timeout_ms = 10000;
    options->total_timeout_ms = 20000;
    http = certreq_http_new (options);

    if (has_guess)
      {
        if (probe_protocol (http, url, uri, guess, &found, cancellable, error))
          {
            *out_protocol = guess;
            remember_detected (url, guess);
            return TRUE;
          }
        if (error != NULL && *error != NULL)
          return FALSE;
        /* Translators: %1$s is a URL, %2$s a protocol such as "ACME (RFC 8555)", %3$s
         * what the server answered, e.g. "https://…/directory answered with HTTP status
         * 404 without a content type" */
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                     _("The URL %1$s looks like %2$s, but the server does not speak it: "
                       "%3$s."),
                     url, certreq_ca_protocol_get_label (guess), found);
        return FALSE;
      }

    for (i = 0; i < G_N_ELEMENTS (order); i++)
      {
        if (probe_protocol (http, url, uri, order[i], &found, cancellable, error))
          {
            *out_protocol = order[i];
            remember_detected (url, order[i]);
            return TRUE;
          }
        if (error != NULL && *error != NULL)
          return FALSE;
      }

    /* Translators: %1$s is a URL, %2$s what the server answered at that URL */
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                 _("Certwiz could not find a certification authority at %1$s: %2$s, and "
                   "neither an ACME directory nor SCEP, EST or AD CS Web Enrollment answered "
                   "there."),
                 url, found);
    return FALSE;
  }
#else
  (void) trust_bundle;
  (void) cancellable;
  (void) has_guess;
  (void) guess;
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
               _("This build of Certwiz cannot talk to online certification authorities, so "
                 "it cannot detect the protocol of %s."),
               url);
  return FALSE;
#endif
}

/* A name for @url's CA: its host, in the characters a CA name may have */
static char *
name_for_host (const char *host)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);
  char *p;

  for (p = lower; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '-';
  if (!g_ascii_islower (lower[0]) && !g_ascii_isdigit (lower[0]))
    return g_strconcat ("ca", lower, NULL);
  return g_steal_pointer (&lower);
}

/**
 * certreq_ca_config_new_for_url:
 * @url: the CA's URL
 * @trust_bundle: (nullable): PEM file of extra CAs trusted for TLS
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Detects @url's protocol (blocking) and makes a configuration named after its host.
 *
 * Returns: (transfer full): the configuration, not saved; %NULL with @error set
 */
CertreqCaConfig *
certreq_ca_config_new_for_url (const char    *url,
                               const char    *trust_bundle,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(CertreqCaConfig) config = NULL;
  g_autoptr(GUri) uri = NULL;
  CertreqCaProtocol protocol;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lookup_detected (url, &protocol) &&
      !certreq_ca_detect_protocol (url, trust_bundle, &protocol, cancellable, error))
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  config = certreq_ca_config_new ();
  config->name = name_for_host (g_uri_get_host (uri));
  config->protocol = protocol;
  config->url = g_strdup (url);
  config->trust_bundle = g_strdup (trust_bundle);

  if (!certreq_ca_config_validate (config, error))
    return NULL;

  return g_steal_pointer (&config);
}

/* ---- The factory ---- */

/**
 * certreq_ca_client_new_for_config:
 * @store: the store the CA works with
 * @config: a configured or temporary CA
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the protocol's client, or %NULL; %CERTREQ_ERROR_NOT_FOUND
 *   when this build does not include the protocol
 */
CertreqCaClient *
certreq_ca_client_new_for_config (CertreqStore           *store,
                                  const CertreqCaConfig  *config,
                                  GError                **error)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (config->protocol)
    {
    case CERTREQ_CA_PROTOCOL_LOCAL:
      return certreq_ca_local_new (store);
    case CERTREQ_CA_PROTOCOL_ACME:
#ifdef CERTREQ_HAVE_CA_ACME
      return certreq_ca_acme_new (store, config, error);
#else
      break;
#endif
    case CERTREQ_CA_PROTOCOL_SCEP:
#ifdef CERTREQ_HAVE_CA_SCEP
      return certreq_ca_scep_new (store, config, error);
#else
      break;
#endif
    case CERTREQ_CA_PROTOCOL_ADCS:
#ifdef CERTREQ_HAVE_CA_ADCS
      return certreq_ca_adcs_new (store, config, error);
#else
      break;
#endif
    case CERTREQ_CA_PROTOCOL_EST:
#ifdef CERTREQ_HAVE_CA_EST
      return certreq_ca_est_new (store, config, error);
#else
      break;
#endif
    default:
      break;
    }

  /* Translators: %1$s is the name of a certification authority, %2$s its protocol
   * such as "SCEP (RFC 8894)" */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
               _("The certification authority “%1$s” speaks %2$s, which this build of "
                 "Certwiz does not include."),
               config->name != NULL ? config->name : "",
               certreq_ca_protocol_get_label (config->protocol));
  return NULL;
}

/* certreq_ca_client_new_for_id() for everything but "local" */
CertreqCaClient *
_certreq_ca_client_new_configured (CertreqStore  *store,
                                   const char    *ca_id,
                                   GError       **error)
{
  g_autoptr(CertreqCaConfig) config = NULL;

  if (certreq_ca_id_is_url (ca_id))
    config = certreq_ca_config_new_for_url (ca_id, NULL, NULL, error);
  else
    config = certreq_store_get_ca (store, ca_id, error);
  if (config == NULL)
    return NULL;

  return certreq_ca_client_new_for_config (store, config, error);
}
