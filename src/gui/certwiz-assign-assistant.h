/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_ASSIGN_ASSISTANT (certwiz_assign_assistant_get_type ())
G_DECLARE_FINAL_TYPE (CertwizAssignAssistant, certwiz_assign_assistant, CERTWIZ, ASSIGN_ASSISTANT,
                      GtkAssistant)

/* The "Certificate Assignment" assistant (wizard.md §2.5): usages → Certificate Store →
 * summary → Executing Commands → Finish. @usages are preselected on the first page;
 * @preselected_thumbprint (nullable) is selected in the list when it can serve them.
 * It destroys itself when cancelled or finished. */
GtkWidget *certwiz_assign_assistant_new (GtkWindow         *parent,
                                         CertreqStore      *store,
                                         CertreqUsageFlags  usages,
                                         const char        *preselected_thumbprint);

G_END_DECLS
