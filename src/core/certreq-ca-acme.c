/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "certreq-private.h"
#include "certreq-ca-acme.h"
#include "certreq-ca-private.h"
#include "certreq-http.h"

/* ACME (RFC 8555; protocols.md §1). The account lives in the store:
 *   acme/<ca>/             0700
 *   acme/<ca>/account.key  the account key (P-256, PKCS#8 PEM), 0600 from creation
 *   acme/<ca>/account.ini  the directory URL it was registered with and the account URL
 * One CertreqHttp per exchange, so the whole exchange (directory, nonce, order,
 * authorizations, challenges, finalize, download) runs over one connection. */

#define ACCOUNT_KEY_FILE    "account.key"
#define ACCOUNT_INFO_FILE   "account.ini"
#define ACME_ERROR_PREFIX   "urn:ietf:params:acme:error:"
#define MAX_NONCE_TRIES     16   /* PEBBLE_WFE_NONCEREJECT=50 in the tests: 2^-16 */
#define POLL_FIRST_MS       250   /* issue 4: re-check at once, then back off from 250 ms */
#define POLL_MAX_MS         8000
#define RETRY_AFTER_MAX_S   120
#define VALIDATION_DEADLINE (5 * 60 * G_USEC_PER_SEC)
#define ISSUE_DEADLINE      (2 * 60 * G_USEC_PER_SEC)
#define LOCK_TIMEOUT_MS     30000
#define HTTP01_PREFIX       "/.well-known/acme-challenge/"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ECDSA_SIG, ECDSA_SIG_free)

struct _CertreqCaAcme
{
  CertreqCaClient parent_instance;

  /* From the configuration (certreq_ca_config_copy may not exist yet: the fields) */
  char  *ca_name;
  char  *url;
  char  *trust_bundle;
  char  *contact;
  char  *eab_kid;
  char  *eab_hmac_file;
  char  *http01;
  char  *dns01_hook;

  GStrv  alternates;
};

G_DEFINE_FINAL_TYPE (CertreqCaAcme, certreq_ca_acme, CERTREQ_TYPE_CA_CLIENT)

/* ---- base64url and JSON text ---- */

static char *
b64u_encode (const guint8 *data,
             gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

static char *
b64u_encode_str (const char *text)
{
  return b64u_encode ((const guint8 *) text, strlen (text));
}

/* GLib's decoder needs padding and the standard alphabet (protocols.md §1.3) */
static guint8 *
b64u_decode (const char *text,
             gsize      *out_length)
{
  g_autoptr(GString) std = g_string_new (NULL);
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '=')
        continue;
      g_string_append_c (std, *p == '-' ? '+' : *p == '_' ? '/' : *p);
    }
  while (std->len % 4 != 0)
    g_string_append_c (std, '=');

  return g_base64_decode (std->str, out_length);
}

