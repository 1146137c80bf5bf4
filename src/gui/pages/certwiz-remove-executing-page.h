/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_REMOVE_EXECUTING_PAGE (certwiz_remove_executing_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizRemoveExecutingPage, certwiz_remove_executing_page, CERTWIZ,
                      REMOVE_EXECUTING_PAGE, CertwizPage)

/* The usages prepare unassigns. Signal "succeeded" when done. */
void certwiz_remove_executing_page_set_usages (CertwizRemoveExecutingPage *self,
                                               CertreqUsageFlags           usages);

G_END_DECLS
