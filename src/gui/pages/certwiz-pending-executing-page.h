/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"
#include "certwiz-pending-assistant.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_PENDING_EXECUTING_PAGE (certwiz_pending_executing_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizPendingExecutingPage, certwiz_pending_executing_page, CERTWIZ,
                      PENDING_EXECUTING_PAGE, CertwizPage)

/* Executing Commands (Retrieve Pending Certificates): certreq_pending_retrieve_async from
 * prepare. Signal "succeeded" (no arguments) when the CA answered; the answer is then
 * certwiz_pending_executing_page_get_result(). */
GtkWidget                 *certwiz_pending_executing_page_new        (CertreqRequest       *request,
                                                                      CertreqStore         *store,
                                                                      CertwizPendingChoice *choice);
const CertreqSubmitResult *certwiz_pending_executing_page_get_result (CertwizPendingExecutingPage *self);
gboolean                   certwiz_pending_executing_page_is_busy    (CertwizPendingExecutingPage *self);
void                       certwiz_pending_executing_page_cancel     (CertwizPendingExecutingPage *self);

G_END_DECLS
