/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_MODE_PAGE (certwiz_mode_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizModePage, certwiz_mode_page, CERTWIZ, MODE_PAGE, CertwizPage)

GtkWidget *certwiz_mode_page_new (CertreqRequest *request,
                                  CertreqStore   *store);

G_END_DECLS
