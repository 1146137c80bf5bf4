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

G_END_DECLS
