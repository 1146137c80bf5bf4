/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "certreq-certificate.h"

G_BEGIN_DECLS

typedef struct _CertreqStore CertreqStore;

/* Protocol-neutral stages (STYLE.md §6); the first two and the last belong to the
 * whole request operation (certreq-enroll), the rest to the CA exchange. */
typedef enum
{
  CERTREQ_SUBMIT_STAGE_GENERATING_KEY,
  CERTREQ_SUBMIT_STAGE_SAVING_REQUEST,
  CERTREQ_SUBMIT_STAGE_CONNECTING,
  CERTREQ_SUBMIT_STAGE_AUTHENTICATING,
  CERTREQ_SUBMIT_STAGE_SUBMITTING,
  CERTREQ_SUBMIT_STAGE_PROVING_CONTROL,
  CERTREQ_SUBMIT_STAGE_WAITING,
  CERTREQ_SUBMIT_STAGE_DOWNLOADING,
  CERTREQ_SUBMIT_STAGE_STORING,
} CertreqSubmitStage;

#define CERTREQ_N_SUBMIT_STAGES 9

/* Translated, e.g. "Generating the private key" */
const char *certreq_submit_stage_get_label (CertreqSubmitStage stage);
/* Stable ids for scripts and the privileged helper's JSON lines: "generating-key", … */
const char *certreq_submit_stage_to_id     (CertreqSubmitStage  stage);
gboolean    certreq_submit_stage_from_id   (const char         *id,
                                            CertreqSubmitStage *out_stage);

/* @fraction is 0.0–1.0 within the whole operation, or -1 when unknown;
 * @detail is a translated phrase, or NULL */
typedef void (*CertreqProgressFunc) (CertreqSubmitStage  stage,
                                     const char         *detail,
                                     double              fraction,
                                     gpointer            user_data);

typedef enum
{
  CERTREQ_SUBMIT_ISSUED,
  CERTREQ_SUBMIT_PENDING,
  CERTREQ_SUBMIT_DENIED,
} CertreqSubmitStatus;

typedef struct
{
  CertreqSubmitStatus  status;
  char                *ca_id;
  char                *ca_name;       /* translated display name of the CA */
  char                *request_id;    /* the CA's request id, may be NULL */
  CertreqCertificate  *certificate;   /* ISSUED only */
  GPtrArray           *chain;         /* ISSUED only: issuer first (element-type CertreqCertificate) */
  char                *reason;        /* DENIED: the CA's reason */
  char                *pending_id;    /* the store's pending/<ID> (set by certreq-enroll) */
  char                *log_path;      /* the operation's log (set by certreq-enroll) */
  char                *request_file;  /* offline requests: the PKCS#10 PEM file written */
} CertreqSubmitResult;

CertreqSubmitResult *certreq_submit_result_new  (CertreqSubmitStatus status);
CertreqSubmitResult *certreq_submit_result_copy (const CertreqSubmitResult *result);
void                 certreq_submit_result_free (CertreqSubmitResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqSubmitResult, certreq_submit_result_free)

#define CERTREQ_TYPE_CA_CLIENT (certreq_ca_client_get_type ())
G_DECLARE_DERIVABLE_TYPE (CertreqCaClient, certreq_ca_client, CERTREQ, CA_CLIENT, GObject)

struct _CertreqCaClientClass
{
  GObjectClass parent_class;

  /* Runs in any thread; must honour @cancellable */
  CertreqSubmitResult *(*submit) (CertreqCaClient      *self,
                                  GBytes               *csr_der,
                                  const char           *template_name,
                                  CertreqProgressFunc   progress,
                                  gpointer              progress_data,
                                  GCancellable         *cancellable,
                                  GError              **error);

  /* Asks the CA again about a request it held (@request_id is the CA's id).
   * NULL: the CA never holds requests (NOT_FOUND error from the wrapper). */
  CertreqSubmitResult *(*retrieve) (CertreqCaClient      *self,
                                    const char           *request_id,
                                    CertreqProgressFunc   progress,
                                    gpointer              progress_data,
                                    GCancellable         *cancellable,
                                    GError              **error);

  /* The CA's own renewal window for @cert (ACME Renewal Information, RFC 9773):
   * TRUE with both times set when the CA gives one; FALSE without @error when it
   * gives none. NULL: the protocol has no such thing. Runs in any thread. */
  gboolean (*get_renewal_window) (CertreqCaClient      *self,
                                  CertreqCertificate   *cert,
                                  GDateTime           **out_start,
                                  GDateTime           **out_end,
                                  GCancellable         *cancellable,
                                  GError              **error);

  gpointer padding[6];
};

/* Ids: "local" (the built-in lab CA), a CA configured in cas.ini, or a URL (protocol
 * detected, see certreq-ca-config.h). NOT_FOUND for any other. */
CertreqCaClient     *certreq_ca_client_new_for_id    (CertreqStore         *store,
                                                      const char           *ca_id,
                                                      GError              **error);
const char          *certreq_ca_client_get_id        (CertreqCaClient      *self);
/* Translated display name, e.g. "Built-in lab CA (Certwiz)" */
const char          *certreq_ca_client_get_name      (CertreqCaClient      *self);
/* The account page's credentials for this request (copied; the password is wiped
 * when replaced or freed). Protocols prefer them to those configured in cas.ini. */
void                 certreq_ca_client_set_credentials (CertreqCaClient    *self,
                                                        const char         *username,
                                                        const char         *password);
const char          *certreq_ca_client_get_username  (CertreqCaClient      *self);
const char          *certreq_ca_client_get_password  (CertreqCaClient      *self);
/* The store the client belongs to (borrowed) */
CertreqStore        *certreq_ca_client_get_store     (CertreqCaClient      *self);

CertreqSubmitResult *certreq_ca_client_submit        (CertreqCaClient      *self,
                                                      GBytes               *csr_der,
                                                      const char           *template_name,
                                                      CertreqProgressFunc   progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
void                 certreq_ca_client_submit_async  (CertreqCaClient      *self,
                                                      GBytes               *csr_der,
                                                      const char           *template_name,
                                                      CertreqProgressFunc   progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CertreqSubmitResult *certreq_ca_client_submit_finish (CertreqCaClient      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

CertreqSubmitResult *certreq_ca_client_retrieve      (CertreqCaClient      *self,
                                                      const char           *request_id,
                                                      CertreqProgressFunc   progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

/* TRUE with @out_start / @out_end (UTC) when the CA says when to renew @cert;
 * FALSE without @error when it says nothing (most protocols), FALSE with @error when
 * asking failed. Blocking. */
gboolean             certreq_ca_client_get_renewal_window (CertreqCaClient    *self,
                                                      CertreqCertificate   *cert,
                                                      GDateTime           **out_start,
                                                      GDateTime           **out_end,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

G_END_DECLS
