/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "certreq-key.h"
#include "certreq-server.h"
#include "certreq-csr.h"

G_BEGIN_DECLS

typedef struct _CertreqStore CertreqStore;

#define CERTREQ_DEFAULT_TEMPLATE "WebServer"
#define CERTREQ_LOCAL_CA_ID "local"

#define CERTREQ_TYPE_REQUEST (certreq_request_get_type ())
G_DECLARE_FINAL_TYPE (CertreqRequest, certreq_request, CERTREQ, REQUEST, GObject)

/* The model the assistant's pages edit (R5). String getters never return NULL ("" when
 * unset); the "template" property is the alternate template as entered.
 * Every setter notifies its property;
 * "names" and "common-name" are derived and notify when their inputs change.
 * Properties: server (construct-only), usages, online, ca-id, use-credentials, username,
 * password, use-template, template, friendly-name, key-type, exportable, organization,
 * organizational-unit, country, state, locality, sip-domains, extra-names, replaces,
 * reuse-key,
 * common-name (read-only), names (read-only). */
CertreqRequest    *certreq_request_new                   (CertreqServer      *server);
/* Deep copy, for a worker thread (R10) */
CertreqRequest    *certreq_request_copy                  (CertreqRequest     *self);

CertreqServer     *certreq_request_get_server            (CertreqRequest     *self);
CertreqUsageFlags  certreq_request_get_usages            (CertreqRequest     *self);
void               certreq_request_set_usages            (CertreqRequest     *self,
                                                          CertreqUsageFlags   usages);
gboolean           certreq_request_get_online            (CertreqRequest     *self);
void               certreq_request_set_online            (CertreqRequest     *self,
                                                          gboolean            online);
/* Offline requests: where the PKCS#10 PEM file is written */
const char        *certreq_request_get_request_file      (CertreqRequest     *self);
void               certreq_request_set_request_file      (CertreqRequest     *self,
                                                          const char         *path);
const char        *certreq_request_get_ca_id             (CertreqRequest     *self);
void               certreq_request_set_ca_id             (CertreqRequest     *self,
                                                          const char         *ca_id);
gboolean           certreq_request_get_use_credentials   (CertreqRequest     *self);
void               certreq_request_set_use_credentials   (CertreqRequest     *self,
                                                          gboolean            use);
const char        *certreq_request_get_username          (CertreqRequest     *self);
void               certreq_request_set_username          (CertreqRequest     *self,
                                                          const char         *username);
/* Kept in memory only, wiped on change and finalize; never saved or logged */
const char        *certreq_request_get_password          (CertreqRequest     *self);
void               certreq_request_set_password          (CertreqRequest     *self,
                                                          const char         *password);
gboolean           certreq_request_get_use_template      (CertreqRequest     *self);
void               certreq_request_set_use_template      (CertreqRequest     *self,
                                                          gboolean            use);
/* The template name: the alternate one when use-template is set, else "WebServer" */
const char        *certreq_request_get_template          (CertreqRequest     *self);
void               certreq_request_set_template          (CertreqRequest     *self,
                                                          const char         *name);
const char        *certreq_request_get_friendly_name     (CertreqRequest     *self);
void               certreq_request_set_friendly_name     (CertreqRequest     *self,
                                                          const char         *name);
/* The friendly name, or the one generated when it was left empty ("<CN> <YYYY-MM-DD>") */
char              *certreq_request_get_effective_friendly_name (CertreqRequest *self);
/* The same, made unique in @store (nullable) with " (2)", " (3)"... when generated */
char              *certreq_request_generate_friendly_name (CertreqRequest *self,
                                                          CertreqStore   *store);
CertreqKeyType     certreq_request_get_key_type          (CertreqRequest     *self);
void               certreq_request_set_key_type          (CertreqRequest     *self,
                                                          CertreqKeyType      type);
gboolean           certreq_request_get_exportable        (CertreqRequest     *self);
void               certreq_request_set_exportable        (CertreqRequest     *self,
                                                          gboolean            exportable);
const char        *certreq_request_get_organization      (CertreqRequest     *self);
void               certreq_request_set_organization      (CertreqRequest     *self,
                                                          const char         *value);
