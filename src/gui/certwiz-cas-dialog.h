/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

/* Certification Authorities: add, edit and remove the CAs configured in cas.ini.
 * Changes go through the operation runner (in process or the privileged helper). */
#define CERTWIZ_TYPE_CAS_DIALOG (certwiz_cas_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CertwizCasDialog, certwiz_cas_dialog, CERTWIZ, CAS_DIALOG, GtkDialog)

GtkWidget *certwiz_cas_dialog_new (GtkWindow    *parent,
                                   CertreqStore *store);

G_END_DECLS
