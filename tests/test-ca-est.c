/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "certwiz-test-utils.h"
#include "certreq-ca-est.h"
#include "certreq-renew.h"

/* The EST client against tests/est-server.py, a small EST server on 127.0.0.1 (Debian
 * 12 packages none). Each test makes its own PKI with the openssl command line: a
 * root, an issuing CA that signs enrollments, the server's TLS certificate and a
 * client certificate. The crosscheck test reads the server's answers with curl and
 * openssl, so the server is not merely our own reading of RFC 7030. */

#define PASSWORD "Corr3ct horse"

typedef struct
{
  char            *dir;
  char            *pki;
  CertreqStore    *store;
  GSubprocess     *server;
  guint16          port;
  char            *url;        /* https://127.0.0.1:PORT */
  char            *host;       /* 127.0.0.1:PORT */
  CertreqCaConfig  config;     /* strings borrowed from the fixture */
  char            *password_file;
} Fixture;

static char *
pki_path (Fixture    *fx,
          const char *name)
{
  return g_build_filename (fx->pki, name, NULL);
}

static void
openssl_in (const char *dir,
            const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) "openssl");
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("openssl %s failed: %.*s", first_arg, (int) g_bytes_get_size (err),
             (const char *) g_bytes_get_data (err, NULL));
}

/* The PKI every test shares (made once, read only): root → issuing CA → enrolled
 * certificates; root → TLS server certificate; issuing CA → a client certificate */
static char *shared_pki;

static const char *
get_pki (void)
{
  static const char ca_ext[] = "basicConstraints=critical,CA:TRUE,pathlen:0\n"
                               "keyUsage=critical,keyCertSign,cRLSign\n";
  static const char client_ext[] = "extendedKeyUsage=clientAuth\n";
  g_autofree char *ext = NULL;
  g_autofree char *cext = NULL;
  g_autofree char *issuing = NULL;
  g_autofree char *root = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *bundle_path = NULL;
  g_autoptr(GError) error = NULL;
  const char *dir;

  if (shared_pki != NULL)
    return shared_pki;

  dir = shared_pki = certwiz_test_mkdtemp ();
  ext = certwiz_test_write (dir, "ca.ext", ca_ext, strlen (ca_ext));
  cext = certwiz_test_write (dir, "client.ext", client_ext, strlen (client_ext));
  openssl_in (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "2",
              "-subj", "/O=Certwiz Tests/CN=EST Test Root",
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
  openssl_in (dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", "int.key", "-out", "int.csr",
              "-subj", "/O=Certwiz Tests/CN=EST Test Issuing CA", NULL);
  openssl_in (dir, "x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key",
              "-set_serial", "2", "-days", "2", "-extfile", "ca.ext", "-out", "int.pem", NULL);
  openssl_in (dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=localhost",
              "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", NULL);
  openssl_in (dir, "x509", "-req", "-in", "tls.csr", "-CA", "root.pem", "-CAkey", "root.key",
              "-set_serial", "3", "-days", "2", "-copy_extensions", "copy",
              "-out", "tls.pem", NULL);
  openssl_in (dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", "client.key", "-out", "client.csr",
              "-subj", "/CN=device-17.example.com", NULL);
  openssl_in (dir, "x509", "-req", "-in", "client.csr", "-CA", "int.pem", "-CAkey", "int.key",
              "-set_serial", "4", "-days", "2", "-extfile", "client.ext",
              "-out", "client.pem", NULL);

  /* What /cacerts serves and what client certificates are checked against */
  issuing = g_build_filename (dir, "int.pem", NULL);
  root = g_build_filename (dir, "root.pem", NULL);
  {
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_file_get_contents (issuing, &a, NULL, &error);
    g_assert_no_error (error);
    g_file_get_contents (root, &b, NULL, &error);
    g_assert_no_error (error);
    bundle = g_strconcat (a, b, NULL);
  }
  bundle_path = certwiz_test_write (dir, "cacerts.pem", bundle, strlen (bundle));

  return shared_pki;
}

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store_dir = NULL;

  fx->dir = certwiz_test_mkdtemp ();
  fx->pki = g_strdup (get_pki ());

  store_dir = g_build_filename (fx->dir, "store", NULL);
  fx->store = certreq_store_open (store_dir, &error);
  g_assert_no_error (error);

  fx->password_file = certwiz_test_write (fx->dir, "est-password", PASSWORD "\n",
                                          strlen (PASSWORD "\n"));
  g_assert_cmpint (g_chmod (fx->password_file, 0600), ==, 0);

  fx->config.name = (char *) "est-test";
  fx->config.protocol = CERTREQ_CA_PROTOCOL_EST;
  fx->config.trust_bundle = pki_path (fx, "root.pem");
  fx->config.auth = CERTREQ_HTTP_AUTH_BASIC;
  fx->config.username = (char *) "alice";
  fx->config.password_file = fx->password_file;
  fx->config.client_cert = pki_path (fx, "client.pem");
  fx->config.client_key = pki_path (fx, "client.key");
}

static void
stop_server (Fixture *fx)
{
  g_subprocess_force_exit (fx->server);
  g_subprocess_wait (fx->server, NULL, NULL);
  g_clear_object (&fx->server);
  g_clear_pointer (&fx->url, g_free);
  g_clear_pointer (&fx->host, g_free);
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  if (fx->server != NULL)
    stop_server (fx);
  g_clear_object (&fx->store);
  g_free (fx->config.trust_bundle);
  g_free (fx->config.client_cert);
  g_free (fx->config.client_key);
  g_free (fx->password_file);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->pki);
  g_free (fx->dir);
}

