/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-key.h"
#include "certreq-certificate.h"

G_BEGIN_DECLS

/* What goes into a PKCS#10 request. All strings may be NULL except common_name. */
typedef struct
{
  char       *common_name;
  char       *organization;
  char       *organizational_unit;
  char       *country;           /* alpha-2 */
  char       *state;
  char       *locality;
  char      **dns_names;         /* subjectAltName DNS entries, NULL-terminated */
  CertreqEku  eku;               /* serverAuth, plus clientAuth for the default usage */
} CertreqCsrSpec;

CertreqCsrSpec *certreq_csr_spec_copy (const CertreqCsrSpec *spec);
void            certreq_csr_spec_free (CertreqCsrSpec       *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqCsrSpec, certreq_csr_spec_free)

/* Builds and signs (SHA-256) a PKCS#10 request with subject, SAN, key usage
 * (digitalSignature, plus keyEncipherment for RSA) and extended key usage.
 * Returns: (transfer full): DER bytes */
GBytes *certreq_csr_create      (const CertreqCsrSpec *spec,
                                 CertreqKey           *key,
                                 GError              **error);
char   *certreq_csr_der_to_pem  (GBytes               *der);
/* PEM or DER -> DER, signature checked */
GBytes *certreq_csr_parse       (const char           *data,
                                 gsize                 length,
                                 GError              **error);
/* Parses a request back: subject fields, DNS names and EKU; the signature is verified.
 * Returns: (transfer full) */
CertreqCsrSpec *certreq_csr_get_spec (GBytes          *der,
                                      GError         **error);
/* Lower-case hex SHA-256 of the request's SubjectPublicKeyInfo */
char   *certreq_csr_get_key_id  (GBytes               *der,
                                 GError              **error);

G_END_DECLS
