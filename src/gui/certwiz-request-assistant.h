/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_REQUEST_ASSISTANT (certwiz_request_assistant_get_type ())
G_DECLARE_FINAL_TYPE (CertwizRequestAssistant, certwiz_request_assistant, CERTWIZ, REQUEST_ASSISTANT,
                      GtkAssistant)

/* The "Certificate Request" assistant. It owns one CertreqRequest for @server with
 * @usages preselected (R5) and hands it, with @store, to every page. It destroys itself
 * when cancelled or finished. */
GtkWidget      *certwiz_request_assistant_new         (GtkWindow         *parent,
                                                       CertreqStore      *store,
                                                       CertreqServer     *server,
                                                       CertreqUsageFlags  usages);
/* Renew: the request the certificate @thumbprint came from (certreq_store_load_origin),
 * replacing it; the assistant opens on its summary and its Executing Commands page
 * renews (certwiz_runner_renew_async). NULL with @error for a certificate Certwiz did
 * not request. */
GtkWidget      *certwiz_request_assistant_new_renewal (GtkWindow         *parent,
                                                       CertreqStore      *store,
                                                       const char        *thumbprint,
                                                       GError           **error);
CertreqRequest *certwiz_request_assistant_get_request (CertwizRequestAssistant *self);
CertreqStore   *certwiz_request_assistant_get_store   (CertwizRequestAssistant *self);

G_END_DECLS