static void
json_append_string (GString    *out,
                    const char *text)
{
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* ---- Reading what the CA sent: a member of another type counts as missing ---- */

static JsonNode *
member_node (JsonObject *object,
             const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name,
               const char *fallback)
{
  JsonNode *node = member_node (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

static gboolean
member_boolean (JsonObject *object,
                const char *name,
                gboolean    fallback)
{
  JsonNode *node = member_node (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = member_node (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = member_node (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
element_string (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* ---- The exchange ---- */

typedef enum
{
  PROOF_HTTP01_LISTEN,
  PROOF_HTTP01_WEBROOT,
  PROOF_DNS01,
} ProofKind;

typedef struct
{
  ProofKind  kind;
  char      *name;          /* the identifier (base name for a wildcard) */
  char      *token;
  char      *value;         /* key authorization, or its digest for dns-01 */
  char      *path;          /* webroot file */
  char      *authz_url;
  char      *challenge_url;
  gboolean   provisioned;
} Proof;

static void
proof_free (gpointer data)
{
  Proof *proof = data;

  g_free (proof->name);
  g_free (proof->token);
  g_free (proof->value);
  g_free (proof->path);
  g_free (proof->authz_url);
  g_free (proof->challenge_url);
  g_free (proof);
}

typedef struct _Http01Listener Http01Listener;

typedef struct
{
  CertreqCaAcme       *self;
  CertreqHttp         *http;
  char                *host;
  JsonNode            *directory;
  char                *nonce;
  EVP_PKEY            *key;
  const char          *alg;
  char                *jwk;          /* the public JWK, canonical member order */
  char                *thumbprint;
  char                *kid;          /* the account URL */
  char                *account_dir;
  GCancellable        *cancellable;
  CertreqProgressFunc  progress;
  gpointer             progress_data;
  Http01Listener      *listener;
  GPtrArray           *proofs;       /* (element-type Proof) */
} Exchange;

static void http01_listener_stop (Http01Listener *listener);

static void
exchange_clear (Exchange *ex)
{
  g_clear_object (&ex->http);
  g_free (ex->host);
  g_clear_pointer (&ex->directory, json_node_unref);
  g_free (ex->nonce);
  g_clear_pointer (&ex->key, EVP_PKEY_free);
  g_free (ex->jwk);
  g_free (ex->thumbprint);
  g_free (ex->kid);
  g_free (ex->account_dir);
  g_clear_pointer (&ex->listener, http01_listener_stop);
  g_clear_pointer (&ex->proofs, g_ptr_array_unref);
}

static void
report (Exchange           *ex,
        CertreqSubmitStage  stage,
        const char         *detail)
{
  if (ex->progress != NULL)
    ex->progress (stage, detail, -1.0, ex->progress_data);
}

static const char *
directory_url (Exchange   *ex,
               const char *member)
{
  JsonObject *object = json_node_get_object (ex->directory);

  if (!json_object_has_member (object, member))
    return NULL;
  return member_string (object, member, NULL);
}

/* A cancellable sleep */
static gboolean
sleep_ms (guint          ms,
          GCancellable  *cancellable,
          GError       **error)
{
  GPollFD fd;

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_usleep ((gulong) ms * 1000);
      return TRUE;
    }

  g_poll (&fd, 1, (gint) ms);
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* ---- ACME error documents ---- */

static const struct
{
  const char *type;
  const char *words;
} problem_words[] = {
  { "accountDoesNotExist", N_("The CA knows no account for Certwiz’s account key.") },
  { "alreadyRevoked", N_("The certificate has already been revoked.") },
  { "badCSR", N_("The CA does not accept the certificate request, for example its key type or its names.") },
  { "badNonce", N_("The CA kept rejecting the request’s one-time number.") },
  { "badPublicKey", N_("The CA does not accept the account key.") },
  { "badRevocationReason", N_("The CA does not accept the revocation reason.") },
  { "badSignatureAlgorithm", N_("The CA does not accept the signature algorithm of the account key.") },
  { "caa", N_("A CAA record in the DNS forbids this CA to issue certificates for the name.") },
  { "compound", N_("Several problems occurred.") },
  { "connection", N_("The CA could not connect to this server to check the proof of control.") },
  { "dns", N_("The CA could not look up the name in the DNS.") },
  { "externalAccountRequired", N_("The CA requires an External Account Binding: configure the key id and HMAC key its operator issued.") },
  { "incorrectResponse", N_("The proof of control the CA found was not the expected one.") },
  { "invalidContact", N_("The CA does not accept the contact e-mail address.") },
  { "malformed", N_("The CA could not understand the request.") },
  { "orderNotReady", N_("The order was not ready to be finalized.") },
  { "rateLimited", N_("The CA’s rate limit was reached; try again later.") },
  { "rejectedIdentifier", N_("The CA does not issue certificates for this name.") },
  { "serverInternal", N_("The CA had an internal error; try again later.") },
  { "tls", N_("The CA could not check the proof of control over TLS.") },
  { "unauthorized", N_("The CA did not authorize the request.") },
  { "unsupportedContact", N_("The CA does not support this kind of contact address.") },
  { "unsupportedIdentifier", N_("The CA does not support this kind of name.") },
  { "userActionRequired", N_("The CA requires an action from the account holder; its instructions are linked from its website.") },
};

/* "urn:ietf:params:acme:error:rejectedIdentifier" -> "rejectedIdentifier" */
static const char *
problem_short_type (const char *type)
{
  if (type == NULL || *type == '\0')
    return "about:blank";
  if (g_str_has_prefix (type, ACME_ERROR_PREFIX))
    return type + strlen (ACME_ERROR_PREFIX);
  return type;
}

static const char *
problem_plain_words (const char *short_type,
                     guint       status)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (problem_words); i++)
    if (strcmp (problem_words[i].type, short_type) == 0)
      return _(problem_words[i].words);

  if (status >= 500)
    return _("The CA had a problem of its own; try again later.");
  return _("The CA refused the request.");
}

/* One sentence per problem (and subproblem): the plain words and the CA's own text */
static char *
describe_problem (Exchange   *ex,
                  JsonObject *problem,
                  guint       status)
{
  const char *type = problem_short_type (member_string (problem, "type", NULL));
  const char *detail = member_string (problem, "detail", "");
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: %1$s is the CA's host, %2$s a sentence explaining the error,
   * %3$s the ACME error type (e.g. rejectedIdentifier, not translated), %4$s the
   * CA's own description (usually English) */
  g_string_append_printf (text, _("The ACME CA %1$s reported an error: %2$s (ACME error %3$s: “%4$s”)"),
                          ex->host, problem_plain_words (type, status), type, detail);

  if (json_object_has_member (problem, "subproblems") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (problem, "subproblems")))
    {
      JsonArray *subs = member_array (problem, "subproblems");
      guint i;

      for (i = 0; i < json_array_get_length (subs); i++)
        {
          JsonNode *node = json_array_get_element (subs, i);
          JsonObject *sub;
          const char *sub_type, *name = "";

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          sub = json_node_get_object (node);
          sub_type = problem_short_type (member_string (sub, "type", NULL));
          if (json_object_has_member (sub, "identifier") &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (sub, "identifier")))
            name = member_string (
                     member_object (sub, "identifier"), "value", "");
          g_string_append_c (text, ' ');
          /* Translators: one of several problems: %1$s is a DNS name, %2$s a sentence
           * explaining the error, %3$s the ACME error type, %4$s the CA's own text */
          g_string_append_printf (text, _("For %1$s: %2$s (ACME error %3$s: “%4$s”)"),
                                  name, problem_plain_words (sub_type, status), sub_type,
                                  member_string (sub, "detail", ""));
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static CertreqError
problem_error_code (const char *short_type)
{
  static const char * const protocol_types[] = {
    "malformed", "badNonce", "badSignatureAlgorithm", "serverInternal", "orderNotReady", NULL
  };

  return g_strv_contains (protocol_types, short_type) ? CERTREQ_ERROR_PROTOCOL
                                                      : CERTREQ_ERROR_CA_REJECTED;
}

static JsonNode *
parse_json (Exchange             *ex,
            CertreqHttpResponse  *response,
            GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (response->body, &length);

  /* A body of white space parses to no root at all */
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %1$s is a host, %2$u an HTTP status */
                   _("The ACME CA %1$s sent an answer that is not a JSON object (HTTP status %2$u)."),
                   ex->host, response->status);
      return NULL;
    }

  return json_node_copy (json_parser_get_root (parser));
}

/* The problem document of an error response, or NULL */
static JsonNode *
response_problem (CertreqHttpResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data;

  if (response->status < 400)
    return NULL;
  data = g_bytes_get_data (response->body, &length);
  /* A body of white space parses to no root at all */
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
problem_type_of (JsonNode *problem)
{
  if (problem == NULL)
    return NULL;
  return problem_short_type (member_string (
                               json_node_get_object (problem), "type", NULL));
}

/* An error response as a GError; @problem may be NULL */
static void
set_problem_error (Exchange            *ex,
                   CertreqHttpResponse *response,
                   GError             **error)
{
  g_autoptr(JsonNode) problem = response_problem (response);
  g_autofree char *text = NULL;

  if (problem == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %1$s is a host, %2$u an HTTP status */
                   _("The ACME CA %1$s answered with HTTP status %2$u and no error document."),
                   ex->host, response->status);
      return;
    }

  text = describe_problem (ex, json_node_get_object (problem), response->status);
  g_set_error_literal (error, CERTREQ_ERROR, problem_error_code (problem_type_of (problem)), text);
}

/* ---- Keys, JWK, JWS ---- */

static gboolean
key_describe (Exchange  *ex,
              GError   **error)
{
  g_autoptr(GString) jwk = g_string_new (NULL);
  g_autofree char *json = NULL;
  guint8 digest[32];

  if (EVP_PKEY_is_a (ex->key, "EC"))
    {
      char group[64] = "";
      g_autoptr(BIGNUM) x = NULL;
      g_autoptr(BIGNUM) y = NULL;
      const char *crv;
      int size;
      guint8 buf[66];
      g_autofree char *bx = NULL;
      g_autofree char *by = NULL;

      EVP_PKEY_get_utf8_string_param (ex->key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, NULL);
      if (strcmp (group, "prime256v1") == 0)
        crv = "P-256", size = 32, ex->alg = "ES256";
      else if (strcmp (group, "secp384r1") == 0)
        crv = "P-384", size = 48, ex->alg = "ES384";
      else if (strcmp (group, "secp521r1") == 0)
        crv = "P-521", size = 66, ex->alg = "ES512";
      else
        crv = NULL, size = 0;

      if (crv == NULL ||
          !EVP_PKEY_get_bn_param (ex->key, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
          !EVP_PKEY_get_bn_param (ex->key, OSSL_PKEY_PARAM_EC_PUB_Y, &y))
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("The ACME account key is of a kind Certwiz cannot use."));
          return FALSE;
        }
      BN_bn2binpad (x, buf, size);
      bx = b64u_encode (buf, (gsize) size);
      BN_bn2binpad (y, buf, size);
      by = b64u_encode (buf, (gsize) size);
      g_string_append_printf (jwk, "{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                              crv, bx, by);
    }
  else if (EVP_PKEY_is_a (ex->key, "RSA"))
    {
      g_autoptr(BIGNUM) n = NULL;
      g_autoptr(BIGNUM) e = NULL;
      g_autofree guint8 *nb = NULL;
      g_autofree guint8 *eb = NULL;
      g_autofree char *ns = NULL;
      g_autofree char *es = NULL;

      if (!EVP_PKEY_get_bn_param (ex->key, OSSL_PKEY_PARAM_RSA_N, &n) ||
          !EVP_PKEY_get_bn_param (ex->key, OSSL_PKEY_PARAM_RSA_E, &e))
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("The ACME account key is of a kind Certwiz cannot use."));
          return FALSE;
        }
      nb = g_malloc (BN_num_bytes (n));
      eb = g_malloc (BN_num_bytes (e));
      BN_bn2bin (n, nb);
      BN_bn2bin (e, eb);
      ns = b64u_encode (nb, (gsize) BN_num_bytes (n));
      es = b64u_encode (eb, (gsize) BN_num_bytes (e));
      ex->alg = "RS256";
      g_string_append_printf (jwk, "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", es, ns);
    }
  else
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CRYPTO,
                   _("The ACME account key is of a kind Certwiz cannot use."));
      return FALSE;
    }

  /* RFC 7638: SHA-256 over the required members in lexicographic order, no spaces —
   * exactly the text built above */
  json = g_string_free (g_steal_pointer (&jwk), FALSE);
  SHA256 ((const guint8 *) json, strlen (json), digest);
  ex->thumbprint = b64u_encode (digest, sizeof digest);
  ex->jwk = g_steal_pointer (&json);
  return TRUE;
}

/* The JWS signature: RS256 as is, ECDSA converted from DER to R||S (protocols.md §1.3) */
static char *
sign (Exchange    *ex,
      const char  *input,
      GError     **error)
{
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  g_autofree guint8 *sig = NULL;
  size_t sig_length = 0;
  const EVP_MD *md = EVP_sha256 ();

  if (g_strcmp0 (ex->alg, "ES384") == 0)
    md = EVP_sha384 ();
  else if (g_strcmp0 (ex->alg, "ES512") == 0)
    md = EVP_sha512 ();

  ERR_clear_error ();
  if (ctx == NULL ||
      EVP_DigestSignInit (ctx, NULL, md, NULL, ex->key) != 1 ||
      EVP_DigestSign (ctx, NULL, &sig_length, (const guint8 *) input, strlen (input)) != 1 ||
      (sig = g_malloc (sig_length)) == NULL ||
      EVP_DigestSign (ctx, sig, &sig_length, (const guint8 *) input, strlen (input)) != 1)
    {
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not sign the ACME request with the account key."));
      return NULL;
    }

  if (ex->alg[0] == 'E')
    {
      const guint8 *p = sig;
      g_autoptr(ECDSA_SIG) ecdsa = d2i_ECDSA_SIG (NULL, &p, (long) sig_length);
      const BIGNUM *r = NULL, *s = NULL;
      int half = strcmp (ex->alg, "ES256") == 0 ? 32 : strcmp (ex->alg, "ES384") == 0 ? 48 : 66;
      guint8 raw[132];

      if (ecdsa == NULL)
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                           _("Could not sign the ACME request with the account key."));
          return NULL;
        }
      ECDSA_SIG_get0 (ecdsa, &r, &s);
      BN_bn2binpad (r, raw, half);
      BN_bn2binpad (s, raw + half, half);
      return b64u_encode (raw, (gsize) half * 2);
    }

  return b64u_encode (sig, sig_length);
}

static char *
build_jws (Exchange    *ex,
           const char  *url,
           const char  *payload,   /* NULL: POST-as-GET */
           gboolean     use_jwk,
           GError     **error)
{
  g_autoptr(GString) header = g_string_new ("{\"alg\":");
  g_autofree char *protected = NULL;
  g_autofree char *payload64 = NULL;
  g_autofree char *input = NULL;
  g_autofree char *signature = NULL;

  json_append_string (header, ex->alg);
  if (use_jwk)
    g_string_append_printf (header, ",\"jwk\":%s", ex->jwk);
  else
    {
      g_string_append (header, ",\"kid\":");
      json_append_string (header, ex->kid);
    }
  g_string_append (header, ",\"nonce\":");
  json_append_string (header, ex->nonce);
  g_string_append (header, ",\"url\":");
  json_append_string (header, url);
  g_string_append_c (header, '}');

  protected = b64u_encode_str (header->str);
  payload64 = payload != NULL ? b64u_encode_str (payload) : g_strdup ("");
  input = g_strconcat (protected, ".", payload64, NULL);
  signature = sign (ex, input, error);
  if (signature == NULL)
    return NULL;

  return g_strdup_printf ("{\"protected\":\"%s\",\"payload\":\"%s\",\"signature\":\"%s\"}",
                          protected, payload64, signature);
}

static void
take_nonce (Exchange            *ex,
            CertreqHttpResponse *response)
{
  const char *nonce = certreq_http_response_get_header (response, "replay-nonce");

  if (nonce != NULL && *nonce != '\0')
    {
      g_free (ex->nonce);
      ex->nonce = g_strdup (nonce);
    }
}

