/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "certreq-private.h"
#include "certreq-ca-private.h"

/* Where each part of a retrieval sits on the 0–1 progress scale */
#define FRACTION_CA_START   0.05
#define FRACTION_CA_SPAN    0.80
#define FRACTION_STORE      0.90

/**
 * certreq_pending_info_free:
 * @info: (nullable): a #CertreqPendingInfo
 */
void
certreq_pending_info_free (CertreqPendingInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->ca_id);
  g_free (info->ca_request_id);
  g_free (info->reason);
  g_free (info->friendly_name);
  g_free (info->common_name);
  g_clear_pointer (&info->created, g_date_time_unref);
  g_free (info);
}

/* When pending/<ID>/ was written (request.ini's "created"), or NULL */
static GDateTime *
pending_created (CertreqStore *store,
                 const char   *id)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = _certreq_store_build_path (store, "pending", id, "request.ini", NULL);
  g_autofree char *mirror = _certreq_store_build_path (store, "meta", "pending", id,
                                                       "request.ini", NULL);
  g_autofree char *created = NULL;

  /* pending/ is root's; a read-only view reads the public mirror in meta/pending/ */
  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL) &&
      !g_key_file_load_from_file (key_file, mirror, G_KEY_FILE_NONE, NULL))
    return NULL;
  created = g_key_file_get_string (key_file, "pending", "created", NULL);
  if (created == NULL)
    return NULL;
  return g_date_time_new_from_iso8601 (created, NULL);
}

static CertreqPendingInfo *
load_info (CertreqStore  *store,
           const char    *id,
           GError       **error)
{
  g_autoptr(CertreqPendingInfo) info = g_new0 (CertreqPendingInfo, 1);
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(GBytes) csr = NULL;

  info->id = g_strdup (id);
  if (!certreq_store_pending_get_state (store, id, &info->state, error) ||
      !certreq_store_pending_get_info (store, id, &info->ca_id, &info->ca_request_id,
                                       &info->reason, error))
    return NULL;

  request = certreq_store_pending_load_request (store, id, NULL, error);
  if (request == NULL)
    return NULL;
  info->friendly_name = g_strdup (certreq_request_get_friendly_name (request));
  info->usages = certreq_request_get_usages (request);

  /* The subject as it was requested, not as today's server profile would derive it */
  csr = certreq_store_pending_get_csr (store, id, error);
  if (csr == NULL)
    return NULL;
  spec = certreq_csr_get_spec (csr, error);
  if (spec == NULL)
    return NULL;
  info->common_name = g_strdup (spec->common_name != NULL ? spec->common_name : "");

  info->created = pending_created (store, id);
  if (info->created == NULL)
    info->created = g_date_time_new_from_unix_utc (0);

  return g_steal_pointer (&info);
}

static int
compare_created (gconstpointer a,
                 gconstpointer b)
{
  const CertreqPendingInfo *info_a = *(const CertreqPendingInfo * const *) a;
  const CertreqPendingInfo *info_b = *(const CertreqPendingInfo * const *) b;
  int order = g_date_time_compare (info_a->created, info_b->created);

  return order != 0 ? order : g_strcmp0 (info_a->id, info_b->id);
}

/**
 * certreq_pending_list:
 * @store: the store
 * @error: return location for a #GError
 *
 * The entries of pending/: requests waiting for a CA's decision, offline requests
 * waiting for their certificate, and denied requests kept as a record.
 *
 * Returns: (transfer full) (element-type CertreqPendingInfo): oldest first; %NULL
 *   with @error set when an entry cannot be read
 */
GPtrArray *
certreq_pending_list (CertreqStore  *store,
                      GError       **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) certreq_pending_info_free);
  ids = certreq_store_pending_list (store);
  for (i = 0; i < ids->len; i++)
    {
      CertreqPendingInfo *info = load_info (store, g_ptr_array_index (ids, i), error);

      if (info == NULL)
        return NULL;
      g_ptr_array_add (infos, info);
    }

  g_ptr_array_sort (infos, compare_created);
  return g_steal_pointer (&infos);
}

static gboolean
is_retrievable (CertreqStore *store,
                const char   *id)
{
  g_autofree char *ca_id = NULL;
  g_autofree char *ca_request_id = NULL;
  CertreqPendingState state;

  if (!certreq_store_pending_get_state (store, id, &state, NULL) ||
      !certreq_store_pending_get_info (store, id, &ca_id, &ca_request_id, NULL, NULL))
    return FALSE;

  return g_strcmp0 (ca_id, CERTREQ_OFFLINE_CA_ID) != 0 &&
         certreq_pending_state_is_retrievable (state, ca_request_id != NULL);
}

