/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_REQUEST_FILE_DONE_PAGE (certwiz_request_file_done_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizRequestFileDonePage, certwiz_request_file_done_page, CERTWIZ,
                      REQUEST_FILE_DONE_PAGE, CertwizPage)

/* Certificate Request File, after generation (offline only): where the file is, View,
 * and what to do next. A CUSTOM page: its Finish button (the action widget) closes. */
GtkWidget *certwiz_request_file_done_page_new               (CertreqRequest             *request,
                                                             CertreqStore               *store);
void       certwiz_request_file_done_page_set_result        (CertwizRequestFileDonePage *self,
                                                             const CertreqSubmitResult  *result);
GtkWidget *certwiz_request_file_done_page_get_action_widget (CertwizRequestFileDonePage *self);

G_END_DECLS
