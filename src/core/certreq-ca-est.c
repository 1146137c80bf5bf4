/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <string.h>

#include "certreq-private.h"
#include "certreq-ca-private.h"
#include "certreq-ca-est.h"

/* EST (RFC 7030, RFC 8951). Protocol facts: reference/protocols.md §3.
 *
 * Traps handled here:
 * - Bodies are base64 of DER whatever Content-Transfer-Encoding says, with or without
 *   line breaks (RFC 8951 §3); g_base64_decode() takes every variant once the text is
 *   known to be base64 (BIO_f_base64 does not). Plain DER is accepted as well.
 * - 202 Accepted has no request id: the client asks again with the same request
 *   (RFC 7030 §4.2.3), so our request id names the operation and the CSR's hash, and
 *   retrieve re-sends the CSR kept in the store's pending/ entry.
 * - The label is the configuration's (or the URL's), unless the request names one on
 *   the template page (certreq-enroll passes a template only when one was typed). */

#define EST_PATH          "/.well-known/est"
#define MAX_TEXT_CHARS    300
#define MAX_CHAIN_DEPTH   10

/* A stack of ASN1_TYPE with its elements */
typedef ASN1_SEQUENCE_ANY EstAsn1Items;

static void
est_asn1_items_free (EstAsn1Items *items)
{
  sk_ASN1_TYPE_pop_free (items, ASN1_TYPE_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS7, PKCS7_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EstAsn1Items, est_asn1_items_free)

struct _CertreqCaEst
{
  CertreqCaClient  parent_instance;

  CertreqCaConfig *config;       /* our own copy */
  char            *base_url;     /* https://host[:port][/prefix]/.well-known/est */
  char            *label;        /* escaped path segment, or NULL */
  char            *host;         /* host[:port], for messages */
};

G_DEFINE_FINAL_TYPE (CertreqCaEst, certreq_ca_est, CERTREQ_TYPE_CA_CLIENT)

typedef enum
{
  EST_OP_ENROLL,
  EST_OP_REENROLL,
} EstOperation;

static const char *
operation_path (EstOperation op)
{
  return op == EST_OP_REENROLL ? "simplereenroll" : "simpleenroll";
}

/* ---- Configuration ---- */

/* The caller owns the CertreqCaConfig; a deep copy of every field keeps this client
 * independent of certreq-ca-config.c's allocator */
static CertreqCaConfig *
config_copy (const CertreqCaConfig *config)
{
  CertreqCaConfig *copy = g_new0 (CertreqCaConfig, 1);

  copy->name = g_strdup (config->name);
  copy->protocol = config->protocol;
  copy->url = g_strdup (config->url);
  copy->trust_bundle = g_strdup (config->trust_bundle);
  copy->contact = g_strdup (config->contact);
  copy->eab_kid = g_strdup (config->eab_kid);
  copy->eab_hmac_file = g_strdup (config->eab_hmac_file);
  copy->http01 = g_strdup (config->http01);
  copy->dns01_hook = g_strdup (config->dns01_hook);
  copy->template_name = g_strdup (config->template_name);
  copy->auth = config->auth;
  copy->username = g_strdup (config->username);
  copy->password_file = g_strdup (config->password_file);
  copy->client_cert = g_strdup (config->client_cert);
  copy->client_key = g_strdup (config->client_key);
  copy->challenge_password_file = g_strdup (config->challenge_password_file);
  return copy;
}

static void
config_free (CertreqCaConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->name);
  g_free (config->url);
  g_free (config->trust_bundle);
  g_free (config->contact);
  g_free (config->eab_kid);
  g_free (config->eab_hmac_file);
  g_free (config->http01);
  g_free (config->dns01_hook);
  g_free (config->template_name);
  g_free (config->username);
  g_free (config->password_file);
  g_free (config->client_cert);
  g_free (config->client_key);
  g_free (config->challenge_password_file);
  g_free (config);
}

static gboolean
label_is_valid (const char *label)
{
  const char *p;

  if (*label == '\0' || g_str_equal (label, ".") || g_str_equal (label, ".."))
    return FALSE;
  for (p = label; *p != '\0'; p++)
    if (*p == '/' || *p == '?' || *p == '#' || *p == '%' || g_ascii_isspace (*p) ||
        g_ascii_iscntrl (*p))
      return FALSE;

  return g_utf8_validate (label, -1, NULL);
}

/* Splits the configured URL into the EST base and a label given in it */
static gboolean
parse_url (CertreqCaEst  *self,
           const char    *url,
           char         **out_url_label,
           GError       **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = NULL;
  const char *well_known;
  gsize len;

  uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      /* Translators: %s is the address an administrator configured for an EST server */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The EST address “%s” is not valid: enter an https:// address such as "
                     "https://ca.example.com/.well-known/est."),
                   url != NULL ? url : "");
      return FALSE;
    }

  if (g_uri_get_port (uri) > 0)
    self->host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else
    self->host = g_strdup (g_uri_get_host (uri));

  trimmed = g_strdup (url);
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';

  well_known = strstr (trimmed, EST_PATH);
  if (well_known == NULL)
    {
      self->base_url = g_strconcat (trimmed, EST_PATH, NULL);
      *out_url_label = NULL;
      return TRUE;
    }

  well_known += strlen (EST_PATH);
  self->base_url = g_strndup (trimmed, (gsize) (well_known - trimmed));
  if (*well_known == '\0')
    *out_url_label = NULL;
  else if (*well_known == '/' && strchr (well_known + 1, '/') == NULL)
    *out_url_label = g_uri_unescape_string (well_known + 1, NULL);
  else
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("The EST address “%s” is not valid: enter an https:// address such as "
                     "https://ca.example.com/.well-known/est."),
                   url);
      return FALSE;
    }

  return TRUE;
}

/* ---- Bodies ---- */

static gboolean
is_base64_text (const guint8 *data,
                gsize         length)
{
  gsize i;

  for (i = 0; i < length; i++)
    if (!g_ascii_isalnum (data[i]) && data[i] != '+' && data[i] != '/' && data[i] != '=' &&
        data[i] != '\r' && data[i] != '\n' && data[i] != ' ' && data[i] != '\t')
      return FALSE;

  return TRUE;
}

/* base64 with any line breaks (RFC 8951 §3), or plain DER: the DER */
static GBytes *
decode_body (GBytes  *body,
             GError **error)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (body, &length);

  if (length > 0 && is_base64_text (data, length))
    {
      g_autoptr(GString) text = g_string_sized_new (length);
      const char *pad;
      guchar *der;
      gsize der_len = 0;
      gsize i;

      for (i = 0; i < length; i++)
        if (!g_ascii_isspace (data[i]))
          g_string_append_c (text, (char) data[i]);

      /* g_base64_decode() skips what it does not know; check the shape first */
      pad = strchr (text->str, '=');
      if (text->len > 0 && text->len % 4 == 0 &&
          (pad == NULL || strspn (pad, "=") == strlen (pad)) &&
          (pad == NULL || strlen (pad) <= 2))
        {
          der = g_base64_decode (text->str, &der_len);
          if (der_len > 0)
            return g_bytes_new_take (der, der_len);
          g_free (der);
        }
    }
  else if (length > 1 && data[0] == 0x30)
    {
      return g_bytes_ref (body);
    }

  g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                       _("The answer is not base64-encoded DER."));
  return NULL;
}

