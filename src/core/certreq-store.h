/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "certreq-certificate.h"
#include "certreq-chain.h"
#include "certreq-key.h"
#include "certreq-request.h"
#include "certreq-server.h"
#include "certreq-usage.h"

G_BEGIN_DECLS

#define CERTREQ_MACHINE_STORE "/var/lib/certwiz"

#define CERTREQ_TYPE_STORE (certreq_store_get_type ())
G_DECLARE_FINAL_TYPE (CertreqStore, certreq_store, CERTREQ, STORE, GObject)

/* $CERTWIZ_STORE when set; else the machine's store, /var/lib/certwiz (an ordinary
 * user opens it read-only and changes it through the privileged helper) */
char         *certreq_store_default_path   (void);

/* Opens (and, if writable, creates) the store laid out as DESIGN.md says.
 * Rolls pending deployment journals forward or back. */
CertreqStore *certreq_store_open           (const char     *path,
                                            GError        **error);
const char   *certreq_store_get_path       (CertreqStore   *self);
gboolean      certreq_store_is_writable    (CertreqStore   *self);
/* Paths whose mode or owner is looser than the layout's, as translated sentences
 * naming each path; nothing is changed. Returns: (transfer full) (element-type utf8) */
GPtrArray    *certreq_store_check_permissions (CertreqStore *self);

/* ---- Lock: every mutation holds it; it is process-wide and recursive per store object ---- */
typedef struct _CertreqStoreLock CertreqStoreLock;
/* Waits up to @timeout_ms for the exclusive lock; LOCKED error after that */
CertreqStoreLock *certreq_store_lock       (CertreqStore   *self,
                                            guint           timeout_ms,
                                            GError        **error);
void          certreq_store_lock_release   (CertreqStoreLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqStoreLock, certreq_store_lock_release)

/* ---- Server profile (server.ini) ---- */
CertreqServer *certreq_store_load_server   (CertreqStore   *self,
                                            GError        **error);
gboolean      certreq_store_save_server    (CertreqStore   *self,
                                            CertreqServer  *server,
                                            GError        **error);

/* ---- Keys (keys/<KEY-ID>.pem, 0600; keys/<KEY-ID>.ini metadata) ---- */
gboolean      certreq_store_save_key       (CertreqStore   *self,
                                            CertreqKey     *key,
                                            gboolean        exportable,
                                            GError        **error);
CertreqKey   *certreq_store_load_key       (CertreqStore   *self,
                                            const char     *key_id,
                                            GError        **error);
gboolean      certreq_store_has_key        (CertreqStore   *self,
                                            const char     *key_id);
gboolean      certreq_store_key_is_exportable (CertreqStore *self,
                                            const char     *key_id);

/* ---- Certificates (certs/<THUMBPRINT>.pem, meta/<THUMBPRINT>.ini) ---- */
typedef struct
{
  char              *thumbprint;
  char              *friendly_name;
  CertreqUsageFlags  usages;        /* requested usages */
  char              *ca_id;         /* NULL when imported */
  char              *request_id;    /* the CA's request id, may be NULL */
  char              *pending_id;    /* the pending/<ID> it came from, may be NULL */
  GDateTime         *added;
} CertreqCertMeta;

void certreq_cert_meta_free (CertreqCertMeta *meta);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqCertMeta, certreq_cert_meta_free)

/* Stores @cert and its metadata; @chain (nullable, element-type CertreqCertificate)
 * is the chain the CA returned: kept in meta/<THUMBPRINT>.chain.pem. Idempotent. */
gboolean      certreq_store_add_certificate    (CertreqStore           *self,
                                                CertreqCertificate     *cert,
                                                GPtrArray              *chain,
                                                const CertreqCertMeta  *meta,
                                                GError                **error);
/* Returns: (transfer full) (element-type CertreqCertificate): sorted by friendly name */
GPtrArray    *certreq_store_list_certificates  (CertreqStore           *self,
                                                GError                **error);
/* @thumbprint in any case, with spaces or colons */
CertreqCertificate *certreq_store_find_certificate (CertreqStore       *self,
                                                const char             *thumbprint,
                                                GError                **error);
CertreqCertMeta *certreq_store_get_meta        (CertreqStore           *self,
                                                const char             *thumbprint);
/* The chain stored with the certificate. Returns: (transfer full), never NULL */
GPtrArray    *certreq_store_get_chain          (CertreqStore           *self,
                                                const char             *thumbprint);
gboolean      certreq_store_friendly_name_in_use (CertreqStore         *self,
                                                const char             *friendly_name);
gboolean      certreq_store_has_key_for        (CertreqStore           *self,
                                                CertreqCertificate     *cert);

/* ---- Renewal (meta/<THUMBPRINT>.request.ini, meta/<THUMBPRINT>.renewal.ini) ---- */
/* Keeps the request (no account name, no password) and its server profile */
gboolean        certreq_store_save_origin      (CertreqStore           *self,
                                                const char             *thumbprint,
                                                CertreqRequest         *request,
                                                GError                **error);
/* NOT_FOUND for a certificate Certwiz did not request (imported) */
CertreqRequest *certreq_store_load_origin      (CertreqStore           *self,
                                                const char             *thumbprint,
                                                GError                **error);

typedef struct
{
  guint      failures;       /* failed attempts since the last success */
  GDateTime *last_attempt;   /* nullable */
  GDateTime *next_attempt;   /* nullable: not before (back-off) */
  char      *last_error;     /* nullable: why the last attempt failed (translated) */
  char      *pending_id;     /* nullable: a renewal request the CA holds */
  char      *renewed_by;     /* nullable: the thumbprint of the certificate that replaced it */
} CertreqRenewalRecord;

