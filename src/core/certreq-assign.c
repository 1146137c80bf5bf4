/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <openssl/pem.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certreq-private.h"

#define LOCK_TIMEOUT_MS 30000

/* How long a service gets after its reload to present the new certificate */
#define LIVE_CHECK_TIMEOUT_MS 10000
/* One connection attempt within it, and the longest pause between two */
#define LIVE_CHECK_ATTEMPT_MS 5000
#define LIVE_CHECK_MAX_DELAY_MS 1000

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

/* Owner, group and mode of a deployed key; -1 leaves the process's own */
typedef struct
{
  uid_t uid;
  gid_t gid;
  guint mode;
} KeyOwner;

#define N_TARGETS 4

static gboolean resolve_key_owner   (const CertreqUsageConfig  *config,
                                     KeyOwner                  *out,
                                     GError                   **error);
static void     get_targets         (const CertreqUsageConfig  *config,
                                     char                     **targets);
static gboolean write_journal       (CertreqStore              *store,
                                     CertreqUsage               usage,
                                     const char                *from_dir,
                                     const char                *to_dir,
                                     char                     **targets,
                                     const gboolean            *created,
                                     const KeyOwner            *owner,
                                     GError                   **error);
static gboolean remove_journal      (CertreqStore              *store,
                                     CertreqUsage               usage,
                                     GError                   **error);
static gboolean apply_set           (const char                *dir,
                                     char                     **targets,
                                     const gboolean            *created,
                                     const KeyOwner            *owner,
                                     GError                   **error);
static gboolean link_targets        (CertreqStore              *store,
                                     CertreqUsage               usage,
                                     char                     **targets,
                                     GError                   **error);

typedef struct
{
  CertreqUsage  usage;
  CertreqUsageConfig *config;
  KeyOwner      owner;
  char         *targets[N_TARGETS];   /* paths outside the store, or NULL */
  gboolean      created[N_TARGETS];   /* the target did not exist before */
  gboolean      targets_touched;
  char         *archive_dir;          /* the new set, archive/<usage>/<n> */
  char         *link_path;            /* live/<usage> */
  char         *link_target;          /* ../archive/<usage>/<n> */
  char         *previous_target;      /* what live/<usage> pointed to, or NULL */
  char        **previous_record;      /* what usages.ini said about the usage */
  gboolean      switched;
  gboolean      recorded;
} Deployment;

static void
deployment_free (Deployment *deployment)
{
  guint i;

  for (i = 0; i < N_TARGETS; i++)
    g_free (deployment->targets[i]);
  certreq_usage_config_free (deployment->config);
  g_free (deployment->archive_dir);
  g_free (deployment->link_path);
  g_free (deployment->link_target);
  g_free (deployment->previous_target);
  g_strfreev (deployment->previous_record);
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

static gboolean write_file_owned (const char      *path,
                                  const void      *data,
                                  gsize            length,
                                  guint            mode,
                                  uid_t            uid,
                                  gid_t            gid,
                                  GError         **error);

static gboolean
write_private_key (CertreqKey      *key,
                   const char      *path,
                   const KeyOwner  *owner,
                   GError         **error)
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
  ok = write_file_owned (path, data, (gsize) length, owner->mode, owner->uid, owner->gid,
                         error);
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
         write_private_key (key, key_path, &deployment->owner, error) &&
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

/* Switches live/<usage> to the new set and brings the targets outside the store
 * along: links into live/<usage>/ (which follow every later switch), or copies
 * written under a journal that certreq_store_open() rolls forward or back. */
static gboolean
switch_and_deploy (CertreqStore  *store,
                   Deployment    *deployment,
                   const char    *live_dir,
                   GError       **error)
{
  g_autofree char *old_dir = NULL;
  gboolean any_target = FALSE;
  gboolean copy = deployment->config->copy;
  guint i;

  for (i = 0; i < N_TARGETS; i++)
    if (deployment->targets[i] != NULL)
      {
        GStatBuf st;

        any_target = TRUE;
        deployment->created[i] = g_lstat (deployment->targets[i], &st) < 0 && errno == ENOENT;
      }

  if (deployment->previous_target != NULL)
    old_dir = g_canonicalize_filename (deployment->previous_target, live_dir);

  if (any_target && copy &&
      !write_journal (store, deployment->usage, old_dir, deployment->archive_dir,
                      deployment->targets, deployment->created, &deployment->owner, error))
    return FALSE;

  /* The store learns of the switch before it happens: a crash between the switch and
   * the record of the assignment is finished when the store is opened again */
  if (!_certreq_store_mark_switch (store, deployment->usage, deployment->archive_dir, error) ||
      !swap_link (deployment->link_path, deployment->link_target, error))
    {
      if (any_target && copy)
        remove_journal (store, deployment->usage, NULL);
      _certreq_store_clear_switch (store, deployment->usage, NULL);
      return FALSE;
    }
  deployment->switched = TRUE;

  if (!any_target)
    return TRUE;

  deployment->targets_touched = TRUE;
  if (copy)
    return apply_set (deployment->archive_dir, deployment->targets, deployment->created,
                      &deployment->owner, error) &&
           remove_journal (store, deployment->usage, error);

  return link_targets (store, deployment->usage, deployment->targets, error);
}

/* Undoes switch_and_deploy()'s targets after live/<usage> was switched back to @old_dir */
static gboolean
restore_targets (CertreqStore  *store,
                 Deployment    *deployment,
                 const char    *old_dir,
                 GError       **error)
{
  guint i;

  if (deployment->config->copy)
    return write_journal (store, deployment->usage, deployment->archive_dir, old_dir,
                          deployment->targets, deployment->created, &deployment->owner,
                          error) &&
           apply_set (old_dir, deployment->targets, deployment->created, &deployment->owner,
                      error) &&
           remove_journal (store, deployment->usage, error);

  /* Links follow live/<usage> back; with no previous set they would dangle */
  if (old_dir == NULL)
    for (i = 0; i < N_TARGETS; i++)
      if (deployment->targets[i] != NULL && deployment->created[i])
        g_unlink (deployment->targets[i]);

  return TRUE;
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
           CertreqLog   *log,
           GString      *problems)
{
  guint i;

  for (i = deployments->len; i > 0; i--)
    {
      Deployment *deployment = g_ptr_array_index (deployments, i - 1);
      g_autoptr(GError) error = NULL;

      if (deployment->switched)
        {
          g_autofree char *live_dir = g_path_get_dirname (deployment->link_path);
          g_autofree char *old_dir = NULL;

          if (deployment->previous_target != NULL)
            old_dir = g_canonicalize_filename (deployment->previous_target, live_dir);
          if (!swap_link (deployment->link_path, deployment->previous_target, &error) ||
              (deployment->targets_touched &&
               !restore_targets (store, deployment, old_dir, &error)) ||
              (deployment->recorded &&
               !_certreq_store_restore_assignment (store, deployment->usage,
                                                   (const char * const *)
                                                   deployment->previous_record, &error)) ||
              (deployment->previous_target != NULL &&
               !run_reload (store, deployment->usage, &error)))
            {
              g_string_append_c (problems, ' ');
              g_string_append (problems, error->message);
              certreq_log_printf (log, "%s: could not switch back: %s",
                                  certreq_usage_to_id (deployment->usage), error->message);
              continue;
            }
          deployment->switched = FALSE;
          certreq_log_printf (log, "%s: switched back to %s%s",
                              certreq_usage_to_id (deployment->usage),
                              old_dir != NULL ? old_dir : "no set",
                              old_dir != NULL ? " and reloaded" : "");
        }

      if (deployment->archive_dir != NULL)
        remove_archive_set (deployment->archive_dir);
    }
}

/* ---- The live check ---- */

/* CERTWIZ_LIVE_CHECK_TIMEOUT (seconds) lengthens the wait for slow services, or
 * shortens it for the tests; bounded to 1 s – 5 min */
static guint
live_check_timeout_ms (void)
{
  const char *value = g_getenv ("CERTWIZ_LIVE_CHECK_TIMEOUT");
  char *end = NULL;
  double seconds;

  if (value == NULL || *value == '\0')
    return LIVE_CHECK_TIMEOUT_MS;
  seconds = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !(seconds > 0))
    return LIVE_CHECK_TIMEOUT_MS;

  return (guint) (CLAMP (seconds, 1.0, 300.0) * 1000);
}

