# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli import and export end to end (TAP): PKCS #12 files from
# `openssl pkcs12 -export` (default and -legacy) imported, a wrong password refused
# with the store unchanged, both export profiles read back by openssl, and
# --pem / --der / --chain-p7b checked with openssl.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

# The store without its operation logs (a refused import still logs the attempt)
snapshot_no_log ()
{
  snapshot | grep -v '^[0-9a-f]*  \./log/' | grep -v '^\./log$'
}

# ---- a small PKI made by openssl ----
cat >"$work/ext.cnf" <<'EOF'
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
[inter]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
[leaf]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:fe01.corp.example.test
EOF
pki ()
{
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/root.key" &&
  openssl req -new -key "$work/root.key" -subj "/CN=CLI Test Root" -out "$work/root.csr" &&
  openssl x509 -req -in "$work/root.csr" -signkey "$work/root.key" -days 30 \
    -extfile "$work/ext.cnf" -extensions root -set_serial 1 -out "$work/root.pem" &&
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/inter.key" &&
  openssl req -new -key "$work/inter.key" -subj "/CN=CLI Test Intermediate" -out "$work/inter.csr" &&
  openssl x509 -req -in "$work/inter.csr" -CA "$work/root.pem" -CAkey "$work/root.key" -days 30 \
    -extfile "$work/ext.cnf" -extensions inter -set_serial 2 -out "$work/inter.pem" &&
  for name in leaf1 leaf2; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/$name.key" &&
    openssl req -new -key "$work/$name.key" -subj "/CN=fe01.corp.example.test" \
      -out "$work/$name.csr" &&
    openssl x509 -req -in "$work/$name.csr" -CA "$work/inter.pem" -CAkey "$work/inter.key" \
      -days 30 -extfile "$work/ext.cnf" -extensions leaf -set_serial "$((RANDOM + 10))" \
      -out "$work/$name.pem" || return 1
  done
}
if pki >"$work/pki.log" 2>&1; then
  ok "openssl makes a root, an intermediate and two server certificates"
else
  not_ok "openssl makes a root, an intermediate and two server certificates" "$(cat "$work/pki.log")"
fi

printf 'Geheim 42\nsecond line is ignored\n' >"$work/pass.txt"
printf 'wrong\n' >"$work/wrong.txt"
printf 'Export pass\n' >"$work/export-pass.txt"

openssl pkcs12 -export -legacy -inkey "$work/leaf1.key" -in "$work/leaf1.pem" \
  -certfile "$work/inter.pem" -name "Legacy export" -passout "pass:Geheim 42" \
  -out "$work/legacy.pfx" 2>"$work/p12.log"
openssl pkcs12 -export -inkey "$work/leaf2.key" -in "$work/leaf2.pem" \
  -certfile "$work/inter.pem" -name "Default export" -passout "pass:Geheim 42" \
  -out "$work/default.pfx" 2>>"$work/p12.log"
if openssl pkcs12 -info -nokeys -noout -in "$work/legacy.pfx" -passin "pass:Geheim 42" \
     >/dev/null 2>&1; then
  not_ok "openssl without -legacy cannot read the legacy file (it should not)"
else
  ok "the -legacy file needs OpenSSL's legacy provider"
fi

leaf1=$(openssl_thumbprint "$work/leaf1.pem")
leaf2=$(openssl_thumbprint "$work/leaf2.pem")
root=$(openssl_thumbprint "$work/root.pem")
inter=$(openssl_thumbprint "$work/inter.pem")

# ---- wrong password, missing password: refused, store unchanged ----
run server show
before=$(snapshot_no_log)
run import "$work/legacy.pfx" --password-file "$work/wrong.txt" --trust root
if [ "$rc" -eq 17 ] && [[ $err == *"password of the PKCS #12 file is wrong"* ]] &&
   [ "$before" = "$(snapshot_no_log)" ]; then
  ok "a wrong password is refused with exit 17 and the store unchanged"
