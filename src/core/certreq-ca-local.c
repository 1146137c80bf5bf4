/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "certreq-private.h"

/* The built-in lab CA. Its state on disk:
 *   local-ca/        0700
 *   local-ca/ca.key  the root's P-256 key, PKCS#8 PEM, 0600
 *   local-ca/ca.pem  the self-signed root, 0644
 * Both are created together under the store lock; the certificate is written last,
 * so a root certificate on disk always has its key. */

#define ROOT_LIFETIME_DAYS 3652   /* ten years, leap days included */
#define LEAF_LIFETIME_DAYS 397    /* the CA/Browser Forum's maximum */
#define BACKDATE_SECONDS   (5 * 60)
#define LOCK_TIMEOUT_MS    30000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NAME_CONSTRAINTS, NAME_CONSTRAINTS_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_SUBTREE, GENERAL_SUBTREE_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_NAME, GENERAL_NAME_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free)

struct _CertreqCaLocal
{
  CertreqCaClient parent_instance;
};

G_DEFINE_FINAL_TYPE (CertreqCaLocal, certreq_ca_local, CERTREQ_TYPE_CA_CLIENT)

/* ---- Names and constraints ---- */

/* "*.a.example.com" -> "a.example.com"; the constraint check is on the base name */
static const char *
strip_wildcard (const char *name)
{
  return g_str_has_prefix (name, "*.") ? name + 2 : name;
}

static gboolean
name_within (const char *name,
             const char *domain)
{
  gsize name_len = strlen (name);
  gsize domain_len = strlen (domain);

  if (g_ascii_strcasecmp (name, domain) == 0)
    return TRUE;

  /* RFC 5280 §4.2.1.10: a DNS constraint matches the name and every subdomain */
  return name_len > domain_len &&
         name[name_len - domain_len - 1] == '.' &&
         g_ascii_strcasecmp (name + name_len - domain_len, domain) == 0;
}

static gboolean
name_permitted (const char *name,
                GPtrArray  *domains)
{
  guint i;

  for (i = 0; i < domains->len; i++)
    if (name_within (strip_wildcard (name), g_ptr_array_index (domains, i)))
      return TRUE;

  return FALSE;
}

/* The domain a profile host name stands for: its parent, so that sibling hosts
 * (the pool next to the server, meet.<domain> next to web.<domain>) stay issuable.
 * A parent with one label would be a top-level domain: then the name itself. */
static char *
host_domain (const char *host)
{
  const char *name = strip_wildcard (host);
  const char *dot = strchr (name, '.');

  if (dot != NULL && strchr (dot + 1, '.') != NULL)
    return g_ascii_strdown (dot + 1, -1);

  return g_ascii_strdown (name, -1);
}

/* A simple URL may be written as a URL or as a bare host name */
static char *
simple_url_host (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (strstr (url, "://") == NULL)
    return g_strdup (url);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  return g_strdup (g_uri_get_host (uri));
}

static void
add_domain (GPtrArray *domains,
            char      *domain)  /* (transfer full) */
{
  guint i;

  if (domain == NULL || *domain == '\0')
    {
      g_free (domain);
      return;
    }

  for (i = 0; i < domains->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (domains, i), domain) == 0)
      {
        g_free (domain);
        return;
      }

  g_ptr_array_add (domains, domain);
}

static void
add_host (GPtrArray  *domains,
          const char *host)
{
  if (host != NULL && *host != '\0')
    add_domain (domains, host_domain (host));
}

/* Keeps the widest subtrees only: example.com makes corp.example.com redundant */
static GPtrArray *
minimize_domains (GPtrArray *domains)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);
  guint i, j;

  for (i = 0; i < domains->len; i++)
    {
      const char *domain = g_ptr_array_index (domains, i);
      gboolean covered = FALSE;

      for (j = 0; j < domains->len && !covered; j++)
        covered = j != i && !name_within (g_ptr_array_index (domains, j), domain) &&
                  name_within (domain, g_ptr_array_index (domains, j));
      if (!covered)
        g_ptr_array_add (result, g_strdup (domain));
    }

  return result;
}

/* The DNS domains the root may vouch for: the parent domain of each host name in
 * the profile (server, pool, web services, simple URLs), every SIP domain, and
 * whatever else the profile derives for any usage, so each usage's names can be
 * issued and nothing beyond the admin's own domains can. */
