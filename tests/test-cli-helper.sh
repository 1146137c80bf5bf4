# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli --json-progress, the privileged helper's protocol (docs/helper-protocol.md),
# end to end on a temporary store (TAP): a request's progress and result lines (every
# line JSON, stages in order, one result whose thumbprint is openssl's); error lines
# for a refused assignment (untrusted, exit 13) and a usage error; the result is what
# --json prints; cancellation by closing standard input during RSA 4096 key generation
# (exit 130, nothing pending, the lock free) and none when it is /dev/null; a denied
# and an approved pending request retrieved; export and offline request files given to
# the sudo/pkexec user.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

# lines FILE: checks that every line of FILE is one JSON object with exactly one of
# progress/result/error, progress lines well-formed and their stages in order, and
# exactly one result or error line, the last. Prints problems; writes the last line's
# inner object to FILE.last and its kind to FILE.kind.
cat >"$work/lines.py" <<'EOF'
import json, sys
STAGES = ["generating-key", "saving-request", "connecting", "authenticating", "submitting",
          "proving-control", "waiting", "downloading", "storing"]
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
problems, kinds, stages = [], [], []
last = None
for n, line in enumerate(lines, 1):
    try:
        obj = json.loads(line)
    except ValueError as e:
        problems.append(f"line {n} is not JSON ({e}): {line[:120]!r}"); continue
    if "\n" in line or not isinstance(obj, dict) or len(obj) != 1:
        problems.append(f"line {n} is not one object with one member"); continue
    kind, inner = next(iter(obj.items()))
    kinds.append(kind)
    last = (kind, inner)
    if kind == "progress":
        if inner.get("stage") not in STAGES:
            problems.append(f"line {n}: unknown stage {inner.get('stage')!r}")
        else:
            stages.append(STAGES.index(inner["stage"]))
        if not isinstance(inner.get("label"), str) or not inner["label"]:
            problems.append(f"line {n}: no label")
        if "detail" not in inner or not (inner["detail"] is None or isinstance(inner["detail"], str)):
            problems.append(f"line {n}: detail is neither a string nor null")
        f = inner.get("fraction")
        if not isinstance(f, (int, float)) or not (0 <= f <= 1 or f == -1):
            problems.append(f"line {n}: fraction {f!r}")
    elif kind not in ("result", "error"):
        problems.append(f"line {n}: unknown kind {kind!r}")
if stages != sorted(stages):
    problems.append(f"stages out of order: {[STAGES[i] for i in stages]}")
ends = [k for k in kinds if k in ("result", "error")]
if len(ends) != 1 or kinds[-1] not in ("result", "error"):
    problems.append(f"not exactly one result/error line at the end: {kinds}")
for p in problems:
    print(p)
json.dump(last[1] if last else None, open(path + ".last", "w"))
open(path + ".kind", "w").write(last[0] if last else "")
open(path + ".stages", "w").write("\n".join(STAGES[i] for i in stages))
sys.exit(1 if problems else 0)
EOF

# helper DESC ARGS…: runs certwiz-cli ARGS… --json-progress with stdin from /dev/null;
# sets $rc, $out, $err and checks the lines (one TAP line "DESC: JSON lines")
helper ()
{
  local desc=$1
  shift
  "$cli" "$@" --json-progress </dev/null >"$work/h.out" 2>"$work/h.err"
  rc=$?
  out=$(cat "$work/h.out")
  err=$(cat "$work/h.err")
  if "$py" "$work/lines.py" "$work/h.out" >"$work/h.problems"; then
    ok "$desc: every stdout line is JSON, one result or error line last"
  else
    not_ok "$desc: JSON lines" "exit $rc" "$(cat "$work/h.problems")" "stdout: $out" "stderr: $err"
  fi
  kind=$(cat "$work/h.out.kind")
}
# last EXPRESSION: evaluates a Python expression on the last line's object `d`
last () { json_get "$work/h.out.last" "$1"; }

