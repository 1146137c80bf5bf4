/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <dlfcn.h>
#include <string.h>
#include <curl/curl.h>
#include <openssl/crypto.h>

#include "certreq-private.h"
#include "certreq-http.h"

/* libcurl is loaded with dlopen() on first use and never linked: a program that does
 * not talk to a CA (the GUI's start, most CLI commands) never maps libcurl and the two
 * dozen libraries it pulls in. Only libcurl's headers are used at build time.
 *
 * Each CertreqHttp owns one multi handle and one easy handle. The multi handle holds
 * the connection cache, so every request of one CertreqHttp reuses the same
 * connection; driving the transfer through curl_multi_poll() lets a cancelled
 * GCancellable wake the loop at once (curl_multi_wakeup), where the easy interface
 * only looks at its progress callback about once a second while a peer is silent. */

#define CURL_SONAME        "libcurl.so.4"
#define MAX_REDIRECTS      5L
#define MAX_BODY_BYTES     (16 * 1024 * 1024)
#define DEFAULT_CONNECT_MS 10000
#define DEFAULT_TOTAL_MS   60000
#define POLL_MS            1000

typedef struct
{
  CURLcode                (*global_init)         (long flags);
  curl_version_info_data *(*version_info)        (CURLversion version);
  CURL                   *(*easy_init)           (void);
  CURLcode                (*easy_setopt)         (CURL *curl, CURLoption option, ...);
  CURLcode                (*easy_getinfo)        (CURL *curl, CURLINFO info, ...);
  void                    (*easy_reset)          (CURL *curl);
  void                    (*easy_cleanup)        (CURL *curl);
  const char             *(*easy_strerror)       (CURLcode code);
  struct curl_slist      *(*slist_append)        (struct curl_slist *list, const char *string);
  void                    (*slist_free_all)      (struct curl_slist *list);
  CURLM                  *(*multi_init)          (void);
  CURLMcode               (*multi_add_handle)    (CURLM *multi, CURL *curl);
  CURLMcode               (*multi_remove_handle) (CURLM *multi, CURL *curl);
  CURLMcode               (*multi_perform)       (CURLM *multi, int *running);
  CURLMcode               (*multi_poll)          (CURLM *multi, struct curl_waitfd extra[],
                                                  unsigned int n_extra, int timeout_ms,
                                                  int *numfds);
  CURLMcode               (*multi_wakeup)        (CURLM *multi);
  CURLMsg                *(*multi_info_read)     (CURLM *multi, int *msgs_in_queue);
  CURLMcode               (*multi_cleanup)       (CURLM *multi);
  const char             *(*multi_strerror)      (CURLMcode code);
} CurlApi;

static CurlApi curl_api;
static char *curl_load_error;   /* why libcurl could not be loaded; set once */

