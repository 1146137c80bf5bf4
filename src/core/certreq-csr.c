/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <string.h>

#include "certreq-private.h"

/**
 * certreq_csr_spec_copy:
 * @spec: a #CertreqCsrSpec
 *
 * Returns: (transfer full): a deep copy of @spec
 */
CertreqCsrSpec *
certreq_csr_spec_copy (const CertreqCsrSpec *spec)
{
  CertreqCsrSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_new0 (CertreqCsrSpec, 1);
  copy->common_name = g_strdup (spec->common_name);
  copy->organization = g_strdup (spec->organization);
  copy->organizational_unit = g_strdup (spec->organizational_unit);
  copy->country = g_strdup (spec->country);
  copy->state = g_strdup (spec->state);
  copy->locality = g_strdup (spec->locality);
  copy->dns_names = g_strdupv (spec->dns_names);
  copy->eku = spec->eku;

  return copy;
}

/**
 * certreq_csr_spec_free:
 * @spec: (nullable): a #CertreqCsrSpec
 */
void
certreq_csr_spec_free (CertreqCsrSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->common_name);
  g_free (spec->organization);
  g_free (spec->organizational_unit);
  g_free (spec->country);
  g_free (spec->state);
  g_free (spec->locality);
  g_strfreev (spec->dns_names);
  g_free (spec);
}

static void
free_extensions (STACK_OF (X509_EXTENSION) *exts)
{
  sk_X509_EXTENSION_pop_free (exts, X509_EXTENSION_free);
}

typedef STACK_OF (X509_EXTENSION) ExtensionStack;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExtensionStack, free_extensions)

static gboolean
add_name_entry (X509_NAME   *name,
                int          nid,
                const char  *value,
                const char  *field,
                GError     **error)
{
  if (value == NULL || *value == '\0')
    return TRUE;

  /* UTF8String under OpenSSL's default "utf8only" mask; countryName is
   * PrintableString by its own table entry, as RFC 5280 requires */
  if (!X509_NAME_add_entry_by_NID (name, nid, MBSTRING_UTF8,
                                   (const unsigned char *) value, -1, -1, 0))
    {
      /* Translators: %s is a subject field such as "Country" */
      g_autofree char *message = g_strdup_printf (_("The subject field %s cannot be encoded in "
                                                    "a certificate request."), field);
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_INVALID_SUBJECT, message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
push_extension (ExtensionStack  *exts,
                X509_EXTENSION  *ext,
                GError         **error)
{
  if (ext == NULL || !sk_X509_EXTENSION_push (exts, ext))
    {
      X509_EXTENSION_free (ext);
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The extensions of the certificate request could not "
                                         "be encoded."));
      return FALSE;
    }
  return TRUE;
}

static X509_EXTENSION *
make_san (char **dns_names)
{
  g_autoptr(GENERAL_NAMES) names = GENERAL_NAMES_new ();
  gsize i;

  if (names == NULL)
    return NULL;

  for (i = 0; dns_names[i] != NULL; i++)
    {
      GENERAL_NAME *gn = GENERAL_NAME_new ();
      ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new ();

      if (gn == NULL || ia5 == NULL ||
          !ASN1_STRING_set (ia5, dns_names[i], (int) strlen (dns_names[i])))
        {
          GENERAL_NAME_free (gn);
          ASN1_IA5STRING_free (ia5);
          return NULL;
        }
      GENERAL_NAME_set0_value (gn, GEN_DNS, ia5);
      if (!sk_GENERAL_NAME_push (names, gn))
        {
          GENERAL_NAME_free (gn);
          return NULL;
        }
    }

  return X509V3_EXT_i2d (NID_subject_alt_name, 0, names);
}

static X509_EXTENSION *
make_key_usage (gboolean is_rsa)
{
  ASN1_BIT_STRING *bits = ASN1_BIT_STRING_new ();
  X509_EXTENSION *ext = NULL;

  if (bits == NULL)
    return NULL;

  /* digitalSignature (0) for ECDHE/DHE signatures; keyEncipherment (2) for
   * RSA key transport, which only RSA keys can do */
  if (ASN1_BIT_STRING_set_bit (bits, 0, 1) &&
      (!is_rsa || ASN1_BIT_STRING_set_bit (bits, 2, 1)))
    ext = X509V3_EXT_i2d (NID_key_usage, 1, bits);
  ASN1_BIT_STRING_free (bits);

  return ext;
}