else
  not_ok "a wrong password is refused with exit 17 and the store unchanged" \
    "exit $rc" "stderr: $err"
fi
run import "$work/default.pfx" </dev/null
if [ "$rc" -eq 17 ] && [[ $err == *"--password-file"* ]] &&
   [ "$before" = "$(snapshot_no_log)" ]; then
  ok "no password and no terminal: refused, naming --password-file"
else
  not_ok "no password and no terminal: refused, naming --password-file" "exit $rc" "stderr: $err"
fi
run import "$work/leaf1.pem"
if [ "$rc" -eq 11 ] && [[ $err == *"matches no private key"* ]] &&
   [ "$before" = "$(snapshot_no_log)" ]; then
  ok "a certificate without its key is refused with exit 11 and the store unchanged"
else
  not_ok "a certificate without its key is refused" "exit $rc" "stderr: $err"
fi
run import "$work/root.pem"
if [ "$rc" -ne 0 ] && [[ $err == *"--trust"* ]]; then
  ok "only CA certificates without --trust: refused, suggesting --trust"
else
  not_ok "only CA certificates without --trust" "exit $rc" "stderr: $err"
fi

# ---- the legacy and the default PKCS #12 files ----
if expect_success "import of the openssl -legacy PKCS #12 file" \
     import "$work/legacy.pfx" --password-file "$work/pass.txt" --trust root --exportable; then
  [[ $out == *"$leaf1"* ]] && [[ $out == *"Legacy export"* ]] &&
    [[ $out == *"imported from the file"* ]] && [[ $out == *"$inter"* ]] \
    && ok "the import names the certificate, its friendly name, the key and the intermediate" \
    || not_ok "the import output" "$out"
fi
if expect_success "import of the default-profile PKCS #12 file (JSON)" \
     import "$work/default.pfx" --password-file "$work/pass.txt" --friendly-name "Not exportable" --json; then
  printf '%s\n' "$out" >"$work/import.json"
  [ "$(json_get "$work/import.json" 'd["thumbprint"]')" = "$leaf2" ] &&
    [ "$(json_get "$work/import.json" 'd["key_imported"]')" = "True" ] \
    && ok "JSON names the thumbprint and the imported key" || not_ok "JSON output" "$out"
fi
run list
[[ $out == *"Legacy export"* && $out == *"Not exportable"* ]] \
  && ok "both certificates are listed" || not_ok "both certificates are listed" "$out"

# ---- export: both PKCS #12 profiles, read back by openssl ----
for profile in modern compatible; do
  f="$work/out-$profile.pfx"
  if expect_success "export --pfx --profile $profile" \
       export "$leaf1" --pfx "$f" --profile "$profile" --password-file "$work/export-pass.txt"; then
    info=$(openssl pkcs12 -info -nokeys -noout -in "$f" -passin "pass:Export pass" 2>&1)
    if [ "$profile" = modern ]; then
      [[ $info == *"MAC: sha256"* && $info == *"Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"* &&
         $info == *"PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"* ]]
    else
      [[ $info == *"MAC: sha1"* && $info == *"Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC"* &&
         $info == *"PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC"* ]]
    fi && ok "openssl reads the $profile file with the expected algorithms" \
       || not_ok "openssl reads the $profile file with the expected algorithms" "$info"
    got=$(openssl pkcs12 -in "$f" -nocerts -nodes -passin "pass:Export pass" 2>/dev/null |
          openssl pkey -pubout 2>/dev/null)
    want=$(openssl pkey -in "$work/leaf1.key" -pubout)
    [ -n "$got" ] && [ "$got" = "$want" ] && ok "the $profile file holds the certificate's key" \
      || not_ok "the $profile file holds the certificate's key"
    [ "$(stat -c %a "$f")" = 600 ] && ok "the $profile file is 0600" \
      || not_ok "the $profile file is 0600" "$(stat -c %a "$f")"
  fi
