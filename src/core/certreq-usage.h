/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CERTREQ_USAGE_DEFAULT,
  CERTREQ_USAGE_WEB_INTERNAL,
  CERTREQ_USAGE_WEB_EXTERNAL,
  CERTREQ_USAGE_OAUTH,
} CertreqUsage;

#define CERTREQ_N_USAGES 4

typedef enum
{
  CERTREQ_USAGE_FLAG_NONE         = 0,
  CERTREQ_USAGE_FLAG_DEFAULT      = 1 << CERTREQ_USAGE_DEFAULT,
  CERTREQ_USAGE_FLAG_WEB_INTERNAL = 1 << CERTREQ_USAGE_WEB_INTERNAL,
  CERTREQ_USAGE_FLAG_WEB_EXTERNAL = 1 << CERTREQ_USAGE_WEB_EXTERNAL,
  CERTREQ_USAGE_FLAG_OAUTH        = 1 << CERTREQ_USAGE_OAUTH,
} CertreqUsageFlags;

#define CERTREQ_USAGE_FLAGS_STANDARD \
  (CERTREQ_USAGE_FLAG_DEFAULT | CERTREQ_USAGE_FLAG_WEB_INTERNAL | CERTREQ_USAGE_FLAG_WEB_EXTERNAL)

#define CERTREQ_USAGE_TO_FLAG(u) ((CertreqUsageFlags) (1 << (u)))

/* Stable identifiers: "default", "web-internal", "web-external", "oauth" */
const char *certreq_usage_to_id            (CertreqUsage       usage);
gboolean    certreq_usage_from_id          (const char        *id,
                                            CertreqUsage      *out_usage);
/* Translated short label: "Server default", "Web services internal", ... */
const char *certreq_usage_get_label        (CertreqUsage       usage);
/* Translated one-line description as in the original wizard */
const char *certreq_usage_get_description  (CertreqUsage       usage);

/* "default,web-internal" -> flags; an unknown id or an empty list is an
 * INVALID_SUBJECT error naming the id. */
gboolean    certreq_usage_flags_parse      (const char        *list,
                                            CertreqUsageFlags *out_flags,
                                            GError           **error);
/* flags -> "default,web-internal" */
char       *certreq_usage_flags_to_string  (CertreqUsageFlags  flags);

G_END_DECLS
