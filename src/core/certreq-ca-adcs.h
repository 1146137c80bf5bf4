/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-ca-config.h"
#include "certreq-store.h"

G_BEGIN_DECLS

/* Microsoft AD CS Web Enrollment (the /certsrv/ pages; protocols.md §2): submit to
 * certfnsh.asp with the template attribute, read the result page by its
 * language-neutral parts, download certnew.cer and certnew.p7b, check a pending request
 * with Mode=chkpnd. Authentication is the one configured (Basic over TLS, NTLM,
 * Negotiate from the Kerberos credential cache, or a TLS client certificate). */

#define CERTREQ_TYPE_CA_ADCS (certreq_ca_adcs_get_type ())
G_DECLARE_FINAL_TYPE (CertreqCaAdcs, certreq_ca_adcs, CERTREQ, CA_ADCS, CertreqCaClient)

CertreqCaClient    *certreq_ca_adcs_new                (CertreqStore          *store,
                                                        const CertreqCaConfig *config,
                                                        GError               **error);

/* The CA's signing certificate of its current renewal (certcarc.asp's nRenewals, then
 * certnew.cer?ReqID=CACert&Renewal=<n>). Synchronous. Returns: (transfer full) */
CertreqCertificate *certreq_ca_adcs_get_ca_certificate (CertreqCaAdcs         *self,
                                                        GCancellable          *cancellable,
                                                        GError               **error);

G_END_DECLS
