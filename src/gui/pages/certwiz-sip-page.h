/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_SIP_PAGE (certwiz_sip_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizSipPage, certwiz_sip_page, CERTWIZ, SIP_PAGE, CertwizPage)

GtkWidget *certwiz_sip_page_new (CertreqRequest *request,
                                 CertreqStore   *store);

G_END_DECLS
