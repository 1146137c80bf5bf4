# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli against real online CAs on 127.0.0.1, as an admin uses it (TAP): for ACME
# (Debian's pebble), SCEP (Debian's scepserver and tests/scep-responder), EST
# (tests/est-server.py) and AD CS Web Enrollment (tests/certsrv, Basic over TLS):
#   ca add NAME --url … [--trust-bundle …] [secrets as 0600 files] → request --ca NAME →
#   the stored certificate checked with openssl (its public key is the stored key's, its
#   chain verifies against the peer's root) → trust import of the peer's root → assign;
#   pending → pending retrieve → issued where the protocol has it; denied with the reason;
#   --json-progress shows the protocol's stages; request --ca URL once.
# No secret (EAB HMAC key, challenge password, password) appears in any output or in the
# store's log/. One peer per protocol and mode; P-256 wherever the protocol allows.
#
# scepserver listens on every interface and has no bind option: as root the whole script
# re-executes itself in a network namespace of its own with only loopback (`unshare -n`).

if [ "${CERTWIZ_TEST_NETNS:-}" != 1 ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
   unshare -n ip link set lo up 2>/dev/null; then
  export CERTWIZ_TEST_NETNS=1
  exec unshare -n -- sh -c 'ip link set lo up && exec bash "$0" "$@"' "${BASH_SOURCE[0]}" "$@"
fi

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/cli-peers.sh"

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
builddir=${CERTWIZ_BUILD_ROOT:-$srcdir/../_build}/tests
py=/usr/bin/python3
# Everything certwiz-cli prints, for the secret check at the end
all_output=$work/all-output
run ()
{
  "$cli" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
  cat "$work/stdout" "$work/stderr" >>"$all_output"
}

# The thumbprint in request/retrieve output
thumb_of () { sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$1" | head -1; }

# check_issued DESCRIPTION THUMBPRINT ROOT: the stored certificate's public key is its
# stored key's, and its chain (the store's intermediates) verifies against ROOT
check_issued ()
{
  local desc=$1 thumb=$2 root=$3 cert key_id key untrusted=() f
  cert=$store/certs/$thumb.pem
  if [ -z "$thumb" ] || [ ! -s "$cert" ]; then
    not_ok "$desc: the certificate is in the store" "thumbprint “$thumb”"
    return 1
  fi
  check "$desc: the stored certificate's thumbprint is openssl's" \
    test "$(openssl_thumbprint "$cert")" = "$thumb"
  key=""
  for f in "$store"/keys/*.pem; do
    if [ "$(openssl pkey -in "$f" -pubout 2>/dev/null)" = \
         "$(openssl x509 -in "$cert" -noout -pubkey)" ]; then
      key=$f
    fi
  done
  check "$desc: the stored private key matches the certificate's public key" test -n "$key"
  [ -n "$key" ] && check "$desc: the private key is 0600" test "$(stat -c %a "$key")" = 600
  # The chain the CA returned, as the store keeps it next to the certificate's metadata
  cat "$store/meta/$thumb.chain.pem" "$store"/trust/intermediates/*.pem >"$work/untrusted.pem" \
    2>/dev/null
  [ -s "$work/untrusted.pem" ] && untrusted=(-untrusted "$work/untrusted.pem")
  if openssl verify -CAfile "$root" "${untrusted[@]}" "$cert" >"$work/verify.out" 2>&1; then
    ok "$desc: openssl verifies the chain against the CA's root"
  else
    not_ok "$desc: openssl verifies the chain against the CA's root" "$(cat "$work/verify.out")"
  fi
}

# expect_stages DESCRIPTION STAGE…: the --json-progress output ($work/stdout) has these
# progress stages in this order (others may come between) and ends with one result line
expect_stages ()
{
  local desc=$1
  shift
  if "$py" - "$work/stdout" "$@" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
stages = [l["progress"]["stage"] for l in lines if "progress" in l]
want = sys.argv[2:]
it = iter(stages)
assert all(any(s == w for s in it) for w in want), stages
assert "result" in lines[-1] and all("result" not in l for l in lines[:-1])
EOF
  then
    ok "$desc: --json-progress shows the stages $*"
  else
    not_ok "$desc: --json-progress shows the stages $*" "$out"
  fi
}

# assign_usage DESCRIPTION THUMBPRINT USAGE: assign works and live/USAGE holds the cert
assign_usage ()
{
  local desc=$1 thumb=$2 usage=$3
  if expect_success "$desc: assign --usage $usage" assign "$thumb" --usage "$usage"; then
    check "$desc: live/$usage holds the certificate" \
      test "$(openssl_thumbprint "$store/live/$usage/cert.pem")" = "$thumb"
  fi
}

if ! need "openssl, python3 and mkfifo" openssl "$py" mkfifo; then
  finish
  exit
fi

expect_success "server set" server set --fqdn fe01.corp.example.test \
  --web-internal-fqdn webint.corp.example.test --web-external-fqdn webext.example.test \
  --sip-domains example.test

# ==== ACME: pebble with External Account Binding and a blocked name ====
acme ()
{
  local dir=$work/acme acme_port mgmt_port http_port hmac thumb
  need "ACME: pebble" /usr/bin/pebble || return
  mkdir "$dir"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$dir/ext.cnf"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=certwiz online test pebble tls ca" -keyout "$dir/tls-ca.key" \
    -out "$dir/tls-ca.pem" >/dev/null 2>&1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$dir/tls.key" -out "$dir/tls.csr" >/dev/null 2>&1
  openssl x509 -req -in "$dir/tls.csr" -CA "$dir/tls-ca.pem" -CAkey "$dir/tls-ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/ext.cnf" -out "$dir/tls.pem" >/dev/null 2>&1
  hmac=$(openssl rand 32 | "$py" -c 'import base64, sys
print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).decode().rstrip("="))')
  secrets+=("$hmac")
  acme_port=$(free_port); mgmt_port=$(free_port); http_port=$(free_port)
  cat >"$dir/pebble.json" <<EOF
{"pebble":{"listenAddress":"127.0.0.1:$acme_port","managementListenAddress":"127.0.0.1:$mgmt_port",
"certificate":"$dir/tls.pem","privateKey":"$dir/tls.key","httpPort":$http_port,
"tlsPort":$(free_port),"ocspResponderURL":"","externalAccountBindingRequired":true,
"externalAccountMACKeys":{"kid-1":"$hmac"},"domainBlocklist":["blocked.example.test"]}}
EOF
  start_peer pebble env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    /usr/bin/pebble -config "$dir/pebble.json"
  if ! wait_for_line pebble "Listening on"; then
    not_ok "ACME: pebble starts" "$(cat "$work/pebble.out")"
    return
  fi
  ok "ACME: pebble listens on 127.0.0.1:$acme_port"

  umask 077
  printf '%s\n' "$hmac" >"$dir/hmac"
  umask 022
  expect_success "ACME: ca add with EAB and the TLS trust bundle (protocol detected)" \
    ca add pebble --url "https://127.0.0.1:$acme_port/dir" --trust-bundle "$dir/tls-ca.pem" \
    --eab-kid kid-1 --eab-hmac-file "$dir/hmac" --contact admin@example.test \
    --http01 "listen:127.0.0.1:$http_port" || return
  [[ $out == *"speaks ACME (RFC 8555)"* ]] && ok "ACME: ca add detected ACME" ||
    not_ok "ACME: ca add detected ACME" "$out"

  run --json-progress request --ca pebble --usage web-external --key p256
  if [ "$rc" -eq 0 ]; then ok "ACME: request --json-progress --ca pebble"
  else not_ok "ACME: request --ca pebble" "exit $rc" "$out" "$err"; return; fi
  expect_stages "ACME" connecting authenticating submitting proving-control downloading storing
  printf '%s\n' "$out" | tail -1 >"$work/result.json"
  thumb=$(json_get "$work/result.json" 'd["result"]["thumbprint"]')
  [ "$(json_get "$work/result.json" 'd["result"]["status"]')" = issued ] &&
    ok "ACME: the result says issued" || not_ok "ACME: the result says issued" "$out"
  check "ACME: the account key is kept in the store (0600)" \
    test "$(stat -c %a "$store/acme/pebble/account.key" 2>/dev/null)" = 600

  # The roots Pebble made at start-up, from its management interface
  curl -sf --cacert "$dir/tls-ca.pem" "https://127.0.0.1:$mgmt_port/roots/0" >"$dir/root.pem"
  check_issued "ACME" "$thumb" "$dir/root.pem"

  expect_success "ACME: a second request reuses the account" \
    request --ca pebble --usage web-external --key p256
  cp "$work/stdout" "$dir/second.out"
  thumb=$(thumb_of "$dir/second.out")
  check "ACME: the second request stored another certificate" test -s "$store/certs/$thumb.pem"
  check "ACME: the account is registered once" \
    test "$(grep -c 'POST /sign-me-up' "$work/pebble.out")" -eq 1

  run assign "$thumb" --usage web-external
  [ "$rc" -eq 13 ] && ok "ACME: assign before trusting Pebble's root is refused (exit 13)" ||
    not_ok "ACME: assign before trusting the root is refused" "exit $rc" "$out" "$err"
  expect_success "ACME: trust import of Pebble's root" trust import "$dir/root.pem"
  assign_usage "ACME" "$thumb" web-external

  run request --ca pebble --usage web-external --key p256 --san blocked.example.test
  if [ "$rc" -eq 7 ] && [[ $err == *"denied"* ]] && [[ $err == *"rejectedIdentifier"* || $err == *"blocked.example.test"* ]]; then
    ok "ACME: a blocked name is denied with the CA's reason (exit 7)"
  else
    not_ok "ACME: a blocked name is denied with the CA's reason" "exit $rc" "$out" "$err"
  fi
}

# ==== SCEP: scepserver (issued, wrong challenge) and scep-responder (pending) ====
scep ()
{
  local dir=$work/scep port thumb challenge pending_id rport
  mkdir "$dir"
  if [ "${CERTWIZ_TEST_NETNS:-}" = 1 ] && need "SCEP: scepserver" scepserver; then
    challenge=scep-$(openssl rand -hex 12)
    secrets+=("$challenge")
    scepserver ca -init -depot "$dir/depot" -keySize 2048 >/dev/null 2>&1
    port=$(free_port)
    start_peer scepserver scepserver -depot "$dir/depot" -port "$port" -challenge "$challenge"
    for _ in $(seq 1 200); do
      curl -sf "http://127.0.0.1:$port/scep?operation=GetCACaps" >/dev/null && break
      sleep 0.05
    done
    umask 077
    printf '%s\n' "$challenge" >"$dir/challenge"
    printf '%s\n' "not-the-challenge" >"$dir/wrong"
    umask 022
    expect_success "SCEP: ca add with a challenge password file" \
      ca add ndes --url "http://127.0.0.1:$port/scep" --protocol scep \
      --challenge-password-file "$dir/challenge"
    run --json-progress request --ca ndes --usage web-internal --key rsa2048
    if [ "$rc" -eq 0 ]; then
      ok "SCEP: request --ca ndes (scepserver)"
      expect_stages "SCEP" connecting submitting storing
      printf '%s\n' "$out" | tail -1 >"$work/result.json"
      thumb=$(json_get "$work/result.json" 'd["result"]["thumbprint"]')
      openssl x509 -in "$dir/depot/ca.pem" -out "$dir/root.pem" 2>/dev/null ||
        cp "$dir/depot/ca.crt" "$dir/root.pem" 2>/dev/null
      [ -s "$dir/root.pem" ] || openssl x509 -inform DER -in "$dir/depot/ca.crt" \
        -out "$dir/root.pem" 2>/dev/null
      check_issued "SCEP (scepserver)" "$thumb" "$dir/root.pem"
    else
      not_ok "SCEP: request --ca ndes (scepserver)" "exit $rc" "$out" "$err"
    fi

    expect_success "SCEP: ca add with a wrong challenge password file" \
      ca add ndes-wrong --url "http://127.0.0.1:$port/scep" --protocol scep \
      --challenge-password-file "$dir/wrong"
    run request --ca ndes-wrong --usage web-internal
    if [ "$rc" -eq 7 ] && [[ $err == *"denied"* ]] && [[ $err == *"challenge password"* ]]; then
      ok "SCEP: a wrong challenge password is denied with the reason (exit 7)"
    else
      not_ok "SCEP: a wrong challenge password is denied with the reason" "exit $rc" "$out" "$err"
    fi
  elif [ "${CERTWIZ_TEST_NETNS:-}" != 1 ]; then
    if [ "${CI:-}" = true ]; then
      not_ok "SCEP: scepserver" "needs root for a network namespace of its own (unshare -n)"
    else
      skip "SCEP: scepserver" "needs root for a network namespace of its own (unshare -n)"
    fi
  fi

  # The responder: PENDING, then CertPoll PENDING, then SUCCESS; by URL, no challenge
  need "SCEP: tests/scep-responder" "$builddir/scep-responder" || return
  mkdir "$dir/responder"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/O=Certwiz tests/CN=Test SCEP CA" \
    -keyout "$dir/responder/ca.key" -out "$dir/responder/ca.pem" >/dev/null 2>&1
  start_peer scep-responder "$builddir/scep-responder" --dir "$dir/responder" --pending
  if ! wait_for_line scep-responder "^PORT "; then
    not_ok "SCEP: scep-responder starts" "$(cat "$work/scep-responder.err")"
    return
  fi
  rport=$(sed -n 's/^PORT //p' "$work/scep-responder.out")
  run request --ca "http://127.0.0.1:$rport/cgi-bin/pkiclient.exe" --usage web-internal
  pending_id=$(sed -n 's/^Pending request: *//p' "$work/stdout")
  if [ "$rc" -eq 0 ] && [[ $out == *"The request is pending"* ]] && [ -n "$pending_id" ]; then
    ok "SCEP: request --ca URL (protocol detected) is pending"
  else
    not_ok "SCEP: request --ca URL is pending" "exit $rc" "$out" "$err"
    return
  fi
  run pending retrieve "$pending_id"
  if [ "$rc" -eq 0 ] && [[ $out == *"pending"* ]] && [ -d "$store/pending/$pending_id" ]; then
    ok "SCEP: pending retrieve while the CA still holds it: still pending"
  else
    not_ok "SCEP: pending retrieve: still pending" "exit $rc" "$out" "$err"
  fi
  run --json-progress pending retrieve "$pending_id"
  printf '%s\n' "$out" | tail -1 >"$work/result.json"
  if [ "$rc" -eq 0 ] && [ "$(json_get "$work/result.json" 'd["result"]["status"]' 2>/dev/null)" = issued ] ||
     [ "$(json_get "$work/result.json" 'd["result"]["results"][0]["status"]' 2>/dev/null)" = issued ]; then
    ok "SCEP: pending retrieve once the CA issued: issued"
  else
    not_ok "SCEP: pending retrieve: issued" "exit $rc" "$out" "$err"
    return
  fi
  expect_stages "SCEP retrieve" connecting waiting downloading storing
  thumb=$(grep -o '"thumbprint":"[0-9A-F]*"' "$work/stdout" | head -1 | cut -d'"' -f4)
  check "SCEP: the pending entry is gone" test ! -e "$store/pending/$pending_id"
  check_issued "SCEP (pending, retrieved)" "$thumb" "$dir/responder/ca.pem"
  expect_success "SCEP: trust import of the responder's CA" trust import "$dir/responder/ca.pem"
  assign_usage "SCEP" "$thumb" web-internal
}

# ==== EST: est-server.py with Basic; a 202 server; a refusing server ====
est ()
{
  local dir=$work/est password port pport fport thumb pending_id
  need "EST: tests/est-server.py" "$srcdir/est-server.py" || return
  mkdir "$dir"
  make_est_pki "$dir" "Online"
  password=est-$(openssl rand -hex 12)
  secrets+=("$password")
  umask 077
  printf '%s\n' "$password" >"$dir/password"
  umask 022
  est_peer ()
  {
    local name=$1
    shift
    start_peer "$name" "$py" "$srcdir/est-server.py" --cert "$dir/tls.pem" --key "$dir/tls.key" \
      --client-ca "$dir/cacerts.pem" --cacerts "$dir/cacerts.pem" --ca-cert "$dir/int.pem" \
      --ca-key "$dir/int.key" --user alice --password "$password" "$@"
  }
  est_peer est
  est_peer est-pending --pending 1 --retry-after 0
  est_peer est-refusing --fail "403:The policy forbids certificates for webint.corp.example.test."
  for name in est est-pending est-refusing; do
    if ! wait_for_line "$name" "^PORT "; then
      not_ok "EST: $name starts" "$(cat "$work/$name.err")"
      return
    fi
  done
  port=$(sed -n 's/^PORT //p' "$work/est.out")
  pport=$(sed -n 's/^PORT //p' "$work/est-pending.out")
  fport=$(sed -n 's/^PORT //p' "$work/est-refusing.out")

  expect_success "EST: ca add with Basic and a password file" \
    ca add est --url "https://127.0.0.1:$port/.well-known/est" --protocol est --auth basic \
    --user alice --password-file "$dir/password" --trust-bundle "$dir/root.pem" || return
  run --json-progress request --ca est --usage web-internal --key p256
  if [ "$rc" -eq 0 ]; then
    ok "EST: request --ca est"
    expect_stages "EST" connecting submitting storing
    printf '%s\n' "$out" | tail -1 >"$work/result.json"
    thumb=$(json_get "$work/result.json" 'd["result"]["thumbprint"]')
    check_issued "EST" "$thumb" "$dir/root.pem"
    expect_success "EST: trust import of the EST root" trust import "$dir/root.pem"
    assign_usage "EST" "$thumb" web-internal
  else
    not_ok "EST: request --ca est" "exit $rc" "$out" "$err"
  fi

  # The account page's credentials for one request (what the GUI's helper passes):
  # --user and --password-file win over a CA configured without them
  expect_success "EST: ca add without a password" \
    ca add est-bare --url "https://127.0.0.1:$port/.well-known/est" --protocol est \
    --auth basic --user alice --trust-bundle "$dir/root.pem"
  run request --ca est-bare --usage web-internal --key p256 --user alice \
    --password-file "$dir/password"
  if [ "$rc" -eq 0 ]; then ok "EST: request --user --password-file authenticates"
  else not_ok "EST: request --user --password-file authenticates" "exit $rc" "$out" "$err"; fi
  umask 077
  printf 'wrong-%s\n' "$password" >"$dir/wrong-password"
  umask 022
  run request --ca est-bare --usage web-internal --key p256 --user alice \
    --password-file "$dir/wrong-password"
  if [ "$rc" -ne 0 ] && [[ $err == *alice* ]] && [[ $err != *"$password"* ]]; then
    ok "EST: a wrong --password-file is refused in words, naming the user, not the password"
  else
    not_ok "EST: a wrong --password-file is refused" "exit $rc" "$out" "$err"
  fi

  expect_success "EST: ca add of the server that answers 202 first" \
    ca add est-held --url "https://127.0.0.1:$pport/.well-known/est" --protocol est \
    --auth basic --user alice --password-file "$dir/password" --trust-bundle "$dir/root.pem"
  run --json-progress request --ca est-held --usage web-internal --key p256
  printf '%s\n' "$out" | tail -1 >"$work/result.json"
  pending_id=$(json_get "$work/result.json" 'd["result"]["pending-id"]' 2>/dev/null)
  if [ "$rc" -eq 0 ] && [ "$(json_get "$work/result.json" 'd["result"]["status"]')" = pending ] &&
     [ -n "$pending_id" ] && [ "$pending_id" != None ]; then
    ok "EST: 202 makes the request pending"
    expect_stages "EST 202" connecting waiting
    run pending retrieve "$pending_id"
    thumb=$(thumb_of "$work/stdout")
    if [ "$rc" -eq 0 ] && [ -n "$thumb" ]; then
      ok "EST: pending retrieve sends the request again and gets the certificate"
      check_issued "EST (after 202)" "$thumb" "$dir/root.pem"
    else
      not_ok "EST: pending retrieve gets the certificate" "exit $rc" "$out" "$err"
    fi
  else
    not_ok "EST: 202 makes the request pending" "exit $rc" "$out" "$err"
  fi

  expect_success "EST: ca add of a refusing server" \
    ca add est-refusing --url "https://127.0.0.1:$fport/.well-known/est" --protocol est \
    --auth basic --user alice --password-file "$dir/password" --trust-bundle "$dir/root.pem"
  run request --ca est-refusing --usage web-internal --key p256
  if [ "$rc" -eq 7 ] && [[ $err == *"The policy forbids certificates"* ]]; then
    ok "EST: a refusal is denied with the server's reason (exit 7)"
  else
    not_ok "EST: a refusal is denied with the server's reason" "exit $rc" "$out" "$err"
  fi
}

# ==== AD CS Web Enrollment: tests/certsrv behind Apache, Basic over TLS ====
adcs ()
{
  local dir=$work/adcs url trust root password thumb pending_id req_id state
  need "AD CS: tests/certsrv" "$srcdir/certsrv/certsrv-server.py" || return
  start_peer certsrv "$py" "$srcdir/certsrv/certsrv-server.py" "$dir"
  if ! wait_for_line certsrv "^# ready\|^missing="; then
    not_ok "AD CS: certsrv-server.py starts" "$(tail -5 "$work/certsrv.err")"
    return
  fi
  if grep -q '^missing=' "$work/certsrv.out"; then
    need "AD CS: the certsrv test server" "$(sed -n 's/^missing=//p' "$work/certsrv.out")"
    return
  fi
  info () { sed -n "s/^$1=//p" "$work/certsrv.out"; }
  url=$(info basic); trust=$(info trust); root=$(info root); state=$(info state)
  password=$(info password)
  secrets+=("$password")
  umask 077
  printf '%s\n' "$password" >"$work/adcs-password"
  umask 022

  expect_success "AD CS: ca add with Basic, a password file and a template" \
    ca add corp --url "$url" --protocol adcs --auth basic --user "$(info user)" \
    --password-file "$work/adcs-password" --template WebServer --trust-bundle "$trust" || return
  run --json-progress request --ca corp --usage web-internal --key p256
  if [ "$rc" -eq 0 ]; then
    ok "AD CS: request --ca corp (template WebServer)"
    expect_stages "AD CS" connecting authenticating submitting downloading storing
    printf '%s\n' "$out" | tail -1 >"$work/result.json"
    thumb=$(json_get "$work/result.json" 'd["result"]["thumbprint"]')
    check_issued "AD CS" "$thumb" "$root"
    expect_success "AD CS: trust import of the AD CS root" trust import "$root"
    assign_usage "AD CS" "$thumb" web-internal
  else
    not_ok "AD CS: request --ca corp" "exit $rc" "$out" "$err"
  fi

  run request --ca corp --template ManagerApproval --usage web-internal --key p256
  pending_id=$(sed -n 's/^Pending request: *//p' "$work/stdout")
  req_id=$(sed -n 's/^Request ID: *//p' "$work/stdout")
  if [ "$rc" -eq 0 ] && [[ $out == *"The request is pending"* ]] && [ -n "$pending_id" ] &&
     [ -n "$req_id" ]; then
    ok "AD CS: a ManagerApproval request is pending (request ID $req_id)"
    run pending retrieve "$pending_id"
    [ "$rc" -eq 0 ] && [ -d "$store/pending/$pending_id" ] &&
      ok "AD CS: pending retrieve before approval: still pending" ||
      not_ok "AD CS: pending retrieve before approval: still pending" "exit $rc" "$out" "$err"
    : >"$state/$req_id.approve"
    run pending retrieve "$pending_id"
    thumb=$(thumb_of "$work/stdout")
    if [ "$rc" -eq 0 ] && [ -n "$thumb" ]; then
      ok "AD CS: pending retrieve after approval: issued"
      check_issued "AD CS (approved)" "$thumb" "$root"
    else
      not_ok "AD CS: pending retrieve after approval: issued" "exit $rc" "$out" "$err"
    fi
  else
    not_ok "AD CS: a ManagerApproval request is pending" "exit $rc" "$out" "$err"
  fi

  # Held, then denied by the CA manager
  run request --ca corp --template ManagerApproval --usage web-internal --key p256
  pending_id=$(sed -n 's/^Pending request: *//p' "$work/stdout")
  req_id=$(sed -n 's/^Request ID: *//p' "$work/stdout")
  if [ -n "$req_id" ]; then
    printf 'Contoso CA manager\n' >"$state/$req_id.deny"
    run pending retrieve "$pending_id"
    if [ "$rc" -eq 7 ] && [[ $err == *"denied"* ]] &&
       grep -q '^Reason: .*Contoso CA manager' "$work/stdout"; then
      ok "AD CS: a request the CA manager denies: denied with the reason (exit 7)"
    else
      not_ok "AD CS: a denied pending request" "exit $rc" "$out" "$err"
    fi
  else
    not_ok "AD CS: a second ManagerApproval request is pending" "exit $rc" "$out" "$err"
  fi

  run request --ca corp --template Restricted --usage web-internal --key p256
  if [ "$rc" -eq 7 ] && [[ $err == *"denied"* ]] && [[ $err == *"0x80094012"* ]]; then
    ok "AD CS: the policy module's denial comes with its reason (exit 7)"
  else
    not_ok "AD CS: the policy module's denial" "exit $rc" "$out" "$err"
  fi
}

secrets=()
acme
scep
est
adcs

# ---- secrets never appear ----
leaks=()
for secret in "${secrets[@]}"; do
  grep -qF -- "$secret" "$all_output" && leaks+=("output")
  grep -rqF -- "$secret" "$store/log" "$store/cas.ini" && leaks+=("store log or cas.ini")
done
if [ "${#secrets[@]}" -gt 0 ] && [ "${#leaks[@]}" -eq 0 ]; then
  ok "no secret (${#secrets[@]} of them) appears in any output, in cas.ini or in log/"
else
  not_ok "no secret appears in any output or log" "leaks: ${leaks[*]}"
fi

finish
