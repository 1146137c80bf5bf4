/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-store.h"

G_BEGIN_DECLS

typedef enum
{
  CERTREQ_EXPORT_PEM,        /* the certificate, PEM */
  CERTREQ_EXPORT_DER,        /* the certificate, DER */
  CERTREQ_EXPORT_CHAIN_P7B,  /* certificate and chain, PKCS#7 DER (.p7b) */
  CERTREQ_EXPORT_PFX,        /* certificate, chain and private key, PKCS#12 */
} CertreqExportFormat;

typedef enum
{
  CERTREQ_PFX_MODERN,        /* AES-256-CBC, PBKDF2, SHA-256 MAC */
  CERTREQ_PFX_COMPATIBLE,    /* 3DES, SHA-1 MAC: Windows Server 2016 and older */
} CertreqPfxProfile;

/* "modern" / "compatible" */
gboolean certreq_pfx_profile_from_id (const char        *id,
                                      CertreqPfxProfile *out_profile);

/* Exports the certificate @thumbprint. PFX needs a non-empty @password and a key
 * marked exportable (else CERTREQ_ERROR_NOT_EXPORTABLE); the PKCS#12 is parsed back
 * with @password before it is returned. Returns: (transfer full) */
GBytes  *certreq_export             (CertreqStore        *store,
                                     const char          *thumbprint,
                                     CertreqExportFormat  format,
                                     CertreqPfxProfile    profile,
                                     const char          *password,
                                     GError             **error);
/* The same, written atomically to @path (0600 for PFX, 0644 otherwise) */
gboolean certreq_export_to_file     (CertreqStore        *store,
                                     const char          *thumbprint,
                                     CertreqExportFormat  format,
                                     CertreqPfxProfile    profile,
                                     const char          *password,
                                     const char          *path,
                                     GError             **error);

G_END_DECLS
