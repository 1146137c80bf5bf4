/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "certreq-private.h"
#include "certreq-ca-private.h"

/* ---- Stages ---- */

static const char * const stage_labels[CERTREQ_N_SUBMIT_STAGES] = {
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Generating the private key"),
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Saving the request"),
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Connecting to the certification authority"),
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Authenticating"),
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Submitting the request"),
  /* Translators: a stage of a certificate request: the CA checks that we control the names */
  N_("Proving control of the names"),
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Waiting for the certification authority"),
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Downloading the certificate"),
  /* Translators: a stage of a certificate request, shown under a progress bar */
  N_("Storing the certificate"),
};

/**
 * certreq_submit_stage_get_label:
 * @stage: a #CertreqSubmitStage
 *
 * Returns: the translated label of @stage, e.g. "Generating the private key"
 */
const char *
certreq_submit_stage_get_label (CertreqSubmitStage stage)
{
  g_return_val_if_fail ((guint) stage < CERTREQ_N_SUBMIT_STAGES, NULL);

  return _(stage_labels[stage]);
}

static const char * const stage_ids[CERTREQ_N_SUBMIT_STAGES] = {
  "generating-key", "saving-request", "connecting", "authenticating", "submitting",
  "proving-control", "waiting", "downloading", "storing",
};

/**
 * certreq_submit_stage_to_id:
 * @stage: a #CertreqSubmitStage
 *
 * Returns: the stage's stable id, e.g. "generating-key" (the helper's JSON lines)
 */
const char *
certreq_submit_stage_to_id (CertreqSubmitStage stage)
{
  g_return_val_if_fail ((guint) stage < CERTREQ_N_SUBMIT_STAGES, NULL);

  return stage_ids[stage];
}

/**
 * certreq_submit_stage_from_id:
 * @id: a stage id from certreq_submit_stage_to_id()
 * @out_stage: (out): the stage
 *
 * Returns: %TRUE when @id names a stage
 */
gboolean
certreq_submit_stage_from_id (const char         *id,
                              CertreqSubmitStage *out_stage)
{
  guint i;

  for (i = 0; id != NULL && i < CERTREQ_N_SUBMIT_STAGES; i++)
    if (g_str_equal (id, stage_ids[i]))
      {
        *out_stage = (CertreqSubmitStage) i;
        return TRUE;
      }

  return FALSE;
}

/* ---- Results ---- */

/**
 * certreq_submit_result_new:
 * @status: what the CA said
 *
 * Returns: (transfer full): an empty result with @status
 */
CertreqSubmitResult *
certreq_submit_result_new (CertreqSubmitStatus status)
{
  CertreqSubmitResult *result = g_new0 (CertreqSubmitResult, 1);

  result->status = status;
  return result;
}

/**
 * certreq_submit_result_copy:
 * @result: a #CertreqSubmitResult
 *
 * Returns: (transfer full): a deep copy of @result
 */
CertreqSubmitResult *
certreq_submit_result_copy (const CertreqSubmitResult *result)
{
  CertreqSubmitResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = certreq_submit_result_new (result->status);
  copy->ca_id = g_strdup (result->ca_id);
  copy->ca_name = g_strdup (result->ca_name);
  copy->request_id = g_strdup (result->request_id);
  copy->certificate = result->certificate != NULL ? g_object_ref (result->certificate) : NULL;
  if (result->chain != NULL)
    {
      guint i;

      copy->chain = g_ptr_array_new_with_free_func (g_object_unref);
      for (i = 0; i < result->chain->len; i++)
        g_ptr_array_add (copy->chain, g_object_ref (g_ptr_array_index (result->chain, i)));
    }
  copy->reason = g_strdup (result->reason);
  copy->pending_id = g_strdup (result->pending_id);
  copy->log_path = g_strdup (result->log_path);
  copy->request_file = g_strdup (result->request_file);

  return copy;
}

