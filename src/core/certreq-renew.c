/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "certreq-private.h"
#include "certreq-ca-private.h"
#include "certreq-renew.h"
#include "certreq-assign.h"
#include "certreq-enroll.h"
#include "certreq-pending.h"

#define BACKOFF_FIRST G_TIME_SPAN_HOUR
#define BACKOFF_MAX   G_TIME_SPAN_DAY

/* ---- States ---- */

const char *
certreq_renewal_state_to_id (CertreqRenewalState state)
{
  switch (state)
    {
    case CERTREQ_RENEWAL_STATE_OK:
      return "ok";
    case CERTREQ_RENEWAL_STATE_DUE:
      return "due";
    case CERTREQ_RENEWAL_STATE_FAILED:
      return "failed";
    case CERTREQ_RENEWAL_STATE_WAITING:
      return "waiting";
    case CERTREQ_RENEWAL_STATE_EXPIRED:
      return "expired";
    case CERTREQ_RENEWAL_STATE_RENEWED:
      return "renewed";
    default:
      g_return_val_if_reached ("ok");
    }
}

const char *
certreq_renewal_state_get_label (CertreqRenewalState state)
{
  switch (state)
    {
    case CERTREQ_RENEWAL_STATE_OK:
      /* Translators: renewal status of a certificate */
      return _("Valid");
    case CERTREQ_RENEWAL_STATE_DUE:
      /* Translators: renewal status of a certificate */
      return _("Due for renewal");
    case CERTREQ_RENEWAL_STATE_FAILED:
      /* Translators: renewal status of a certificate */
      return _("Renewal failed");
    case CERTREQ_RENEWAL_STATE_WAITING:
      /* Translators: renewal status: the CA holds the renewal request */
      return _("Renewal pending");
    case CERTREQ_RENEWAL_STATE_EXPIRED:
      /* Translators: renewal status of a certificate */
      return _("Expired");
    case CERTREQ_RENEWAL_STATE_RENEWED:
      /* Translators: renewal status: a newer certificate replaced this one */
      return _("Renewed");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
certreq_renew_outcome_to_id (CertreqRenewOutcome outcome)
{
  switch (outcome)
    {
    case CERTREQ_RENEW_NOT_DUE:
      return "not-due";
    case CERTREQ_RENEW_BACKING_OFF:
      return "backing-off";
    case CERTREQ_RENEW_WOULD_RENEW:
      return "would-renew";
    case CERTREQ_RENEW_RENEWED:
      return "renewed";
    case CERTREQ_RENEW_WAITING:
      return "waiting";
    case CERTREQ_RENEW_ALREADY_RENEWED:
      return "already-renewed";
    default:
      g_return_val_if_reached ("not-due");
    }
}

/* ---- Time ---- */

/**
 * certreq_renewal_now:
 *
 * Returns: (transfer full): now in UTC, or the time in $CERTWIZ_TEST_NOW (ISO 8601),
 *   which tests use to move renewal decisions forward
 */
GDateTime *
certreq_renewal_now (void)
{
  const char *test_now = g_getenv ("CERTWIZ_TEST_NOW");

  if (test_now != NULL && *test_now != '\0')
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      GDateTime *parsed = g_date_time_new_from_iso8601 (test_now, utc);

      if (parsed != NULL)
        {
          GDateTime *in_utc = g_date_time_to_utc (parsed);

          g_date_time_unref (parsed);
          return in_utc;
        }
      g_warning ("CERTWIZ_TEST_NOW=%s is not an ISO 8601 time; using the real time", test_now);
    }

  return g_date_time_new_now_utc ();
}

/**
 * certreq_renewal_get_due_time:
 * @cert: a certificate
 * @due_days: %CERTREQ_RENEWAL_RULE_DEFAULT, or renew with this many days left
 *
 * The default rule: a third of the lifetime before it ends, but at most
 * %CERTREQ_RENEWAL_MAX_DAYS days before.
 *
 * Returns: (transfer full): when @cert becomes due
 */
GDateTime *
certreq_renewal_get_due_time (CertreqCertificate *cert,
                              int                 due_days)
{
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  GTimeSpan lead;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), NULL);

  not_before = certreq_certificate_get_not_before (cert);
  not_after = certreq_certificate_get_not_after (cert);

  if (due_days >= 0)
    lead = (GTimeSpan) due_days * G_TIME_SPAN_DAY;
  else
    lead = MIN (g_date_time_difference (not_after, not_before) / 3,
                (GTimeSpan) CERTREQ_RENEWAL_MAX_DAYS * G_TIME_SPAN_DAY);

  return g_date_time_add (not_after, -MAX (lead, 0));
}

/**
 * certreq_renewal_backoff:
 * @failures: failed attempts in a row
 *
 * Returns: how long to wait before the next attempt
 */
