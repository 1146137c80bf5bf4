/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "certwiz-test-utils.h"
#include "certreq-private.h"

typedef struct
{
  char         *tmp;
  char         *path;     /* the store: tmp/store, created by certreq_store_open */
  CertreqStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;

  fx->tmp = certwiz_test_mkdtemp ();
  fx->path = g_build_filename (fx->tmp, "store", NULL);
  fx->store = certreq_store_open (fx->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->store);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  unused)
{
  g_clear_object (&fx->store);
  certwiz_test_rmrf (fx->tmp);
  g_free (fx->tmp);
  g_free (fx->path);
}

static void
assert_mode (const char *path,
             mode_t      type,
             int         mode)
{
  GStatBuf st;

  g_test_message ("mode of %s", path);
  if (g_lstat (path, &st) != 0)
    g_error ("%s: %s", path, g_strerror (errno));
  g_assert_cmpint (st.st_mode & S_IFMT, ==, type);
  g_assert_cmpint (st.st_mode & 07777, ==, mode);
}

static void
assert_store_mode (Fixture    *fx,
                   const char *relative,
                   mode_t      type,
                   int         mode)
{
  g_autofree char *path = g_build_filename (fx->path, relative, NULL);

  assert_mode (path, type, mode);
}

/* No temporary file is ever left behind, anywhere in the store */
static void
assert_no_temp_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_assert_null (strstr (name, ".tmp-"));
      g_assert_false (g_str_has_prefix (name, ".new-"));
      g_assert_false (g_str_has_prefix (name, ".removing-"));
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        assert_no_temp_files (child);
    }
}

/* ---- Test PKI made with the openssl command line ---- */

typedef struct
{
  char               *dir;
  CertreqKey         *leaf_key;
  CertreqCertificate *root;
  CertreqCertificate *intermediate;
  CertreqCertificate *leaf;
  char               *leaf_path;
} Pki;

static void
pki_free (Pki *pki)
{
  g_clear_object (&pki->leaf_key);
  g_clear_object (&pki->root);
  g_clear_object (&pki->intermediate);
  g_clear_object (&pki->leaf);
  g_free (pki->leaf_path);
  certwiz_test_rmrf (pki->dir);
  g_free (pki->dir);
  g_free (pki);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pki, pki_free)

static CertreqCertificate *
load_cert (const char *path)
{
  g_autoptr(GError) error = NULL;
  CertreqCertificate *cert = certreq_certificate_load (path, &error);

  g_assert_no_error (error);
  return cert;
}

static Pki *
pki_new (void)
{
  Pki *pki = g_new0 (Pki, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *root_key = NULL, *root_pem = NULL, *int_key = NULL, *int_csr = NULL;
  g_autofree char *int_pem = NULL, *leaf_key = NULL, *leaf_csr = NULL;
  g_autofree char *ca_ext = NULL, *leaf_ext = NULL, *out = NULL;
  static const char ca_ext_text[] =
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
  static const char leaf_ext_text[] =
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
    "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:fe1.example.com\n"
    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";

  pki->dir = certwiz_test_mkdtemp ();
  root_key = g_build_filename (pki->dir, "root.key", NULL);
  root_pem = g_build_filename (pki->dir, "root.pem", NULL);
  int_key = g_build_filename (pki->dir, "int.key", NULL);
  int_csr = g_build_filename (pki->dir, "int.csr", NULL);
  int_pem = g_build_filename (pki->dir, "int.pem", NULL);
  leaf_key = g_build_filename (pki->dir, "leaf.key", NULL);
  leaf_csr = g_build_filename (pki->dir, "leaf.csr", NULL);
  pki->leaf_path = g_build_filename (pki->dir, "leaf.pem", NULL);
  ca_ext = certwiz_test_write (pki->dir, "ca.ext", ca_ext_text, strlen (ca_ext_text));
  leaf_ext = certwiz_test_write (pki->dir, "leaf.ext", leaf_ext_text, strlen (leaf_ext_text));

  out = certwiz_test_openssl (NULL, 0, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:P-256", "-nodes", "-keyout", root_key,
                              "-out", root_pem, "-subj", "/CN=Store Test Root", "-days", "30",
                              "-addext", "basicConstraints=critical,CA:TRUE",
                              "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
  g_free (out);
  out = certwiz_test_openssl (NULL, 0, "req", "-new", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:P-256", "-nodes", "-keyout", int_key,
                              "-out", int_csr, "-subj", "/CN=Store Test Intermediate", NULL);
  g_free (out);
  out = certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", int_csr, "-CA", root_pem,
                              "-CAkey", root_key, "-set_serial", "2", "-days", "30",
                              "-extfile", ca_ext, "-out", int_pem, NULL);
  g_free (out);

  /* The leaf's key is one of ours, so the store can match it */
  pki->leaf_key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_key_save (pki->leaf_key, leaf_key, &error));
  g_assert_no_error (error);
  out = certwiz_test_openssl (NULL, 0, "req", "-new", "-key", leaf_key, "-out", leaf_csr,
                              "-subj", "/CN=fe1.example.com", NULL);
  g_free (out);
  out = certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", leaf_csr, "-CA", int_pem,
                              "-CAkey", int_key, "-set_serial", "3", "-days", "10",
                              "-extfile", leaf_ext, "-out", pki->leaf_path, NULL);
  g_free (out);

  pki->root = load_cert (root_pem);
  pki->intermediate = load_cert (int_pem);
  pki->leaf = load_cert (pki->leaf_path);

  return pki;
}

