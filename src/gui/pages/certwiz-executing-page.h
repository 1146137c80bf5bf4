/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_EXECUTING_PAGE (certwiz_executing_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizExecutingPage, certwiz_executing_page, CERTWIZ, EXECUTING_PAGE, CertwizPage)

/* "Executing Commands": runs certreq_enroll_async() from prepare. Signal "succeeded"
 * (no arguments) when the CA answered (issued, pending or denied); the answer is then
 * certwiz_executing_page_get_result(). */
GtkWidget                 *certwiz_executing_page_new        (CertreqRequest       *request,
                                                              CertreqStore         *store);
const CertreqSubmitResult *certwiz_executing_page_get_result (CertwizExecutingPage *self);
/* A renewal (the request replaces a certificate) runs certwiz_runner_renew_async() and
 * emits "succeeded" also when it failed: its outcome, or NULL and @error */
const CertreqRenewResult  *certwiz_executing_page_get_renew_result (CertwizExecutingPage  *self,
                                                                    const GError         **error);
gboolean                   certwiz_executing_page_is_busy    (CertwizExecutingPage *self);
/* Cancels the running request, if any; the page then says what was (not) sent */
void                       certwiz_executing_page_cancel     (CertwizExecutingPage *self);

G_END_DECLS