/* The SNI name: the endpoint's host when it is a name (what clients use), else the
 * first of the usage's names the certificate covers, else its first DNS name */
static char *
live_check_server_name (const char         *endpoint,
                        CertreqCertificate *cert,
                        CertreqServer      *server,
                        CertreqUsage        usage)
{
  g_autoptr(GSocketConnectable) address = g_network_address_parse (endpoint, 0, NULL);
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) dns_names = NULL;
  const char *host = NULL;
  guint i;

  if (address != NULL)
    host = g_network_address_get_hostname (G_NETWORK_ADDRESS (address));
  if (host != NULL && !g_hostname_is_ip_address (host))
    return g_strdup (host);

  if (server != NULL)
    names = certreq_server_get_usage_names (server, usage,
                                            certreq_server_get_sip_domains (server));
  for (i = 0; names != NULL && names[i] != NULL; i++)
    if (!g_str_has_prefix (names[i], "*.") && certreq_certificate_covers_name (cert, names[i]))
      return g_strdup (names[i]);

  dns_names = certreq_certificate_get_dns_names (cert);
  for (i = 0; dns_names != NULL && dns_names[i] != NULL; i++)
    if (!g_str_has_prefix (dns_names[i], "*."))
      return g_strdup (dns_names[i]);

  return NULL;
}

/* Sleeps @ms milliseconds, or until @cancellable is cancelled (FALSE) */
static gboolean
sleep_cancellable (guint          ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  GPollFD fd;
  gboolean have_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd);

  for (;;)
    {
      gint64 remaining = deadline - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable) || remaining <= 0)
        break;
      if (have_fd)
        g_poll (&fd, 1, (int) ((remaining + 999) / 1000));
      else
        g_usleep ((gulong) remaining);
    }

  if (have_fd)
    g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* After the reload: the usage's check endpoint, if it has one, must present
 * @cert. Retried until it does or the time is up, because a service takes a moment
 * to load the new set. The default usage (MTLS) connects as a client presenting
 * @cert itself, as its peers will. */
