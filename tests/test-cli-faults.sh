# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Faults, and nothing lost (TAP):
# - network faults between certwiz-cli and a real ACME CA (Debian's pebble), injected by
#   tests/http-peer.py's fault proxy: CA unreachable (closed port), connection reset in
#   the middle of the request and of the answer, a CA that never answers (the timeout,
#   CERTWIZ_HTTP_TIMEOUT=2), HTTP 500, a truncated and a malformed body; and a badNonce
#   storm from pebble itself (PEBBLE_WFE_NONCEREJECT=100). Each gives a clear error; the
#   request stays in pending/ with its key (0600), and `pending retrieve` completes it
#   once the peer behaves;
# - the store's lock: an import waits for another holder, gives up with a clear error
#   after its timeout and changes nothing; two certwiz-cli processes importing and
#   assigning at once are serialised and lose nothing;
# - a full disk (a small tmpfs store, root only): import and assign fail with "No space
#   left on device" in a sentence, and the previous state is intact.
#
# As root the script runs in a mount namespace of its own (`unshare -m`), so the tmpfs
# disappears with it whatever happens.
#
# Under the sanitizers (ASAN_OPTIONS set), where one request takes seconds, a shorter
# series runs: unreachable, reset in the answer and the badNonce storm; one round of
# concurrent processes; the full disk.

