/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>

#include "certreq-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS12, PKCS12_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS7, PKCS7_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OSSL_LIB_CTX, OSSL_LIB_CTX_free)

static void
pkcs7_stack_free (STACK_OF (PKCS7) *stack)
{
  sk_PKCS7_pop_free (stack, PKCS7_free);
}

static void
safebag_stack_free (STACK_OF (PKCS12_SAFEBAG) *stack)
{
  sk_PKCS12_SAFEBAG_pop_free (stack, PKCS12_SAFEBAG_free);
}

/**
 * certreq_import_contents_free:
 * @contents: (nullable): what certreq_import_parse() found
 */
void
certreq_import_contents_free (CertreqImportContents *contents)
{
  if (contents == NULL)
    return;

  g_clear_pointer (&contents->certificates, g_ptr_array_unref);
  g_clear_object (&contents->key);
  g_free (contents->friendly_name);
  g_free (contents);
}

/**
 * certreq_import_result_free:
 * @result: (nullable): what certreq_import() did
 */
void
certreq_import_result_free (CertreqImportResult *result)
{
  if (result == NULL)
    return;

  g_free (result->thumbprint);
  g_free (result->pending_id);
  g_clear_pointer (&result->roots, g_ptr_array_unref);
  g_clear_pointer (&result->intermediates, g_ptr_array_unref);
  g_free (result);
}

static CertreqImportContents *
contents_new (void)
{
  CertreqImportContents *contents = g_new0 (CertreqImportContents, 1);

  contents->certificates = g_ptr_array_new_with_free_func (g_object_unref);
  return contents;
}

static gboolean
add_x509 (CertreqImportContents *contents,
          X509                  *x509)
{
  CertreqCertificate *cert;

  cert = _certreq_certificate_new_take (x509);
  if (cert == NULL)
    return FALSE;
  g_ptr_array_add (contents->certificates, cert);
  return TRUE;
}

static gboolean
add_pkcs7_certs (CertreqImportContents  *contents,
                 PKCS7                  *p7,
                 GError                **error)
{
  STACK_OF (X509) *certs = NULL;
  int i;

  if (PKCS7_type_is_signed (p7) && p7->d.sign != NULL)
    certs = p7->d.sign->cert;
  else if (PKCS7_type_is_signedAndEnveloped (p7) && p7->d.signed_and_enveloped != NULL)
    certs = p7->d.signed_and_enveloped->cert;

  for (i = 0; certs != NULL && i < sk_X509_num (certs); i++)
    {
      X509 *x509 = sk_X509_value (certs, i);

      X509_up_ref (x509);
      if (!add_x509 (contents, x509))
        {
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                               _("A certificate in the PKCS #7 file could not be read."));
          return FALSE;
        }
    }

  if (contents->certificates->len == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The file is a PKCS #7 (.p7b) file, but it contains no "
                             "certificate."));
      return FALSE;
    }
  return TRUE;
}

/* Reads a private key from one PEM block; an encrypted one is decrypted with @password */
static gboolean
set_key_from_pem (CertreqImportContents  *contents,
                  const char             *name,
                  const char             *header,
                  const unsigned char    *der,
                  long                    der_len,
                  const char             *password,
                  GError                **error)
{
  g_autoptr(BIO) out = BIO_new (BIO_s_secmem ());
  EVP_PKEY *pkey;
  CertreqKey *key;

  if (contents->key != NULL)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The file contains more than one private key. Import a file "
                             "with one certificate and its private key."));
      return FALSE;
    }

  if (out == NULL || PEM_write_bio (out, name, header, der, der_len) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The private key could not be read."));
      return FALSE;
    }

  ERR_clear_error ();
  pkey = PEM_read_bio_PrivateKey (out, NULL, NULL, (void *) (password != NULL ? password : ""));
  if (pkey == NULL)
    {
      if (strstr (name, "ENCRYPTED") != NULL || strstr (header, "ENCRYPTED") != NULL)
        {
          ERR_clear_error ();
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD,
                               _("The password of the encrypted private key is wrong."));
        }
      else
        _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                         _("The private key in the file could not be read."));
      return FALSE;
    }

  key = _certreq_key_new_take (pkey);
  if (key == NULL)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The private key in the file is of a type Certwiz does not "
                             "support (RSA and ECDSA keys are supported)."));
      return FALSE;
    }
  contents->key = key;
  return TRUE;
}

