/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* certreq-ca-config: protocol ids, validation, cas.ini, secrets from root-only files and
 * from a real Secret Service (gnome-keyring-daemon inside dbus-run-session: the test
 * re-executes itself there), the key types per protocol and the factory's errors.
 * Protocol detection against local servers is tested by tests/test-cli-ca.sh. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certwiz-test-utils.h"

#define SESSION_ENV "CERTWIZ_TEST_SECRET_SESSION"

/* "yes" inside dbus-run-session with gnome-keyring; "no" when that could not be had */
static const char *secret_session;

static char *
write_secret (const char *dir,
              const char *name,
              const char *content,
              int         mode)
{
  char *path = certwiz_test_write (dir, name, content, strlen (content));

  g_assert_no_errno (chmod (path, mode));
  return path;
}

static CertreqStore *
open_store (char **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "store", NULL);
  CertreqStore *store = certreq_store_open (path, &error);

  g_assert_no_error (error);
  *out_dir = g_steal_pointer (&dir);
  return store;
}

static void
test_ids (void)
{
  static const struct
  {
    CertreqCaProtocol  protocol;
    const char        *id;
    const char        *label;
  } table[] = {
    { CERTREQ_CA_PROTOCOL_LOCAL, "local", "Built-in lab CA" },
    { CERTREQ_CA_PROTOCOL_ACME, "acme", "ACME (RFC 8555)" },
    { CERTREQ_CA_PROTOCOL_SCEP, "scep", "SCEP (RFC 8894)" },
    { CERTREQ_CA_PROTOCOL_ADCS, "adcs", "AD CS Web Enrollment" },
    { CERTREQ_CA_PROTOCOL_EST, "est", "EST (RFC 7030)" },
  };
  CertreqCaProtocol protocol;
  CertreqHttpAuth auth;
  guint i;
  int k;

  g_test_summary ("Protocol and authentication ids round-trip; SCEP certifies RSA keys only");
  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpstr (certreq_ca_protocol_to_id (table[i].protocol), ==, table[i].id);
      g_assert_cmpstr (certreq_ca_protocol_get_label (table[i].protocol), ==, table[i].label);
      g_assert_true (certreq_ca_protocol_from_id (table[i].id, &protocol));
      g_assert_cmpint (protocol, ==, table[i].protocol);
    }
  g_assert_false (certreq_ca_protocol_from_id ("cmp", &protocol));
  g_assert_false (certreq_ca_protocol_from_id (NULL, &protocol));

  for (i = CERTREQ_HTTP_AUTH_NONE; i <= CERTREQ_HTTP_AUTH_CERT; i++)
    {
      g_assert_true (certreq_ca_auth_from_id (certreq_ca_auth_to_id (i), &auth));
      g_assert_cmpint (auth, ==, i);
    }
  g_assert_false (certreq_ca_auth_from_id ("digest", &auth));

  for (k = 0; k < CERTREQ_N_KEY_TYPES; k++)
    {
      gboolean rsa = k == CERTREQ_KEY_TYPE_RSA_2048 || k == CERTREQ_KEY_TYPE_RSA_3072 ||
                     k == CERTREQ_KEY_TYPE_RSA_4096;

      g_assert_cmpint (certreq_ca_protocol_supports_key_type (CERTREQ_CA_PROTOCOL_SCEP, k), ==,
                       rsa);
      g_assert_true (certreq_ca_protocol_supports_key_type (CERTREQ_CA_PROTOCOL_ACME, k));
      g_assert_true (certreq_ca_protocol_supports_key_type (CERTREQ_CA_PROTOCOL_ADCS, k));
      g_assert_true (certreq_ca_protocol_supports_key_type (CERTREQ_CA_PROTOCOL_EST, k));
      g_assert_true (certreq_ca_protocol_supports_key_type (CERTREQ_CA_PROTOCOL_LOCAL, k));
    }
}

typedef void (*ConfigEdit) (CertreqCaConfig *config, const char *dir);

