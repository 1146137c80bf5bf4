/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "certreq-private.h"
#include "certreq-ca-private.h"
#include "certreq-ca-scep.h"

/* SCEP, RFC 8894. The message layers of a PKIOperation, outside in:
 *   SignedData (signer: a transient self-signed certificate over the request's key;
 *               signed attributes messageType, transactionID, senderNonce)
 *     EnvelopedData (to the RA's or CA's certificate, AES or 3DES)
 *       PKCS#10 (PKCSReq) or IssuerAndSubject (CertPoll)
 * The CertRep comes back the same way: signed by the CA or RA (pkiStatus, failInfo,
 * recipientNonce), enveloped to our signer certificate, holding a certs-only PKCS#7
 * with the issued certificate.
 * A renewal (the request replaces a certificate of the store) is a RenewalReq when the
 * CA lists "Renewal" in GetCACaps (§3.5.2): signed by the certificate being renewed and
 * its key instead of the transient certificate (§2.3, §3.3.1.2), and so is its
 * CertPoll; the CertRep is then enveloped to that certificate. Without "Renewal", or
 * when the old certificate cannot sign (expired, not RSA), it is a PKCSReq as usual. */

#define SCEP_OID_MESSAGE_TYPE    "2.16.840.1.113733.1.9.2"
#define SCEP_OID_PKI_STATUS      "2.16.840.1.113733.1.9.3"
#define SCEP_OID_FAIL_INFO       "2.16.840.1.113733.1.9.4"
#define SCEP_OID_SENDER_NONCE    "2.16.840.1.113733.1.9.5"
#define SCEP_OID_RECIPIENT_NONCE "2.16.840.1.113733.1.9.6"
#define SCEP_OID_TRANSACTION_ID  "2.16.840.1.113733.1.9.7"
#define SCEP_OID_FAIL_INFO_TEXT  "1.3.6.1.5.5.7.24.1"     /* RFC 8894 §3.2.1.4.5 */

#define SCEP_MESSAGE_CERT_REP  "3"
#define SCEP_MESSAGE_PKCS_REQ  "19"
#define SCEP_MESSAGE_RENEWAL_REQ "17"
#define SCEP_MESSAGE_CERT_POLL "20"

#define SCEP_NONCE_LENGTH 16
#define TRANSIENT_CERT_DAYS 7

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CMS_ContentInfo, CMS_ContentInfo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_OBJECT, ASN1_OBJECT_free)

static void
x509_stack_free (STACK_OF (X509) *stack)
{
  sk_X509_pop_free (stack, X509_free);
}

typedef STACK_OF (X509) CertreqX509Stack;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqX509Stack, x509_stack_free)

struct _CertreqCaScep
{
  CertreqCaClient  parent_instance;

  char            *url;                      /* the endpoint, without a query */
  char            *host;                     /* for messages */
  char            *trust_bundle;
  char            *challenge_password_file;
};

G_DEFINE_FINAL_TYPE (CertreqCaScep, certreq_ca_scep, CERTREQ_TYPE_CA_CLIENT)

/* What GetCACaps said, and what we chose from it */
typedef struct
{
  gboolean post;          /* POSTPKIOperation */
  gboolean renewal;
  gboolean scep_standard;
  gboolean sha1;
  gboolean sha256;
  gboolean sha512;
  gboolean aes;
  gboolean des3;
} ScepCaps;

/* One exchange with the CA: its certificates and our transient identity */
typedef struct
{
  CertreqCaScep    *self;
  CertreqHttp      *http;
  ScepCaps          caps;
  const EVP_MD     *md;
  const EVP_CIPHER *cipher;
  STACK_OF (X509)  *ca_certs;      /* everything GetCACert returned */
  X509             *recipient;     /* borrowed from ca_certs: the encryption certificate */
  X509             *issuer;        /* borrowed from ca_certs: the issuing CA */
  EVP_PKEY         *pkey;          /* borrowed from the request's key */
  X509             *transient;     /* our self-signed certificate over pkey */
  X509             *signer;        /* borrowed: transient, or the certificate renewed */
  EVP_PKEY         *signer_key;    /* borrowed: pkey, or the renewed certificate's key */
  gboolean          renewal;       /* RenewalReq: signed by the certificate renewed */
  char             *transaction_id;
  guint8            nonce[SCEP_NONCE_LENGTH];
  CertreqProgressFunc progress;
  gpointer          progress_data;
} ScepExchange;

static void
scep_exchange_clear (ScepExchange *ex)
{
  g_clear_object (&ex->http);
  g_clear_pointer (&ex->ca_certs, x509_stack_free);
  g_clear_pointer (&ex->transient, X509_free);
  g_clear_pointer (&ex->transaction_id, g_free);
  OPENSSL_cleanse (ex->nonce, sizeof ex->nonce);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScepExchange, scep_exchange_clear)

static void
report (ScepExchange       *ex,
        CertreqSubmitStage  stage,
        const char         *detail,
        double              fraction)
{
  if (ex->progress != NULL)
    ex->progress (stage, detail, fraction, ex->progress_data);
}

/* ---- GObject ---- */

static void
certreq_ca_scep_finalize (GObject *object)
{
  CertreqCaScep *self = CERTREQ_CA_SCEP (object);

  g_free (self->url);
  g_free (self->host);
  g_free (self->trust_bundle);
  g_free (self->challenge_password_file);

  G_OBJECT_CLASS (certreq_ca_scep_parent_class)->finalize (object);
}

static CertreqSubmitResult *certreq_ca_scep_submit   (CertreqCaClient      *client,
                                                      GBytes               *csr_der,
                                                      const char           *template_name,
                                                      CertreqProgressFunc   progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
static CertreqSubmitResult *certreq_ca_scep_retrieve (CertreqCaClient      *client,
                                                      const char           *request_id,
                                                      CertreqProgressFunc   progress,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

static void
certreq_ca_scep_class_init (CertreqCaScepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CertreqCaClientClass *client_class = CERTREQ_CA_CLIENT_CLASS (klass);

  object_class->finalize = certreq_ca_scep_finalize;
  client_class->submit = certreq_ca_scep_submit;
  client_class->retrieve = certreq_ca_scep_retrieve;
}

static void
certreq_ca_scep_init (CertreqCaScep *self)
{
}

/**
 * certreq_ca_scep_new:
 * @store: the store the CA works with
 * @config: the CA's configuration (protocol SCEP), copied
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a SCEP client for @config, or %NULL with an
 *   %CERTREQ_ERROR_INVALID_SUBJECT error when its URL is not an http(s) URL
 */
CertreqCaClient *
certreq_ca_scep_new (CertreqStore          *store,
                     const CertreqCaConfig *config,
                     GError               **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  CertreqCaScep *self;
  const char *scheme;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (config->url != NULL)
    uri = g_uri_parse (config->url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      /* Translators: %1$s is a CA's name, %2$s the URL configured for it */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The SCEP address “%2$s” of the certification authority %1$s is not "
                     "an http or https URL; enter the address of its SCEP service, for "
                     "example http://ndes.example.com/certsrv/mscep/mscep.dll."),
                   config->name != NULL ? config->name : "",
                   config->url != NULL ? config->url : "");
      return NULL;
    }

  /* The operation goes into the query, which SCEP owns: drop one the URL carries */
  url = g_uri_to_string_partial (uri, G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);

  self = g_object_new (CERTREQ_TYPE_CA_SCEP,
                       "id", config->name,
                       "name", config->name != NULL ? config->name : g_uri_get_host (uri),
                       "store", store,
                       NULL);
  self->url = g_steal_pointer (&url);
  self->host = g_strdup (g_uri_get_host (uri));
  self->trust_bundle = g_strdup (config->trust_bundle);
  self->challenge_password_file = g_strdup (config->challenge_password_file);

  return CERTREQ_CA_CLIENT (self);
}

