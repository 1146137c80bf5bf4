/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *code;   /* ISO 3166-1 alpha-2, upper case */
  char *name;   /* translated through iso-codes' iso_3166-1 domain */
} CertreqCountry;

/* Every ISO 3166-1 country from Debian's iso-codes, sorted by translated name.
 * Returns: (transfer container) (element-type CertreqCountry): shared entries, do not free them. */
GPtrArray  *certreq_country_list      (void);
/* Upper-case alpha-2 code known to iso-codes. */
gboolean    certreq_country_is_valid  (const char *code);
const char *certreq_country_get_name  (const char *code);

G_END_DECLS
