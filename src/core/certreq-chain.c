/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "certreq-private.h"

/* One failure the verify callback saw */
typedef struct
{
  int   code;
  int   depth;
  X509 *cert;   /* owned; the certificate the failure is about */
} VerifyFailure;

static void
verify_failure_clear (gpointer data)
{
  VerifyFailure *failure = data;

  X509_free (failure->cert);
}

static void
chain_element_free (gpointer data)
{
  CertreqChainElement *element = data;

  g_clear_object (&element->certificate);
  g_free (element);
}

/**
 * certreq_chain_result_free:
 * @result: (nullable): a #CertreqChainResult
 */
void
certreq_chain_result_free (CertreqChainResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->elements, g_ptr_array_unref);
  g_clear_object (&result->problem_certificate);
  g_free (result->missing_issuer);
  g_free (result->message);
  g_free (result);
}

/**
 * certreq_chain_status_to_string:
 * @status: a #CertreqChainStatus
 *
 * Returns: a short translated sentence for @status, as the certification path
 *   shows it for one certificate
 */
const char *
certreq_chain_status_to_string (CertreqChainStatus status)
{
  switch (status)
    {
    case CERTREQ_CHAIN_TRUSTED:
      return _("This certificate is OK.");
    case CERTREQ_CHAIN_UNTRUSTED_ROOT:
      return _("This root certificate is not trusted.");
    case CERTREQ_CHAIN_MISSING_ISSUER:
      return _("The certificate that issued this certificate is missing.");
    case CERTREQ_CHAIN_EXPIRED:
      return _("This certificate has expired.");
    case CERTREQ_CHAIN_NOT_YET_VALID:
      return _("This certificate is not valid yet.");
    case CERTREQ_CHAIN_BAD_SIGNATURE:
      return _("The signature of this certificate is not valid.");
    case CERTREQ_CHAIN_INVALID:
    default:
      return _("This certificate cannot be verified.");
    }
}

/* The OpenSSL verify codes, as measured in reference/protocols.md §6.4 */
static CertreqChainStatus
status_from_code (int code)
{
  switch (code)
    {
    case X509_V_OK:
      return CERTREQ_CHAIN_TRUSTED;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return CERTREQ_CHAIN_MISSING_ISSUER;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
      return CERTREQ_CHAIN_UNTRUSTED_ROOT;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return CERTREQ_CHAIN_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return CERTREQ_CHAIN_NOT_YET_VALID;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
      return CERTREQ_CHAIN_BAD_SIGNATURE;
    default:
      return CERTREQ_CHAIN_INVALID;
    }
}

/* Records every failure and lets verification go on, so that each element of
 * the chain gets its own status (the Certification Path tab shows them all).
 * The overall verdict is the first failure, which is the one OpenSSL would
 * have stopped at. */
static int
verify_cb (int             ok,
           X509_STORE_CTX *ctx)
{
  GArray *failures = X509_STORE_CTX_get_app_data (ctx);
  VerifyFailure failure;

  if (ok)
    return 1;

  failure.code = X509_STORE_CTX_get_error (ctx);
  failure.depth = X509_STORE_CTX_get_error_depth (ctx);
  failure.cert = X509_STORE_CTX_get_current_cert (ctx);
  if (failure.cert != NULL)
    X509_up_ref (failure.cert);
  g_array_append_val (failures, failure);

  return 1;
}

typedef STACK_OF (X509) X509Stack;

