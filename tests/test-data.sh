#!/bin/bash
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Suite "data": the desktop entry, AppStream metainfo, polkit policy, GSettings schema, icons,
# translations and the core/GUI layering. TAP output, one line per check.
# Needs CERTWIZ_SOURCE_ROOT and CERTWIZ_BUILD_ROOT (tests/meson.build sets both).
# With CI=true a missing tool fails its check instead of skipping it.
set -uo pipefail

src=${CERTWIZ_SOURCE_ROOT:?CERTWIZ_SOURCE_ROOT is not set}
build=${CERTWIZ_BUILD_ROOT:?CERTWIZ_BUILD_ROOT is not set}
app_id=io.github.certwiz.Certwiz
python=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/certwiz-test-data-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0

# ok NAME / not_ok NAME [DIAGNOSTIC-FILE] / skip NAME REASON
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=$((failed + 1))
  echo "not ok $n - $1"
  if [ -n "${2:-}" ] && [ -s "$2" ]; then sed -e 's/^/# /' "$2" | head -n 60; fi
}
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# check NAME COMMAND…: passes when COMMAND exits 0; its output is the diagnostic
check () {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else not_ok "$name" "$tmp/out"; fi
}

# need TOOL NAME: true when TOOL exists; otherwise records a skip (a failure in CI)
need () {
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  if [ "${CI:-}" = true ]; then
    echo "$1 is not installed (build-aux/deps installs it)" >"$tmp/out"
    not_ok "$2" "$tmp/out"
  else
    skip "$2" "$1 is not installed"
  fi
  return 1
}

desktop=$build/data/$app_id.desktop
metainfo=$build/data/$app_id.metainfo.xml

# --- Desktop entry -------------------------------------------------------------
name="desktop entry $app_id.desktop is valid"
if need desktop-file-validate "$name"; then
  if [ ! -f "$desktop" ]; then
    echo "$desktop was not built" >"$tmp/out"; not_ok "$name" "$tmp/out"
  else
    # desktop-file-validate exits 0 on hints; any output line but a hint is a problem
    desktop-file-validate "$desktop" >"$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && ! grep -qv ': hint:' "$tmp/out"; then ok "$name"; else not_ok "$name" "$tmp/out"; fi
  fi
fi

desktop_keys () {
  [ -f "$desktop" ] || { echo "$desktop was not built"; return 1; }
  local want rc=0
  for want in 'Name=Certificate Wizard' 'Name[de]=Zertifikat-Assistent' "Icon=$app_id" \
              'Exec=certwiz' 'Categories=System;Security;GTK;' 'StartupNotify=true'; do
    grep -qxF "$want" "$desktop" || { echo "missing line: $want"; rc=1; }
  done
  for kw in TLS SSL certificate PFX ACME thumbprint; do
    grep -qE "^Keywords=(.*;)?$kw;" "$desktop" || { echo "Keywords lacks $kw"; rc=1; }
  done
  grep -qE '^Keywords\[de\]=.*Zertifikat;' "$desktop" || { echo "no German Keywords[de]"; rc=1; }
  return $rc
}
check "desktop entry has Name[de]=Zertifikat-Assistent, icon, exec and keywords" desktop_keys

# --- AppStream metainfo --------------------------------------------------------
name="metainfo $app_id.metainfo.xml passes appstreamcli validate --no-net --pedantic"
if need appstreamcli "$name"; then
  if [ ! -f "$metainfo" ]; then
    echo "$metainfo was not built" >"$tmp/out"; not_ok "$name" "$tmp/out"
  else
    appstreamcli validate --no-net --pedantic --no-color "$metainfo" >"$tmp/out" 2>&1
    rc=$?
    # Errors (E:) and warnings (W:) fail; infos and pedantic notes (the upper-case
    # letters required by the reverse-DNS application ID) are fine.
    if [ $rc -eq 0 ] && ! grep -qE '^[EW]: ' "$tmp/out"; then ok "$name"; else not_ok "$name" "$tmp/out"; fi
  fi
fi