/* ---- Small helpers ---- */

static const char *
ca_name (CertreqCaScep *self)
{
  return certreq_ca_client_get_name (CERTREQ_CA_CLIENT (self));
}

static GBytes *
bytes_take_openssl (unsigned char *data,
                    int            length)
{
  GBytes *bytes;

  if (data == NULL || length < 0)
    return NULL;
  bytes = g_bytes_new (data, (gsize) length);
  OPENSSL_free (data);
  return bytes;
}

static GBytes *
cms_to_der (CMS_ContentInfo *cms)
{
  unsigned char *der = NULL;
  int length = i2d_CMS_ContentInfo (cms, &der);

  return bytes_take_openssl (der, length);
}

static CMS_ContentInfo *
cms_from_der (GBytes *der)
{
  gsize length = 0;
  const unsigned char *p = g_bytes_get_data (der, &length);

  if (length == 0 || length > G_MAXINT)
    return NULL;
  return d2i_CMS_ContentInfo (NULL, &p, (long) length);
}

/* A DER SEQUENCE around @content (IssuerAndSubject) */
static GBytes *
der_sequence (const guint8 *content,
              gsize         length)
{
  GByteArray *out = g_byte_array_sized_new (length + 6);
  guint8 header[6];
  gsize n = 0;

  header[n++] = 0x30;
  if (length < 0x80)
    header[n++] = (guint8) length;
  else if (length < 0x100)
    {
      header[n++] = 0x81;
      header[n++] = (guint8) length;
    }
  else if (length < 0x10000)
    {
      header[n++] = 0x82;
      header[n++] = (guint8) (length >> 8);
      header[n++] = (guint8) length;
    }
  else
    {
      header[n++] = 0x83;
      header[n++] = (guint8) (length >> 16);
      header[n++] = (guint8) (length >> 8);
      header[n++] = (guint8) length;
    }
  g_byte_array_append (out, header, (guint) n);
  g_byte_array_append (out, content, (guint) length);
  return g_byte_array_free_to_bytes (out);
}

static void
set_protocol_error (GError        **error,
                    CertreqCaScep  *self,
                    const char     *what)
{
  /* Translators: %1$s is a CA's name, %2$s its host, %3$s what was wrong (a sentence) */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
               _("The SCEP service of the certification authority %1$s (%2$s) answered "
                 "something Certwiz cannot use: %3$s Check that the address is the CA's "
                 "SCEP endpoint."),
               ca_name (self), self->host, what);
}

/* The challenge password configured for the CA (cas.ini's challenge-password-file),
 * read here until certreq_ca_config_get_secret() is on main. NULL when none is
 * configured. Wipe the result. */
