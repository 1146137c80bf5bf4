/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-request.h"
#include "certreq-store.h"

G_BEGIN_DECLS

/* The whole request operation (DESIGN "Request lifecycle"): validate the request,
 * generate the key, write pending/<ID>/ (key, CSR, state "created"), submit to the
 * request's CA, record what it said, and for an issued certificate store it with its
 * metadata and move the key to keys/. Everything is logged to log/.
 * Cancelled before submission: the pending entry is removed, nothing is left behind.
 * Returns: (transfer full): what the CA said, with pending_id and log_path set */
CertreqSubmitResult *certreq_enroll        (CertreqStore         *store,
                                            CertreqRequest       *request,
                                            CertreqProgressFunc   progress,
                                            gpointer              progress_data,
                                            GCancellable         *cancellable,
                                            GError              **error);
/* @request is copied before the worker starts; @progress runs in the caller's main context */
void                 certreq_enroll_async  (CertreqStore         *store,
                                            CertreqRequest       *request,
                                            CertreqProgressFunc   progress,
                                            gpointer              progress_data,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
CertreqSubmitResult *certreq_enroll_finish (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
