/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "certwiz-test-utils.h"

typedef struct
{
  char           *dir;
  CertreqServer  *server;
  CertreqStore   *store;
  CertreqRequest *request;
} Fixture;

static void
setup (Fixture       *fx,
       gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqCaClient) ca = NULL;
  g_autoptr(CertreqCertificate) root = NULL;
  const char *sip[] = { "example.org", NULL };

  g_unsetenv ("CERTWIZ_TEST_NOW");
  fx->dir = certwiz_test_mkdtemp ();
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

  ca = certreq_ca_local_new (fx->store);
  root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (ca), &error);
  g_assert_no_error (error);
  g_assert_true (certreq_store_trust_add (fx->store, root, TRUE, &error));
  g_assert_no_error (error);

  fx->request = certreq_request_new (fx->server);
  certreq_request_set_ca_id (fx->request, CERTREQ_LOCAL_CA_ID);
  certreq_request_set_friendly_name (fx->request, "Front end");
  certreq_request_set_key_type (fx->request, CERTREQ_KEY_TYPE_EC_P256);
  certreq_request_set_organization (fx->request, "Contoso");
  certreq_request_set_country (fx->request, "DE");
}

static void
teardown (Fixture       *fx,
          gconstpointer  unused)
{
  g_unsetenv ("CERTWIZ_TEST_NOW");
  g_clear_object (&fx->request);
  g_clear_object (&fx->store);
  g_clear_object (&fx->server);
  certwiz_test_rmrf (fx->dir);
  g_free (fx->dir);
}

/* Issues a certificate from the lab CA and assigns it to @usages */
static CertreqCertificate *
issue_and_assign (Fixture           *fx,
                  CertreqUsageFlags  usages)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = certreq_enroll (fx->store, fx->request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, CERTREQ_SUBMIT_ISSUED);
  if (usages != CERTREQ_USAGE_FLAG_NONE)
    {
      g_assert_true (certreq_assign (fx->store, result->certificate, usages, NULL, &error));
      g_assert_no_error (error);
    }
  return g_object_ref (result->certificate);
}

static void
set_test_now (GDateTime *base,
              int        days)
{
  g_autoptr(GDateTime) when = g_date_time_add_days (base, days);
  g_autofree char *text = g_date_time_format_iso8601 (when);

  g_setenv ("CERTWIZ_TEST_NOW", text, TRUE);
}

/* A certificate valid for @days days from now, made by openssl */
static CertreqCertificate *
openssl_certificate (int days)
{
  g_autofree char *dir = certwiz_test_mkdtemp ();
  g_autofree char *key = g_build_filename (dir, "k.pem", NULL);
  g_autofree char *days_text = g_strdup_printf ("%d", days);
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  CertreqCertificate *cert;

  pem = certwiz_test_openssl (NULL, 0, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                              "-subj", "/CN=due.example.com", "-days", days_text, NULL);
  cert = certreq_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  certwiz_test_rmrf (dir);
  return cert;
}

static void
assert_lead_days (CertreqCertificate *cert,
                  int                 due_days,
                  double              expected_days)
{
  g_autoptr(GDateTime) due = certreq_renewal_get_due_time (cert, due_days);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
  double lead = (double) g_date_time_difference (not_after, due) / G_TIME_SPAN_DAY;

  g_assert_cmpfloat_with_epsilon (lead, expected_days, 0.01);
}

/* The default rule: a third of the lifetime, at most 30 days; --due DAYS replaces it */
static void
test_due_rule (void)
{
  g_autoptr(CertreqCertificate) nine = openssl_certificate (9);
  g_autoptr(CertreqCertificate) ninety = openssl_certificate (90);
  g_autoptr(CertreqCertificate) long_lived = openssl_certificate (397);

  assert_lead_days (nine, CERTREQ_RENEWAL_RULE_DEFAULT, 3.0);
  assert_lead_days (ninety, CERTREQ_RENEWAL_RULE_DEFAULT, 30.0);
  assert_lead_days (long_lived, CERTREQ_RENEWAL_RULE_DEFAULT, 30.0);
  assert_lead_days (long_lived, 45, 45.0);
  assert_lead_days (nine, 0, 0.0);
}

