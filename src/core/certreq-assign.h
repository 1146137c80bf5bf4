/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-store.h"

G_BEGIN_DECLS

typedef enum
{
  CERTREQ_VERDICT_OK,
  CERTREQ_VERDICT_WARNING,   /* assignable, with a caveat (default usage without clientAuth) */
  CERTREQ_VERDICT_REFUSED,
} CertreqVerdictKind;

typedef struct
{
  CertreqUsage        usage;
  CertreqVerdictKind  kind;
  char               *reason;   /* translated sentence; NULL when OK */
} CertreqUsageVerdict;

void certreq_usage_verdict_free (CertreqUsageVerdict *verdict);

/* The per-usage checks, in this order: private key present, valid now, chain trusted,
 * EKU allows the usage, names cover the usage's names (from the server profile).
 * @out_chain: (out) (optional): the chain verification result.
 * Returns: (transfer full) (element-type CertreqUsageVerdict): one per usage in @usages */
GPtrArray *certreq_assign_check   (CertreqStore        *store,
                                   CertreqCertificate  *cert,
                                   CertreqUsageFlags    usages,
                                   CertreqChainResult **out_chain,
                                   GError             **error);

/* All-or-nothing: every usage must pass its checks (warnings allowed); then each
 * usage's set is deployed (archive/<usage>/<n>/ + link swap of live/<usage>), its
 * reload command runs (argv, no shell), and usages.ini records the assignment.
 * If anything fails, every usage already switched is switched back. */
gboolean   certreq_assign         (CertreqStore        *store,
                                   CertreqCertificate  *cert,
                                   CertreqUsageFlags    usages,
                                   GCancellable        *cancellable,
                                   GError             **error);
void       certreq_assign_async   (CertreqStore        *store,
                                   CertreqCertificate  *cert,
                                   CertreqUsageFlags    usages,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean   certreq_assign_finish  (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