static GPtrArray *
profile_domains (CertreqServer *server)
{
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) derived = NULL;
  const char * const *sip = certreq_server_get_sip_domains (server);
  const char * const *urls = certreq_server_get_simple_urls (server);
  guint i;

  for (i = 0; sip != NULL && sip[i] != NULL; i++)
    if (*sip[i] != '\0')
      add_domain (domains, g_ascii_strdown (sip[i], -1));

  add_host (domains, certreq_server_get_fqdn (server));
  add_host (domains, certreq_server_get_pool_fqdn (server));
  add_host (domains, certreq_server_get_web_internal_fqdn (server));
  add_host (domains, certreq_server_get_web_external_fqdn (server));
  for (i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autofree char *host = simple_url_host (urls[i]);

      add_host (domains, host);
    }

  derived = certreq_server_derive_names (server,
                                         CERTREQ_USAGE_FLAG_DEFAULT |
                                         CERTREQ_USAGE_FLAG_WEB_INTERNAL |
                                         CERTREQ_USAGE_FLAG_WEB_EXTERNAL |
                                         CERTREQ_USAGE_FLAG_OAUTH,
                                         sip);
  for (i = 0; derived != NULL && derived[i] != NULL; i++)
    if (!name_permitted (derived[i], domains))
      add_host (domains, derived[i]);

  return minimize_domains (domains);
}

/* The permitted DNS subtrees of @root's name constraints */
static GPtrArray *
root_permitted_domains (X509 *root)
{
  g_autoptr(NAME_CONSTRAINTS) nc = NULL;
  GPtrArray *domains = g_ptr_array_new_with_free_func (g_free);
  int i;

  nc = X509_get_ext_d2i (root, NID_name_constraints, NULL, NULL);
  if (nc == NULL || nc->permittedSubtrees == NULL)
    return domains;

  for (i = 0; i < sk_GENERAL_SUBTREE_num (nc->permittedSubtrees); i++)
    {
      GENERAL_SUBTREE *subtree = sk_GENERAL_SUBTREE_value (nc->permittedSubtrees, i);
      ASN1_IA5STRING *dns;

      if (subtree->base->type != GEN_DNS)
        continue;
      dns = subtree->base->d.dNSName;
      g_ptr_array_add (domains, g_strndup ((const char *) ASN1_STRING_get0_data (dns),
                                           (gsize) ASN1_STRING_length (dns)));
    }

  return domains;
}

/* ---- Building certificates ---- */

static gboolean
add_ext_conf (X509         *cert,
              X509V3_CTX   *ctx,
              int           nid,
              const char   *value,
              GError      **error)
{
  g_autoptr(X509_EXTENSION) ext = NULL;

  ext = X509V3_EXT_nconf_nid (NULL, ctx, nid, value);
  if (ext == NULL || !X509_add_ext (cert, ext, -1))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not add an extension to the certificate."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_random_serial (X509    *cert,
                   char   **out_hex,
                   GError **error)
{
  g_autoptr(BIGNUM) bn = NULL;
  guint8 bytes[16];
  ASN1_INTEGER *serial;
  char *hex;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not generate a serial number."));
      return FALSE;
    }
  /* Positive, and always 128 bits long so every serial prints the same width */
  bytes[0] = (bytes[0] & 0x7f) | 0x40;

  bn = BN_bin2bn (bytes, sizeof bytes, NULL);
  serial = bn != NULL ? X509_get_serialNumber (cert) : NULL;
  if (serial == NULL || BN_to_ASN1_INTEGER (bn, serial) == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not generate a serial number."));
      return FALSE;
    }

  if (out_hex != NULL)
    {
      hex = BN_bn2hex (bn);
      *out_hex = g_strdup (hex);
      OPENSSL_free (hex);
    }

  return TRUE;
}

static gboolean
set_validity (X509    *cert,
              int      days,
              GError **error)
{
  time_t now = time (NULL);

  if (X509_time_adj_ex (X509_getm_notBefore (cert), 0, -BACKDATE_SECONDS, &now) == NULL ||
      X509_time_adj_ex (X509_getm_notAfter (cert), days, 0, &now) == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not set the certificate’s validity."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_name_constraints (X509       *cert,
                      GPtrArray  *domains,
                      GError    **error)
{
  g_autoptr(NAME_CONSTRAINTS) nc = NAME_CONSTRAINTS_new ();
  guint i;

  nc->permittedSubtrees = sk_GENERAL_SUBTREE_new_null ();
  for (i = 0; i < domains->len; i++)
    {
      g_autoptr(GENERAL_SUBTREE) subtree = GENERAL_SUBTREE_new ();
      const char *domain = g_ptr_array_index (domains, i);
      ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new ();

      ASN1_STRING_set (ia5, domain, (int) strlen (domain));
      GENERAL_NAME_set0_value (subtree->base, GEN_DNS, ia5);
      if (!sk_GENERAL_SUBTREE_push (nc->permittedSubtrees, subtree))
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("Could not add an extension to the certificate."));
          return FALSE;
        }
      subtree = NULL;   /* owned by the stack now */
    }

  if (!X509_add1_ext_i2d (cert, NID_name_constraints, nc, 1, X509V3_ADD_DEFAULT))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not add an extension to the certificate."));
      return FALSE;
    }

  return TRUE;
}

