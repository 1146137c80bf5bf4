/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-ca-config.h"
#include "certreq-store.h"

G_BEGIN_DECLS

/* Enrollment over Secure Transport (RFC 7030, updated by RFC 8951).
 *
 * The CA lives at <config->url>/.well-known/est[/<label>]/; the label is the request's
 * template name, else config->template_name. Every exchange is over verified TLS
 * (certreq-http), authenticated by HTTP Basic (config->auth BASIC: the account page's
 * credentials, else config->username and the configured password) or by a TLS client
 * certificate (config->auth CERT: config->client_cert and client_key).
 *
 * submit fetches /cacerts (the chain) and /csrattrs (what the CA wants in a request),
 * then POSTs the request to /simpleenroll. An answer of 202 Accepted is PENDING: EST
 * has no request ids, a client asks again by sending the very same request. The
 * result's request_id is therefore "<operation>:[<label>:]<sha-256 of the CSR DER>",
 * and retrieve finds that CSR among the store's pending/ entries and sends it again. */

#define CERTREQ_TYPE_CA_EST (certreq_ca_est_get_type ())
G_DECLARE_FINAL_TYPE (CertreqCaEst, certreq_ca_est, CERTREQ, CA_EST, CertreqCaClient)

/* @config: copied. INVALID_SUBJECT when the URL is not https or the label not a
 * path segment. Returns: (transfer full) */
CertreqCaClient *certreq_ca_est_new              (CertreqStore          *store,
                                                  const CertreqCaConfig *config,
                                                  GError               **error);

/* GET /cacerts: every CA certificate the server says its clients should trust.
 * Returns: (transfer full) (element-type CertreqCertificate) */
GPtrArray       *certreq_ca_est_get_ca_certs     (CertreqCaEst          *self,
                                                  GCancellable          *cancellable,
                                                  GError               **error);

/* One element of a CsrAttrs answer (RFC 7030 §4.5.2): a bare OID the CA wants in the
 * request (an attribute, an extension, a signature or key algorithm), or an attribute
 * with values (dotted OIDs, decimal integers, or the hex DER of anything else). */
typedef struct
{
  char  *oid;       /* dotted */
  char **values;    /* NULL for a bare OID */
} CertreqEstCsrAttr;

void             certreq_est_csr_attr_free       (CertreqEstCsrAttr     *attr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqEstCsrAttr, certreq_est_csr_attr_free)

/* GET /csrattrs. A server without any (204, 404) gives an empty array.
 * Returns: (transfer full) (element-type CertreqEstCsrAttr) */
GPtrArray       *certreq_ca_est_get_csr_attrs    (CertreqCaEst          *self,
                                                  GCancellable          *cancellable,
                                                  GError               **error);

/* What @attrs ask for that the request @csr_der does not have, as translated phrases
 * ("a challenge password", "an elliptic-curve key on the curve secp384r1", …).
 * Returns: (transfer full): NULL-terminated, empty when the request has everything */
char           **certreq_est_csr_attrs_unmet     (GPtrArray             *attrs,
                                                  GBytes                *csr_der);

/* POST /simplereenroll: renews with the current certificate as the TLS client
 * certificate (@client_cert, @client_key: PEM files), as RFC 7030 §4.2.2 asks; the
 * request must keep the certificate's subject. A PENDING answer is asked again by
 * calling this again with the same request (or by retrieve, when the configuration
 * names a client certificate). Returns: (transfer full) */
CertreqSubmitResult *certreq_ca_est_reenroll     (CertreqCaEst          *self,
                                                  GBytes                *csr_der,
                                                  const char            *client_cert,
                                                  const char            *client_key,
                                                  CertreqProgressFunc    progress,
                                                  gpointer               progress_data,
                                                  GCancellable          *cancellable,
                                                  GError               **error);

/* The parsers, for tests and for answers read elsewhere. @body is base64 of DER with
 * or without line breaks (RFC 8951 §3); plain DER is accepted too.
 * Returns: (transfer full) (element-type CertreqCertificate) */
GPtrArray       *certreq_est_parse_certs         (GBytes                *body,
                                                  GError               **error);
/* Returns: (transfer full) (element-type CertreqEstCsrAttr) */
GPtrArray       *certreq_est_parse_csr_attrs     (GBytes                *body,
                                                  GError               **error);

G_END_DECLS
