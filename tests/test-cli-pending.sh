# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli, pending requests (TAP): the lab CA holds requests for approval ->
# request answers pending with a request ID -> retrieve says still pending ->
# approve -> retrieve stores the certificate -> trust the lab root -> assign, live/
# checked with openssl; a denied request and its reason; pending list --json; clear.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

for cmd in "pending list" "pending retrieve" "pending clear" "ca local hold" "ca local held" \
           "ca local approve" "ca local deny"; do
  # shellcheck disable=SC2086
  run $cmd --help
  if [ "$rc" -eq 0 ] && [[ $out == *"certwiz-cli $cmd"* ]]; then
    ok "$cmd --help"
  else
    not_ok "$cmd --help" "exit $rc" "stdout: $out" "stderr: $err"
  fi
done
run pending clear --help
check "pending clear --help says it deletes the private key" grep -qi 'private key' "$work/stdout"

expect_success "server set" server set --fqdn fe01.corp.example.test \
  --pool-fqdn pool.corp.example.test --web-internal-fqdn webint.corp.example.test \
  --web-external-fqdn webext.example.test --sip-domains example.test

run pending list
check "pending list on a new store says nothing is pending" \
  test "$rc" -eq 0 -a "$out" = "No request is pending."
run ca local hold maybe
check "ca local hold maybe is a usage error" test "$rc" -eq 2

# ---- hold on ----
expect_success "ca local hold on" ca local hold on
check "hold is a file in local-ca/" test -f "$store/local-ca/hold"
run ca local hold
check "ca local hold (no argument) says hold is on" grep -q 'holds new requests' "$work/stdout"

expect_success "request while the lab CA holds requests" request --friendly-name "Held" --key p256
cp "$work/stdout" "$work/request.out"
check "request prints the pending status" grep -q '^Status: .*pending' "$work/request.out"
req_id=$(sed -n 's/^Request ID: *\([0-9A-F]\{16\}\)$/\1/p' "$work/request.out")
pending_id=$(sed -n 's/^Pending request: *\([0-9a-f]*\)$/\1/p' "$work/request.out")
check "request prints the lab CA's request ID" test -n "$req_id"
check "request prints the pending entry" test -n "$pending_id" -a -d "$store/pending/$pending_id"
check "request prints the next step" grep -Fq "pending retrieve $pending_id" "$work/request.out"
check "no certificate is stored yet" test -z "$(ls "$store/certs" 2>/dev/null)"

run ca local held
check "ca local held lists the request ID" test "$rc" -eq 0 -a "$out" = "$req_id"

run pending list --json
printf '%s\n' "$out" >"$work/pending.json"
if [ "$rc" -eq 0 ] && "$py" -m json.tool "$work/pending.json" >/dev/null &&
   [ "$(json_get "$work/pending.json" '[e["id"] + "|" + e["state"] + "|" + e["ca"] + "|" + e["ca_request_id"] + "|" + e["friendly_name"] + "|" + e["common_name"] for e in d]')" = \
     "$pending_id|pending|local|$req_id|Held|pool.corp.example.test" ] &&
   [ "$(json_get "$work/pending.json" 'd[0]["usages"]' | tr '\n' ,)" = "default,web-internal,web-external," ] &&
   json_get "$work/pending.json" 'd[0]["created"]' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$'; then
  ok "pending list --json describes the held request"
else
  not_ok "pending list --json" "exit $rc" "$out" "$err"
fi

# ---- still pending ----
run pending retrieve "$pending_id"
check "retrieve before approval exits 0" test "$rc" -eq 0
check "retrieve before approval says pending" grep -q '^Status: .*pending' "$work/stdout"
check "the entry is kept" test -d "$store/pending/$pending_id"

# ---- approve, retrieve (all retrievable, no ID) ----
expect_success "ca local approve" ca local approve "$req_id"
run ca local held
check "nothing is held after the approval" test "$rc" -eq 0 -a -z "$out"
run ca local approve "$req_id"
check "approving twice fails" test "$rc" -ne 0

