/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

/* The request chosen on the list page; the assistant owns it, the pages edit it */
typedef struct
{
  char *pending_id;   /* pending/<ID> to retrieve, or NULL */
} CertwizPendingChoice;

#define CERTWIZ_TYPE_PENDING_ASSISTANT (certwiz_pending_assistant_get_type ())
G_DECLARE_FINAL_TYPE (CertwizPendingAssistant, certwiz_pending_assistant, CERTWIZ,
                      PENDING_ASSISTANT, GtkAssistant)

/* "Process Pending Request" (reference/wizard.md §2.4): the waiting requests → Executing
 * Commands (retrieve) → the Online Certificate Request Status page. Destroys itself when
 * cancelled or finished. */
GtkWidget *certwiz_pending_assistant_new (GtkWindow    *parent,
                                          CertreqStore *store,
                                          GError      **error);

G_END_DECLS
