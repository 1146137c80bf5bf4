# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli end to end on a temporary store (TAP): server profile -> request from the
# built-in lab CA -> assignment refused (root not trusted) -> trust the lab root ->
# assign the three default usages -> every live/<usage> set checked with openssl.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

usages=(default web-internal web-external)

# ---- the command line itself ----
run --version
check "--version prints the version" test "$rc" -eq 0 -a "${out%% *}" = certwiz-cli
for cmd in "server show" "server set" request list show assign "trust import" "trust list" \
           "ca local root"; do
  # shellcheck disable=SC2086
  run $cmd --help
  if [ "$rc" -eq 0 ] && [[ $out == *"certwiz-cli $cmd"* ]] && [[ $out == *"Exit status"* ]]; then
    ok "$cmd --help describes the command and the exit status"
  else
    not_ok "$cmd --help" "exit $rc" "stdout: $out" "stderr: $err"
  fi
done
run frobnicate
check "an unknown command is a usage error (exit 2)" test "$rc" -eq 2

# ---- server profile ----
expect_success "server set" server set --fqdn fe01.corp.example.test \
  --pool-fqdn pool.corp.example.test --web-internal-fqdn webint.corp.example.test \
  --web-external-fqdn webext.example.test --sip-domains example.test \
  --simple-urls meet.example.test,dialin.example.test
check "server.ini written" test -s "$store/server.ini"

run server show --json
printf '%s\n' "$out" >"$work/server.json"
if [ "$rc" -eq 0 ] && "$py" -m json.tool "$work/server.json" >/dev/null &&
   [ "$(json_get "$work/server.json" 'd["fqdn"]')" = fe01.corp.example.test ] &&
   [ "$(json_get "$work/server.json" 'd["pool_fqdn"]')" = pool.corp.example.test ] &&
   [ "$(json_get "$work/server.json" 'd["sip_domains"]')" = example.test ] &&
   json_get "$work/server.json" 'd["usage_names"]["default"]' | grep -qx sip.example.test; then
  ok "server show --json has the profile and the derived names"
else
  not_ok "server show --json" "exit $rc" "$out" "$err"
fi

run server show
if [ "$rc" -eq 0 ] && grep -Eq '^Server FQDN: +fe01\.corp\.example\.test$' "$work/stdout" &&
   grep -Eq '^Web services external FQDN: +webext\.example\.test$' "$work/stdout"; then
  ok "server show prints aligned fields"
else
  not_ok "server show" "$out"
fi

# ---- request from the built-in lab CA ----
expect_success "request --ca local" request --ca local --friendly-name "Lab front end" \
  --key p256 --org "Example Org" --ou "IT" --country de --state Berlin --city Berlin
