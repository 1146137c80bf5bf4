/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "certreq-private.h"

#include <string.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS12, PKCS12_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS7, PKCS7_free)

static void
x509_stack_free (STACK_OF (X509) *stack)
{
  sk_X509_pop_free (stack, X509_free);
}

/**
 * certreq_pfx_profile_from_id:
 * @id: "modern" or "compatible"
 * @out_profile: (out): the profile
 *
 * Returns: %TRUE when @id names a profile
 */
gboolean
certreq_pfx_profile_from_id (const char        *id,
                             CertreqPfxProfile *out_profile)
{
  g_return_val_if_fail (out_profile != NULL, FALSE);

  if (g_strcmp0 (id, "modern") == 0)
    *out_profile = CERTREQ_PFX_MODERN;
  else if (g_strcmp0 (id, "compatible") == 0)
    *out_profile = CERTREQ_PFX_COMPATIBLE;
  else
    return FALSE;
  return TRUE;
}

static GBytes *
bio_to_bytes (BIO *bio)
{
  char *data = NULL;
  long length = BIO_get_mem_data (bio, &data);

  return g_bytes_new (data, (gsize) length);
}

static GBytes *
export_chain_p7b (CertreqCertificate  *cert,
                  GPtrArray           *chain,
                  GError             **error)
{
  g_autoptr(PKCS7) p7 = PKCS7_new ();
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  guint i;

  ERR_clear_error ();
  /* A "certs-only" SignedData, as `openssl crl2pkcs7 -nocrl` and Windows write it:
   * no signer, content type data without content */
  if (p7 == NULL || bio == NULL || !PKCS7_set_type (p7, NID_pkcs7_signed) ||
      p7->d.sign == NULL || p7->d.sign->contents == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The PKCS #7 file could not be created."));
      return NULL;
    }
  ASN1_OBJECT_free (p7->d.sign->contents->type);
  p7->d.sign->contents->type = OBJ_nid2obj (NID_pkcs7_data);

  if (!PKCS7_add_certificate (p7, _certreq_certificate_get_x509 (cert)))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The PKCS #7 file could not be created."));
      return NULL;
    }
  for (i = 0; chain != NULL && i < chain->len; i++)
    {
      CertreqCertificate *ca = g_ptr_array_index (chain, i);

      if (certreq_certificate_equal (ca, cert))
        continue;
      if (!PKCS7_add_certificate (p7, _certreq_certificate_get_x509 (ca)))
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("The PKCS #7 file could not be created."));
          return NULL;
        }
    }

  if (i2d_PKCS7_bio (bio, p7) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The PKCS #7 file could not be created."));
      return NULL;
    }
  return bio_to_bytes (bio);
}