static gboolean
parse_pem (CertreqImportContents  *contents,
           GBytes                 *data,
           const char             *password,
           GError                **error)
{
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  g_autoptr(GString) clean = g_string_sized_new (length);
  g_autoptr(BIO) bio = NULL;
  guint n_blocks = 0;
  gsize i;

  /* CRLF and stray carriage returns, as Windows writes them */
  for (i = 0; i < length; i++)
    if (text[i] != '\r')
      g_string_append_c (clean, text[i]);

  bio = BIO_new_mem_buf (clean->str, (int) clean->len);
  if (bio == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The file could not be read."));
      return FALSE;
    }

  for (;;)
    {
      char *name = NULL;
      char *header = NULL;
      unsigned char *der = NULL;
      long der_len = 0;
      gboolean ok = TRUE;

      ERR_clear_error ();
      if (PEM_read_bio (bio, &name, &header, &der, &der_len) <= 0)
        break;
      n_blocks++;

      if (g_str_equal (name, "CERTIFICATE") || g_str_equal (name, "X509 CERTIFICATE") ||
          g_str_equal (name, "TRUSTED CERTIFICATE"))
        {
          const unsigned char *p = der;
          X509 *x509 = g_str_equal (name, "TRUSTED CERTIFICATE")
                       ? d2i_X509_AUX (NULL, &p, der_len) : d2i_X509 (NULL, &p, der_len);

          if (x509 == NULL || !add_x509 (contents, x509))
            {
              _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                               _("A certificate in the PEM file could not "
                                                 "be read."));
              ok = FALSE;
            }
        }
      else if (g_str_equal (name, "PKCS7") || g_str_equal (name, "CERTIFICATE CHAIN"))
        {
          const unsigned char *p = der;
          g_autoptr(PKCS7) p7 = d2i_PKCS7 (NULL, &p, der_len);

          if (p7 == NULL)
            {
              _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                               _("The PKCS #7 block in the PEM file could "
                                                 "not be read."));
              ok = FALSE;
            }
          else
            ok = add_pkcs7_certs (contents, p7, error);
        }
      else if (g_str_equal (name, "PRIVATE KEY") || g_str_equal (name, "RSA PRIVATE KEY") ||
               g_str_equal (name, "EC PRIVATE KEY") ||
               g_str_equal (name, "ENCRYPTED PRIVATE KEY"))
        ok = set_key_from_pem (contents, name, header, der, der_len, password, error);
      /* Anything else (parameters, a CSR, a CRL) is not ours to import: skipped */

      if (der != NULL)
        OPENSSL_cleanse (der, (size_t) der_len);
      OPENSSL_free (name);
      OPENSSL_free (header);
      OPENSSL_free (der);
      if (!ok)
        {
          OPENSSL_cleanse (clean->str, clean->len);
          return FALSE;
        }
    }
  ERR_clear_error ();
  OPENSSL_cleanse (clean->str, clean->len);

  if (contents->certificates->len == 0)
    {
      if (contents->key != NULL)
        g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                             _("The PEM file contains a private key but no certificate. "
                               "Import the certificate together with its key."));
      else if (n_blocks > 0)
        g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                             _("The PEM file contains no certificate (only other kinds of "
                               "blocks, such as a certificate request)."));
      else
        g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                             _("The file looks like a PEM file, but contains no readable "
                               "PEM block."));
      return FALSE;
    }
  return TRUE;
}

/* ---- PKCS #12 ---- */

/* A key decoded inside a private library context must not outlive it:
 * re-encode it and decode it again in the default context. */
static EVP_PKEY *
pkey_to_default_context (EVP_PKEY *pkey)
{
  unsigned char *der = NULL;
  const unsigned char *p;
  EVP_PKEY *copy;
  int len;

  len = i2d_PrivateKey (pkey, &der);
  if (len <= 0)
    return NULL;
  p = der;
  copy = d2i_AutoPrivateKey (NULL, &p, len);
  OPENSSL_clear_free (der, (size_t) len);
  return copy;
}

typedef enum
{
  BAGS_OK,
  BAGS_DECRYPT_FAILED,
  BAGS_BAD,
} BagsOutcome;