/**
 * certreq_submit_result_free:
 * @result: (nullable): a #CertreqSubmitResult
 */
void
certreq_submit_result_free (CertreqSubmitResult *result)
{
  if (result == NULL)
    return;

  g_free (result->ca_id);
  g_free (result->ca_name);
  g_free (result->request_id);
  g_clear_object (&result->certificate);
  g_clear_pointer (&result->chain, g_ptr_array_unref);
  g_free (result->reason);
  g_free (result->pending_id);
  g_free (result->log_path);
  g_free (result->request_file);
  g_free (result);
}

/* ---- Progress relay (STYLE.md §6.2), shared with certreq-enroll.c ---- */

struct _CertreqProgressRelay
{
  CertreqProgressFunc  progress;        /* called only in the task's context */
  gpointer             progress_data;
  GTask               *task;            /* unowned: the task owns the relay */
  /* The worker's own thread-default context; see report_from_worker() */
  GMainContext        *worker_context;

  GMutex               lock;            /* guards @queued and the queued values */
  struct _Delivery    *queued;          /* the last delivery not run yet, or NULL */
};

/* One report on its way to the task's context. Reports of the same stage coalesce into
 * the one still queued (a fraction moving on); a new stage always gets its own, so that
 * every stage reaches the caller, in order (--json-progress prints each one). */
typedef struct _Delivery
{
  GTask                *task;           /* owned */
  CertreqProgressRelay *relay;          /* owned by the task's data */
  CertreqSubmitStage    stage;          /* these three under relay->lock while queued */
  char                 *detail;
  double                fraction;
} Delivery;

CertreqProgressRelay *
_certreq_progress_relay_new (CertreqProgressFunc progress,
                             gpointer            progress_data)
{
  CertreqProgressRelay *relay = g_new0 (CertreqProgressRelay, 1);

  relay->progress = progress;
  relay->progress_data = progress_data;
  g_mutex_init (&relay->lock);
  return relay;
}

void
_certreq_progress_relay_free (CertreqProgressRelay *relay)
{
  if (relay == NULL)
    return;

  g_mutex_clear (&relay->lock);
  g_clear_pointer (&relay->worker_context, g_main_context_unref);
  g_free (relay);
}

void
_certreq_progress_relay_attach (CertreqProgressRelay *relay,
                                GTask                *task)
{
  g_return_if_fail (relay != NULL);
  g_return_if_fail (G_IS_TASK (task));

  relay->task = task;
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_mutex_lock (&delivery->relay->lock);
  if (delivery->relay->queued == delivery)
    delivery->relay->queued = NULL;
  g_mutex_unlock (&delivery->relay->lock);
  g_object_unref (delivery->task);
  g_free (delivery->detail);
  g_free (delivery);
}

static gboolean
deliver_progress (gpointer user_data)                   /* main context */
{
  Delivery *delivery = user_data;
  CertreqProgressRelay *relay = delivery->relay;
  g_autofree char *detail = NULL;
  CertreqSubmitStage stage;
  double fraction;

  g_mutex_lock (&relay->lock);
  if (relay->queued == delivery)
    relay->queued = NULL;
  stage = delivery->stage;
  fraction = delivery->fraction;
  detail = g_steal_pointer (&delivery->detail);
  g_mutex_unlock (&relay->lock);

  /* A report that lost the race with completion or cancellation is dropped */
  if (!g_task_get_completed (delivery->task) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (delivery->task)))
    relay->progress (stage, detail, fraction, relay->progress_data);

  return G_SOURCE_REMOVE;
}

