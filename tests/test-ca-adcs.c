/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "certwiz-test-utils.h"
#include "certreq-ca-adcs.h"
#include "certreq-renew.h"

/* The AD CS Web Enrollment client against tests/certsrv/certsrv-server.py: the
 * certsrv pages behind Apache (Basic over TLS, Negotiate with mod_auth_gssapi and a
 * Kerberos realm of its own, TLS client certificates) and an NTLM front end whose
 * answers impacket's server-side NTLM checks. One server for the whole binary. */

static GSubprocess *server;
static GKeyFile *info;
static char *server_dir;
static char *work_dir;
static CertreqStore *store;
static guint csr_counter;

static char *
info_get (const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_string (info, "certsrv", key, &error);

  g_assert_no_error (error);
  return value;
}

static gboolean
start_server (char **out_missing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "certsrv",
                                                   "certsrv-server.py", NULL);
  g_autofree char *dir = NULL;

  server_dir = certwiz_test_mkdtemp ();
  dir = g_build_filename (server_dir, "srv", NULL);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, "/usr/bin/python3", script, dir, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("certsrv-server.py stopped before it was ready");
      if (g_str_has_prefix (line, "missing="))
        {
          *out_missing = g_strdup (line + 8);
          return FALSE;
        }
      if (g_str_equal (line, "# ready"))
        break;
      g_string_append_printf (text, "%s\n", line);
    }

  info = g_key_file_new ();
  g_key_file_load_from_data (info, text->str, text->len, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
stop_server (void)
{
  g_autoptr(GError) error = NULL;

  if (server == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, NULL);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server);
}

