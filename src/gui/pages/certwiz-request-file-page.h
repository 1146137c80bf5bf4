/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_REQUEST_FILE_PAGE (certwiz_request_file_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizRequestFilePage, certwiz_request_file_page, CERTWIZ,
                      REQUEST_FILE_PAGE, CertwizPage)

/* Certificate Request File (offline only): where the PKCS#10 request is written */
GtkWidget *certwiz_request_file_page_new (CertreqRequest *request,
                                          CertreqStore   *store);

G_END_DECLS
