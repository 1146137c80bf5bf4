/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* A test-only driver for build-aux/bench-acme: requests one certificate from an ACME CA
 * through certreq_ca_acme_new + certreq_ca_client_submit, with a new P-256 key, as
 * certwiz-cli request does — until `certwiz-cli ca add` (the cas.ini factory) exists to
 * name an ACME CA from the command line. Not installed.
 *
 *   acme-issue --store DIR --url DIRECTORY [--trust-bundle PEM] [--http01 SPEC]
 *              [--contact MAIL] [--out PREFIX] NAME...
 *
 * Writes PREFIX.key (0600) and PREFIX.pem (leaf + chain) when --out is given. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "certreq.h"
#include "certreq-ca-acme.h"

/* --trace: each stage on stderr as it starts, for build-aux/bench-acme's breakdown */
static void
trace_stage (CertreqSubmitStage  stage,
             const char         *detail,
             double              fraction,
             gpointer            user_data)
{
  fprintf (stderr, "stage %s %s\n", certreq_submit_stage_to_id (stage), detail != NULL ? detail : "");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *store_dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *trust_bundle = NULL;
  g_autofree char *http01 = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) names = NULL;
  gboolean trace = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_dir, "The store", "DIR" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "ACME directory URL", "URL" },
    { "trust-bundle", 0, 0, G_OPTION_ARG_FILENAME, &trust_bundle, "Extra TLS trust", "PEM" },
    { "http01", 0, 0, G_OPTION_ARG_STRING, &http01, "listen:ADDR:PORT or webroot:DIR", "SPEC" },
    { "contact", 0, 0, G_OPTION_ARG_STRING, &contact, "Contact e-mail", "MAIL" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Output prefix", "PREFIX" },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &trace, "Print each stage on stderr", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &names, NULL, "NAME…" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CertreqStore) store = NULL;
  g_autoptr(CertreqKey) key = NULL;
  g_autoptr(GBytes) csr = NULL;
  g_autoptr(CertreqCaClient) client = NULL;
  g_autoptr(CertreqSubmitResult) result = NULL;
  CertreqCaConfig config = { 0 };
  CertreqCsrSpec spec = { 0 };

  certreq_init ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || store_dir == NULL ||
      url == NULL || names == NULL || names[0] == NULL)
    {
      fprintf (stderr, "usage: acme-issue --store DIR --url URL [...] NAME...\n%s\n",
               error != NULL ? error->message : "");
      return 2;
    }

  if (trace)
    fprintf (stderr, "stage main\n");
  /* The client first (certwiz-cli should do the same): it starts loading libcurl in the
   * background while the key and the request are made */
  store = certreq_store_open (store_dir, &error);
  if (store != NULL)
    {
      config.name = (char *) "bench";
      config.protocol = CERTREQ_CA_PROTOCOL_ACME;
      config.url = url;
      config.trust_bundle = trust_bundle;
      config.http01 = http01;
      config.contact = contact;
      client = certreq_ca_acme_new (store, &config, &error);
    }
  if (trace)
    fprintf (stderr, "stage client-created\n");
  if (client != NULL)
    key = certreq_key_generate (CERTREQ_KEY_TYPE_EC_P256, NULL, &error);
  if (trace)
    fprintf (stderr, "stage key-generated\n");
  if (key != NULL)
    {
      spec.common_name = names[0];
      spec.dns_names = names;
      spec.eku = CERTREQ_EKU_SERVER_AUTH;
      csr = certreq_csr_create (&spec, key, &error);
    }
  if (csr != NULL)
    result = certreq_ca_client_submit (client, csr, NULL, trace ? trace_stage : NULL, NULL,
                                       NULL, &error);
  if (trace)
    fprintf (stderr, "stage done\n");
  if (result == NULL)
    {
      fprintf (stderr, "acme-issue: %s\n", error->message);
      return 1;
    }
  if (result->status != CERTREQ_SUBMIT_ISSUED)
    {
      fprintf (stderr, "acme-issue: not issued: %s\n",
               result->reason != NULL ? result->reason : "pending");
      return 1;
    }

  if (out != NULL)
    {
      g_autofree char *key_path = g_strconcat (out, ".key", NULL);
      g_autofree char *cert_path = g_strconcat (out, ".pem", NULL);
      g_autoptr(GString) pem = g_string_new (NULL);
      g_autofree char *leaf = certreq_certificate_to_pem (result->certificate);
      guint i;

      g_string_append (pem, leaf);
      for (i = 0; i < result->chain->len; i++)
        {
          g_autofree char *issuer = certreq_certificate_to_pem (g_ptr_array_index (result->chain, i));

          g_string_append (pem, issuer);
        }
      if (!certreq_key_save (key, key_path, &error) ||
          !g_file_set_contents (cert_path, pem->str, (gssize) pem->len, &error))
        {
          fprintf (stderr, "acme-issue: %s\n", error->message);
          return 1;
        }
    }

  printf ("%s\n", certreq_certificate_get_thumbprint (result->certificate));
  return 0;
}
