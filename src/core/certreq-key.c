/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <string.h>

#include "certreq-private.h"

struct _CertreqKey
{
  GObject         parent_instance;

  EVP_PKEY       *pkey;
  CertreqKeyType  type;
  char           *id;           /* lower-case hex SHA-256 of the DER SubjectPublicKeyInfo */
  GBytes         *public_der;   /* DER SubjectPublicKeyInfo */
};

G_DEFINE_FINAL_TYPE (CertreqKey, certreq_key, G_TYPE_OBJECT)

typedef struct
{
  CertreqKeyType  type;
  const char     *id;
  const char     *label;        /* N_() */
  const char     *algorithm;    /* "RSA" or "EC" */
  guint           bits;         /* RSA modulus size */
  const char     *curve;        /* EC group, as EVP_PKEY_Q_keygen() takes it */
} KeyTypeInfo;

static const KeyTypeInfo key_types[CERTREQ_N_KEY_TYPES] = {
  /* Translators: a key type in the key size list */
  { CERTREQ_KEY_TYPE_RSA_2048, "rsa2048", N_("RSA, 2048 bits"), "RSA", 2048, NULL },
  /* Translators: a key type in the key size list */
  { CERTREQ_KEY_TYPE_RSA_3072, "rsa3072", N_("RSA, 3072 bits"), "RSA", 3072, NULL },
  /* Translators: a key type in the key size list */
  { CERTREQ_KEY_TYPE_RSA_4096, "rsa4096", N_("RSA, 4096 bits"), "RSA", 4096, NULL },
  /* Translators: a key type in the key size list; P-256 is the NIST curve name */
  { CERTREQ_KEY_TYPE_EC_P256, "p256", N_("ECDSA, P-256"), "EC", 256, "P-256" },
  /* Translators: a key type in the key size list; P-384 is the NIST curve name */
  { CERTREQ_KEY_TYPE_EC_P384, "p384", N_("ECDSA, P-384"), "EC", 384, "P-384" },
};

static const KeyTypeInfo *
key_type_info (CertreqKeyType type)
{
  if ((guint) type >= G_N_ELEMENTS (key_types))
    return NULL;
  return &key_types[type];
}

/**
 * certreq_key_type_to_id:
 * @type: a #CertreqKeyType
 *
 * Returns: the stable identifier of @type ("rsa2048", "p256", ...), or %NULL
 *   for a value that is not a key type
 */
const char *
certreq_key_type_to_id (CertreqKeyType type)
{
  const KeyTypeInfo *info = key_type_info (type);

  g_return_val_if_fail (info != NULL, NULL);
  return info->id;
}

/**
 * certreq_key_type_from_id:
 * @id: an identifier such as "rsa2048" or "p384" (case-insensitive)
 * @out_type: (out) (optional): return location for the type
 *
 * Returns: %TRUE if @id names a key type
 */