static gboolean
live_check (Deployment          *deployment,
            CertreqCertificate  *cert,
            CertreqKey          *key,
            GPtrArray           *intermediates,
            CertreqServer       *server,
            CertreqLog          *log,
            GCancellable        *cancellable,
            GError             **error)
{
  const char *endpoint = deployment->config->check;
  const char *expected = certreq_certificate_get_thumbprint (cert);
  const char *usage_id = certreq_usage_to_id (deployment->usage);
  gboolean mtls = deployment->usage == CERTREQ_USAGE_DEFAULT;
  g_autofree char *server_name = NULL;
  g_autofree char *presented = NULL;
  g_autofree char *last_logged = NULL;
  g_autoptr(GError) last_error = NULL;
  guint timeout_ms = live_check_timeout_ms ();
  guint delay_ms = 200;
  guint seconds;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) timeout_ms * 1000;
  gint64 now;

  if (endpoint == NULL || *endpoint == '\0')
    return TRUE;

  server_name = live_check_server_name (endpoint, cert, server, deployment->usage);
  certreq_log_printf (log, "%s: live check at %s (server name %s%s), for up to %u ms",
                      usage_id, endpoint, server_name != NULL ? server_name : "none",
                      mtls ? ", presenting the certificate as a client" : "", timeout_ms);

  for (;;)
    {
      g_autofree char *thumbprint = NULL;
      g_autofree char *outcome = NULL;
      guint attempt_ms;

      now = g_get_monotonic_time ();
      attempt_ms = (guint) CLAMP ((deadline - now) / 1000, 1000, LIVE_CHECK_ATTEMPT_MS);
      g_clear_error (&last_error);
      g_clear_pointer (&presented, g_free);
      thumbprint = certreq_live_check_fetch (endpoint, server_name,
                                             mtls ? cert : NULL, mtls ? key : NULL,
                                             mtls ? intermediates : NULL,
                                             attempt_ms, cancellable, &last_error);
      if (g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          certreq_log_printf (log, "%s: live check cancelled", usage_id);
          g_propagate_error (error, g_steal_pointer (&last_error));
          return FALSE;
        }
      if (thumbprint != NULL && g_ascii_strcasecmp (thumbprint, expected) == 0)
        {
          certreq_log_printf (log, "%s: %s presents %s, the assigned certificate",
                              usage_id, endpoint, thumbprint);
          return TRUE;
        }

      /* Each new answer once, not every attempt */
      outcome = thumbprint != NULL ? g_strdup_printf ("presents %s", thumbprint)
                                   : g_strdup (last_error->message);
      if (g_strcmp0 (outcome, last_logged) != 0)
        {
          certreq_log_printf (log, "%s: %s: %s", usage_id, endpoint, outcome);
          g_free (last_logged);
          last_logged = g_steal_pointer (&outcome);
        }
      presented = g_steal_pointer (&thumbprint);

      now = g_get_monotonic_time ();
      if (now + (gint64) delay_ms * 1000 >= deadline)
        break;
      if (!sleep_cancellable (delay_ms, cancellable, error))
        {
          certreq_log_printf (log, "%s: live check cancelled", usage_id);
          return FALSE;
        }
      delay_ms = MIN (delay_ms * 2, LIVE_CHECK_MAX_DELAY_MS);
    }

  seconds = (guint) MAX (1, (now - start + 500000) / 1000000);
  if (presented != NULL)
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                 /* Translators: %1$s is a usage, %2$s HOST:PORT, %3$s and %4$s
                  * thumbprints (40 hex digits), %5$u a number of seconds */
                 g_dngettext (GETTEXT_PACKAGE,
                              "The live check of %1$s failed: %2$s still presented the "
                              "certificate %3$s instead of the assigned %4$s after "
                              "%5$u second.",
                              "The live check of %1$s failed: %2$s still presented the "
                              "certificate %3$s instead of the assigned %4$s after "
                              "%5$u seconds.",
                              seconds),
                 certreq_usage_get_label (deployment->usage), endpoint, presented, expected,
                 seconds);
  else
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                 /* Translators: %1$s is a usage, %2$s HOST:PORT, %3$s why the
                  * connection failed (a sentence) */
                 _("The live check of %1$s failed: no TLS connection to %2$s succeeded. "
                   "%3$s"),
                 certreq_usage_get_label (deployment->usage), endpoint, last_error->message);
  return FALSE;
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
 * usage's reload command runs (argv, no shell). Where the usage has a check endpoint,
 * the live check follows: a TLS connection to it (as a client presenting @cert for
 * the default usage, MTLS) must present @cert's thumbprint within 10 seconds
 * (CERTWIZ_LIVE_CHECK_TIMEOUT, in seconds, changes that). If any step fails, every
 * usage already switched is switched back (and reloaded), usages.ini says what it
 * said before, and the error names what failed — for the live check, the endpoint
 * and the thumbprint it presented, or why no connection succeeded. Each assignment
 * that gets past the checks writes an operation log ("assign") in log/.
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
  g_autoptr(GPtrArray) intermediates = g_ptr_array_new ();
  g_autoptr(GString) problems = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CertreqLog) log = NULL;
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(GString) usage_ids = g_string_new (NULL);
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

  log = certreq_store_create_log (store, "assign", error);
  if (log == NULL)
    return FALSE;
  for (i = 0; i < verdicts->len; i++)
    g_string_append_printf (usage_ids, "%s%s", i > 0 ? ", " : "",
                            certreq_usage_to_id (((CertreqUsageVerdict *)
                                                  g_ptr_array_index (verdicts, i))->usage));
  certreq_log_printf (log, "Assigning %s to %s", certreq_certificate_get_thumbprint (cert),
                      usage_ids->str);

  /* chain.pem: the issuers up to the root; fullchain.pem: the leaf and the
   * intermediates, which is what a TLS server sends */
  g_ptr_array_add (full_certs, cert);
  for (i = 1; i < chain->elements->len; i++)
    {
      CertreqChainElement *element = g_ptr_array_index (chain->elements, i);

      g_ptr_array_add (chain_certs, element->certificate);
      if (!(element->trusted_root && certreq_certificate_is_self_issued (element->certificate)))
        {
          g_ptr_array_add (full_certs, element->certificate);
          g_ptr_array_add (intermediates, element->certificate);
        }
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
      deployment->previous_record = _certreq_store_save_assignment (store, verdict->usage);
      g_ptr_array_add (deployments, deployment);

      deployment->config = certreq_store_get_usage_config (store, verdict->usage, &local_error);
      if (deployment->config == NULL ||
          !resolve_key_owner (deployment->config, &deployment->owner, &local_error))
        break;
      get_targets (deployment->config, deployment->targets);

      if (!write_archive_set (store, deployment, cert_pem, chain_pem,
                              fullchain_pem, key, &local_error))
        break;
      certreq_log_printf (log, "%s: wrote %s", certreq_usage_to_id (deployment->usage),
                          deployment->archive_dir);

      /* The live check chooses its server name from the profile's names */
      if (server == NULL && deployment->config->check != NULL)
        server = certreq_store_load_server (store, NULL);
    }

  /* Phase 2: switch, record and reload each usage in turn */
  for (i = 0; local_error == NULL && i < deployments->len; i++)
    {
      Deployment *deployment = g_ptr_array_index (deployments, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;
      if (!switch_and_deploy (store, deployment, live_dir, &local_error))
        break;
      if (!_certreq_store_record_assignment (store, deployment->usage, thumbprint, &local_error))
        break;
      deployment->recorded = TRUE;
      certreq_log_printf (log, "%s: live/%s switched to %s", certreq_usage_to_id (deployment->usage),
                          certreq_usage_to_id (deployment->usage), deployment->link_target);
      if (!run_reload (store, deployment->usage, &local_error))
        break;
      if (deployment->config->reload_argv != NULL)
        certreq_log_printf (log, "%s: the reload command succeeded",
                            certreq_usage_to_id (deployment->usage));
      if (!live_check (deployment, cert, key, intermediates, server, log, cancellable,
                       &local_error))
        break;
    }

  if (local_error == NULL)
    {
      certreq_log_printf (log, "Done");
      return TRUE;
    }

  certreq_log_printf (log, "Failed: %s", local_error->message);
  problems = g_string_new (NULL);
  roll_back (store, deployments, log, problems);

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

/* ---- Usage configuration (usages.ini) ---- */

/* The files of a deployed set, in the order of the target fields below */
enum
{
  SET_CERT,
  SET_CHAIN,
  SET_FULLCHAIN,
  SET_KEY,
  SET_N_FILES
};

static const char * const set_files[SET_N_FILES] = {
  "cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"
};

/* usages.ini keys of the individual paths, in set order */
static const char * const path_keys[SET_N_FILES] = {
  "cert-path", "chain-path", "fullchain-path", "key-path"
};

/**
 * certreq_usage_config_new:
 *
 * Returns: (transfer full): an empty configuration: the service reads
 *   live/<usage>/ itself, the key is root's with mode 0600, no reload command
 */
CertreqUsageConfig *
certreq_usage_config_new (void)
{
  return g_new0 (CertreqUsageConfig, 1);
}

/**
 * certreq_usage_config_copy:
 * @config: a #CertreqUsageConfig
 *
 * Returns: (transfer full): a deep copy of @config
 */
CertreqUsageConfig *
certreq_usage_config_copy (const CertreqUsageConfig *config)
{
  CertreqUsageConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (CertreqUsageConfig, 1);
  copy->target_dir = g_strdup (config->target_dir);
  copy->cert_path = g_strdup (config->cert_path);
  copy->key_path = g_strdup (config->key_path);
  copy->chain_path = g_strdup (config->chain_path);
  copy->fullchain_path = g_strdup (config->fullchain_path);
  copy->owner = g_strdup (config->owner);
  copy->group = g_strdup (config->group);
  copy->mode = config->mode;
  copy->copy = config->copy;
  copy->reload_argv = g_strdupv (config->reload_argv);
  copy->check = g_strdup (config->check);

  return copy;
}

/**
 * certreq_usage_config_free:
 * @config: (nullable): a #CertreqUsageConfig
 */
void
certreq_usage_config_free (CertreqUsageConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->target_dir);
  g_free (config->cert_path);
  g_free (config->key_path);
  g_free (config->chain_path);
  g_free (config->fullchain_path);
  g_free (config->owner);
  g_free (config->group);
  g_strfreev (config->reload_argv);
  g_free (config->check);
  g_free (config);
}