static gboolean
fetch_nonce (Exchange  *ex,
             GError   **error)
{
  g_autoptr(CertreqHttpResponse) response = NULL;
  const char *url = directory_url (ex, "newNonce");

  response = certreq_http_request (ex->http, "HEAD", url, NULL, NULL, NULL,
                                   ex->cancellable, error);
  if (response == NULL)
    return FALSE;
  take_nonce (ex, response);
  if (ex->nonce == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a host */
                   _("The ACME CA %s gave no one-time number (Replay-Nonce) for signing requests."),
                   ex->host);
      return FALSE;
    }

  return TRUE;
}

/* A signed POST; a badNonce answer is retried with the fresh nonce it carries.
 * HTTP errors are returned as responses (the caller reads the problem). */
static CertreqHttpResponse *
acme_post (Exchange    *ex,
           const char  *url,
           const char  *payload,
           gboolean     use_jwk,
           GError     **error)
{
  guint attempt;

  for (attempt = 1; ; attempt++)
    {
      g_autoptr(CertreqHttpResponse) response = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) problem = NULL;
      char *jws;

      if (ex->nonce == NULL && !fetch_nonce (ex, error))
        return NULL;
      jws = build_jws (ex, url, payload, use_jwk, error);
      g_clear_pointer (&ex->nonce, g_free);
      if (jws == NULL)
        return NULL;

      body = g_bytes_new_take (jws, strlen (jws));
      response = certreq_http_request (ex->http, "POST", url, "application/jose+json", body,
                                       NULL, ex->cancellable, error);
      if (response == NULL)
        return NULL;
      take_nonce (ex, response);

      if (response->status == 400 && attempt < MAX_NONCE_TRIES &&
          (problem = response_problem (response)) != NULL &&
          g_strcmp0 (problem_type_of (problem), "badNonce") == 0)
        {
          g_debug ("ACME: badNonce from %s, retrying (%u)", ex->host, attempt);
          continue;
        }

      return g_steal_pointer (&response);
    }
}

/* POST and parse; an error status becomes a GError */
static JsonNode *
acme_post_json (Exchange    *ex,
                const char  *url,
                const char  *payload,
                GError     **error)
{
  g_autoptr(CertreqHttpResponse) response = acme_post (ex, url, payload, FALSE, error);

  if (response == NULL)
    return NULL;
  if (response->status >= 400)
    {
      set_problem_error (ex, response, error);
      return NULL;
    }

  return parse_json (ex, response, error);
}

/* Retry-After in milliseconds (delta-seconds or an HTTP date), or -1 */
static gint64
retry_after_ms (CertreqHttpResponse *response)
{
  const char *value = certreq_http_response_get_header (response, "retry-after");
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  char month[4] = "";
  int day, year, hour, minute, second;
  guint i;

  if (value == NULL)
    return -1;
  if (g_ascii_isdigit (*value))
    return MIN (g_ascii_strtoll (value, NULL, 10), RETRY_AFTER_MAX_S) * 1000;

  /* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
  if (sscanf (value, "%*3s, %d %3s %d %d:%d:%d GMT", &day, month, &year, &hour, &minute,
              &second) == 6)
    for (i = 0; i < G_N_ELEMENTS (months); i++)
      if (strcmp (months[i], month) == 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_utc (year, (int) i + 1, day, hour,
                                                           minute, second);
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          gint64 ms;

          if (when == NULL)
            return -1;
          ms = g_date_time_difference (when, now) / 1000;
          return CLAMP (ms, 0, RETRY_AFTER_MAX_S * 1000);
        }

  return -1;
}

/* POST-as-GET @url until its "status" leaves @waiting_states: at once, then after 250
 * ms, doubling up to 8 s, or after the server's Retry-After. FALSE with
 * *timed_out when @deadline passes. */
static JsonNode *
poll_status (Exchange            *ex,
             const char          *url,
             const char * const  *waiting_states,
             gint64               deadline,
             gboolean            *timed_out,
             GError             **error)
{
  guint delay = POLL_FIRST_MS;

  *timed_out = FALSE;
  for (;;)
    {
      g_autoptr(CertreqHttpResponse) response = acme_post (ex, url, NULL, FALSE, error);
      g_autoptr(JsonNode) node = NULL;
      const char *status;
      gint64 wait;

      if (response == NULL)
        return NULL;
      if (response->status >= 400)
        {
          set_problem_error (ex, response, error);
          return NULL;
        }
      node = parse_json (ex, response, error);
      if (node == NULL)
        return NULL;

      status = member_string (json_node_get_object (node),
                                                           "status", "");
      if (!g_strv_contains (waiting_states, status))
        return g_steal_pointer (&node);

      if (g_get_monotonic_time () > deadline)
        {
          *timed_out = TRUE;
          return g_steal_pointer (&node);
        }

      wait = retry_after_ms (response);
      if (wait < 0)
        {
          wait = delay;
          delay = MIN (delay * 2, POLL_MAX_MS);
        }
      g_debug ("ACME: %s is %s, checking again in %" G_GINT64_FORMAT " ms", url, status, wait);
      if (!sleep_ms ((guint) wait, ex->cancellable, error))
        return NULL;
    }
}

/* ---- The account ---- */

static EVP_PKEY *
read_account_key (const char  *path,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BIO) bio = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  EVP_PKEY *key;

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   /* Translators: %1$s is a file, %2$s the system's reason */
                   _("Could not read the ACME account key %1$s: %2$s"), path, local_error->message);
      return NULL;
    }

  bio = BIO_new_mem_buf (data, (int) length);
  key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  OPENSSL_cleanse (data, length);
  if (key == NULL)
    _certreq_set_error_from_openssl (error, CERTREQ_ERROR_BAD_FORMAT,
                                     _("The ACME account key file is damaged."));
  return key;
}

static gboolean
write_account_key (EVP_PKEY    *key,
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
                                       _("Could not encode the ACME account key."));
      return FALSE;
    }

  length = BIO_get_mem_data (bio, &data);
  ok = _certreq_write_file_atomic (path, data, (gsize) length, 0600, error);
  OPENSSL_cleanse (data, (size_t) length);
  return ok;
}

/* Loads the account key, creating it (P-256) on first use under the store lock */
static gboolean
load_account (Exchange  *ex,
              GError   **error)
{
  CertreqStore *store = certreq_ca_client_get_store (CERTREQ_CA_CLIENT (ex->self));
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *info_path = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();

  ex->account_dir = _certreq_store_build_path (store, "acme", ex->self->ca_name, NULL);
  key_path = g_build_filename (ex->account_dir, ACCOUNT_KEY_FILE, NULL);
  info_path = g_build_filename (ex->account_dir, ACCOUNT_INFO_FILE, NULL);

  if (!g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      lock = certreq_store_lock (store, LOCK_TIMEOUT_MS, error);
      if (lock == NULL)
        return FALSE;
    }

  if (g_file_test (key_path, G_FILE_TEST_EXISTS))
    ex->key = read_account_key (key_path, error);
  else
    {
      ERR_clear_error ();
      ex->key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
      if (ex->key == NULL)
        {
          _certreq_set_error_from_openssl (error, CERTREQ_ERROR_KEY_GENERATION,
                                           _("Could not generate the ACME account key."));
          return FALSE;
        }
      if (!_certreq_ensure_dir (ex->account_dir, 0700, error) ||
          !write_account_key (ex->key, key_path, error))
        return FALSE;
    }
  if (ex->key == NULL || !key_describe (ex, error))
    return FALSE;

  /* The account URL, valid for the directory it was registered with */
  if (g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
    {
      g_autofree char *registered = g_key_file_get_string (info, "account", "directory", NULL);

      if (g_strcmp0 (registered, ex->self->url) == 0)
        ex->kid = g_key_file_get_string (info, "account", "url", NULL);
    }

  return TRUE;
}

/* The EAB HMAC key. certreq_ca_config_get_secret (the Secret Service or the file) when
 * the caconfig module is built; until then the root-only file named in the config. */
static char *
read_eab_hmac (CertreqCaAcme  *self,
               GError        **error)
{
#ifdef CERTREQ_HAVE_CA_CONFIG
  CertreqCaConfig config = { 0 };

  config.name = self->ca_name;
  config.protocol = CERTREQ_CA_PROTOCOL_ACME;
  config.url = self->url;
  config.eab_kid = self->eab_kid;
  config.eab_hmac_file = self->eab_hmac_file;
  return certreq_ca_config_get_secret (&config, CERTREQ_CA_SECRET_EAB_HMAC, error);
#else
  g_autoptr(GError) local_error = NULL;
  char *text = NULL;
  gsize length = 0;

  if (self->eab_hmac_file == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   /* Translators: %s is the CA's name */
                   _("No HMAC key file is configured for the External Account Binding of %s."),
                   self->ca_name);
      return NULL;
    }
  if (!g_file_get_contents (self->eab_hmac_file, &text, &length, &local_error))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   /* Translators: %1$s is a file, %2$s the reason */
                   _("Could not read the External Account Binding HMAC key from %1$s: %2$s"),
                   self->eab_hmac_file, local_error->message);
      return NULL;
    }
  g_strstrip (text);
  return text;
#endif
}