GTimeSpan
certreq_renewal_backoff (guint failures)
{
  GTimeSpan wait = BACKOFF_FIRST;
  guint i;

  for (i = 1; i < failures && wait < BACKOFF_MAX; i++)
    wait *= 2;
  return MIN (wait, BACKOFF_MAX);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return g_strdup ("");
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M UTC");
}

/* ---- Status ---- */

void
certreq_renewal_status_free (CertreqRenewalStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->thumbprint);
  g_clear_pointer (&status->not_after, g_date_time_unref);
  g_clear_pointer (&status->due, g_date_time_unref);
  g_free (status->ca_id);
  certreq_renewal_record_free (status->record);
  g_free (status);
}

/* "Server default, Web services internal" (translated labels) */
static char *
usage_labels (CertreqUsageFlags usages)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint usage;

  for (usage = 0; usage < CERTREQ_N_USAGES; usage++)
    if (usages & (1 << usage))
      g_ptr_array_add (labels, (gpointer) certreq_usage_get_label (usage));
  g_ptr_array_add (labels, NULL);
  /* Translators: separates the usage names in a list */
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

static CertreqUsageFlags
assigned_usages (CertreqStore *store,
                 const char   *thumbprint)
{
  CertreqUsageFlags usages = CERTREQ_USAGE_FLAG_NONE;
  guint usage;

  for (usage = 0; usage < CERTREQ_N_USAGES; usage++)
    {
      g_autofree char *current = certreq_store_get_assigned (store, usage);

      if (g_strcmp0 (current, thumbprint) == 0)
        usages |= 1 << usage;
    }
  return usages;
}

static gboolean
successor_exists (CertreqStore         *store,
                  CertreqRenewalRecord *record)
{
  g_autoptr(CertreqCertificate) successor = NULL;

  if (record->renewed_by == NULL)
    return FALSE;
  successor = certreq_store_find_certificate (store, record->renewed_by, NULL);
  return successor != NULL;
}

/**
 * certreq_renewal_get_status:
 * @store: the store
 * @cert: a certificate of the store
 * @due_days: %CERTREQ_RENEWAL_RULE_DEFAULT or a number of days
 * @now: (nullable): the time to judge at; certreq_renewal_now() when %NULL
 *
 * Reads only the store: no CA is asked.
 *
 * Returns: (transfer full): the certificate's renewal status
 */
CertreqRenewalStatus *
certreq_renewal_get_status (CertreqStore       *store,
                            CertreqCertificate *cert,
                            int                 due_days,
                            GDateTime          *now)
{
  g_autoptr(GDateTime) own_now = NULL;
  g_autoptr(GDateTime) real_now = g_date_time_new_now_utc ();
  g_autoptr(CertreqRequest) origin = NULL;
  CertreqRenewalStatus *status;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), NULL);

  if (now == NULL)
    now = own_now = certreq_renewal_now ();

  status = g_new0 (CertreqRenewalStatus, 1);
  status->thumbprint = g_strdup (certreq_certificate_get_thumbprint (cert));
  status->not_after = certreq_certificate_get_not_after (cert);
  status->due = certreq_renewal_get_due_time (cert, due_days);
  status->days_left = g_date_time_difference (status->not_after, now) / G_TIME_SPAN_DAY;
  status->assigned = assigned_usages (store, status->thumbprint);
  status->record = certreq_store_get_renewal_record (store, status->thumbprint);

  origin = certreq_store_load_origin (store, status->thumbprint, NULL);
  status->renewable = origin != NULL;
  if (origin != NULL)
    status->ca_id = g_strdup (certreq_request_get_online (origin)
                                ? certreq_request_get_ca_id (origin) : CERTREQ_OFFLINE_CA_ID);

  if (successor_exists (store, status->record))
    status->state = status->assigned != CERTREQ_USAGE_FLAG_NONE && status->record->failures > 0
                      ? CERTREQ_RENEWAL_STATE_FAILED
                      : status->assigned != CERTREQ_USAGE_FLAG_NONE
                          ? CERTREQ_RENEWAL_STATE_DUE : CERTREQ_RENEWAL_STATE_RENEWED;
  else if (g_date_time_compare (status->not_after, real_now) <= 0 ||
           g_date_time_compare (status->not_after, now) <= 0)
    status->state = CERTREQ_RENEWAL_STATE_EXPIRED;
  else if (status->record->pending_id != NULL)
    status->state = CERTREQ_RENEWAL_STATE_WAITING;
  else if (status->record->failures > 0)
    status->state = CERTREQ_RENEWAL_STATE_FAILED;
  else if (g_date_time_compare (now, status->due) >= 0)
    status->state = CERTREQ_RENEWAL_STATE_DUE;
  else
    status->state = CERTREQ_RENEWAL_STATE_OK;

  return status;
}