static void
x509_stack_free (X509Stack *stack)
{
  sk_X509_pop_free (stack, X509_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509Stack, x509_stack_free)

/* A stack that borrows its certificates */
typedef STACK_OF (X509) BorrowedX509Stack;

static void
borrowed_stack_free (BorrowedX509Stack *stack)
{
  sk_X509_free (stack);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BorrowedX509Stack, borrowed_stack_free)

/* The caller's own object for @x509 where it passed one in, so that elements
 * compare equal by pointer; a new wrapper for certificates from the system trust */
static CertreqCertificate *
wrap_certificate (X509               *x509,
                  CertreqCertificate *leaf,
                  GPtrArray          *untrusted,
                  GPtrArray          *roots)
{
  GPtrArray *lists[] = { untrusted, roots };
  gsize l;
  guint i;

  if (x509 == _certreq_certificate_get_x509 (leaf))
    return g_object_ref (leaf);

  for (l = 0; l < G_N_ELEMENTS (lists); l++)
    for (i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      {
        CertreqCertificate *cert = g_ptr_array_index (lists[l], i);

        if (_certreq_certificate_get_x509 (cert) == x509)
          return g_object_ref (cert);
      }

  X509_up_ref (x509);
  return _certreq_certificate_new_take (x509);
}

static char *
format_date (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (utc);
  /* The same format as the certificate's validity fields */
  return g_date_time_format (local, C_("certificate date format", "%Y-%m-%d %H:%M:%S"));
}

static char *
build_message (CertreqChainResult *result,
               CertreqCertificate *leaf,
               int                 depth,
               int                 code)
{
  CertreqCertificate *cert = result->problem_certificate;
  g_autofree char *name = NULL;
  const char *thumbprint;

  if (result->status == CERTREQ_CHAIN_TRUSTED)
    {
      CertreqChainElement *top = g_ptr_array_index (result->elements, result->elements->len - 1);
      g_autofree char *leaf_name = certreq_certificate_get_subject_name (leaf);
      g_autofree char *root_name = certreq_certificate_get_subject_name (top->certificate);

      /* Translators: %1$s is the certificate's name, %2$s its trusted root's name */
      return g_strdup_printf (_("The certificate “%1$s” is trusted: its chain ends at the "
                                "trusted root certificate “%2$s”."), leaf_name, root_name);
    }

  if (cert == NULL)
    cert = leaf;
  name = certreq_certificate_get_subject_name (cert);
  thumbprint = certreq_certificate_get_thumbprint (cert);

  switch (result->status)
    {
    case CERTREQ_CHAIN_UNTRUSTED_ROOT:
      if (code == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
        /* Translators: %1$s is a certificate's name, %2$s its SHA-1 thumbprint */
        return g_strdup_printf (_("The certificate “%1$s” (thumbprint %2$s) is self-signed "
                                  "and not trusted."), name, thumbprint);
      /* Translators: %1$s is a root certificate's name, %2$s its SHA-1 thumbprint */
      return g_strdup_printf (_("The root certificate “%1$s” (thumbprint %2$s) is not trusted."),
                              name, thumbprint);

    case CERTREQ_CHAIN_MISSING_ISSUER:
      if (depth == 0)
        /* Translators: %1$s is the missing issuer's distinguished name, %2$s the
         * name of the certificate it issued, %3$s that certificate's thumbprint */
        return g_strdup_printf (_("The issuer “%1$s” of “%2$s” (thumbprint %3$s) is missing: "
                                  "import the intermediate certificate."),
                                result->missing_issuer, name, thumbprint);
      /* Translators: %1$s is the missing issuer's distinguished name, %2$s the
       * name of the CA certificate it issued, %3$s that certificate's thumbprint */
      return g_strdup_printf (_("The issuer “%1$s” of “%2$s” (thumbprint %3$s) is missing: "
                                "import the root certificate, or the intermediate certificate "
                                "that issued it."),
                              result->missing_issuer, name, thumbprint);

    case CERTREQ_CHAIN_EXPIRED:
      {
        g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
        g_autofree char *date = format_date (not_after);

        /* Translators: %1$s is a certificate's name, %2$s its thumbprint, %3$s a date */
        return g_strdup_printf (_("The certificate “%1$s” (thumbprint %2$s) expired on %3$s."),
                                name, thumbprint, date);
      }

    case CERTREQ_CHAIN_NOT_YET_VALID:
      {
        g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (cert);
        g_autofree char *date = format_date (not_before);

        /* Translators: %1$s is a certificate's name, %2$s its thumbprint, %3$s a date */
        return g_strdup_printf (_("The certificate “%1$s” (thumbprint %2$s) is not valid "
                                  "before %3$s."), name, thumbprint, date);
      }

    case CERTREQ_CHAIN_BAD_SIGNATURE:
      {
        g_autofree char *issuer = certreq_certificate_get_issuer_name (cert);

        /* Translators: %1$s is a certificate's name, %2$s its thumbprint, %3$s
         * the name of the CA that should have signed it */
        return g_strdup_printf (_("The signature of the certificate “%1$s” (thumbprint %2$s) "
                                  "is not valid: it was altered, or not issued by “%3$s”."),
                                name, thumbprint, issuer);
      }

    case CERTREQ_CHAIN_TRUSTED:
    case CERTREQ_CHAIN_INVALID:
    default:
      /* Translators: %1$s is a certificate's name, %2$s its thumbprint, %3$s
       * OpenSSL's (English) reason */
      return g_strdup_printf (_("The certificate “%1$s” (thumbprint %2$s) cannot be used: %3$s."),
                              name, thumbprint, X509_verify_cert_error_string (code));
    }
}

/**
 * certreq_chain_verify:
 * @leaf: the certificate to verify
 * @untrusted: (nullable) (element-type CertreqCertificate): intermediates that may be used
 * @roots: (nullable) (element-type CertreqCertificate): trust anchors
 * @use_system_trust: also trust the operating system's default CA store
 * @when: (nullable): verification time, %NULL for now
 * @error: return location for a #GError
 *
 * Builds @leaf's chain and verifies signatures, validity periods and CA
 * constraints up to a trust anchor. The extended key usage is not checked
 * here: assignment checks it per usage.
 *
 * Returns: (transfer full): the result (also when the chain does not verify),
 *   or %NULL with @error set on an internal error
 */
CertreqChainResult *
certreq_chain_verify (CertreqCertificate *leaf,
                      GPtrArray          *untrusted,
                      GPtrArray          *roots,
                      gboolean            use_system_trust,
                      GDateTime          *when,
                      GError            **error)
{
  /* Declared first, so freed after the context that uses them */
  g_autoptr(BorrowedX509Stack) intermediates = NULL;
  g_autoptr(X509_STORE) store = NULL;
  g_autoptr(X509_STORE_CTX) ctx = NULL;
  g_autoptr(X509Stack) chain_stack = NULL;
  g_autoptr(GArray) failures = NULL;
  g_autoptr(CertreqChainResult) result = NULL;
  X509_VERIFY_PARAM *param;
  const VerifyFailure *first = NULL;
  int rc, num_untrusted, n, i;
  guint f;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (leaf), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ERR_clear_error ();
  store = X509_STORE_new ();
  ctx = X509_STORE_CTX_new ();
  intermediates = sk_X509_new_null ();
  if (store == NULL || ctx == NULL || intermediates == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate chain could not be verified."));
      return NULL;
    }

  if (use_system_trust && !X509_STORE_set_default_paths (store))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The system’s trusted certificates could not be loaded."));
      return NULL;
    }

  for (f = 0; roots != NULL && f < roots->len; f++)
    {
      X509 *x509 = _certreq_certificate_get_x509 (g_ptr_array_index (roots, f));

      /* A duplicate of a system root is not an error */
      if (!X509_STORE_add_cert (store, x509))
        ERR_clear_error ();
    }

  for (f = 0; untrusted != NULL && f < untrusted->len; f++)
    sk_X509_push (intermediates, _certreq_certificate_get_x509 (g_ptr_array_index (untrusted, f)));

  failures = g_array_new (FALSE, FALSE, sizeof (VerifyFailure));
  g_array_set_clear_func (failures, verify_failure_clear);

  if (!X509_STORE_CTX_init (ctx, store, _certreq_certificate_get_x509 (leaf), intermediates))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate chain could not be verified."));
      return NULL;
    }
  X509_STORE_CTX_set_app_data (ctx, failures);
  X509_STORE_CTX_set_verify_cb (ctx, verify_cb);
  param = X509_STORE_CTX_get0_param (ctx);
  if (when != NULL)
    X509_VERIFY_PARAM_set_time (param, (time_t) g_date_time_to_unix (when));

  rc = X509_verify_cert (ctx);
  if (rc < 0 || (rc == 0 && failures->len == 0))
    {
      int code = X509_STORE_CTX_get_error (ctx);

      if (code == X509_V_OK)
        {
              _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("The certificate chain could not be verified."));
          return NULL;
        }
      /* A failure the callback did not see: record it like the others */
      {
        VerifyFailure failure = { code, X509_STORE_CTX_get_error_depth (ctx),
                                  X509_STORE_CTX_get_current_cert (ctx) };

        if (failure.cert != NULL)
          X509_up_ref (failure.cert);
        g_array_append_val (failures, failure);
      }
    }

  /* Even on failure, the chain as far as it could be built */
  chain_stack = X509_STORE_CTX_get1_chain (ctx);
  num_untrusted = X509_STORE_CTX_get_num_untrusted (ctx);

  result = g_new0 (CertreqChainResult, 1);
  result->elements = g_ptr_array_new_with_free_func (chain_element_free);
  result->status = CERTREQ_CHAIN_TRUSTED;
  result->openssl_code = X509_V_OK;

  n = chain_stack != NULL ? sk_X509_num (chain_stack) : 0;
  for (i = 0; i < n; i++)
    {
      CertreqChainElement *element = g_new0 (CertreqChainElement, 1);

      element->certificate = wrap_certificate (sk_X509_value (chain_stack, i), leaf,
                                               untrusted, roots);
      element->status = CERTREQ_CHAIN_TRUSTED;
      /* Certificates past the untrusted part came from the trust store */
      element->trusted_root = i >= num_untrusted;
      if (element->certificate == NULL)
        {
          chain_element_free (element);
          continue;
        }
      g_ptr_array_add (result->elements, element);
    }
  if (result->elements->len == 0)
    {
      CertreqChainElement *element = g_new0 (CertreqChainElement, 1);

      element->certificate = g_object_ref (leaf);
      g_ptr_array_add (result->elements, element);
    }

  /* Each element's own status is the first failure at its depth */
  for (f = failures->len; f > 0; f--)
    {
      const VerifyFailure *failure = &g_array_index (failures, VerifyFailure, f - 1);

      if (failure->depth >= 0 && (guint) failure->depth < result->elements->len)
        {
          CertreqChainElement *element = g_ptr_array_index (result->elements, failure->depth);

          element->status = status_from_code (failure->code);
        }
    }

  if (failures->len > 0)
    {
      first = &g_array_index (failures, VerifyFailure, 0);
      result->status = status_from_code (first->code);
      result->openssl_code = first->code;

      if (first->depth >= 0 && (guint) first->depth < result->elements->len)
        {
          CertreqChainElement *element = g_ptr_array_index (result->elements, first->depth);

          result->problem_certificate = g_object_ref (element->certificate);
        }
      else if (first->cert != NULL)
        result->problem_certificate = wrap_certificate (first->cert, leaf, untrusted, roots);

      if (result->status == CERTREQ_CHAIN_MISSING_ISSUER)
        result->missing_issuer = certreq_certificate_get_issuer (result->problem_certificate != NULL
                                                                 ? result->problem_certificate
                                                                 : leaf);
    }

  result->message = build_message (result, leaf, first != NULL ? first->depth : 0,
                                   result->openssl_code);

  return g_steal_pointer (&result);
}
