/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Entry points for the libFuzzer targets in tests/fuzz/ (meson -Dfuzzing=true): each
 * hands one answer of a CA to the static parsers of its protocol's file, exactly as
 * the exchange would after receiving it, without a network. Only the fuzzing build
 * (which defines CERTREQ_FUZZING) has them. */

#ifndef CERTREQ_FUZZING
#error "certreq-fuzz-private.h is for the fuzzing build only"
#endif

#include <glib.h>

#include "certreq-ca.h"
#include "certreq-http.h"

G_BEGIN_DECLS

/* An ACME answer: error document, directory, order, authorization, Retry-After, Link */
void _certreq_fuzz_acme (CertreqCaClient     *acme,
                         CertreqHttpResponse *response);

typedef enum
{
  CERTREQ_FUZZ_SCEP_GET_CA_CAPS,
  CERTREQ_FUZZ_SCEP_GET_CA_CERT,
  CERTREQ_FUZZ_SCEP_CERT_REP,
} CertreqFuzzScep;

/* A SCEP answer to @operation */
void _certreq_fuzz_scep (CertreqCaClient     *scep,
                         CertreqFuzzScep      operation,
                         CertreqHttpResponse *response);

/* An EST answer's error text and Retry-After */
void _certreq_fuzz_est  (CertreqCaClient     *est,
                         CertreqHttpResponse *response);

/* An AD CS answer: a result page (certfnsh.asp), a certificate or a certnew.p7b */
void _certreq_fuzz_adcs (CertreqCaClient     *adcs,
                         CertreqHttpResponse *response);

G_END_DECLS