static X509 *
create_root (EVP_PKEY       *key,
             const char     *fqdn,
             GPtrArray      *domains,
             GError        **error)
{
  g_autoptr(X509) cert = X509_new ();
  g_autoptr(X509_NAME) name = X509_NAME_new ();
  g_autofree char *cn = NULL;
  X509V3_CTX ctx;

  /* Not translated: the subject is data that other programs show and compare */
  cn = g_strdup_printf ("Certwiz Lab Root CA (%s)", fqdn);
  if (!X509_set_version (cert, X509_VERSION_3) ||
      !X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8,
                                   (const unsigned char *) "Certwiz lab CA", -1, -1, 0) ||
      !X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8,
                                   (const unsigned char *) cn, -1, -1, 0) ||
      !X509_set_subject_name (cert, name) ||
      !X509_set_issuer_name (cert, name) ||
      !X509_set_pubkey (cert, key))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not create the lab CA’s root certificate."));
      return NULL;
    }

  if (!set_random_serial (cert, NULL, error) ||
      !set_validity (cert, ROOT_LIFETIME_DAYS, error))
    return NULL;

  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  if (!add_ext_conf (cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0", error) ||
      !add_ext_conf (cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign", error) ||
      !add_ext_conf (cert, &ctx, NID_subject_key_identifier, "hash", error) ||
      !add_name_constraints (cert, domains, error))
    return NULL;

  if (X509_sign (cert, key, EVP_sha256 ()) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not sign the lab CA’s root certificate."));
      return NULL;
    }

  return g_steal_pointer (&cert);
}

/* ---- The CA's files ---- */

static gboolean
write_key (EVP_PKEY    *key,
           const char  *path,
           GError     **error)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_secmem ());
  char *data = NULL;
  long length;
  gboolean ok;

  if (bio == NULL || !PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not encode the lab CA’s key."));
      return FALSE;
    }

  /* The key never leaves the secure-heap BIO except for the write itself */
  length = BIO_get_mem_data (bio, &data);
  ok = _certreq_write_file_atomic (path, data, (gsize) length, 0600, error);
  OPENSSL_cleanse (data, (size_t) length);
  return ok;
}

static EVP_PKEY *
read_key (const char  *path,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BIO) bio = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  EVP_PKEY *key;

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      /* Translators: %s is the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("Could not read the lab CA’s key: %s"), local_error->message);
      return NULL;
    }

  bio = BIO_new_mem_buf (data, (int) length);
  key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  OPENSSL_cleanse (data, length);
  if (key == NULL)
    _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                     _("The lab CA’s key file is damaged."));
  return key;
}

/* Loads the CA, creating it on first use. Holds the store lock throughout, so two
 * threads or processes never create two roots, and never read a half-made one. */
static gboolean
load_or_create (CertreqCaLocal  *self,
                EVP_PKEY       **out_key,
                X509           **out_root,
                GError         **error)
{
  CertreqStore *store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (self));
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqCertificate) root_cert = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) root = NULL;
  g_autofree char *dir = _certreq_store_build_path (store, "local-ca", NULL);
  g_autofree char *key_path = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *cert_path = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *pem = NULL;
  const char *fqdn;

  ERR_clear_error ();

  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return FALSE;

  if (g_file_test (cert_path, G_FILE_TEST_EXISTS))
    {
      root_cert = certreq_certificate_load (cert_path, error);
      if (root_cert == NULL)
        return FALSE;
      key = read_key (key_path, error);
      if (key == NULL)
        return FALSE;
      if (X509_check_private_key (_certreq_certificate_get_x509 (root_cert), key) != 1)
        {
          ERR_clear_error ();
          g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                               _("The lab CA’s key does not belong to its root certificate."));
          return FALSE;
        }

      *out_key = g_steal_pointer (&key);
      *out_root = X509_dup (_certreq_certificate_get_x509 (root_cert));
      return TRUE;
    }

  server = certreq_store_load_server (store, error);
  if (server == NULL)
    return FALSE;
  fqdn = certreq_server_get_fqdn (server);
  domains = profile_domains (server);
  if (fqdn == NULL || *fqdn == '\0' || domains->len == 0)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                           _("The server profile has no FQDN, so the lab CA cannot be created. "
                             "Set the server’s FQDN first."));
      return FALSE;
    }

  key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  if (key == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_KEY_GENERATION,
                                       _("Could not generate the lab CA’s key."));
      return FALSE;
    }

  root = create_root (key, fqdn, domains, error);
  if (root == NULL)
    return FALSE;

  root_cert = _certreq_certificate_new_take (X509_dup (root));
  pem = certreq_certificate_to_pem (root_cert);
  if (!_certreq_ensure_dir (dir, 0700, error) ||
      !write_key (key, key_path, error) ||
      !_certreq_write_file_atomic (cert_path, pem, strlen (pem), 0644, error))
    return FALSE;

  g_debug ("Created the lab CA root for %s with %u permitted domains", fqdn, domains->len);

  *out_key = g_steal_pointer (&key);
  *out_root = g_steal_pointer (&root);
  return TRUE;
}

