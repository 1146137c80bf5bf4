/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_SERVER_DIALOG (certwiz_server_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CertwizServerDialog, certwiz_server_dialog, CERTWIZ, SERVER_DIALOG, GtkDialog)

/* Edits the store's server profile; Save validates it in the core and writes server.ini,
 * then the dialog responds GTK_RESPONSE_OK. */
GtkWidget *certwiz_server_dialog_new (GtkWindow    *parent,
                                      CertreqStore *store);

G_END_DECLS