/**
 * certreq_est_parse_certs:
 * @body: an EST certs-only answer: base64 (any line breaks) or DER PKCS#7
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CertreqCertificate): the certificates, in
 *   the order of the answer; %NULL with a %CERTREQ_ERROR_BAD_FORMAT error
 */
GPtrArray *
certreq_est_parse_certs (GBytes  *body,
                         GError **error)
{
  g_autoptr(GBytes) der = NULL;
  g_autoptr(PKCS7) p7 = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  STACK_OF (X509) *stack;
  const unsigned char *p;
  gsize length = 0;
  int i;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  der = decode_body (body, error);
  if (der == NULL)
    return NULL;

  ERR_clear_error ();
  p = g_bytes_get_data (der, &length);
  p7 = d2i_PKCS7 (NULL, &p, (long) length);
  if (p7 == NULL || !PKCS7_type_is_signed (p7) || p7->d.sign == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                       _("The answer is not a PKCS#7 list of certificates."));
      return NULL;
    }

  stack = p7->d.sign->cert;
  if (sk_X509_num (stack) <= 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The answer contains no certificate."));
      return NULL;
    }

  certs = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < sk_X509_num (stack); i++)
    {
      X509 *x509 = sk_X509_value (stack, i);
      CertreqCertificate *cert;

      X509_up_ref (x509);
      cert = _certreq_certificate_new_take (x509);
      if (cert == NULL)
        {
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                               _("The answer contains a certificate that cannot be read."));
          return NULL;
        }
      g_ptr_array_add (certs, cert);
    }

  return g_steal_pointer (&certs);
}

/* ---- CSR attributes ---- */

/**
 * certreq_est_csr_attr_free:
 * @attr: (nullable): a #CertreqEstCsrAttr
 */
void
certreq_est_csr_attr_free (CertreqEstCsrAttr *attr)
{
  if (attr == NULL)
    return;

  g_free (attr->oid);
  g_strfreev (attr->values);
  g_free (attr);
}

static char *
oid_to_dotted (const ASN1_OBJECT *obj)
{
  char buf[128];
  int n = OBJ_obj2txt (buf, sizeof buf, obj, 1);

  return n > 0 && (gsize) n < sizeof buf ? g_strdup (buf) : NULL;
}

static char *
value_to_string (const ASN1_TYPE *value)
{
  if (value->type == V_ASN1_OBJECT)
    return oid_to_dotted (value->value.object);

  if (value->type == V_ASN1_INTEGER)
    {
      int64_t n;

      if (ASN1_INTEGER_get_int64 (&n, value->value.integer))
        return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) n);
    }

  {
    unsigned char *der = NULL;
    int len = i2d_ASN1_TYPE (value, &der);
    char *hex;

    if (len <= 0)
      return NULL;
    hex = _certreq_hex (der, (gsize) len, FALSE);
    OPENSSL_free (der);
    return hex;
  }
}

/* Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET SIZE(1..MAX) OF ANY } */
static CertreqEstCsrAttr *
parse_attribute (const ASN1_STRING *sequence)
{
  g_autoptr(EstAsn1Items) parts = NULL;
  g_autoptr(EstAsn1Items) values = NULL;
  g_autoptr(CertreqEstCsrAttr) attr = NULL;
  g_autoptr(GPtrArray) strings = NULL;
  const unsigned char *p = ASN1_STRING_get0_data (sequence);
  const unsigned char *end = p + ASN1_STRING_length (sequence);
  const ASN1_TYPE *type, *set;
  int i;

  parts = d2i_ASN1_SEQUENCE_ANY (NULL, &p, end - p);
  if (parts == NULL || p != end || sk_ASN1_TYPE_num (parts) != 2)
    return NULL;
  type = sk_ASN1_TYPE_value (parts, 0);
  set = sk_ASN1_TYPE_value (parts, 1);
  if (type->type != V_ASN1_OBJECT || set->type != V_ASN1_SET)
    return NULL;

  attr = g_new0 (CertreqEstCsrAttr, 1);
  attr->oid = oid_to_dotted (type->value.object);
  if (attr->oid == NULL)
    return NULL;

  p = ASN1_STRING_get0_data (set->value.set);
  end = p + ASN1_STRING_length (set->value.set);
  values = d2i_ASN1_SET_ANY (NULL, &p, end - p);
  if (values == NULL || p != end)
    return NULL;

  strings = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < sk_ASN1_TYPE_num (values); i++)
    {
      char *value = value_to_string (sk_ASN1_TYPE_value (values, i));

      if (value == NULL)
        return NULL;
      g_ptr_array_add (strings, value);
    }
  g_ptr_array_add (strings, NULL);
  attr->values = (char **) g_ptr_array_free (g_steal_pointer (&strings), FALSE);

  return g_steal_pointer (&attr);
}

/**
 * certreq_est_parse_csr_attrs:
 * @body: an EST /csrattrs answer: base64 (any line breaks) or DER
 * @error: return location for a #GError
 *
 * Parses CsrAttrs ::= SEQUENCE SIZE (0..MAX) OF AttrOrOID (RFC 7030 §4.5.2).
 *
 * Returns: (transfer full) (element-type CertreqEstCsrAttr): the wishes, in order;
 *   %NULL with a %CERTREQ_ERROR_BAD_FORMAT error
 */
GPtrArray *
certreq_est_parse_csr_attrs (GBytes  *body,
                             GError **error)
{
  g_autoptr(GBytes) der = NULL;
  g_autoptr(EstAsn1Items) items = NULL;
  g_autoptr(GPtrArray) attrs = NULL;
  const unsigned char *p, *end;
  gsize length = 0;
  int i;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  der = decode_body (body, error);
  if (der == NULL)
    return NULL;

  p = g_bytes_get_data (der, &length);
  end = p + length;
  items = d2i_ASN1_SEQUENCE_ANY (NULL, &p, (long) length);
  attrs = g_ptr_array_new_with_free_func ((GDestroyNotify) certreq_est_csr_attr_free);
  for (i = 0; items != NULL && p == end && i < sk_ASN1_TYPE_num (items); i++)
    {
      const ASN1_TYPE *item = sk_ASN1_TYPE_value (items, i);
      CertreqEstCsrAttr *attr = NULL;

      if (item->type == V_ASN1_OBJECT)
        {
          attr = g_new0 (CertreqEstCsrAttr, 1);
          attr->oid = oid_to_dotted (item->value.object);
          if (attr->oid == NULL)
            g_clear_pointer (&attr, certreq_est_csr_attr_free);
        }
      else if (item->type == V_ASN1_SEQUENCE)
        {
          attr = parse_attribute (item->value.sequence);
        }

      if (attr == NULL)
        break;
      g_ptr_array_add (attrs, attr);
    }

  if (items == NULL || p != end || attrs->len != (guint) sk_ASN1_TYPE_num (items))
    {
      ERR_clear_error ();
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                           _("The answer is not a list of CSR attributes (RFC 7030 CsrAttrs)."));
      return NULL;
    }

  return g_steal_pointer (&attrs);
}