static gpointer
load_curl (gpointer data)
{
  void *lib;
  const char *missing = NULL;

  lib = dlopen (CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL)
    {
      const char *reason = dlerror ();

      curl_load_error = g_strdup (reason != NULL ? reason : CURL_SONAME);
      return NULL;
    }

#define LOAD(field, symbol)                                      \
  G_STMT_START {                                                 \
    void *sym = dlsym (lib, symbol);                             \
    if (sym == NULL && missing == NULL)                          \
      missing = symbol;                                          \
    *(void **) (&curl_api.field) = sym;                          \
  } G_STMT_END

  LOAD (global_init, "curl_global_init");
  LOAD (version_info, "curl_version_info");
  LOAD (easy_init, "curl_easy_init");
  LOAD (easy_setopt, "curl_easy_setopt");
  LOAD (easy_getinfo, "curl_easy_getinfo");
  LOAD (easy_reset, "curl_easy_reset");
  LOAD (easy_cleanup, "curl_easy_cleanup");
  LOAD (easy_strerror, "curl_easy_strerror");
  LOAD (slist_append, "curl_slist_append");
  LOAD (slist_free_all, "curl_slist_free_all");
  LOAD (multi_init, "curl_multi_init");
  LOAD (multi_add_handle, "curl_multi_add_handle");
  LOAD (multi_remove_handle, "curl_multi_remove_handle");
  LOAD (multi_perform, "curl_multi_perform");
  LOAD (multi_poll, "curl_multi_poll");
  LOAD (multi_wakeup, "curl_multi_wakeup");
  LOAD (multi_info_read, "curl_multi_info_read");
  LOAD (multi_cleanup, "curl_multi_cleanup");
  LOAD (multi_strerror, "curl_multi_strerror");
#undef LOAD

  if (missing != NULL)
    {
      curl_load_error = g_strdup_printf ("%s: %s", CURL_SONAME, missing);
      dlclose (lib);
      memset (&curl_api, 0, sizeof curl_api);
      return NULL;
    }

  /* Thread-safe since 7.84 (CURL_VERSION_THREADSAFE), which Debian 12's 7.88 is */
  if (curl_api.global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    {
      curl_load_error = g_strdup ("curl_global_init");
      return NULL;
    }

  return &curl_api;
}

static GOnce curl_once = G_ONCE_INIT;

static gpointer
preload_thread (gpointer data)
{
  g_once (&curl_once, load_curl, NULL);
  /* curl_global_init() initialised OpenSSL in this thread: free its per-thread state
   * (the error queue) before the thread ends */
  OPENSSL_thread_stop ();
  return NULL;
}

/**
 * certreq_http_preload:
 *
 * Starts loading libcurl (about 30 libraries) in a background thread, so that it
 * overlaps with whatever the caller does before its first request (generating the key,
 * building the request). A request made meanwhile waits for the load to finish.
 * Calling it more than once does nothing more.
 */
static gsize preload_started = 0;
static GThread *preload_thread_handle;   /* joined by certreq_http_preload_wait() */

void
certreq_http_preload (void)
{
  if (g_once_init_enter (&preload_started))
    {
      preload_thread_handle = g_thread_new ("certreq-curl", preload_thread, NULL);
      g_once_init_leave (&preload_started, 1);
    }
}

/**
 * certreq_http_preload_wait:
 *
 * Waits until a load started by certreq_http_preload() has finished; returns at once
 * when none was started. A program calls it before it exits: exit() while the thread
 * is still inside dlopen() or curl_global_init() can crash in their destructors.
 */
void
certreq_http_preload_wait (void)
{
  GThread *thread;

  if (g_atomic_pointer_get (&preload_started) == 0)
    return;
  g_once (&curl_once, load_curl, NULL);
  /* And the thread's end, so that it has freed OpenSSL's per-thread state */
  thread = g_atomic_pointer_exchange (&preload_thread_handle, NULL);
  if (thread != NULL)
    g_thread_join (thread);
}

/* Returns: (nullable): the loaded API, or NULL with a NETWORK error naming @host */
static const CurlApi *
get_curl (const char  *host,
          GError     **error)
{
  const CurlApi *api = g_once (&curl_once, load_curl, NULL);

  if (api == NULL)
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                 /* Translators: %1$s is a host name, %2$s the system's reason
                  * (a file name or a missing symbol) */
                 _("Certwiz cannot reach %1$s because the library libcurl could not be "
                   "loaded (%2$s). Install the package libcurl4."),
                 host, curl_load_error);

  return api;
}

/* ---- Options and responses ---- */

CertreqHttpOptions *
certreq_http_options_new (void)
{
  return g_new0 (CertreqHttpOptions, 1);
}

