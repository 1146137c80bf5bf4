/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <string.h>

#include "certreq-private.h"

struct _CertreqCertificate
{
  GObject  parent_instance;

  X509    *x509;
  GBytes  *der;
  char    *thumbprint;   /* SHA-1, upper-case hex */
  char    *sha256;       /* SHA-256, upper-case hex */
  char    *key_id;       /* SHA-256 of the SubjectPublicKeyInfo, lower-case hex */
};

G_DEFINE_FINAL_TYPE (CertreqCertificate, certreq_certificate, G_TYPE_OBJECT)

/**
 * certreq_cert_field_free:
 * @field: (nullable): a #CertreqCertField
 */
void
certreq_cert_field_free (CertreqCertField *field)
{
  if (field == NULL)
    return;

  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static void
certreq_certificate_finalize (GObject *object)
{
  CertreqCertificate *self = CERTREQ_CERTIFICATE (object);

  X509_free (self->x509);
  g_clear_pointer (&self->der, g_bytes_unref);
  g_free (self->thumbprint);
  g_free (self->sha256);
  g_free (self->key_id);

  G_OBJECT_CLASS (certreq_certificate_parent_class)->finalize (object);
}

static void
certreq_certificate_class_init (CertreqCertificateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = certreq_certificate_finalize;
}

static void
certreq_certificate_init (CertreqCertificate *self)
{
}

static char *
digest_hex (X509         *x509,
            const EVP_MD *md)
{
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  if (!X509_digest (x509, md, buf, &len))
    return NULL;
  return _certreq_hex (buf, len, TRUE);
}

static CertreqCertificate *
certificate_new_take (X509    *x509,
                      GError **error)
{
  g_autoptr(X509) owned = x509;
  g_autoptr(CertreqCertificate) self = NULL;
  unsigned char *der = NULL;
  EVP_PKEY *pkey;
  int len;

  len = i2d_X509 (owned, &der);
  if (len <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate could not be encoded."));
      return NULL;
    }

  self = g_object_new (CERTREQ_TYPE_CERTIFICATE, NULL);
  self->der = g_bytes_new (der, (gsize) len);
  OPENSSL_free (der);

  self->thumbprint = digest_hex (owned, EVP_sha1 ());
  self->sha256 = digest_hex (owned, EVP_sha256 ());
  pkey = X509_get0_pubkey (owned);
  if (pkey != NULL)
    self->key_id = _certreq_pubkey_id (pkey, NULL);

  if (self->thumbprint == NULL || self->sha256 == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate’s fingerprint could not be computed."));
      return NULL;
    }
  if (self->key_id == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                       _("The certificate’s public key could not be read."));
      return NULL;
    }

  self->x509 = g_steal_pointer (&owned);
  return g_steal_pointer (&self);
}

/**
 * _certreq_certificate_new_take:
 * @x509: (transfer full): a certificate
 *
 * Returns: (transfer full) (nullable): a #CertreqCertificate wrapping @x509, or
 *   %NULL if it cannot be encoded or has an unreadable public key
 */
CertreqCertificate *
_certreq_certificate_new_take (X509 *x509)
{
  g_return_val_if_fail (x509 != NULL, NULL);

  return certificate_new_take (x509, NULL);
}

/**
 * _certreq_certificate_get_x509:
 * @cert: a #CertreqCertificate
 *
 * Returns: (transfer none): the OpenSSL certificate, to be read only
 */
X509 *
_certreq_certificate_get_x509 (CertreqCertificate *cert)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (cert), NULL);

  return cert->x509;
}

/**
 * certreq_certificate_new_from_der:
 * @der: a DER-encoded X.509 certificate
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set
 */
CertreqCertificate *
certreq_certificate_new_from_der (GBytes  *der,
                                  GError **error)
{
  const unsigned char *p;
  gsize size = 0;
  X509 *x509;

  g_return_val_if_fail (der != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ERR_clear_error ();
  p = g_bytes_get_data (der, &size);
  if (size == 0 || size > G_MAXLONG ||
      (x509 = d2i_X509 (NULL, &p, (long) size)) == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                       _("The data is not an X.509 certificate."));
      return NULL;
    }

  return certificate_new_take (x509, error);
}

static gboolean
looks_like_pem (const char *data,
                gsize       length)
{
  return g_strstr_len (data, (gssize) MIN (length, (gsize) G_MAXSSIZE), "-----BEGIN ") != NULL;
}

/* A copy of @data without carriage returns: files that went through Windows
 * have CRLF line ends, and some tools leave stray CRs inside the base64. */
static GBytes *
strip_cr (const char *data,
          gsize       length)
{
  char *copy = g_malloc (length + 1);
  gsize i, n = 0;

  for (i = 0; i < length; i++)
    if (data[i] != '\r')
      copy[n++] = data[i];
  copy[n] = '\0';

  return g_bytes_new_take (copy, n);
}

/* Every CERTIFICATE block of a PEM text, skipping other blocks (keys, requests)
 * and any text around them (openssl's "subject=" lines). */
static GPtrArray *
list_from_pem (const char  *data,
               gsize        length,
               gboolean     first_only,
               GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) clean = strip_cr (data, length);
  g_autoptr(BIO) bio = NULL;
  gsize size = g_bytes_get_size (clean);

  if (size > G_MAXINT)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The certificate file is too large."));
      return NULL;
    }

  ERR_clear_error ();
  bio = BIO_new_mem_buf (g_bytes_get_data (clean, NULL), (int) size);
  if (bio == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificates could not be read."));
      return NULL;
    }

  for (;;)
    {
      X509 *x509 = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
      CertreqCertificate *cert;
      unsigned long err;

      if (x509 == NULL)
        {
          err = ERR_peek_last_error ();
          if (ERR_GET_LIB (err) == ERR_LIB_PEM && ERR_GET_REASON (err) == PEM_R_NO_START_LINE)
            {
              ERR_clear_error ();
              break;
            }
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                           _("A certificate in the PEM text is damaged."));
          return NULL;
        }

      cert = certificate_new_take (x509, error);
      if (cert == NULL)
        return NULL;
      g_ptr_array_add (list, cert);
      if (first_only)
        break;
    }

  if (list->len == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The PEM text contains no certificate."));
      return NULL;
    }

  return g_steal_pointer (&list);
}

/**
 * certreq_certificate_new_from_pem:
 * @pem: PEM text
 * @length: length of @pem, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * Reads the first CERTIFICATE block in @pem; other blocks and text around
 * them are skipped, and CRLF line ends are accepted.
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set
 */
