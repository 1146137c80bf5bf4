# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Security properties of certwiz-cli end to end (TAP), on a store built by real operations:
#  1. every path of the store has the mode and owner of DESIGN.md's layout (public 0755/0644,
#     private 0700/0600), even under umask 000; looser permissions are reported as warnings
#     (stderr, and "warnings" in JSON) naming the path, and never repaired silently;
#  2. no password, EAB HMAC key, challenge password or private key (PEM block, base64 or DER
#     bytes) appears in log/, in any --json / --json-progress output, or in the store's
#     public files — PKCS #12 import and export, the lab CA, ACME with EAB (pebble), EST with
#     a password (tests/est-server.py), SCEP with a challenge (tests/scep-responder);
#  3. a reload command is an argv run without a shell, and no certificate field reaches it;
#  4. `trust import` never touches the operating system's trust; `trust system` adds a
#     root there only when confirmed, and here only in a test directory.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/cli-peers.sh"

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
builddir=${CERTWIZ_BUILD_ROOT:-$srcdir/../_build}/tests

# A store certwiz-cli creates itself (cli-common's is made by mktemp, 0700)
rmdir "$store"
store=$work/store
export CERTWIZ_STORE=$store

# Everything certwiz-cli prints, for the secret check
all_output=$work/all-output
: >"$all_output"
# run ARGS…: certwiz-cli under umask 000, so that every mode is the one Certwiz asks for
run ()
{
  (umask 000 && exec "$cli" "$@") >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
  cat "$work/stdout" "$work/stderr" >>"$all_output"
}

# The operating system's trust, before anything runs
system_trust ()
{
  local d
  for d in /usr/local/share/ca-certificates /etc/ssl/certs; do
    [ -d "$d" ] || continue
    find "$d" -printf '%p %y %m %l\n' | sort
    find "$d" -type f -print0 | sort -z | xargs -0 -r sha256sum
  done
}
system_trust >"$work/system-trust.before"

if ! need "openssl, python3 and mkfifo" openssl "$py" mkfifo; then
  finish
  exit
fi

secrets=()
secret_file ()   # secret_file PATH VALUE: a 0600 file holding VALUE
{
  (umask 077 && printf '%s\n' "$2" >"$1")
}

expect_success "server set" server set --fqdn srv.example.test --sip-domains example.test

# ==== Store operations: lab CA, PKCS #12 import and export, hold, assign ====
# The lab CA, with a friendly name and an organisation full of shell syntax
weird='x$(touch pwned-fn);`touch pwned-bt`|a&b'
run request --ca local --usage default --friendly-name "$weird" --org 'O$(touch pwned-o);`id`'
lab_thumb=$(sed -n 's/^Thumbprint: *//p' "$work/stdout")
if [ "$rc" -eq 0 ] && [ -n "$lab_thumb" ]; then
  ok "lab CA request with shell syntax in the friendly name and organisation"
else
  not_ok "lab CA request with shell syntax in the friendly name" "exit $rc" "$out" "$err"
fi
run --json-progress request --ca local --usage web-internal --key p256
[ "$rc" -eq 0 ] && ok "lab CA request --json-progress" ||
  not_ok "lab CA request --json-progress" "exit $rc" "$out" "$err"
run ca local root
printf '%s\n' "$out" >"$work/lab-root.pem"
expect_success "trust import of the lab root (Certwiz only)" trust import "$work/lab-root.pem"

