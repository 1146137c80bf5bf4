/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq-ca.h"
#include "certreq-request.h"
#include "certreq-store.h"

G_BEGIN_DECLS

/* DESIGN "Renewal": a certificate is due when a third of its lifetime is left, at
 * most 30 days before it expires; --due DAYS replaces that rule with "DAYS or fewer
 * days left". An ACME CA's renewal window (RFC 9773) replaces the default rule. */
#define CERTREQ_RENEWAL_RULE_DEFAULT -1
#define CERTREQ_RENEWAL_MAX_DAYS 30
/* The desktop is told about certificates due within this many days */
#define CERTREQ_RENEWAL_NOTIFY_DAYS 14

typedef enum
{
  CERTREQ_RENEWAL_STATE_OK,        /* valid and not due yet */
  CERTREQ_RENEWAL_STATE_DUE,       /* inside its renewal period */
  CERTREQ_RENEWAL_STATE_FAILED,    /* due, and the last renewal attempt failed */
  CERTREQ_RENEWAL_STATE_WAITING,   /* a renewal request waits at the CA */
  CERTREQ_RENEWAL_STATE_EXPIRED,   /* no longer valid */
  CERTREQ_RENEWAL_STATE_RENEWED,   /* replaced by a newer certificate */
} CertreqRenewalState;

/* Stable ids for scripts ("ok", "due", "failed", "waiting", "expired", "renewed") */
const char *certreq_renewal_state_to_id    (CertreqRenewalState state);
/* Translated, for the main window's status column ("Due for renewal", …) */
const char *certreq_renewal_state_get_label (CertreqRenewalState state);

/* Now, in UTC. The environment variable CERTWIZ_TEST_NOW (ISO 8601) moves this clock
 * for tests: it decides what is due and when to retry, never whether a certificate
 * is valid. */
GDateTime  *certreq_renewal_now            (void);

/* When @cert becomes due under @due_days (CERTREQ_RENEWAL_RULE_DEFAULT or a number of
 * days). Returns: (transfer full) */
GDateTime  *certreq_renewal_get_due_time   (CertreqCertificate *cert,
                                            int                 due_days);

typedef struct
{
  char                 *thumbprint;
  CertreqRenewalState   state;
  GDateTime            *not_after;
  GDateTime            *due;          /* when it is (or was) due */
  gint64                days_left;    /* whole days until it expires (negative: expired) */
  CertreqUsageFlags     assigned;     /* the usages it serves now */
  gboolean              renewable;    /* Certwiz knows the request it came from */
  char                 *ca_id;        /* the CA a renewal goes to, or NULL */
  CertreqRenewalRecord *record;       /* failures, waiting request, successor */
} CertreqRenewalStatus;

void certreq_renewal_status_free (CertreqRenewalStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqRenewalStatus, certreq_renewal_status_free)

/* Never goes to the network. @now: (nullable): certreq_renewal_now() when NULL */
CertreqRenewalStatus *certreq_renewal_get_status (CertreqStore       *store,
                                                  CertreqCertificate *cert,
                                                  int                 due_days,
                                                  GDateTime          *now);
/* Every certificate of the store, soonest expiry first.
 * Returns: (transfer full) (element-type CertreqRenewalStatus) */
GPtrArray  *certreq_renewal_list           (CertreqStore       *store,
                                            int                 due_days,
                                            GDateTime          *now,
                                            GError            **error);
/* TRUE when @status deserves the admin's attention on the desktop: it failed, it
 * expired while still assigned, or it is due within CERTREQ_RENEWAL_NOTIFY_DAYS and
 * nothing renews it by itself before then. */
gboolean    certreq_renewal_status_needs_attention (const CertreqRenewalStatus *status,
                                                    GDateTime                  *now);

typedef enum
{
  CERTREQ_RENEW_FLAG_NONE           = 0,
  CERTREQ_RENEW_FLAG_FORCE          = 1 << 0,  /* renew even when not due */
  CERTREQ_RENEW_FLAG_REUSE_KEY      = 1 << 1,  /* keep the old certificate's key */
  CERTREQ_RENEW_FLAG_DRY_RUN        = 1 << 2,  /* decide and report, change nothing */
  CERTREQ_RENEW_FLAG_IGNORE_BACKOFF = 1 << 3,  /* retry now even after recent failures */
} CertreqRenewFlags;

typedef enum
{
  CERTREQ_RENEW_NOT_DUE,       /* nothing to do yet */
  CERTREQ_RENEW_BACKING_OFF,   /* failed recently; the next attempt is later */
  CERTREQ_RENEW_WOULD_RENEW,   /* dry run: it is due */
  CERTREQ_RENEW_RENEWED,       /* issued and reassigned */
  CERTREQ_RENEW_WAITING,       /* the CA holds the renewal request */
  CERTREQ_RENEW_ALREADY_RENEWED, /* a newer certificate replaced it */
} CertreqRenewOutcome;

const char *certreq_renew_outcome_to_id    (CertreqRenewOutcome outcome);

typedef struct
{
  char               *thumbprint;       /* the certificate renewed */
  CertreqRenewOutcome outcome;
  char               *new_thumbprint;   /* RENEWED / ALREADY_RENEWED */
  CertreqUsageFlags   reassigned;       /* RENEWED: the usages now served by the new one */
  char               *pending_id;       /* WAITING: the pending/<ID> */
  GDateTime          *due;              /* when it is due */
  GDateTime          *next_attempt;     /* BACKING_OFF: not before */
  char               *message;          /* translated: what happened, one sentence */
  char               *log_path;         /* the operation's log, when it changed anything */
} CertreqRenewResult;

void certreq_renew_result_free (CertreqRenewResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqRenewResult, certreq_renew_result_free)

/* Renews one certificate when it is due (or with FORCE): re-requests it from the same
 * CA with the request it came from (or @request, e.g. the GUI's edited copy; its
 * "replaces" is set to @thumbprint), with a new key unless REUSE_KEY, then reassigns
 * exactly the usages the old certificate serves, with every assignment check and the
 * live check. A renewal the CA holds is retrieved by the next call; an issued one
 * whose assignment failed is reassigned by the next call. A failure is recorded
 * (meta/<THUMBPRINT>.renewal.ini: reason, back-off) and returned as @error; the old
 * certificate keeps serving every usage.
 * Returns: (transfer full): what happened, or %NULL with @error set */
CertreqRenewResult *certreq_renew_certificate (CertreqStore         *store,
                                               const char           *thumbprint,
                                               CertreqRequest       *request,
                                               int                   due_days,
                                               CertreqRenewFlags     flags,
                                               CertreqProgressFunc   progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GError              **error);
/* @request (nullable) is copied before the worker starts */
void                certreq_renew_certificate_async  (CertreqStore         *store,
                                               const char           *thumbprint,
                                               CertreqRequest       *request,
                                               int                   due_days,
                                               CertreqRenewFlags     flags,
                                               CertreqProgressFunc   progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CertreqRenewResult *certreq_renew_certificate_finish (GAsyncResult      *result,
                                               GError              **error);

/* The wait after @failures failed attempts: 1 h, 2 h, 4 h, … at most 24 h */
GTimeSpan   certreq_renewal_backoff        (guint               failures);

G_END_DECLS
