/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"
#include "certwiz-import-assistant.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_IMPORT_SUMMARY_PAGE (certwiz_import_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizImportSummaryPage, certwiz_import_summary_page, CERTWIZ,
                      IMPORT_SUMMARY_PAGE, CertwizPage)

GtkWidget *certwiz_import_summary_page_new (CertreqStore         *store,
                                         CertwizImportOptions *options);

G_END_DECLS