metainfo_content () {
  [ -f "$metainfo" ] || { echo "$metainfo was not built"; return 1; }
  local want rc=0
  for want in "<id>$app_id</id>" '<metadata_license>CC0-1.0</metadata_license>' \
              '<project_license>GPL-3.0-or-later</project_license>' \
              "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" \
              '<binary>certwiz</binary>' '<binary>certwiz-cli</binary>' \
              '<release version="0.1.0" date="2026-11-25"' \
              '<url type="homepage">https://github.com/certwiz/certwiz</url>' \
              '<name xml:lang="de">Zertifikat-Assistent</name>'; do
    grep -qF "$want" "$metainfo" || { echo "missing: $want"; rc=1; }
  done
  grep -qE '<summary xml:lang="de">' "$metainfo" || { echo "no German summary"; rc=1; }
  return $rc
}
check "metainfo declares ID, licences, launchable, binaries, release 0.1.0 and German text" metainfo_content

# --- polkit action of the privileged helper --------------------------------------
policy=$build/data/$app_id.policy
policy_dtd=/usr/share/polkit-1/policyconfig-1.dtd
name="polkit policy $app_id.policy is well-formed XML valid against polkit's DTD"
if need xmllint "$name"; then
  if [ ! -f "$policy" ]; then
    echo "$policy was not built" >"$tmp/out"; not_ok "$name" "$tmp/out"
  elif [ -f "$policy_dtd" ]; then
    check "$name" xmllint --noout --nonet --dtdvalid "$policy_dtd" "$policy"
  elif [ "${CI:-}" = true ]; then
    echo "$policy_dtd is missing (polkitd, installed with pkexec by build-aux/deps)" >"$tmp/out"
    not_ok "$name" "$tmp/out"
  else
    xmllint --noout --nonet "$policy" >"$tmp/out" 2>&1 &&
      skip "$name" "well-formed, but $policy_dtd is missing for the validation" ||
      not_ok "$name" "$tmp/out"
  fi
fi

policy_content () {
  [ -f "$policy" ] || { echo "$policy was not built"; return 1; }
  "$python" - "$policy" "$app_id.helper" "${CERTWIZ_INSTALLED_CLI:?CERTWIZ_INSTALLED_CLI is not set}" <<'EOF2'
import sys, xml.etree.ElementTree as ET
path, action_id, cli = sys.argv[1:4]
lang = "{http://www.w3.org/XML/1998/namespace}lang"
root = ET.parse(path).getroot()
rc = 0
actions = [a for a in root.findall("action") if a.get("id") == action_id]
if len(actions) != 1:
    print(f"no single action {action_id}"); sys.exit(1)
a = actions[0]
want = {"allow_any": "auth_admin", "allow_inactive": "auth_admin",
        "allow_active": "auth_admin_keep"}
for key, value in want.items():
    got = a.findtext(f"defaults/{key}")
    if got != value:
        print(f"defaults/{key} is {got!r}, not {value!r}"); rc = 1
annotations = {n.get("key"): n.text for n in a.findall("annotate")}
if annotations.get("org.freedesktop.policykit.exec.path") != cli:
    print(f"exec.path is {annotations.get('org.freedesktop.policykit.exec.path')!r}, "
          f"not the installed {cli!r}"); rc = 1
if annotations.get("org.freedesktop.policykit.exec.allow_gui") != "false":
    print("exec.allow_gui is not false"); rc = 1
for tag in ("description", "message"):
    english = [m.text for m in a.findall(tag) if m.get(lang) is None]
    german = [m.text for m in a.findall(tag) if m.get(lang) == "de"]
    if len(english) != 1 or not english[0]:
        print(f"no English {tag}"); rc = 1
    if len(german) != 1 or not german[0] or german == english:
        print(f"no German {tag} (xml:lang=\"de\")"); rc = 1
sys.exit(rc)
EOF2
}
check "polkit action $app_id.helper: auth_admin_keep, exec.path is the installed certwiz-cli, German message" \
  policy_content

# --- GSettings schema ----------------------------------------------------------
name="glib-compile-schemas --strict --dry-run data/"
if need glib-compile-schemas "$name"; then
  check "$name" glib-compile-schemas --strict --dry-run "$src/data"
fi

