#!/bin/bash
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The unprivileged GUI path (DESIGN.md "Privileges"), as a person would meet it: root
# owns the store; an ordinary user the test creates runs the GUI, which changes the
# store only through `sudo -n certwiz-cli … --json-progress` (CERTWIZ_ELEVATE in place
# of pkexec; a sudoers rule lets that user run exactly this certwiz-cli). The dogtail
# test (test-unprivileged.py) runs as that user; this script then checks, as root, what
# the helper left in the store. Needs root to create the user and the sudoers rule.
# Usage: run-unprivileged.sh TEST.py   (TAP on stdout)
set -u
here=$(cd "$(dirname "$0")" && pwd)
script=$1
n=0
failed=0

tap () # tap OK|FAIL DESCRIPTION
{
  n=$((n + 1))
  if [ "$1" = OK ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

if [ "$(id -u)" -ne 0 ]; then
  if [ "${CI:-}" = true ]; then
    echo "1..1"
    echo "not ok 1 - this test needs root: it creates an unprivileged user and a sudoers rule"
    exit 1
  fi
  echo "1..0 # SKIP needs root to create an unprivileged user and a sudoers rule (CI runs as root)"
  exit 0
fi
for tool in sudo visudo runuser useradd; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..1"
    echo "not ok 1 - $tool is missing (build-aux/deps installs it)"
    exit 1
  fi
done

user=certwiz-gui-$$
work=$(mktemp -d /tmp/certwiz-unprivileged.XXXXXX)
sudoers=/etc/sudoers.d/certwiz-gui-test-$$
created_user=no
cleanup ()
{
  rm -f "$sudoers"
  [ $created_user = yes ] && { userdel "$user" >/dev/null 2>&1; groupdel "$user" >/dev/null 2>&1; }
  rm -rf "$work"
}
trap cleanup EXIT

useradd --system --no-create-home --user-group --shell /usr/sbin/nologin "$user" &&
  created_user=yes

# What the user runs must be readable by them: the build tree may sit in root's home
chmod 755 "$work"
mkdir -p "$work/bin" "$work/py" "$work/schemas" "$work/home" "$work/out"
cp "$CERTWIZ_GUI" "$CERTWIZ_CLI" "$work/bin/"
cp "$GSETTINGS_SCHEMA_DIR/gschemas.compiled" "$work/schemas/"
cp "$here"/*.py "$here/run-gui-test.sh" "$work/py/"
chmod -R a+rX "$work/bin" "$work/py" "$work/schemas"
chown "$user:" "$work/home" "$work/out"
helper=$work/bin/certwiz-cli
store=$work/store

# The store is root's, as /var/lib/certwiz would be
"$helper" --store "$store" server set --fqdn fe01.corp.example.test \
  --pool-fqdn pool.corp.example.test --web-internal-fqdn webint.corp.example.test \
  --web-external-fqdn webext.corp.example.test --sip-domains example.test \
  --simple-urls meet.example.test,dialin.example.test >/dev/null

# The user may run exactly this certwiz-cli as root, without a password (sudo -n)
cat >"$sudoers.tmp" <<EOF
Defaults:$user !requiretty, env_keep += "LANGUAGE ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS"
$user ALL=(root) NOPASSWD: $helper
EOF
if ! visudo -cqf "$sudoers.tmp"; then
  rm -f "$sudoers.tmp"
  echo "1..1"
  echo "not ok 1 - the sudoers rule for the test user does not validate"
  exit 1
fi
chmod 0440 "$sudoers.tmp"
mv "$sudoers.tmp" "$sudoers"

runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home" \
  LANG=C.UTF-8 TZ=UTC GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$work/schemas" \
  CERTWIZ_GUI="$work/bin/certwiz" CERTWIZ_CLI="$helper" CERTWIZ_HELPER="$helper" \
  CERTWIZ_ELEVATE="sudo -n" CERTWIZ_STORE="$store" CERTWIZ_TEST_STORE="$store" \
  CERTWIZ_BUILD_ROOT="$work/out" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
  ${LSAN_OPTIONS:+LSAN_OPTIONS="$LSAN_OPTIONS"} ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
  bash "$work/py/run-gui-test.sh" "$work/py/$(basename "$script")" >"$work/gui.tap" 2>"$work/gui.err"
gui_status=$?

# The GUI's own TAP lines, then this script's checks continue the numbering
while IFS= read -r line; do
  case "$line" in
    "ok "*|"not ok "*) n=$((n + 1)); echo "$line" ;;
    1..*) ;;
    *) echo "# $line" ;;
  esac
  case "$line" in "not ok "*) failed=1 ;; esac
done <"$work/gui.tap"
[ $gui_status -eq 0 ] || { failed=1; sed 's/^/# /' "$work/gui.err" | tail -30; }
rm -rf "${CERTWIZ_BUILD_ROOT:-.}/tests/screenshots/unprivileged"
mkdir -p "${CERTWIZ_BUILD_ROOT:-.}/tests/screenshots"
cp -r "$work/out/tests/screenshots/unprivileged" "${CERTWIZ_BUILD_ROOT:-.}/tests/screenshots/" 2>/dev/null

# Root's view of what the helper did
others=$(find "$store" ! -user root | head -5)
[ -z "$others" ] && tap OK "every file in the store belongs to root" ||
  tap FAIL "files not owned by root: $others"
keys=$(find "$store/keys" -name '*.pem' | wc -l)
[ "$keys" -ge 1 ] && tap OK "keys/ holds the private key" || tap FAIL "keys/ holds no key"
bad_modes=$(find "$store/keys" "$store/pending" "$store/log" -type f ! -perm 0600 | head -3)
[ -z "$bad_modes" ] && tap OK "private keys, pending entries and logs are 0600" ||
  tap FAIL "not 0600: $bad_modes"
thumb=$(openssl x509 -in "$store/live/default/cert.pem" -noout -fingerprint -sha1 2>/dev/null |
  sed 's/.*=//; s/://g')
list=$("$helper" --store "$store" list --json 2>/dev/null)
if printf '%s' "$list" | /usr/bin/python3 -c '
import json, sys
certs = json.load(sys.stdin)
certs = certs.get("certificates", certs) if isinstance(certs, dict) else certs
c = [c for c in certs if c.get("thumbprint", "").upper() == sys.argv[1].upper()]
sys.exit(0 if c and sorted(c[0].get("usages", [])) == ["default", "web-external", "web-internal"] else 1)
' "$thumb"; then
  tap OK "certwiz-cli list (root) shows the certificate assigned to the three usages"
else
  tap FAIL "certwiz-cli list (root) does not show the assignment: $list"
fi
# The user's read-only view knows the key exists (meta/keys.ini), without reading keys/
user_list=$(runuser -u "$user" -- "$helper" --store "$store" list --json 2>&1)
if printf '%s' "$user_list" | grep -q '"key_present" *: *true'; then
  tap OK "the user's read-only list knows the certificate has its private key"
else
  tap FAIL "the user's read-only list does not see the key: $user_list"
fi
sudo_log=$(grep -c "certwiz-cli" /var/log/auth.log 2>/dev/null || true)
echo "# sudo log lines for certwiz-cli: ${sudo_log:-none}"

echo "1..$n"
exit $failed
