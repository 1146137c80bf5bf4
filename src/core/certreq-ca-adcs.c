/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include "certreq-private.h"
#include "certreq-ca-adcs.h"
#include "certreq-http.h"
#include "certreq-request.h"

/* AD CS Web Enrollment (protocols.md §2). The result pages are HTML made for browsers
 * and translated on localised servers, so they are read by what does not change with
 * the language: the certnew.cer?ReqID= links, the element ids of Microsoft's pages
 * (locInfoReqID, locDenied, locIssRev, locDispMsgLabel, …) and the hexadecimal error
 * codes. English sentences are only a last fallback for pages without those ids. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS7, PKCS7_free)

/* The certsrv pages render per browser family; a browser's name gets the download
 * links and the right Content-Type (protocols.md §2.2) */
#define ADCS_USER_AGENT "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Certwiz"

struct _CertreqCaAdcs
{
  CertreqCaClient  parent_instance;

  CertreqCaConfig *config;   /* our own copy of the fields we use */
  char            *base_url; /* ends with '/' */
  char            *host;
};

G_DEFINE_FINAL_TYPE (CertreqCaAdcs, certreq_ca_adcs, CERTREQ_TYPE_CA_CLIENT)

/* ---- Configuration ---- */

static CertreqCaConfig *
config_dup (const CertreqCaConfig *config)
{
  CertreqCaConfig *copy = g_new0 (CertreqCaConfig, 1);

  copy->name = g_strdup (config->name);
  copy->protocol = config->protocol;
  copy->url = g_strdup (config->url);
  copy->trust_bundle = g_strdup (config->trust_bundle);
  copy->template_name = g_strdup (config->template_name);
  copy->auth = config->auth;
  copy->username = g_strdup (config->username);
  copy->password_file = g_strdup (config->password_file);
  copy->client_cert = g_strdup (config->client_cert);
  copy->client_key = g_strdup (config->client_key);
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
  g_free (config->template_name);
  g_free (config->username);
  g_free (config->password_file);
  g_free (config->client_cert);
  g_free (config->client_key);
  g_free (config);
}

#ifndef CERTREQ_HAVE_CA_CONFIG
/* Until certreq-ca-config.c (the Secret Service and root-only files) is built in:
 * the password file alone, its first line */
static char *
read_password_file (const CertreqCaConfig  *config,
                    GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (config->password_file == NULL)
    {
      g_set_error_literal (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND, "");
      return NULL;
    }
  if (!g_file_get_contents (config->password_file, &contents, &length, &local_error))
    {
      /* Translators: %1$s is a file name, %2$s the reason */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_STORE,
                   _("The password file %1$s cannot be read: %2$s"),
                   config->password_file, local_error->message);
      return NULL;
    }
  contents[strcspn (contents, "\r\n")] = '\0';
  return contents;
}
#endif

/* The account page's password, else the configured secret. Returns: (transfer full) */
static char *
get_password (CertreqCaAdcs  *self,
              GError        **error)
{
  const char *typed = certreq_ca_client_get_password (CERTREQ_CA_CLIENT (self));
  g_autoptr(GError) local_error = NULL;
  char *secret;

  if (typed != NULL && *typed != '\0')
    return g_strdup (typed);

#ifdef CERTREQ_HAVE_CA_CONFIG
  secret = certreq_ca_config_get_secret (self->config, CERTREQ_CA_SECRET_PASSWORD,
                                         &local_error);
#else
  secret = read_password_file (self->config, &local_error);
#endif
  if (secret != NULL)
    return secret;

  if (g_error_matches (local_error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND))
    /* Translators: %s is the name of a configured certification authority */
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                 _("No password is known for the certification authority “%s”: enter it "
                   "on the account page, or configure a password file for it."),
                 self->config->name);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* The detail of the authenticating stage */
static const char *
auth_detail (CertreqHttpAuth auth)
{
  switch (auth)
    {
    case CERTREQ_HTTP_AUTH_BASIC:
      return _("Signing in with user name and password (Basic)");
    case CERTREQ_HTTP_AUTH_NTLM:
      return _("Signing in with NTLM");
    case CERTREQ_HTTP_AUTH_NEGOTIATE:
      return _("Signing in with Kerberos");
    case CERTREQ_HTTP_AUTH_CERT:
      return _("Presenting the client certificate");
    case CERTREQ_HTTP_AUTH_NONE:
    default:
      return NULL;
    }
}