static CertreqCaConfig *
valid_config (CertreqCaProtocol protocol)
{
  CertreqCaConfig *config = certreq_ca_config_new ();

  config->name = g_strdup ("corp-ca_1.example");
  config->protocol = protocol;
  switch (protocol)
    {
    case CERTREQ_CA_PROTOCOL_SCEP:
      config->url = g_strdup ("http://ndes.example.org/certsrv/mscep/mscep.dll");
      break;
    case CERTREQ_CA_PROTOCOL_ADCS:
      config->url = g_strdup ("https://ca.example.org/certsrv/");
      break;
    case CERTREQ_CA_PROTOCOL_EST:
      config->url = g_strdup ("https://est.example.org/.well-known/est");
      break;
    case CERTREQ_CA_PROTOCOL_ACME:
    case CERTREQ_CA_PROTOCOL_LOCAL:
    default:
      config->url = g_strdup ("https://acme.example.org/directory");
      break;
    }
  return config;
}

static void
assert_refused (CertreqCaConfig *config,
                const char      *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (certreq_ca_config_validate (config, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, fragment);
  /* One sentence, one line */
  g_assert_null (strchr (error->message, '\n'));
  if (!g_str_has_suffix (error->message, "."))
    g_error ("“%s” is not one sentence", error->message);
}

static void
test_validate (void)
{
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *secret = write_secret (dir, "secret", "s3cr3t\n", 0600);
  g_autofree char *secret_ro = write_secret (dir, "secret-ro", "s3cr3t\n", 0400);
  g_autofree char *open_secret = write_secret (dir, "open", "s3cr3t\n", 0644);
  g_autofree char *group_secret = write_secret (dir, "group", "s3cr3t\n", 0640);
  g_autofree char *bundle = write_secret (dir, "bundle.pem", "not checked here\n", 0644);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autoptr(GError) error = NULL;
  CertreqCaConfig *config;

  g_test_summary ("Validation: names, URLs, files, root-only secrets and options that do not "
                  "belong to the protocol are refused in one sentence naming the field");

  /* Valid ones */
  config = valid_config (CERTREQ_CA_PROTOCOL_ACME);
  config->contact = g_strdup ("admin@example.org");
  config->eab_kid = g_strdup ("kid-1");
  config->eab_hmac_file = g_strdup (secret);
  config->http01 = g_strdup ("listen:127.0.0.1:5002");
  config->dns01_hook = g_strdup ("/usr/local/bin/dns-hook --zone 'example.org'");
  config->trust_bundle = g_strdup (bundle);
  g_assert_true (certreq_ca_config_validate (config, &error));
  g_assert_no_error (error);
  g_free (config->http01);
  config->http01 = g_strconcat ("webroot:", dir, NULL);
  g_assert_true (certreq_ca_config_validate (config, &error));
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_SCEP);
  config->challenge_password_file = g_strdup (secret_ro);
  g_assert_true (certreq_ca_config_validate (config, &error));
  g_free (config->url);
  config->url = g_strdup ("https://scep.example.org/scep");
  g_assert_true (certreq_ca_config_validate (config, &error));
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_ADCS);
  config->auth = CERTREQ_HTTP_AUTH_NTLM;
  config->username = g_strdup ("EXAMPLE\\bob");
  config->password_file = g_strdup (secret);
  config->template_name = g_strdup ("WebServer");
  g_assert_true (certreq_ca_config_validate (config, &error));
  /* The password may come from the keyring instead */
  g_clear_pointer (&config->password_file, g_free);
  g_assert_true (certreq_ca_config_validate (config, &error));
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_EST);
  config->auth = CERTREQ_HTTP_AUTH_CERT;
  config->client_cert = g_strdup (bundle);
  config->client_key = g_strdup (secret);
  g_assert_true (certreq_ca_config_validate (config, &error));
  g_assert_no_error (error);
  g_clear_pointer (&config, certreq_ca_config_free);

  /* Names */
  config = valid_config (CERTREQ_CA_PROTOCOL_ACME);
  g_free (config->name);
  config->name = g_strdup ("local");
  assert_refused (config, "“local” is reserved");
  g_free (config->name);
  config->name = g_strdup ("Corp CA");
  assert_refused (config, "The name “Corp CA” is not valid");
  g_free (config->name);
  config->name = g_strdup ("-ca");
  assert_refused (config, "not valid");
  g_clear_pointer (&config->name, g_free);
  assert_refused (config, "Enter a name");
  config->name = g_strdup ("ok");

  /* URLs: https, but SCEP over http too; never credentials inside */
  g_free (config->url);
  config->url = g_strdup ("http://acme.example.org/directory");
  assert_refused (config, "must start with https://");
  g_free (config->url);
  config->url = g_strdup ("https://bob:pw@acme.example.org/directory");
  assert_refused (config, "contains a user name or password");
  g_free (config->url);
  config->url = g_strdup ("acme.example.org");
  assert_refused (config, "is not a valid URL");
  g_free (config->url);
  config->url = g_strdup ("https://acme.example.org/directory");
  config->protocol = CERTREQ_CA_PROTOCOL_SCEP;
  g_free (config->url);
  config->url = g_strdup ("ftp://scep.example.org/scep");
  assert_refused (config, "must start with http:// or https://");
  g_clear_pointer (&config, certreq_ca_config_free);

  /* Files */
  config = valid_config (CERTREQ_CA_PROTOCOL_ACME);
  config->trust_bundle = g_strdup (missing);
  assert_refused (config, "The trust bundle");
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_ACME);
  config->eab_kid = g_strdup ("kid");
  config->eab_hmac_file = g_strdup (open_secret);
  assert_refused (config, "has the mode 0644");
  g_free (config->eab_hmac_file);
  config->eab_hmac_file = g_strdup (group_secret);
  assert_refused (config, "has the mode 0640");
  g_free (config->eab_hmac_file);
  config->eab_hmac_file = g_strdup (missing);
  assert_refused (config, "cannot be used");
  g_free (config->eab_hmac_file);
  config->eab_hmac_file = g_strdup (dir);
  assert_refused (config, "is not a regular file");
  g_clear_pointer (&config->eab_hmac_file, g_free);
  assert_refused (config, "External Account Binding needs both");
  g_clear_pointer (&config, certreq_ca_config_free);

  if (geteuid () == 0)
    {
      g_autofree char *foreign = write_secret (dir, "foreign", "s3cr3t\n", 0600);

      g_assert_no_errno (chown (foreign, 65534, 65534));
      config = valid_config (CERTREQ_CA_PROTOCOL_SCEP);
      config->challenge_password_file = g_strdup (foreign);
      assert_refused (config, "belongs to another user");
      g_clear_pointer (&config, certreq_ca_config_free);
    }

  /* Options of another protocol */
  config = valid_config (CERTREQ_CA_PROTOCOL_SCEP);
  config->eab_kid = g_strdup ("kid");
  assert_refused (config, "SCEP (RFC 8894) has no use for the option “eab-kid”");
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_ACME);
  config->template_name = g_strdup ("WebServer");
  assert_refused (config, "has no use for the option “template”");
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_ADCS);
  config->challenge_password_file = g_strdup (secret);
  assert_refused (config, "has no use for the option “challenge-password-file”");
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_EST);
  config->http01 = g_strdup ("listen:0.0.0.0:80");
  assert_refused (config, "has no use for the option “http01”");
  g_clear_pointer (&config, certreq_ca_config_free);

  /* Authentication */
  config = valid_config (CERTREQ_CA_PROTOCOL_EST);
  config->auth = CERTREQ_HTTP_AUTH_NTLM;
  config->username = g_strdup ("bob");
  assert_refused (config, "does not use the authentication “ntlm”");
  config->auth = CERTREQ_HTTP_AUTH_BASIC;
  g_clear_pointer (&config->username, g_free);
  assert_refused (config, "The authentication “basic” needs a user name");
  config->auth = CERTREQ_HTTP_AUTH_CERT;
  assert_refused (config, "Client certificate authentication needs");
  config->client_cert = g_strdup (bundle);
  assert_refused (config, "needs its private key");
  config->client_key = g_strdup (open_secret);
  assert_refused (config, "has the mode 0644");
  config->username = g_strdup ("bob");
  g_free (config->client_key);
  config->client_key = g_strdup (secret);
  assert_refused (config, "basic or NTLM authentication only");
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_ACME);
  config->contact = g_strdup ("not an address");
  assert_refused (config, "is not an e-mail address");
  g_free (config->contact);
  config->contact = g_strdup ("a@b");
  config->http01 = g_strdup ("listen:127.0.0.1");
  assert_refused (config, "http-01 setting");
  g_free (config->http01);
  config->http01 = g_strdup ("webroot:/nonexistent/certwiz");
  assert_refused (config, "webroot directory /nonexistent/certwiz");
  g_clear_pointer (&config->http01, g_free);
  config->dns01_hook = g_strdup ("hook 'unterminated");
  assert_refused (config, "is not a valid command line");
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_ADCS);
  config->template_name = g_strdup ("Web Server");
  assert_refused (config, "template name “Web Server”");
  g_clear_pointer (&config, certreq_ca_config_free);

  config = valid_config (CERTREQ_CA_PROTOCOL_LOCAL);
  assert_refused (config, "needs no configuration");
  g_clear_pointer (&config, certreq_ca_config_free);

  certwiz_test_rmrf (dir);
}

