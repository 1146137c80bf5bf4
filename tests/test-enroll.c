/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char           *dir;
  CertreqStore   *store;
  CertreqRequest *request;
} Fixture;

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(GError) error = NULL;
  const char *sip[] = { "example.org", NULL };

  fx->dir = certwiz_test_mkdtemp ();
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);

  certreq_server_set_fqdn (server, "fe01.corp.example.com");
  certreq_server_set_pool_fqdn (server, "pool01.corp.example.com");
  certreq_server_set_web_internal_fqdn (server, "webint.corp.example.com");
  certreq_server_set_web_external_fqdn (server, "webext.example.net");
  certreq_server_set_sip_domains (server, sip);
  certreq_store_save_server (fx->store, server, &error);
  g_assert_no_error (error);

  fx->request = certreq_request_new (server);
  certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAGS_STANDARD);
  certreq_request_set_online (fx->request, TRUE);
  certreq_request_set_ca_id (fx->request, CERTREQ_LOCAL_CA_ID);
  certreq_request_set_friendly_name (fx->request, "Front end 2026");
  certreq_request_set_key_type (fx->request, CERTREQ_KEY_TYPE_EC_P256);
  certreq_request_set_exportable (fx->request, TRUE);
  certreq_request_set_organization (fx->request, "Contoso");
  certreq_request_set_organizational_unit (fx->request, "IT");
  certreq_request_set_country (fx->request, "DE");
  certreq_request_set_state (fx->request, "Berlin");
  certreq_request_set_locality (fx->request, "Berlin");
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  g_clear_object (&fx->request);
  g_clear_object (&fx->store);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
}

/* Files in <store>/@sub, or 0 when it does not exist */
static guint
count_entries (Fixture    *fx,
               const char *sub,
               const char *suffix)
{
  g_autofree char *path = g_build_filename (fx->dir, sub, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (suffix == NULL || g_str_has_suffix (name, suffix))
      n++;

  return n;
}

static guint
pending_count (Fixture *fx)
{
  g_autoptr(GPtrArray) ids = certreq_store_pending_list (fx->store);

  return ids->len;
}

typedef struct
{
  GArray        *stages;
  GThread       *main_thread;
  gboolean       wrong_thread;
  double         last_fraction;
  gboolean       fraction_went_back;
  /* Cancel when this stage is reported (sync mode: the callback runs in the worker) */
  int            cancel_at;
  GCancellable  *cancellable;
} ProgressLog;

static void
progress_log_init (ProgressLog *log)
{
  log->stages = g_array_new (FALSE, FALSE, sizeof (CertreqSubmitStage));
  log->main_thread = NULL;
  log->wrong_thread = FALSE;
  log->last_fraction = 0;
  log->fraction_went_back = FALSE;
  log->cancel_at = -1;
  log->cancellable = NULL;
}

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  ProgressLog *log = user_data;

  if (log->main_thread != NULL && g_thread_self () != log->main_thread)
    log->wrong_thread = TRUE;
  g_array_append_val (log->stages, stage);
  if (fraction >= 0)
    {
      if (fraction < log->last_fraction)
        log->fraction_went_back = TRUE;
      log->last_fraction = fraction;
    }
  if ((int) stage == log->cancel_at)
    g_cancellable_cancel (log->cancellable);
}

static void
assert_stages_in_order (ProgressLog *log)
{
  guint i;

  g_assert_cmpuint (log->stages->len, >=, 1);
  for (i = 1; i < log->stages->len; i++)
    g_assert_cmpint (g_array_index (log->stages, CertreqSubmitStage, i - 1), <=,
                     g_array_index (log->stages, CertreqSubmitStage, i));
  g_assert_false (log->fraction_went_back);
}

