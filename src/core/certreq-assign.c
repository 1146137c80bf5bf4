/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/pem.h>
#include <unistd.h>

#include "certreq-private.h"

#define LOCK_TIMEOUT_MS 30000

/**
 * certreq_usage_verdict_free:
 * @verdict: (nullable): a #CertreqUsageVerdict
 */
void
certreq_usage_verdict_free (CertreqUsageVerdict *verdict)
{
  if (verdict == NULL)
    return;

  g_free (verdict->reason);
  g_free (verdict);
}

/* ---- Checks ---- */

static char *
format_date (GDateTime *when)
{
  return g_date_time_format (when, "%Y-%m-%d %H:%M UTC");
}

static char *
check_validity (CertreqCertificate *cert)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (cert);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
  g_autofree char *date = NULL;

  if (certreq_certificate_is_valid_at (cert, now))
    return NULL;

  if (not_before != NULL && g_date_time_compare (now, not_before) < 0)
    {
      date = format_date (not_before);
      /* Translators: %s is a date and time */
      return g_strdup_printf (_("The certificate is not valid before %s."), date);
    }

  if (not_after != NULL)
    {
      date = format_date (not_after);
      /* Translators: %s is a date and time */
      return g_strdup_printf (_("The certificate expired on %s."), date);
    }

  return g_strdup (_("The certificate is not valid now."));
}

static gboolean
is_sip_name (const char         *name,
             const char * const *sip_domains)
{
  guint i;

  for (i = 0; sip_domains != NULL && sip_domains[i] != NULL; i++)
    if (g_str_has_prefix (name, "sip.") && g_ascii_strcasecmp (name + 4, sip_domains[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Every profile name of the usage must be covered, except the sip.<domain> names:
 * the admin chooses which SIP domains a request carries, so a certificate without
 * some of them still serves its usage. */
static char *
check_names (CertreqCertificate *cert,
             CertreqServer      *server,
             CertreqUsage        usage)
{
  const char * const *sip_domains = certreq_server_get_sip_domains (server);
  g_auto(GStrv) names = certreq_server_get_usage_names (server, usage, NULL);
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *list = NULL;
  guint i;

  for (i = 0; names != NULL && names[i] != NULL; i++)
    if (!is_sip_name (names[i], sip_domains) && !certreq_certificate_covers_name (cert, names[i]))
      g_ptr_array_add (missing, names[i]);

  if (missing->len == 0)
    return NULL;

  g_ptr_array_add (missing, NULL);
  list = g_strjoinv (", ", (char **) missing->pdata);
  /* Translators: %s is one DNS name, or several separated by commas */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The certificate does not cover the name %s that this "
                                       "usage needs.",
                                       "The certificate does not cover the names %s that this "
                                       "usage needs.",
                                       missing->len - 1),
                          list);
}

static gboolean
key_is_strong_enough (CertreqCertificate *cert)
{
  EVP_PKEY *pkey = X509_get0_pubkey (_certreq_certificate_get_x509 (cert));
  int bits;

  if (pkey == NULL)
    return FALSE;

  bits = EVP_PKEY_get_bits (pkey);
  return (EVP_PKEY_is_a (pkey, "RSA") && bits >= 2048) ||
         (EVP_PKEY_is_a (pkey, "EC") && bits >= 256);
}

static CertreqUsageVerdict *
check_usage (CertreqStore       *store,
             CertreqCertificate *cert,
             CertreqServer      *server,
             CertreqChainResult *chain,
             gboolean            has_key,
             const char         *validity_problem,
             CertreqUsage        usage)
{
  CertreqUsageVerdict *verdict = g_new0 (CertreqUsageVerdict, 1);
  char *names_problem;

  verdict->usage = usage;
  verdict->kind = CERTREQ_VERDICT_REFUSED;

  if (!has_key)
    {
      verdict->reason = g_strdup (_("The private key of this certificate is not in the store."));
      return verdict;
    }

  if (validity_problem != NULL)
    {
      verdict->reason = g_strdup (validity_problem);
      return verdict;
    }

  if (chain->status != CERTREQ_CHAIN_TRUSTED)
    {
      verdict->reason = g_strdup (chain->message != NULL
                                    ? chain->message
                                    : certreq_chain_status_to_string (chain->status));
      return verdict;
    }

  if (!certreq_certificate_has_eku (cert, CERTREQ_EKU_SERVER_AUTH))
    {
      verdict->reason = g_strdup (_("The certificate’s extended key usage does not include "
                                    "server authentication."));
      return verdict;
    }

  names_problem = check_names (cert, server, usage);
  if (names_problem != NULL)
    {
      verdict->reason = names_problem;
      return verdict;
    }

  if (usage == CERTREQ_USAGE_OAUTH && !key_is_strong_enough (cert))
    {
      verdict->reason = g_strdup (_("OAuthTokenIssuer needs a key of at least RSA 2048 bits "
                                    "or ECDSA P-256."));
      return verdict;
    }

  if (usage == CERTREQ_USAGE_DEFAULT &&
      !certreq_certificate_has_eku (cert, CERTREQ_EKU_CLIENT_AUTH))
    {
      verdict->kind = CERTREQ_VERDICT_WARNING;
      verdict->reason = g_strdup (_("The certificate does not allow client authentication: "
                                    "peers that demand client authentication will refuse "
                                    "MTLS connections."));
      return verdict;
    }

  verdict->kind = CERTREQ_VERDICT_OK;
  return verdict;
}

/**
 * certreq_assign_check:
 * @store: the store
 * @cert: the certificate to assign
 * @usages: the usages to check
 * @out_chain: (out) (optional) (transfer full): the chain verification result
 * @error: return location for a #GError
 *
 * Runs the per-usage checks, in this order: the private key is in the store, the
 * certificate is valid now, its chain verifies to a trusted root, its EKU allows the
 * usage, and its names cover the usage's names from the server profile (for oauth
 * also: the key is at least RSA 2048 or P-256). A verdict carries the first problem
 * found. Nothing is changed.
 *
 * Returns: (transfer full) (element-type CertreqUsageVerdict): one verdict per usage
 *   in @usages, in usage order; %NULL with @error set when the store could not be read
 */
GPtrArray *
certreq_assign_check (CertreqStore        *store,
                      CertreqCertificate  *cert,
                      CertreqUsageFlags    usages,
                      CertreqChainResult **out_chain,
                      GError             **error)
{
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(CertreqServer) server = NULL;
  g_autofree char *validity_problem = NULL;
  gboolean has_key;
  guint usage;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  chain = certreq_store_verify (store, cert, NULL, error);
  if (chain == NULL)
    return NULL;
  server = certreq_store_load_server (store, error);
  if (server == NULL)
    return NULL;

  has_key = certreq_store_has_key_for (store, cert);
  validity_problem = check_validity (cert);

  verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) certreq_usage_verdict_free);
  for (usage = 0; usage < CERTREQ_N_USAGES; usage++)
    if (usages & CERTREQ_USAGE_TO_FLAG (usage))
      g_ptr_array_add (verdicts, check_usage (store, cert, server, chain, has_key,
                                              validity_problem, usage));

  if (out_chain != NULL)
    *out_chain = g_steal_pointer (&chain);

  return g_steal_pointer (&verdicts);
}

