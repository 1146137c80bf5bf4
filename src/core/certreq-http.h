/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The one libcurl wrapper (DESIGN.md, certreq-http). Every CA protocol's HTTP goes
 * through it:
 * - TLS is always verified: the system's trust plus, optionally, a per-CA PEM bundle.
 *   Nothing turns verification off.
 * - Proxies: the environment (http_proxy, https_proxy, no_proxy, as libcurl reads them)
 *   and GIO's proxy resolver (GNOME's settings) when the environment names none.
 * - Timeouts: connect and total, per client.
 * - Cancellation: a cancelled GCancellable stops a transfer within 100 ms
 *   (G_IO_ERROR_CANCELLED).
 * - One connection is reused for every request of one CertreqHttp (keep-alive), so an
 *   exchange (ACME: directory, nonce, account, order, …) pays for TLS once.
 * - libcurl is initialised on first use (curl_global_init is thread-safe in 7.88), never
 *   at program start.
 * A CertreqHttp is used from one thread at a time. Errors: CERTREQ_ERROR_NETWORK with
 * a translated sentence naming the host and the reason (cannot resolve, connection
 * refused, timed out, TLS certificate not trusted with OpenSSL's reason, …). HTTP error
 * statuses are NOT errors: the caller reads the status. */

typedef enum
{
  CERTREQ_HTTP_AUTH_NONE,
  CERTREQ_HTTP_AUTH_BASIC,       /* only over https: refused over http */
  CERTREQ_HTTP_AUTH_NTLM,
  CERTREQ_HTTP_AUTH_NEGOTIATE,   /* Kerberos/SPNEGO from the credential cache (GSS-API) */
  CERTREQ_HTTP_AUTH_CERT,        /* TLS client certificate (client_cert + client_key) */
} CertreqHttpAuth;

typedef struct
{
  char            *trust_bundle;       /* PEM file of extra trusted CAs, or NULL */
  CertreqHttpAuth  auth;
  char            *username;           /* BASIC, NTLM (DOMAIN\\user or user@domain) */
  char            *password;           /* wiped when the options are freed */
  char            *client_cert;        /* CERT: PEM certificate file */
  char            *client_key;         /* CERT: PEM private key file */
  guint            connect_timeout_ms; /* 0: 10 000 */
  guint            total_timeout_ms;   /* 0: 60 000 */
} CertreqHttpOptions;

CertreqHttpOptions *certreq_http_options_new  (void);
CertreqHttpOptions *certreq_http_options_copy (const CertreqHttpOptions *options);
void                certreq_http_options_free (CertreqHttpOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqHttpOptions, certreq_http_options_free)

typedef struct
{
  guint       status;          /* 200, 201, 202, 400, … */
  GHashTable *headers;         /* lower-case name -> value (the last one of a repeated header) */
  GPtrArray  *links;           /* (element-type utf8) every raw Link header value, in order */
  GBytes     *body;            /* never NULL (empty body: zero bytes) */
  char       *effective_url;   /* after redirects */
} CertreqHttpResponse;

void                 certreq_http_response_free       (CertreqHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqHttpResponse, certreq_http_response_free)
/* @name: lower-case. Returns: (nullable): the header's value */
const char          *certreq_http_response_get_header (CertreqHttpResponse *response,
                                                       const char          *name);
/* The body as a NUL-terminated string (a copy). Returns: (transfer full) */
char                *certreq_http_response_dup_text   (CertreqHttpResponse *response);

/* Starts loading libcurl in a background thread (it is loaded with dlopen on first
 * use, never linked): call it as soon as a program knows it will talk to a CA, so the
 * load overlaps with key generation. Optional; idempotent. */
void                 certreq_http_preload             (void);
void                 certreq_http_preload_wait        (void);

#define CERTREQ_TYPE_HTTP (certreq_http_get_type ())
G_DECLARE_FINAL_TYPE (CertreqHttp, certreq_http, CERTREQ, HTTP, GObject)

/* @options: (nullable): copied */
CertreqHttp         *certreq_http_new     (const CertreqHttpOptions *options);

/* One request. @method: "GET", "POST", "HEAD". @content_type and @body only for POST
 * (@body may be NULL for an empty POST). @extra_headers: (nullable) NULL-terminated
 * "Name: value" strings. Redirects are followed (at most 5). Synchronous: call it from
 * a worker thread; the GUI's _async wrappers of each protocol do.
 * Returns: (transfer full): the response, or NULL with a NETWORK or CANCELLED error */
CertreqHttpResponse *certreq_http_request (CertreqHttp         *self,
                                           const char          *method,
                                           const char          *url,
                                           const char          *content_type,
                                           GBytes              *body,
                                           const char * const  *extra_headers,
                                           GCancellable        *cancellable,
                                           GError             **error);

G_END_DECLS
