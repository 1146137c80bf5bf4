# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli, offline request end to end (TAP): request --offline writes a PKCS #10
# file -> an openssl CA with a root and an intermediate signs it (names copied from
# the request) -> the response comes back as a DER .p7b (leaf + intermediate) ->
# import completes the waiting request -> assign is refused until the root is
# trusted (the message names it) -> trust import root.pem -> assign; live/ checked
# with openssl.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

usages=(default web-internal web-external)
# openssl ARGS… without its output (which would confuse TAP)
quiet_openssl () { openssl "$@" >/dev/null 2>&1; }
ca=$work/ca
mkdir -p "$ca"

expect_success "server set" server set --fqdn fe01.corp.example.test \
  --pool-fqdn pool.corp.example.test --web-internal-fqdn webint.corp.example.test \
  --web-external-fqdn webext.example.test --sip-domains example.test

# ---- the offline request ----
run request --offline "$work/req.csr" --ca local
check "--offline with --ca is a usage error" test "$rc" -eq 2
run request --offline "$work/no-such-dir/req.csr"
check "--offline into a missing folder is refused (exit $rc)" test "$rc" -eq 3
check "the refusal wrote no pending entry" test -z "$(ls "$store/pending" 2>/dev/null)"

cd "$work" || exit 1
expect_success "request --offline req.csr (relative to the current directory)" \
  request --offline req.csr --friendly-name "Offline front end" --org "Example Org" --country de
cd - >/dev/null || exit 1
cp "$work/stdout" "$work/request.out"
check "request --offline prints where the request file is" \
  grep -Eq "^Request file: +$work/req.csr\$" "$work/request.out"
check "request --offline prints the next step: import" \
  grep -Eq '^  certwiz-cli import ' "$work/request.out"
pending_id=$(sed -n 's/^Pending request: *\([0-9a-f]*\)$/\1/p' "$work/request.out")
check "request --offline names the pending entry" test -n "$pending_id" -a -d "$store/pending/$pending_id"
check "the request file is mode 0644" test "$(stat -c %a "$work/req.csr")" = 644
check "openssl verifies the request's signature" \
  quiet_openssl req -in "$work/req.csr" -verify -noout
req_text=$(openssl req -in "$work/req.csr" -noout -text -nameopt RFC2253 2>&1)
if [[ $req_text == *"CN=pool.corp.example.test"* ]] && [[ $req_text == *"O=Example Org"* ]] &&
   [[ $req_text == *"DNS:webext.example.test"* ]] && [[ $req_text == *"DNS:sip.example.test"* ]]; then
  ok "the request has the subject and the derived names"
else
  not_ok "request content" "$req_text"
fi
check "the request's key is the waiting key" test \
  "$(openssl req -in "$work/req.csr" -noout -pubkey)" = \
  "$(openssl pkey -in "$store/pending/$pending_id/key.pem" -pubout)"

run pending list --json
printf '%s\n' "$out" >"$work/pending.json"
check "pending list --json: the offline entry waits" test \
  "$(json_get "$work/pending.json" '[e["id"] + "|" + e["state"] + "|" + e["ca"] for e in d]')" = \
  "$pending_id|pending|offline"
run pending retrieve "$pending_id"
check "an offline request cannot be retrieved from a CA" test "$rc" -ne 0

# ---- an openssl CA: root -> intermediate -> the leaf from the request ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/O=Example Test PKI/CN=Example Test Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$ca/root.key" -out "$ca/root.pem" 2>"$ca/log"
check "openssl made the root" test -s "$ca/root.pem"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/O=Example Test PKI/CN=Example Test Issuing CA" \
  -keyout "$ca/int.key" -out "$ca/int.csr" 2>>"$ca/log"
cat >"$ca/int.ext" <<EOF
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
EOF
openssl x509 -req -in "$ca/int.csr" -CA "$ca/root.pem" -CAkey "$ca/root.key" \
  -CAcreateserial -days 30 -extfile "$ca/int.ext" -out "$ca/int.pem" 2>>"$ca/log"
check "openssl made the intermediate" test -s "$ca/int.pem"

cat >"$ca/leaf.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
EOF
openssl x509 -req -in "$work/req.csr" -CA "$ca/int.pem" -CAkey "$ca/int.key" \
  -CAcreateserial -days 20 -copy_extensions copy -extfile "$ca/leaf.ext" \
  -out "$ca/leaf.pem" 2>>"$ca/log"