static GBytes *
export_pfx (CertreqStore        *store,
            CertreqCertificate  *cert,
            CertreqPfxProfile    profile,
            const char          *password,
            GError             **error)
{
  const char *key_id = certreq_certificate_get_key_id (cert);
  const char *thumbprint = certreq_certificate_get_thumbprint (cert);
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(CertreqImportContents) back = NULL;
  g_autoptr(PKCS12) p12 = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  STACK_OF (X509) *cas = NULL;
  unsigned char *der = NULL;
  int der_len;
  int nid;
  int iter;
  const EVP_MD *mac_md;
  guint i;

  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_PASSWORD,
                           _("A PKCS #12 file needs a password to protect its private key. "
                             "Choose one."));
      return NULL;
    }

  if (!certreq_store_has_key (store, key_id))
    {
      /* Translators: %s is a certificate's thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The store has no private key for the certificate %s, so it cannot "
                     "be exported as a PKCS #12 file."), thumbprint);
      return NULL;
    }
  if (!certreq_store_key_is_exportable (store, key_id))
    {
      /* Translators: %s is a certificate's thumbprint */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_EXPORTABLE,
                   _("The private key of the certificate %s is not marked exportable, so "
                     "Certwiz does not export it. Export the certificate without its key "
                     "(PEM, DER or PKCS #7) instead."), thumbprint);
      return NULL;
    }

  key = certreq_store_load_key (store, key_id, error);
  if (key == NULL)
    return NULL;
  chain = certreq_store_get_chain (store, thumbprint);
  meta = certreq_store_get_meta (store, thumbprint);

  cas = sk_X509_new_null ();
  for (i = 0; cas != NULL && i < chain->len; i++)
    {
      X509 *x509 = _certreq_certificate_get_x509 (g_ptr_array_index (chain, i));

      if (certreq_certificate_equal (g_ptr_array_index (chain, i), cert))
        continue;
      X509_up_ref (x509);
      if (!sk_X509_push (cas, x509))
        X509_free (x509);
    }

  if (profile == CERTREQ_PFX_MODERN)
    {
      nid = NID_aes_256_cbc;      /* PBES2 with PBKDF2 (HMAC-SHA-256) */
      iter = 10000;
      mac_md = EVP_sha256 ();
    }
  else
    {
      nid = NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
      iter = PKCS12_DEFAULT_ITER;
      mac_md = EVP_sha1 ();
    }

  ERR_clear_error ();
  p12 = PKCS12_create_ex ((char *) password,
                          meta != NULL ? meta->friendly_name : NULL,
                          _certreq_key_get_pkey (key), _certreq_certificate_get_x509 (cert),
                          cas, nid, nid, iter, -1, 0, NULL, NULL);
  x509_stack_free (cas);
  if (p12 == NULL ||
      !PKCS12_set_mac (p12, password, -1, NULL, 0, iter, mac_md))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The PKCS #12 file could not be created."));
      return NULL;
    }

  der_len = i2d_PKCS12 (p12, &der);
  if (der_len <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The PKCS #12 file could not be created."));
      return NULL;
    }
  bytes = g_bytes_new (der, (gsize) der_len);
  OPENSSL_clear_free (der, (size_t) der_len);

  /* Read it back with the password before anyone relies on it */
  back = certreq_import_parse (bytes, password, &local_error);
  if (back == NULL || back->key == NULL || back->certificates->len == 0 ||
      !certreq_certificate_matches_key (cert, back->key) ||
      !certreq_certificate_equal (g_ptr_array_index (back->certificates, 0), cert))
    {
      /* Translators: %s is the technical reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CRYPTO,
                   _("The PKCS #12 file just created could not be read back correctly (%s)."),
                   local_error != NULL ? local_error->message : _("contents differ"));
      return NULL;
    }

  return g_steal_pointer (&bytes);
}

/**
 * certreq_export:
 * @store: a #CertreqStore
 * @thumbprint: the certificate's thumbprint, in any case and spacing
 * @format: the format
 * @profile: the PKCS #12 profile (for %CERTREQ_EXPORT_PFX)
 * @password: (nullable): the PKCS #12 password (for %CERTREQ_EXPORT_PFX)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the exported file's contents, or %NULL with @error set
 */
GBytes *
certreq_export (CertreqStore        *store,
                const char          *thumbprint,
                CertreqExportFormat  format,
                CertreqPfxProfile    profile,
                const char          *password,
                GError             **error)
{
  g_autoptr(CertreqCertificate) cert = NULL;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (thumbprint != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cert = certreq_store_find_certificate (store, thumbprint, error);
  if (cert == NULL)
    return NULL;

  switch (format)
    {
    case CERTREQ_EXPORT_PEM:
      {
        char *pem = certreq_certificate_to_pem (cert);

        return g_bytes_new_take (pem, strlen (pem));
      }
    case CERTREQ_EXPORT_DER:
      return certreq_certificate_get_der (cert);
    case CERTREQ_EXPORT_CHAIN_P7B:
      {
        g_autoptr(GPtrArray) chain = certreq_store_get_chain (
          store, certreq_certificate_get_thumbprint (cert));

        return export_chain_p7b (cert, chain, error);
      }
    case CERTREQ_EXPORT_PFX:
      return export_pfx (store, cert, profile, password, error);
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * certreq_export_to_file:
 * @store: a #CertreqStore
 * @thumbprint: the certificate's thumbprint
 * @format: the format
 * @profile: the PKCS #12 profile (for %CERTREQ_EXPORT_PFX)
 * @password: (nullable): the PKCS #12 password
 * @path: the file to write, replaced atomically
 * @error: return location for a #GError
 *
 * Like certreq_export(), written to @path (mode 0600 for PKCS #12, else 0644).
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_export_to_file (CertreqStore        *store,
                        const char          *thumbprint,
                        CertreqExportFormat  format,
                        CertreqPfxProfile    profile,
                        const char          *password,
                        const char          *path,
                        GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gconstpointer data;
  gsize length;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = certreq_export (store, thumbprint, format, profile, password, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return _certreq_write_file_atomic (path, data, length,
                                     format == CERTREQ_EXPORT_PFX ? 0600 : 0644, error);
}