gboolean
certreq_key_type_from_id (const char     *id,
                          CertreqKeyType *out_type)
{
  gsize i;

  if (id == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      if (g_ascii_strcasecmp (id, key_types[i].id) == 0)
        {
          if (out_type != NULL)
            *out_type = key_types[i].type;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * certreq_key_type_get_label:
 * @type: a #CertreqKeyType
 *
 * Returns: the translated label of @type, e.g. "RSA, 2048 bits"
 */
const char *
certreq_key_type_get_label (CertreqKeyType type)
{
  const KeyTypeInfo *info = key_type_info (type);

  g_return_val_if_fail (info != NULL, NULL);
  return _(info->label);
}

static void
certreq_key_finalize (GObject *object)
{
  CertreqKey *self = CERTREQ_KEY (object);

  EVP_PKEY_free (self->pkey);
  g_free (self->id);
  g_clear_pointer (&self->public_der, g_bytes_unref);

  G_OBJECT_CLASS (certreq_key_parent_class)->finalize (object);
}

static void
certreq_key_class_init (CertreqKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = certreq_key_finalize;
}

static void
certreq_key_init (CertreqKey *self)
{
}

/* Which of the supported types @pkey is; FALSE for anything else
 * (DSA, Ed25519, RSA 1024, brainpool curves...). */
static gboolean
detect_key_type (EVP_PKEY       *pkey,
                 CertreqKeyType *out_type)
{
  if (EVP_PKEY_is_a (pkey, "RSA"))
    {
      int bits = EVP_PKEY_get_bits (pkey);

      switch (bits)
        {
        case 2048:
          *out_type = CERTREQ_KEY_TYPE_RSA_2048;
          return TRUE;
        case 3072:
          *out_type = CERTREQ_KEY_TYPE_RSA_3072;
          return TRUE;
        case 4096:
          *out_type = CERTREQ_KEY_TYPE_RSA_4096;
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (EVP_PKEY_is_a (pkey, "EC"))
    {
      char group[80] = "";
      size_t len = 0;

      if (!EVP_PKEY_get_utf8_string_param (pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                           group, sizeof group, &len))
        return FALSE;

      if (g_ascii_strcasecmp (group, "prime256v1") == 0 ||
          g_ascii_strcasecmp (group, "P-256") == 0 ||
          g_ascii_strcasecmp (group, "secp256r1") == 0)
        {
          *out_type = CERTREQ_KEY_TYPE_EC_P256;
          return TRUE;
        }
      if (g_ascii_strcasecmp (group, "secp384r1") == 0 ||
          g_ascii_strcasecmp (group, "P-384") == 0)
        {
          *out_type = CERTREQ_KEY_TYPE_EC_P384;
          return TRUE;
        }
    }

  return FALSE;
}

/* Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo of @pkey; also
 * returns the DER itself when @out_der is not NULL. Shared with certificates
 * and requests through _certreq_pubkey_id(). */
char *
_certreq_pubkey_id (EVP_PKEY  *pkey,
                    GBytes   **out_der)
{
  unsigned char *der = NULL;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  int der_len;
  char *id;

  der_len = i2d_PUBKEY (pkey, &der);
  if (der_len <= 0)
    return NULL;

  if (!EVP_Digest (der, (size_t) der_len, md, &md_len, EVP_sha256 (), NULL))
    {
      OPENSSL_free (der);
      return NULL;
    }

  id = _certreq_hex (md, md_len, FALSE);
  if (out_der != NULL)
    *out_der = g_bytes_new (der, (gsize) der_len);
  OPENSSL_free (der);

  return id;
}

static CertreqKey *
key_new_take (EVP_PKEY  *pkey,
              GError   **error)
{
  g_autoptr(EVP_PKEY) owned = pkey;
  g_autoptr(CertreqKey) self = NULL;
  CertreqKeyType type;

  if (!detect_key_type (owned, &type))
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The private key is not of a supported type: use RSA with "
                             "2048, 3072 or 4096 bits, or ECDSA with the curve P-256 or P-384."));
      return NULL;
    }

  self = g_object_new (CERTREQ_TYPE_KEY, NULL);
  self->type = type;
  self->id = _certreq_pubkey_id (owned, &self->public_der);
  if (self->id == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The public key could not be encoded."));
      return NULL;
    }
  self->pkey = g_steal_pointer (&owned);

  return g_steal_pointer (&self);
}

/**
 * _certreq_key_new_take:
 * @pkey: (transfer full): a private key
 *
 * Wraps @pkey, taking ownership of it in every case.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL when @pkey is not
 *   one of the supported types
 */
CertreqKey *
_certreq_key_new_take (EVP_PKEY *pkey)
{
  g_return_val_if_fail (pkey != NULL, NULL);

  return key_new_take (pkey, NULL);
}

/**
 * _certreq_key_get_pkey:
 * @key: a #CertreqKey
 *
 * Returns: (transfer none): the OpenSSL key
 */
EVP_PKEY *
_certreq_key_get_pkey (CertreqKey *key)
{
  g_return_val_if_fail (CERTREQ_IS_KEY (key), NULL);

  return key->pkey;
}

/* OpenSSL calls this during the prime search; returning 0 aborts it, so that
 * Cancel stops an RSA 4096 generation within milliseconds instead of seconds. */
static int
on_keygen_progress (EVP_PKEY_CTX *ctx)
{
  GCancellable *cancellable = EVP_PKEY_CTX_get_app_data (ctx);

  return g_cancellable_is_cancelled (cancellable) ? 0 : 1;
}

static EVP_PKEY *
generate_rsa (guint         bits,
              GCancellable *cancellable)
{
  g_autoptr(EVP_PKEY_CTX) ctx = EVP_PKEY_CTX_new_from_name (NULL, "RSA", NULL);
  EVP_PKEY *pkey = NULL;

  if (ctx == NULL || EVP_PKEY_keygen_init (ctx) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits (ctx, (int) bits) <= 0)
    return NULL;

  if (cancellable != NULL)
    {
      EVP_PKEY_CTX_set_app_data (ctx, cancellable);
      EVP_PKEY_CTX_set_cb (ctx, on_keygen_progress);
    }

  if (EVP_PKEY_generate (ctx, &pkey) <= 0)
    return NULL;

  return pkey;
}

/**
 * certreq_key_generate:
 * @type: the key type
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Generates a new private key. This blocks for up to several seconds
 * (RSA 4096); the GUI uses certreq_key_generate_async().
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 */
CertreqKey *
certreq_key_generate (CertreqKeyType  type,
                      GCancellable   *cancellable,
                      GError        **error)
{
  const KeyTypeInfo *info = key_type_info (type);
  EVP_PKEY *pkey;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  ERR_clear_error ();
  if (info->curve != NULL)
    pkey = EVP_PKEY_Q_keygen (NULL, NULL, "EC", info->curve);
  else
    pkey = generate_rsa (info->bits, cancellable);

  if (pkey == NULL && g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      ERR_clear_error ();
      return NULL;
    }

  if (pkey == NULL)
    {
      /* Translators: %s is a key type such as "RSA, 2048 bits" */
      g_autofree char *message = g_strdup_printf (_("The key (%s) could not be generated."),
                                                  _(info->label));
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_KEY_GENERATION, message);
      return NULL;
    }

  /* OpenSSL's key generation cannot be interrupted; honour a cancel that
   * came while it ran rather than hand back a key nobody wants. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      EVP_PKEY_free (pkey);
      return NULL;
    }

  return key_new_take (pkey, error);
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CertreqKeyType type = GPOINTER_TO_INT (task_data);
  g_autoptr(GError) error = NULL;
  CertreqKey *key;

  key = certreq_key_generate (type, cancellable, &error);
  if (key == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, key, g_object_unref);
}

/**
 * certreq_key_generate_async:
 * @type: the key type
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's thread-default main context when done
 * @user_data: data for @callback
 *
 * Generates a key in a worker thread. Finish with certreq_key_generate_finish().
 */
void
certreq_key_generate_async (CertreqKeyType       type,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (key_type_info (type) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, certreq_key_generate_async);
  g_task_set_task_data (task, GINT_TO_POINTER (type), NULL);
  g_task_run_in_thread (task, generate_thread);
}

/**
 * certreq_key_generate_finish:
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
CertreqKey *
certreq_key_generate_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, certreq_key_generate_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Never prompt on the terminal for the passphrase of an encrypted key */
static int
refuse_passphrase (char *buf,
                   int   size,
                   int   rwflag,
                   void *user_data)
{
  return -1;
}

/**
 * certreq_key_new_from_pem:
 * @pem: PEM text with an unencrypted private key (PKCS#8 or the traditional
 *   RSA/EC forms)
 * @length: length of @pem in bytes
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 */
CertreqKey *
certreq_key_new_from_pem (const char  *pem,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(BIO) bio = NULL;
  EVP_PKEY *pkey;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The private key file is too large."));
      return NULL;
    }

  ERR_clear_error ();
  bio = BIO_new_mem_buf (pem, (int) length);
  if (bio == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The private key could not be read."));
      return NULL;
    }

  pkey = PEM_read_bio_PrivateKey (bio, NULL, refuse_passphrase, NULL);
  if (pkey == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                       _("The text is not an unencrypted private key in PEM format."));
      return NULL;
    }

  return key_new_take (pkey, error);
}

