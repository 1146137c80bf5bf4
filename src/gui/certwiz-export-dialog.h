/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_EXPORT_DIALOG (certwiz_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CertwizExportDialog, certwiz_export_dialog, CERTWIZ, EXPORT_DIALOG, GtkDialog)

/* Exports @certificate from @store: PFX with its key (profile modern or compatible,
 * password and confirmation), PEM, DER or the chain as .p7b. A key not marked exportable
 * makes the PFX choice insensitive, with the reason. The dialog destroys itself when closed. */
GtkWidget *certwiz_export_dialog_new (GtkWindow          *parent,
                                      CertreqStore       *store,
                                      CertreqCertificate *certificate);

G_END_DECLS
