# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli ca add|list|show|remove on a temporary store (TAP): configured CAs in
# cas.ini (0644, never a secret), refusals in one sentence with their documented exit
# status and the store unchanged, secrets never printed, --json and --json-progress,
# request --ca NAME|URL and --template through the factory, and protocol detection
# against small servers on 127.0.0.1 (tests/ca-mimic.py) that answer like an ACME
# directory, SCEP, EST, AD CS Web Enrollment (page and 401 Negotiate/NTLM) or nothing,
# over https with a CA this test makes and passes as the trust bundle.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mimic=$srcdir/ca-mimic.py
root=${CERTWIZ_SOURCE_ROOT:-$srcdir/..}
pids=()
cleanup ()
{
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf -- "$store" "$work"
}
trap cleanup EXIT

if ! command -v openssl >/dev/null || ! [ -x "$py" ]; then
  not_ok "openssl and python3 are needed"
  finish
  exit 1
fi

# expect_refused DESCRIPTION STATUS FRAGMENT ARGS…: certwiz-cli fails with STATUS and
# one line containing FRAGMENT, and the store is unchanged
expect_refused ()
{
  local desc=$1 status=$2 fragment=$3 before
  shift 3
  before=$(snapshot)
  run "$@"
  if [ "$rc" -eq "$status" ] && [[ $err == "certwiz-cli: "* ]] &&
     [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *"$fragment"* ]] &&
     [ "$before" = "$(snapshot)" ]; then
    ok "$desc: refused in one sentence, exit $status, store unchanged"
  else
    not_ok "$desc" "expected exit $status with “$fragment”, got exit $rc" "stdout: $out" \
      "stderr: $err"
  fi
}

secret_value='Pa55-w0rd-that-must-never-be-printed'
hmac_value='aG1hYy1rZXktbmV2ZXItcHJpbnRlZA'
printf '%s\n' "$secret_value" >"$work/password"
printf '%s\n' "$hmac_value" >"$work/hmac"
printf '%s\n' "challenge-never-printed" >"$work/challenge"
chmod 600 "$work/password" "$work/hmac"
chmod 400 "$work/challenge"

# A test CA and a TLS certificate for 127.0.0.1, made here (P-256: fast)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Certwiz CA-config Test CA" -keyout "$work/ca.key" -out "$work/ca.pem" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
  >/dev/null 2>&1
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$work/tls.key" -out "$work/tls.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$work/tls.ext"
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/tls.ext" -out "$work/tls.pem" >/dev/null 2>&1
openssl crl2pkcs7 -nocrl -certfile "$work/ca.pem" -outform DER -out "$work/cacerts.p7" \
  >/dev/null 2>&1
check "test CA and TLS certificate made with openssl" test -s "$work/tls.pem" -a -s "$work/cacerts.p7"

# ---- add, list, show, remove ----

expect_success "ca list on an empty store" ca list
[[ $out == *"No online certification authority is configured"* ]] &&
  ok "ca list says there is none" || not_ok "ca list says there is none" "stdout: $out"

expect_success "ca add an AD CS CA with basic authentication and a password file" \
  ca add corp --url https://ca.example.org/certsrv/ --protocol adcs --auth basic \
  --user 'EXAMPLE\bob' --password-file "$work/password" --template WebServer \
  --trust-bundle "$work/ca.pem"
[[ $out == *"Added the certification authority “corp” (AD CS Web Enrollment)."* ]] &&
  ok "ca add says what it added" || not_ok "ca add says what it added" "stdout: $out"

pushd "$work" >/dev/null || exit 1
expect_success "ca add an ACME CA with External Account Binding (a relative file name)" \
  ca add acme1 --url https://acme.example.org/directory --protocol acme \
  --contact admin@example.org --eab-kid kid-1 --eab-hmac-file hmac \
  --http01 listen:127.0.0.1:5002 --dns01-hook "/usr/local/bin/dns-hook --zone example.org"
popd >/dev/null || exit 1
expect_success "ca add a SCEP CA over plain http with a challenge password file" \
  ca add ndes --url http://ndes.example.org/certsrv/mscep/mscep.dll --protocol scep \
  --challenge-password-file "$work/challenge"
expect_success "ca add an EST CA with a TLS client certificate" \
  ca add est1 --url https://est.example.org/.well-known/est/web --protocol est --auth cert \
  --client-cert "$work/tls.pem" --client-key "$work/password"

mode=$(stat -c %a "$store/cas.ini")
[ "$mode" = 644 ] && ok "cas.ini is 0644" || not_ok "cas.ini is 0644" "mode $mode"

expect_success "ca list" ca list
if [[ $out == *"acme1  ACME (RFC 8555)  https://acme.example.org/directory"* ]] &&
   [ "$(printf '%s\n' "$out" | head -1 | cut -d' ' -f1)" = acme1 ] &&
   [ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]; then
  ok "ca list shows the four CAs sorted by name"