static char *
read_configured_challenge (CertreqCaScep  *self,
                           GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  char *end;

  if (self->challenge_password_file == NULL || *self->challenge_password_file == '\0')
    return NULL;

  if (!g_file_get_contents (self->challenge_password_file, &contents, &length, &local_error))
    {
      /* Translators: %1$s is a file name, %2$s a CA's name, %3$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("Could not read the challenge password file %1$s of the certification "
                     "authority %2$s: %3$s"),
                   self->challenge_password_file, ca_name (self), local_error->message);
      return NULL;
    }

  /* One line; the newline an editor adds is not part of the password */
  end = strpbrk (contents, "\r\n");
  if (end != NULL)
    *end = '\0';
  if (*contents == '\0')
    {
      OPENSSL_cleanse (contents, length);
      return NULL;
    }

  end = g_strdup (contents);
  OPENSSL_cleanse (contents, length);
  return end;
}

/* ---- GetCACaps ---- */

static CertreqHttpResponse *
http_get (ScepExchange  *ex,
          const char    *operation,
          const char    *message,        /* nullable, already escaped */
          GCancellable  *cancellable,
          GError       **error)
{
  g_autofree char *url = NULL;

  url = g_strdup_printf ("%s?operation=%s%s%s", ex->self->url, operation,
                         message != NULL ? "&message=" : "", message != NULL ? message : "");
  return certreq_http_request (ex->http, "GET", url, NULL, NULL, NULL, cancellable, error);
}

static void
parse_caps (const char *text,
            ScepCaps   *caps)
{
  g_auto(GStrv) lines = g_strsplit_set (text, "\r\n", -1);
  char **line;

  memset (caps, 0, sizeof *caps);
  for (line = lines; *line != NULL; line++)
    {
      const char *cap = g_strstrip (*line);

      if (g_ascii_strcasecmp (cap, "POSTPKIOperation") == 0)
        caps->post = TRUE;
      else if (g_ascii_strcasecmp (cap, "Renewal") == 0)
        caps->renewal = TRUE;
      else if (g_ascii_strcasecmp (cap, "SCEPStandard") == 0)
        caps->scep_standard = TRUE;
      else if (g_ascii_strcasecmp (cap, "SHA-1") == 0)
        caps->sha1 = TRUE;
      else if (g_ascii_strcasecmp (cap, "SHA-256") == 0)
        caps->sha256 = TRUE;
      else if (g_ascii_strcasecmp (cap, "SHA-512") == 0)
        caps->sha512 = TRUE;
      else if (g_ascii_strcasecmp (cap, "AES") == 0)
        caps->aes = TRUE;
      else if (g_ascii_strcasecmp (cap, "DES3") == 0)
        caps->des3 = TRUE;
    }

  /* RFC 8894 §3.5.2: SCEPStandard promises AES, SHA-256 and POSTPKIOperation */
  if (caps->scep_standard)
    caps->aes = caps->sha256 = caps->post = TRUE;
}

static void read_ca_caps (ScepExchange        *ex,
                          CertreqHttpResponse *response);

static gboolean
get_ca_caps (ScepExchange  *ex,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(CertreqHttpResponse) response = NULL;

  response = http_get (ex, "GetCACaps", NULL, cancellable, error);
  if (response == NULL)
    return FALSE;
  read_ca_caps (ex, response);
  return TRUE;
}

static void
read_ca_caps (ScepExchange        *ex,
              CertreqHttpResponse *response)
{
  g_autofree char *text = NULL;

  /* A CA without GetCACaps (404, or an error page) is an old one: no capabilities */
  if (response->status == 200)
    text = certreq_http_response_dup_text (response);
  parse_caps (text != NULL ? text : "", &ex->caps);

  /* The strongest the CA offers; never MD5 or single DES */
  if (ex->caps.sha512)
    ex->md = EVP_sha512 ();
  else if (ex->caps.sha256 || !ex->caps.sha1)
    ex->md = EVP_sha256 ();
  else
    ex->md = EVP_sha1 ();
  /* RFC 8894 §3.5.2: the "AES" capability means AES-128-CBC; a strict CA (NDES)
   * refuses any other key length */
  if (ex->caps.aes)
    ex->cipher = EVP_aes_128_cbc ();
  else
    ex->cipher = EVP_des_ede3_cbc ();

  g_debug ("SCEP %s: GetCACaps %u: %s%s%s%s, digest %s, cipher %s", ex->self->host,
           response->status, ex->caps.post ? "POSTPKIOperation " : "",
           ex->caps.renewal ? "Renewal " : "", ex->caps.scep_standard ? "SCEPStandard " : "",
           ex->caps.aes ? "AES" : (ex->caps.des3 ? "DES3" : ""),
           EVP_MD_get0_name (ex->md), EVP_CIPHER_get0_name (ex->cipher));
}

/* ---- GetCACert ---- */

static gboolean
is_ca_cert (X509 *cert)
{
  return X509_check_ca (cert) != 0;
}

static gboolean
can_encrypt_to (X509 *cert)
{
  /* No keyUsage extension: any use */
  if ((X509_get_extension_flags (cert) & EXFLAG_KUSAGE) == 0)
    return TRUE;
  return (X509_get_key_usage (cert) & (KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT)) != 0;
}

/* The CA that issues: among the CA certificates, the one that issued an RA certificate,
 * else the one that issued none of the others (the bottom of a CA chain). */
static X509 *
find_issuing_ca (STACK_OF (X509) *certs,
                 X509            *ra)
{
  int i, j;

  if (ra != NULL)
    for (i = 0; i < sk_X509_num (certs); i++)
      {
        X509 *ca = sk_X509_value (certs, i);

        if (is_ca_cert (ca) && X509_check_issued (ca, ra) == X509_V_OK)
          return ca;
      }

  for (i = 0; i < sk_X509_num (certs); i++)
    {
      X509 *ca = sk_X509_value (certs, i);
      gboolean issued_another = FALSE;

      if (!is_ca_cert (ca))
        continue;
      for (j = 0; j < sk_X509_num (certs) && !issued_another; j++)
        {
          X509 *other = sk_X509_value (certs, j);

          if (other != ca && is_ca_cert (other) && X509_check_issued (ca, other) == X509_V_OK)
            issued_another = TRUE;
        }
      if (!issued_another)
        return ca;
    }

  return NULL;
}

/* RFC 8894 §3.5.1 and §2.2: with RA certificates the requester encrypts to the RA
 * (the one allowed to encipher keys when signing and encryption are split), else to
 * the CA itself. */
static gboolean
choose_certificates (ScepExchange  *ex,
                     GError       **error)
{
  X509 *ra_any = NULL;
  X509 *ra_encrypt = NULL;
  int i;

  for (i = 0; i < sk_X509_num (ex->ca_certs); i++)
    {
      X509 *cert = sk_X509_value (ex->ca_certs, i);

      if (is_ca_cert (cert))
        continue;
      if (ra_any == NULL)
        ra_any = cert;
      if (ra_encrypt == NULL && can_encrypt_to (cert))
        ra_encrypt = cert;
    }

  ex->issuer = find_issuing_ca (ex->ca_certs, ra_encrypt != NULL ? ra_encrypt : ra_any);
  if (ra_any != NULL)
    ex->recipient = ra_encrypt;
  else if (ex->issuer != NULL)
    ex->recipient = ex->issuer;  /* a CA without RA: its keyUsage rarely allows it, SCEP does */
  else if (sk_X509_num (ex->ca_certs) == 1)
    {
      /* One certificate that does not say it is a CA: some old CAs */
      ex->issuer = sk_X509_value (ex->ca_certs, 0);
      ex->recipient = ex->issuer;
    }

  if (ex->recipient == NULL)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self,
                          _("none of the certificates it sent may be used to encrypt a "
                            "request to it."));
      return FALSE;
    }
  /* A key OpenSSL cannot read has no public key at all */
  if (X509_get0_pubkey (ex->recipient) == NULL ||
      EVP_PKEY_get_base_id (X509_get0_pubkey (ex->recipient)) != EVP_PKEY_RSA)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self,
                          _("the certificate to encrypt the request to has no RSA key."));
      return FALSE;
    }
  if (ex->issuer == NULL)
    ex->issuer = ex->recipient;

  return TRUE;
}

static gboolean read_ca_cert (ScepExchange         *ex,
                              CertreqHttpResponse  *response,
                              GError              **error);

static gboolean
get_ca_cert (ScepExchange  *ex,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(CertreqHttpResponse) response = NULL;

  response = http_get (ex, "GetCACert", NULL, cancellable, error);
  if (response == NULL)
    return FALSE;
  return read_ca_cert (ex, response, error);
}

static gboolean
read_ca_cert (ScepExchange         *ex,
              CertreqHttpResponse  *response,
              GError              **error)
{
  const char *content_type;
  const unsigned char *p;
  gsize length = 0;

  if (response->status != 200)
    {
      g_autofree char *what = NULL;

      /* Translators: ends the sentence "…answered something Certwiz cannot use: …";
       * %u is an HTTP status code such as 404 */
      what = g_strdup_printf (_("GetCACert failed with HTTP status %u."), response->status);
      set_protocol_error (error, ex->self, what);
      return FALSE;
    }

  content_type = certreq_http_response_get_header (response, "content-type");
  p = g_bytes_get_data (response->body, &length);
  ex->ca_certs = sk_X509_new_null ();

  if (content_type != NULL &&
      g_ascii_strncasecmp (content_type, "application/x-x509-ca-ra-cert", 29) == 0)
    {
      g_autoptr(CMS_ContentInfo) cms = cms_from_der (response->body);
      STACK_OF (X509) *certs = NULL;

      if (cms != NULL)
        certs = CMS_get1_certs (cms);
      if (certs == NULL || sk_X509_num (certs) == 0)
        {
          sk_X509_pop_free (certs, X509_free);
          /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
          set_protocol_error (error, ex->self,
                              _("GetCACert did not return a PKCS #7 structure with "
                                "certificates."));
          return FALSE;
        }
      sk_X509_pop_free (ex->ca_certs, X509_free);
      ex->ca_certs = certs;
    }
  else
    {
      /* application/x-x509-ca-cert, and what some CAs send without a type: one DER
       * certificate */
      X509 *cert = length > 0 && length <= G_MAXLONG ? d2i_X509 (NULL, &p, (long) length) : NULL;

      if (cert == NULL)
        {
          /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
          set_protocol_error (error, ex->self,
                              _("GetCACert did not return a certificate."));
          return FALSE;
        }
      sk_X509_push (ex->ca_certs, cert);
    }

  return choose_certificates (ex, error);
}

/* ---- The requester's identity ---- */

