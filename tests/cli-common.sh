# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared by the certwiz-cli end-to-end tests (sourced, TAP output).
# Each test gets its own temporary store in CERTWIZ_STORE, removed at exit.

set -u
export LC_ALL=${LC_ALL:-C.UTF-8} TZ=UTC

cli=${CERTWIZ_CLI:?CERTWIZ_CLI must name the built certwiz-cli}
py=/usr/bin/python3
[ -x "$py" ] || py=python3

store=$(mktemp -d "${TMPDIR:-/tmp}/certwiz-cli-store-XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/certwiz-cli-work-XXXXXX")
export CERTWIZ_STORE=$store
trap 'rm -rf -- "$store" "$work"' EXIT

tap_n=0
tap_failed=0

ok () { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
skip () { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
not_ok ()
{
  local line
  tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $1"
  shift
  for line in "$@"; do
    printf '%s\n' "$line" | sed 's/^/# /'
  done
}
# check DESCRIPTION COMMAND…: ok when the command succeeds
check ()
{
  local desc=$1
  shift
  if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}
finish ()
{
  echo "1..$tap_n"
  [ "$tap_failed" -eq 0 ]
}

# run ARGS…: runs certwiz-cli; sets $rc, $out, $err
run ()
{
  "$cli" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}
# expect_success DESCRIPTION ARGS…: runs certwiz-cli and reports; returns its status
expect_success ()
{
  local desc=$1
  shift
  run "$@"
  if [ "$rc" -eq 0 ]; then
    ok "$desc"
  else
    not_ok "$desc" "certwiz-cli $* exited $rc" "stdout: $out" "stderr: $err"
  fi
  return "$rc"
}

# The store's content: every file's hash, every link's target, every directory
snapshot ()
{
  (
    cd "$store" || exit 1
    find . -type f -print0 | sort -z | xargs -0 -r sha256sum
    find . -type l -print0 | sort -z | xargs -0 -r -n1 sh -c 'printf "%s -> %s\n" "$1" "$(readlink "$1")"' sh
    find . -type d | sort
  )
}

# The SHA-1 fingerprint openssl computes, as 40 upper-case hex digits
openssl_thumbprint ()
{
  openssl x509 -in "$1" -noout -fingerprint -sha1 | sed 's/^.*=//; s/://g' | tr a-f A-F
}

# json_get FILE EXPRESSION: evaluates a Python expression on the parsed JSON as `d`
json_get ()
{
  "$py" -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print("\n".join(v) if isinstance(v, list) else v)' "$1" "$2"
}
