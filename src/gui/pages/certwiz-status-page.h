/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_STATUS_PAGE (certwiz_status_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizStatusPage, certwiz_status_page, CERTWIZ, STATUS_PAGE, CertwizPage)

/* "Online Certificate Request Status" (a GTK_ASSISTANT_PAGE_CUSTOM page) */
GtkWidget *certwiz_status_page_new               (CertreqRequest            *request,
                                                  CertreqStore              *store);
/* What the CA said; copied. The page shows it when prepared. */
void       certwiz_status_page_set_result        (CertwizStatusPage         *self,
                                                  const CertreqSubmitResult *result);
/* A renewal instead: what it did (or @error); copied. Finish then only closes: the
 * renewal has reassigned the usages already. */
void       certwiz_status_page_set_renewal       (CertwizStatusPage         *self,
                                                  const CertreqRenewResult  *result,
                                                  const GError              *error);
/* The page's own "_Finish" button, for gtk_assistant_add_action_widget(). When pressed it
 * assigns (if chosen), then emits GtkAssistant::close on the assistant. */
GtkWidget *certwiz_status_page_get_action_widget (CertwizStatusPage         *self);

G_END_DECLS