/* What a request has, as dotted OIDs */
typedef struct
{
  GHashTable *oids;          /* subject attribute types, extensions, attributes */
  GHashTable *extensions;
  char       *signature;     /* signature algorithm */
  int         key_type;      /* EVP_PKEY_EC, EVP_PKEY_RSA, … */
  char       *curve;         /* EC: the named curve's OID */
  int         key_bits;
} CsrFacts;

static void
csr_facts_clear (CsrFacts *facts)
{
  g_clear_pointer (&facts->oids, g_hash_table_unref);
  g_clear_pointer (&facts->extensions, g_hash_table_unref);
  g_clear_pointer (&facts->signature, g_free);
  g_clear_pointer (&facts->curve, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CsrFacts, csr_facts_clear)

static char *
nid_to_dotted (int nid)
{
  const ASN1_OBJECT *obj = OBJ_nid2obj (nid);

  return obj != NULL ? oid_to_dotted (obj) : NULL;
}

static gboolean
csr_facts_init (CsrFacts *facts,
                GBytes   *csr_der)
{
  g_autoptr(X509_REQ) req = NULL;
  STACK_OF (X509_EXTENSION) *exts;
  const unsigned char *p;
  const X509_NAME *subject;
  EVP_PKEY *pkey;
  gsize length = 0;
  int i;

  facts->oids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  facts->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  p = g_bytes_get_data (csr_der, &length);
  req = d2i_X509_REQ (NULL, &p, (long) length);
  if (req == NULL)
    {
      ERR_clear_error ();
      return FALSE;
    }

  subject = X509_REQ_get_subject_name (req);
  for (i = 0; i < X509_NAME_entry_count (subject); i++)
    {
      char *oid = oid_to_dotted (X509_NAME_ENTRY_get_object (X509_NAME_get_entry (subject, i)));

      if (oid != NULL)
        g_hash_table_add (facts->oids, oid);
    }

  for (i = 0; i < X509_REQ_get_attr_count (req); i++)
    {
      char *oid = oid_to_dotted (X509_ATTRIBUTE_get0_object (X509_REQ_get_attr (req, i)));

      if (oid != NULL)
        g_hash_table_add (facts->oids, oid);
    }

  exts = X509_REQ_get_extensions (req);
  for (i = 0; i < sk_X509_EXTENSION_num (exts); i++)
    {
      char *oid = oid_to_dotted (X509_EXTENSION_get_object (sk_X509_EXTENSION_value (exts, i)));

      if (oid != NULL)
        {
          g_hash_table_add (facts->oids, g_strdup (oid));
          g_hash_table_add (facts->extensions, oid);
        }
    }
  sk_X509_EXTENSION_pop_free (exts, X509_EXTENSION_free);

  facts->signature = nid_to_dotted (X509_REQ_get_signature_nid (req));

  pkey = X509_REQ_get0_pubkey (req);
  if (pkey != NULL)
    {
      char group[80];

      facts->key_type = EVP_PKEY_get_base_id (pkey);
      facts->key_bits = EVP_PKEY_get_bits (pkey);
      if (facts->key_type == EVP_PKEY_EC &&
          EVP_PKEY_get_utf8_string_param (pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                          sizeof group, NULL))
        facts->curve = nid_to_dotted (OBJ_txt2nid (group));
    }

  ERR_clear_error ();
  return TRUE;
}

/* OpenSSL's long name of @dotted, else the dotted form */
static const char *
oid_name (const char *dotted)
{
  int nid = OBJ_txt2nid (dotted);
  const char *name = nid != NID_undef ? OBJ_nid2ln (nid) : NULL;

  ERR_clear_error ();
  return name != NULL ? name : dotted;
}

static gboolean
oid_is (const char *dotted,
        int         nid)
{
  g_autofree char *other = nid_to_dotted (nid);

  return g_strcmp0 (dotted, other) == 0;
}

static gboolean
values_contain (char       **values,
                const char  *value)
{
  return value != NULL && values != NULL && g_strv_contains ((const char * const *) values, value);
}

/* An ecPublicKey attribute names acceptable curves, an rsaEncryption one key sizes
 * (RFC 9908); a bare OID asks for the key type only. The first value names the wish. */
static void
add_unmet_key (GPtrArray       *unmet,
               const CsrFacts  *facts,
               const char      *key_oid,
               char           **values)
{
  gboolean any = values == NULL || values[0] == NULL;

  if (oid_is (key_oid, NID_X9_62_id_ecPublicKey))
    {
      if (facts->key_type == EVP_PKEY_EC && (any || values_contain (values, facts->curve)))
        return;
      if (any)
        g_ptr_array_add (unmet, g_strdup (_("an elliptic-curve key")));
      else
        /* Translators: something an EST server wants in a request; %s is a curve name
         * such as secp384r1 */
        g_ptr_array_add (unmet, g_strdup_printf (_("an elliptic-curve key on the curve %s"),
                                                 oid_name (values[0])));
    }
  else
    {
      g_autofree char *bits = g_strdup_printf ("%d", facts->key_bits);

      if (facts->key_type == EVP_PKEY_RSA && (any || values_contain (values, bits)))
        return;
      if (any)
        g_ptr_array_add (unmet, g_strdup (_("an RSA key")));
      else
        /* Translators: something an EST server wants in a request; %s is a number of bits */
        g_ptr_array_add (unmet, g_strdup_printf (_("an RSA key of %s bits"), values[0]));
    }
}

/**
 * certreq_est_csr_attrs_unmet:
 * @attrs: (element-type CertreqEstCsrAttr): what the server asks for
 * @csr_der: the request, DER
 *
 * Compares a server's CSR attributes with a request: a challenge password, a key
 * type or curve, a signature algorithm, extensions (bare or in an extensionRequest),
 * subject attributes.
 *
 * Returns: (transfer full): translated phrases for what is missing, NULL-terminated
 */
char **
certreq_est_csr_attrs_unmet (GPtrArray *attrs,
                             GBytes    *csr_der)
{
  g_auto(CsrFacts) facts = { 0 };
  g_autoptr(GPtrArray) unmet = g_ptr_array_new_with_free_func (g_free);
  guint i, j;

  g_return_val_if_fail (attrs != NULL, NULL);
  g_return_val_if_fail (csr_der != NULL, NULL);

  if (!csr_facts_init (&facts, csr_der))
    {
      g_ptr_array_add (unmet, g_strdup (_("a readable request")));
      g_ptr_array_add (unmet, NULL);
      return (char **) g_ptr_array_free (g_steal_pointer (&unmet), FALSE);
    }

  for (i = 0; i < attrs->len; i++)
    {
      CertreqEstCsrAttr *attr = g_ptr_array_index (attrs, i);
      int nid = OBJ_txt2nid (attr->oid);
      int md_nid = NID_undef, pkey_nid = NID_undef;

      ERR_clear_error ();
      if (nid == NID_pkcs9_challengePassword)
        {
          if (!g_hash_table_contains (facts.oids, attr->oid))
            g_ptr_array_add (unmet, g_strdup (_("a challenge password")));
        }
      else if (nid == NID_ext_req && attr->values != NULL)
        {
          for (j = 0; attr->values[j] != NULL; j++)
            if (!g_hash_table_contains (facts.extensions, attr->values[j]))
              /* Translators: something an EST server wants in a request; %s names an
               * X.509 extension, e.g. "X509v3 Subject Alternative Name" or an OID */
              g_ptr_array_add (unmet, g_strdup_printf (_("the extension %s"),
                                                       oid_name (attr->values[j])));
        }
      else if (nid == NID_X9_62_id_ecPublicKey || nid == NID_rsaEncryption)
        {
          add_unmet_key (unmet, &facts, attr->oid, attr->values);
        }
      else if (nid != NID_undef && OBJ_find_sigid_algs (nid, &md_nid, &pkey_nid))
        {
          if (g_strcmp0 (facts.signature, attr->oid) != 0)
            /* Translators: something an EST server wants in a request; %s names a
             * signature algorithm, e.g. ecdsa-with-SHA384 */
            g_ptr_array_add (unmet, g_strdup_printf (_("a signature made with %s"),
                                                     oid_name (attr->oid)));
        }
      else if (!g_hash_table_contains (facts.oids, attr->oid))
        {
          /* Translators: something an EST server wants in a request; %s names a subject
           * field, extension or attribute, or is an OID such as 1.3.6.1.1.1.1.22 */
          g_ptr_array_add (unmet, g_strdup_printf (_("the field %s"), oid_name (attr->oid)));
        }
    }

  g_ptr_array_add (unmet, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&unmet), FALSE);
}

