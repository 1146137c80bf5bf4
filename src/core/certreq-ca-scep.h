/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-ca-config.h"
#include "certreq-store.h"

G_BEGIN_DECLS

/* SCEP (RFC 8894): Microsoft NDES, Intune and many enterprise CAs speak it.
 *
 * One exchange: GetCACaps (the strongest digest and cipher the CA offers, POST or GET),
 * GetCACert (one CA certificate, or a certs-only PKCS#7 with the CA and its RA
 * certificates: the message is encrypted to the RA's encryption certificate), then
 * PKIOperation: PKCSReq carries the CSR (with the challenge password attribute, re-signed
 * with the request's key) inside an EnvelopedData, inside a SignedData signed by a
 * transient self-signed certificate over the request's key. The CertRep answers
 * SUCCESS (the certificate, encrypted back to that transient certificate), FAILURE
 * (failInfo, said in plain words: a DENIED result) or PENDING (the transactionID,
 * the SHA-256 of the public key in hex, is the request id; retrieve() polls with
 * CertPoll).
 *
 * The request's key must be set on the client (_certreq_ca_client_set_request_key) before
 * submit and retrieve. RSA keys only: SCEP encrypts the answer to the requester's key.
 * The challenge password: the account page's password, else the one configured. */

#define CERTREQ_TYPE_CA_SCEP (certreq_ca_scep_get_type ())
G_DECLARE_FINAL_TYPE (CertreqCaScep, certreq_ca_scep, CERTREQ, CA_SCEP, CertreqCaClient)

/* @config: copied (protocol SCEP, url the endpoint such as http://ndes/certsrv/mscep/mscep.dll
 * or http://host/scep). Returns: (transfer full): the client, or NULL with
 * INVALID_SUBJECT when @config has no usable URL */
CertreqCaClient *certreq_ca_scep_new (CertreqStore          *store,
                                      const CertreqCaConfig *config,
                                      GError               **error);

G_END_DECLS
