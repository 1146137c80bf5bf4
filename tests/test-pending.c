/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char           *dir;
  char           *out_dir;   /* where offline request files go */
  CertreqServer  *server;
  CertreqStore   *store;
  CertreqRequest *request;
} Fixture;

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  const char *sip[] = { "example.org", NULL };

  fx->dir = certwiz_test_mkdtemp ();
  fx->out_dir = certwiz_test_mkdtemp ();
  fx->store = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);

  fx->server = certreq_server_new ();
  certreq_server_set_fqdn (fx->server, "fe01.corp.example.com");
  certreq_server_set_pool_fqdn (fx->server, "pool01.corp.example.com");
  certreq_server_set_web_internal_fqdn (fx->server, "webint.corp.example.com");
  certreq_server_set_web_external_fqdn (fx->server, "webext.example.net");
  certreq_server_set_sip_domains (fx->server, sip);
  certreq_store_save_server (fx->store, fx->server, &error);
  g_assert_no_error (error);

  fx->request = certreq_request_new (fx->server);
  certreq_request_set_ca_id (fx->request, CERTREQ_LOCAL_CA_ID);
  certreq_request_set_friendly_name (fx->request, "Held front end");
  certreq_request_set_key_type (fx->request, CERTREQ_KEY_TYPE_EC_P256);
  certreq_request_set_organization (fx->request, "Contoso");
  certreq_request_set_country (fx->request, "DE");
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  g_clear_object (&fx->request);
  g_clear_object (&fx->store);
  g_clear_object (&fx->server);
  certwiz_test_rmrf (fx->dir);
  certwiz_test_rmrf (fx->out_dir);
  g_free (fx->dir);
  g_free (fx->out_dir);
}

static CertreqCaLocal *
local_ca (CertreqStore *store)
{
  return CERTREQ_CA_LOCAL (certreq_ca_local_new (store));
}

static void
set_hold (CertreqStore *store,
          gboolean      hold)
{
  g_autoptr(CertreqCaLocal) ca = local_ca (store);
  g_autoptr(GError) error = NULL;

  g_assert_true (certreq_ca_local_set_hold (ca, hold, &error));
  g_assert_no_error (error);
}

/* Enrolls with hold on: PENDING with the lab CA's request id */
static CertreqSubmitResult *
enroll_held (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  CertreqSubmitResult *result;

  set_hold (fx->store, TRUE);
  result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_PENDING);
  g_assert_nonnull (result->request_id);
  g_assert_cmpuint (strlen (result->request_id), ==, 16);
  g_assert_nonnull (result->pending_id);
  g_assert_null (result->certificate);
  return result;
}

