# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# certwiz-cli usage show|set and unassign on a temporary store (TAP): a usage deployed
# to a target directory owned by a service user the test creates, with mode 0640 —
# that user reads exactly its key and nothing else of the store; the reload command's
# argv runs; copies for a service that cannot follow links; unassign keeps the files;
# invalid settings are refused in one sentence and change nothing.

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

if [ "$(id -u)" -ne 0 ]; then
  not_ok "this test needs root (it creates a service user)"
  finish
  exit 1
fi

svc=certwiz-svc-$$
created_user=no
targets=$(mktemp -d "${TMPDIR:-/tmp}/certwiz-cli-targets-XXXXXX")
cleanup ()
{
  rm -rf -- "$store" "$work" "$targets"
  if [ $created_user = yes ]; then
    userdel "$svc" >/dev/null 2>&1
    groupdel "$svc" >/dev/null 2>&1
  fi
}
trap cleanup EXIT

if ! id "$svc" >/dev/null 2>&1; then
  useradd --system --no-create-home --user-group --shell /usr/sbin/nologin "$svc" &&
    created_user=yes
fi
check "service user $svc exists" id "$svc"

# The machine's store is 0755 like any /var/lib directory; mktemp made this one 0700
chmod 755 "$store" "$targets"
web_dir=$targets/web
ext_dir=$targets/ext

# as_svc COMMAND…: runs COMMAND as the service user, quietly
as_svc () { runuser -u "$svc" -- "$@" >/dev/null 2>&1; }
# svc_cannot COMMAND…: the service user's COMMAND fails (root's would succeed)
svc_cannot () { "$@" >/dev/null 2>&1 && ! as_svc "$@"; }

# expect_refused DESCRIPTION ARGS…: certwiz-cli fails with one line and changes nothing
expect_refused ()
{
  local desc=$1 before
  shift
  before=$(snapshot)
  run "$@"
  if [ "$rc" -ne 0 ] && [[ $err == "certwiz-cli: "* ]] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
     [ "$before" = "$(snapshot)" ]; then
    ok "$desc: refused in one line, store unchanged (exit $rc)"
  else
    not_ok "$desc" "exit $rc" "stderr: $err"
  fi
}

# ---- commands ----
for cmd in "usage show" "usage set" unassign; do
  # shellcheck disable=SC2086
  run $cmd --help
  if [ "$rc" -eq 0 ] && [[ $out == *"certwiz-cli $cmd"* ]]; then
    ok "$cmd --help"
  else
    not_ok "$cmd --help" "exit $rc" "$out" "$err"
  fi
done

expect_success "server set" server set --fqdn fe01.corp.example.test \
  --pool-fqdn pool.corp.example.test --web-internal-fqdn webint.corp.example.test \
  --web-external-fqdn webext.example.test --sip-domains example.test

# ---- usage set ----
marker="$work/reloaded web-internal"
expect_success "usage set web-internal --target-dir --owner --group --mode 0640 --reload" \
  usage set web-internal --target-dir "$web_dir" --owner "$svc" --group "$svc" --mode 0640 \
  --reload "touch '$marker'"
expect_success "usage set web-external --copy" \
  usage set web-external --target-dir "$ext_dir" --copy --owner "$svc" --mode 0600

run usage show web-internal --json
printf '%s\n' "$out" >"$work/usage.json"
check "usage show --json has the settings" test \
  "$(json_get "$work/usage.json" '"|".join(str(d["usages"][0][k]) for k in ("id", "target_dir", "owner", "group", "mode", "deploy"))')" \
  = "web-internal|$web_dir|$svc|$svc|0640|link"
check "usage show --json: the reload command is one argv element per word, quotes removed" test \
  "$(json_get "$work/usage.json" 'd["usages"][0]["reload_command"]' | tr '\n' '|')" = "touch|$marker|"
run usage show
check "usage show prints every usage" test "$rc" -eq 0 -a \
  "$(grep -cE '^(Server default|Web services internal|Web services external|OAuthTokenIssuer) \(' "$work/stdout")" -eq 4

# ---- invalid settings ----
expect_refused "a mode with group write" usage set web-internal --mode 0660
expect_refused "a world-readable mode" usage set web-internal --mode 0644
expect_refused "an executable mode" usage set web-internal --mode 0740
expect_refused "a mode that is not octal" usage set web-internal --mode rw
expect_refused "a relative target directory" usage set web-internal --target-dir relative/dir
expect_refused "a target inside the store" usage set web-internal --target-dir "$store/certs"
expect_refused "a target directory and a path" usage set web-internal --target-dir "$web_dir" \
  --cert-path /etc/ssl/x.pem
expect_refused "an unknown owner" usage set web-internal --owner "no-such-user-$$"
expect_refused "an unknown group" usage set web-internal --group "no-such-group-$$"
expect_refused "a check endpoint without a port" usage set web-internal --check webint.corp.example.test
expect_refused "a reload command that does not exist" usage set web-internal --reload "/nonexistent/reload-$$"
expect_refused "an unknown usage" usage set intranet --mode 0600
run usage set web-internal --mode 0660
check "the refusal names the mode" grep -q 'mode 0660' "$work/stderr"

