/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* The SCEP client (RFC 8894) against two peers:
 * - Debian's scepserver (package scep), a fresh depot per test. It listens on every
 *   interface and has no bind-address option, so this whole test binary runs in its own
 *   network namespace with only loopback: main() re-executes itself under
 *   `unshare -n` (root; `unshare -rn` in a user namespace otherwise) with lo brought
 *   up, so scepserver and the client share that namespace and nothing else sees it.
 * - tests/scep-responder (built next to this test): PENDING, CertPoll, every failInfo,
 *   an RA certificate chain, GET PKIOperation with DES3 — what scepserver never does.
 *   It binds 127.0.0.1 itself. */

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "certwiz-test-utils.h"
#include "certreq-ca-private.h"
#include "certreq-ca-scep.h"
#include "certreq-renew.h"

#define CHALLENGE "s3cret-Challenge"

static gboolean in_netns;
static char *netns_problem;

typedef struct
{
  char            *dir;
  CertreqStore    *store;
  GSubprocess     *peer;
  char            *url;
  char            *peer_dir;
  CertreqCaClient *client;
  GPtrArray       *stages;     /* CertreqSubmitStage as pointers, in order */
} Fixture;

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqServer) server = certreq_server_new ();

  fx->dir = certwiz_test_mkdtemp ();
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);
  certreq_server_set_fqdn (server, "fe01.corp.example.com");
  certreq_server_set_web_internal_fqdn (server, "webint.corp.example.com");
  certreq_store_save_server (fx->store, server, &error);
  g_assert_no_error (error);
  fx->peer_dir = g_build_filename (fx->dir, "peer", NULL);
  g_assert_cmpint (g_mkdir (fx->peer_dir, 0700), ==, 0);
  fx->stages = g_ptr_array_new ();
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  g_clear_object (&fx->client);
  if (fx->peer != NULL)
    {
      g_subprocess_force_exit (fx->peer);
      g_subprocess_wait (fx->peer, NULL, NULL);
      g_clear_object (&fx->peer);
    }
  g_clear_object (&fx->store);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
  g_free (fx->url);
  g_free (fx->peer_dir);
  g_ptr_array_unref (fx->stages);
}

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  Fixture *fx = user_data;

  g_assert_true (fraction < 0 || (fraction >= 0.0 && fraction <= 1.0));
  if (fx->stages->len == 0 ||
      GPOINTER_TO_UINT (g_ptr_array_index (fx->stages, fx->stages->len - 1)) != stage)
    g_ptr_array_add (fx->stages, GUINT_TO_POINTER (stage));
}

static void
assert_stages (Fixture *fx,
               ...)
{
  va_list ap;
  guint i = 0;
  int stage;

  va_start (ap, fx);
  while ((stage = va_arg (ap, int)) >= 0)
    {
      g_assert_cmpuint (i, <, fx->stages->len);
      g_assert_cmpint (GPOINTER_TO_UINT (g_ptr_array_index (fx->stages, i)), ==, stage);
      i++;
    }
  va_end (ap);
  g_assert_cmpuint (i, ==, fx->stages->len);
  g_ptr_array_set_size (fx->stages, 0);
}

/* ---- Peers ---- */

