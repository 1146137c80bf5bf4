/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CERTWIZ_TYPE_APPLICATION (certwiz_application_get_type ())
G_DECLARE_FINAL_TYPE (CertwizApplication, certwiz_application, CERTWIZ, APPLICATION, GtkApplication)

CertwizApplication *certwiz_application_new (void);

G_END_DECLS
