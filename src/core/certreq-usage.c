/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "certreq-private.h"

typedef struct
{
  const char *id;
  const char *label;        /* N_() unless it is a product term */
  const char *description;  /* N_() */
  gboolean    translatable_label;
} UsageInfo;

static const UsageInfo usages[CERTREQ_N_USAGES] = {
  [CERTREQ_USAGE_DEFAULT] = {
    "default",
    /* Translators: a certificate usage, "Serverstandard" in Microsoft's German */
    N_("Server default"),
    N_("Server Default for Mutual Transport Layer Security (MTLS) - Connections to clients "
       "and other servers"),
    TRUE,
  },
  [CERTREQ_USAGE_WEB_INTERNAL] = {
    "web-internal",
    /* Translators: a certificate usage, "Webdienste intern" in Microsoft's German */
    N_("Web services internal"),
    N_("Web services internal - Client and server connections on the internal Web services "
       "site for Transport Layer Security/Secure Sockets Layer (TLS/SSL)"),
    TRUE,
  },
  [CERTREQ_USAGE_WEB_EXTERNAL] = {
    "web-external",
    /* Translators: a certificate usage, "Webdienste extern" in Microsoft's German */
    N_("Web services external"),
    N_("Web services external - Client and server connections on the external Web services "
       "site for TLS/SSL"),
    TRUE,
  },
  [CERTREQ_USAGE_OAUTH] = {
    "oauth",
    /* A product term that the original wizard does not translate either */
    "OAuthTokenIssuer",
    N_("OAuthTokenIssuer - Server-to-server authentication (OAuth) with other servers "
       "and services"),
    FALSE,
  },
};

/**
 * certreq_usage_to_id:
 * @usage: a #CertreqUsage
 *
 * Returns: the stable identifier of @usage ("default", "web-internal",
 *   "web-external" or "oauth"), used in files, on the command line and in JSON
 */
const char *
certreq_usage_to_id (CertreqUsage usage)
{
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  return usages[usage].id;
}

/**
 * certreq_usage_from_id:
 * @id: a usage identifier
 * @out_usage: (out): return location for the usage
 *
 * Returns: %TRUE when @id is one of the stable identifiers (case-insensitive)
 */
gboolean
certreq_usage_from_id (const char   *id,
                       CertreqUsage *out_usage)
{
  guint i;

  g_return_val_if_fail (out_usage != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  for (i = 0; i < CERTREQ_N_USAGES; i++)
    {
      if (g_ascii_strcasecmp (id, usages[i].id) == 0)
        {
          *out_usage = (CertreqUsage) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * certreq_usage_get_label:
 * @usage: a #CertreqUsage
 *
 * Returns: the translated short label, e.g. "Server default"
 */
const char *
certreq_usage_get_label (CertreqUsage usage)
{
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  if (!usages[usage].translatable_label)
    return usages[usage].label;

  return _(usages[usage].label);
}

/**
 * certreq_usage_get_description:
 * @usage: a #CertreqUsage
 *
 * Returns: the translated one-line description, as the original wizard's
 *   status page words it
 */
const char *
certreq_usage_get_description (CertreqUsage usage)
{
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);

  return _(usages[usage].description);
}

/**
 * certreq_usage_flags_parse:
 * @list: a comma-separated list of usage identifiers, e.g. "default,web-internal"
 * @out_flags: (out): return location for the flags
 * @error: return location for a #GError
 *
 * Spaces around the identifiers are ignored, and so is a repeated identifier.
 *
 * Returns: %TRUE on success; %FALSE with an %CERTREQ_ERROR_INVALID_SUBJECT error
 *   naming the unknown identifier, or when the list is empty
 */
gboolean
certreq_usage_flags_parse (const char         *list,
                           CertreqUsageFlags  *out_flags,
                           GError            **error)
{
  g_auto(GStrv) parts = NULL;
  CertreqUsageFlags flags = CERTREQ_USAGE_FLAG_NONE;
  guint i;

  g_return_val_if_fail (out_flags != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parts = g_strsplit (list != NULL ? list : "", ",", -1);
  for (i = 0; parts[i] != NULL; i++)
    {
      CertreqUsage usage;
      char *id = g_strstrip (parts[i]);

      if (*id == '\0')
        continue;

      if (!certreq_usage_from_id (id, &usage))
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       /* Translators: %s is what the user typed; the identifiers
                        * after it are literal and must not be translated */
                       _("“%s” is not a certificate usage. Use default, web-internal, "
                         "web-external or oauth."),
                       id);
          return FALSE;
        }

      flags |= CERTREQ_USAGE_TO_FLAG (usage);
    }

  if (flags == CERTREQ_USAGE_FLAG_NONE)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Choose at least one certificate usage."));
      return FALSE;
    }

  *out_flags = flags;
  return TRUE;
}

/**
 * certreq_usage_flags_to_string:
 * @flags: usage flags
 *
 * Returns: (transfer full): the identifiers in usage order, comma-separated;
 *   an empty string for no usage
 */
char *
certreq_usage_flags_to_string (CertreqUsageFlags flags)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < CERTREQ_N_USAGES; i++)
    {
      if ((flags & CERTREQ_USAGE_TO_FLAG (i)) == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, usages[i].id);
    }

  return g_string_free (out, FALSE);
}
