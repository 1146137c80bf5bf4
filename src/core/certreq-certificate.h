/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "certreq-key.h"

G_BEGIN_DECLS

typedef enum
{
  CERTREQ_FIELD_KIND_BASIC,      /* a version 1 field: version, serial, issuer, ... */
  CERTREQ_FIELD_KIND_EXTENSION,  /* an X.509v3 extension */
  CERTREQ_FIELD_KIND_PROPERTY,   /* not in the certificate: thumbprint, fingerprint, friendly name */
} CertreqFieldKind;

/* One row of the details dialog's field list. Names and values are translated. */
typedef struct
{
  CertreqFieldKind  kind;
  char             *name;      /* e.g. "Subject Alternative Name" */
  char             *value;     /* full value, may be several lines */
  gboolean          critical;  /* extensions only */
} CertreqCertField;

void certreq_cert_field_free (CertreqCertField *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CertreqCertField, certreq_cert_field_free)

typedef enum
{
  CERTREQ_EKU_SERVER_AUTH = 1 << 0,
  CERTREQ_EKU_CLIENT_AUTH = 1 << 1,
} CertreqEku;

#define CERTREQ_TYPE_CERTIFICATE (certreq_certificate_get_type ())
G_DECLARE_FINAL_TYPE (CertreqCertificate, certreq_certificate, CERTREQ, CERTIFICATE, GObject)

CertreqCertificate *certreq_certificate_new_from_der     (GBytes              *der,
                                                          GError             **error);
/* The first CERTIFICATE block in @pem */
CertreqCertificate *certreq_certificate_new_from_pem     (const char          *pem,
                                                          gssize               length,
                                                          GError             **error);
/* PEM or DER, one certificate */
CertreqCertificate *certreq_certificate_load             (const char          *path,
                                                          GError             **error);
/* Every certificate in a PEM bundle (CRLF tolerated) or a single DER certificate.
 * Returns: (transfer full) (element-type CertreqCertificate) */
GPtrArray          *certreq_certificate_list_from_data   (const char          *data,
                                                          gsize                length,
                                                          GError             **error);
GPtrArray          *certreq_certificate_list_load        (const char          *path,
                                                          GError             **error);

GBytes             *certreq_certificate_get_der          (CertreqCertificate  *self);
char               *certreq_certificate_to_pem           (CertreqCertificate  *self);

/* SHA-1 over the DER, 40 upper-case hex digits, no separators */
const char         *certreq_certificate_get_thumbprint   (CertreqCertificate  *self);
/* SHA-256 over the DER, 64 upper-case hex digits, no separators */
const char         *certreq_certificate_get_sha256       (CertreqCertificate  *self);
/* Thumbprint input as admins paste it: any case, spaces or colons.
 * Returns: (transfer full): the canonical 40-digit form, or NULL if it is not a SHA-1 thumbprint */
char               *certreq_thumbprint_normalize         (const char          *text);
/* "AB:CD:..." as openssl prints it */
char               *certreq_format_fingerprint           (const char          *hex);

/* One-line distinguished names, most significant RDN last, as openssl -nameopt RFC2253 */
char               *certreq_certificate_get_subject      (CertreqCertificate  *self);
char               *certreq_certificate_get_issuer       (CertreqCertificate  *self);
/* The subject's CN, or the whole subject when it has none */
char               *certreq_certificate_get_subject_name (CertreqCertificate  *self);
char               *certreq_certificate_get_issuer_name  (CertreqCertificate  *self);
char               *certreq_certificate_get_serial       (CertreqCertificate  *self);
GDateTime          *certreq_certificate_get_not_before   (CertreqCertificate  *self);
GDateTime          *certreq_certificate_get_not_after    (CertreqCertificate  *self);
/* DNS names of the subject alternative name extension. Returns: (transfer full) */
char              **certreq_certificate_get_dns_names    (CertreqCertificate  *self);
/* TRUE when no EKU extension exists (any purpose), it contains anyExtendedKeyUsage,
 * or it contains every bit of @eku */
gboolean            certreq_certificate_has_eku          (CertreqCertificate  *self,
                                                          CertreqEku           eku);
gboolean            certreq_certificate_is_ca            (CertreqCertificate  *self);
gboolean            certreq_certificate_is_self_issued   (CertreqCertificate  *self);
/* Lower-case hex SHA-256 of the SubjectPublicKeyInfo, as certreq_key_get_id() */
const char         *certreq_certificate_get_key_id       (CertreqCertificate  *self);
gboolean            certreq_certificate_matches_key      (CertreqCertificate  *self,
                                                          CertreqKey          *key);
/* TRUE when @name (a DNS name) is covered by a SAN entry, wildcards per RFC 6125 */
gboolean            certreq_certificate_covers_name      (CertreqCertificate  *self,
                                                          const char          *name);
gboolean            certreq_certificate_is_valid_at      (CertreqCertificate  *self,
                                                          GDateTime           *when);
/* Translated list such as "Server Authentication, Client Authentication"; "All purposes" without EKU */
char               *certreq_certificate_get_purposes     (CertreqCertificate  *self);

/* Every field for the details dialog, in display order: version, serial number,
 * signature algorithm, signature hash algorithm, issuer, valid from, valid to,
 * subject, public key, public key parameters; then each extension (SAN, KU, EKU,
 * basic constraints, SKI, AKI, CRL distribution points, AIA, certificate policies
 * and any other, by OID); then the properties thumbprint (SHA-1) and SHA-256 fingerprint.
 * Returns: (transfer full) (element-type CertreqCertField) */
GPtrArray          *certreq_certificate_get_fields       (CertreqCertificate  *self);

gboolean            certreq_certificate_equal            (CertreqCertificate  *a,
                                                          CertreqCertificate  *b);

G_END_DECLS
