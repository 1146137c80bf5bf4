/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "certwiz-cli.h"

static const char *
cli_field_kind_to_id (CertreqFieldKind kind)
{
  switch (kind)
    {
    case CERTREQ_FIELD_KIND_EXTENSION:
      return "extension";
    case CERTREQ_FIELD_KIND_PROPERTY:
      return "property";
    case CERTREQ_FIELD_KIND_BASIC:
    default:
      return "basic";
    }
}

/* ---- One certificate, as JSON and as text ---- */

/* @store and @chain may be NULL; @details adds the chain's elements and every field */
static void
cli_json_add_certificate (JsonBuilder        *builder,
                          CertreqStore       *store,
                          CertreqCertificate *cert,
                          CertreqChainResult *chain,
                          gboolean            details)
{
  const char *thumbprint = certreq_certificate_get_thumbprint (cert);
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (cert);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
  g_auto(GStrv) names = certreq_certificate_get_dns_names (cert);
  g_autofree char *subject = certreq_certificate_get_subject (cert);
  g_autofree char *issuer = certreq_certificate_get_issuer (cert);
  g_autofree char *serial = certreq_certificate_get_serial (cert);
  guint i;

  if (store != NULL)
    meta = certreq_store_get_meta (store, thumbprint);

  json_builder_begin_object (builder);
  cli_json_add_string (builder, "thumbprint", thumbprint);
  cli_json_add_string (builder, "sha256", certreq_certificate_get_sha256 (cert));
  cli_json_add_string (builder, "friendly_name", meta != NULL ? meta->friendly_name : NULL);
  cli_json_add_string (builder, "subject", subject);
  cli_json_add_string (builder, "issuer", issuer);
  cli_json_add_string (builder, "serial", serial);
  cli_json_add_date (builder, "not_before", not_before);
  cli_json_add_date (builder, "not_after", not_after);
  cli_json_add_strv (builder, "dns_names", (const char * const *) names);
  json_builder_set_member_name (builder, "is_ca");
  json_builder_add_boolean_value (builder, certreq_certificate_is_ca (cert));
  json_builder_set_member_name (builder, "server_auth");
  json_builder_add_boolean_value (builder,
                                  certreq_certificate_has_eku (cert, CERTREQ_EKU_SERVER_AUTH));
  json_builder_set_member_name (builder, "client_auth");
  json_builder_add_boolean_value (builder,
                                  certreq_certificate_has_eku (cert, CERTREQ_EKU_CLIENT_AUTH));
  cli_json_add_usages (builder, "usages", cli_get_assigned_usages (store, thumbprint));
  cli_json_add_usages (builder, "requested_usages",
                       meta != NULL ? meta->usages : CERTREQ_USAGE_FLAG_NONE);
  cli_json_add_string (builder, "ca", meta != NULL ? meta->ca_id : NULL);
  cli_json_add_string (builder, "request_id", meta != NULL ? meta->request_id : NULL);
  json_builder_set_member_name (builder, "in_store");
  json_builder_add_boolean_value (builder, meta != NULL);
  json_builder_set_member_name (builder, "key_present");
  json_builder_add_boolean_value (builder,
                                  store != NULL && certreq_store_has_key_for (store, cert));
  cli_json_add_string (builder, "chain_status",
                       chain != NULL ? cli_chain_status_to_id (chain->status) : NULL);
  cli_json_add_string (builder, "chain_message", chain != NULL ? chain->message : NULL);
  if (store != NULL && meta != NULL)
    {
      g_autoptr(CertreqRenewalStatus) renewal =
        certreq_renewal_get_status (store, cert, CERTREQ_RENEWAL_RULE_DEFAULT, NULL);

      /* "renewal": {"state", "due", "renewable", "renewed_by", "last_error", …} */
      json_builder_set_member_name (builder, "renewal");
      json_builder_begin_object (builder);
      cli_json_add_string (builder, "state", certreq_renewal_state_to_id (renewal->state));
      cli_json_add_date (builder, "due", renewal->due);
      json_builder_set_member_name (builder, "days_left");
      json_builder_add_int_value (builder, renewal->days_left);
      json_builder_set_member_name (builder, "renewable");
      json_builder_add_boolean_value (builder, renewal->renewable);
      cli_json_add_string (builder, "renewed_by", renewal->record->renewed_by);
      cli_json_add_string (builder, "pending_id", renewal->record->pending_id);
      cli_json_add_string (builder, "last_error", renewal->record->last_error);
      if (renewal->record->next_attempt != NULL)
        cli_json_add_date (builder, "next_attempt", renewal->record->next_attempt);
      json_builder_end_object (builder);
    }

  if (details)
    {
      g_autoptr(GPtrArray) fields = certreq_certificate_get_fields (cert);

      json_builder_set_member_name (builder, "chain");
      json_builder_begin_array (builder);
      for (i = 0; chain != NULL && i < chain->elements->len; i++)
        {
          CertreqChainElement *element = g_ptr_array_index (chain->elements, i);
          g_autofree char *element_subject = certreq_certificate_get_subject (element->certificate);

          json_builder_begin_object (builder);
          cli_json_add_string (builder, "subject", element_subject);
          cli_json_add_string (builder, "thumbprint",
                               certreq_certificate_get_thumbprint (element->certificate));
          cli_json_add_string (builder, "status", cli_chain_status_to_id (element->status));
          json_builder_set_member_name (builder, "trusted_root");
          json_builder_add_boolean_value (builder, element->trusted_root);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "fields");
      json_builder_begin_array (builder);
      for (i = 0; i < fields->len; i++)
        {
          CertreqCertField *field = g_ptr_array_index (fields, i);

          json_builder_begin_object (builder);
          cli_json_add_string (builder, "kind", cli_field_kind_to_id (field->kind));
          cli_json_add_string (builder, "name", field->name);
          cli_json_add_string (builder, "value", field->value);
          json_builder_set_member_name (builder, "critical");
          json_builder_add_boolean_value (builder, field->critical);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
}

/* The fields every listing shows; @chain may be NULL */
static void
cli_fields_add_summary (CliFields          *fields,
                        CertreqStore       *store,
                        CertreqCertificate *cert,
                        CertreqCertMeta    *meta,
                        CertreqChainResult *chain)
{
  const char *thumbprint = certreq_certificate_get_thumbprint (cert);
  g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (cert);
  g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
  g_auto(GStrv) names = certreq_certificate_get_dns_names (cert);
  CertreqUsageFlags assigned = cli_get_assigned_usages (store, thumbprint);

  if (meta != NULL)
    cli_fields_add (fields, _("Friendly name"), meta->friendly_name);
  cli_fields_add (fields, _("Thumbprint"), thumbprint);
  cli_fields_add_take (fields, _("Subject"), certreq_certificate_get_subject (cert));
  cli_fields_add_take (fields, _("Issuer"), certreq_certificate_get_issuer (cert));
  cli_fields_add_take (fields, _("Valid from"), cli_format_date (not_before, FALSE));
  cli_fields_add_take (fields, _("Valid to"), cli_format_date (not_after, FALSE));
  /* Translators: separates the items of a list such as "Server default, Web services internal" */
  cli_fields_add_take (fields, _("Names"), g_strjoinv (_(", "), names));
  if (store != NULL)
    {
      cli_fields_add (fields, _("Private key"),
                      certreq_store_has_key_for (store, cert)
                        ? _("Present in the store") : _("Not in the store"));
      cli_fields_add_take (fields, _("Assigned to"),
                           assigned != CERTREQ_USAGE_FLAG_NONE
                             ? cli_format_usages (assigned) : g_strdup (_("No usage")));
    }
  if (chain != NULL)
    cli_fields_add (fields, _("Chain status"), chain->message);
  if (store != NULL && meta != NULL)
    {
      g_autoptr(CertreqRenewalStatus) renewal =
        certreq_renewal_get_status (store, cert, CERTREQ_RENEWAL_RULE_DEFAULT, NULL);
      g_autofree char *due = cli_format_date (renewal->due, FALSE);
      const char *label = certreq_renewal_state_get_label (renewal->state);

      if (renewal->state == CERTREQ_RENEWAL_STATE_OK && renewal->renewable)
        /* Translators: %1$s is a renewal status ("Valid"), %2$s a date */
        cli_fields_add_take (fields, _("Renewal"), g_strdup_printf (_("%1$s, due on %2$s"),
                                                                    label, due));
      else if (renewal->state == CERTREQ_RENEWAL_STATE_FAILED &&
               renewal->record->last_error != NULL)
        cli_fields_add_take (fields, _("Renewal"), g_strdup_printf ("%s: %s", label,
                                                                    renewal->record->last_error));
      else if (renewal->state == CERTREQ_RENEWAL_STATE_RENEWED)
        /* Translators: %1$s is "Renewed", %2$s the newer certificate's thumbprint */
        cli_fields_add_take (fields, _("Renewal"), g_strdup_printf (_("%1$s as %2$s"), label,
                                                                    renewal->record->renewed_by));
      else if (!renewal->renewable)
        /* Translators: %s is a renewal status; the certificate was imported */
        cli_fields_add_take (fields, _("Renewal"),
                             g_strdup_printf (_("%s (imported: Certwiz cannot renew it)"), label));
      else
        cli_fields_add (fields, _("Renewal"), label);
    }
}

/* ---- list ---- */

gboolean
cli_cmd_list (CliContext  *ctx,
              int          argc,
              char       **argv,
              GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean json = FALSE;
  guint i;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "list", NULL,
                                    _("Lists the certificates in the store, sorted by friendly "
                                      "name, with the usages each one is assigned to and the "
                                      "status of its chain."),
                                    entries);
  if (!cli_option_context_parse (context, "list", &argc, &argv, 0, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  certs = certreq_store_list_certificates (store, error);
  if (certs == NULL)
    return FALSE;

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      cli_json_add_string (builder, "store", certreq_store_get_path (store));
      json_builder_set_member_name (builder, "certificates");
      json_builder_begin_array (builder);
    }
  else if (certs->len == 0)
    {
      g_print ("%s\n", _("There are no certificates in the store."));
      return TRUE;
    }

  for (i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);
      g_autoptr(CertreqCertMeta) meta = NULL;
      g_autoptr(CertreqChainResult) chain = NULL;
      g_autoptr(CliFields) fields = NULL;

      /* A chain that cannot be checked is reported per certificate, not fatal to the list */
      chain = certreq_store_verify (store, cert, NULL, NULL);
      if (json)
        {
          cli_json_add_certificate (builder, store, cert, chain, FALSE);
          continue;
        }

      meta = certreq_store_get_meta (store, certreq_certificate_get_thumbprint (cert));
      fields = cli_fields_new ();
      cli_fields_add_summary (fields, store, cert, meta, chain);
      if (i > 0)
        g_print ("\n");
      cli_fields_print (fields, 0);
    }

  if (json)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  return TRUE;
}

/* ---- show ---- */

static void
cli_show_print (CertreqStore       *store,
                CertreqCertificate *cert,
                CertreqChainResult *chain,
                const char         *file)
{
  const char *thumbprint = certreq_certificate_get_thumbprint (cert);
  g_autoptr(CertreqCertMeta) meta = NULL;
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_autoptr(CliFields) details = cli_fields_new ();
  g_autoptr(GPtrArray) all_fields = certreq_certificate_get_fields (cert);
  guint i;

  if (store != NULL)
    meta = certreq_store_get_meta (store, thumbprint);

  if (file != NULL)
    cli_fields_add (fields, _("File"), file);
  cli_fields_add_summary (fields, store, cert, meta, chain);
  cli_fields_add (fields, _("SHA-256 fingerprint"), certreq_certificate_get_sha256 (cert));
  cli_fields_add_take (fields, _("Intended purposes"), certreq_certificate_get_purposes (cert));
  if (meta != NULL)
    {
      cli_fields_add_take (fields, _("Requested for"), cli_format_usages (meta->usages));
      cli_fields_add (fields, _("Certification authority"), meta->ca_id);
      cli_fields_add (fields, _("Request ID"), meta->request_id);
    }
  else if (file != NULL && store != NULL)
    cli_fields_add (fields, _("In the store"), _("No"));
  cli_fields_print (fields, 0);

  if (chain != NULL && chain->elements->len > 0)
    {
      g_print ("\n%s\n", _("Certification path:"));
      for (i = 0; i < chain->elements->len; i++)
        {
          CertreqChainElement *element = g_ptr_array_index (chain->elements, i);
          g_autofree char *subject = certreq_certificate_get_subject (element->certificate);

          /* Translators: a line of the certification path: %1$u its position, %2$s the
           * subject, %3$s the thumbprint, %4$s its status sentence */
          g_print (_("  %1$u. %2$s (%3$s): %4$s\n"), i + 1, subject,
                   certreq_certificate_get_thumbprint (element->certificate),
                   element->trusted_root ? _("Trusted root certificate.")
                                         : certreq_chain_status_to_string (element->status));
        }
    }

  g_print ("\n%s\n", _("Details:"));
  for (i = 0; i < all_fields->len; i++)
    {
      CertreqCertField *field = g_ptr_array_index (all_fields, i);
      g_autofree char *name = NULL;

      if (field->critical)
        /* Translators: %s is the name of a certificate extension marked critical */
        name = g_strdup_printf (_("%s (critical)"), field->name);
      cli_fields_add (details, name != NULL ? name : field->name, field->value);
    }
  cli_fields_print (details, 2);
}

gboolean
cli_cmd_show (CliContext  *ctx,
              int          argc,
              char       **argv,
              GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCertificate) cert = NULL;
  g_autoptr(GPtrArray) extra = NULL;
  g_autoptr(CertreqChainResult) chain = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *file = NULL;
  const char *arg;
  gboolean json = FALSE;
  guint i;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "show", _("THUMBPRINT|FILE"),
                                    _("Shows every field of a certificate of the store, given "
                                      "by its thumbprint, or of a PEM or DER certificate file "
                                      "(further certificates in the file serve as "
                                      "intermediates), and whether its chain verifies."),
                                    entries);
  if (!cli_option_context_parse (context, "show", &argc, &argv, 1, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);
  arg = argv[1];

  if (g_file_test (arg, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GPtrArray) list = certreq_certificate_list_load (arg, error);

      if (list == NULL)
        return FALSE;
      if (list->len == 0)
        {
          /* Translators: %s is a file name */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                       _("The file %s holds no certificate."), arg);
          return FALSE;
        }
      cert = g_object_ref (g_ptr_array_index (list, 0));
      extra = g_ptr_array_new_with_free_func (g_object_unref);
      for (i = 1; i < list->len; i++)
        g_ptr_array_add (extra, g_object_ref (g_ptr_array_index (list, i)));
      file = g_canonicalize_filename (arg, NULL);

      /* A file outside any usable store is still shown, verified against system trust */
      store = cli_open_store (ctx, &store_error);
    }
  else
    {
      g_autofree char *thumbprint = certreq_thumbprint_normalize (arg);

      if (thumbprint == NULL)
        {
          /* Translators: %s is what the user gave */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_NOT_FOUND,
                       _("“%s” is neither a certificate file nor a thumbprint."), arg);
          return FALSE;
        }
      store = cli_open_store (ctx, error);
      if (store == NULL)
        return FALSE;
      cert = cli_find_certificate (store, thumbprint, error);
      if (cert == NULL)
        return FALSE;
    }

  chain = cli_verify_chain (store, cert, extra, error);
  if (chain == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "store", store != NULL ? certreq_store_get_path (store)
                                                           : NULL);
      cli_json_add_string (builder, "file", file);
      json_builder_set_member_name (builder, "certificate");
      cli_json_add_certificate (builder, store, cert, chain, TRUE);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  cli_show_print (store, cert, chain, file);
  return TRUE;
}