static void
check_issued (Fixture             *fx,
              CertreqSubmitResult *result)
{
  g_autoptr(CertreqCertificate) stored = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_text = NULL;
  g_autofree char *pending_dir = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) expected = NULL;
  const char *thumbprint;

  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_cmpstr (result->ca_id, ==, "local");
  g_assert_nonnull (result->request_id);
  g_assert_nonnull (result->certificate);
  g_assert_nonnull (result->pending_id);
  g_assert_nonnull (result->log_path);

  /* The certificate, its metadata and its key are in the store */
  thumbprint = certreq_certificate_get_thumbprint (result->certificate);
  stored = certreq_store_find_certificate (fx->store, thumbprint, &error);
  g_assert_no_error (error);
  g_assert_true (certreq_certificate_equal (stored, result->certificate));
  g_assert_true (certreq_store_has_key_for (fx->store, stored));
  g_assert_true (certreq_store_key_is_exportable (fx->store,
                                                  certreq_certificate_get_key_id (stored)));
  meta = certreq_store_get_meta (fx->store, thumbprint);
  g_assert_nonnull (meta);
  g_assert_cmpstr (meta->friendly_name, ==, "Front end 2026");
  g_assert_cmpint (meta->usages, ==, CERTREQ_USAGE_FLAGS_STANDARD);
  g_assert_cmpstr (meta->ca_id, ==, "local");
  g_assert_cmpstr (meta->request_id, ==, result->request_id);
  g_assert_cmpstr (meta->pending_id, ==, result->pending_id);

  /* It carries the request's names */
  names = certreq_certificate_get_dns_names (stored);
  expected = certreq_request_get_names (fx->request);
  g_assert_cmpstrv (names, expected);

  /* Nothing pending is left */
  g_assert_cmpuint (pending_count (fx), ==, 0);
  pending_dir = g_build_filename (fx->dir, "pending", result->pending_id, NULL);
  g_assert_false (g_file_test (pending_dir, G_FILE_TEST_EXISTS));

  /* The log tells the story without key material */
  g_file_get_contents (result->log_path, &log_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log_text, result->pending_id));
  g_assert_nonnull (strstr (log_text, thumbprint));
  g_assert_null (strstr (log_text, "PRIVATE KEY"));
}

static void
test_sync (Fixture       *fx,
           gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log;

  g_test_summary ("A full request from the lab CA: issued, stored with meta and key, "
                  "no pending entry left, every stage reported in order");

  progress_log_init (&log);
  result = certreq_enroll (fx->store, fx->request, on_progress, &log, NULL, &error);
  g_assert_no_error (error);
  check_issued (fx, result);

  assert_stages_in_order (&log);
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, 0), ==,
                   CERTREQ_SUBMIT_STAGE_GENERATING_KEY);
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, 1), ==,
                   CERTREQ_SUBMIT_STAGE_SAVING_REQUEST);
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, 2), ==,
                   CERTREQ_SUBMIT_STAGE_CONNECTING);
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, log.stages->len - 1), ==,
                   CERTREQ_SUBMIT_STAGE_STORING);
  g_assert_cmpfloat (log.last_fraction, ==, 1.0);
  g_array_unref (log.stages);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (Fixture       *fx,
            gconstpointer  unused)
{
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log;

  g_test_summary ("enroll_async: progress runs in the main thread, in stage order, "
                  "and the request is issued");

  progress_log_init (&log);
  log.main_thread = g_thread_self ();
  certreq_enroll_async (fx->store, fx->request, on_progress, &log, NULL,
                        store_result, &async_result);
  /* The request was copied: changing the model now does not change the operation */
  certreq_request_set_friendly_name (fx->request, "Changed after the start");
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);

  result = certreq_enroll_finish (async_result, &error);
  g_assert_no_error (error);
  certreq_request_set_friendly_name (fx->request, "Front end 2026");
  check_issued (fx, result);

  g_assert_false (log.wrong_thread);
  assert_stages_in_order (&log);
  /* Coalescing may drop a report, but the last one arrives before completion */
  g_assert_cmpint (g_array_index (log.stages, CertreqSubmitStage, log.stages->len - 1), ==,
                   CERTREQ_SUBMIT_STAGE_STORING);
  g_array_unref (log.stages);
}

static void
assert_nothing_left (Fixture *fx)
{
  g_assert_cmpuint (pending_count (fx), ==, 0);
  g_assert_cmpuint (count_entries (fx, "pending", NULL), ==, 0);
  g_assert_cmpuint (count_entries (fx, "keys", ".pem"), ==, 0);
  g_assert_cmpuint (count_entries (fx, "certs", ".pem"), ==, 0);
}