CertreqHttpOptions *
certreq_http_options_copy (const CertreqHttpOptions *options)
{
  CertreqHttpOptions *copy = certreq_http_options_new ();

  if (options == NULL)
    return copy;

  copy->trust_bundle = g_strdup (options->trust_bundle);
  copy->auth = options->auth;
  copy->username = g_strdup (options->username);
  copy->password = g_strdup (options->password);
  copy->client_cert = g_strdup (options->client_cert);
  copy->client_key = g_strdup (options->client_key);
  copy->connect_timeout_ms = options->connect_timeout_ms;
  copy->total_timeout_ms = options->total_timeout_ms;
  return copy;
}

void
certreq_http_options_free (CertreqHttpOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->trust_bundle);
  g_free (options->username);
  if (options->password != NULL)
    OPENSSL_cleanse (options->password, strlen (options->password));
  g_free (options->password);
  g_free (options->client_cert);
  g_free (options->client_key);
  g_free (options);
}

void
certreq_http_response_free (CertreqHttpResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->headers, g_hash_table_unref);
  g_clear_pointer (&response->links, g_ptr_array_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->effective_url);
  g_free (response);
}

const char *
certreq_http_response_get_header (CertreqHttpResponse *response,
                                  const char          *name)
{
  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (response->headers, name);
}

char *
certreq_http_response_dup_text (CertreqHttpResponse *response)
{
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (response != NULL, NULL);

  data = g_bytes_get_data (response->body, &length);
  return g_strndup (data != NULL ? data : "", length);
}

/* ---- The client ---- */

struct _CertreqHttp
{
  GObject             parent_instance;

  CertreqHttpOptions *options;
  CURLM              *multi;
  CURL               *easy;
  GBytes             *ca_blob;        /* the trust bundle (+ system trust when needed) */
  char               *ca_path;        /* libcurl's built-in CA directory, or NULL */
  gboolean            env_proxy;      /* the environment names a proxy: libcurl's job */
  char               *proxy_host;     /* the last GIO proxy lookup: for this scheme://host */
  char               *proxy_uri;      /* its answer, NULL for direct */
};

G_DEFINE_FINAL_TYPE (CertreqHttp, certreq_http, G_TYPE_OBJECT)

static void
certreq_http_finalize (GObject *object)
{
  CertreqHttp *self = CERTREQ_HTTP (object);

  if (self->easy != NULL)
    curl_api.easy_cleanup (self->easy);
  if (self->multi != NULL)
    curl_api.multi_cleanup (self->multi);
  certreq_http_options_free (self->options);
  g_clear_pointer (&self->ca_blob, g_bytes_unref);
  g_free (self->ca_path);
  g_free (self->proxy_host);
  g_free (self->proxy_uri);

  G_OBJECT_CLASS (certreq_http_parent_class)->finalize (object);
}

static void
certreq_http_class_init (CertreqHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = certreq_http_finalize;
}

static void
certreq_http_init (CertreqHttp *self)
{
}

/**
 * certreq_http_new:
 * @options: (nullable): copied
 *
 * Creates a client. libcurl is loaded by the first request, not here.
 *
 * Returns: (transfer full): the client
 */
CertreqHttp *
certreq_http_new (const CertreqHttpOptions *options)
{
  CertreqHttp *self = g_object_new (CERTREQ_TYPE_HTTP, NULL);
  const char *value = g_getenv ("CERTWIZ_HTTP_TIMEOUT");

  self->options = certreq_http_options_copy (options);

  /* CERTWIZ_HTTP_TIMEOUT (seconds, 1 to 600) replaces the default whole-transfer
   * timeout: longer for a slow CA behind a slow link, shorter for the tests' silent
   * peers. A timeout the caller chose stays. */
  if (self->options->total_timeout_ms == 0 && value != NULL && *value != '\0')
    {
      guint64 seconds;

      if (g_ascii_string_to_unsigned (value, 10, 1, 600, &seconds, NULL))
        self->options->total_timeout_ms = (guint) seconds * 1000;
      else
        g_warning ("CERTWIZ_HTTP_TIMEOUT=%s is not a number of seconds from 1 to 600", value);
    }

  return self;
}