static gboolean
require_tool (const char *tool,
              const char *why)
{
  g_autofree char *path = g_find_program_in_path (tool);

  if (path != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("%s is missing (%s); build-aux/deps test installs it", tool, why);
  g_test_skip_printf ("%s is not installed (%s)", tool, why);
  return FALSE;
}

static gboolean
require_netns (void)
{
  if (in_netns)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("scepserver listens on every interface and must run in a network namespace "
             "of its own, but none could be made: %s", netns_problem);
  g_test_skip_printf ("scepserver listens on every interface and needs a network namespace "
                      "of its own, which could not be made here (%s)", netns_problem);
  return FALSE;
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
wait_for_port (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  int i;

  for (i = 0; i < 200; i++)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        return;
      g_usleep (25 * 1000);
    }
  g_error ("nothing listens on 127.0.0.1:%u", port);
}

static void
die_with_parent (gpointer unused)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_scepserver_with (Fixture    *fx,
                       const char *allow_renew)
{
  g_autofree char *depot = g_build_filename (fx->peer_dir, "depot", NULL);
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *init[] = { "scepserver", "ca", "-init", "-depot", depot, "-keySize", "2048",
                         NULL };
  guint port_number;

  out = certwiz_test_run (init);
  port_number = free_port ();
  port = g_strdup_printf ("%u", port_number);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* A failed assertion skips the teardown: scepserver must not outlive the test */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fx->peer = g_subprocess_launcher_spawn (launcher, &error,
                                          "scepserver", "-depot", depot, "-port", port,
                                          "-challenge", CHALLENGE,
                                          "-allowrenew", allow_renew, NULL);
  g_assert_no_error (error);
  wait_for_port (port_number);
  fx->url = g_strdup_printf ("http://127.0.0.1:%u/scep", port_number);
}

/* scepserver's default: a second certificate for a subject only in the last 14 days */
static void
start_scepserver (Fixture *fx)
{
  start_scepserver_with (fx, "14");
}

static void
openssl_cert (const char *dir,
              const char *name,
              const char *subject,
              const char *extensions,   /* NULL: a self-signed CA */
              gboolean    with_key)
{
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, name);
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", dir, name);
  g_autofree char *csr = g_strdup_printf ("%s/%s.csr", dir, name);
  g_autofree char *ext = g_strdup_printf ("%s/%s.ext", dir, name);
  g_autofree char *ca = g_strdup_printf ("%s/ca.pem", dir);
  g_autofree char *ca_key = g_strdup_printf ("%s/ca.key", dir);
  g_autofree char *out = NULL;

  g_assert_true (with_key);
  /* One CA per test, however often the responder restarts */
  if (g_file_test (pem, G_FILE_TEST_EXISTS))
    return;
  if (extensions == NULL)
    {
      out = certwiz_test_openssl (NULL, 0, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                  "-keyout", key, "-out", pem, "-subj", subject,
                                  "-days", "2", NULL);
      return;
    }

  g_assert_true (g_file_set_contents (ext, extensions, -1, NULL));
  out = certwiz_test_openssl (NULL, 0, "req", "-new", "-newkey", "rsa:2048", "-nodes",
                              "-keyout", key, "-out", csr, "-subj", subject, NULL);
  g_free (out);
  out = certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                              "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", pem,
                              NULL);
}

/* tests/scep-responder with @first_arg… (NULL-terminated) */
static void
start_responder (Fixture    *fx,
                 const char *first_arg,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *responder = NULL;
  g_autofree char *line = NULL;
  const char *arg;
  va_list ap;

  openssl_cert (fx->peer_dir, "ca", "/O=Certwiz tests/CN=Test SCEP CA", NULL, TRUE);

  responder = g_test_build_filename (G_TEST_BUILT, "scep-responder", NULL);
  g_ptr_array_add (argv, responder);
  g_ptr_array_add (argv, (char *) "--dir");
  g_ptr_array_add (argv, fx->peer_dir);
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    {
      if (g_str_equal (arg, "--ra"))
        {
          openssl_cert (fx->peer_dir, "ra-sign", "/O=Certwiz tests/CN=Test SCEP RA signing",
                        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n",
                        TRUE);
          openssl_cert (fx->peer_dir, "ra-enc", "/O=Certwiz tests/CN=Test SCEP RA encryption",
                        "basicConstraints=CA:FALSE\nkeyUsage=critical,keyEncipherment\n",
                        TRUE);
        }
      g_ptr_array_add (argv, (char *) arg);
    }
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  fx->peer = g_subprocess_newv ((const char * const *) argv->pdata,
                                G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->peer));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  fx->url = g_strdup_printf ("http://127.0.0.1:%s/cgi-bin/pkiclient.exe", line + 5);
}