/* ---- Deployment ---- */

typedef struct
{
  CertreqUsage  usage;
  char         *archive_dir;          /* the new set, archive/<usage>/<n> */
  char         *link_path;            /* live/<usage> */
  char         *link_target;          /* ../archive/<usage>/<n> */
  char         *previous_target;      /* what live/<usage> pointed to, or NULL */
  char         *previous_thumbprint;  /* what usages.ini said, or NULL */
  gboolean      switched;
  gboolean      recorded;
} Deployment;

static void
deployment_free (Deployment *deployment)
{
  g_free (deployment->archive_dir);
  g_free (deployment->link_path);
  g_free (deployment->link_target);
  g_free (deployment->previous_target);
  g_free (deployment->previous_thumbprint);
  g_free (deployment);
}

static gboolean
set_errno_error (GError      **error,
                 const char   *path,
                 int           saved_errno)
{
  /* Translators: %1$s is a file or directory, %2$s the system's reason */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
               _("Could not deploy %1$s: %2$s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* The next free <n> in archive/<usage>/: one more than the highest there */
static guint
next_archive_number (const char *usage_dir)
{
  g_autoptr(GDir) dir = g_dir_open (usage_dir, 0, NULL);
  const char *name;
  guint64 highest = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      guint64 n;

      if (g_ascii_string_to_unsigned (name, 10, 1, G_MAXUINT - 1, &n, NULL) && n > highest)
        highest = n;
    }

  return (guint) highest + 1;
}

static char *
pem_of_certificates (GPtrArray *certs)
{
  GString *pem = g_string_new (NULL);
  guint i;

  for (i = 0; i < certs->len; i++)
    {
      g_autofree char *one = certreq_certificate_to_pem (g_ptr_array_index (certs, i));

      g_string_append (pem, one);
    }

  return g_string_free (pem, FALSE);
}

static gboolean
write_private_key (CertreqKey  *key,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_secmem ());
  char *data = NULL;
  long length;
  gboolean ok;

  if (bio == NULL ||
      !PEM_write_bio_PrivateKey (bio, _certreq_key_get_pkey (key), NULL, NULL, 0, NULL, NULL))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not encode the private key."));
      return FALSE;
    }

  length = BIO_get_mem_data (bio, &data);
  ok = _certreq_write_file_atomic (path, data, (gsize) length, 0600, error);
  OPENSSL_cleanse (data, (size_t) length);
  return ok;
}