static void
report_from_worker (CertreqSubmitStage  stage,
                    const char         *detail,
                    double              fraction,
                    gpointer            user_data)        /* worker thread */
{
  CertreqProgressRelay *relay = user_data;
  Delivery *delivery = NULL;

  g_return_if_fail (relay->task != NULL);

  g_mutex_lock (&relay->lock);
  if (relay->queued != NULL && relay->queued->stage == stage)
    {
      /* coalesce: the same stage, still queued, takes the newer detail and fraction */
      relay->queued->fraction = fraction;
      g_free (relay->queued->detail);
      relay->queued->detail = g_strdup (detail);
    }
  else
    {
      delivery = g_new0 (Delivery, 1);
      delivery->task = g_object_ref (relay->task);
      delivery->relay = relay;
      delivery->stage = stage;
      delivery->detail = g_strdup (detail);
      delivery->fraction = fraction;
      relay->queued = delivery;
    }
  g_mutex_unlock (&relay->lock);

  if (delivery != NULL)
    {
      /* g_main_context_invoke_full() runs the function right here when the target is
       * this thread's default context and it can acquire it: a worker without a
       * thread-default context counts the global default as its own, so a task
       * started on the global default context would get its progress in the worker
       * whenever the main thread is between iterations. With a private
       * thread-default context pushed, the report is always queued to the caller. */
      if (relay->worker_context == NULL)
        relay->worker_context = g_main_context_new ();
      g_main_context_push_thread_default (relay->worker_context);
      g_main_context_invoke_full (g_task_get_context (relay->task), G_PRIORITY_DEFAULT,
                                  deliver_progress, delivery, delivery_free);
      g_main_context_pop_thread_default (relay->worker_context);
    }
}

CertreqProgressFunc
_certreq_progress_relay_get_func (CertreqProgressRelay *relay)
{
  return relay != NULL && relay->progress != NULL ? report_from_worker : NULL;
}

/* ---- CertreqCaClient ---- */

typedef struct
{
  char         *id;
  char         *name;
  CertreqStore *store;
  char         *username;   /* from the request's account page, or NULL */
  char         *password;   /* wiped when replaced or freed */
  CertreqKey   *request_key;  /* the request being submitted or retrieved, or NULL */
  GBytes       *request_csr;
  CertreqCertificate *renewal_cert;  /* the certificate the request replaces, or NULL */
  CertreqKey   *renewal_key;         /* its key */
} CertreqCaClientPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (CertreqCaClient, certreq_ca_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
certreq_ca_client_finalize (GObject *object)
{
  CertreqCaClient *self = CERTREQ_CA_CLIENT (object);
  CertreqCaClientPrivate *priv = certreq_ca_client_get_instance_private (self);

  g_free (priv->id);
  g_free (priv->name);
  g_clear_object (&priv->store);
  g_free (priv->username);
  if (priv->password != NULL)
    OPENSSL_cleanse (priv->password, strlen (priv->password));
  g_free (priv->password);
  g_clear_object (&priv->request_key);
  g_clear_pointer (&priv->request_csr, g_bytes_unref);
  g_clear_object (&priv->renewal_cert);
  g_clear_object (&priv->renewal_key);

  G_OBJECT_CLASS (certreq_ca_client_parent_class)->finalize (object);
}

static void
certreq_ca_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CertreqCaClient *self = CERTREQ_CA_CLIENT (object);
  CertreqCaClientPrivate *priv = certreq_ca_client_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certreq_ca_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CertreqCaClient *self = CERTREQ_CA_CLIENT (object);
  CertreqCaClientPrivate *priv = certreq_ca_client_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (priv->id);
      priv->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      g_free (priv->name);
      priv->name = g_value_dup_string (value);
      break;
    case PROP_STORE:
      g_clear_object (&priv->store);
      priv->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
certreq_ca_client_class_init (CertreqCaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = certreq_ca_client_finalize;
  object_class->get_property = certreq_ca_client_get_property;
  object_class->set_property = certreq_ca_client_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CERTREQ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
certreq_ca_client_init (CertreqCaClient *self)
{
}

/**
 * certreq_ca_client_new_for_id:
 * @store: the store the CA works with
 * @ca_id: a CA id: "local" (the built-in lab CA), the name of a CA configured in
 *   cas.ini, or a URL (its protocol is detected: blocking network traffic)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the client for @ca_id, or %NULL with a
 *   %CERTREQ_ERROR_NOT_FOUND error for an unknown id or a protocol this build lacks,
 *   or the detection's error for a URL
 */
CertreqCaClient *
certreq_ca_client_new_for_id (CertreqStore  *store,
                              const char    *ca_id,
                              GError       **error)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strcmp0 (ca_id, CERTREQ_LOCAL_CA_ID) == 0)
    return certreq_ca_local_new (store);
#ifdef CERTREQ_HAVE_CA_CONFIG
  if (ca_id != NULL && *ca_id != '\0')
    return _certreq_ca_client_new_configured (store, ca_id, error);
#endif

  /* Translators: %s is the identifier of a certification authority */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
               _("There is no certification authority called “%s”."),
               ca_id != NULL ? ca_id : "");
  return NULL;
}