static char *
responder_events (Fixture *fx)
{
  g_autofree char *path = g_build_filename (fx->peer_dir, "events.log", NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* ---- The request ---- */

static void
make_client (Fixture    *fx,
             const char *challenge_file)
{
  g_autoptr(GError) error = NULL;
  CertreqCaConfig config = { 0 };

  config.name = (char *) "corp-scep";
  config.protocol = CERTREQ_CA_PROTOCOL_SCEP;
  config.url = fx->url;
  config.challenge_password_file = (char *) challenge_file;
  fx->client = certreq_ca_scep_new (fx->store, &config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->client);
  g_assert_cmpstr (certreq_ca_client_get_id (fx->client), ==, "corp-scep");
}

/* A PKCS#10 request over a new key, or over *@out_key when it is set; a new key is
 * returned in @out_key (optional) */
static GBytes *
make_request (Fixture         *fx,
              CertreqKeyType   key_type,
              const char      *common_name,
              CertreqKey     **out_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqKey) key = NULL;
  char *names[] = { (char *) "webint.corp.example.com", NULL };
  CertreqCsrSpec spec = { 0 };
  GBytes *csr;

  /* A loop's requests share one key (RSA generation is the slow part) */
  if (out_key != NULL && *out_key != NULL)
    key = g_object_ref (*out_key);
  else
    key = certreq_key_generate (key_type, NULL, &error);
  g_assert_no_error (error);
  spec.common_name = (char *) common_name;
  spec.organization = (char *) "Contoso";
  spec.dns_names = names;
  spec.eku = CERTREQ_EKU_SERVER_AUTH;
  csr = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);
  /* What certreq-enroll does before submit and certreq-pending before retrieve */
  _certreq_ca_client_set_request_key (fx->client, key, csr);
  if (out_key != NULL && *out_key == NULL)
    *out_key = g_steal_pointer (&key);
  return csr;
}

static gboolean
subject_contains (CertreqCertificate *cert,
                  const char         *needle)
{
  g_autofree char *subject = certreq_certificate_get_subject (cert);

  return strstr (subject, needle) != NULL;
}

/* openssl's own reading: the certificate's public key is the CSR's */
static void
assert_cert_matches_csr (Fixture            *fx,
                         CertreqCertificate *cert,
                         GBytes             *csr)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);
  g_autofree char *csr_path = certwiz_test_write (fx->dir, "request.der",
                                                  g_bytes_get_data (csr, NULL),
                                                  g_bytes_get_size (csr));
  g_autofree char *cert_key = NULL;
  g_autofree char *csr_key = NULL;

  cert_key = certwiz_test_openssl (pem, strlen (pem), "x509", "-noout", "-pubkey", NULL);
  csr_key = certwiz_test_openssl (NULL, 0, "req", "-inform", "DER", "-in", csr_path, "-noout",
                                  "-pubkey", NULL);
  g_assert_true (g_str_has_prefix (cert_key, "-----BEGIN PUBLIC KEY-----"));
  g_assert_cmpstr (cert_key, ==, csr_key);
}

/* ---- scepserver ---- */