static void
test_store (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(CertreqStore) store = open_store (&dir);
  g_autofree char *secret = write_secret (dir, "pw", "Sup3rS3cret-Passw0rd\n", 0600);
  g_autofree char *ini = g_build_filename (certreq_store_get_path (store), "cas.ini", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CertreqCaConfig) config = NULL;
  g_autoptr(CertreqCaConfig) got = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_test_summary ("cas.ini: add, replace, list (sorted), get, remove; 0644, no secret in it; "
                  "an invalid configuration changes nothing");

  list = certreq_store_list_cas (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  config = valid_config (CERTREQ_CA_PROTOCOL_ADCS);
  g_free (config->name);
  config->name = g_strdup ("zeta");
  config->auth = CERTREQ_HTTP_AUTH_BASIC;
  config->username = g_strdup ("bob");
  config->password_file = g_strdup (secret);
  config->template_name = g_strdup ("WebServer");
  g_assert_true (certreq_store_set_ca (store, config, &error));
  g_assert_no_error (error);

  g_clear_pointer (&config, certreq_ca_config_free);
  config = valid_config (CERTREQ_CA_PROTOCOL_SCEP);
  g_free (config->name);
  config->name = g_strdup ("alpha");
  g_assert_true (certreq_store_set_ca (store, config, &error));

  g_assert_no_errno (stat (ini, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  g_assert_true (g_file_get_contents (ini, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "Sup3rS3cret"));
  g_assert_nonnull (strstr (contents, "password-file="));

  list = certreq_store_list_cas (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((CertreqCaConfig *) list->pdata[0])->name, ==, "alpha");
  g_assert_cmpstr (((CertreqCaConfig *) list->pdata[1])->name, ==, "zeta");

  got = certreq_store_get_ca (store, "zeta", &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->protocol, ==, CERTREQ_CA_PROTOCOL_ADCS);
  g_assert_cmpstr (got->url, ==, "https://ca.example.org/certsrv/");
  g_assert_cmpint (got->auth, ==, CERTREQ_HTTP_AUTH_BASIC);
  g_assert_cmpstr (got->username, ==, "bob");
  g_assert_cmpstr (got->password_file, ==, secret);
  g_assert_cmpstr (got->template_name, ==, "WebServer");
  g_assert_null (got->contact);
  g_clear_pointer (&got, certreq_ca_config_free);

  /* Replace: the new protocol and fields only */
  g_clear_pointer (&config, certreq_ca_config_free);
  config = valid_config (CERTREQ_CA_PROTOCOL_ACME);
  g_free (config->name);
  config->name = g_strdup ("zeta");
  config->contact = g_strdup ("admin@example.org");
  g_assert_true (certreq_store_set_ca (store, config, &error));
  got = certreq_store_get_ca (store, "zeta", &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->protocol, ==, CERTREQ_CA_PROTOCOL_ACME);
  g_assert_null (got->username);
  g_assert_cmpint (got->auth, ==, CERTREQ_HTTP_AUTH_NONE);
  g_clear_pointer (&got, certreq_ca_config_free);

  /* Invalid: refused, nothing written */
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (ini, &contents, NULL, NULL));
  config->eab_kid = g_strdup ("only-the-kid");
  g_assert_false (certreq_store_set_ca (store, config, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);
  {
    g_autofree char *after = NULL;

    g_assert_true (g_file_get_contents (ini, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, contents);
  }

  g_assert_null (certreq_store_get_ca (store, "nope", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (certreq_store_remove_ca (store, "alpha", &error));
  g_assert_no_error (error);
  g_assert_false (certreq_store_remove_ca (store, "alpha", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = certreq_store_list_cas (store, &error);
  g_assert_cmpuint (list->len, ==, 1);

  /* A group naming no known protocol is skipped with a warning, the rest still listed */
  g_assert_true (g_file_set_contents (ini, "[odd]\nprotocol=cmp\nurl=https://x/\n\n"
                                      "[good]\nprotocol=est\nurl=https://e/.well-known/est\n",
                                      -1, NULL));
  g_clear_pointer (&list, g_ptr_array_unref);
  g_test_expect_message ("Certreq", G_LOG_LEVEL_WARNING, "*“odd”*");
  list = certreq_store_list_cas (store, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CertreqCaConfig *) list->pdata[0])->name, ==, "good");

  g_clear_object (&store);
  certwiz_test_rmrf (dir);
}

static void
test_secret_file (void)
{
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *pw = write_secret (dir, "pw", "first line\r\nsecond line\n", 0600);
  g_autofree char *hmac = write_secret (dir, "hmac", "aGVsbG8td29ybGQ", 0400);
  g_autofree char *empty = write_secret (dir, "empty", "\n", 0600);
  g_autoptr(CertreqCaConfig) config = valid_config (CERTREQ_CA_PROTOCOL_ADCS);
  g_autoptr(GError) error = NULL;
  char *secret;

  g_test_summary ("A secret file gives its first line without the line end; a file others "
                  "can read is refused when read, too");

  config->password_file = g_strdup (pw);
  config->eab_hmac_file = g_strdup (hmac);
  config->challenge_password_file = g_strdup (empty);

  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "first line");
  g_free (secret);

  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_EAB_HMAC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "aGVsbG8td29ybGQ");
  g_free (secret);

  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD, &error);
  g_assert_null (secret);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "is empty"));
  g_clear_error (&error);

  /* Loosened after it was configured */
  g_assert_no_errno (chmod (pw, 0644));
  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_PASSWORD, &error);
  g_assert_null (secret);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "has the mode 0644"));
  g_assert_null (strstr (error->message, "first line"));
  g_clear_error (&error);

  certwiz_test_rmrf (dir);
}