/**
 * certreq_ca_local_get_root:
 * @self: a #CertreqCaLocal
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the lab CA's root certificate, created on first use
 */
CertreqCertificate *
certreq_ca_local_get_root (CertreqCaLocal  *self,
                           GError         **error)
{
  g_autoptr(EVP_PKEY) key = NULL;
  X509 *root = NULL;

  g_return_val_if_fail (CERTREQ_IS_CA_LOCAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!load_or_create (self, &key, &root, error))
    return NULL;

  return _certreq_certificate_new_take (root);
}

/* ---- Issuing ---- */

/* A CN that looks like a host name is checked against the constraints too, as
 * OpenSSL's verifier does for the leaf */
static gboolean
looks_like_host (const char *cn)
{
  const char *p;

  if (strchr (cn, '.') == NULL)
    return FALSE;
  for (p = strip_wildcard (cn); *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;

  return TRUE;
}

static gboolean
check_request_key (EVP_PKEY  *pubkey,
                   GError   **error)
{
  int bits = EVP_PKEY_get_bits (pubkey);

  if ((EVP_PKEY_is_a (pubkey, "RSA") && bits >= 2048) ||
      (EVP_PKEY_is_a (pubkey, "EC") && bits >= 256))
    return TRUE;

  g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                       _("The lab CA issues certificates only for RSA keys of at least "
                         "2048 bits and ECDSA keys of at least 256 bits."));
  return FALSE;
}

static gboolean
add_san (X509        *cert,
         char       **dns_names,
         GError     **error)
{
  g_autoptr(GENERAL_NAMES) names = sk_GENERAL_NAME_new_null ();
  guint i;

  for (i = 0; dns_names[i] != NULL; i++)
    {
      g_autoptr(GENERAL_NAME) gn = GENERAL_NAME_new ();
      ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new ();

      ASN1_STRING_set (ia5, dns_names[i], (int) strlen (dns_names[i]));
      GENERAL_NAME_set0_value (gn, GEN_DNS, ia5);
      if (!sk_GENERAL_NAME_push (names, gn))
        return FALSE;
      gn = NULL;   /* owned by the stack */
    }

  if (!X509_add1_ext_i2d (cert, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not add an extension to the certificate."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_eku (X509        *cert,
         CertreqEku   eku,
         GError     **error)
{
  g_autoptr(EXTENDED_KEY_USAGE) usages = sk_ASN1_OBJECT_new_null ();

  if (eku & CERTREQ_EKU_SERVER_AUTH)
    sk_ASN1_OBJECT_push (usages, OBJ_nid2obj (NID_server_auth));
  if (eku & CERTREQ_EKU_CLIENT_AUTH)
    sk_ASN1_OBJECT_push (usages, OBJ_nid2obj (NID_client_auth));

  if (!X509_add1_ext_i2d (cert, NID_ext_key_usage, usages, 0, X509V3_ADD_DEFAULT))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not add an extension to the certificate."));
      return FALSE;
    }

  return TRUE;
}

static CertreqCertificate *
issue (CertreqCaLocal       *self,
       GBytes               *csr_der,
       char                **out_serial,
       CertreqCertificate  **out_root,
       GError              **error)
{
  g_autoptr(CertreqCsrSpec) spec = NULL;
  g_autoptr(X509_REQ) req = NULL;
  g_autoptr(EVP_PKEY) ca_key = NULL;
  g_autoptr(X509) root = NULL;
  g_autoptr(X509) cert = NULL;
  g_autoptr(GPtrArray) permitted = NULL;
  g_autofree char *serial = NULL;
  const unsigned char *p;
  EVP_PKEY *pubkey;
  CertreqEku eku;
  X509V3_CTX ctx;
  guint i;

  ERR_clear_error ();

  p = g_bytes_get_data (csr_der, NULL);
  req = d2i_X509_REQ (NULL, &p, (long) g_bytes_get_size (csr_der));
  pubkey = req != NULL ? X509_REQ_get0_pubkey (req) : NULL;
  if (pubkey == NULL)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CA_REJECTED,
                                       _("The lab CA could not read the certificate request."));
      return NULL;
    }
  if (X509_REQ_verify (req, pubkey) != 1)
    {
      ERR_clear_error ();
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                           _("The certificate request’s signature is not valid."));
      return NULL;
    }
  if (!check_request_key (pubkey, error))
    return NULL;

  spec = certreq_csr_get_spec (csr_der, error);
  if (spec == NULL)
    return NULL;
  if (spec->dns_names == NULL || spec->dns_names[0] == NULL)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                           _("The certificate request names no DNS name."));
      return NULL;
    }

  if (!load_or_create (self, &ca_key, &root, error))
    return NULL;

  permitted = root_permitted_domains (root);
  for (i = 0; spec->dns_names[i] != NULL; i++)
    if (!name_permitted (spec->dns_names[i], permitted))
      {
        /* Translators: %s is a DNS name from the certificate request */
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                     _("The lab CA may not issue a certificate for “%s”: the name is outside "
                       "the server profile’s domains that its root is limited to."),
                     spec->dns_names[i]);
        return NULL;
      }
  if (spec->common_name != NULL && looks_like_host (spec->common_name) &&
      !name_permitted (spec->common_name, permitted))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                   _("The lab CA may not issue a certificate for “%s”: the name is outside "
                     "the server profile’s domains that its root is limited to."),
                   spec->common_name);
      return NULL;
    }

  cert = X509_new ();
  if (!X509_set_version (cert, X509_VERSION_3) ||
      !X509_set_subject_name (cert, X509_REQ_get_subject_name (req)) ||
      !X509_set_issuer_name (cert, X509_get_subject_name (root)) ||
      !X509_set_pubkey (cert, pubkey))
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not create the certificate."));
      return NULL;
    }
  if (!set_random_serial (cert, &serial, error) ||
      !set_validity (cert, LEAF_LIFETIME_DAYS, error))
    return NULL;

  /* A request without an EKU gets server authentication, the job of this CA */
  eku = spec->eku != 0 ? spec->eku : CERTREQ_EKU_SERVER_AUTH;

  X509V3_set_ctx (&ctx, root, cert, NULL, NULL, 0);
  if (!add_ext_conf (cert, &ctx, NID_basic_constraints, "critical,CA:FALSE", error) ||
      !add_ext_conf (cert, &ctx, NID_key_usage,
                     EVP_PKEY_is_a (pubkey, "RSA") ? "critical,digitalSignature,keyEncipherment"
                                                   : "critical,digitalSignature",
                     error) ||
      !add_eku (cert, eku, error) ||
      !add_san (cert, spec->dns_names, error) ||
      !add_ext_conf (cert, &ctx, NID_subject_key_identifier, "hash", error) ||
      !add_ext_conf (cert, &ctx, NID_authority_key_identifier, "keyid:always", error))
    return NULL;

  if (X509_sign (cert, ca_key, EVP_sha256 ()) <= 0)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not sign the certificate."));
      return NULL;
    }

  if (out_serial != NULL)
    *out_serial = g_steal_pointer (&serial);
  if (out_root != NULL)
    *out_root = _certreq_certificate_new_take (g_steal_pointer (&root));

  return _certreq_certificate_new_take (g_steal_pointer (&cert));
}