static char *
build_eab (Exchange    *ex,
           const char  *new_account_url,
           GError     **error)
{
  g_autoptr(GString) header = g_string_new ("{\"alg\":\"HS256\",\"kid\":");
  g_autofree char *protected = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *input = NULL;
  g_autofree guint8 *mac_key = NULL;
  g_autofree char *signature = NULL;
  char *secret;
  gsize key_length = 0;
  guint8 mac[EVP_MAX_MD_SIZE];
  size_t mac_length = 0;

  secret = read_eab_hmac (ex->self, error);
  if (secret == NULL)
    return NULL;
  mac_key = b64u_decode (secret, &key_length);
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);

  json_append_string (header, ex->self->eab_kid);
  g_string_append (header, ",\"url\":");
  json_append_string (header, new_account_url);
  g_string_append_c (header, '}');
  protected = b64u_encode_str (header->str);
  payload = b64u_encode_str (ex->jwk);
  input = g_strconcat (protected, ".", payload, NULL);

  ERR_clear_error ();
  if (key_length == 0 ||
      EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, mac_key, key_length,
                 (const guint8 *) input, strlen (input), mac, sizeof mac, &mac_length) == NULL)
    {
      OPENSSL_cleanse (mac_key, key_length);
      _certreq_set_error_from_openssl (error, CERTREQ_ERROR_CRYPTO,
                                       _("Could not compute the External Account Binding with the configured HMAC key."));
      return NULL;
    }
  OPENSSL_cleanse (mac_key, key_length);
  signature = b64u_encode (mac, mac_length);

  return g_strdup_printf ("{\"protected\":\"%s\",\"payload\":\"%s\",\"signature\":\"%s\"}",
                          protected, payload, signature);
}

static gboolean
register_account (Exchange  *ex,
                  GError   **error)
{
  const char *url = directory_url (ex, "newAccount");
  JsonObject *dir = json_node_get_object (ex->directory);
  JsonObject *meta = json_object_has_member (dir, "meta") &&
                     JSON_NODE_HOLDS_OBJECT (json_object_get_member (dir, "meta"))
                     ? member_object (dir, "meta") : NULL;
  g_autoptr(GString) payload = g_string_new ("{\"termsOfServiceAgreed\":true");
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *info_path = NULL;
  g_autofree char *data = NULL;
  const char *location;
  gsize length = 0;

  if (meta != NULL && member_boolean (meta, "externalAccountRequired", FALSE) &&
      ex->self->eab_kid == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                   /* Translators: %s is a host */
                   _("The ACME CA %s requires an External Account Binding. Configure the key id and the HMAC key file its operator issued (--eab-kid, --eab-hmac-file)."),
                   ex->host);
      return FALSE;
    }
  if (meta != NULL && json_object_has_member (meta, "termsOfService"))
    g_debug ("ACME: %s's terms of service (agreed by configuring the CA): %s", ex->host,
             member_string (meta, "termsOfService", ""));

  if (ex->self->contact != NULL && *ex->self->contact != '\0')
    {
      g_autofree char *mailto = g_str_has_prefix (ex->self->contact, "mailto:")
                                ? g_strdup (ex->self->contact)
                                : g_strconcat ("mailto:", ex->self->contact, NULL);

      g_string_append (payload, ",\"contact\":[");
      json_append_string (payload, mailto);
      g_string_append_c (payload, ']');
    }
  if (ex->self->eab_kid != NULL)
    {
      g_autofree char *eab = build_eab (ex, url, error);

      if (eab == NULL)
        return FALSE;
      g_string_append_printf (payload, ",\"externalAccountBinding\":%s", eab);
    }
  g_string_append_c (payload, '}');

  response = acme_post (ex, url, payload->str, TRUE, error);
  if (response == NULL)
    return FALSE;
  if (response->status >= 400)
    {
      set_problem_error (ex, response, error);
      return FALSE;
    }

  location = certreq_http_response_get_header (response, "location");
  if (location == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a host */
                   _("The ACME CA %s created the account but did not say its address."),
                   ex->host);
      return FALSE;
    }
  g_free (ex->kid);
  ex->kid = g_strdup (location);

  g_key_file_set_string (info, "account", "directory", ex->self->url);
  g_key_file_set_string (info, "account", "url", ex->kid);
  if (ex->self->contact != NULL)
    g_key_file_set_string (info, "account", "contact", ex->self->contact);
  data = g_key_file_to_data (info, &length, NULL);
  info_path = g_build_filename (ex->account_dir, ACCOUNT_INFO_FILE, NULL);
  return _certreq_write_file_atomic (info_path, data, length, 0600, error);
}

/* ---- Connecting ---- */

/* Connects and reads the directory */
static gboolean
fetch_directory (CertreqCaAcme        *self,
                 Exchange             *ex,
                 CertreqProgressFunc   progress,
                 gpointer              progress_data,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);

  ex->self = self;
  ex->cancellable = cancellable;
  ex->progress = progress;
  ex->progress_data = progress_data;
  ex->host = g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                   : self->url);
  ex->proofs = g_ptr_array_new_with_free_func (proof_free);
  options->trust_bundle = g_strdup (self->trust_bundle);
  ex->http = certreq_http_new (options);

  report (ex, CERTREQ_SUBMIT_STAGE_CONNECTING, ex->host);
  response = certreq_http_request (ex->http, "GET", self->url, NULL, NULL, NULL,
                                   cancellable, error);
  if (response == NULL)
    return FALSE;
  if (response->status != 200)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %1$s is a URL, %2$u an HTTP status */
                   _("%1$s is not an ACME directory: the server answered with HTTP status %2$u."),
                   self->url, response->status);
      return FALSE;
    }
  ex->directory = parse_json (ex, response, error);
  if (ex->directory == NULL)
    return FALSE;
  if (directory_url (ex, "newNonce") == NULL || directory_url (ex, "newAccount") == NULL ||
      directory_url (ex, "newOrder") == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a URL */
                   _("%s is not an ACME directory: it names no newNonce, newAccount and newOrder."),
                   self->url);
      return FALSE;
    }

  return TRUE;
}

static gboolean
exchange_start (CertreqCaAcme        *self,
                Exchange             *ex,
                CertreqProgressFunc   progress,
                gpointer              progress_data,
                GCancellable         *cancellable,
                GError              **error)
{
  if (!fetch_directory (self, ex, progress, progress_data, cancellable, error))
    return FALSE;

  report (ex, CERTREQ_SUBMIT_STAGE_AUTHENTICATING, NULL);
  if (!load_account (ex, error))
    return FALSE;
  if (ex->kid == NULL && !register_account (ex, error))
    return FALSE;

  return TRUE;
}

/* ---- http-01 listener ---- */

struct _Http01Listener
{
  GMutex          mutex;
  GCond           cond;
  GHashTable     *tokens;     /* token -> key authorization */
  GMainContext   *context;
  GMainLoop      *loop;
  GThread        *thread;
  GInetAddress   *address;    /* NULL: every address */
  guint16         port;
  gboolean        started;
  GError         *error;
};

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  Http01Listener *listener = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *value = NULL;
  GOutputStream *out;
  char **parts;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 5);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (line == NULL)
    return TRUE;

  /* Skip the headers */
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL || *header == '\0' || strcmp (header, "\r") == 0)
        break;
    }

  parts = g_strsplit (line, " ", 3);
  if (g_strv_length (parts) >= 2 && (strcmp (parts[0], "GET") == 0 || strcmp (parts[0], "HEAD") == 0) &&
      g_str_has_prefix (parts[1], HTTP01_PREFIX))
    {
      g_mutex_lock (&listener->mutex);
      value = g_strdup (g_hash_table_lookup (listener->tokens, parts[1] + strlen (HTTP01_PREFIX)));
      g_mutex_unlock (&listener->mutex);
    }

  if (value != NULL)
    answer = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                              "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                              strlen (value), strcmp (parts[0], "HEAD") == 0 ? "" : value);
  else
    answer = g_strdup ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  g_strfreev (parts);

  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static gpointer
listener_thread (gpointer data)
{
  Http01Listener *listener = data;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (listener->context);
  service = g_socket_service_new ();
  if (listener->address != NULL)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (listener->address,
                                                                     listener->port);

      ok = g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                          G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                          NULL, NULL, &error);
    }
  else
    ok = g_socket_listener_add_inet_port (G_SOCKET_LISTENER (service), listener->port, NULL,
                                          &error);
  if (ok)
    {
      g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), listener);
      g_socket_service_start (service);
    }

  g_mutex_lock (&listener->mutex);
  listener->started = TRUE;
  listener->error = g_steal_pointer (&error);
  g_cond_signal (&listener->cond);
  g_mutex_unlock (&listener->mutex);

  if (ok)
    g_main_loop_run (listener->loop);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_main_context_pop_thread_default (listener->context);
  return NULL;
}

static void
http01_listener_stop (Http01Listener *listener)
{
  if (listener->thread != NULL)
    {
      g_main_loop_quit (listener->loop);
      g_thread_join (listener->thread);
    }
  g_main_loop_unref (listener->loop);
  g_main_context_unref (listener->context);
  g_hash_table_unref (listener->tokens);
  g_clear_object (&listener->address);
  g_clear_error (&listener->error);
  g_mutex_clear (&listener->mutex);
  g_cond_clear (&listener->cond);
  g_free (listener);
}

/* "ADDR:PORT" (ADDR may be [v6], empty or * for every address) */
static gboolean
parse_listen (const char    *spec,
              GInetAddress **out_address,
              guint16       *out_port)
{
  const char *colon = strrchr (spec, ':');
  g_autofree char *host = NULL;
  guint64 port = 0;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    return FALSE;
  host = g_strndup (spec, (gsize) (colon - spec));
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      host[strlen (host) - 1] = '\0';
      memmove (host, host + 1, strlen (host));
    }
  *out_port = (guint16) port;
  if (*host == '\0' || strcmp (host, "*") == 0)
    {
      *out_address = NULL;
      return TRUE;
    }
  *out_address = g_inet_address_new_from_string (host);
  return *out_address != NULL;
}

