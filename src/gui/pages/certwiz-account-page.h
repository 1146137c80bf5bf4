/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_ACCOUNT_PAGE (certwiz_account_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizAccountPage, certwiz_account_page, CERTWIZ, ACCOUNT_PAGE, CertwizPage)

GtkWidget *certwiz_account_page_new (CertreqRequest *request,
                                     CertreqStore   *store);

G_END_DECLS