# ---- help ----
run --help
check "certwiz-cli --help documents --json-progress" grep -q -- '--json-progress' "$work/stdout"
run request --help
check "request --help documents --json-progress" grep -q -- '--json-progress' "$work/stdout"

helper "server set" server set --fqdn fe01.corp.example.test --pool-fqdn pool.corp.example.test \
  --web-internal-fqdn webint.corp.example.test --web-external-fqdn webext.example.test \
  --sip-domains example.test
check "server set --json-progress exits 0 with a result" test "$rc" -eq 0 -a "$kind" = result
run server show --json
printf '%s\n' "$out" >"$work/show.json"
check "server set's result is what server show --json prints" \
  "$py" -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
  "$work/h.out.last" "$work/show.json"

# ---- request on the built-in CA: progress, then the result ----
# Standard input is a pipe the test holds open: it must not cancel while open
mkfifo "$work/in"
exec 7<>"$work/in"
"$cli" request --friendly-name "Helper" --key p256 --exportable --json-progress \
  <"$work/in" >"$work/req.out" 2>"$work/req.err" 7>&-
rc=$?
exec 7>&-
if [ "$rc" -eq 0 ] && "$py" "$work/lines.py" "$work/req.out" >"$work/req.problems"; then
  ok "request --json-progress: exit 0, every line JSON, stages in order, one result last"
else
  not_ok "request --json-progress" "exit $rc" "$(cat "$work/req.problems")" \
    "stdout: $(cat "$work/req.out")" "stderr: $(cat "$work/req.err")"
fi
check "request: the stages run from generating-key to storing" \
  test "$(head -n1 "$work/req.out.stages")|$(tail -n1 "$work/req.out.stages")" = "generating-key|storing"
check "request: each stage is reported once" \
  test "$(sort "$work/req.out.stages" | uniq -d)" = ""
cp "$work/req.out.last" "$work/req.json"
json_get "$work/req.json" 'd["certificate-pem"]' >"$work/leaf.pem"
json_get "$work/req.json" 'd["chain-pem"][0]' >"$work/issuer.pem"
thumb=$(json_get "$work/req.json" 'd["thumbprint"]')
check "request result: status issued by the built-in CA" \
  test "$(json_get "$work/req.json" 'd["status"] + "|" + d["ca-id"] + "|" + d["friendly-name"]')" = "issued|local|Helper"
check "request result: thumbprint equals openssl's SHA-1 fingerprint of certificate-pem" \
  test -n "$thumb" -a "$(openssl_thumbprint "$work/leaf.pem")" = "$thumb"
check "request result: chain-pem starts with the issuer of certificate-pem" \
  test "$(openssl x509 -in "$work/leaf.pem" -noout -issuer)" = \
       "issuer=$(openssl x509 -in "$work/issuer.pem" -noout -subject | sed 's/^subject=//')"
check "request result: request-id, pending-id and the log are set, request-file and reason null" \
  test "$(json_get "$work/req.json" '"%s|%s|%s|%s" % (bool(d["request-id"]), bool(d["pending-id"]), d["request-file"], d["reason"])')" = "True|True|None|None" \
  -a -f "$(json_get "$work/req.json" 'd["log"]')"
check "request: the stored certificate is the result's" test -s "$store/certs/$thumb.pem"
check "request: standard error carries no progress for the GUI" test ! -s "$work/req.err"

# ---- error lines ----
helper "assign (untrusted root)" assign "$thumb" --usage default
check "assign refused for the untrusted root exits 13" test "$rc" -eq 13
check "assign refused: one error line, certreq-error untrusted, exit-status 13" \
  test "$kind|$(last '"%s|%s|%s|%s" % (d["domain"], d["code-id"], d["code"], d["exit-status"])')" = \
       "error|certreq-error|untrusted|10|13"
