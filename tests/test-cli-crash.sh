# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# SIGKILL at random points (TAP): certwiz-cli request (built-in lab CA), import (a PEM
# file with its key) and assign (two usages, switching between two certificates) are
# killed with kill -9 after a random delay that covers the whole operation (0 to 1.25
# times its measured run time); after each kill the store is opened again
# (certwiz-cli usage show, and list every tenth trial) and tests/store-check.py checks
# the invariant: every usage is entirely its old set or entirely its new one (cert.pem
# matches privkey.pem, usages.ini's current thumbprint is live/<usage>/cert.pem's), no
# key or pending request is lost, no half-built entry or temporary file is left.
#
# CERTWIZ_CRASH_TRIALS sets the number of trials: 120 by default, 6 under the sanitizers
# (ASAN_OPTIONS set), where one assignment takes seconds: there the point is the
# recovery code's memory safety, which the main build's 120 trials do not check.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -n "${CERTWIZ_CRASH_TRIALS:-}" ]; then
  trials=$CERTWIZ_CRASH_TRIALS
elif [ -n "${ASAN_OPTIONS:-}" ]; then
  trials=6
else
  trials=120
fi
usage_list=web-internal,web-external

now_ms () { echo $(($(date +%s%N) / 1000000)); }

expect_success "server set" server set --fqdn fe01.corp.example.test \
  --web-internal-fqdn webint.corp.example.test --web-external-fqdn webext.example.test \
  --sip-domains example.test || { finish; exit; }

# ---- a CA of the test's own, trusted, and a pool of certificates with their keys ----
(
  cd "$work" || exit 1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/O=Certwiz Tests/CN=Crash Test Root" -keyout root.key -out root.pem \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
) >/dev/null 2>&1
n_imports=$((trials / 3 + 4))
for i in $(seq 0 "$n_imports"); do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -CA "$work/root.pem" -CAkey "$work/root.key" -subj "/CN=webint.corp.example.test" \
    -addext "subjectAltName=DNS:webint.corp.example.test,DNS:webext.example.test" \
    -addext extendedKeyUsage=serverAuth -addext basicConstraints=CA:FALSE \
    -keyout "$work/leaf-$i.key" -out "$work/leaf-$i.pem" >/dev/null 2>&1
  cat "$work/leaf-$i.pem" "$work/leaf-$i.key" >"$work/import-$i.pem"
done
check "openssl made $((n_imports + 1)) certificates for the imports" \
  test -s "$work/import-$n_imports.pem"
expect_success "trust import of the test root" trust import "$work/root.pem"

# The two certificates the assign trials switch between, and the first assignment
expect_success "import of certificate A" import "$work/import-0.pem"
thumb_a=$(openssl_thumbprint "$work/leaf-0.pem")
expect_success "import of certificate B" import "$work/import-1.pem"
thumb_b=$(openssl_thumbprint "$work/leaf-1.pem")
expect_success "assign A to $usage_list" assign "$thumb_a" --usage "$usage_list"
next_import=2

# How long each operation takes without a kill: the range of the random delays
t0=$(now_ms)
expect_success "request --ca local (creates the lab CA)" request --ca local --key p256 \
  --usage web-internal
t1=$(now_ms)
expect_success "request --ca local, timed" request --ca local --key p256 --usage web-internal
t2=$(now_ms)
expect_success "import, timed" import "$work/import-$next_import.pem"
next_import=$((next_import + 1))
t3=$(now_ms)
expect_success "assign B, timed" assign "$thumb_b" --usage "$usage_list"
t4=$(now_ms)
declare -A took=([request]=$((t2 - t1)) [import]=$((t3 - t2)) [assign]=$((t4 - t3)))
declare -A span=([request]=$((took[request] * 5 / 4)) [import]=$((took[import] * 5 / 4))
                 [assign]=$((took[assign] * 5 / 4)))
echo "# uninterrupted: request $((t2 - t1)) ms, import $((t3 - t2)) ms, assign $((t4 - t3)) ms"