/**
 * certreq_pending_state_is_retrievable:
 * @state: a pending entry's state
 * @has_request_id: whether the CA gave the entry a request id
 *
 * Whether certreq_pending_retrieve() can complete an online request in @state: one
 * the CA gave a request id is asked about it (submitted, pending, or issued but not
 * stored yet); one it never gave an id (never sent, or the answer was lost to a
 * network fault) is sent again, with the same key and request.
 *
 * Returns: %TRUE when a retrieval makes sense
 */
gboolean
certreq_pending_state_is_retrievable (CertreqPendingState state,
                                      gboolean            has_request_id)
{
  if (!has_request_id)
    return state == CERTREQ_PENDING_CREATED || state == CERTREQ_PENDING_SUBMITTED;

  /* "issued" too: an answer that could not be stored yet is asked for again */
  return state == CERTREQ_PENDING_SUBMITTED || state == CERTREQ_PENDING_PENDING ||
         state == CERTREQ_PENDING_ISSUED;
}

/**
 * certreq_pending_has_retrievable:
 * @store: the store
 *
 * Returns: %TRUE when a request waits on an online CA that gave it a request id
 *   (state submitted or pending, or issued but not stored yet), so that "Process Pending Request" can ask it
 */
gboolean
certreq_pending_has_retrievable (CertreqStore *store)
{
  g_autoptr(GPtrArray) ids = NULL;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);

  ids = certreq_store_pending_list (store);
  for (i = 0; i < ids->len; i++)
    if (is_retrievable (store, g_ptr_array_index (ids, i)))
      return TRUE;

  return FALSE;
}

typedef struct
{
  CertreqProgressFunc progress;
  gpointer            progress_data;
} RetrieveProgress;

static void
on_ca_progress (CertreqSubmitStage  stage,
                const char         *detail,
                double              fraction,
                gpointer            user_data)
{
  RetrieveProgress *rp = user_data;

  if (rp->progress != NULL)
    rp->progress (stage, detail,
                  fraction < 0 ? -1 : FRACTION_CA_START + CLAMP (fraction, 0.0, 1.0) * FRACTION_CA_SPAN,
                  rp->progress_data);
}

typedef struct
{
  RetrieveProgress *rp;
  gboolean          sent;   /* the CA reported SUBMITTING or later */
} ResubmitProgress;

static void
on_resubmit_progress (CertreqSubmitStage  stage,
                      const char         *detail,
                      double              fraction,
                      gpointer            user_data)
{
  ResubmitProgress *progress = user_data;

  if (stage >= CERTREQ_SUBMIT_STAGE_SUBMITTING)
    progress->sent = TRUE;
  on_ca_progress (stage, detail, fraction, progress->rp);
}

/* A request the CA never gave an id (never sent, or its answer was lost: a reset,
 * a timeout, a broken answer) is sent again as it was saved: the same CSR, signed by
 * the same key, to the same CA. Failing again after it was sent, it is recorded as
 * submitted, as certreq_enroll() does. */