const char        *certreq_request_get_organizational_unit (CertreqRequest   *self);
void               certreq_request_set_organizational_unit (CertreqRequest   *self,
                                                          const char         *value);
const char        *certreq_request_get_country           (CertreqRequest     *self);
void               certreq_request_set_country           (CertreqRequest     *self,
                                                          const char         *code);
const char        *certreq_request_get_state             (CertreqRequest     *self);
void               certreq_request_set_state             (CertreqRequest     *self,
                                                          const char         *value);
const char        *certreq_request_get_locality          (CertreqRequest     *self);
void               certreq_request_set_locality          (CertreqRequest     *self,
                                                          const char         *value);
/* The SIP domains (of the server profile's) chosen for sip.<domain> names.
 * A new request chooses the primary SIP domain. */
const char * const *certreq_request_get_sip_domains      (CertreqRequest     *self);
void               certreq_request_set_sip_domains       (CertreqRequest     *self,
                                                          const char * const *domains);
const char * const *certreq_request_get_extra_names      (CertreqRequest     *self);
void               certreq_request_set_extra_names       (CertreqRequest     *self,
                                                          const char * const *names);
/* Validates @name (FQDN, wildcard allowed, not already among the names) and appends it */
gboolean           certreq_request_add_extra_name        (CertreqRequest     *self,
                                                          const char         *name,
                                                          GError            **error);
void               certreq_request_remove_extra_name     (CertreqRequest     *self,
                                                          const char         *name);

/* Renewal: the SHA-1 thumbprint of the certificate this request replaces ("" for a
 * new request), and whether the new certificate keeps that certificate's key */
const char        *certreq_request_get_replaces          (CertreqRequest     *self);
void               certreq_request_set_replaces          (CertreqRequest     *self,
                                                          const char         *thumbprint);
gboolean           certreq_request_get_reuse_key         (CertreqRequest     *self);
void               certreq_request_set_reuse_key         (CertreqRequest     *self,
                                                          gboolean            reuse);

/* Derived from the server profile and the chosen usages and SIP domains */
char              *certreq_request_get_common_name       (CertreqRequest     *self);
/* Derived names followed by the extra names, de-duplicated. Returns: (transfer full) */
char             **certreq_request_get_names             (CertreqRequest     *self);

/* Page validators: each returns FALSE with an INVALID_SUBJECT error whose
 * translated message names the field. */
gboolean certreq_request_validate_usages       (CertreqRequest *self, GError **error);
gboolean certreq_request_validate_ca           (CertreqRequest *self, GError **error);
/* Offline only: an absolute path whose directory exists and that is not a directory */
gboolean certreq_request_validate_request_file (CertreqRequest *self, GError **error);
gboolean certreq_request_validate_account      (CertreqRequest *self, GError **error);
gboolean certreq_request_validate_template     (CertreqRequest *self, GError **error);
/* @store (nullable) is asked whether the friendly name is already in use */
gboolean certreq_request_validate_basics       (CertreqRequest *self, CertreqStore *store,
                                                GError **error);
gboolean certreq_request_validate_organization (CertreqRequest *self, GError **error);
gboolean certreq_request_validate_geography    (CertreqRequest *self, GError **error);
gboolean certreq_request_validate_names        (CertreqRequest *self, GError **error);
/* The key type against the CA's protocol (SCEP: RSA only). @store (nullable) knows
 * the configured CAs; never goes to the network (certreq_ca_protocol_for_id). */
gboolean certreq_request_validate_key_type     (CertreqRequest *self, CertreqStore *store,
                                                GError **error);
/* Every validator above, in page order */
gboolean certreq_request_validate              (CertreqRequest *self, CertreqStore *store,
                                                GError **error);

/* The PKCS#10 content: subject, names, and the EKU (serverAuth; clientAuth too with default) */
CertreqCsrSpec *certreq_request_get_csr_spec   (CertreqRequest *self);

/* Saves / restores every field except the password (pending entries, renewal) */
void            certreq_request_to_key_file    (CertreqRequest *self, GKeyFile *key_file,
                                                const char *group);
CertreqRequest *certreq_request_new_from_key_file (CertreqServer *server, GKeyFile *key_file,
                                                   const char *group, GError **error);

G_END_DECLS