/* Items the Secret Service holds for these attributes, asked over D-Bus directly */
static guint
count_items (const char *ca,
             const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GVariant) locked = NULL;
  GVariantBuilder attributes;

  g_assert_no_error (error);
  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "application", "io.github.certwiz.Certwiz");
  g_variant_builder_add (&attributes, "{ss}", "ca", ca);
  g_variant_builder_add (&attributes, "{ss}", "kind", kind);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", &attributes),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE,
                                       10000, NULL, &error);
  g_assert_no_error (error);
  unlocked = g_variant_get_child_value (reply, 0);
  locked = g_variant_get_child_value (reply, 1);
  return (guint) (g_variant_n_children (unlocked) + g_variant_n_children (locked));
}

static void
test_secret_service (void)
{
  g_autoptr(CertreqCaConfig) config = valid_config (CERTREQ_CA_PROTOCOL_SCEP);
  g_autoptr(CertreqCaConfig) other = valid_config (CERTREQ_CA_PROTOCOL_SCEP);
  g_autoptr(GError) error = NULL;
  char *secret;

  g_test_summary ("The Secret Service (gnome-keyring in its own D-Bus session): store, "
                  "replace, look up by CA and kind; nothing stored is NOT_FOUND");

  if (g_strcmp0 (secret_session, "yes") != 0)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("dbus-run-session and gnome-keyring-daemon are needed (package "
                 "gnome-keyring); build-aux/deps test installs them");
      g_test_skip ("no gnome-keyring-daemon or dbus-run-session");
      return;
    }

  g_free (config->name);
  config->name = g_strdup ("ndes");
  g_free (other->name);
  other->name = g_strdup ("other");

  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD, &error);
  g_assert_null (secret);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No challenge password is configured"));
  g_clear_error (&error);

  g_assert_true (certreq_ca_config_store_secret (config, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD,
                                                 "chall-1", &error));
  g_assert_no_error (error);
  g_assert_true (certreq_ca_config_store_secret (config, CERTREQ_CA_SECRET_PASSWORD,
                                                 "pass-1", &error));
  g_assert_no_error (error);
  g_assert_true (certreq_ca_config_store_secret (other, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD,
                                                 "other-chall", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("ndes", "challenge-password"), ==, 1);
  g_assert_cmpuint (count_items ("ndes", "password"), ==, 1);
  g_assert_cmpuint (count_items ("ndes", "eab-hmac"), ==, 0);

  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "chall-1");
  g_free (secret);
  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_PASSWORD, &error);
  g_assert_cmpstr (secret, ==, "pass-1");
  g_free (secret);
  secret = certreq_ca_config_get_secret (other, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD, &error);
  g_assert_cmpstr (secret, ==, "other-chall");
  g_free (secret);

  /* Replacing keeps one item */
  g_assert_true (certreq_ca_config_store_secret (config, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD,
                                                 "chall-2 with spaces", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("ndes", "challenge-password"), ==, 1);
  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD, &error);
  g_assert_cmpstr (secret, ==, "chall-2 with spaces");
  g_free (secret);

  /* A file named in cas.ini wins over the keyring */
  {
    g_autofree char *dir = certwiz_test_mkdtemp ();
    g_autofree char *path = write_secret (dir, "challenge", "from-file\n", 0600);

    config->challenge_password_file = g_strdup (path);
    secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_CHALLENGE_PASSWORD,
                                           &error);
    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, "from-file");
    g_free (secret);
    certwiz_test_rmrf (dir);
  }
}