CertreqCertificate *
certreq_certificate_new_from_pem (const char *pem,
                                  gssize      length,
                                  GError    **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  list = list_from_pem (pem, length < 0 ? strlen (pem) : (gsize) length, TRUE, error);
  if (list == NULL)
    return NULL;

  return g_object_ref (g_ptr_array_index (list, 0));
}

/**
 * certreq_certificate_list_from_data:
 * @data: a PEM bundle or one DER certificate
 * @length: length of @data in bytes
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CertreqCertificate): at least one
 *   certificate, or %NULL with @error set
 */
GPtrArray *
certreq_certificate_list_from_data (const char  *data,
                                    gsize        length,
                                    GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  GPtrArray *list;
  CertreqCertificate *cert;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The certificate file is empty."));
      return NULL;
    }

  if (looks_like_pem (data, length))
    return list_from_pem (data, length, FALSE, error);

  bytes = g_bytes_new (data, length);
  cert = certreq_certificate_new_from_der (bytes, error);
  if (cert == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (list, cert);
  return list;
}

static gboolean
read_file (const char  *path,
           char       **contents,
           gsize       *length,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, contents, length, &local_error))
    {
      /* Translators: %1$s is a file name, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? CERTREQ_ERROR_NOT_FOUND : CERTREQ_ERROR_STORE,
                   _("Could not read the certificate file %1$s: %2$s"),
                   path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
prefix_file_error (GError     **error,
                   GError      *local_error,
                   const char  *path)
{
  /* Translators: %1$s is a file name, %2$s the reason it cannot be used */
  g_set_error (error, CERTREQ_ERROR, local_error->code,
               _("The file %1$s cannot be used: %2$s"), path, local_error->message);
}

/**
 * certreq_certificate_load:
 * @path: a PEM or DER certificate file
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the (first) certificate in @path, or %NULL with @error set
 */
CertreqCertificate *
certreq_certificate_load (const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  list = certreq_certificate_list_load (path, error);
  if (list == NULL)
    return NULL;

  return g_object_ref (g_ptr_array_index (list, 0));
}

/**
 * certreq_certificate_list_load:
 * @path: a PEM bundle or DER certificate file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CertreqCertificate): the
 *   certificates, or %NULL with @error set
 */
GPtrArray *
certreq_certificate_list_load (const char  *path,
                               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  GPtrArray *list;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_file (path, &contents, &length, error))
    return NULL;

  list = certreq_certificate_list_from_data (contents, length, &local_error);
  if (list == NULL)
    prefix_file_error (error, local_error, path);

  return list;
}

/**
 * certreq_certificate_get_der:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the DER encoding
 */
GBytes *
certreq_certificate_get_der (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return g_bytes_ref (self->der);
}

/**
 * certreq_certificate_to_pem:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): a "CERTIFICATE" PEM block with LF line ends
 */
char *
certreq_certificate_to_pem (CertreqCertificate *self)
{
  g_autofree char *b64 = NULL;
  GString *pem;
  gsize len, i;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  b64 = g_base64_encode (g_bytes_get_data (self->der, NULL), g_bytes_get_size (self->der));
  len = strlen (b64);
  pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");
  for (i = 0; i < len; i += 64)
    {
      g_string_append_len (pem, b64 + i, (gssize) MIN (64, len - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE-----\n");

  return g_string_free (pem, FALSE);
}

/**
 * certreq_certificate_get_thumbprint:
 * @self: a #CertreqCertificate
 *
 * Returns: the SHA-1 thumbprint, 40 upper-case hex digits
 */
const char *
certreq_certificate_get_thumbprint (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return self->thumbprint;
}

/**
 * certreq_certificate_get_sha256:
 * @self: a #CertreqCertificate
 *
 * Returns: the SHA-256 fingerprint, 64 upper-case hex digits
 */
const char *
certreq_certificate_get_sha256 (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return self->sha256;
}

/* Invisible characters that come along when a thumbprint is copied from
 * Windows' certificate dialog (MMC prefixes U+200E LEFT-TO-RIGHT MARK) or a
 * web page: marks, zero-width characters, no-break spaces, the BOM. */
static gboolean
is_ignorable_char (gunichar c)
{
  switch (c)
    {
    case 0x00A0: /* no-break space */
    case 0x200B: /* zero width space */
    case 0x200C:
    case 0x200D:
    case 0x200E: /* left-to-right mark */
    case 0x200F:
    case 0x202A:
    case 0x202B:
    case 0x202C:
    case 0x202D:
    case 0x202E:
    case 0x202F: /* narrow no-break space */
    case 0x2060:
    case 0xFEFF: /* byte order mark */
      return TRUE;
    default:
      return g_unichar_isspace (c);
    }
}

/**
 * certreq_thumbprint_normalize:
 * @text: a thumbprint as pasted by an admin
 *
 * Accepts any case, spaces, colons and the invisible marks Windows adds, and
 * returns the canonical form.
 *
 * Returns: (transfer full) (nullable): 40 upper-case hex digits, or %NULL if
 *   @text is not a SHA-1 thumbprint
 */
char *
certreq_thumbprint_normalize (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  out = g_string_sized_new (41);
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ':' || is_ignorable_char (c))
        continue;
      if (c > 0x7f || !g_ascii_isxdigit ((char) c) || out->len >= 40)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, g_ascii_toupper ((char) c));
    }

  if (out->len != 40)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/**
 * certreq_format_fingerprint:
 * @hex: hex digits, as from certreq_certificate_get_sha256()
 *
 * Returns: (transfer full): "AB:CD:…" as openssl prints fingerprints
 */
char *
certreq_format_fingerprint (const char *hex)
{
  GString *out;
  gsize i, len;

  g_return_val_if_fail (hex != NULL, NULL);

  len = strlen (hex);
  out = g_string_sized_new (len + len / 2);
  for (i = 0; i < len; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
    }

  return g_string_free (out, FALSE);
}

/* ---- Names ---- */

static char *
bio_to_string (BIO *bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);

  if (len <= 0)
    return g_strdup ("");
  /* Values come from the certificate: never hand invalid UTF-8 to the UI */
  return g_utf8_make_valid (data, len);
}

/* RFC 2253 as `openssl x509 -nameopt RFC2253` prints it, except that UTF-8
 * stays readable instead of being escaped as \C3\BC */
#define ONELINE_FLAGS ((XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT)

static char *
name_to_string (const X509_NAME *name,
                unsigned long    flags)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());

  if (bio == NULL || name == NULL)
    return g_strdup ("");
  if (X509_NAME_print_ex (bio, name, 0, flags) < 0)
    return g_strdup ("");
  return bio_to_string (bio);
}