static gint
compare_by_expiry (gconstpointer a,
                   gconstpointer b)
{
  const CertreqRenewalStatus *sa = *(CertreqRenewalStatus * const *) a;
  const CertreqRenewalStatus *sb = *(CertreqRenewalStatus * const *) b;
  int cmp = g_date_time_compare (sa->not_after, sb->not_after);

  return cmp != 0 ? cmp : strcmp (sa->thumbprint, sb->thumbprint);
}

/**
 * certreq_renewal_list:
 * @store: the store
 * @due_days: %CERTREQ_RENEWAL_RULE_DEFAULT or a number of days
 * @now: (nullable): the time to judge at
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CertreqRenewalStatus): every certificate's
 *   status, the one expiring first first
 */
GPtrArray *
certreq_renewal_list (CertreqStore  *store,
                      int            due_days,
                      GDateTime     *now,
                      GError       **error)
{
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GDateTime) own_now = NULL;
  GPtrArray *statuses;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  certs = certreq_store_list_certificates (store, error);
  if (certs == NULL)
    return NULL;
  if (now == NULL)
    now = own_now = certreq_renewal_now ();

  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) certreq_renewal_status_free);
  for (i = 0; i < certs->len; i++)
    g_ptr_array_add (statuses, certreq_renewal_get_status (store, certs->pdata[i], due_days, now));
  g_ptr_array_sort (statuses, compare_by_expiry);
  return statuses;
}

/**
 * certreq_renewal_status_needs_attention:
 * @status: a certificate's status
 * @now: (nullable): unused today; the time the status was judged at
 *
 * Returns: %TRUE when the desktop should tell the admin
 */
gboolean
certreq_renewal_status_needs_attention (const CertreqRenewalStatus *status,
                                        GDateTime                  *now)
{
  g_return_val_if_fail (status != NULL, FALSE);

  switch (status->state)
    {
    case CERTREQ_RENEWAL_STATE_FAILED:
      return TRUE;
    case CERTREQ_RENEWAL_STATE_EXPIRED:
      return status->assigned != CERTREQ_USAGE_FLAG_NONE;
    case CERTREQ_RENEWAL_STATE_DUE:
    case CERTREQ_RENEWAL_STATE_WAITING:
      return status->days_left <= CERTREQ_RENEWAL_NOTIFY_DAYS;
    case CERTREQ_RENEWAL_STATE_OK:
    case CERTREQ_RENEWAL_STATE_RENEWED:
    default:
      return FALSE;
    }
}

/* ---- Renewing ---- */

void
certreq_renew_result_free (CertreqRenewResult *result)
{
  if (result == NULL)
    return;

  g_free (result->thumbprint);
  g_free (result->new_thumbprint);
  g_free (result->pending_id);
  g_clear_pointer (&result->due, g_date_time_unref);
  g_clear_pointer (&result->next_attempt, g_date_time_unref);
  g_free (result->message);
  g_free (result->log_path);
  g_free (result);
}

typedef struct
{
  CertreqStore         *store;
  CertreqLog           *log;
  CertreqCertificate   *cert;
  const char           *thumbprint;
  CertreqRenewalRecord *record;
  CertreqRenewResult   *result;
  GDateTime            *now;
} Renewal;

static CertreqRenewResult *
new_result (CertreqCertificate  *cert,
            CertreqRenewOutcome  outcome)
{
  CertreqRenewResult *result = g_new0 (CertreqRenewResult, 1);

  result->thumbprint = g_strdup (certreq_certificate_get_thumbprint (cert));
  result->outcome = outcome;
  return result;
}

/* Records a failed attempt (reason, back-off) and turns @cause into the error the
 * admin reads; the old certificate is untouched */
static void
fail (Renewal  *renewal,
      GError   *cause,
      GError  **error)
{
  g_autoptr(GError) record_error = NULL;
  g_autofree char *next = NULL;
  CertreqRenewalRecord *record = renewal->record;

  record->failures++;
  g_clear_pointer (&record->last_attempt, g_date_time_unref);
  record->last_attempt = g_date_time_ref (renewal->now);
  g_clear_pointer (&record->next_attempt, g_date_time_unref);
  record->next_attempt = g_date_time_add (renewal->now, certreq_renewal_backoff (record->failures));
  g_free (record->last_error);
  record->last_error = g_strdup (cause->message);
  next = format_time (record->next_attempt);

  if (!certreq_store_set_renewal_record (renewal->store, renewal->thumbprint, record,
                                         &record_error))
    certreq_log_printf (renewal->log, "Could not record the failure: %s",
                        record_error->message);
  certreq_log_printf (renewal->log, "Failed (attempt %u): %s; next attempt after %s",
                      record->failures, cause->message, next);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }
  /* Translators: %1$s is a certificate's thumbprint, %2$s why renewing it failed (a
   * sentence), %3$s when it is tried again (a date and time) */
  g_set_error (error, CERTREQ_ERROR,
               cause->domain == CERTREQ_ERROR ? cause->code : CERTREQ_ERROR_NETWORK,
               _("Renewing the certificate %1$s failed: %2$s The certificate keeps serving "
                 "its usages; the next attempt is after %3$s."),
               renewal->thumbprint, cause->message, next);
  g_error_free (cause);
}

