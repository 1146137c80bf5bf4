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
 * reload command runs (argv, no shell), usages.ini records the assignment, and the
 * usage's check endpoint, if any, must present the certificate (the live check).
 * If anything fails, every usage already switched is switched back and reloaded. */
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

/* ---- Usage configuration (usages.ini) and unassignment ---- */

/* Where a usage's files go besides live/<usage>, and how the service gets them.
 * With neither target_dir nor any *_path the service reads live/<usage>/ itself. */
typedef struct
{
  char      *target_dir;      /* cert.pem, chain.pem, fullchain.pem, privkey.pem in this directory */
  char      *cert_path;       /* or each file at a path of its own (each optional) */
  char      *key_path;
  char      *chain_path;
  char      *fullchain_path;
  char      *owner;           /* user name owning the deployed key (NULL: root) */
  char      *group;           /* group name of the deployed key (NULL: root's group) */
  guint      mode;            /* mode of the deployed key, 0 for 0600; at most 0640 */
  gboolean   copy;            /* copies written under a journal instead of links into live/ */
  char     **reload_argv;     /* run after deployment, no shell; NULL for none */
  char      *check;           /* host:port the service answers on: the live check's endpoint */
} CertreqUsageConfig;

CertreqUsageConfig *certreq_usage_config_new  (void);
CertreqUsageConfig *certreq_usage_config_copy (const CertreqUsageConfig *config);
void                certreq_usage_config_free (CertreqUsageConfig       *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqUsageConfig, certreq_usage_config_free)

/* Returns: (transfer full): the usage's configuration (defaults when none is set) */
CertreqUsageConfig *certreq_store_get_usage_config (CertreqStore             *store,
                                                    CertreqUsage              usage,
                                                    GError                  **error);
/* Validates (absolute paths, target_dir xor paths, existing owner and group, mode,
 * host:port) and writes usages.ini atomically. INVALID_SUBJECT names the field. */
gboolean            certreq_store_set_usage_config (CertreqStore             *store,
                                                    CertreqUsage              usage,
                                                    const CertreqUsageConfig *config,
                                                    GError                  **error);

/* Unassigns @usages: usages.ini forgets the current certificate (it becomes the
 * previous one); live/, archive/ and any deployed target stay as they are, so the
 * service keeps serving them until another certificate is assigned. The certificate
 * stays in the store. */
gboolean            certreq_unassign               (CertreqStore             *store,
                                                    CertreqUsageFlags         usages,
                                                    GError                  **error);

G_END_DECLS