static CertreqSubmitResult *
resubmit (CertreqStore       *store,
          const char         *id,
          CertreqCaClient    *client,
          CertreqPendingState state,
          CertreqLog         *log,
          RetrieveProgress   *rp,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(CertreqServer) server = certreq_store_load_server (store, NULL);
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) local_error = NULL;
  CertreqSubmitResult *result;
  ResubmitProgress progress = { rp, FALSE };

  request = certreq_store_pending_load_request (store, id, server, error);
  if (request == NULL)
    return NULL;
  key = certreq_store_pending_load_key (store, id, error);
  if (key == NULL)
    return NULL;
  csr = certreq_store_pending_get_csr (store, id, error);
  if (csr == NULL)
    return NULL;

  certreq_log_printf (log, "The CA gave no request id (state %s): sending the saved request "
                      "to %s again", certreq_pending_state_to_id (state),
                      certreq_ca_client_get_name (client));
  _certreq_ca_client_set_request_key (client, key, csr);
  /* A renewal is sent again as one */
  if (!_certreq_enroll_set_renewal (store, client, request, error))
    return NULL;
  result = certreq_ca_client_submit (client, csr,
                                     certreq_request_get_use_template (request)
                                       ? certreq_request_get_template (request) : NULL,
                                     on_resubmit_progress, &progress, cancellable,
                                     &local_error);
  if (result == NULL)
    {
      g_autoptr(GError) state_error = NULL;

      if (progress.sent && state != CERTREQ_PENDING_SUBMITTED &&
          !certreq_store_pending_set_state (store, id, CERTREQ_PENDING_SUBMITTED, NULL, NULL,
                                            &state_error))
        certreq_log_printf (log, "Could not record state submitted for %s: %s", id,
                            state_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return result;
}

static const char *
status_to_log (CertreqSubmitStatus status)
{
  switch (status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      return "issued";
    case CERTREQ_SUBMIT_PENDING:
      return "pending";
    case CERTREQ_SUBMIT_DENIED:
    default:
      return "denied";
    }
}

static CertreqSubmitResult *
retrieve (CertreqStore      *store,
          const char        *id,
          CertreqLog        *log,
          RetrieveProgress  *rp,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autofree char *ca_id = NULL;
  g_autofree char *ca_request_id = NULL;
  g_autofree char *reason = NULL;
  CertreqPendingState state;

  certreq_log_printf (log, "Retrieving pending request %s", id);
  if (!certreq_store_pending_get_state (store, id, &state, error) ||
      !certreq_store_pending_get_info (store, id, &ca_id, &ca_request_id, &reason, error))
    return NULL;

  if (g_strcmp0 (ca_id, CERTREQ_OFFLINE_CA_ID) == 0)
    {
      /* Translators: %s is the id of a pending request */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The request %s was written to a file for a certification authority; "
                     "import the certificate it returns to complete the request."), id);
      return NULL;
    }

  if (state == CERTREQ_PENDING_DENIED)
    {
      /* The CA already decided; its answer is on record */
      certreq_log_printf (log, "Already denied: %s", reason != NULL ? reason : "(no reason)");
      result = certreq_submit_result_new (CERTREQ_SUBMIT_DENIED);
      result->ca_id = g_strdup (ca_id);
      result->request_id = g_steal_pointer (&ca_request_id);
      result->reason = g_steal_pointer (&reason);
      client = certreq_ca_client_new_for_id (store, ca_id, NULL);
      if (client != NULL)
        result->ca_name = g_strdup (certreq_ca_client_get_name (client));
      result->pending_id = g_strdup (id);
      return g_steal_pointer (&result);
    }

  if (!certreq_pending_state_is_retrievable (state, ca_request_id != NULL))
    {
      /* Translators: %s is the id of a pending request */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The certification authority gave the request %s no request id, so it "
                     "cannot be asked about it again. Clear it and request a new "
                     "certificate."), id);
      return NULL;
    }

  client = certreq_ca_client_new_for_id (store, ca_id, error);
  if (client == NULL)
    return NULL;

  if (ca_request_id == NULL)
    result = resubmit (store, id, client, state, log, rp, cancellable, error);
  else
    {
      certreq_log_printf (log, "Asking %s about request id %s",
                          certreq_ca_client_get_name (client), ca_request_id);
      /* SCEP signs its poll with the request's own key and names the CSR's subject */
      {
        g_autoptr(CertreqKey) request_key = certreq_store_pending_load_key (store, id, NULL);
        g_autoptr(GBytes) request_csr = certreq_store_pending_get_csr (store, id, NULL);

        g_autoptr(CertreqRequest) saved = certreq_store_pending_load_request (store, id, NULL,
                                                                              NULL);

        _certreq_ca_client_set_request_key (client, request_key, request_csr);
        /* A renewal is polled as one (SCEP's RenewalReq is signed by the old certificate) */
        if (saved != NULL && !_certreq_enroll_set_renewal (store, client, saved, error))
          return NULL;
      }
      result = certreq_ca_client_retrieve (client, ca_request_id, on_ca_progress, rp,
                                           cancellable, error);
    }
  if (result == NULL)
    return NULL;
  certreq_log_printf (log, "The CA answered: %s%s%s", status_to_log (result->status),
                      result->reason != NULL ? ", reason: " : "",
                      result->reason != NULL ? result->reason : "");

  switch (result->status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      {
        g_autoptr(CertreqServer) server = NULL;
        g_autoptr(CertreqRequest) request = NULL;
        g_autoptr(CertreqKey) key = NULL;

        if (rp->progress != NULL)
          rp->progress (CERTREQ_SUBMIT_STAGE_STORING, NULL, FRACTION_STORE, rp->progress_data);
        server = certreq_store_load_server (store, NULL);
        request = certreq_store_pending_load_request (store, id, server, error);
        if (request == NULL)
          return NULL;
        key = certreq_store_pending_load_key (store, id, error);
        if (key == NULL)
          return NULL;
        if (!certreq_store_pending_set_state (store, id, CERTREQ_PENDING_ISSUED,
                                              result->request_id, NULL, error) ||
            !_certreq_enroll_store_issued (store, request, log, id, key, result, error))
          return NULL;
        if (rp->progress != NULL)
          rp->progress (CERTREQ_SUBMIT_STAGE_STORING, NULL, 1.0, rp->progress_data);
      }
      break;
    case CERTREQ_SUBMIT_PENDING:
      if (!certreq_store_pending_set_state (store, id, CERTREQ_PENDING_PENDING,
                                            result->request_id, NULL, error))
        return NULL;
      certreq_log_printf (log, "Still pending; entry %s kept", id);
      break;
    case CERTREQ_SUBMIT_DENIED:
    default:
      if (!certreq_store_pending_set_state (store, id, CERTREQ_PENDING_DENIED,
                                            result->request_id,
                                            result->reason != NULL ? result->reason : "",
                                            error))
        return NULL;
      certreq_log_printf (log, "Kept pending entry %s in state denied", id);
      break;
    }

  result->pending_id = g_strdup (id);
  return g_steal_pointer (&result);
}

