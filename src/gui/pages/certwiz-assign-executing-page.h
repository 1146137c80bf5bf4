/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_ASSIGN_EXECUTING_PAGE (certwiz_assign_executing_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizAssignExecutingPage, certwiz_assign_executing_page, CERTWIZ,
                      ASSIGN_EXECUTING_PAGE, CertwizPage)

/* What prepare assigns. Signal "succeeded" when the assignment is done. */
void     certwiz_assign_executing_page_set     (CertwizAssignExecutingPage *self,
                                                CertreqCertificate         *cert,
                                                CertreqUsageFlags           usages);
gboolean certwiz_assign_executing_page_is_busy (CertwizAssignExecutingPage *self);
void     certwiz_assign_executing_page_cancel  (CertwizAssignExecutingPage *self);

G_END_DECLS