static X509_EXTENSION *
make_eku (CertreqEku eku)
{
  EXTENDED_KEY_USAGE *usages = sk_ASN1_OBJECT_new_null ();
  X509_EXTENSION *ext = NULL;
  gboolean ok = usages != NULL;

  if (ok && (eku & CERTREQ_EKU_SERVER_AUTH))
    ok = sk_ASN1_OBJECT_push (usages, OBJ_nid2obj (NID_server_auth)) > 0;
  if (ok && (eku & CERTREQ_EKU_CLIENT_AUTH))
    ok = sk_ASN1_OBJECT_push (usages, OBJ_nid2obj (NID_client_auth)) > 0;
  if (ok)
    ext = X509V3_EXT_i2d (NID_ext_key_usage, 0, usages);
  /* The objects are OpenSSL's static ones: freeing them is a no-op */
  sk_ASN1_OBJECT_pop_free (usages, ASN1_OBJECT_free);

  return ext;
}

/**
 * certreq_csr_create:
 * @spec: what the request asks for
 * @key: the private key that signs it
 * @error: return location for a #GError
 *
 * Builds and signs (SHA-256) a PKCS#10 request: the subject from @spec
 * (UTF8String fields, PrintableString country), the DNS names as subject
 * alternative names, key usage (digitalSignature, plus keyEncipherment for
 * RSA; critical) and the extended key usages of @spec.
 *
 * Returns: (transfer full): the DER-encoded request, or %NULL with @error set
 */
GBytes *
certreq_csr_create (const CertreqCsrSpec *spec,
                    CertreqKey           *key,
                    GError              **error)
{
  g_autoptr(X509_REQ) req = NULL;
  g_autoptr(X509_NAME) subject = NULL;
  g_autoptr(ExtensionStack) exts = NULL;
  EVP_PKEY *pkey;
  unsigned char *der = NULL;
  GBytes *bytes;
  int len;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (CERTREQ_IS_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (spec->common_name == NULL || *spec->common_name == '\0')
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("Enter a common name."));
      return NULL;
    }

  ERR_clear_error ();
  pkey = _certreq_key_get_pkey (key);
  req = X509_REQ_new ();
  subject = X509_NAME_new ();
  exts = sk_X509_EXTENSION_new_null ();
  if (req == NULL || subject == NULL || exts == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate request could not be created."));
      return NULL;
    }

  /* Most significant first, as CAs and Windows show it reversed: CN first */
  if (!add_name_entry (subject, NID_countryName, spec->country,
                       C_("subject field", "Country"), error) ||
      !add_name_entry (subject, NID_stateOrProvinceName, spec->state,
                       C_("subject field", "State or province"), error) ||
      !add_name_entry (subject, NID_localityName, spec->locality,
                       C_("subject field", "City or locality"), error) ||
      !add_name_entry (subject, NID_organizationName, spec->organization,
                       C_("subject field", "Organization"), error) ||
      !add_name_entry (subject, NID_organizationalUnitName, spec->organizational_unit,
                       C_("subject field", "Organizational unit"), error) ||
      !add_name_entry (subject, NID_commonName, spec->common_name,
                       C_("subject field", "Common name"), error))
    return NULL;

  if (spec->dns_names != NULL && spec->dns_names[0] != NULL &&
      !push_extension (exts, make_san (spec->dns_names), error))
    return NULL;
  if (!push_extension (exts, make_key_usage (EVP_PKEY_is_a (pkey, "RSA")), error))
    return NULL;
  if (spec->eku != 0 && !push_extension (exts, make_eku (spec->eku), error))
    return NULL;

  if (!X509_REQ_set_version (req, X509_REQ_VERSION_1) ||
      !X509_REQ_set_subject_name (req, subject) ||
      !X509_REQ_set_pubkey (req, pkey) ||
      !X509_REQ_add_extensions (req, exts))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate request could not be created."));
      return NULL;
    }

  if (X509_REQ_sign (req, pkey, EVP_sha256 ()) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate request could not be signed."));
      return NULL;
    }

  len = i2d_X509_REQ (req, &der);
  if (len <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate request could not be encoded."));
      return NULL;
    }
  bytes = g_bytes_new (der, (gsize) len);
  OPENSSL_free (der);

  return bytes;
}