static gboolean
save_record (Renewal  *renewal,
             GError  **error)
{
  return certreq_store_set_renewal_record (renewal->store, renewal->thumbprint,
                                           renewal->record, error);
}

/* The new certificate serves exactly the usages the old one serves */
static gboolean
reassign (Renewal             *renewal,
          CertreqCertificate  *new_cert,
          GCancellable        *cancellable,
          GError             **error)
{
  CertreqUsageFlags usages = assigned_usages (renewal->store, renewal->thumbprint);
  g_autofree char *names = certreq_usage_flags_to_string (usages);

  renewal->result->reassigned = usages;
  if (usages == CERTREQ_USAGE_FLAG_NONE)
    {
      certreq_log_printf (renewal->log, "The old certificate serves no usage; nothing to reassign");
      return TRUE;
    }

  certreq_log_printf (renewal->log, "Assigning %s to %s",
                      certreq_certificate_get_thumbprint (new_cert), names);
  if (!certreq_assign (renewal->store, new_cert, usages, cancellable, error))
    return FALSE;
  certreq_log_printf (renewal->log, "Assigned; the old certificate serves nothing now");
  return TRUE;
}

static void
set_renewed_message (CertreqRenewResult *result)
{
  g_autofree char *usages = NULL;

  if (result->reassigned == CERTREQ_USAGE_FLAG_NONE)
    {
      /* Translators: %s is the new certificate's thumbprint */
      result->message = g_strdup_printf (_("Renewed: the new certificate is %s. The old one "
                                           "served no usage, so none was reassigned."),
                                         result->new_thumbprint);
      return;
    }

  usages = usage_labels (result->reassigned);
  /* Translators: %1$s is the new certificate's thumbprint, %2$s the usages it now
   * serves (a comma-separated list of usage names) */
  result->message = g_strdup_printf (_("Renewed: the new certificate is %1$s and serves %2$s."),
                                     result->new_thumbprint, usages);
}

/* An issued renewal: remember the successor, then reassign */
static gboolean
complete (Renewal             *renewal,
          CertreqCertificate  *new_cert,
          GCancellable        *cancellable,
          GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  CertreqRenewalRecord *record = renewal->record;

  g_free (record->renewed_by);
  record->renewed_by = g_strdup (certreq_certificate_get_thumbprint (new_cert));
  g_clear_pointer (&record->pending_id, g_free);
  if (!save_record (renewal, error))
    return FALSE;

  renewal->result->new_thumbprint = g_strdup (record->renewed_by);
  if (!reassign (renewal, new_cert, cancellable, &local_error))
    {
      g_autoptr(GError) cause = NULL;

      /* Translators: %1$s is the new certificate's thumbprint, %2$s why it could not be
       * assigned (a sentence) */
      cause = g_error_new (CERTREQ_ERROR, local_error->domain == CERTREQ_ERROR
                                            ? local_error->code : CERTREQ_ERROR_DEPLOY,
                           _("The new certificate %1$s was issued but not assigned: %2$s"),
                           record->renewed_by, local_error->message);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (renewal, g_steal_pointer (&local_error), error);
      else
        fail (renewal, g_steal_pointer (&cause), error);
      return FALSE;
    }

  record->failures = 0;
  g_clear_pointer (&record->last_error, g_free);
  g_clear_pointer (&record->next_attempt, g_date_time_unref);
  g_clear_pointer (&record->last_attempt, g_date_time_unref);
  record->last_attempt = g_date_time_ref (renewal->now);
  if (!save_record (renewal, error))
    return FALSE;

  renewal->result->outcome = CERTREQ_RENEW_RENEWED;
  set_renewed_message (renewal->result);
  return TRUE;
}

/* The pending entry a failed submission kept (the CA may hold it, with or without a
 * request id: certreq_pending_retrieve() sends one without an id again), or NULL */