static void
test_scepserver_issued (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *text = NULL;
  CertreqCertificate *ca;
  CertreqUsageVerdict *verdict;
  CertreqCertMeta meta = { 0 };

  g_test_summary ("scepserver issues to the account page's challenge password; the "
                  "certificate is for our key (openssl), for client authentication only, "
                  "so the assign check refuses a web usage and says why");
  if (!require_netns () || !require_tool ("scepserver", "Debian package scep"))
    return;
  start_scepserver (fx);
  make_client (fx, NULL);
  certreq_ca_client_set_credentials (fx->client, NULL, CHALLENGE);
  csr = make_request (fx, CERTREQ_KEY_TYPE_RSA_2048, "webint.corp.example.com", &key);

  result = certreq_ca_client_submit (fx->client, csr, NULL, on_progress, fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_cmpstr (result->ca_id, ==, "corp-scep");
  {
    g_autofree char *tid = g_ascii_strup (certreq_key_get_id (key), -1);

    g_assert_cmpstr (result->request_id, ==, tid);
  }
  assert_stages (fx, CERTREQ_SUBMIT_STAGE_CONNECTING, CERTREQ_SUBMIT_STAGE_SUBMITTING,
                 CERTREQ_SUBMIT_STAGE_DOWNLOADING, -1);
  assert_cert_matches_csr (fx, result->certificate, csr);

  /* The chain: scepserver's own CA, self-signed */
  g_assert_nonnull (result->chain);
  g_assert_cmpuint (result->chain->len, ==, 1);
  ca = g_ptr_array_index (result->chain, 0);
  g_assert_true (subject_contains (ca, "scep-ca"));

  /* scepserver writes clientAuth and nothing else into the extended key usage */
  pem = certreq_certificate_to_pem (result->certificate);
  text = certwiz_test_openssl (pem, strlen (pem), "x509", "-noout", "-ext", "extendedKeyUsage",
                               NULL);
  g_assert_nonnull (strstr (text, "TLS Web Client Authentication"));
  g_assert_null (strstr (text, "TLS Web Server Authentication"));

  /* In the store with its key and a trusted CA, only the EKU stands in the way */
  certreq_store_save_key (fx->store, key, FALSE, &error);
  g_assert_no_error (error);
  certreq_store_trust_add (fx->store, ca, TRUE, &error);
  g_assert_no_error (error);
  meta.friendly_name = (char *) "SCEP test";
  meta.usages = CERTREQ_USAGE_FLAG_WEB_INTERNAL;
  meta.ca_id = (char *) "corp-scep";
  certreq_store_add_certificate (fx->store, result->certificate, result->chain, &meta, &error);
  g_assert_no_error (error);
  verdicts = certreq_assign_check (fx->store, result->certificate,
                                   CERTREQ_USAGE_FLAG_WEB_INTERNAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (verdicts->len, ==, 1);
  verdict = g_ptr_array_index (verdicts, 0);
  g_assert_cmpint (verdict->kind, ==, CERTREQ_VERDICT_REFUSED);
  g_assert_nonnull (strstr (verdict->reason, "server authentication"));
}

static void
test_scepserver_configured_challenge (Fixture       *fx,
                                      gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autofree char *file = NULL;

  g_test_summary ("Without an account page password the configured challenge password file "
                  "is used (its trailing newline is not part of it)");
  if (!require_netns () || !require_tool ("scepserver", "Debian package scep"))
    return;
  start_scepserver (fx);
  file = certwiz_test_write (fx->dir, "challenge", CHALLENGE "\n", strlen (CHALLENGE) + 1);
  g_assert_cmpint (g_chmod (file, 0600), ==, 0);
  make_client (fx, file);
  csr = make_request (fx, CERTREQ_KEY_TYPE_RSA_2048, "fe01.corp.example.com", NULL);

  result = certreq_ca_client_submit (fx->client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  assert_cert_matches_csr (fx, result->certificate, csr);
}

static void
test_scepserver_wrong_challenge (Fixture       *fx,
                                 gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;

  g_test_summary ("A wrong challenge password: scepserver's FAILURE is a denial whose reason "
                  "says badRequest in plain words and names the CA");
  if (!require_netns () || !require_tool ("scepserver", "Debian package scep"))
    return;
  start_scepserver (fx);
  make_client (fx, NULL);
  certreq_ca_client_set_credentials (fx->client, NULL, "not-the-challenge");
  csr = make_request (fx, CERTREQ_KEY_TYPE_RSA_2048, "webint.corp.example.com", NULL);

  result = certreq_ca_client_submit (fx->client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_null (result->certificate);
  g_assert_nonnull (strstr (result->reason, "corp-scep"));
  g_assert_nonnull (strstr (result->reason, "(badRequest)"));
  g_assert_nonnull (strstr (result->reason, "challenge password"));
}

/* ---- The test responder ---- */

static void
test_ec_refused (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autofree char *events = NULL;

  g_test_summary ("An EC key is refused with a sentence before anything is sent");
  start_responder (fx, NULL);
  make_client (fx, NULL);
  csr = make_request (fx, CERTREQ_KEY_TYPE_EC_P256, "webint.corp.example.com", NULL);

  result = certreq_ca_client_submit (fx->client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_null (result);
  g_assert_nonnull (strstr (error->message, "RSA"));
  g_assert_nonnull (strstr (error->message, "corp-scep"));
  events = responder_events (fx);
  g_assert_cmpstr (events, ==, "");
}

static void
test_pending_then_poll (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqSubmitResult) poll1 = NULL;
  g_autoptr(CertreqSubmitResult) poll2 = NULL;
  g_autofree char *tid = NULL;
  g_autofree char *events = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("PENDING: the transaction id (the public key's SHA-256) is the request id; "
                  "CertPoll with IssuerAndSubject is answered PENDING, then SUCCESS");
  start_responder (fx, "--pending", "--challenge", CHALLENGE, NULL);
  make_client (fx, NULL);
  certreq_ca_client_set_credentials (fx->client, NULL, CHALLENGE);
  csr = make_request (fx, CERTREQ_KEY_TYPE_RSA_2048, "webint.corp.example.com", &key);
  tid = g_ascii_strup (certreq_key_get_id (key), -1);

  result = certreq_ca_client_submit (fx->client, csr, NULL, on_progress, fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_PENDING);
  g_assert_cmpstr (result->request_id, ==, tid);
  g_assert_null (result->certificate);
  assert_stages (fx, CERTREQ_SUBMIT_STAGE_CONNECTING, CERTREQ_SUBMIT_STAGE_SUBMITTING, -1);

  /* A later run: a new client, given the saved key and CSR as certreq-pending does */
  g_clear_object (&fx->client);
  make_client (fx, NULL);
  _certreq_ca_client_set_request_key (fx->client, key, csr);
  poll1 = certreq_ca_client_retrieve (fx->client, result->request_id, on_progress, fx, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (poll1->status, ==, CERTREQ_SUBMIT_PENDING);
  g_assert_cmpstr (poll1->request_id, ==, tid);
  assert_stages (fx, CERTREQ_SUBMIT_STAGE_CONNECTING, CERTREQ_SUBMIT_STAGE_WAITING, -1);

  poll2 = certreq_ca_client_retrieve (fx->client, result->request_id, on_progress, fx, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (poll2->status, ==, CERTREQ_SUBMIT_ISSUED);
  assert_stages (fx, CERTREQ_SUBMIT_STAGE_CONNECTING, CERTREQ_SUBMIT_STAGE_WAITING,
                 CERTREQ_SUBMIT_STAGE_DOWNLOADING, -1);
  assert_cert_matches_csr (fx, poll2->certificate, csr);
  g_assert_cmpuint (poll2->chain->len, ==, 1);
  g_assert_true (subject_contains (g_ptr_array_index (poll2->chain, 0), "Test SCEP CA"));

  events = responder_events (fx);
  lines = g_strsplit (events, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[0], "POST 19 "));
  g_assert_true (g_str_has_suffix (lines[0], "-> 3"));
  g_assert_true (g_str_has_prefix (lines[1], "POST 20 "));
  g_assert_true (g_str_has_suffix (lines[1], "-> 3"));
  g_assert_true (g_str_has_prefix (lines[2], "POST 20 "));
  g_assert_true (g_str_has_suffix (lines[2], "-> 0"));
  g_assert_nonnull (strstr (lines[2], tid));
}

static void
test_fail_info (Fixture       *fx,
                gconstpointer  unused)
{
  static const char * const words[] = { "(badAlg)", "(badMessageCheck)", "(badRequest)",
                                        "(badTime)", "(badCertId)" };
  guint code;

  g_autoptr(CertreqKey) key = NULL;

  g_test_summary ("Each failInfo becomes a denial in plain words with the CA's failInfoText");
  for (code = 0; code < G_N_ELEMENTS (words); code++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) csr = NULL;
      g_autoptr(CertreqSubmitResult) result = NULL;
      g_autofree char *code_text = g_strdup_printf ("%u", code);

      start_responder (fx, "--fail", code_text, NULL);
      make_client (fx, NULL);
      csr = make_request (fx, CERTREQ_KEY_TYPE_RSA_2048, "webint.corp.example.com", &key);
      result = certreq_ca_client_submit (fx->client, csr, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_DENIED);
      g_assert_nonnull (strstr (result->reason, words[code]));
      g_assert_nonnull (strstr (result->reason, "corp-scep"));
      g_assert_nonnull (strstr (result->reason, "test responder refused it"));

      g_clear_object (&fx->client);
      g_subprocess_force_exit (fx->peer);
      g_subprocess_wait (fx->peer, NULL, NULL);
      g_clear_object (&fx->peer);
      g_clear_pointer (&fx->url, g_free);
    }
}

static void
test_ra_chain (Fixture       *fx,
               gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;

  g_test_summary ("GetCACert with an RA chain (signing RA first, CA, encryption RA): the "
                  "request is encrypted to the RA's encryption certificate, the RA-signed "
                  "answer accepted, and the chain holds the CA only");
  start_responder (fx, "--ra", NULL);
  make_client (fx, NULL);
  csr = make_request (fx, CERTREQ_KEY_TYPE_RSA_2048, "webint.corp.example.com", NULL);

  result = certreq_ca_client_submit (fx->client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  assert_cert_matches_csr (fx, result->certificate, csr);
  g_assert_cmpuint (result->chain->len, ==, 1);
  g_assert_true (subject_contains (g_ptr_array_index (result->chain, 0), "Test SCEP CA"));
}

static void
test_caps (Fixture       *fx,
           gconstpointer  unused)
{
  static const struct
  {
    const char *caps;
    const char *expect;
  } cases[] = {
    /* scepserver's list: POST, SHA-256, AES (AES-128, RFC 8894 §3.5.2) */
    { "Renewal,SHA-1,SHA-256,AES,DES3,SCEPStandard,POSTPKIOperation",
      "POST 19 cipher=AES-128-CBC digest=SHA256 " },
    { "SHA-512,SHA-256,AES,POSTPKIOperation", "POST 19 cipher=AES-128-CBC digest=SHA512 " },
    /* An old CA: GET with the message in the query, 3DES, SHA-1 */
    { "SHA-1,DES3", "GET 19 cipher=DES-EDE3-CBC digest=SHA1 " },
    /* SCEPStandard alone promises AES, SHA-256 and POST */
    { "SCEPStandard", "POST 19 cipher=AES-128-CBC digest=SHA256 " },
  };
  guint i;

  g_autoptr(CertreqKey) key = NULL;

  g_test_summary ("GetCACaps: the strongest digest and cipher offered, POST or GET");
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) csr = NULL;
      g_autoptr(CertreqSubmitResult) result = NULL;
      g_autofree char *events = NULL;

      start_responder (fx, "--caps", cases[i].caps, NULL);
      make_client (fx, NULL);
      csr = make_request (fx, CERTREQ_KEY_TYPE_RSA_2048, "webint.corp.example.com", &key);
      result = certreq_ca_client_submit (fx->client, csr, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
      events = responder_events (fx);
      g_assert_true (g_str_has_prefix (events, cases[i].expect));

      g_clear_object (&fx->client);
      g_subprocess_force_exit (fx->peer);
      g_subprocess_wait (fx->peer, NULL, NULL);
      g_clear_object (&fx->peer);
      g_clear_pointer (&fx->url, g_free);
      {
        g_autofree char *log = g_build_filename (fx->peer_dir, "events.log", NULL);

        g_unlink (log);
      }
    }
}

/* ---- Renewal through certreq_renew_certificate() ---- */

static void
stop_peer (Fixture *fx)
{
  g_subprocess_force_exit (fx->peer);
  g_subprocess_wait (fx->peer, NULL, NULL);
  g_clear_object (&fx->peer);
  g_clear_pointer (&fx->url, g_free);
}

/* cas.ini names the CA at fx->url (its challenge password in a root-only file) */
static void
configure_ca (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *challenge = certwiz_test_write (fx->dir, "challenge", CHALLENGE,
                                                   strlen (CHALLENGE));
  CertreqCaConfig config = { 0 };

  g_assert_cmpint (g_chmod (challenge, 0600), ==, 0);
  config.name = (char *) "corp-scep";
  config.protocol = CERTREQ_CA_PROTOCOL_SCEP;
  config.url = fx->url;
  config.challenge_password_file = challenge;
  certreq_store_set_ca (fx->store, &config, &error);
  g_assert_no_error (error);
}

/* certreq_enroll() from the CA at fx->url: the certificate the tests renew */
static CertreqCertificate *
enroll_for_renewal (Fixture *fx)
{
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  configure_ca (fx);
  server = certreq_store_load_server (fx->store, &error);
  g_assert_no_error (error);
  request = certreq_request_new (server);
  certreq_request_set_usages (request, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  certreq_request_set_online (request, TRUE);
  certreq_request_set_ca_id (request, "corp-scep");
  certreq_request_set_friendly_name (request, "SCEP renewal test");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_RSA_2048);
  result = certreq_enroll (fx->store, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  return g_object_ref (result->certificate);
}

static void
on_detail (CertreqSubmitStage  stage,
           const char         *detail,
           double              fraction,
           gpointer            user_data)
{
  if (detail != NULL)
    g_string_append_printf (user_data, "%s\n", detail);
}

/* A forced renewal; @details (optional) collects the progress details */
static CertreqRenewResult *
renew (Fixture            *fx,
       CertreqCertificate *cert,
       GString            *details)
{
  g_autoptr(GError) error = NULL;
  CertreqRenewResult *result;

  result = certreq_renew_certificate (fx->store, certreq_certificate_get_thumbprint (cert), NULL,
                                      CERTREQ_RENEWAL_RULE_DEFAULT, CERTREQ_RENEW_FLAG_FORCE,
                                      details != NULL ? on_detail : NULL, details, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("renewal: %s: %s", certreq_renew_outcome_to_id (result->outcome),
                  result->message);
  return result;
}

/* The renewal is in the store, for a new key and the same subject */
static void
assert_renewed (Fixture            *fx,
                CertreqCertificate *old_cert,
                CertreqRenewResult *result)
{
  g_autoptr(CertreqCertificate) renewed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_subject = certreq_certificate_get_subject (old_cert);
  g_autofree char *new_subject = NULL;

  g_assert_cmpint (result->outcome, ==, CERTREQ_RENEW_RENEWED);
  renewed = certreq_store_find_certificate (fx->store, result->new_thumbprint, &error);
  g_assert_no_error (error);
  g_assert_false (certreq_certificate_equal (renewed, old_cert));
  g_assert_cmpstr (certreq_certificate_get_key_id (renewed), !=,
                   certreq_certificate_get_key_id (old_cert));
  g_assert_true (certreq_store_has_key_for (fx->store, renewed));
  new_subject = certreq_certificate_get_subject (renewed);
  g_assert_cmpstr (new_subject, ==, old_subject);
}

/* "issued:<serial>" as openssl reads the serial of @cert */
static char *
issued_signer (CertreqCertificate *cert)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);
  g_autofree char *serial = certwiz_test_openssl (pem, strlen (pem), "x509", "-noout", "-serial",
                                                  NULL);

  g_assert_true (g_str_has_prefix (serial, "serial="));
  return g_strdup_printf ("signer=issued:%s ", g_strstrip (serial + 7));
}

static void
test_responder_renewal (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *events = NULL;
  g_autofree char *signer = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("A renewal is a RenewalReq (17) signed by the certificate renewed, which "
                  "the responder checks it issued; the first request was a PKCSReq signed "
                  "by a self-signed certificate");
  start_responder (fx, "--challenge", CHALLENGE, NULL);
  cert = enroll_for_renewal (fx);
  result = renew (fx, cert, details);
  assert_renewed (fx, cert, result);
  g_assert_nonnull (strstr (details->str, "signed with the certificate being renewed"));

  events = responder_events (fx);
  lines = g_strsplit (events, "\n", -1);
  signer = issued_signer (cert);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "POST 19 "));
  g_assert_true (g_str_has_suffix (lines[0], " signer=self -> 0"));
  g_assert_true (g_str_has_prefix (lines[1], "POST 17 "));
  g_assert_nonnull (strstr (lines[1], signer));
  g_assert_true (g_str_has_suffix (lines[1], "-> 0"));
}

static void
test_responder_renewal_pending (Fixture       *fx,
                                gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewResult) held = NULL;
  g_autoptr(CertreqRenewResult) still = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autofree char *events = NULL;
  g_autofree char *signer = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("A renewal the CA holds: the next runs poll with CertPoll signed by the "
                  "certificate being renewed, as the RenewalReq was, until it is issued");
  start_responder (fx, "--challenge", CHALLENGE, NULL);
  cert = enroll_for_renewal (fx);
  stop_peer (fx);
  start_responder (fx, "--pending", "--challenge", CHALLENGE, NULL);
  configure_ca (fx);

  held = renew (fx, cert, NULL);
  g_assert_cmpint (held->outcome, ==, CERTREQ_RENEW_WAITING);
  still = renew (fx, cert, NULL);
  g_assert_cmpint (still->outcome, ==, CERTREQ_RENEW_WAITING);
  result = renew (fx, cert, NULL);
  assert_renewed (fx, cert, result);

  events = responder_events (fx);
  lines = g_strsplit (events, "\n", -1);
  signer = issued_signer (cert);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_str_has_prefix (lines[1], "POST 17 "));
  g_assert_nonnull (strstr (lines[1], signer));
  g_assert_true (g_str_has_suffix (lines[1], "-> 3"));
  g_assert_true (g_str_has_prefix (lines[2], "POST 20 "));
  g_assert_nonnull (strstr (lines[2], signer));
  g_assert_true (g_str_has_suffix (lines[2], "-> 3"));
  g_assert_true (g_str_has_prefix (lines[3], "POST 20 "));
  g_assert_nonnull (strstr (lines[3], signer));
  g_assert_true (g_str_has_suffix (lines[3], "-> 0"));
}

