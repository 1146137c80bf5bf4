/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* A small SCEP responder (RFC 8894) for test-ca-scep: it answers what Debian's scepserver
 * never does — PENDING, CertPoll, every failInfo, an RA certificate chain, GET
 * PKIOperation, DES3 only. It copies the request's subject alternative names into the
 * certificate. Independent of libcertreq: plain OpenSSL and sockets.
 *
 *   scep-responder --dir DIR [--ra] [--pending] [--fail N] [--caps "A,B,C"]
 *                  [--challenge PW]
 * DIR holds ca.pem/ca.key, and with --ra also ra-sign.pem/.key and ra-enc.pem/.key.
 * Listens on 127.0.0.1, port chosen by the kernel; prints "PORT <n>" and serves until
 * stdin closes or it is killed. Appends one line per PKIOperation to DIR/events.log:
 *   <method> <messageType> cipher=<name> digest=<name> tid=<id> signer=<who> -> <status>
 * where <who> is "self" (a self-signed certificate), "issued:<serial>" (a certificate
 * this responder issued: DIR/issued.txt lists them, across restarts) or "unknown".
 * RenewalReq (17, RFC 8894 §3.3.1.2) must be signed by a certificate it issued
 * (else FAILURE badMessageCheck) and needs no challenge password; a CertPoll for a
 * pending renewal must be signed by the same certificate (else badCertId).
 * --pending: PKCSReq and RenewalReq answer PENDING, the first CertPoll PENDING, the
 * second SUCCESS.
 * --fail N: PKCSReq answers FAILURE with failInfo N (and failInfoText).
 * --challenge: a PKCSReq whose challengePassword differs fails with badRequest. */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define OID_MESSAGE_TYPE    "2.16.840.1.113733.1.9.2"
#define OID_PKI_STATUS      "2.16.840.1.113733.1.9.3"
#define OID_FAIL_INFO       "2.16.840.1.113733.1.9.4"
#define OID_SENDER_NONCE    "2.16.840.1.113733.1.9.5"
#define OID_RECIPIENT_NONCE "2.16.840.1.113733.1.9.6"
#define OID_TRANSACTION_ID  "2.16.840.1.113733.1.9.7"
#define OID_FAIL_INFO_TEXT  "1.3.6.1.5.5.7.24.1"

static const char *dir;
static int with_ra;
static int pending_mode;
static int fail_code = -1;
static const char *caps = "Renewal\nSHA-1\nSHA-256\nAES\nDES3\nSCEPStandard\nPOSTPKIOperation\n";
static const char *challenge;

static X509 *ca_cert, *ra_sign_cert, *ra_enc_cert;
static EVP_PKEY *ca_key, *ra_sign_key, *ra_enc_key;

/* One pending transaction (enough for the tests) */
static char pending_tid[256];
static X509_REQ *pending_req;
static X509 *pending_signer;   /* a pending RenewalReq's signer */
static int polls;

static void
die (const char *what)
{
  fprintf (stderr, "scep-responder: %s\n", what);
  ERR_print_errors_fp (stderr);
  exit (1);
}

static char *
path (const char *name)
{
  static char buf[4096];

  snprintf (buf, sizeof buf, "%s/%s", dir, name);
  return buf;
}

static X509 *
load_cert (const char *name)
{
  FILE *f = fopen (path (name), "r");
  X509 *x;

  if (f == NULL)
    die (name);
  x = PEM_read_X509 (f, NULL, NULL, NULL);
  fclose (f);
  if (x == NULL)
    die (name);
  return x;
}

static EVP_PKEY *
load_key (const char *name)
{
  FILE *f = fopen (path (name), "r");
  EVP_PKEY *k;

  if (f == NULL)
    die (name);
  k = PEM_read_PrivateKey (f, NULL, NULL, NULL);
  fclose (f);
  if (k == NULL)
    die (name);
  return k;
}

static void
log_event (const char *fmt, ...)
{
  FILE *f = fopen (path ("events.log"), "a");
  va_list ap;

  if (f == NULL)
    return;
  va_start (ap, fmt);
  vfprintf (f, fmt, ap);
  va_end (ap);
  fputc ('\n', f);
  fclose (f);
}