# A PKI of openssl's; the leaf's subject is shell syntax too
cat >"$work/ext.cnf" <<'EOF'
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
[leaf]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:srv.example.test
EOF
(
  cd "$work" || exit 1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=Security Test Root" -keyout root.key -out root.pem -extensions root \
    -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat ext.cnf) &&
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj '/CN=$(touch pwned-cn);`touch pwned-cn2`;srv' -keyout leaf.key -out leaf.csr &&
  openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -set_serial 7 -days 2 \
    -extfile ext.cnf -extensions leaf -out leaf.pem
) >"$work/pki.log" 2>&1 || not_ok "openssl makes the test PKI" "$(cat "$work/pki.log")"
pfx_password=pfx-$(openssl rand -hex 12)
secrets+=("$pfx_password")
secret_file "$work/pfx-password" "$pfx_password"
openssl pkcs12 -export -in "$work/leaf.pem" -inkey "$work/leaf.key" -certfile "$work/root.pem" \
  -passout "file:$work/pfx-password" -out "$work/leaf.pfx" 2>>"$work/pki.log"
run import --json "$work/leaf.pfx" --password-file "$work/pfx-password" --exportable
pfx_thumb=$(openssl_thumbprint "$work/leaf.pem")
[ "$rc" -eq 0 ] && [ -s "$store/certs/$pfx_thumb.pem" ] &&
  ok "import of a PKCS #12 file with --password-file --json" ||
  not_ok "import of a PKCS #12 file" "exit $rc" "$out" "$err"
expect_success "trust import of the PKCS #12 file's root" trust import "$work/root.pem"
export_password=export-$(openssl rand -hex 12)
secrets+=("$export_password")
secret_file "$work/export-password" "$export_password"
run --json-progress export "$pfx_thumb" --pfx "$work/export.pfx" --password-file "$work/export-password"
[ "$rc" -eq 0 ] && ok "export --pfx --password-file --json-progress" ||
  not_ok "export --pfx" "exit $rc" "$out" "$err"

# A request the lab CA holds: pending/<ID>/ and local-ca/requests/
expect_success "ca local hold on" ca local hold on
run request --json --ca local --usage web-external
held_id=$(json_get "$work/stdout" 'd["pending-id"]' 2>/dev/null)
[ "$rc" -eq 0 ] && [ -d "$store/pending/$held_id" ] &&
  ok "a request the lab CA holds is pending ($held_id)" ||
  not_ok "a request the lab CA holds is pending" "exit $rc" "$out" "$err"
expect_success "ca local hold off" ca local hold off

# ==== 3. Reload commands: an argv without a shell; no certificate field on it ====
mkdir "$work/cwd" "$work/cwd2"
cd "$work/cwd" || exit 1
expect_success "usage set default --reload with shell syntax in its words" \
  usage set default --reload "/usr/bin/touch '\$(touch pwned)' 'a;b' '\`touch pwned2\`' '|x'"
if expect_success "assign the lab certificate (shell syntax in its names) to default" \
     assign "$lab_thumb" --usage default; then
  check "the reload command created its literal file names" \
    test -e "$work/cwd/\$(touch pwned)" -a -e "$work/cwd/a;b" -a -e "$work/cwd/\`touch pwned2\`" \
    -a -e "$work/cwd/|x"
  check "… and nothing else: no shell evaluated them" \
    test "$(ls -A "$work/cwd" | wc -l)" -eq 4
fi
# A reload command that records what it gets: argv and environment
cat >"$work/record" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$work/record.argv"
env >"$work/record.env"
EOF
chmod 755 "$work/record"
cd "$work/cwd2" || exit 1
expect_success "usage set web-internal --reload (a recorder)" \
  usage set web-internal --reload "$work/record --usage web-internal"
expect_success "assign the imported certificate (shell syntax in its CN) to web-internal" \
  assign "$pfx_thumb" --usage web-internal
check "the reload command got exactly its configured argv" \
  test "$(cat "$work/record.argv" 2>/dev/null | tr '\n' '|')" = "--usage|web-internal|"
if [ -s "$work/record.env" ] && ! grep -qF -e 'pwned' -e "$lab_thumb" -e "$pfx_thumb" \
     "$work/record.argv" "$work/record.env"; then
  ok "no certificate field or thumbprint reaches the reload command's argv or environment"
else
  not_ok "no certificate field reaches the reload command" "$(cat "$work/record.argv" "$work/record.env" 2>&1)"