/* ---- trust import / trust list ---- */

static gboolean
cli_certificate_in (GPtrArray          *certs,
                    CertreqCertificate *cert)
{
  guint i;

  for (i = 0; certs != NULL && i < certs->len; i++)
    if (certreq_certificate_equal (g_ptr_array_index (certs, i), cert))
      return TRUE;

  return FALSE;
}

gboolean
cli_cmd_trust_import (CliContext  *ctx,
                      int          argc,
                      char       **argv,
                      GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqStoreLock) lock = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(GPtrArray) intermediates = NULL;
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_autoptr(JsonBuilder) added = json_builder_new ();
  g_autoptr(JsonBuilder) unchanged = json_builder_new ();
  gboolean json = FALSE;
  guint i;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "trust import", _("FILE"),
                                    _("Trusts the CA certificates in a PEM or DER file (a "
                                      "bundle may hold several) for Certwiz’s own verification "
                                      "and the chains it deploys — never for the whole system. "
                                      "Self-signed roots go to trust/roots, other CA "
                                      "certificates to trust/intermediates. A file with a "
                                      "certificate that is not a CA’s is refused as a whole."),
                                    entries);
  if (!cli_option_context_parse (context, "trust import", &argc, &argv, 1, error))
    return FALSE;

  certs = certreq_certificate_list_load (argv[1], error);
  if (certs == NULL)
    return FALSE;
  if (certs->len == 0)
    {
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                   _("The file %s holds no certificate."), argv[1]);
      return FALSE;
    }

  /* Check all before writing any, so that a refused file changes nothing */
  for (i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);

      if (!certreq_certificate_is_ca (cert))
        {
          g_autofree char *subject = certreq_certificate_get_subject (cert);

          /* Translators: %1$s is a certificate's subject, %2$s its thumbprint */
          g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                       _("The certificate “%1$s” (%2$s) is not a CA certificate; only CA "
                         "certificates can be trusted."),
                       subject, certreq_certificate_get_thumbprint (cert));
          return FALSE;
        }
    }

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  lock = cli_lock_store (store, error);
  if (lock == NULL)
    return FALSE;
  roots = certreq_store_get_trusted_roots (store);
  intermediates = certreq_store_get_intermediates (store);

  json_builder_begin_array (added);
  json_builder_begin_array (unchanged);
  for (i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);
      gboolean as_root = certreq_certificate_is_self_issued (cert);
      g_autofree char *subject = certreq_certificate_get_subject (cert);
      JsonBuilder *list;
      const char *label;

      if (cli_certificate_in (as_root ? roots : intermediates, cert))
        {
          label = as_root ? _("Already a trusted root") : _("Already an intermediate");
          list = unchanged;
        }
      else if (!certreq_store_trust_add (store, cert, as_root, error))
        return FALSE;
      else
        {
          label = as_root ? _("Trusted root") : _("Intermediate");
          list = added;
        }

      json_builder_begin_object (list);
      cli_json_add_string (list, "thumbprint", certreq_certificate_get_thumbprint (cert));
      cli_json_add_string (list, "kind", as_root ? "root" : "intermediate");
      cli_json_add_string (list, "subject", subject);
      json_builder_end_object (list);

      /* Translators: %1$s is a certificate's subject, %2$s its thumbprint */
      cli_fields_add_take (fields, label, g_strdup_printf (_("%1$s (%2$s)"), subject,
                                                           certreq_certificate_get_thumbprint (cert)));
    }
  json_builder_end_array (added);
  json_builder_end_array (unchanged);

  if (cli_json_wanted (ctx, json))
    {
      /* "added": newly trusted; "unchanged": trusted already, the same way */
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) added_node = json_builder_get_root (added);
      g_autoptr(JsonNode) unchanged_node = json_builder_get_root (unchanged);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "added");
      json_builder_add_value (builder, g_steal_pointer (&added_node));
      json_builder_set_member_name (builder, "unchanged");
      json_builder_add_value (builder, g_steal_pointer (&unchanged_node));
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  cli_fields_print (fields, 0);
  return TRUE;
}