static void
test_no_secret_service (void)
{
  g_autoptr(CertreqCaConfig) config = valid_config (CERTREQ_CA_PROTOCOL_ADCS);
  g_autoptr(GError) error = NULL;
  g_autofree char *bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *runtime = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  char *secret;

  g_test_summary ("Without a session bus: storing is PERMISSION, looking up NOT_FOUND, each "
                  "in a sentence naming the CA");

  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("XDG_RUNTIME_DIR");

  g_assert_false (certreq_ca_config_store_secret (config, CERTREQ_CA_SECRET_PASSWORD, "x",
                                                  &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "“corp-ca_1.example”"));
  g_clear_error (&error);

  secret = certreq_ca_config_get_secret (config, CERTREQ_CA_SECRET_PASSWORD, &error);
  g_assert_null (secret);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No password is configured"));

  if (bus != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);
  if (runtime != NULL)
    g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
}

static void
test_key_type_and_factory (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(CertreqStore) store = open_store (&dir);
  g_autoptr(CertreqCaConfig) config = valid_config (CERTREQ_CA_PROTOCOL_SCEP);
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scep_source = NULL;
  CertreqCaProtocol protocol;

  g_test_summary ("A request refuses ECDSA for a SCEP CA (configured or by URL shape); the "
                  "factory finds configured CAs and says when a protocol is not built in");

  g_free (config->name);
  config->name = g_strdup ("ndes");
  g_assert_true (certreq_store_set_ca (store, config, &error));
  g_assert_no_error (error);

  g_assert_true (certreq_ca_protocol_for_id (store, "ndes", &protocol));
  g_assert_cmpint (protocol, ==, CERTREQ_CA_PROTOCOL_SCEP);
  g_assert_true (certreq_ca_protocol_for_id (store, "local", &protocol));
  g_assert_cmpint (protocol, ==, CERTREQ_CA_PROTOCOL_LOCAL);
  g_assert_true (certreq_ca_protocol_for_id (NULL, "https://x.example/acme/directory",
                                             &protocol));
  g_assert_cmpint (protocol, ==, CERTREQ_CA_PROTOCOL_ACME);
  g_assert_true (certreq_ca_protocol_for_id (NULL, "https://x.example/.well-known/est/lbl",
                                             &protocol));
  g_assert_cmpint (protocol, ==, CERTREQ_CA_PROTOCOL_EST);
  g_assert_true (certreq_ca_protocol_for_id (NULL, "https://x.example/certsrv/", &protocol));
  g_assert_cmpint (protocol, ==, CERTREQ_CA_PROTOCOL_ADCS);
  g_assert_true (certreq_ca_protocol_for_id (NULL, "http://x.example/certsrv/mscep/mscep.dll",
                                             &protocol));
  g_assert_cmpint (protocol, ==, CERTREQ_CA_PROTOCOL_SCEP);
  g_assert_true (certreq_ca_protocol_for_id (NULL, "http://x.example/cgi-bin/pkiclient.exe",
                                             &protocol));
  g_assert_cmpint (protocol, ==, CERTREQ_CA_PROTOCOL_SCEP);
  g_assert_false (certreq_ca_protocol_for_id (NULL, "https://x.example/", &protocol));
  g_assert_false (certreq_ca_protocol_for_id (store, "nope", &protocol));

  server = certreq_store_load_server (store, &error);
  g_assert_no_error (error);
  request = certreq_request_new (server);
  certreq_request_set_online (request, TRUE);
  certreq_request_set_ca_id (request, "ndes");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P256);
  g_assert_false (certreq_request_validate_key_type (request, store, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "“ndes” speaks SCEP (RFC 8894)"));
  g_assert_nonnull (strstr (error->message, "choose an RSA key"));
  g_clear_error (&error);
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_RSA_3072);
  g_assert_true (certreq_request_validate_key_type (request, store, &error));
  g_assert_no_error (error);

  certreq_request_set_ca_id (request, "http://x.example/cgi-bin/pkiclient.exe");
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P384);
  g_assert_false (certreq_request_validate_key_type (request, store, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);
  /* Offline requests go to any CA */
  certreq_request_set_online (request, FALSE);
  g_assert_true (certreq_request_validate_key_type (request, store, &error));
  certreq_request_set_online (request, TRUE);
  certreq_request_set_ca_id (request, "local");
  g_assert_true (certreq_request_validate_key_type (request, store, &error));

  /* The factory */
  client = certreq_ca_client_new_for_id (store, "nope", &error);
  g_assert_null (client);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "There is no certification authority called “nope”.");
  g_clear_error (&error);

  client = certreq_ca_client_new_for_id (store, "local", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_ca_client_get_id (client), ==, "local");
  g_clear_object (&client);

  scep_source = g_build_filename (g_getenv ("CERTWIZ_SOURCE_ROOT"), "src", "core",
                                  "certreq-ca-scep.c", NULL);
  client = certreq_ca_client_new_for_id (store, "ndes", &error);
  if (g_file_test (scep_source, G_FILE_TEST_EXISTS))
    {
      /* The SCEP module may go to the network when it is created; either way the
       * factory reached it rather than refusing the name */
      if (client == NULL)
        g_assert_false (g_error_matches (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND));
    }
  else
    {
      g_assert_null (client);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
      g_assert_cmpstr (error->message, ==,
                       "The certification authority “ndes” speaks SCEP (RFC 8894), which this "
                       "build of Certwiz does not include.");
    }
  g_clear_error (&error);
  g_clear_object (&client);

  g_clear_object (&store);
  certwiz_test_rmrf (dir);
}

