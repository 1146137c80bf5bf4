/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_VIEW_ASSISTANT (certwiz_view_assistant_get_type ())
G_DECLARE_FINAL_TYPE (CertwizViewAssistant, certwiz_view_assistant, CERTWIZ, VIEW_ASSISTANT, GtkDialog)

/* "View Certificate" (wizard.md §3.27, DeployAssignedCertList): one pane, so a dialog, not
 * a GtkAssistant. Lists every certificate in @store with the usages it is assigned to;
 * View Certificate Details opens the certificate dialog. Destroys itself when closed. */
GtkWidget *certwiz_view_assistant_new (GtkWindow    *parent,
                                       CertreqStore *store);

G_END_DECLS
