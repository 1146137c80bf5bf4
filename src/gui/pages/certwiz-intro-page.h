/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_INTRO_PAGE (certwiz_intro_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizIntroPage, certwiz_intro_page, CERTWIZ, INTRO_PAGE, CertwizPage)

GtkWidget *certwiz_intro_page_new (CertreqRequest *request,
                                   CertreqStore   *store);

G_END_DECLS
