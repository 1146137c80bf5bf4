/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "certreq-usage.h"

G_BEGIN_DECLS

#define CERTREQ_TYPE_SERVER (certreq_server_get_type ())
G_DECLARE_FINAL_TYPE (CertreqServer, certreq_server, CERTREQ, SERVER, GObject)

/* A profile pre-filled from the machine: fqdn = the host's FQDN, the rest empty. */
CertreqServer *certreq_server_new                   (void);
/* Reads server.ini; a missing file gives certreq_server_new()'s defaults. */
CertreqServer *certreq_server_load                  (const char         *path,
                                                     GError            **error);
/* Validates, then writes server.ini atomically (0644). */
gboolean       certreq_server_save                  (CertreqServer      *self,
                                                     const char         *path,
                                                     GError            **error);
CertreqServer *certreq_server_copy                  (CertreqServer      *self);
/* The profile as a group of a key file (pending requests and renewal keep a copy) */
CertreqServer *certreq_server_new_from_key_file     (GKeyFile           *key_file,
                                                     const char         *group);
void           certreq_server_to_key_file           (CertreqServer      *self,
                                                     GKeyFile           *key_file,
                                                     const char         *group);

/* Every property notifies on change. String getters never return NULL: "" when unset. */

const char    *certreq_server_get_fqdn              (CertreqServer      *self);
void           certreq_server_set_fqdn              (CertreqServer      *self,
                                                     const char         *fqdn);
const char    *certreq_server_get_pool_fqdn         (CertreqServer      *self);
void           certreq_server_set_pool_fqdn         (CertreqServer      *self,
                                                     const char         *fqdn);
const char    *certreq_server_get_web_internal_fqdn (CertreqServer      *self);
void           certreq_server_set_web_internal_fqdn (CertreqServer      *self,
                                                     const char         *fqdn);
const char    *certreq_server_get_web_external_fqdn (CertreqServer      *self);
void           certreq_server_set_web_external_fqdn (CertreqServer      *self,
                                                     const char         *fqdn);
/* NULL-terminated; never NULL (empty vector when unset). The first SIP domain is the primary one. */
const char * const *certreq_server_get_sip_domains  (CertreqServer      *self);
void           certreq_server_set_sip_domains       (CertreqServer      *self,
                                                     const char * const *domains);
const char * const *certreq_server_get_simple_urls  (CertreqServer      *self);
void           certreq_server_set_simple_urls       (CertreqServer      *self,
                                                     const char * const *urls);

/* Every field: FQDN syntax, no duplicates. Error names the field. */
gboolean       certreq_server_validate              (CertreqServer      *self,
                                                     GError            **error);

/* The names one usage must cover, as DESIGN's usage table says. @sip_domains
 * are the SIP domains chosen for sip.<domain> names (NULL: none).
 * Returns: (transfer full): NULL-terminated, de-duplicated, in order. */
char         **certreq_server_get_usage_names       (CertreqServer      *self,
                                                     CertreqUsage        usage,
                                                     const char * const *sip_domains);
/* The union over @usages, de-duplicated, the subject name first. */
char         **certreq_server_derive_names          (CertreqServer      *self,
                                                     CertreqUsageFlags   usages,
                                                     const char * const *sip_domains);
/* The subject common name for @usages: the first name of the first chosen usage
 * ("" when there is none). */
char          *certreq_server_derive_common_name    (CertreqServer      *self,
                                                     CertreqUsageFlags   usages);

/* FQDN syntax: labels 1-63 of letters, digits and hyphens (not at either end),
 * total <= 253, a wildcard only as the whole left-most label when @allow_wildcard.
 * @field is the translated field name used in the message. */
gboolean       certreq_validate_fqdn                (const char         *name,
                                                     const char         *field,
                                                     gboolean            allow_wildcard,
                                                     GError            **error);

G_END_DECLS
