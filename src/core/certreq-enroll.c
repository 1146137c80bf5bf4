/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "certreq-private.h"
#include "certreq-ca-private.h"

/* Where each part of the operation sits on the 0–1 progress scale */
#define FRACTION_KEY        0.05
#define FRACTION_SAVE       0.20
#define FRACTION_CA_START   0.25
#define FRACTION_CA_SPAN    0.60
#define FRACTION_STORE      0.90

typedef struct
{
  CertreqProgressFunc progress;
  gpointer            progress_data;
  /* Set once the CA reported SUBMITTING or a later stage: from then on it may hold
   * the request, so the pending entry must survive a cancel or a failure */
  gboolean            request_sent;
} EnrollProgress;

static void
report (EnrollProgress     *ep,
        CertreqSubmitStage  stage,
        const char         *detail,
        double              fraction)
{
  if (ep->progress != NULL)
    ep->progress (stage, detail, fraction, ep->progress_data);
}

/* The CA's progress, placed inside the operation's scale */
static void
on_ca_progress (CertreqSubmitStage  stage,
                const char         *detail,
                double              fraction,
                gpointer            user_data)
{
  EnrollProgress *ep = user_data;

  if (stage >= CERTREQ_SUBMIT_STAGE_SUBMITTING)
    ep->request_sent = TRUE;

  report (ep, stage, detail,
          fraction < 0 ? -1 : FRACTION_CA_START + CLAMP (fraction, 0.0, 1.0) * FRACTION_CA_SPAN);
}

static CertreqPendingState
pending_state_for (CertreqSubmitStatus status)
{
  switch (status)
    {
    case CERTREQ_SUBMIT_ISSUED:
      return CERTREQ_PENDING_ISSUED;
    case CERTREQ_SUBMIT_PENDING:
      return CERTREQ_PENDING_PENDING;
    case CERTREQ_SUBMIT_DENIED:
    default:
      return CERTREQ_PENDING_DENIED;
    }
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

/* After a failed or cancelled submission: a request that never left the machine is
 * removed (nothing is lost), one the CA may hold is kept as "submitted" so that the
 * key is never lost (DESIGN: request lifecycle). */
static void
settle_unanswered (CertreqStore   *store,
                   CertreqLog     *log,
                   const char     *pending_id,
                   EnrollProgress *ep,
                   const GError   *cause)
{
  g_autoptr(GError) error = NULL;
  gboolean cancelled = g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (!ep->request_sent && cancelled)
    {
      if (certreq_store_pending_remove (store, pending_id, &error))
        certreq_log_printf (log, "Cancelled before the CA received the request; "
                            "removed pending entry %s", pending_id);
      else
        certreq_log_printf (log, "Could not remove pending entry %s: %s",
                            pending_id, error->message);
      return;
    }

  if (ep->request_sent &&
      !certreq_store_pending_set_state (store, pending_id, CERTREQ_PENDING_SUBMITTED,
                                        NULL, NULL, &error))
    certreq_log_printf (log, "Could not record state submitted for %s: %s",
                        pending_id, error->message);

  certreq_log_printf (log, "Kept pending entry %s (state %s) for a later attempt",
                      pending_id, ep->request_sent ? "submitted" : "created");
}

/**
 * _certreq_enroll_store_issued:
 * @store: the store
 * @request: the request the certificate was asked for (friendly name, usages, exportable)
 * @log: (nullable): the operation's log
 * @pending_id: the pending/<ID> the request waits in
 * @key: the request's key (from the pending entry)
 * @result: an ISSUED answer: its certificate, chain, ca_id and request_id are stored
 * @error: return location for a #GError
 *
 * The one "store the issued certificate" step of certreq_enroll(), the pending
 * retrieval and the import: checks that the certificate is for @key, stores it with
 * its chain and the request's metadata, moves the key to keys/ and removes the
 * pending entry. A certificate for another key is a %CERTREQ_ERROR_PROTOCOL error
 * and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
_certreq_enroll_store_issued (CertreqStore        *store,
                              CertreqRequest      *request,
                              CertreqLog          *log,
                              const char          *pending_id,
                              CertreqKey          *key,
                              CertreqSubmitResult *result,
                              GError             **error)
{
  g_autofree char *friendly_name = certreq_request_generate_friendly_name (request, store);
  g_autofree char *thumbprint = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  CertreqCertMeta meta = { 0 };

  if (result->certificate == NULL)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                           _("The certification authority said it issued the certificate, "
                             "but sent none."));
      return FALSE;
    }
  if (!certreq_certificate_matches_key (result->certificate, key))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                           _("The certification authority sent a certificate for another "
                             "key than the one in the request."));
      return FALSE;
    }

  thumbprint = g_strdup (certreq_certificate_get_thumbprint (result->certificate));
  meta.thumbprint = thumbprint;
  meta.friendly_name = friendly_name;
  meta.usages = certreq_request_get_usages (request);
  meta.ca_id = result->ca_id;
  meta.request_id = result->request_id;
  meta.pending_id = (char *) pending_id;
  meta.added = now;

  if (!certreq_store_add_certificate (store, result->certificate, result->chain, &meta, error))
    return FALSE;
  if (log != NULL)
    certreq_log_printf (log, "Stored certificate %s as \"%s\"", thumbprint, friendly_name);
  /* What a renewal asks for again */
  if (!certreq_store_save_origin (store, thumbprint, request, error))
    return FALSE;

  if (!certreq_store_pending_complete (store, pending_id, error))
    return FALSE;
  if (log != NULL)
    certreq_log_printf (log, "Moved the key %s to the store (%s) and removed pending entry %s",
                        certreq_key_get_id (key),
                        certreq_request_get_exportable (request) ? "exportable" : "not exportable",
                        pending_id);
  return TRUE;
}