static char *
openssl_thumbprint (const char *pem_path)
{
  g_autofree char *out = certwiz_test_openssl (NULL, 0, "x509", "-in", pem_path, "-noout",
                                               "-fingerprint", "-sha1", NULL);
  GString *hex = g_string_new (NULL);
  const char *p = strchr (out, '=');

  g_assert_nonnull (p);
  for (p++; *p != '\0' && *p != '\n'; p++)
    {
      if (*p != ':')
        g_string_append_c (hex, g_ascii_toupper (*p));
    }

  return g_string_free (hex, FALSE);
}

/* ---- Layout ---- */

static void
test_layout (Fixture       *fx,
             gconstpointer  unused)
{
  static const struct
  {
    const char *name;
    int         mode;
  } dirs[] = {
    { "", 0755 },
    { "certs", 0755 },
    { "meta", 0755 },
    { "trust", 0755 },
    { "trust/roots", 0755 },
    { "trust/intermediates", 0755 },
    { "archive", 0755 },
    { "live", 0755 },
    { "keys", 0700 },
    { "pending", 0700 },
    { "local-ca", 0700 },
    { "acme", 0700 },
    { "log", 0700 },
  };
  g_autofree char *canonical = g_canonicalize_filename (fx->path, NULL);
  guint i;

  g_test_summary ("A new store is laid out as DESIGN.md says, with its modes");
  for (i = 0; i < G_N_ELEMENTS (dirs); i++)
    assert_store_mode (fx, dirs[i].name, S_IFDIR, dirs[i].mode);

  g_assert_cmpstr (certreq_store_get_path (fx->store), ==, canonical);
  g_assert_true (certreq_store_is_writable (fx->store));

  {
    g_autofree char *built = _certreq_store_build_path (fx->store, "archive", "default", "1",
                                                        NULL);
    g_autofree char *expected = g_build_filename (canonical, "archive", "default", "1", NULL);

    g_assert_cmpstr (built, ==, expected);
  }

  /* Opening it again changes nothing */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CertreqStore) again = certreq_store_open (fx->path, &error);

    g_assert_no_error (error);
    for (i = 0; i < G_N_ELEMENTS (dirs); i++)
      assert_store_mode (fx, dirs[i].name, S_IFDIR, dirs[i].mode);
  }
}

static void
test_refuses_open_private_dirs (Fixture       *fx,
                                gconstpointer  unused)
{
  static const struct
  {
    const char *dir;
    int         mode;
  } table[] = {
    { "keys", 0750 },
    { "keys", 0701 },
    { "pending", 0755 },
    { "pending", 0744 },
    { "local-ca", 0770 },
    { "acme", 0750 },
  };
  guint i;

  g_test_summary ("A store whose keys/ or pending/ others can open is refused, clearly");
  for (i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *dir = g_build_filename (fx->path, table[i].dir, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CertreqStore) store = NULL;

      g_assert_cmpint (g_chmod (dir, table[i].mode), ==, 0);
      store = certreq_store_open (fx->path, &error);
      g_assert_null (store);
      g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PERMISSION);
      g_assert_nonnull (strstr (error->message, dir));
      g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CertreqStore) store = certreq_store_open (fx->path, &error);

    g_assert_no_error (error);
  }
}

static void
test_default_path (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("CERTWIZ_STORE"));
  g_autofree char *env_path = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *empty_path = NULL;

  g_test_summary ("CERTWIZ_STORE wins; else the machine's store, for every user");

  g_setenv ("CERTWIZ_STORE", "/tmp/some-store", TRUE);
  env_path = certreq_store_default_path ();
  g_assert_cmpstr (env_path, ==, "/tmp/some-store");

  g_setenv ("CERTWIZ_STORE", "", TRUE);
  empty_path = certreq_store_default_path ();
  g_assert_cmpstr (empty_path, ==, "/var/lib/certwiz");

  g_unsetenv ("CERTWIZ_STORE");
  default_path = certreq_store_default_path ();
  g_assert_cmpstr (default_path, ==, "/var/lib/certwiz");

  if (saved != NULL)
    g_setenv ("CERTWIZ_STORE", saved, TRUE);
}

