/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* certreq-http against local peers (tests/http-peer.py) on 127.0.0.1: an HTTPS server
 * with a CA this test generates, a CONNECT proxy, and a server that never speaks. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "certwiz-test-utils.h"
#include "certreq-http.h"

typedef struct
{
  char         *dir;
  char         *ca;          /* the test CA that issued the server's certificate */
  GSubprocess  *server;
  guint         port;
  char         *base;        /* https://127.0.0.1:<port> */
} Fixture;

/* A peer dies with the test, also when an assertion aborts it */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn_peer (guint              *out_port,
            const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "http-peer.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  GSubprocess *proc;
  guint i;

  g_ptr_array_add (argv, (gpointer) "/usr/bin/python3");
  g_ptr_array_add (argv, script);
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  *out_port = (guint) g_ascii_strtoull (line + 5, NULL, 10);
  g_assert_cmpuint (*out_port, >, 0);
  return proc;
}

static void
stop_peer (GSubprocess *proc)
{
  if (proc == NULL)
    return;
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
  g_object_unref (proc);
}

static void
openssl_run (const char *dir,
             const char *first,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

/* A CA and a server certificate for localhost and 127.0.0.1 (P-256: fast) */
static void
make_pki (const char *dir)
{
  g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);
  const char *text = "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n";
  g_autoptr(GError) error = NULL;

  g_file_set_contents (ext, text, -1, &error);
  g_assert_no_error (error);
  openssl_run (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
               "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
               "-subj", "/CN=certwiz test http ca", NULL);
  openssl_run (dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
               "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", NULL);
  openssl_run (dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
               "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem",
               NULL);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  make_pki (fx->dir);
  fx->ca = g_build_filename (fx->dir, "ca.pem", NULL);
  cert = g_build_filename (fx->dir, "server.pem", NULL);
  key = g_build_filename (fx->dir, "server.key", NULL);
  fx->server = spawn_peer (&fx->port, (const char *[]) { "server", cert, key, NULL });
  fx->base = g_strdup_printf ("https://127.0.0.1:%u", fx->port);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  stop_peer (fx->server);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
  g_free (fx->ca);
  g_free (fx->base);
}

static CertreqHttp *
trusting_client (Fixture *fx)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();

  options->trust_bundle = g_strdup (fx->ca);
  return certreq_http_new (options);
}

static CertreqHttpResponse *
get (CertreqHttp  *http,
     Fixture      *fx,
     const char   *path,
     GError      **error)
{
  g_autofree char *url = g_strconcat (fx->base, path, NULL);

  return certreq_http_request (http, "GET", url, NULL, NULL, NULL, NULL, error);
}

static guint
connections (CertreqHttp *http,
             Fixture     *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqHttpResponse) response = get (http, fx, "/connections", &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = certreq_http_response_dup_text (response);
  return (guint) g_ascii_strtoull (text, NULL, 10);
}

static void
test_trusted (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(CertreqHttp) http = trusting_client (fx);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqHttpResponse) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  response = get (http, fx, "/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  text = certreq_http_response_dup_text (response);
  g_assert_cmpstr (text, ==, "hello");
  g_assert_cmpstr (certreq_http_response_get_header (response, "content-type"), ==,
                   "text/plain");
  /* Repeated Link headers: every one, in order */
  g_assert_cmpuint (response->links->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (response->links, 0), ==,
                   "<https://a.example/1>;rel=\"alternate\"");
  g_assert_cmpstr (g_ptr_array_index (response->links, 1), ==,
                   "<https://a.example/dir>;rel=\"index\"");

  /* An HTTP error status is not an error */
  missing = get (http, fx, "/nothing-here", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing->status, ==, 404);
}

static void
test_untrusted (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(CertreqHttp) http = certreq_http_new (NULL);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = get (http, fx, "/hello", &error);
  g_assert_null (response);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_test_message ("untrusted: %s", error->message);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_assert_nonnull (strstr (error->message, "trust bundle"));
}

static void
test_trust_bundle_missing (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  options->trust_bundle = g_build_filename (fx->dir, "no-such-bundle.pem", NULL);
  http = certreq_http_new (options);
  response = get (http, fx, "/hello", &error);
  g_assert_null (response);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "no-such-bundle.pem"));
}