static Http01Listener *
http01_listener_start (Exchange    *ex,
                       const char  *spec,
                       GError     **error)
{
  Http01Listener *listener = g_new0 (Http01Listener, 1);

  g_mutex_init (&listener->mutex);
  g_cond_init (&listener->cond);
  listener->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  listener->context = g_main_context_new ();
  listener->loop = g_main_loop_new (listener->context, FALSE);

  if (!parse_listen (spec, &listener->address, &listener->port))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   /* Translators: %s is what the admin configured; "listen:ADDR:PORT" is literal */
                   _("The http-01 setting “%s” is not of the form listen:ADDR:PORT."), spec);
      http01_listener_stop (listener);
      return NULL;
    }

  listener->thread = g_thread_new ("acme-http01", listener_thread, listener);
  g_mutex_lock (&listener->mutex);
  while (!listener->started)
    g_cond_wait (&listener->cond, &listener->mutex);
  g_mutex_unlock (&listener->mutex);

  if (listener->error != NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is ADDR:PORT, %2$s the system's reason */
                   _("Certwiz cannot listen on %1$s for the http-01 challenge: %2$s"),
                   spec, listener->error->message);
      http01_listener_stop (listener);
      return NULL;
    }

  return listener;
}

/* ---- Proofs of control ---- */

static gboolean
run_dns_hook (Exchange    *ex,
              const char  *action,
              Proof       *proof,
              GError     **error)
{
  g_auto(GStrv) hook = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *record = g_strconcat ("_acme-challenge.", proof->name, NULL);
  g_autofree char *err = NULL;
  int status = 0;
  guint i;

  if (!g_shell_parse_argv (ex->self->dns01_hook, NULL, &hook, &local_error))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   /* Translators: %1$s is the configured command, %2$s the reason */
                   _("The dns-01 hook “%1$s” cannot be read as a command: %2$s"),
                   ex->self->dns01_hook, local_error->message);
      return FALSE;
    }
  for (i = 0; hook[i] != NULL; i++)
    g_ptr_array_add (argv, hook[i]);
  g_ptr_array_add (argv, (gpointer) action);
  g_ptr_array_add (argv, record);
  g_ptr_array_add (argv, proof->value);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, &local_error) ||
      !g_spawn_check_wait_status (status, &local_error))
    {
      const char *output = err != NULL ? g_strstrip (err) : "";

      if (strcmp (action, "present") == 0)
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                     /* Translators: %1$s is the hook command, %2$s a DNS name, %3$s the
                      * reason, %4$s the hook's own output */
                     _("The dns-01 hook %1$s could not publish the TXT record %2$s: %3$s %4$s"),
                     hook[0], record, local_error->message, output);
      else
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                     /* Translators: %1$s is the hook command, %2$s a DNS name, %3$s the
                      * reason, %4$s the hook's own output */
                     _("The dns-01 hook %1$s could not remove the TXT record %2$s: %3$s %4$s"),
                     hook[0], record, local_error->message, output);
      return FALSE;
    }

  return TRUE;
}

static gboolean
provision (Exchange  *ex,
           Proof     *proof,
           GError   **error)
{
  switch (proof->kind)
    {
    case PROOF_HTTP01_LISTEN:
      g_mutex_lock (&ex->listener->mutex);
      g_hash_table_replace (ex->listener->tokens, g_strdup (proof->token), g_strdup (proof->value));
      g_mutex_unlock (&ex->listener->mutex);
      break;
    case PROOF_HTTP01_WEBROOT:
      {
        g_autofree char *dir = g_build_filename (ex->self->http01 + strlen ("webroot:"),
                                                 ".well-known", "acme-challenge", NULL);
        g_autoptr(GError) local_error = NULL;

        proof->path = g_build_filename (dir, proof->token, NULL);
        if (g_mkdir_with_parents (dir, 0755) < 0 ||
            !g_file_set_contents_full (proof->path, proof->value, -1,
                                       G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
          {
            g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_DEPLOY,
                         /* Translators: %1$s is a file, %2$s the reason */
                         _("Could not write the http-01 challenge file %1$s: %2$s"),
                         proof->path, local_error != NULL ? local_error->message
                                                          : g_strerror (errno));
            return FALSE;
          }
      }
      break;
    case PROOF_DNS01:
      if (!run_dns_hook (ex, "present", proof, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }

  proof->provisioned = TRUE;
  return TRUE;
}

static void
unprovision (Exchange *ex)
{
  guint i;

  for (i = 0; ex->proofs != NULL && i < ex->proofs->len; i++)
    {
      Proof *proof = g_ptr_array_index (ex->proofs, i);
      g_autoptr(GError) error = NULL;

      if (!proof->provisioned)
        continue;
      proof->provisioned = FALSE;
      if (proof->kind == PROOF_HTTP01_WEBROOT && proof->path != NULL)
        g_unlink (proof->path);
      else if (proof->kind == PROOF_DNS01 && !run_dns_hook (ex, "cleanup", proof, &error))
        g_warning ("%s", error->message);
    }
  g_clear_pointer (&ex->listener, http01_listener_stop);
}

/* Picks the challenge: dns-01 for wildcards, else http-01 when configured, else dns-01 */
static Proof *
choose_challenge (Exchange    *ex,
                  JsonObject  *authz,
                  const char  *authz_url,
                  GError     **error)
{
  JsonObject *identifier = member_object (authz, "identifier");
  const char *name = identifier != NULL
                     ? member_string (identifier, "value", "") : "";
  gboolean wildcard = member_boolean (authz, "wildcard", FALSE);
  JsonArray *challenges = json_object_has_member (authz, "challenges")
                          ? member_array (authz, "challenges") : NULL;
  const char *wanted[2] = { NULL, NULL };
  guint w, i;

  if (!wildcard && ex->self->http01 != NULL)
    wanted[0] = "http-01";
  if (ex->self->dns01_hook != NULL)
    wanted[wanted[0] == NULL ? 0 : 1] = "dns-01";

  for (w = 0; w < G_N_ELEMENTS (wanted) && wanted[w] != NULL; w++)
    for (i = 0; challenges != NULL && i < json_array_get_length (challenges); i++)
      {
        JsonObject *challenge = element_object (challenges, i);
        const char *type, *token, *url;
        Proof *proof;
        g_autofree char *key_authz = NULL;

        if (challenge == NULL)
          continue;
        type = member_string (challenge, "type", "");
        token = member_string (challenge, "token", NULL);
        url = member_string (challenge, "url", NULL);
        if (strcmp (type, wanted[w]) != 0 || token == NULL || url == NULL)
          continue;

        proof = g_new0 (Proof, 1);
        proof->name = g_strdup (name);
        proof->token = g_strdup (token);
        proof->authz_url = g_strdup (authz_url);
        proof->challenge_url = g_strdup (url);
        key_authz = g_strconcat (token, ".", ex->thumbprint, NULL);
        if (strcmp (type, "dns-01") == 0)
          {
            guint8 digest[32];

            SHA256 ((const guint8 *) key_authz, strlen (key_authz), digest);
            proof->kind = PROOF_DNS01;
            proof->value = b64u_encode (digest, sizeof digest);
          }
        else
          {
            proof->kind = g_str_has_prefix (ex->self->http01, "webroot:") ? PROOF_HTTP01_WEBROOT
                                                                          : PROOF_HTTP01_LISTEN;
            proof->value = g_steal_pointer (&key_authz);
          }
        return proof;
      }

  if (wildcard && ex->self->dns01_hook == NULL)
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                 /* Translators: %1$s is a wildcard name, %2$s the CA's name */
                 _("The wildcard name *.%1$s can only be proved with dns-01: configure a dns-01 hook for %2$s."),
                 name, ex->self->ca_name);
  else if (ex->self->http01 == NULL && ex->self->dns01_hook == NULL)
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                 /* Translators: %1$s is a DNS name, %2$s the CA's name */
                 _("Certwiz has no way to prove control of %1$s: configure http-01 (a listener or a webroot) or a dns-01 hook for %2$s."),
                 name, ex->self->ca_name);
  else
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                 /* Translators: %1$s is the CA's host, %2$s a DNS name */
                 _("The ACME CA %1$s offers no challenge for %2$s that Certwiz is configured to answer."),
                 ex->host, name);
  return NULL;
}

/* The error of an invalid authorization: its failed challenge's problem */
static char *
authz_failure (Exchange   *ex,
               JsonObject *authz)
{
  JsonArray *challenges = json_object_has_member (authz, "challenges")
                          ? member_array (authz, "challenges") : NULL;
  JsonObject *identifier = member_object (authz, "identifier");
  const char *name = identifier != NULL
                     ? member_string (identifier, "value", "") : "";
  guint i;

  for (i = 0; challenges != NULL && i < json_array_get_length (challenges); i++)
    {
      JsonObject *challenge = element_object (challenges, i);

      if (challenge != NULL && json_object_has_member (challenge, "error") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (challenge, "error")))
        return describe_problem (ex, member_object (challenge, "error"), 400);
    }

  /* Translators: %1$s is the CA's host, %2$s a DNS name */
  return g_strdup_printf (_("The ACME CA %1$s did not accept the proof of control of %2$s."),
                          ex->host, name);
}

/* Proves control of every name the order needs. Returns FALSE with @error, or TRUE
 * with *denied set to the CA's reason when a proof failed. */