static CertreqHttp *
open_http (CertreqCaAdcs  *self,
           GError        **error)
{
  CertreqCaClient *client = CERTREQ_CA_CLIENT (self);
  g_autoptr(CertreqHttpOptions) options = certreq_http_options_new ();
  const char *username;

  /* Basic sends the password as it is: only inside TLS */
  if (self->config->auth == CERTREQ_HTTP_AUTH_BASIC &&
      !g_str_has_prefix (self->base_url, "https:"))
    {
      /* Translators: %s is a URL */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("Basic authentication would send the password unencrypted to %s. "
                     "Use an https:// URL for the certification authority."),
                   self->base_url);
      return NULL;
    }

  options->trust_bundle = g_strdup (self->config->trust_bundle);
  options->auth = self->config->auth;

  switch (self->config->auth)
    {
    case CERTREQ_HTTP_AUTH_BASIC:
    case CERTREQ_HTTP_AUTH_NTLM:
      username = certreq_ca_client_get_username (client);
      if (username == NULL || *username == '\0')
        username = self->config->username;
      if (username == NULL || *username == '\0')
        {
          /* Translators: %s is the name of a configured certification authority */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                       _("No user name is known for the certification authority “%s”: "
                         "enter it on the account page or in the CA’s settings."),
                       self->config->name);
          return NULL;
        }
      options->username = g_strdup (username);
      options->password = get_password (self, error);
      if (options->password == NULL)
        return NULL;
      break;

    case CERTREQ_HTTP_AUTH_CERT:
      options->client_cert = g_strdup (self->config->client_cert);
      options->client_key = g_strdup (self->config->client_key);
      break;

    case CERTREQ_HTTP_AUTH_NEGOTIATE:   /* the Kerberos credential cache */
    case CERTREQ_HTTP_AUTH_NONE:
    default:
      break;
    }

  return certreq_http_new (options);
}

/* ---- HTTP ---- */

static char *
page_url (CertreqCaAdcs *self,
          const char    *page)
{
  return g_strconcat (self->base_url, page, NULL);
}

/* A 401 or 403 in words, for the authentication in use */
static void
set_refused_error (CertreqCaAdcs  *self,
                   guint           status,
                   GError        **error)
{
  const char *host = self->host;

  if (status == 403)
    {
      /* Translators: %s is a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                   _("The certification authority at %s refused access to its enrollment "
                     "pages for this account (HTTP 403). Ask its administrator for "
                     "enrollment rights."), host);
      return;
    }

  switch (self->config->auth)
    {
    case CERTREQ_HTTP_AUTH_BASIC:
    case CERTREQ_HTTP_AUTH_NTLM:
      /* Translators: %s is a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                   _("The certification authority at %s refused the user name or "
                     "password. Check both on the account page (a domain account is "
                     "written DOMAIN\\user or user@domain)."), host);
      break;
    case CERTREQ_HTTP_AUTH_NEGOTIATE:
      /* Translators: %s is a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                   _("The certification authority at %s did not accept Kerberos "
                     "authentication. Get a ticket first (kinit), and use the host name "
                     "the CA’s HTTP service principal is registered for in the URL."),
                   host);
      break;
    case CERTREQ_HTTP_AUTH_CERT:
      /* Translators: %s is a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                   _("The certification authority at %s did not accept the client "
                     "certificate. Check that it is valid and mapped to an account on "
                     "the CA’s web server."), host);
      break;
    case CERTREQ_HTTP_AUTH_NONE:
    default:
      /* Translators: %s is a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                   _("The certification authority at %s requires authentication. Choose "
                     "an authentication method for it (Basic, NTLM, Kerberos or a client "
                     "certificate)."), host);
      break;
    }
}

/* One request; anything but 200 is an error in words */
static CertreqHttpResponse *
adcs_request (CertreqCaAdcs  *self,
              CertreqHttp    *http,
              const char     *method,
              const char     *url,
              GBytes         *form,
              GCancellable   *cancellable,
              GError        **error)
{
  const char *headers[] = { ADCS_USER_AGENT, NULL };
  g_autoptr(CertreqHttpResponse) response = NULL;

  response = certreq_http_request (http, method, url,
                                   form != NULL ? "application/x-www-form-urlencoded" : NULL,
                                   form, headers, cancellable, error);
  if (response == NULL)
    return NULL;

  if (response->status == 401 || response->status == 403)
    {
      set_refused_error (self, response->status, error);
      return NULL;
    }
  if (response->status == 404)
    {
      /* Translators: %1$s is a URL, %2$s a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   _("The page %1$s does not exist (HTTP 404). Check that the URL of the "
                     "certification authority at %2$s points to its /certsrv/ pages."),
                   url, self->host);
      return NULL;
    }
  if (response->status != 200)
    {
      /* Translators: %1$s is a host name, %2$u an HTTP status code */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   _("The certification authority at %1$s answered with HTTP status %2$u. "
                     "Its web server’s log tells why."), self->host, response->status);
      return NULL;
    }

  return g_steal_pointer (&response);
}

/* ---- Reading the pages ---- */

typedef enum
{
  PAGE_UNKNOWN,
  PAGE_ISSUED,
  PAGE_PENDING,
  PAGE_DENIED,
  PAGE_ERROR,
} PageKind;

typedef struct
{
  PageKind  kind;
  char     *request_id;
  char     *message;   /* the CA's disposition message or result, tags removed */
  char     *code;      /* "0x80094012", or NULL */
} Page;

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->request_id, g_free);
  g_clear_pointer (&page->message, g_free);
  g_clear_pointer (&page->code, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Page, page_clear)

static char *
regex_first (const char *pattern,
             const char *text,
             int         group)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern,
                                         G_REGEX_CASELESS | G_REGEX_DOTALL | G_REGEX_RAW,
                                         0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert (regex != NULL);
  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, group);
}