static char *
asn1_string_to_utf8 (const ASN1_STRING *str)
{
  unsigned char *utf8 = NULL;
  char *result;
  int len;

  if (str == NULL)
    return NULL;
  len = ASN1_STRING_to_UTF8 (&utf8, str);
  if (len < 0)
    return NULL;
  result = g_utf8_make_valid ((const char *) utf8, len);
  OPENSSL_free (utf8);

  return result;
}

/* The most specific (last) CN of @name, or the whole one-line name */
static char *
name_display (const X509_NAME *name)
{
  int index = -1, i;

  while ((i = X509_NAME_get_index_by_NID (name, NID_commonName, index)) >= 0)
    index = i;

  if (index >= 0)
    {
      X509_NAME_ENTRY *entry = X509_NAME_get_entry (name, index);
      char *cn = asn1_string_to_utf8 (X509_NAME_ENTRY_get_data (entry));

      if (cn != NULL && *cn != '\0')
        return cn;
      g_free (cn);
    }

  return name_to_string (name, ONELINE_FLAGS);
}

/**
 * certreq_certificate_get_subject:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the subject as a one-line RFC 2253 name ("CN=…,O=…")
 */
char *
certreq_certificate_get_subject (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return name_to_string (X509_get_subject_name (self->x509), ONELINE_FLAGS);
}

/**
 * certreq_certificate_get_issuer:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the issuer as a one-line RFC 2253 name
 */
char *
certreq_certificate_get_issuer (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return name_to_string (X509_get_issuer_name (self->x509), ONELINE_FLAGS);
}

/**
 * certreq_certificate_get_subject_name:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the subject's common name, or the whole subject without one
 */
char *
certreq_certificate_get_subject_name (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return name_display (X509_get_subject_name (self->x509));
}

/**
 * certreq_certificate_get_issuer_name:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the issuer's common name, or the whole issuer without one
 */
char *
certreq_certificate_get_issuer_name (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return name_display (X509_get_issuer_name (self->x509));
}

static char *
integer_to_hex (const ASN1_INTEGER *integer)
{
  g_autofree char *hex = NULL;
  int len;

  if (integer == NULL)
    return g_strdup ("");

  len = ASN1_STRING_length (integer);
  if (len <= 0)
    return g_strdup ("00");

  hex = _certreq_hex (ASN1_STRING_get0_data (integer), (gsize) len, TRUE);
  if (ASN1_STRING_type (integer) == V_ASN1_NEG_INTEGER)
    return g_strconcat ("-", hex, NULL);
  return g_steal_pointer (&hex);
}

/**
 * certreq_certificate_get_serial:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the serial number in upper-case hex, as
 *   `openssl x509 -serial` prints it
 */
char *
certreq_certificate_get_serial (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return integer_to_hex (X509_get0_serialNumber (self->x509));
}

static GDateTime *
asn1_time_to_date_time (const ASN1_TIME *time)
{
  struct tm tm = { 0 };

  if (time == NULL || !ASN1_TIME_to_tm (time, &tm))
    return NULL;

  return g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/**
 * certreq_certificate_get_not_before:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the start of the validity period, in UTC
 */
GDateTime *
certreq_certificate_get_not_before (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return asn1_time_to_date_time (X509_get0_notBefore (self->x509));
}

/**
 * certreq_certificate_get_not_after:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the end of the validity period, in UTC
 */
GDateTime *
certreq_certificate_get_not_after (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return asn1_time_to_date_time (X509_get0_notAfter (self->x509));
}

/**
 * certreq_certificate_get_dns_names:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the DNS names of the subject alternative name
 *   extension, in their order; an empty vector without one
 */
char **
certreq_certificate_get_dns_names (CertreqCertificate *self)
{
  g_autoptr(GENERAL_NAMES) names = NULL;
  GPtrArray *out;
  int i;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  out = g_ptr_array_new ();
  names = X509_get_ext_d2i (self->x509, NID_subject_alt_name, NULL, NULL);
  for (i = 0; names != NULL && i < sk_GENERAL_NAME_num (names); i++)
    {
      GENERAL_NAME *name = sk_GENERAL_NAME_value (names, i);
      char *dns;

      if (name->type != GEN_DNS)
        continue;
      dns = asn1_string_to_utf8 (name->d.dNSName);
      if (dns != NULL)
        g_ptr_array_add (out, dns);
    }
  g_ptr_array_add (out, NULL);

  return (char **) g_ptr_array_free (out, FALSE);
}

/**
 * certreq_certificate_has_eku:
 * @self: a #CertreqCertificate
 * @eku: the purposes needed
 *
 * Returns: %TRUE when the certificate has no extended key usage extension
 *   (any purpose), or one with anyExtendedKeyUsage, or one with every bit of @eku
 */
gboolean
certreq_certificate_has_eku (CertreqCertificate *self,
                             CertreqEku          eku)
{
  uint32_t xku;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), FALSE);

  if ((X509_get_extension_flags (self->x509) & EXFLAG_XKUSAGE) == 0)
    return TRUE;

  xku = X509_get_extended_key_usage (self->x509);
  if (xku & XKU_ANYEKU)
    return TRUE;
  if ((eku & CERTREQ_EKU_SERVER_AUTH) && !(xku & XKU_SSL_SERVER))
    return FALSE;
  if ((eku & CERTREQ_EKU_CLIENT_AUTH) && !(xku & XKU_SSL_CLIENT))
    return FALSE;

  return TRUE;
}

/**
 * certreq_certificate_is_ca:
 * @self: a #CertreqCertificate
 *
 * Returns: %TRUE when basic constraints say this is a CA certificate
 */
gboolean
certreq_certificate_is_ca (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), FALSE);

  return (X509_get_extension_flags (self->x509) & EXFLAG_CA) != 0;
}

/**
 * certreq_certificate_is_self_issued:
 * @self: a #CertreqCertificate
 *
 * Returns: %TRUE when subject and issuer are the same (a root, typically)
 */
gboolean
certreq_certificate_is_self_issued (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), FALSE);

  return (X509_get_extension_flags (self->x509) & EXFLAG_SI) != 0;
}

/**
 * certreq_certificate_get_key_id:
 * @self: a #CertreqCertificate
 *
 * Returns: the lower-case hex SHA-256 of the SubjectPublicKeyInfo, as certreq_key_get_id()
 */
const char *
certreq_certificate_get_key_id (CertreqCertificate *self)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  return self->key_id;
}

/**
 * certreq_certificate_matches_key:
 * @self: a #CertreqCertificate
 * @key: a private key
 *
 * Returns: %TRUE when @key is the private key of the certificate's public key
 */