static const char *
config_path_field (const CertreqUsageConfig *config,
                   guint                     index)
{
  switch (index)
    {
    case SET_CERT:
      return config->cert_path;
    case SET_CHAIN:
      return config->chain_path;
    case SET_FULLCHAIN:
      return config->fullchain_path;
    case SET_KEY:
    default:
      return config->key_path;
    }
}

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/* Where each file of the set goes outside the store (NULL: nowhere) */
static void
config_targets (const CertreqUsageConfig *config,
                char                     *targets[SET_N_FILES])
{
  guint i;

  for (i = 0; i < SET_N_FILES; i++)
    {
      if (is_set (config->target_dir))
        targets[i] = g_build_filename (config->target_dir, set_files[i], NULL);
      else if (is_set (config_path_field (config, i)))
        targets[i] = g_strdup (config_path_field (config, i));
      else
        targets[i] = NULL;
    }
}

static void
clear_targets (char *targets[SET_N_FILES])
{
  guint i;

  for (i = 0; i < SET_N_FILES; i++)
    g_clear_pointer (&targets[i], g_free);
}

static GKeyFile *
load_usages_file (CertreqStore  *store,
                  GError       **error)
{
  g_autofree char *path = _certreq_store_build_path (store, "usages.ini", NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      /* Translators: %1$s is a file in the store, %2$s the reason it cannot be read */
      g_set_error (error, CERTREQ_ERROR,
                   local_error->domain == G_KEY_FILE_ERROR ? CERTREQ_ERROR_BAD_FORMAT
                                                           : CERTREQ_ERROR_STORE,
                   _("Could not read %1$s: %2$s"), path, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

static char *
get_nonempty_string (GKeyFile   *key_file,
                     const char *group,
                     const char *key)
{
  char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static CertreqUsageConfig *
config_from_key_file (GKeyFile     *key_file,
                      CertreqUsage  usage)
{
  const char *group = certreq_usage_to_id (usage);
  CertreqUsageConfig *config = certreq_usage_config_new ();
  g_autofree char *mode = NULL;
  g_autofree char *deploy = NULL;
  guint64 value;

  config->target_dir = get_nonempty_string (key_file, group, "target-dir");
  config->cert_path = get_nonempty_string (key_file, group, "cert-path");
  config->key_path = get_nonempty_string (key_file, group, "key-path");
  config->chain_path = get_nonempty_string (key_file, group, "chain-path");
  config->fullchain_path = get_nonempty_string (key_file, group, "fullchain-path");
  config->owner = get_nonempty_string (key_file, group, "owner");
  config->group = get_nonempty_string (key_file, group, "group");
  config->check = get_nonempty_string (key_file, group, "check");
  mode = get_nonempty_string (key_file, group, "mode");
  if (mode != NULL && g_ascii_string_to_unsigned (mode, 8, 0, 0640, &value, NULL))
    config->mode = (guint) value;
  deploy = get_nonempty_string (key_file, group, "deploy");
  config->copy = g_strcmp0 (deploy, "copy") == 0;
  config->reload_argv = g_key_file_get_string_list (key_file, group, "reload-command",
                                                    NULL, NULL);
  if (config->reload_argv != NULL && config->reload_argv[0] == NULL)
    g_clear_pointer (&config->reload_argv, g_strfreev);

  return config;
}

/**
 * certreq_store_get_usage_config:
 * @store: the store
 * @usage: a #CertreqUsage
 * @error: return location for a #GError
 *
 * Returns: (transfer full): @usage's deployment configuration from usages.ini,
 *   the defaults when none is set; %NULL with @error set when usages.ini cannot
 *   be read
 */
CertreqUsageConfig *
certreq_store_get_usage_config (CertreqStore  *store,
                                CertreqUsage   usage,
                                GError       **error)
{
  g_autoptr(GKeyFile) key_file = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key_file = load_usages_file (store, error);
  if (key_file == NULL)
    return NULL;

  return config_from_key_file (key_file, usage);
}

/* Translated names of the path fields, for messages */
static const char *
path_field_label (guint index)
{
  switch (index)
    {
    case SET_CERT:
      return _("The certificate path");
    case SET_CHAIN:
      return _("The chain path");
    case SET_FULLCHAIN:
      return _("The full chain path");
    case SET_KEY:
    default:
      return _("The key path");
    }
}

static gboolean
validate_path (CertreqStore  *store,
               const char    *label,
               const char    *path,
               GError       **error)
{
  const char *store_path = certreq_store_get_path (store);
  g_autofree char *canonical = NULL;

  if (!g_path_is_absolute (path))
    {
      /* Translators: %1$s is a field such as "The target directory", %2$s what was given */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("%1$s must be an absolute path; “%2$s” is not."), label, path);
      return FALSE;
    }

  canonical = g_canonicalize_filename (path, NULL);
  if (g_strcmp0 (canonical, store_path) == 0 ||
      (g_str_has_prefix (canonical, store_path) && canonical[strlen (store_path)] == '/'))
    {
      /* Translators: %1$s is a field such as "The target directory", %2$s the store's path */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("%1$s must be outside the store %2$s."), label, store_path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_usage_config (CertreqStore              *store,
                       const CertreqUsageConfig  *config,
                       GError                   **error)
{
  gboolean any_path = FALSE;
  guint i, j;

  if (is_set (config->target_dir) &&
      !validate_path (store, _("The target directory"), config->target_dir, error))
    return FALSE;

  for (i = 0; i < SET_N_FILES; i++)
    {
      const char *path = config_path_field (config, i);

      if (!is_set (path))
        continue;
      any_path = TRUE;
      if (!validate_path (store, path_field_label (i), path, error))
        return FALSE;
      for (j = 0; j < i; j++)
        if (is_set (config_path_field (config, j)) &&
            g_strcmp0 (config_path_field (config, j), path) == 0)
          {
            /* Translators: %1$s and %2$s are fields such as "The key path"; %3$s the path */
            g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                         _("%1$s and %2$s are the same file, %3$s."),
                         path_field_label (j), path_field_label (i), path);
            return FALSE;
          }
    }

  if (any_path && is_set (config->target_dir))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Give either a target directory or paths for the individual "
                             "files, not both."));
      return FALSE;
    }

  if (is_set (config->owner) && getpwnam (config->owner) == NULL)
    {
      /* Translators: %s is a user name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The owner “%s” is not a user on this machine."), config->owner);
      return FALSE;
    }

  if (is_set (config->group) && getgrnam (config->group) == NULL)
    {
      /* Translators: %s is a group name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The group “%s” is not a group on this machine."), config->group);
      return FALSE;
    }

  if (config->mode != 0 && ((config->mode & ~0640u) != 0 || (config->mode & 0400u) == 0))
    {
      /* Translators: %04o is a file mode such as 0644; 0600 and 0640 are literal */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The key’s mode %04o is not allowed: the owner must be able to read "
                     "the key, and nobody may execute it or read it beyond its group "
                     "(0600 or 0640, for example)."),
                   config->mode);
      return FALSE;
    }

  if (config->reload_argv != NULL && config->reload_argv[0] != NULL)
    {
      g_autofree char *program = g_find_program_in_path (config->reload_argv[0]);

      if (program == NULL)
        {
          /* Translators: %s is a program name or path */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The reload command “%s” was not found."), config->reload_argv[0]);
          return FALSE;
        }
    }

  if (is_set (config->check))
    {
      g_autoptr(GSocketConnectable) address = NULL;

      address = g_network_address_parse (config->check, 0, NULL);
      if (address == NULL ||
          g_network_address_get_port (G_NETWORK_ADDRESS (address)) == 0 ||
          strchr (config->check, ':') == NULL)
        {
          /* Translators: %s is what was given; HOST:PORT is literal */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The check endpoint “%s” is not HOST:PORT, for example "
                         "web.example.com:443."), config->check);
          return FALSE;
        }
    }

  return TRUE;
}

