/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-store.h"

G_BEGIN_DECLS

/* What an import does with the CA certificates it finds */
typedef enum
{
  CERTREQ_IMPORT_TRUST_NONE,          /* keep them only as the chain of the leaf */
  CERTREQ_IMPORT_TRUST_ROOT,          /* self-signed CA certs -> trust/roots, others -> trust/intermediates */
  CERTREQ_IMPORT_TRUST_INTERMEDIATE,  /* every CA cert -> trust/intermediates */
} CertreqImportTrust;

/* Everything found in a file: PEM (any number of CERTIFICATE and one PRIVATE KEY
 * block, CRLF tolerated), DER certificate, PKCS#7 .p7b (PEM or DER), PKCS#12
 * .pfx/.p12 (modern and legacy RC2-40/3DES: the legacy provider is loaded into a
 * private OSSL_LIB_CTX for that one parse, never globally). */
typedef struct
{
  GPtrArray  *certificates;    /* (element-type CertreqCertificate), file order */
  CertreqKey *key;             /* the private key in the file, or NULL */
  char       *friendly_name;   /* PKCS#12 friendlyName, or NULL */
  gboolean    is_pkcs12;
} CertreqImportContents;

void certreq_import_contents_free (CertreqImportContents *contents);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqImportContents, certreq_import_contents_free)

/* Parses @data. A PKCS#12 file needs @password ("" for none): a wrong one is
 * CERTREQ_ERROR_BAD_PASSWORD; a file with no certificate is BAD_FORMAT. */
CertreqImportContents *certreq_import_parse  (GBytes              *data,
                                              const char          *password,
                                              GError             **error);

typedef struct
{
  char      *thumbprint;       /* the leaf certificate stored, or NULL when the file held only CA certs */
  char      *pending_id;       /* the pending request the leaf completed, or NULL */
  gboolean   key_imported;     /* the key came from the file */
  GPtrArray *roots;            /* (element-type utf8) thumbprints added to trust/roots */
  GPtrArray *intermediates;    /* (element-type utf8) thumbprints added to trust/intermediates */
} CertreqImportResult;

void certreq_import_result_free (CertreqImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqImportResult, certreq_import_result_free)

/* Imports @data into the store under the lock, all or nothing: at most one leaf
 * (a non-CA certificate); its private key must come from the file, from a waiting
 * request in pending/ (which this completes: the key moves to keys/, metadata from
 * the request) or from keys/ — otherwise NOT_FOUND "matches no private key" and
 * nothing changes. A key from the file is saved 0600, marked @exportable.
 * CA certificates are handled as @trust says. @friendly_name (nullable) overrides. */
CertreqImportResult *certreq_import          (CertreqStore        *store,
                                              GBytes              *data,
                                              const char          *password,
                                              CertreqImportTrust   trust,
                                              gboolean             exportable,
                                              const char          *friendly_name,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* @password is copied and wiped after use */
void                 certreq_import_async    (CertreqStore        *store,
                                              GBytes              *data,
                                              const char          *password,
                                              CertreqImportTrust   trust,
                                              gboolean             exportable,
                                              const char          *friendly_name,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CertreqImportResult *certreq_import_finish   (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