/* ---- HTTP ---- */

/* The configured password: from the Secret Service or its root-only file through
 * certreq-ca-config when that module is built, else straight from the file.
 * Returns: (transfer full) (nullable): wipe it after use */
static char *
configured_password (CertreqCaEst  *self,
                     GError       **error)
{
#ifdef CERTREQ_HAVE_CA_CONFIG
  g_autoptr(GError) local_error = NULL;
  char *secret = certreq_ca_config_get_secret (self->config, CERTREQ_CA_SECRET_PASSWORD,
                                               &local_error);

  if (secret == NULL && !g_error_matches (local_error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return secret;
#else
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;
  char *newline;

  if (self->config->password_file == NULL)
    return NULL;

  if (!g_file_get_contents (self->config->password_file, &contents, &length, &local_error))
    {
      /* Translators: %1$s is a file name, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The password file %1$s could not be read: %2$s"),
                   self->config->password_file, local_error->message);
      return NULL;
    }

  /* The first line; the rest is wiped with it */
  newline = strpbrk (contents, "\r\n");
  if (newline != NULL)
    {
      char *copy = g_strndup (contents, (gsize) (newline - contents));

      OPENSSL_cleanse (contents, length);
      g_free (contents);
      contents = copy;
    }
  return contents;
#endif
}

typedef struct
{
  CertreqHttp     *http;
  CertreqHttpAuth  auth;
  char            *username;     /* BASIC */
  char            *client_cert;  /* CERT */
} Session;

static void
session_clear (Session *session)
{
  g_clear_object (&session->http);
  g_clear_pointer (&session->username, g_free);
  g_clear_pointer (&session->client_cert, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Session, session_clear)

/* @client_cert, @client_key: (nullable): a client certificate that overrides the
 * configured authentication (re-enrollment) */
static gboolean
session_open (CertreqCaEst  *self,
              Session       *session,
              const char    *client_cert,
              const char    *client_key,
              GError       **error)
{
  CertreqCaClient *client = CERTREQ_CA_CLIENT (self);
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();

  options->trust_bundle = g_strdup (self->config->trust_bundle);
  options->auth = CERTREQ_HTTP_AUTH_NONE;

  if (client_cert != NULL)
    {
      options->auth = CERTREQ_HTTP_AUTH_CERT;
      options->client_cert = g_strdup (client_cert);
      options->client_key = g_strdup (client_key);
    }
  else if (self->config->auth == CERTREQ_HTTP_AUTH_CERT)
    {
      if (self->config->client_cert == NULL || self->config->client_key == NULL)
        {
          /* Translators: %s is the EST server's host name */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The EST server %s is set up for a client certificate, but no "
                         "certificate and key files are configured."),
                       self->host);
          return FALSE;
        }
      options->auth = CERTREQ_HTTP_AUTH_CERT;
      options->client_cert = g_strdup (self->config->client_cert);
      options->client_key = g_strdup (self->config->client_key);
    }
  else if (self->config->auth == CERTREQ_HTTP_AUTH_BASIC)
    {
      const char *username = certreq_ca_client_get_username (client);
      const char *password = certreq_ca_client_get_password (client);

      if (username == NULL || *username == '\0')
        username = self->config->username;
      if (username != NULL && *username != '\0')
        {
          options->auth = CERTREQ_HTTP_AUTH_BASIC;
          options->username = g_strdup (username);
          if (password != NULL)
            options->password = g_strdup (password);
          else
            {
              g_autoptr(GError) local_error = NULL;

              options->password = configured_password (self, &local_error);
              if (local_error != NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              if (options->password == NULL)
                options->password = g_strdup ("");
            }
        }
    }

  session->auth = options->auth;
  session->username = g_strdup (options->username);
  session->client_cert = g_strdup (options->client_cert);
  /* The options wipe their copy of the password when freed */
  session->http = certreq_http_new (options);
  return TRUE;
}

static char *
operation_url (CertreqCaEst *self,
               const char   *operation)
{
  if (self->label != NULL)
    return g_strdup_printf ("%s/%s/%s", self->base_url, self->label, operation);

  return g_strdup_printf ("%s/%s", self->base_url, operation);
}

/* The server's explanation, if it sent one as text: one line, at most MAX_TEXT_CHARS */
static char *
response_text (CertreqHttpResponse *response)
{
  const char *type = certreq_http_response_get_header (response, "content-type");
  g_autofree char *raw = NULL;
  g_autofree char *valid = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean html, in_tag = FALSE, space = FALSE;
  const char *p;

  if (g_bytes_get_size (response->body) == 0)
    return NULL;
  if (type != NULL && !g_str_has_prefix (type, "text/"))
    return NULL;
  html = type != NULL && strstr (type, "html") != NULL;

  raw = certreq_http_response_dup_text (response);
  valid = g_utf8_make_valid (raw, -1);
  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (html && c == '<')
        in_tag = TRUE;
      if (in_tag)
        {
          in_tag = c != '>';
          space = TRUE;
          continue;
        }
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = TRUE;
          continue;
        }
      if (space && text->len > 0)
        g_string_append_c (text, ' ');
      space = FALSE;
      g_string_append_unichar (text, c);
    }

  if (text->len == 0)
    return NULL;
  if (g_utf8_strlen (text->str, -1) > MAX_TEXT_CHARS)
    {
      g_string_truncate (text, (gsize) (g_utf8_offset_to_pointer (text->str, MAX_TEXT_CHARS) -
                                        text->str));
      g_string_append (text, "…");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); -1 when absent */
static gint64
retry_after_seconds (CertreqHttpResponse *response)
{
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const char *value = certreq_http_response_get_header (response, "retry-after");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  char month[4] = { 0 };
  int day, year, hour, minute, second;
  g_autofree char *copy = NULL;
  const char *found;
  guint64 seconds;

  if (value == NULL)
    return -1;
  copy = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (copy, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;

  if (sscanf (value, "%*3s, %d %3s %d %d:%d:%d GMT", &day, month, &year, &hour, &minute,
              &second) != 6 ||
      (found = strstr (months, month)) == NULL || strlen (month) != 3)
    return -1;
  when = g_date_time_new_utc (year, (int) (found - months) / 3 + 1, day, hour, minute, second);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (when, now) / G_TIME_SPAN_SECOND);
}

/* A sentence on what the server's CSR attributes ask for that @csr_der lacks, or NULL */
static char *
unmet_sentence (CertreqCaEst *self,
                GPtrArray    *attrs,
                GBytes       *csr_der)
{
  g_auto(GStrv) unmet = NULL;
  g_autofree char *list = NULL;

  if (attrs == NULL || attrs->len == 0)
    return NULL;
  unmet = certreq_est_csr_attrs_unmet (attrs, csr_der);
  if (unmet[0] == NULL)
    return NULL;

  list = g_strjoinv ("; ", unmet);
  /* Translators: %1$s is the EST server's host name, %2$s a list of what it wants,
   * separated by semicolons, e.g. "a challenge password; the extension …" */
  return g_strdup_printf (_("The server %1$s asks for things this request does not have: %2$s."),
                          self->host, list);
}

/* An answer that is neither 200 nor 202: the error in words.
 * @attrs, @csr_der: (nullable): for enrollments, to say what the request may lack */
static void
set_status_error (CertreqCaEst        *self,
                  Session             *session,
                  CertreqHttpResponse *response,
                  const char          *operation,
                  GPtrArray           *attrs,
                  GBytes              *csr_der,
                  GError             **error)
{
  g_autofree char *text = response_text (response);
  g_autofree char *message = NULL;
  g_autofree char *unmet = csr_der != NULL ? unmet_sentence (self, attrs, csr_der) : NULL;
  g_autofree char *url = operation_url (self, operation);
  CertreqError code = CERTREQ_ERROR_CA_REJECTED;
  guint status = response->status;

  if (status == 401)
    {
      if (session->auth == CERTREQ_HTTP_AUTH_BASIC)
        /* Translators: %1$s is the EST server's host name, %2$s a user name */
        message = g_strdup_printf (_("The EST server %1$s did not accept the user name “%2$s” "
                                     "and its password. Check them on the account page or "
                                     "in the CA’s settings."),
                                   self->host, session->username);
      else if (session->auth == CERTREQ_HTTP_AUTH_CERT)
        /* Translators: %1$s is the EST server's host name, %2$s a certificate file */
        message = g_strdup_printf (_("The EST server %1$s did not accept the client "
                                     "certificate %2$s. Ask its administrator which "
                                     "certificates it accepts."),
                                   self->host, session->client_cert);
      else
        /* Translators: %s is the EST server's host name */
        message = g_strdup_printf (_("The EST server %s asks for authentication, but none "
                                     "is set up for it: enter a user name and password, or "
                                     "configure a client certificate."),
                                   self->host);
    }
  else if (status == 404)
    {
      code = CERTREQ_ERROR_PROTOCOL;
      /* Translators: %1$s is the EST server's host name, %2$s the URL asked for */
      message = g_strdup_printf (_("The server %1$s has no EST service at %2$s. Check the "
                                   "address and the label (template name) of the CA."),
                                 self->host, url);
    }
  else if (status >= 500)
    {
      code = CERTREQ_ERROR_NETWORK;
      if (text != NULL)
        /* Translators: %1$s is the EST server's host name, %2$u the HTTP status,
         * %3$s the server's own explanation (often English) */
        message = g_strdup_printf (_("The EST server %1$s failed (HTTP %2$u): %3$s Try again "
                                     "later, or ask its administrator."),
                                   self->host, status, text);
      else
        /* Translators: %1$s is the EST server's host name, %2$u the HTTP status */
        message = g_strdup_printf (_("The EST server %1$s failed (HTTP %2$u). Try again later, "
                                     "or ask its administrator."),
                                   self->host, status);
    }
  else if (text != NULL)
    {
      /* Translators: %1$s is the EST server's host name, %2$u the HTTP status,
       * %3$s the server's own explanation (often English) */
      message = g_strdup_printf (_("The EST server %1$s refused the request (HTTP %2$u): %3$s"),
                                 self->host, status, text);
    }
  else
    {
      /* Translators: %1$s is the EST server's host name, %2$u the HTTP status */
      message = g_strdup_printf (_("The EST server %1$s refused the request (HTTP %2$u)."),
                                 self->host, status);
    }

  if (unmet != NULL)
    {
      g_autofree char *joined = g_strconcat (message, " ", unmet, NULL);

      g_free (message);
      message = g_steal_pointer (&joined);
    }
  g_set_error_literal (error, CERTREQ_ERROR, code, message);
}

static CertreqHttpResponse *
request (CertreqCaEst  *self,
         Session       *session,
         const char    *operation,
         GBytes        *csr_der,
         GCancellable  *cancellable,
         GError       **error)
{
  static const char * const headers[] = { "Content-Transfer-Encoding: base64", NULL };
  g_autofree char *url = operation_url (self, operation);
  g_autoptr(GBytes) body = NULL;

  if (csr_der == NULL)
    return certreq_http_request (session->http, "GET", url, NULL, NULL, NULL, cancellable,
                                 error);

  {
    g_autofree char *b64 = g_base64_encode (g_bytes_get_data (csr_der, NULL),
                                            g_bytes_get_size (csr_der));
    GString *text = g_string_new (NULL);
    gsize i, len = strlen (b64);

    /* 64 columns, as PEM: RFC 8951 lets the server take either form */
    for (i = 0; i < len; i += 64)
      {
        g_string_append_len (text, b64 + i, MIN (64, len - i));
        g_string_append (text, "\r\n");
      }
    body = g_string_free_to_bytes (text);
  }

  return certreq_http_request (session->http, "POST", url, "application/pkcs10", body,
                               headers, cancellable, error);
}

/* GET /cacerts */
static GPtrArray *
fetch_ca_certs (CertreqCaEst  *self,
                Session       *session,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *certs;

  response = request (self, session, "cacerts", NULL, cancellable, error);
  if (response == NULL)
    return NULL;
  if (response->status != 200)
    {
      set_status_error (self, session, response, "cacerts", NULL, NULL, error);
      return NULL;
    }

  certs = certreq_est_parse_certs (response->body, &local_error);
  if (certs == NULL)
    /* Translators: %1$s is the EST server's host name, %2$s what is wrong with its answer */
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                 _("The EST server %1$s sent CA certificates that cannot be read: %2$s"),
                 self->host, local_error->message);
  return certs;
}

/* GET /csrattrs; an empty array when the server has none */
static GPtrArray *
fetch_csr_attrs (CertreqCaEst  *self,
                 Session       *session,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *attrs;

  response = request (self, session, "csrattrs", NULL, cancellable, error);
  if (response == NULL)
    return NULL;
  /* The operation is optional (RFC 7030 §4.5.2): 204 and 404 say "nothing" */
  if (response->status == 204 || response->status == 404)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) certreq_est_csr_attr_free);
  if (response->status != 200)
    {
      set_status_error (self, session, response, "csrattrs", NULL, NULL, error);
      return NULL;
    }

  attrs = certreq_est_parse_csr_attrs (response->body, &local_error);
  if (attrs == NULL)
    /* Translators: %1$s is the EST server's host name, %2$s what is wrong with its answer */
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                 _("The EST server %1$s sent CSR attributes that cannot be read: %2$s"),
                 self->host, local_error->message);
  return attrs;
}

