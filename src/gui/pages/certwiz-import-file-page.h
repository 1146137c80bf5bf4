/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"
#include "certwiz-import-assistant.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_IMPORT_FILE_PAGE (certwiz_import_file_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizImportFilePage, certwiz_import_file_page, CERTWIZ, IMPORT_FILE_PAGE,
                      CertwizPage)

/* Import Certificate (wizard.md §3.22): file, private key and password, CA certificates,
 * friendly name. @options is borrowed from the assistant and outlives the page. */
GtkWidget *certwiz_import_file_page_new (CertreqStore         *store,
                                         CertwizImportOptions *options);

G_END_DECLS
