#!/bin/bash
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli renew end to end (issue 5): renewal from the built-in lab CA and from
# Debian's pebble with time moved forward (CERTWIZ_TEST_NOW moves the renewal clock
# only), usages reassigned and live/ swapped, the same names/key type/subject, a
# renewal the CA holds retrieved by the next run, a denied and an unreachable CA
# leaving the old assignment intact with the failure recorded and backed off,
# --dry-run changing nothing, --reuse-key, and the journal priorities.

source "$(dirname "$0")/cli-common.sh"
source "$(dirname "$0")/cli-peers.sh"

# A moment at which the lab CA's 397-day certificates issued today are due (30 days
# before they end) but not expired
due_now=$(date -u -d '+380 days' +%Y-%m-%dT%H:%M:%SZ)

pubkey_of () { openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum; }
names_of () { openssl x509 -in "$1" -noout -ext subjectAltName | tail -n +2 | tr -d ' ' | tr ',' '\n' | sort; }
subject_of () { openssl x509 -in "$1" -noout -subject -nameopt RFC2253; }
key_type_of () { openssl x509 -in "$1" -noout -text | grep -E 'Public Key Algorithm|ASN1 OID|Public-Key' | tr -d ' '; }
assigned () { sed -n "/^\\[$1\\]/,/^\\[/{s/^current=//p}" "$store/usages.ini"; }

if ! need "openssl and python3" openssl "$py"; then
  finish
  exit
fi

expect_success "server set" server set --fqdn fe01.corp.example.test \
  --pool-fqdn pool.corp.example.test --web-internal-fqdn webint.corp.example.test \
  --web-external-fqdn webext.example.test --sip-domains example.test

# ==== lab CA: a certificate serving three usages ====
expect_success "request from the lab CA" request --ca local --friendly-name "Lab FE" \
  --key p256 --org "Example Org" --ou IT --country de --state Berlin --city Berlin