static gboolean
make_transient_certificate (ScepExchange  *ex,
                            X509_NAME     *subject,
                            GError       **error)
{
  g_autoptr(X509) cert = X509_new ();
  g_autoptr(BIGNUM) serial_bn = BN_new ();
  g_autoptr(X509_NAME) fallback = NULL;
  guint8 serial[16];

  ERR_clear_error ();
  if (RAND_bytes (serial, sizeof serial) != 1)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not create the SCEP signing certificate."));
      return FALSE;
    }
  serial[0] &= 0x7f;
  serial[0] |= 0x40;

  /* RFC 8894 §2.3: the subject of the request. A request without one gets the
   * transaction id as its common name. */
  if (subject == NULL || X509_NAME_entry_count (subject) == 0)
    {
      fallback = X509_NAME_new ();
      X509_NAME_add_entry_by_NID (fallback, NID_commonName, MBSTRING_ASC,
                                  (const unsigned char *) ex->transaction_id, -1, -1, 0);
      subject = fallback;
    }

  if (cert == NULL || serial_bn == NULL ||
      BN_bin2bn (serial, sizeof serial, serial_bn) == NULL ||
      X509_set_version (cert, X509_VERSION_3) != 1 ||
      BN_to_ASN1_INTEGER (serial_bn, X509_get_serialNumber (cert)) == NULL ||
      X509_set_subject_name (cert, subject) != 1 ||
      X509_set_issuer_name (cert, subject) != 1 ||
      X509_gmtime_adj (X509_getm_notBefore (cert), -60 * 60) == NULL ||
      X509_time_adj_ex (X509_getm_notAfter (cert), TRANSIENT_CERT_DAYS, 0, NULL) == NULL ||
      X509_set_pubkey (cert, ex->pkey) != 1 ||
      X509_sign (cert, ex->pkey, ex->md) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not create the SCEP signing certificate."));
      return FALSE;
    }

  ex->transient = g_steal_pointer (&cert);
  return TRUE;
}

/* Who signs the pkiMessage: the certificate being renewed when the CA takes a
 * RenewalReq and that certificate can sign one, else the transient certificate */
static void
choose_signer (ScepExchange *ex)
{
  CertreqCaClient *client = CERTREQ_CA_CLIENT (ex->self);
  CertreqCertificate *old_cert = _certreq_ca_client_get_renewal_certificate (client);
  CertreqKey *old_key = _certreq_ca_client_get_renewal_key (client);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  ex->signer = ex->transient;
  ex->signer_key = ex->pkey;
  ex->renewal = FALSE;
  if (old_cert == NULL || old_key == NULL)
    return;
  if (!ex->caps.renewal)
    {
      g_debug ("SCEP %s: no Renewal in GetCACaps; the renewal is a PKCSReq", ex->self->host);
      return;
    }
  /* The CA encrypts its answer to the signer: RSA, as for every SCEP request */
  if (EVP_PKEY_get_base_id (_certreq_key_get_pkey (old_key)) != EVP_PKEY_RSA ||
      !certreq_certificate_matches_key (old_cert, old_key) ||
      !certreq_certificate_is_valid_at (old_cert, now))
    {
      g_debug ("SCEP %s: the certificate renewed cannot sign a RenewalReq (not RSA, or not "
               "valid now); the renewal is a PKCSReq", ex->self->host);
      return;
    }

  ex->signer = _certreq_certificate_get_x509 (old_cert);
  ex->signer_key = _certreq_key_get_pkey (old_key);
  ex->renewal = TRUE;
}

