/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_REMOVE_INTRO_PAGE (certwiz_remove_intro_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizRemoveIntroPage, certwiz_remove_intro_page, CERTWIZ,
                      REMOVE_INTRO_PAGE, CertwizPage)

/* The usages to assign a certificate to; complete when at least one is chosen */
void              certwiz_remove_intro_page_set_usages (CertwizRemoveIntroPage *self,
                                                        CertreqUsageFlags       usages);
CertreqUsageFlags certwiz_remove_intro_page_get_usages (CertwizRemoveIntroPage *self);

G_END_DECLS