static void
test_redirect (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(CertreqHttp) http = trusting_client (fx);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strconcat (fx->base, "/hello", NULL);

  response = get (http, fx, "/redirect", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  text = certreq_http_response_dup_text (response);
  g_assert_cmpstr (text, ==, "hello");
  g_assert_cmpstr (response->effective_url, ==, expected);
}

static void
test_keep_alive (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(CertreqHttp) http = trusting_client (fx);
  g_autoptr(CertreqHttp) other = trusting_client (fx);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (fx->base, "/echo", NULL);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"a\":1}", 7);
  const char * const extra[] = { "X-Test: yes", NULL };
  guint before = connections (http, fx);
  guint i;

  for (i = 0; i < 3; i++)
    {
      g_autoptr(CertreqHttpResponse) response = NULL;
      g_autofree char *text = NULL;

      response = certreq_http_request (http, "POST", url, "application/jose+json", body,
                                       extra, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (response->status, ==, 200);
      text = certreq_http_response_dup_text (response);
      g_assert_cmpstr (text, ==, "{\"a\":1}");
      g_assert_cmpstr (certreq_http_response_get_header (response, "x-content-type"), ==,
                       "application/jose+json");
      g_assert_cmpstr (certreq_http_response_get_header (response, "x-method"), ==, "POST");
    }
  {
    g_autoptr(CertreqHttpResponse) head = NULL;
    g_autofree char *hello = g_strconcat (fx->base, "/hello", NULL);

    head = certreq_http_request (http, "HEAD", hello, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (head->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (head->body), ==, 0);
  }

  /* Six requests, one TCP connection */
  g_assert_cmpuint (connections (http, fx), ==, before);
  /* Another client is another connection: the counter does count */
  g_assert_cmpuint (connections (other, fx), ==, before + 1);
}

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} CancelData;

static gpointer
cancel_later (gpointer user_data)
{
  CancelData *data = user_data;

  g_usleep (300 * 1000);
  data->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (data->cancellable);
  return NULL;
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(CertreqHttp) http = trusting_client (fx);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (fx->base, "/stall", NULL);
  CancelData cancel = { cancellable, 0 };
  GThread *thread;
  gint64 returned_at;

  thread = g_thread_new ("cancel", cancel_later, &cancel);
  response = certreq_http_request (http, "GET", url, NULL, NULL, NULL, cancellable, &error);
  returned_at = g_get_monotonic_time ();
  g_thread_join (thread);

  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("returned %" G_GINT64_FORMAT " µs after the cancel",
                  returned_at - cancel.cancelled_at);
  /* Within 100 ms, plus a margin for a loaded machine and sanitizers; valgrind runs
   * everything some 30 times slower, and the peer stalls for 60 s */
  g_assert_cmpint (returned_at - cancel.cancelled_at, <,
                   (certwiz_test_under_valgrind () ? 2000 : 150) * 1000);

  /* Already cancelled: no request at all */
  g_clear_error (&error);
  response = certreq_http_request (http, "GET", url, NULL, NULL, NULL, cancellable, &error);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_connect_timeout (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttp) setup_http = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqHttpResponse) setup_response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GSubprocess *silent;
  guint port = 0;
  gint64 start, setup, waited;

  g_test_summary ("The connect timeout (TCP and TLS handshake) is honoured: a peer that "
                  "accepts and never answers fails after it, not after the total timeout");

  /* What one TLS connection costs before any timeout could count — loading libcurl the
   * first time, the system's CA store for every connection: under a sanitizer on a
   * loaded machine that alone is seconds. A fresh client, so nothing is reused. */
  setup_http = trusting_client (fx);
  start = g_get_monotonic_time ();
  setup_response = get (setup_http, fx, "/hello", &error);
  g_assert_no_error (error);
  setup = g_get_monotonic_time () - start;

  silent = spawn_peer (&port, (const char *[]) { "silent", NULL });
  url = g_strdup_printf ("https://127.0.0.1:%u/", port);
  options->connect_timeout_ms = 400;
  options->total_timeout_ms = 60000;
  http = certreq_http_new (options);

  start = g_get_monotonic_time ();
  response = certreq_http_request (http, "GET", url, NULL, NULL, NULL, NULL, &error);
  waited = g_get_monotonic_time () - start;
  g_assert_null (response);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_test_message ("a TLS request: %" G_GINT64_FORMAT " µs; the 400 ms timeout: %"
                  G_GINT64_FORMAT " µs: %s", setup, waited, error->message);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "establish a connection"));
  g_assert_nonnull (strstr (error->message, "within 1 second."));
  /* Far below the 60 s total timeout: the connect timeout ended it */
  g_assert_cmpint (waited, <, 10 * G_USEC_PER_SEC);
  /* Close to it, except under AddressSanitizer with full stack unwinding on every
   * malloc (build-aux/test) or under valgrind, where the waiting loop alone takes seconds */
  if (g_getenv ("ASAN_OPTIONS") == NULL && !certwiz_test_under_valgrind ())
    g_assert_cmpint (waited, <, setup + 400 * 1000 + 2 * G_USEC_PER_SEC);
  stop_peer (silent);
}