fi
cd "$work" || exit 1
pwned=$(find "$work" "$store" -name 'pwned*' ! -path "$work/cwd/*" 2>/dev/null)
[ -z "$pwned" ] && ok "nothing in any friendly name, subject or reload word was evaluated" ||
  not_ok "nothing was evaluated" "$pwned"

# ==== 2. Online CAs with secrets ====
acme ()
{
  local dir=$work/acme acme_port mgmt_port http_port hmac
  need "ACME: pebble" /usr/bin/pebble || return
  mkdir "$dir"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$dir/ext.cnf"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=certwiz security test pebble tls ca" -keyout "$dir/tls-ca.key" \
    -out "$dir/tls-ca.pem" >/dev/null 2>&1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$dir/tls.key" -out "$dir/tls.csr" >/dev/null 2>&1
  openssl x509 -req -in "$dir/tls.csr" -CA "$dir/tls-ca.pem" -CAkey "$dir/tls-ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/ext.cnf" -out "$dir/tls.pem" >/dev/null 2>&1
  hmac=$(openssl rand 32 | "$py" -c 'import base64, sys
print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).decode().rstrip("="))')
  hmac_b64url=$hmac
  acme_port=$(free_port); mgmt_port=$(free_port); http_port=$(free_port)
  cat >"$dir/pebble.json" <<EOF
{"pebble":{"listenAddress":"127.0.0.1:$acme_port","managementListenAddress":"127.0.0.1:$mgmt_port",
"certificate":"$dir/tls.pem","privateKey":"$dir/tls.key","httpPort":$http_port,
"tlsPort":$(free_port),"ocspResponderURL":"","externalAccountBindingRequired":true,
"externalAccountMACKeys":{"kid-1":"$hmac"}}}
EOF
  start_peer pebble env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    /usr/bin/pebble -config "$dir/pebble.json"
  if ! wait_for_line pebble "Listening on"; then
    not_ok "ACME: pebble starts" "$(cat "$work/pebble.out")"
    return
  fi
  secret_file "$dir/hmac" "$hmac"
  run ca add --json pebble --url "https://127.0.0.1:$acme_port/dir" --protocol acme \
    --trust-bundle "$dir/tls-ca.pem" --eab-kid kid-1 --eab-hmac-file "$dir/hmac" \
    --http01 "listen:127.0.0.1:$http_port"
  [ "$rc" -eq 0 ] && ok "ACME: ca add --eab-hmac-file --json" ||
    { not_ok "ACME: ca add with EAB" "exit $rc" "$out" "$err"; return; }
  run --json-progress request --ca pebble --usage web-external --key p256
  [ "$rc" -eq 0 ] && ok "ACME: request --json-progress with EAB (account registered)" ||
    not_ok "ACME: request with EAB" "exit $rc" "$out" "$err"
  run ca show --json pebble
  [ "$rc" -eq 0 ] && ok "ACME: ca show --json" || not_ok "ACME: ca show" "exit $rc" "$out" "$err"
}

est ()
{
  local dir=$work/est password port
  need "EST: tests/est-server.py" "$srcdir/est-server.py" || return
  mkdir "$dir"
  make_est_pki "$dir" "Security"
  password=est-$(openssl rand -hex 12)
  secrets+=("$password")
  secret_file "$dir/password" "$password"
  start_peer est "$py" "$srcdir/est-server.py" --cert "$dir/tls.pem" --key "$dir/tls.key" \
    --client-ca "$dir/cacerts.pem" --cacerts "$dir/cacerts.pem" --ca-cert "$dir/int.pem" \
    --ca-key "$dir/int.key" --user alice --password "$password"
  if ! wait_for_line est "^PORT "; then
    not_ok "EST: est-server.py starts" "$(cat "$work/est.err")"
    return
  fi
  port=$(sed -n 's/^PORT //p' "$work/est.out")
  run ca add --json est --url "https://127.0.0.1:$port/.well-known/est" --protocol est \
    --auth basic --user alice --password-file "$dir/password" --trust-bundle "$dir/root.pem"
  [ "$rc" -eq 0 ] && ok "EST: ca add --password-file --json" ||
    { not_ok "EST: ca add with a password" "exit $rc" "$out" "$err"; return; }
  run --json-progress request --ca est --usage oauth --key p256
  [ "$rc" -eq 0 ] && ok "EST: request --json-progress with Basic authentication" ||
    not_ok "EST: request with a password" "exit $rc" "$out" "$err"
  run request --json --ca est --usage oauth --key p256 --user alice --password-file "$dir/password"
  [ "$rc" -eq 0 ] && ok "EST: request --json --user --password-file" ||
    not_ok "EST: request --password-file" "exit $rc" "$out" "$err"
}