/* ---- Enrollment ---- */

static CertreqCertificate *
find_issuer (CertreqCertificate *cert,
             GPtrArray          *pool,
             GPtrArray          *chain)
{
  X509 *subject = _certreq_certificate_get_x509 (cert);
  guint i;

  for (i = 0; i < pool->len; i++)
    {
      CertreqCertificate *candidate = g_ptr_array_index (pool, i);

      if (candidate == cert || certreq_certificate_equal (candidate, cert) ||
          g_ptr_array_find_with_equal_func (chain, candidate,
                                            (GEqualFunc) certreq_certificate_equal, NULL))
        continue;
      if (X509_check_issued (_certreq_certificate_get_x509 (candidate), subject) == X509_V_OK)
        return candidate;
    }

  return NULL;
}

/* The issued certificate (the one for the request's key) and its chain, issuer
 * first, from the answer's other certificates and /cacerts */
static gboolean
pick_certificate (CertreqCaEst         *self,
                  GPtrArray            *issued,
                  GPtrArray            *ca_certs,
                  GBytes               *csr_der,
                  CertreqSubmitResult  *result,
                  GError              **error)
{
  g_autoptr(X509_REQ) req = NULL;
  g_autoptr(GPtrArray) pool = g_ptr_array_new ();
  const unsigned char *p;
  CertreqCertificate *leaf = NULL, *current;
  EVP_PKEY *request_key;
  gsize length = 0;
  guint i;

  p = g_bytes_get_data (csr_der, &length);
  req = d2i_X509_REQ (NULL, &p, (long) length);
  request_key = req != NULL ? X509_REQ_get0_pubkey (req) : NULL;

  for (i = 0; i < issued->len && request_key != NULL; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (issued, i);

      if (leaf == NULL &&
          EVP_PKEY_eq (X509_get0_pubkey (_certreq_certificate_get_x509 (cert)), request_key) == 1)
        leaf = cert;
      else
        g_ptr_array_add (pool, cert);
    }
  ERR_clear_error ();

  if (leaf == NULL)
    {
      /* Translators: %s is the EST server's host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   _("The EST server %s answered with a certificate for another key than this "
                     "request's."),
                   self->host);
      return FALSE;
    }

  for (i = 0; ca_certs != NULL && i < ca_certs->len; i++)
    g_ptr_array_add (pool, g_ptr_array_index (ca_certs, i));

  result->certificate = g_object_ref (leaf);
  result->chain = g_ptr_array_new_with_free_func (g_object_unref);
  current = leaf;
  while (result->chain->len < MAX_CHAIN_DEPTH && !certreq_certificate_is_self_issued (current))
    {
      current = find_issuer (current, pool, result->chain);
      if (current == NULL)
        break;
      g_ptr_array_add (result->chain, g_object_ref (current));
    }

  return TRUE;
}

static void
report (CertreqProgressFunc  progress,
        gpointer             progress_data,
        CertreqSubmitStage   stage,
        const char          *detail,
        double               fraction)
{
  if (progress != NULL)
    progress (stage, detail, fraction, progress_data);
}

/* One enrollment exchange: /cacerts, /csrattrs, then the POST. @again: this asks about
 * a request the server held (202), so the stage is WAITING rather than SUBMITTING. */
static CertreqSubmitResult *
enroll (CertreqCaEst         *self,
        EstOperation          op,
        GBytes               *csr_der,
        const char           *client_cert,
        const char           *client_key,
        gboolean              again,
        CertreqProgressFunc   progress,
        gpointer              progress_data,
        GCancellable         *cancellable,
        GError              **error)
{
  g_auto(Session) session = { 0 };
  g_autoptr(GPtrArray) ca_certs = NULL;
  g_autoptr(GPtrArray) attrs = NULL;
  g_autoptr(GPtrArray) issued = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;
  const char *operation = operation_path (op);

  /* Translators: progress detail; %s is the EST server's host name */
  detail = g_strdup_printf (_("Fetching the CA certificates from %s"), self->host);
  report (progress, progress_data, CERTREQ_SUBMIT_STAGE_CONNECTING, detail, 0.1);
  if (!session_open (self, &session, client_cert, client_key, error))
    return NULL;

  ca_certs = fetch_ca_certs (self, &session, cancellable, error);
  if (ca_certs == NULL)
    return NULL;

  /* Only used to explain a refusal: a server that fails here may still enroll */
  attrs = fetch_csr_attrs (self, &session, cancellable, &local_error);
  if (attrs == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("EST %s: no CSR attributes: %s", self->host, local_error->message);
      g_clear_error (&local_error);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_clear_pointer (&detail, g_free);
  if (session.auth == CERTREQ_HTTP_AUTH_BASIC)
    /* Translators: progress detail; %s is a user name */
    detail = g_strdup_printf (_("As the user %s"), session.username);
  else if (session.auth == CERTREQ_HTTP_AUTH_CERT)
    /* Translators: progress detail; %s is a certificate file */
    detail = g_strdup_printf (_("With the client certificate %s"), session.client_cert);
  if (detail != NULL)
    report (progress, progress_data, CERTREQ_SUBMIT_STAGE_AUTHENTICATING, detail, 0.3);

  g_clear_pointer (&detail, g_free);
  if (again)
    {
      /* Translators: progress detail; %s is the EST server's host name */
      detail = g_strdup_printf (_("Asking %s again about the request"), self->host);
      report (progress, progress_data, CERTREQ_SUBMIT_STAGE_WAITING, detail, 0.5);
    }
  else
    {
      /* Translators: progress detail; %s is the EST server's host name */
      detail = g_strdup_printf (_("Sending the request to %s"), self->host);
      report (progress, progress_data, CERTREQ_SUBMIT_STAGE_SUBMITTING, detail, 0.5);
    }

  response = request (self, &session, operation, csr_der, cancellable, error);
  if (response == NULL)
    return NULL;

  if (response->status == 202)
    {
      g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, csr_der);
      gint64 seconds = retry_after_seconds (response);

      g_clear_pointer (&detail, g_free);
      if (seconds >= 0)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

          /* Translators: progress detail; %1$s is the EST server's host name, %2$s a
           * number of seconds */
          detail = g_strdup_printf (_("%1$s holds the request and asks to be asked again in "
                                      "%2$s seconds"),
                                    self->host, number);
        }
      else
        {
          /* Translators: progress detail; %s is the EST server's host name */
          detail = g_strdup_printf (_("%s holds the request for approval"), self->host);
        }
      report (progress, progress_data, CERTREQ_SUBMIT_STAGE_WAITING, detail, 1.0);

      result = certreq_submit_result_new (CERTREQ_SUBMIT_PENDING);
      result->request_id = g_strdup_printf ("%s:%s", operation, hash);
      return g_steal_pointer (&result);
    }

  if (response->status == 400 || response->status == 403)
    {
      /* The server looked at the request and refused it: an answer, not a failure */
      g_autoptr(GError) refusal = NULL;

      set_status_error (self, &session, response, operation, attrs, csr_der, &refusal);
      result = certreq_submit_result_new (CERTREQ_SUBMIT_DENIED);
      result->reason = g_strdup (refusal->message);
      return g_steal_pointer (&result);
    }

  if (response->status != 200)
    {
      set_status_error (self, &session, response, operation, attrs, csr_der, error);
      return NULL;
    }

  report (progress, progress_data, CERTREQ_SUBMIT_STAGE_DOWNLOADING, NULL, 0.9);
  issued = certreq_est_parse_certs (response->body, &local_error);
  if (issued == NULL)
    {
      /* Translators: %1$s is the EST server's host name, %2$s what is wrong with its answer */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   _("The EST server %1$s sent a certificate that cannot be read: %2$s"),
                   self->host, local_error->message);
      return NULL;
    }

  result = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
  if (!pick_certificate (self, issued, ca_certs, csr_der, result, error))
    return NULL;
  result->request_id = certreq_certificate_get_serial (result->certificate);

  return g_steal_pointer (&result);
}