static void
cli_trust_print_section (const char *title,
                         GPtrArray  *certs)
{
  guint i;

  g_print ("%s\n", title);
  if (certs->len == 0)
    g_print ("  %s\n", _("None."));

  for (i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);
      g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
      g_autoptr(CliFields) fields = cli_fields_new ();

      cli_fields_add_take (fields, _("Subject"), certreq_certificate_get_subject (cert));
      cli_fields_add (fields, _("Thumbprint"), certreq_certificate_get_thumbprint (cert));
      cli_fields_add_take (fields, _("Valid to"), cli_format_date (not_after, FALSE));
      if (i > 0)
        g_print ("\n");
      cli_fields_print (fields, 2);
    }
}

static void
cli_json_add_trust_list (JsonBuilder *builder,
                         const char  *member,
                         GPtrArray   *certs)
{
  guint i;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (i = 0; i < certs->len; i++)
    {
      CertreqCertificate *cert = g_ptr_array_index (certs, i);
      g_autoptr(GDateTime) not_before = certreq_certificate_get_not_before (cert);
      g_autoptr(GDateTime) not_after = certreq_certificate_get_not_after (cert);
      g_autofree char *subject = certreq_certificate_get_subject (cert);
      g_autofree char *issuer = certreq_certificate_get_issuer (cert);

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "thumbprint", certreq_certificate_get_thumbprint (cert));
      cli_json_add_string (builder, "sha256", certreq_certificate_get_sha256 (cert));
      cli_json_add_string (builder, "subject", subject);
      cli_json_add_string (builder, "issuer", issuer);
      cli_json_add_date (builder, "not_before", not_before);
      cli_json_add_date (builder, "not_after", not_after);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* Asks on the terminal; TRUE only for the answer "yes" (or its translation) */
static gboolean
cli_confirm_on_terminal (const char *question)
{
  char buffer[64];

  g_printerr ("%s ", question);
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return FALSE;
  g_strstrip (buffer);

  /* Translators: the word the admin types to confirm; "yes" is always accepted too */
  return g_ascii_strcasecmp (buffer, "yes") == 0 || g_ascii_strcasecmp (buffer, _("yes")) == 0;
}

gboolean
cli_cmd_trust_system (CliContext  *ctx,
                      int          argc,
                      char       **argv,
                      GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(CliFields) fields = cli_fields_new ();
  g_autofree char *subject = NULL;
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;
  g_auto(GStrv) update_argv = NULL;
  CertreqCertificate *root;
  gboolean json = FALSE;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes,
      N_("Add it without asking: the confirmation for scripts"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "trust system", _("FILE"),
                                    _("Adds a root CA certificate to the operating system’s "
                                      "trust (Debian: /usr/local/share/ca-certificates and "
                                      "update-ca-certificates), so that every program on this "
                                      "machine trusts what it signs. This is separate from "
                                      "“trust import”, which trusts a CA for Certwiz only, and "
                                      "it needs confirmation: --yes, or the answer “yes” on "
                                      "the terminal. Run it as root."),
                                    entries);
  if (!cli_option_context_parse (context, "trust system", &argc, &argv, 1, error))
    return FALSE;

  certs = certreq_certificate_list_load (argv[1], error);
  if (certs == NULL)
    return FALSE;
  if (certs->len != 1)
    {
      /* Translators: %s is a file name */
      g_set_error (error, CERTREQ_ERROR, CERTREQ_ERROR_BAD_FORMAT,
                   _("The file %s must hold exactly one certificate, the root to add to "
                     "the system’s trust."), argv[1]);
      return FALSE;
    }
  root = g_ptr_array_index (certs, 0);
  update_argv = certreq_system_trust_get_update_argv (error);
  if (update_argv == NULL)
    return FALSE;
  path = certreq_system_trust_get_path (root);
  subject = certreq_certificate_get_subject (root);
  command = g_strjoinv (" ", update_argv);

  if (!yes)
    {
      g_autofree char *fingerprint =
        certreq_format_fingerprint (certreq_certificate_get_sha256 (root));
      g_autofree char *question = NULL;

      /* A terminal to ask on, and nobody reading JSON: else only --yes confirms */
      if (ctx->json_progress || json || !isatty (STDIN_FILENO) || !isatty (STDERR_FILENO))
        {
          g_set_error_literal (error, CLI_USAGE_ERROR, 0,
                               _("Adding a root certificate to the system’s trust makes "
                                 "every program on this machine trust what it signs, so it "
                                 "needs confirmation: run the command again with --yes. "
                                 "Nothing was changed."));
          return FALSE;
        }

      /* Translators: %1$s is a certificate's subject, %2$s its SHA-256 fingerprint,
       * %3$s a file, %4$s a command; the admin must type the translation of "yes"
       * (or "yes") to go on */
      question = g_strdup_printf (_("Add the root certificate %1$s (SHA-256 %2$s) to the "
                                    "operating system’s trust? Every program on this "
                                    "machine will trust what it signs. It will be written "
                                    "to %3$s and %4$s will run. Type “yes” to add it:"),
                                  subject, fingerprint, path, command);
      if (!cli_confirm_on_terminal (question))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The answer was not “yes”: the system’s trust was not "
                                 "changed."));
          return FALSE;
        }
    }

  if (!certreq_system_trust_add (root, error))
    return FALSE;

  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "thumbprint", certreq_certificate_get_thumbprint (root));
      cli_json_add_string (builder, "subject", subject);
      cli_json_add_string (builder, "path", path);
      cli_json_add_strv (builder, "update-command", (const char * const *) update_argv);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  /* Translators: %s is a certificate's subject */
  g_print (_("Added to the operating system’s trust: %s\n"), subject);
  cli_fields_add (fields, _("Thumbprint"), certreq_certificate_get_thumbprint (root));
  cli_fields_add (fields, _("File"), path);
  cli_fields_add (fields, _("Updated with"), command);
  cli_fields_print (fields, 2);
  return TRUE;
}