/**
 * _certreq_enroll_set_renewal:
 * @store: the store
 * @client: the CA client of a request
 * @request: the request
 * @error: return location for a #GError
 *
 * For a request that renews a certificate (its "replaces"), gives @client that
 * certificate and its key (SCEP RenewalReq, EST simplereenroll, ACME "replaces").
 * A renewal whose certificate or key is no longer in the store is a NOT_FOUND error.
 *
 * Returns: %TRUE on success (also for a new request)
 */
gboolean
_certreq_enroll_set_renewal (CertreqStore     *store,
                             CertreqCaClient  *client,
                             CertreqRequest   *request,
                             GError          **error)
{
  g_autoptr(CertreqCertificate) old_cert = NULL;
  g_autoptr(CertreqKey) old_key = NULL;
  const char *replaces = certreq_request_get_replaces (request);

  if (*replaces == '\0')
    return TRUE;

  old_cert = certreq_store_find_certificate (store, replaces, error);
  if (old_cert == NULL)
    return FALSE;
  old_key = certreq_store_load_key (store, certreq_certificate_get_key_id (old_cert), error);
  if (old_key == NULL)
    return FALSE;

  _certreq_ca_client_set_renewal (client, old_cert, old_key);
  return TRUE;
}

/* The renewed certificate's key when the request keeps it, else a new one */
static CertreqKey *
request_key (CertreqStore    *store,
             CertreqRequest  *request,
             CertreqLog      *log,
             GCancellable    *cancellable,
             GError         **error)
{
  CertreqKeyType key_type = certreq_request_get_key_type (request);
  CertreqKey *key;

  if (certreq_request_get_reuse_key (request) && *certreq_request_get_replaces (request) != '\0')
    {
      g_autoptr(CertreqCertificate) old_cert = NULL;

      old_cert = certreq_store_find_certificate (store, certreq_request_get_replaces (request),
                                                 error);
      if (old_cert == NULL)
        return NULL;
      key = certreq_store_load_key (store, certreq_certificate_get_key_id (old_cert), error);
      if (key != NULL)
        certreq_log_printf (log, "Kept the key %s of the renewed certificate %s",
                            certreq_key_get_id (key), certreq_certificate_get_thumbprint (old_cert));
      return key;
    }

  key = certreq_key_generate (key_type, cancellable, error);
  if (key != NULL)
    certreq_log_printf (log, "Generated a %s key, id %s", certreq_key_type_to_id (key_type),
                        certreq_key_get_id (key));
  return key;
}

