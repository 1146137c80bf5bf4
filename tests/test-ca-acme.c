/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* certreq-ca-acme against Debian's pebble (+ pebble-challtestsrv) on 127.0.0.1 with
 * free ports; each test generates Pebble's TLS certificate and trusts it through the
 * trust bundle (protocols.md §1.8). The CA configuration is filled in here directly
 * (the cas.ini factory is another module's job). */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <openssl/rand.h>

#include "certwiz-test-utils.h"
#include "certreq-ca-acme.h"
#include "certreq-http.h"
#include "certreq-renew.h"

#define PEBBLE        "/usr/bin/pebble"
#define CHALLTESTSRV  "/usr/bin/pebble-challtestsrv"

typedef struct
{
  const char *env;           /* extra environment, "A=1 B=2" */
  gboolean    challtestsrv;  /* real validation: challtestsrv as Pebble's DNS */
  gboolean    eab;
  const char *blocklist;     /* a domain Pebble refuses */
  gboolean    ari;           /* tests/ari-proxy.py in front: renewalInfo */
} PebbleSetup;

typedef struct
{
  char          *dir;
  char          *store_dir;
  CertreqStore  *store;
  char          *tls_ca;          /* trusted for Pebble's HTTPS listener */
  guint          acme_port;
  guint          mgmt_port;
  guint          http_port;       /* Pebble's VA connects here for http-01 */
  guint          dns_port;
  guint          chall_mgmt_port;
  char          *directory;
  char          *eab_key;         /* base64url HMAC key for kid-1 */
  GSubprocess   *pebble;
  GSubprocess   *challtestsrv;
  GSubprocess   *proxy;           /* tests/ari-proxy.py */
  char          *proxy_directory; /* the directory URL through the proxy */
  char          *window;          /* the proxy's suggestedWindow file */
  char          *proxy_log;       /* what the proxy saw */
  GPtrArray     *stages;          /* "stage-id detail" */
} Fixture;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) udp = NULL;
  guint port;

  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* The DNS port is also used over UDP: make sure that one is free too */
  udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  if (udp != NULL)
    {
      g_autoptr(GSocketAddress) same = g_inet_socket_address_new (loopback, (guint16) port);

      if (!g_socket_bind (udp, same, FALSE, NULL))
        return free_port ();
    }
  return port;
}

static void
run_in (const char         *dir,
        const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

static GSubprocess *
spawn (const char         *dir,
       const char * const *env,
       const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  guint i;

  launcher = g_subprocess_launcher_new (g_test_verbose () ? G_SUBPROCESS_FLAGS_NONE
                                        : (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                           G_SUBPROCESS_FLAGS_STDERR_SILENCE));
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  for (i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return proc;
}

static void
stop (GSubprocess **proc)
{
  if (*proc == NULL)
    return;
  g_subprocess_force_exit (*proc);
  g_subprocess_wait (*proc, NULL, NULL);
  g_clear_object (proc);
}

static gboolean
require_tool (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is missing (Debian package pebble; build-aux/deps test installs it)", path);
  g_test_skip ("pebble is not installed");
  return FALSE;
}

static void
wait_for_directory (Fixture *fx)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  g_autoptr(CertreqHttp) http = NULL;
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  options->trust_bundle = g_strdup (fx->tls_ca);
  options->connect_timeout_ms = 1000;
  http = certreq_http_new (options);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(CertreqHttpResponse) response = NULL;

      response = certreq_http_request (http, "GET", fx->directory, NULL, NULL, NULL, NULL,
                                       NULL);
      if (response != NULL && response->status == 200)
        return;
      g_usleep (50 * 1000);
      g_clear_object (&http);
      http = certreq_http_new (options);
    }
  g_error ("Pebble did not come up at %s", fx->directory);
}

