/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* certreq_live_check_fetch() against a real `openssl s_server` on 127.0.0.1: the
 * thumbprint of what it presents; MTLS accepted, refused in the handshake (TLS 1.2)
 * and refused after it (TLS 1.3); a closed port; a peer that never answers, within
 * the timeout and on Cancel. */

#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "certwiz-test-pki.h"

typedef struct
{
  char    *dir;
  TestPki  pki;
  char    *other_key;     /* a client certificate from a CA nobody trusts */
  char    *other_pem;
  GPid     server_pid;
  char    *endpoint;      /* 127.0.0.1:<port> of the running s_server */
} Fixture;

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autofree char *out = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  test_pki_init (&fx->pki, fx->dir);
  fx->other_key = g_build_filename (fx->dir, "other.key", NULL);
  fx->other_pem = g_build_filename (fx->dir, "other.pem", NULL);
  out = certwiz_test_openssl (NULL, 0, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
                              "/CN=Nobody's client", "-keyout", fx->other_key,
                              "-out", fx->other_pem, NULL);
}

static void
stop_server (Fixture *fx)
{
  if (fx->server_pid == 0)
    return;
  kill (fx->server_pid, SIGTERM);
  waitpid (fx->server_pid, NULL, 0);
  g_spawn_close_pid (fx->server_pid);
  fx->server_pid = 0;
  g_clear_pointer (&fx->endpoint, g_free);
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  stop_server (fx);
  test_pki_clear (&fx->pki);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
  g_free (fx->other_key);
  g_free (fx->other_pem);
}

/* A port that was free a moment ago on 127.0.0.1 */
static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
}

/* Starts `openssl s_server` on a free port, presenting the PKI's leaf with its
 * intermediate, plus @extra options (NULL-terminated); returns once it listens */