check "assign refused: the message names the lab root" grep -q 'Certwiz Lab Root' "$work/h.out.last"
check "assign refused: the human line is on stderr too" grep -q '^certwiz-cli: .*Certwiz Lab Root' "$work/h.err"
check "assign refused: nothing is assigned" test -z "$(find "$store" -path '*/live/*' 2>/dev/null)"

helper "unknown option" request --bogus
check "an unknown option exits 2 with a usage error line" \
  test "$rc|$kind|$(last 'd["domain"] + "|" + str(d["exit-status"])')" = "2|error|usage|2"
helper "unknown command" frobnicate
check "an unknown command exits 2 with a usage error line" \
  test "$rc|$kind|$(last 'd["domain"]')" = "2|error|usage"
helper "unknown certificate" export 0123456789abcdef0123456789abcdef01234567 --pem "$work/x.pem"
check "an unknown thumbprint: error line not-found, exit 11" \
  test "$rc|$kind|$(last 'd["code-id"] + "|" + str(d["exit-status"])')" = "11|error|not-found|11"

# ---- trust the lab root, assign ----
"$cli" ca local root >"$work/root.pem"
helper "trust import" trust import "$work/root.pem"
check "trust import: the lab root is added as a root" \
  test "$rc|$kind|$(last '"%d|%s|%s" % (len(d["added"]), d["added"][0]["kind"], d["added"][0]["thumbprint"])')" = \
       "0|result|1|root|$(openssl_thumbprint "$work/root.pem")"
helper "trust import again" trust import "$work/root.pem"
check "trust import again: nothing added, the root unchanged" \
  test "$(last '"%d|%d" % (len(d["added"]), len(d["unchanged"]))')" = "0|1"

helper "assign" assign "$thumb" --usage default,web-internal
check "assign --json-progress exits 0 with a result" test "$rc|$kind" = "0|result"
check "assign result: thumbprint and usages" \
  test "$(last 'd["thumbprint"] + "|" + ",".join(d["usages"]) + "|" + str(d["warnings"])')" = \
       "$thumb|default,web-internal|[]"
live_default=$(last 'd["live"]["default"]')
check "assign result: live directory of default serves the certificate" \
  test "$(openssl_thumbprint "$live_default/cert.pem")" = "$thumb" -a \
       "$(readlink -f "$store/live/default")" = "$(readlink -f "$live_default")"

helper "unassign" unassign --usage web-internal,oauth
check "unassign result: the usages and those that had a certificate" \
  test "$rc|$(last '",".join(d["usages"]) + "|" + ",".join(d["were-assigned"])')" = \
       "0|web-internal,oauth|web-internal"

helper "usage set" usage set web-external --check webext.example.test:443
run usage show web-external --json
printf '%s\n' "$out" >"$work/usage.json"
check "usage set's result is what usage show USAGE --json prints" \
  "$py" -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
  "$work/h.out.last" "$work/usage.json"

# ---- cancellation: closing standard input during RSA 4096 key generation ----
run pending list --json
pending_before=$out
cancelled=""
for try in 1 2 3 4 5; do
  rm -f "$work/in"
  mkfifo "$work/in"
  exec 7<>"$work/in"
  "$cli" request --key rsa4096 --friendly-name "Cancelled $try" --json-progress \
    <"$work/in" >"$work/cancel.out" 2>"$work/cancel.err" 7>&- &
  pid=$!
  for _ in $(seq 500); do grep -q '"progress"' "$work/cancel.out" && break; sleep 0.01; done
  exec 7>&-
  wait "$pid"
  rc=$?
  [ "$rc" -eq 0 ] && continue
  cancelled=$try
  break
done
if [ -z "$cancelled" ]; then
  not_ok "closing standard input cancels" "the key was ready before the pipe was closed in 5 tries"
