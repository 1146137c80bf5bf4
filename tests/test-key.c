/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  unused)
{
  fx->dir = certwiz_test_mkdtemp ();
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  unused)
{
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
}

/* SHA-256 of `openssl pkey -pubout -outform DER` of the key in @key_path */
static char *
openssl_key_id (const char *dir,
                const char *key_path,
                gboolean    is_public)
{
  g_autofree char *der = g_build_filename (dir, "pub.der", NULL);
  g_autofree char *out = NULL;

  if (is_public)
    g_free (certwiz_test_openssl (NULL, 0, "pkey", "-pubin", "-in", key_path,
                                  "-outform", "DER", "-out", der, NULL));
  else
    g_free (certwiz_test_openssl (NULL, 0, "pkey", "-in", key_path, "-pubout",
                                  "-outform", "DER", "-out", der, NULL));
  out = certwiz_test_openssl (NULL, 0, "dgst", "-sha256", "-r", der, NULL);
  g_assert_cmpuint (strlen (out), >=, 64);
  g_unlink (der);

  return g_strndup (out, 64);
}

static void
test_type_ids (void)
{
  static const struct
  {
    CertreqKeyType  type;
    const char     *id;
    const char     *label;
  } table[] = {
    { CERTREQ_KEY_TYPE_RSA_2048, "rsa2048", "RSA, 2048 bits" },
    { CERTREQ_KEY_TYPE_RSA_3072, "rsa3072", "RSA, 3072 bits" },
    { CERTREQ_KEY_TYPE_RSA_4096, "rsa4096", "RSA, 4096 bits" },
    { CERTREQ_KEY_TYPE_EC_P256, "p256", "ECDSA, P-256" },
    { CERTREQ_KEY_TYPE_EC_P384, "p384", "ECDSA, P-384" },
  };
  CertreqKeyType type;
  gsize i;

  g_test_summary ("Key type ids round-trip and have labels");
  g_assert_cmpint (CERTREQ_KEY_TYPE_DEFAULT, ==, CERTREQ_KEY_TYPE_RSA_2048);
  g_assert_cmpuint (G_N_ELEMENTS (table), ==, CERTREQ_N_KEY_TYPES);

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpstr (certreq_key_type_to_id (table[i].type), ==, table[i].id);
      g_assert_true (certreq_key_type_from_id (table[i].id, &type));
      g_assert_cmpint (type, ==, table[i].type);
      g_assert_cmpstr (certreq_key_type_get_label (table[i].type), ==, table[i].label);
    }

  g_assert_true (certreq_key_type_from_id ("RSA4096", &type));
  g_assert_cmpint (type, ==, CERTREQ_KEY_TYPE_RSA_4096);
  g_assert_false (certreq_key_type_from_id ("rsa1024", &type));
  g_assert_false (certreq_key_type_from_id ("", NULL));
  g_assert_false (certreq_key_type_from_id (NULL, NULL));
}

static void
test_generate (Fixture       *fx,
               gconstpointer  data)
{
  CertreqKeyType type = GPOINTER_TO_INT (data);
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqKey) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pub = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "key.pem", NULL);
  g_autofree char *pub_path = g_build_filename (fx->dir, "pub.pem", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected_id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pub_id = NULL;
  g_autofree char *sha = NULL;
  GStatBuf st;

  g_test_summary ("A generated key has the right type, saves as a 0600 PKCS#8 file, "
                  "and its id is the SHA-256 of what openssl calls its public key");

  /* Under valgrind an RSA key costs 15-25 s of CPU to generate: there the RSA sizes take a
   * pre-generated key for the checks that follow (saving, id, openssl's view), RSA generation
   * runs in the cancel tests and EC generation here; the main and ASan runs generate all */
  if (certwiz_test_under_valgrind () && type <= CERTREQ_KEY_TYPE_RSA_4096)
    key = certwiz_test_key (type);
  else
    key = certreq_key_generate (type, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpint (certreq_key_get_key_type (key), ==, type);
  g_assert_cmpuint (strlen (certreq_key_get_id (key)), ==, 64);

  certreq_key_save (key, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "-----BEGIN PRIVATE KEY-----\n"));

  /* openssl agrees on what the key is */
  text = certwiz_test_openssl (NULL, 0, "pkey", "-in", path, "-noout", "-text", NULL);
  switch (type)
    {
    case CERTREQ_KEY_TYPE_RSA_2048:
      g_assert_nonnull (strstr (text, "Private-Key: (2048 bit"));
      break;
    case CERTREQ_KEY_TYPE_RSA_3072:
      g_assert_nonnull (strstr (text, "Private-Key: (3072 bit"));
      break;
    case CERTREQ_KEY_TYPE_RSA_4096:
      g_assert_nonnull (strstr (text, "Private-Key: (4096 bit"));
      break;
    case CERTREQ_KEY_TYPE_EC_P256:
      g_assert_nonnull (strstr (text, "NIST CURVE: P-256"));
      break;
    case CERTREQ_KEY_TYPE_EC_P384:
      g_assert_nonnull (strstr (text, "NIST CURVE: P-384"));
      break;
    default:
      g_assert_not_reached ();
    }

  expected_id = openssl_key_id (fx->dir, path, FALSE);
  g_assert_cmpstr (certreq_key_get_id (key), ==, expected_id);

  /* get_public_der is the DER openssl produces */
  pub = certreq_key_get_public_der (key);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pub);
  g_assert_cmpstr (sha, ==, expected_id);
  g_free (certwiz_test_openssl (NULL, 0, "pkey", "-in", path, "-pubout", "-out", pub_path, NULL));
  pub_id = openssl_key_id (fx->dir, pub_path, TRUE);
  g_assert_cmpstr (pub_id, ==, expected_id);

  loaded = certreq_key_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certreq_key_get_key_type (loaded), ==, type);
  g_assert_cmpstr (certreq_key_get_id (loaded), ==, certreq_key_get_id (key));
}

