/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>

#include "certreq-private.h"

G_DEFINE_QUARK (certreq-error-quark, certreq_error)

/**
 * certreq_init:
 *
 * Initialises the core: binds the `certwiz` gettext domain to its locale
 * directory. Call it once from main(), before any thread exists.
 *
 * libcurl is not initialised here: Debian's libcurl (7.88) reports
 * CURL_VERSION_THREADSAFE, so the code that talks to a CA initialises it on
 * first use. While nothing in a program calls libcurl, the linker (with
 * --as-needed) leaves it and its two dozen dependencies out, which is most
 * of the GUI's start-up time beyond GTK's own. OpenSSL 3 initialises itself.
 */
void
certreq_init (void)
{
  const char *localedir = g_getenv ("CERTWIZ_LOCALEDIR");

  /* The test suites run the uninstalled build against its own message catalogues */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  bind_textdomain_codeset ("iso_3166-1", "UTF-8");
}