static char *
find_waiting_entry (CertreqStore *store,
                    const char   *thumbprint)
{
  g_autoptr(GPtrArray) ids = certreq_store_pending_list (store);
  char *found = NULL;
  guint i;

  for (i = 0; i < ids->len && found == NULL; i++)
    {
      g_autoptr(CertreqRequest) request = NULL;
      CertreqPendingState state;

      if (!certreq_store_pending_get_state (store, ids->pdata[i], &state, NULL) ||
          (state != CERTREQ_PENDING_PENDING && state != CERTREQ_PENDING_SUBMITTED))
        continue;
      request = certreq_store_pending_load_request (store, ids->pdata[i], NULL, NULL);
      if (request != NULL && g_strcmp0 (certreq_request_get_replaces (request), thumbprint) == 0)
        found = g_strdup (ids->pdata[i]);
    }
  return found;
}

/* A failed renewal whose request never left the machine (state "created") leaves no
 * entry behind: the next run makes a new request, and keys must not pile up */
static void
drop_unsent_entries (Renewal *renewal)
{
  g_autoptr(GPtrArray) ids = certreq_store_pending_list (renewal->store);
  guint i;

  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(CertreqRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      CertreqPendingState state;

      if (!certreq_store_pending_get_state (renewal->store, ids->pdata[i], &state, NULL) ||
          state != CERTREQ_PENDING_CREATED)
        continue;
      request = certreq_store_pending_load_request (renewal->store, ids->pdata[i], NULL, NULL);
      if (request == NULL ||
          g_strcmp0 (certreq_request_get_replaces (request), renewal->thumbprint) != 0 ||
          !certreq_request_get_online (request))
        continue;
      if (certreq_store_pending_remove (renewal->store, ids->pdata[i], &error))
        certreq_log_printf (renewal->log, "Removed the unsent request %s",
                            (const char *) ids->pdata[i]);
      else
        certreq_log_printf (renewal->log, "Could not remove the unsent request %s: %s",
                            (const char *) ids->pdata[i], error->message);
    }
}

/* Asks the CA about the renewal it holds */
static gboolean
retrieve_waiting (Renewal              *renewal,
                  CertreqProgressFunc   progress,
                  gpointer              progress_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(CertreqSubmitResult) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  CertreqRenewalRecord *record = renewal->record;
  g_autofree char *id = g_strdup (record->pending_id);

  certreq_log_printf (renewal->log, "Asking the CA about the renewal request %s", id);
  answer = certreq_pending_retrieve (renewal->store, id, progress, progress_data, cancellable,
                                     &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND))
        {
          /* The entry is gone (cleared by the admin): request again */
          certreq_log_printf (renewal->log, "The renewal request %s is gone: %s", id,
                              local_error->message);
          g_clear_pointer (&record->pending_id, g_free);
          return save_record (renewal, error);
        }
      fail (renewal, g_steal_pointer (&local_error), error);
      return FALSE;
    }

  switch (answer->status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      certreq_log_printf (renewal->log, "Issued: %s",
                          certreq_certificate_get_thumbprint (answer->certificate));
      return complete (renewal, answer->certificate, cancellable, error);
    case CERTREQ_SUBMIT_PENDING:
      renewal->result->outcome = CERTREQ_RENEW_WAITING;
      renewal->result->pending_id = g_strdup (id);
      /* Translators: %s is the id of a pending request */
      renewal->result->message = g_strdup_printf (_("The certification authority still holds "
                                                    "the renewal request %s; the next run "
                                                    "asks again."), id);
      g_clear_pointer (&record->last_attempt, g_date_time_unref);
      record->last_attempt = g_date_time_ref (renewal->now);
      return save_record (renewal, error);
    case CERTREQ_SUBMIT_DENIED:
    default:
      g_clear_pointer (&record->pending_id, g_free);
      /* Translators: %s is the CA's reason */
      fail (renewal, g_error_new (CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                                  _("The certification authority denied the renewal: %s"),
                                  answer->reason != NULL ? answer->reason : "—"),
            error);
      return FALSE;
    }
}

/* ACME Renewal Information: a random time inside the CA's window (RFC 9773 §4.2) */
static GDateTime *
ask_ca_when (Renewal      *renewal,
             const char   *ca_id,
             GCancellable *cancellable)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GError) local_error = NULL;
  GTimeSpan span;

  client = certreq_ca_client_new_for_id (renewal->store, ca_id, NULL);
  if (client == NULL ||
      CERTREQ_CA_CLIENT_GET_CLASS (client)->get_renewal_window == NULL)
    return NULL;

  if (!certreq_ca_client_get_renewal_window (client, renewal->cert, &start, &end, cancellable,
                                             &local_error))
    {
      if (local_error != NULL)
        certreq_log_printf (renewal->log, "The CA's renewal information could not be read "
                            "(%s); the store's rule applies", local_error->message);
      return NULL;
    }

  span = MAX (g_date_time_difference (end, start), 0);
  certreq_log_printf (renewal->log, "The CA suggests renewing within a window of %" G_GINT64_FORMAT
                      " minutes", span / G_TIME_SPAN_MINUTE);
  return g_date_time_add (start, span > 0 ? (GTimeSpan) (g_random_double () * (double) span) : 0);
}