static void
remove_archive_set (const char *dir)
{
  static const char * const files[] = { "cert.pem", "chain.pem", "fullchain.pem", "privkey.pem" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Writes a complete archive/<usage>/<n>/; each file is fsync-ed by the atomic write */
static gboolean
write_archive_set (CertreqStore *store,
                   Deployment   *deployment,
                   const char   *cert_pem,
                   const char   *chain_pem,
                   const char   *fullchain_pem,
                   CertreqKey   *key,
                   GError      **error)
{
  const char *usage_id = certreq_usage_to_id (deployment->usage);
  g_autofree char *usage_dir = _certreq_store_build_path (store, "archive", usage_id, NULL);
  g_autofree char *n = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *chain_path = NULL;
  g_autofree char *fullchain_path = NULL;
  g_autofree char *key_path = NULL;

  if (!_certreq_ensure_dir (usage_dir, 0755, error))
    return FALSE;

  /* Under the store lock nobody else picks a number; mkdir still refuses to reuse one */
  for (;;)
    {
      g_free (n);
      n = g_strdup_printf ("%u", next_archive_number (usage_dir));
      g_free (deployment->archive_dir);
      deployment->archive_dir = g_build_filename (usage_dir, n, NULL);
      if (g_mkdir (deployment->archive_dir, 0755) == 0)
        break;
      if (errno != EEXIST)
        {
          int saved_errno = errno;

          g_clear_pointer (&deployment->archive_dir, g_free);
          return set_errno_error (error, usage_dir, saved_errno);
        }
    }

  deployment->link_target = g_build_filename ("..", "archive", usage_id, n, NULL);

  cert_path = g_build_filename (deployment->archive_dir, "cert.pem", NULL);
  chain_path = g_build_filename (deployment->archive_dir, "chain.pem", NULL);
  fullchain_path = g_build_filename (deployment->archive_dir, "fullchain.pem", NULL);
  key_path = g_build_filename (deployment->archive_dir, "privkey.pem", NULL);

  return _certreq_write_file_atomic (cert_path, cert_pem, strlen (cert_pem), 0644, error) &&
         _certreq_write_file_atomic (chain_path, chain_pem, strlen (chain_pem), 0644, error) &&
         _certreq_write_file_atomic (fullchain_path, fullchain_pem, strlen (fullchain_pem),
                                     0644, error) &&
         write_private_key (key, key_path, error) &&
         _certreq_fsync_dir (deployment->archive_dir, error) &&
         _certreq_fsync_dir (usage_dir, error);
}

/* Points live/<usage> at @target (or removes it when @target is NULL) with one
 * rename(2) of a new link, so a reader sees either the old set or the new one. */
static gboolean
swap_link (const char  *link_path,
           const char  *target,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (link_path);
  g_autofree char *tmp = NULL;

  if (target == NULL)
    {
      if (g_unlink (link_path) < 0 && errno != ENOENT)
        return set_errno_error (error, link_path, errno);
      return _certreq_fsync_dir (dir, error);
    }

  tmp = g_strdup_printf ("%s.tmp-%08x", link_path, g_random_int ());
  if (symlink (target, tmp) < 0)
    return set_errno_error (error, link_path, errno);
  if (rename (tmp, link_path) < 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      return set_errno_error (error, link_path, saved_errno);
    }

  return _certreq_fsync_dir (dir, error);
}

static gboolean
run_reload (CertreqStore  *store,
            CertreqUsage   usage,
            GError       **error)
{
  g_auto(GStrv) argv = certreq_store_get_reload_command (store, usage);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *command = NULL;
  int status = 0;

  if (argv == NULL || argv[0] == NULL)
    return TRUE;

  command = g_strjoinv (" ", argv);
  if (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL |
                    G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &local_error) &&
      g_spawn_check_wait_status (status, &local_error))
    return TRUE;

  if (err != NULL)
    g_strstrip (err);
  /* Translators: %1$s is a usage, %2$s the reload command, %3$s why it failed
   * (its error output or its exit status) */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
               _("The reload command for %1$s (%2$s) failed: %3$s"),
               certreq_usage_get_label (usage), command,
               err != NULL && *err != '\0' ? err : local_error->message);
  return FALSE;
}