/* One transfer's state, shared with libcurl's callbacks */
typedef struct
{
  CertreqHttp  *self;
  GCancellable *cancellable;
  GByteArray   *body;
  GHashTable   *headers;
  GPtrArray    *links;
  gboolean      too_large;
} Transfer;

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  Transfer *transfer = user_data;
  size_t length = size * nmemb;

  if (transfer->body->len + length > MAX_BODY_BYTES)
    {
      transfer->too_large = TRUE;
      return 0;
    }

  g_byte_array_append (transfer->body, (const guint8 *) data, length);
  return length;
}

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  Transfer *transfer = user_data;
  size_t length = size * nmemb;
  g_autofree char *line = g_strndup (data, length);
  char *colon;

  g_strstrip (line);

  /* A new status line starts a new response (a redirect, a 100 Continue, an
   * authentication round): only the last response's headers count */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      g_hash_table_remove_all (transfer->headers);
      g_ptr_array_set_size (transfer->links, 0);
      return length;
    }

  colon = strchr (line, ':');
  if (colon == NULL || colon == line)
    return length;

  *colon = '\0';
  {
    g_autofree char *name = g_ascii_strdown (g_strstrip (line), -1);
    char *value = g_strstrip (colon + 1);

    if (strcmp (name, "link") == 0)
      g_ptr_array_add (transfer->links, g_strdup (value));
    g_hash_table_replace (transfer->headers, g_steal_pointer (&name), g_strdup (value));
  }

  return length;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Transfer *transfer = user_data;

  return g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  CertreqHttp *self = user_data;

  /* Thread-safe: it only writes to the multi handle's wake-up pipe */
  curl_api.multi_wakeup (self->multi);
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup (url);

  return g_strdup (g_uri_get_host (uri));
}

static gboolean
environment_names_proxy (void)
{
  static const char * const vars[] = {
    "https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY", NULL
  };
  guint i;

  for (i = 0; vars[i] != NULL; i++)
    {
      const char *value = g_getenv (vars[i]);

      if (value != NULL && *value != '\0')
        return TRUE;
    }

  return FALSE;
}

/* GIO's proxy resolver (GNOME's proxy settings, libproxy) for @url, when the
 * environment names no proxy. Returns: (nullable): the proxy URI to use */
static const char *
lookup_proxy (CertreqHttp  *self,
              const char   *url,
              GCancellable *cancellable)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *key = NULL;
  g_auto(GStrv) proxies = NULL;
  GProxyResolver *resolver;

  if (uri == NULL)
    return NULL;

  key = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri),
                         g_uri_get_host (uri), g_uri_get_port (uri));
  if (g_strcmp0 (key, self->proxy_host) == 0)
    return self->proxy_uri;

  g_free (self->proxy_host);
  self->proxy_host = g_steal_pointer (&key);
  g_clear_pointer (&self->proxy_uri, g_free);

  resolver = g_proxy_resolver_get_default ();
  if (resolver == NULL || !g_proxy_resolver_is_supported (resolver))
    return NULL;

  proxies = g_proxy_resolver_lookup (resolver, url, cancellable, NULL);
  if (proxies != NULL && proxies[0] != NULL && !g_str_has_prefix (proxies[0], "direct://"))
    self->proxy_uri = g_strdup (proxies[0]);

  return self->proxy_uri;
}

/* The extra trust: the bundle given as a blob. libcurl (OpenSSL back end) ignores its
 * built-in CA file when a blob is set but keeps its CA directory, which Debian's
 * libcurl sets to /etc/ssl/certs — the same system trust, looked up per certificate.
 * A libcurl without a CA directory gets the system file prepended to the blob. */