/* tests/ari-proxy.py in front of Pebble, with Pebble's TLS certificate */
static void
start_ari_proxy (Fixture *fx)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "ari-proxy.py", NULL);
  g_autofree char *cert = g_build_filename (fx->dir, "tls.pem", NULL);
  g_autofree char *key = g_build_filename (fx->dir, "tls.key", NULL);
  g_autofree char *upstream = g_strdup_printf ("https://127.0.0.1:%u", fx->acme_port);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  fx->window = g_build_filename (fx->dir, "window.json", NULL);
  fx->proxy_log = g_build_filename (fx->dir, "proxy.log", NULL);
  g_file_set_contents (fx->window, "{}", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (fx->proxy_log, "", -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fx->proxy = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script,
                                           "--cert", cert, "--key", key,
                                           "--upstream", upstream,
                                           "--upstream-ca", fx->tls_ca,
                                           "--window", fx->window, "--log", fx->proxy_log,
                                           NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->proxy));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  fx->proxy_directory = g_strdup_printf ("https://127.0.0.1:%s/dir", line + 5);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  const PebbleSetup *setup = data;
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *ext = NULL;
  g_autofree char *dns = NULL;
  guint8 raw[32];

  fx->stages = g_ptr_array_new_with_free_func (g_free);
  if (!require_tool (PEBBLE) || (setup->challtestsrv && !require_tool (CHALLTESTSRV)))
    return;

  fx->dir = certwiz_test_mkdtemp ();
  fx->store_dir = g_build_filename (fx->dir, "store", NULL);
  fx->store = certreq_store_open (fx->store_dir, &error);
  g_assert_no_error (error);

  /* Pebble's HTTPS listener: a test CA and a certificate for localhost and 127.0.0.1 */
  ext = g_build_filename (fx->dir, "ext.cnf", NULL);
  g_file_set_contents (ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                            "extendedKeyUsage=serverAuth\n", -1, &error);
  g_assert_no_error (error);
  run_in (fx->dir, (const char *[]) { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                      "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                                      "tls-ca.key", "-out", "tls-ca.pem", "-days", "2",
                                      "-subj", "/CN=certwiz test pebble tls ca", NULL });
  run_in (fx->dir, (const char *[]) { "openssl", "req", "-newkey", "ec", "-pkeyopt",
                                      "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                                      "tls.key", "-out", "tls.csr", "-subj", "/CN=localhost",
                                      NULL });
  run_in (fx->dir, (const char *[]) { "openssl", "x509", "-req", "-in", "tls.csr", "-CA",
                                      "tls-ca.pem", "-CAkey", "tls-ca.key",
                                      "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf",
                                      "-out", "tls.pem", NULL });
  fx->tls_ca = g_build_filename (fx->dir, "tls-ca.pem", NULL);

  fx->acme_port = free_port ();
  fx->mgmt_port = free_port ();
  fx->http_port = free_port ();
  fx->directory = g_strdup_printf ("https://127.0.0.1:%u/dir", fx->acme_port);

  /* A fresh EAB key per test: nothing key-like is committed */
  g_assert_cmpint (RAND_bytes (raw, sizeof raw), ==, 1);
  {
    g_autofree char *b64 = g_base64_encode (raw, sizeof raw);
    char *p;

    for (p = b64; *p != '\0'; p++)
      *p = *p == '+' ? '-' : *p == '/' ? '_' : *p == '=' ? '\0' : *p;
    fx->eab_key = g_strdup (b64);
  }

  g_string_append_printf (config,
                          "{\"pebble\":{\"listenAddress\":\"127.0.0.1:%u\","
                          "\"managementListenAddress\":\"127.0.0.1:%u\","
                          "\"certificate\":\"%s/tls.pem\",\"privateKey\":\"%s/tls.key\","
                          "\"httpPort\":%u,\"tlsPort\":%u,\"ocspResponderURL\":\"\"",
                          fx->acme_port, fx->mgmt_port, fx->dir, fx->dir, fx->http_port,
                          free_port ());
  if (setup->eab)
    g_string_append_printf (config, ",\"externalAccountBindingRequired\":true,"
                                    "\"externalAccountMACKeys\":{\"kid-1\":\"%s\"}",
                            fx->eab_key);
  else
    g_string_append (config, ",\"externalAccountBindingRequired\":false");
  if (setup->blocklist != NULL)
    g_string_append_printf (config, ",\"domainBlocklist\":[\"%s\"]", setup->blocklist);
  g_string_append (config, "}}");
  config_path = g_build_filename (fx->dir, "pebble.json", NULL);
  g_file_set_contents (config_path, config->str, -1, &error);
  g_assert_no_error (error);

  if (setup->challtestsrv)
    {
      g_autofree char *dns_listen = NULL;
      g_autofree char *mgmt_listen = NULL;

      fx->dns_port = free_port ();
      fx->chall_mgmt_port = free_port ();
      dns_listen = g_strdup_printf ("127.0.0.1:%u", fx->dns_port);
      mgmt_listen = g_strdup_printf ("127.0.0.1:%u", fx->chall_mgmt_port);
      /* Only its DNS server and management API: the proofs come from Certwiz */
      fx->challtestsrv = spawn (fx->dir, NULL,
                                (const char *[]) { CHALLTESTSRV, "-defaultIPv6", "",
                                                   "-defaultIPv4", "127.0.0.1",
                                                   "-http01", "", "-https01", "",
                                                   "-tlsalpn01", "",
                                                   "-dns01", dns_listen,
                                                   "-management", mgmt_listen, NULL });
      dns = g_strdup_printf ("127.0.0.1:%u", fx->dns_port);
    }

  g_ptr_array_add (env, g_strdup ("PEBBLE_VA_NOSLEEP=1"));
  if (setup->env != NULL)
    {
      g_auto(GStrv) vars = g_strsplit (setup->env, " ", -1);
      guint i;

      for (i = 0; vars[i] != NULL; i++)
        g_ptr_array_add (env, g_strdup (vars[i]));
    }
  g_ptr_array_add (env, NULL);
  fx->pebble = spawn (fx->dir, (const char * const *) env->pdata,
                      dns != NULL
                      ? (const char *[]) { PEBBLE, "-config", config_path, "-dnsserver", dns, NULL }
                      : (const char *[]) { PEBBLE, "-config", config_path, NULL });
  wait_for_directory (fx);
  if (setup->ari)
    start_ari_proxy (fx);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  stop (&fx->proxy);
  stop (&fx->pebble);
  stop (&fx->challtestsrv);
  g_clear_object (&fx->store);
  if (fx->dir != NULL)
    certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
  g_free (fx->store_dir);
  g_free (fx->tls_ca);
  g_free (fx->directory);
  g_free (fx->eab_key);
  g_free (fx->proxy_directory);
  g_free (fx->window);
  g_free (fx->proxy_log);
  g_ptr_array_unref (fx->stages);
}