scep ()
{
  local dir=$work/scep challenge rport
  need "SCEP: tests/scep-responder" "$builddir/scep-responder" || return
  mkdir "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/O=Certwiz tests/CN=Security SCEP CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1
  challenge=scep-$(openssl rand -hex 12)
  secrets+=("$challenge")
  secret_file "$dir/challenge" "$challenge"
  start_peer scep "$builddir/scep-responder" --dir "$dir" --pending --challenge "$challenge"
  if ! wait_for_line scep "^PORT "; then
    not_ok "SCEP: scep-responder starts" "$(cat "$work/scep.err")"
    return
  fi
  rport=$(sed -n 's/^PORT //p' "$work/scep.out")
  run ca add --json ndes --url "http://127.0.0.1:$rport/cgi-bin/pkiclient.exe" --protocol scep \
    --challenge-password-file "$dir/challenge"
  [ "$rc" -eq 0 ] && ok "SCEP: ca add --challenge-password-file --json" ||
    { not_ok "SCEP: ca add with a challenge" "exit $rc" "$out" "$err"; return; }
  # The responder checks the challenge; it holds the request (a public copy in meta/pending/)
  run --json-progress request --ca ndes --usage oauth --key rsa2048
  [ "$rc" -eq 0 ] && [[ $out == *'"pending"'* ]] &&
    ok "SCEP: request --json-progress with the challenge password is pending" ||
    not_ok "SCEP: request with a challenge" "exit $rc" "$out" "$err"
}

hmac_b64url=""
acme
est
scep

# ---- no secret anywhere it could be read ----
"$py" - "$store" "$all_output" "$hmac_b64url" "${secrets[@]}" >"$work/leaks" 2>&1 <<'EOF'
import base64, os, re, sys
store, output, hmac = sys.argv[1], sys.argv[2], sys.argv[3]
secrets = [s.encode() for s in sys.argv[4:]]
private = ("keys", "pending", "local-ca", "acme", "journal")
needles = [(s, "a password") for s in secrets]
if hmac:
    raw = base64.urlsafe_b64decode(hmac + "=" * (-len(hmac) % 4))
    needles += [(hmac.encode(), "the EAB HMAC (base64url)"),
                (base64.b64encode(raw).rstrip(b"="), "the EAB HMAC (base64)"),
                (raw, "the EAB HMAC (raw)"), (raw.hex().encode(), "the EAB HMAC (hex)")]