/* ---- HTTP ---- */

static void
send_response (int fd, int status, const char *type, const unsigned char *body, size_t length)
{
  char header[512];
  int n = snprintf (header, sizeof header,
                    "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                    "Connection: close\r\n\r\n",
                    status, status == 200 ? "OK" : "Error", type, length);

  if (write (fd, header, n) != n || (length > 0 && write (fd, body, length) != (ssize_t) length))
    fprintf (stderr, "scep-responder: short write\n");
}

static int
hexval (int c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static char *
url_decode (const char *s, size_t n)
{
  char *out = malloc (n + 1);
  size_t i, j = 0;

  for (i = 0; i < n; i++)
    {
      if (s[i] == '%' && i + 2 < n + 0 + 1 && hexval (s[i + 1]) >= 0 && hexval (s[i + 2]) >= 0)
        {
          out[j++] = (char) (hexval (s[i + 1]) * 16 + hexval (s[i + 2]));
          i += 2;
        }
      else if (s[i] == '+')
        out[j++] = ' ';
      else
        out[j++] = s[i];
    }
  out[j] = '\0';
  return out;
}

/* The query parameter @name of @target, decoded; NULL when absent */
static char *
query_param (const char *target, const char *name)
{
  const char *q = strchr (target, '?');
  size_t len = strlen (name);

  while (q != NULL)
    {
      q++;
      if (strncmp (q, name, len) == 0 && q[len] == '=')
        {
          const char *v = q + len + 1;
          const char *end = strchr (v, '&');

          return url_decode (v, end != NULL ? (size_t) (end - v) : strlen (v));
        }
      q = strchr (q, '&');
    }
  return NULL;
}

/* ---- SCEP ---- */

static ASN1_STRING *
get_attr (CMS_SignerInfo *si, const char *oid)
{
  ASN1_OBJECT *obj = OBJ_txt2obj (oid, 1);
  int idx = CMS_signed_get_attr_by_OBJ (si, obj, -1);
  X509_ATTRIBUTE *attr;
  ASN1_TYPE *t;

  ASN1_OBJECT_free (obj);
  if (idx < 0)
    return NULL;
  attr = CMS_signed_get_attr (si, idx);
  t = X509_ATTRIBUTE_get0_type (attr, 0);
  return t != NULL ? t->value.asn1_string : NULL;
}

static void
add_attr (CMS_SignerInfo *si, const char *oid, int type, const void *data, int len)
{
  ASN1_OBJECT *obj = OBJ_txt2obj (oid, 1);

  /* -1 would make OpenSSL take @data for an ASN1_STRING */
  if (len < 0)
    len = (int) strlen (data);
  if (CMS_signed_add1_attr_by_OBJ (si, obj, type, data, len) != 1)
    die ("attribute");
  ASN1_OBJECT_free (obj);
}

static unsigned char *
bio_data (BIO *bio, size_t *length)
{
  char *data = NULL;
  long n = BIO_get_mem_data (bio, &data);
  unsigned char *copy = malloc (n > 0 ? n : 1);

  memcpy (copy, data, n > 0 ? n : 0);
  *length = n > 0 ? n : 0;
  return copy;
}

/* The serial of @x in hex */
static char *
serial_hex (X509 *x)
{
  BIGNUM *bn = ASN1_INTEGER_to_BN (X509_get0_serialNumber (x), NULL);
  char *hex = BN_bn2hex (bn);
  char *copy = strdup (hex);

  OPENSSL_free (hex);
  BN_free (bn);
  return copy;
}

/* "self", "issued:<serial>" for a certificate of ours (signed by our CA and listed in
 * issued.txt), else "unknown" */
static void
describe_signer (X509 *signer, char *out, size_t size)
{
  char *serial, line[256];
  FILE *f;
  int known = 0;

  snprintf (out, size, "unknown");
  if (X509_check_issued (signer, signer) == X509_V_OK)
    {
      snprintf (out, size, "self");
      return;
    }
  if (X509_NAME_cmp (X509_get_issuer_name (signer), X509_get_subject_name (ca_cert)) != 0 ||
      X509_verify (signer, X509_get0_pubkey (ca_cert)) != 1)
    {
      ERR_clear_error ();
      return;
    }
  serial = serial_hex (signer);
  f = fopen (path ("issued.txt"), "r");
  while (f != NULL && !known && fgets (line, sizeof line, f) != NULL)
    {
      line[strcspn (line, "\n")] = '\0';
      known = strcmp (line, serial) == 0;
    }
  if (f != NULL)
    fclose (f);
  if (known)
    snprintf (out, size, "issued:%s", serial);
  free (serial);
}

static X509 *
issue (X509_REQ *req)
{
  X509 *x = X509_new ();
  ASN1_INTEGER *serial = ASN1_INTEGER_new ();
  unsigned char rnd[8];
  BIGNUM *bn;
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  STACK_OF (X509_EXTENSION) *requested;
  int i;

  RAND_bytes (rnd, sizeof rnd);
  rnd[0] &= 0x7f;
  bn = BN_bin2bn (rnd, sizeof rnd, NULL);
  BN_to_ASN1_INTEGER (bn, serial);
  BN_free (bn);
  X509_set_version (x, X509_VERSION_3);
  X509_set_serialNumber (x, serial);
  ASN1_INTEGER_free (serial);
  X509_set_issuer_name (x, X509_get_subject_name (ca_cert));
  X509_set_subject_name (x, X509_REQ_get_subject_name (req));
  X509_gmtime_adj (X509_getm_notBefore (x), -300);
  X509_gmtime_adj (X509_getm_notAfter (x), 30L * 24 * 3600);
  X509_set_pubkey (x, X509_REQ_get0_pubkey (req));
  X509V3_set_ctx (&ctx, ca_cert, x, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
  X509_add_ext (x, ext, -1);
  X509_EXTENSION_free (ext);
  /* The requested names, as an NDES template that takes them from the request does */
  requested = X509_REQ_get_extensions (req);
  for (i = 0; requested != NULL && i < sk_X509_EXTENSION_num (requested); i++)
    {
      X509_EXTENSION *one = sk_X509_EXTENSION_value (requested, i);

      if (OBJ_obj2nid (X509_EXTENSION_get_object (one)) == NID_subject_alt_name)
        X509_add_ext (x, one, -1);
    }
  sk_X509_EXTENSION_pop_free (requested, X509_EXTENSION_free);
  if (X509_sign (x, ca_key, EVP_sha256 ()) <= 0)
    die ("sign certificate");
  {
    FILE *f = fopen (path ("issued.txt"), "a");
    char *hex = serial_hex (x);

    if (f == NULL)
      die ("issued.txt");
    fprintf (f, "%s\n", hex);
    fclose (f);
    free (hex);
  }
  return x;
}

/* A certs-only ("degenerate") PKCS #7 SignedData, as crl2pkcs7 makes it */
static unsigned char *
certs_only (X509 **certs, int n, int *length)
{
  PKCS7 *p7 = PKCS7_new ();
  unsigned char *der = NULL;
  int i;

  if (p7 == NULL || PKCS7_set_type (p7, NID_pkcs7_signed) != 1 ||
      PKCS7_content_new (p7, NID_pkcs7_data) != 1)
    die ("certs-only");
  for (i = 0; i < n; i++)
    if (PKCS7_add_certificate (p7, certs[i]) != 1)
      die ("certs-only");
  *length = i2d_PKCS7 (p7, &der);
  PKCS7_free (p7);
  if (*length <= 0)
    die ("certs-only");
  return der;
}

/* The CertRep: signed by the RA's signing certificate (or the CA) */
static unsigned char *
cert_rep (const char *tid, ASN1_STRING *sender_nonce, const char *status, int fail,
          X509 *issued, X509 *requester, size_t *out_length)
{
  X509 *signer = with_ra ? ra_sign_cert : ca_cert;
  EVP_PKEY *signer_key = with_ra ? ra_sign_key : ca_key;
  CMS_ContentInfo *cms, *env = NULL;
  CMS_SignerInfo *si;
  BIO *in, *out = BIO_new (BIO_s_mem ());
  unsigned char nonce[16];
  unsigned char *der = NULL;
  int len;

  if (issued != NULL)
    {
      /* certs-only inner SignedData, enveloped to the requester's certificate */
      STACK_OF (X509) *recips = sk_X509_new_null ();
      X509 *certs[2] = { issued, ca_cert };
      BIO *dbio;

      der = certs_only (certs, 2, &len);
      dbio = BIO_new_mem_buf (der, len);
      sk_X509_push (recips, requester);
      env = CMS_encrypt (recips, dbio, EVP_aes_128_cbc (), CMS_BINARY);
      if (env == NULL)
        die ("encrypt reply");
      BIO_free (dbio);
      OPENSSL_free (der);
      der = NULL;
      sk_X509_free (recips);
    }

  cms = CMS_sign (NULL, NULL, NULL, NULL, CMS_BINARY | CMS_PARTIAL |
                  (env == NULL ? CMS_DETACHED : 0));
  si = CMS_add1_signer (cms, signer, signer_key, EVP_sha256 (), CMS_BINARY | CMS_NOSMIMECAP);
  if (si == NULL)
    die ("signer");
  add_attr (si, OID_MESSAGE_TYPE, V_ASN1_PRINTABLESTRING, "3", -1);
  add_attr (si, OID_TRANSACTION_ID, V_ASN1_PRINTABLESTRING, tid, -1);
  add_attr (si, OID_PKI_STATUS, V_ASN1_PRINTABLESTRING, status, -1);
  RAND_bytes (nonce, sizeof nonce);
  add_attr (si, OID_SENDER_NONCE, V_ASN1_OCTET_STRING, nonce, sizeof nonce);
  add_attr (si, OID_RECIPIENT_NONCE, V_ASN1_OCTET_STRING, ASN1_STRING_get0_data (sender_nonce),
            ASN1_STRING_length (sender_nonce));
  if (fail >= 0)
    {
      char code[16];

      snprintf (code, sizeof code, "%d", fail);
      add_attr (si, OID_FAIL_INFO, V_ASN1_PRINTABLESTRING, code, -1);
      add_attr (si, OID_FAIL_INFO_TEXT, V_ASN1_UTF8STRING, "test responder refused it", -1);
    }

  if (env != NULL)
    {
      len = i2d_CMS_ContentInfo (env, &der);
      in = BIO_new_mem_buf (der, len);
      CMS_ContentInfo_free (env);
    }
  else
    in = BIO_new_mem_buf ("", 0);
  if (CMS_final (cms, in, NULL, CMS_BINARY | (env == NULL ? CMS_DETACHED : 0)) != 1)
    die ("final");
  BIO_free (in);
  OPENSSL_free (der);
  if (i2d_CMS_bio (out, cms) != 1)
    die ("i2d");
  CMS_ContentInfo_free (cms);
  der = bio_data (out, out_length);
  BIO_free (out);
  return der;
}

static char *
challenge_of (X509_REQ *req)
{
  int idx = X509_REQ_get_attr_by_NID (req, NID_pkcs9_challengePassword, -1);
  X509_ATTRIBUTE *attr;
  ASN1_TYPE *t;

  if (idx < 0)
    return NULL;
  attr = X509_REQ_get_attr (req, idx);
  t = X509_ATTRIBUTE_get0_type (attr, 0);
  if (t == NULL || t->type != V_ASN1_PRINTABLESTRING)   /* what RFC 8894 clients send */
    return strdup ("(not a PrintableString)");
  return strndup ((const char *) ASN1_STRING_get0_data (t->value.asn1_string),
                  ASN1_STRING_length (t->value.asn1_string));
}

/* IssuerAndSubject: the issuer must be our CA, the subject the pending request's */
static int
check_issuer_and_subject (const unsigned char *der, size_t length)
{
  const unsigned char *p = der;
  long inner_len;
  int tag, xclass;
  X509_NAME *issuer, *subject;
  int ok;

  if (ASN1_get_object (&p, &inner_len, &tag, &xclass, length) & 0x80 || tag != V_ASN1_SEQUENCE)
    return 0;
  issuer = d2i_X509_NAME (NULL, &p, inner_len);
  subject = issuer != NULL ? d2i_X509_NAME (NULL, &p, der + length - p) : NULL;
  ok = subject != NULL && p == der + length &&
       X509_NAME_cmp (issuer, X509_get_subject_name (ca_cert)) == 0 &&
       pending_req != NULL && X509_NAME_cmp (subject, X509_REQ_get_subject_name (pending_req)) == 0;
  X509_NAME_free (issuer);
  X509_NAME_free (subject);
  return ok;
}

static void
pki_operation (int fd, const char *method, const unsigned char *msg, size_t msg_len)
{
  const unsigned char *p = msg;
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo (NULL, &p, msg_len);
  CMS_ContentInfo *env;
  BIO *content = BIO_new (BIO_s_mem ()), *plain = BIO_new (BIO_s_mem ());
  STACK_OF (CMS_SignerInfo) *sis;
  CMS_SignerInfo *si;
  X509 *requester = NULL;
  X509_ALGOR *dig = NULL;
  ASN1_STRING *mt, *tid_s, *nonce;
  char tid[256], type[8];
  unsigned char *env_der, *inner, *reply = NULL;
  size_t env_len, inner_len, reply_len = 0;
  const char *status = "0";
  int fail = -1;
  X509 *issued = NULL;
  char cipher_name[64] = "?";
  char signer_kind[128];

  if (cms == NULL ||
      CMS_verify (cms, NULL, NULL, NULL, content, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1)
    {
      log_event ("%s bad-signature", method);
      send_response (fd, 400, "text/plain", (const unsigned char *) "bad message", 11);
      ERR_clear_error ();
      CMS_ContentInfo_free (cms);
      BIO_free (content);
      BIO_free (plain);
      return;
    }
  sis = CMS_get0_SignerInfos (cms);
  si = sk_CMS_SignerInfo_value (sis, 0);
  CMS_SignerInfo_get0_algs (si, NULL, &requester, &dig, NULL);
  mt = get_attr (si, OID_MESSAGE_TYPE);
  tid_s = get_attr (si, OID_TRANSACTION_ID);
  nonce = get_attr (si, OID_SENDER_NONCE);
  if (mt == NULL || tid_s == NULL || nonce == NULL || requester == NULL)
    die ("missing SCEP attributes");
  snprintf (type, sizeof type, "%.*s", ASN1_STRING_length (mt), ASN1_STRING_get0_data (mt));
  snprintf (tid, sizeof tid, "%.*s", ASN1_STRING_length (tid_s), ASN1_STRING_get0_data (tid_s));
  describe_signer (requester, signer_kind, sizeof signer_kind);

  env_der = bio_data (content, &env_len);
  p = env_der;
  env = d2i_CMS_ContentInfo (NULL, &p, env_len);
  if (env == NULL ||
      CMS_decrypt (env, with_ra ? ra_enc_key : ca_key, with_ra ? ra_enc_cert : ca_cert, NULL,
                   plain, CMS_BINARY) != 1)
    die ("decrypt request");
  {
    /* The content-encryption algorithm, for the test to check the caps choice */
    const unsigned char *q = env_der;
    PKCS7 *p7 = d2i_PKCS7 (NULL, &q, env_len);

    if (p7 != NULL && PKCS7_type_is_enveloped (p7))
      snprintf (cipher_name, sizeof cipher_name, "%s",
                OBJ_nid2sn (OBJ_obj2nid (p7->d.enveloped->enc_data->algorithm->algorithm)));
    PKCS7_free (p7);
  }
  inner = bio_data (plain, &inner_len);

  if (strcmp (type, "19") == 0 || strcmp (type, "17") == 0)
    {
      const unsigned char *q = inner;
      X509_REQ *req = d2i_X509_REQ (NULL, &q, inner_len);
      int renewal = strcmp (type, "17") == 0;
      char *pw;

      if (req == NULL || X509_REQ_verify (req, X509_REQ_get0_pubkey (req)) != 1)
        die ("bad CSR");
      pw = challenge_of (req);
      if (renewal && strncmp (signer_kind, "issued:", 7) != 0)
        {
          /* A renewal is authenticated by the certificate it renews */
          status = "2";
          fail = 1;
        }
      else if (!renewal && challenge != NULL && (pw == NULL || strcmp (pw, challenge) != 0))
        {
          status = "2";
          fail = 2;
        }
      else if (fail_code >= 0)
        {
          status = "2";
          fail = fail_code;
        }
      else if (pending_mode)
        {
          status = "3";
          snprintf (pending_tid, sizeof pending_tid, "%s", tid);
          X509_REQ_free (pending_req);
          pending_req = X509_REQ_dup (req);
          X509_free (pending_signer);
          pending_signer = renewal ? X509_dup (requester) : NULL;
          polls = 0;
        }
      else
        issued = issue (req);
      free (pw);
      X509_REQ_free (req);
    }
  else if (strcmp (type, "20") == 0)
    {
      if (strcmp (tid, pending_tid) != 0 || !check_issuer_and_subject (inner, inner_len) ||
          (pending_signer != NULL && X509_cmp (pending_signer, requester) != 0))
        {
          status = "2";
          fail = 4;
        }
      else if (++polls < 2)
        status = "3";
      else
        issued = issue (pending_req);
    }
  else
    {
      status = "2";
      fail = 2;
    }

  reply = cert_rep (tid, nonce, status, fail, issued, requester, &reply_len);
  {
    char fail_note[32] = "";

    if (fail >= 0)
      snprintf (fail_note, sizeof fail_note, " failInfo=%d", fail);
    log_event ("%s %s cipher=%s digest=%s tid=%s signer=%s -> %s%s", method, type,
               cipher_name, OBJ_nid2sn (OBJ_obj2nid (dig->algorithm)), tid, signer_kind,
               status, fail_note);
  }
  send_response (fd, 200, "application/x-pki-message", reply, reply_len);

  free (reply);
  free (inner);
  free (env_der);
  X509_free (issued);
  CMS_ContentInfo_free (env);
  CMS_ContentInfo_free (cms);
  BIO_free (content);
  BIO_free (plain);
}

static void
serve (int fd)
{
  char buf[65536 * 4];
  size_t have = 0;
  char *end = NULL, *target, *sp;
  long content_length = 0;
  char method[8];

  while (end == NULL && have < sizeof buf - 1)
    {
      ssize_t n = read (fd, buf + have, sizeof buf - 1 - have);

      if (n <= 0)
        return;
      have += n;
      buf[have] = '\0';
      end = strstr (buf, "\r\n\r\n");
    }
  if (end == NULL)
    return;
  {
    char *cl = strcasestr (buf, "\r\ncontent-length:");

    if (cl != NULL && cl < end)
      content_length = strtol (cl + 17, NULL, 10);
  }
  while ((long) (have - (end + 4 - buf)) < content_length && have < sizeof buf - 1)
    {
      ssize_t n = read (fd, buf + have, sizeof buf - 1 - have);

      if (n <= 0)
        return;
      have += n;
    }

  sp = strchr (buf, ' ');
  if (sp == NULL)
    return;
  snprintf (method, sizeof method, "%.*s", (int) (sp - buf), buf);
  target = sp + 1;
  sp = strchr (target, ' ');
  if (sp == NULL)
    return;
  *sp = '\0';

  {
    char *op = query_param (target, "operation");

    if (op == NULL)
      send_response (fd, 400, "text/plain", (const unsigned char *) "no operation", 12);
    else if (strcmp (op, "GetCACaps") == 0)
      send_response (fd, 200, "text/plain", (const unsigned char *) caps, strlen (caps));
    else if (strcmp (op, "GetCACert") == 0 && !with_ra)
      {
        unsigned char *der = NULL;
        int len = i2d_X509 (ca_cert, &der);

        send_response (fd, 200, "application/x-x509-ca-cert", der, len);
        OPENSSL_free (der);
      }
    else if (strcmp (op, "GetCACert") == 0)
      {
        /* The signing RA first, to make the client choose */
        X509 *certs[3] = { ra_sign_cert, ca_cert, ra_enc_cert };
        int len;
        unsigned char *der = certs_only (certs, 3, &len);

        send_response (fd, 200, "application/x-x509-ca-ra-cert", der, len);
        OPENSSL_free (der);
      }
    else if (strcmp (op, "PKIOperation") == 0 && strcmp (method, "POST") == 0)
      {
        /* RFC 8894 §3.5.2: SCEPStandard includes POSTPKIOperation */
        if (strstr (caps, "POSTPKIOperation") == NULL && strstr (caps, "SCEPStandard") == NULL)
          send_response (fd, 405, "text/plain", (const unsigned char *) "no POST", 7);
        else
          pki_operation (fd, "POST", (unsigned char *) end + 4, content_length);
      }
    else if (strcmp (op, "PKIOperation") == 0)
      {
        char *message = query_param (target, "message");
        unsigned char *der = malloc (message != NULL ? strlen (message) : 1);
        int len = message != NULL ? EVP_DecodeBlock (der, (unsigned char *) message,
                                                      strlen (message)) : -1;

        if (len < 0)
          send_response (fd, 400, "text/plain", (const unsigned char *) "bad base64", 10);
        else
          {
            /* EVP_DecodeBlock counts the padding as zero bytes */
            size_t ml = strlen (message);

            if (ml >= 1 && message[ml - 1] == '=')
              len--;
            if (ml >= 2 && message[ml - 2] == '=')
              len--;
            pki_operation (fd, "GET", der, len);
          }
        free (der);
        free (message);
      }
    else
      send_response (fd, 404, "text/plain", (const unsigned char *) "unknown", 7);
    free (op);
  }
}

int
main (int argc, char **argv)
{
  struct sockaddr_in addr = { 0 };
  socklen_t addr_len = sizeof addr;
  static char caps_buf[1024];
  int sock, i, one = 1;

  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--dir") == 0 && i + 1 < argc)
        dir = argv[++i];
      else if (strcmp (argv[i], "--ra") == 0)
        with_ra = 1;
      else if (strcmp (argv[i], "--pending") == 0)
        pending_mode = 1;
      else if (strcmp (argv[i], "--fail") == 0 && i + 1 < argc)
        fail_code = atoi (argv[++i]);
      else if (strcmp (argv[i], "--challenge") == 0 && i + 1 < argc)
        challenge = argv[++i];
      else if (strcmp (argv[i], "--caps") == 0 && i + 1 < argc)
        {
          char *c;

          snprintf (caps_buf, sizeof caps_buf, "%s\n", argv[++i]);
          for (c = caps_buf; *c != '\0'; c++)
            if (*c == ',')
              *c = '\n';
          caps = caps_buf;
        }
      else
        die ("usage: scep-responder --dir DIR [--ra] [--pending] [--fail N] [--caps A,B] "
             "[--challenge PW]");
    }
  if (dir == NULL)
    die ("--dir is required");

  ca_cert = load_cert ("ca.pem");
  ca_key = load_key ("ca.key");
  if (with_ra)
    {
      ra_sign_cert = load_cert ("ra-sign.pem");
      ra_sign_key = load_key ("ra-sign.key");
      ra_enc_cert = load_cert ("ra-enc.pem");
      ra_enc_key = load_key ("ra-enc.key");
    }

  sock = socket (AF_INET, SOCK_STREAM, 0);
  setsockopt (sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind (sock, (struct sockaddr *) &addr, sizeof addr) != 0 || listen (sock, 8) != 0 ||
      getsockname (sock, (struct sockaddr *) &addr, &addr_len) != 0)
    die ("cannot listen on 127.0.0.1");
  printf ("PORT %d\n", ntohs (addr.sin_port));
  fflush (stdout);

  for (;;)
    {
      struct pollfd fds[2] = { { sock, POLLIN, 0 }, { 0, POLLIN, 0 } };
      int fd;

      if (poll (fds, 2, -1) < 0 && errno != EINTR)
        break;
      if (fds[1].revents != 0)
        break;   /* stdin closed: the test is done */
      if ((fds[0].revents & POLLIN) == 0)
        continue;
      fd = accept (sock, NULL, NULL);
      if (fd < 0)
        continue;
      serve (fd);
      close (fd);
    }

  close (sock);
  X509_REQ_free (pending_req);
  X509_free (pending_signer);
  X509_free (ca_cert);
  EVP_PKEY_free (ca_key);
  X509_free (ra_sign_cert);
  EVP_PKEY_free (ra_sign_key);
  X509_free (ra_enc_cert);
  EVP_PKEY_free (ra_enc_key);
  return 0;
}
