/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the libFuzzer targets: fatal GLib criticals (a parser that trips a
 * g_return_if_fail () has been handed something it did not check; warnings about a
 * damaged file are what the code means to say), and one HTTP answer made from the
 * fuzzer's bytes. */

#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "certreq.h"
#include "certreq-http.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;   /* messages and debug output: quiet */
}

static inline void
fuzz_init (void)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* "HTTP/1.1 STATUS …\r\nName: value\r\n…\r\n\r\nbody" (LF alone works too); anything
 * else is a 200 answer without headers whose body is all of @data */
static inline CertreqHttpResponse *
fuzz_response_new (const guint8 *data,
                   gsize         size)
{
  CertreqHttpResponse *response = g_new0 (CertreqHttpResponse, 1);
  const char *text = (const char *) data;
  const char *end = text + size;
  const char *line = text;

  response->status = 200;
  response->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  response->links = g_ptr_array_new_with_free_func (g_free);
  response->effective_url = g_strdup ("https://ca.example/");

  if (size >= 12 && memcmp (text, "HTTP/", 5) == 0)
    {
      const char *nl = memchr (text, '\n', size);
      const char *space = memchr (text, ' ', size);

      if (nl != NULL && space != NULL && space < nl)
        {
          response->status = (guint) g_ascii_strtoull (space + 1, NULL, 10) % 1000;
          line = nl + 1;
          while (line < end)
            {
              const char *eol = memchr (line, '\n', (gsize) (end - line));
              gsize length = eol != NULL ? (gsize) (eol - line) : (gsize) (end - line);
              g_autofree char *header = NULL;
              char *colon;

              if (length > 0 && line[length - 1] == '\r')
                length--;
              if (length == 0)
                {
                  line = eol != NULL ? eol + 1 : end;
                  break;
                }
              header = g_strndup (line, length);
              colon = strchr (header, ':');
              if (colon != NULL)
                {
                  g_autofree char *name = g_ascii_strdown (header, colon - header);
                  char *value = g_strstrip (g_strdup (colon + 1));

                  if (strcmp (name, "link") == 0)
                    g_ptr_array_add (response->links, g_strdup (value));
                  g_hash_table_replace (response->headers, g_steal_pointer (&name), value);
                }
              line = eol != NULL ? eol + 1 : end;
            }
        }
      else
        line = text;
    }

  response->body = g_bytes_new (line, (gsize) (end - line));
  return response;
}

static char *fuzz_store_dir;

static void
fuzz_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fuzz_remove_tree (child);
      else
        (void) g_unlink (child);
    }
  (void) g_rmdir (path);
}

static void
fuzz_remove_store (void)
{
  if (fuzz_store_dir != NULL)
    fuzz_remove_tree (fuzz_store_dir);
}

/* A store of its own in $TMPDIR for the process, removed at exit */
static inline CertreqStore *
fuzz_store (void)
{
  static CertreqStore *store;
  g_autoptr(GError) error = NULL;

  if (store != NULL)
    return store;
  fuzz_store_dir = g_dir_make_tmp ("certwiz-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (fuzz_remove_store);
  store = certreq_store_open (fuzz_store_dir, &error);
  g_assert_no_error (error);
  return store;
}

typedef CertreqCaClient *(*FuzzClientNew) (CertreqStore *, const CertreqCaConfig *, GError **);

/* A client of @protocol for the CA "fuzz" at @url, made by @client_new */
static inline CertreqCaClient *
fuzz_client (FuzzClientNew      client_new,
             CertreqCaProtocol  protocol,
             const char        *url)
{
  g_autoptr(CertreqCaConfig) config = certreq_ca_config_new ();
  g_autoptr(GError) error = NULL;
  CertreqCaClient *client;

  config->name = g_strdup ("fuzz");
  config->protocol = protocol;
  config->url = g_strdup (url);
  client = client_new (fuzz_store (), config, &error);
  g_assert_no_error (error);
  return client;
}