if [ "${CERTWIZ_TEST_MOUNTNS:-}" != 1 ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
   unshare -m --propagation private true 2>/dev/null; then
  export CERTWIZ_TEST_MOUNTNS=1
  exec unshare -m --propagation private -- bash "${BASH_SOURCE[0]}" "$@"
fi

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"
# need and free_port; its cleanup is replaced below (this test also unmounts its disk)
. "$(dirname "${BASH_SOURCE[0]}")/cli-peers.sh"

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cleanup ()
{
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null
  done
  [ -n "${disk:-}" ] && mountpoint -q "$disk" && umount "$disk"
  rm -rf -- "$store" "$work"
}
trap cleanup EXIT

# start NAME COMMAND…: a peer in the background, its output in $work/NAME.out and .err;
# sets $last_pid
start ()
{
  local name=$1
  shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  last_pid=$!
  pids+=("$last_pid")
}

# wait_for NAME PATTERN: up to 20 s for a line of $work/NAME.out or .err matching PATTERN
wait_for ()
{
  local i
  for i in $(seq 1 400); do
    grep -q -- "$2" "$work/$1.out" "$work/$1.err" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

now_ms () { echo $(($(date +%s%N) / 1000000)); }

expect_success "server set" server set --fqdn fe01.corp.example.test \
  --web-internal-fqdn webint.corp.example.test --web-external-fqdn webext.example.test \
  --sip-domains example.test || { finish; exit; }

# ---- a CA of the test's own for certificates to import and the proxies' TLS ----
(
  cd "$work" || exit 1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/O=Certwiz Tests/CN=Faults Test Root" -keyout root.key -out root.pem \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -CA root.pem -CAkey root.key -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext extendedKeyUsage=serverAuth \
    -keyout tls.key -out tls.pem
  for i in $(seq 0 15); do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -CA root.pem -CAkey root.key -subj "/CN=webint.corp.example.test" \
      -addext "subjectAltName=DNS:webint.corp.example.test,DNS:webext.example.test" \
      -addext extendedKeyUsage=serverAuth -addext basicConstraints=CA:FALSE \
      -keyout "leaf-$i.key" -out "leaf-$i.pem"
    cat "leaf-$i.pem" "leaf-$i.key" >"import-$i.pem"
  done
) >/dev/null 2>&1
check "openssl made the test CA, a TLS certificate and 16 certificates to import" \
  test -s "$work/import-15.pem"
expect_success "trust import of the test root" trust import "$work/root.pem"

# store_check [ARGS…]: tests/store-check.py on the store; problems in $work/check.out
store_check () { "$py" "$srcdir/store-check.py" "$store" --no-temp "$@" >"$work/check.out"; }

# ==== network faults against a real ACME CA ====
network ()
{
  local dir=$work/acme pebble_port mgmt_port http_port proxy_port storm_port fault path
  local want_rc want_text want_state id state thumb pid
  need "network faults: pebble" /usr/bin/pebble || return
  mkdir "$dir"
  pebble_config ()   # pebble_config FILE PORT
  {
    cat >"$1" <<EOF
{"pebble":{"listenAddress":"127.0.0.1:$2","managementListenAddress":"127.0.0.1:$(free_port)",
"certificate":"$work/tls.pem","privateKey":"$work/tls.key","httpPort":$(free_port),
"tlsPort":$(free_port),"ocspResponderURL":"","externalAccountBindingRequired":false}}
EOF
  }
  pebble_port=$(free_port)
  pebble_config "$dir/pebble.json" "$pebble_port"
  start pebble env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    /usr/bin/pebble -config "$dir/pebble.json"
  if ! wait_for pebble "Listening on"; then
    not_ok "pebble starts" "$(cat "$work/pebble.out")"
    return
  fi

  # The CA is configured at the proxy's port; nothing listens there yet
  proxy_port=$(free_port)
  : >"$dir/control"
  expect_success "ca add of an ACME CA whose server is not running yet" \
    ca add flaky --url "https://127.0.0.1:$proxy_port/dir" --protocol acme \
    --trust-bundle "$work/root.pem" --http01 "listen:127.0.0.1:$(free_port)" || return

  # fault_case DESCRIPTION RC TEXT STATE: a request against the faulty CA fails with exit
  # RC and TEXT in its message; its entry waits in STATE with its key (0600)
  fault_case ()
  {
    local desc=$1 want_rc=$2 want_text=$3 want_state=$4 t0 t1
    t0=$(now_ms)
    run request --ca flaky --usage web-external --key p256
    t1=$(now_ms)
    if [ "$rc" -eq "$want_rc" ] && [[ $err == *"$want_text"* ]]; then
      ok "$desc: exit $want_rc, “$want_text…” ($((t1 - t0)) ms)"
    else
      not_ok "$desc: exit $want_rc with “$want_text”" "exit $rc" "stdout: $out" "stderr: $err"
    fi
    run pending list --json
    printf '%s\n' "$out" >"$work/pending.json"
    # The newest entry of the CA "flaky"
    id=$(json_get "$work/pending.json" \
      '([p["id"] for p in d if p["ca"] == "flaky"] or [""])[-1]' 2>/dev/null)
    state=$(json_get "$work/pending.json" \
      '([p["state"] for p in d if p["id"] == "'"$id"'"] or [""])[0]' 2>/dev/null)
    if [ -n "$id" ] && [ "$state" = "$want_state" ] &&
       [ "$(stat -c %a "$store/pending/$id/key.pem" 2>/dev/null)" = 600 ]; then
      ok "$desc: the request waits in pending/ (state $want_state) with its key, 0600"
    else
      not_ok "$desc: the request waits in pending/ (state $want_state) with its key" \
        "id “$id”, state “$state”" "$out"
    fi
  }

  # retry_completes DESCRIPTION: with the peer behaving, pending retrieve completes $id
  retry_completes ()
  {
    local desc=$1 thumb key_id
    : >"$dir/control"
    run pending retrieve "$id"
    thumb=$(sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/stdout" | head -1)
    if [ "$rc" -eq 0 ] && [ -n "$thumb" ] && [ -s "$store/certs/$thumb.pem" ] &&
       [ ! -e "$store/pending/$id" ] &&
       [ "$(openssl x509 -in "$store/certs/$thumb.pem" -noout -pubkey)" = \
         "$(openssl pkey -in "$store/keys/$(openssl x509 -in "$store/certs/$thumb.pem" \
              -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64).pem" \
              -pubout 2>/dev/null)" ]; then
      ok "$desc: pending retrieve completes it once the CA behaves (certificate for the same key)"
    else
      not_ok "$desc: pending retrieve completes it once the CA behaves" "exit $rc" "$out" "$err"
    fi
  }

  # -- unreachable: nothing listens on the port --
  fault_case "CA unreachable" 6 "could not connect to 127.0.0.1" created
  start proxy "$py" "$srcdir/http-peer.py" fault-proxy "$pebble_port" "$work/tls.pem" \
    "$work/tls.key" "$dir/control" "$proxy_port"
  if ! wait_for proxy "^PORT "; then
    not_ok "the fault proxy starts" "$(cat "$work/proxy.err")"
    return
  fi
  retry_completes "CA unreachable"

  # -- faults injected by the proxy --
  while read -r fault path want_rc want_state want_text; do
    [ -n "${ASAN_OPTIONS:-}" ] && [ "$fault" != reset-response ] && continue
    printf '%s %s\n' "$path" "$fault" >"$dir/control"
    CERTWIZ_HTTP_TIMEOUT=2 fault_case "$fault on $path" "$want_rc" "$want_text" "$want_state"
    retry_completes "$fault on $path"
  done <<'EOF'
reset-request /order-plz 6 submitted broke off before the answer was complete
reset-response /finalize-order/ 6 submitted broke off before the answer was complete
stall /order-plz 6 submitted did not finish its answer within 2 seconds
status500 /order-plz 8 submitted HTTP status 500
truncate /my-order/ 6 submitted broke off before the answer was complete
malformed /finalize-order/ 8 submitted sent an answer that is not a JSON object
EOF
  check "the fault proxy injected the faults" \
    grep -q -E ' (reset-request|reset-response|stall|status500|truncate|malformed)$' \
      "$work/proxy.err"

  # -- a badNonce storm: pebble rejects every nonce --
  storm_port=$(free_port)
  pebble_config "$dir/storm.json" "$storm_port"
  start storm env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=100 \
    /usr/bin/pebble -config "$dir/storm.json"
  pid=$last_pid
  if ! wait_for storm "Listening on"; then
    not_ok "pebble (badNonce storm) starts" "$(cat "$work/storm.out")"
    return
  fi
  expect_success "ca add of the CA rejecting every nonce" \
    ca add flaky --url "https://127.0.0.1:$storm_port/dir" --protocol acme \
    --trust-bundle "$work/root.pem" --http01 "listen:127.0.0.1:$(free_port)"
  fault_case "badNonce storm" 8 "kept rejecting the request’s one-time number" created
  posts=$(grep -c 'POST /' "$work/storm.out")
  if [ "$posts" -ge 2 ] && [ "$posts" -le 16 ]; then
    ok "badNonce storm: certwiz-cli gave up after $posts signed requests (at most 16)"
  else
    not_ok "badNonce storm: a bounded number of retries" "$posts POSTs" "$(tail -5 "$work/storm.out")"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null
  start storm-over env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    /usr/bin/pebble -config "$dir/storm.json"
  if wait_for storm-over "Listening on"; then
    retry_completes "badNonce storm"
  else
    not_ok "pebble restarts without the storm" "$(cat "$work/storm-over.out")"
  fi
}

# ==== the store's lock ====
lock ()
{
  local t0 t1 before a b i rc_a rc_b pid_a pid_b holder cur n_before n_after rounds
  need "the store's lock: flock" flock || return

  # A holder for 2 s: the import waits, then succeeds
  flock "$store/.lock" sleep 2 &
  holder=$!
  sleep 0.3
  t0=$(now_ms)
  run import "$work/import-0.pem"
  t1=$(now_ms)
  wait "$holder"
  if [ "$rc" -eq 0 ] && [ $((t1 - t0)) -ge 1400 ]; then
    ok "an import waits for the lock another process holds ($((t1 - t0)) ms), then succeeds"
  else
    not_ok "an import waits for the lock" "exit $rc after $((t1 - t0)) ms" "$err"
  fi

  # A holder longer than the import's 10 s: a clear error, nothing changed
  before=$(snapshot | grep -v ' \./log/')
  flock "$store/.lock" sleep 12 &
  holder=$!
  sleep 0.3
  run import "$work/import-1.pem"
  if [ "$rc" -eq 10 ] && [[ $err == *"Another Certwiz process is changing the store"* ]]; then
    ok "an import gives up after its lock timeout: exit 10, “Another Certwiz process is changing the store…”"
  else
    not_ok "an import gives up after its lock timeout" "exit $rc" "$err"
  fi
  wait "$holder"
  check "the import that found the store busy changed nothing" \
    test "$before" = "$(snapshot | grep -v ' \./log/')"

  # Two processes importing and assigning at once, four times
  expect_success "assign a first certificate" \
    assign "$(openssl_thumbprint "$work/leaf-0.pem")" --usage web-internal,web-external
  rounds=(1 2 3 4)
  [ -n "${ASAN_OPTIONS:-}" ] && rounds=(1)
  for i in "${rounds[@]}"; do
    a=$((2 * i)); b=$((2 * i + 1))
    n_before=$(ls "$store/archive/web-internal" | wc -l)
    ( "$cli" import "$work/import-$a.pem" &&
      "$cli" assign "$(openssl_thumbprint "$work/leaf-$a.pem")" --usage web-internal,web-external
    ) >"$work/a.out" 2>&1 &
    pid_a=$!
    ( "$cli" import "$work/import-$b.pem" &&
      "$cli" assign "$(openssl_thumbprint "$work/leaf-$b.pem")" --usage web-internal,web-external
    ) >"$work/b.out" 2>&1 &
    pid_b=$!
    wait "$pid_a"; rc_a=$?
    wait "$pid_b"; rc_b=$?
    n_after=$(ls "$store/archive/web-internal" | wc -l)
    cur=$(openssl_thumbprint "$store/live/web-internal/cert.pem")
    if { [ "$rc_a" -eq 0 ] || grep -q "Another Certwiz process is changing the store" "$work/a.out"; } &&
       { [ "$rc_b" -eq 0 ] || grep -q "Another Certwiz process is changing the store" "$work/b.out"; } &&
       [ "$rc_a" -eq 0 -o "$rc_b" -eq 0 ] &&
       [ -s "$store/certs/$(openssl_thumbprint "$work/leaf-$a.pem").pem" -o "$rc_a" -ne 0 ] &&
       [ -s "$store/certs/$(openssl_thumbprint "$work/leaf-$b.pem").pem" -o "$rc_b" -ne 0 ] &&
       [ "$n_after" -eq $((n_before + (rc_a == 0) + (rc_b == 0))) ] &&
       { [ "$cur" = "$(openssl_thumbprint "$work/leaf-$a.pem")" ] ||
         [ "$cur" = "$(openssl_thumbprint "$work/leaf-$b.pem")" ]; } &&
       store_check; then
      ok "round $i: two processes importing and assigning at once both succeed (exit $rc_a, $rc_b), one after the other; nothing lost"
    else
      not_ok "round $i: two processes importing and assigning at once" \
        "exits $rc_a, $rc_b; archive sets $n_before -> $n_after; live: $cur" \
        "$(cat "$work/a.out" "$work/b.out" "$work/check.out")"
    fi
  done
}

# ==== a full disk ====
full_disk ()
{
  local saved_store=$store before thumb_a thumb_b
  if [ "$(id -u)" -ne 0 ] || [ "${CERTWIZ_TEST_MOUNTNS:-}" != 1 ]; then
    if [ "${CI:-}" = true ]; then
      not_ok "full disk" "needs root and a mount namespace of its own (unshare -m) for a tmpfs"
    else
      skip "full disk" "needs root and a mount namespace of its own (unshare -m) for a tmpfs"
    fi
    return
  fi
  disk=$work/disk
  mkdir "$disk"
  if ! mount -t tmpfs -o size=2m,mode=0755 certwiz-test "$disk"; then
    not_ok "full disk: a 2 MiB tmpfs" "mount failed"
    return
  fi
  store=$disk/store
  export CERTWIZ_STORE=$store
  expect_success "full disk: server set on a 2 MiB tmpfs store" server set \
    --fqdn fe01.corp.example.test --web-internal-fqdn webint.corp.example.test \
    --web-external-fqdn webext.example.test --sip-domains example.test
  expect_success "full disk: trust import" trust import "$work/root.pem"
  expect_success "full disk: import A" import "$work/import-12.pem"
  expect_success "full disk: import B" import "$work/import-13.pem"
  thumb_a=$(openssl_thumbprint "$work/leaf-12.pem")
  thumb_b=$(openssl_thumbprint "$work/leaf-13.pem")
  expect_success "full disk: assign A" assign "$thumb_a" --usage web-internal,web-external

  # Nearly full: everything but two pages
  dd if=/dev/zero of="$disk/spare" bs=4096 count=2 2>/dev/null
  dd if=/dev/zero of="$disk/filler" bs=4096 2>/dev/null
  rm -f "$disk/spare"
  before=$(snapshot | grep -v ' \./log/')

  run import "$work/import-14.pem"
  if [ "$rc" -eq 9 ] && [[ $err == *"No space left on device"* ]] &&
     [[ $err == *"Could not "* ]]; then
    ok "full disk: import fails in a sentence with “No space left on device” (exit 9)"
  else
    not_ok "full disk: import fails with “No space left on device”" "exit $rc" "$err"
  fi
  check "full disk: the failed import changed nothing (no half-written file)" \
    test "$before" = "$(snapshot | grep -v ' \./log/')"

  run assign "$thumb_b" --usage web-internal,web-external
  if [ "$rc" -eq 15 ] && [[ $err == *"No space left on device"* ]] &&
     [[ $err == *"every usage keeps its previous certificate"* ]]; then
    ok "full disk: assign fails in a sentence with “No space left on device” (exit 15)"
  else
    not_ok "full disk: assign fails with “No space left on device”" "exit $rc" "$err"
  fi
  check "full disk: the failed assignment changed nothing (no half-written set)" \
    test "$before" = "$(snapshot | grep -v ' \./log/')"
  if store_check --allow "web-internal=$thumb_a" --allow "web-external=$thumb_a"; then
    ok "full disk: A is still live for both usages, whole; no temporary file is left"
  else
    not_ok "full disk: A is still live, whole" "$(cat "$work/check.out")"
  fi

  rm -f "$disk/filler"
  expect_success "full disk: with space again, the import succeeds" import "$work/import-14.pem"
  if expect_success "full disk: with space again, the assignment succeeds" \
       assign "$thumb_b" --usage web-internal,web-external; then
    check "full disk: B is live" \
      test "$(openssl_thumbprint "$store/live/web-internal/cert.pem")" = "$thumb_b"
  fi
  store=$saved_store
  export CERTWIZ_STORE=$store
  umount "$disk"
}

network
lock
full_disk

finish