/* Starts tests/est-server.py with the fixture's PKI and @first_arg… as extra options */
static void
start_server (Fixture    *fx,
              const char *first_arg,
              ...)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "est-server.py", NULL);
  g_autofree char *cert = pki_path (fx, "tls.pem");
  g_autofree char *key = pki_path (fx, "tls.key");
  g_autofree char *cacerts = pki_path (fx, "cacerts.pem");
  g_autofree char *ca_cert = pki_path (fx, "int.pem");
  g_autofree char *ca_key = pki_path (fx, "int.key");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *arg;
  guint64 port = 0;
  va_list ap;

  g_assert_null (fx->server);
  g_ptr_array_add (args, (gpointer) "/usr/bin/python3");
  g_ptr_array_add (args, script);
  g_ptr_array_add (args, (gpointer) "--cert");
  g_ptr_array_add (args, cert);
  g_ptr_array_add (args, (gpointer) "--key");
  g_ptr_array_add (args, key);
  g_ptr_array_add (args, (gpointer) "--client-ca");
  g_ptr_array_add (args, cacerts);
  g_ptr_array_add (args, (gpointer) "--cacerts");
  g_ptr_array_add (args, cacerts);
  g_ptr_array_add (args, (gpointer) "--ca-cert");
  g_ptr_array_add (args, ca_cert);
  g_ptr_array_add (args, (gpointer) "--ca-key");
  g_ptr_array_add (args, ca_key);
  g_ptr_array_add (args, (gpointer) "--user");
  g_ptr_array_add (args, (gpointer) "alice");
  g_ptr_array_add (args, (gpointer) "--password");
  g_ptr_array_add (args, (gpointer) PASSWORD);
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  fx->server = g_subprocess_newv ((const char * const *) args->pdata,
                                  G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  g_assert_true (g_ascii_string_to_unsigned (line + 5, 10, 1, 65535, &port, NULL));

  fx->port = (guint16) port;
  fx->host = g_strdup_printf ("127.0.0.1:%u", fx->port);
  fx->url = g_strdup_printf ("https://127.0.0.1:%u", fx->port);
}

static CertreqCaClient *
new_client (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  CertreqCaClient *client;

  fx->config.url = fx->url;
  client = certreq_ca_est_new (fx->store, &fx->config, &error);
  g_assert_no_error (error);
  g_assert_true (CERTREQ_IS_CA_EST (client));
  return client;
}

static GBytes *
make_csr_full (const char      *cn,
               CertreqKeyType   key_type,
               CertreqEku       eku,
               CertreqKey     **out_key)
{
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GError) error = NULL;
  char *names[] = { (char *) cn, NULL };
  CertreqCsrSpec spec = { 0 };
  GBytes *csr;

  key = certreq_key_generate (key_type, NULL, &error);
  g_assert_no_error (error);
  spec.common_name = (char *) cn;
  spec.organization = (char *) "Contoso";
  spec.dns_names = names;
  spec.eku = eku;
  csr = certreq_csr_create (&spec, key, &error);
  g_assert_no_error (error);

  if (out_key != NULL)
    *out_key = g_steal_pointer (&key);
  return csr;
}

static GBytes *
make_csr_eku (const char  *cn,
              CertreqEku   eku,
              CertreqKey **out_key)
{
  return make_csr_full (cn, CERTREQ_KEY_TYPE_EC_P256, eku, out_key);
}

static GBytes *
make_csr (const char  *cn,
          CertreqKey **out_key)
{
  return make_csr_full (cn, CERTREQ_KEY_TYPE_EC_P256, CERTREQ_EKU_SERVER_AUTH, out_key);
}

static char *
write_cert (Fixture            *fx,
            const char         *name,
            CertreqCertificate *cert)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);

  return certwiz_test_write (fx->dir, name, pem, strlen (pem));
}

static void
assert_subject_name (CertreqCertificate *cert,
                     const char         *expected)
{
  g_autofree char *name = certreq_certificate_get_subject_name (cert);

  g_assert_cmpstr (name, ==, expected);
}

static void
assert_issuer_name (CertreqCertificate *cert,
                    const char         *expected)
{
  g_autofree char *name = certreq_certificate_get_issuer_name (cert);

  g_assert_cmpstr (name, ==, expected);
}

/* openssl verify of @result's certificate against the test root, with the chain the
 * client assembled as the only intermediates */
static void
assert_chain_verifies (Fixture             *fx,
                       CertreqSubmitResult *result)
{
  g_autofree char *leaf = write_cert (fx, "leaf.pem", result->certificate);
  g_autofree char *root = pki_path (fx, "root.pem");
  g_autoptr(GString) chain = g_string_new (NULL);
  g_autofree char *chain_path = NULL;
  g_autofree char *out = NULL;
  guint i;

  g_assert_nonnull (result->chain);
  /* issuer first: the issuing CA, then the root */
  g_assert_cmpuint (result->chain->len, ==, 2);
  assert_subject_name (g_ptr_array_index (result->chain, 0), "EST Test Issuing CA");
  assert_subject_name (g_ptr_array_index (result->chain, 1), "EST Test Root");
  for (i = 0; i < result->chain->len; i++)
    {
      g_autofree char *pem = certreq_certificate_to_pem (g_ptr_array_index (result->chain, i));

      g_string_append (chain, pem);
    }
  chain_path = certwiz_test_write (fx->dir, "chain.pem", chain->str, chain->len);

  out = certwiz_test_openssl (NULL, 0, "verify", "-CAfile", root, "-untrusted", chain_path,
                              leaf, NULL);
  g_assert_nonnull (strstr (out, ": OK"));
}

