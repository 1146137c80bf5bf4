/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"
#include "certwiz-pending-assistant.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_PENDING_LIST_PAGE (certwiz_pending_list_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizPendingListPage, certwiz_pending_list_page, CERTWIZ,
                      PENDING_LIST_PAGE, CertwizPage)

/* Pending Certificate: the requests in pending/; choosing one that waits on an online CA
 * completes the page and sets the request's usages to the ones it was made for */
GtkWidget *certwiz_pending_list_page_new (CertreqRequest       *request,
                                          CertreqStore         *store,
                                          CertwizPendingChoice *choice);

G_END_DECLS