/**
 * certreq_ca_client_get_id:
 * @self: a #CertreqCaClient
 *
 * Returns: the CA's stable id, e.g. "local"
 */
const char *
certreq_ca_client_get_id (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->id;
}

/**
 * certreq_ca_client_get_name:
 * @self: a #CertreqCaClient
 *
 * Returns: the translated display name of the CA
 */
const char *
certreq_ca_client_get_name (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->name;
}

/**
 * certreq_ca_client_set_credentials:
 * @self: a #CertreqCaClient
 * @username: (nullable): the account's user name
 * @password: (nullable): its password (copied; the copy is wiped when replaced)
 *
 * The credentials the admin typed on the account page for this request; a protocol
 * uses them before any configured in cas.ini.
 */
void
certreq_ca_client_set_credentials (CertreqCaClient *self,
                                   const char      *username,
                                   const char      *password)
{
  CertreqCaClientPrivate *priv;

  g_return_if_fail (CERTREQ_IS_CA_CLIENT (self));
  priv = certreq_ca_client_get_instance_private (self);

  g_free (priv->username);
  priv->username = g_strdup (username);
  if (priv->password != NULL)
    OPENSSL_cleanse (priv->password, strlen (priv->password));
  g_free (priv->password);
  priv->password = g_strdup (password);
}

const char *
certreq_ca_client_get_username (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->username;
}

const char *
certreq_ca_client_get_password (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->password;
}

/**
 * certreq_ca_client_get_store:
 * @self: a #CertreqCaClient
 *
 * Returns: (transfer none): the store the client was made for
 */
CertreqStore *
certreq_ca_client_get_store (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->store;
}

/*
 * _certreq_ca_client_set_request_key:
 * @self: a #CertreqCaClient
 * @key: (nullable): the request's private key
 * @csr_der: (nullable): the request's PKCS#10, DER
 *
 * Gives the protocol the request's own key and CSR: SCEP signs its messages with
 * that key and needs the CSR's subject when it polls.
 */
void
_certreq_ca_client_set_request_key (CertreqCaClient *self,
                                    CertreqKey      *key,
                                    GBytes          *csr_der)
{
  CertreqCaClientPrivate *priv;

  g_return_if_fail (CERTREQ_IS_CA_CLIENT (self));
  g_return_if_fail (key == NULL || CERTREQ_IS_KEY (key));
  priv = certreq_ca_client_get_instance_private (self);

  g_set_object (&priv->request_key, key);
  g_clear_pointer (&priv->request_csr, g_bytes_unref);
  priv->request_csr = csr_der != NULL ? g_bytes_ref (csr_der) : NULL;
}

CertreqKey *
_certreq_ca_client_get_request_key (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->request_key;
}

GBytes *
_certreq_ca_client_get_request_csr (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->request_csr;
}

/*
 * _certreq_ca_client_set_renewal:
 * @self: a #CertreqCaClient
 * @old_cert: (nullable): the certificate the request renews
 * @old_key: (nullable): @old_cert's private key
 *
 * Tells the protocol that the request renews @old_cert, for the protocols that
 * renew differently from a first request (SCEP RenewalReq, EST simplereenroll,
 * ACME "replaces").
 */