static gboolean
authorize (Exchange    *ex,
           JsonObject  *order,
           char       **denied,
           GError     **error)
{
  JsonArray *authzs = json_object_has_member (order, "authorizations")
                      ? member_array (order, "authorizations") : NULL;
  gint64 deadline = g_get_monotonic_time () + VALIDATION_DEADLINE;
  static const char * const waiting[] = { "pending", "processing", NULL };
  guint i;

  for (i = 0; authzs != NULL && i < json_array_get_length (authzs); i++)
    {
      const char *url = element_string (authzs, i);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *authz;
      const char *status;
      Proof *proof;

      if (url == NULL)
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                       /* Translators: %s is a host */
                       _("The ACME CA %s listed an authorization of the order without its address."),
                       ex->host);
          return FALSE;
        }
      node = acme_post_json (ex, url, NULL, error);
      if (node == NULL)
        return FALSE;
      authz = json_node_get_object (node);
      status = member_string (authz, "status", "");
      if (strcmp (status, "valid") == 0)
        continue;
      if (strcmp (status, "pending") != 0)
        {
          *denied = authz_failure (ex, authz);
          return TRUE;
        }

      proof = choose_challenge (ex, authz, url, error);
      if (proof == NULL)
        return FALSE;
      g_ptr_array_add (ex->proofs, proof);
      if (proof->kind == PROOF_HTTP01_LISTEN && ex->listener == NULL)
        {
          ex->listener = http01_listener_start (ex, ex->self->http01 + strlen ("listen:"), error);
          if (ex->listener == NULL)
            return FALSE;
        }
      report (ex, CERTREQ_SUBMIT_STAGE_PROVING_CONTROL, proof->name);
      if (!provision (ex, proof, error))
        return FALSE;
    }

  /* Every proof is in place: tell the CA to check them all, then wait for each */
  for (i = 0; i < ex->proofs->len; i++)
    {
      Proof *proof = g_ptr_array_index (ex->proofs, i);
      g_autoptr(JsonNode) node = acme_post_json (ex, proof->challenge_url, "{}", error);

      if (node == NULL)
        return FALSE;
    }
  for (i = 0; i < ex->proofs->len; i++)
    {
      Proof *proof = g_ptr_array_index (ex->proofs, i);
      g_autoptr(JsonNode) node = NULL;
      gboolean timed_out = FALSE;
      const char *status;

      report (ex, CERTREQ_SUBMIT_STAGE_PROVING_CONTROL, proof->name);
      node = poll_status (ex, proof->authz_url, waiting, deadline, &timed_out, error);
      if (node == NULL)
        return FALSE;
      if (timed_out)
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                       /* Translators: %1$s is the CA's host, %2$s a DNS name */
                       _("The ACME CA %1$s did not finish checking the proof of control of %2$s within five minutes."),
                       ex->host, proof->name);
          return FALSE;
        }
      status = member_string (json_node_get_object (node),
                                                           "status", "");
      if (strcmp (status, "valid") != 0)
        {
          *denied = authz_failure (ex, json_node_get_object (node));
          return TRUE;
        }
    }

  return TRUE;
}

/* ---- Order, finalize, download ---- */

static GPtrArray *
identifiers_of (GBytes  *csr_der,
                GError **error)
{
  g_autoptr(CertreqCsrSpec) spec = certreq_csr_get_spec (csr_der, error);
  g_autoptr(GPtrArray) names = NULL;
  guint i;

  if (spec == NULL)
    return NULL;

  names = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; spec->dns_names != NULL && spec->dns_names[i] != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (spec->dns_names[i], -1);

      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  if (names->len == 0 && spec->common_name != NULL)
    g_ptr_array_add (names, g_ascii_strdown (spec->common_name, -1));

  return g_steal_pointer (&names);
}

static void
parse_alternates (CertreqCaAcme       *self,
                  CertreqHttpResponse *response)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GRegex) regex = g_regex_new ("<([^>]+)>\\s*;[^,]*rel\\s*=\\s*\"?alternate\"?",
                                         G_REGEX_CASELESS, 0, NULL);
  guint i;

  for (i = 0; i < response->links->len; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match (regex, g_ptr_array_index (response->links, i), 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *url = g_match_info_fetch (match, 1);

          g_strv_builder_add (builder, url);
          g_match_info_next (match, NULL);
        }
    }

  g_strfreev (self->alternates);
  self->alternates = g_strv_builder_end (builder);
}

static CertreqSubmitResult *
download (Exchange    *ex,
          JsonObject  *order,
          const char  *order_url,
          GError     **error)
{
  const char *url = member_string (order, "certificate", NULL);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  gsize length = 0;
  const char *data;
  guint i;

  if (url == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a host */
                   _("The ACME CA %s marked the order valid but gave no certificate address."),
                   ex->host);
      return NULL;
    }

  report (ex, CERTREQ_SUBMIT_STAGE_DOWNLOADING, NULL);
  response = acme_post (ex, url, NULL, FALSE, error);
  if (response == NULL)
    return NULL;
  if (response->status >= 400)
    {
      set_problem_error (ex, response, error);
      return NULL;
    }

  data = g_bytes_get_data (response->body, &length);
  certs = certreq_certificate_list_from_data (data, length, error);
  if (certs == NULL)
    return NULL;
  if (certs->len == 0)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a host */
                   _("The ACME CA %s delivered no certificate."), ex->host);
      return NULL;
    }
  parse_alternates (ex->self, response);

  /* Delivered leaf first, then each issuer: the chain is the rest, issuer first */
  result = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
  result->certificate = g_object_ref (g_ptr_array_index (certs, 0));
  result->chain = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 1; i < certs->len; i++)
    g_ptr_array_add (result->chain, g_object_ref (g_ptr_array_index (certs, i)));
  result->request_id = g_strdup (order_url);
  return g_steal_pointer (&result);
}

static CertreqSubmitResult *
result_new (CertreqCaAcme       *self,
            CertreqSubmitStatus  status)
{
  CertreqSubmitResult *result = certreq_submit_result_new (status);

  result->ca_id = g_strdup (certreq_ca_client_get_id (CERTREQ_CA_CLIENT (self)));
  result->ca_name = g_strdup (certreq_ca_client_get_name (CERTREQ_CA_CLIENT (self)));
  return result;
}

static CertreqSubmitResult *
denied (CertreqCaAcme *self,
        char          *reason,   /* (transfer full) */
        const char    *order_url)
{
  CertreqSubmitResult *result = result_new (self, CERTREQ_SUBMIT_DENIED);

  result->reason = reason;
  result->request_id = g_strdup (order_url);
  return result;
}

/* Waits for a finalized order and downloads its certificate; PENDING after the deadline */
static CertreqSubmitResult *
finish_order (Exchange    *ex,
              JsonNode    *order_node,
              const char  *order_url,
              GError     **error)
{
  static const char * const waiting[] = { "processing", NULL };
  g_autoptr(JsonNode) node = json_node_ref (order_node);
  const char *status = member_string (json_node_get_object (node),
                                                                   "status", "");
  CertreqSubmitResult *result;

  if (strcmp (status, "processing") == 0)
    {
      gboolean timed_out = FALSE;

      report (ex, CERTREQ_SUBMIT_STAGE_WAITING, NULL);
      json_node_unref (node);
      node = poll_status (ex, order_url, waiting, g_get_monotonic_time () + ISSUE_DEADLINE,
                          &timed_out, error);
      if (node == NULL)
        return NULL;
      if (timed_out)
        {
          result = result_new (ex->self, CERTREQ_SUBMIT_PENDING);
          result->request_id = g_strdup (order_url);
          return result;
        }
      status = member_string (json_node_get_object (node),
                                                           "status", "");
    }

  if (strcmp (status, "valid") == 0)
    {
      result = download (ex, json_node_get_object (node), order_url, error);
      if (result != NULL)
        {
          result->ca_id = g_strdup (certreq_ca_client_get_id (CERTREQ_CA_CLIENT (ex->self)));
          result->ca_name = g_strdup (certreq_ca_client_get_name (CERTREQ_CA_CLIENT (ex->self)));
        }
      return result;
    }

  if (strcmp (status, "invalid") == 0)
    {
      JsonObject *order = json_node_get_object (node);

      if (json_object_has_member (order, "error") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (order, "error")))
        return denied (ex->self, describe_problem (ex, member_object (order, "error"), 403),
                       order_url);
      /* Translators: %s is the CA's host */
      return denied (ex->self, g_strdup_printf (_("The ACME CA %s marked the order invalid."), ex->host),
                     order_url);
    }

  g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
               /* Translators: %1$s is the CA's host, %2$s an ACME order status (literal) */
               _("The ACME CA %1$s left the order in the state “%2$s” after it was finalized."),
               ex->host, status);
  return NULL;
}

static gboolean
is_denial_type (const char *type)
{
  static const char * const types[] = {
    "rejectedIdentifier", "caa", "unsupportedIdentifier", "badCSR", "unauthorized",
    "dns", "connection", "incorrectResponse", "tls", NULL
  };

  return type != NULL && g_strv_contains (types, type);
}

/* ---- ACME Renewal Information (RFC 9773) ---- */

/* RFC 9773 §4.1: base64url(the authority key identifier's keyIdentifier) "."
 * base64url(the serial number's DER content octets, without tag and length). NULL
 * when @cert names no authority key identifier: ARI cannot name it then. */
