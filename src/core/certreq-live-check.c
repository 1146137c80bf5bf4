/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* The live check: which certificate does a service actually present? One TLS
 * handshake with OpenSSL over a socket GIO connected, polled together with the
 * GCancellable, so every wait is bounded and Cancel takes effect at once. */

#include "config.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "certreq-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SSL_CTX, SSL_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SSL, SSL_free)

/* How long, after a TLS 1.3 handshake with a client certificate, the server gets
 * to refuse that certificate: TLS 1.3 lets the client finish before the server
 * has judged it, and a refusal arrives as an alert afterwards. A session ticket
 * (sent only after the server accepted the client) ends the wait early. */
#define CLIENT_VERDICT_MS 1500

static gsize ticket_index_once = 0;
static int ticket_index = -1;

static int
on_new_session (SSL         *ssl,
                SSL_SESSION *session)
{
  gboolean *got_ticket = SSL_get_ex_data (ssl, ticket_index);

  if (got_ticket != NULL)
    *got_ticket = TRUE;
  return 0;   /* the session is not kept */
}

static gboolean
set_timeout_error (GError     **error,
                   const char  *endpoint,
                   guint        timeout_ms)
{
  guint seconds = MAX (1, (timeout_ms + 999) / 1000);

  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
               /* Translators: %1$s is HOST:PORT, %2$u a number of seconds */
               g_dngettext (GETTEXT_PACKAGE,
                            "%1$s did not complete the TLS handshake within %2$u second.",
                            "%1$s did not complete the TLS handshake within %2$u seconds.",
                            seconds),
               endpoint, seconds);
  return FALSE;
}

/* Waits until @fd is ready for @condition, the deadline passes (FALSE, a timeout
 * error) or @cancellable is cancelled (FALSE, G_IO_ERROR_CANCELLED) */
static gboolean
wait_for_socket (int            fd,
                 GIOCondition   condition,
                 gint64         deadline,
                 GCancellable  *cancellable,
                 const char    *endpoint,
                 guint          timeout_ms,
                 GError       **error)
{
  GPollFD fds[2];
  guint n_fds = 1;
  gboolean ready = FALSE;

  fds[0].fd = fd;
  fds[0].events = (gushort) condition;
  fds[0].revents = 0;
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fds[1]))
    n_fds = 2;

  for (;;)
    {
      gint64 remaining = deadline - g_get_monotonic_time ();
      int n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (remaining <= 0)
        {
          set_timeout_error (error, endpoint, timeout_ms);
          break;
        }

      n = g_poll (fds, n_fds, (int) MIN ((remaining + 999) / 1000, G_MAXINT));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          /* Translators: %1$s is HOST:PORT, %2$s the system's reason */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                       _("Could not connect to %1$s: %2$s"), endpoint, g_strerror (saved_errno));
          break;
        }
      if (fds[0].revents != 0)
        {
          ready = TRUE;
          break;
        }
    }

  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);
  return ready;
}

/* After SSL_do_handshake() or SSL_read() said SSL_ERROR_WANT_*: waits for the socket */
static gboolean
wait_for_ssl (SSL           *ssl,
              int            result,
              int            fd,
              gint64         deadline,
              GCancellable  *cancellable,
              const char    *endpoint,
              guint          timeout_ms,
              GError       **error)
{
  GIOCondition condition = SSL_get_error (ssl, result) == SSL_ERROR_WANT_WRITE ? G_IO_OUT
                                                                                : G_IO_IN;

  return wait_for_socket (fd, condition, deadline, cancellable, endpoint, timeout_ms, error);
}

static gboolean
use_client_certificate (SSL_CTX             *ctx,
                        CertreqCertificate  *client_cert,
                        CertreqKey          *client_key,
                        GPtrArray           *client_chain,
                        GError             **error)
{
  guint i;

  if (SSL_CTX_use_certificate (ctx, _certreq_certificate_get_x509 (client_cert)) != 1 ||
      SSL_CTX_use_PrivateKey (ctx, _certreq_key_get_pkey (client_key)) != 1 ||
      SSL_CTX_check_private_key (ctx) != 1)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate and its private key cannot be "
                                         "used as a TLS client certificate."));
      return FALSE;
    }

  for (i = 0; client_chain != NULL && i < client_chain->len; i++)
    if (SSL_CTX_add1_chain_cert (ctx, _certreq_certificate_get_x509 (
                                   g_ptr_array_index (client_chain, i))) != 1)
      {
        _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                         _("The certificate and its private key cannot be "
                                           "used as a TLS client certificate."));
        return FALSE;
      }

  return TRUE;
}

/* TLS 1.3 with a client certificate: gives the server a moment to refuse it */
static gboolean
await_client_verdict (SSL           *ssl,
                      int            fd,
                      const gboolean *got_ticket,
                      gint64         deadline,
                      GCancellable  *cancellable,
                      const char    *endpoint,
                      guint          timeout_ms,
                      GError       **error)
{
  gint64 verdict_deadline = MIN (deadline, g_get_monotonic_time () + CLIENT_VERDICT_MS * 1000);

  while (!*got_ticket)
    {
      g_autoptr(GError) wait_error = NULL;
      char byte;
      int result;
      int ssl_error;

      ERR_clear_error ();
      result = SSL_read (ssl, &byte, 1);
      if (result > 0)
        return TRUE;   /* the service talks to us: it accepted the certificate */

      ssl_error = SSL_get_error (ssl, result);
      if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE)
        {
          if (*got_ticket)
            break;
          if (wait_for_ssl (ssl, result, fd, verdict_deadline, cancellable, endpoint,
                            timeout_ms, &wait_error))
            continue;
          if (g_error_matches (wait_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&wait_error));
              return FALSE;
            }
          break;   /* no refusal within the time: the service is content */
        }

      if (ssl_error == SSL_ERROR_SSL)
        {
          g_autofree char *message = NULL;

          /* Translators: %s is HOST:PORT */
          message = g_strdup_printf (_("%s refused the client certificate."), endpoint);
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_NETWORK, message);
          return FALSE;
        }

      break;   /* closed without a word against the certificate */
    }

  return TRUE;
}