static void
test_overwrite_keeps_mode (Fixture       *fx,
                           gconstpointer  unused)
{
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "key.pem", NULL);
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;
  const char *name;
  guint n = 0;

  g_test_summary ("Saving over an existing world-readable file replaces it with a 0600 "
                  "file and leaves no temporary file behind");
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  certreq_key_save (key, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  dir = g_dir_open (fx->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpstr (name, ==, "key.pem");
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_generate_async (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_test_summary ("The async path returns a key in the caller's main context");
  certreq_key_generate_async (CERTREQ_KEY_TYPE_EC_P384, cancellable, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  key = certreq_key_generate_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpint (certreq_key_get_key_type (key), ==, CERTREQ_KEY_TYPE_EC_P384);
}

static void
test_generate_cancelled (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqKey) key2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_test_summary ("A cancelled cancellable yields G_IO_ERROR_CANCELLED, sync and async");
  g_cancellable_cancel (cancellable);

  key = certreq_key_generate (CERTREQ_KEY_TYPE_RSA_2048, cancellable, &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  certreq_key_generate_async (CERTREQ_KEY_TYPE_RSA_2048, cancellable, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  key2 = certreq_key_generate_finish (result, &error2);
  g_assert_null (key2);
  g_assert_error (error2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_generate_cancel_during (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_test_summary ("Cancelling while an RSA 4096 key is generated yields CANCELLED, no key");
  certreq_key_generate_async (CERTREQ_KEY_TYPE_RSA_4096, cancellable, store_result, &result);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  key = certreq_key_generate_finish (result, &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} CancelLater;

static gboolean
cancel_later (gpointer user_data)
{
  CancelLater *later = user_data;

  later->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (later->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_generate_cancel_is_prompt (void)
{
  guint attempt;

  g_test_summary ("Cancel interrupts RSA 4096 generation within 200 ms, not when it ends");

  /* A generation can finish before the cancel arrives; then try again */
  for (attempt = 0; attempt < 10; attempt++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(CertreqKey) key = NULL;
      g_autoptr(GError) error = NULL;
      CancelLater later = { cancellable, 0 };
      gint64 returned_at;

      certreq_key_generate_async (CERTREQ_KEY_TYPE_RSA_4096, cancellable, store_result, &result);
      g_timeout_add (30, cancel_later, &later);
      while (result == NULL || later.cancelled_at == 0)
        g_main_context_iteration (NULL, TRUE);
      returned_at = g_get_monotonic_time ();

      key = certreq_key_generate_finish (result, &error);
      if (key != NULL)
        continue;
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      /* valgrind runs OpenSSL some 30 times slower, and RSA 4096 there takes 15 s and more */
      g_assert_cmpint (returned_at - later.cancelled_at, <,
                       (certwiz_test_under_valgrind () ? 2000 : 200) * G_TIME_SPAN_MILLISECOND);
      return;
    }

  g_error ("RSA 4096 generation always finished within 30 ms: cannot test the interruption");
}

static void
test_load_openssl_keys (Fixture       *fx,
                        gconstpointer  unused)
{
  g_autofree char *ec_path = g_build_filename (fx->dir, "ec.pem", NULL);
  g_autofree char *trad_path = g_build_filename (fx->dir, "ec-trad.pem", NULL);
  g_autofree char *rsa_path = g_build_filename (fx->dir, "rsa.pem", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqKey) trad = NULL;
  g_autoptr(CertreqKey) rsa = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Keys made by openssl load with the detected type, in PKCS#8 "
                  "and in the traditional EC form");

  g_free (certwiz_test_openssl (NULL, 0, "genpkey", "-algorithm", "EC", "-pkeyopt",
                                "ec_paramgen_curve:P-384", "-out", ec_path, NULL));
  g_free (certwiz_test_openssl (NULL, 0, "ec", "-in", ec_path, "-out", trad_path, NULL));
  g_free (certwiz_test_openssl (NULL, 0, "genpkey", "-algorithm", "RSA", "-pkeyopt",
                                "rsa_keygen_bits:3072", "-out", rsa_path, NULL));
  expected = openssl_key_id (fx->dir, ec_path, FALSE);

  key = certreq_key_load (ec_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certreq_key_get_key_type (key), ==, CERTREQ_KEY_TYPE_EC_P384);
  g_assert_cmpstr (certreq_key_get_id (key), ==, expected);

  trad = certreq_key_load (trad_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certreq_key_get_key_type (trad), ==, CERTREQ_KEY_TYPE_EC_P384);
  g_assert_cmpstr (certreq_key_get_id (trad), ==, expected);

  rsa = certreq_key_load (rsa_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certreq_key_get_key_type (rsa), ==, CERTREQ_KEY_TYPE_RSA_3072);
}

static void
test_load_refused (Fixture       *fx,
                   gconstpointer  unused)
{
  static const char *const unsupported[][4] = {
    { "RSA", "rsa_keygen_bits:1024", NULL },
    { "EC", "ec_paramgen_curve:secp521r1", NULL },
    { "ED25519", NULL },
  };
  g_autofree char *enc_path = g_build_filename (fx->dir, "enc.pem", NULL);
  g_autofree char *missing = g_build_filename (fx->dir, "missing.pem", NULL);
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GError) error = NULL;
  gsize i;

  g_test_summary ("Garbage, encrypted keys, unsupported types and missing files are refused");

  key = certreq_key_new_from_pem ("hello", 5, &error);
  g_assert_null (key);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  key = certreq_key_load (missing, &error);
  g_assert_null (key);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Encrypted: refused without asking for a passphrase */
  g_free (certwiz_test_openssl (NULL, 0, "genpkey", "-algorithm", "EC", "-pkeyopt",
                                "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret",
                                "-out", enc_path, NULL));
  key = certreq_key_load (enc_path, &error);
  g_assert_null (key);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);

  for (i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      g_autofree char *name = g_strdup_printf ("unsupported-%" G_GSIZE_FORMAT ".pem", i);
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);

      if (unsupported[i][1] != NULL)
        g_free (certwiz_test_openssl (NULL, 0, "genpkey", "-algorithm", unsupported[i][0],
                                      "-pkeyopt", unsupported[i][1], "-out", path, NULL));
      else
        g_free (certwiz_test_openssl (NULL, 0, "genpkey", "-algorithm", unsupported[i][0],
                                      "-out", path, NULL));

      key = certreq_key_load (path, &error);
      g_assert_null (key);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
      g_clear_error (&error);
    }
}

int
main (int    argc,
      char **argv)
{
  static const CertreqKeyType types[] = {
    CERTREQ_KEY_TYPE_RSA_2048, CERTREQ_KEY_TYPE_RSA_3072, CERTREQ_KEY_TYPE_RSA_4096,
    CERTREQ_KEY_TYPE_EC_P256, CERTREQ_KEY_TYPE_EC_P384,
  };
  gsize i;

  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/key/type-ids", test_type_ids);
  for (i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/certreq/key/generate/%s",
                                               certreq_key_type_to_id (types[i]));

      g_test_add (path, Fixture, GINT_TO_POINTER (types[i]),
                  fixture_setup, test_generate, fixture_teardown);
    }
  g_test_add ("/certreq/key/overwrite-keeps-mode", Fixture, NULL,
              fixture_setup, test_overwrite_keeps_mode, fixture_teardown);
  g_test_add_func ("/certreq/key/generate-async", test_generate_async);
  g_test_add_func ("/certreq/key/generate-cancelled", test_generate_cancelled);
  g_test_add_func ("/certreq/key/generate-cancel-during", test_generate_cancel_during);
  g_test_add_func ("/certreq/key/generate-cancel-is-prompt", test_generate_cancel_is_prompt);
  g_test_add ("/certreq/key/load-openssl", Fixture, NULL,
              fixture_setup, test_load_openssl_keys, fixture_teardown);
  g_test_add ("/certreq/key/load-refused", Fixture, NULL,
              fixture_setup, test_load_refused, fixture_teardown);

  return g_test_run ();
}