# ---- request, trust the lab root, assign ----
expect_success "request --ca local" request --ca local --friendly-name "Lab web" --key p256 \
  --org "Example Org" --country de
thumb=$(sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/stdout")
"$cli" ca local root >"$work/root.pem"
expect_success "trust import the lab root" trust import "$work/root.pem"
expect_success "assign to default, web-internal and web-external" \
  assign "$thumb" --usage default,web-internal,web-external

# links mode
for f in cert.pem chain.pem fullchain.pem privkey.pem; do
  check "$f in the target directory links into live/web-internal" \
    test "$(readlink "$web_dir/$f")" = "$store/live/web-internal/$f"
done
check "the deployed certificate is the assigned one" \
  test "$(openssl_thumbprint "$web_dir/cert.pem")" = "$thumb"
check "the deployed key matches the certificate" test \
  "$(openssl x509 -in "$web_dir/cert.pem" -noout -pubkey)" = "$(openssl pkey -in "$web_dir/privkey.pem" -pubout)"
key=$(readlink -f "$web_dir/privkey.pem")
check "the usage's archive key is $svc:$svc 0640" test "$(stat -c '%U:%G %a' "$key")" = "$svc:$svc 640"
check "the reload command ran with its argv" test -e "$marker"

# what the service user can and cannot read
if runuser -u "$svc" -- cat "$web_dir/privkey.pem" >"$work/svc-key.pem" 2>"$work/svc.err" &&
   cmp -s "$work/svc-key.pem" "$key"; then
  ok "$svc reads its key through the target directory"
else
  not_ok "$svc reads its key" "$(cat "$work/svc.err")"
fi
check "$svc reads its certificate and full chain" as_svc cat "$web_dir/cert.pem" "$web_dir/fullchain.pem"
for k in "$store"/keys/*.pem; do
  check "$svc cannot read keys/$(basename "$k")" svc_cannot cat "$k"
done
check "$svc cannot read the key of another usage (live/default/privkey.pem)" \
  svc_cannot cat "$store/live/default/privkey.pem"
check "another usage's archive key stays root's 0600" \
  test "$(stat -c '%U %a' "$(readlink -f "$store/live/default/privkey.pem")")" = "root 600"
for d in pending keys local-ca log; do
  check "$svc cannot list $d/" svc_cannot ls "$store/$d/"
  check "$d/ stays 0700" test "$(stat -c %a "$store/$d")" = 700
done

# copy mode
for f in cert.pem chain.pem fullchain.pem privkey.pem; do
  check "$f in the copy target is a regular file" test -f "$ext_dir/$f" -a ! -L "$ext_dir/$f"
  check "$f in the copy target equals live/web-external/$f" cmp -s "$ext_dir/$f" "$store/live/web-external/$f"
done
check "the copied key is $svc 0600" test "$(stat -c '%U %a' "$ext_dir/privkey.pem")" = "$svc 600"
check "$svc reads the copied key" as_svc cat "$ext_dir/privkey.pem"
check "no journal is left after the copy" test -z "$(ls -A "$store/journal" 2>/dev/null)"

# ---- a second certificate: links follow, copies are replaced ----
expect_success "request a second certificate" request --ca local --friendly-name "Lab web 2" \
  --key p256 --org "Example Org" --country de
thumb2=$(sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/stdout")
rm -f "$marker"
expect_success "assign the second certificate to web-internal and web-external" \
  assign "$thumb2" --usage web-internal,web-external
check "the target links now serve the second certificate" \
  test "$(openssl_thumbprint "$web_dir/cert.pem")" = "$thumb2"
check "the copies now hold the second certificate" \
  test "$(openssl_thumbprint "$ext_dir/cert.pem")" = "$thumb2"
check "the copied key matches the second certificate" test \
  "$(openssl x509 -in "$ext_dir/cert.pem" -noout -pubkey)" = "$(openssl pkey -in "$ext_dir/privkey.pem" -pubout)"
check "the reload command ran again" test -e "$marker"
check "$svc reads the new key" as_svc cat "$web_dir/privkey.pem"

# ---- unassign ----
live_before=$(readlink "$store/live/web-internal")
expect_success "unassign --usage web-internal" unassign --usage web-internal
check "unassign says the files stay and the service keeps serving them" \
  grep -q 'service keeps serving them until another certificate is assigned' "$work/stdout"
check "live/web-internal is unchanged" test "$(readlink "$store/live/web-internal")" = "$live_before"
check "the target files stay in place" test "$(openssl_thumbprint "$web_dir/cert.pem")" = "$thumb2"
run usage show web-internal --json
printf '%s\n' "$out" >"$work/usage.json"
check "usage show: nothing assigned, the second certificate is the previous one" test \
  "$(json_get "$work/usage.json" '"%s|%s" % (d["usages"][0]["assigned"], d["usages"][0]["previous"])')" = "None|$thumb2"
check "the certificate stays in the store" test -s "$store/certs/$thumb2.pem"
run unassign
check "unassign without --usage is a usage error" test "$rc" -eq 2

finish