void
_certreq_ca_client_set_renewal (CertreqCaClient    *self,
                                CertreqCertificate *old_cert,
                                CertreqKey         *old_key)
{
  CertreqCaClientPrivate *priv;

  g_return_if_fail (CERTREQ_IS_CA_CLIENT (self));
  g_return_if_fail (old_cert == NULL || CERTREQ_IS_CERTIFICATE (old_cert));
  g_return_if_fail (old_key == NULL || CERTREQ_IS_KEY (old_key));
  priv = certreq_ca_client_get_instance_private (self);

  g_set_object (&priv->renewal_cert, old_cert);
  g_set_object (&priv->renewal_key, old_key);
}

CertreqCertificate *
_certreq_ca_client_get_renewal_certificate (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->renewal_cert;
}

CertreqKey *
_certreq_ca_client_get_renewal_key (CertreqCaClient *self)
{
  CertreqCaClientPrivate *priv;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  priv = certreq_ca_client_get_instance_private (self);
  return priv->renewal_key;
}

/**
 * certreq_ca_client_get_renewal_window:
 * @self: a #CertreqCaClient
 * @cert: a certificate this CA issued
 * @out_start: (out): start of the window the CA suggests, UTC
 * @out_end: (out): its end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks the CA when it wants @cert renewed (ACME Renewal Information, RFC 9773).
 * Protocols without such a thing return %FALSE and leave @error unset: the store's
 * own rule applies then.
 *
 * Returns: %TRUE when the CA gave a window
 */
gboolean
certreq_ca_client_get_renewal_window (CertreqCaClient     *self,
                                      CertreqCertificate  *cert,
                                      GDateTime          **out_start,
                                      GDateTime          **out_end,
                                      GCancellable        *cancellable,
                                      GError             **error)
{
  CertreqCaClientClass *klass;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), FALSE);
  g_return_val_if_fail (out_start != NULL && out_end != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_start = NULL;
  *out_end = NULL;
  klass = CERTREQ_CA_CLIENT_GET_CLASS (self);
  if (klass->get_renewal_window == NULL)
    return FALSE;
  if (!klass->get_renewal_window (self, cert, out_start, out_end, cancellable, error))
    {
      g_clear_pointer (out_start, g_date_time_unref);
      g_clear_pointer (out_end, g_date_time_unref);
      return FALSE;
    }
  g_return_val_if_fail (*out_start != NULL && *out_end != NULL, FALSE);
  return TRUE;
}

/**
 * certreq_ca_client_submit:
 * @self: a #CertreqCaClient
 * @csr_der: the PKCS#10 request, DER
 * @template_name: (nullable): the certificate template to ask for
 * @progress: (nullable): called in the calling thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends the request and waits for what the CA says. Blocking.
 *
 * Returns: (transfer full): issued, pending or denied; %NULL with @error set
 *   for failures (network, protocol, cancelled)
 */
CertreqSubmitResult *
certreq_ca_client_submit (CertreqCaClient      *self,
                          GBytes               *csr_der,
                          const char           *template_name,
                          CertreqProgressFunc   progress,
                          gpointer              progress_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  CertreqCaClientClass *klass;
  CertreqSubmitResult *result;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  g_return_val_if_fail (csr_der != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = CERTREQ_CA_CLIENT_GET_CLASS (self);
  g_return_val_if_fail (klass->submit != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  result = klass->submit (self, csr_der, template_name, progress, progress_data,
                          cancellable, error);
  if (result == NULL)
    return NULL;

  if (result->ca_id == NULL)
    result->ca_id = g_strdup (certreq_ca_client_get_id (self));
  if (result->ca_name == NULL)
    result->ca_name = g_strdup (certreq_ca_client_get_name (self));

  return result;
}

typedef struct
{
  GBytes               *csr_der;        /* ref; immutable */
  char                 *template_name;
  CertreqProgressRelay *relay;
} SubmitData;

static void
submit_data_free (gpointer data)
{
  SubmitData *submit = data;

  g_bytes_unref (submit->csr_der);
  g_free (submit->template_name);
  _certreq_progress_relay_free (submit->relay);
  g_free (submit);
}

static void
submit_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SubmitData *data = task_data;
  g_autoptr(GError) error = NULL;
  CertreqSubmitResult *result;

  result = certreq_ca_client_submit (CERTREQ_CA_CLIENT (source_object), data->csr_der,
                                     data->template_name,
                                     _certreq_progress_relay_get_func (data->relay),
                                     data->relay, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) certreq_submit_result_free);
}

