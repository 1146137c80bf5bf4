/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "certreq-certificate.h"
#include "certreq-key.h"

G_BEGIN_DECLS

/* One TLS handshake with @endpoint (HOST:PORT): the SHA-1 thumbprint of the leaf
 * certificate the service presents. With @client_cert and @client_key the handshake
 * presents them (MTLS), with the intermediates in @client_chain (nullable). No chain
 * verification: the thumbprint is compared by the caller. */
char *certreq_live_check_fetch (const char          *endpoint,
                                const char          *server_name,
                                CertreqCertificate  *client_cert,
                                CertreqKey          *client_key,
                                GPtrArray           *client_chain,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GError             **error);

G_END_DECLS
