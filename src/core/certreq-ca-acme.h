/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-ca-config.h"
#include "certreq-store.h"

G_BEGIN_DECLS

#define CERTREQ_TYPE_CA_ACME (certreq_ca_acme_get_type ())
G_DECLARE_FINAL_TYPE (CertreqCaAcme, certreq_ca_acme, CERTREQ, CA_ACME, CertreqCaClient)

/* An ACME (RFC 8555) certification authority. @config->url is the directory URL.
 * The account key (ES256, P-256) and the account URL live in
 * <store>/acme/<config->name>/ (0700; the key 0600 from creation); the account is
 * registered on the first request (contact e-mail, terms of service agreed — configuring
 * the CA is the admin's agreement —, External Account Binding when @config->eab_kid is
 * set). Control of the names is proved by http-01 (@config->http01: "listen:ADDR:PORT"
 * for a built-in listener, or "webroot:DIR") or dns-01 (@config->dns01_hook, run as
 * HOOK present|cleanup _acme-challenge.DOMAIN VALUE, without a shell).
 * Submit answers ISSUED (leaf + chain), DENIED (the CA refused a name, a challenge
 * failed, the CSR was refused: the reason names the ACME error type), or PENDING with
 * the order URL as request id when the CA is still processing after the deadline;
 * retrieve asks about that order again.
 * Returns: (transfer full): the client, or NULL with INVALID_SUBJECT naming the field */
CertreqCaClient    *certreq_ca_acme_new                  (CertreqStore          *store,
                                                          const CertreqCaConfig *config,
                                                          GError               **error);

/* The URLs of the alternate chains (Link rel="alternate") the CA offered with the
 * last certificate this client downloaded. Returns: (transfer none) (nullable) */
const char * const *certreq_ca_acme_get_alternate_chains (CertreqCaAcme         *self);

G_END_DECLS