/* A renewal (the request replaces a certificate of the store) re-enrolls with that
 * certificate and its key as the TLS client certificate (RFC 7030 §4.2.2): their files
 * in the store. FALSE when the request renews nothing, or when the certificate cannot
 * authenticate a TLS client (expired, or an extended key usage without client
 * authentication): then it is an enrollment like any other. */
static gboolean
renewal_files (CertreqCaEst  *self,
               char         **out_cert,
               char         **out_key)
{
  CertreqCaClient *client = CERTREQ_CA_CLIENT (self);
  CertreqCertificate *old_cert = _certreq_ca_client_get_renewal_certificate (client);
  CertreqKey *old_key = _certreq_ca_client_get_renewal_key (client);
  CertreqStore *store = certreq_ca_client_get_store (client);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *cert_name = NULL;
  g_autofree char *key_name = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;

  if (old_cert == NULL || old_key == NULL)
    return FALSE;
  if (!certreq_certificate_is_valid_at (old_cert, now))
    {
      g_debug ("EST %s: the certificate renewed is not valid now; enrolling anew", self->host);
      return FALSE;
    }
  /* A TLS server refuses a client certificate whose extended key usage leaves out
   * client authentication (a web server's certificate, often) */
  if (!certreq_certificate_has_eku (old_cert, CERTREQ_EKU_CLIENT_AUTH))
    {
      g_debug ("EST %s: the certificate renewed is not for client authentication; "
               "enrolling anew", self->host);
      return FALSE;
    }

  cert_name = g_strconcat (certreq_certificate_get_thumbprint (old_cert), ".pem", NULL);
  key_name = g_strconcat (certreq_key_get_id (old_key), ".pem", NULL);
  cert_path = _certreq_store_build_path (store, "certs", cert_name, NULL);
  key_path = _certreq_store_build_path (store, "keys", key_name, NULL);
  if (!g_file_test (cert_path, G_FILE_TEST_IS_REGULAR) ||
      !g_file_test (key_path, G_FILE_TEST_IS_REGULAR))
    {
      g_debug ("EST %s: the certificate renewed or its key is not in the store's files; "
               "enrolling anew", self->host);
      return FALSE;
    }

  *out_cert = g_steal_pointer (&cert_path);
  *out_key = g_steal_pointer (&key_path);
  return TRUE;
}