static BagsOutcome
read_bags (CertreqImportContents        *contents,
           const STACK_OF (PKCS12_SAFEBAG) *bags,
           const char                   *pass,
           int                           passlen,
           OSSL_LIB_CTX                 *libctx,
           GError                      **error)
{
  int i;

  for (i = 0; i < sk_PKCS12_SAFEBAG_num (bags); i++)
    {
      const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value (bags, i);
      g_autoptr(PKCS8_PRIV_KEY_INFO) p8 = NULL;
      const PKCS8_PRIV_KEY_INFO *p8_plain = NULL;
      int nid = PKCS12_SAFEBAG_get_nid (bag);

      if (nid == NID_pkcs8ShroudedKeyBag)
        {
          p8 = PKCS12_decrypt_skey_ex (bag, pass, passlen, libctx, NULL);
          if (p8 == NULL)
            return BAGS_DECRYPT_FAILED;
          p8_plain = p8;
        }
      else if (nid == NID_keyBag)
        p8_plain = PKCS12_SAFEBAG_get0_p8inf (bag);
      else if (nid == NID_certBag)
        {
          X509 *x509;

          if (PKCS12_SAFEBAG_get_bag_nid (bag) != NID_x509Certificate)
            continue;
          x509 = PKCS12_SAFEBAG_get1_cert (bag);
          if (x509 == NULL || !add_x509 (contents, x509))
            {
              _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                               _("A certificate in the PKCS #12 file could "
                                                 "not be read."));
              return BAGS_BAD;
            }
          continue;
        }
      else if (nid == NID_safeContentsBag)
        {
          BagsOutcome outcome = read_bags (contents, PKCS12_SAFEBAG_get0_safes (bag),
                                           pass, passlen, libctx, error);
          if (outcome != BAGS_OK)
            return outcome;
          continue;
        }
      else
        continue;

      if (p8_plain != NULL)
        {
          g_autoptr(EVP_PKEY) pkey = EVP_PKCS82PKEY_ex (p8_plain, libctx, NULL);
          EVP_PKEY *own;
          char *name;

          if (pkey == NULL)
            {
              _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                               _("The private key in the PKCS #12 file "
                                                 "could not be read."));
              return BAGS_BAD;
            }
          if (contents->key != NULL)
            {
              g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                                   _("The PKCS #12 file contains more than one private key; "
                                     "Certwiz imports one certificate with its key at a "
                                     "time."));
              return BAGS_BAD;
            }
          own = libctx != NULL ? pkey_to_default_context (pkey) : g_steal_pointer (&pkey);
          if (own == NULL)
            {
              _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                               _("The private key in the PKCS #12 file "
                                                 "could not be read."));
              return BAGS_BAD;
            }
          contents->key = _certreq_key_new_take (own);
          if (contents->key == NULL)
            {
              g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                                   _("The private key in the file is of a type Certwiz does "
                                     "not support (RSA and ECDSA keys are supported)."));
              return BAGS_BAD;
            }
          /* The key's friendly name is the one Windows shows for the certificate */
          name = PKCS12_get_friendlyname ((PKCS12_SAFEBAG *) bag);
          if (name != NULL && *name != '\0')
            {
              g_free (contents->friendly_name);
              contents->friendly_name = g_strdup (name);
            }
          OPENSSL_free (name);
        }
    }
  return BAGS_OK;
}

/* Reads every bag of @p12 with algorithms from @libctx (NULL: the default context) */
static BagsOutcome
read_pkcs12 (CertreqImportContents  *contents,
             PKCS12                 *p12,
             const char             *pass,
             int                     passlen,
             OSSL_LIB_CTX           *libctx,
             GError                **error)
{
  g_autoptr(GError) bags_error = NULL;
  STACK_OF (PKCS7) *safes;
  BagsOutcome outcome = BAGS_OK;
  int i;

  safes = PKCS12_unpack_authsafes (p12);
  if (safes == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                       _("The PKCS #12 file is damaged: its contents could "
                                         "not be read."));
      return BAGS_BAD;
    }

  for (i = 0; outcome == BAGS_OK && i < sk_PKCS7_num (safes); i++)
    {
      PKCS7 *p7 = sk_PKCS7_value (safes, i);
      STACK_OF (PKCS12_SAFEBAG) *bags = NULL;
      int nid = OBJ_obj2nid (p7->type);

      if (nid == NID_pkcs7_data)
        bags = PKCS12_unpack_p7data (p7);
      else if (nid == NID_pkcs7_encrypted)
        {
          if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL)
            outcome = BAGS_BAD;
          else
            {
              bags = PKCS12_item_decrypt_d2i_ex (p7->d.encrypted->enc_data->algorithm,
                                                 ASN1_ITEM_rptr (PKCS12_SAFEBAGS),
                                                 pass, passlen,
                                                 p7->d.encrypted->enc_data->enc_data,
                                                 1, libctx, NULL);
              if (bags == NULL)
                outcome = BAGS_DECRYPT_FAILED;
            }
        }
      else
        continue;

      if (outcome == BAGS_OK && bags == NULL)
        outcome = BAGS_BAD;
      if (outcome == BAGS_OK)
        outcome = read_bags (contents, bags, pass, passlen, libctx, &bags_error);
      safebag_stack_free (bags);
    }
  pkcs7_stack_free (safes);

  if (outcome == BAGS_BAD)
    {
      if (bags_error != NULL)
        g_propagate_error (error, g_steal_pointer (&bags_error));
      else
        _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                         _("The PKCS #12 file is damaged: its contents "
                                           "could not be read."));
    }
  return outcome;
}