/**
 * certreq_key_load:
 * @path: a PEM private key file
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 */
CertreqKey *
certreq_key_load (const char  *path,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;
  CertreqKey *key;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      /* Translators: %1$s is a file name, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? CERTREQ_ERROR_NOT_FOUND : CERTREQ_ERROR_STORE,
                   _("Could not read the private key %1$s: %2$s"),
                   path, local_error->message);
      return NULL;
    }

  key = certreq_key_new_from_pem (contents, length, &local_error);
  OPENSSL_cleanse (contents, length);
  g_free (contents);

  if (key == NULL)
    {
      /* Translators: %1$s is a file name, %2$s the reason */
      g_set_error (error, CERTREQ_ERROR, local_error->code,
                   _("Could not load the private key %1$s: %2$s"),
                   path, local_error->message);
      return NULL;
    }

  return key;
}

/**
 * certreq_key_save:
 * @self: a #CertreqKey
 * @path: the file to write
 * @error: return location for a #GError
 *
 * Writes the key as an unencrypted PKCS#8 PEM file, atomically and with mode
 * 0600 from the moment the file exists.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_key_save (CertreqKey  *self,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(BIO) bio = NULL;
  char *data = NULL;
  long length;
  gboolean ok;

  g_return_val_if_fail (CERTREQ_IS_KEY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ERR_clear_error ();
  bio = BIO_new (BIO_s_secmem ());
  if (bio == NULL ||
      !PEM_write_bio_PKCS8PrivateKey (bio, self->pkey, NULL, NULL, 0, NULL, NULL))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("The private key could not be encoded."));
      return FALSE;
    }

  length = BIO_get_mem_data (bio, &data);
  ok = _certreq_write_file_atomic (path, data, (gsize) length, 0600, error);
  OPENSSL_cleanse (data, (size_t) length);

  return ok;
}

/**
 * certreq_key_get_key_type:
 * @self: a #CertreqKey
 *
 * Returns: the type of the key
 */
CertreqKeyType
certreq_key_get_key_type (CertreqKey *self)
{
  g_return_val_if_fail (CERTREQ_IS_KEY (self), CERTREQ_KEY_TYPE_DEFAULT);

  return self->type;
}

/**
 * certreq_key_get_id:
 * @self: a #CertreqKey
 *
 * Returns: the lower-case hex SHA-256 of the DER SubjectPublicKeyInfo
 */
const char *
certreq_key_get_id (CertreqKey *self)
{
  g_return_val_if_fail (CERTREQ_IS_KEY (self), NULL);

  return self->id;
}

/**
 * certreq_key_get_public_der:
 * @self: a #CertreqKey
 *
 * Returns: (transfer full): the DER SubjectPublicKeyInfo
 */
GBytes *
certreq_key_get_public_der (CertreqKey *self)
{
  g_return_val_if_fail (CERTREQ_IS_KEY (self), NULL);

  return g_bytes_ref (self->public_der);
}
