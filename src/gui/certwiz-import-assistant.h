/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

/* What the Import Certificate pages collect and what the import did. The assistant owns
 * it; each page edits it in place. */
typedef struct
{
  char                *path;            /* the file chosen */
  gboolean             has_key;         /* "Certificate file contains certificate's private key" */
  char                *password;        /* wiped when replaced or freed */
  gboolean             exportable;      /* a key from the file may be exported again */
  CertreqImportTrust   trust;           /* what to do with the CA certificates found */
  char                *friendly_name;   /* optional; NULL or "" keeps the file's or request's */
  CertreqImportResult *result;          /* set by the Executing Commands page */
} CertwizImportOptions;

void certwiz_import_options_set_password (CertwizImportOptions *options,
                                          const char           *password);

#define CERTWIZ_TYPE_IMPORT_ASSISTANT (certwiz_import_assistant_get_type ())
G_DECLARE_FINAL_TYPE (CertwizImportAssistant, certwiz_import_assistant, CERTWIZ, IMPORT_ASSISTANT,
                      GtkAssistant)

/* The "Import Certificate" assistant (reference/wizard.md §2.6): file → summary →
 * executing → done. @path (nullable) prefills the file, e.g. from drag and drop.
 * It destroys itself when cancelled or finished. */
GtkWidget *certwiz_import_assistant_new (GtkWindow    *parent,
                                         CertreqStore *store,
                                         const char   *path);

G_END_DECLS
