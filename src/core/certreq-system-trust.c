/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <string.h>

#include "certreq-private.h"
#include "certreq-system-trust.h"

#define SYSTEM_TRUST_DIR "/usr/local/share/ca-certificates"
#define SYSTEM_TRUST_UPDATE "/usr/sbin/update-ca-certificates"

/**
 * certreq_system_trust_get_dir:
 *
 * Returns: (transfer full): `$CERTWIZ_SYSTEM_TRUST_DIR` when set (tests), else
 *   /usr/local/share/ca-certificates, where Debian's ca-certificates takes local roots
 */
char *
certreq_system_trust_get_dir (void)
{
  const char *env = g_getenv ("CERTWIZ_SYSTEM_TRUST_DIR");

  return g_strdup (env != NULL && *env != '\0' ? env : SYSTEM_TRUST_DIR);
}

/**
 * certreq_system_trust_get_update_argv:
 * @error: return location for a #GError
 *
 * Returns: (transfer full): `$CERTWIZ_SYSTEM_TRUST_UPDATE` split into words (tests),
 *   else /usr/sbin/update-ca-certificates; %NULL with @error when the variable
 *   cannot be split
 */
char **
certreq_system_trust_get_update_argv (GError **error)
{
  const char *env = g_getenv ("CERTWIZ_SYSTEM_TRUST_UPDATE");
  g_autoptr(GError) local_error = NULL;
  char **argv = NULL;

  if (env == NULL || *env == '\0')
    {
      argv = g_new0 (char *, 2);
      argv[0] = g_strdup (SYSTEM_TRUST_UPDATE);
      return argv;
    }

  if (!g_shell_parse_argv (env, NULL, &argv, &local_error))
    {
      /* Translators: %1$s is an environment variable's name, %2$s the reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("%1$s is not a command: %2$s"), "CERTWIZ_SYSTEM_TRUST_UPDATE",
                   local_error->message);
      return NULL;
    }

  return argv;
}

char *
certreq_system_trust_get_path (CertreqCertificate *root)
{
  g_autofree char *dir = certreq_system_trust_get_dir ();
  g_autofree char *name = NULL;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (root), NULL);

  name = g_strdup_printf ("certwiz-%s.crt", certreq_certificate_get_thumbprint (root));
  return g_build_filename (dir, name, NULL);
}

static gboolean
is_self_signed_ca (CertreqCertificate *cert)
{
  X509 *x509 = _certreq_certificate_get_x509 (cert);
  EVP_PKEY *pkey;
  gboolean ok;

  if (!certreq_certificate_is_ca (cert) || !certreq_certificate_is_self_issued (cert))
    return FALSE;

  ERR_clear_error ();
  pkey = X509_get0_pubkey (x509);
  ok = pkey != NULL && X509_verify (x509, pkey) == 1;
  ERR_clear_error ();
  return ok;
}

/**
 * certreq_system_trust_add:
 * @root: a self-signed CA certificate
 * @error: return location for a #GError
 *
 * Adds @root to the operating system's trust: its PEM goes to
 * certreq_system_trust_get_path() (0644, replaced atomically) and the update
 * command runs, as an argv without a shell. This is the only place Certwiz
 * touches the system's trust, and only when the admin asked for it in so many
 * words (`certwiz-cli trust system FILE`, confirmed).
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_system_trust_add (CertreqCertificate  *root,
                          GError             **error)
{
  g_autofree char *dir = certreq_system_trust_get_dir ();
  g_autofree char *path = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean existed;
  int status = 0;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (root), FALSE);

  if (!is_self_signed_ca (root))
    {
      g_autofree char *subject = certreq_certificate_get_subject (root);

      /* Translators: %1$s is a certificate's subject, %2$s its thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_UNTRUSTED,
                   _("The certificate “%1$s” (%2$s) is not a self-signed CA certificate; "
                     "only a root certification authority can be added to the system’s "
                     "trust."),
                   subject, certreq_certificate_get_thumbprint (root));
      return FALSE;
    }

  argv = certreq_system_trust_get_update_argv (error);
  if (argv == NULL)
    return FALSE;

  path = certreq_system_trust_get_path (root);
  pem = certreq_certificate_to_pem (root);
  existed = g_file_test (path, G_FILE_TEST_EXISTS);
  if (!_certreq_ensure_dir (dir, 0755, error) ||
      !_certreq_write_file_atomic (path, pem, strlen (pem), 0644, error))
    return FALSE;

  command = g_strjoinv (" ", argv);
  if (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, &err,
                    &status, &local_error) &&
      g_spawn_check_wait_status (status, &local_error))
    return TRUE;

  /* The system's bundle was not rebuilt: leave no file behind that a later, unrelated
   * update would pick up without the admin knowing */
  if (!existed)
    g_unlink (path);
  if (err != NULL)
    g_strstrip (err);
  /* Translators: %1$s is a command such as update-ca-certificates, %2$s why it failed
   * (its error output or its exit status) */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
               _("The root certificate was not added to the system’s trust: %1$s failed: "
                 "%2$s"),
               command, err != NULL && *err != '\0' ? err : local_error->message);
  return FALSE;
}