typedef struct
{
  GArray *stages;
  GPtrArray *details;
} Progress;

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  Progress *progress = user_data;

  g_assert_true (fraction == -1 || (fraction >= 0 && fraction <= 1));
  if (progress->stages->len == 0 ||
      g_array_index (progress->stages, CertreqSubmitStage, progress->stages->len - 1) != stage)
    g_array_append_val (progress->stages, stage);
  g_ptr_array_add (progress->details, g_strdup (detail != NULL ? detail : ""));
}

static void
progress_init (Progress *progress)
{
  progress->stages = g_array_new (FALSE, FALSE, sizeof (CertreqSubmitStage));
  progress->details = g_ptr_array_new_with_free_func (g_free);
}

static void
progress_clear (Progress *progress)
{
  g_clear_pointer (&progress->stages, g_array_unref);
  g_clear_pointer (&progress->details, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Progress, progress_clear)

static gboolean
details_contain (Progress   *progress,
                 const char *needle)
{
  guint i;

  for (i = 0; i < progress->details->len; i++)
    if (strstr (g_ptr_array_index (progress->details, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- Tests ---- */

static void
test_parse_certs (Fixture       *fx,
                  gconstpointer  unused)
{
  g_autofree char *cacerts = pki_path (fx, "cacerts.pem");
  g_autofree char *p7_path = g_build_filename (fx->dir, "cacerts.p7", NULL);
  g_autofree char *der = NULL;
  g_autofree char *b64 = NULL;
  g_autoptr(GError) error = NULL;
  gsize der_len = 0;
  const char *styles[] = { "single", "lf64", "crlf76", "der" };
  guint s;

  g_test_summary ("Certs-only PKCS#7 is read as base64 on one line, wrapped at 64 with LF, "
                  "at 76 with CRLF (RFC 8951), and as DER; anything else is BAD_FORMAT");
  g_free (certwiz_test_openssl (NULL, 0, "crl2pkcs7", "-nocrl", "-certfile", cacerts,
                                "-outform", "DER", "-out", p7_path, NULL));
  g_file_get_contents (p7_path, &der, &der_len, &error);
  g_assert_no_error (error);
  b64 = g_base64_encode ((const guchar *) der, der_len);

  for (s = 0; s < G_N_ELEMENTS (styles); s++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GPtrArray) certs = NULL;
      gsize i, len = strlen (b64);

      if (g_str_equal (styles[s], "single"))
        g_string_append (text, b64);
      else if (g_str_equal (styles[s], "der"))
        g_string_append_len (text, der, (gssize) der_len);
      else
        {
          gsize width = g_str_equal (styles[s], "lf64") ? 64 : 76;
          const char *eol = g_str_equal (styles[s], "lf64") ? "\n" : "\r\n";

          for (i = 0; i < len; i += width)
            {
              g_string_append_len (text, b64 + i, (gssize) MIN (width, len - i));
              g_string_append (text, eol);
            }
        }

      body = g_bytes_new (text->str, text->len);
      certs = certreq_est_parse_certs (body, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (certs->len, ==, 2);
      assert_subject_name (g_ptr_array_index (certs, 0), "EST Test Issuing CA");
    }

  {
    g_autoptr(GBytes) garbage = g_bytes_new_static ("<html>Not EST</html>", 20);
    g_autoptr(GBytes) truncated = g_bytes_new (b64, 40);
    g_autoptr(GPtrArray) none = NULL;

    none = certreq_est_parse_certs (garbage, &error);
    g_assert_null (none);
    g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
    g_clear_error (&error);
    none = certreq_est_parse_certs (truncated, &error);
    g_assert_null (none);
    g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  }
}

static void
test_crosscheck (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autofree char *root = pki_path (fx, "root.pem");
  g_autofree char *issuing = pki_path (fx, "int.pem");
  g_autofree char *csr_b64 = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *cacerts_url = NULL;
  g_autofree char *enroll_url = NULL;
  g_autofree char *attrs_url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *script = NULL;
  g_autofree char *userpass = g_strdup ("alice:" PASSWORD);
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);

  g_test_summary ("curl and openssl read the test server's answers as RFC 7030 says: "
                  "cacerts, csrattrs, simpleenroll (verified by openssl), 202, 401");
  start_server (fx, "--csrattrs", "example", NULL);
  cacerts_url = g_strdup_printf ("%s/.well-known/est/cacerts", fx->url);
  enroll_url = g_strdup_printf ("%s/.well-known/est/simpleenroll", fx->url);
  attrs_url = g_strdup_printf ("%s/.well-known/est/csrattrs", fx->url);

  {
    const char *argv[] = { "sh", "-c",
                           "curl -sS --fail --cacert \"$1\" \"$2\" | base64 -d | "
                           "openssl pkcs7 -inform DER -print_certs -noout",
                           "sh", root, cacerts_url, NULL };

    out = certwiz_test_run (argv);
    g_assert_nonnull (strstr (out, "subject=O = Certwiz Tests, CN = EST Test Issuing CA"));
    g_assert_nonnull (strstr (out, "subject=O = Certwiz Tests, CN = EST Test Root"));
    g_clear_pointer (&out, g_free);
  }

  {
    const char *argv[] = { "sh", "-c",
                           "curl -sS --fail --cacert \"$1\" \"$2\" | base64 -d | "
                           "openssl asn1parse -inform DER",
                           "sh", root, attrs_url, NULL };

    out = certwiz_test_run (argv);
    g_assert_nonnull (strstr (out, ":challengePassword"));
    g_assert_nonnull (strstr (out, ":secp384r1"));
    g_assert_nonnull (strstr (out, ":ecdsa-with-SHA384"));
    g_clear_pointer (&out, g_free);
  }

  csr_b64 = g_base64_encode (g_bytes_get_data (csr, NULL), g_bytes_get_size (csr));
  csr_path = certwiz_test_write (fx->dir, "csr.b64", csr_b64, strlen (csr_b64));
  {
    const char *argv[] = { "sh", "-c",
                           "curl -sS --fail --cacert \"$1\" --user \"$2\" "
                           "-H 'Content-Type: application/pkcs10' --data-binary @\"$3\" \"$4\" | "
                           "base64 -d | openssl pkcs7 -inform DER -print_certs > \"$5/issued.pem\" && "
                           "openssl verify -CAfile \"$1\" -untrusted \"$6\" \"$5/issued.pem\" && "
                           "openssl x509 -in \"$5/issued.pem\" -noout -subject -ext subjectAltName",
                           "sh", root, userpass, csr_path, enroll_url, fx->dir, issuing, NULL };

    out = certwiz_test_run (argv);
    g_assert_nonnull (strstr (out, "issued.pem: OK"));
    g_assert_nonnull (strstr (out, "CN = web.example.com"));
    g_assert_nonnull (strstr (out, "DNS:web.example.com"));
    g_clear_pointer (&out, g_free);
  }

  {
    /* Without credentials, and with a wrong password: 401 and a Basic challenge */
    const char *argv[] = { "sh", "-c",
                           "curl -sS -o /dev/null -w '%{http_code} ' --cacert \"$1\" "
                           "-H 'Content-Type: application/pkcs10' --data-binary @\"$2\" \"$3\"; "
                           "curl -sS -D - -o /dev/null --cacert \"$1\" --user alice:wrong "
                           "-H 'Content-Type: application/pkcs10' --data-binary @\"$2\" \"$3\"",
                           "sh", root, csr_path, enroll_url, NULL };

    out = certwiz_test_run (argv);
    g_assert_true (g_str_has_prefix (out, "401 HTTP/1.1 401"));
    g_assert_nonnull (strstr (out, "WWW-Authenticate: Basic"));
  }
}

static void
test_crosscheck_pending (Fixture       *fx,
                         gconstpointer  unused)
{
  g_autofree char *root = pki_path (fx, "root.pem");
  g_autofree char *csr_b64 = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *enroll_url = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);

  g_test_summary ("curl sees 202 with Retry-After, then the certificate for the same request");
  start_server (fx, "--pending", "1", "--retry-after", "7", NULL);
  enroll_url = g_strdup_printf ("%s/.well-known/est/simpleenroll", fx->url);
  csr_b64 = g_base64_encode (g_bytes_get_data (csr, NULL), g_bytes_get_size (csr));
  csr_path = certwiz_test_write (fx->dir, "csr.b64", csr_b64, strlen (csr_b64));

  {
    const char *argv[] = { "sh", "-c",
                           "for i in 1 2; do curl -sS -D - -o \"$4/answer$i\" --cacert \"$1\" "
                           "--user alice:'" PASSWORD "' -H 'Content-Type: application/pkcs10' "
                           "--data-binary @\"$2\" \"$3\"; done; "
                           "base64 -d < \"$4/answer2\" | openssl pkcs7 -inform DER -print_certs "
                           "-noout",
                           "sh", root, csr_path, enroll_url, fx->dir, NULL };

    out = certwiz_test_run (argv);
    g_assert_nonnull (strstr (out, "HTTP/1.1 202"));
    g_assert_nonnull (strstr (out, "Retry-After: 7"));
    g_assert_nonnull (strstr (out, "HTTP/1.1 200"));
    g_assert_nonnull (strstr (out, "subject=O = Contoso, CN = web.example.com"));
  }
}

static void
test_enroll_basic (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", &key);
  g_autoptr(GError) error = NULL;
  g_auto(Progress) progress = { 0 };
  g_autofree char *label_url = NULL;
  CertreqSubmitStage expected[] = {
    CERTREQ_SUBMIT_STAGE_CONNECTING, CERTREQ_SUBMIT_STAGE_AUTHENTICATING,
    CERTREQ_SUBMIT_STAGE_SUBMITTING, CERTREQ_SUBMIT_STAGE_DOWNLOADING,
  };
  guint i;

  g_test_summary ("HTTP Basic with the configured password file, a label, LF-wrapped base64 "
                  "with Content-Transfer-Encoding: issued, chain from /cacerts verified");
  start_server (fx, "--auth", "basic", "--label", "tls-servers", "--b64", "wrapped", NULL);
  fx->config.template_name = (char *) "tls-servers";
  client = new_client (fx);
  g_assert_cmpstr (certreq_ca_client_get_id (client), ==, "est-test");

  progress_init (&progress);
  /* No template typed on the template page: the configured label applies */
  result = certreq_ca_client_submit (client, csr, NULL, on_progress, &progress, NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_cmpstr (result->ca_id, ==, "est-test");
  g_assert_nonnull (result->request_id);
  g_assert_true (certreq_certificate_matches_key (result->certificate, key));
  assert_subject_name (result->certificate, "web.example.com");
  assert_issuer_name (result->certificate, "EST Test Issuing CA");
  assert_chain_verifies (fx, result);

  g_assert_cmpuint (progress.stages->len, ==, G_N_ELEMENTS (expected));
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (progress.stages, CertreqSubmitStage, i), ==, expected[i]);
  g_assert_true (details_contain (&progress, "alice"));
  g_assert_true (details_contain (&progress, fx->host));
  for (i = 0; i < progress.details->len; i++)
    g_assert_null (strstr (g_ptr_array_index (progress.details, i), PASSWORD));

  /* The label may be written into the URL instead */
  g_clear_object (&client);
  g_clear_pointer (&result, certreq_submit_result_free);
  fx->config.template_name = NULL;
  label_url = g_strdup_printf ("%s/.well-known/est/tls-servers/", fx->url);
  fx->config.url = label_url;
  client = certreq_ca_est_new (fx->store, &fx->config, &error);
  g_assert_no_error (error);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);

  /* Without the label the server has no such service */
  g_clear_object (&client);
  g_clear_pointer (&result, certreq_submit_result_free);
  client = new_client (fx);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, fx->host));
  g_assert_nonnull (strstr (error->message, "label"));
}

