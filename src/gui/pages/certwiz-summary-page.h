/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_SUMMARY_PAGE (certwiz_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizSummaryPage, certwiz_summary_page, CERTWIZ, SUMMARY_PAGE, CertwizPage)

GtkWidget *certwiz_summary_page_new (CertreqRequest *request,
                                     CertreqStore   *store);

G_END_DECLS