static void
test_cancel_before_start (Fixture       *fx,
                          gconstpointer  unused)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Cancelled before it starts: CANCELLED, no pending entry, no key file");

  g_cancellable_cancel (cancellable);
  result = certreq_enroll (fx->store, fx->request, NULL, NULL, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_nothing_left (fx);
  g_clear_error (&error);

  certreq_enroll_async (fx->store, fx->request, NULL, NULL, cancellable,
                        store_result, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = certreq_enroll_finish (async_result, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_nothing_left (fx);
}

static void
test_cancel_before_ca (Fixture       *fx,
                       gconstpointer  unused)
{
  static const CertreqSubmitStage stages[] = {
    CERTREQ_SUBMIT_STAGE_GENERATING_KEY,
    /* the pending entry exists by the time this is checked: it must be removed */
    CERTREQ_SUBMIT_STAGE_SAVING_REQUEST,
    /* the CA has not got the request yet */
    CERTREQ_SUBMIT_STAGE_CONNECTING,
  };
  guint i;

  g_test_summary ("Cancelled at any stage before the CA got the request: CANCELLED and "
                  "nothing left behind");

  for (i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(CertreqSubmitResult) result = NULL;
      g_autoptr(GError) error = NULL;
      ProgressLog log;

      progress_log_init (&log);
      log.cancel_at = stages[i];
      log.cancellable = cancellable;
      result = certreq_enroll (fx->store, fx->request, on_progress, &log, cancellable, &error);
      g_assert_null (result);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      assert_nothing_left (fx);
      g_array_unref (log.stages);
    }
}

static void
test_cancel_after_ca (Fixture       *fx,
                      gconstpointer  unused)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log;

  g_test_summary ("A cancel that comes after the CA got the request does not lose it: "
                  "the lab CA issues, and the certificate is stored");

  progress_log_init (&log);
  log.cancel_at = CERTREQ_SUBMIT_STAGE_SUBMITTING;
  log.cancellable = cancellable;
  result = certreq_enroll (fx->store, fx->request, on_progress, &log, cancellable, &error);
  g_assert_no_error (error);
  check_issued (fx, result);
  g_array_unref (log.stages);
}

static void
test_rejected_name (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_text = NULL;
  CertreqPendingState state = CERTREQ_PENDING_CREATED;

  g_test_summary ("A name outside the lab CA's constraints: the answer is DENIED with the "
                  "reason, and the pending entry stays in state denied as its record");

  certreq_request_add_extra_name (fx->request, "www.contoso.com", &error);
  g_assert_no_error (error);

  result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_null (result->certificate);
  g_assert_nonnull (strstr (result->reason, "www.contoso.com"));
  g_assert_nonnull (result->pending_id);

  g_assert_cmpuint (pending_count (fx), ==, 1);
  certreq_store_pending_get_state (fx->store, result->pending_id, &state, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, CERTREQ_PENDING_DENIED);
  g_assert_cmpuint (count_entries (fx, "certs", ".pem"), ==, 0);

  g_file_get_contents (result->log_path, &log_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log_text, "denied"));
}

static void
test_invalid_request (Fixture       *fx,
                      gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("An invalid request or an unknown CA fails before anything is written");

  certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAG_NONE);
  result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  assert_nothing_left (fx);
  g_clear_error (&error);

  certreq_request_set_usages (fx->request, CERTREQ_USAGE_FLAGS_STANDARD);
  certreq_request_set_ca_id (fx->request, "nowhere");
  result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  assert_nothing_left (fx);
}

static void
test_generated_names_unique (Fixture       *fx,
                             gconstpointer  unused)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  g_test_summary ("Requests that leave the friendly name empty get unique generated ones");
  certreq_request_set_friendly_name (fx->request, "");
  certreq_request_set_key_type (fx->request, CERTREQ_KEY_TYPE_EC_P256);

  for (i = 0; i < 3; i++)
    {
      g_autoptr(CertreqSubmitResult) result = NULL;
      g_autoptr(CertreqCertMeta) meta = NULL;
      g_autoptr(GError) error = NULL;

      result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
      meta = certreq_store_get_meta (fx->store,
                                     certreq_certificate_get_thumbprint (result->certificate));
      g_assert_nonnull (meta);
      g_assert_nonnull (meta->friendly_name);
      g_test_message ("generated: %s", meta->friendly_name);
      g_assert_false (g_hash_table_contains (seen, meta->friendly_name));
      g_hash_table_add (seen, g_strdup (meta->friendly_name));
    }
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

#define ADD(path, fn) g_test_add ("/certreq/enroll/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("sync", test_sync);
  ADD ("async", test_async);
  ADD ("cancel-before-start", test_cancel_before_start);
  ADD ("cancel-before-ca", test_cancel_before_ca);
  ADD ("cancel-after-ca", test_cancel_after_ca);
  ADD ("rejected-name", test_rejected_name);
  ADD ("invalid-request", test_invalid_request);
  ADD ("generated-names-unique", test_generated_names_unique);
#undef ADD

  return g_test_run ();
}