static void
test_enroll_account_credentials (Fixture       *fx,
                                 gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("The account page's credentials win over the configured ones");
  start_server (fx, "--b64", "crlf", NULL);
  fx->config.username = (char *) "mallory";
  fx->config.password_file = NULL;
  client = new_client (fx);
  certreq_ca_client_set_credentials (client, "alice", PASSWORD);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  assert_chain_verifies (fx, result);
}

static void
test_enroll_client_cert (Fixture       *fx,
                         gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = make_csr ("device-17.example.com", &key);
  g_autoptr(GError) error = NULL;
  g_auto(Progress) progress = { 0 };

  g_test_summary ("TLS client certificate, single-line base64 without Content-Transfer-"
                  "Encoding, a PKCS#7 carrying the issuer: issued and verified; without the "
                  "certificate the refusal says what is missing");
  start_server (fx, "--auth", "cert", "--b64", "single", "--no-cte", "--with-chain", NULL);
  fx->config.auth = CERTREQ_HTTP_AUTH_CERT;
  client = new_client (fx);
  progress_init (&progress);
  result = certreq_ca_client_submit (client, csr, NULL, on_progress, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_true (certreq_certificate_matches_key (result->certificate, key));
  assert_chain_verifies (fx, result);
  g_assert_true (details_contain (&progress, "client.pem"));

  g_clear_object (&client);
  fx->config.auth = CERTREQ_HTTP_AUTH_NONE;
  client = new_client (fx);
  g_clear_pointer (&result, certreq_submit_result_free);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_assert_nonnull (strstr (error->message, "asks for authentication"));
  g_assert_nonnull (strstr (error->message, fx->host));
}

static void
test_wrong_password (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A wrong password is refused in words naming the server and the user, "
                  "never the password");
  start_server (fx, NULL);
  client = new_client (fx);
  certreq_ca_client_set_credentials (client, "alice", "not-" PASSWORD);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_assert_nonnull (strstr (error->message, "did not accept the user name “alice”"));
  g_assert_nonnull (strstr (error->message, fx->host));
  g_assert_null (strstr (error->message, PASSWORD));
}