static gboolean
pending_dir_exists (Fixture    *fx,
                    const char *id)
{
  g_autofree char *path = g_build_filename (fx->dir, "pending", id, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* ---- The request-file property ---- */

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_request_file_property (void)
{
  g_autoptr(CertreqRequest) request = certreq_request_new (NULL);
  g_autoptr(CertreqRequest) copy = NULL;
  g_autoptr(CertreqRequest) loaded = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "req.csr", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "req.csr", NULL);
  g_autofree char *prop = NULL;
  guint notified = 0;

  g_assert_cmpstr (certreq_request_get_request_file (request), ==, "");
  g_signal_connect (request, "notify::request-file", G_CALLBACK (on_notify_count), &notified);

  /* Online: the file does not matter */
  g_assert_true (certreq_request_validate_request_file (request, &error));
  g_assert_no_error (error);

  certreq_request_set_online (request, FALSE);
  g_assert_false (certreq_request_validate_request_file (request, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);
  /* certreq_request_validate() runs it for an offline request */
  g_assert_false (certreq_request_validate (request, NULL, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  certreq_request_set_request_file (request, "relative/req.csr");
  g_assert_cmpuint (notified, ==, 1);
  certreq_request_set_request_file (request, "relative/req.csr");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_false (certreq_request_validate_request_file (request, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  certreq_request_set_request_file (request, dir);
  g_assert_false (certreq_request_validate_request_file (request, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_clear_error (&error);

  certreq_request_set_request_file (request, missing);
  g_assert_false (certreq_request_validate_request_file (request, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  g_clear_error (&error);

  g_object_set (request, "request-file", path, NULL);
  g_object_get (request, "request-file", &prop, NULL);
  g_assert_cmpstr (prop, ==, path);
  g_assert_cmpstr (certreq_request_get_request_file (request), ==, path);
  g_assert_true (certreq_request_validate_request_file (request, &error));
  g_assert_no_error (error);

  /* The CA account does not apply offline */
  certreq_request_set_use_credentials (request, TRUE);
  g_assert_true (certreq_request_validate_account (request, &error));
  g_assert_no_error (error);

  copy = certreq_request_copy (request);
  g_assert_cmpstr (certreq_request_get_request_file (copy), ==, path);
  g_assert_false (certreq_request_get_online (copy));

  certreq_request_to_key_file (request, key_file, "request");
  loaded = certreq_request_new_from_key_file (NULL, key_file, "request", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_request_get_request_file (loaded), ==, path);
  g_assert_false (certreq_request_get_online (loaded));

  certwiz_test_rmrf (dir);
}

/* ---- Offline ---- */

static void
test_offline (Fixture       *fx,
              gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqSubmitResult) retrieved = NULL;
  g_autoptr(CertreqStore) reopened = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->out_dir, "front end.csr", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *verify = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key_id = NULL;
  const CertreqPendingInfo *info;
  gsize length;
  GStatBuf st;

  certreq_request_set_online (fx->request, FALSE);
  certreq_request_set_request_file (fx->request, path);
  /* Offline, the chosen CA plays no role */
  certreq_request_set_ca_id (fx->request, "no-such-ca");

  result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_PENDING);
  g_assert_cmpstr (result->ca_id, ==, CERTREQ_OFFLINE_CA_ID);
  g_assert_nonnull (result->ca_name);
  g_assert_cmpstr (result->request_file, ==, path);
  g_assert_nonnull (result->pending_id);
  g_assert_nonnull (result->log_path);
  g_assert_null (result->certificate);

  /* The request file: PEM, 0644, a valid self-signed PKCS#10 with our names */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_true (g_file_get_contents (path, &pem, &length, &error));
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE REQUEST-----"));
  verify = certwiz_test_openssl (NULL, 0, "req", "-in", path, "-verify", "-noout", NULL);
  subject = certwiz_test_openssl (NULL, 0, "req", "-in", path, "-noout", "-subject",
                                  "-nameopt", "RFC2253", NULL);
  g_assert_nonnull (strstr (subject, "CN=pool01.corp.example.com"));
  g_assert_nonnull (strstr (subject, "O=Contoso"));
  text = certwiz_test_openssl (NULL, 0, "req", "-in", path, "-noout", "-text", NULL);
  g_assert_nonnull (strstr (text, "DNS:webext.example.net"));
  g_assert_nonnull (strstr (text, "DNS:sip.example.org"));

  /* The key waiting in pending/ is the request's key */
  csr = certreq_store_pending_get_csr (fx->store, result->pending_id, &error);
  g_assert_no_error (error);
  key = certreq_store_pending_load_key (fx->store, result->pending_id, &error);
  g_assert_no_error (error);
  key_id = certreq_csr_get_key_id (csr, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key_id, ==, certreq_key_get_id (key));
  {
    g_autoptr(GBytes) file_der = certreq_csr_parse (pem, length, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (file_der, csr));
  }

  /* The entry survives a new store object (a restart) */
  g_clear_object (&fx->store);
  reopened = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);
  infos = certreq_pending_list (reopened, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 1);
  info = g_ptr_array_index (infos, 0);
  g_assert_cmpstr (info->id, ==, result->pending_id);
  g_assert_cmpstr (info->ca_id, ==, CERTREQ_OFFLINE_CA_ID);
  g_assert_cmpint (info->state, ==, CERTREQ_PENDING_PENDING);
  g_assert_null (info->ca_request_id);
  g_assert_cmpstr (info->common_name, ==, "pool01.corp.example.com");
  g_assert_cmpstr (info->friendly_name, ==, "Held front end");
  g_assert_cmpuint (info->usages, ==, CERTREQ_USAGE_FLAGS_STANDARD);
  g_assert_nonnull (info->created);

  /* Nothing to ask a CA about: the certificate is imported instead */
  g_assert_false (certreq_pending_has_retrievable (reopened));
  retrieved = certreq_pending_retrieve (reopened, result->pending_id, NULL, NULL, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_null (retrieved);
  g_clear_error (&error);
  g_assert_true (pending_dir_exists (fx, result->pending_id));
}

static void
test_offline_bad_file (Fixture       *fx,
                       gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *path = g_build_filename (fx->out_dir, "missing", "req.csr", NULL);

  certreq_request_set_online (fx->request, FALSE);
  certreq_request_set_request_file (fx->request, path);
  result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT);
  g_assert_null (result);

  ids = certreq_store_pending_list (fx->store);
  g_assert_cmpuint (ids->len, ==, 0);
}

/* ---- Hold for approval ---- */

typedef struct
{
  GMainLoop           *loop;
  CertreqSubmitResult *result;
  GError              *error;
  GThread             *main_thread;
  gboolean             wrong_thread;
  guint                n_progress;
} AsyncData;

static void
on_progress (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  AsyncData *data = user_data;

  if (g_thread_self () != data->main_thread)
    data->wrong_thread = TRUE;
  data->n_progress++;
}

static void
on_retrieved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncData *data = user_data;

  data->result = certreq_pending_retrieve_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_hold_approve (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqSubmitResult) again = NULL;
  g_autoptr(CertreqCaLocal) ca = local_ca (fx->store);
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqCertificate) stored = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *held_dir = NULL;
  g_autofree char *key_file = NULL;
  CertreqPendingState state;
  AsyncData data = { 0 };

  result = enroll_held (fx);
  g_assert_true (certreq_ca_local_get_hold (ca));

  /* The lab CA keeps the CSR under local-ca/requests/<ID>/ */
  held_dir = g_build_filename (fx->dir, "local-ca", "requests", result->request_id, NULL);
  g_assert_true (g_file_test (held_dir, G_FILE_TEST_IS_DIR));
  held = certreq_ca_local_list_held (ca, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (held, 0), ==, result->request_id);

  /* The store waits, in state pending, with the CA's id */
  g_assert_true (certreq_store_pending_get_state (fx->store, result->pending_id, &state, &error));
  g_assert_cmpint (state, ==, CERTREQ_PENDING_PENDING);
  g_assert_true (certreq_pending_has_retrievable (fx->store));
  infos = certreq_pending_list (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 1);
  g_assert_cmpstr (((CertreqPendingInfo *) g_ptr_array_index (infos, 0))->ca_request_id, ==,
                   result->request_id);

  /* Asked before the decision: still pending, nothing changes */
  again = certreq_pending_retrieve (fx->store, result->pending_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->status, ==, CERTREQ_SUBMIT_PENDING);
  g_assert_cmpstr (again->request_id, ==, result->request_id);
  g_assert_cmpstr (again->pending_id, ==, result->pending_id);
  g_assert_true (pending_dir_exists (fx, result->pending_id));
  g_clear_pointer (&again, certreq_submit_result_free);

  g_assert_true (certreq_ca_local_approve (ca, result->request_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&held, g_ptr_array_unref);
  held = certreq_ca_local_list_held (ca, &error);
  g_assert_cmpuint (held->len, ==, 0);
  /* Decided once */
  g_assert_false (certreq_ca_local_approve (ca, result->request_id, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Retrieved asynchronously, progress in this thread */
  data.loop = g_main_loop_new (NULL, FALSE);
  data.main_thread = g_thread_self ();
  certreq_pending_retrieve_async (fx->store, result->pending_id, on_progress, &data, NULL,
                                  on_retrieved, &data);
  g_main_loop_run (data.loop);
  g_main_loop_unref (data.loop);
  g_assert_no_error (data.error);
  again = data.result;
  g_assert_cmpint (again->status, ==, CERTREQ_SUBMIT_ISSUED);
  g_assert_false (data.wrong_thread);
  g_assert_cmpuint (data.n_progress, >, 0);
  g_assert_nonnull (again->certificate);
  g_assert_nonnull (again->chain);
  g_assert_cmpuint (again->chain->len, ==, 1);
  g_assert_cmpstr (again->ca_id, ==, CERTREQ_LOCAL_CA_ID);
  g_assert_nonnull (again->log_path);

  /* Stored with the request's metadata, key moved, entry gone */
  stored = certreq_store_find_certificate (fx->store,
                                           certreq_certificate_get_thumbprint (again->certificate),
                                           &error);
  g_assert_no_error (error);
  g_assert_true (certreq_store_has_key_for (fx->store, stored));
  meta = certreq_store_get_meta (fx->store, certreq_certificate_get_thumbprint (stored));
  g_assert_nonnull (meta);
  g_assert_cmpstr (meta->friendly_name, ==, "Held front end");
  g_assert_cmpstr (meta->ca_id, ==, CERTREQ_LOCAL_CA_ID);
  g_assert_cmpstr (meta->request_id, ==, result->request_id);
  g_assert_cmpstr (meta->pending_id, ==, result->pending_id);
  g_assert_cmpuint (meta->usages, ==, CERTREQ_USAGE_FLAGS_STANDARD);
  chain = certreq_store_get_chain (fx->store, certreq_certificate_get_thumbprint (stored));
  g_assert_cmpuint (chain->len, ==, 1);
  g_assert_false (pending_dir_exists (fx, result->pending_id));
  g_assert_false (certreq_pending_has_retrievable (fx->store));

  /* The certificate is signed by the lab root (checked with openssl) */
  {
    g_autoptr(CertreqCertificate) root = certreq_ca_local_get_root (ca, &error);
    g_autofree char *root_pem = certreq_certificate_to_pem (root);
    g_autofree char *leaf_pem = certreq_certificate_to_pem (stored);
    g_autofree char *root_path = certwiz_test_write (fx->out_dir, "root.pem", root_pem,
                                                     strlen (root_pem));
    g_autofree char *verified = NULL;

    g_assert_no_error (error);
    verified = certwiz_test_openssl (leaf_pem, strlen (leaf_pem), "verify", "-CAfile",
                                     root_path, "-purpose", "sslserver", NULL);
    g_assert_nonnull (strstr (verified, "OK"));
  }

  key_file = g_build_filename (fx->dir, "pending", result->pending_id, "key.pem", NULL);
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
}

static void
test_hold_deny (Fixture       *fx,
                gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqSubmitResult) again = NULL;
  g_autoptr(CertreqCaLocal) ca = local_ca (fx->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autofree char *reason = NULL;
  CertreqPendingState state;

  result = enroll_held (fx);
  g_assert_true (certreq_ca_local_deny (ca, result->request_id, "Not in the change window",
                                        &error));
  g_assert_no_error (error);
  g_assert_false (certreq_ca_local_approve (ca, result->request_id, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  again = certreq_pending_retrieve (fx->store, result->pending_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_cmpstr (again->reason, ==, "Not in the change window");
  g_assert_null (again->certificate);
  g_clear_pointer (&again, certreq_submit_result_free);

  /* Recorded: state denied with the reason; nothing stored; not retrievable */
  g_assert_true (certreq_store_pending_get_state (fx->store, result->pending_id, &state, &error));
  g_assert_cmpint (state, ==, CERTREQ_PENDING_DENIED);
  g_assert_true (certreq_store_pending_get_info (fx->store, result->pending_id, NULL, NULL,
                                                 &reason, &error));
  g_assert_cmpstr (reason, ==, "Not in the change window");
  g_assert_false (certreq_pending_has_retrievable (fx->store));
  certs = certreq_store_list_certificates (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certs->len, ==, 0);

  /* Asked again, the recorded answer */
  again = certreq_pending_retrieve (fx->store, result->pending_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->status, ==, CERTREQ_SUBMIT_DENIED);
  g_assert_cmpstr (again->reason, ==, "Not in the change window");

  /* Unknown ids are NOT_FOUND */
  g_assert_false (certreq_ca_local_deny (ca, "0123456789ABCDEF", NULL, &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (certreq_ca_local_approve (ca, "../../etc", &error));
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
}

static void
test_hold_survives (Fixture       *fx,
                    gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqSubmitResult) again = NULL;
  g_autoptr(CertreqStore) reopened = NULL;
  g_autoptr(CertreqCaLocal) ca = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;

  result = enroll_held (fx);
  g_clear_object (&fx->store);

  reopened = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);
  ca = local_ca (reopened);
  g_assert_true (certreq_ca_local_get_hold (ca));
  held = certreq_ca_local_list_held (ca, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_true (certreq_pending_has_retrievable (reopened));

  g_assert_true (certreq_ca_local_set_hold (ca, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (certreq_ca_local_get_hold (ca));
  g_clear_object (&ca);
  g_clear_object (&reopened);

  reopened = certreq_store_open (fx->dir, &error);
  g_assert_no_error (error);
  ca = local_ca (reopened);
  g_assert_false (certreq_ca_local_get_hold (ca));

  /* Hold off does not decide what is held */
  again = certreq_pending_retrieve (reopened, result->pending_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->status, ==, CERTREQ_SUBMIT_PENDING);
  g_clear_pointer (&again, certreq_submit_result_free);

  g_assert_true (certreq_ca_local_approve (ca, result->request_id, &error));
  g_assert_no_error (error);
  again = certreq_pending_retrieve (reopened, result->pending_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->status, ==, CERTREQ_SUBMIT_ISSUED);
}

static void
test_clear (Fixture       *fx,
            gconstpointer  unused)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autofree char *key_path = NULL;

  result = enroll_held (fx);
  key_path = g_build_filename (fx->dir, "pending", result->pending_id, "key.pem", NULL);
  g_assert_true (g_file_test (key_path, G_FILE_TEST_IS_REGULAR));

  g_assert_true (certreq_pending_clear (fx->store, result->pending_id, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));
  g_assert_false (pending_dir_exists (fx, result->pending_id));
  infos = certreq_pending_list (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 0);
  g_assert_false (certreq_pending_has_retrievable (fx->store));

  g_assert_false (certreq_pending_clear (fx->store, result->pending_id, &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/pending/request-file-property", test_request_file_property);
  g_test_add ("/certreq/pending/offline", Fixture, NULL, setup, test_offline, teardown);
  g_test_add ("/certreq/pending/offline-bad-file", Fixture, NULL, setup, test_offline_bad_file,
              teardown);
  g_test_add ("/certreq/pending/hold-approve", Fixture, NULL, setup, test_hold_approve,
              teardown);
  g_test_add ("/certreq/pending/hold-deny", Fixture, NULL, setup, test_hold_deny, teardown);
  g_test_add ("/certreq/pending/hold-survives", Fixture, NULL, setup, test_hold_survives,
              teardown);
  g_test_add ("/certreq/pending/clear", Fixture, NULL, setup, test_clear, teardown);

  return g_test_run ();
}