static gboolean
is_printable_string (const char *text)
{
  const char *p;

  for (p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (" '()+,-./:=?", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Puts the challenge password into the request and signs it again with its key */
static GBytes *
csr_with_challenge (ScepExchange  *ex,
                    X509_REQ      *req,
                    const char    *challenge,
                    GError       **error)
{
  unsigned char *der = NULL;
  int length;
  int idx;

  ERR_clear_error ();
  while ((idx = X509_REQ_get_attr_by_NID (req, NID_pkcs9_challengePassword, -1)) >= 0)
    X509_ATTRIBUTE_free (X509_REQ_delete_attr (req, idx));

  /* RFC 2985 §5.4.1: a PrintableString whenever possible, else a UTF8String */
  if (X509_REQ_add1_attr_by_NID (req, NID_pkcs9_challengePassword,
                                 is_printable_string (challenge) ? V_ASN1_PRINTABLESTRING
                                                                 : V_ASN1_UTF8STRING,
                                 (const unsigned char *) challenge,
                                 (int) strlen (challenge)) != 1 ||
      X509_REQ_sign (req, ex->pkey, EVP_sha256 ()) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not add the challenge password to the request."));
      return NULL;
    }

  length = i2d_X509_REQ (req, &der);
  return bytes_take_openssl (der, length);
}

/* ---- pkiMessage ---- */

/* @length is never -1: OpenSSL takes @data for an ASN1_STRING then */
static gboolean
add_string_attribute (CMS_SignerInfo *si,
                      const char     *oid,
                      int             type,
                      const void     *data,
                      int             length)
{
  g_autoptr(ASN1_OBJECT) obj = OBJ_txt2obj (oid, 1);

  return obj != NULL && CMS_signed_add1_attr_by_OBJ (si, obj, type, data, length) == 1;
}

/* EnvelopedData(@content) to the recipient, then SignedData around it with the SCEP
 * attributes. NULL with OpenSSL's queue filled on failure. */
static GBytes *
wrap_pki_message (ScepExchange *ex,
                  const char   *message_type,
                  GBytes       *content)
{
  g_autoptr(CMS_ContentInfo) enveloped = NULL;
  g_autoptr(CMS_ContentInfo) signed_data = NULL;
  g_autoptr(CertreqX509Stack) recipients = sk_X509_new_null ();
  g_autoptr(GBytes) enveloped_der = NULL;
  g_autoptr(BIO) content_bio = NULL;
  g_autoptr(BIO) enveloped_bio = NULL;
  CMS_SignerInfo *si;
  X509 *recipient;
  gsize length = 0;
  const void *data = g_bytes_get_data (content, &length);

  recipient = X509_dup (ex->recipient);
  if (recipients == NULL || recipient == NULL || !sk_X509_push (recipients, recipient))
    {
      X509_free (recipient);
      return NULL;
    }

  content_bio = BIO_new_mem_buf (data, (int) length);
  if (content_bio == NULL)
    return NULL;
  enveloped = CMS_encrypt (recipients, content_bio, ex->cipher, CMS_BINARY);
  if (enveloped == NULL)
    return NULL;
  enveloped_der = cms_to_der (enveloped);
  if (enveloped_der == NULL)
    return NULL;

  signed_data = CMS_sign (NULL, NULL, NULL, NULL, CMS_BINARY | CMS_PARTIAL);
  if (signed_data == NULL)
    return NULL;
  si = CMS_add1_signer (signed_data, ex->signer, ex->signer_key, ex->md,
                        CMS_BINARY | CMS_NOSMIMECAP);
  if (si == NULL ||
      !add_string_attribute (si, SCEP_OID_MESSAGE_TYPE, V_ASN1_PRINTABLESTRING,
                             message_type, (int) strlen (message_type)) ||
      !add_string_attribute (si, SCEP_OID_TRANSACTION_ID, V_ASN1_PRINTABLESTRING,
                             ex->transaction_id, (int) strlen (ex->transaction_id)) ||
      !add_string_attribute (si, SCEP_OID_SENDER_NONCE, V_ASN1_OCTET_STRING,
                             ex->nonce, sizeof ex->nonce))
    return NULL;

  data = g_bytes_get_data (enveloped_der, &length);
  enveloped_bio = BIO_new_mem_buf (data, (int) length);
  if (enveloped_bio == NULL || CMS_final (signed_data, enveloped_bio, NULL, CMS_BINARY) != 1)
    return NULL;

  return cms_to_der (signed_data);
}

static GBytes *
build_pki_message (ScepExchange  *ex,
                   const char    *message_type,
                   GBytes        *content,
                   GError       **error)
{
  GBytes *message;

  ERR_clear_error ();
  message = wrap_pki_message (ex, message_type, content);
  if (message == NULL)
    _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                     _("Could not build the SCEP message."));
  return message;
}

static CertreqHttpResponse *
post_pki_message (ScepExchange  *ex,
                  GBytes        *message,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *url = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *escaped = NULL;
  gsize length = 0;
  const guchar *data;

  if (ex->caps.post)
    {
      url = g_strdup_printf ("%s?operation=PKIOperation", ex->self->url);
      return certreq_http_request (ex->http, "POST", url, "application/x-pki-message",
                                   message, NULL, cancellable, error);
    }

  data = g_bytes_get_data (message, &length);
  base64 = g_base64_encode (data, length);
  escaped = g_uri_escape_string (base64, NULL, FALSE);
  return http_get (ex, "PKIOperation", escaped, cancellable, error);
}

/* ---- CertRep ---- */

/* Some CAs encrypt the CertRep with single DES whatever the request used (micromdm's
 * scepserver, micromdm/scep#244), which OpenSSL 3 keeps in its legacy provider. The
 * answer holds only the public certificate, so its weak encryption costs no secret:
 * it is decrypted in a library context of its own with the legacy provider, leaving
 * the process's default context as it was. NULL when the provider is missing. */
static OSSL_LIB_CTX *
legacy_libctx (void)
{
  static gsize once = 0;
  static OSSL_LIB_CTX *libctx = NULL;

  if (g_once_init_enter (&once))
    {
      OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new ();

      if (ctx != NULL &&
          (OSSL_PROVIDER_load (ctx, "default") == NULL ||
           OSSL_PROVIDER_load (ctx, "legacy") == NULL))
        {
          /* The providers stay with the context; it lives as long as the process */
          OSSL_LIB_CTX_free (ctx);
          ctx = NULL;
        }
      libctx = ctx;
      g_once_init_leave (&once, 1);
    }

  return libctx;
}

/* The CertRep's EnvelopedData, decrypted with our signer certificate's key */
static gboolean
decrypt_cert_rep (ScepExchange *ex,
                  GBytes       *enveloped_der,
                  BIO          *out)
{
  g_autoptr(CMS_ContentInfo) enveloped = cms_from_der (enveloped_der);
  g_autoptr(CMS_ContentInfo) legacy = NULL;
  OSSL_LIB_CTX *libctx;
  const unsigned char *p;
  gsize length = 0;

  if (enveloped == NULL)
    return FALSE;
  if (CMS_decrypt (enveloped, ex->signer_key, ex->signer, NULL, out, CMS_BINARY) == 1)
    return TRUE;
  if (ERR_GET_REASON (ERR_peek_error ()) != ERR_R_UNSUPPORTED &&
      ERR_GET_REASON (ERR_peek_last_error ()) != ERR_R_UNSUPPORTED)
    return FALSE;

  libctx = legacy_libctx ();
  if (libctx == NULL)
    return FALSE;
  ERR_clear_error ();
  g_debug ("SCEP %s: the answer uses a legacy cipher; decrypting with the legacy provider",
           ex->self->host);
  legacy = CMS_ContentInfo_new_ex (libctx, NULL);
  p = g_bytes_get_data (enveloped_der, &length);
  if (legacy == NULL || d2i_CMS_ContentInfo (&legacy, &p, (long) length) == NULL)
    return FALSE;
  (void) BIO_reset (out);
  return CMS_decrypt (legacy, ex->signer_key, ex->signer, NULL, out, CMS_BINARY) == 1;
}

static ASN1_STRING *
get_attribute (CMS_SignerInfo *si,
               const char     *oid)
{
  g_autoptr(ASN1_OBJECT) obj = OBJ_txt2obj (oid, 1);
  X509_ATTRIBUTE *attr;
  ASN1_TYPE *value;
  int idx;

  if (obj == NULL)
    return NULL;
  idx = CMS_signed_get_attr_by_OBJ (si, obj, -1);
  if (idx < 0)
    return NULL;
  attr = CMS_signed_get_attr (si, idx);
  value = attr != NULL ? X509_ATTRIBUTE_get0_type (attr, 0) : NULL;
  if (value == NULL)
    return NULL;

  switch (value->type)
    {
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_UTF8STRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_OCTET_STRING:
      return value->value.asn1_string;
    default:
      return NULL;
    }
}

static char *
get_string_attribute (CMS_SignerInfo *si,
                      const char     *oid)
{
  ASN1_STRING *value = get_attribute (si, oid);

  if (value == NULL)
    return NULL;
  return g_strndup ((const char *) ASN1_STRING_get0_data (value), ASN1_STRING_length (value));
}

/* failInfo in plain words (RFC 8894 §3.2.1.4.5) */
static char *
describe_failure (CertreqCaScep *self,
                  const char    *fail_info,
                  const char    *fail_text)
{
  g_autofree char *sentence = NULL;
  gint64 code = -1;

  if (fail_info != NULL && g_ascii_string_to_signed (fail_info, 10, 0, 4, &code, NULL))
    ;
  else
    code = -1;

  switch (code)
    {
    case 0:
      /* Translators: SCEP failInfo badAlg; %s is a CA's name */
      sentence = g_strdup_printf (_("The certification authority %s does not accept the "
                                    "algorithms of the request (badAlg): ask its administrator "
                                    "which key types and algorithms it supports."),
                                  ca_name (self));
      break;
    case 1:
      /* Translators: SCEP failInfo badMessageCheck; %s is a CA's name */
      sentence = g_strdup_printf (_("The certification authority %s could not verify the "
                                    "signature or integrity of the request (badMessageCheck): "
                                    "check that its RA certificate has not been renewed since "
                                    "and try again."),
                                  ca_name (self));
      break;
    case 2:
      /* Translators: SCEP failInfo badRequest; %s is a CA's name */
      sentence = g_strdup_printf (_("The certification authority %s refused the request as "
                                    "not permitted or not supported (badRequest): the "
                                    "challenge password is usually wrong, expired or already "
                                    "used, or the CA already issued a certificate for this "
                                    "subject; ask its administrator for a new challenge "
                                    "password."),
                                  ca_name (self));
      break;
    case 3:
      /* Translators: SCEP failInfo badTime; %s is a CA's name */
      sentence = g_strdup_printf (_("The certification authority %s found the time of the "
                                    "request too far from its own clock (badTime): check the "
                                    "clock of this machine and of the CA."),
                                  ca_name (self));
      break;
    case 4:
      /* Translators: SCEP failInfo badCertId; %s is a CA's name */
      sentence = g_strdup_printf (_("The certification authority %s could not find the "
                                    "certificate or request the message refers to "
                                    "(badCertId): request a new certificate."),
                                  ca_name (self));
      break;
    default:
      /* Translators: %1$s is a CA's name, %2$s the failInfo value it sent */
      sentence = g_strdup_printf (_("The certification authority %1$s refused the request "
                                    "without a known reason (failInfo “%2$s”)."),
                                  ca_name (self), fail_info != NULL ? fail_info : "");
      break;
    }

  if (fail_text != NULL && *fail_text != '\0' && g_utf8_validate (fail_text, -1, NULL))
    /* Translators: %1$s is a sentence saying why a request was refused, %2$s the
     * CA's own words */
    return g_strdup_printf (_("%1$s The CA said: %2$s"), sentence, fail_text);

  return g_steal_pointer (&sentence);
}

/* The issued certificate from the certs-only PKCS#7: the one over our key; the others
 * and the CA's chain from GetCACert make the chain, issuer first. */
static CertreqSubmitResult *
issued_result (ScepExchange  *ex,
               GBytes        *degenerate,
               GError       **error)
{
  g_autoptr(CMS_ContentInfo) cms = cms_from_der (degenerate);
  g_autoptr(CertreqX509Stack) certs = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqX509Stack) pool = sk_X509_new_null ();
  X509 *leaf = NULL;
  X509 *current;
  int i;

  if (cms != NULL)
    certs = CMS_get1_certs (cms);
  for (i = 0; certs != NULL && i < sk_X509_num (certs) && leaf == NULL; i++)
    if (X509_get0_pubkey (sk_X509_value (certs, i)) != NULL &&
        EVP_PKEY_eq (X509_get0_pubkey (sk_X509_value (certs, i)), ex->pkey) == 1)
      leaf = sk_X509_value (certs, i);

  if (leaf == NULL)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self,
                          _("its answer held no certificate for the request's key."));
      return NULL;
    }

  result = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
  result->certificate = _certreq_certificate_new_take (X509_dup (leaf));
  if (result->certificate == NULL)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self,
                          _("its answer held no certificate for the request's key."));
      return NULL;
    }
  result->chain = g_ptr_array_new_with_free_func (g_object_unref);

  /* Issuer first: follow the issuers through what the CA sent */
  for (i = 0; i < sk_X509_num (certs); i++)
    if (sk_X509_value (certs, i) != leaf)
      sk_X509_push (pool, sk_X509_value (certs, i));
  for (i = 0; i < sk_X509_num (ex->ca_certs); i++)
    if (is_ca_cert (sk_X509_value (ex->ca_certs, i)))
      sk_X509_push (pool, sk_X509_value (ex->ca_certs, i));

  current = leaf;
  while (result->chain->len < 8)
    {
      CertreqCertificate *issuer;
      X509 *next = NULL;

      if (X509_check_issued (current, current) == X509_V_OK)
        break;   /* self-signed: the root */
      for (i = 0; i < sk_X509_num (pool) && next == NULL; i++)
        {
          X509 *candidate = sk_X509_value (pool, i);

          if (candidate != current && X509_check_issued (candidate, current) == X509_V_OK)
            next = candidate;
        }
      if (next == NULL)
        break;
      issuer = _certreq_certificate_new_take (X509_dup (next));
      if (issuer == NULL)
        break;   /* unreadable: the chain ends before it */
      g_ptr_array_add (result->chain, issuer);
      /* The same certificate may come from both sources: drop every copy */
      for (i = sk_X509_num (pool) - 1; i >= 0; i--)
        if (X509_cmp (sk_X509_value (pool, i), next) == 0)
          sk_X509_delete (pool, i);
      current = next;
    }
  /* pool only borrowed its certificates */
  sk_X509_zero (pool);

  return g_steal_pointer (&result);
}

