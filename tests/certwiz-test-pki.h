/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A small PKI made by the openssl command line at run time, for the import and
 * export tests: a root, an intermediate and a server certificate with its key. */

#include <string.h>
#include <glib/gstdio.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char *dir;
  char *root_key;
  char *root_pem;
  char *inter_key;
  char *inter_pem;
  char *leaf_key;      /* PKCS #8 PEM */
  char *leaf_pem;
  char *ext_path;
} TestPki;

/* Runs openssl with @argv (NULL-terminated, without "openssl"); returns stdout
 * and stderr together, and the exit status in @out_ok */
static inline char *
test_pki_openssl_all (const char * const *args,
                      gboolean           *out_ok)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  *out_ok = g_spawn_check_wait_status (status, NULL);
  return g_strconcat (out, err, NULL);
}

static inline void
test_pki_sign (TestPki    *pki,
               const char *key,
               const char *subject,
               const char *section,
               const char *ca_pem,
               const char *ca_key,
               const char *serial,
               const char *out)
{
  g_autofree char *csr = g_strconcat (out, ".csr", NULL);
  g_autofree char *output = NULL;

  output = certwiz_test_openssl (NULL, 0, "req", "-new", "-key", key, "-subj", subject,
                                 "-out", csr, NULL);
  g_free (output);
  if (ca_pem == NULL)
    output = certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", csr, "-signkey", key,
                                   "-days", "30", "-extfile", pki->ext_path,
                                   "-extensions", section, "-set_serial", serial,
                                   "-out", out, NULL);
  else
    output = certwiz_test_openssl (NULL, 0, "x509", "-req", "-in", csr, "-CA", ca_pem,
                                   "-CAkey", ca_key, "-days", "30",
                                   "-extfile", pki->ext_path, "-extensions", section,
                                   "-set_serial", serial, "-out", out, NULL);
}

static inline void
test_pki_genkey (const char *path,
                 gboolean    rsa)
{
  g_autofree char *output = NULL;

  if (rsa)
    {
      /* The pre-generated RSA 2048 test key (tests/data/test-keys, public test material):
       * these tests are about certificates, and RSA generation by the openssl command
       * takes seconds on a loaded machine. A PKI has one RSA key, its leaf's. */
      g_autofree char *name = g_test_build_filename (G_TEST_DIST, "data", "test-keys",
                                                     "rsa2048.pem", NULL);
      g_autofree char *pem = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;

      g_file_get_contents (name, &pem, &length, &error);
      g_assert_no_error (error);
      g_file_set_contents_full (path, pem, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
      g_assert_no_error (error);
    }
  else
    output = certwiz_test_openssl (NULL, 0, "genpkey", "-algorithm", "EC", "-pkeyopt",
                                   "ec_paramgen_curve:P-256", "-out", path, NULL);
}

/* A server certificate for @key_path signed by the intermediate */
static inline void
test_pki_issue_leaf (TestPki    *pki,
                     const char *key_path,
                     const char *subject,
                     const char *serial,
                     const char *out)
{
  test_pki_sign (pki, key_path, subject, "leaf", pki->inter_pem, pki->inter_key, serial, out);
}

static inline void
test_pki_init (TestPki    *pki,
               const char *dir)
{
  static const char ext[] =
    "[root]\n"
    "basicConstraints=critical,CA:TRUE\n"
    "keyUsage=critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier=hash\n"
    "[inter]\n"
    "basicConstraints=critical,CA:TRUE,pathlen:0\n"
    "keyUsage=critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier=hash\n"
    "authorityKeyIdentifier=keyid\n"
    "[leaf]\n"
    "basicConstraints=CA:FALSE\n"
    "keyUsage=critical,digitalSignature,keyEncipherment\n"
    "extendedKeyUsage=serverAuth,clientAuth\n"
    "subjectAltName=DNS:fe01.corp.example.com,DNS:pool01.corp.example.com\n";

  pki->dir = g_strdup (dir);
  pki->ext_path = certwiz_test_write (dir, "ext.cnf", ext, strlen (ext));
  pki->root_key = g_build_filename (dir, "root.key", NULL);
  pki->root_pem = g_build_filename (dir, "root.pem", NULL);
  pki->inter_key = g_build_filename (dir, "inter.key", NULL);
  pki->inter_pem = g_build_filename (dir, "inter.pem", NULL);
  pki->leaf_key = g_build_filename (dir, "leaf.key", NULL);
  pki->leaf_pem = g_build_filename (dir, "leaf.pem", NULL);

  test_pki_genkey (pki->root_key, FALSE);
  test_pki_genkey (pki->inter_key, FALSE);
  test_pki_genkey (pki->leaf_key, TRUE);
  test_pki_sign (pki, pki->root_key, "/CN=Certwiz Test Root", "root", NULL, NULL, "1",
                 pki->root_pem);
  test_pki_sign (pki, pki->inter_key, "/CN=Certwiz Test Intermediate", "inter",
                 pki->root_pem, pki->root_key, "2", pki->inter_pem);
  test_pki_issue_leaf (pki, pki->leaf_key, "/CN=fe01.corp.example.com", "3", pki->leaf_pem);
}

static inline void
test_pki_clear (TestPki *pki)
{
  g_free (pki->dir);
  g_free (pki->root_key);
  g_free (pki->root_pem);
  g_free (pki->inter_key);
  g_free (pki->inter_pem);
  g_free (pki->leaf_key);
  g_free (pki->leaf_pem);
  g_free (pki->ext_path);
}

static inline GBytes *
test_pki_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

/* Concatenated files */
static inline GBytes *
test_pki_concat (const char *first,
                 ...)
{
  GString *all = g_string_new (NULL);
  const char *path;
  va_list ap;

  va_start (ap, first);
  for (path = first; path != NULL; path = va_arg (ap, const char *))
    {
      g_autoptr(GBytes) bytes = test_pki_read (path);

      g_string_append_len (all, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  va_end (ap);
  return g_string_free_to_bytes (all);
}

/* SHA-1 thumbprint of a PEM certificate file as openssl computes it, 40 upper-case hex digits */
static inline char *
test_pki_thumbprint (const char *pem_path)
{
  g_autofree char *out = certwiz_test_openssl (NULL, 0, "x509", "-in", pem_path, "-noout",
                                               "-fingerprint", "-sha1", NULL);
  const char *eq = strchr (out, '=');
  GString *hex = g_string_new (NULL);

  g_assert_nonnull (eq);
  for (eq++; *eq != '\0' && *eq != '\n'; eq++)
    if (*eq != ':')
      g_string_append_c (hex, g_ascii_toupper (*eq));
  return g_string_free (hex, FALSE);
}

/* Every file under @dir except log/, as "path mode size" lines, sorted */
static inline void
test_pki_snapshot_walk (const char *root,
                        const char *rel,
                        GPtrArray  *lines)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = *rel != '\0' ? g_build_filename (rel, name, NULL)
                                                 : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      GStatBuf st;

      if (g_str_equal (child_rel, "log") || g_str_has_suffix (name, ".lock"))
        continue;
      g_assert_cmpint (g_lstat (child, &st), ==, 0);
      g_ptr_array_add (lines, g_strdup_printf ("%s %o %ld", child_rel, (unsigned) st.st_mode,
                                               (long) st.st_size));
      if (S_ISDIR (st.st_mode))
        test_pki_snapshot_walk (root, child_rel, lines);
    }
}

static inline int
test_pki_compare_lines (gconstpointer a,
                        gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static inline char *
test_pki_snapshot (const char *dir)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  test_pki_snapshot_walk (dir, "", lines);
  g_ptr_array_sort (lines, test_pki_compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}