static CertreqRenewResult *
renew (Renewal              *renewal,
       CertreqRequest       *edited,
       int                   due_days,
       CertreqRenewFlags     flags,
       CertreqProgressFunc   progress,
       gpointer              progress_data,
       GCancellable         *cancellable,
       GError              **error)
{
  g_autoptr(CertreqRenewalStatus) status = NULL;
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqSubmitResult) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autofree char *due_text = NULL;
  CertreqRenewalRecord *record = renewal->record;
  CertreqStore *store = renewal->store;
  const char *ca_id;

  status = certreq_renewal_get_status (store, renewal->cert, due_days, renewal->now);
  renewal->result->due = g_date_time_ref (status->due);

  /* Issued before, but its assignment failed: assign again, request nothing */
  if (successor_exists (store, record))
    {
      g_autoptr(CertreqCertificate) successor = certreq_store_find_certificate (store,
                                                                               record->renewed_by,
                                                                               error);

      if (successor == NULL)
        return NULL;
      if (status->assigned == CERTREQ_USAGE_FLAG_NONE)
        {
          renewal->result->outcome = CERTREQ_RENEW_ALREADY_RENEWED;
          renewal->result->new_thumbprint = g_strdup (record->renewed_by);
          /* Translators: %s is the newer certificate's thumbprint */
          renewal->result->message = g_strdup_printf (_("Already renewed: the certificate %s "
                                                         "replaced it."), record->renewed_by);
          return g_steal_pointer (&renewal->result);
        }
      if (flags & CERTREQ_RENEW_FLAG_DRY_RUN)
        {
          renewal->result->outcome = CERTREQ_RENEW_WOULD_RENEW;
          /* Translators: %s is the newer certificate's thumbprint */
          renewal->result->message = g_strdup_printf (_("The certificate %s already replaces "
                                                         "it and would be assigned to its "
                                                         "usages."), record->renewed_by);
          return g_steal_pointer (&renewal->result);
        }
      certreq_log_printf (renewal->log, "Renewed before as %s; assigning it again",
                          record->renewed_by);
      if (!complete (renewal, successor, cancellable, error))
        return NULL;
      return g_steal_pointer (&renewal->result);
    }

  /* The CA held the last request: ask again before anything else */
  if (record->pending_id != NULL && !(flags & CERTREQ_RENEW_FLAG_DRY_RUN))
    {
      if (!retrieve_waiting (renewal, progress, progress_data, cancellable, error))
        return NULL;
      if (renewal->result->outcome != CERTREQ_RENEW_NOT_DUE || renewal->result->message != NULL)
        return g_steal_pointer (&renewal->result);
    }
  else if (record->pending_id != NULL)
    {
      renewal->result->outcome = CERTREQ_RENEW_WAITING;
      renewal->result->pending_id = g_strdup (record->pending_id);
      /* Translators: %s is the id of a pending request */
      renewal->result->message = g_strdup_printf (_("The certification authority holds the "
                                                    "renewal request %s; a run would ask "
                                                    "again."), record->pending_id);
      return g_steal_pointer (&renewal->result);
    }

  request = edited != NULL ? certreq_request_copy (edited)
                           : certreq_store_load_origin (store, renewal->thumbprint, error);
  if (request == NULL)
    return NULL;
  ca_id = certreq_request_get_online (request) ? certreq_request_get_ca_id (request)
                                               : CERTREQ_OFFLINE_CA_ID;

  /* Is it due? The CA's own window first (ACME ARI), then the store's rule */
  due = g_date_time_ref (status->due);
  if (!(flags & CERTREQ_RENEW_FLAG_FORCE) && due_days == CERTREQ_RENEWAL_RULE_DEFAULT &&
      certreq_request_get_online (request))
    {
      g_autoptr(GDateTime) ca_due = ask_ca_when (renewal, ca_id, cancellable);

      if (ca_due != NULL)
        {
          g_date_time_unref (due);
          due = g_steal_pointer (&ca_due);
          g_date_time_unref (renewal->result->due);
          renewal->result->due = g_date_time_ref (due);
        }
    }
  due_text = format_time (due);

  if (!(flags & CERTREQ_RENEW_FLAG_FORCE) && g_date_time_compare (renewal->now, due) < 0 &&
      status->state != CERTREQ_RENEWAL_STATE_EXPIRED)
    {
      renewal->result->outcome = CERTREQ_RENEW_NOT_DUE;
      /* Translators: %s is a date and time */
      renewal->result->message = g_strdup_printf (_("Not due for renewal before %s."), due_text);
      return g_steal_pointer (&renewal->result);
    }

  if (!(flags & (CERTREQ_RENEW_FLAG_FORCE | CERTREQ_RENEW_FLAG_IGNORE_BACKOFF)) &&
      record->next_attempt != NULL && g_date_time_compare (renewal->now, record->next_attempt) < 0)
    {
      g_autofree char *next = format_time (record->next_attempt);

      renewal->result->outcome = CERTREQ_RENEW_BACKING_OFF;
      renewal->result->next_attempt = g_date_time_ref (record->next_attempt);
      /* Translators: %1$s is why the last attempt failed (a sentence), %2$s a date and time */
      renewal->result->message = g_strdup_printf (_("The last attempt failed (%1$s); the next "
                                                    "one is after %2$s."),
                                                  record->last_error != NULL
                                                    ? record->last_error : "—", next);
      return g_steal_pointer (&renewal->result);
    }

  if (flags & CERTREQ_RENEW_FLAG_DRY_RUN)
    {
      g_autofree char *usages = usage_labels (status->assigned);

      renewal->result->outcome = CERTREQ_RENEW_WOULD_RENEW;
      /* Translators: %1$s is a date and time, %2$s a CA's id, %3$s usage names (or "—") */
      renewal->result->message = g_strdup_printf (_("Due since %1$s: it would be renewed from "
                                                    "%2$s and reassigned to: %3$s."),
                                                  due_text, ca_id,
                                                  *usages != '\0' ? usages : "—");
      return g_steal_pointer (&renewal->result);
    }

  /* Re-request: the same request, naming the certificate it replaces */
  certreq_request_set_replaces (request, renewal->thumbprint);
  if (flags & CERTREQ_RENEW_FLAG_REUSE_KEY)
    certreq_request_set_reuse_key (request, TRUE);
  /* Unattended, the CA's configured credentials apply (the saved request has no account) */
  if (*certreq_request_get_username (request) == '\0')
    certreq_request_set_use_credentials (request, FALSE);

  certreq_log_printf (renewal->log, "Due since %s; requesting a new certificate from %s "
                      "(%s key)", due_text, ca_id,
                      certreq_request_get_reuse_key (request) ? "the same" : "a new");
  answer = certreq_enroll (store, request, progress, progress_data, cancellable, &local_error);
  if (answer == NULL)
    {
      drop_unsent_entries (renewal);
      g_free (record->pending_id);
      record->pending_id = find_waiting_entry (store, renewal->thumbprint);
      if (record->pending_id != NULL)
        certreq_log_printf (renewal->log, "The CA may hold request %s; the next run asks "
                            "about it", record->pending_id);
      fail (renewal, g_steal_pointer (&local_error), error);
      return NULL;
    }
  if (answer->log_path != NULL)
    certreq_log_printf (renewal->log, "The request's log: %s", answer->log_path);

  switch (answer->status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      if (!complete (renewal, answer->certificate, cancellable, error))
        return NULL;
      break;
    case CERTREQ_SUBMIT_PENDING:
      g_free (record->pending_id);
      record->pending_id = g_strdup (answer->pending_id);
      g_clear_pointer (&record->last_attempt, g_date_time_unref);
      record->last_attempt = g_date_time_ref (renewal->now);
      if (!save_record (renewal, error))
        return NULL;
      renewal->result->outcome = CERTREQ_RENEW_WAITING;
      renewal->result->pending_id = g_strdup (answer->pending_id);
      if (answer->request_file != NULL)
        /* Translators: %s is the file the certificate request was written to */
        renewal->result->message = g_strdup_printf (_("The renewal request was written to %s; "
                                                      "import the certificate the CA returns."),
                                                    answer->request_file);
      else
        /* Translators: %s is the id of a pending request */
        renewal->result->message = g_strdup_printf (_("The certification authority holds the "
                                                      "renewal request %s; the next run asks "
                                                      "again."), answer->pending_id);
      break;
    case CERTREQ_SUBMIT_DENIED:
    default:
      /* Translators: %s is the CA's reason */
      fail (renewal, g_error_new (CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                                  _("The certification authority denied the renewal: %s"),
                                  answer->reason != NULL ? answer->reason : "—"),
            error);
      return NULL;
    }

  return g_steal_pointer (&renewal->result);
}

