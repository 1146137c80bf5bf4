#!/bin/bash
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One fuzz target for $CERTWIZ_FUZZ_SECONDS seconds (the meson test of the suite 'fuzz';
# build-aux/fuzz runs them). Usage: run-target.sh NAME EXECUTABLE SEED-DIR BUILD-DIR
# The working corpus (seeds plus what the run found) lives in BUILD-DIR/fuzz/NAME/corpus,
# outside the source tree; a crash, hang (10 s), leak or out-of-memory (2 GiB) leaves its
# reproducer in BUILD-DIR/fuzz/NAME/ and fails the test. Prints one TAP result and writes
# "seconds executions crashes reproducer" to BUILD-DIR/fuzz/NAME/result.
set -uo pipefail
name=$1 exe=$2 seeds=$3 build=$4
seconds=${CERTWIZ_FUZZ_SECONDS:-60}
dir=$build/fuzz/$name
mkdir -p "$dir/corpus"
rm -f "$dir"/crash-* "$dir"/timeout-* "$dir"/leak-* "$dir"/oom-* "$dir/result"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
start=$(date +%s)
"$exe" "$dir/corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$dir/" > "$dir/log" 2>&1
rc=$?
elapsed=$(( $(date +%s) - start ))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
reproducer=$(ls "$dir"/crash-* "$dir"/timeout-* "$dir"/leak-* "$dir"/oom-* 2>/dev/null | head -1)
crashes=0
if [ $rc -ne 0 ] || [ -n "$reproducer" ]; then
  crashes=1
fi
echo "$elapsed ${execs:-0} $crashes ${reproducer:-}" > "$dir/result"

echo "1..1"
if [ $crashes -eq 0 ]; then
  echo "ok 1 - fuzz-$name: ${elapsed} s, ${execs:-0} executions, no crash"
  exit 0
fi
echo "not ok 1 - fuzz-$name: ${elapsed} s, ${execs:-0} executions, failed (exit $rc); reproducer: ${reproducer:-none}"
grep -E -A40 '^==[0-9]+==ERROR|^SUMMARY|runtime error|CRITICAL|ERROR:' "$dir/log" | head -80 | sed 's/^/# /'
exit 1
