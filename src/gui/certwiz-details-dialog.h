/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_DETAILS_DIALOG (certwiz_details_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CertwizDetailsDialog, certwiz_details_dialog, CERTWIZ, DETAILS_DIALOG, GtkDialog)

/* The certificate dialog: General, Details and Certification Path.
 * @store (nullable): gives the private key state, the friendly name and Certwiz's trust;
 * @chain (nullable) (element-type CertreqCertificate): intermediates that came with the
 * certificate (e.g. the CA's response). The dialog destroys itself when closed. */
GtkWidget *certwiz_details_dialog_new (GtkWindow          *parent,
                                       CertreqCertificate *certificate,
                                       CertreqStore       *store,
                                       GPtrArray          *chain);

G_END_DECLS