old=$(sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/stdout")
run ca local root
printf '%s\n' "$out" >"$work/lab-root.pem"
expect_success "trust the lab root" trust import "$work/lab-root.pem"
expect_success "assign to default, web-internal, web-external" assign "$old" \
  --usage default,web-internal,web-external

check "the request it came from is kept (meta/<THUMBPRINT>.request.ini, 0644)" \
  test "$(stat -c %a "$store/meta/$old.request.ini" 2>/dev/null)" = 644
check "the kept request has its key type, CA and the server profile of that time" \
  grep -qx 'key-type=p256' "$store/meta/$old.request.ini"
check "the kept request names no account" grep -qx 'username=' "$store/meta/$old.request.ini"
check "the kept request has the server profile" \
  grep -qx 'fqdn=fe01.corp.example.test' "$store/meta/$old.request.ini"

# ==== not due: nothing happens ====
snapshot >"$work/before"
expect_success "renew: nothing is due today" renew --json
printf '%s\n' "$out" >"$work/renew.json"
check "renew --json says not-due" \
  test "$(json_get "$work/renew.json" 'd["results"][0]["outcome"]')" = not-due
snapshot >"$work/after"
if diff -q <(grep -v ' ./log/\| \./log$' "$work/before") <(grep -v ' ./log/\| \./log$' "$work/after") >/dev/null; then
  ok "a run with nothing due changes nothing but its log"
else
  not_ok "a run with nothing due changes nothing" "$(diff "$work/before" "$work/after")"
fi

# ==== --dry-run with the clock moved: says it would renew, changes nothing ====
snapshot >"$work/before"
CERTWIZ_TEST_NOW=$due_now run renew --dry-run --json
printf '%s\n' "$out" >"$work/dry.json"
if [ "$rc" -eq 0 ] && [ "$(json_get "$work/dry.json" 'd["results"][0]["outcome"]')" = would-renew ]; then
  ok "renew --dry-run: due, would renew"
else
  not_ok "renew --dry-run: would renew" "exit $rc" "$out" "$err"
fi
snapshot >"$work/after"
if diff -q "$work/before" "$work/after" >/dev/null; then
  ok "renew --dry-run changes nothing in the store (not even a log)"
else
  not_ok "renew --dry-run changes nothing" "$(diff "$work/before" "$work/after")"
fi

# ==== due: renewed from the same CA, new key, same names, usages reassigned ====
CERTWIZ_TEST_NOW=$due_now run renew --json
printf '%s\n' "$out" >"$work/renewed.json"
new=$(json_get "$work/renewed.json" 'd["results"][0]["new-thumbprint"]' 2>/dev/null)
if [ "$rc" -eq 0 ] && [ "$(json_get "$work/renewed.json" 'd["results"][0]["outcome"]')" = renewed ] &&
   [ -n "$new" ] && [ "$new" != "$old" ]; then
  ok "renew: the due certificate is renewed"
else
  not_ok "renew: the due certificate is renewed" "exit $rc" "$out" "$err"
fi
check "renew --json lists the three reassigned usages" test \
  "$(json_get "$work/renewed.json" '",".join(d["results"][0]["reassigned"])')" = \
  default,web-internal,web-external
for usage in default web-internal web-external; do
  check "$usage: usages.ini has the new certificate" test "$(assigned "$usage")" = "$new"
  check "$usage: live/$usage serves the new certificate (openssl)" \
    test "$(openssl_thumbprint "$store/live/$usage/cert.pem")" = "$new"
  check "$usage: live/$usage's key matches its certificate" \
    test "$(pubkey_of "$store/live/$usage/cert.pem")" = \
         "$(openssl pkey -in "$store/live/$usage/privkey.pem" -pubout -outform DER | sha256sum)"
done
check "the renewal has a new key" \
  test "$(pubkey_of "$store/certs/$new.pem")" != "$(pubkey_of "$store/certs/$old.pem")"
check "the renewal has exactly the old names" \
  test "$(names_of "$store/certs/$new.pem")" = "$(names_of "$store/certs/$old.pem")"
check "the renewal has the old subject" \
  test "$(subject_of "$store/certs/$new.pem")" = "$(subject_of "$store/certs/$old.pem")"
check "the renewal has the old key type (P-256)" \
  test "$(key_type_of "$store/certs/$new.pem")" = "$(key_type_of "$store/certs/$old.pem")"
check "the new certificate keeps the friendly name" \
  grep -qx 'friendly-name=Lab FE' "$store/meta/$new.ini"
check "the old certificate is still in the store" test -s "$store/certs/$old.pem"
check "the old certificate records its successor" \
  grep -qx "renewed-by=$new" "$store/meta/$old.renewal.ini"
check "the new certificate's request names the one it replaces" \
  grep -qx "replaces=$old" "$store/meta/$new.request.ini"

run list --json
printf '%s\n' "$out" >"$work/list.json"
check "list --json: the old certificate's renewal state is renewed, naming its successor" test \
  "$(json_get "$work/list.json" '[c["renewal"]["state"] + ":" + str(c["renewal"]["renewed_by"]) for c in d["certificates"] if c["thumbprint"] == "'"$old"'"][0]')" = "renewed:$new"
check "list --json: the new one is valid and due in about a year" test \
  "$(json_get "$work/list.json" '[c["renewal"]["state"] + ":" + str(c["renewal"]["days_left"] > 390) for c in d["certificates"] if c["thumbprint"] == "'"$new"'"][0]')" = "ok:True"
run list
check "list prints the renewal line" grep -q "^Renewal: *Renewed as $new" "$work/stdout"

run renew --json
printf '%s\n' "$out" >"$work/again.json"
check "the next run (real clock) renews nothing: the new one is not due" test \
  "$(json_get "$work/again.json" '",".join(r["outcome"] for r in d["results"])')" = not-due

# ==== --reuse-key ====
expect_success "renew --force --reuse-key" renew --force --reuse-key "$new" --json
printf '%s\n' "$out" >"$work/reuse.json"
third=$(json_get "$work/reuse.json" 'd["results"][0]["new-thumbprint"]')
check "--reuse-key: a new certificate with the same public key" \
  test -n "$third" -a "$third" != "$new" -a \
  "$(pubkey_of "$store/certs/$third.pem" 2>/dev/null)" = "$(pubkey_of "$store/certs/$new.pem")"
check "--reuse-key: the usages moved to it" test "$(assigned web-internal)" = "$third"

# ==== the CA holds the renewal: the next run retrieves it ====
expect_success "lab CA: hold requests for approval" ca local hold on
run renew --force "$third" --json
printf '%s\n' "$out" >"$work/held.json"
if [ "$rc" -eq 0 ] && [ "$(json_get "$work/held.json" 'd["results"][0]["outcome"]')" = waiting ]; then
  ok "renew: the lab CA holds the renewal (waiting)"
else
  not_ok "renew: the CA holds the renewal" "exit $rc" "$out" "$err"
fi
pending=$(json_get "$work/held.json" 'd["results"][0]["pending-id"]')
check "the waiting renewal is a pending entry with its key (0600)" \
  test "$(stat -c %a "$store/pending/$pending/key.pem" 2>/dev/null)" = 600
check "while it waits, the old certificate serves every usage" test "$(assigned default)" = "$third"
run list --json
printf '%s\n' "$out" >"$work/list.json"
held_id=$(sed -n 's/^ca-request-id=//p' "$store/pending/$pending/request.ini")
expect_success "lab CA: approve the held request" ca local approve "$held_id"
expect_success "the next run (no thumbprint) retrieves the renewal" renew --json
printf '%s\n' "$out" >"$work/retrieved.json"
fourth=$(json_get "$work/retrieved.json" '[r["new-thumbprint"] for r in d["results"] if r["outcome"] == "renewed"][0]' 2>/dev/null)
check "the retrieved renewal is assigned to every usage" \
  test -n "$fourth" -a "$(assigned default)" = "$fourth" -a "$(assigned web-external)" = "$fourth"
check "live/default serves it" test "$(openssl_thumbprint "$store/live/default/cert.pem")" = "$fourth"

# ==== the CA denies: the old assignment stays, the failure is recorded and backed off ====
# held_id PENDING-ID: the lab CA's request id of a pending entry
held_id () { sed -n 's/^ca-request-id=//p' "$store/pending/$1/request.ini"; }
run renew --force "$fourth" --json
printf '%s\n' "$out" >"$work/held2.json"
pending=$(json_get "$work/held2.json" 'd["results"][0]["pending-id"]')
expect_success "lab CA: deny the held request" ca local deny "$(held_id "$pending")" --reason "not today"
CERTWIZ_TEST_NOW=$due_now run renew
if [ "$rc" -eq 7 ] && [[ $err == *"not today"* ]] && [[ $err == *"keeps serving"* ]]; then
  ok "a denied renewal fails with the CA's reason (exit 7) and says the old one keeps serving"
else
  not_ok "a denied renewal fails with the CA's reason" "exit $rc" "$out" "$err"
fi
for usage in default web-internal web-external; do
  check "denied: $usage still serves the old certificate" \
    test "$(assigned "$usage")" = "$fourth" -a \
    "$(openssl_thumbprint "$store/live/$usage/cert.pem")" = "$fourth"
done
check "denied: the failure is recorded with its reason and a next attempt" \
  grep -q 'last-error=.*not today' "$store/meta/$fourth.renewal.ini"
check "denied: failures=1" grep -qx 'failures=1' "$store/meta/$fourth.renewal.ini"
CERTWIZ_TEST_NOW=$due_now run renew --json "$fourth"
printf '%s\n' "$out" >"$work/backoff.json"
check "a run right after the failure backs off" \
  test "$(json_get "$work/backoff.json" 'd["results"][0]["outcome"]')" = backing-off
CERTWIZ_TEST_NOW=$(date -u -d '+380 days 2 hours' +%Y-%m-%dT%H:%M:%SZ) run renew --json "$fourth"
printf '%s\n' "$out" >"$work/retry.json"
check "after the back-off (1 hour) the next run tries again (the CA holds it again)" \
  test "$(json_get "$work/retry.json" 'd["results"][0]["outcome"]')" = waiting
check "still the old certificate on every usage" test "$(assigned web-internal)" = "$fourth"
run pending clear "$(json_get "$work/retry.json" 'd["results"][0]["pending-id"]')"
expect_success "lab CA: stop holding" ca local hold off

# ==== journal: under systemd, failures carry the error priority ====
expect_success "lab CA: hold again" ca local hold on
run renew --force "$fourth" --json
printf '%s\n' "$out" >"$work/held3.json"
pending=$(json_get "$work/held3.json" 'd["results"][0]["pending-id"]')
run ca local deny "$(held_id "$pending")" --reason "journal test"
touch "$work/journal"
stream=$(stat -L -c '%d:%i' "$work/journal")
JOURNAL_STREAM=$stream "$cli" renew >/dev/null 2>"$work/journal"
check "with JOURNAL_STREAM, a failure is logged at priority err (<3>)" \
  grep -q '^<3>.*journal test' "$work/journal"
run ca local hold off

# ==== ACME: renewal from Debian's pebble, and an unreachable CA ====
acme ()
{
  local dir=$work/acme acme_port mgmt_port http_port thumb renewed
  need "ACME: pebble" /usr/bin/pebble curl || return
  mkdir "$dir"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$dir/ext.cnf"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=certwiz renew test pebble tls ca" -keyout "$dir/tls-ca.key" \
    -out "$dir/tls-ca.pem" >/dev/null 2>&1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$dir/tls.key" -out "$dir/tls.csr" >/dev/null 2>&1
  openssl x509 -req -in "$dir/tls.csr" -CA "$dir/tls-ca.pem" -CAkey "$dir/tls-ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/ext.cnf" -out "$dir/tls.pem" >/dev/null 2>&1
  acme_port=$(free_port); mgmt_port=$(free_port); http_port=$(free_port)
  # Certificates valid for 90 days, as Let's Encrypt's: due 30 days before the end
  cat >"$dir/pebble.json" <<EOF
{"pebble":{"listenAddress":"127.0.0.1:$acme_port","managementListenAddress":"127.0.0.1:$mgmt_port",
"certificate":"$dir/tls.pem","privateKey":"$dir/tls.key","httpPort":$http_port,
"tlsPort":$(free_port),"ocspResponderURL":"","externalAccountBindingRequired":false,
"certificateValidityPeriod":7776000}}
EOF
  start_peer pebble env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    /usr/bin/pebble -config "$dir/pebble.json"
  if ! wait_for_line pebble "Listening on"; then
    not_ok "ACME: pebble starts" "$(cat "$work/pebble.out")"
    return
  fi
  expect_success "ACME: ca add pebble" ca add pebble --url "https://127.0.0.1:$acme_port/dir" \
    --trust-bundle "$dir/tls-ca.pem" --contact admin@example.test \
    --http01 "listen:127.0.0.1:$http_port" || return
  expect_success "ACME: request from pebble" request --ca pebble --usage web-external --key rsa2048 ||
    return
  thumb=$(sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/stdout")
  curl -sf --cacert "$dir/tls-ca.pem" "https://127.0.0.1:$mgmt_port/roots/0" >"$dir/root.pem"
  expect_success "ACME: trust pebble's root" trust import "$dir/root.pem"
  expect_success "ACME: assign to web-external" assign "$thumb" --usage web-external || return

  # 90 days from now minus 20: due under the default rule (30 days left)
  CERTWIZ_TEST_NOW=$(date -u -d '+70 days' +%Y-%m-%dT%H:%M:%SZ) run renew --json
  printf '%s\n' "$out" >"$dir/renew.json"
  renewed=$(json_get "$dir/renew.json" '[r["new-thumbprint"] for r in d["results"] if r["thumbprint"] == "'"$thumb"'"][0]' 2>/dev/null)
  if [ "$rc" -eq 0 ] && [ -n "$renewed" ] && [ "$renewed" != "$thumb" ]; then
    ok "ACME: the due certificate is renewed from pebble"
  else
    not_ok "ACME: renewed from pebble" "exit $rc" "$out" "$err"
    return
  fi
  check "ACME: web-external serves the renewal" \
    test "$(assigned web-external)" = "$renewed" -a \
    "$(openssl_thumbprint "$store/live/web-external/cert.pem")" = "$renewed"
  check "ACME: pebble issued it (issuer is pebble's intermediate)" \
    sh -c "openssl x509 -in '$store/certs/$renewed.pem' -noout -issuer | grep -qi pebble"
  check "ACME: still RSA 2048" \
    sh -c "openssl x509 -in '$store/certs/$renewed.pem' -noout -text | grep -q 'Public-Key: (2048 bit)'"

  # The CA unreachable: the configured URL now points at a closed port
  expect_success "ACME: point the CA at a closed port" ca add pebble \
    --url "https://127.0.0.1:$(free_port)/dir" --trust-bundle "$dir/tls-ca.pem" \
    --contact admin@example.test --http01 "listen:127.0.0.1:$http_port" --protocol acme
  ls "$store/pending" >"$dir/pending-before"
  run renew --force "$renewed"
  if [ "$rc" -ne 0 ] && [[ $err == *"keeps serving"* ]]; then
    ok "ACME: an unreachable CA fails with a clear message (exit $rc)"
  else
    not_ok "ACME: an unreachable CA fails clearly" "exit $rc" "$out" "$err"
  fi
  check "ACME: unreachable: web-external still serves the old certificate" \
    test "$(assigned web-external)" = "$renewed" -a \
    "$(openssl_thumbprint "$store/live/web-external/cert.pem")" = "$renewed"
  check "ACME: unreachable: no pending entry is left behind" \
    test "$(ls "$store/pending")" = "$(cat "$dir/pending-before")"
  check "ACME: unreachable: the failure is recorded" \
    grep -qx 'failures=1' "$store/meta/$renewed.renewal.ini"

  # Reachable again: the retry completes
  expect_success "ACME: point the CA back at pebble" ca add pebble \
    --url "https://127.0.0.1:$acme_port/dir" --trust-bundle "$dir/tls-ca.pem" \
    --contact admin@example.test --http01 "listen:127.0.0.1:$http_port"
  CERTWIZ_TEST_NOW=$(date -u -d '+70 days' +%Y-%m-%dT%H:%M:%SZ) run renew --force "$renewed" --json
  printf '%s\n' "$out" >"$dir/retry.json"
  check "ACME: the retry renews it" \
    test "$(json_get "$dir/retry.json" 'd["results"][0]["outcome"]')" = renewed
  check "ACME: after the retry the failure record is cleared" \
    grep -qx 'failures=0' "$store/meta/$renewed.renewal.ini"
}
acme

finish