/**
 * certreq_pending_retrieve:
 * @store: the store
 * @id: the pending/<ID> to ask about
 * @progress: (nullable): called in the calling thread with each stage
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks the request's CA about pending/<@id>. ISSUED stores the certificate with the
 * request's metadata, moves the key to keys/ and removes the entry (as
 * certreq_enroll() does); PENDING leaves the entry; DENIED records the reason. An
 * entry already denied answers DENIED with the recorded reason without asking. An
 * offline request cannot be retrieved (its certificate is imported).
 * Everything is logged in log/.
 *
 * Returns: (transfer full): what the CA said, with pending_id and log_path set;
 *   %NULL with @error set on failure
 */
CertreqSubmitResult *
certreq_pending_retrieve (CertreqStore         *store,
                          const char           *id,
                          CertreqProgressFunc   progress,
                          gpointer              progress_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autoptr(CertreqLog) log = NULL;
  g_autoptr(GError) local_error = NULL;
  CertreqSubmitResult *result;
  RetrieveProgress rp = { progress, progress_data };

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  log = certreq_store_create_log (store, "retrieve", error);
  if (log == NULL)
    return NULL;

  result = retrieve (store, id, log, &rp, cancellable, &local_error);
  if (result == NULL)
    {
      certreq_log_printf (log, "Failed: %s", local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  certreq_log_printf (log, "Done");
  result->log_path = g_strdup (certreq_log_get_path (log));
  return result;
}

typedef struct
{
  CertreqStore         *store;
  char                 *id;
  CertreqProgressRelay *relay;
} RetrieveData;

static void
retrieve_data_free (gpointer data)
{
  RetrieveData *retrieve_data = data;

  g_object_unref (retrieve_data->store);
  g_free (retrieve_data->id);
  _certreq_progress_relay_free (retrieve_data->relay);
  g_free (retrieve_data);
}

static void
retrieve_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RetrieveData *data = task_data;
  GError *error = NULL;
  CertreqSubmitResult *result;

  result = certreq_pending_retrieve (data->store, data->id,
                                     _certreq_progress_relay_get_func (data->relay), data->relay,
                                     cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) certreq_submit_result_free);
}

/**
 * certreq_pending_retrieve_async:
 * @store: the store
 * @id: the pending/<ID> to ask about
 * @progress: (nullable): called in the caller's thread-default main context
 * @progress_data: data for @progress; must stay valid until @callback runs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the operation is over
 * @user_data: data for @callback
 *
 * Runs certreq_pending_retrieve() in a worker thread.
 */
void
certreq_pending_retrieve_async (CertreqStore         *store,
                                const char           *id,
                                CertreqProgressFunc   progress,
                                gpointer              progress_data,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RetrieveData *data;

  g_return_if_fail (CERTREQ_IS_STORE (store));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (RetrieveData, 1);
  data->store = g_object_ref (store);
  data->id = g_strdup (id);
  data->relay = _certreq_progress_relay_new (progress, progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, certreq_pending_retrieve_async);
  /* Once the CA answered and the store acted, the caller must learn it (as enroll) */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, retrieve_data_free);
  _certreq_progress_relay_attach (data->relay, task);
  g_task_run_in_thread (task, retrieve_thread);
}

/**
 * certreq_pending_retrieve_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what the CA said, or %NULL with @error set
 */
CertreqSubmitResult *
certreq_pending_retrieve_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, certreq_pending_retrieve_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * certreq_pending_clear:
 * @store: the store
 * @id: the pending/<ID> to remove
 * @error: return location for a #GError
 *
 * Removes the entry with its private key: a certificate the CA issues for it
 * later can no longer be used. The caller confirms with the admin first.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_pending_clear (CertreqStore  *store,
                       const char    *id,
                       GError       **error)
{
  g_autoptr(CertreqLog) log = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  log = certreq_store_create_log (store, "clear-pending", error);
  if (log == NULL)
    return FALSE;

  if (!certreq_store_pending_remove (store, id, &local_error))
    {
      certreq_log_printf (log, "Could not remove pending entry %s: %s", id,
                          local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  certreq_log_printf (log, "Removed pending entry %s with its key", id);
  return TRUE;
}
