#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""A dns-01 hook for tests/test-ca-acme.c: publishes the TXT record in
pebble-challtestsrv's DNS server through its management API.

  acme-dns-hook.py MANAGEMENT_URL LOG_FILE present|cleanup _acme-challenge.DOMAIN VALUE
"""
import json
import sys
import urllib.request

management, log, action, record, value = sys.argv[1:6]
if action == "present":
    path, body = "/set-txt", {"host": record + ".", "value": value}
elif action == "cleanup":
    path, body = "/clear-txt", {"host": record + "."}
else:
    sys.exit("unknown action " + action)

request = urllib.request.Request(management + path, data=json.dumps(body).encode(),
                                 method="POST")
# The management API is on loopback: never through a proxy from the environment
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
with opener.open(request, timeout=10) as answer:
    answer.read()
with open(log, "a") as f:
    f.write("%s %s %s\n" % (action, record, value))