static gboolean
parse_pkcs12 (CertreqImportContents  *contents,
              PKCS12                 *p12,
              const char             *password,
              GError                **error)
{
  const char *pass = password != NULL ? password : "";
  int passlen = (int) strlen (pass);
  g_autoptr(OSSL_LIB_CTX) libctx = NULL;
  BagsOutcome outcome;

  contents->is_pkcs12 = TRUE;

  /* The MAC tells a wrong password apart from an algorithm we cannot use */
  if (PKCS12_mac_present (p12))
    {
      if (PKCS12_verify_mac (p12, pass, passlen))
        ;
      else if (passlen == 0 && PKCS12_verify_mac (p12, NULL, 0))
        pass = NULL;
      else
        {
          ERR_clear_error ();
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD,
                               _("The password of the PKCS #12 file is wrong."));
          return FALSE;
        }
    }

  ERR_clear_error ();
  outcome = read_pkcs12 (contents, p12, pass, passlen, NULL, error);
  if (outcome == BAGS_DECRYPT_FAILED)
    {
      OSSL_PROVIDER *legacy;
      OSSL_PROVIDER *deflt;

      /* Older Windows encrypts with RC2-40 (and DES), which OpenSSL 3 keeps in its
       * legacy provider: load it into a library context of our own for this one
       * parse, never into the default context */
      g_ptr_array_set_size (contents->certificates, 0);
      g_clear_object (&contents->key);
      g_clear_pointer (&contents->friendly_name, g_free);
      ERR_clear_error ();

      libctx = OSSL_LIB_CTX_new ();
      legacy = libctx != NULL ? OSSL_PROVIDER_load (libctx, "legacy") : NULL;
      deflt = libctx != NULL ? OSSL_PROVIDER_load (libctx, "default") : NULL;
      if (legacy == NULL || deflt == NULL)
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("The PKCS #12 file uses old encryption "
                                             "algorithms, and OpenSSL’s legacy provider, "
                                             "which reads them, could not be loaded."));
          if (legacy != NULL)
            OSSL_PROVIDER_unload (legacy);
          if (deflt != NULL)
            OSSL_PROVIDER_unload (deflt);
          return FALSE;
        }

      outcome = read_pkcs12 (contents, p12, pass, passlen, libctx, error);

      /* Everything read is in the default context by now */
      OSSL_PROVIDER_unload (legacy);
      OSSL_PROVIDER_unload (deflt);
    }

  if (outcome == BAGS_DECRYPT_FAILED)
    {
      ERR_clear_error ();
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD,
                           _("The password of the PKCS #12 file is wrong."));
      return FALSE;
    }
  if (outcome != BAGS_OK)
    return FALSE;

  if (contents->certificates->len == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           contents->key != NULL
                           ? _("The PKCS #12 file contains a private key but no "
                               "certificate.")
                           : _("The PKCS #12 file contains no certificate."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
looks_like_pem (const char *text,
                gsize       length)
{
  gsize limit = MIN (length, 65536);
  gsize i;

  for (i = 0; i + 10 <= limit; i++)
    if (memcmp (text + i, "-----BEGIN", 10) == 0)
      return TRUE;
  return FALSE;
}

/**
 * certreq_import_parse:
 * @data: the file's contents
 * @password: (nullable): the password of a PKCS #12 file or an encrypted PEM key
 * @error: return location for a #GError
 *
 * Reads PEM (certificates, one private key, a PKCS #7 block; CRLF tolerated),
 * a DER certificate, a DER PKCS #7 (.p7b) or a PKCS #12 (.pfx/.p12) file,
 * including the RC2-40/3DES files older Windows writes.
 *
 * Returns: (transfer full): what the file contains, or %NULL with
 *   %CERTREQ_ERROR_BAD_PASSWORD or %CERTREQ_ERROR_BAD_FORMAT
 */
CertreqImportContents *
certreq_import_parse (GBytes      *data,
                      const char  *password,
                      GError     **error)
{
  g_autoptr(CertreqImportContents) contents = contents_new ();
  const unsigned char *bytes;
  const unsigned char *p;
  gsize length;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (length == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The file is empty."));
      return NULL;
    }
  if (length > G_MAXINT)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The file is too large to be a certificate file."));
      return NULL;
    }

  if (looks_like_pem ((const char *) bytes, length))
    return parse_pem (contents, data, password, error) ? g_steal_pointer (&contents) : NULL;

  ERR_clear_error ();
  {
    g_autoptr(X509) x509 = NULL;

    p = bytes;
    x509 = d2i_X509 (NULL, &p, (long) length);
    if (x509 != NULL && p == bytes + length)
      {
        if (!add_x509 (contents, g_steal_pointer (&x509)))
          {
            g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                                 _("The certificate in the file could not be read."));
            return NULL;
          }
        return g_steal_pointer (&contents);
      }
  }

  ERR_clear_error ();
  {
    g_autoptr(PKCS7) p7 = NULL;

    p = bytes;
    p7 = d2i_PKCS7 (NULL, &p, (long) length);
    if (p7 != NULL)
      return add_pkcs7_certs (contents, p7, error) ? g_steal_pointer (&contents) : NULL;
  }

  ERR_clear_error ();
  {
    g_autoptr(PKCS12) p12 = NULL;

    p = bytes;
    p12 = d2i_PKCS12 (NULL, &p, (long) length);
    if (p12 != NULL)
      return parse_pkcs12 (contents, p12, password, error) ? g_steal_pointer (&contents) : NULL;
  }

  ERR_clear_error ();
  g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                       _("The file is not a certificate file Certwiz can read: it is "
                         "neither PEM text nor a DER certificate, a PKCS #7 (.p7b) or a "
                         "PKCS #12 (.pfx, .p12) file."));
  return NULL;
}