/* Runs this test again inside its own D-Bus session with an unlocked gnome-keyring, when
 * both can be had; the test data's HOME is a temporary directory */
static void
reexec_in_secret_session (int    argc,
                          char **argv)
{
  g_autofree char *dbus_run_session = g_find_program_in_path ("dbus-run-session");
  g_autofree char *keyring = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *home = NULL;
  g_autoptr(GPtrArray) args = NULL;
  int i;

  if (g_getenv (SESSION_ENV) != NULL)
    return;
  if (dbus_run_session == NULL || keyring == NULL)
    {
      g_setenv (SESSION_ENV, "no", TRUE);
      return;
    }

  home = g_dir_make_tmp ("certwiz-keyring-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_unsetenv ("XDG_RUNTIME_DIR");
  g_setenv (SESSION_ENV, "yes", TRUE);
  g_setenv ("CERTWIZ_TEST_KEYRING_HOME", home, TRUE);

  /* gnome-keyring 42 creates the login keyring (the default collection) only for a
   * non-empty password; this one guards nothing but the temporary HOME above */
  args = g_ptr_array_new ();
  g_ptr_array_add (args, dbus_run_session);
  g_ptr_array_add (args, "--");
  g_ptr_array_add (args, "/bin/sh");
  g_ptr_array_add (args, "-c");
  g_ptr_array_add (args, "printf 'certwiz-test' | gnome-keyring-daemon --unlock "
                         "--components=secrets >/dev/null || exit 1; "
                         "\"$@\"; status=$?; rm -rf -- \"$CERTWIZ_TEST_KEYRING_HOME\"; "
                         "exit $status");
  g_ptr_array_add (args, "sh");
  for (i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  execv (dbus_run_session, (char **) args->pdata);
  g_error ("Could not run %s: %s", dbus_run_session, g_strerror (errno));
}

int
main (int    argc,
      char **argv)
{
  reexec_in_secret_session (argc, argv);
  secret_session = g_getenv (SESSION_ENV);
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/ca-config/ids", test_ids);
  g_test_add_func ("/ca-config/validate", test_validate);
  g_test_add_func ("/ca-config/store", test_store);
  g_test_add_func ("/ca-config/secret-file", test_secret_file);
  g_test_add_func ("/ca-config/secret-service", test_secret_service);
  g_test_add_func ("/ca-config/no-secret-service", test_no_secret_service);
  g_test_add_func ("/ca-config/key-type-and-factory", test_key_type_and_factory);

  return g_test_run ();
}
