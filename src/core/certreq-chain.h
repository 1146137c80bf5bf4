/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-certificate.h"

G_BEGIN_DECLS

typedef enum
{
  CERTREQ_CHAIN_TRUSTED,
  CERTREQ_CHAIN_UNTRUSTED_ROOT,      /* the chain ends in a root nobody trusts */
  CERTREQ_CHAIN_MISSING_ISSUER,      /* an intermediate (or the root) is not available */
  CERTREQ_CHAIN_EXPIRED,
  CERTREQ_CHAIN_NOT_YET_VALID,
  CERTREQ_CHAIN_BAD_SIGNATURE,
  CERTREQ_CHAIN_INVALID,             /* any other verification failure (constraints, purpose...) */
} CertreqChainStatus;

typedef struct
{
  CertreqCertificate *certificate;
  CertreqChainStatus  status;        /* this element's own status */
  gboolean            trusted_root;  /* a trust anchor */
} CertreqChainElement;

typedef struct
{
  CertreqChainStatus  status;
  /* Leaf first, as far as it could be built. (element-type CertreqChainElement) */
  GPtrArray          *elements;
  /* The certificate the problem is about (the untrusted root, the one whose issuer
   * is missing, the expired one); NULL when trusted. */
  CertreqCertificate *problem_certificate;
  /* For MISSING_ISSUER: the issuer's distinguished name that could not be found */
  char               *missing_issuer;
  /* A translated sentence that names the problem and the certificate (subject and
   * thumbprint), e.g. "The root certificate “Certwiz Lab Root” (3F…) is not trusted." */
  char               *message;
  /* OpenSSL's verify code, for logs */
  int                 openssl_code;
} CertreqChainResult;

void certreq_chain_result_free (CertreqChainResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqChainResult, certreq_chain_result_free)

/* Translated short status word, e.g. "This certificate is OK." */
const char *certreq_chain_status_to_string (CertreqChainStatus status);

/* Builds and verifies @leaf's chain for TLS server use.
 * @untrusted: intermediates that may be used (element-type CertreqCertificate), or NULL
 * @roots: trust anchors (element-type CertreqCertificate), or NULL
 * @use_system_trust: also trust the operating system's default CA store
 * @when: verification time, NULL for now
 * Returns: (transfer full): never NULL unless an internal error occurred (then @error is set) */
CertreqChainResult *certreq_chain_verify (CertreqCertificate *leaf,
                                          GPtrArray          *untrusted,
                                          GPtrArray          *roots,
                                          gboolean            use_system_trust,
                                          GDateTime          *when,
                                          GError            **error);

G_END_DECLS