static CertreqSubmitResult *
parse_cert_rep (ScepExchange         *ex,
                CertreqHttpResponse  *response,
                GError              **error)
{
  g_autoptr(CMS_ContentInfo) cms = NULL;
  g_autoptr(BIO) content = BIO_new (BIO_s_mem ());
  g_autoptr(BIO) empty = NULL;
  g_autofree char *message_type = NULL;
  g_autofree char *transaction_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *fail_info = NULL;
  g_autofree char *fail_text = NULL;
  STACK_OF (CMS_SignerInfo) *signers;
  CMS_SignerInfo *si;
  ASN1_OCTET_STRING **inner;
  ASN1_STRING *recipient_nonce;
  X509 *signer = NULL;
  gboolean known_signer = FALSE;
  int i;

  if (response->status != 200)
    {
      g_autofree char *what = NULL;

      /* Translators: ends the sentence "…answered something Certwiz cannot use: …";
       * %u is an HTTP status code such as 500 */
      what = g_strdup_printf (_("PKIOperation failed with HTTP status %u."), response->status);
      set_protocol_error (error, ex->self, what);
      return NULL;
    }

  cms = cms_from_der (response->body);
  if (cms == NULL || OBJ_obj2nid (CMS_get0_type (cms)) != NID_pkcs7_signed)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self, _("its answer is not a signed SCEP message."));
      return NULL;
    }

  /* FAILURE and PENDING carry no content: their signature covers an empty one */
  ERR_clear_error ();
  inner = CMS_get0_content (cms);
  if (inner == NULL || *inner == NULL)
    empty = BIO_new_mem_buf ("", 0);
  if (CMS_verify (cms, ex->ca_certs, NULL, empty, content,
                  CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1)
    {
      g_autoptr(GError) local_error = NULL;

      _certreq_set_error_from_openssl (&local_error, CERTREQ_ERROR_PROTOCOL, "");
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self, _("the signature of its answer does not verify."));
      g_debug ("SCEP %s: CMS_verify: %s", ex->self->host, local_error->message);
      return NULL;
    }

  /* Signed by the CA or its RA, not by just anyone */
  signers = CMS_get0_SignerInfos (cms);
  si = sk_CMS_SignerInfo_num (signers) == 1 ? sk_CMS_SignerInfo_value (signers, 0) : NULL;
  if (si != NULL)
    CMS_SignerInfo_get0_algs (si, NULL, &signer, NULL, NULL);
  for (i = 0; signer != NULL && i < sk_X509_num (ex->ca_certs) && !known_signer; i++)
    known_signer = X509_cmp (signer, sk_X509_value (ex->ca_certs, i)) == 0;
  if (!known_signer)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self,
                          _("its answer is not signed by the certificates of its GetCACert."));
      return NULL;
    }

  message_type = get_string_attribute (si, SCEP_OID_MESSAGE_TYPE);
  transaction_id = get_string_attribute (si, SCEP_OID_TRANSACTION_ID);
  status = get_string_attribute (si, SCEP_OID_PKI_STATUS);
  recipient_nonce = get_attribute (si, SCEP_OID_RECIPIENT_NONCE);

  if (g_strcmp0 (message_type, SCEP_MESSAGE_CERT_REP) != 0)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self, _("its answer is not a CertRep message."));
      return NULL;
    }
  if (g_strcmp0 (transaction_id, ex->transaction_id) != 0)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self,
                          _("its answer belongs to another transaction."));
      return NULL;
    }
  /* RFC 8894 §3.2.1.5: the recipientNonce repeats our senderNonce */
  if (recipient_nonce == NULL || ASN1_STRING_length (recipient_nonce) != SCEP_NONCE_LENGTH ||
      memcmp (ASN1_STRING_get0_data (recipient_nonce), ex->nonce, SCEP_NONCE_LENGTH) != 0)
    {
      /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
      set_protocol_error (error, ex->self,
                          _("its answer does not repeat the nonce of the request."));
      return NULL;
    }

  if (g_strcmp0 (status, "3") == 0)
    {
      g_autoptr(CertreqSubmitResult) result = certreq_submit_result_new (CERTREQ_SUBMIT_PENDING);

      result->request_id = g_strdup (ex->transaction_id);
      return g_steal_pointer (&result);
    }

  if (g_strcmp0 (status, "2") == 0)
    {
      g_autoptr(CertreqSubmitResult) result = certreq_submit_result_new (CERTREQ_SUBMIT_DENIED);

      fail_info = get_string_attribute (si, SCEP_OID_FAIL_INFO);
      fail_text = get_string_attribute (si, SCEP_OID_FAIL_INFO_TEXT);
      result->request_id = g_strdup (ex->transaction_id);
      result->reason = describe_failure (ex->self, fail_info, fail_text);
      return g_steal_pointer (&result);
    }

  if (g_strcmp0 (status, "0") == 0)
    {
      g_autoptr(BIO) decrypted = BIO_new (BIO_s_mem ());
      g_autoptr(GBytes) enveloped_der = NULL;
      g_autoptr(GBytes) degenerate = NULL;
      char *data = NULL;
      long length;

      report (ex, CERTREQ_SUBMIT_STAGE_DOWNLOADING, NULL, 0.8);
      length = BIO_get_mem_data (content, &data);
      enveloped_der = g_bytes_new (data, length > 0 ? (gsize) length : 0);
      ERR_clear_error ();
      if (!decrypt_cert_rep (ex, enveloped_der, decrypted))
        {
          g_autoptr(GError) local_error = NULL;

          _certreq_set_error_from_openssl (&local_error, CERTREQ_ERROR_PROTOCOL, "");
          g_debug ("SCEP %s: CMS_decrypt: %s", ex->self->host, local_error->message);
          /* Translators: ends the sentence "…answered something Certwiz cannot use: …" */
          set_protocol_error (error, ex->self,
                              _("the certificate in its answer could not be decrypted."));
          return NULL;
        }
      length = BIO_get_mem_data (decrypted, &data);
      degenerate = g_bytes_new (data, length > 0 ? (gsize) length : 0);
      return issued_result (ex, degenerate, error);
    }

  {
    g_autofree char *what = NULL;

    /* Translators: ends the sentence "…answered something Certwiz cannot use: …";
     * %s is the pkiStatus value a SCEP CA sent */
    what = g_strdup_printf (_("its answer has the unknown status “%s”."),
                            status != NULL ? status : "");
    set_protocol_error (error, ex->self, what);
    return NULL;
  }
}