/* ---- Import into the store ---- */

typedef struct
{
  CertreqCertificate *leaf;        /* borrowed */
  GPtrArray          *cas;         /* (element-type CertreqCertificate) borrowed */
} Classified;

static gboolean
classify (CertreqImportContents  *contents,
          Classified             *out,
          GError                **error)
{
  guint i;

  out->leaf = NULL;
  out->cas = g_ptr_array_new ();

  /* The certificate of the file's key is the leaf, even when it is a CA's */
  if (contents->key != NULL)
    {
      for (i = 0; i < contents->certificates->len; i++)
        {
          CertreqCertificate *cert = g_ptr_array_index (contents->certificates, i);

          if (certreq_certificate_matches_key (cert, contents->key))
            {
              out->leaf = cert;
              break;
            }
        }
      if (out->leaf == NULL)
        {
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                               _("The private key in the file belongs to none of the "
                                 "certificates in the file."));
          return FALSE;
        }
    }

  for (i = 0; i < contents->certificates->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (contents->certificates, i);
      gboolean seen = FALSE;
      guint j;

      if (cert == out->leaf)
        continue;
      if (out->leaf != NULL && certreq_certificate_equal (cert, out->leaf))
        continue;
      for (j = 0; j < out->cas->len; j++)
        seen = seen || certreq_certificate_equal (cert, g_ptr_array_index (out->cas, j));
      if (seen)
        continue;

      if (certreq_certificate_is_ca (cert))
        g_ptr_array_add (out->cas, cert);
      else if (out->leaf == NULL)
        out->leaf = cert;
      else if (!certreq_certificate_equal (cert, out->leaf))
        {
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                               _("The file contains more than one server certificate. "
                                 "Import one certificate (with its chain) at a time."));
          return FALSE;
        }
    }
  return TRUE;
}

