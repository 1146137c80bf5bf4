/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "certreq.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_PAGE (certwiz_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (CertwizPage, certwiz_page, CERTWIZ, PAGE, GtkBox)

struct _CertwizPageClass
{
  GtkBoxClass parent_class;

  /* The assistant shows the page: refresh from the model, start work that the page needs */
  void (*prepare) (CertwizPage *page);
  /* The assistant leaves the page (Back, Next or Cancel): stop work that belongs to it */
  void (*leave)   (CertwizPage *page);

  gpointer padding[6];
};

/* Properties: "request" (CertreqRequest, construct-only), "store" (CertreqStore,
 * construct-only, may be NULL), "title" (translated page title),
 * "page-type" (GtkAssistantPageType, default CONTENT), "complete" (boolean). */
CertreqRequest       *certwiz_page_get_request   (CertwizPage *self);
CertreqStore         *certwiz_page_get_store     (CertwizPage *self);
const char           *certwiz_page_get_title     (CertwizPage *self);
void                  certwiz_page_set_title     (CertwizPage *self,
                                                  const char  *title);
GtkAssistantPageType  certwiz_page_get_page_type (CertwizPage *self);
void                  certwiz_page_set_page_type (CertwizPage *self,
                                                  GtkAssistantPageType type);
gboolean              certwiz_page_get_complete  (CertwizPage *self);
void                  certwiz_page_set_complete  (CertwizPage *self,
                                                  gboolean     complete);
void                  certwiz_page_prepare       (CertwizPage *self);
void                  certwiz_page_leave         (CertwizPage *self);

/* Shows @error's message (or hides the label when @error is NULL) in a page's
 * "problem" label, and sets complete to (@error == NULL). The R6 shape in one place. */
void                  certwiz_page_show_problem  (CertwizPage *self,
                                                  GtkLabel    *problem_label,
                                                  const GError *error);

/* Gives every widget that a label names through its mnemonic (gtk_label_set_mnemonic_widget)
 * the label's text, without the underscore, as its accessible name, so assistive technology
 * and the AT-SPI tests find each control by its visible label. Call after the template is
 * initialised, and again after adding labelled controls at run time. */
void                  certwiz_page_name_controls (CertwizPage *self);
/* @text (from data, e.g. a SIP domain) as a label with a mnemonic: its underscores are escaped
 * and an underscore goes before the first letter that no other mnemonic on the page, nor the
 * assistant's Back, Next and Cancel buttons, uses. Returns: (transfer full) */
char                 *certwiz_page_make_mnemonic (CertwizPage *self,
                                                  const char  *text);
/* A string key of the io.github.certwiz.Certwiz settings, or NULL when the schema is not
 * installed (the tests) or the key is unknown. Returns: (transfer full) (nullable) */
char                 *certwiz_page_settings_get  (const char  *key);
/* Stores a string key when the schema is installed; otherwise does nothing */
void                  certwiz_page_settings_set  (const char  *key,
                                                  const char  *value);

G_END_DECLS
