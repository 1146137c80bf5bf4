/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "certreq.h"
#include "certwiz-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CertwizApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* Binds the certwiz domain (CERTWIZ_LOCALEDIR for the uninstalled build), initialises
   * libcurl and OpenSSL before any thread exists (R19) */
  certreq_init ();
  textdomain (GETTEXT_PACKAGE);

  app = certwiz_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