static gboolean
prepare_trust (CertreqHttp  *self,
               const char   *host,
               GError      **error)
{
  g_autofree char *bundle = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  char *path = NULL;
  char *file = NULL;

  if (self->ca_blob != NULL || self->options->trust_bundle == NULL)
    return TRUE;

  if (!g_file_get_contents (self->options->trust_bundle, &bundle, &length, &local_error))
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a file name, %2$s a host name, %3$s the reason */
                   _("The trust bundle %1$s for %2$s cannot be read: %3$s"),
                   self->options->trust_bundle, host, local_error->message);
      return FALSE;
    }

  if (curl_api.easy_getinfo (self->easy, CURLINFO_CAPATH, &path) == CURLE_OK && path != NULL)
    {
      self->ca_path = g_strdup (path);
      self->ca_blob = g_bytes_new_take (g_steal_pointer (&bundle), length);
      return TRUE;
    }

  if (curl_api.easy_getinfo (self->easy, CURLINFO_CAINFO, &file) == CURLE_OK && file != NULL)
    {
      g_autofree char *system = NULL;
      gsize system_length = 0;

      if (g_file_get_contents (file, &system, &system_length, NULL))
        {
          g_autofree char *joined = g_strconcat (system, "\n", bundle, NULL);

          length = strlen (joined);
          self->ca_blob = g_bytes_new_take (g_steal_pointer (&joined), length);
          return TRUE;
        }
    }

  self->ca_blob = g_bytes_new_take (g_steal_pointer (&bundle), length);
  return TRUE;
}

/* A translated sentence for a failed transfer */
static void
set_curl_error (CertreqHttp  *self,
                GError      **error,
                CURLcode      code,
                const char   *host,
                gboolean      https,
                const char   *errbuf)
{
  const char *reason = (errbuf != NULL && *errbuf != '\0') ? errbuf
                                                             : curl_api.easy_strerror (code);
  curl_off_t app_connect = 0;
  /* Whole seconds, rounded up: a 400 ms timeout reads "within 1 second" */
  guint connect_s = ((self->options->connect_timeout_ms ? self->options->connect_timeout_ms
                                                         : DEFAULT_CONNECT_MS) + 999) / 1000;
  guint total_s = ((self->options->total_timeout_ms ? self->options->total_timeout_ms
                                                     : DEFAULT_TOTAL_MS) + 999) / 1000;

  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %s is a host name */
                   _("The host name %s cannot be resolved. Check the CA’s address and "
                     "the machine’s DNS settings."), host);
      break;
    case CURLE_COULDNT_RESOLVE_PROXY:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s libcurl's reason (English) */
                   _("The proxy server configured for %1$s cannot be resolved (%2$s). "
                     "Check the proxy settings."), host, reason);
      break;
    case CURLE_COULDNT_CONNECT:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s libcurl's reason (English) */
                   _("Certwiz could not connect to %1$s (%2$s). Check that the CA’s "
                     "server is running and that a firewall lets the connection through."),
                   host, reason);
      break;
    case CURLE_OPERATION_TIMEDOUT:
      /* Still connecting: TCP, or for https the TLS handshake, never completed. A
       * reused connection has no connect time of its own, but its transfer started. */
      curl_api.easy_getinfo (self->easy, https ? CURLINFO_APPCONNECT_TIME_T
                                               : CURLINFO_CONNECT_TIME_T, &app_connect);
      if (app_connect == 0)
        curl_api.easy_getinfo (self->easy, CURLINFO_PRETRANSFER_TIME_T, &app_connect);
      if (app_connect == 0)
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                     /* Translators: %1$s is a host name, %2$u seconds */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "Certwiz could not establish a connection to %1$s "
                                  "within %2$u second. Check the address, the network "
                                  "and the proxy settings.",
                                  "Certwiz could not establish a connection to %1$s "
                                  "within %2$u seconds. Check the address, the network "
                                  "and the proxy settings.", connect_s),
                     host, connect_s);
      else
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                     /* Translators: %1$s is a host name, %2$u seconds */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The server %1$s did not finish its answer within "
                                  "%2$u second. Try again later.",
                                  "The server %1$s did not finish its answer within "
                                  "%2$u seconds. Try again later.", total_s),
                     host, total_s);
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s OpenSSL's reason (English) */
                   _("The TLS certificate of %1$s is not trusted (%2$s). If the CA uses a "
                     "private root, give its certificate as the trust bundle."),
                   host, reason);
      break;
    case CURLE_SSL_CONNECT_ERROR:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s the TLS library's reason */
                   _("The secure connection (TLS) to %1$s failed (%2$s). Check that the "
                     "address is an https server and, for client certificates, the "
                     "certificate and key."),
                   host, reason);
      break;
    case CURLE_SSL_CACERT_BADFILE:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s the reason (English) */
                   _("The trust bundle for %1$s is not a usable PEM file of CA "
                     "certificates (%2$s)."), host, reason);
      break;
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ENGINE_INITFAILED:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s the reason (English) */
                   _("The TLS client certificate or its key for %1$s cannot be used "
                     "(%2$s). Check both files."), host, reason);
      break;
    case CURLE_TOO_MANY_REDIRECTS:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %s is a host name */
                   _("The server %s redirected the request too many times. Check the "
                     "CA’s address."), host);
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s the reason (English) */
                   _("The address of %1$s uses a protocol Certwiz does not speak, or "
                     "redirected from https to plain http (%2$s)."), host, reason);
      break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s libcurl's reason (English) */
                   _("The connection to %1$s broke off before the answer was complete "
                     "(%2$s). Try again later."), host, reason);
      break;
    case CURLE_WRITE_ERROR:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %s is a host name */
                   _("The answer of %s is larger than 16 MiB, far more than any CA "
                     "sends. Check the CA’s address."), host);
      break;
    default:
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                   /* Translators: %1$s is a host name, %2$s libcurl's reason (English) */
                   _("Certwiz could not talk to %1$s: %2$s."), host, reason);
      break;
    }
}

