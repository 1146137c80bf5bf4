/* Copyright 2026 The Certwiz authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The public API of libcertreq, for the GUI, the CLI and the tests. */
#include "certreq-error.h"
#include "certreq-key.h"
#include "certreq-country.h"
#include "certreq-usage.h"
#include "certreq-server.h"
#include "certreq-request.h"
#include "certreq-csr.h"
#include "certreq-certificate.h"
#include "certreq-chain.h"
#include "certreq-store.h"
#include "certreq-ca.h"
#include "certreq-ca-local.h"
#include "certreq-http.h"
#include "certreq-ca-config.h"
#include "certreq-assign.h"
#include "certreq-live-check.h"
#include "certreq-enroll.h"
#include "certreq-pending.h"
#include "certreq-import.h"
#include "certreq-export.h"
#include "certreq-renew.h"
#include "certreq-system-trust.h"