/**
 * certreq_ca_local_issue:
 * @self: a #CertreqCaLocal
 * @csr_der: a PKCS#10 request, DER
 * @error: return location for a #GError
 *
 * Issues a certificate for the request (signature checked, names checked against
 * the root's name constraints), with the requested DNS names and EKUs, valid for
 * 397 days. A refused request is a %CERTREQ_ERROR_CA_REJECTED error.
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set
 */
CertreqCertificate *
certreq_ca_local_issue (CertreqCaLocal  *self,
                        GBytes          *csr_der,
                        GError         **error)
{
  g_return_val_if_fail (CERTREQ_IS_CA_LOCAL (self), NULL);
  g_return_val_if_fail (csr_der != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return issue (self, csr_der, NULL, NULL, error);
}

/* ---- Hold for approval ----
 *   local-ca/hold                    present while hold is on (0600)
 *   local-ca/requests/<ID>/          0700, one per held request
 *   local-ca/requests/<ID>/request.der    the CSR as submitted (0600)
 *   local-ca/requests/<ID>/state.ini      state held|issued|denied, reason, serial, created
 *   local-ca/requests/<ID>/certificate.pem  once approved (0600)
 * Every change is made under the store lock with atomic files. */

#define REQUEST_GROUP "request"
#define REQUEST_ID_BYTES 8

static char *
local_ca_path (CertreqCaLocal *self,
               const char     *first,
               const char     *second)
{
  CertreqStore *store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (self));

  return _certreq_store_build_path (store, "local-ca", first, second, NULL);
}

