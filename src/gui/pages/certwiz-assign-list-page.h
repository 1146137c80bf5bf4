/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_ASSIGN_LIST_PAGE (certwiz_assign_list_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizAssignListPage, certwiz_assign_list_page, CERTWIZ,
                      ASSIGN_LIST_PAGE, CertwizPage)

/* The usages the certificate must serve; the list is rebuilt when the page is shown.
 * @preselected (nullable): the thumbprint to select when it is a valid candidate. */
void                certwiz_assign_list_page_set_usages      (CertwizAssignListPage *self,
                                                              CertreqUsageFlags      usages,
                                                              const char            *preselected);
/* Returns: (transfer none) (nullable): the chosen certificate; the page is complete
 * when one that can serve every usage is selected */
CertreqCertificate *certwiz_assign_list_page_get_certificate (CertwizAssignListPage *self);

G_END_DECLS
