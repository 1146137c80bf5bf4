/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "certreq.h"

G_BEGIN_DECLS

/* A fresh temporary directory (removed by certwiz_test_rmrf). */
char     *certwiz_test_mkdtemp      (void);
void      certwiz_test_rmrf         (const char  *path);
/* Runs argv (no shell) and returns its stdout; asserts exit 0. */
char     *certwiz_test_run          (const char * const *argv);
/* Runs `openssl` with @args (NULL-terminated) feeding @input on stdin; returns stdout; asserts exit 0 */
char     *certwiz_test_openssl      (const char  *input,
                                     gsize        input_length,
                                     const char  *first_arg,
                                     ...) G_GNUC_NULL_TERMINATED;
/* Writes @length bytes to a new file under @dir, returns its path */
char     *certwiz_test_write        (const char  *dir,
                                     const char  *name,
                                     const void  *data,
                                     gsize        length);
/* TRUE when the test runs under valgrind (meson test --setup valgrind sets
 * CERTWIZ_TEST_VALGRIND): timing checks allow for its slowdown */
gboolean  certwiz_test_under_valgrind (void);
/* A pre-generated throwaway key of @type from tests/data/test-keys/ (public test material),
 * for tests that need a key but do not test key generation; the same key on every call */
CertreqKey *certwiz_test_key        (CertreqKeyType  type);
/* Initialises the core and GTest (G_TEST_OPTION_ISOLATE_DIRS) */
void      certwiz_test_init         (int         *argc,
                                     char      ***argv);

G_END_DECLS
