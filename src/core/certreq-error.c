/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <curl/curl.h>
#include <locale.h>
#include <openssl/crypto.h>

#include "certreq-private.h"

G_DEFINE_QUARK (certreq-error-quark, certreq_error)

/**
 * certreq_init:
 *
 * Initialises the core: binds the `certwiz` gettext domain to its locale
 * directory and initialises libcurl and OpenSSL. Call it once from main(),
 * before any thread exists (curl_global_init() is not thread-safe).
 */
void
certreq_init (void)
{
  const char *localedir = g_getenv ("CERTWIZ_LOCALEDIR");

  /* The test suites run the uninstalled build against its own message catalogues */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  bind_textdomain_codeset ("iso_3166-1", "UTF-8");

  curl_global_init (CURL_GLOBAL_DEFAULT);
  OPENSSL_init_crypto (OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
}
