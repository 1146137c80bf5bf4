/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_APPLICATION (certwiz_application_get_type ())
G_DECLARE_FINAL_TYPE (CertwizApplication, certwiz_application, CERTWIZ, APPLICATION, GtkApplication)

CertwizApplication *certwiz_application_new (void);
/* Sends a desktop notification for each certificate of @statuses (CertreqRenewalStatus)
 * that needs attention (certreq_renewal_status_needs_attention) in a state the desktop
 * was not told of yet; what was told is kept per store in the user's state directory.
 * Returns: how many notifications were sent */
guint               certwiz_application_notify_renewals (CertwizApplication *self,
                                                         CertreqStore       *store,
                                                         GPtrArray          *statuses);

G_END_DECLS
