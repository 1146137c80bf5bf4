#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts meson's test results and prints "N passed, N failed[, N skipped]".

With CI=true, a skipped test fails the run unless its name is on SKIP_ALLOWED
with the reason the platform cannot run it."""
import json
import os
import sys

SKIP_ALLOWED = {}

def main():
    passed = failed = skipped = 0
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            results = [json.loads(line) for line in f if line.strip()]
    except OSError:
        results = []
    ci = os.environ.get("CI") == "true"
    status = 0
    for r in results:
        res = r.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            if ci and r.get("name") not in SKIP_ALLOWED:
                print(f"skip not allowed in CI: {r.get('name')}")
                failed += 1
            else:
                skipped += 1
        else:
            failed += 1
    if not results:
        failed += 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else status

sys.exit(main())