static void
test_backoff (void)
{
  g_assert_cmpint (certreq_renewal_backoff (1), ==, G_TIME_SPAN_HOUR);
  g_assert_cmpint (certreq_renewal_backoff (2), ==, 2 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (certreq_renewal_backoff (4), ==, 8 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (certreq_renewal_backoff (6), ==, G_TIME_SPAN_DAY);
  g_assert_cmpint (certreq_renewal_backoff (100), ==, G_TIME_SPAN_DAY);
}

/* The request is kept with the profile of its time: a later profile change does not
 * change what a renewal asks for */
static void
test_origin_keeps_names (Fixture       *fx,
                         gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = issue_and_assign (fx, CERTREQ_USAGE_FLAG_NONE);
  g_autoptr(CertreqRequest) origin = NULL;
  g_autoptr(CertreqServer) changed = certreq_server_copy (fx->server);
  g_auto(GStrv) before = certreq_request_get_names (fx->request);
  g_auto(GStrv) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  certreq_server_set_web_internal_fqdn (changed, "other.corp.example.com");
  g_assert_true (certreq_store_save_server (fx->store, changed, &error));
  g_assert_no_error (error);

  origin = certreq_store_load_origin (fx->store, certreq_certificate_get_thumbprint (cert),
                                      &error);
  g_assert_no_error (error);
  after = certreq_request_get_names (origin);
  g_assert_cmpstrv (after, before);
  g_assert_cmpint (certreq_request_get_key_type (origin), ==, CERTREQ_KEY_TYPE_EC_P256);
  g_assert_cmpstr (certreq_request_get_organization (origin), ==, "Contoso");
  g_assert_cmpstr (certreq_request_get_ca_id (origin), ==, CERTREQ_LOCAL_CA_ID);

  /* Public, and without the account name */
  path = g_strdup_printf ("%s/meta/%s.request.ini", fx->dir,
                          certreq_certificate_get_thumbprint (cert));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\nusername=\n"));
}

static void
test_imported_not_renewable (Fixture       *fx,
                             gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) cert = openssl_certificate (30);
  g_autoptr(CertreqRequest) origin = NULL;
  g_autoptr(CertreqRenewalStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (certreq_store_add_certificate (fx->store, cert, NULL, NULL, &error));
  g_assert_no_error (error);
  origin = certreq_store_load_origin (fx->store, certreq_certificate_get_thumbprint (cert),
                                      &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND);
  g_assert_null (origin);

  /* 30 days of life: due with 10 days left, or under --due 40 now */
  status = certreq_renewal_get_status (fx->store, cert, CERTREQ_RENEWAL_RULE_DEFAULT, NULL);
  g_assert_false (status->renewable);
  g_assert_cmpint (status->state, ==, CERTREQ_RENEWAL_STATE_OK);
  g_clear_pointer (&status, certreq_renewal_status_free);
  status = certreq_renewal_get_status (fx->store, cert, 40, NULL);
  g_assert_cmpint (status->state, ==, CERTREQ_RENEWAL_STATE_DUE);
}

/* ok → due → renewed; the new one serves the old one's usages; the old one says
 * "renewed" and is never renewed again */
static void
test_renew_lifecycle (Fixture       *fx,
                      gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) old = issue_and_assign (fx, CERTREQ_USAGE_FLAG_DEFAULT |
                                                            CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  g_autoptr(GDateTime) base = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) late = g_date_time_add_days (base, 385);
  g_autoptr(CertreqRenewalStatus) status = NULL;
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autoptr(CertreqCertificate) renewed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *web_internal = NULL;
  const char *thumbprint = certreq_certificate_get_thumbprint (old);

  status = certreq_renewal_get_status (fx->store, old, CERTREQ_RENEWAL_RULE_DEFAULT, base);
  g_assert_cmpint (status->state, ==, CERTREQ_RENEWAL_STATE_OK);
  g_assert_true (status->renewable);
  g_assert_cmpint (status->assigned, ==, CERTREQ_USAGE_FLAG_DEFAULT |
                                         CERTREQ_USAGE_FLAG_WEB_EXTERNAL);
  g_assert_false (certreq_renewal_status_needs_attention (status, base));
  g_clear_pointer (&status, certreq_renewal_status_free);

  /* 12 days left: due, and the desktop should hear of it */
  status = certreq_renewal_get_status (fx->store, old, CERTREQ_RENEWAL_RULE_DEFAULT, late);
  g_assert_cmpint (status->state, ==, CERTREQ_RENEWAL_STATE_DUE);
  g_assert_cmpint (status->days_left, <=, CERTREQ_RENEWAL_NOTIFY_DAYS);
  g_assert_true (certreq_renewal_status_needs_attention (status, late));
  g_clear_pointer (&status, certreq_renewal_status_free);

  /* Not due today: nothing happens */
  result = certreq_renew_certificate (fx->store, thumbprint, NULL, CERTREQ_RENEWAL_RULE_DEFAULT,
                                      CERTREQ_RENEW_FLAG_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CERTREQ_RENEW_NOT_DUE);
  g_assert_null (result->new_thumbprint);
  g_clear_pointer (&result, certreq_renew_result_free);

  set_test_now (base, 385);
  result = certreq_renew_certificate (fx->store, thumbprint, NULL, CERTREQ_RENEWAL_RULE_DEFAULT,
                                      CERTREQ_RENEW_FLAG_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CERTREQ_RENEW_RENEWED);
  g_assert_nonnull (result->new_thumbprint);
  g_assert_cmpstr (result->new_thumbprint, !=, thumbprint);
  g_assert_cmpint (result->reassigned, ==, CERTREQ_USAGE_FLAG_DEFAULT |
                                           CERTREQ_USAGE_FLAG_WEB_EXTERNAL);

  renewed = certreq_store_find_certificate (fx->store, result->new_thumbprint, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certreq_certificate_get_key_id (renewed), !=,
                   certreq_certificate_get_key_id (old));
  {
    g_autofree char *current = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_DEFAULT);

    g_assert_cmpstr (current, ==, result->new_thumbprint);
  }
  /* A usage the old certificate did not serve stays unassigned */
  web_internal = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_null (web_internal);

  status = certreq_renewal_get_status (fx->store, old, CERTREQ_RENEWAL_RULE_DEFAULT, NULL);
  g_assert_cmpint (status->state, ==, CERTREQ_RENEWAL_STATE_RENEWED);
  g_assert_cmpstr (status->record->renewed_by, ==, result->new_thumbprint);
  g_clear_pointer (&status, certreq_renewal_status_free);
  g_clear_pointer (&result, certreq_renew_result_free);

  /* Renewing the old one again does nothing */
  result = certreq_renew_certificate (fx->store, thumbprint, NULL, CERTREQ_RENEWAL_RULE_DEFAULT,
                                      CERTREQ_RENEW_FLAG_FORCE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CERTREQ_RENEW_ALREADY_RENEWED);
}