static CertreqSubmitResult *
certreq_ca_est_submit (CertreqCaClient      *client,
                       GBytes               *csr_der,
                       const char           *template_name,
                       CertreqProgressFunc   progress,
                       gpointer              progress_data,
                       GCancellable         *cancellable,
                       GError              **error)
{
  CertreqCaEst *self = CERTREQ_CA_EST (client);

  /* @template_name is the label the request names on the template page (NULL: the
   * configured one); it replaces the configured label for this client */
  if (template_name != NULL && *template_name != '\0')
    {
      if (!label_is_valid (template_name))
        {
          /* Translators: %s is what an administrator entered as the EST label */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The EST label “%s” is not valid: it is one part of a URL path, "
                         "without “/”, “?”, “#”, “%%” or spaces."),
                       template_name);
          return NULL;
        }
      g_free (self->label);
      self->label = g_uri_escape_string (template_name,
                                         G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS ":@",
                                         FALSE);
    }

  {
    g_autofree char *cert_path = NULL;
    g_autofree char *key_path = NULL;

    if (renewal_files (self, &cert_path, &key_path))
      return enroll (self, EST_OP_REENROLL, csr_der, cert_path, key_path, FALSE,
                     progress, progress_data, cancellable, error);
  }

  return enroll (self, EST_OP_ENROLL, csr_der, NULL, NULL, FALSE,
                 progress, progress_data, cancellable, error);
}

/* The CSR of the pending/ entry whose SHA-256 is @hash */
static GBytes *
find_pending_csr (CertreqCaEst  *self,
                  const char    *hash,
                  GError       **error)
{
  CertreqStore *store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (self));
  g_autoptr(GPtrArray) ids = certreq_store_pending_list (store);
  guint i;

  for (i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(GBytes) csr = certreq_store_pending_get_csr (store, g_ptr_array_index (ids, i),
                                                             NULL);
      g_autofree char *csr_hash = NULL;

      if (csr == NULL)
        continue;
      csr_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, csr);
      if (g_ascii_strcasecmp (csr_hash, hash) == 0)
        return g_steal_pointer (&csr);
    }

  /* Translators: %s is the EST server's host name */
  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
               _("The request held by the EST server %s is no longer in the store, so it "
                 "cannot be sent again. Request a new certificate."),
               self->host);
  return NULL;
}