/* A configuration as cas.ini would hold it */
static CertreqCaConfig
acme_config (Fixture *fx)
{
  CertreqCaConfig config = { 0 };

  config.name = (char *) "pebble";
  config.protocol = CERTREQ_CA_PROTOCOL_ACME;
  config.url = fx->directory;
  config.trust_bundle = fx->tls_ca;
  config.contact = (char *) "admin@example.test";
  return config;
}

static char *
listen_spec (Fixture *fx)
{
  return g_strdup_printf ("listen:127.0.0.1:%u", fx->http_port);
}

static GBytes *
make_csr (const char * const *names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqKey) key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  CertreqCsrSpec spec = { 0 };
  GBytes *csr;

  g_assert_no_error (error);
  spec.common_name = (char *) names[0];
  spec.dns_names = (char **) names;
  spec.eku = CERTREQ_EKU_SERVER_AUTH;
  csr = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);
  return csr;
}

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  Fixture *fx = user_data;

  g_ptr_array_add (fx->stages, g_strdup_printf ("%s %s", certreq_submit_stage_to_id (stage),
                                                detail != NULL ? detail : ""));
}

static gboolean
saw_stage (Fixture    *fx,
           const char *text)
{
  guint i;

  for (i = 0; i < fx->stages->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fx->stages, i), text))
      return TRUE;
  return FALSE;
}

static CertreqSubmitResult *
submit (Fixture               *fx,
        const CertreqCaConfig *config,
        const char * const    *names,
        GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CertreqCaClient) client = certreq_ca_acme_new (fx->store, config, &local_error);
  g_autoptr(GBytes) csr = make_csr (names);

  g_assert_no_error (local_error);
  return certreq_ca_client_submit (client, csr, NULL, on_progress, fx, NULL, error);
}

static GPtrArray *
pebble_roots (Fixture *fx)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/roots/0", fx->mgmt_port);
  GPtrArray *roots;

  options->trust_bundle = g_strdup (fx->tls_ca);
  http = certreq_http_new (options);
  response = certreq_http_request (http, "GET", url, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  roots = certreq_certificate_list_from_data (g_bytes_get_data (response->body, NULL),
                                              g_bytes_get_size (response->body), &error);
  g_assert_no_error (error);
  return roots;
}

static void
assert_issued (Fixture             *fx,
               CertreqSubmitResult *result,
               const char * const  *names)
{
  g_autoptr(GPtrArray) roots = pebble_roots (fx);
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) dns = NULL;
  guint i;

  g_assert_nonnull (result);
  if (result->status == CERTREQ_SUBMIT_DENIED)
    g_error ("denied: %s", result->reason);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_nonnull (result->certificate);
  g_assert_nonnull (result->chain);
  g_assert_cmpuint (result->chain->len, >=, 1);
  g_assert_cmpstr (result->ca_id, ==, "pebble");
  g_assert_true (g_str_has_prefix (result->request_id, "https://127.0.0.1:"));

  dns = certreq_certificate_get_dns_names (result->certificate);
  for (i = 0; names[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) dns, names[i]));

  /* The chain leads to Pebble's issuing root (fetched from the management API) */
  chain = certreq_chain_verify (result->certificate, result->chain, roots, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (chain->status, ==, CERTREQ_CHAIN_TRUSTED);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, mode);
}