/* A denied renewal: the error says the old one keeps serving, the record has the
 * reason and a next attempt an hour later, and a run before then backs off */
static void
test_renew_denied (Fixture       *fx,
                   gconstpointer  unused)
{
  g_autoptr(CertreqCertificate) old = issue_and_assign (fx, CERTREQ_USAGE_FLAG_WEB_INTERNAL);
  g_autoptr(CertreqCaClient) ca = certreq_ca_local_new (fx->store);
  g_autoptr(GDateTime) base = g_date_time_new_now_utc ();
  g_autoptr(CertreqRenewResult) result = NULL;
  g_autoptr(CertreqRenewalRecord) record = NULL;
  g_autoptr(CertreqRenewalStatus) status = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;
  const char *thumbprint = certreq_certificate_get_thumbprint (old);

  set_test_now (base, 385);
  g_assert_true (certreq_ca_local_set_hold (CERTREQ_CA_LOCAL (ca), TRUE, &error));
  result = certreq_renew_certificate (fx->store, thumbprint, NULL, CERTREQ_RENEWAL_RULE_DEFAULT,
                                      CERTREQ_RENEW_FLAG_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CERTREQ_RENEW_WAITING);
  g_assert_nonnull (result->pending_id);
  g_clear_pointer (&result, certreq_renew_result_free);

  status = certreq_renewal_get_status (fx->store, old, CERTREQ_RENEWAL_RULE_DEFAULT, NULL);
  g_assert_cmpint (status->state, ==, CERTREQ_RENEWAL_STATE_WAITING);
  g_clear_pointer (&status, certreq_renewal_status_free);

  held = certreq_ca_local_list_held (CERTREQ_CA_LOCAL (ca), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_true (certreq_ca_local_deny (CERTREQ_CA_LOCAL (ca),
                                        held->pdata[0],
                                        "no renewals on Fridays", &error));
  g_assert_no_error (error);

  result = certreq_renew_certificate (fx->store, thumbprint, NULL, CERTREQ_RENEWAL_RULE_DEFAULT,
                                      CERTREQ_RENEW_FLAG_NONE, NULL, NULL, NULL, &error);
  g_assert_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED);
  g_assert_nonnull (strstr (error->message, "no renewals on Fridays"));
  g_assert_null (result);
  g_clear_error (&error);

  current = certreq_store_get_assigned (fx->store, CERTREQ_USAGE_WEB_INTERNAL);
  g_assert_cmpstr (current, ==, thumbprint);
  record = certreq_store_get_renewal_record (fx->store, thumbprint);
  g_assert_cmpuint (record->failures, ==, 1);
  g_assert_null (record->pending_id);
  g_assert_nonnull (strstr (record->last_error, "no renewals on Fridays"));
  g_assert_nonnull (record->next_attempt);

  status = certreq_renewal_get_status (fx->store, old, CERTREQ_RENEWAL_RULE_DEFAULT, NULL);
  g_assert_cmpint (status->state, ==, CERTREQ_RENEWAL_STATE_FAILED);
  g_assert_true (certreq_renewal_status_needs_attention (status, NULL));

  result = certreq_renew_certificate (fx->store, thumbprint, NULL, CERTREQ_RENEWAL_RULE_DEFAULT,
                                      CERTREQ_RENEW_FLAG_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, CERTREQ_RENEW_BACKING_OFF);
  g_assert_nonnull (result->next_attempt);
}

int
main (int    argc,
      char **argv)
{
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/renew/due-rule", test_due_rule);
  g_test_add_func ("/certreq/renew/backoff", test_backoff);
  g_test_add ("/certreq/renew/origin-keeps-names", Fixture, NULL, setup,
              test_origin_keeps_names, teardown);
  g_test_add ("/certreq/renew/imported-not-renewable", Fixture, NULL, setup,
              test_imported_not_renewable, teardown);
  g_test_add ("/certreq/renew/lifecycle", Fixture, NULL, setup, test_renew_lifecycle, teardown);
  g_test_add ("/certreq/renew/denied", Fixture, NULL, setup, test_renew_denied, teardown);

  return g_test_run ();
}