cp "$work/stdout" "$work/request.out"
cp "$work/stderr" "$work/request.err"
req_thumb=$(sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/request.out")
check "request prints a 40-digit upper-case thumbprint" test -n "$req_thumb"
check "request prints the status" grep -q '^Status: .*issued' "$work/request.out"
for field in "Certification authority" "Request ID" Subject Names Issuer "Valid from" \
             "Valid to" "SHA-256 fingerprint"; do
  check "request prints $field" grep -q "^$field: " "$work/request.out"
done
for label in "Server default" "Web services internal" "Web services external"; do
  check "request prints the verdict for $label" \
    grep -Eq "^  $label: +Not until the certificate chain is trusted" "$work/request.out"
done
check "request names the untrusted lab root" \
  grep -q '^The root certificate “Certwiz Lab Root CA (fe01.corp.example.test)”.*not trusted' \
  "$work/request.out"
check "request tells the admin how to trust the lab root" \
  grep -Fq 'ca local root > root.pem && certwiz-cli trust import root.pem' "$work/request.out"
if [ -s "$work/request.err" ] && ! grep -q '^certwiz-cli:' "$work/request.err"; then
  ok "request prints its progress stages on stderr"
else
  not_ok "request progress on stderr" "$(cat "$work/request.err")"
fi

# ---- list and show ----
run list --json
printf '%s\n' "$out" >"$work/list.json"
if [ "$rc" -eq 0 ] && "$py" -m json.tool "$work/list.json" >/dev/null; then
  ok "list --json is valid JSON"
else
  not_ok "list --json is valid JSON" "exit $rc" "$out" "$err"
fi
thumb=$(json_get "$work/list.json" 'd["certificates"][0]["thumbprint"]')
cert_file=$store/certs/$thumb.pem
check "the certificate is stored as certs/<THUMBPRINT>.pem" test -s "$cert_file"
check "list --json's thumbprint equals openssl's SHA-1 fingerprint" \
  test "$thumb" = "$(openssl_thumbprint "$cert_file")"
check "request printed the same thumbprint" test "$thumb" = "$req_thumb"
check "list --json: SHA-256 equals openssl's" test \
  "$(json_get "$work/list.json" 'd["certificates"][0]["sha256"]')" = \
  "$(openssl x509 -in "$cert_file" -noout -fingerprint -sha256 | sed 's/^.*=//; s/://g')"
check "list --json: friendly name, key present, chain untrusted, not assigned" test \
  "$(json_get "$work/list.json" '[str(d["certificates"][0][k]) for k in ("friendly_name", "key_present", "chain_status", "usages")]' | tr '\n' '|')" \
  = "Lab front end|True|untrusted-root|[]|"
check "list --json: dates are ISO 8601 UTC" \
  grep -Eq '"not_after" *: *"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"' "$work/list.json"

run list
check "list prints the certificate" grep -Eq "^Thumbprint: +$thumb\$" "$work/stdout"

run show "$(echo "$thumb" | tr A-F a-f | sed 's/../&:/g; s/:$//')"
if [ "$rc" -eq 0 ] && grep -Eq "^Thumbprint: +$thumb\$" "$work/stdout" &&
   grep -q 'Subject Alternative Name' "$work/stdout"; then
  ok "show accepts a lower-case thumbprint with colons and prints every field"
else
  not_ok "show THUMBPRINT" "exit $rc" "$out" "$err"
fi

cp "$cert_file" "$work/leaf.pem"
openssl x509 -in "$cert_file" -outform DER -out "$work/leaf.der"
printf 'not a directory\n' >"$work/no-store"
for f in leaf.pem leaf.der; do
  # A certificate file is shown even without a usable store
  run --store "$work/no-store" show --json "$work/$f"
  printf '%s\n' "$out" >"$work/show.json"
  if [ "$rc" -eq 0 ] &&
     [ "$(json_get "$work/show.json" 'd["certificate"]["thumbprint"]')" = "$thumb" ] &&
     json_get "$work/show.json" '[f["name"] for f in d["certificate"]["fields"]]' | grep -q .; then
    ok "show --json FILE ($f) outside the store"
  else
    not_ok "show --json FILE ($f)" "exit $rc" "$out" "$err"
  fi
done
run show "$work/leaf.pem"
check "show FILE prints the thumbprint and the chain status" test "$rc" -eq 0 -a \
  "$(grep -cE "^Thumbprint: +$thumb\$|^Chain status: " "$work/stdout")" -eq 2

# ---- assignment refused while the lab root is not trusted ----
before=$(snapshot)
run assign "$thumb" --usage default,web-internal,web-external
if [ "$rc" -ne 0 ] && [[ $err == "certwiz-cli: "* ]] && [[ $err == *"Certwiz Lab Root"* ]] &&
   [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]; then
  ok "assign is refused with one line naming the lab root (exit $rc)"
else
  not_ok "assign refused while the root is untrusted" "exit $rc" "stderr: $err"
fi
check "the refused assignment changed nothing" test "$before" = "$(snapshot)"
check "no live/ link after the refusal" test -z "$(find "$store" -path '*/live/*' 2>/dev/null)"

# ---- trust the lab root ----
"$cli" ca local root >"$work/root.pem"
rc=$?
check "ca local root prints a PEM certificate" test "$rc" -eq 0 -a -s "$work/root.pem"
root_text=$(openssl x509 -in "$work/root.pem" -noout -subject -ext basicConstraints,nameConstraints 2>&1)
if [[ $root_text == *"Certwiz Lab Root"* ]] && [[ $root_text == *"CA:TRUE"* ]] &&
   [[ $root_text == *"pathlen:0"* ]]; then
  ok "the lab root is a CA with pathlen:0"
else
  not_ok "lab root" "$root_text"
fi
root_thumb=$(openssl_thumbprint "$work/root.pem")
check "ca local root prints the same root twice" \
  test "$(openssl_thumbprint <("$cli" ca local root))" = "$root_thumb"

expect_success "trust import root.pem" trust import "$work/root.pem"
check "the lab root is in trust/roots" test -n "$(grep -l "$(sed -n 2p "$work/root.pem")" "$store"/trust/roots/* 2>/dev/null)"
run trust list --json
printf '%s\n' "$out" >"$work/trust.json"
check "trust list --json lists the lab root" test \
  "$(json_get "$work/trust.json" '[r["thumbprint"] for r in d["roots"]]')" = "$root_thumb"
run trust import "$work/root.pem"
check "importing the root again is harmless" test "$rc" -eq 0

# ---- assign the three default usages ----
expect_success "assign default,web-internal,web-external" \
  assign "$thumb" --usage default,web-internal,web-external
for u in "${usages[@]}"; do
  check "assign prints live/$u" grep -Fq "$store/live/$u" "$work/stdout"
done

for u in "${usages[@]}"; do
  link=$store/live/$u
  if [ ! -L "$link" ]; then
    not_ok "live/$u is a symbolic link"
    continue
  fi
  ok "live/$u is a symbolic link"
  dir=$(readlink -f "$link")
  case "$dir" in
    "$(readlink -f "$store")/archive/$u/"*) ok "live/$u points into archive/$u/" ;;
    *) not_ok "live/$u points into archive/$u/" "it points to $dir" ;;
  esac
  complete=yes
  for f in cert.pem chain.pem fullchain.pem privkey.pem; do
    [ -s "$dir/$f" ] || complete=no
  done
  check "live/$u holds a complete set" test $complete = yes
  check "live/$u/privkey.pem has mode 0600" test "$(stat -c %a "$dir/privkey.pem")" = 600
  check "live/$u: the key matches the certificate" test \
    "$(openssl x509 -in "$dir/cert.pem" -noout -pubkey)" = \
    "$(openssl pkey -in "$dir/privkey.pem" -pubout)"
  check "live/$u/cert.pem is the assigned certificate" \
    test "$(openssl_thumbprint "$dir/cert.pem")" = "$thumb"
  verify=$(openssl verify -CAfile "$work/root.pem" -untrusted "$dir/chain.pem" "$dir/cert.pem" 2>&1)
  check "live/$u: openssl verify with root.pem and chain.pem" test "$verify" = "$dir/cert.pem: OK"
  check "live/$u/fullchain.pem starts with the certificate" \
    test "$(openssl_thumbprint "$dir/fullchain.pem")" = "$thumb"