/* The pending request waiting for @cert's key, or NULL */
static char *
find_pending_for (CertreqStore       *store,
                  CertreqCertificate *cert)
{
  g_autoptr(GPtrArray) ids = certreq_store_pending_list (store);
  const char *key_id = certreq_certificate_get_key_id (cert);
  guint i;

  for (i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(CertreqKey) key = certreq_store_pending_load_key (store, id, NULL);

      if (key != NULL && g_strcmp0 (certreq_key_get_id (key), key_id) == 0)
        return g_strdup (id);
    }
  return NULL;
}

static char *
default_friendly_name (CertreqImportContents *contents,
                       CertreqCertificate    *leaf)
{
  if (contents->friendly_name != NULL && *contents->friendly_name != '\0')
    return g_strdup (contents->friendly_name);
  return certreq_certificate_get_subject_name (leaf);
}

/* Completes pending/<@pending_id> with @leaf as an issued certificate, through the
 * same step as certreq_enroll(): metadata from the saved request, the key to keys/
 * with the request's exportable flag, the pending entry removed */
static gboolean
complete_pending (CertreqStore        *store,
                  CertreqLog          *log,
                  const char          *pending_id,
                  CertreqCertificate  *leaf,
                  GPtrArray           *chain,
                  const char          *friendly_name,
                  GError             **error)
{
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(CertreqSubmitResult) issued = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
  guint i;

  server = certreq_store_load_server (store, error);
  if (server == NULL)
    return FALSE;
  request = certreq_store_pending_load_request (store, pending_id, server, error);
  if (request == NULL)
    return FALSE;
  key = certreq_store_pending_load_key (store, pending_id, error);
  if (key == NULL)
    return FALSE;
  if (!certreq_store_pending_get_info (store, pending_id, &issued->ca_id, &issued->request_id,
                                       NULL, error))
    return FALSE;
  if (friendly_name != NULL)
    certreq_request_set_friendly_name (request, friendly_name);

  issued->certificate = g_object_ref (leaf);
  issued->chain = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; chain != NULL && i < chain->len; i++)
    g_ptr_array_add (issued->chain, g_object_ref (g_ptr_array_index (chain, i)));
  issued->pending_id = g_strdup (pending_id);

  certreq_log_printf (log, "Completing the waiting request %s", pending_id);
  return _certreq_enroll_store_issued (store, request, log, pending_id, key, issued, error);
}

/* The directories an import writes files into; pending/ is changed last, and only
 * by certreq_store_pending_complete() */
static const char * const import_dirs[] = {
  "keys", "certs", "meta", "trust/roots", "trust/intermediates",
};

/* Every file now in the import's directories, as "dir/name" */
static GHashTable *
list_import_files (CertreqStore *store)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (import_dirs); i++)
    {
      g_autofree char *path = _certreq_store_build_path (store, import_dirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_hash_table_add (files, g_build_filename (import_dirs[i], name, NULL));
    }
  return files;
}

/* Removes the files a failed import added, so that it changes nothing */
static void
roll_back (CertreqStore *store,
           CertreqLog   *log,
           GHashTable   *before)
{
  g_autoptr(GHashTable) now = list_import_files (store);
  GHashTableIter iter;
  gpointer rel;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &rel, NULL))
    {
      g_autofree char *path = NULL;

      if (g_hash_table_contains (before, rel))
        continue;
      path = _certreq_store_build_path (store, rel, NULL);
      if (g_unlink (path) == 0)
        certreq_log_printf (log, "Rolled back: removed %s", (const char *) rel);
      else
        certreq_log_printf (log, "Rolling back, could not remove %s: %s", (const char *) rel,
                            g_strerror (errno));
    }
}

/* Trust first, then the key and the certificate, and the waiting request's
 * completion last: everything before it can be rolled back */