static void
set_or_remove (GKeyFile   *key_file,
               const char *group,
               const char *key,
               const char *value)
{
  if (is_set (value))
    g_key_file_set_string (key_file, group, key, value);
  else
    g_key_file_remove_key (key_file, group, key, NULL);
}

/**
 * certreq_store_set_usage_config:
 * @store: the store
 * @usage: a #CertreqUsage
 * @config: the new configuration
 * @error: return location for a #GError
 *
 * Validates @config (absolute paths outside the store, a target directory or
 * individual paths but not both, an existing owner and group, a key mode of at
 * most 0640 that lets the owner read it, a reload command that exists, and a
 * check endpoint of the form HOST:PORT) and writes it to usages.ini atomically.
 * An invalid field is an %CERTREQ_ERROR_INVALID_SUBJECT error naming it, and
 * nothing changes. What usages.ini records about the assignment stays.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_store_set_usage_config (CertreqStore              *store,
                                CertreqUsage               usage,
                                const CertreqUsageConfig  *config,
                                GError                   **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *mode = NULL;
  const char *group;
  gsize length = 0;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) usage < CERTREQ_N_USAGES, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_usage_config (store, config, error))
    return FALSE;

  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return FALSE;

  key_file = load_usages_file (store, error);
  if (key_file == NULL)
    return FALSE;

  group = certreq_usage_to_id (usage);
  set_or_remove (key_file, group, "target-dir", config->target_dir);
  for (i = 0; i < SET_N_FILES; i++)
    set_or_remove (key_file, group, path_keys[i], config_path_field (config, i));
  set_or_remove (key_file, group, "owner", config->owner);
  set_or_remove (key_file, group, "group", config->group);
  if (config->mode != 0)
    mode = g_strdup_printf ("%04o", config->mode);
  set_or_remove (key_file, group, "mode", mode);
  set_or_remove (key_file, group, "deploy", config->copy ? "copy" : NULL);
  set_or_remove (key_file, group, "check", config->check);
  if (config->reload_argv == NULL || config->reload_argv[0] == NULL)
    g_key_file_remove_key (key_file, group, "reload-command", NULL);
  else
    g_key_file_set_string_list (key_file, group, "reload-command",
                                (const char * const *) config->reload_argv,
                                g_strv_length (config->reload_argv));

  path = _certreq_store_build_path (store, "usages.ini", NULL);
  data = g_key_file_to_data (key_file, &length, NULL);
  return _certreq_write_file_atomic (path, data, length, 0644, error);
}

/**
 * certreq_unassign:
 * @store: the store
 * @usages: the usages to unassign
 * @error: return location for a #GError
 *
 * usages.ini forgets each usage's current certificate (it becomes the previous
 * one). live/, archive/ and the deployed targets stay as they are, so the
 * service keeps serving them until another certificate is assigned; the
 * certificate stays in the store. A usage with nothing assigned is left alone.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_unassign (CertreqStore       *store,
                  CertreqUsageFlags   usages,
                  GError            **error)
{
  g_autoptr(CertreqStoreLock) lock = NULL;
  guint usage;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (usages == CERTREQ_USAGE_FLAG_NONE)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Choose at least one usage to unassign."));
      return FALSE;
    }

  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return FALSE;

  for (usage = 0; usage < CERTREQ_N_USAGES; usage++)
    {
      g_autofree char *current = NULL;

      if (!(usages & CERTREQ_USAGE_TO_FLAG (usage)))
        continue;
      current = certreq_store_get_assigned (store, usage);
      if (current == NULL)
        continue;
      if (!_certreq_store_record_assignment (store, usage, NULL, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- Deployment to targets outside the store ---- */