/* Offline: key and request wait in pending/ (CA "offline"), the PKCS#10 request is
 * written as PEM to the request file; a later import completes it by public key. */
static CertreqSubmitResult *
enroll_offline (CertreqStore    *store,
                CertreqRequest  *request,
                CertreqLog      *log,
                EnrollProgress  *ep,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(CertreqRequest) saved = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pending_id = NULL;
  g_autofree char *names = NULL;
  g_autofree char *pem = NULL;
  const char *path = certreq_request_get_request_file (request);

  certreq_log_printf (log, "Offline request, written to %s", path);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report (ep, CERTREQ_SUBMIT_STAGE_GENERATING_KEY, NULL, FRACTION_KEY);
  key = request_key (store, request, log, cancellable, error);
  if (key == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report (ep, CERTREQ_SUBMIT_STAGE_SAVING_REQUEST, NULL, FRACTION_SAVE);
  spec = certreq_request_get_csr_spec (request);
  csr = certreq_csr_create (spec, key, error);
  if (csr == NULL)
    return NULL;
  names = spec->dns_names != NULL ? g_strjoinv (", ", spec->dns_names) : g_strdup ("");
  certreq_log_printf (log, "Created the request: CN=%s, names %s", spec->common_name, names);

  /* The pending entry names the offline CA, whatever CA the request had chosen */
  saved = certreq_request_copy (request);
  certreq_request_set_ca_id (saved, CERTREQ_OFFLINE_CA_ID);
  pending_id = certreq_store_pending_create (store, saved, key, csr, error);
  if (pending_id == NULL)
    return NULL;
  certreq_log_printf (log, "Saved pending entry %s (state created)", pending_id);

  report (ep, CERTREQ_SUBMIT_STAGE_SAVING_REQUEST, path, FRACTION_STORE);
  pem = certreq_csr_der_to_pem (csr);
  if (pem == NULL ||
      !_certreq_write_file_atomic (path, pem, strlen (pem), 0644, &local_error) ||
      !certreq_store_pending_set_state (store, pending_id, CERTREQ_PENDING_PENDING,
                                        NULL, NULL, &local_error))
    {
      g_autoptr(GError) remove_error = NULL;

      if (local_error == NULL)
        g_set_error_literal (&local_error, CERTREQ_ERROR, CERTREQ_ERROR_CRYPTO,
                             _("Could not encode the certificate request."));
      /* Nothing left the machine: no entry without its request file */
      if (!certreq_store_pending_remove (store, pending_id, &remove_error))
        certreq_log_printf (log, "Could not remove pending entry %s: %s",
                            pending_id, remove_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  certreq_log_printf (log, "Wrote the request file %s; pending entry %s waits for the "
                      "certificate", path, pending_id);
  report (ep, CERTREQ_SUBMIT_STAGE_SAVING_REQUEST, path, 1.0);

  result = certreq_submit_result_new (CERTREQ_SUBMIT_PENDING);
  result->ca_id = g_strdup (CERTREQ_OFFLINE_CA_ID);
  result->ca_name = g_strdup (_certreq_offline_ca_name ());
  result->request_file = g_strdup (path);
  result->pending_id = g_steal_pointer (&pending_id);
  return g_steal_pointer (&result);
}

/**
 * _certreq_offline_ca_name:
 *
 * Returns: the translated display name of the offline "CA" (any CA the request
 *   file is given to)
 */
const char *
_certreq_offline_ca_name (void)
{
  /* Translators: the CA of a request written to a file, to be given to any CA */
  return _("Offline certification authority");
}

static CertreqSubmitResult *
enroll (CertreqStore    *store,
        CertreqRequest  *request,
        CertreqLog      *log,
        EnrollProgress  *ep,
        GCancellable    *cancellable,
        GError         **error)
{
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pending_id = NULL;
  g_autofree char *usages = NULL;
  g_autofree char *names = NULL;
  const char *ca_id = certreq_request_get_ca_id (request);
  CertreqKeyType key_type = certreq_request_get_key_type (request);

  usages = certreq_usage_flags_to_string (certreq_request_get_usages (request));
  certreq_log_printf (log, "Certificate request: CA %s, usages %s, key %s, template %s",
                      ca_id != NULL ? ca_id : "(none)", usages,
                      certreq_key_type_to_id (key_type),
                      certreq_request_get_use_template (request)
                        ? certreq_request_get_template (request) : "(the CA's default)");

  if (!certreq_request_validate (request, store, error))
    return NULL;
  if (!certreq_request_get_online (request))
    return enroll_offline (store, request, log, ep, cancellable, error);
  client = certreq_ca_client_new_for_id (store, ca_id, error);
  if (client == NULL)
    return NULL;
  if (certreq_request_get_use_credentials (request))
    certreq_ca_client_set_credentials (client, certreq_request_get_username (request),
                                       certreq_request_get_password (request));
  if (!_certreq_enroll_set_renewal (store, client, request, error))
    return NULL;
  if (*certreq_request_get_replaces (request) != '\0')
    certreq_log_printf (log, "Renews certificate %s", certreq_request_get_replaces (request));
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report (ep, CERTREQ_SUBMIT_STAGE_GENERATING_KEY, NULL, FRACTION_KEY);
  key = request_key (store, request, log, cancellable, error);
  if (key == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report (ep, CERTREQ_SUBMIT_STAGE_SAVING_REQUEST, NULL, FRACTION_SAVE);
  spec = certreq_request_get_csr_spec (request);
  csr = certreq_csr_create (spec, key, error);
  if (csr == NULL)
    return NULL;
  names = spec->dns_names != NULL ? g_strjoinv (", ", spec->dns_names) : g_strdup ("");
  certreq_log_printf (log, "Created the request: CN=%s, names %s", spec->common_name, names);

  /* On disk before anything leaves the machine */
  pending_id = certreq_store_pending_create (store, request, key, csr, error);
  if (pending_id == NULL)
    return NULL;
  certreq_log_printf (log, "Saved pending entry %s (state created)", pending_id);

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    {
      settle_unanswered (store, log, pending_id, ep, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  certreq_log_printf (log, "Submitting to %s", certreq_ca_client_get_name (client));
  /* SCEP signs its message with the request's own key */
  _certreq_ca_client_set_request_key (client, key, csr);
  /* An alternate template (AD CS) or label (EST) as typed; otherwise NULL, so that the
   * CA's configured one applies (AD CS falls back to WebServer) */
  result = certreq_ca_client_submit (client, csr,
                                     certreq_request_get_use_template (request)
                                       ? certreq_request_get_template (request) : NULL,
                                     on_ca_progress, ep, cancellable, &local_error);
  if (result == NULL)
    {
      certreq_log_printf (log, "Submission failed: %s", local_error->message);
      settle_unanswered (store, log, pending_id, ep, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  certreq_log_printf (log, "The CA answered: %s%s%s%s%s", status_to_log (result->status),
                      result->request_id != NULL ? ", request id " : "",
                      result->request_id != NULL ? result->request_id : "",
                      result->reason != NULL ? ", reason: " : "",
                      result->reason != NULL ? result->reason : "");
  if (!certreq_store_pending_set_state (store, pending_id, pending_state_for (result->status),
                                        result->request_id, result->reason, error))
    return NULL;

  if (result->status == CERTREQ_SUBMIT_ISSUED)
    {
      report (ep, CERTREQ_SUBMIT_STAGE_STORING, NULL, FRACTION_STORE);
      if (!_certreq_enroll_store_issued (store, request, log, pending_id, key, result, error))
        return NULL;
      report (ep, CERTREQ_SUBMIT_STAGE_STORING, NULL, 1.0);
    }
  else if (result->status == CERTREQ_SUBMIT_DENIED)
    {
      /* The entry stays, in state "denied", as the record of what the CA said */
      certreq_log_printf (log, "Kept pending entry %s in state denied", pending_id);
    }

  result->pending_id = g_steal_pointer (&pending_id);
  return g_steal_pointer (&result);
}

/**
 * certreq_enroll:
 * @store: the store
 * @request: the request as the assistant or the CLI filled it in
 * @progress: (nullable): called in the calling thread with each stage
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The whole request operation (DESIGN.md, "Request lifecycle"): validates @request,
 * generates the key, writes pending/<ID>/ (key, CSR, state "created") before
 * anything leaves the machine, submits to the request's CA, records what the CA
 * said, and for an issued certificate stores it with its metadata and moves the key
 * to keys/. Every step is logged in log/ (never key material or the password).
 *
 * Cancelled before the CA received the request, the pending entry is removed and
 * nothing is left behind. Once the CA may hold the request, a cancel or a failure
 * keeps the entry (state "submitted"). A denied request keeps its entry in state
 * "denied", with the CA's reason.
 *
 * Returns: (transfer full): what the CA said (issued, pending or denied), with
 *   pending_id and log_path set; %NULL with @error set on failure
 */
CertreqSubmitResult *
certreq_enroll (CertreqStore         *store,
                CertreqRequest       *request,
                CertreqProgressFunc   progress,
                gpointer              progress_data,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(CertreqLog) log = NULL;
  g_autoptr(GError) local_error = NULL;
  CertreqSubmitResult *result;
  EnrollProgress ep = { progress, progress_data, FALSE };

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (CERTREQ_IS_REQUEST (request), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  log = certreq_store_create_log (store, "request", error);
  if (log == NULL)
    return NULL;

  result = enroll (store, request, log, &ep, cancellable, &local_error);
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
  CertreqRequest       *request;   /* a private copy (R10) */
  CertreqProgressRelay *relay;
} EnrollData;

static void
enroll_data_free (gpointer data)
{
  EnrollData *enroll_data = data;

  g_object_unref (enroll_data->store);
  g_object_unref (enroll_data->request);
  _certreq_progress_relay_free (enroll_data->relay);
  g_free (enroll_data);
}

static void
enroll_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EnrollData *data = task_data;
  GError *error = NULL;
  CertreqSubmitResult *result;

  result = certreq_enroll (data->store, data->request,
                           _certreq_progress_relay_get_func (data->relay), data->relay,
                           cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) certreq_submit_result_free);
}

/**
 * certreq_enroll_async:
 * @store: the store
 * @request: the request; copied before the worker starts
 * @progress: (nullable): called in the caller's thread-default main context
 * @progress_data: data for @progress; must stay valid until @callback runs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the operation is over
 * @user_data: data for @callback
 *
 * Runs certreq_enroll() in a worker thread.
 */
void
certreq_enroll_async (CertreqStore         *store,
                      CertreqRequest       *request,
                      CertreqProgressFunc   progress,
                      gpointer              progress_data,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  EnrollData *data;

  g_return_if_fail (CERTREQ_IS_STORE (store));
  g_return_if_fail (CERTREQ_IS_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (EnrollData, 1);
  data->store = g_object_ref (store);
  data->request = certreq_request_copy (request);
  data->relay = _certreq_progress_relay_new (progress, progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, certreq_enroll_async);
  /* The worker decides: once the CA or the store has acted, the caller must learn
   * what happened, even if Cancel was pressed a moment too late. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, enroll_data_free);
  _certreq_progress_relay_attach (data->relay, task);
  g_task_run_in_thread (task, enroll_thread);
}

/**
 * certreq_enroll_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what the CA said, or %NULL with @error set
 */
CertreqSubmitResult *
certreq_enroll_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, certreq_enroll_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