else
  not_ok "ca list shows the four CAs sorted by name" "stdout: $out"
fi

expect_success "ca list --json" ca list --json
printf '%s\n' "$out" >"$work/list.json"
if [ "$(json_get "$work/list.json" '",".join(c["name"] for c in d["cas"])')" = "acme1,corp,est1,ndes" ] &&
   [ "$(json_get "$work/list.json" '[c for c in d["cas"] if c["name"] == "corp"][0]["auth"]')" = basic ] &&
   [ "$(json_get "$work/list.json" '[c for c in d["cas"] if c["name"] == "acme1"][0]["eab-hmac-file"]')" = "$work/hmac" ]; then
  ok "ca list --json names each CA with its protocol fields and secret file names"
else
  not_ok "ca list --json names each CA with its protocol fields and secret file names" "$out"
fi

expect_success "ca show corp" ca show corp
if [[ $out == *"Protocol:"*"AD CS Web Enrollment"* ]] && [[ $out == *"EXAMPLE\\bob"* ]] &&
   [[ $out == *"Password file:"*"$work/password"* ]] && [[ $out == *"Template:"*"WebServer"* ]]; then
  ok "ca show prints the protocol, user, template and password file"
else
  not_ok "ca show prints the protocol, user, template and password file" "$out"
fi
expect_success "ca show ndes --json" ca show ndes --json
printf '%s\n' "$out" >"$work/show.json"
[ "$(json_get "$work/show.json" 'd["ca"]["protocol"]')" = scep ] &&
  ok "ca show --json gives the protocol id" || not_ok "ca show --json gives the protocol id" "$out"

# --json-progress: one result line, and an error line on failure
expect_success "ca show --json-progress" ca show acme1 --json-progress
if [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ $out == '{"result":{"ca":{"name":"acme1"'* ]]; then
  ok "ca show --json-progress prints one {\"result\": …} line"
else
  not_ok "ca show --json-progress prints one {\"result\": …} line" "$out"
fi
run --json-progress ca show nope
if [ "$rc" -eq 11 ] && [[ $out == *'"error":'*'"code-id":"not-found"'* ]]; then
  ok "ca show of an unknown CA with --json-progress: an error line, exit 11"
else
  not_ok "ca show of an unknown CA with --json-progress" "exit $rc" "$out"
fi

# Secrets never appear: not in any output, not in cas.ini
all_output=""
for args in "ca list" "ca list --json" "ca show corp" "ca show corp --json" \
            "ca show acme1" "ca show acme1 --json" "ca show ndes" "ca show est1 --json" \
            "--json-progress ca list"; do
  # shellcheck disable=SC2086
  run $args
  all_output+="$out$err"
done
if [[ $all_output != *"$secret_value"* ]] && [[ $all_output != *"$hmac_value"* ]] &&
   [[ $all_output != *"challenge-never-printed"* ]] &&
   ! grep -q -e "$secret_value" -e "$hmac_value" -e challenge-never-printed "$store/cas.ini"; then
  ok "no secret is ever printed or written to cas.ini"
else
  not_ok "no secret is ever printed or written to cas.ini"
fi

# Replacing keeps one entry with the new settings only
expect_success "ca add replaces a CA of the same name" \
  ca add ndes --url https://scep.example.org/scep --protocol scep