gboolean
cli_cmd_trust_list (CliContext  *ctx,
                    int          argc,
                    char       **argv,
                    GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(GPtrArray) intermediates = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "trust list", NULL,
                                    _("Lists the root and intermediate certification "
                                      "authorities Certwiz trusts in addition to the system’s."),
                                    entries);
  if (!cli_option_context_parse (context, "trust list", &argc, &argv, 0, error))
    return FALSE;
  json = cli_json_wanted (ctx, json);

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  roots = certreq_store_get_trusted_roots (store);
  intermediates = certreq_store_get_intermediates (store);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "store", certreq_store_get_path (store));
      cli_json_add_trust_list (builder, "roots", roots);
      cli_json_add_trust_list (builder, "intermediates", intermediates);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }

  cli_trust_print_section (_("Trusted root certification authorities:"), roots);
  g_print ("\n");
  cli_trust_print_section (_("Intermediate certification authorities:"), intermediates);
  return TRUE;
}

/* ---- ca local root ---- */

gboolean
cli_cmd_ca_local_root (CliContext  *ctx,
                       int          argc,
                       char       **argv,
                       GError     **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqCaClient) ca = NULL;
  g_autoptr(CertreqCertificate) root = NULL;
  g_autofree char *pem = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = cli_option_context_new (ctx, "ca local root", NULL,
                                    _("Prints the built-in lab CA’s root certificate (PEM) on "
                                      "standard output, creating the lab CA on first use. "
                                      "Import it with “certwiz-cli trust import” to let "
                                      "Certwiz trust what the lab CA issues."),
                                    entries);
  if (!cli_option_context_parse (context, "ca local root", &argc, &argv, 0, error))
    return FALSE;

  store = cli_open_store (ctx, error);
  if (store == NULL)
    return FALSE;
  ca = certreq_ca_local_new (store);
  root = certreq_ca_local_get_root (CERTREQ_CA_LOCAL (ca), error);
  if (root == NULL)
    return FALSE;

  pem = certreq_certificate_to_pem (root);
  if (cli_json_wanted (ctx, json))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *subject = certreq_certificate_get_subject (root);

      json_builder_begin_object (builder);
      cli_json_add_string (builder, "thumbprint", certreq_certificate_get_thumbprint (root));
      cli_json_add_string (builder, "subject", subject);
      cli_json_add_string (builder, "certificate-pem", pem);
      json_builder_end_object (builder);
      return cli_json_print (ctx, builder, error);
    }
  return cli_write_stdout (pem, -1, error);
}