/* PEBBLE_VA_ALWAYS_VALID: the whole exchange, the account kept in the store */
static void
test_issue (Fixture       *fx,
            gconstpointer  data)
{
  const char * const names[] = { "www.example.test", "example.test", NULL };
  CertreqCaConfig config;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqSubmitResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *http01 = NULL;
  g_autofree char *acme_dir = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *key_before = NULL;
  g_autofree char *key_after = NULL;
  g_autofree char *info_before = NULL;
  g_autofree char *info_after = NULL;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  http01 = listen_spec (fx);
  config.http01 = http01;

  result = submit (fx, &config, names, &error);
  g_assert_no_error (error);
  assert_issued (fx, result, names);

  g_assert_true (saw_stage (fx, "connecting 127.0.0.1"));
  g_assert_true (saw_stage (fx, "authenticating"));
  g_assert_true (saw_stage (fx, "submitting"));
  g_assert_true (saw_stage (fx, "proving-control www.example.test"));
  g_assert_true (saw_stage (fx, "proving-control example.test"));
  g_assert_true (saw_stage (fx, "waiting"));
  g_assert_true (saw_stage (fx, "downloading"));

  /* The account: a private directory, the key 0600, the account URL */
  acme_dir = g_build_filename (fx->store_dir, "acme", "pebble", NULL);
  key_path = g_build_filename (acme_dir, "account.key", NULL);
  info_path = g_build_filename (acme_dir, "account.ini", NULL);
  assert_mode (acme_dir, 0700);
  assert_mode (key_path, 0600);
  g_file_get_contents (key_path, &key_before, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (key_before, "-----BEGIN PRIVATE KEY-----"));
  g_file_get_contents (info_path, &info_before, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (info_before, "url=https://127.0.0.1:"));

  /* A second request uses the same account */
  again = submit (fx, &config, (const char *[]) { "other.example.test", NULL }, &error);
  g_assert_no_error (error);
  assert_issued (fx, again, (const char *[]) { "other.example.test", NULL });
  g_file_get_contents (key_path, &key_after, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (info_path, &info_after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key_before, ==, key_after);
  g_assert_cmpstr (info_before, ==, info_after);
}

static gboolean
port_open (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", port);

  connection = g_socket_client_connect_to_host (client, host, 0, NULL, NULL);
  return connection != NULL;
}

/* Real http-01 validation: Pebble's VA resolves the names through challtestsrv (all
 * 127.0.0.1) and fetches the token from Certwiz's listener */
static void
test_http01_listener (Fixture       *fx,
                      gconstpointer  data)
{
  const char * const names[] = { "a.example.test", "b.example.test", NULL };
  CertreqCaConfig config;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *http01 = NULL;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  http01 = listen_spec (fx);
  config.http01 = http01;

  result = submit (fx, &config, names, &error);
  g_assert_no_error (error);
  assert_issued (fx, result, names);
  /* The listener serves only while validating */
  g_assert_false (port_open (fx->http_port));
}

/* http-01 through a webroot that another web server (python's) serves */
static void
test_http01_webroot (Fixture       *fx,
                     gconstpointer  data)
{
  const char * const names[] = { "web.example.test", NULL };
  CertreqCaConfig config;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *webroot = NULL;
  g_autofree char *http01 = NULL;
  g_autofree char *port = NULL;
  g_autofree char *challenge_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  GSubprocess *server;
  gint64 deadline;

  if (fx->pebble == NULL)
    return;
  webroot = g_build_filename (fx->dir, "webroot", NULL);
  g_mkdir (webroot, 0755);
  port = g_strdup_printf ("%u", fx->http_port);
  server = spawn (fx->dir, NULL, (const char *[]) { "/usr/bin/python3", "-m", "http.server",
                                                    "--bind", "127.0.0.1", "--directory",
                                                    webroot, port, NULL });
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!port_open (fx->http_port) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);

  config = acme_config (fx);
  http01 = g_strconcat ("webroot:", webroot, NULL);
  config.http01 = http01;
  result = submit (fx, &config, names, &error);
  stop (&server);
  g_assert_no_error (error);
  assert_issued (fx, result, names);

  /* The token files are gone again */
  challenge_dir = g_build_filename (webroot, ".well-known", "acme-challenge", NULL);
  dir = g_dir_open (challenge_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));
}

/* dns-01 through a hook (argv, no shell) that publishes the TXT record in challtestsrv;
 * a wildcard name can only be proved that way */
static void
test_dns01_hook (Fixture       *fx,
                 gconstpointer  data)
{
  const char * const names[] = { "*.dns.example.test", "dns.example.test", NULL };
  CertreqCaConfig config;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hook_script = g_test_build_filename (G_TEST_DIST, "acme-dns-hook.py", NULL);
  g_autofree char *log = g_build_filename (fx->dir, "hook.log", NULL);
  g_autofree char *hook = NULL;
  g_autofree char *calls = NULL;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  hook = g_strdup_printf ("/usr/bin/python3 '%s' http://127.0.0.1:%u '%s'", hook_script,
                          fx->chall_mgmt_port, log);
  config.dns01_hook = hook;

  result = submit (fx, &config, names, &error);
  g_assert_no_error (error);
  assert_issued (fx, result, names);

  /* Both names presented and cleaned up again */
  g_file_get_contents (log, &calls, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (calls, "present _acme-challenge.dns.example.test "));
  g_assert_nonnull (strstr (calls, "cleanup _acme-challenge.dns.example.test "));
}