check "openssl signed the request" test -s "$ca/leaf.pem"
leaf_text=$(openssl x509 -in "$ca/leaf.pem" -noout -text 2>&1)
if [[ $leaf_text == *"DNS:webext.example.test"* ]] && [[ $leaf_text == *"TLS Web Server Authentication"* ]]; then
  ok "the leaf has the request's names and serverAuth"
else
  not_ok "leaf content" "$leaf_text"
fi
leaf_thumb=$(openssl_thumbprint "$ca/leaf.pem")

openssl crl2pkcs7 -nocrl -certfile "$ca/leaf.pem" -certfile "$ca/int.pem" -outform DER \
  -out "$work/resp.p7b" 2>>"$ca/log"
check "the response is a DER PKCS #7 with two certificates" test \
  "$(openssl pkcs7 -inform DER -in "$work/resp.p7b" -print_certs 2>/dev/null | grep -c '^subject=')" -eq 2

# ---- a response for another key changes nothing ----
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=pool.corp.example.test" -keyout "$ca/other.key" -out "$ca/other.csr" 2>>"$ca/log"
openssl x509 -req -in "$ca/other.csr" -CA "$ca/int.pem" -CAkey "$ca/int.key" \
  -CAcreateserial -days 20 -extfile "$ca/leaf.ext" -out "$ca/other.pem" 2>>"$ca/log"
# (the operation's log in log/ is the only new file)
before=$(snapshot | grep -v '^\(\S*  \)\?\./log/')
run import "$ca/other.pem"
check "a certificate matching no waiting key is refused (exit $rc)" test "$rc" -ne 0 -a -n "$err"
check "the refused import changed nothing" \
  test "$before" = "$(snapshot | grep -v '^\(\S*  \)\?\./log/')"

# ---- import completes the request ----
expect_success "import resp.p7b" import "$work/resp.p7b"
cp "$work/stdout" "$work/import.out"
check "import names the completed request" \
  grep -Eq "^Completed request: +$pending_id\$" "$work/import.out"
check "import prints openssl's thumbprint" grep -Eq "^Imported certificate: +$leaf_thumb\$" "$work/import.out"
check "the certificate is stored as certs/<THUMBPRINT>.pem" test -s "$store/certs/$leaf_thumb.pem"
check "the pending entry is gone" test ! -e "$store/pending/$pending_id"
run pending list
check "nothing pending after the import" test "$out" = "No request is pending."
run list --json
printf '%s\n' "$out" >"$work/list.json"
check "list --json: the request's friendly name, key present" test \
  "$(json_get "$work/list.json" '[str(c[k]) for c in d["certificates"] for k in ("thumbprint", "friendly_name", "key_present")]' | tr '\n' '|')" = \
  "$leaf_thumb|Offline front end|True|"

# ---- refused until the root is trusted ----
before=$(snapshot)
run assign "$leaf_thumb" --usage default,web-internal,web-external
if [ "$rc" -ne 0 ] && [[ $err == *"Example Test Root CA"* ]]; then
  ok "assign is refused, naming the untrusted root (exit $rc)"
else
  not_ok "assign refused before the root is trusted" "exit $rc" "stderr: $err"
fi
check "the refused assignment changed nothing" test "$before" = "$(snapshot)"

expect_success "trust import root.pem" trust import "$ca/root.pem"
expect_success "assign after trusting the root" \
  assign "$leaf_thumb" --usage default,web-internal,web-external

for u in "${usages[@]}"; do
  dir=$(readlink -f "$store/live/$u")
  if [ -z "$dir" ] || [ ! -s "$dir/cert.pem" ]; then
    not_ok "live/$u holds a set" "dir=$dir"
    continue
  fi
  check "live/$u/cert.pem is the imported certificate" \
    test "$(openssl_thumbprint "$dir/cert.pem")" = "$leaf_thumb"
  check "live/$u: the waiting key serves it" test \
    "$(openssl x509 -in "$dir/cert.pem" -noout -pubkey)" = \
    "$(openssl pkey -in "$dir/privkey.pem" -pubout)"
  check "live/$u/chain.pem has the intermediate" \
    grep -qF "$(sed -n 2p "$ca/int.pem")" "$dir/chain.pem"
  check "live/$u verifies with openssl to the root" \
    quiet_openssl verify -CAfile "$ca/root.pem" -untrusted "$dir/chain.pem" -purpose sslserver \
      "$dir/cert.pem"
done

finish