/**
 * certreq_csr_der_to_pem:
 * @der: a DER-encoded request
 *
 * Returns: (transfer full): a "CERTIFICATE REQUEST" PEM block with LF line ends
 */
char *
certreq_csr_der_to_pem (GBytes *der)
{
  g_autofree char *b64 = NULL;
  GString *pem;
  gsize len, i;

  g_return_val_if_fail (der != NULL, NULL);

  b64 = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  len = strlen (b64);
  pem = g_string_new ("-----BEGIN CERTIFICATE REQUEST-----\n");
  for (i = 0; i < len; i += 64)
    {
      g_string_append_len (pem, b64 + i, (gssize) MIN (64, len - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE REQUEST-----\n");

  return g_string_free (pem, FALSE);
}

/* PEM (CRLF tolerated) or DER, with the signature checked against the
 * request's own public key */
static X509_REQ *
decode_request (const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(X509_REQ) req = NULL;
  EVP_PKEY *pkey;

  ERR_clear_error ();
  if (length > G_MAXINT)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The certificate request is too large."));
      return NULL;
    }

  if (g_strstr_len (data, (gssize) length, "-----BEGIN ") != NULL)
    {
      g_autoptr(GString) clean = g_string_sized_new (length);
      g_autoptr(BIO) bio = NULL;
      gsize i;

      for (i = 0; i < length; i++)
        if (data[i] != '\r')
          g_string_append_c (clean, data[i]);

      bio = BIO_new_mem_buf (clean->str, (int) clean->len);
      if (bio != NULL)
        req = PEM_read_bio_X509_REQ (bio, NULL, NULL, NULL);
    }
  else
    {
      const unsigned char *p = (const unsigned char *) data;

      req = d2i_X509_REQ (NULL, &p, (long) length);
    }

  if (req == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                       _("The data is not a PKCS#10 certificate request."));
      return NULL;
    }

  pkey = X509_REQ_get0_pubkey (req);
  if (pkey == NULL || X509_REQ_verify (req, pkey) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                       _("The signature of the certificate request is not valid."));
      return NULL;
    }

  return g_steal_pointer (&req);
}

static X509_REQ *
decode_der (GBytes  *der,
            GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (der, &size);

  if (size == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The certificate request is empty."));
      return NULL;
    }

  return decode_request (data, size, error);
}

/**
 * certreq_csr_parse:
 * @data: a PEM or DER request
 * @length: length of @data in bytes
 * @error: return location for a #GError
 *
 * Reads a request from a file's contents and checks its signature.
 *
 * Returns: (transfer full): the DER-encoded request, or %NULL with @error set
 */
GBytes *
certreq_csr_parse (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(X509_REQ) req = NULL;
  unsigned char *der = NULL;
  GBytes *bytes;
  int len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The certificate request is empty."));
      return NULL;
    }

  req = decode_request (data, length, error);
  if (req == NULL)
    return NULL;

  len = i2d_X509_REQ (req, &der);
  if (len <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The certificate request could not be encoded."));
      return NULL;
    }
  bytes = g_bytes_new (der, (gsize) len);
  OPENSSL_free (der);

  return bytes;
}

static char *
name_entry (const X509_NAME *name,
            int              nid)
{
  int index = X509_NAME_get_index_by_NID (name, nid, -1);
  unsigned char *utf8 = NULL;
  char *result;
  int len;

  if (index < 0)
    return NULL;

  len = ASN1_STRING_to_UTF8 (&utf8, X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, index)));
  if (len < 0)
    return NULL;
  result = g_utf8_make_valid ((const char *) utf8, len);
  OPENSSL_free (utf8);

  return result;
}