else
  "$py" "$work/lines.py" "$work/cancel.out" >"$work/cancel.problems"
  check "closing standard input cancels: exit 130 (try $cancelled)" test "$rc" -eq 130
  check "cancelled: the output is JSON lines ending with the cancelled error" \
    test -s "$work/cancel.out" -a ! -s "$work/cancel.problems" -a "$(cat "$work/cancel.out.kind")" = error -a \
         "$(json_get "$work/cancel.out.last" 'd["domain"] + "|" + d["code-id"] + "|" + str(d["exit-status"])')" = \
         "cancelled|cancelled|130"
  check "cancelled: the progress line came first (flushed while the key was generated)" \
    test "$(head -n1 "$work/cancel.out.stages")" = generating-key
  run pending list --json
  check "cancelled: no pending entry is left" test "$out" = "$pending_before"
  check "cancelled: no certificate named after it" test -z "$(grep -l "Cancelled" "$store"/meta/* 2>/dev/null)"
fi

# Standard input from /dev/null is no pipe: it does not cancel
helper "request (stdin /dev/null, RSA 4096)" request --key rsa4096 --friendly-name "Not cancelled"
check "stdin from /dev/null does not cancel; the store's lock was free: status issued" \
  test "$rc|$kind|$(last 'd["status"]')" = "0|result|issued"

# ---- pending requests: denied, then approved and retrieved ----
helper "ca local hold on" ca local hold on
check "ca local hold on: result hold true" test "$rc|$(last 'str(d["hold"])')" = "0|True"

helper "request held" request --friendly-name "Held" --key p256
check "held request: status pending with the CA's request ID and a pending entry" \
  test "$rc|$(last 'd["status"] + "|" + str(bool(d["request-id"])) + "|" + str(d["thumbprint"]) + "|" + str(d["chain-pem"])')" = \
       "0|pending|True|None|None"
req_id=$(last 'd["request-id"]')
pending_id=$(last 'd["pending-id"]')
check "held request: the pending entry exists" test -d "$store/pending/$pending_id"

helper "ca local deny" ca local deny "$req_id" --reason "Not in the change window"
check "ca local deny: result says denied with the reason" \
  test "$rc|$(last 'd["request-id"] + "|" + d["status"] + "|" + d["reason"]')" = \
       "0|$req_id|denied|Not in the change window"

helper "pending retrieve (denied)" pending retrieve "$pending_id"
check "a denied request: exit 7 with a result, not an error" test "$rc|$kind" = "7|result"
check "a denied request: status denied, the reason, the pending entry" \
  test "$(last 'd["status"] + "|" + d["reason"] + "|" + d["pending-id"] + "|" + str(d["thumbprint"])')" = \
       "denied|Not in the change window|$pending_id|None"
check "a denied request: stderr says it was denied" grep -q 'denied' "$work/h.err"

helper "request held again" request --friendly-name "Approved" --key p256
req_id=$(last 'd["request-id"]')
pending_id=$(last 'd["pending-id"]')
helper "pending retrieve (still pending)" pending retrieve "$pending_id"
check "pending retrieve before approval: status pending, exit 0" \
  test "$rc|$(last 'd["status"] + "|" + d["pending-id"]')" = "0|pending|$pending_id"
helper "ca local approve" ca local approve "$req_id"
check "ca local approve: result issued" test "$rc|$(last 'd["status"]')" = "0|issued"
helper "pending retrieve (approved)" pending retrieve "$pending_id"
cp "$work/h.out.last" "$work/retrieved.json"
json_get "$work/retrieved.json" 'd["certificate-pem"]' >"$work/retrieved.pem"
check "pending retrieve: status issued, the request's friendly name and IDs" \
  test "$rc|$(last 'd["status"] + "|" + d["friendly-name"] + "|" + d["request-id"] + "|" + d["pending-id"]')" = \
       "0|issued|Approved|$req_id|$pending_id"