static gboolean
apply_changes (CertreqStore           *store,
               CertreqLog             *log,
               CertreqImportContents  *contents,
               CertreqCertificate     *leaf,
               GPtrArray              *cas,
               const char             *pending_id,
               CertreqImportTrust      trust,
               gboolean                exportable,
               const char             *friendly_name,
               CertreqImportResult    *result,
               GError                **error)
{
  guint i;

  for (i = 0; trust != CERTREQ_IMPORT_TRUST_NONE && i < cas->len; i++)
    {
      CertreqCertificate *ca = g_ptr_array_index (cas, i);
      gboolean as_root = trust == CERTREQ_IMPORT_TRUST_ROOT &&
                         certreq_certificate_is_self_issued (ca);

      if (!certreq_store_trust_add (store, ca, as_root, error))
        return FALSE;
      g_ptr_array_add (as_root ? result->roots : result->intermediates,
                       g_strdup (certreq_certificate_get_thumbprint (ca)));
      certreq_log_printf (log, "Added %s to the trusted %s", certreq_certificate_get_thumbprint (ca),
                          as_root ? "roots" : "intermediates");
    }
  if (trust == CERTREQ_IMPORT_TRUST_NONE && cas->len > 0)
    certreq_log_printf (log, "Kept %u CA certificate(s) as the certificate's chain", cas->len);


  if (leaf != NULL)
    {
      result->thumbprint = g_strdup (certreq_certificate_get_thumbprint (leaf));
      if (pending_id != NULL)
        {
          if (!complete_pending (store, log, pending_id, leaf, cas, friendly_name, error))
            return FALSE;
          result->pending_id = g_strdup (pending_id);
        }
      else
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autofree char *name = NULL;
          g_autoptr(CertreqCertMeta) old = certreq_store_get_meta (store, result->thumbprint);
          CertreqCertMeta meta = { 0 };

          if (contents->key != NULL)
            {
              if (!certreq_store_has_key (store, certreq_key_get_id (contents->key)))
                {
                  if (!certreq_store_save_key (store, contents->key, exportable, error))
                    return FALSE;
                  result->key_imported = TRUE;
                  certreq_log_printf (log, "Saved the private key %s from the file (%s)",
                                      certreq_key_get_id (contents->key),
                                      exportable ? "exportable" : "not exportable");
                }
              else
                certreq_log_printf (log, "The private key %s is already in the store",
                                    certreq_key_get_id (contents->key));
            }

          if (friendly_name != NULL)
            name = g_strdup (friendly_name);
          else if (old != NULL && old->friendly_name != NULL)
            name = g_strdup (old->friendly_name);
          else
            name = default_friendly_name (contents, leaf);

          meta.thumbprint = result->thumbprint;
          meta.friendly_name = name;
          meta.usages = old != NULL ? old->usages : 0;
          meta.ca_id = old != NULL ? old->ca_id : NULL;
          meta.request_id = old != NULL ? old->request_id : NULL;
          meta.pending_id = old != NULL ? old->pending_id : NULL;
          meta.added = old != NULL && old->added != NULL ? old->added : now;
          if (!certreq_store_add_certificate (store, leaf, cas, &meta, error))
            return FALSE;
          certreq_log_printf (log, "Stored certificate %s as \"%s\"", result->thumbprint, name);
        }
    }


  return TRUE;
}

static CertreqImportResult *
import_locked (CertreqStore           *store,
               CertreqLog             *log,
               CertreqImportContents  *contents,
               CertreqImportTrust      trust,
               gboolean                exportable,
               const char             *friendly_name,
               GCancellable           *cancellable,
               GError                **error)
{
  g_autoptr(CertreqImportResult) result = g_new0 (CertreqImportResult, 1);
  g_autoptr(GPtrArray) cas = NULL;
  g_autofree char *pending_id = NULL;
  g_autoptr(GHashTable) before = NULL;
  CertreqCertificate *leaf;
  Classified classified;

  result->roots = g_ptr_array_new_with_free_func (g_free);
  result->intermediates = g_ptr_array_new_with_free_func (g_free);

  if (!classify (contents, &classified, error))
    {
      g_ptr_array_unref (classified.cas);
      return NULL;
    }
  leaf = classified.leaf;
  cas = classified.cas;

  /* Every check before the first change: all or nothing */
  if (leaf == NULL && trust == CERTREQ_IMPORT_TRUST_NONE)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                           _("The file contains only certification authority certificates "
                             "and no certificate for this server. To import them, choose to "
                             "trust them as root or as intermediate certification "
                             "authorities (--trust root or --trust intermediate)."));
      return NULL;
    }

  if (leaf != NULL && contents->key == NULL)
    {
      pending_id = find_pending_for (store, leaf);
      if (pending_id == NULL && !certreq_store_has_key_for (store, leaf))
        {
          g_autofree char *subject = certreq_certificate_get_subject_name (leaf);

          /* Translators: %1$s is a certificate's subject name, %2$s its thumbprint */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                       _("The certificate “%1$s” (%2$s) matches no private key in the store "
                         "and no waiting request. Import a file that contains its private "
                         "key (for example a PKCS #12 file)."),
                       subject, certreq_certificate_get_thumbprint (leaf));
          return NULL;
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  before = list_import_files (store);
  if (!apply_changes (store, log, contents, leaf, cas, pending_id, trust, exportable,
                      friendly_name, result, error))
    {
      roll_back (store, log, before);
      return NULL;
    }

  return g_steal_pointer (&result);
}