G_STATIC_ASSERT (N_TARGETS == SET_N_FILES);

static void
get_targets (const CertreqUsageConfig  *config,
             char                     **targets)
{
  config_targets (config, targets);
}

static gboolean
resolve_key_owner (const CertreqUsageConfig  *config,
                   KeyOwner                  *out,
                   GError                   **error)
{
  out->uid = (uid_t) -1;
  out->gid = (gid_t) -1;
  out->mode = config->mode != 0 ? config->mode : 0600;

  if (is_set (config->owner))
    {
      struct passwd *pw = getpwnam (config->owner);

      if (pw == NULL)
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                       _("The owner “%s” is not a user on this machine."), config->owner);
          return FALSE;
        }
      out->uid = pw->pw_uid;
    }

  if (is_set (config->group))
    {
      struct group *gr = getgrnam (config->group);

      if (gr == NULL)
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                       _("The group “%s” is not a group on this machine."), config->group);
          return FALSE;
        }
      out->gid = gr->gr_gid;
    }

  return TRUE;
}

static gboolean
write_all (int          fd,
           const void  *data,
           gsize        length)
{
  const guint8 *p = data;

  while (length > 0)
    {
      ssize_t n = write (fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= (gsize) n;
    }

  return TRUE;
}

/* Like _certreq_write_file_atomic(), with the owner and group given to the new file
 * and its final mode set before any content is written: a key is never readable by
 * anyone it is not meant for, not even for an instant. */
static gboolean
write_file_owned (const char  *path,
                  const void  *data,
                  gsize        length,
                  guint        mode,
                  uid_t        uid,
                  gid_t        gid,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd;
  int saved_errno;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, (int) (mode & 0600));
  if (fd < 0)
    return set_errno_error (error, path, errno);

  if (((uid != (uid_t) -1 || gid != (gid_t) -1) && fchown (fd, uid, gid) < 0) ||
      fchmod (fd, (mode_t) mode) < 0 ||
      !write_all (fd, data, length) ||
      fsync (fd) < 0)
    {
      saved_errno = errno != 0 ? errno : EIO;
      close (fd);
      g_unlink (tmp);
      return set_errno_error (error, path, saved_errno);
    }

  if (close (fd) < 0 || rename (tmp, path) < 0)
    {
      saved_errno = errno;
      g_unlink (tmp);
      return set_errno_error (error, path, saved_errno);
    }

  return _certreq_fsync_dir (dir, error);
}