static void
test_connection_refused (void)
{
  g_autoptr(CertreqHttp) http = certreq_http_new (NULL);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and has no listener */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  response = certreq_http_request (http, "GET", url, NULL, NULL, NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "could not connect to 127.0.0.1"));
}

static void
test_proxy_from_environment (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *count_file = g_build_filename (fx->dir, "proxy-uses", NULL);
  g_autofree char *proxy_url = NULL;
  g_autofree char *uses = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proxy;
  guint port = 0;

  proxy = spawn_peer (&port, (const char *[]) { "proxy", count_file, NULL });
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_setenv ("https_proxy", proxy_url, TRUE);
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");

  {
    g_autoptr(CertreqHttp) http = trusting_client (fx);
    g_autoptr(CertreqHttpResponse) first = get (http, fx, "/hello", &error);
    g_autoptr(CertreqHttpResponse) second = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (first->status, ==, 200);
    second = get (http, fx, "/hello", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (second->status, ==, 200);
  }
  g_unsetenv ("https_proxy");

  /* Both requests went through the proxy, through one tunnel */
  g_file_get_contents (count_file, &uses, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uses, ==, "1");
  stop_peer (proxy);
}

static void
test_basic_auth (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttp) wrong = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqHttpResponse) refused = NULL;
  g_autoptr(GError) error = NULL;

  options->trust_bundle = g_strdup (fx->ca);
  options->auth = CERTREQ_HTTP_AUTH_BASIC;
  options->username = g_strdup ("alice");
  options->password = g_strdup ("s3cret");
  http = certreq_http_new (options);
  response = get (http, fx, "/auth", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);

  g_free (options->password);
  options->password = g_strdup ("wrong");
  wrong = certreq_http_new (options);
  refused = get (wrong, fx, "/auth", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refused->status, ==, 401);
}

static void
test_basic_over_http (void)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttp) probe = certreq_http_new (NULL);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqHttpResponse) count = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *count_url = NULL;
  g_autofree char *text = NULL;
  GSubprocess *plain;
  guint port = 0;

  plain = spawn_peer (&port, (const char *[]) { "plain", NULL });
  url = g_strdup_printf ("http://127.0.0.1:%u/auth", port);
  count_url = g_strdup_printf ("http://127.0.0.1:%u/connections", port);
  options->auth = CERTREQ_HTTP_AUTH_BASIC;
  options->username = g_strdup ("alice");
  options->password = g_strdup ("s3cret");
  http = certreq_http_new (options);

  response = certreq_http_request (http, "GET", url, NULL, NULL, NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "unencrypted HTTP"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_clear_error (&error);

  /* The password never left: the server saw only the probe's connection */
  count = certreq_http_request (probe, "GET", count_url, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  text = certreq_http_response_dup_text (count);
  g_assert_cmpstr (text, ==, "1");
  stop_peer (plain);
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

  /* Each test decides about proxies itself */
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("http_proxy");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");

  g_test_add ("/http/trusted", Fixture, NULL, fixture_setup, test_trusted, fixture_teardown);
  g_test_add ("/http/untrusted", Fixture, NULL, fixture_setup, test_untrusted,
              fixture_teardown);
  g_test_add ("/http/trust-bundle-missing", Fixture, NULL, fixture_setup,
              test_trust_bundle_missing, fixture_teardown);
  g_test_add ("/http/redirect", Fixture, NULL, fixture_setup, test_redirect,
              fixture_teardown);
  g_test_add ("/http/keep-alive", Fixture, NULL, fixture_setup, test_keep_alive,
              fixture_teardown);
  g_test_add ("/http/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/http/connect-timeout", Fixture, NULL, fixture_setup, test_connect_timeout,
              fixture_teardown);
  g_test_add_func ("/http/connection-refused", test_connection_refused);
  g_test_add ("/http/proxy-environment", Fixture, NULL, fixture_setup,
              test_proxy_from_environment, fixture_teardown);
  g_test_add ("/http/basic-auth", Fixture, NULL, fixture_setup, test_basic_auth,
              fixture_teardown);
  g_test_add_func ("/http/basic-over-http-refused", test_basic_over_http);

  return g_test_run ();
}