/**
 * certreq_live_check_fetch:
 * @endpoint: HOST:PORT of the service
 * @server_name: (nullable): the name sent as SNI; an IP address or %NULL sends none
 * @client_cert: (nullable): a client certificate to present (MTLS)
 * @client_key: (nullable): its private key; required with @client_cert
 * @client_chain: (nullable) (element-type CertreqCertificate): the intermediates
 *   sent with @client_cert
 * @timeout_ms: the limit for connecting and the handshake together
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects to @endpoint, completes one TLS handshake and returns the SHA-1
 * thumbprint of the leaf certificate the service presented. The chain is not
 * verified: the thumbprint itself is the proof the caller compares. A refused
 * connection, a failed handshake or a refused client certificate is a
 * %CERTREQ_ERROR_NETWORK error saying so.
 *
 * Returns: (transfer full): 40 upper-case hex digits, or %NULL with @error set
 */
char *
certreq_live_check_fetch (const char          *endpoint,
                          const char          *server_name,
                          CertreqCertificate  *client_cert,
                          CertreqKey          *client_key,
                          GPtrArray           *client_chain,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SSL_CTX) ctx = NULL;
  g_autoptr(SSL) ssl = NULL;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  gboolean got_ticket = FALSE;
  X509 *peer;
  gint64 deadline;
  int fd;

  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (client_cert == NULL || client_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  deadline = g_get_monotonic_time () + (gint64) MAX (timeout_ms, 1) * 1000;

  address = g_network_address_parse (endpoint, 0, NULL);
  if (address == NULL || g_network_address_get_port (G_NETWORK_ADDRESS (address)) == 0)
    {
      /* Translators: %s is what was given; HOST:PORT is literal */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The check endpoint “%s” is not HOST:PORT, for example "
                     "web.example.com:443."), endpoint);
      return NULL;
    }

  /* Straight to the service: a proxy would answer for it */
  client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, MAX (1, (timeout_ms + 999) / 1000));
  connection = g_socket_client_connect (client, address, cancellable, &local_error);
  if (connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        set_timeout_error (error, endpoint, timeout_ms);
      else
        /* Translators: %1$s is HOST:PORT, %2$s the system's reason */
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                     _("Could not connect to %1$s: %2$s"), endpoint, local_error->message);
      return NULL;
    }
  /* GSocket keeps its descriptor non-blocking; every wait below is a poll */
  fd = g_socket_get_fd (g_socket_connection_get_socket (connection));

  ERR_clear_error ();
  if (g_once_init_enter (&ticket_index_once))
    {
      ticket_index = SSL_get_ex_new_index (0, NULL, NULL, NULL, NULL);
      g_once_init_leave (&ticket_index_once, 1);
    }

  ctx = SSL_CTX_new (TLS_client_method ());
  if (ctx == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not prepare the TLS connection."));
      return NULL;
    }
  /* The thumbprint is the proof; the chain is not what is being checked here */
  SSL_CTX_set_verify (ctx, SSL_VERIFY_NONE, NULL);
  SSL_CTX_set_session_cache_mode (ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb (ctx, on_new_session);
  if (client_cert != NULL &&
      !use_client_certificate (ctx, client_cert, client_key, client_chain, error))
    return NULL;

  ssl = SSL_new (ctx);
  if (ssl == NULL || SSL_set_fd (ssl, fd) != 1 ||
      SSL_set_ex_data (ssl, ticket_index, &got_ticket) != 1 ||
      (server_name != NULL && !g_hostname_is_ip_address (server_name) &&
       SSL_set_tlsext_host_name (ssl, server_name) != 1))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not prepare the TLS connection."));
      return NULL;
    }
  SSL_set_connect_state (ssl);

  for (;;)
    {
      int result = SSL_do_handshake (ssl);
      int ssl_error;

      if (result == 1)
        break;

      ssl_error = SSL_get_error (ssl, result);
      if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE)
        {
          if (!wait_for_ssl (ssl, result, fd, deadline, cancellable, endpoint, timeout_ms,
                             error))
            return NULL;
          continue;
        }

      if (ssl_error == SSL_ERROR_SSL)
        {
          g_autofree char *message = NULL;

          /* Translators: %s is HOST:PORT */
          message = g_strdup_printf (_("The TLS handshake with %s failed."), endpoint);
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_NETWORK, message);
        }
      else
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                       /* Translators: %s is HOST:PORT */
                       _("%s closed the connection during the TLS handshake."), endpoint);
        }
      return NULL;
    }

  peer = SSL_get0_peer_certificate (ssl);
  if (peer == NULL || !X509_digest (peer, EVP_sha1 (), md, &md_len))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is HOST:PORT */
                   _("%s presented no certificate."), endpoint);
      return NULL;
    }

  if (client_cert != NULL && SSL_version (ssl) >= TLS1_3_VERSION &&
      !await_client_verdict (ssl, fd, &got_ticket, deadline, cancellable, endpoint, timeout_ms,
                             error))
    return NULL;

  /* A polite close; its answer does not matter */
  SSL_shutdown (ssl);
  ERR_clear_error ();

  return _certreq_hex (md, md_len, TRUE);
}