expect_success "pending retrieve (every retrievable request)" pending retrieve
cp "$work/stdout" "$work/retrieve.out"
check "retrieve prints the issued status" grep -q '^Status: .*issued' "$work/retrieve.out"
thumb=$(sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/retrieve.out")
check "retrieve prints the thumbprint" test -n "$thumb"
check "retrieve prints the request's friendly name" grep -Eq '^Friendly name: +Held$' "$work/retrieve.out"
check "the certificate is stored" test -s "$store/certs/$thumb.pem"
check "the stored certificate's thumbprint is openssl's" \
  test "$(openssl_thumbprint "$store/certs/$thumb.pem")" = "$thumb"
check "the pending entry is gone" test ! -e "$store/pending/$pending_id"
check "retrieve names the untrusted lab root" grep -q 'Certwiz Lab Root' "$work/retrieve.out"
run pending list
check "nothing pending afterwards" test "$out" = "No request is pending."

# ---- assign: trust the lab root first ----
run assign "$thumb"
check "assign is refused before the lab root is trusted" test "$rc" -ne 0
"$cli" ca local root >"$work/root.pem"
expect_success "trust import the lab root" trust import "$work/root.pem"
expect_success "assign the retrieved certificate" assign "$thumb"
for u in default web-internal web-external; do
  dir=$(readlink -f "$store/live/$u")
  if [ -n "$dir" ] && [ -s "$dir/cert.pem" ] &&
     [ "$(openssl_thumbprint "$dir/cert.pem")" = "$thumb" ] &&
     [ "$(openssl x509 -in "$dir/cert.pem" -noout -pubkey)" = "$(openssl pkey -in "$dir/privkey.pem" -pubout)" ] &&
     openssl verify -CAfile "$work/root.pem" -purpose sslserver "$dir/cert.pem" >/dev/null; then
    ok "live/$u serves the retrieved certificate with its key"
  else
    not_ok "live/$u" "dir=$dir"
  fi
done

# ---- deny ----
expect_success "request held again" request --friendly-name "Denied one" --key p256
req_id=$(sed -n 's/^Request ID: *\([0-9A-F]\{16\}\)$/\1/p' "$work/stdout")
pending_id=$(sed -n 's/^Pending request: *\([0-9a-f]*\)$/\1/p' "$work/stdout")
expect_success "ca local deny --reason" ca local deny "$req_id" --reason "Not in the change window"
run pending retrieve "$pending_id"
check "retrieving a denied request fails (exit $rc)" test "$rc" -ne 0
check "retrieve prints the denied status" grep -q '^Status: .*denied' "$work/stdout"
check "retrieve prints the reason" grep -Eq '^Reason: +Not in the change window$' "$work/stdout"
check "the error says it was denied" grep -q 'denied' "$work/stderr"
run pending list --json
printf '%s\n' "$out" >"$work/pending.json"
check "pending list --json: state denied with the reason" test \
  "$(json_get "$work/pending.json" '[e["state"] + "|" + e["reason"] for e in d]')" = \
  "denied|Not in the change window"
run pending retrieve
check "retrieve without ID skips the denied request" \
  test "$rc" -eq 0 -a "$out" = "No request waits on a certification authority."

# ---- hold survives; clear ----
run ca local hold
check "hold is still on in a new process" grep -q 'holds new requests' "$work/stdout"
expect_success "pending clear" pending clear "$pending_id"
check "clear removed the entry and its key" test ! -e "$store/pending/$pending_id"
run pending clear "$pending_id"
check "clearing again fails" test "$rc" -ne 0
expect_success "ca local hold off" ca local hold off
check "hold file removed" test ! -e "$store/local-ca/hold"
expect_success "request with hold off" request --friendly-name "At once" --key p256
check "with hold off the certificate is issued at once" grep -q '^Status: .*issued' "$work/stdout"

finish