/* Copies the set in @dir over the targets, each replaced atomically */
static gboolean
copy_set_to_targets (const char      *dir,
                     char           **targets,
                     const KeyOwner  *owner,
                     GError         **error)
{
  guint i;

  for (i = 0; i < N_TARGETS; i++)
    {
      g_autofree char *source = NULL;
      g_autofree char *parent = NULL;
      g_autoptr(GError) local_error = NULL;
      char *data = NULL;
      gsize length = 0;
      gboolean ok;

      if (targets[i] == NULL)
        continue;

      source = g_build_filename (dir, set_files[i], NULL);
      if (!g_file_get_contents (source, &data, &length, &local_error))
        {
          /* Translators: %1$s is a file or directory, %2$s the system's reason */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                       _("Could not deploy %1$s: %2$s"), targets[i], local_error->message);
          return FALSE;
        }

      parent = g_path_get_dirname (targets[i]);
      if (i == SET_KEY)
        ok = _certreq_ensure_dir (parent, 0755, error) &&
             write_file_owned (targets[i], data, length, owner->mode, owner->uid, owner->gid,
                               error);
      else
        ok = _certreq_ensure_dir (parent, 0755, error) &&
             write_file_owned (targets[i], data, length, 0644, (uid_t) -1, (gid_t) -1, error);
      OPENSSL_cleanse (data, length);
      g_free (data);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

/* Makes the targets what @dir holds; with no @dir (no set before), removes the
 * targets that did not exist before */
static gboolean
apply_set (const char      *dir,
           char           **targets,
           const gboolean  *created,
           const KeyOwner  *owner,
           GError         **error)
{
  guint i;

  if (dir != NULL && *dir != '\0' && g_file_test (dir, G_FILE_TEST_IS_DIR))
    return copy_set_to_targets (dir, targets, owner, error);

  for (i = 0; i < N_TARGETS; i++)
    if (targets[i] != NULL && created[i] && g_unlink (targets[i]) < 0 && errno != ENOENT)
      return set_errno_error (error, targets[i], errno);

  return TRUE;
}

/* Each target becomes a link to live/<usage>/<file>, created under a temporary
 * name and renamed over the target */
static gboolean
link_targets (CertreqStore  *store,
              CertreqUsage   usage,
              char         **targets,
              GError       **error)
{
  g_autofree char *live = _certreq_store_build_path (store, "live", certreq_usage_to_id (usage),
                                                     NULL);
  guint i;

  for (i = 0; i < N_TARGETS; i++)
    {
      g_autofree char *link_to = NULL;
      g_autofree char *existing = NULL;
      g_autofree char *parent = NULL;

      if (targets[i] == NULL)
        continue;

      link_to = g_build_filename (live, set_files[i], NULL);
      existing = g_file_read_link (targets[i], NULL);
      if (g_strcmp0 (existing, link_to) == 0)
        continue;

      parent = g_path_get_dirname (targets[i]);
      if (!_certreq_ensure_dir (parent, 0755, error) ||
          !swap_link (targets[i], link_to, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- The copy journal: journal/<usage>.ini ---- */

static char *
journal_path (CertreqStore *store,
              CertreqUsage  usage)
{
  g_autofree char *name = g_strdup_printf ("%s.ini", certreq_usage_to_id (usage));

  return _certreq_store_build_path (store, "journal", name, NULL);
}

/* Records that the targets are about to become the set in @to_dir (NULL: no set),
 * replacing the one in @from_dir (NULL: none). Whoever finds it later makes them
 * entirely one or the other, following live/<usage>. */
static gboolean
write_journal (CertreqStore    *store,
               CertreqUsage     usage,
               const char      *from_dir,
               const char      *to_dir,
               char           **targets,
               const gboolean  *created,
               const KeyOwner  *owner,
               GError         **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *dir = _certreq_store_build_path (store, "journal", NULL);
  g_autofree char *path = journal_path (store, usage);
  g_autofree char *data = NULL;
  const char *paths[N_TARGETS];
  gboolean flags[N_TARGETS];
  gsize length = 0;
  guint i;

  for (i = 0; i < N_TARGETS; i++)
    {
      paths[i] = targets[i] != NULL ? targets[i] : "";
      flags[i] = created[i];
    }

  g_key_file_set_string (key_file, "journal", "usage", certreq_usage_to_id (usage));
  g_key_file_set_string (key_file, "journal", "from", from_dir != NULL ? from_dir : "");
  g_key_file_set_string (key_file, "journal", "to", to_dir != NULL ? to_dir : "");
  g_key_file_set_string_list (key_file, "journal", "targets", paths, N_TARGETS);
  g_key_file_set_boolean_list (key_file, "journal", "created", flags, N_TARGETS);
  g_key_file_set_int64 (key_file, "journal", "uid",
                        owner->uid == (uid_t) -1 ? -1 : (gint64) owner->uid);
  g_key_file_set_int64 (key_file, "journal", "gid",
                        owner->gid == (gid_t) -1 ? -1 : (gint64) owner->gid);
  g_key_file_set_uint64 (key_file, "journal", "mode", owner->mode);

  data = g_key_file_to_data (key_file, &length, NULL);
  return _certreq_ensure_dir (dir, 0700, error) &&
         _certreq_write_file_atomic (path, data, length, 0600, error);
}

static gboolean
remove_journal (CertreqStore  *store,
                CertreqUsage   usage,
                GError       **error)
{
  g_autofree char *path = journal_path (store, usage);
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_unlink (path) < 0 && errno != ENOENT)
    return set_errno_error (error, path, errno);

  return _certreq_fsync_dir (dir, error);
}

static gboolean
recover_journal (CertreqStore  *store,
                 const char    *path,
                 GError       **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *usage_id = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *to_canonical = NULL;
  g_autofree char *live = NULL;
  g_auto(GStrv) paths = NULL;
  g_autofree gboolean *flags = NULL;
  char *targets[N_TARGETS] = { NULL };
  gboolean created[N_TARGETS] = { FALSE };
  gsize n_paths = 0;
  gsize n_flags = 0;
  KeyOwner owner;
  CertreqUsage usage;
  gint64 id;
  guint i;
  gboolean forward;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, error))
    return FALSE;

  usage_id = g_key_file_get_string (key_file, "journal", "usage", NULL);
  from = g_key_file_get_string (key_file, "journal", "from", NULL);
  to = g_key_file_get_string (key_file, "journal", "to", NULL);
  paths = g_key_file_get_string_list (key_file, "journal", "targets", &n_paths, NULL);
  flags = g_key_file_get_boolean_list (key_file, "journal", "created", &n_flags, NULL);
  if (usage_id == NULL || !certreq_usage_from_id (usage_id, &usage) || from == NULL ||
      to == NULL || n_paths != N_TARGETS || n_flags != N_TARGETS)
    {
      /* Translators: %s is a file in the store */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                   _("The deployment journal %s is damaged."), path);
      return FALSE;
    }

  for (i = 0; i < N_TARGETS; i++)
    {
      targets[i] = *paths[i] != '\0' ? paths[i] : NULL;
      created[i] = flags[i];
    }
  id = g_key_file_get_int64 (key_file, "journal", "uid", NULL);
  owner.uid = id < 0 ? (uid_t) -1 : (uid_t) id;
  id = g_key_file_get_int64 (key_file, "journal", "gid", NULL);
  owner.gid = id < 0 ? (gid_t) -1 : (gid_t) id;
  owner.mode = (guint) g_key_file_get_uint64 (key_file, "journal", "mode", NULL) & 0640;
  if (owner.mode == 0)
    owner.mode = 0600;

  /* live/<usage> says which set won: the targets follow it */
  live = certreq_store_get_live_dir (store, usage);
  if (*to != '\0')
    to_canonical = g_canonicalize_filename (to, NULL);
  forward = g_strcmp0 (live, to_canonical) == 0;

  if (!apply_set (forward ? to : from, targets, created, &owner, error))
    return FALSE;

  if (g_unlink (path) < 0 && errno != ENOENT)
    return set_errno_error (error, path, errno);

  return TRUE;
}

/* Called by certreq_store_open() with the store's lock held: finishes or undoes
 * every copy deployment a crash interrupted */
void
_certreq_deploy_recover (CertreqStore *store)
{
  g_autofree char *dir_path = _certreq_store_build_path (store, "journal", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_str_has_suffix (name, ".ini"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      /* Kept for the next opening when it cannot be finished now */
      if (!recover_journal (store, path, &error))
        g_message ("%s", error->message);
    }

  _certreq_fsync_dir (dir_path, NULL);
}

/* For the tests: the journal a copy deployment of @usage writes before switching
 * live/<usage> from @from_dir to @to_dir (either NULL for no set) */
gboolean
_certreq_deploy_write_journal (CertreqStore              *store,
                               CertreqUsage               usage,
                               const char                *from_dir,
                               const char                *to_dir,
                               const CertreqUsageConfig  *config,
                               GError                   **error)
{
  char *targets[N_TARGETS] = { NULL };
  gboolean created[N_TARGETS] = { FALSE };
  KeyOwner owner;
  gboolean ok;
  guint i;

  if (!resolve_key_owner (config, &owner, error))
    return FALSE;

  get_targets (config, targets);
  for (i = 0; i < N_TARGETS; i++)
    created[i] = targets[i] != NULL && !g_file_test (targets[i], G_FILE_TEST_EXISTS);
  ok = write_journal (store, usage, from_dir, to_dir, targets, created, &owner, error);
  clear_targets (targets);

  return ok;
}