schema_keys () {
  [ -f "$build/data/gschemas.compiled" ] || { echo "$build/data/gschemas.compiled was not built"; return 1; }
  local keys key rc=0
  keys=$(gsettings --schemadir "$build/data" list-keys "$app_id") || return 1
  for key in organization organizational-unit country state locality last-ca; do
    grep -qxF "$key" <<<"$keys" || { echo "key $key is missing"; rc=1; continue; }
    [ "$(gsettings --schemadir "$build/data" get "$app_id" "$key")" = "''" ] ||
      { echo "key $key does not default to ''"; rc=1; }
  done
  grep -q 'gettext-domain="certwiz"' "$src/data/$app_id.gschema.xml" ||
    { echo "the schema names no gettext-domain"; rc=1; }
  return $rc
}
name="compiled schema in the build dir has the request defaults (organization … last-ca)"
if need gsettings "$name"; then
  check "$name" schema_keys
fi

# --- systemd units of the unattended renewal ------------------------------------
units_verify () {
  local unit rc=0
  for unit in certwiz-renew.service certwiz-renew.timer; do
    [ -f "$build/data/$unit" ] || { echo "$build/data/$unit was not built"; return 1; }
  done
  # systemd-analyze exits 0 on what it ignores ("Failed to parse …, ignoring"): any output
  # is a problem. It also wants ExecStart's program to exist: the copy it verifies names
  # this build's certwiz-cli (a build that is not installed, such as the sanitizer build's,
  # has no PREFIX/bin); units_content below checks that the real unit names the installed one.
  mkdir -p "$tmp/units"
  sed "s|^ExecStart=[^ ]*|ExecStart=${CERTWIZ_CLI:?CERTWIZ_CLI is not set}|" \
    "$build/data/certwiz-renew.service" >"$tmp/units/certwiz-renew.service"
  cp "$build/data/certwiz-renew.timer" "$tmp/units/"
  systemd-analyze verify --man=no "$tmp/units/certwiz-renew.service" \
    "$tmp/units/certwiz-renew.timer" >"$tmp/verify" 2>&1
  rc=$?
  cat "$tmp/verify"
  [ $rc -eq 0 ] && [ ! -s "$tmp/verify" ]
}
name="systemd-analyze verify certwiz-renew.service and .timer: no error, no warning"
if need systemd-analyze "$name"; then
  check "$name" units_verify
  # The check itself catches a broken unit
  sed 's/^Type=oneshot$/Type=oneshot-typo/' "$tmp/units/certwiz-renew.service" \
    >"$tmp/certwiz-broken.service" 2>/dev/null
  systemd-analyze verify --man=no "$tmp/certwiz-broken.service" >"$tmp/broken" 2>&1
  if grep -q 'oneshot-typo' "$tmp/broken"; then
    ok "systemd-analyze verify reports a broken unit (the check above can fail)"
  else
    not_ok "systemd-analyze verify reports a broken unit"
  fi
fi

units_content () {
  local service=$build/data/certwiz-renew.service timer=$build/data/certwiz-renew.timer rc=0
  grep -qxF "ExecStart=${CERTWIZ_INSTALLED_CLI:?} renew" "$service" ||
    { echo "ExecStart is not the installed certwiz-cli renew"; rc=1; }
  grep -qx 'Type=oneshot' "$service" || { echo "the service is not Type=oneshot"; rc=1; }
  grep -qx 'OnCalendar=\*-\*-\* 00,12:00:00' "$timer" || { echo "not twice a day"; rc=1; }
  grep -qx 'RandomizedDelaySec=1h' "$timer" || { echo "no randomised delay"; rc=1; }
  grep -qx 'Persistent=true' "$timer" || { echo "missed runs are not made up"; rc=1; }
  grep -qx 'WantedBy=timers.target' "$timer" || { echo "the timer cannot be enabled"; rc=1; }
  if command -v systemd-analyze >/dev/null; then
    [ "$(systemd-analyze calendar --iterations=2 '*-*-* 00,12:00:00' | grep -c 'Iter\|Next elapse')" -eq 2 ] ||
      { echo "the calendar expression does not elapse twice"; rc=1; }
  fi
  return $rc
}
check "renewal units: certwiz-cli renew, oneshot, twice daily with a random delay, persistent" \
  units_content