run ca show ndes --json
printf '%s\n' "$out" >"$work/show.json"
if [ "$(json_get "$work/show.json" 'd["ca"]["url"]')" = https://scep.example.org/scep ] &&
   [ "$(json_get "$work/show.json" 'd["ca"]["challenge-password-file"]')" = None ] &&
   [ "$(grep -c '^\[ndes\]' "$store/cas.ini")" -eq 1 ]; then
  ok "the replaced CA has the new URL and no old setting"
else
  not_ok "the replaced CA has the new URL and no old setting" "$out"
fi

# ---- refusals: one sentence, the documented exit status, nothing changed ----
expect_refused "a name with spaces" 3 "The name “Corp CA” is not valid" \
  ca add "Corp CA" --url https://x.example/directory --protocol acme
expect_refused "the reserved name local" 3 "reserved" \
  ca add local --url https://x.example/directory --protocol acme
expect_refused "no --url" 2 "--url" ca add x --protocol acme
expect_refused "an unknown protocol" 3 "The protocol “cmp” is not known" \
  ca add x --url https://x.example/ --protocol cmp
expect_refused "an unknown authentication" 3 "The authentication “digest” is not known" \
  ca add x --url https://x.example/certsrv/ --protocol adcs --auth digest
expect_refused "--eab-kid for SCEP" 3 "SCEP (RFC 8894) has no use for the option “eab-kid”" \
  ca add x --url http://x.example/scep --protocol scep --eab-kid k --eab-hmac-file "$work/hmac"
expect_refused "--template for ACME" 3 "has no use for the option “template”" \
  ca add x --url https://x.example/directory --protocol acme --template WebServer
expect_refused "--challenge-password-file for EST" 3 "“challenge-password-file”" \
  ca add x --url https://x.example/.well-known/est --protocol est \
  --challenge-password-file "$work/challenge"
expect_refused "plain http for ACME" 3 "must start with https://" \
  ca add x --url http://x.example/directory --protocol acme
expect_refused "credentials inside the URL" 3 "contains a user name or password" \
  ca add x --url "https://bob:$secret_value@x.example/certsrv/" --protocol adcs
[[ $err != *"$secret_value"* ]] || not_ok "the refusal of a URL with a password does not repeat it"
expect_refused "a missing trust bundle" 3 "The trust bundle $work/missing.pem does not exist" \
  ca add x --url https://x.example/directory --protocol acme --trust-bundle "$work/missing.pem"
expect_refused "NTLM for EST" 3 "does not use the authentication “ntlm”" \
  ca add x --url https://x.example/.well-known/est --protocol est --auth ntlm --user bob
expect_refused "basic without a user" 3 "The authentication “basic” needs a user name" \
  ca add x --url https://x.example/certsrv/ --protocol adcs --auth basic
expect_refused "EAB key id without its HMAC file" 3 "External Account Binding needs both" \
  ca add x --url https://x.example/directory --protocol acme --eab-kid k
expect_refused "a bad http01 setting" 3 "The http-01 setting “port:80” is not valid" \
  ca add x --url https://x.example/directory --protocol acme --http01 port:80
cp "$work/password" "$work/open-password"
chmod 644 "$work/open-password"
expect_refused "a password file others can read" 3 "has the mode 0644" \
  ca add x --url https://x.example/certsrv/ --protocol adcs --auth ntlm --user bob \
  --password-file "$work/open-password"
[[ $err != *"$secret_value"* ]] || not_ok "the refusal of an open password file does not print it"
if [ "$(id -u)" -eq 0 ]; then
  cp "$work/password" "$work/foreign-password"
  chown 65534:65534 "$work/foreign-password"
  expect_refused "a password file of another user" 3 "belongs to another user" \
    ca add x --url https://x.example/certsrv/ --protocol adcs --auth ntlm --user bob \
    --password-file "$work/foreign-password"
else
  skip "a password file of another user" "needs root to chown"
fi
expect_refused "ca show of an unknown CA" 11 "There is no certification authority called “nope”" \
  ca show nope
expect_refused "ca remove of an unknown CA" 11 "There is no certification authority called “nope”" \
  ca remove nope
expect_refused "ca show with an extra argument" 2 "" ca show corp extra

# ---- request --ca NAME|URL and --template ----
expect_refused "request --ca NAME of an unknown CA" 11 "There is no certification authority called “nope”" \
  request --ca nope
expect_refused "request with ECDSA from a configured SCEP CA" 3 \
  "“ndes” speaks SCEP (RFC 8894), which cannot certify a key of the type" \
  request --ca ndes --key p256
expect_refused "request with ECDSA from a SCEP URL" 3 "choose an RSA key" \
  request --ca http://127.0.0.1:9/cgi-bin/pkiclient.exe --key p384
expect_refused "request --template with a space" 3 "The certificate template name “Web Server” is not valid" \
  request --ca corp --template "Web Server"


expect_success "ca remove" ca remove acme1
[[ $out == *"Removed the certification authority “acme1”."* ]] && ! grep -q '^\[acme1\]' "$store/cas.ini" &&
  ok "ca remove takes it out of cas.ini" || not_ok "ca remove takes it out of cas.ini" "$out"
run --json-progress ca remove est1
[ "$rc" -eq 0 ] && [ "$out" = '{"result":{"removed":"est1"}}' ] &&
  ok "ca remove --json-progress prints its result line" ||
  not_ok "ca remove --json-progress prints its result line" "exit $rc" "$out"

# ---- protocol detection against the mimics ----

# start_mimic MODE [ARGS…]: starts ca-mimic.py, sets $port
start_mimic ()
{
  local mode=$1 i
  shift
  "$py" "$mimic" "$mode" "$@" >"$work/port-$mode" 2>>"$work/mimic-$mode.log" &
  pids+=($!)
  port=""
  for i in $(seq 1 100); do
    port=$(head -1 "$work/port-$mode" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  return 1
}

if [ ! -f "$root/src/core/certreq-http.c" ]; then
  for what in "ACME by its directory" "SCEP by GetCACaps" "EST by cacerts" "AD CS by its page" \
              "AD CS by its 401" "nothing at a CA-shaped URL" "nothing at all"; do
    skip "detection: $what" "this build has no certreq-http (the HTTP client)"
  done
  finish
  exit
fi

tls=(--cert "$work/tls.pem" --key "$work/tls.key")
trust=(--trust-bundle "$work/ca.pem")
start_mimic acme "${tls[@]}" && acme_port=$port
start_mimic scep && scep_port=$port
start_mimic est "${tls[@]}" --cacerts "$work/cacerts.p7" && est_port=$port
start_mimic adcs "${tls[@]}" && adcs_port=$port
start_mimic adcs401 "${tls[@]}" && adcs401_port=$port
start_mimic nothing "${tls[@]}" && nothing_port=$port
check "the mimics listen on 127.0.0.1" test -n "$acme_port" -a -n "$scep_port" -a -n "$est_port" \
  -a -n "$adcs_port" -a -n "$adcs401_port" -a -n "$nothing_port"

# expect_detected DESCRIPTION PROTOCOL-ID LABEL NAME URL [ARGS…]
expect_detected ()
{
  local desc=$1 id=$2 label=$3 name=$4 url=$5
  shift 5
  run ca add "$name" --url "$url" "$@"
  if [ "$rc" -eq 0 ] && [[ $out == *"$url speaks $label."* ]] &&
     grep -q "^protocol=$id\$" <(sed -n "/^\[$name\]/,/^\[/p" "$store/cas.ini"); then
    ok "detection: $desc"
  else
    not_ok "detection: $desc" "exit $rc" "stdout: $out" "stderr: $err"
  fi
}

expect_detected "ACME by its directory" acme "ACME (RFC 8555)" d-acme \
  "https://127.0.0.1:$acme_port/dir/directory" "${trust[@]}"
expect_detected "ACME at a URL of no known shape" acme "ACME (RFC 8555)" d-acme2 \
  "https://127.0.0.1:$acme_port/acme-root" "${trust[@]}"
expect_detected "SCEP by GetCACaps" scep "SCEP (RFC 8894)" d-scep \
  "http://127.0.0.1:$scep_port/cgi-bin/pkiclient.exe"
expect_detected "SCEP at a URL of no known shape" scep "SCEP (RFC 8894)" d-scep2 \
  "http://127.0.0.1:$scep_port/enroll"
expect_detected "EST by cacerts" est "EST (RFC 7030)" d-est \
  "https://127.0.0.1:$est_port/.well-known/est" "${trust[@]}"
expect_detected "EST with a label, at a URL of no known shape" est "EST (RFC 7030)" d-est2 \
  "https://127.0.0.1:$est_port/" "${trust[@]}"
expect_detected "AD CS by its page" adcs "AD CS Web Enrollment" d-adcs \
  "https://127.0.0.1:$adcs_port/certsrv/" "${trust[@]}"
expect_detected "AD CS by its 401 with Negotiate and NTLM" adcs "AD CS Web Enrollment" d-adcs2 \
  "https://127.0.0.1:$adcs401_port/certsrv" "${trust[@]}" --auth negotiate

run ca add d-json --url "https://127.0.0.1:$acme_port/dir/directory" "${trust[@]}" --json
printf '%s\n' "$out" >"$work/add.json"
[ "$rc" -eq 0 ] && [ "$(json_get "$work/add.json" 'd["ca"]["protocol"]')" = acme ] &&
  [ "$(json_get "$work/add.json" 'd["detected"]')" = True ] &&
  ok "detection with --json: protocol and detected in the result" ||
  not_ok "detection with --json" "exit $rc" "$out" "$err"

expect_refused "nothing at a CA-shaped URL" 8 \
  "looks like ACME (RFC 8555), but the server does not speak it: https://127.0.0.1:$nothing_port/directory answered with HTTP status 404" \
  ca add d-none --url "https://127.0.0.1:$nothing_port/directory" "${trust[@]}"
expect_refused "nothing at all" 8 \
  "Certwiz could not find a certification authority at https://127.0.0.1:$nothing_port/x: https://127.0.0.1:$nothing_port/x answered with HTTP status 404" \
  ca add d-none --url "https://127.0.0.1:$nothing_port/x" "${trust[@]}"
expect_refused "a TLS certificate that is not trusted" 6 "127.0.0.1" \
  ca add d-none --url "https://127.0.0.1:$acme_port/dir/directory"
expect_refused "a port where nothing listens" 6 "127.0.0.1" \
  ca add d-none --url "http://127.0.0.1:9/scep"

# request --ca URL: the factory detects the protocol; ECDSA is refused once SCEP is known
expect_refused "request --ca URL detected as SCEP refuses ECDSA" 3 "choose an RSA key" \
  request --ca "http://127.0.0.1:$scep_port/enroll" --key p256

finish