/* Switches every switched usage back, newest first, and removes the new sets.
 * Problems are added to @problems; the original failure stays the one reported. */
static void
roll_back (CertreqStore *store,
           GPtrArray    *deployments,
           GString      *problems)
{
  guint i;

  for (i = deployments->len; i > 0; i--)
    {
      Deployment *deployment = g_ptr_array_index (deployments, i - 1);
      g_autoptr(GError) error = NULL;

      if (deployment->switched)
        {
          if (!swap_link (deployment->link_path, deployment->previous_target, &error) ||
              (deployment->recorded &&
               !_certreq_store_record_assignment (store, deployment->usage,
                                                  deployment->previous_thumbprint, &error)) ||
              (deployment->previous_target != NULL &&
               !run_reload (store, deployment->usage, &error)))
            {
              g_string_append_c (problems, ' ');
              g_string_append (problems, error->message);
              continue;
            }
          deployment->switched = FALSE;
        }

      if (deployment->archive_dir != NULL)
        remove_archive_set (deployment->archive_dir);
    }
}

static char *
refusal_message (GPtrArray *verdicts)
{
  GString *message = g_string_new (_("The certificate was not assigned, because it cannot "
                                     "serve every chosen usage."));
  guint i;

  for (i = 0; i < verdicts->len; i++)
    {
      CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (verdict->kind != CERTREQ_VERDICT_REFUSED)
        continue;
      g_string_append_c (message, '\n');
      /* "usage: reason", one line per refused usage; both parts are translated */
      g_string_append_printf (message, "%s: %s",
                              certreq_usage_get_label (verdict->usage), verdict->reason);
    }

  return g_string_free (message, FALSE);
}

/**
 * certreq_assign:
 * @store: the store
 * @cert: the certificate to assign; it must be in the store with its key
 * @usages: the usages to assign it to
 * @cancellable: (nullable): a #GCancellable, honoured between usages
 * @error: return location for a #GError
 *
 * All-or-nothing: every usage must pass certreq_assign_check() (warnings allowed),
 * else nothing changes and the error is %CERTREQ_ERROR_NOT_ASSIGNABLE naming each
 * refused usage and why. Then every usage's set is written to a new
 * archive/<usage>/<n>/ (cert.pem, chain.pem, fullchain.pem, privkey.pem 0600),
 * live/<usage> is switched to it with one rename(2), usages.ini records it, and the
 * usage's reload command runs (argv, no shell). If any step fails, every usage
 * already switched is switched back (and reloaded) before the error is returned.
 *
 * Returns: %TRUE when every usage serves @cert
 */