/**
 * certreq_renew_certificate:
 * @store: the store
 * @thumbprint: the certificate to renew, in any case and spacing
 * @request: (nullable): the request to send instead of the one it came from
 * @due_days: %CERTREQ_RENEWAL_RULE_DEFAULT or a number of days
 * @flags: #CertreqRenewFlags
 * @progress: (nullable): the request's progress, in the calling thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * See certreq-renew.h. Every decision is logged in a "renew" log of the store.
 *
 * Returns: (transfer full): what happened, or %NULL with @error set
 */
CertreqRenewResult *
certreq_renew_certificate (CertreqStore         *store,
                           const char           *thumbprint,
                           CertreqRequest       *request,
                           int                   due_days,
                           CertreqRenewFlags     flags,
                           CertreqProgressFunc   progress,
                           gpointer              progress_data,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqRenewalRecord) record = NULL;
  g_autoptr(CertreqLog) log = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) local_error = NULL;
  Renewal renewal = { 0 };
  CertreqRenewResult *done;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (thumbprint != NULL, NULL);
  g_return_val_if_fail (request == NULL || CERTREQ_IS_REQUEST (request), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cert = certreq_store_find_certificate (store, thumbprint, error);
  if (cert == NULL)
    return NULL;

  /* A dry run writes nothing, not even a log */
  if (!(flags & CERTREQ_RENEW_FLAG_DRY_RUN))
    {
      log = certreq_store_create_log (store, "renew", error);
      if (log == NULL)
        return NULL;
    }

  now = certreq_renewal_now ();
  record = certreq_store_get_renewal_record (store, certreq_certificate_get_thumbprint (cert));
  renewal.store = store;
  renewal.log = log;
  renewal.cert = cert;
  renewal.thumbprint = certreq_certificate_get_thumbprint (cert);
  renewal.record = record;
  renewal.result = new_result (cert, CERTREQ_RENEW_NOT_DUE);
  renewal.now = now;

  if (log != NULL)
    certreq_log_printf (log, "Renewal of %s (due rule: %s%s%s)", renewal.thumbprint,
                        due_days < 0 ? "default" : "days left",
                        flags & CERTREQ_RENEW_FLAG_FORCE ? ", forced" : "",
                        flags & CERTREQ_RENEW_FLAG_REUSE_KEY ? ", same key" : "");

  done = renew (&renewal, request, due_days, flags, progress, progress_data, cancellable,
                &local_error);
  /* renew() hands the result over when it succeeds */
  g_clear_pointer (&renewal.result, certreq_renew_result_free);
  if (done == NULL)
    {
      if (log != NULL)
        certreq_log_printf (log, "Failed: %s", local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (log != NULL)
    {
      certreq_log_printf (log, "Done: %s. %s", certreq_renew_outcome_to_id (done->outcome),
                          done->message != NULL ? done->message : "");
      done->log_path = g_strdup (certreq_log_get_path (log));
    }
  return done;
}

typedef struct
{
  CertreqStore         *store;
  char                 *thumbprint;
  CertreqRequest       *request;     /* a private copy (R10), or NULL */
  int                   due_days;
  CertreqRenewFlags     flags;
  CertreqProgressRelay *relay;
} RenewData;

static void
renew_data_free (gpointer data)
{
  RenewData *renew_data = data;

  g_object_unref (renew_data->store);
  g_free (renew_data->thumbprint);
  g_clear_object (&renew_data->request);
  _certreq_progress_relay_free (renew_data->relay);
  g_free (renew_data);
}

static void
renew_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  RenewData *data = task_data;
  GError *error = NULL;
  CertreqRenewResult *result;

  result = certreq_renew_certificate (data->store, data->thumbprint, data->request,
                                      data->due_days, data->flags,
                                      _certreq_progress_relay_get_func (data->relay),
                                      data->relay, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) certreq_renew_result_free);
}

