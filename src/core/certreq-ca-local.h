/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-store.h"

G_BEGIN_DECLS

#define CERTREQ_TYPE_CA_LOCAL (certreq_ca_local_get_type ())
G_DECLARE_FINAL_TYPE (CertreqCaLocal, certreq_ca_local, CERTREQ, CA_LOCAL, CertreqCaClient)

/* The built-in lab CA in <store>/local-ca/. Nothing is created until first use. */
CertreqCaClient    *certreq_ca_local_new       (CertreqStore    *store);

/* Creates the CA on first use: a P-256 root "Certwiz Lab Root CA (<server fqdn>)",
 * basicConstraints CA:TRUE pathlen:0, keyCertSign|cRLSign, and name constraints
 * permitting only the server profile's domains. Returns: (transfer full) */
CertreqCertificate *certreq_ca_local_get_root  (CertreqCaLocal  *self,
                                                GError         **error);

/* Issues a certificate for the request in @csr_der (signature checked, names checked
 * against the name constraints), with the requested DNS names and EKUs, 397 days.
 * Returns: (transfer full) */
CertreqCertificate *certreq_ca_local_issue     (CertreqCaLocal  *self,
                                                GBytes          *csr_der,
                                                GError         **error);

/* ---- Hold for approval (local-ca/hold, local-ca/requests/<ID>/) ----
 * While hold is on, submit answers PENDING with a request id and keeps the CSR;
 * approve issues it (retrieve then answers ISSUED), deny records the reason
 * (retrieve then answers DENIED). Everything survives restarts. */
gboolean            certreq_ca_local_get_hold  (CertreqCaLocal  *self);
gboolean            certreq_ca_local_set_hold  (CertreqCaLocal  *self,
                                                gboolean         hold,
                                                GError         **error);
/* Returns: (transfer full) (element-type utf8): ids of requests waiting for a decision */
GPtrArray          *certreq_ca_local_list_held (CertreqCaLocal  *self,
                                                GError         **error);
gboolean            certreq_ca_local_approve   (CertreqCaLocal  *self,
                                                const char      *request_id,
                                                GError         **error);
gboolean            certreq_ca_local_deny      (CertreqCaLocal  *self,
                                                const char      *request_id,
                                                const char      *reason,
                                                GError         **error);

G_END_DECLS
