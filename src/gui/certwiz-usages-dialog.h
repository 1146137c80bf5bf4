/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_USAGES_DIALOG (certwiz_usages_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CertwizUsagesDialog, certwiz_usages_dialog, CERTWIZ, USAGES_DIALOG, GtkDialog)

/* Edits each usage's deployment configuration (CertreqUsageConfig); the core validates
 * and saves it. @usage is shown first. The dialog destroys itself when closed. */
GtkWidget *certwiz_usages_dialog_new (GtkWindow    *parent,
                                      CertreqStore *store,
                                      CertreqUsage  usage);

G_END_DECLS