# --- Icons ---------------------------------------------------------------------
icons () {
  "$python" - "$src" "$app_id" <<'EOF'
import sys, xml.etree.ElementTree as ET
src, app = sys.argv[1:3]
rc = 0
for path, size in ((f"icons/hicolor/scalable/apps/{app}.svg", None),
                   (f"icons/hicolor/symbolic/apps/{app}-symbolic.svg", "16")):
    try:
        root = ET.parse(f"{src}/data/{path}").getroot()
    except (OSError, ET.ParseError) as e:
        print(f"{path}: {e}"); rc = 1; continue
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        print(f"{path}: the root element is not <svg>"); rc = 1
    if size and (root.get("width"), root.get("height")) != (size, size):
        print(f"{path}: a symbolic icon is {size}×{size}"); rc = 1
sys.exit(rc)
EOF
}
check "application icon and symbolic icon are well-formed SVG" icons

# --- Translations --------------------------------------------------------------
po=$src/po/de.po
name="msgfmt --check po/de.po: no errors, 0 untranslated, 0 fuzzy"
if need msgfmt "$name"; then
  if msgfmt --check --statistics -o /dev/null "$po" >"$tmp/out" 2>&1 &&
     ! grep -qE 'untranslated|fuzzy' "$tmp/out"; then
    ok "$name"
  else
    not_ok "$name" "$tmp/out"
  fi
fi