gboolean
certreq_certificate_matches_key (CertreqCertificate *self,
                                 CertreqKey         *key)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (CERTREQ_IS_KEY (key), FALSE);

  return g_strcmp0 (self->key_id, certreq_key_get_id (key)) == 0;
}

/* Lower case, without a trailing dot; NULL when empty */
static char *
canonical_dns_name (const char *name)
{
  char *lower;
  gsize len;

  if (name == NULL)
    return NULL;
  lower = g_ascii_strdown (name, -1);
  len = strlen (lower);
  if (len > 0 && lower[len - 1] == '.')
    lower[len - 1] = '\0';
  if (*lower == '\0')
    {
      g_free (lower);
      return NULL;
    }
  return lower;
}

/* RFC 6125 §6.4.3, as browsers apply it: "*" only as the whole left-most label,
 * matching exactly one non-empty label, and never directly under a single label */
static gboolean
dns_pattern_matches (const char *pattern,
                     const char *name)
{
  const char *dot;

  if (g_strcmp0 (pattern, name) == 0)
    return TRUE;

  if (!g_str_has_prefix (pattern, "*."))
    return FALSE;
  /* "*.com" would vouch for a whole top-level domain */
  if (strchr (pattern + 2, '.') == NULL)
    return FALSE;
  /* A partial wildcard such as "w*.example.com" never gets here: it does not
   * start with "*.", and is only matched literally above. */
  dot = strchr (name, '.');
  if (dot == NULL || dot == name)
    return FALSE;

  return strcmp (dot + 1, pattern + 2) == 0;
}

/**
 * certreq_certificate_covers_name:
 * @self: a #CertreqCertificate
 * @name: a DNS name
 *
 * Checks @name against the DNS names of the subject alternative name
 * extension, case-insensitively. A wildcard covers exactly one label, and only
 * as the whole left-most label (RFC 6125). The subject's CN is not consulted,
 * as browsers no longer do.
 *
 * Returns: %TRUE when @name is covered
 */
gboolean
certreq_certificate_covers_name (CertreqCertificate *self,
                                 const char         *name)
{
  g_auto(GStrv) dns_names = NULL;
  g_autofree char *wanted = NULL;
  gsize i;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), FALSE);

  wanted = canonical_dns_name (name);
  if (wanted == NULL)
    return FALSE;

  dns_names = certreq_certificate_get_dns_names (self);
  for (i = 0; dns_names[i] != NULL; i++)
    {
      g_autofree char *pattern = canonical_dns_name (dns_names[i]);

      if (pattern != NULL && dns_pattern_matches (pattern, wanted))
        return TRUE;
    }

  return FALSE;
}

/**
 * certreq_certificate_is_valid_at:
 * @self: a #CertreqCertificate
 * @when: (nullable): a time, %NULL for now
 *
 * Returns: %TRUE when @when lies within the validity period (inclusive)
 */
gboolean
certreq_certificate_is_valid_at (CertreqCertificate *self,
                                 GDateTime          *when)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), FALSE);

  if (when == NULL)
    when = now = g_date_time_new_now_utc ();

  not_before = certreq_certificate_get_not_before (self);
  not_after = certreq_certificate_get_not_after (self);
  if (not_before == NULL || not_after == NULL)
    return FALSE;

  return g_date_time_compare (not_before, when) <= 0 &&
         g_date_time_compare (when, not_after) <= 0;
}

/* ---- Display ---- */

typedef struct
{
  int          nid;
  const char  *name;   /* N_() with the "key usage" context */
} NamedNid;

/* Windows' names, so admins recognise them from the Windows dialog */
static const NamedNid eku_names[] = {
  { NID_server_auth, NC_("key usage", "Server Authentication") },
  { NID_client_auth, NC_("key usage", "Client Authentication") },
  { NID_code_sign, NC_("key usage", "Code Signing") },
  { NID_email_protect, NC_("key usage", "Secure Email") },
  { NID_time_stamp, NC_("key usage", "Time Stamping") },
  { NID_OCSP_sign, NC_("key usage", "OCSP Signing") },
  { NID_anyExtendedKeyUsage, NC_("key usage", "All application policies") },
  { NID_ms_smartcard_login, NC_("key usage", "Smart Card Logon") },
};

static char *
oid_to_text (const ASN1_OBJECT *obj)
{
  char buf[128];
  int len = OBJ_obj2txt (buf, sizeof buf, obj, 1);

  if (len <= 0)
    return g_strdup ("?");
  if ((gsize) len >= sizeof buf)
    {
      char *big = g_malloc (len + 1);

      OBJ_obj2txt (big, len + 1, obj, 1);
      return big;
    }
  return g_strdup (buf);
}

static const char *
eku_label (const ASN1_OBJECT *obj)
{
  int nid = OBJ_obj2nid (obj);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (eku_names); i++)
    if (eku_names[i].nid == nid)
      return g_dpgettext2 (GETTEXT_PACKAGE, "key usage", eku_names[i].name);

  return NULL;
}

/**
 * certreq_certificate_get_purposes:
 * @self: a #CertreqCertificate
 *
 * Returns: (transfer full): the translated list of extended key usages, such
 *   as "Server Authentication, Client Authentication"; "All purposes" when the
 *   certificate does not restrict them
 */
char *
certreq_certificate_get_purposes (CertreqCertificate *self)
{
  EXTENDED_KEY_USAGE *eku;
  GString *out;
  int i;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  eku = X509_get_ext_d2i (self->x509, NID_ext_key_usage, NULL, NULL);
  if (eku == NULL)
    return g_strdup (_("All purposes"));

  out = g_string_new (NULL);
  for (i = 0; i < sk_ASN1_OBJECT_num (eku); i++)
    {
      const ASN1_OBJECT *obj = sk_ASN1_OBJECT_value (eku, i);
      const char *label = eku_label (obj);

      if (out->len > 0)
        /* Translators: separates items in a list such as "Server Authentication, Client Authentication" */
        g_string_append (out, _(", "));
      if (label != NULL)
        g_string_append (out, label);
      else
        {
          g_autofree char *oid = oid_to_text (obj);
          g_string_append (out, oid);
        }
    }
  EXTENDED_KEY_USAGE_free (eku);

  return g_string_free (out, FALSE);
}

static void
add_field (GPtrArray        *fields,
           CertreqFieldKind  kind,
           const char       *name,
           char             *value,
           gboolean          critical)
{
  CertreqCertField *field = g_new0 (CertreqCertField, 1);

  field->kind = kind;
  field->name = g_strdup (name);
  field->value = value;
  field->critical = critical;
  g_ptr_array_add (fields, field);
}

