/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "certreq.h"

int
main (int argc, char **argv)
{
  certreq_init ();
  return 0;
}