/* Half of all nonces rejected: every request still gets through */
static void
test_bad_nonce (Fixture       *fx,
                gconstpointer  data)
{
  const char * const names[] = { "nonce.example.test", NULL };
  CertreqCaConfig config;
  g_autoptr(GError) error = NULL;
  g_autofree char *http01 = NULL;
  guint i;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  http01 = listen_spec (fx);
  config.http01 = http01;

  for (i = 0; i < 3; i++)
    {
      g_autoptr(CertreqSubmitResult) result = submit (fx, &config, names, &error);

      g_assert_no_error (error);
      assert_issued (fx, result, names);
    }
}

static void
test_eab (Fixture       *fx,
          gconstpointer  data)
{
  const char * const names[] = { "eab.example.test", NULL };
  CertreqCaConfig config;
  g_autoptr(CertreqSubmitResult) missing = NULL;
  g_autoptr(CertreqSubmitResult) wrong = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *http01 = NULL;
  g_autofree char *hmac_file = NULL;
  g_autofree char *wrong_file = NULL;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  http01 = listen_spec (fx);
  config.http01 = http01;

  /* None given: refused in words before anything is registered */
  missing = submit (fx, &config, names, &error);
  g_assert_null (missing);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_test_message ("missing: %s", error->message);
  g_assert_nonnull (strstr (error->message, "External Account Binding"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_clear_error (&error);

  /* A wrong key: the CA's refusal, with its ACME error type */
  wrong_file = certwiz_test_write (fx->dir, "wrong-hmac", "c2VjcmV0LWJ1dC13cm9uZy1rZXktZm9yLXRoZS10ZXN0", 44);
  g_chmod (wrong_file, 0600);
  config.eab_kid = (char *) "kid-1";
  config.eab_hmac_file = wrong_file;
  wrong = submit (fx, &config, names, &error);
  g_assert_null (wrong);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_test_message ("wrong: %s", error->message);
  g_assert_nonnull (strstr (error->message, "unauthorized"));
  g_clear_error (&error);

  /* The right one */
  hmac_file = certwiz_test_write (fx->dir, "hmac", fx->eab_key, strlen (fx->eab_key));
  g_chmod (hmac_file, 0600);
  config.eab_hmac_file = hmac_file;
  result = submit (fx, &config, names, &error);
  g_assert_no_error (error);
  assert_issued (fx, result, names);
}

/* A name the CA's policy refuses: DENIED, the reason names the ACME error type */
static void
test_rejected_name (Fixture       *fx,
                    gconstpointer  data)
{
  CertreqCaConfig config;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *http01 = NULL;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  http01 = listen_spec (fx);
  config.http01 = http01;

  result = submit (fx, &config, (const char *[]) { "www.blocked.test", NULL }, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_DENIED);
  g_test_message ("denied: %s", result->reason);
  g_assert_nonnull (strstr (result->reason, "rejectedIdentifier"));
  g_assert_nonnull (strstr (result->reason, "does not issue certificates for this name"));
}

/* A failed proof (nothing listens where the VA looks): DENIED with the type */
static void
test_failed_validation (Fixture       *fx,
                        gconstpointer  data)
{
  CertreqCaConfig config;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *webroot = g_build_filename (fx->dir, "unserved", NULL);
  g_autofree char *http01 = NULL;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  http01 = g_strconcat ("webroot:", webroot, NULL);
  config.http01 = http01;

  result = submit (fx, &config, (const char *[]) { "nobody.example.test", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_DENIED);
  g_test_message ("denied: %s", result->reason);
  g_assert_nonnull (strstr (result->reason, "ACME error connection"));
}

static void
test_alternate_chains (Fixture       *fx,
                       gconstpointer  data)
{
  const char * const names[] = { "alt.example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GBytes) csr = make_csr (names);
  g_autofree char *http01 = NULL;
  CertreqCaConfig config;
  const char * const *alternates;

  if (fx->pebble == NULL)
    return;
  config = acme_config (fx);
  http01 = listen_spec (fx);
  config.http01 = http01;
  client = certreq_ca_acme_new (fx->store, &config, &error);
  g_assert_no_error (error);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_issued (fx, result, names);
  alternates = certreq_ca_acme_get_alternate_chains (CERTREQ_CA_ACME (client));
  g_assert_nonnull (alternates);
  g_assert_cmpuint (g_strv_length ((char **) alternates), ==, 1);
  g_assert_nonnull (strstr (alternates[0], "/alternate/1"));
}

/* ---- Renewal ---- */

#define RENEW_NAME "www.renew.example.test"

/* A store that knows the CA "pebble" at @directory (cas.ini) and a server whose web
 * services external name is RENEW_NAME; certreq_enroll() issues the certificate the
 * renewal tests renew (its request saved for renewal). */
static CertreqCertificate *
enroll_for_renewal (Fixture    *fx,
                    const char *directory)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *http01 = listen_spec (fx);
  CertreqCaConfig config = acme_config (fx);

  config.url = (char *) directory;
  config.http01 = http01;
  certreq_store_set_ca (fx->store, &config, &error);
  g_assert_no_error (error);

  certreq_server_set_fqdn (server, "fe01.renew.example.test");
  certreq_server_set_web_external_fqdn (server, RENEW_NAME);
  certreq_store_save_server (fx->store, server, &error);
  g_assert_no_error (error);

  request = certreq_request_new (server);
  certreq_request_set_usages (request, CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  certreq_request_set_online (request, TRUE);
  certreq_request_set_ca_id (request, "pebble");
  certreq_request_set_friendly_name (request, "Renewal test");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P256);
  result = certreq_enroll (fx->store, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_issued (fx, result, (const char *[]) { RENEW_NAME, NULL });
  return g_object_ref (result->certificate);
}

static CertreqRenewResult *
renew (Fixture            *fx,
       CertreqCertificate *cert,
       CertreqRenewFlags   flags)
{
  g_autoptr(GError) error = NULL;
  CertreqRenewResult *result;

  result = certreq_renew_certificate (fx->store, certreq_certificate_get_thumbprint (cert), NULL,
                                      CERTREQ_RENEWAL_RULE_DEFAULT, flags, NULL, NULL, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_test_message ("renewal: %s: %s", certreq_renew_outcome_to_id (result->outcome),
                  result->message);
  return result;
}

/* The renewal is in the store: another certificate for the same name and a new key */
static void
assert_renewed (Fixture            *fx,
                CertreqCertificate *old_cert,
                CertreqRenewResult *result)
{
  g_autoptr(CertreqCertificate) renewed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_cmpint (result->outcome, ==, CERTREQ_RENEW_RENEWED);
  g_assert_nonnull (result->new_thumbprint);
  g_assert_cmpstr (result->new_thumbprint, !=, certreq_certificate_get_thumbprint (old_cert));
  renewed = certreq_store_find_certificate (fx->store, result->new_thumbprint, &error);
  g_assert_no_error (error);
  names = certreq_certificate_get_dns_names (renewed);
  g_assert_cmpstrv (names, ((const char *[]) { RENEW_NAME, NULL }));
  g_assert_cmpstr (certreq_certificate_get_key_id (renewed), !=,
                   certreq_certificate_get_key_id (old_cert));
  g_assert_true (certreq_store_has_key_for (fx->store, renewed));
}

/* The ARI certID of @cert as openssl reads it: base64url(AKI keyid) "."
 * base64url(serial DER content octets, a leading zero when the high bit is set) */
static char *
openssl_cert_id (CertreqCertificate *cert)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);
  g_autofree char *aki = certwiz_test_openssl (pem, strlen (pem), "x509", "-noout", "-ext",
                                               "authorityKeyIdentifier", NULL);
  g_autofree char *serial = certwiz_test_openssl (pem, strlen (pem), "x509", "-noout",
                                                  "-serial", NULL);
  g_autoptr(GByteArray) key_id = g_byte_array_new ();
  g_autoptr(GByteArray) number = g_byte_array_new ();
  g_auto(GStrv) lines = g_strsplit (aki, "\n", -1);
  g_autofree char *hex = NULL;
  char *parts[2];
  const char *p;
  guint i;

  /* "X509v3 Authority Key Identifier: \n    keyid:AB:CD:…" (or without "keyid:") */
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  p = g_strstrip (lines[1]);
  if (g_str_has_prefix (p, "keyid:"))
    p += 6;
  for (; p[0] != '\0' && p[1] != '\0'; p += p[2] == ':' ? 3 : 2)
    {
      guint8 byte = (guint8) (g_ascii_xdigit_value (p[0]) * 16 + g_ascii_xdigit_value (p[1]));

      g_byte_array_append (key_id, &byte, 1);
    }
  g_assert_cmpuint (key_id->len, >=, 8);

  g_assert_true (g_str_has_prefix (serial, "serial="));
  hex = g_strdup (g_strstrip (serial + 7));
  if (strlen (hex) % 2 == 1)
    {
      char *padded = g_strconcat ("0", hex, NULL);

      g_free (hex);
      hex = padded;
    }
  if (g_ascii_xdigit_value (hex[0]) >= 8)
    {
      guint8 zero = 0;

      g_byte_array_append (number, &zero, 1);
    }
  for (i = 0; hex[i] != '\0'; i += 2)
    {
      guint8 byte = (guint8) (g_ascii_xdigit_value (hex[i]) * 16 + g_ascii_xdigit_value (hex[i + 1]));

      g_byte_array_append (number, &byte, 1);
    }

  parts[0] = g_base64_encode (key_id->data, key_id->len);
  parts[1] = g_base64_encode (number->data, number->len);
  for (i = 0; i < 2; i++)
    {
      char *c;

      for (c = parts[i]; *c != '\0'; c++)
        *c = *c == '+' ? '-' : *c == '/' ? '_' : *c == '=' ? '\0' : *c;
    }
  {
    char *id = g_strconcat (parts[0], ".", parts[1], NULL);

    g_free (parts[0]);
    g_free (parts[1]);
    return id;
  }
}

static void
set_window (Fixture   *fx,
            GDateTime *start,
            GDateTime *end)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *start_text = g_date_time_format_iso8601 (start);
  g_autofree char *end_text = g_date_time_format_iso8601 (end);
  g_autofree char *json = g_strdup_printf ("{\"start\":\"%s\",\"end\":\"%s\"}",
                                           start_text, end_text);

  g_file_set_contents (fx->window, json, -1, &error);
  g_assert_no_error (error);
}

static char *
proxy_events (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (fx->proxy_log, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Debian's Pebble has no renewalInfo: the store's rule decides, the order names no
 * certificate it replaces, and the renewal is issued all the same */
static void
test_renew_without_ari (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqRenewResult) early = NULL;
  g_autoptr(CertreqRenewResult) renewed = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) rule_due = NULL;
  g_autoptr(GDateTime) late = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *late_text = NULL;

  if (fx->pebble == NULL)
    return;
  cert = enroll_for_renewal (fx, fx->directory);

  /* No renewalInfo in the directory: no window and no error */
  client = certreq_ca_client_new_for_id (fx->store, "pebble", &error);
  g_assert_no_error (error);
  g_assert_false (certreq_ca_client_get_renewal_window (client, cert, &start, &end, NULL,
                                                        &error));
  g_assert_no_error (error);
  g_assert_null (start);
  g_assert_null (end);

  /* Pebble's certificates last five years: not due, by the store's own rule */
  early = renew (fx, cert, CERTREQ_RENEW_FLAG_NONE);
  g_assert_cmpint (early->outcome, ==, CERTREQ_RENEW_NOT_DUE);
  rule_due = certreq_renewal_get_due_time (cert, CERTREQ_RENEWAL_RULE_DEFAULT);
  g_assert_true (g_date_time_equal (early->due, rule_due));

  /* A day before it expires: renewed from Pebble */
  {
    g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);

    late = g_date_time_add_days (not_after, -1);
  }
  late_text = g_date_time_format_iso8601 (late);
  g_setenv ("CERTWIZ_TEST_NOW", late_text, TRUE);
  renewed = renew (fx, cert, CERTREQ_RENEW_FLAG_NONE);
  g_unsetenv ("CERTWIZ_TEST_NOW");
  assert_renewed (fx, cert, renewed);
}

/* ARI through tests/ari-proxy.py: the CA's window decides when it is due, the
 * renewalInfo request names the certificate by the certID openssl computes, and the
 * renewal order says which certificate it replaces */
static void
test_renew_with_ari (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqRenewResult) early = NULL;
  g_autoptr(CertreqRenewResult) renewed = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) future_start = g_date_time_add_days (now, 10);
  g_autoptr(GDateTime) future_end = g_date_time_add_days (now, 11);
  g_autoptr(GDateTime) past_start = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) past_end = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *events = NULL;

  if (fx->pebble == NULL)
    return;
  cert = enroll_for_renewal (fx, fx->proxy_directory);
  cert_id = openssl_cert_id (cert);
  g_test_message ("certID %s", cert_id);

  /* A first request replaces nothing */
  events = proxy_events (fx);
  g_assert_cmpstr (events, ==, "newOrder replaces=-\n");
  g_clear_pointer (&events, g_free);

  /* The window as the CA says it, for the certificate openssl names */
  set_window (fx, future_start, future_end);
  client = certreq_ca_client_new_for_id (fx->store, "pebble", &error);
  g_assert_no_error (error);
  g_assert_true (certreq_ca_client_get_renewal_window (client, cert, &start, &end, NULL,
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (start), ==, g_date_time_to_unix (future_start));
  g_assert_cmpint (g_date_time_to_unix (end), ==, g_date_time_to_unix (future_end));
  expected = g_strdup_printf ("newOrder replaces=-\nrenewalInfo %s\n", cert_id);
  events = proxy_events (fx);
  g_assert_cmpstr (events, ==, expected);
  g_clear_pointer (&events, g_free);
  g_clear_pointer (&expected, g_free);

  /* A window ahead: not due yet, due at a time inside it */
  early = renew (fx, cert, CERTREQ_RENEW_FLAG_NONE);
  g_assert_cmpint (early->outcome, ==, CERTREQ_RENEW_NOT_DUE);
  g_assert_cmpint (g_date_time_compare (early->due, future_start), >=, 0);
  g_assert_cmpint (g_date_time_compare (early->due, future_end), <=, 0);

  /* A window that has passed: due now, although the store's rule says years ahead;
   * the order replaces the certificate */
  set_window (fx, past_start, past_end);
  renewed = renew (fx, cert, CERTREQ_RENEW_FLAG_NONE);
  assert_renewed (fx, cert, renewed);
  expected = g_strdup_printf ("newOrder replaces=-\nrenewalInfo %s\nrenewalInfo %s\n"
                              "renewalInfo %s\nnewOrder replaces=%s\n",
                              cert_id, cert_id, cert_id, cert_id);
  events = proxy_events (fx);
  g_assert_cmpstr (events, ==, expected);
}