/**
 * certreq_renew_certificate_async:
 * @store: the store
 * @thumbprint: the certificate to renew
 * @request: (nullable): the request to send instead of the saved one; copied
 * @due_days: %CERTREQ_RENEWAL_RULE_DEFAULT or a number of days
 * @flags: #CertreqRenewFlags
 * @progress: (nullable): called in the caller's thread-default main context
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs certreq_renew_certificate() in a worker thread.
 */
void
certreq_renew_certificate_async (CertreqStore         *store,
                                 const char           *thumbprint,
                                 CertreqRequest       *request,
                                 int                   due_days,
                                 CertreqRenewFlags     flags,
                                 CertreqProgressFunc   progress,
                                 gpointer              progress_data,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RenewData *data;

  g_return_if_fail (CERTREQ_IS_STORE (store));
  g_return_if_fail (thumbprint != NULL);
  g_return_if_fail (request == NULL || CERTREQ_IS_REQUEST (request));

  data = g_new0 (RenewData, 1);
  data->store = g_object_ref (store);
  data->thumbprint = g_strdup (thumbprint);
  data->request = request != NULL ? certreq_request_copy (request) : NULL;
  data->due_days = due_days;
  data->flags = flags;
  data->relay = _certreq_progress_relay_new (progress, progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, certreq_renew_certificate_async);
  g_task_set_task_data (task, data, renew_data_free);
  _certreq_progress_relay_attach (data->relay, task);
  g_task_run_in_thread (task, renew_thread);
}

CertreqRenewResult *
certreq_renew_certificate_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, certreq_renew_certificate_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
