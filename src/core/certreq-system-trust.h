/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "certreq-certificate.h"

G_BEGIN_DECLS

/* The operating system's trust (Debian's ca-certificates), apart from Certwiz's own
 * trust/roots: adding a root there is a separate action the admin confirms, never a
 * side effect of trusting it for Certwiz (DESIGN.md, "Trust").
 *
 * Tests point both at their own directory and command through the environment:
 * CERTWIZ_SYSTEM_TRUST_DIR (default /usr/local/share/ca-certificates) and
 * CERTWIZ_SYSTEM_TRUST_UPDATE (default /usr/sbin/update-ca-certificates; an argv,
 * split like a shell would but run without one). */

/* Returns: (transfer full): where roots are added */
char     *certreq_system_trust_get_dir        (void);
/* Returns: (transfer full): the command that rebuilds the system's bundle */
char    **certreq_system_trust_get_update_argv (GError             **error);
/* Returns: (transfer full): the file @root would be written to,
 * <dir>/certwiz-<THUMBPRINT>.crt */
char     *certreq_system_trust_get_path       (CertreqCertificate  *root);
/* Writes @root (a self-signed CA certificate, else UNTRUSTED) as PEM, 0644, to
 * certreq_system_trust_get_path() and runs the update command (DEPLOY error when
 * it fails; a file it added is then removed again). The caller asks first. */
gboolean  certreq_system_trust_add            (CertreqCertificate  *root,
                                               GError             **error);

G_END_DECLS