# Every msgstr must be German, not the English msgid copied. Allowed: strings with no
# letters at all (placeholders, punctuation), and this short list of product names,
# abbreviations and words that German spells the same way.
same_as_english () {
  "$python" - "$po" <<'EOF'
import re, sys

ALLOW = {
    "OAuthTokenIssuer", "Certwiz", "certwiz", "certwiz-cli",
    "SHA-1", "SHA-256", "PKCS#10", "PKCS#12", "PKCS#7", "X.509", "PEM", "DER",
    "OK", "CN", "O", "OU", "L", "ST", "C", "URL", "URLs", "FQDN", "DNS", "IP",
    "TLS", "SSL", "MTLS", "SIP", "ACME", "SCEP", "EST", "CSR", "OID", "CRL",
    "RSA", "ECDSA", "P-256", "P-384", "RSA 2048", "RSA 3072", "RSA 4096",
    "ECDSA P-256", "ECDSA P-384",
    "Details", "Status", "Server", "Version", "Name", "Host", "Port", "Online", "Offline",
    # German spells these the same: a command-line placeholder, Windows' URL entry
    "NAME", "URL=%s",
    # Protocol and authentication names (issue 4), and the ID placeholder
    "ACME (RFC 8555)", "SCEP (RFC 8894)", "EST (RFC 7030)", "NTLM", "Negotiate (Kerberos)",
    "http-01", "ID",
}

def unquote(s):
    return bytes(s.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

entries, cur, field = [], {}, None
for raw in open(sys.argv[1], encoding="utf-8"):
    line = raw.strip()
    if line.startswith("#~"):
        continue
    if not line or line.startswith("#"):
        if cur.get("msgstr") is not None or "msgstr[0]" in cur:
            entries.append(cur); cur = {}
        field = None
        continue
    m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
    if m:
        if m.group(1) in ("msgctxt", "msgid") and ("msgstr" in cur or "msgstr[0]" in cur):
            entries.append(cur); cur = {}
        field = m.group(1)
        cur[field] = unquote(m.group(2))
    elif line.startswith('"') and field:
        cur[field] += unquote(line)
if cur:
    entries.append(cur)

def allowed(s):
    bare = re.sub(r"%(\d+\$)?[-+ #0]*\d*(\.\d+)?(l|ll|h|z|G_GU?INT64_FORMAT)?[sdiuxXfgcp%]", "", s)
    if not re.search(r"[^\W\d_]", bare):
        return True
    return s.replace("_", "").rstrip(":").strip() in ALLOW

bad = 0
for e in entries:
    msgid = e.get("msgid", "")
    if not msgid:
        continue
    pairs = [(msgid, e.get("msgstr", e.get("msgstr[0]", "")))]
    if "msgid_plural" in e:
        pairs.append((e["msgid_plural"], e.get("msgstr[1]", "")))
    for en, de in pairs:
        if de and de == en and not allowed(en):
            print(f"msgstr repeats the English: {en!r}")
            bad += 1
print(f"{len(entries)} entries checked, {bad} repeat the English")
sys.exit(1 if bad else 0)
EOF
}
check "no German msgstr merely repeats its English msgid (outside the allowlist)" same_as_english

potfiles=$src/po/POTFILES.in
listed () { grep -v '^[[:space:]]*\(#\|$\)' "$potfiles" | sed -e 's/[[:space:]]*$//'; }

potfiles_cover () {
  local f rc=0
  listed | sort -u >"$tmp/listed"
  ( cd "$src" &&
    { grep -rlP '(?<![A-Za-z0-9_])(_|N_|C_|NC_)\s*\(\s*("|$)' --include='*.c' --include='*.h' src
      find src data -name '*.ui'
      find data -maxdepth 1 \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml' \
                             -o -name '*.policy.in' \)
    } | sort -u ) >"$tmp/need"
  while read -r f; do
    grep -qxF "$f" "$tmp/listed" || { echo "not in po/POTFILES.in: $f"; rc=1; }
  done <"$tmp/need"
  return $rc
}
check "every file with _( / N_( / C_(, every .ui and data file is in po/POTFILES.in" potfiles_cover

# xgettext over POTFILES.in as `ninja certwiz-pot` runs it (meson's glib preset):
# every listed file must exist and parse, and every extracted string must be in de.po.
xgettext_args=(--from-code=UTF-8 --add-comments --package-name=certwiz
               --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
               --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
               --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
               --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
               --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
               --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
               --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format
               --flag=g_print:1:c-format --flag=g_printerr:1:c-format
               --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format
               --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format)
name="xgettext extracts every file listed in po/POTFILES.in"
if need xgettext "$name"; then
  extract_all () {
    local f rc=0
    listed >"$tmp/files"
    while read -r f; do [ -f "$src/$f" ] || { echo "listed but missing: $f"; rc=1; }; done <"$tmp/files"
    [ $rc -eq 0 ] || return $rc
    xgettext "${xgettext_args[@]}" -D "$src" -f "$tmp/files" -o "$tmp/all.pot"
  }
  check "$name" extract_all

  # Compare with what exists, even while a listed file is still missing above
  name="every extracted string has a German translation in po/de.po"
  if need msgcmp "$name"; then
    translated () {
      local f
      listed | while read -r f; do [ -f "$src/$f" ] && echo "$f"; done >"$tmp/existing"
      xgettext "${xgettext_args[@]}" -D "$src" -f "$tmp/existing" -o "$tmp/certwiz.pot" || return 1
      [ -f "$tmp/certwiz.pot" ] || { echo "xgettext found no strings at all"; return 1; }
      # msgcmp counts untranslated and fuzzy entries of de.po as missing
      msgcmp "$po" "$tmp/certwiz.pot" >"$tmp/msgcmp" 2>&1 && return 0
      # Say which strings, and where they come from
      msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" "$tmp/certwiz.pot" || return 1
      { msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po"
        msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po"; } |
        grep -E '^(#: |msgid "[^"])' >"$tmp/missing"
      echo "$(grep -c '^msgid' "$tmp/missing") strings have no German translation (first ones):"
      head -n 40 "$tmp/missing"
      return 1
    }
    check "$name" translated
  fi
fi

# --- Layering (R1): the core never sees GTK --------------------------------------
core_includes () {
  ! grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk|gdk|gdk-pixbuf)/' "$src/src/core"
}
check "no file under src/core includes a gtk/ or gdk/ header" core_includes

compile_commands () {
  "$python" - "$build/compile_commands.json" <<'EOF'
import json, sys
try:
    cmds = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    print(f"{sys.argv[1]}: {e}"); sys.exit(1)
core = [c for c in cmds if "libcertreq.a.p" in (c.get("output", "") + c.get("command", ""))]
if len(core) < 5:
    print(f"only {len(core)} compile commands for libcertreq: is this the right build dir?"); sys.exit(1)
bad = [c["file"] for c in core
       if "gtk-3.0" in c.get("command", " ".join(c.get("arguments", [])))]
for f in bad:
    print(f"libcertreq compiles {f} with a gtk-3.0 include path")
print(f"{len(core)} libcertreq compile commands checked")
sys.exit(1 if bad else 0)
EOF
}
check "libcertreq's compile commands have no gtk-3.0 include path" compile_commands

echo "1..$n"
[ "$failed" -eq 0 ]