static void
test_responder_renewal_fallback (Fixture       *fx,
                                 gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autofree char *events = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("A CA without Renewal in GetCACaps gets a renewal as a PKCSReq with a "
                  "self-signed certificate and the challenge password");
  start_responder (fx, "--caps", "SHA-256,AES,POSTPKIOperation", "--challenge", CHALLENGE, NULL);
  cert = enroll_for_renewal (fx);
  result = renew (fx, cert, NULL);
  assert_renewed (fx, cert, result);

  events = responder_events (fx);
  lines = g_strsplit (events, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[1], "POST 19 "));
  g_assert_true (g_str_has_suffix (lines[1], " signer=self -> 0"));
}

static void
test_scepserver_renewal (Fixture       *fx,
                         gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autoptr(GString) details = g_string_new (NULL);

  g_test_summary ("scepserver lists Renewal in GetCACaps and issues a RenewalReq signed by "
                  "the certificate it issued before (-allowrenew 0: its depot refuses a "
                  "second certificate for a subject earlier than that)");
  if (!require_netns () || !require_tool ("scepserver", "Debian package scep"))
    return;
  start_scepserver_with (fx, "0");
  cert = enroll_for_renewal (fx);
  result = renew (fx, cert, details);
  assert_renewed (fx, cert, result);
  g_assert_nonnull (strstr (details->str, "signed with the certificate being renewed"));
}

