/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"
#include "certwiz-import-assistant.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_IMPORT_DONE_PAGE (certwiz_import_done_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizImportDonePage, certwiz_import_done_page, CERTWIZ,
                      IMPORT_DONE_PAGE, CertwizPage)

GtkWidget *certwiz_import_done_page_new (CertreqStore         *store,
                                         CertwizImportOptions *options);
/* A CUSTOM page: the Finish button (the action widget) closes the assistant. Signal
 * "assign" (no arguments) when the admin asks to assign the imported certificate. */
GtkWidget *certwiz_import_done_page_get_action_widget (CertwizImportDonePage *self);
void       certwiz_import_done_page_set_can_assign    (CertwizImportDonePage *self,
                                                       gboolean               can_assign);

G_END_DECLS
