/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_ASSIGN_SUMMARY_PAGE (certwiz_assign_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizAssignSummaryPage, certwiz_assign_summary_page, CERTWIZ,
                      ASSIGN_SUMMARY_PAGE, CertwizPage)

void certwiz_assign_summary_page_set (CertwizAssignSummaryPage *self,
                                      CertreqCertificate       *cert,
                                      CertreqUsageFlags         usages);

G_END_DECLS