static gboolean
has_element_id (const char *html,
                const char *id)
{
  g_autofree char *pattern = g_strdup_printf ("<[a-z]+[^>]*\\bid\\s*=\\s*[\"']?%s\\b", id);
  g_autofree char *found = regex_first (pattern, html, 0);

  return found != NULL;
}

/* Text without tags, entities decoded, white space collapsed */
static char *
html_to_text (const char *html)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = html;
  gboolean space = FALSE;

  while (*p != '\0')
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');

          if (end == NULL)
            break;
          p = end + 1;
          space = TRUE;
          continue;
        }
      if (g_ascii_isspace (*p))
        {
          space = TRUE;
          p++;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;

      if (*p == '&')
        {
          static const struct { const char *name; const char *text; } entities[] = {
            { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
            { "&#39;", "'" }, { "&#x27;", "'" }, { "&nbsp;", " " },
          };
          gboolean done = FALSE;
          guint i;

          for (i = 0; i < G_N_ELEMENTS (entities) && !done; i++)
            if (g_ascii_strncasecmp (p, entities[i].name, strlen (entities[i].name)) == 0)
              {
                g_string_append (out, entities[i].text);
                p += strlen (entities[i].name);
                done = TRUE;
              }
          if (done)
            continue;
        }
      g_string_append_c (out, *p);
      p++;
    }

  /* A page in a legacy code page would not be UTF-8: keep it printable */
  if (!g_utf8_validate (out->str, -1, NULL))
    return g_utf8_make_valid (out->str, -1);
  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

/* The text of the element carrying id=@id (up to its closing tag) */
static char *
element_text (const char *html,
              const char *id)
{
  g_autofree char *pattern = g_strdup_printf (
    "<([a-z]+)[^>]*\\bid\\s*=\\s*[\"']?%s\\b[^>]*>(.*?)</\\1\\s*>", id);
  g_autofree char *inner = regex_first (pattern, html, 2);

  return inner != NULL ? html_to_text (inner) : NULL;
}

/* certrser.asp's definition lists: <DT ID=locXLabel>…</DT><DD>value</DD> */
static char *
definition_text (const char *html,
                 const char *label_id,
                 gboolean   *out_none)
{
  g_autofree char *pattern = g_strdup_printf (
    "\\bid\\s*=\\s*[\"']?%s\\b.*?<dd[^>]*>(.*?)(</dd|<dt)", label_id);
  g_autofree char *inner = regex_first (pattern, html, 1);

  *out_none = FALSE;
  if (inner == NULL)
    return NULL;
  /* "(none)" and "(never set)" are translated LocIDs of their own */
  if (has_element_id (inner, "locDispMsgNone") || has_element_id (inner, "locLastStatNeverSet"))
    {
      *out_none = TRUE;
      return NULL;
    }
  return html_to_text (inner);
}

/* "… „message“." → "message"; the quotes differ per language */
static char *
unquote (const char *text)
{
  static const char *openers[] = { "\"", "\xe2\x80\x9e", "\xe2\x80\x9c", "\xc2\xab", NULL };
  static const char *closers[] = { "\"", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xc2\xbb", NULL };
  const char *start = NULL;
  const char *end = NULL;
  gsize start_len = 0;
  guint i;

  for (i = 0; openers[i] != NULL; i++)
    {
      const char *found = strstr (text, openers[i]);

      if (found != NULL && (start == NULL || found < start))
        {
          start = found;
          start_len = strlen (openers[i]);
        }
    }
  if (start != NULL)
    for (i = 0; closers[i] != NULL; i++)
      {
        const char *found = g_strrstr (start + start_len, closers[i]);

        if (found != NULL && (end == NULL || found > end))
          end = found;
      }

  if (start == NULL || end == NULL || end <= start + start_len)
    return g_strdup (text);
  return g_strstrip (g_strndup (start + start_len, end - (start + start_len)));
}

static char *
find_code (const char *text)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  if (text == NULL)
    return NULL;
  regex = g_regex_new ("\\b0x([0-9a-f]{5,8})\\b", G_REGEX_CASELESS, 0, NULL);
  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  {
    g_autofree char *digits = g_match_info_fetch (match, 1);
    g_autofree char *lower = g_ascii_strdown (digits, -1);

    return g_strconcat ("0x", lower, NULL);
  }
}

/* The message and code of a denial or an error page */
static void
read_disposition (const char *html,
                  Page       *page)
{
  g_autofree char *disposition = NULL;
  g_autofree char *result = NULL;
  g_autofree char *last_status = NULL;
  gboolean none;

  /* certrsdn.asp: the quoted disposition message */
  disposition = element_text (html, "locDispMsg");
  if (disposition != NULL)
    {
      char *inner = unquote (disposition);

      g_free (disposition);
      disposition = inner;
    }
  /* certrser.asp: Disposition message / Result / LastStatus */
  if (disposition == NULL)
    disposition = definition_text (html, "locDispMsgLabel", &none);
  result = definition_text (html, "locResultLabel", &none);
  last_status = definition_text (html, "locLastStatLabel", &none);
  /* Pages without the ids (older or customised): the English sentence */
  if (disposition == NULL && result == NULL)
    disposition = regex_first ("The disposition message is \"([^\"]+)", html, 1);

  page->code = find_code (disposition);
  if (page->code == NULL)
    page->code = find_code (result);
  if (page->code == NULL)
    page->code = find_code (last_status);

  if (disposition != NULL && *disposition != '\0')
    page->message = g_steal_pointer (&disposition);
  else if (result != NULL && *result != '\0')
    page->message = g_steal_pointer (&result);
  else if (last_status != NULL && *last_status != '\0')
    page->message = g_steal_pointer (&last_status);
}

/* certfnsh.asp's answer, by disposition: certrsis (issued), certrspn (pending),
 * certrsdn (denied), certrser (error); protocols.md §2.3 */
static void
parse_result_page (const char *html,
                   Page       *page)
{
  g_autofree char *req_id = NULL;

  req_id = regex_first ("certnew\\.cer\\?ReqID=([0-9]+)&", html, 1);
  if (req_id != NULL)
    {
      page->kind = PAGE_ISSUED;
      page->request_id = g_steal_pointer (&req_id);
      return;
    }

  if (has_element_id (html, "locDenied") || has_element_id (html, "locIssRev"))
    {
      g_autofree char *id_text = element_text (html, "locInfoReqID");

      page->kind = PAGE_DENIED;
      if (id_text != NULL)
        page->request_id = regex_first ("([0-9]+)", id_text, 1);
      read_disposition (html, page);
      return;
    }

  if (has_element_id (html, "locInfoReqID") || has_element_id (html, "locInfoNewReq") ||
      has_element_id (html, "locInfoChkPnd"))
    {
      g_autofree char *id_text = element_text (html, "locInfoReqID");

      page->kind = PAGE_PENDING;
      if (id_text != NULL)
        page->request_id = regex_first ("([0-9]+)", id_text, 1);
      return;
    }

  if (has_element_id (html, "locReqFailed") || has_element_id (html, "locChkPndFailed") ||
      has_element_id (html, "locDispMsgLabel") || has_element_id (html, "locResultLabel"))
    {
      page->kind = PAGE_ERROR;
      read_disposition (html, page);
      return;
    }

  /* Pages without Microsoft's ids: the English wording existing clients match */
  req_id = regex_first ("Your Request Id is ([0-9]+)", html, 1);
  if (strstr (html, "Certificate Pending") != NULL)
    {
      page->kind = PAGE_PENDING;
      page->request_id = g_steal_pointer (&req_id);
      return;
    }
  if (strstr (html, "The disposition message is") != NULL)
    {
      page->kind = PAGE_DENIED;
      page->request_id = g_steal_pointer (&req_id);
      read_disposition (html, page);
      return;
    }

  page->kind = PAGE_UNKNOWN;
}

/* ---- Error codes in plain words ---- */

static const struct
{
  const char *code;
  const char *meaning;
} known_codes[] = {
  { "0x80094800", N_("the CA does not offer this certificate template") },
  { "0x80094801", N_("the request names no certificate template") },
  { "0x80094012", N_("the template’s permissions do not allow this account to enroll") },
  { "0x80094004", N_("the CA has no such request") },
  { "0x80094001", N_("the request’s subject name is invalid or too long") },
  { "0x8009310b", N_("the CA could not read the request") },
  { "0x80093005", N_("the CA could not read the request") },
  { "0x80070005", N_("access was denied") },
  { "0x800706ba", N_("the CA service is not running or cannot be reached from its web server") },
  { "0x80070057", N_("the CA rejected a parameter of the request") },
};

/* "message (error code 0x…: meaning)" */
static char *
describe_disposition (const Page *page)
{
  g_autofree char *message = NULL;
  const char *meaning = NULL;
  guint i;

  if (page->message != NULL)
    {
      g_autoptr(GString) text = g_string_new (page->message);

      /* "0x80094800 (-2146875392 CERTSRV_E_UNSUPPORTED_CERT_TYPE)" is said below */
      if (page->code != NULL)
        {
          g_autofree char *pattern = g_strdup_printf ("\\s*%s\\b(\\s*\\([^)]*\\))?",
                                                      page->code);
          g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
          g_autofree char *stripped = g_regex_replace_literal (regex, text->str, -1, 0, "",
                                                               0, NULL);

          g_string_assign (text, stripped);
        }
      message = g_strstrip (g_string_free (g_steal_pointer (&text), FALSE));
      /* "Denied by Policy Module," without its code */
      while (*message != '\0' && strchr (",.;: ", message[strlen (message) - 1]) != NULL)
        message[strlen (message) - 1] = '\0';
    }

  for (i = 0; page->code != NULL && i < G_N_ELEMENTS (known_codes); i++)
    if (g_ascii_strcasecmp (page->code, known_codes[i].code) == 0)
      meaning = _(known_codes[i].meaning);

  if (message == NULL || *message == '\0')
    {
      g_clear_pointer (&message, g_free);
      message = g_strdup (_("The CA gave no message"));
    }
  if (page->code != NULL && meaning != NULL)
    /* Translators: %1$s is the CA's own message, %2$s a hexadecimal error code
     * ("0x80094012"), %3$s what the code means ("the CA does not offer this
     * certificate template") */
    return g_strdup_printf (_("%1$s (error code %2$s: %3$s)"), message, page->code, meaning);
  if (page->code != NULL)
    /* Translators: %1$s is the CA's own message, %2$s a hexadecimal error code */
    return g_strdup_printf (_("%1$s (error code %2$s)"), message, page->code);
  return g_steal_pointer (&message);
}

/* ---- Certificates ---- */

static CertreqCertificate *
certificate_from_body (CertreqCaAdcs        *self,
                       CertreqHttpResponse  *response,
                       GError              **error)
{
  gsize length;
  const char *data = g_bytes_get_data (response->body, &length);
  const char *type = certreq_http_response_get_header (response, "content-type");
  g_autoptr(GPtrArray) certs = NULL;

  if (type != NULL && g_ascii_strncasecmp (type, "text/html", 9) == 0)
    return NULL;   /* a page: the caller reads it */

  certs = certreq_certificate_list_from_data (data, length, NULL);
  if (certs == NULL || certs->len == 0)
    {
      /* Translators: %s is a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   _("The certification authority at %s sent something that is not a "
                     "certificate."), self->host);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (certs, 0));
}

/* certnew.p7b: PEM (with any label, CRLF) or DER PKCS#7 certs-only (§2.4, §6.2) */
static GPtrArray *
certificates_from_p7b (GBytes *body)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  g_autoptr(BIO) bio = BIO_new_mem_buf (data, (int) length);
  g_autoptr(PKCS7) p7 = NULL;
  GPtrArray *certs;
  STACK_OF (X509) *stack;
  int i;

  ERR_clear_error ();
  if (length > 5 && memcmp (data, "-----", 5) == 0)
    p7 = PEM_read_bio_PKCS7 (bio, NULL, NULL, NULL);
  else
    p7 = d2i_PKCS7_bio (bio, NULL);
  ERR_clear_error ();
  if (p7 == NULL || !PKCS7_type_is_signed (p7) || p7->d.sign == NULL)
    return NULL;

  certs = g_ptr_array_new_with_free_func (g_object_unref);
  stack = p7->d.sign->cert;
  for (i = 0; stack != NULL && i < sk_X509_num (stack); i++)
    {
      X509 *x509 = sk_X509_value (stack, i);
      CertreqCertificate *cert;

      X509_up_ref (x509);
      cert = _certreq_certificate_new_take (x509);
      if (cert != NULL)   /* an unreadable one cannot be part of the chain */
        g_ptr_array_add (certs, cert);
    }
  return certs;
}

/* The issuers of @leaf among @certs, issuer first (the order in a p7b is not
 * guaranteed) */
static GPtrArray *
order_chain (CertreqCertificate *leaf,
             GPtrArray          *certs)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func (g_object_unref);
  CertreqCertificate *current = leaf;

  while (current != NULL && !certreq_certificate_is_self_issued (current) &&
         chain->len < certs->len)
    {
      CertreqCertificate *next = NULL;
      guint i;

      for (i = 0; i < certs->len && next == NULL; i++)
        {
          CertreqCertificate *candidate = g_ptr_array_index (certs, i);

          if (certreq_certificate_equal (candidate, current) ||
              certreq_certificate_equal (candidate, leaf))
            continue;
          if (X509_check_issued (_certreq_certificate_get_x509 (candidate),
                                 _certreq_certificate_get_x509 (current)) == X509_V_OK)
            next = candidate;
        }
      if (next != NULL)
        g_ptr_array_add (chain, g_object_ref (next));
      current = next;
    }
  return chain;
}

static gboolean
certificate_matches_csr (CertreqCertificate *cert,
                         GBytes             *csr_der)
{
  gsize length;
  const unsigned char *data = g_bytes_get_data (csr_der, &length);
  g_autoptr(X509_REQ) req = d2i_X509_REQ (NULL, &data, (long) length);
  EVP_PKEY *csr_key = req != NULL ? X509_REQ_get0_pubkey (req) : NULL;
  EVP_PKEY *cert_key = X509_get0_pubkey (_certreq_certificate_get_x509 (cert));

  ERR_clear_error ();
  return csr_key != NULL && cert_key != NULL && EVP_PKEY_eq (csr_key, cert_key) == 1;
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

static CertreqCertificate *
fetch_ca_certificate (CertreqCaAdcs  *self,
                      CertreqHttp    *http,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autofree char *url = NULL;
  g_autofree char *html = NULL;
  g_autofree char *renewals = NULL;

  /* Renewal 0 is the CA's first certificate; the current one is nRenewals (§2.1) */
  url = page_url (self, "certcarc.asp");
  response = adcs_request (self, http, "GET", url, NULL, cancellable, error);
  if (response == NULL)
    return NULL;
  html = certreq_http_response_dup_text (response);
  renewals = regex_first ("var\\s+nRenewals\\s*=\\s*([0-9]+)\\s*;", html, 1);
  g_clear_pointer (&response, certreq_http_response_free);

  g_free (url);
  url = g_strdup_printf ("%scertnew.cer?ReqID=CACert&Renewal=%s&Enc=b64", self->base_url,
                         renewals != NULL ? renewals : "0");
  response = adcs_request (self, http, "GET", url, NULL, cancellable, error);
  if (response == NULL)
    return NULL;
  cert = certificate_from_body (self, response, error);
  if (cert == NULL && error != NULL && *error == NULL)
    /* Translators: %s is a host name */
    g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                 _("The certification authority at %s did not send its CA certificate."),
                 self->host);
  return g_steal_pointer (&cert);
}

/* certnew.cer and certnew.p7b of an issued request */
static CertreqSubmitResult *
download_issued (CertreqCaAdcs        *self,
                 CertreqHttp          *http,
                 const char           *request_id,
                 GBytes               *csr_der,
                 CertreqProgressFunc   progress,
                 gpointer              progress_data,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(CertreqSubmitResult) result = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(GPtrArray) bundle = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *detail = NULL;

  /* Translators: %s is the CA's request id */
  detail = g_strdup_printf (_("Downloading the certificate of request %s"), request_id);
  report (progress, progress_data, CERTREQ_SUBMIT_STAGE_DOWNLOADING, detail, 0.8);

  url = g_strdup_printf ("%scertnew.cer?ReqID=%s&Enc=b64", self->base_url, request_id);
  response = adcs_request (self, http, "GET", url, NULL, cancellable, error);
  if (response == NULL)
    return NULL;
  cert = certificate_from_body (self, response, &local_error);
  if (cert == NULL)
    {
      if (local_error == NULL)
        /* Translators: %1$s is a host name, %2$s the CA's request id */
        g_set_error (&local_error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                     _("The certification authority at %1$s said request %2$s was issued "
                       "but sent a page instead of the certificate."),
                     self->host, request_id);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (csr_der != NULL && !certificate_matches_csr (cert, csr_der))
    {
      /* Translators: %1$s is a host name, %2$s the CA's request id */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   _("The certification authority at %1$s sent a certificate for request "
                     "%2$s that does not belong to this request’s key."),
                   self->host, request_id);
      return NULL;
    }
  g_clear_pointer (&response, certreq_http_response_free);

  g_free (url);
  url = g_strdup_printf ("%scertnew.p7b?ReqID=%s&Enc=b64", self->base_url, request_id);
  response = adcs_request (self, http, "GET", url, NULL, cancellable, error);
  if (response == NULL)
    return NULL;
  bundle = certificates_from_p7b (response->body);

  result = certreq_submit_result_new (CERTREQ_SUBMIT_ISSUED);
  result->request_id = g_strdup (request_id);
  if (bundle != NULL)
    result->chain = order_chain (cert, bundle);
  if (result->chain == NULL || result->chain->len == 0)
    {
      /* No usable chain: at least the issuing CA's current certificate */
      g_autoptr(CertreqCertificate) ca = fetch_ca_certificate (self, http, cancellable,
                                                               error);

      if (ca == NULL)
        return NULL;
      g_clear_pointer (&result->chain, g_ptr_array_unref);
      result->chain = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (result->chain, g_steal_pointer (&ca));
    }
  result->certificate = g_steal_pointer (&cert);
  return g_steal_pointer (&result);
}

/* Turns a result page into a result, downloading an issued certificate */
static CertreqSubmitResult *
handle_result_page (CertreqCaAdcs        *self,
                    CertreqHttp          *http,
                    const char           *html,
                    const char           *asked_id,
                    GBytes               *csr_der,
                    CertreqProgressFunc   progress,
                    gpointer              progress_data,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_auto(Page) page = { 0, };
  g_autoptr(CertreqSubmitResult) result = NULL;
  const char *request_id;

  parse_result_page (html, &page);
  request_id = page.request_id != NULL ? page.request_id : asked_id;

  switch (page.kind)
    {
    case PAGE_ISSUED:
      return download_issued (self, http, request_id, csr_der, progress, progress_data,
                              cancellable, error);

    case PAGE_PENDING:
      if (request_id == NULL)
        {
          /* Translators: %s is a host name */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                       _("The certification authority at %s holds the request for approval "
                         "but did not say its request id, so it cannot be retrieved later. "
                         "Ask the CA’s administrator for the id."), self->host);
          return NULL;
        }
      {
        /* Translators: %s is the CA's request id */
        g_autofree char *detail = g_strdup_printf (_("The CA holds request %s for "
                                                     "approval"), request_id);

        report (progress, progress_data, CERTREQ_SUBMIT_STAGE_WAITING, detail, 0.9);
      }
      result = certreq_submit_result_new (CERTREQ_SUBMIT_PENDING);
      result->request_id = g_strdup (request_id);
      return g_steal_pointer (&result);

    case PAGE_DENIED:
      result = certreq_submit_result_new (CERTREQ_SUBMIT_DENIED);
      result->request_id = g_strdup (request_id);
      result->reason = describe_disposition (&page);
      return g_steal_pointer (&result);

    case PAGE_ERROR:
      {
        g_autofree char *what = describe_disposition (&page);

        /* Translators: %1$s is a host name, %2$s the CA's message with its error code */
        g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_CA_REJECTED,
                     _("The certification authority at %1$s could not process the request: "
                       "%2$s."), self->host, what);
        return NULL;
      }

    case PAGE_UNKNOWN:
    default:
      /* Translators: %s is a host name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_PROTOCOL,
                   _("The certification authority at %s answered with a page that is not "
                     "an AD CS Web Enrollment result. Check that the URL points to the "
                     "CA’s /certsrv/ pages."), self->host);
      return NULL;
    }
}

/* ---- The exchange ---- */

static void
form_add (GString    *form,
          const char *name,
          const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", name, escaped);
}

/* Connect and prove who we are: GET /certsrv/ answers 401 on bad credentials */
static CertreqHttp *
connect_and_authenticate (CertreqCaAdcs        *self,
                          CertreqProgressFunc   progress,
                          gpointer              progress_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autofree char *detail = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  /* Translators: %s is a host name */
  detail = g_strdup_printf (_("Connecting to %s"), self->host);
  report (progress, progress_data, CERTREQ_SUBMIT_STAGE_CONNECTING, detail, 0.3);
  http = open_http (self, error);
  if (http == NULL)
    return NULL;

  report (progress, progress_data, CERTREQ_SUBMIT_STAGE_AUTHENTICATING,
          auth_detail (self->config->auth), 0.4);
  response = adcs_request (self, http, "GET", self->base_url, NULL, cancellable, error);
  if (response == NULL)
    return NULL;

  return g_steal_pointer (&http);
}

static CertreqSubmitResult *
certreq_ca_adcs_submit (CertreqCaClient      *client,
                        GBytes               *csr_der,
                        const char           *template_name,
                        CertreqProgressFunc   progress,
                        gpointer              progress_data,
                        GCancellable         *cancellable,
                        GError              **error)
{
  CertreqCaAdcs *self = CERTREQ_CA_ADCS (client);
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *attrib = NULL;
  g_autofree char *url = NULL;
  g_autofree char *html = NULL;
  g_autofree char *detail = NULL;
  gsize i, length;

  http = connect_and_authenticate (self, progress, progress_data, cancellable, error);
  if (http == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* The request's alternate template, else the CA's configured one, else WebServer */
  if (template_name == NULL || *template_name == '\0')
    template_name = self->config->template_name;
  if (template_name == NULL || *template_name == '\0')
    template_name = CERTREQ_DEFAULT_TEMPLATE;
  if (template_name != NULL && *template_name != '\0')
    /* Translators: %s is an AD CS certificate template's name, e.g. "WebServer" */
    detail = g_strdup_printf (_("Sending the request for template %s"), template_name);
  report (progress, progress_data, CERTREQ_SUBMIT_STAGE_SUBMITTING, detail, 0.5);

  /* PEM with its BEGIN line; certfnsh.asp picks its input format by that word */
  b64 = g_base64_encode (g_bytes_get_data (csr_der, &length), g_bytes_get_size (csr_der));
  {
    g_autoptr(GString) text = g_string_new ("-----BEGIN CERTIFICATE REQUEST-----\r\n");

    for (i = 0; i < strlen (b64); i += 64)
      {
        g_string_append_len (text, b64 + i, MIN (64, strlen (b64) - i));
        g_string_append (text, "\r\n");
      }
    g_string_append (text, "-----END CERTIFICATE REQUEST-----\r\n");
    pem = g_string_free (g_steal_pointer (&text), FALSE);
  }
  /* Attributes are Name:Value lines ending in CRLF; a standalone CA has no templates */
  attrib = template_name != NULL && *template_name != '\0'
             ? g_strdup_printf ("CertificateTemplate:%s\r\n", template_name)
             : g_strdup ("");

  form_add (form, "Mode", "newreq");
  form_add (form, "CertRequest", pem);
  form_add (form, "CertAttrib", attrib);
  form_add (form, "FriendlyType", "Saved-Request Certificate");
  form_add (form, "TargetStoreFlags", "0");
  form_add (form, "SaveCert", "yes");
  length = form->len;
  body = g_bytes_new_take (g_string_free (g_steal_pointer (&form), FALSE), length);

  url = page_url (self, "certfnsh.asp");
  response = adcs_request (self, http, "POST", url, body, cancellable, error);
  if (response == NULL)
    return NULL;
  html = certreq_http_response_dup_text (response);

  return handle_result_page (self, http, html, NULL, csr_der, progress, progress_data,
                             cancellable, error);
}

static CertreqSubmitResult *
certreq_ca_adcs_retrieve (CertreqCaClient      *client,
                          const char           *request_id,
                          CertreqProgressFunc   progress,
                          gpointer              progress_data,
                          GCancellable         *cancellable,
                          GError              **error)
{
  CertreqCaAdcs *self = CERTREQ_CA_ADCS (client);
  g_autoptr(CertreqHttp) http = NULL;
  g_autoptr(CertreqHttpResponse) response = NULL;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *html = NULL;
  g_autofree char *detail = NULL;
  gsize length;
  const char *p;

  for (p = request_id; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      break;
  if (*request_id == '\0' || *p != '\0')
    {
      /* Translators: %s is what was given as a request id */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                   _("“%s” is not an AD CS request id (a number)."), request_id);
      return NULL;
    }

  http = connect_and_authenticate (self, progress, progress_data, cancellable, error);
  if (http == NULL)
    return NULL;

  /* Translators: %s is the CA's request id */
  detail = g_strdup_printf (_("Asking the CA about request %s"), request_id);
  report (progress, progress_data, CERTREQ_SUBMIT_STAGE_WAITING, detail, 0.6);

  form_add (form, "Mode", "chkpnd");
  form_add (form, "ReqID", request_id);
  length = form->len;
  body = g_bytes_new_take (g_string_free (g_steal_pointer (&form), FALSE), length);
  url = page_url (self, "certfnsh.asp");
  response = adcs_request (self, http, "POST", url, body, cancellable, error);
  if (response == NULL)
    return NULL;
  html = certreq_http_response_dup_text (response);

  return handle_result_page (self, http, html, request_id, NULL, progress, progress_data,
                             cancellable, error);
}

/**
 * certreq_ca_adcs_get_ca_certificate:
 * @self: a #CertreqCaAdcs
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Fetches the CA's signing certificate of its current renewal: certcarc.asp's
 * nRenewals, then certnew.cer?ReqID=CACert&Renewal=<nRenewals>. Renewal 0 would be
 * the CA's first certificate, which is wrong once the CA has been renewed.
 *
 * Returns: (transfer full): the certificate, or %NULL with @error set
 */
CertreqCertificate *
certreq_ca_adcs_get_ca_certificate (CertreqCaAdcs  *self,
                                    GCancellable   *cancellable,
                                    GError        **error)
{
  g_autoptr(CertreqHttp) http = NULL;

  g_return_val_if_fail (CERTREQ_IS_CA_ADCS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  http = connect_and_authenticate (self, NULL, NULL, cancellable, error);
  if (http == NULL)
    return NULL;
  return fetch_ca_certificate (self, http, cancellable, error);
}

static void
certreq_ca_adcs_finalize (GObject *object)
{
  CertreqCaAdcs *self = CERTREQ_CA_ADCS (object);

  g_clear_pointer (&self->config, config_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);

  G_OBJECT_CLASS (certreq_ca_adcs_parent_class)->finalize (object);
}

static void
certreq_ca_adcs_class_init (CertreqCaAdcsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CertreqCaClientClass *client_class = CERTREQ_CA_CLIENT_CLASS (klass);

  object_class->finalize = certreq_ca_adcs_finalize;
  client_class->submit = certreq_ca_adcs_submit;
  client_class->retrieve = certreq_ca_adcs_retrieve;
}

static void
certreq_ca_adcs_init (CertreqCaAdcs *self)
{
}

/**
 * certreq_ca_adcs_new:
 * @store: the store the client belongs to
 * @config: an AD CS CA's settings (copied): url is the /certsrv/ base
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the client, or %NULL with @error set when the URL
 *   cannot be used
 */
CertreqCaClient *
certreq_ca_adcs_new (CertreqStore          *store,
                     const CertreqCaConfig *config,
                     GError               **error)
{
  g_autoptr(GUri) uri = NULL;
  CertreqCaAdcs *self;

  g_return_val_if_fail (CERTREQ_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (config->url != NULL)
    uri = g_uri_parse (config->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      /* Translators: %s is what was configured as the CA's URL */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_INVALID_SUBJECT,
                   _("“%s” is not the URL of AD CS Web Enrollment pages, such as "
                     "https://ca.example.com/certsrv/."),
                   config->url != NULL ? config->url : "");
      return NULL;
    }

  self = g_object_new (CERTREQ_TYPE_CA_ADCS,
                       "id", config->name,
                       "name", config->name,
                       "store", store,
                       NULL);
  self->config = config_dup (config);
  self->host = g_strdup (g_uri_get_host (uri));
  self->base_url = g_str_has_suffix (config->url, "/") ? g_strdup (config->url)
                                                       : g_strconcat (config->url, "/", NULL);
  return CERTREQ_CA_CLIENT (self);
}

#ifdef CERTREQ_FUZZING
#include "certreq-fuzz-private.h"

/* tests/fuzz/fuzz-adcs.c: one answer of the Web Enrollment pages, read as a result page
 * (certfnsh.asp, certckpn.asp; an issued one would be downloaded, so only parsed), as
 * certnew.cer and as certnew.p7b */
void
_certreq_fuzz_adcs (CertreqCaClient     *client,
                    CertreqHttpResponse *response)
{
  CertreqCaAdcs *self = CERTREQ_CA_ADCS (client);
  g_autofree char *html = certreq_http_response_dup_text (response);
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(GPtrArray) bundle = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Page) page = { 0, };

  parse_result_page (html, &page);
  if (page.kind != PAGE_ISSUED)
    {
      g_autoptr(CertreqSubmitResult) result = NULL;

      result = handle_result_page (self, NULL, html, "7", NULL, NULL, NULL, NULL, &error);
      g_assert ((result == NULL) == (error != NULL));
      g_clear_error (&error);
    }

  cert = certificate_from_body (self, response, &error);
  g_clear_error (&error);
  bundle = certificates_from_p7b (response->body);
  if (bundle != NULL && bundle->len > 0)
    {
      g_autoptr(GPtrArray) chain = order_chain (cert != NULL ? cert : g_ptr_array_index (bundle, 0),
                                                bundle);

      g_assert (chain->len <= bundle->len);
    }
}
#endif
