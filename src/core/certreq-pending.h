/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-store.h"

G_BEGIN_DECLS

#define CERTREQ_OFFLINE_CA_ID "offline"

/* One entry of pending/, for "Process Pending Request" and `certwiz-cli pending list` */
typedef struct
{
  char                *id;             /* pending/<ID> */
  CertreqPendingState  state;
  char                *ca_id;          /* "offline" for an offline request */
  char                *ca_request_id;  /* the CA's request id, or NULL */
  char                *reason;         /* a denied request's reason, or NULL */
  char                *friendly_name;
  char                *common_name;
  CertreqUsageFlags    usages;
  GDateTime           *created;
} CertreqPendingInfo;

void certreq_pending_info_free (CertreqPendingInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqPendingInfo, certreq_pending_info_free)

/* Returns: (transfer full) (element-type CertreqPendingInfo): oldest first */
GPtrArray           *certreq_pending_list            (CertreqStore         *store,
                                                      GError              **error);
/* TRUE when a request waits on an online CA (state submitted or pending) */
gboolean             certreq_pending_has_retrievable (CertreqStore         *store);
gboolean             certreq_pending_state_is_retrievable (CertreqPendingState state,
                                                           gboolean            has_request_id);

/* Asks the request's CA about pending/<ID>: ISSUED stores the certificate with the
 * request's metadata and completes the entry (as certreq_enroll does); PENDING leaves
 * it; DENIED records the reason. Returns: (transfer full) */
CertreqSubmitResult *certreq_pending_retrieve        (CertreqStore         *store,
                                                      const char           *id,
                                                      CertreqProgressFunc   progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
void                 certreq_pending_retrieve_async  (CertreqStore         *store,
                                                      const char           *id,
                                                      CertreqProgressFunc   progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CertreqSubmitResult *certreq_pending_retrieve_finish (GAsyncResult         *result,
                                                      GError              **error);

/* Removes pending/<ID> with its key (the admin confirms first) */
gboolean             certreq_pending_clear           (CertreqStore         *store,
                                                      const char           *id,
                                                      GError              **error);

G_END_DECLS