/**
 * certreq_import:
 * @store: a writable #CertreqStore
 * @data: the file's contents
 * @password: (nullable): the PKCS #12 password
 * @trust: what to do with the CA certificates in the file
 * @exportable: whether a private key from the file may be exported again
 * @friendly_name: (nullable): the friendly name for the certificate
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Imports @data under the store's lock, all or nothing (see certreq-import.h).
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 */
CertreqImportResult *
certreq_import (CertreqStore        *store,
                GBytes              *data,
                const char          *password,
                CertreqImportTrust   trust,
                gboolean             exportable,
                const char          *friendly_name,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr(CertreqImportContents) contents = NULL;
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(CertreqLog) log = NULL;
  g_autoptr(GError) local_error = NULL;
  CertreqImportResult *result;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (friendly_name != NULL && *friendly_name == '\0')
    friendly_name = NULL;

  lock = certreq_store_lock (store, 10000, error);
  if (lock == NULL)
    return NULL;

  log = certreq_store_create_log (store, "import", error);
  if (log == NULL)
    return NULL;
  certreq_log_printf (log, "Importing a file of %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (data));

  contents = certreq_import_parse (data, password, &local_error);
  if (contents != NULL)
    {
      certreq_log_printf (log, "The file contains %u certificate(s)%s%s",
                          contents->certificates->len,
                          contents->key != NULL ? " and a private key" : "",
                          contents->is_pkcs12 ? " (PKCS #12)" : "");
      result = import_locked (store, log, contents, trust, exportable, friendly_name,
                              cancellable, &local_error);
    }
  else
    result = NULL;

  if (result == NULL)
    {
      certreq_log_printf (log, "Import failed: %s", local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  certreq_log_printf (log, "Import finished");
  return result;
}

typedef struct
{
  CertreqStore       *store;
  GBytes             *data;
  char               *password;
  CertreqImportTrust  trust;
  gboolean            exportable;
  char               *friendly_name;
} ImportData;

static void
import_data_free (ImportData *import_data)
{
  g_object_unref (import_data->store);
  g_bytes_unref (import_data->data);
  if (import_data->password != NULL)
    {
      OPENSSL_cleanse (import_data->password, strlen (import_data->password));
      g_free (import_data->password);
    }
  g_free (import_data->friendly_name);
  g_free (import_data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;
  CertreqImportResult *result;

  result = certreq_import (data->store, data->data, data->password, data->trust,
                           data->exportable, data->friendly_name, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) certreq_import_result_free);
}

/**
 * certreq_import_async:
 * @store: a writable #CertreqStore
 * @data: the file's contents
 * @password: (nullable): the PKCS #12 password; copied, and wiped after use
 * @trust: what to do with the CA certificates in the file
 * @exportable: whether a private key from the file may be exported again
 * @friendly_name: (nullable): the friendly name for the certificate
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the import is done
 * @user_data: data for @callback
 *
 * Runs certreq_import() in a worker thread.
 */
void
certreq_import_async (CertreqStore        *store,
                      GBytes              *data,
                      const char          *password,
                      CertreqImportTrust   trust,
                      gboolean             exportable,
                      const char          *friendly_name,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *import_data;

  g_return_if_fail (CERTREQ_IS_STORE (store));
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  import_data = g_new0 (ImportData, 1);
  import_data->store = g_object_ref (store);
  import_data->data = g_bytes_ref (data);
  import_data->password = g_strdup (password);
  import_data->trust = trust;
  import_data->exportable = exportable;
  import_data->friendly_name = g_strdup (friendly_name);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, certreq_import_async);
  g_task_set_task_data (task, import_data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * certreq_import_finish:
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 */
CertreqImportResult *
certreq_import_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == certreq_import_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
