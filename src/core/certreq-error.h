/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CERTREQ_ERROR (certreq_error_quark ())
GQuark certreq_error_quark (void);

/**
 * CertreqError:
 * @CERTREQ_ERROR_INVALID_SUBJECT: a request or profile field is not valid; the message names the field
 * @CERTREQ_ERROR_KEY_GENERATION: the key could not be generated
 * @CERTREQ_ERROR_CRYPTO: an OpenSSL operation failed
 * @CERTREQ_ERROR_NETWORK: the CA could not be reached
 * @CERTREQ_ERROR_CA_REJECTED: the CA refused the request
 * @CERTREQ_ERROR_PROTOCOL: the CA answered something we cannot use
 * @CERTREQ_ERROR_STORE: the store could not be read or written
 * @CERTREQ_ERROR_LOCKED: another process holds the store's lock
 * @CERTREQ_ERROR_NOT_FOUND: no such certificate, key, usage or pending request
 * @CERTREQ_ERROR_BAD_FORMAT: a file or text is not in a format we understand
 * @CERTREQ_ERROR_UNTRUSTED: the certificate chain does not verify
 * @CERTREQ_ERROR_NOT_ASSIGNABLE: a certificate cannot serve a usage
 * @CERTREQ_ERROR_DEPLOY: deployment or the reload command failed
 * @CERTREQ_ERROR_PERMISSION: the store is not writable by this process
 * @CERTREQ_ERROR_BAD_PASSWORD: the password of a PKCS#12 file is wrong
 * @CERTREQ_ERROR_NOT_EXPORTABLE: the private key is not marked exportable
 */
typedef enum
{
  CERTREQ_ERROR_INVALID_SUBJECT,
  CERTREQ_ERROR_KEY_GENERATION,
  CERTREQ_ERROR_CRYPTO,
  CERTREQ_ERROR_NETWORK,
  CERTREQ_ERROR_CA_REJECTED,
  CERTREQ_ERROR_PROTOCOL,
  CERTREQ_ERROR_STORE,
  CERTREQ_ERROR_LOCKED,
  CERTREQ_ERROR_NOT_FOUND,
  CERTREQ_ERROR_BAD_FORMAT,
  CERTREQ_ERROR_UNTRUSTED,
  CERTREQ_ERROR_NOT_ASSIGNABLE,
  CERTREQ_ERROR_DEPLOY,
  CERTREQ_ERROR_PERMISSION,
  CERTREQ_ERROR_BAD_PASSWORD,
  CERTREQ_ERROR_NOT_EXPORTABLE,
} CertreqError;

/* Call once from main(), before any thread exists: binds the gettext domain,
 * initialises libcurl and OpenSSL. */
void certreq_init (void);

G_END_DECLS