/* ---- The exchange ---- */

static gboolean
exchange_begin (ScepExchange         *ex,
                CertreqCaScep        *self,
                CertreqProgressFunc   progress,
                gpointer              progress_data,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  CertreqKey *key = _certreq_ca_client_get_request_key (CERTREQ_CA_CLIENT (self));
  g_autofree char *detail = NULL;

  ex->self = self;
  ex->progress = progress;
  ex->progress_data = progress_data;

  if (key == NULL)
    {
      /* Translators: %s is a CA's name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The request's private key is missing, and the SCEP certification "
                     "authority %s needs it to sign the request; request a new "
                     "certificate."), ca_name (self));
      return FALSE;
    }
  ex->pkey = _certreq_key_get_pkey (key);
  if (EVP_PKEY_get_base_id (ex->pkey) != EVP_PKEY_RSA)
    {
      /* Translators: %s is a CA's name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The SCEP certification authority %s needs an RSA key, because SCEP "
                     "encrypts the certificate to the request's key; choose an RSA key "
                     "length on the key page."), ca_name (self));
      return FALSE;
    }
  /* RFC 8894 §3.2.1.1.1: a hash of the public key, the same for every poll */
  ex->transaction_id = g_ascii_strup (certreq_key_get_id (key), -1);
  if (RAND_bytes (ex->nonce, sizeof ex->nonce) != 1)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not build the SCEP message."));
      return FALSE;
    }

  options->trust_bundle = g_strdup (self->trust_bundle);
  ex->http = certreq_http_new (options);

  /* Translators: %s is a host name */
  detail = g_strdup_printf (_("Asking %s for its SCEP capabilities"), self->host);
  report (ex, CERTREQ_SUBMIT_STAGE_CONNECTING, detail, 0.05);
  if (!get_ca_caps (ex, cancellable, error))
    return FALSE;

  g_clear_pointer (&detail, g_free);
  /* Translators: %s is a host name */
  detail = g_strdup_printf (_("Fetching the CA certificates from %s"), self->host);
  report (ex, CERTREQ_SUBMIT_STAGE_CONNECTING, detail, 0.15);
  return get_ca_cert (ex, cancellable, error);
}

static void
result_set_ca (CertreqCaScep       *self,
               ScepExchange        *ex,
               CertreqSubmitResult *result)
{
  /* The transaction id is the CA's handle on the request, issued or not */
  if (result->request_id == NULL)
    result->request_id = g_strdup (ex->transaction_id);
  result->ca_id = g_strdup (certreq_ca_client_get_id (CERTREQ_CA_CLIENT (self)));
  result->ca_name = g_strdup (ca_name (self));
}

