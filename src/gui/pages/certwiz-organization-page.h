/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_ORGANIZATION_PAGE (certwiz_organization_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizOrganizationPage, certwiz_organization_page,
                      CERTWIZ, ORGANIZATION_PAGE, CertwizPage)

GtkWidget *certwiz_organization_page_new (CertreqRequest *request,
                                          CertreqStore   *store);

G_END_DECLS