/* One DN per line, most specific first, "CN = www.example.com" as in the
 * lower pane of the Windows dialog */
static char *
name_multiline (const X509_NAME *name)
{
  return name_to_string (name, XN_FLAG_SEP_MULTILINE | XN_FLAG_DN_REV | XN_FLAG_SPC_EQ |
                               XN_FLAG_FN_SN | ASN1_STRFLGS_UTF8_CONVERT |
                               ASN1_STRFLGS_ESC_CTRL | XN_FLAG_DUMP_UNKNOWN_FIELDS);
}

static char *
format_date (const ASN1_TIME *time)
{
  g_autoptr(GDateTime) utc = asn1_time_to_date_time (time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (utc);
  /* Translators: how a certificate's validity dates are shown (local time),
   * in g_date_time_format() syntax; German: "%d.%m.%Y %H:%M:%S" */
  return g_date_time_format (local, C_("certificate date format", "%Y-%m-%d %H:%M:%S"));
}

static char *
hex_spaced (const guint8 *data,
            gsize         length)
{
  GString *out = g_string_sized_new (length * 3);
  gsize i;

  for (i = 0; i < length; i++)
    g_string_append_printf (out, i == 0 ? "%02x" : " %02x", data[i]);

  return g_string_free (out, FALSE);
}

static void
append_ip_address (GString              *out,
                   const ASN1_OCTET_STRING *ip)
{
  int len = ASN1_STRING_length (ip);
  const guint8 *data = ASN1_STRING_get0_data (ip);

  if (len == 4 || len == 16)
    {
      g_autoptr(GInetAddress) address =
        g_inet_address_new_from_bytes (data, len == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
      g_autofree char *text = g_inet_address_to_string (address);

      g_string_append (out, text);
    }
  else
    {
      g_autofree char *hex = hex_spaced (data, (gsize) MAX (len, 0));

      g_string_append (out, hex);
    }
}

static void
append_general_name (GString            *out,
                     const GENERAL_NAME *name)
{
  g_autofree char *text = NULL;

  switch (name->type)
    {
    case GEN_DNS:
      text = asn1_string_to_utf8 (name->d.dNSName);
      /* Translators: an entry of an alternative name, as Windows shows it; %s is the name */
      g_string_append_printf (out, C_("general name", "DNS Name=%s"), text ? text : "");
      break;
    case GEN_EMAIL:
      text = asn1_string_to_utf8 (name->d.rfc822Name);
      /* Translators: an e-mail entry of an alternative name; %s is the address */
      g_string_append_printf (out, C_("general name", "RFC822 Name=%s"), text ? text : "");
      break;
    case GEN_URI:
      text = asn1_string_to_utf8 (name->d.uniformResourceIdentifier);
      /* Translators: a URL entry of an alternative name or a distribution point */
      g_string_append_printf (out, C_("general name", "URL=%s"), text ? text : "");
      break;
    case GEN_IPADD:
      /* Translators: an IP address entry of an alternative name; the address follows */
      g_string_append (out, C_("general name", "IP Address="));
      append_ip_address (out, name->d.iPAddress);
      break;
    case GEN_DIRNAME:
      text = name_to_string (name->d.directoryName, ONELINE_FLAGS);
      /* Translators: a distinguished name entry of an alternative name */
      g_string_append_printf (out, C_("general name", "Directory Address=%s"), text);
      break;
    case GEN_RID:
      text = oid_to_text (name->d.registeredID);
      /* Translators: a registered OID entry of an alternative name */
      g_string_append_printf (out, C_("general name", "Registered ID=%s"), text);
      break;
    case GEN_OTHERNAME:
      {
        g_autofree char *oid = oid_to_text (name->d.otherName->type_id);
        const ASN1_TYPE *value = name->d.otherName->value;

        if (OBJ_obj2nid (name->d.otherName->type_id) == NID_ms_upn &&
            value->type == V_ASN1_UTF8STRING)
          {
            text = asn1_string_to_utf8 (value->value.utf8string);
            /* Translators: a Windows user principal name entry of an alternative name */
            g_string_append_printf (out, C_("general name", "Principal Name=%s"),
                                    text ? text : "");
          }
        else
          /* Translators: an entry of an alternative name of a kind we do not
           * show; %s is its OID */
          g_string_append_printf (out, C_("general name", "Other Name (%s)"), oid);
      }
      break;
    default:
      /* Translators: an entry of an alternative name of a kind we do not know */
      g_string_append (out, C_("general name", "Unknown name"));
      break;
    }
}

static void
append_general_names (GString             *out,
                      const GENERAL_NAMES *names,
                      const char          *indent)
{
  int i;

  for (i = 0; i < sk_GENERAL_NAME_num (names); i++)
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, indent);
      append_general_name (out, sk_GENERAL_NAME_value (names, i));
    }
}

static char *
format_san (X509_EXTENSION *ext)
{
  GENERAL_NAMES *names = X509V3_EXT_d2i (ext);
  GString *out;

  if (names == NULL)
    return NULL;
  out = g_string_new (NULL);
  append_general_names (out, names, "");
  GENERAL_NAMES_free (names);

  return g_string_free (out, FALSE);
}

