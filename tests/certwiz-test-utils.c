/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "certwiz-test-utils.h"

void
certwiz_test_init (int    *argc,
                   char ***argv)
{
  setlocale (LC_ALL, "");
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  certreq_init ();
}

gboolean
certwiz_test_under_valgrind (void)
{
  return g_strcmp0 (g_getenv ("CERTWIZ_TEST_VALGRIND"), "1") == 0;
}

CertreqKey *
certwiz_test_key (CertreqKeyType type)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat (certreq_key_type_to_id (type), ".pem", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "test-keys", name, NULL);
  g_autofree char *pem = NULL;
  gsize length = 0;
  CertreqKey *key;

  g_file_get_contents (path, &pem, &length, &error);
  g_assert_no_error (error);
  key = certreq_key_new_from_pem (pem, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certreq_key_get_key_type (key), ==, type);
  return key;
}

char *
certwiz_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("certwiz-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
certwiz_test_rmrf (const char *path)
{
  const char *argv[] = { "rm", "-rf", "--", path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (path == NULL)
    return;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
}

char *
certwiz_test_run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return out;
}

char *
certwiz_test_openssl (const char *input,
                      gsize       input_length,
                      const char *first_arg,
                      ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
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

  /* g_subprocess_communicate() insists on stdin data when stdin is a pipe */
  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : G_SUBPROCESS_FLAGS_NONE) |
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  if (input != NULL)
    in = g_bytes_new (input, input_length);
  g_subprocess_communicate (proc, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("openssl %s failed: %.*s", first_arg, (int) g_bytes_get_size (err),
             (const char *) g_bytes_get_data (err, NULL));

  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

char *
certwiz_test_write (const char *dir,
                    const char *name,
                    const void *data,
                    gsize       length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}