static void
test_bad_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autoptr(CertreqStore) store = certreq_store_open (dir, &error);
  g_autoptr(CertreqCaClient) client = NULL;
  CertreqCaConfig config = { 0 };

  g_assert_no_error (error);
  config.name = (char *) "corp-scep";
  config.protocol = CERTREQ_CA_PROTOCOL_SCEP;
  config.url = (char *) "ldap://ndes.example.com/";
  client = certreq_ca_scep_new (store, &config, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_null (client);
  g_assert_nonnull (strstr (error->message, "ldap://ndes.example.com/"));
  certwiz_test_rmrf (dir);
}

/* ---- The network namespace ---- */

/* Re-executes this binary inside a new network namespace with lo up (see the top) */
static void
enter_network_namespace (char **argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *self = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gboolean root = geteuid () == 0;
  const char *probe_root[] = { "unshare", "-n", "ip", "link", "set", "lo", "up", NULL };
  const char *probe_user[] = { "unshare", "-r", "-n", "ip", "link", "set", "lo", "up", NULL };
  int status = -1;
  char **arg;

  if (g_strcmp0 (g_getenv ("CERTWIZ_TEST_NETNS"), "1") == 0)
    {
      in_netns = TRUE;
      return;
    }

  if (!g_spawn_sync (NULL, (char **) (root ? probe_root : probe_user), NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      netns_problem = g_strdup_printf ("%s: %s", root ? "unshare -n" : "unshare -r -n",
                                       error != NULL ? error->message : g_strstrip (err));
      return;
    }

  self = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  g_setenv ("CERTWIZ_TEST_NETNS", "1", TRUE);
  g_ptr_array_add (args, (char *) "unshare");
  if (!root)
    g_ptr_array_add (args, (char *) "-r");
  g_ptr_array_add (args, (char *) "-n");
  g_ptr_array_add (args, (char *) "--");
  g_ptr_array_add (args, (char *) "sh");
  g_ptr_array_add (args, (char *) "-c");
  g_ptr_array_add (args, (char *) "ip link set lo up && exec \"$0\" \"$@\"");
  g_ptr_array_add (args, self);
  for (arg = argv + 1; *arg != NULL; arg++)
    g_ptr_array_add (args, *arg);
  g_ptr_array_add (args, NULL);
  execvp ("unshare", (char **) args->pdata);
  netns_problem = g_strdup_printf ("exec unshare: %s", g_strerror (errno));
}

int
main (int    argc,
      char **argv)
{
  enter_network_namespace (argv);
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/ca-scep/bad-url", test_bad_url);
#define ADD(path, fn) g_test_add ("/certreq/ca-scep/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("scepserver/issued-client-auth-only", test_scepserver_issued);
  ADD ("scepserver/configured-challenge", test_scepserver_configured_challenge);
  ADD ("scepserver/wrong-challenge", test_scepserver_wrong_challenge);
  ADD ("responder/ec-refused", test_ec_refused);
  ADD ("responder/pending-then-poll", test_pending_then_poll);
  ADD ("responder/fail-info", test_fail_info);
  ADD ("responder/ra-chain", test_ra_chain);
  ADD ("responder/caps", test_caps);
  ADD ("responder/renewal", test_responder_renewal);
  ADD ("responder/renewal-pending", test_responder_renewal_pending);
  ADD ("responder/renewal-fallback", test_responder_renewal_fallback);
  ADD ("scepserver/renewal", test_scepserver_renewal);
#undef ADD

  return g_test_run ();
}