/* A P-256 request made by the openssl command line */
static GBytes *
make_csr (const char *cn)
{
  g_autofree char *key_path = g_strdup_printf ("%s/leaf%u.key", work_dir, ++csr_counter);
  g_autofree char *csr_path = g_strdup_printf ("%s/leaf%u.csr", work_dir, csr_counter);
  g_autofree char *subj = g_strdup_printf ("/CN=%s", cn);
  g_autofree char *san = g_strdup_printf ("subjectAltName=DNS:%s", cn);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  out = certwiz_test_openssl (NULL, 0, "req", "-new", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:P-256", "-nodes", "-keyout", key_path,
                              "-subj", subj, "-addext", san, "-outform", "DER",
                              "-out", csr_path, NULL);
  g_file_get_contents (csr_path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

/* @front: "basic", "basic-de", "negotiate", "negotiate-de", "cert", "ntlm", "ntlm-de" */
static CertreqCaClient *
make_client (const char *front,
             const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = info_get (front);
  g_autofree char *trust = info_get ("trust");
  g_autofree char *client_cert = info_get ("client-cert");
  g_autofree char *client_key = info_get ("client-key");
  g_autofree char *user = info_get (g_str_has_prefix (front, "ntlm") ? "ntlm-user" : "user");
  g_autofree char *right = info_get ("password");
  g_autofree char *password_file = NULL;
  CertreqCaConfig config = { 0, };
  CertreqCaClient *client;

  password_file = certwiz_test_write (work_dir, "password", password != NULL ? password : right,
                                      strlen (password != NULL ? password : right));
  g_chmod (password_file, 0600);

  config.name = (char *) "contoso-ca";
  config.protocol = CERTREQ_CA_PROTOCOL_ADCS;
  config.url = url;
  config.trust_bundle = trust;
  config.template_name = (char *) "WebServer";
  if (g_str_has_prefix (front, "basic") || g_str_has_prefix (front, "http-basic"))
    config.auth = CERTREQ_HTTP_AUTH_BASIC;
  else if (g_str_has_prefix (front, "ntlm"))
    config.auth = CERTREQ_HTTP_AUTH_NTLM;
  else if (g_str_has_prefix (front, "negotiate"))
    config.auth = CERTREQ_HTTP_AUTH_NEGOTIATE;
  else
    config.auth = CERTREQ_HTTP_AUTH_CERT;
  if (config.auth == CERTREQ_HTTP_AUTH_BASIC || config.auth == CERTREQ_HTTP_AUTH_NTLM)
    {
      config.username = user;
      config.password_file = password_file;
    }
  if (config.auth == CERTREQ_HTTP_AUTH_CERT)
    {
      config.client_cert = client_cert;
      config.client_key = client_key;
    }

  client = certreq_ca_adcs_new (store, &config, &error);
  g_assert_no_error (error);
  g_assert_true (CERTREQ_IS_CA_ADCS (client));
  return client;
}

static CertreqCertificate *
load_cert (const char *key)
{
  g_autofree char *path = info_get (key);
  g_autoptr(GError) error = NULL;
  CertreqCertificate *cert = certreq_certificate_load (path, &error);

  g_assert_no_error (error);
  return cert;
}

static void
record_stage (CertreqSubmitStage  stage,
              const char         *detail,
              double              fraction,
              gpointer            user_data)
{
  guint *seen = user_data;

  *seen |= 1u << stage;
}

/* Issued: the certificate for our key, the chain issuer first: the CA's current
 * signing certificate (renewal 1), then the root */
static void
assert_issued (CertreqSubmitResult *result,
               const char          *cn)
{
  g_autoptr(CertreqCertificate) current = load_cert ("ca-current");
  g_autoptr(CertreqCertificate) root = load_cert ("root");
  g_auto(GStrv) names = NULL;

  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_nonnull (result->request_id);
  g_assert_nonnull (result->certificate);
  names = certreq_certificate_get_dns_names (result->certificate);
  g_assert_cmpstr (names[0], ==, cn);
  g_assert_nonnull (result->chain);
  g_assert_cmpuint (result->chain->len, ==, 2);
  g_assert_true (certreq_certificate_equal (g_ptr_array_index (result->chain, 0), current));
  g_assert_true (certreq_certificate_equal (g_ptr_array_index (result->chain, 1), root));
}

static void
test_issue (gconstpointer data)
{
  const char *front = data;
  g_autoptr(CertreqCaClient) client = make_client (front, NULL);
  g_autofree char *cn = g_strdup_printf ("%s.corp.example.com", front);
  g_autoptr(GBytes) csr = make_csr (cn);
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  g_test_summary ("Issued through each authentication: certificate and chain downloaded");
  result = certreq_ca_client_submit (client, csr, NULL, record_stage, &seen, NULL, &error);
  g_assert_no_error (error);
  assert_issued (result, cn);
  g_assert_true (seen & (1u << CERTREQ_SUBMIT_STAGE_CONNECTING));
  g_assert_true (seen & (1u << CERTREQ_SUBMIT_STAGE_AUTHENTICATING));
  g_assert_true (seen & (1u << CERTREQ_SUBMIT_STAGE_SUBMITTING));
  g_assert_true (seen & (1u << CERTREQ_SUBMIT_STAGE_DOWNLOADING));
}

static void
approve_or_deny (const char *request_id,
                 const char *what,
                 const char *content)
{
  g_autofree char *state = info_get ("state");
  g_autofree char *name = g_strdup_printf ("%s.%s", request_id, what);
  g_autofree char *path = g_build_filename (state, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

/* English and German pages give the same answers */
static void
test_languages (gconstpointer data)
{
  const char *front = data;
  g_autofree char *front_de = g_strdup_printf ("%s-de", front);
  const char *fronts[] = { front, front_de };
  char *reasons[2] = { NULL, NULL };
  guint i;

  g_test_summary ("Issued, pending, denied and error read identically from English and "
                  "German result pages");
  for (i = 0; i < G_N_ELEMENTS (fronts); i++)
    {
      g_autoptr(CertreqCaClient) client = make_client (fronts[i], NULL);
      g_autoptr(CertreqSubmitResult) issued = NULL;
      g_autoptr(CertreqSubmitResult) pending = NULL;
      g_autoptr(CertreqSubmitResult) still = NULL;
      g_autoptr(CertreqSubmitResult) denied = NULL;
      g_autoptr(CertreqSubmitResult) failed = NULL;
      g_autoptr(GBytes) csr = make_csr ("lang.corp.example.com");
      g_autoptr(GError) error = NULL;

      issued = certreq_ca_client_submit (client, csr, "WebServer", NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_issued (issued, "lang.corp.example.com");

      pending = certreq_ca_client_submit (client, csr, "ManagerApproval", NULL, NULL, NULL,
                                          &error);
      g_assert_no_error (error);
      g_assert_cmpint (pending->status, ==, CERTREQ_SUBMIT_PENDING);
      g_assert_nonnull (pending->request_id);
      g_assert_cmpint (atoi (pending->request_id), >, atoi (issued->request_id));

      /* Mode=chkpnd's page has no request id of its own: we keep ours */
      still = certreq_ca_client_retrieve (client, pending->request_id, NULL, NULL, NULL,
                                          &error);
      g_assert_no_error (error);
      g_assert_cmpint (still->status, ==, CERTREQ_SUBMIT_PENDING);
      g_assert_cmpstr (still->request_id, ==, pending->request_id);

      denied = certreq_ca_client_submit (client, csr, "Restricted", NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (denied->status, ==, CERTREQ_SUBMIT_DENIED);
      g_assert_nonnull (strstr (denied->reason, "0x80094012"));
      g_assert_nonnull (strstr (denied->reason,
                                "the template’s permissions do not allow this account to enroll"));
      reasons[i] = g_strdup (denied->reason);

      failed = certreq_ca_client_submit (client, csr, "NoSuchTemplate", NULL, NULL, NULL,
                                         &error);
      g_assert_null (failed);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
      g_assert_nonnull (strstr (error->message, "0x80094800"));
      g_assert_nonnull (strstr (error->message, "the CA does not offer this certificate template"));
      g_assert_nonnull (strstr (error->message, "localhost"));
    }
  /* The CA's own message is in its language; the rest is ours */
  g_assert_nonnull (strstr (reasons[0], "Denied by Policy Module"));
  g_assert_nonnull (strstr (reasons[1], "Vom Richtlinienmodul verweigert"));
  g_free (reasons[0]);
  g_free (reasons[1]);
}

static void
test_pending_retrieve (void)
{
  g_autoptr(CertreqCaClient) client = make_client ("basic", NULL);
  g_autoptr(CertreqCaClient) later = make_client ("basic", NULL);
  g_autoptr(GBytes) csr = make_csr ("held.corp.example.com");
  g_autoptr(CertreqSubmitResult) pending = NULL;
  g_autoptr(CertreqSubmitResult) pending2 = NULL;
  g_autoptr(CertreqSubmitResult) issued = NULL;
  g_autoptr(CertreqSubmitResult) denied = NULL;
  g_autoptr(CertreqSubmitResult) none = NULL;
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  g_test_summary ("Pending keeps the CA's ReqID; retrieve (Mode=chkpnd) gets the "
                  "certificate once approved, or the denial with its reason");
  pending = certreq_ca_client_submit (client, csr, "ManagerApproval", record_stage, &seen,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pending->status, ==, CERTREQ_SUBMIT_PENDING);
  g_assert_true (seen & (1u << CERTREQ_SUBMIT_STAGE_WAITING));

  approve_or_deny (pending->request_id, "approve", "");
  issued = certreq_ca_client_retrieve (later, pending->request_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_issued (issued, "held.corp.example.com");
  g_assert_cmpstr (issued->request_id, ==, pending->request_id);

  pending2 = certreq_ca_client_submit (client, csr, "ManagerApproval", NULL, NULL, NULL,
                                       &error);
  g_assert_no_error (error);
  approve_or_deny (pending2->request_id, "deny", "Contoso PKI team");
  denied = certreq_ca_client_retrieve (later, pending2->request_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (denied->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_nonnull (strstr (denied->reason, "Contoso PKI team"));

  /* A request the CA does not know: its error code in words */
  none = certreq_ca_client_retrieve (later, "99999", NULL, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_assert_nonnull (strstr (error->message, "0x80094004"));
  g_assert_nonnull (strstr (error->message, "the CA has no such request"));
}

static void
test_wrong_password (gconstpointer data)
{
  const char *front = data;
  g_autoptr(CertreqCaClient) client = make_client (front, "wrong-password");
  g_autoptr(CertreqCaClient) typed = make_client (front, "wrong-password");
  g_autoptr(GBytes) csr = make_csr ("pw.corp.example.com");
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = info_get ("password");
  g_autofree char *user = info_get (g_str_has_prefix (front, "ntlm") ? "ntlm-user" : "user");

  g_test_summary ("A wrong password is refused in words; the account page's credentials "
                  "win over the configured ones");
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_assert_nonnull (strstr (error->message, "refused the user name or password"));
  g_assert_null (strstr (error->message, "wrong-password"));
  g_clear_error (&error);

  certreq_ca_client_set_credentials (typed, user, password);
  result = certreq_ca_client_submit (typed, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_issued (result, "pw.corp.example.com");
}

static void
test_negotiate_without_ticket (void)
{
  g_autoptr(CertreqCaClient) client = make_client ("negotiate", NULL);
  g_autoptr(GBytes) csr = make_csr ("kerberos.corp.example.com");
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ccache = g_strdup (g_getenv ("KRB5CCNAME"));
  g_autofree char *empty = g_strdup_printf ("FILE:%s/no-ticket", work_dir);

  g_test_summary ("Negotiate without a Kerberos ticket says to get one");
  g_setenv ("KRB5CCNAME", empty, TRUE);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_setenv ("KRB5CCNAME", ccache, TRUE);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_assert_nonnull (strstr (error->message, "kinit"));
}

static void
test_basic_needs_tls (void)
{
  g_autoptr(CertreqCaClient) client = make_client ("http-basic", NULL);
  g_autoptr(GBytes) csr = make_csr ("plain.corp.example.com");
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Basic authentication is refused over plain http");
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "https"));
}

static void
test_ca_certificate (void)
{
  g_autoptr(CertreqCaClient) client = make_client ("ntlm", NULL);
  g_autoptr(CertreqCertificate) current = load_cert ("ca-current");
  g_autoptr(CertreqCertificate) old = load_cert ("ca-old");
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("The CA certificate of the current renewal (nRenewals), not renewal 0");
  cert = certreq_ca_adcs_get_ca_certificate (CERTREQ_CA_ADCS (client), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_equal (cert, current));
  g_assert_false (certreq_certificate_equal (cert, old));
}

static void
test_bad_url (void)
{
  CertreqCaConfig config = { 0, };
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A URL that is none is refused with a sentence");
  config.name = (char *) "bad";
  config.url = (char *) "certsrv without a scheme";
  client = certreq_ca_adcs_new (store, &config, &error);
  g_assert_null (client);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "certsrv without a scheme"));
}

/* A renewal asks for the template the certificate was requested with: the request
 * names "WebServer" (issued at once), the CA's configured default is
 * "ManagerApproval" (held for approval), so only the saved template issues it */
static void
test_renewal_same_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = info_get ("basic");
  g_autofree char *trust = info_get ("trust");
  g_autofree char *user = info_get ("user");
  g_autofree char *right = info_get ("password");
  g_autofree char *password_file = NULL;
  g_autofree char *renew_log = NULL;
  g_autofree char *enroll_log_path = NULL;
  g_autofree char *enroll_log = NULL;
  g_autoptr(CertreqServer) profile = certreq_server_new ();
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqRequest) origin = NULL;
  g_autoptr(CertreqSubmitResult) first = NULL;
  g_autoptr(CertreqRenewResult) renewed = NULL;
  g_autoptr(CertreqCertificate) successor = NULL;
  CertreqCaConfig config = { 0, };
  const char *marker;

  password_file = certwiz_test_write (work_dir, "renew-password", right, strlen (right));
  g_chmod (password_file, 0600);
  config.name = (char *) "contoso-renew";
  config.protocol = CERTREQ_CA_PROTOCOL_ADCS;
  config.url = url;
  config.trust_bundle = trust;
  config.template_name = (char *) "ManagerApproval";
  config.auth = CERTREQ_HTTP_AUTH_BASIC;
  config.username = user;
  config.password_file = password_file;
  certreq_store_set_ca (store, &config, &error);
  g_assert_no_error (error);

  certreq_server_set_fqdn (profile, "fe01.corp.example.com");
  certreq_server_set_web_internal_fqdn (profile, "webint.corp.example.com");
  certreq_store_save_server (store, profile, &error);
  g_assert_no_error (error);
  request = certreq_request_new (profile);
  certreq_request_set_usages (request, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  certreq_request_set_online (request, TRUE);
  certreq_request_set_ca_id (request, "contoso-renew");
  certreq_request_set_use_template (request, TRUE);
  certreq_request_set_template (request, "WebServer");
  certreq_request_set_friendly_name (request, "AD CS renewal test");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P256);
  first = certreq_enroll (store, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->status, ==, CERTREQ_SUBMIT_ISSUED);

  /* What the renewal will ask for again */
  origin = certreq_store_load_origin (store,
                                      certreq_certificate_get_thumbprint (first->certificate),
                                      &error);
  g_assert_no_error (error);
  g_assert_true (certreq_request_get_use_template (origin));
  g_assert_cmpstr (certreq_request_get_template (origin), ==, "WebServer");

  renewed = certreq_renew_certificate (store,
                                       certreq_certificate_get_thumbprint (first->certificate),
                                       NULL, CERTREQ_RENEWAL_RULE_DEFAULT,
                                       CERTREQ_RENEW_FLAG_FORCE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("renewal: %s", renewed->message);
  g_assert_cmpint (renewed->outcome, ==, CERTREQ_RENEW_RENEWED);
  successor = certreq_store_find_certificate (store, renewed->new_thumbprint, &error);
  g_assert_no_error (error);
  g_assert_false (certreq_certificate_equal (successor, first->certificate));

  /* The renewal's request log names the template it sent */
  g_file_get_contents (renewed->log_path, &renew_log, NULL, &error);
  g_assert_no_error (error);
  marker = strstr (renew_log, "The request's log: ");
  g_assert_nonnull (marker);
  enroll_log_path = g_strndup (marker + strlen ("The request's log: "),
                               strcspn (marker + strlen ("The request's log: "), "\n"));
  g_file_get_contents (enroll_log_path, &enroll_log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (enroll_log, "template WebServer"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  int status;

  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/ca-adcs/bad-url", test_bad_url);
  if (!start_server (&missing))
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("The certsrv test server needs %s (build-aux/deps test)", missing);
      g_test_skip_printf ("The certsrv test server needs %s", missing);
    }
  else
    {
      g_autofree char *krb5_config = info_get ("krb5-config");
      g_autofree char *ccache = info_get ("krb5ccname");

      /* Our own realm and ticket, never the user's */
      g_setenv ("KRB5_CONFIG", krb5_config, TRUE);
      g_setenv ("KRB5CCNAME", ccache, TRUE);
      g_test_add_data_func ("/certreq/ca-adcs/issue/basic", "basic", test_issue);
      g_test_add_data_func ("/certreq/ca-adcs/issue/negotiate", "negotiate", test_issue);
      g_test_add_data_func ("/certreq/ca-adcs/issue/ntlm", "ntlm", test_issue);
      g_test_add_data_func ("/certreq/ca-adcs/issue/client-certificate", "cert", test_issue);
      g_test_add_data_func ("/certreq/ca-adcs/languages/basic", "basic", test_languages);
      g_test_add_data_func ("/certreq/ca-adcs/languages/negotiate", "negotiate",
                            test_languages);
      g_test_add_data_func ("/certreq/ca-adcs/languages/ntlm", "ntlm", test_languages);
      g_test_add_func ("/certreq/ca-adcs/pending-retrieve", test_pending_retrieve);
      g_test_add_data_func ("/certreq/ca-adcs/wrong-password/basic", "basic",
                            test_wrong_password);
      g_test_add_data_func ("/certreq/ca-adcs/wrong-password/ntlm", "ntlm",
                            test_wrong_password);
      g_test_add_func ("/certreq/ca-adcs/negotiate-without-ticket",
                       test_negotiate_without_ticket);
      g_test_add_func ("/certreq/ca-adcs/basic-needs-tls", test_basic_needs_tls);
      g_test_add_func ("/certreq/ca-adcs/ca-certificate", test_ca_certificate);
      g_test_add_func ("/certreq/ca-adcs/renewal-same-template", test_renewal_same_template);
    }

  work_dir = certwiz_test_mkdtemp ();
  {
    g_autofree char *store_dir = g_build_filename (work_dir, "store", NULL);

    store = certreq_store_open (store_dir, &error);
  }
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_object (&store);
  stop_server ();
  certwiz_test_rmrf (work_dir);
  if (server_dir != NULL)
    certwiz_test_rmrf (server_dir);
  g_clear_pointer (&info, g_key_file_free);
  return status;
}
