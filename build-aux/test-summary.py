#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts the TAP results of meson's test logs and prints "N passed, N failed[, N skipped]".

Every TAP line counts (a test binary with 12 cases is 12 results). A test that failed
without a failing TAP line (a crash, a timeout, a bad plan) counts as one failure more.
With CI=true a skipped case fails the run unless its test is on SKIP_ALLOWED with the
reason the platform cannot run it."""
import json
import os
import re
import sys

SKIP_ALLOWED = {}

TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$")


def count(result):
    passed = failed = skipped = 0
    for line in (result.get("stdout") or "").splitlines():
        m = TAP_LINE.match(line)
        if not m:
            continue
        directive = m.group(2)
        if re.search(r"#\s*skip", directive, re.IGNORECASE):
            skipped += 1
        elif m.group(1) == "ok" or re.search(r"#\s*todo", directive, re.IGNORECASE):
            passed += 1
        else:
            failed += 1
    return passed, failed, skipped


def main():
    passed = failed = skipped = 0
    results = []
    for path in sys.argv[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                results += [json.loads(line) for line in f if line.strip()]
        except OSError:
            print(f"no test log at {path}")
    ci = os.environ.get("CI") == "true"
    for r in results:
        p, f, s = count(r)
        res = r.get("result")
        if res not in ("OK", "EXPECTEDFAIL", "SKIP") and f == 0:
            print(f"{r.get('name')}: {res}")
            f += 1
        if res == "SKIP" and p + f + s == 0:
            s = 1
        if s and ci and r.get("name") not in SKIP_ALLOWED:
            print(f"{r.get('name')}: {s} skipped case(s), not allowed in CI")
            f += s
            s = 0
        passed += p
        failed += f
        skipped += s
    if not results:
        print("no tests ran")
        failed += 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


sys.exit(main())
