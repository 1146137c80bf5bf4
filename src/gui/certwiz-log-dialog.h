/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CERTWIZ_TYPE_LOG_DIALOG (certwiz_log_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CertwizLogDialog, certwiz_log_dialog, CERTWIZ, LOG_DIALOG, GtkDialog)

/* Shows the operation log at @path, read-only. The dialog destroys itself when closed. */
GtkWidget *certwiz_log_dialog_new (GtkWindow  *parent,
                                   const char *path);

G_END_DECLS
