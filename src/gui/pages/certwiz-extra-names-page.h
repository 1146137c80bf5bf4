/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_EXTRA_NAMES_PAGE (certwiz_extra_names_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizExtraNamesPage, certwiz_extra_names_page, CERTWIZ, EXTRA_NAMES_PAGE,
                      CertwizPage)

GtkWidget *certwiz_extra_names_page_new (CertreqRequest *request,
                                         CertreqStore   *store);

G_END_DECLS