done

# The exported file imports again (into a fresh store)
fresh=$(mktemp -d "${TMPDIR:-/tmp}/certwiz-cli-fresh-XXXXXX")
CERTWIZ_STORE=$fresh run import "$work/out-compatible.pfx" --password-file "$work/export-pass.txt"
[ "$rc" -eq 0 ] && [[ $out == *"$leaf1"* ]] && ok "our compatible file imports again" \
  || not_ok "our compatible file imports again" "exit $rc" "$err"
rm -rf -- "$fresh"

# A key not marked exportable is never exported
before=$(snapshot_no_log)
run export "$leaf2" --pfx "$work/never.pfx" --password-file "$work/export-pass.txt"
if [ "$rc" -eq 18 ] && [ ! -e "$work/never.pfx" ] && [[ $err == *"not marked exportable"* ]]; then
  ok "a key not marked exportable is refused with exit 18"
else
  not_ok "a key not marked exportable is refused with exit 18" "exit $rc" "stderr: $err"
fi

# ---- --pem, --der, --chain-p7b ----
lower=$(tr A-F a-f <<<"$leaf1")
expect_success "export --pem to a file (thumbprint in lower case)" \
  export "$lower" --pem "$work/out.pem" &&
  [ "$(openssl_thumbprint "$work/out.pem")" = "$leaf1" ] && ok "openssl reads the PEM file" \
  || not_ok "openssl reads the PEM file"
expect_success "export --pem -" export "$leaf1" --pem - &&
  [ "$(printf '%s\n' "$out" | openssl x509 -noout -fingerprint -sha1 | sed 's/^.*=//; s/://g')" = "$leaf1" ] \
  && ok "the PEM on stdout is the certificate" || not_ok "the PEM on stdout is the certificate" "$out"
expect_success "export --der" export "$leaf1" --der "$work/out.cer" &&
  openssl x509 -inform DER -in "$work/out.cer" -out "$work/der.pem" 2>/dev/null &&
  [ "$(openssl_thumbprint "$work/der.pem")" = "$leaf1" ] && ok "openssl reads the DER file" \
  || not_ok "openssl reads the DER file"
"$cli" export "$leaf1" --der - >"$work/stdout.cer" 2>"$work/stderr"
cmp -s "$work/stdout.cer" "$work/out.cer" && ok "--der - writes the same bytes to stdout" \
  || not_ok "--der - writes the same bytes to stdout"
expect_success "export --chain-p7b" export "$leaf1" --chain-p7b "$work/out.p7b"
certs=$(openssl pkcs7 -inform DER -in "$work/out.p7b" -print_certs -noout 2>&1)
[[ $certs == *"subject=CN = fe01.corp.example.test"* && $certs == *"subject=CN = CLI Test Intermediate"* ]] \
  && ok "openssl reads the leaf and its chain from the .p7b" || not_ok "the .p7b's certificates" "$certs"

# ---- command-line mistakes ----
run export "$leaf1" --pem "$work/a.pem" --der "$work/a.cer"
[ "$rc" -eq 2 ] && ok "two formats at once are a usage error" || not_ok "two formats at once" "exit $rc"
run export "$leaf1" --pfx "$work/x.pfx" --profile rc2 --password-file "$work/export-pass.txt"
[ "$rc" -eq 2 ] && ok "an unknown profile is a usage error" || not_ok "an unknown profile" "exit $rc"
run import "$work/legacy.pfx" --trust everything
[ "$rc" -eq 2 ] && ok "an unknown --trust is a usage error" || not_ok "an unknown --trust" "exit $rc"
run export --help
[[ $out == *"17"*"PKCS #12"* && $out == *"18"*"exportable"* ]] \
  && ok "--help documents exit statuses 17 and 18" || not_ok "--help documents 17 and 18" "$out"

finish