static gboolean
valid_request_id (const char *id)
{
  const char *p;

  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (p = id; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* The request's state.ini; NOT_FOUND when there is no such request */
static GKeyFile *
load_held_state (CertreqCaLocal  *self,
                 const char      *request_id,
                 GError         **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  if (valid_request_id (request_id))
    {
      dir = local_ca_path (self, "requests", request_id);
      path = g_build_filename (dir, "state.ini", NULL);
    }
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* Translators: %s is a request id of the built-in lab CA */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("The lab CA has no request with the id “%s”."),
                   request_id != NULL ? request_id : "");
      return NULL;
    }
  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      /* Translators: %1$s is a request id, %2$s says what went wrong */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("The lab CA’s request %1$s cannot be read: %2$s"),
                   request_id, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

static gboolean
save_held_state (CertreqCaLocal  *self,
                 const char      *request_id,
                 GKeyFile        *key_file,
                 GError         **error)
{
  g_autofree char *dir = local_ca_path (self, "requests", request_id);
  g_autofree char *path = g_build_filename (dir, "state.ini", NULL);
  g_autofree char *data = NULL;
  gsize length;

  data = g_key_file_to_data (key_file, &length, NULL);
  return _certreq_write_file_atomic (path, data, length, 0600, error);
}

/**
 * certreq_ca_local_get_hold:
 * @self: a #CertreqCaLocal
 *
 * Returns: %TRUE when the lab CA holds new requests for approval
 */
gboolean
certreq_ca_local_get_hold (CertreqCaLocal *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CERTREQ_IS_CA_LOCAL (self), FALSE);

  path = local_ca_path (self, "hold", NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/**
 * certreq_ca_local_set_hold:
 * @self: a #CertreqCaLocal
 * @hold: whether new requests wait for approval
 * @error: return location for a #GError
 *
 * Switches hold for approval on or off; the setting survives restarts. Requests
 * already held stay held until approved or denied.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_ca_local_set_hold (CertreqCaLocal  *self,
                           gboolean         hold,
                           GError         **error)
{
  CertreqStore *store;
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  static const char contents[] = "Requests wait for approval (certwiz-cli ca local approve ID)\n";

  g_return_val_if_fail (CERTREQ_IS_CA_LOCAL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (self));
  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return FALSE;

  dir = local_ca_path (self, NULL, NULL);
  path = local_ca_path (self, "hold", NULL);
  if (hold)
    return _certreq_ensure_dir (dir, 0700, error) &&
           _certreq_write_file_atomic (path, contents, sizeof contents - 1, 0600, error);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      /* Translators: %1$s is a file, %2$s the system's reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("Could not remove “%1$s”: %2$s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return _certreq_fsync_dir (dir, error);
}

/* Keeps the CSR in local-ca/requests/<ID>/ and answers PENDING */
static CertreqSubmitResult *
submit_held (CertreqCaLocal  *self,
             GBytes          *csr_der,
             GError         **error)
{
  CertreqStore *store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (self));
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *requests = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *created = NULL;
  guint8 bytes[REQUEST_ID_BYTES];

  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return NULL;

  requests = local_ca_path (self, "requests", NULL);
  if (!_certreq_ensure_dir (requests, 0700, error))
    return NULL;

  do
    {
      g_clear_pointer (&request_id, g_free);
      g_clear_pointer (&dir, g_free);
      if (RAND_bytes (bytes, sizeof bytes) != 1)
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("Could not generate a request id."));
          return NULL;
        }
      request_id = _certreq_hex (bytes, sizeof bytes, TRUE);
      dir = g_build_filename (requests, request_id, NULL);
    }
  while (g_file_test (dir, G_FILE_TEST_EXISTS));

  if (!_certreq_ensure_dir (dir, 0700, error))
    return NULL;
  csr_path = g_build_filename (dir, "request.der", NULL);
  if (!_certreq_write_file_atomic (csr_path, g_bytes_get_data (csr_der, NULL),
                                   g_bytes_get_size (csr_der), 0600, error))
    return NULL;

  created = g_date_time_format_iso8601 (now);
  g_key_file_set_string (key_file, REQUEST_GROUP, "state", "held");
  g_key_file_set_string (key_file, REQUEST_GROUP, "created", created);
  if (!save_held_state (self, request_id, key_file, error))
    return NULL;

  result = certreq_submit_result_new (CERTREQ_SUBMIT_PENDING);
  result->request_id = g_steal_pointer (&request_id);
  return g_steal_pointer (&result);
}

/**
 * certreq_ca_local_list_held:
 * @self: a #CertreqCaLocal
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type utf8): the ids of the requests waiting
 *   for a decision, oldest first
 */
GPtrArray *
certreq_ca_local_list_held (CertreqCaLocal  *self,
                            GError         **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *requests = NULL;
  const char *name;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_CA_LOCAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  requests = local_ca_path (self, "requests", NULL);
  if (!g_file_test (requests, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&ids);
  dir = g_dir_open (requests, 0, error);
  if (dir == NULL)
    return NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GKeyFile) key_file = NULL;
      g_autofree char *state = NULL;
      char *when;

      if (!valid_request_id (name))
        continue;
      key_file = load_held_state (self, name, NULL);
      if (key_file == NULL)
        continue;
      state = g_key_file_get_string (key_file, REQUEST_GROUP, "state", NULL);
      if (g_strcmp0 (state, "held") != 0)
        continue;
      when = g_key_file_get_string (key_file, REQUEST_GROUP, "created", NULL);
      if (when == NULL)
        when = g_strdup ("");

      /* Insertion sort by creation time (ISO 8601 in UTC sorts as text) */
      for (i = 0; i < created->len; i++)
        if (strcmp (when, g_ptr_array_index (created, i)) < 0)
          break;
      g_ptr_array_insert (created, (int) i, when);
      g_ptr_array_insert (ids, (int) i, g_strdup (name));
    }

  return g_steal_pointer (&ids);
}