static void
test_untrusted (Fixture       *fx,
                gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);
  g_autoptr(GError) error = NULL;
  char *bundle = fx->config.trust_bundle;

  g_test_summary ("Without the test root as trust bundle the TLS connection is refused");
  start_server (fx, NULL);
  fx->config.trust_bundle = NULL;
  client = new_client (fx);
  fx->config.trust_bundle = bundle;
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_test_message ("Untrusted: %s", error->message);
}

/* A pending/ entry holding @csr, as certreq_enroll() leaves it */
static void
add_pending_entry (Fixture    *fx,
                   GBytes     *csr,
                   CertreqKey *key)
{
  g_autoptr(CertreqRequest) request = certreq_request_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  certreq_request_set_ca_id (request, "est-test");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P256);
  id = certreq_store_pending_create (fx->store, request, key, csr, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
test_pending_retrieve (Fixture       *fx,
                       gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", &key);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, csr);
  g_autofree char *request_id = NULL;
  g_auto(Progress) progress = { 0 };

  g_test_summary ("202 + Retry-After is PENDING with an id naming the CSR; retrieve finds the "
                  "CSR in pending/, sends it again and gets the certificate");
  start_server (fx, "--pending", "2", "--retry-after", "5", NULL);
  add_pending_entry (fx, csr, key);
  client = new_client (fx);

  progress_init (&progress);
  result = certreq_ca_client_submit (client, csr, NULL, on_progress, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_PENDING);
  request_id = g_strdup_printf ("simpleenroll:%s", hash);
  g_assert_cmpstr (result->request_id, ==, request_id);
  g_assert_null (result->certificate);
  g_assert_cmpint (g_array_index (progress.stages, CertreqSubmitStage, progress.stages->len - 1),
                   ==, CERTREQ_SUBMIT_STAGE_WAITING);
  g_assert_true (details_contain (&progress, "5 seconds"));

  /* Still held on the second attempt */
  g_clear_pointer (&result, certreq_submit_result_free);
  result = certreq_ca_client_retrieve (client, request_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_PENDING);
  g_assert_cmpstr (result->request_id, ==, request_id);

  g_clear_pointer (&result, certreq_submit_result_free);
  result = certreq_ca_client_retrieve (client, request_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_true (certreq_certificate_matches_key (result->certificate, key));
  assert_chain_verifies (fx, result);

  /* An id whose CSR is not in the store */
  g_clear_pointer (&result, certreq_submit_result_free);
  result = certreq_ca_client_retrieve (client, "simpleenroll:00ff", NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  result = certreq_ca_client_retrieve (client, "42", NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
}

static void
test_reenroll (Fixture       *fx,
               gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) first = NULL;
  g_autoptr(CertreqSubmitResult) renewed = NULL;
  g_autoptr(CertreqSubmitResult) other = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqKey) new_key = NULL;
  /* The certificate serves as a TLS client certificate too, as the default usage's do */
  g_autoptr(GBytes) csr = make_csr_eku ("web.example.com",
                                        CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH, &key);
  g_autoptr(GBytes) renewal = make_csr_eku ("web.example.com",
                                            CERTREQ_EKU_SERVER_AUTH | CERTREQ_EKU_CLIENT_AUTH,
                                            &new_key);
  g_autoptr(GBytes) different = make_csr ("mail.example.com", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = g_build_filename (fx->dir, "current.key", NULL);
  g_autofree char *serial = NULL;
  g_autofree char *new_serial = NULL;
  GStatBuf st;

  g_test_summary ("simplereenroll authenticates with the current certificate: a new "
                  "certificate for the new key; a changed subject is denied with the "
                  "server's reason; without a client certificate it is refused");
  start_server (fx, NULL);
  client = new_client (fx);
  first = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->status, ==, CERTREQ_SUBMIT_ISSUED);

  cert_path = write_cert (fx, "current.pem", first->certificate);
  certreq_key_save (key, key_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  renewed = certreq_ca_est_reenroll (CERTREQ_CA_EST (client), renewal, cert_path, key_path,
                                     NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (renewed->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_cmpstr (renewed->ca_id, ==, "est-test");
  g_assert_true (certreq_certificate_matches_key (renewed->certificate, new_key));
  g_assert_false (certreq_certificate_equal (renewed->certificate, first->certificate));
  serial = certreq_certificate_get_serial (first->certificate);
  new_serial = certreq_certificate_get_serial (renewed->certificate);
  g_assert_cmpstr (new_serial, !=, serial);
  assert_chain_verifies (fx, renewed);

  other = certreq_ca_est_reenroll (CERTREQ_CA_EST (client), different, cert_path, key_path,
                                   NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_nonnull (strstr (other->reason, "HTTP 400"));
  g_assert_nonnull (strstr (other->reason, "differs from the certificate being renewed"));

  /* The client certificate the server knows nothing about (the issuing CA's own
   * client.pem is trusted; a self-made one is not) fails the TLS handshake */
  {
    g_autoptr(CertreqSubmitResult) refused = NULL;
    g_autofree char *self_key = g_build_filename (fx->dir, "self.key", NULL);
    g_autofree char *self_cert = g_build_filename (fx->dir, "self.pem", NULL);

    g_free (certwiz_test_openssl (NULL, 0, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                  "ec_paramgen_curve:P-256", "-nodes", "-keyout", self_key,
                                  "-out", self_cert, "-subj", "/CN=web.example.com",
                                  "-days", "1", NULL));
    refused = certreq_ca_est_reenroll (CERTREQ_CA_EST (client), renewal, self_cert, self_key,
                                       NULL, NULL, NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
    g_assert_nonnull (strstr (error->message, "127.0.0.1"));
    g_test_message ("A client certificate the server does not know: %s", error->message);
    g_clear_error (&error);
  }
}

static void
test_csr_attrs (Fixture       *fx,
                gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(GPtrArray) attrs = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unmet = NULL;
  CertreqEstCsrAttr *attr;

  g_test_summary ("csrattrs: RFC 7030's example is parsed and each wish our P-256 SHA-256 "
                  "request cannot meet is named; a satisfiable list leaves nothing unmet; "
                  "204 is an empty list");
  start_server (fx, "--csrattrs", "example", NULL);
  client = new_client (fx);
  attrs = certreq_ca_est_get_csr_attrs (CERTREQ_CA_EST (client), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attrs->len, ==, 4);

  attr = g_ptr_array_index (attrs, 0);
  g_assert_cmpstr (attr->oid, ==, "1.2.840.113549.1.9.7");
  g_assert_null (attr->values);
  attr = g_ptr_array_index (attrs, 1);
  g_assert_cmpstr (attr->oid, ==, "1.2.840.10045.2.1");
  g_assert_cmpuint (g_strv_length (attr->values), ==, 1);
  g_assert_cmpstr (attr->values[0], ==, "1.3.132.0.34");
  attr = g_ptr_array_index (attrs, 2);
  g_assert_cmpstr (attr->oid, ==, "1.2.840.113549.1.9.14");
  g_assert_cmpstr (attr->values[0], ==, "1.3.6.1.1.1.1.22");
  attr = g_ptr_array_index (attrs, 3);
  g_assert_cmpstr (attr->oid, ==, "1.2.840.10045.4.3.3");
  g_assert_null (attr->values);

  unmet = certreq_est_csr_attrs_unmet (attrs, csr);
  g_assert_cmpuint (g_strv_length (unmet), ==, 4);
  g_assert_cmpstr (unmet[0], ==, "a challenge password");
  g_assert_cmpstr (unmet[1], ==, "an elliptic-curve key on the curve secp384r1");
  g_assert_cmpstr (unmet[2], ==, "the extension 1.3.6.1.1.1.1.22");
  g_assert_cmpstr (unmet[3], ==, "a signature made with ecdsa-with-SHA384");
  g_clear_pointer (&unmet, g_strfreev);
  g_clear_pointer (&attrs, g_ptr_array_unref);
  g_clear_object (&client);

  stop_server (fx);

  start_server (fx, "--csrattrs", "ours", NULL);
  client = new_client (fx);
  attrs = certreq_ca_est_get_csr_attrs (CERTREQ_CA_EST (client), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attrs->len, ==, 4);
  unmet = certreq_est_csr_attrs_unmet (attrs, csr);
  g_assert_cmpstrv (unmet, ((const char *[]) { NULL }));
  g_clear_pointer (&unmet, g_strfreev);
  {
    /* An RSA request meets neither the key nor the signature wish */
    g_autoptr(GBytes) rsa_csr = make_csr_full ("web.example.com", CERTREQ_KEY_TYPE_RSA_2048,
                                               CERTREQ_EKU_SERVER_AUTH, NULL);

    unmet = certreq_est_csr_attrs_unmet (attrs, rsa_csr);
    g_assert_cmpstrv (unmet, ((const char *[]) { "an elliptic-curve key on the curve prime256v1",
                                                 "a signature made with ecdsa-with-SHA256",
                                                 NULL }));
    g_clear_pointer (&unmet, g_strfreev);
  }
  g_clear_pointer (&attrs, g_ptr_array_unref);
  g_clear_object (&client);
  stop_server (fx);

  start_server (fx, "--csrattrs", "none", NULL);
  client = new_client (fx);
  attrs = certreq_ca_est_get_csr_attrs (CERTREQ_CA_EST (client), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attrs->len, ==, 0);
}

static void
test_refused (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("400 with a text body is DENIED with the server's words and what its CSR "
                  "attributes ask for; 500 and 503 are NETWORK errors with its words");
  start_server (fx, "--csrattrs", "example",
                "--fail", "400:Names outside example.org are not allowed.", NULL);
  client = new_client (fx);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_nonnull (strstr (result->reason, fx->host));
  g_assert_nonnull (strstr (result->reason, "HTTP 400"));
  g_assert_nonnull (strstr (result->reason, "Names outside example.org are not allowed."));
  g_assert_nonnull (strstr (result->reason, "a challenge password"));
  g_clear_pointer (&result, certreq_submit_result_free);
  g_clear_object (&client);
  stop_server (fx);

  start_server (fx, "--fail", "500:Database unavailable", NULL);
  client = new_client (fx);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
  g_assert_nonnull (strstr (error->message, "Database unavailable"));
  g_assert_nonnull (strstr (error->message, fx->host));
  g_clear_error (&error);
  g_clear_object (&client);
  stop_server (fx);

  start_server (fx, "--fail", "503:", NULL);
  client = new_client (fx);
  result = certreq_ca_client_submit (client, csr, NULL, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "HTTP 503"));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) csr = make_csr ("web.example.com", NULL);
  g_autoptr(GError) error = NULL;
  gint64 start, cancelled_at;

  g_test_summary ("Cancel while the server takes its time ends the request at once with "
                  "G_IO_ERROR_CANCELLED");
  start_server (fx, "--delay", "20", NULL);
  client = new_client (fx);

  certreq_ca_client_submit_async (client, csr, NULL, NULL, NULL, cancellable, store_result,
                                  &async_result);
  start = g_get_monotonic_time ();
  g_timeout_add (300, cancel_later, cancellable);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  cancelled_at = g_get_monotonic_time ();
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);

  result = certreq_ca_client_submit_finish (client, async_result, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Well within the server's 20 s delay: the transfer itself was stopped */
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_bad_config (Fixture       *fx,
                 gconstpointer  unused)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  const char *bad_urls[] = {
    "http://ca.example.com/.well-known/est",
    "ca.example.com",
    "https://ca.example.com/.well-known/est/a/b",
    "https://ca.example.com/.well-known/est?x=1",
  };
  guint i;

  g_test_summary ("An address that is not https, or a label that is not a path segment, "
                  "is INVALID_SUBJECT naming it");
  for (i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      fx->config.url = (char *) bad_urls[i];
      client = certreq_ca_est_new (fx->store, &fx->config, &error);
      g_assert_null (client);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
      g_assert_nonnull (strstr (error->message, bad_urls[i]));
      g_clear_error (&error);
    }

  fx->config.url = (char *) "https://ca.example.com";
  fx->config.template_name = (char *) "a/b";
  client = certreq_ca_est_new (fx->store, &fx->config, &error);
  g_assert_null (client);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "a/b"));
  g_clear_error (&error);

  fx->config.template_name = (char *) "tls-servers";
  client = certreq_ca_est_new (fx->store, &fx->config, &error);
  g_assert_no_error (error);
}

/* ---- Renewal through certreq_renew_certificate() ---- */

/* cas.ini names the server at fx->url with Basic authentication only: a renewal can
 * present no client certificate but the one it renews */
static void
configure_ca (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  CertreqCaConfig config = fx->config;

  config.url = fx->url;
  config.client_cert = NULL;
  config.client_key = NULL;
  certreq_store_set_ca (fx->store, &config, &error);
  g_assert_no_error (error);
}

static CertreqCertificate *
enroll_for_renewal (Fixture           *fx,
                    CertreqUsageFlags  usages)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  configure_ca (fx);
  certreq_server_set_fqdn (server, "fe01.example.com");
  certreq_server_set_web_internal_fqdn (server, "web.example.com");
  certreq_store_save_server (fx->store, server, &error);
  g_assert_no_error (error);
  request = certreq_request_new (server);
  certreq_request_set_usages (request, usages);
  certreq_request_set_online (request, TRUE);
  certreq_request_set_ca_id (request, "est-test");
  certreq_request_set_friendly_name (request, "EST renewal test");
  certreq_request_set_organization (request, "Contoso");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P256);
  result = certreq_enroll (fx->store, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  return g_object_ref (result->certificate);
}

static CertreqRenewResult *
renew_forced (Fixture            *fx,
              CertreqCertificate *cert)
{
  g_autoptr(GError) error = NULL;
  CertreqRenewResult *result;

  result = certreq_renew_certificate (fx->store, certreq_certificate_get_thumbprint (cert), NULL,
                                      CERTREQ_RENEWAL_RULE_DEFAULT, CERTREQ_RENEW_FLAG_FORCE,
                                      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("renewal: %s: %s", certreq_renew_outcome_to_id (result->outcome),
                  result->message);
  return result;
}

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
  new_subject = certreq_certificate_get_subject (renewed);
  g_assert_cmpstr (new_subject, ==, old_subject);
  assert_issuer_name (renewed, "EST Test Issuing CA");
}

/* "client=<serial>" as openssl reads the serial of @cert */
static char *
client_serial (CertreqCertificate *cert)
{
  g_autofree char *pem = certreq_certificate_to_pem (cert);
  g_autofree char *serial = certwiz_test_openssl (pem, strlen (pem), "x509", "-noout", "-serial",
                                                  NULL);

  g_assert_true (g_str_has_prefix (serial, "serial="));
  return g_strdup_printf ("client=%s", g_strstrip (serial + 7));
}

static char *
server_log (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_renew (Fixture       *fx,
            gconstpointer  unused)
{
  g_autofree char *log = g_build_filename (fx->dir, "est.log", NULL);
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autofree char *client = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *seen = NULL;

  g_test_summary ("A renewal POSTs /simplereenroll with the certificate being renewed and "
                  "its key (from the store) as the TLS client certificate; the server checks "
                  "it issued that certificate and that the subject stays");
  start_server (fx, "--log", log, NULL);
  /* Server default: server and client authentication */
  cert = enroll_for_renewal (fx, CERTREQ_USAGE_FLAG_DEFAULT);
  result = renew_forced (fx, cert);
  assert_renewed (fx, cert, result);

  client = client_serial (cert);
  expected = g_strdup_printf ("simpleenroll client=- -> 200\nsimplereenroll %s -> 200\n", client);
  seen = server_log (log);
  g_assert_cmpstr (seen, ==, expected);
}

static void
test_renew_pending (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autofree char *log = g_build_filename (fx->dir, "est.log", NULL);
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewResult) held = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autofree char *client = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *seen = NULL;

  g_test_summary ("A re-enrollment the server holds (202) is asked about again by the next "
                  "run with the certificate being renewed, though the CA is set up for Basic");
  start_server (fx, NULL);
  cert = enroll_for_renewal (fx, CERTREQ_USAGE_FLAG_DEFAULT);
  stop_server (fx);
  start_server (fx, "--pending", "1", "--log", log, NULL);
  configure_ca (fx);

  held = renew_forced (fx, cert);
  g_assert_cmpint (held->outcome, ==, CERTREQ_RENEW_WAITING);
  result = renew_forced (fx, cert);
  assert_renewed (fx, cert, result);

  client = client_serial (cert);
  expected = g_strdup_printf ("simplereenroll %s -> 202\nsimplereenroll %s -> 200\n", client,
                              client);
  seen = server_log (log);
  g_assert_cmpstr (seen, ==, expected);
}

static void
test_renew_server_auth_only (Fixture       *fx,
                             gconstpointer  unused)
{
  g_autofree char *log = g_build_filename (fx->dir, "est.log", NULL);
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autofree char *seen = NULL;

  g_test_summary ("A certificate for server authentication only cannot be a TLS client "
                  "certificate (the server's TLS refuses it): its renewal enrolls with the "
                  "configured Basic authentication");
  start_server (fx, "--log", log, NULL);
  cert = enroll_for_renewal (fx, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  g_assert_false (certreq_certificate_has_eku (cert, CERTREQ_EKU_CLIENT_AUTH));
  result = renew_forced (fx, cert);
  assert_renewed (fx, cert, result);

  seen = server_log (log);
  g_assert_cmpstr (seen, ==, "simpleenroll client=- -> 200\nsimpleenroll client=- -> 200\n");
}

int
main (int    argc,
      char **argv)
{
  int status;

  certwiz_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/certreq/ca-est/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("parse-certs", test_parse_certs);
  ADD ("crosscheck", test_crosscheck);
  ADD ("crosscheck-pending", test_crosscheck_pending);
  ADD ("enroll-basic", test_enroll_basic);
  ADD ("enroll-account-credentials", test_enroll_account_credentials);
  ADD ("enroll-client-cert", test_enroll_client_cert);
  ADD ("wrong-password", test_wrong_password);
  ADD ("untrusted", test_untrusted);
  ADD ("pending-retrieve", test_pending_retrieve);
  ADD ("reenroll", test_reenroll);
  ADD ("csr-attrs", test_csr_attrs);
  ADD ("refused", test_refused);
  ADD ("cancel", test_cancel);
  ADD ("bad-config", test_bad_config);
  ADD ("renew", test_renew);
  ADD ("renew-pending", test_renew_pending);
  ADD ("renew-server-auth-only", test_renew_server_auth_only);
#undef ADD

  status = g_test_run ();
  certwiz_test_rmrf (shared_pki);
  g_free (shared_pki);
  return status;
}
