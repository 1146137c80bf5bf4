/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_REMOVE_ASSISTANT (certwiz_remove_assistant_get_type ())
G_DECLARE_FINAL_TYPE (CertwizRemoveAssistant, certwiz_remove_assistant, CERTWIZ, REMOVE_ASSISTANT,
                      GtkAssistant)

/* The "Remove Certificate" assistant (wizard.md §2.7): usages and what removal means →
 * Executing Commands → Finish. @usages (those with a certificate) are preselected.
 * It destroys itself when cancelled or finished. */
GtkWidget *certwiz_remove_assistant_new (GtkWindow         *parent,
                                         CertreqStore      *store,
                                         CertreqUsageFlags  usages);

G_END_DECLS
