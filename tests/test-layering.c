/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

/* R1: the core never sees GTK. The build keeps gtk_dep out of libcertreq; these
 * tests check the sources, the compile commands and the archive's symbols, so a
 * change to src/core/meson.build that lets GTK in fails here. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "certwiz-test-utils.h"

static const char *
env_dir (const char *name)
{
  const char *dir = g_getenv (name);

  if (dir == NULL || *dir == '\0')
    g_error ("%s is not set (tests/meson.build sets it)", name);
  return dir;
}

static void
test_no_gtk_includes (void)
{
  g_autofree char *core = g_build_filename (env_dir ("CERTWIZ_SOURCE_ROOT"), "src", "core", NULL);
  g_autoptr(GRegex) include = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint scanned = 0;

  g_test_summary ("No file under src/core includes a GTK or GDK header");

  include = g_regex_new ("^\\s*#\\s*include\\s*[<\"](gtk|gdk|gdk-pixbuf)/",
                         G_REGEX_MULTILINE, 0, &error);
  g_assert_no_error (error);
  dir = g_dir_open (core, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
        continue;
      path = g_build_filename (core, name, NULL);
      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      if (g_regex_match (include, text, 0, &match))
        {
          g_autofree char *line = g_match_info_fetch (match, 0);

          g_test_message ("%s: %s", name, line);
          g_test_fail ();
        }
      scanned++;
    }

  /* The header set alone is larger than this: an empty scan means a wrong path */
  g_assert_cmpuint (scanned, >=, 20);
}

static void
test_compile_commands (void)
{
  g_autofree char *path = g_build_filename (env_dir ("CERTWIZ_BUILD_ROOT"),
                                            "compile_commands.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *commands;
  guint core = 0;

  g_test_summary ("libcertreq is compiled without any GTK include path");

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  commands = json_node_get_array (json_parser_get_root (parser));

  for (guint i = 0; i < json_array_get_length (commands); i++)
    {
      JsonObject *entry = json_array_get_object_element (commands, i);
      const char *command = json_object_get_string_member_with_default (entry, "command", "");
      const char *output = json_object_get_string_member_with_default (entry, "output", "");

      if (strstr (output, "libcertreq.a.p") == NULL && strstr (command, "libcertreq.a.p") == NULL)
        continue;
      core++;
      if (strstr (command, "gtk-3.0") != NULL || strstr (command, "gdk-pixbuf") != NULL)
        {
          g_test_message ("%s is compiled with a GTK include path",
                          json_object_get_string_member_with_default (entry, "file", "?"));
          g_test_fail ();
        }
    }

  g_assert_cmpuint (core, >=, 10);
}

static void
test_no_gtk_symbols (void)
{
  g_autofree char *archive = g_build_filename (env_dir ("CERTWIZ_BUILD_ROOT"),
                                               "src", "core", "libcertreq.a", NULL);
  const char *argv[] = { "nm", "--undefined-only", "--format=posix", archive, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint symbols = 0;
  guint glib_symbols = 0;

  g_test_summary ("libcertreq.a references no gtk_/gdk_ symbol");

  if (!g_file_test (archive, G_FILE_TEST_EXISTS))
    {
      g_test_message ("%s was not built", archive);
      g_test_fail ();
      return;
    }

  out = certwiz_test_run (argv);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0' || strchr (lines[i], ' ') == NULL)
        continue;
      symbols++;
      if (g_str_has_prefix (lines[i], "g_"))
        glib_symbols++;
      if (g_str_has_prefix (lines[i], "gtk_") || g_str_has_prefix (lines[i], "gdk_"))
        {
          g_test_message ("libcertreq.a needs %s", lines[i]);
          g_test_fail ();
        }
    }

  /* It certainly calls into GLib: nothing listed means nm read nothing */
  g_assert_cmpuint (symbols, >, 50);
  g_assert_cmpuint (glib_symbols, >, 10);
}

int
main (int argc, char **argv)
{
  certwiz_test_init (&argc, &argv);

  g_test_add_func ("/certreq/layering/no-gtk-includes", test_no_gtk_includes);
  g_test_add_func ("/certreq/layering/compile-commands", test_compile_commands);
  g_test_add_func ("/certreq/layering/no-gtk-symbols", test_no_gtk_symbols);

  return g_test_run ();
}