void certreq_renewal_record_free (CertreqRenewalRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqRenewalRecord, certreq_renewal_record_free)

/* Returns: (transfer full): never NULL (an empty record when nothing happened yet) */
CertreqRenewalRecord *certreq_store_get_renewal_record (CertreqStore   *self,
                                                const char             *thumbprint);
gboolean        certreq_store_set_renewal_record (CertreqStore         *self,
                                                const char             *thumbprint,
                                                const CertreqRenewalRecord *record,
                                                GError                **error);

/* ---- Pending requests (pending/<ID>/: key.pem 0600, request.csr, request.ini with state) ---- */
typedef enum
{
  CERTREQ_PENDING_CREATED,
  CERTREQ_PENDING_SUBMITTED,
  CERTREQ_PENDING_PENDING,
  CERTREQ_PENDING_ISSUED,
  CERTREQ_PENDING_DENIED,
} CertreqPendingState;

const char   *certreq_pending_state_to_id      (CertreqPendingState state);

/* Writes the whole pending/<ID>/ (key, CSR, request fields, state "created")
 * before anything leaves the machine. Returns: (transfer full): the ID */
char         *certreq_store_pending_create     (CertreqStore           *self,
                                                CertreqRequest         *request,
                                                CertreqKey             *key,
                                                GBytes                 *csr_der,
                                                GError                **error);
gboolean      certreq_store_pending_set_state  (CertreqStore           *self,
                                                const char             *id,
                                                CertreqPendingState     state,
                                                const char             *ca_request_id,
                                                const char             *reason,
                                                GError                **error);
/* Moves the key to keys/, then removes pending/<ID>/ */
gboolean      certreq_store_pending_complete   (CertreqStore           *self,
                                                const char             *id,
                                                GError                **error);
gboolean      certreq_store_pending_remove     (CertreqStore           *self,
                                                const char             *id,
                                                GError                **error);
/* The saved request (no password), its key and CSR, and what the CA said */
CertreqRequest *certreq_store_pending_load_request (CertreqStore       *self,
                                                const char             *id,
                                                CertreqServer          *server,
                                                GError                **error);
CertreqKey   *certreq_store_pending_load_key   (CertreqStore           *self,
                                                const char             *id,
                                                GError                **error);
GBytes       *certreq_store_pending_get_csr    (CertreqStore           *self,
                                                const char             *id,
                                                GError                **error);
/* @out_ca: the CA id; @out_ca_request_id / @out_reason: NULL when the CA gave none */
gboolean      certreq_store_pending_get_info   (CertreqStore           *self,
                                                const char             *id,
                                                char                  **out_ca,
                                                char                  **out_ca_request_id,
                                                char                  **out_reason,
                                                GError                **error);
/* Returns: (transfer full) (element-type utf8): IDs of pending/ entries */
GPtrArray    *certreq_store_pending_list       (CertreqStore           *self);
gboolean      certreq_store_pending_get_state  (CertreqStore           *self,
                                                const char             *id,
                                                CertreqPendingState    *out_state,
                                                GError                **error);

/* ---- Trust (Certwiz's own, never the system's) ---- */
/* A self-signed CA certificate goes to trust/roots when @as_root, else to trust/intermediates.
 * A certificate that is not a CA, or not self-signed for a root, is an UNTRUSTED error. */
gboolean      certreq_store_trust_add          (CertreqStore           *self,
                                                CertreqCertificate     *cert,
                                                gboolean                as_root,
                                                GError                **error);
/* Returns: (transfer full) (element-type CertreqCertificate) */
GPtrArray    *certreq_store_get_trusted_roots  (CertreqStore           *self);
GPtrArray    *certreq_store_get_intermediates  (CertreqStore           *self);
/* Verifies @cert against system trust plus trust/roots, with intermediates from
 * @extra (nullable), the certificate's stored chain and trust/intermediates. */
CertreqChainResult *certreq_store_verify       (CertreqStore           *self,
                                                CertreqCertificate     *cert,
                                                GPtrArray              *extra,
                                                GError                **error);

/* ---- Usages (usages.ini) and deployment (archive/, live/) ---- */
/* Returns: (transfer full) (nullable): the thumbprint assigned to @usage */
char         *certreq_store_get_assigned       (CertreqStore           *self,
                                                CertreqUsage            usage);
/* Returns: (transfer full) (nullable): the thumbprint assigned before the current one */
char         *certreq_store_get_previous       (CertreqStore           *self,
                                                CertreqUsage            usage);
/* Returns: (transfer full) (nullable): the reload command's argv */
char        **certreq_store_get_reload_command (CertreqStore           *self,
                                                CertreqUsage            usage);
gboolean      certreq_store_set_reload_command (CertreqStore           *self,
                                                CertreqUsage            usage,
                                                const char * const     *argv,
                                                GError                **error);
/* The directory live/<usage> points to, or NULL */
char         *certreq_store_get_live_dir       (CertreqStore           *self,
                                                CertreqUsage            usage);

/* ---- Operation logs (log/, 0700; files 0600) ---- */
typedef struct _CertreqLog CertreqLog;
CertreqLog   *certreq_store_create_log         (CertreqStore           *self,
                                                const char             *operation,
                                                GError                **error);
void          certreq_log_printf               (CertreqLog             *log,
                                                const char             *format,
                                                ...) G_GNUC_PRINTF (2, 3);
const char   *certreq_log_get_path             (CertreqLog             *log);
void          certreq_log_free                 (CertreqLog             *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqLog, certreq_log_free)
/* Returns: (transfer full) (element-type utf8): log file paths, newest first */
GPtrArray    *certreq_store_list_logs          (CertreqStore           *self);

G_END_DECLS
