/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CERTREQ_KEY_TYPE_RSA_2048,
  CERTREQ_KEY_TYPE_RSA_3072,
  CERTREQ_KEY_TYPE_RSA_4096,
  CERTREQ_KEY_TYPE_EC_P256,
  CERTREQ_KEY_TYPE_EC_P384,
} CertreqKeyType;

#define CERTREQ_KEY_TYPE_DEFAULT CERTREQ_KEY_TYPE_RSA_2048
#define CERTREQ_N_KEY_TYPES 5

/* "rsa2048", "rsa3072", "rsa4096", "p256", "p384" */
const char *certreq_key_type_to_id    (CertreqKeyType  type);
gboolean    certreq_key_type_from_id  (const char     *id,
                                       CertreqKeyType *out_type);
/* Translated, e.g. "RSA, 2048 bits" */
const char *certreq_key_type_get_label (CertreqKeyType type);

#define CERTREQ_TYPE_KEY (certreq_key_get_type ())
G_DECLARE_FINAL_TYPE (CertreqKey, certreq_key, CERTREQ, KEY, GObject)

CertreqKey     *certreq_key_generate        (CertreqKeyType       type,
                                             GCancellable        *cancellable,
                                             GError             **error);
void            certreq_key_generate_async  (CertreqKeyType       type,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
CertreqKey     *certreq_key_generate_finish (GAsyncResult        *result,
                                             GError             **error);

/* PKCS#8 PEM, unencrypted. The key file is written with mode 0600 from creation. */
CertreqKey     *certreq_key_load            (const char          *path,
                                             GError             **error);
CertreqKey     *certreq_key_new_from_pem    (const char          *pem,
                                             gsize                length,
                                             GError             **error);
gboolean        certreq_key_save            (CertreqKey          *self,
                                             const char          *path,
                                             GError             **error);

CertreqKeyType  certreq_key_get_key_type    (CertreqKey          *self);
/* Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo: names keys/<KEY-ID>.pem
 * and matches a certificate to its key. */
const char     *certreq_key_get_id          (CertreqKey          *self);
GBytes         *certreq_key_get_public_der  (CertreqKey          *self);

G_END_DECLS
