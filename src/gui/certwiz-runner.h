/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq.h"

G_BEGIN_DECLS

/* The one operation runner of the GUI (DESIGN.md "Privileges"). Every change a page
 * makes to the store goes through it. It has two back ends with the same results:
 * in-process (the core's _async functions) when this process can write the store, and
 * the privileged helper — `pkexec certwiz-cli … --json-progress`, docs/helper-protocol.md —
 * when it cannot (an ordinary user on the machine's store). CERTWIZ_ELEVATE replaces
 * "pkexec" (tests use "sudo -n"), CERTWIZ_HELPER the certwiz-cli to run.
 * Cancelling an operation that runs in the helper closes the helper's standard input,
 * which cancels it cleanly on the other side of the privilege boundary. */
#define CERTWIZ_TYPE_RUNNER (certwiz_runner_get_type ())
G_DECLARE_FINAL_TYPE (CertwizRunner, certwiz_runner, CERTWIZ, RUNNER, GObject)

/* The runner of @store, made on first use and kept with the store (transfer none) */
CertwizRunner       *certwiz_runner_get_for_store          (CertreqStore         *store);
/* TRUE when changes go through the privileged helper */
gboolean             certwiz_runner_uses_helper            (CertwizRunner        *self);
/* TRUE when this process can write the store, or a helper can be started */
gboolean             certwiz_runner_can_change             (CertwizRunner        *self);

/* Request: certreq_enroll() */
void                 certwiz_runner_enroll_async           (CertwizRunner        *self,
                                                            CertreqRequest       *request,
                                                            CertreqProgressFunc   progress,
                                                            gpointer              progress_data,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CertreqSubmitResult *certwiz_runner_enroll_finish          (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Process Pending Request: certreq_pending_retrieve() */
void                 certwiz_runner_retrieve_async         (CertwizRunner        *self,
                                                            const char           *pending_id,
                                                            CertreqProgressFunc   progress,
                                                            gpointer              progress_data,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CertreqSubmitResult *certwiz_runner_retrieve_finish        (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Renew: certreq_renew_certificate() with FORCE, from @request (the assistant's, maybe
 * edited; nullable: the saved one). The helper runs "renew THUMBPRINT --force", which
 * always sends the saved request: an edited @request needs the in-process back end. */
void                 certwiz_runner_renew_async            (CertwizRunner        *self,
                                                            const char           *thumbprint,
                                                            CertreqRequest       *request,
                                                            CertreqProgressFunc   progress,
                                                            gpointer              progress_data,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CertreqRenewResult  *certwiz_runner_renew_finish           (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* certreq_assign(): all or nothing */
void                 certwiz_runner_assign_async           (CertwizRunner        *self,
                                                            CertreqCertificate   *cert,
                                                            CertreqUsageFlags     usages,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             certwiz_runner_assign_finish          (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* certreq_unassign() */
void                 certwiz_runner_unassign_async         (CertwizRunner        *self,
                                                            CertreqUsageFlags     usages,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             certwiz_runner_unassign_finish        (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Trusts CA certificates for Certwiz: self-issued ones as roots, others as
 * intermediates (@certs: element-type CertreqCertificate) */
void                 certwiz_runner_trust_async            (CertwizRunner        *self,
                                                            GPtrArray            *certs,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             certwiz_runner_trust_finish           (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Import Certificate: certreq_import() of the file @path. @password is copied and
 * wiped after use; the helper gets it in a file only the user and root can read. */
void                 certwiz_runner_import_async           (CertwizRunner        *self,
                                                            const char           *path,
                                                            const char           *password,
                                                            CertreqImportTrust    trust,
                                                            gboolean              exportable,
                                                            const char           *friendly_name,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
CertreqImportResult *certwiz_runner_import_finish          (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* The server profile: certreq_store_save_server() (validated first) */
void                 certwiz_runner_save_server_async      (CertwizRunner        *self,
                                                            CertreqServer        *server,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             certwiz_runner_save_server_finish     (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* A usage's deployment: certreq_store_set_usage_config() */
void                 certwiz_runner_set_usage_config_async (CertwizRunner            *self,
                                                            CertreqUsage              usage,
                                                            const CertreqUsageConfig *config,
                                                            GCancellable             *cancellable,
                                                            GAsyncReadyCallback       callback,
                                                            gpointer                  user_data);
gboolean             certwiz_runner_set_usage_config_finish (CertwizRunner       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Export: certreq_export_to_file(); @password as for import */
void                 certwiz_runner_export_async           (CertwizRunner        *self,
                                                            const char           *thumbprint,
                                                            CertreqExportFormat   format,
                                                            CertreqPfxProfile     profile,
                                                            const char           *password,
                                                            const char           *path,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             certwiz_runner_export_finish          (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* A configured certification authority: certreq_store_set_ca() (adds or replaces;
 * validated first) — the helper runs "ca add NAME … --protocol P" */
void                 certwiz_runner_set_ca_async           (CertwizRunner         *self,
                                                            const CertreqCaConfig *config,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean             certwiz_runner_set_ca_finish          (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* certreq_store_remove_ca() — the helper runs "ca remove NAME" */
void                 certwiz_runner_remove_ca_async        (CertwizRunner        *self,
                                                            const char           *name,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             certwiz_runner_remove_ca_finish       (CertwizRunner        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
