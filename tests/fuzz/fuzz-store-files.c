/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* The store's own files, which an administrator may edit by hand: server.ini, cas.ini,
 * usages.ini and a pending request's request.ini. Reading one never writes it.
 * Input: one byte choosing the file (0 server.ini, 1 cas.ini, 2 usages.ini,
 * 3 pending/<ID>/request.ini), then the file's contents. */

#include "config.h"

#include "fuzz-common.h"

#define PENDING_ID "0123456789abcdef"

static const char * const files[] = {
  "server.ini", "cas.ini", "usages.ini", "pending/" PENDING_ID "/request.ini",
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autofree char *dir = NULL;

  fuzz_init ();
  dir = g_build_filename (certreq_store_get_path (fuzz_store ()), "pending", PENDING_ID, NULL);
  g_assert (g_mkdir_with_parents (dir, 0700) == 0);
  return 0;
}

static void
read_server (CertreqStore *store)
{
  g_autofree char *path = g_build_filename (certreq_store_get_path (store), "server.ini", NULL);
  g_autoptr(CertreqServer) server = NULL;
  g_autoptr(CertreqServer) direct = NULL;
  g_autoptr(GError) error = NULL;

  server = certreq_store_load_server (store, &error);
  g_assert ((server == NULL) == (error != NULL));
  g_clear_error (&error);
  direct = certreq_server_load (path, &error);
  g_assert ((direct == NULL) == (error != NULL));
}

static void
read_cas (CertreqStore *store)
{
  g_autoptr(GPtrArray) cas = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  cas = certreq_store_list_cas (store, &error);
  g_assert ((cas == NULL) == (error != NULL));
  g_clear_error (&error);
  for (i = 0; cas != NULL && i < cas->len; i++)
    {
      const CertreqCaConfig *config = g_ptr_array_index (cas, i);
      g_autoptr(CertreqCaConfig) again = certreq_store_get_ca (store, config->name, &error);

      g_assert ((again == NULL) == (error != NULL));
      g_clear_error (&error);
      (void) certreq_ca_config_validate (config, &error);
      g_clear_error (&error);
    }
}

static void
read_usages (CertreqStore *store)
{
  CertreqUsage usage;

  for (usage = CERTREQ_USAGE_DEFAULT; usage <= CERTREQ_USAGE_OAUTH; usage++)
    {
      g_autoptr(CertreqUsageConfig) config = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *assigned = certreq_store_get_assigned (store, usage);
      g_autofree char *previous = certreq_store_get_previous (store, usage);
      g_auto(GStrv) reload = certreq_store_get_reload_command (store, usage);

      config = certreq_store_get_usage_config (store, usage, &error);
      g_assert ((config == NULL) == (error != NULL));
      (void) assigned;
      (void) previous;
      (void) reload;
    }
}

static void
read_pending (CertreqStore *store)
{
  g_autoptr(CertreqServer) server = certreq_server_new ();
  g_autoptr(CertreqRequest) request = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *ca_request_id = NULL;
  g_autofree char *reason = NULL;
  CertreqPendingState state;

  request = certreq_store_pending_load_request (store, PENDING_ID, server, &error);
  g_assert ((request == NULL) == (error != NULL));
  g_clear_error (&error);
  (void) certreq_store_pending_get_info (store, PENDING_ID, &ca, &ca_request_id, &reason, &error);
  g_clear_error (&error);
  (void) certreq_store_pending_get_state (store, PENDING_ID, &state, &error);
  g_clear_error (&error);
  ids = certreq_store_pending_list (store);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  CertreqStore *store = fuzz_store ();
  guint which;
  g_autofree char *path = NULL;
  g_autofree char *after = NULL;
  gsize after_length = 0;
  GError *error = NULL;
  guint i;

  if (size < 1)
    return 0;
  which = data[0] % G_N_ELEMENTS (files);
  /* Only the chosen file: the others are absent, as in a new store */
  for (i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *other = g_build_filename (certreq_store_get_path (store), files[i], NULL);

      (void) g_unlink (other);
    }
  path = g_build_filename (certreq_store_get_path (store), files[which], NULL);
  if (!g_file_set_contents_full (path, (const char *) data + 1, (gssize) size - 1,
                                 G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("%s", error->message);

  switch (which)
    {
    case 0:
      read_server (store);
      break;
    case 1:
      read_cas (store);
      break;
    case 2:
      read_usages (store);
      break;
    case 3:
      read_pending (store);
      break;
    default:
      g_assert_not_reached ();
    }

  /* Reading left the file as it was */
  if (!g_file_get_contents (path, &after, &after_length, &error))
    g_error ("%s", error->message);
  g_assert (after_length == size - 1 && memcmp (after, data + 1, size - 1) == 0);
  return 0;
}