static char *
ari_cert_id (CertreqCertificate *cert)
{
  X509 *x509 = _certreq_certificate_get_x509 (cert);
  const ASN1_OCTET_STRING *key_id = X509_get0_authority_key_id (x509);
  const ASN1_INTEGER *serial = X509_get0_serialNumber (x509);
  g_autofree char *key_part = NULL;
  g_autofree char *serial_part = NULL;
  unsigned char *der = NULL;
  const unsigned char *p;
  long content_length = 0;
  int tag, xclass, length;

  if (key_id == NULL || ASN1_STRING_length (key_id) <= 0 || serial == NULL)
    return NULL;
  length = i2d_ASN1_INTEGER (serial, &der);
  if (length <= 0)
    return NULL;
  p = der;
  if ((ASN1_get_object (&p, &content_length, &tag, &xclass, length) & 0x80) != 0 ||
      tag != V_ASN1_INTEGER || content_length <= 0 || p + content_length > der + length)
    {
      OPENSSL_free (der);
      return NULL;
    }
  serial_part = b64u_encode (p, (gsize) content_length);
  OPENSSL_free (der);
  key_part = b64u_encode (ASN1_STRING_get0_data (key_id), (gsize) ASN1_STRING_length (key_id));
  return g_strconcat (key_part, ".", serial_part, NULL);
}

/* The renewalInfo URL for @cert_id, or NULL when the directory offers no ARI */
static char *
ari_url (Exchange   *ex,
         const char *cert_id)
{
  const char *base = directory_url (ex, "renewalInfo");

  if (base == NULL || *base == '\0')
    return NULL;
  return g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", cert_id, NULL);
}

/* The certificate a renewal order replaces (RFC 9773 §5), named by its ARI CertID,
 * when the request renews one and the CA offers ARI; else NULL */
static char *
order_replaces (Exchange *ex)
{
  CertreqCertificate *old_cert;

  old_cert = _certreq_ca_client_get_renewal_certificate (CERTREQ_CA_CLIENT (ex->self));
  if (old_cert == NULL || directory_url (ex, "renewalInfo") == NULL)
    return NULL;
  return ari_cert_id (old_cert);
}

/* A suggestedWindow time (RFC 3339), in UTC; NULL when it is not one */
static GDateTime *
parse_window_time (JsonObject *window,
                   const char *member)
{
  const char *text = member_string (window, member, NULL);
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return NULL;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_utc (time) : NULL;
}

static gboolean
certreq_ca_acme_get_renewal_window (CertreqCaClient     *client,
                                    CertreqCertificate  *cert,
                                    GDateTime          **out_start,
                                    GDateTime          **out_end,
                                    GCancellable        *cancellable,
                                    GError             **error)
{
  CertreqCaAcme *self = CERTREQ_CA_ACME (client);
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *cert_id = ari_cert_id (cert);
  g_autofree char *url = NULL;
  JsonObject *window = NULL;
  Exchange ex = { 0 };
  gboolean ok = FALSE;
  gint64 retry_ms;

  if (cert_id == NULL)
    {
      g_debug ("ACME %s: the certificate names no authority key identifier; no ARI", self->url);
      return FALSE;
    }
  if (!fetch_directory (self, &ex, NULL, NULL, cancellable, error))
    goto out;
  url = ari_url (&ex, cert_id);
  if (url == NULL)
    {
      /* The CA offers no renewal information: the store's rule applies, no error */
      g_debug ("ACME %s: the directory has no renewalInfo", ex.host);
      goto out;
    }

  response = certreq_http_request (ex.http, "GET", url, NULL, NULL, NULL, cancellable, error);
  if (response == NULL)
    goto out;
  if (response->status != 200)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %1$s is a host, %2$u an HTTP status */
                   _("The ACME CA %1$s gave no renewal information for the certificate "
                     "(HTTP status %2$u)."), ex.host, response->status);
      goto out;
    }
  info = parse_json (&ex, response, error);
  if (info == NULL)
    goto out;
  window = member_object (json_node_get_object (info), "suggestedWindow");
  if (window != NULL)
    {
      start = parse_window_time (window, "start");
      end = parse_window_time (window, "end");
    }
  /* RFC 9773 §4.2: a window whose end is not after its start is invalid */
  if (start == NULL || end == NULL || g_date_time_compare (end, start) <= 0)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a host */
                   _("The ACME CA %s sent renewal information without a valid suggested "
                     "window."), ex.host);
      goto out;
    }

  /* Retry-After says when to ask again; the next run asks anyway, so it is only
   * noted (RFC 9773 §4.3) */
  retry_ms = retry_after_ms (response);
  if (retry_ms >= 0)
    g_debug ("ACME %s: ask about the renewal again in %" G_GINT64_FORMAT " s", ex.host,
             retry_ms / 1000);
  if (member_string (json_node_get_object (info), "explanationURL", NULL) != NULL)
    g_debug ("ACME %s: why this window: %s", ex.host,
             member_string (json_node_get_object (info), "explanationURL", NULL));

  *out_start = g_steal_pointer (&start);
  *out_end = g_steal_pointer (&end);
  ok = TRUE;

out:
  exchange_clear (&ex);
  return ok;
}

/* {"identifiers":[…]} with "replaces" when @replaces is set */
static char *
order_payload (GPtrArray  *names,
               const char *replaces)
{
  GString *payload = g_string_new ("{\"identifiers\":[");
  guint i;

  for (i = 0; i < names->len; i++)
    {
      g_string_append (payload, i > 0 ? ",{\"type\":\"dns\",\"value\":" : "{\"type\":\"dns\",\"value\":");
      json_append_string (payload, g_ptr_array_index (names, i));
      g_string_append_c (payload, '}');
    }
  g_string_append_c (payload, ']');
  if (replaces != NULL)
    {
      g_string_append (payload, ",\"replaces\":");
      json_append_string (payload, replaces);
    }
  g_string_append_c (payload, '}');
  return g_string_free (payload, FALSE);
}

static CertreqSubmitResult *
order_and_issue (Exchange    *ex,
                 GBytes      *csr_der,
                 GError     **error)
{
  static const char * const not_ready[] = { "pending", NULL };
  g_autoptr(GPtrArray) names = identifiers_of (csr_der, error);
  g_autofree char *payload = NULL;
  g_autofree char *replaces = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(JsonNode) order = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autofree char *order_url = NULL;
  g_autofree char *csr64 = NULL;
  g_autofree char *finalize_payload = NULL;
  g_autofree char *reason = NULL;
  const char *finalize_url;
  const char *status;
  gboolean timed_out = FALSE;

  if (names == NULL)
    return NULL;
  /* A renewal names the certificate it replaces, where the CA offers ARI */
  replaces = order_replaces (ex);
  if (replaces != NULL)
    g_debug ("ACME %s: the order replaces %s", ex->host, replaces);
  payload = order_payload (names, replaces);

  report (ex, CERTREQ_SUBMIT_STAGE_SUBMITTING, NULL);
  response = acme_post (ex, directory_url (ex, "newOrder"), payload, FALSE, error);
  if (response == NULL)
    return NULL;

  /* An account the CA forgot (a test CA restarted, an account deactivated): once more
   * with a new registration */
  if (response->status >= 400 && (problem = response_problem (response)) != NULL &&
      (g_strcmp0 (problem_type_of (problem), "accountDoesNotExist") == 0))
    {
      g_clear_pointer (&response, certreq_http_response_free);
      g_clear_pointer (&problem, json_node_unref);
      report (ex, CERTREQ_SUBMIT_STAGE_AUTHENTICATING, NULL);
      if (!register_account (ex, error))
        return NULL;
      report (ex, CERTREQ_SUBMIT_STAGE_SUBMITTING, NULL);
      response = acme_post (ex, directory_url (ex, "newOrder"), payload, FALSE, error);
      if (response == NULL)
        return NULL;
    }

  /* RFC 9773 §5: the certificate was replaced already (an earlier renewal order):
   * a plain order then, which the CA may still grant */
  if (replaces != NULL && response->status >= 400 &&
      (problem != NULL || (problem = response_problem (response)) != NULL) &&
      g_strcmp0 (problem_type_of (problem), "alreadyReplaced") == 0)
    {
      g_debug ("ACME %s: %s was replaced already; ordering without \"replaces\"", ex->host,
               replaces);
      g_clear_pointer (&response, certreq_http_response_free);
      g_clear_pointer (&problem, json_node_unref);
      g_clear_pointer (&payload, g_free);
      payload = order_payload (names, NULL);
      response = acme_post (ex, directory_url (ex, "newOrder"), payload, FALSE, error);
      if (response == NULL)
        return NULL;
    }

  if (response->status >= 400)
    {
      problem = problem != NULL ? problem : response_problem (response);
      if (problem != NULL && is_denial_type (problem_type_of (problem)))
        return denied (ex->self, describe_problem (ex, json_node_get_object (problem), response->status),
                       NULL);
      set_problem_error (ex, response, error);
      return NULL;
    }
  order_url = g_strdup (certreq_http_response_get_header (response, "location"));
  order = parse_json (ex, response, error);
  if (order == NULL)
    return NULL;
  if (order_url == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a host */
                   _("The ACME CA %s created the order but did not say its address."), ex->host);
      return NULL;
    }

  if (!authorize (ex, json_node_get_object (order), &reason, error))
    return NULL;
  unprovision (ex);
  if (reason != NULL)
    return denied (ex->self, g_steal_pointer (&reason), order_url);

  /* Ready once every authorization is valid; the order may lag a moment */
  report (ex, CERTREQ_SUBMIT_STAGE_WAITING, NULL);
  status = member_string (json_node_get_object (order), "status", "");
  if (strcmp (status, "pending") == 0)
    {
      g_clear_pointer (&order, json_node_unref);
      order = poll_status (ex, order_url, not_ready, g_get_monotonic_time () + ISSUE_DEADLINE,
                           &timed_out, error);
      if (order == NULL)
        return NULL;
    }
  status = member_string (json_node_get_object (order), "status", "");
  if (strcmp (status, "ready") != 0)
    return finish_order (ex, order, order_url, error);

  finalize_url = member_string (json_node_get_object (order),
                                                             "finalize", NULL);
  if (finalize_url == NULL)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   /* Translators: %s is a host */
                   _("The ACME CA %s gave no address to finalize the order."), ex->host);
      return NULL;
    }

  csr64 = b64u_encode (g_bytes_get_data (csr_der, NULL), g_bytes_get_size (csr_der));
  finalize_payload = g_strdup_printf ("{\"csr\":\"%s\"}", csr64);
  g_clear_pointer (&response, certreq_http_response_free);
  g_clear_pointer (&problem, json_node_unref);
  response = acme_post (ex, finalize_url, finalize_payload, FALSE, error);
  if (response == NULL)
    return NULL;
  if (response->status >= 400)
    {
      problem = response_problem (response);
      if (problem != NULL && is_denial_type (problem_type_of (problem)))
        return denied (ex->self, describe_problem (ex, json_node_get_object (problem), response->status),
                       order_url);
      set_problem_error (ex, response, error);
      return NULL;
    }

  g_clear_pointer (&order, json_node_unref);
  order = parse_json (ex, response, error);
  if (order == NULL)
    return NULL;
  return finish_order (ex, order, order_url, error);
}