/**
 * certreq_ca_client_submit_async:
 * @self: a #CertreqCaClient
 * @csr_der: the PKCS#10 request, DER
 * @template_name: (nullable): the certificate template to ask for
 * @progress: (nullable): called in the caller's thread-default main context
 * @progress_data: data for @progress; must stay valid until @callback runs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the CA has answered
 * @user_data: data for @callback
 *
 * Runs certreq_ca_client_submit() in a worker thread.
 */
void
certreq_ca_client_submit_async (CertreqCaClient      *self,
                                GBytes               *csr_der,
                                const char           *template_name,
                                CertreqProgressFunc   progress,
                                gpointer              progress_data,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SubmitData *data;

  g_return_if_fail (CERTREQ_IS_CA_CLIENT (self));
  g_return_if_fail (csr_der != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SubmitData, 1);
  data->csr_der = g_bytes_ref (csr_der);
  data->template_name = g_strdup (template_name);
  data->relay = _certreq_progress_relay_new (progress, progress_data);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, certreq_ca_client_submit_async);
  g_task_set_task_data (task, data, submit_data_free);
  _certreq_progress_relay_attach (data->relay, task);
  /* return-on-cancel stays FALSE: the worker finishes cleaning up before the task completes */
  g_task_run_in_thread (task, submit_thread);
}

/**
 * certreq_ca_client_submit_finish:
 * @self: a #CertreqCaClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what the CA said, or %NULL with @error set
 */
CertreqSubmitResult *
certreq_ca_client_submit_finish (CertreqCaClient  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, certreq_ca_client_submit_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * certreq_ca_client_retrieve:
 * @self: a #CertreqCaClient
 * @request_id: the CA's id of a request it held
 * @progress: (nullable): called with each stage, in the calling thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks the CA again about a request it answered with PENDING. Runs in any
 * thread. A CA that never holds requests gives a %CERTREQ_ERROR_NOT_FOUND error.
 *
 * Returns: (transfer full): what the CA says now, with ca_id and ca_name set;
 *   %NULL with @error set on failure
 */
CertreqSubmitResult *
certreq_ca_client_retrieve (CertreqCaClient      *self,
                            const char           *request_id,
                            CertreqProgressFunc   progress,
                            gpointer              progress_data,
                            GCancellable         *cancellable,
                            GError              **error)
{
  CertreqCaClientClass *klass;
  CertreqSubmitResult *result;

  g_return_val_if_fail (CERTREQ_IS_CA_CLIENT (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = CERTREQ_CA_CLIENT_GET_CLASS (self);
  if (klass->retrieve == NULL)
    {
      /* Translators: %s is the display name of a certification authority */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The certification authority “%s” does not keep requests for a later "
                     "retrieval."),
                   certreq_ca_client_get_name (self));
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  result = klass->retrieve (self, request_id, progress, progress_data, cancellable, error);
  if (result == NULL)
    return NULL;

  if (result->ca_id == NULL)
    result->ca_id = g_strdup (certreq_ca_client_get_id (self));
  if (result->ca_name == NULL)
    result->ca_name = g_strdup (certreq_ca_client_get_name (self));
  if (result->request_id == NULL)
    result->request_id = g_strdup (request_id);

  return result;
}