# One checker process for the whole series (tests/store-check.py --serve)
coproc checker { "$py" "$srcdir/store-check.py" --serve; }
trap 'eval "exec ${checker[1]}>&-"; wait; rm -rf -- "$store" "$work"' EXIT
# store_check ARGS…: the check's problems go to $work/check.out; TRUE when there are none
store_check ()
{
  local line
  printf '%q ' "$store" --cache "$cache" --no-temp "$@" >&"${checker[1]}"
  printf '\n' >&"${checker[1]}"
  : >"$work/check.out"
  while IFS= read -r line <&"${checker[0]}"; do
    case $line in
      "END 0") return 0 ;;
      "END "*) return 1 ;;
      *) printf '%s\n' "$line" >>"$work/check.out" ;;
    esac
  done
  echo "the checker ended" >>"$work/check.out"
  return 1
}

cache=$work/check-cache.json
if store_check; then
  ok "the store passes the invariant check before any kill"
else
  not_ok "the store passes the invariant check before any kill" "$(cat "$work/check.out")"
fi

# current USAGE: usages.ini's current thumbprint of USAGE
current ()
{
  sed -n "/^\[$1\]/,/^\[/s/^current=//p" "$store/usages.ini" | head -1
}

declare -A count killed finished bucket
failures=0
start=$(now_ms)
for trial in $(seq 1 "$trials"); do
  case $((trial % 3)) in
    1) op=request; args=(request --ca local --key p256 --usage web-internal) ;;
    2) op=import; args=(import "$work/import-$next_import.pem")
       next_import=$((next_import + 1)) ;;
    0) op=assign
       old_int=$(current web-internal); old_ext=$(current web-external)
       target=$thumb_a
       [ "$old_int" = "$thumb_a" ] && target=$thumb_b
       args=(assign "$target" --usage "$usage_list") ;;
  esac
  delay=$((RANDOM * 32768 + RANDOM))
  delay=$((delay % (span[$op] + 1)))
  "$cli" "${args[@]}" >"$work/trial.out" 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then
    killed[$op]=$((${killed[$op]:-0} + 1))
  else
    finished[$op]=$((${finished[$op]:-0} + 1))
  fi
  wait "$pid" 2>/dev/null
  count[$op]=$((${count[$op]:-0} + 1))
  quarter=$((delay * 4 / (took[$op] + 1)))
  bucket[$op.$quarter]=$((${bucket[$op.$quarter]:-0} + 1))

  # Open the store again: that is where a crash is recovered from
  run usage show
  reopen_rc=$rc
  if [ $((trial % 10)) -eq 0 ]; then
    run list
    [ "$rc" -ne 0 ] && reopen_rc=$rc
  fi
  allow=()
  if [ "$op" = assign ]; then
    allow=(--allow "web-internal=$old_int,$target" --allow "web-external=$old_ext,$target")
  fi
  if [ "$reopen_rc" -ne 0 ] ||
     ! store_check "${allow[@]}"; then
    failures=$((failures + 1))
    not_ok "trial $trial: $op killed after $delay ms: the store keeps its invariant" \
      "reopening exited $reopen_rc: $err" "$(cat "$work/check.out")"
    [ "$failures" -ge 5 ] && break
  fi
done
elapsed=$(($(now_ms) - start))

total=0
for op in request import assign; do
  total=$((total + ${count[$op]:-0}))
  spread=""
  for q in 0 1 2 3 4; do
    spread+=" ${bucket[$op.$q]:-0}"
  done
  echo "# $op: ${count[$op]:-0} trials, ${killed[$op]:-0} killed while running," \
    "${finished[$op]:-0} finished before the kill; delays by quarter of the measured run" \
    "time, then beyond it:$spread"
done
echo "# $total trials in $elapsed ms"
if [ "$failures" -eq 0 ]; then
  ok "$total kill -9 trials (request, import, assign): after each, the store keeps its invariant"
fi
check "at least $trials trials ran" test "$total" -ge "$trials"

# ---- the store still works: every pending request completes, every operation succeeds ----
expect_success "list after the trials" list
expect_success "a request after the trials" request --ca local --key p256 --usage web-internal
target=$thumb_a
[ "$(current web-internal)" = "$thumb_a" ] && target=$thumb_b
if expect_success "an assignment after the trials" assign "$target" --usage "$usage_list"; then
  check "live/web-internal holds it" \
    test "$(openssl_thumbprint "$store/live/web-internal/cert.pem")" = "$target"
fi
if store_check; then
  ok "the store passes the invariant check at the end"
else
  not_ok "the store passes the invariant check at the end" "$(cat "$work/check.out")"
fi

finish