static void
start_server (Fixture    *fx,
              const char *first_extra,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *accept = NULL;
  const char *arg;
  guint16 port = free_port ();
  va_list ap;
  guint i;

  accept = g_strdup_printf ("127.0.0.1:%u", port);
  g_ptr_array_add (argv, (gpointer) "openssl");
  g_ptr_array_add (argv, (gpointer) "s_server");
  g_ptr_array_add (argv, (gpointer) "-accept");
  g_ptr_array_add (argv, accept);
  g_ptr_array_add (argv, (gpointer) "-cert");
  g_ptr_array_add (argv, fx->pki.leaf_pem);
  g_ptr_array_add (argv, (gpointer) "-key");
  g_ptr_array_add (argv, fx->pki.leaf_key);
  g_ptr_array_add (argv, (gpointer) "-cert_chain");
  g_ptr_array_add (argv, fx->pki.inter_pem);
  g_ptr_array_add (argv, (gpointer) "-quiet");
  va_start (ap, first_extra);
  for (arg = first_extra; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_async (NULL, (char **) argv->pdata, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &fx->server_pid, &error);
  g_assert_no_error (error);
  fx->endpoint = g_steal_pointer (&accept);

  /* Listening once a TCP connection succeeds (up to 10 s) */
  for (i = 0; i < 200; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_host (client, fx->endpoint, 0, NULL, NULL);
      if (connection != NULL)
        return;
      g_usleep (50 * 1000);
    }
  g_error ("openssl s_server did not listen on %s", fx->endpoint);
}

static CertreqCertificate *
load_cert (const char *path)
{
  g_autoptr(GError) error = NULL;
  CertreqCertificate *cert = certreq_certificate_load (path, &error);

  g_assert_no_error (error);
  return cert;
}

static CertreqKey *
load_key (const char *path)
{
  g_autoptr(GError) error = NULL;
  CertreqKey *key = certreq_key_load (path, &error);

  g_assert_no_error (error);
  return key;
}

static void
test_thumbprint (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autofree char *expected = test_pki_thumbprint (fx->pki.leaf_pem);
  g_autofree char *thumbprint = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("The thumbprint is the one of the leaf the server presents, as openssl "
                  "computes it, with and without a server name");

  start_server (fx, "-www", NULL);
  thumbprint = certreq_live_check_fetch (fx->endpoint, "fe01.corp.example.com", NULL, NULL,
                                         NULL, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (thumbprint, ==, expected);

  g_clear_pointer (&thumbprint, g_free);
  thumbprint = certreq_live_check_fetch (fx->endpoint, "127.0.0.1", NULL, NULL, NULL, 5000,
                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (thumbprint, ==, expected);
}

/* @tls: "-tls1_2" or "-tls1_3" */
static void
test_mtls (Fixture       *fx,
           gconstpointer  data)
{
  const char *tls = data;
  g_autoptr(CertreqCertificate) client = load_cert (fx->pki.leaf_pem);
  g_autoptr(CertreqKey) client_key = load_key (fx->pki.leaf_key);
  g_autoptr(CertreqCertificate) inter = load_cert (fx->pki.inter_pem);
  g_autoptr(CertreqCertificate) other = load_cert (fx->other_pem);
  g_autoptr(CertreqKey) other_key = load_key (fx->other_key);
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autofree char *expected = test_pki_thumbprint (fx->pki.leaf_pem);
  g_autofree char *thumbprint = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_test_summary ("A server that demands a client certificate from its CA accepts the one "
                  "presented with its intermediate, and refuses an untrusted one: in the "
                  "handshake (TLS 1.2) or right after it (TLS 1.3)");

  g_ptr_array_add (chain, inter);
  start_server (fx, tls, "-Verify", "2", "-verify_return_error", "-CAfile", fx->pki.root_pem,
                "-www", NULL);

  start = g_get_monotonic_time ();
  thumbprint = certreq_live_check_fetch (fx->endpoint, "fe01.corp.example.com", client,
                                         client_key, chain, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (thumbprint, ==, expected);
  /* An accepting server is recognised by its session ticket, not by waiting */
  g_test_message ("accepted after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);

  g_clear_pointer (&thumbprint, g_free);
  thumbprint = certreq_live_check_fetch (fx->endpoint, "fe01.corp.example.com", other,
                                         other_key, NULL, 5000, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_null (thumbprint);
  if (g_str_equal (tls, "-tls1_3"))
    g_assert_nonnull (strstr (error->message, "refused the client certificate"));
  else
    g_assert_nonnull (strstr (error->message, "The TLS handshake with"));
  g_assert_nonnull (strstr (error->message, fx->endpoint));
  g_clear_error (&error);

  /* Without any client certificate, TLS 1.2 fails in the handshake */
  if (g_str_equal (tls, "-tls1_2"))
    {
      thumbprint = certreq_live_check_fetch (fx->endpoint, NULL, NULL, NULL, NULL, 5000, NULL,
                                             &error);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
      g_assert_null (thumbprint);
    }
}

static void
test_closed_port (Fixture       *fx,
                  gconstpointer  unused)
{
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1:%u", free_port ());
  g_autofree char *thumbprint = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A port nobody listens on is a network error naming the endpoint");

  thumbprint = certreq_live_check_fetch (endpoint, NULL, NULL, NULL, NULL, 5000, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_null (thumbprint);
  g_assert_nonnull (strstr (error->message, endpoint));
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  const char   *endpoint;
  guint         timeout_ms;
  GCancellable *cancellable;
  GError       *error;
  char         *thumbprint;
  gint64        elapsed_us;
} FetchCall;

static gpointer
fetch_thread (gpointer data)
{
  FetchCall *call = data;
  gint64 start = g_get_monotonic_time ();

  call->thumbprint = certreq_live_check_fetch (call->endpoint, NULL, NULL, NULL, NULL,
                                               call->timeout_ms, call->cancellable,
                                               &call->error);
  call->elapsed_us = g_get_monotonic_time () - start;
  return NULL;
}

static void
test_silent_peer (Fixture       *fx,
                  gconstpointer  unused)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *endpoint = NULL;
  g_autoptr(GError) error = NULL;
  FetchCall call = { 0 };
  GThread *thread;

  g_test_summary ("A peer that accepts the connection and never answers: the handshake "
                  "gives up at the timeout, and Cancel ends the wait at once");

  /* Listening, never accepting: the kernel completes the TCP handshake, nobody speaks */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  endpoint = g_strdup_printf ("127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  call.endpoint = endpoint;
  call.timeout_ms = 700;
  fetch_thread (&call);
  g_assert_error (call.error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (call.error->message, "did not complete the TLS handshake"));
  g_assert_cmpint (call.elapsed_us, >=, 600 * 1000);
  g_assert_cmpint (call.elapsed_us, <, 3 * G_USEC_PER_SEC);
  g_clear_error (&call.error);

  /* Cancelled after 300 ms of a 30 s limit */
  call.timeout_ms = 30000;
  call.cancellable = cancellable;
  g_timeout_add (300, cancel_soon, cancellable);
  thread = g_thread_new ("fetch", fetch_thread, &call);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (call.thumbprint);
  g_assert_cmpint (call.elapsed_us, <, 3 * G_USEC_PER_SEC);
  g_clear_error (&call.error);
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

#define ADD(path, data, fn) g_test_add (path, Fixture, data, setup, fn, teardown)
  ADD ("/certreq/live-check/thumbprint", NULL, test_thumbprint);
  ADD ("/certreq/live-check/mtls-tls1.2", "-tls1_2", test_mtls);
  ADD ("/certreq/live-check/mtls-tls1.3", "-tls1_3", test_mtls);
#undef ADD
  /* No PKI needed: nothing gets as far as a certificate */
  g_test_add ("/certreq/live-check/closed-port", Fixture, NULL, NULL, test_closed_port, NULL);
  g_test_add ("/certreq/live-check/silent-peer", Fixture, NULL, NULL, test_silent_peer, NULL);

  return g_test_run ();
}
