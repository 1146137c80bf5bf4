/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"
#include "certwiz-import-assistant.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_IMPORT_EXECUTING_PAGE (certwiz_import_executing_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizImportExecutingPage, certwiz_import_executing_page, CERTWIZ,
                      IMPORT_EXECUTING_PAGE, CertwizPage)

GtkWidget *certwiz_import_executing_page_new (CertreqStore         *store,
                                         CertwizImportOptions *options);
/* Signal "succeeded" (no arguments) when the import is done; options->result is set */
gboolean   certwiz_import_executing_page_is_busy (CertwizImportExecutingPage *self);
void       certwiz_import_executing_page_cancel  (CertwizImportExecutingPage *self);

G_END_DECLS