check "pending retrieve: thumbprint equals openssl's, and the certificate is stored" \
  test "$(openssl_thumbprint "$work/retrieved.pem")" = "$(last 'd["thumbprint"]')" -a \
       -s "$store/certs/$(last 'd["thumbprint"]').pem"
check "pending retrieve: the pending entry is gone" test ! -e "$store/pending/$pending_id"
helper "ca local hold off" ca local hold off
helper "pending clear (unknown)" pending clear 0000000000000000
check "pending clear of an unknown entry: error not-found" test "$rc|$(last 'd["code-id"]')" = "11|not-found"

# ---- files given to the sudo/pkexec user ----
printf 'Export pass\n' >"$work/export-pass.txt"
if [ "$(id -u)" -ne 0 ]; then
  if [ "${CI:-}" = true ]; then
    not_ok "files for the sudo user" "CI runs as root; this case needs root to create files as root"
  else
    skip "export and request file given to the SUDO_UID/PKEXEC_UID user" "not root: only root can give a file away"
  fi
else
  nobody_uid=$(id -u nobody)
  nobody_gid=$(id -g nobody)
  outdir=$work/out
  mkdir -p "$outdir"
  SUDO_UID=$nobody_uid SUDO_GID=$nobody_gid "$cli" export "$thumb" --pfx "$outdir/cert.pfx" \
    --password-file "$work/export-pass.txt" --json-progress </dev/null >"$work/h.out" 2>"$work/h.err"
  rc=$?
  "$py" "$work/lines.py" "$work/h.out" >/dev/null
  check "export under sudo: result file, format pfx, profile modern" \
    test "$rc|$(last 'd["file"] + "|" + d["format"] + "|" + d["profile"] + "|" + d["thumbprint"]')" = \
         "0|$outdir/cert.pfx|pfx|modern|$thumb"
  check "export under sudo: the PKCS #12 file belongs to SUDO_UID:SUDO_GID, mode 0600" \
    test "$(stat -c '%u:%g %a' "$outdir/cert.pfx")" = "$nobody_uid:$nobody_gid 600"
  check "export under sudo: openssl reads the PKCS #12 file" \
    openssl pkcs12 -in "$outdir/cert.pfx" -passin "file:$work/export-pass.txt" -noout

  "$cli" export "$thumb" --pem "$outdir/root-owned.pem" >/dev/null 2>&1
  check "export without sudo or pkexec: the file stays root's, mode 0644" \
    test "$(stat -c '%u %a' "$outdir/root-owned.pem")" = "0 644"
  SUDO_UID=$nobody_uid SUDO_GID=$nobody_gid "$cli" export "$thumb" --pem "$outdir/root-owned.pem" \
    >/dev/null 2>&1
  check "export under sudo over a file root owned: not given away" \
    test "$(stat -c '%u' "$outdir/root-owned.pem")" = "0"

  # pkexec names only the user; the group is the user's primary group
  PKEXEC_UID=$nobody_uid "$cli" request --offline "$outdir/request.csr" --friendly-name "Offline" \
    --key p256 --json-progress </dev/null >"$work/h.out" 2>"$work/h.err"
  rc=$?
  "$py" "$work/lines.py" "$work/h.out" >/dev/null
  check "offline request under pkexec: result pending with the request file" \
    test "$rc|$(last 'd["status"] + "|" + d["request-file"]')" = "0|pending|$outdir/request.csr"
  check "offline request under pkexec: the request file belongs to PKEXEC_UID and its group, mode 0644" \
    test "$(stat -c '%u:%g %a' "$outdir/request.csr")" = "$nobody_uid:$nobody_gid 644"
  check "offline request under pkexec: openssl reads the request" \
    openssl req -in "$outdir/request.csr" -noout -verify
fi

# Standard output is the JSON lines: an export there is refused
helper "export to stdout" export "$thumb" --pem -
check "export --pem - with --json-progress is a usage error" test "$rc|$(last 'd["domain"]')" = "2|usage"

finish
