/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internals shared between core files. Never included from src/gui or src/cli. */

#ifndef CERTREQ_COMPILATION
#error "certreq-private.h is for src/core only"
#endif

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <glib/gi18n-lib.h>

#include "certreq.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_REQ, X509_REQ_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_NAME, X509_NAME_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE, X509_STORE_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE_CTX, X509_STORE_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_EXTENSION, X509_EXTENSION_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_NAMES, GENERAL_NAMES_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free_all)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_INTEGER, ASN1_INTEGER_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

/* Drains this thread's OpenSSL error queue into @error: "@message (details)" */
void        _certreq_set_error_from_openssl (GError      **error,
                                             CertreqError  code,
                                             const char   *message);

/* temp file in the same directory created with @mode, write, fsync, rename, fsync dir */
gboolean    _certreq_write_file_atomic      (const char   *path,
                                             const void   *data,
                                             gsize         length,
                                             int           mode,
                                             GError      **error);
/* mkdir -p with @mode for every directory created; checks an existing one is a directory */
gboolean    _certreq_ensure_dir             (const char   *path,
                                             int           mode,
                                             GError      **error);
gboolean    _certreq_fsync_dir              (const char   *path,
                                             GError      **error);
/* lower-case hex of @data */
char       *_certreq_hex                    (const guint8 *data,
                                             gsize         length,
                                             gboolean      upper);

/* Borrowed; OpenSSL objects stay inside the thread that uses them (R19) or are
 * only read (EVP_PKEY and X509 are safe to read concurrently in OpenSSL 3) */
EVP_PKEY           *_certreq_key_get_pkey             (CertreqKey   *key);
CertreqKey         *_certreq_key_new_take             (EVP_PKEY     *pkey);
X509               *_certreq_certificate_get_x509     (CertreqCertificate *cert);
CertreqCertificate *_certreq_certificate_new_take     (X509         *x509);
/* Lower-case hex SHA-256 of @pkey's DER SubjectPublicKeyInfo (the key id), and
 * optionally that DER; NULL on an encoding failure (certreq-key.c) */
char               *_certreq_pubkey_id                (EVP_PKEY     *pkey,
                                                       GBytes      **out_der);

/* ---- Store internals (certreq-store.c), for certreq-assign.c and certreq-ca-local.c ---- */
/* <store>/<first>/<...> */
char     *_certreq_store_build_path          (CertreqStore  *store,
                                              const char    *first_element,
                                              ...) G_GNUC_NULL_TERMINATED;
/* usages.ini: @thumbprint becomes @usage's current certificate and the old current
 * its previous one; @thumbprint NULL unassigns. Written atomically; caller holds the lock. */
gboolean  _certreq_store_record_assignment   (CertreqStore  *store,
                                              CertreqUsage   usage,
                                              const char    *thumbprint,
                                              GError       **error);
/* journal/<usage>.switch: live/<usage> is about to be switched to @set_dir (written
 * before the switch; cleared by the record of the assignment, its restoration, or a
 * switch that failed), so that certreq_store_open() finishes an assignment a crash
 * interrupted between the switch and its record. Caller holds the lock. */
gboolean  _certreq_store_mark_switch         (CertreqStore  *store,
                                              CertreqUsage   usage,
                                              const char    *set_dir,
                                              GError       **error);
gboolean  _certreq_store_clear_switch        (CertreqStore  *store,
                                              CertreqUsage   usage,
                                              GError       **error);
/* @usage's assignment record in usages.ini (current, previous, assigned, unassigned;
 * "" for each key absent), and its exact restoration by a rollback; caller holds the lock */
char    **_certreq_store_save_assignment     (CertreqStore  *store,
                                              CertreqUsage   usage);
gboolean  _certreq_store_restore_assignment  (CertreqStore        *store,
                                              CertreqUsage         usage,
                                              const char * const  *record,
                                              GError             **error);

/* ---- CA factory (certreq-ca-config.c), for certreq-ca.c ---- */
/* certreq_ca_client_new_for_id() for a configured CA's name or a URL */
CertreqCaClient *_certreq_ca_client_new_configured (CertreqStore  *store,
                                                    const char    *ca_id,
                                                    GError       **error);

/* ---- Deployment journals (certreq-assign.c) ---- */
/* Rolls every interrupted copy deployment forward or back; certreq_store_open()
 * calls it with the lock held */
void      _certreq_deploy_recover            (CertreqStore  *store);
/* The journal a copy deployment writes before switching live/<usage> (for tests) */
gboolean  _certreq_deploy_write_journal      (CertreqStore              *store,
                                              CertreqUsage               usage,
                                              const char                *from_dir,
                                              const char                *to_dir,
                                              const CertreqUsageConfig  *config,
                                              GError                   **error);

/* ---- Request operation internals (certreq-enroll.c), shared with certreq-pending.c
 * and certreq-import.c ---- */
/* Stores an ISSUED @result's certificate (for @key) with its chain and @request's
 * metadata, moves the key to keys/ and removes pending/<@pending_id>, exactly as
 * certreq_enroll() does. @log is nullable. */
gboolean    _certreq_enroll_store_issued    (CertreqStore        *store,
                                             CertreqRequest      *request,
                                             CertreqLog          *log,
                                             const char          *pending_id,
                                             CertreqKey          *key,
                                             CertreqSubmitResult *result,
                                             GError             **error);
/* For a request that renews a certificate: gives @client that certificate and its key */
gboolean    _certreq_enroll_set_renewal     (CertreqStore        *store,
                                             CertreqCaClient     *client,
                                             CertreqRequest      *request,
                                             GError             **error);
/* Translated display name of CERTREQ_OFFLINE_CA_ID */
const char *_certreq_offline_ca_name        (void);

G_END_DECLS
