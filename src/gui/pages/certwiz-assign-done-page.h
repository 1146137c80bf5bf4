/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_ASSIGN_DONE_PAGE (certwiz_assign_done_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizAssignDonePage, certwiz_assign_done_page, CERTWIZ,
                      ASSIGN_DONE_PAGE, CertwizPage)

/* @cert (nullable) */
void certwiz_assign_done_page_set (CertwizAssignDonePage *self,
                                   CertreqCertificate    *cert,
                                   CertreqUsageFlags      usages);

G_END_DECLS