/* Loads a held request for a decision; an already decided one is an error */
static GKeyFile *
load_undecided (CertreqCaLocal  *self,
                const char      *request_id,
                GError         **error)
{
  g_autoptr(GKeyFile) key_file = load_held_state (self, request_id, error);
  g_autofree char *state = NULL;

  if (key_file == NULL)
    return NULL;
  state = g_key_file_get_string (key_file, REQUEST_GROUP, "state", NULL);
  if (g_strcmp0 (state, "held") != 0)
    {
      /* Translators: %1$s is a request id; %2$s its state: "issued" or "denied" */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("The lab CA’s request %1$s is already decided (%2$s)."),
                   request_id, state != NULL ? state : "?");
      return NULL;
    }
  return g_steal_pointer (&key_file);
}

/**
 * certreq_ca_local_approve:
 * @self: a #CertreqCaLocal
 * @request_id: a held request's id
 * @error: return location for a #GError
 *
 * Issues the held request with the same checks as an immediate issue; retrieval
 * then answers ISSUED. A request the CA must refuse (a name outside the root's
 * constraints, for example) is denied with that reason instead, and the refusal
 * is returned as a %CERTREQ_ERROR_CA_REJECTED error.
 *
 * Returns: %TRUE when the certificate was issued
 */
gboolean
certreq_ca_local_approve (CertreqCaLocal  *self,
                          const char      *request_id,
                          GError         **error)
{
  CertreqStore *store;
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *csr_data = NULL;
  gsize csr_length;

  g_return_val_if_fail (CERTREQ_IS_CA_LOCAL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (self));
  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return FALSE;

  key_file = load_undecided (self, request_id, error);
  if (key_file == NULL)
    return FALSE;

  dir = local_ca_path (self, "requests", request_id);
  csr_path = g_build_filename (dir, "request.der", NULL);
  if (!g_file_get_contents (csr_path, &csr_data, &csr_length, &local_error))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("The lab CA’s request %1$s cannot be read: %2$s"),
                   request_id, local_error->message);
      return FALSE;
    }
  csr = g_bytes_new_take (g_steal_pointer (&csr_data), csr_length);

  cert = issue (self, csr, &serial, NULL, &local_error);
  if (cert == NULL)
    {
      if (g_error_matches (local_error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED))
        {
          g_autoptr(GError) save_error = NULL;

          g_key_file_set_string (key_file, REQUEST_GROUP, "state", "denied");
          g_key_file_set_string (key_file, REQUEST_GROUP, "reason", local_error->message);
          if (!save_held_state (self, request_id, key_file, &save_error))
            {
              g_propagate_error (error, g_steal_pointer (&save_error));
              return FALSE;
            }
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  cert_path = g_build_filename (dir, "certificate.pem", NULL);
  pem = certreq_certificate_to_pem (cert);
  if (!_certreq_write_file_atomic (cert_path, pem, strlen (pem), 0600, error))
    return FALSE;

  g_key_file_set_string (key_file, REQUEST_GROUP, "state", "issued");
  g_key_file_set_string (key_file, REQUEST_GROUP, "serial", serial);
  return save_held_state (self, request_id, key_file, error);
}

/**
 * certreq_ca_local_deny:
 * @self: a #CertreqCaLocal
 * @request_id: a held request's id
 * @reason: (nullable): why, for the requester
 * @error: return location for a #GError
 *
 * Denies the held request; retrieval then answers DENIED with @reason.
 *
 * Returns: %TRUE on success
 */
gboolean
certreq_ca_local_deny (CertreqCaLocal  *self,
                       const char      *request_id,
                       const char      *reason,
                       GError         **error)
{
  CertreqStore *store;
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;

  g_return_val_if_fail (CERTREQ_IS_CA_LOCAL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (self));
  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return FALSE;

  key_file = load_undecided (self, request_id, error);
  if (key_file == NULL)
    return FALSE;

  if (reason == NULL || *reason == '\0')
    reason = _("The lab CA’s administrator denied the request.");
  g_key_file_set_string (key_file, REQUEST_GROUP, "state", "denied");
  g_key_file_set_string (key_file, REQUEST_GROUP, "reason", reason);
  return save_held_state (self, request_id, key_file, error);
}

static CertreqSubmitResult *
certreq_ca_local_retrieve (CertreqCaClient      *client,
                           const char           *request_id,
                           CertreqProgressFunc   progress,
                           gpointer              progress_data,
                           GCancellable         *cancellable,
                           GError              **error)
{
  CertreqCaLocal *self = CERTREQ_CA_LOCAL (client);
  CertreqStore *store = certreq_ca_client_get_store (client);
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autofree char *state = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (progress != NULL)
    progress (CERTREQ_SUBMIT_STAGE_CONNECTING, _("Opening the built-in lab CA"), 0.1,
              progress_data);

  lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
  if (lock == NULL)
    return NULL;
  key_file = load_held_state (self, request_id, error);
  if (key_file == NULL)
    return NULL;
  state = g_key_file_get_string (key_file, REQUEST_GROUP, "state", NULL);

  if (progress != NULL)
    progress (CERTREQ_SUBMIT_STAGE_WAITING, NULL, 0.5, progress_data);

  if (g_strcmp0 (state, "issued") == 0)
    {
      g_autoptr(CertreqCertificate) root = NULL;
      g_autofree char *dir = local_ca_path (self, "requests", request_id);
      g_autofree char *cert_path = g_build_filename (dir, "certificate.pem", NULL);

      if (progress != NULL)
        progress (CERTREQ_SUBMIT_STAGE_DOWNLOADING, NULL, 0.9, progress_data);
      result = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
      result->certificate = certreq_certificate_load (cert_path, error);
      if (result->certificate == NULL)
        return NULL;
      root = certreq_ca_local_get_root (self, error);
      if (root == NULL)
        return NULL;
      result->chain = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (result->chain, g_steal_pointer (&root));
    }
  else if (g_strcmp0 (state, "denied") == 0)
    {
      result = certreq_submit_result_new (CERTREQ_SUBMIT_DENIED);
      result->reason = g_key_file_get_string (key_file, REQUEST_GROUP, "reason", NULL);
    }
  else
    {
      result = certreq_submit_result_new (CERTREQ_SUBMIT_PENDING);
    }

  result->request_id = g_strdup (request_id);
  return g_steal_pointer (&result);
}

static CertreqSubmitResult *
certreq_ca_local_submit (CertreqCaClient      *client,
                         GBytes               *csr_der,
                         const char           *template_name,
                         CertreqProgressFunc   progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  CertreqCaLocal *self = CERTREQ_CA_LOCAL (client);
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(CertreqCertificate) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *serial = NULL;

  /* The lab CA has no templates: every certificate is a TLS server certificate */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (progress != NULL)
    progress (CERTREQ_SUBMIT_STAGE_CONNECTING, _("Opening the built-in lab CA"), 0.1,
              progress_data);
  /* Creates the CA on first use, the slow part (key generation) */
  root = certreq_ca_local_get_root (self, error);
  if (root == NULL)
    return NULL;
  g_clear_object (&root);

  /* Cancel is honoured up to here: from SUBMITTING on, the CA has the request */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (progress != NULL)
    progress (CERTREQ_SUBMIT_STAGE_SUBMITTING, NULL, 0.4, progress_data);
  /* Hold for approval: the request waits in local-ca/requests/ */
  if (certreq_ca_local_get_hold (self))
    return submit_held (self, csr_der, error);
  cert = issue (self, csr_der, &serial, &root, &local_error);
  if (cert == NULL)
    {
      if (g_error_matches (local_error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED))
        {
          /* A refusal is an answer, not a failure */
          result = certreq_submit_result_new (CERTREQ_SUBMIT_DENIED);
          result->reason = g_strdup (local_error->message);
          return g_steal_pointer (&result);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (progress != NULL)
    progress (CERTREQ_SUBMIT_STAGE_DOWNLOADING, NULL, 0.9, progress_data);

  result = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
  result->request_id = g_steal_pointer (&serial);
  result->certificate = g_steal_pointer (&cert);
  result->chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (result->chain, g_steal_pointer (&root));

  return g_steal_pointer (&result);
}

static void
certreq_ca_local_class_init (CertreqCaLocalClass *klass)
{
  CertreqCaClientClass *client_class = CERTREQ_CA_CLIENT_CLASS (klass);

  client_class->submit = certreq_ca_local_submit;
  client_class->retrieve = certreq_ca_local_retrieve;
}

static void
certreq_ca_local_init (CertreqCaLocal *self)
{
}

/**
 * certreq_ca_local_new:
 * @store: the store that holds the CA in local-ca/
 *
 * Nothing is created on disk until the CA is first used.
 *
 * Returns: (transfer full): the built-in lab CA's client
 */
CertreqCaClient *
certreq_ca_local_new (CertreqStore *store)
{
  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);

  return g_object_new (CERTREQ_TYPE_CA_LOCAL,
                       "id", CERTREQ_LOCAL_CA_ID,
                       /* Translators: the display name of the certification authority
                        * that Certwiz itself provides */
                       "name", _("Built-in lab CA (Certwiz)"),
                       "store", store,
                       NULL);
}
