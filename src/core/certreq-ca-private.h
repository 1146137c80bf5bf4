/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Progress marshalling shared by certreq-ca.c and certreq-enroll.c (STYLE.md §6.2), and
 * the request's key for the protocol clients. Never included from src/gui or src/cli. */

#ifndef CERTREQ_COMPILATION
#error "certreq-ca-private.h is for src/core only"
#endif

#include <gio/gio.h>

#include "certreq-ca.h"
#include "certreq-key.h"

G_BEGIN_DECLS

/* Carries progress from a GTask's worker thread to the task's main context, with at
 * most one update queued at a time (later reports overwrite the queued one). */
typedef struct _CertreqProgressRelay CertreqProgressRelay;

/* @progress may be NULL: then the relay reports nothing. */
CertreqProgressRelay *_certreq_progress_relay_new    (CertreqProgressFunc  progress,
                                                      gpointer             progress_data);
void                  _certreq_progress_relay_free   (CertreqProgressRelay *relay);
/* @task (unowned) must own @relay through its task data, so it outlives every report */
void                  _certreq_progress_relay_attach (CertreqProgressRelay *relay,
                                                      GTask                *task);
/* The CertreqProgressFunc for the worker (pass the relay as its user data), or NULL
 * when the caller gave no progress callback. */
CertreqProgressFunc   _certreq_progress_relay_get_func (CertreqProgressRelay *relay);

/* The request's private key and PKCS#10 (DER), for protocols that sign their messages
 * with the request's own key (SCEP's pkiMessage). certreq-enroll sets them before
 * submit, certreq-pending before retrieve. Both nullable; references are kept. */
void                  _certreq_ca_client_set_request_key (CertreqCaClient *self,
                                                          CertreqKey      *key,
                                                          GBytes          *csr_der);
/* Returns: (nullable) (transfer none) */
CertreqKey           *_certreq_ca_client_get_request_key (CertreqCaClient *self);
/* Returns: (nullable) (transfer none) */
GBytes               *_certreq_ca_client_get_request_csr (CertreqCaClient *self);

/* Renewal: the certificate the request replaces and that certificate's key, set by
 * certreq-enroll before submit (and by certreq-pending before retrieve) when the
 * request renews one. SCEP signs a RenewalReq with them, EST re-enrolls
 * (simplereenroll) authenticated by them, ACME names the certificate in the order's
 * "replaces" (RFC 9773). Both nullable; references are kept. */
void                  _certreq_ca_client_set_renewal (CertreqCaClient    *self,
                                                      CertreqCertificate *old_cert,
                                                      CertreqKey         *old_key);
/* Returns: (nullable) (transfer none) */
CertreqCertificate   *_certreq_ca_client_get_renewal_certificate (CertreqCaClient *self);
/* Returns: (nullable) (transfer none) */
CertreqKey           *_certreq_ca_client_get_renewal_key (CertreqCaClient *self);

G_END_DECLS