static gboolean
configure (CertreqHttp        *self,
           Transfer           *transfer,
           const char         *method,
           const char         *url,
           GBytes             *body,
           struct curl_slist  *headers,
           char               *errbuf,
           GCancellable       *cancellable,
           const char         *host,
           GError            **error)
{
  CertreqHttpOptions *options = self->options;
  CURL *easy = self->easy;
  gboolean https = g_ascii_strncasecmp (url, "https:", 6) == 0;

#define SET(option, value)                                           \
  G_STMT_START {                                                     \
    CURLcode set_code = curl_api.easy_setopt (easy, option, value);  \
    if (set_code != CURLE_OK)                                        \
      {                                                              \
        set_curl_error (self, error, set_code, host, https, NULL);          \
        return FALSE;                                                \
      }                                                              \
  } G_STMT_END

  curl_api.easy_reset (easy);
  SET (CURLOPT_URL, url);
  SET (CURLOPT_ERRORBUFFER, errbuf);
  SET (CURLOPT_NOSIGNAL, 1L);
  SET (CURLOPT_PROTOCOLS_STR, "http,https");
  /* Never from https down to http: credentials and the exchange stay encrypted */
  SET (CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
  SET (CURLOPT_FOLLOWLOCATION, 1L);
  SET (CURLOPT_MAXREDIRS, MAX_REDIRECTS);
  SET (CURLOPT_USERAGENT, "Certwiz/" PACKAGE_VERSION);
  SET (CURLOPT_CONNECTTIMEOUT_MS,
       (long) (options->connect_timeout_ms ? options->connect_timeout_ms : DEFAULT_CONNECT_MS));
  SET (CURLOPT_TIMEOUT_MS,
       (long) (options->total_timeout_ms ? options->total_timeout_ms : DEFAULT_TOTAL_MS));
  SET (CURLOPT_WRITEFUNCTION, write_cb);
  SET (CURLOPT_WRITEDATA, transfer);
  SET (CURLOPT_HEADERFUNCTION, header_cb);
  SET (CURLOPT_HEADERDATA, transfer);
  SET (CURLOPT_NOPROGRESS, 0L);
  SET (CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  SET (CURLOPT_XFERINFODATA, transfer);
  SET (CURLOPT_HTTPHEADER, headers);

  /* TLS is always verified; the defaults, stated so nobody wonders */
  SET (CURLOPT_SSL_VERIFYPEER, 1L);
  SET (CURLOPT_SSL_VERIFYHOST, 2L);
  if (!prepare_trust (self, host, error))
    return FALSE;
  if (self->ca_blob != NULL)
    {
      struct curl_blob blob;
      gsize length = 0;

      blob.data = (void *) g_bytes_get_data (self->ca_blob, &length);
      blob.len = length;
      blob.flags = CURL_BLOB_COPY;
      SET (CURLOPT_CAINFO_BLOB, &blob);
      if (self->ca_path != NULL)
        SET (CURLOPT_CAPATH, self->ca_path);
    }

  /* The environment's proxies are libcurl's own job; else GIO's resolver */
  if (!environment_names_proxy ())
    {
      const char *proxy = lookup_proxy (self, url, cancellable);

      if (proxy != NULL)
        SET (CURLOPT_PROXY, proxy);
    }

  switch (options->auth)
    {
    case CERTREQ_HTTP_AUTH_NONE:
      break;
    case CERTREQ_HTTP_AUTH_BASIC:
      if (!https)
        {
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NETWORK,
                       /* Translators: %s is a host name */
                       _("Certwiz does not send a password to %s over unencrypted HTTP. "
                         "Use the CA’s https:// address."), host);
          return FALSE;
        }
      SET (CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
      SET (CURLOPT_USERNAME, options->username != NULL ? options->username : "");
      SET (CURLOPT_PASSWORD, options->password != NULL ? options->password : "");
      break;
    case CERTREQ_HTTP_AUTH_NTLM:
      /* NTLM is bound to the connection and IIS refuses it over HTTP/2 */
      SET (CURLOPT_HTTPAUTH, (long) CURLAUTH_NTLM);
      SET (CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
      SET (CURLOPT_USERNAME, options->username != NULL ? options->username : "");
      SET (CURLOPT_PASSWORD, options->password != NULL ? options->password : "");
      break;
    case CERTREQ_HTTP_AUTH_NEGOTIATE:
      /* libcurl starts HTTP authentication only with a user name set: ":" means
       * "from the Kerberos credential cache" */
      SET (CURLOPT_HTTPAUTH, (long) CURLAUTH_NEGOTIATE);
      SET (CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
      SET (CURLOPT_USERPWD, ":");
      break;
    case CERTREQ_HTTP_AUTH_CERT:
      SET (CURLOPT_SSLCERTTYPE, "PEM");
      SET (CURLOPT_SSLCERT, options->client_cert);
      SET (CURLOPT_SSLKEY, options->client_key);
      break;
    default:
      g_assert_not_reached ();
    }

  if (g_ascii_strcasecmp (method, "HEAD") == 0)
    SET (CURLOPT_NOBODY, 1L);
  else if (g_ascii_strcasecmp (method, "POST") == 0)
    {
      gsize length = 0;
      const void *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

      SET (CURLOPT_POST, 1L);
      SET (CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
      SET (CURLOPT_POSTFIELDS, data != NULL ? data : "");
    }
  else if (g_ascii_strcasecmp (method, "GET") == 0)
    SET (CURLOPT_HTTPGET, 1L);
  else
    SET (CURLOPT_CUSTOMREQUEST, method);

#undef SET
  return TRUE;
}

static void
free_slist (struct curl_slist *list)
{
  if (list != NULL)
    curl_api.slist_free_all (list);
}

/**
 * certreq_http_request:
 *
 * See certreq-http.h.
 */
CertreqHttpResponse *
certreq_http_request (CertreqHttp         *self,
                      const char          *method,
                      const char          *url,
                      const char          *content_type,
                      GBytes              *body,
                      const char * const  *extra_headers,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GByteArray) body_bytes = NULL;
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GPtrArray) links = NULL;
  struct curl_slist *list = NULL;
  char errbuf[CURL_ERROR_SIZE] = "";
  CertreqHttpResponse *response;
  Transfer transfer = { 0 };
  gulong handler = 0;
  CURLcode result = CURLE_OK;
  gboolean done = FALSE;
  gboolean ok;
  long status = 0;
  char *effective = NULL;
  guint i;

  g_return_val_if_fail (CERTREQ_IS_HTTP (self), NULL);
  g_return_val_if_fail (method != NULL && url != NULL, NULL);

  host = host_of (url);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (get_curl (host, error) == NULL)
    return NULL;

  if (self->multi == NULL)
    {
      self->multi = curl_api.multi_init ();
      self->easy = curl_api.easy_init ();
      if (self->multi == NULL || self->easy == NULL)
        {
          set_curl_error (self, error, CURLE_OUT_OF_MEMORY, host, FALSE, NULL);
          return NULL;
        }
    }

  body_bytes = g_byte_array_new ();
  headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  links = g_ptr_array_new_with_free_func (g_free);
  transfer.self = self;
  transfer.cancellable = cancellable;
  transfer.body = body_bytes;
  transfer.headers = headers;
  transfer.links = links;

  /* No "Expect: 100-continue" round trip before a POST body */
  list = curl_api.slist_append (list, "Expect:");
  if (content_type != NULL)
    {
      g_autofree char *line = g_strdup_printf ("Content-Type: %s", content_type);

      list = curl_api.slist_append (list, line);
    }
  for (i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++)
    list = curl_api.slist_append (list, extra_headers[i]);

  ok = configure (self, &transfer, method, url, body, list, errbuf, cancellable, host, error);
  if (!ok)
    {
      free_slist (list);
      return NULL;
    }

  curl_api.multi_add_handle (self->multi, self->easy);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  while (!done)
    {
      int running = 0;
      CURLMcode mcode = curl_api.multi_perform (self->multi, &running);

      if (mcode != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
      if (running == 0)
        {
          CURLMsg *msg;
          int left = 0;

          while ((msg = curl_api.multi_info_read (self->multi, &left)) != NULL)
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == self->easy)
              result = msg->data.result;
          done = TRUE;
          break;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          result = CURLE_ABORTED_BY_CALLBACK;
          break;
        }
      curl_api.multi_poll (self->multi, NULL, 0, POLL_MS, NULL);
      if (g_cancellable_is_cancelled (cancellable))
        {
          result = CURLE_ABORTED_BY_CALLBACK;
          break;
        }
    }

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  curl_api.easy_getinfo (self->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_api.easy_getinfo (self->easy, CURLINFO_EFFECTIVE_URL, &effective);
  effective = g_strdup (effective != NULL ? effective : url);
  curl_api.multi_remove_handle (self->multi, self->easy);
  free_slist (list);

  if (result == CURLE_ABORTED_BY_CALLBACK && g_cancellable_is_cancelled (cancellable))
    {
      g_free (effective);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  if (result != CURLE_OK)
    {
      g_free (effective);
      set_curl_error (self, error, transfer.too_large ? CURLE_WRITE_ERROR : result,
                      host, g_ascii_strncasecmp (url, "https:", 6) == 0, errbuf);
      return NULL;
    }

  response = g_new0 (CertreqHttpResponse, 1);
  response->status = (guint) status;
  response->headers = g_steal_pointer (&headers);
  response->links = g_steal_pointer (&links);
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&body_bytes));
  response->effective_url = effective;
  return response;
}