gboolean
certreq_assign (CertreqStore        *store,
                CertreqCertificate  *cert,
                CertreqUsageFlags    usages,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GPtrArray) deployments = NULL;
  g_autoptr(GPtrArray) chain_certs = g_ptr_array_new ();
  g_autoptr(GPtrArray) full_certs = g_ptr_array_new ();
  g_autoptr(GString) problems = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *chain_pem = NULL;
  g_autofree char *fullchain_pem = NULL;
  g_autofree char *live_dir = NULL;
  const char *thumbprint;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (usages == CERTREQ_USAGE_FLAG_NONE)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_ASSIGNABLE,
                           _("Choose at least one usage to assign the certificate to."));
      return FALSE;
    }

  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return FALSE;

  verdicts = certreq_assign_check (store, cert, usages, &chain, error);
  if (verdicts == NULL)
    return FALSE;
  for (i = 0; i < verdicts->len; i++)
    if (((CertreqUsageVerdict *) g_ptr_array_index (verdicts, i))->kind == CERTREQ_VERDICT_REFUSED)
      {
        g_autofree char *message = refusal_message (verdicts);

        g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_ASSIGNABLE, message);
        return FALSE;
      }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  key = certreq_store_load_key (store, certreq_certificate_get_key_id (cert), error);
  if (key == NULL)
    return FALSE;

  /* chain.pem: the issuers up to the root; fullchain.pem: the leaf and the
   * intermediates, which is what a TLS server sends */
  g_ptr_array_add (full_certs, cert);
  for (i = 1; i < chain->elements->len; i++)
    {
      CertreqChainElement *element = g_ptr_array_index (chain->elements, i);

      g_ptr_array_add (chain_certs, element->certificate);
      if (!(element->trusted_root && certreq_certificate_is_self_issued (element->certificate)))
        g_ptr_array_add (full_certs, element->certificate);
    }
  cert_pem = certreq_certificate_to_pem (cert);
  chain_pem = pem_of_certificates (chain_certs);
  fullchain_pem = pem_of_certificates (full_certs);
  thumbprint = certreq_certificate_get_thumbprint (cert);

  live_dir = _certreq_store_build_path (store, "live", NULL);
  if (!_certreq_ensure_dir (live_dir, 0755, error))
    return FALSE;

  /* Phase 1: every new set complete on disk before anything is switched */
  deployments = g_ptr_array_new_with_free_func ((GDestroyNotify) deployment_free);
  for (i = 0; i < verdicts->len; i++)
    {
      CertreqUsageVerdict *verdict = g_ptr_array_index (verdicts, i);
      Deployment *deployment = g_new0 (Deployment, 1);

      deployment->usage = verdict->usage;
      deployment->link_path = g_build_filename (live_dir, certreq_usage_to_id (verdict->usage),
                                                NULL);
      deployment->previous_target = g_file_read_link (deployment->link_path, NULL);
      deployment->previous_thumbprint = certreq_store_get_assigned (store, verdict->usage);
      g_ptr_array_add (deployments, deployment);

      if (!write_archive_set (store, deployment, cert_pem, chain_pem,
                              fullchain_pem, key, &local_error))
        break;
    }

  /* Phase 2: switch, record and reload each usage in turn */
  for (i = 0; local_error == NULL && i < deployments->len; i++)
    {
      Deployment *deployment = g_ptr_array_index (deployments, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;
      if (!swap_link (deployment->link_path, deployment->link_target, &local_error))
        break;
      deployment->switched = TRUE;
      if (!_certreq_store_record_assignment (store, deployment->usage, thumbprint, &local_error))
        break;
      deployment->recorded = TRUE;
      if (!run_reload (store, deployment->usage, &local_error))
        break;
    }

  if (local_error == NULL)
    return TRUE;

  problems = g_string_new (NULL);
  roll_back (store, deployments, problems);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (problems->len == 0)
    /* Translators: %s is why the assignment failed (a sentence) */
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                 _("The certificate was not assigned, and every usage keeps its previous "
                   "certificate. %s"), local_error->message);
  else
    /* Translators: %1$s is why the assignment failed, %2$s what went wrong while
     * undoing it (both sentences) */
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                 _("The certificate was not assigned: %1$s Restoring the previous "
                   "certificates failed too:%2$s"), local_error->message, problems->str);
  return FALSE;
}

typedef struct
{
  CertreqStore       *store;
  CertreqCertificate *cert;
  CertreqUsageFlags   usages;
} AssignData;

static void
assign_data_free (gpointer data)
{
  AssignData *assign = data;

  g_object_unref (assign->store);
  g_object_unref (assign->cert);
  g_free (assign);
}

static void
assign_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AssignData *data = task_data;
  GError *error = NULL;

  if (certreq_assign (data->store, data->cert, data->usages, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * certreq_assign_async:
 * @store: the store
 * @cert: the certificate to assign
 * @usages: the usages to assign it to
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the assignment is done or undone
 * @user_data: data for @callback
 *
 * Runs certreq_assign() in a worker thread.
 */
void
certreq_assign_async (CertreqStore        *store,
                      CertreqCertificate  *cert,
                      CertreqUsageFlags    usages,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AssignData *data;

  g_return_if_fail (CERTREQ_IS_STORE (store));
  g_return_if_fail (CERTREQ_IS_CERTIFICATE (cert));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (AssignData, 1);
  data->store = g_object_ref (store);
  data->cert = g_object_ref (cert);
  data->usages = usages;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, certreq_assign_async);
  /* The worker decides: once the CA or the store has acted, the caller must learn
   * what happened, even if Cancel was pressed a moment too late. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, assign_data_free);
  g_task_run_in_thread (task, assign_thread);
}

/**
 * certreq_assign_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when every usage serves the certificate
 */
gboolean
certreq_assign_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, certreq_assign_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
