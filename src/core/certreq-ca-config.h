/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-http.h"
#include "certreq-key.h"
#include "certreq-store.h"

G_BEGIN_DECLS

/* Configured certification authorities: <store>/cas.ini, one group per CA, 0644 —
 * never a secret in it. Secrets (passwords, the EAB HMAC key, a SCEP challenge
 * password) come from a root-only file the admin names (mode 0600 or 0400, owned by the
 * running user; only the file's path is stored), else from the session's Secret Service
 * (org.freedesktop.secrets, spoken over GDBus: no libsecret at start-up), under the
 * attributes {application: io.github.certwiz.Certwiz, ca: NAME, kind: password |
 * eab-hmac | challenge-password}. */

typedef enum
{
  CERTREQ_CA_PROTOCOL_LOCAL,   /* the built-in lab CA (never in cas.ini) */
  CERTREQ_CA_PROTOCOL_ACME,
  CERTREQ_CA_PROTOCOL_SCEP,
  CERTREQ_CA_PROTOCOL_ADCS,
  CERTREQ_CA_PROTOCOL_EST,
} CertreqCaProtocol;

/* "local", "acme", "scep", "adcs", "est" */
const char *certreq_ca_protocol_to_id     (CertreqCaProtocol   protocol);
gboolean    certreq_ca_protocol_from_id   (const char         *id,
                                           CertreqCaProtocol  *out_protocol);
/* Translated, e.g. "ACME (RFC 8555)", "AD CS Web Enrollment" */
const char *certreq_ca_protocol_get_label (CertreqCaProtocol   protocol);
/* Which keys a protocol can certify (SCEP: RSA only; the others: every type) */
gboolean    certreq_ca_protocol_supports_key_type (CertreqCaProtocol protocol,
                                                   CertreqKeyType    key_type);

/* HTTP authentication as cas.ini and the CLI spell it: "none", "basic", "ntlm",
 * "negotiate", "cert" */
const char *certreq_ca_auth_to_id         (CertreqHttpAuth     auth);
gboolean    certreq_ca_auth_from_id       (const char         *id,
                                           CertreqHttpAuth    *out_auth);

typedef struct
{
  char              *name;                     /* the id: [a-z0-9][a-z0-9._-]*, not "local" */
  CertreqCaProtocol  protocol;
  char              *url;                      /* ACME directory, SCEP endpoint, /certsrv/ base, EST base */
  char              *trust_bundle;             /* PEM of extra trusted CAs for TLS, or NULL */
  /* ACME */
  char              *contact;                  /* e-mail, or NULL */
  char              *eab_kid;                  /* External Account Binding key id, or NULL */
  char              *eab_hmac_file;            /* its base64url HMAC key, root-only file */
  char              *http01;                   /* "listen:ADDR:PORT" or "webroot:DIR", or NULL */
  char              *dns01_hook;               /* command run with ACTION DOMAIN TOKEN-VALUE, or NULL */
  /* AD CS, EST, SCEP */
  char              *template_name;            /* AD CS certificate template; EST label */
  CertreqHttpAuth    auth;
  char              *username;
  char              *password_file;            /* root-only file; NULL: Secret Service */
  char              *client_cert;              /* TLS client certificate (PEM) */
  char              *client_key;               /* its key (PEM, root-only) */
  char              *challenge_password_file;  /* SCEP challenge password, root-only file */
} CertreqCaConfig;

CertreqCaConfig *certreq_ca_config_new   (void);
CertreqCaConfig *certreq_ca_config_copy  (const CertreqCaConfig *config);
void             certreq_ca_config_free  (CertreqCaConfig       *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqCaConfig, certreq_ca_config_free)

/* Checks names, URL (https for everything but SCEP, which is plain HTTP by design),
 * files that must exist, root-only secret files, options that belong to the protocol.
 * INVALID_SUBJECT names the field. */
gboolean         certreq_ca_config_validate (const CertreqCaConfig *config,
                                             GError               **error);

/* Returns: (transfer full) (element-type CertreqCaConfig): cas.ini, by name */
GPtrArray       *certreq_store_list_cas   (CertreqStore          *store,
                                           GError               **error);
/* Returns: (transfer full): NOT_FOUND for an unknown name */
CertreqCaConfig *certreq_store_get_ca     (CertreqStore          *store,
                                           const char            *name,
                                           GError               **error);
/* Adds or replaces (validated first, atomic write under the lock) */
gboolean         certreq_store_set_ca     (CertreqStore          *store,
                                           const CertreqCaConfig *config,
                                           GError               **error);
gboolean         certreq_store_remove_ca  (CertreqStore          *store,
                                           const char            *name,
                                           GError               **error);

typedef enum
{
  CERTREQ_CA_SECRET_PASSWORD,            /* HTTP authentication */
  CERTREQ_CA_SECRET_EAB_HMAC,
  CERTREQ_CA_SECRET_CHALLENGE_PASSWORD,
} CertreqCaSecret;

/* The secret, from its file or the Secret Service. NOT_FOUND when none is configured.
 * Returns: (transfer full): wipe it after use (OPENSSL_cleanse) */
char            *certreq_ca_config_get_secret (const CertreqCaConfig *config,
                                               CertreqCaSecret        kind,
                                               GError               **error);
/* Stores @secret in the Secret Service for this CA (the GUI's account page).
 * PERMISSION when the session has no Secret Service. */
gboolean         certreq_ca_config_store_secret (const CertreqCaConfig *config,
                                                 CertreqCaSecret        kind,
                                                 const char            *secret,
                                                 GError               **error);

/* A CA id that is a URL (http:// or https://): "request --ca URL", "Specify another
 * certification authority" */
gboolean         certreq_ca_id_is_url (const char *ca_id);

/* The protocol of @ca_id without any network traffic: "local"; a configured CA's; a
 * URL's as detected earlier in this process, else as its shape says. FALSE when it
 * cannot be told (unknown id, a URL of no known shape not yet probed). */
gboolean         certreq_ca_protocol_for_id (CertreqStore       *store,
                                             const char         *ca_id,
                                             CertreqCaProtocol  *out_protocol);

/* "Specify another certification authority": which protocol @url speaks, from the URL
 * (…/directory → ACME, …/certsrv → AD CS, …/.well-known/est → EST, …/pkiclient.exe or
 * …/scep → SCEP) confirmed by a probe (ACME directory JSON, SCEP GetCACaps, EST
 * /cacerts, the certsrv page). @trust_bundle: (nullable).
 * Returns: TRUE with @out_protocol, or FALSE with a sentence saying what was found */
gboolean         certreq_ca_detect_protocol (const char           *url,
                                             const char           *trust_bundle,
                                             CertreqCaProtocol    *out_protocol,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* A temporary configuration for @url: the protocol detected (certreq_ca_detect_protocol),
 * named after the URL's host. Not saved. Returns: (transfer full) */
CertreqCaConfig *certreq_ca_config_new_for_url (const char           *url,
                                                const char           *trust_bundle,
                                                GCancellable         *cancellable,
                                                GError              **error);

/* The factory behind certreq_ca_client_new_for_id() for everything but "local": a CA
 * configured in cas.ini by name, or a URL (detected, then a temporary configuration).
 * NOT_FOUND for an unknown name or a protocol this build does not include. */
CertreqCaClient *certreq_ca_client_new_for_config (CertreqStore          *store,
                                                   const CertreqCaConfig *config,
                                                   GError               **error);

G_END_DECLS