/**
 * certreq_csr_get_spec:
 * @der: a DER-encoded request
 * @error: return location for a #GError
 *
 * Reads back the subject fields, the DNS names of the subject alternative
 * name extension and the server/client authentication EKUs; the signature is
 * verified first.
 *
 * Returns: (transfer full): the spec, or %NULL with @error set
 */
CertreqCsrSpec *
certreq_csr_get_spec (GBytes  *der,
                      GError **error)
{
  g_autoptr(X509_REQ) req = NULL;
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(ExtensionStack) exts = NULL;
  g_autoptr(GPtrArray) dns = g_ptr_array_new_with_free_func (g_free);
  const X509_NAME *subject;
  int i;

  g_return_val_if_fail (der != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  req = decode_der (der, error);
  if (req == NULL)
    return NULL;

  subject = X509_REQ_get_subject_name (req);
  spec = g_new0 (CertreqCsrSpec, 1);
  spec->common_name = name_entry (subject, NID_commonName);
  spec->organization = name_entry (subject, NID_organizationName);
  spec->organizational_unit = name_entry (subject, NID_organizationalUnitName);
  spec->country = name_entry (subject, NID_countryName);
  spec->state = name_entry (subject, NID_stateOrProvinceName);
  spec->locality = name_entry (subject, NID_localityName);

  exts = X509_REQ_get_extensions (req);
  for (i = 0; exts != NULL && i < sk_X509_EXTENSION_num (exts); i++)
    {
      X509_EXTENSION *ext = sk_X509_EXTENSION_value (exts, i);
      int nid = OBJ_obj2nid (X509_EXTENSION_get_object (ext));

      if (nid == NID_subject_alt_name)
        {
          g_autoptr(GENERAL_NAMES) names = X509V3_EXT_d2i (ext);
          int j;

          for (j = 0; names != NULL && j < sk_GENERAL_NAME_num (names); j++)
            {
              GENERAL_NAME *gn = sk_GENERAL_NAME_value (names, j);

              if (gn->type == GEN_DNS)
                g_ptr_array_add (dns, g_strndup ((const char *) ASN1_STRING_get0_data (gn->d.dNSName),
                                                 (gsize) ASN1_STRING_length (gn->d.dNSName)));
            }
        }
      else if (nid == NID_ext_key_usage)
        {
          EXTENDED_KEY_USAGE *eku = X509V3_EXT_d2i (ext);
          int j;

          for (j = 0; eku != NULL && j < sk_ASN1_OBJECT_num (eku); j++)
            {
              int eku_nid = OBJ_obj2nid (sk_ASN1_OBJECT_value (eku, j));

              if (eku_nid == NID_server_auth)
                spec->eku |= CERTREQ_EKU_SERVER_AUTH;
              else if (eku_nid == NID_client_auth)
                spec->eku |= CERTREQ_EKU_CLIENT_AUTH;
            }
          EXTENDED_KEY_USAGE_free (eku);
        }
    }

  g_ptr_array_add (dns, NULL);
  spec->dns_names = (char **) g_ptr_array_steal (dns, NULL);

  return g_steal_pointer (&spec);
}

/**
 * certreq_csr_get_key_id:
 * @der: a DER-encoded request
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the lower-case hex SHA-256 of the request's
 *   SubjectPublicKeyInfo, as certreq_key_get_id(), or %NULL with @error set
 */
char *
certreq_csr_get_key_id (GBytes  *der,
                        GError **error)
{
  g_autoptr(X509_REQ) req = NULL;
  EVP_PKEY *pkey;
  char *id;

  g_return_val_if_fail (der != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  req = decode_der (der, error);
  if (req == NULL)
    return NULL;

  pkey = X509_REQ_get0_pubkey (req);
  id = pkey != NULL ? _certreq_pubkey_id (pkey, NULL) : NULL;
  if (id == NULL)
    _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                     _("The public key of the certificate request could not be read."));

  return id;
}