/* ---- The client ---- */

static CertreqSubmitResult *
certreq_ca_acme_submit (CertreqCaClient      *client,
                        GBytes               *csr_der,
                        const char           *template_name,
                        CertreqProgressFunc   progress,
                        gpointer              progress_data,
                        GCancellable         *cancellable,
                        GError              **error)
{
  CertreqCaAcme *self = CERTREQ_CA_ACME (client);
  Exchange ex = { 0 };
  CertreqSubmitResult *result = NULL;

  if (exchange_start (self, &ex, progress, progress_data, cancellable, error))
    result = order_and_issue (&ex, csr_der, error);

  unprovision (&ex);
  exchange_clear (&ex);
  return result;
}

static CertreqSubmitResult *
certreq_ca_acme_retrieve (CertreqCaClient      *client,
                          const char           *request_id,
                          CertreqProgressFunc   progress,
                          gpointer              progress_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  CertreqCaAcme *self = CERTREQ_CA_ACME (client);
  Exchange ex = { 0 };
  CertreqSubmitResult *result = NULL;

  if (exchange_start (self, &ex, progress, progress_data, cancellable, error))
    {
      g_autoptr(JsonNode) order = NULL;

      report (&ex, CERTREQ_SUBMIT_STAGE_WAITING, NULL);
      order = acme_post_json (&ex, request_id, NULL, error);
      if (order != NULL)
        result = finish_order (&ex, order, request_id, error);
    }

  exchange_clear (&ex);
  return result;
}

static void
certreq_ca_acme_finalize (GObject *object)
{
  CertreqCaAcme *self = CERTREQ_CA_ACME (object);

  g_free (self->ca_name);
  g_free (self->url);
  g_free (self->trust_bundle);
  g_free (self->contact);
  g_free (self->eab_kid);
  g_free (self->eab_hmac_file);
  g_free (self->http01);
  g_free (self->dns01_hook);
  g_strfreev (self->alternates);

  G_OBJECT_CLASS (certreq_ca_acme_parent_class)->finalize (object);
}

static void
certreq_ca_acme_class_init (CertreqCaAcmeClass *klass)
{
  CertreqCaClientClass *client_class = CERTREQ_CA_CLIENT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = certreq_ca_acme_finalize;
  client_class->submit = certreq_ca_acme_submit;
  client_class->retrieve = certreq_ca_acme_retrieve;
  client_class->get_renewal_window = certreq_ca_acme_get_renewal_window;
}

static void
certreq_ca_acme_init (CertreqCaAcme *self)
{
}

static gboolean
valid_ca_name (const char *name)
{
  const char *p;

  if (name == NULL || !g_ascii_isalnum (name[0]) || strcmp (name, "local") == 0)
    return FALSE;
  for (p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '_' || *p == '-'))
      return FALSE;
  return strstr (name, "..") == NULL;
}

/**
 * certreq_ca_acme_new:
 *
 * See certreq-ca-acme.h.
 */
CertreqCaClient *
certreq_ca_acme_new (CertreqStore          *store,
                     const CertreqCaConfig *config,
                     GError               **error)
{
  CertreqCaAcme *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  if (!valid_ca_name (config->name))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   /* Translators: %s is the name given */
                   _("“%s” is not a usable name for a certification authority: use lower-case letters, digits, dots, hyphens and underscores."),
                   config->name != NULL ? config->name : "");
      return NULL;
    }
  if (config->url == NULL || !g_str_has_prefix (config->url, "https://"))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   /* Translators: %s is the CA's name */
                   _("The ACME directory URL of %s must be an https:// address."), config->name);
      return NULL;
    }
  if (config->http01 != NULL && !g_str_has_prefix (config->http01, "listen:") &&
      !g_str_has_prefix (config->http01, "webroot:"))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   /* Translators: %s is the configured value; listen:ADDR:PORT and
                    * webroot:DIR are literal */
                   _("The http-01 setting “%s” must be listen:ADDR:PORT or webroot:DIR."),
                   config->http01);
      return NULL;
    }

  /* The exchange will need libcurl: load it while the caller prepares the request */
  certreq_http_preload ();

  self = g_object_new (CERTREQ_TYPE_CA_ACME,
                       "id", config->name,
                       "name", config->name,
                       "store", store,
                       NULL);
  self->ca_name = g_strdup (config->name);
  self->url = g_strdup (config->url);
  self->trust_bundle = g_strdup (config->trust_bundle);
  self->contact = g_strdup (config->contact);
  self->eab_kid = g_strdup (config->eab_kid);
  self->eab_hmac_file = g_strdup (config->eab_hmac_file);
  self->http01 = g_strdup (config->http01);
  self->dns01_hook = g_strdup (config->dns01_hook);
  return CERTREQ_CA_CLIENT (self);
}

const char * const *
certreq_ca_acme_get_alternate_chains (CertreqCaAcme *self)
{
  g_return_val_if_fail (CERTREQ_IS_CA_ACME (self), NULL);

  return (const char * const *) self->alternates;
}

#ifdef CERTREQ_FUZZING
#include "certreq-fuzz-private.h"

/* tests/fuzz/fuzz-acme.c: one answer of the CA, read by every parser above that reads
 * an answer without sending anything (directory, error document, authorization with
 * each challenge configuration, order past finalize, Retry-After, Link) */
void
_certreq_fuzz_acme (CertreqCaClient     *client,
                    CertreqHttpResponse *response)
{
  static const char * const http01[] = { "listen:127.0.0.1:80", "webroot:/nonexistent", NULL, NULL };
  static const char * const hooks[] = { NULL, NULL, "/nonexistent/hook", "/nonexistent/hook" };
  CertreqCaAcme *self = CERTREQ_CA_ACME (client);
  g_autofree char *saved_http01 = g_steal_pointer (&self->http01);
  g_autofree char *saved_hook = g_steal_pointer (&self->dns01_hook);
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  Exchange ex = { 0 };
  guint i;

  ex.self = self;
  ex.host = g_strdup ("acme.example");
  ex.thumbprint = g_strdup ("fuzz-thumbprint");
  ex.proofs = g_ptr_array_new_with_free_func (proof_free);

  (void) retry_after_ms (response);
  parse_alternates (self, response);

  /* An error answer */
  problem = response_problem (response);
  if (problem != NULL)
    {
      g_free (describe_problem (&ex, json_node_get_object (problem), response->status));
      (void) is_denial_type (problem_type_of (problem));
      (void) problem_error_code (problem_type_of (problem));
    }
  if (response->status >= 400)
    {
      set_problem_error (&ex, response, &error);
      g_assert (error != NULL);
      g_clear_error (&error);
    }

  /* A directory, an authorization or an order */
  ex.directory = parse_json (&ex, response, &error);
  if (ex.directory == NULL)
    {
      g_assert (error != NULL);
      exchange_clear (&ex);
      return;
    }
  object = json_node_get_object (ex.directory);
  (void) directory_url (&ex, "newNonce");
  (void) directory_url (&ex, "newAccount");
  (void) directory_url (&ex, "newOrder");

  g_free (authz_failure (&ex, object));
  for (i = 0; i < G_N_ELEMENTS (http01); i++)
    {
      Proof *proof;

      self->http01 = (char *) http01[i];
      self->dns01_hook = (char *) hooks[i];
      proof = choose_challenge (&ex, object, "https://acme.example/authz/1", &error);
      g_assert ((proof == NULL) == (error != NULL));
      if (proof != NULL)
        proof_free (proof);
      g_clear_error (&error);
    }
  self->http01 = g_steal_pointer (&saved_http01);
  self->dns01_hook = g_steal_pointer (&saved_hook);

  /* An order after finalize, in the states that need no further request */
  {
    const char *status = member_string (object, "status", "");

    if (g_strcmp0 (status, "processing") != 0 && g_strcmp0 (status, "valid") != 0)
      {
        g_autoptr(CertreqSubmitResult) result = NULL;

        result = finish_order (&ex, ex.directory, "https://acme.example/order/1", &error);
        g_assert ((result == NULL) == (error != NULL));
        g_clear_error (&error);
      }
  }

  exchange_clear (&ex);
}
#endif