static CertreqSubmitResult *
certreq_ca_scep_submit (CertreqCaClient      *client,
                        GBytes               *csr_der,
                        const char           *template_name,
                        CertreqProgressFunc   progress,
                        gpointer              progress_data,
                        GCancellable         *cancellable,
                        GError              **error)
{
  CertreqCaScep *self = CERTREQ_CA_SCEP (client);
  g_auto(ScepExchange) ex = { 0 };
  g_autoptr(X509_REQ) req = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *detail = NULL;
  const char *password;
  const unsigned char *p;
  gsize length = 0;

  p = g_bytes_get_data (csr_der, &length);
  req = length > 0 && length <= G_MAXLONG ? d2i_X509_REQ (NULL, &p, (long) length) : NULL;
  if (req == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                   _("The certificate request is not a valid PKCS #10 request."));
      return NULL;
    }
  /* Refused before anything leaves the machine */
  if (EVP_PKEY_get_base_id (X509_REQ_get0_pubkey (req)) != EVP_PKEY_RSA)
    {
      /* Translators: %s is a CA's name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The SCEP certification authority %s needs an RSA key, because SCEP "
                     "encrypts the certificate to the request's key; choose an RSA key "
                     "length on the key page."), ca_name (self));
      return NULL;
    }

  if (!exchange_begin (&ex, self, progress, progress_data, cancellable, error))
    return NULL;
  if (EVP_PKEY_eq (X509_REQ_get0_pubkey (req), ex.pkey) != 1)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CRYPTO,
                   _("The certificate request does not belong to the request's private key."));
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* The account page's password wins over the configured one */
  password = certreq_ca_client_get_password (client);
  if (password != NULL && *password != '\0')
    challenge = g_strdup (password);
  else
    {
      g_autoptr(GError) local_error = NULL;

      challenge = read_configured_challenge (self, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  if (challenge != NULL)
    {
      request = csr_with_challenge (&ex, req, challenge, error);
      OPENSSL_cleanse (challenge, strlen (challenge));
      if (request == NULL)
        return NULL;
    }
  else
    request = g_bytes_ref (csr_der);

  if (!make_transient_certificate (&ex, X509_REQ_get_subject_name (req), error))
    return NULL;
  choose_signer (&ex);

  if (ex.renewal)
    /* Translators: %s is a host name */
    detail = g_strdup_printf (_("Sending the renewal request to %s, signed with the "
                                "certificate being renewed"), self->host);
  else
    /* Translators: %s is a host name */
    detail = g_strdup_printf (_("Sending the request to %s"), self->host);
  report (&ex, CERTREQ_SUBMIT_STAGE_SUBMITTING, detail, 0.3);
  message = build_pki_message (&ex, ex.renewal ? SCEP_MESSAGE_RENEWAL_REQ : SCEP_MESSAGE_PKCS_REQ,
                               request, error);
  if (message == NULL)
    return NULL;
  response = post_pki_message (&ex, message, cancellable, error);
  if (response == NULL)
    return NULL;

  result = parse_cert_rep (&ex, response, error);
  if (result == NULL)
    return NULL;
  result_set_ca (self, &ex, result);
  g_debug ("SCEP %s: transaction %s: %s", self->host, ex.transaction_id,
           result->status == CERTREQ_SUBMIT_ISSUED ? "issued" :
           result->status == CERTREQ_SUBMIT_PENDING ? "pending" : "failed");
  return g_steal_pointer (&result);
}

static CertreqSubmitResult *
certreq_ca_scep_retrieve (CertreqCaClient      *client,
                          const char           *request_id,
                          CertreqProgressFunc   progress,
                          gpointer              progress_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  CertreqCaScep *self = CERTREQ_CA_SCEP (client);
  g_auto(ScepExchange) ex = { 0 };
  g_autoptr(X509_REQ) req = NULL;
  g_autoptr(GBytes) issuer_and_subject = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autofree char *detail = NULL;
  g_autofree guint8 *names = NULL;
  GBytes *csr_der = _certreq_ca_client_get_request_csr (client);
  unsigned char *issuer_der = NULL;
  unsigned char *subject_der = NULL;
  int issuer_length, subject_length;
  const unsigned char *p;
  gsize length = 0;

  if (csr_der != NULL)
    {
      p = g_bytes_get_data (csr_der, &length);
      if (length > 0 && length <= G_MAXLONG)
        req = d2i_X509_REQ (NULL, &p, (long) length);
    }
  if (req == NULL)
    {
      /* Translators: %1$s is a request id, %2$s a CA's name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The saved request for transaction %1$s is missing, so the SCEP "
                     "certification authority %2$s cannot be asked about it; clear the "
                     "pending request and request a new certificate."),
                   request_id, ca_name (self));
      return NULL;
    }

  if (!exchange_begin (&ex, self, progress, progress_data, cancellable, error))
    return NULL;
  /* The poll names the transaction the CA gave us; it is ours by construction */
  g_free (ex.transaction_id);
  ex.transaction_id = g_strdup (request_id);
  if (!make_transient_certificate (&ex, X509_REQ_get_subject_name (req), error))
    return NULL;
  /* A renewal's poll is signed like the renewal request was */
  choose_signer (&ex);

  /* RFC 8894 §3.3.3: IssuerAndSubject ::= SEQUENCE { issuer Name, subject Name } */
  issuer_length = i2d_X509_NAME (X509_get_subject_name (ex.issuer), &issuer_der);
  subject_length = i2d_X509_NAME (X509_get_subject_name (ex.transient), &subject_der);
  if (issuer_length <= 0 || subject_length <= 0)
    {
      OPENSSL_free (issuer_der);
      OPENSSL_free (subject_der);
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not build the SCEP message."));
      return NULL;
    }
  names = g_malloc ((gsize) issuer_length + (gsize) subject_length);
  memcpy (names, issuer_der, issuer_length);
  memcpy (names + issuer_length, subject_der, subject_length);
  OPENSSL_free (issuer_der);
  OPENSSL_free (subject_der);
  issuer_and_subject = der_sequence (names, (gsize) issuer_length + (gsize) subject_length);

  /* Translators: %1$s is a request id, %2$s a host name */
  detail = g_strdup_printf (_("Asking %2$s about transaction %1$s"), request_id, self->host);
  report (&ex, CERTREQ_SUBMIT_STAGE_WAITING, detail, 0.4);
  message = build_pki_message (&ex, SCEP_MESSAGE_CERT_POLL, issuer_and_subject, error);
  if (message == NULL)
    return NULL;
  response = post_pki_message (&ex, message, cancellable, error);
  if (response == NULL)
    return NULL;

  result = parse_cert_rep (&ex, response, error);
  if (result == NULL)
    return NULL;
  result_set_ca (self, &ex, result);
  return g_steal_pointer (&result);
}

#ifdef CERTREQ_FUZZING
#include "certreq-fuzz-private.h"

/* tests/fuzz/fuzz-scep.c: one answer of the CA to GetCACaps, GetCACert or PKIOperation.
 * A CertRep is checked against the certificates it carries itself (in an exchange,
 * those of GetCACert), transaction "FUZZ", a zero nonce and a transient identity made
 * once per process. */
void
_certreq_fuzz_scep (CertreqCaClient     *client,
                    CertreqFuzzScep      operation,
                    CertreqHttpResponse *response)
{
  static EVP_PKEY *pkey;
  static X509 *transient;
  g_auto(ScepExchange) ex = { 0 };
  g_autoptr(GError) error = NULL;

  ex.self = CERTREQ_CA_SCEP (client);
  ex.transaction_id = g_strdup ("FUZZ");
  if (pkey == NULL)
    {
      pkey = EVP_PKEY_Q_keygen (NULL, NULL, "RSA", (size_t) 2048);
      g_assert (pkey != NULL);
      ex.pkey = pkey;
      if (!make_transient_certificate (&ex, NULL, &error))
        g_error ("%s", error->message);
      transient = g_steal_pointer (&ex.transient);
    }
  ex.pkey = pkey;
  ex.transient = X509_dup (transient);
  ex.signer = ex.transient;
  ex.signer_key = ex.pkey;

  switch (operation)
    {
    case CERTREQ_FUZZ_SCEP_GET_CA_CAPS:
      read_ca_caps (&ex, response);
      g_assert (ex.md != NULL && ex.cipher != NULL);
      break;

    case CERTREQ_FUZZ_SCEP_GET_CA_CERT:
      if (!read_ca_cert (&ex, response, &error))
        g_assert (error != NULL);
      else
        g_assert (ex.recipient != NULL && ex.issuer != NULL);
      break;

    case CERTREQ_FUZZ_SCEP_CERT_REP:
      {
        g_autoptr(CMS_ContentInfo) cms = cms_from_der (response->body);
        g_autoptr(CertreqSubmitResult) result = NULL;

        ex.ca_certs = cms != NULL ? CMS_get1_certs (cms) : NULL;
        if (ex.ca_certs == NULL)
          ex.ca_certs = sk_X509_new_null ();
        result = parse_cert_rep (&ex, response, &error);
        g_assert ((result == NULL) == (error != NULL));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}
#endif