static void
test_config_refused (void)
{
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  CertreqCaConfig config = { 0 };

  store = certreq_store_open (dir, &error);
  g_assert_no_error (error);
  config.name = (char *) "pebble";
  config.protocol = CERTREQ_CA_PROTOCOL_ACME;
  config.url = (char *) "http://127.0.0.1:1/dir";
  client = certreq_ca_acme_new (store, &config, &error);
  g_assert_null (client);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);

  config.url = (char *) "https://127.0.0.1:1/dir";
  config.http01 = (char *) "port:80";
  client = certreq_ca_acme_new (store, &config, &error);
  g_assert_null (client);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  config.name = (char *) "../evil";
  config.http01 = NULL;
  client = certreq_ca_acme_new (store, &config, &error);
  g_assert_null (client);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  certwiz_test_rmrf (dir);
}

static const PebbleSetup always_valid = { "PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_WFE_NONCEREJECT=0", FALSE, FALSE, NULL };
static const PebbleSetup real_validation = { "PEBBLE_WFE_NONCEREJECT=0", TRUE, FALSE, NULL };
static const PebbleSetup nonce_reject = { "PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_WFE_NONCEREJECT=50", FALSE, FALSE, NULL };
static const PebbleSetup eab_required = { "PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_WFE_NONCEREJECT=0", FALSE, TRUE, NULL };
static const PebbleSetup blocklist = { "PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_WFE_NONCEREJECT=0", FALSE, FALSE, "blocked.test" };
static const PebbleSetup ari_proxy = { "PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_WFE_NONCEREJECT=0", FALSE, FALSE, NULL, TRUE };
static const PebbleSetup alternate_roots = { "PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_ALTERNATE_ROOTS=1", FALSE, FALSE, NULL };

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");

  g_test_add_func ("/acme/config-refused", test_config_refused);
  g_test_add ("/acme/issue", Fixture, &always_valid, fixture_setup, test_issue,
              fixture_teardown);
  g_test_add ("/acme/http01-listener", Fixture, &real_validation, fixture_setup,
              test_http01_listener, fixture_teardown);
  g_test_add ("/acme/http01-webroot", Fixture, &real_validation, fixture_setup,
              test_http01_webroot, fixture_teardown);
  g_test_add ("/acme/dns01-hook", Fixture, &real_validation, fixture_setup, test_dns01_hook,
              fixture_teardown);
  g_test_add ("/acme/failed-validation", Fixture, &real_validation, fixture_setup,
              test_failed_validation, fixture_teardown);
  g_test_add ("/acme/bad-nonce", Fixture, &nonce_reject, fixture_setup, test_bad_nonce,
              fixture_teardown);
  g_test_add ("/acme/eab", Fixture, &eab_required, fixture_setup, test_eab,
              fixture_teardown);
  g_test_add ("/acme/rejected-name", Fixture, &blocklist, fixture_setup, test_rejected_name,
              fixture_teardown);
  g_test_add ("/acme/alternate-chains", Fixture, &alternate_roots, fixture_setup,
              test_alternate_chains, fixture_teardown);

  g_test_add ("/acme/renew-without-ari", Fixture, &always_valid, fixture_setup,
              test_renew_without_ari, fixture_teardown);
  g_test_add ("/acme/renew-with-ari", Fixture, &ari_proxy, fixture_setup,
              test_renew_with_ari, fixture_teardown);

  return g_test_run ();
}
