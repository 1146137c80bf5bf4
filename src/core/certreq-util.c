/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certreq-private.h"

void
_certreq_set_error_from_openssl (GError       **error,
                                 CertreqError   code,
                                 const char    *message)
{
  g_autoptr(GString) details = g_string_new (NULL);
  unsigned long err;
  char buf[256];

  while ((err = ERR_get_error ()) != 0)
    {
      ERR_error_string_n (err, buf, sizeof buf);
      if (details->len > 0)
        g_string_append (details, "; ");
      g_string_append (details, buf);
    }

  if (details->len > 0)
    g_set_error (error, CERTREQ_ERROR, code, "%s (%s)", message, details->str);
  else
    g_set_error_literal (error, CERTREQ_ERROR, code, message);
}

gboolean
_certreq_fsync_dir (const char  *path,
                    GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int saved_errno;

  if (fd < 0 || fsync (fd) < 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      /* Translators: %1$s is a directory, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("Could not write the directory %1$s: %2$s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* The file is created with its final mode (0600 for keys) and never chmod-ed
 * afterwards, so a key is never readable by others, not even for an instant. */
gboolean
_certreq_write_file_atomic (const char  *path,
                            const void  *data,
                            gsize        length,
                            int          mode,
                            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = NULL;
  const guint8 *p = data;
  gsize left = length;
  int fd;
  int saved_errno;

  tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0)
    {
      saved_errno = errno;
      /* Translators: %1$s is a file, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("Could not write %1$s: %2$s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  while (left > 0)
    {
      ssize_t n = write (fd, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto fail;
      p += n;
      left -= (gsize) n;
    }

  if (fsync (fd) < 0)
    goto fail;
  if (close (fd) < 0)
    {
      fd = -1;
      goto fail;
    }
  fd = -1;

  if (rename (tmp, path) < 0)
    goto fail;

  return _certreq_fsync_dir (dir, error);

fail:
  saved_errno = errno != 0 ? errno : EIO;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
               _("Could not write %1$s: %2$s"), path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
_certreq_ensure_dir (const char  *path,
                     int          mode,
                     GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;

  if (g_mkdir_with_parents (path, mode) < 0)
    {
      int saved_errno = errno;

      /* Translators: %1$s is a directory, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR,
                   saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS
                     ? CERTREQ_ERROR_PERMISSION : CERTREQ_ERROR_STORE,
                   _("Could not create the directory %1$s: %2$s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

char *
_certreq_hex (const guint8 *data,
              gsize         length,
              gboolean      upper)
{
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char *out = g_malloc (length * 2 + 1);
  gsize i;

  for (i = 0; i < length; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[2 * length] = '\0';

  return out;
}