static CertreqSubmitResult *
certreq_ca_est_retrieve (CertreqCaClient      *client,
                         const char           *request_id,
                         CertreqProgressFunc   progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  CertreqCaEst *self = CERTREQ_CA_EST (client);
  g_autoptr(GBytes) csr = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  const char *colon = strchr (request_id, ':');
  EstOperation op;

  if (colon != NULL && g_str_has_prefix (request_id, "simpleenroll:"))
    op = EST_OP_ENROLL;
  else if (colon != NULL && g_str_has_prefix (request_id, "simplereenroll:"))
    op = EST_OP_REENROLL;
  else
    {
      /* Translators: %1$s is a request id, %2$s the EST server's host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("“%1$s” is not a request held by the EST server %2$s."),
                   request_id, self->host);
      return NULL;
    }

  /* A renewal held by the server is asked about with the certificate being renewed
   * (certreq-pending names it), else with the configured client certificate */
  if (op == EST_OP_REENROLL && !renewal_files (self, &cert_path, &key_path) &&
      self->config->auth != CERTREQ_HTTP_AUTH_CERT)
    {
      /* Translators: %s is the EST server's host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("A renewal held by the EST server %s is asked about with the certificate "
                     "being renewed: renew it again instead."),
                   self->host);
      return NULL;
    }

  csr = find_pending_csr (self, colon + 1, error);
  if (csr == NULL)
    return NULL;

  return enroll (self, op, csr, cert_path, key_path, TRUE, progress, progress_data, cancellable,
                 error);
}

/**
 * certreq_ca_est_reenroll:
 * @self: a #CertreqCaEst
 * @csr_der: the renewal request (the current certificate's subject), DER
 * @client_cert: PEM file of the certificate being renewed
 * @client_key: PEM file of its private key
 * @progress: (nullable): called in the calling thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * POSTs to /simplereenroll with the current certificate as the TLS client
 * certificate. A PENDING answer is asked about by calling this again with the same
 * request. Blocking.
 *
 * Returns: (transfer full): issued, pending or denied; %NULL with @error set
 */
CertreqSubmitResult *
certreq_ca_est_reenroll (CertreqCaEst         *self,
                         GBytes               *csr_der,
                         const char           *client_cert,
                         const char           *client_key,
                         CertreqProgressFunc   progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  CertreqSubmitResult *result;

  g_return_val_if_fail (CERTREQ_IS_CA_EST (self), NULL);
  g_return_val_if_fail (csr_der != NULL, NULL);
  g_return_val_if_fail (client_cert != NULL && client_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  result = enroll (self, EST_OP_REENROLL, csr_der, client_cert, client_key, FALSE,
                   progress, progress_data, cancellable, error);
  if (result != NULL)
    {
      CertreqCaClient *client = CERTREQ_CA_CLIENT (self);

      result->ca_id = g_strdup (certreq_ca_client_get_id (client));
      result->ca_name = g_strdup (certreq_ca_client_get_name (client));
    }
  return result;
}

/**
 * certreq_ca_est_get_ca_certs:
 * @self: a #CertreqCaEst
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CertreqCertificate): the server's
 *   /cacerts, or %NULL with @error set
 */
GPtrArray *
certreq_ca_est_get_ca_certs (CertreqCaEst  *self,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_auto(Session) session = { 0 };

  g_return_val_if_fail (CERTREQ_IS_CA_EST (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!session_open (self, &session, NULL, NULL, error))
    return NULL;
  return fetch_ca_certs (self, &session, cancellable, error);
}

/**
 * certreq_ca_est_get_csr_attrs:
 * @self: a #CertreqCaEst
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CertreqEstCsrAttr): what the server wants
 *   in a request (empty when it says nothing), or %NULL with @error set
 */
GPtrArray *
certreq_ca_est_get_csr_attrs (CertreqCaEst  *self,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_auto(Session) session = { 0 };

  g_return_val_if_fail (CERTREQ_IS_CA_EST (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!session_open (self, &session, NULL, NULL, error))
    return NULL;
  return fetch_csr_attrs (self, &session, cancellable, error);
}

/* ---- Object ---- */

static void
certreq_ca_est_finalize (GObject *object)
{
  CertreqCaEst *self = CERTREQ_CA_EST (object);

  config_free (self->config);
  g_free (self->base_url);
  g_free (self->label);
  g_free (self->host);

  G_OBJECT_CLASS (certreq_ca_est_parent_class)->finalize (object);
}

static void
certreq_ca_est_class_init (CertreqCaEstClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CertreqCaClientClass *client_class = CERTREQ_CA_CLIENT_CLASS (klass);

  object_class->finalize = certreq_ca_est_finalize;
  client_class->submit = certreq_ca_est_submit;
  client_class->retrieve = certreq_ca_est_retrieve;
}

static void
certreq_ca_est_init (CertreqCaEst *self)
{
}

/**
 * certreq_ca_est_new:
 * @store: the store whose pending/ entries retrieve re-sends
 * @config: the CA's configuration (copied); protocol EST
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the EST client, or %NULL with a
 *   %CERTREQ_ERROR_INVALID_SUBJECT error naming what is wrong with @config
 */
CertreqCaClient *
certreq_ca_est_new (CertreqStore          *store,
                    const CertreqCaConfig *config,
                    GError               **error)
{
  g_autoptr(CertreqCaEst) self = NULL;
  g_autofree char *url_label = NULL;
  const char *label;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CERTREQ_TYPE_CA_EST,
                       "id", config->name,
                       "name", config->name,
                       "store", store,
                       NULL);
  self->config = config_copy (config);

  if (!parse_url (self, config->url, &url_label, error))
    return NULL;

  label = config->template_name != NULL && *config->template_name != '\0'
          ? config->template_name : url_label;
  if (label != NULL)
    {
      if (!label_is_valid (label))
        {
          /* Translators: %s is what an administrator entered as the EST label */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                       _("The EST label “%s” is not valid: it is one part of a URL path, "
                         "without “/”, “?”, “#”, “%%” or spaces."),
                       label);
          return NULL;
        }
      self->label = g_uri_escape_string (label, G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS
                                         ":@", FALSE);
    }

  return CERTREQ_CA_CLIENT (g_steal_pointer (&self));
}

#ifdef CERTREQ_FUZZING
#include "certreq-fuzz-private.h"

/* tests/fuzz/fuzz-est.c: what the client reads of a failed answer (its text and
 * Retry-After); the bodies of /cacerts, /simpleenroll and /csrattrs go through the
 * public certreq_est_parse_certs () and certreq_est_parse_csr_attrs () */
void
_certreq_fuzz_est (CertreqCaClient     *client,
                   CertreqHttpResponse *response)
{
  g_autofree char *text = response_text (response);

  if (text != NULL)
    g_assert (g_utf8_validate (text, -1, NULL));
  (void) retry_after_seconds (response);
  (void) client;
}
#endif