done

san=$(openssl x509 -in "$cert_file" -noout -ext subjectAltName)
for name in pool.corp.example.test fe01.corp.example.test sip.example.test \
            webint.corp.example.test webext.example.test meet.example.test dialin.example.test; do
  check "the certificate's SAN contains $name" grep -q "DNS:$name\\b" <<<"$san"
done
subject=$(openssl x509 -in "$cert_file" -noout -subject -nameopt RFC2253)
for rdn in CN=pool.corp.example.test OU=IT "O=Example Org" L=Berlin ST=Berlin C=DE; do
  check "the subject has $rdn" grep -Eq "(^subject=|,)$rdn(,|\$)" <<<"$subject"
done

run list --json
printf '%s\n' "$out" >"$work/list2.json"
check "list --json: assigned to the three usages, chain trusted" test \
  "$(json_get "$work/list2.json" '",".join(d["certificates"][0]["usages"]) + " " + d["certificates"][0]["chain_status"]')" \
  = "default,web-internal,web-external trusted"
run show --json "$thumb"
printf '%s\n' "$out" >"$work/show2.json"
check "show --json: the chain ends in the trusted lab root" test \
  "$(json_get "$work/show2.json" 'd["certificate"]["chain"][-1]["thumbprint"] + str(d["certificate"]["chain"][-1]["trusted_root"])')" \
  = "${root_thumb}True"

finish