static char *
format_key_usage (X509_EXTENSION *ext)
{
  static const char *const bits[] = {
    NC_("key usage", "Digital Signature"),
    NC_("key usage", "Non-Repudiation"),
    NC_("key usage", "Key Encipherment"),
    NC_("key usage", "Data Encipherment"),
    NC_("key usage", "Key Agreement"),
    NC_("key usage", "Certificate Signing"),
    NC_("key usage", "CRL Signing"),
    NC_("key usage", "Encipher Only"),
    NC_("key usage", "Decipher Only"),
  };
  ASN1_BIT_STRING *ku = X509V3_EXT_d2i (ext);
  g_autofree char *hex = NULL;
  GString *out;
  gsize i;

  if (ku == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (i = 0; i < G_N_ELEMENTS (bits); i++)
    {
      if (!ASN1_BIT_STRING_get_bit (ku, (int) i))
        continue;
      if (out->len > 0)
        g_string_append (out, _(", "));
      g_string_append (out, g_dpgettext2 (GETTEXT_PACKAGE, "key usage", bits[i]));
    }
  /* The raw bits in hex, as Windows appends them: "Digital Signature, Key Encipherment (a0)" */
  hex = hex_spaced (ASN1_STRING_get0_data (ku), (gsize) MAX (ASN1_STRING_length (ku), 0));
  g_string_append_printf (out, out->len > 0 ? " (%s)" : "(%s)", hex);
  ASN1_BIT_STRING_free (ku);

  return g_string_free (out, FALSE);
}

static char *
format_eku (X509_EXTENSION *ext)
{
  EXTENDED_KEY_USAGE *eku = X509V3_EXT_d2i (ext);
  GString *out;
  int i;

  if (eku == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (i = 0; i < sk_ASN1_OBJECT_num (eku); i++)
    {
      const ASN1_OBJECT *obj = sk_ASN1_OBJECT_value (eku, i);
      g_autofree char *oid = oid_to_text (obj);
      const char *label = eku_label (obj);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Translators: %1$s is a key usage such as "Server Authentication", %2$s its OID */
      g_string_append_printf (out, _("%1$s (%2$s)"),
                              label != NULL ? label : C_("key usage", "Unknown Key Usage"),
                              oid);
    }
  EXTENDED_KEY_USAGE_free (eku);

  return g_string_free (out, FALSE);
}

static char *
format_basic_constraints (X509_EXTENSION *ext)
{
  BASIC_CONSTRAINTS *bc = X509V3_EXT_d2i (ext);
  GString *out;

  if (bc == NULL)
    return NULL;

  out = g_string_new (NULL);
  g_string_append (out, bc->ca ? _("Subject Type=CA") : _("Subject Type=End Entity"));
  g_string_append_c (out, '\n');
  if (bc->pathlen != NULL)
    {
      long pathlen = ASN1_INTEGER_get (bc->pathlen);

      /* Translators: %ld is the maximum number of intermediate CAs below this one */
      g_string_append_printf (out, _("Path Length Constraint=%ld"), pathlen);
    }
  else
    g_string_append (out, _("Path Length Constraint=None"));
  BASIC_CONSTRAINTS_free (bc);

  return g_string_free (out, FALSE);
}

static char *
format_ski (X509_EXTENSION *ext)
{
  ASN1_OCTET_STRING *ski = X509V3_EXT_d2i (ext);
  char *out;

  if (ski == NULL)
    return NULL;
  out = _certreq_hex (ASN1_STRING_get0_data (ski), (gsize) ASN1_STRING_length (ski), FALSE);
  ASN1_OCTET_STRING_free (ski);

  return out;
}

static char *
format_aki (X509_EXTENSION *ext)
{
  AUTHORITY_KEYID *aki = X509V3_EXT_d2i (ext);
  GString *out;

  if (aki == NULL)
    return NULL;

  out = g_string_new (NULL);
  if (aki->keyid != NULL)
    {
      g_autofree char *hex = _certreq_hex (ASN1_STRING_get0_data (aki->keyid),
                                           (gsize) ASN1_STRING_length (aki->keyid), FALSE);

      /* Translators: %s is the issuer's key identifier in hex */
      g_string_append_printf (out, _("KeyID=%s"), hex);
    }
  if (aki->issuer != NULL)
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, _("Certificate Issuer:"));
      append_general_names (out, aki->issuer, "     ");
    }
  if (aki->serial != NULL)
    {
      g_autofree char *serial = integer_to_hex (aki->serial);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Translators: %s is the issuer certificate's serial number */
      g_string_append_printf (out, _("Certificate SerialNumber=%s"), serial);
    }
  AUTHORITY_KEYID_free (aki);

  return g_string_free (out, FALSE);
}