needles.append((b"PRIVATE KEY", "a PEM private key block"))
# Every private key in the store: a 40-character slice of its base64, 24 bytes of its DER
keys = []
for root, dirs, files in os.walk(store):
    for f in files:
        p = os.path.join(root, f)
        try:
            text = open(p, "rb").read()
        except OSError:
            continue
        m = re.search(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----(.*?)-----END", text, re.S)
        if m:
            b64 = b"".join(m.group(1).split())
            der = base64.b64decode(b64)
            mid = len(b64) // 2
            needles.append((b64[mid:mid + 40], "base64 of the key " + os.path.relpath(p, store)))
            needles.append((der[len(der) // 2:len(der) // 2 + 24], "DER of the key " + os.path.relpath(p, store)))
            keys.append(p)
print("# %d private keys, %d secrets" % (len(keys), len(secrets)))
# Where nobody may find them: every output, every log, every public file of the store
places = [output]
for root, dirs, files in os.walk(store):
    rel = os.path.relpath(root, store)
    top = rel.split(os.sep)[0]
    for f in files:
        p = os.path.join(root, f)
        if top in private or (top == "archive" and f == "privkey.pem"):
            continue
        places.append(p)
leaks = 0
for p in places:
    data = open(p, "rb").read()
    for needle, what in needles:
        if needle and needle in data:
            print("leak: %s in %s" % (what, p))
            leaks += 1
print("# searched %d files (log/ has %d)" % (len(places), len(os.listdir(os.path.join(store, "log")))))
sys.exit(1 if leaks or len(keys) < 4 else 0)
EOF
if [ $? -eq 0 ]; then
  ok "no password, HMAC, challenge or private key in log/, any JSON output or public file"
else
  not_ok "no secret in logs, JSON output or public files" "$(cat "$work/leaks")"
fi
sed -n 's/^# /# /p' "$work/leaks"

# ==== 1. Modes and owners of the whole store ====
layout_check ()
{
  "$py" - "$store" "$(id -u)" <<'EOF'
import os, stat, sys
store, uid = sys.argv[1], int(sys.argv[2])
private = ("keys", "pending", "local-ca", "acme", "log", "journal")
bad = 0
n = 0
# os.walk does not follow links: live/<usage> is a link, listed but never walked into
for root, dirs, files in os.walk(store):
    for p in [root] + [os.path.join(root, f) for f in dirs + files]:
        if p != root and os.path.join(root, os.path.basename(p)) in [os.path.join(root, d) for d in dirs] \
           and not os.path.islink(p):
            continue  # a directory: checked as its own walk root
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            continue
        rel = os.path.relpath(p, store)
        parts = rel.split(os.sep)
        isdir = stat.S_ISDIR(st.st_mode)
        if rel != "." and parts[0] in private:
            want = 0o700 if isdir else (0o644 if rel == "local-ca/ca.pem" else 0o600)
        elif parts[0] == "archive" and len(parts) == 4 and parts[3] == "privkey.pem":
            want = 0o600
        else:
            want = 0o755 if isdir else 0o644
        mode = stat.S_IMODE(st.st_mode)
        n += 1
        if mode != want or st.st_uid != uid:
            print("%s: mode %04o owner %d, want %04o owner %d" % (rel, mode, st.st_uid, want, uid))
            bad += 1
print("# %d paths checked" % n)
sys.exit(1 if bad or n < 40 else 0)
EOF
}
if layout_check >"$work/layout" 2>&1; then
  ok "every path of the store has its layout's mode and owner ($(sed -n 's/^# //p' "$work/layout"))"
else
  not_ok "every path of the store has its layout's mode and owner" "$(cat "$work/layout")"
fi
for d in keys pending local-ca local-ca/requests acme log "pending/$held_id"; do
  [ -d "$store/$d" ] || not_ok "the store has $d/ after these operations"
done

# ---- looser permissions are reported, not repaired ----
# names_path TEXT PATH: a warning in TEXT names PATH (followed by a space or a comma)
names_path ()
{
  [[ $1 == *"$2 "* || $1 == *"$2,"* ]]
}
# expect_warning DESCRIPTION PATH: `list` warns about PATH on stderr and in --json
expect_warning ()
{
  local desc=$1 path=$2
  run list
  if [ "$rc" -eq 0 ] && names_path "$err" "$path"; then
    ok "$desc: list warns, naming $path"
  else
    not_ok "$desc: list warns, naming the path" "exit $rc" "$err"
  fi
  run server show --json
  if [ "$rc" -eq 0 ] && names_path "$(json_get "$work/stdout" '[w["message"] for w in d["warnings"] if w["kind"] == "store-permissions"]')" "$path"; then
    ok "$desc: --json has it in \"warnings\""
  else
    not_ok "$desc: --json has it in \"warnings\"" "$out"
  fi
}
expect_clean ()
{
  run --json-progress list
  if [ "$rc" -eq 0 ] && [ -z "$err" ] && [[ $out != *'"warnings"'* ]]; then
    ok "$1: no warning"
  else
    not_ok "$1: no warning" "exit $rc" "$out" "$err"
  fi
}
expect_clean "the store as Certwiz made it"
key=$(ls "$store"/keys/*.pem | head -1)
chmod 0644 "$key"
expect_warning "a private key 0644" "$key"
run --json-progress list
[[ $out == *'"warnings":[{"kind":"store-permissions","message":'*"$key,"* ]] && ok "a private key 0644: --json-progress's result has it too" ||
  not_ok "a private key 0644: --json-progress's result has it" "$out"
run assign "$lab_thumb" --usage default --json
[ "$rc" -eq 0 ] && [ "$(json_get "$work/stdout" '",".join(w["kind"] for w in d["warnings"])')" = store-permissions ] &&
  ok "a private key 0644: assign --json adds it to its own \"warnings\"" ||
  not_ok "a private key 0644: assign --json adds it to its \"warnings\"" "exit $rc" "$out" "$err"
check "a private key 0644: Certwiz did not chmod it" test "$(stat -c %a "$key")" = 644
chmod 0600 "$key"
expect_clean "the key 0600 again"
chmod 0755 "$store/pending/$held_id"
expect_warning "a pending request's directory 0755" "$store/pending/$held_id"
chmod 0700 "$store/pending/$held_id"
chmod 0750 "$store/local-ca/requests"
expect_warning "the lab CA's requests directory 0750" "$store/local-ca/requests"
chmod 0700 "$store/local-ca/requests"
chmod 0757 "$store/certs"
expect_warning "certs/ writable by others" "$store/certs"
chmod 0755 "$store/certs"
chmod 0755 "$store/keys"
run list
[ "$rc" -eq 16 ] && [[ $err == *"$store/keys"* ]] &&
  ok "keys/ 0755: the store is refused (exit 16), naming keys/" ||
  not_ok "keys/ 0755: the store is refused" "exit $rc" "$err"
chmod 0700 "$store/keys"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
  cert=$store/certs/$pfx_thumb.pem
  chown nobody "$cert"
  expect_warning "a certificate owned by nobody in root's store" "$cert"
  [[ $err == *nobody* ]] && ok "… the warning names the user" || not_ok "… names the user" "$err"
  chown 0 "$cert"
else
  skip "a file owned by another user in root's store" "needs root"
fi
expect_clean "every permission restored"

# ==== 4. The operating system's trust ====
mkdir "$work/system-trust"
export CERTWIZ_SYSTEM_TRUST_DIR=$work/system-trust/certs
export CERTWIZ_SYSTEM_TRUST_UPDATE="/usr/bin/touch '$work/system-trust/updated;\$(touch pwned-update)'"
root_thumb=$(openssl_thumbprint "$work/root.pem")
run trust system "$work/root.pem" </dev/null
if [ "$rc" -eq 2 ] && [[ $err == *"--yes"* ]] && [ ! -e "$CERTWIZ_SYSTEM_TRUST_DIR" ] &&
   [ -z "$(ls -A "$work/system-trust")" ]; then
  ok "trust system without --yes and without a terminal refuses, changing nothing (exit 2)"
else
  not_ok "trust system without --yes refuses" "exit $rc" "$err" "$(ls -R "$work/system-trust")"
fi
run trust system --json "$work/root.pem"
[ "$rc" -eq 2 ] && [ -z "$(ls -A "$work/system-trust")" ] &&
  ok "trust system --json without --yes refuses too" ||
  not_ok "trust system --json without --yes refuses" "exit $rc" "$err"
run trust system --yes "$work/leaf.pem"
[ "$rc" -eq 13 ] && [ -z "$(ls -A "$work/system-trust")" ] &&
  ok "trust system --yes of a certificate that is no root is refused (exit 13)" ||
  not_ok "trust system of a leaf is refused" "exit $rc" "$err"
# On a terminal: the answer decides
tty_answer ()
{
  "$py" - "$cli" "$1" "$work/root.pem" <<'EOF'
import os, pty, sys, time
cli, answer, root = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execv(cli, [cli, "trust", "system", root])
seen = b""
deadline = time.time() + 20
answer_sent = False
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if not answer_sent and b":" in seen and b"yes" in seen:
        os.write(fd, answer.encode() + b"\n")
        answer_sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
}
tty_answer no >"$work/tty.out" 2>&1
rc=$?
[ "$rc" -ne 0 ] && [ -z "$(ls -A "$work/system-trust")" ] && grep -q "Type “yes”" "$work/tty.out" &&
  ok "trust system on a terminal asks, and the answer “no” changes nothing" ||
  not_ok "trust system on a terminal, answer no" "exit $rc" "$(cat "$work/tty.out")"
tty_answer yes >"$work/tty.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && cmp -s <(openssl x509 -in "$CERTWIZ_SYSTEM_TRUST_DIR/certwiz-$root_thumb.crt") \
     <(openssl x509 -in "$work/root.pem") &&
   [ -e "$work/system-trust/updated;\$(touch pwned-update)" ]; then
  ok "trust system on a terminal, answer “yes”: the root is in the test directory, the update ran"
else
  not_ok "trust system on a terminal, answer yes" "exit $rc" "$(cat "$work/tty.out")" \
    "$(ls -R "$work/system-trust")"
fi
rm -rf "${work:?}/system-trust/"*
run trust system --json --yes "$work/root.pem"
crt=$CERTWIZ_SYSTEM_TRUST_DIR/certwiz-$root_thumb.crt
if [ "$rc" -eq 0 ] && [ "$(json_get "$work/stdout" 'd["path"]')" = "$crt" ] &&
   [ "$(stat -c %a "$crt")" = 644 ] && openssl x509 -in "$crt" -noout 2>/dev/null &&
   [ -e "$work/system-trust/updated;\$(touch pwned-update)" ]; then
  ok "trust system --yes writes certwiz-THUMBPRINT.crt (0644) and runs the update command as an argv"
else
  not_ok "trust system --yes" "exit $rc" "$out" "$err" "$(ls -lR "$work/system-trust")"
fi
rm -rf "${work:?}/system-trust/"*
export CERTWIZ_SYSTEM_TRUST_UPDATE=/bin/false
run trust system --yes "$work/root.pem"
[ "$rc" -eq 15 ] && [ ! -e "$crt" ] &&
  ok "trust system: a failing update command is reported (exit 15) and the file taken back" ||
  not_ok "trust system with a failing update" "exit $rc" "$err"
unset CERTWIZ_SYSTEM_TRUST_DIR CERTWIZ_SYSTEM_TRUST_UPDATE
pwned=$(find "$work" "$store" -name 'pwned*' ! -path "$work/cwd/*" 2>/dev/null)
[ -z "$pwned" ] && ok "the update command's words were not evaluated either" ||
  not_ok "the update command's words were not evaluated" "$pwned"

# Everything above ran trust import twice and trust system against a test directory
system_trust >"$work/system-trust.after"
if cmp -s "$work/system-trust.before" "$work/system-trust.after"; then
  ok "/usr/local/share/ca-certificates and /etc/ssl/certs are unchanged ($(wc -l <"$work/system-trust.after") entries)"
else
  not_ok "the system's trust is unchanged" "$(diff "$work/system-trust.before" "$work/system-trust.after" | head -20)"
fi

finish