static void
test_key_index (Fixture       *fx,
                gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqKey) other = NULL;
  g_autoptr(GKeyFile) index = g_key_file_new ();
  g_autofree char *index_path = g_build_filename (fx->path, "meta", "keys.ini", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *type = NULL;
  GStatBuf st;

  g_test_summary ("meta/keys.ini names the keys in keys/ (public, no key material) and is "
                  "rebuilt from keys/ when a writer opens the store");

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  other = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_store_save_key (fx->store, key, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (certreq_store_save_key (fx->store, other, FALSE, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (index_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_true (g_key_file_load_from_file (index, index_path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (index, certreq_key_get_id (key), "exportable", NULL));
  g_assert_false (g_key_file_get_boolean (index, certreq_key_get_id (other), "exportable", NULL));
  type = g_key_file_get_string (index, certreq_key_get_id (key), "type", NULL);
  g_assert_cmpstr (type, ==, "p256");
  g_assert_true (g_file_get_contents (index_path, &before, NULL, NULL));
  g_assert_null (strstr (before, "PRIVATE"));

  /* Lost (a crash between the key and the index): the next writer rebuilds it */
  g_assert_cmpint (g_unlink (index_path), ==, 0);
  {
    g_autoptr(CertreqStore) again = certreq_store_open (fx->path, &error);

    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (index_path, &after, NULL, NULL));
    g_assert_true (strstr (after, certreq_key_get_id (key)) != NULL);
    g_assert_true (strstr (after, certreq_key_get_id (other)) != NULL);
    g_assert_true (certreq_store_has_key (again, certreq_key_get_id (key)));
    g_assert_true (certreq_store_key_is_exportable (again, certreq_key_get_id (key)));
    g_assert_false (certreq_store_key_is_exportable (again, certreq_key_get_id (other)));
  }
}

/* ---- Lock ---- */

static void
test_lock_other_process (Fixture       *fx,
                         gconstpointer  unused)
{
  int to_child[2], to_parent[2];
  g_autoptr(GError) error = NULL;
  CertreqStoreLock *lock;
  char c = 0;
  pid_t pid;
  int status = 0;
  gint64 start;

  g_test_summary ("A second process holding the lock makes a change wait, then fail with LOCKED");

  g_assert_cmpint (pipe (to_child), ==, 0);
  g_assert_cmpint (pipe (to_parent), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* The child: its own store object, holding the lock until told. It ends with
       * _exit(), so it frees what it made itself (no g_autoptr), or valgrind sees a leak */
      CertreqStore *store = certreq_store_open (fx->path, NULL);
      CertreqStoreLock *child_lock = store != NULL ? certreq_store_lock (store, 1000, NULL) : NULL;

      c = child_lock != NULL ? 'L' : 'E';
      if (write (to_parent[1], &c, 1) != 1 || read (to_child[0], &c, 1) != 1)
        _exit (2);
      certreq_store_lock_release (child_lock);
      g_clear_object (&store);
      _exit (0);
    }

  g_assert_cmpint (read (to_parent[0], &c, 1), ==, 1);
  g_assert_cmpint (c, ==, 'L');

  start = g_get_monotonic_time ();
  lock = certreq_store_lock (fx->store, 300, &error);
  g_assert_null (lock);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Another Certwiz process is changing the store"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
  g_clear_error (&error);

  /* A change through the store's API is refused the same way: nothing is written */
  {
    g_autoptr(CertreqServer) server = certreq_server_new ();

    certreq_server_set_fqdn (server, "fe1.example.com");
    /* certreq_store_save_server waits longer; use the lock directly with a short timeout */
    lock = certreq_store_lock (fx->store, 0, &error);
    g_assert_null (lock);
    g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_LOCKED);
    g_clear_error (&error);
  }

  /* The child lets go; now the lock is ours */
  c = 'R';
  g_assert_cmpint (write (to_child[1], &c, 1), ==, 1);
  lock = certreq_store_lock (fx->store, 5000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  certreq_store_lock_release (lock);

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  close (to_child[0]);
  close (to_child[1]);
  close (to_parent[0]);
  close (to_parent[1]);
}

typedef struct
{
  CertreqStore *store;
  guint         timeout_ms;
  GError       *error;
  gboolean      locked;
} ThreadData;

static gpointer
lock_in_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  CertreqStoreLock *lock = certreq_store_lock (data->store, data->timeout_ms, &data->error);

  data->locked = lock != NULL;
  certreq_store_lock_release (lock);
  return NULL;
}

static void
test_lock_recursive_threads (Fixture       *fx,
                             gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  CertreqStoreLock *outer, *inner;
  ThreadData data = { fx->store, 100, NULL, FALSE };
  GThread *thread;

  g_test_summary ("The lock is recursive in its thread and excludes other threads");

  outer = certreq_store_lock (fx->store, 0, &error);
  g_assert_no_error (error);
  inner = certreq_store_lock (fx->store, 0, &error);
  g_assert_no_error (error);

  /* The store's own mutations work while the caller holds the lock */
  {
    g_autoptr(CertreqServer) server = certreq_server_new ();

    certreq_server_set_fqdn (server, "fe1.example.com");
    g_assert_true (certreq_store_save_server (fx->store, server, &error));
    g_assert_no_error (error);
  }

  thread = g_thread_new ("locker", lock_in_thread, &data);
  g_thread_join (thread);
  g_assert_false (data.locked);
  g_assert_error (data.error, CERTREQ_ERROR, CERTREQ_ERROR_LOCKED);
  g_clear_error (&data.error);

  certreq_store_lock_release (inner);
  /* Still held once */
  thread = g_thread_new ("locker", lock_in_thread, &data);
  g_thread_join (thread);
  g_assert_false (data.locked);
  g_clear_error (&data.error);

  certreq_store_lock_release (outer);
  data.timeout_ms = 1000;
  thread = g_thread_new ("locker", lock_in_thread, &data);
  g_thread_join (thread);
  g_assert_no_error (data.error);
  g_assert_true (data.locked);

  assert_store_mode (fx, ".lock", S_IFREG, 0644);
}

/* ---- Server profile and keys ---- */

static void
test_server_profile (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqServer) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *sip[] = { "example.com", NULL };

  g_test_summary ("server.ini in the store: 0644, round trip, invalid refused");
  server = certreq_store_load_server (fx->store, &error);
  g_assert_no_error (error);
  certreq_server_set_fqdn (server, "fe1.example.com");
  certreq_server_set_sip_domains (server, sip);
  g_assert_true (certreq_store_save_server (fx->store, server, &error));
  g_assert_no_error (error);
  assert_store_mode (fx, "server.ini", S_IFREG, 0644);

  loaded = certreq_store_load_server (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_server_get_fqdn (loaded), ==, "fe1.example.com");
  g_assert_cmpstr (certreq_server_get_sip_domains (loaded)[0], ==, "example.com");

  certreq_server_set_fqdn (server, "bad..name");
  g_assert_false (certreq_store_save_server (fx->store, server, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  assert_no_temp_files (fx->path);
}

static void
test_keys (Fixture       *fx,
           gconstpointer  unused)
{
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqKey) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *ini = NULL;
  const char *id;

  g_test_summary ("keys/<KEY-ID>.pem and .ini are 0600; the exportable flag is kept");
  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  id = certreq_key_get_id (key);
  g_assert_false (certreq_store_has_key (fx->store, id));

  g_assert_true (certreq_store_save_key (fx->store, key, TRUE, &error));
  g_assert_no_error (error);
  pem = g_strdup_printf ("keys/%s.pem", id);
  ini = g_strdup_printf ("keys/%s.ini", id);
  assert_store_mode (fx, pem, S_IFREG, 0600);
  assert_store_mode (fx, ini, S_IFREG, 0600);
  g_assert_true (certreq_store_has_key (fx->store, id));
  g_assert_true (certreq_store_key_is_exportable (fx->store, id));

  loaded = certreq_store_load_key (fx->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_key_get_id (loaded), ==, id);

  g_assert_true (certreq_store_save_key (fx->store, key, FALSE, &error));
  g_assert_false (certreq_store_key_is_exportable (fx->store, id));

  g_clear_object (&loaded);
  loaded = certreq_store_load_key (fx->store, "00ff", &error);
  g_assert_null (loaded);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  loaded = certreq_store_load_key (fx->store, "../../etc/passwd", &error);
  g_assert_null (loaded);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  assert_no_temp_files (fx->path);
}

/* ---- Certificates ---- */

static void
test_certificates (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(Pki) pki = pki_new ();
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) stored_chain = NULL;
  g_autoptr(CertreqCertificate) found = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *thumbprint = openssl_thumbprint (pki->leaf_path);
  g_autofree char *lower = g_ascii_strdown (thumbprint, -1);
  g_autofree char *spaced = NULL;
  g_autofree char *rel = NULL;
  CertreqCertMeta new_meta = { 0, };
  GString *colons = g_string_new (NULL);
  guint i;

  g_test_summary ("certs/, meta/ and the chain: 0644, found by any spelling of the thumbprint");

  g_assert_cmpstr (certreq_certificate_get_thumbprint (pki->leaf), ==, thumbprint);
  for (i = 0; lower[i] != '\0'; i += 2)
    g_string_append_printf (colons, "%s%.2s", i > 0 ? ":" : "", lower + i);
  spaced = g_string_free (colons, FALSE);

  g_ptr_array_add (chain, pki->intermediate);
  new_meta.friendly_name = (char *) "Front End 2026";
  new_meta.usages = CERTREQ_USAGE_FLAGS_STANDARD;
  new_meta.ca_id = (char *) "local";
  new_meta.request_id = (char *) "42";
  g_assert_true (certreq_store_add_certificate (fx->store, pki->leaf, chain, &new_meta, &error));
  g_assert_no_error (error);

  rel = g_strdup_printf ("certs/%s.pem", thumbprint);
  assert_store_mode (fx, rel, S_IFREG, 0644);
  g_free (rel);
  rel = g_strdup_printf ("meta/%s.ini", thumbprint);
  assert_store_mode (fx, rel, S_IFREG, 0644);
  g_free (rel);
  rel = g_strdup_printf ("meta/%s.chain.pem", thumbprint);
  assert_store_mode (fx, rel, S_IFREG, 0644);

  /* The stored file is the certificate, as openssl sees it */
  {
    g_autofree char *stored = g_strdup_printf ("%s/certs/%s.pem", fx->path, thumbprint);
    g_autofree char *stored_tp = openssl_thumbprint (stored);

    g_assert_cmpstr (stored_tp, ==, thumbprint);
  }

  found = certreq_store_find_certificate (fx->store, spaced, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_equal (found, pki->leaf));
  g_clear_object (&found);
  found = certreq_store_find_certificate (fx->store, "not a thumbprint", &error);
  g_assert_null (found);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT);
  g_clear_error (&error);
  found = certreq_store_find_certificate (fx->store, certreq_certificate_get_thumbprint (pki->root),
                                          &error);
  g_assert_null (found);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  meta = certreq_store_get_meta (fx->store, lower);
  g_assert_nonnull (meta);
  g_assert_cmpstr (meta->thumbprint, ==, thumbprint);
  g_assert_cmpstr (meta->friendly_name, ==, "Front End 2026");
  g_assert_cmpint (meta->usages, ==, CERTREQ_USAGE_FLAGS_STANDARD);
  g_assert_cmpstr (meta->ca_id, ==, "local");
  g_assert_cmpstr (meta->request_id, ==, "42");
  g_assert_null (meta->pending_id);
  g_assert_nonnull (meta->added);

  stored_chain = certreq_store_get_chain (fx->store, thumbprint);
  g_assert_cmpuint (stored_chain->len, ==, 1);
  g_assert_true (certreq_certificate_equal (stored_chain->pdata[0], pki->intermediate));

  g_assert_true (certreq_store_friendly_name_in_use (fx->store, "Front End 2026"));
  g_assert_true (certreq_store_friendly_name_in_use (fx->store, "front end 2026"));
  g_assert_false (certreq_store_friendly_name_in_use (fx->store, "Front End 2027"));

  /* The request validator asks the store */
  {
    g_autoptr(CertreqRequest) request = certreq_request_new (NULL);
    g_autofree char *generated = NULL;

    certreq_request_set_friendly_name (request, "FRONT END 2026");
    g_assert_false (certreq_request_validate_basics (request, fx->store, &error));
    g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
    g_assert_nonnull (strstr (error->message, "already used"));
    g_clear_error (&error);
    certreq_request_set_friendly_name (request, "Something else");
    g_assert_true (certreq_request_validate_basics (request, fx->store, &error));
    g_assert_no_error (error);
  }

  /* No key yet; once saved, the certificate has it */
  g_assert_false (certreq_store_has_key_for (fx->store, pki->leaf));
  g_assert_true (certreq_store_save_key (fx->store, pki->leaf_key, FALSE, &error));
  g_assert_true (certreq_store_has_key_for (fx->store, pki->leaf));

  /* A second certificate sorts by friendly name; adding again is idempotent */
  {
    CertreqCertMeta root_meta = { 0, };

    root_meta.friendly_name = (char *) "Another";
    g_assert_true (certreq_store_add_certificate (fx->store, pki->root, NULL, &root_meta, &error));
    g_assert_no_error (error);
    g_assert_true (certreq_store_add_certificate (fx->store, pki->leaf, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  listed = certreq_store_list_certificates (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_true (certreq_certificate_equal (listed->pdata[0], pki->root));
  g_assert_true (certreq_certificate_equal (listed->pdata[1], pki->leaf));
  g_clear_pointer (&meta, certreq_cert_meta_free);
  meta = certreq_store_get_meta (fx->store, thumbprint);
  g_assert_cmpstr (meta->friendly_name, ==, "Front End 2026");

  assert_no_temp_files (fx->path);
}

/* ---- Pending requests ---- */

static CertreqRequest *
make_request (void)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  const char *sip[] = { "example.com", NULL };
  CertreqRequest *request;

  certreq_server_set_fqdn (server, "fe1.example.com");
  certreq_server_set_sip_domains (server, sip);
  request = certreq_request_new (server);
  certreq_request_set_friendly_name (request, "Pending One");
  certreq_request_set_use_credentials (request, TRUE);
  certreq_request_set_username (request, "admin");
  certreq_request_set_password (request, "never-on-disk-8472");
  certreq_request_set_exportable (request, TRUE);
  certreq_request_set_key_type (request, CERTREQ_KEY_TYPE_EC_P256);

  return request;
}

static void
test_pending_mirror (Fixture       *fx,
                     gconstpointer  unused)
{
  g_autoptr(CertreqRequest) request = make_request ();
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *mirror = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *text = NULL;
  g_autofree char *csr_mirror = NULL;
  g_autofree char *csr_text = NULL;
  g_autofree char *csr_orig = NULL;

  g_test_summary ("meta/pending/<ID>/ mirrors request.ini and the CSR (0644, never the key) "
                  "through state changes and removal, and is rebuilt on open");

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec = certreq_request_get_csr_spec (request);
  csr = certreq_csr_create (spec, key, &error);
  g_assert_no_error (error);
  id = certreq_store_pending_create (fx->store, request, key, csr, &error);
  g_assert_no_error (error);

  mirror = g_build_filename ("meta", "pending", id, NULL);
  assert_store_mode (fx, mirror, S_IFDIR, 0755);
  ini = g_build_filename (fx->path, mirror, "request.ini", NULL);
  csr_mirror = g_build_filename (fx->path, mirror, "request.csr", NULL);
  {
    g_autofree char *rel_ini = g_build_filename (mirror, "request.ini", NULL);
    g_autofree char *rel_csr = g_build_filename (mirror, "request.csr", NULL);
    g_autofree char *key_copy = g_build_filename (fx->path, mirror, "key.pem", NULL);
    g_autofree char *orig = g_build_filename (fx->path, "pending", id, "request.csr", NULL);

    assert_store_mode (fx, rel_ini, S_IFREG, 0644);
    assert_store_mode (fx, rel_csr, S_IFREG, 0644);
    g_assert_false (g_file_test (key_copy, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_get_contents (csr_mirror, &csr_text, NULL, NULL));
    g_assert_true (g_file_get_contents (orig, &csr_orig, NULL, NULL));
    g_assert_cmpstr (csr_text, ==, csr_orig);
  }
  g_assert_true (g_file_get_contents (ini, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "state=created"));
  g_assert_null (strstr (text, "PRIVATE"));
  g_clear_pointer (&text, g_free);

  g_assert_true (certreq_store_pending_set_state (fx->store, id, CERTREQ_PENDING_PENDING, "77",
                                                  NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (ini, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "state=pending"));
  g_assert_nonnull (strstr (text, "ca-request-id=77"));

  /* Lost mirror: the next writer that opens the store rebuilds it */
  {
    g_autofree char *full = g_build_filename (fx->path, mirror, NULL);
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", full);
    g_autoptr(CertreqStore) again = NULL;

    g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
    g_assert_false (g_file_test (ini, G_FILE_TEST_EXISTS));
    again = certreq_store_open (fx->path, &error);
    g_assert_no_error (error);
    g_assert_true (g_file_test (ini, G_FILE_TEST_IS_REGULAR));
  }

  g_assert_true (certreq_store_pending_remove (fx->store, id, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (ini, G_FILE_TEST_EXISTS));
  {
    g_autofree char *full = g_build_filename (fx->path, mirror, NULL);

    g_assert_false (g_file_test (full, G_FILE_TEST_EXISTS));
  }
}

static void
test_pending (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(CertreqRequest) request = make_request ();
  g_autoptr(CertreqRequest) loaded = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqKey) pending_key = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GBytes) csr_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ini_text = NULL;
  g_autofree char *key_before = NULL;
  g_autofree char *key_after = NULL;
  g_autofree char *key_rel = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *ca_request_id = NULL;
  g_autofree char *reason = NULL;
  CertreqPendingState state;
  const char *p;

  g_test_summary ("pending/<ID>/: created whole with its modes; state; complete moves the key");

  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec = certreq_request_get_csr_spec (request);
  csr = certreq_csr_create (spec, key, &error);
  g_assert_no_error (error);

  id = certreq_store_pending_create (fx->store, request, key, csr, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (id), ==, 16);
  for (p = id; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p));

  dir = g_build_filename ("pending", id, NULL);
  assert_store_mode (fx, dir, S_IFDIR, 0700);
  {
    g_autofree char *k = g_build_filename (dir, "key.pem", NULL);
    g_autofree char *c = g_build_filename (dir, "request.csr", NULL);
    g_autofree char *i = g_build_filename (dir, "request.ini", NULL);
    g_autofree char *full_ini = g_build_filename (fx->path, i, NULL);
    g_autofree char *full_key = g_build_filename (fx->path, k, NULL);
    g_autofree char *full_csr = g_build_filename (fx->path, c, NULL);
    g_autofree char *csr_text = NULL;
    g_autofree char *out = NULL;

    assert_store_mode (fx, k, S_IFREG, 0600);
    assert_store_mode (fx, c, S_IFREG, 0600);
    assert_store_mode (fx, i, S_IFREG, 0600);
    g_assert_true (g_file_get_contents (full_ini, &ini_text, NULL, NULL));
    g_assert_true (g_file_get_contents (full_key, &key_before, NULL, NULL));
    /* The password is never written */
    g_assert_null (strstr (ini_text, "never-on-disk-8472"));
    g_assert_nonnull (strstr (ini_text, "state=created"));
    g_assert_nonnull (strstr (ini_text, "friendly-name=Pending One"));
    /* The CSR on disk is a valid PKCS#10 request, for openssl too */
    g_assert_true (g_file_get_contents (full_csr, &csr_text, NULL, NULL));
    out = certwiz_test_openssl (csr_text, strlen (csr_text), "req", "-noout", "-verify", NULL);
    g_free (out);
  }
  assert_no_temp_files (fx->path);

  ids = certreq_store_pending_list (fx->store);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, id);

  g_assert_true (certreq_store_pending_get_state (fx->store, id, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, CERTREQ_PENDING_CREATED);
  g_assert_true (certreq_store_friendly_name_in_use (fx->store, "pending one"));

  g_assert_true (certreq_store_pending_set_state (fx->store, id, CERTREQ_PENDING_PENDING,
                                                  "CA-17", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (certreq_store_pending_get_state (fx->store, id, &state, &error));
  g_assert_cmpint (state, ==, CERTREQ_PENDING_PENDING);
  g_assert_true (certreq_store_pending_get_info (fx->store, id, &ca, &ca_request_id, &reason,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ca, ==, "local");
  g_assert_cmpstr (ca_request_id, ==, "CA-17");
  g_assert_null (reason);
  {
    g_autofree char *rel = g_build_filename (dir, "request.ini", NULL);

    assert_store_mode (fx, rel, S_IFREG, 0600);
  }

  loaded = certreq_store_pending_load_request (fx->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_request_get_friendly_name (loaded), ==, "Pending One");
  g_assert_cmpstr (certreq_request_get_username (loaded), ==, "admin");
  g_assert_cmpstr (certreq_request_get_password (loaded), ==, "");
  g_assert_true (certreq_request_get_exportable (loaded));
  pending_key = certreq_store_pending_load_key (fx->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_key_get_id (pending_key), ==, certreq_key_get_id (key));
  csr_back = certreq_store_pending_get_csr (fx->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (csr_back, csr));

  g_assert_true (certreq_store_pending_complete (fx->store, id, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  {
    g_autofree char *full = g_build_filename (fx->path, dir, NULL);

    g_assert_false (g_file_test (full, G_FILE_TEST_EXISTS));
  }
  key_rel = g_strdup_printf ("keys/%s.pem", certreq_key_get_id (key));
  assert_store_mode (fx, key_rel, S_IFREG, 0600);
  {
    g_autofree char *full = g_build_filename (fx->path, key_rel, NULL);

    g_assert_true (g_file_get_contents (full, &key_after, NULL, NULL));
    g_assert_cmpstr (key_after, ==, key_before);
  }
  g_assert_true (certreq_store_key_is_exportable (fx->store, certreq_key_get_id (key)));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = certreq_store_pending_list (fx->store);
  g_assert_cmpuint (ids->len, ==, 0);
  assert_no_temp_files (fx->path);

  /* Unknown ids */
  g_assert_false (certreq_store_pending_get_state (fx->store, id, &state, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (certreq_store_pending_remove (fx->store, "../keys", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
}

static void
test_pending_remove_and_leftovers (Fixture       *fx,
                                   gconstpointer  unused)
{
  g_autoptr(CertreqRequest) request = make_request ();
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqStore) reopened = NULL;
  g_autofree char *id = NULL;
  g_autofree char *half = g_build_filename (fx->path, "pending", ".new-0123456789abcdef", NULL);
  g_autofree char *half_key = g_build_filename (half, "key.pem", NULL);
  g_autoptr(GPtrArray) ids = NULL;

  g_test_summary ("A removed entry is gone; a half-built one from a crash is cleaned on open");
  key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  g_assert_no_error (error);
  spec = certreq_request_get_csr_spec (request);
  csr = certreq_csr_create (spec, key, &error);
  g_assert_no_error (error);
  id = certreq_store_pending_create (fx->store, request, key, csr, &error);
  g_assert_no_error (error);

  g_assert_true (certreq_store_pending_set_state (fx->store, id, CERTREQ_PENDING_DENIED, NULL,
                                                  "Denied by policy", &error));
  g_assert_no_error (error);
  g_assert_true (certreq_store_pending_remove (fx->store, id, &error));
  g_assert_no_error (error);
  ids = certreq_store_pending_list (fx->store);
  g_assert_cmpuint (ids->len, ==, 0);

  /* A crash while building an entry leaves a hidden directory: never listed, cleaned */
  g_assert_cmpint (g_mkdir (half, 0700), ==, 0);
  g_assert_true (g_file_set_contents (half_key, "x", 1, NULL));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = certreq_store_pending_list (fx->store);
  g_assert_cmpuint (ids->len, ==, 0);
  reopened = certreq_store_open (fx->path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (half, G_FILE_TEST_EXISTS));
  assert_no_temp_files (fx->path);
}

/* ---- Trust ---- */

static void
test_trust (Fixture       *fx,
            gconstpointer  unused)
{
  g_autoptr(Pki) pki = pki_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(GPtrArray) intermediates = NULL;
  g_autoptr(CertreqChainResult) before = NULL;
  g_autoptr(CertreqChainResult) missing = NULL;
  g_autoptr(CertreqChainResult) after = NULL;
  g_autofree char *rel = NULL;

  g_test_summary ("Only CA certificates are trusted, only self-signed ones as roots");

  g_assert_false (certreq_store_trust_add (fx->store, pki->leaf, TRUE, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_UNTRUSTED);
  g_assert_nonnull (strstr (error->message, "not a certification authority certificate"));
  g_clear_error (&error);
  g_assert_false (certreq_store_trust_add (fx->store, pki->leaf, FALSE, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_UNTRUSTED);
  g_clear_error (&error);

  g_assert_false (certreq_store_trust_add (fx->store, pki->intermediate, TRUE, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_UNTRUSTED);
  g_assert_nonnull (strstr (error->message, "not self-signed"));
  g_assert_nonnull (strstr (error->message, "Store Test Intermediate"));
  g_clear_error (&error);

  roots = certreq_store_get_trusted_roots (fx->store);
  g_assert_cmpuint (roots->len, ==, 0);
  g_clear_pointer (&roots, g_ptr_array_unref);

  /* Nothing trusted yet: the leaf does not verify */
  before = certreq_store_verify (fx->store, pki->leaf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (before->status, !=, CERTREQ_CHAIN_TRUSTED);

  g_assert_true (certreq_store_trust_add (fx->store, pki->root, TRUE, &error));
  g_assert_no_error (error);
  rel = g_strdup_printf ("trust/roots/%s.pem", certreq_certificate_get_thumbprint (pki->root));
  assert_store_mode (fx, rel, S_IFREG, 0644);

  /* The root alone is not enough: the intermediate is missing */
  missing = certreq_store_verify (fx->store, pki->leaf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missing->status, ==, CERTREQ_CHAIN_MISSING_ISSUER);

  g_assert_true (certreq_store_trust_add (fx->store, pki->intermediate, FALSE, &error));
  g_assert_no_error (error);
  g_free (rel);
  rel = g_strdup_printf ("trust/intermediates/%s.pem",
                         certreq_certificate_get_thumbprint (pki->intermediate));
  assert_store_mode (fx, rel, S_IFREG, 0644);

  roots = certreq_store_get_trusted_roots (fx->store);
  g_assert_cmpuint (roots->len, ==, 1);
  g_assert_true (certreq_certificate_equal (roots->pdata[0], pki->root));
  intermediates = certreq_store_get_intermediates (fx->store);
  g_assert_cmpuint (intermediates->len, ==, 1);

  after = certreq_store_verify (fx->store, pki->leaf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->status, ==, CERTREQ_CHAIN_TRUSTED);
  assert_no_temp_files (fx->path);
}

static void
test_verify_with_stored_chain (Fixture       *fx,
                               gconstpointer  unused)
{
  g_autoptr(Pki) pki = pki_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(CertreqChainResult) with_extra = NULL;
  g_autoptr(CertreqChainResult) with_stored = NULL;

  g_test_summary ("Intermediates come from the caller and from the chain stored with the certificate");
  g_assert_true (certreq_store_trust_add (fx->store, pki->root, TRUE, &error));
  g_assert_no_error (error);

  g_ptr_array_add (extra, pki->intermediate);
  with_extra = certreq_store_verify (fx->store, pki->leaf, extra, &error);
  g_assert_no_error (error);
  g_assert_cmpint (with_extra->status, ==, CERTREQ_CHAIN_TRUSTED);

  g_assert_true (certreq_store_add_certificate (fx->store, pki->leaf, extra, NULL, &error));
  g_assert_no_error (error);
  with_stored = certreq_store_verify (fx->store, pki->leaf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (with_stored->status, ==, CERTREQ_CHAIN_TRUSTED);
}

/* ---- usages.ini, live/, logs ---- */

static void
test_usages (Fixture       *fx,
             gconstpointer  unused)
{
  static const char tp_a[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static const char tp_b[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  const char *reload[] = { "systemctl", "reload", "nginx service", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *ini = g_build_filename (fx->path, "usages.ini", NULL);
  g_autofree char *current = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *prev2 = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *assigned = NULL;

  g_test_summary ("usages.ini keeps current and previous thumbprints and the reload argv");

  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_DEFAULT));
  g_assert_true (_certreq_store_record_assignment (fx->store, CERTREQ_USAGE_DEFAULT, tp_a, &error));
  g_assert_no_error (error);
  assert_store_mode (fx, "usages.ini", S_IFREG, 0644);
  assigned = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_DEFAULT);
  g_assert_cmpstr (assigned, ==, tp_a);
  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_INTERNAL));

  g_assert_true (_certreq_store_record_assignment (fx->store, CERTREQ_USAGE_DEFAULT, tp_b, &error));
  g_assert_true (g_key_file_load_from_file (key_file, ini, G_KEY_FILE_NONE, NULL));
  current = g_key_file_get_string (key_file, "default", "current", NULL);
  previous = g_key_file_get_string (key_file, "default", "previous", NULL);
  g_assert_cmpstr (current, ==, tp_b);
  g_assert_cmpstr (previous, ==, tp_a);

  /* Unassigning keeps the last one as previous */
  g_assert_true (_certreq_store_record_assignment (fx->store, CERTREQ_USAGE_DEFAULT, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (certreq_store_get_assigned (fx->store, CERTREQ_USAGE_DEFAULT));
  prev2 = certreq_store_get_previous (fx->store, CERTREQ_USAGE_DEFAULT);
  g_assert_cmpstr (prev2, ==, tp_b);

  g_assert_null (certreq_store_get_reload_command (fx->store, CERTREQ_USAGE_WEB_EXTERNAL));
  g_assert_true (certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_WEB_EXTERNAL, reload,
                                                   &error));
  g_assert_no_error (error);
  argv = certreq_store_get_reload_command (fx->store, CERTREQ_USAGE_WEB_EXTERNAL);
  g_assert_nonnull (argv);
  g_assert_true (g_strv_equal ((const char * const *) argv, reload));
  g_assert_true (certreq_store_set_reload_command (fx->store, CERTREQ_USAGE_WEB_EXTERNAL, NULL,
                                                   &error));
  g_assert_null (certreq_store_get_reload_command (fx->store, CERTREQ_USAGE_WEB_EXTERNAL));
  assert_no_temp_files (fx->path);
}

static void
test_live_dir (Fixture       *fx,
               gconstpointer  unused)
{
  g_autofree char *archive = g_build_filename (fx->path, "archive", "web-internal", "3", NULL);
  g_autofree char *link = g_build_filename (fx->path, "live", "web-internal", NULL);
  g_autofree char *live = NULL;
  g_autofree char *expected = g_canonicalize_filename (archive, NULL);

  g_test_summary ("live/<usage> is read as the directory it points to");
  g_assert_null (certreq_store_get_live_dir (fx->store, CERTREQ_USAGE_WEB_INTERNAL));
  g_assert_cmpint (g_mkdir_with_parents (archive, 0755), ==, 0);
  g_assert_cmpint (symlink ("../archive/web-internal/3", link), ==, 0);
  live = certreq_store_get_live_dir (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (live, ==, expected);
}

static void
test_logs (Fixture       *fx,
           gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqLog) first = NULL;
  g_autoptr(CertreqLog) second = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GRegex) line_re = NULL;
  g_autofree char *text = NULL;
  g_autofree char *base = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("Logs are 0600 in log/, one per operation, every line time-stamped");

  first = certreq_store_create_log (fx->store, "request", &error);
  g_assert_no_error (error);
  certreq_log_printf (first, "Generated a %s key", "p256");
  certreq_log_printf (first, "Saved pending entry %d", 7);
  assert_mode (certreq_log_get_path (first), S_IFREG, 0600);

  base = g_path_get_basename (certreq_log_get_path (first));
  g_assert_true (g_regex_match_simple ("^[0-9]{8}T[0-9]{6}\\.[0-9]{6}Z-request\\.log$", base,
                                       0, 0));
  g_assert_true (g_file_get_contents (certreq_log_get_path (first), &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");
  line_re = g_regex_new ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ", 0, 0, NULL);
  g_assert_true (g_regex_match (line_re, lines[0], 0, NULL));
  g_assert_true (g_str_has_suffix (lines[0], " Generated a p256 key"));
  g_assert_true (g_regex_match (line_re, lines[1], 0, NULL));
  g_assert_true (g_str_has_suffix (lines[1], " Saved pending entry 7"));

  g_usleep (2000);
  second = certreq_store_create_log (fx->store, "assign usage/../x", &error);
  g_assert_no_error (error);
  certreq_log_printf (second, "Done");
  g_assert_true (g_str_has_prefix (certreq_log_get_path (second), fx->path));
  g_assert_null (strstr (certreq_log_get_path (second) + strlen (fx->path), ".."));

  logs = certreq_store_list_logs (fx->store);
  g_assert_cmpuint (logs->len, ==, 2);
  g_assert_cmpstr (logs->pdata[0], ==, certreq_log_get_path (second));
  g_assert_cmpstr (logs->pdata[1], ==, certreq_log_get_path (first));
  assert_store_mode (fx, "log", S_IFDIR, 0700);
  assert_no_temp_files (fx->path);

  /* A NULL log is a no-op */
  certreq_log_printf (NULL, "ignored");
}

int
main (int   argc,
      char *argv[])
{
  certwiz_test_init (&argc, &argv);

#define ADD(path, fn) \
  g_test_add ("/certreq/store/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("layout", test_layout);
  ADD ("refuses-open-private-dirs", test_refuses_open_private_dirs);
  g_test_add_func ("/certreq/store/default-path", test_default_path);
  ADD ("lock-other-process", test_lock_other_process);
  ADD ("lock-recursive-threads", test_lock_recursive_threads);
  ADD ("server-profile", test_server_profile);
  ADD ("keys", test_keys);
  ADD ("key-index", test_key_index);
  ADD ("pending-mirror", test_pending_mirror);
  ADD ("certificates", test_certificates);
  ADD ("pending", test_pending);
  ADD ("pending-remove-and-leftovers", test_pending_remove_and_leftovers);
  ADD ("trust", test_trust);
  ADD ("verify-with-stored-chain", test_verify_with_stored_chain);
  ADD ("usages", test_usages);
  ADD ("live-dir", test_live_dir);
  ADD ("logs", test_logs);

#undef ADD

  return g_test_run ();
}
