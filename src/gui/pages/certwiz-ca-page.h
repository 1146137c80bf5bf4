/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certwiz-page.h"

G_BEGIN_DECLS

#define CERTWIZ_TYPE_CA_PAGE (certwiz_ca_page_get_type ())
G_DECLARE_FINAL_TYPE (CertwizCaPage, certwiz_ca_page, CERTWIZ, CA_PAGE, CertwizPage)

GtkWidget *certwiz_ca_page_new (CertreqRequest *request,
                                CertreqStore   *store);

/* What the account page asks for, by the chosen CA's protocol */
typedef enum
{
  CERTWIZ_CA_CREDENTIALS_NONE,       /* the built-in CA, ACME, certificate or Kerberos auth */
  CERTWIZ_CA_CREDENTIALS_ACCOUNT,    /* user name and password (AD CS, EST: basic) */
  CERTWIZ_CA_CREDENTIALS_CHALLENGE,  /* the SCEP challenge password alone */
} CertwizCaCredentials;

/* The protocol of @ca_id without network traffic (a URL: as detected in this process)
 * and, for a CA configured in cas.ini, its configuration. @store may be NULL.
 * Returns: FALSE when the protocol is not known (yet) */
gboolean             certwiz_ca_lookup          (CertreqStore       *store,
                                                 const char         *ca_id,
                                                 CertreqCaProtocol  *out_protocol,
                                                 CertreqCaConfig   **out_config);
CertwizCaCredentials certwiz_ca_get_credentials (CertreqStore       *store,
                                                 const char         *ca_id);
/* AD CS (template) and EST (label) use the template page */
gboolean             certwiz_ca_uses_template   (CertreqStore       *store,
                                                 const char         *ca_id);

/* The session bus has a Secret Service (org.freedesktop.secrets), running or
 * activatable: "Remember the password" and the CA dialog's keyring password */
gboolean             certwiz_ca_session_has_secret_service (void);

G_END_DECLS