static char *
format_crl_dp (X509_EXTENSION *ext)
{
  CRL_DIST_POINTS *points = X509V3_EXT_d2i (ext);
  GString *out;
  int i;

  if (points == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (i = 0; i < sk_DIST_POINT_num (points); i++)
    {
      DIST_POINT *point = sk_DIST_POINT_value (points, i);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Translators: %d numbers the distribution points, as in Windows: "[1]CRL Distribution Point" */
      g_string_append_printf (out, _("[%d]CRL Distribution Point"), i + 1);
      if (point->distpoint != NULL)
        {
          g_string_append_c (out, '\n');
          g_string_append (out, _("     Distribution Point Name:"));
          if (point->distpoint->type == 0)
            {
              g_string_append_c (out, '\n');
              g_string_append (out, _("          Full Name:"));
              append_general_names (out, point->distpoint->name.fullname, "               ");
            }
          else
            {
              g_autoptr(X509_NAME) rdn = X509_NAME_new ();
              g_autofree char *text = NULL;
              int j;

              for (j = 0; j < sk_X509_NAME_ENTRY_num (point->distpoint->name.relativename); j++)
                X509_NAME_add_entry (rdn, sk_X509_NAME_ENTRY_value (point->distpoint->name.relativename, j),
                                     -1, 0);
              text = name_to_string (rdn, ONELINE_FLAGS);
              g_string_append_printf (out, "\n          %s", text);
            }
        }
      if (point->CRLissuer != NULL)
        {
          g_string_append_c (out, '\n');
          g_string_append (out, _("     CRL Issuer:"));
          append_general_names (out, point->CRLissuer, "          ");
        }
    }
  CRL_DIST_POINTS_free (points);

  return g_string_free (out, FALSE);
}

static char *
format_aia (X509_EXTENSION *ext)
{
  AUTHORITY_INFO_ACCESS *aia = X509V3_EXT_d2i (ext);
  GString *out;
  int i;

  if (aia == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (i = 0; i < sk_ACCESS_DESCRIPTION_num (aia); i++)
    {
      ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value (aia, i);
      g_autofree char *oid = oid_to_text (ad->method);
      const char *method;

      switch (OBJ_obj2nid (ad->method))
        {
        case NID_ad_OCSP:
          method = _("On-line Certificate Status Protocol");
          break;
        case NID_ad_ca_issuers:
          method = _("Certification Authority Issuer");
          break;
        default:
          method = _("Unknown Access Method");
          break;
        }

      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Translators: %d numbers the entries, as in Windows: "[1]Authority Info Access" */
      g_string_append_printf (out, _("[%d]Authority Info Access"), i + 1);
      g_string_append_c (out, '\n');
      /* Translators: %1$s is an access method such as "Certification Authority Issuer", %2$s its OID */
      g_string_append_printf (out, _("     Access Method=%1$s (%2$s)"), method, oid);
      g_string_append_c (out, '\n');
      g_string_append (out, _("     Alternative Name:"));
      g_string_append_c (out, '\n');
      g_string_append (out, "          ");
      append_general_name (out, ad->location);
    }
  AUTHORITY_INFO_ACCESS_free (aia);

  return g_string_free (out, FALSE);
}

static char *
format_policies (X509_EXTENSION *ext)
{
  CERTIFICATEPOLICIES *policies = X509V3_EXT_d2i (ext);
  GString *out;
  int i, j;

  if (policies == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (i = 0; i < sk_POLICYINFO_num (policies); i++)
    {
      POLICYINFO *info = sk_POLICYINFO_value (policies, i);
      g_autofree char *oid = oid_to_text (info->policyid);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Translators: %d numbers the policies, as in Windows: "[1]Certificate Policy:" */
      g_string_append_printf (out, _("[%d]Certificate Policy:"), i + 1);
      g_string_append_c (out, '\n');
      /* Translators: %s is the policy's OID */
      g_string_append_printf (out, _("     Policy Identifier=%s"), oid);

      for (j = 0; j < sk_POLICYQUALINFO_num (info->qualifiers); j++)
        {
          POLICYQUALINFO *qual = sk_POLICYQUALINFO_value (info->qualifiers, j);
          g_autofree char *text = NULL;

          g_string_append_c (out, '\n');
          /* Translators: %1$d numbers the policy, %2$d its qualifier: "[1,1]Policy Qualifier Info:" */
          g_string_append_printf (out, _("     [%1$d,%2$d]Policy Qualifier Info:"), i + 1, j + 1);
          g_string_append_c (out, '\n');
          switch (OBJ_obj2nid (qual->pqualid))
            {
            case NID_id_qt_cps:
              text = asn1_string_to_utf8 (qual->d.cpsuri);
              g_string_append (out, _("          Policy Qualifier Id=CPS"));
              g_string_append_printf (out, "\n          %s", text != NULL ? text : "");
              break;
            case NID_id_qt_unotice:
              g_string_append (out, _("          Policy Qualifier Id=User Notice"));
              if (qual->d.usernotice->exptext != NULL)
                {
                  text = asn1_string_to_utf8 (qual->d.usernotice->exptext);
                  /* Translators: %s is the text of a policy's user notice */
                  g_string_append_printf (out, "\n          %s", text != NULL ? text : "");
                }
              break;
            default:
              {
                g_autofree char *qoid = oid_to_text (qual->pqualid);

                /* Translators: %s is the OID of a policy qualifier */
                g_string_append_printf (out, _("          Policy Qualifier Id=%s"), qoid);
              }
              break;
            }
        }
    }
  CERTIFICATEPOLICIES_free (policies);

  return g_string_free (out, FALSE);
}

static void
append_subtrees (GString                   *out,
                 STACK_OF (GENERAL_SUBTREE) *trees)
{
  int i;

  if (sk_GENERAL_SUBTREE_num (trees) <= 0)
    {
      g_string_append (out, "\n     ");
      /* Translators: no permitted or excluded names */
      g_string_append (out, C_("name constraints", "None"));
      return;
    }

  for (i = 0; i < sk_GENERAL_SUBTREE_num (trees); i++)
    {
      g_string_append (out, "\n     ");
      append_general_name (out, sk_GENERAL_SUBTREE_value (trees, i)->base);
    }
}

static char *
format_name_constraints (X509_EXTENSION *ext)
{
  NAME_CONSTRAINTS *nc = X509V3_EXT_d2i (ext);
  GString *out;

  if (nc == NULL)
    return NULL;

  out = g_string_new (NULL);
  g_string_append (out, _("Permitted:"));
  append_subtrees (out, nc->permittedSubtrees);
  g_string_append_c (out, '\n');
  g_string_append (out, _("Excluded:"));
  append_subtrees (out, nc->excludedSubtrees);
  NAME_CONSTRAINTS_free (nc);

  return g_string_free (out, FALSE);
}

/* OpenSSL's own text for an extension we have no formatter for; the hex of
 * its value if OpenSSL does not know it either */
static char *
format_other (X509_EXTENSION *ext)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  ASN1_OCTET_STRING *data = X509_EXTENSION_get_data (ext);
  g_autofree char *text = NULL;

  if (bio != NULL && X509V3_EXT_print (bio, ext, 0, 0) > 0)
    {
      text = bio_to_string (bio);
      g_strstrip (text);
      if (*text != '\0')
        return g_steal_pointer (&text);
    }

  return hex_spaced (ASN1_STRING_get0_data (data), (gsize) MAX (ASN1_STRING_length (data), 0));
}

typedef struct
{
  int           nid;
  const char   *name;                         /* NC_("certificate field", …) */
  char       *(*format) (X509_EXTENSION *ext);
} ExtensionInfo;

/* In the order the details dialog lists them; any other extension follows */
static const ExtensionInfo extension_table[] = {
  { NID_subject_alt_name, NC_("certificate field", "Subject Alternative Name"), format_san },
  { NID_key_usage, NC_("certificate field", "Key Usage"), format_key_usage },
  { NID_ext_key_usage, NC_("certificate field", "Enhanced Key Usage"), format_eku },
  { NID_basic_constraints, NC_("certificate field", "Basic Constraints"), format_basic_constraints },
  { NID_subject_key_identifier, NC_("certificate field", "Subject Key Identifier"), format_ski },
  { NID_authority_key_identifier, NC_("certificate field", "Authority Key Identifier"), format_aki },
  { NID_crl_distribution_points, NC_("certificate field", "CRL Distribution Points"), format_crl_dp },
  { NID_info_access, NC_("certificate field", "Authority Information Access"), format_aia },
  { NID_certificate_policies, NC_("certificate field", "Certificate Policies"), format_policies },
  { NID_name_constraints, NC_("certificate field", "Name Constraints"), format_name_constraints },
};

static void
add_extension_field (GPtrArray      *fields,
                     X509_EXTENSION *ext,
                     const char     *name,
                     char           *(*format) (X509_EXTENSION *ext))
{
  char *value = NULL;

  if (format != NULL)
    value = format (ext);
  /* A damaged extension still shows, with OpenSSL's text or its bytes */
  if (value == NULL)
    value = format_other (ext);

  add_field (fields, CERTREQ_FIELD_KIND_EXTENSION, name, value,
             X509_EXTENSION_get_critical (ext) > 0);
}

static char *
format_public_key (EVP_PKEY *pkey)
{
  int bits = EVP_PKEY_get_bits (pkey);

  if (EVP_PKEY_is_a (pkey, "RSA") || EVP_PKEY_is_a (pkey, "RSA-PSS"))
    /* Translators: the public key field, as Windows shows it; %d is the key size */
    return g_strdup_printf (C_("public key", "RSA (%d Bits)"), bits);
  if (EVP_PKEY_is_a (pkey, "EC"))
    /* Translators: the public key field for an elliptic curve key; %d is the key size */
    return g_strdup_printf (C_("public key", "ECC (%d Bits)"), bits);

  /* Translators: the public key field for other algorithms; %1$s is the
   * algorithm, such as "ED25519", %2$d the key size */
  return g_strdup_printf (C_("public key", "%1$s (%2$d Bits)"),
                          EVP_PKEY_get0_type_name (pkey), bits);
}

/* The DER of the algorithm parameters in hex ("05 00" for RSA), as Windows
 * shows them; for a curve, also its name */
static char *
format_public_key_params (X509 *x509)
{
  X509_PUBKEY *pub = X509_get_X509_PUBKEY (x509);
  X509_ALGOR *alg = NULL;
  const void *pval = NULL;
  int ptype = V_ASN1_UNDEF;
  unsigned char *der = NULL;
  char *hex;
  int len = -1;

  if (pub == NULL || !X509_PUBKEY_get0_param (NULL, NULL, NULL, &alg, pub) || alg == NULL)
    return NULL;

  X509_ALGOR_get0 (NULL, &ptype, &pval, alg);
  if (ptype == V_ASN1_NULL)
    return g_strdup ("05 00");
  if (ptype == V_ASN1_OBJECT)
    len = i2d_ASN1_OBJECT (pval, &der);
  else if (ptype == V_ASN1_SEQUENCE)
    {
      const ASN1_STRING *seq = pval;

      return hex_spaced (ASN1_STRING_get0_data (seq), (gsize) MAX (ASN1_STRING_length (seq), 0));
    }
  if (len <= 0)
    return NULL;

  hex = hex_spaced (der, (gsize) len);
  OPENSSL_free (der);

  if (ptype == V_ASN1_OBJECT)
    {
      int nid = OBJ_obj2nid (pval);
      const char *nist = nid != NID_undef ? EC_curve_nid2nist (nid) : NULL;
      const char *sn = nid != NID_undef ? OBJ_nid2sn (nid) : NULL;
      char *with_name;

      if (nist != NULL)
        with_name = g_strdup_printf ("%s\n%s (%s)", hex, nist, sn);
      else if (sn != NULL)
        with_name = g_strdup_printf ("%s\n%s", hex, sn);
      else
        return hex;
      g_free (hex);
      return with_name;
    }

  return hex;
}

/**
 * certreq_certificate_get_fields:
 * @self: a #CertreqCertificate
 *
 * Lists every field for the details dialog, in the Windows dialog's order:
 * the basic fields, then each extension (the known ones first, in a fixed
 * order, then any other by its name or OID), then the thumbprint and SHA-256
 * fingerprint properties. Field names are translated; values taken from the
 * certificate are not.
 *
 * Returns: (transfer full) (element-type CertreqCertField): the fields
 */
GPtrArray *
certreq_certificate_get_fields (CertreqCertificate *self)
{
  GPtrArray *fields;
  X509 *x = NULL;
  EVP_PKEY *pkey;
  int sig_nid, md_nid = NID_undef, pk_nid = NID_undef, count, i;
  gsize t;
  char *value;

  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (self), NULL);

  x = self->x509;
  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) certreq_cert_field_free);

  add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Version"),
             g_strdup_printf ("V%ld", X509_get_version (x) + 1), FALSE);
  add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Serial number"),
             certreq_certificate_get_serial (self), FALSE);

  sig_nid = X509_get_signature_nid (x);
  add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Signature algorithm"),
             g_strdup (sig_nid != NID_undef ? OBJ_nid2ln (sig_nid) : "?"), FALSE);
  if (X509_get_signature_info (x, &md_nid, &pk_nid, NULL, NULL) && md_nid != NID_undef)
    add_field (fields, CERTREQ_FIELD_KIND_BASIC,
               C_("certificate field", "Signature hash algorithm"),
               g_ascii_strdown (OBJ_nid2sn (md_nid), -1), FALSE);

  add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Issuer"),
             name_multiline (X509_get_issuer_name (x)), FALSE);
  add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Valid from"),
             format_date (X509_get0_notBefore (x)), FALSE);
  add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Valid to"),
             format_date (X509_get0_notAfter (x)), FALSE);
  add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Subject"),
             name_multiline (X509_get_subject_name (x)), FALSE);

  pkey = X509_get0_pubkey (x);
  if (pkey != NULL)
    add_field (fields, CERTREQ_FIELD_KIND_BASIC, C_("certificate field", "Public key"),
               format_public_key (pkey), FALSE);
  value = format_public_key_params (x);
  if (value != NULL)
    add_field (fields, CERTREQ_FIELD_KIND_BASIC,
               C_("certificate field", "Public key parameters"), value, FALSE);

  count = X509_get_ext_count (x);
  for (t = 0; t < G_N_ELEMENTS (extension_table); t++)
    for (i = 0; i < count; i++)
      {
        X509_EXTENSION *ext = X509_get_ext (x, i);

        if (OBJ_obj2nid (X509_EXTENSION_get_object (ext)) == extension_table[t].nid)
          add_extension_field (fields, ext,
                               g_dpgettext2 (GETTEXT_PACKAGE, "certificate field",
                                             extension_table[t].name),
                               extension_table[t].format);
      }

  for (i = 0; i < count; i++)
    {
      X509_EXTENSION *ext = X509_get_ext (x, i);
      ASN1_OBJECT *obj = X509_EXTENSION_get_object (ext);
      int nid = OBJ_obj2nid (obj);
      g_autofree char *name = NULL;
      gboolean known = FALSE;

      for (t = 0; t < G_N_ELEMENTS (extension_table); t++)
        known = known || extension_table[t].nid == nid;
      if (known)
        continue;

      /* OpenSSL's English name of the extension, or its OID: not translated */
      name = nid != NID_undef ? g_strdup (OBJ_nid2ln (nid)) : oid_to_text (obj);
      add_extension_field (fields, ext, name, NULL);
    }

  add_field (fields, CERTREQ_FIELD_KIND_PROPERTY, C_("certificate field", "Thumbprint"),
             g_strdup (self->thumbprint), FALSE);
  add_field (fields, CERTREQ_FIELD_KIND_PROPERTY,
             C_("certificate field", "SHA-256 fingerprint"),
             g_strdup (self->sha256), FALSE);

  return fields;
}

/**
 * certreq_certificate_equal:
 * @a: a #CertreqCertificate
 * @b: a #CertreqCertificate
 *
 * Returns: %TRUE when both have the same DER encoding
 */
gboolean
certreq_certificate_equal (CertreqCertificate *a,
                           CertreqCertificate *b)
{
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (a), FALSE);
  g_return_val_if_fail (CERTREQ_IS_CERTIFICATE (b), FALSE);

  return a == b || g_bytes_equal (a->der, b->der);
}
