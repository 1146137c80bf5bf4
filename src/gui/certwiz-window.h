/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"
#include "certwiz-application.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_WINDOW (certwiz_window_get_type ())
G_DECLARE_FINAL_TYPE (CertwizWindow, certwiz_window, CERTWIZ, WINDOW, GtkApplicationWindow)

GtkWidget    *certwiz_window_new       (CertwizApplication *application);
/* Hands the opened store to the window (or @error when it could not be opened) */
void          certwiz_window_set_store (CertwizWindow      *self,
                                        CertreqStore       *store,
                                        const char         *path,
                                        const GError       *error);
CertreqStore *certwiz_window_get_store (CertwizWindow      *self);
/* Re-reads the usages' assignments from the store */
void          certwiz_window_refresh   (CertwizWindow      *self);
/* Selects the usages served by the certificate @thumbprint (a notification's action) */
void          certwiz_window_select_certificate (CertwizWindow *self,
                                                 const char    *thumbprint);
/* Makes @assistant the window's assistant (another assistant opened it, e.g. Assign… on
 * Import Certificate's last page): the window refreshes when it closes */
void          certwiz_window_adopt_assistant (CertwizWindow *self,
                                              GtkWidget     *assistant);

G_END_DECLS
