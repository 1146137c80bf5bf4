# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The live check after assignment, against a real nginx on 127.0.0.1 (TAP). nginx runs
# from a prefix of its own in the work directory and serves web-internal and
# web-external from live/<usage>/ of a temporary store, and the default usage as an
# MTLS endpoint that demands a client certificate from the store's lab CA. Cases:
# (1) a reload that works: the check passes, and openssl s_client sees the new
#     certificate on every endpoint;
# (2) a reload command that fails: the previous set is restored and served;
# (3) a reload that does nothing: the endpoint keeps the old certificate, the live
#     check fails naming both thumbprints, and every usage of the assignment (one of
#     them already reloaded and checked) is back on its old set, in live/, in
#     usages.ini and on the wire;
# (4) MTLS: the default usage's check connects presenting the certificate, to an
#     endpoint that openssl s_client without a client certificate cannot use. (nginx
#     judges client certificates after the handshake, answering HTTP 400; a refusal in
#     the handshake itself is tested in tests/test-live-check.c with openssl s_server.)

. "$(dirname "${BASH_SOURCE[0]}")/cli-common.sh"

nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ]; then
  if [ "${CI:-}" = true ]; then
    not_ok "nginx is installed (build-aux/deps test installs it)"
  else
    skip "the live check against nginx" "nginx is not installed (build-aux/deps test)"
  fi
  finish
  exit
fi

prefix=$work/nginx
mkdir -p "$prefix/tmp"
conf=$prefix/nginx.conf
nginx_cmd=("$nginx" -p "$prefix" -c "$conf" -e "$prefix/error.log")
stop_nginx ()
{
  local pid
  pid=$(cat "$prefix/nginx.pid" 2>/dev/null) || return 0
  kill -QUIT "$pid" 2>/dev/null
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
}
trap 'stop_nginx; [ -n "${KEEP:-}" ] || rm -rf -- "$store" "$work"' EXIT

# Three free ports on 127.0.0.1, from the kernel
read -r port_int port_ext port_mtls < <("$py" -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

# ---- a store with the lab CA's root trusted and a first certificate assigned ----
run server set --fqdn fe01.corp.example.test --pool-fqdn pool.corp.example.test \
  --web-internal-fqdn webint.corp.example.test --web-external-fqdn webext.example.test \
  --sip-domains example.test
"$cli" ca local root >"$work/root.pem" 2>/dev/null
run trust import "$work/root.pem"
check "store set up: server profile, lab root trusted" test "$rc" -eq 0 -a -s "$work/root.pem"

# request_cert NAME: a new certificate from the lab CA; prints its thumbprint
request_cert ()
{
  "$cli" request --ca local --friendly-name "$1" --key p256 >"$work/request.out" 2>/dev/null
  sed -n 's/^Thumbprint: *\([0-9A-F]\{40\}\)$/\1/p' "$work/request.out"
}

thumb_a=$(request_cert "nginx A")
expect_success "certificate A assigned to the three usages (no check configured yet)" \
  assign "$thumb_a" --usage default,web-internal,web-external

cat >"$conf" <<EOF
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/error.log info;
events { worker_connections 32; }
http {
  access_log off;
  client_body_temp_path $prefix/tmp/body;
  proxy_temp_path $prefix/tmp/proxy;
  fastcgi_temp_path $prefix/tmp/fastcgi;
  uwsgi_temp_path $prefix/tmp/uwsgi;
  scgi_temp_path $prefix/tmp/scgi;
  server {
    listen 127.0.0.1:$port_int ssl;
    server_name webint.corp.example.test;
    ssl_certificate $store/live/web-internal/fullchain.pem;
    ssl_certificate_key $store/live/web-internal/privkey.pem;
    location / { return 200 "web-internal\n"; }
  }
  server {
    listen 127.0.0.1:$port_ext ssl;
    server_name webext.example.test;
    ssl_certificate $store/live/web-external/fullchain.pem;
    ssl_certificate_key $store/live/web-external/privkey.pem;
    location / { return 200 "web-external\n"; }
  }
  server {
    listen 127.0.0.1:$port_mtls ssl;
    server_name pool.corp.example.test;
    ssl_certificate $store/live/default/fullchain.pem;
    ssl_certificate_key $store/live/default/privkey.pem;
    ssl_verify_client on;
    ssl_client_certificate $work/root.pem;
    location / { return 200 "default\n"; }
  }
}
EOF

if "${nginx_cmd[@]}" 2>"$work/nginx.err"; then
  ok "nginx started on 127.0.0.1:$port_int, :$port_ext and :$port_mtls (MTLS)"
else
  not_ok "nginx started" "$(cat "$work/nginx.err" "$prefix/error.log" 2>/dev/null)"
  finish
  exit
fi

# served PORT [s_client options…]: the thumbprint nginx presents on PORT, or nothing
served ()
{
  local port=$1
  shift
  openssl s_client -connect "127.0.0.1:$port" "$@" </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha1 2>/dev/null | sed 's/^.*=//; s/://g' | tr a-f A-F
}
# served_is WANT PORT [options…]: nginx presents WANT on PORT within 5 seconds
# (a reload takes nginx a moment)
served_is ()
{
  local want=$1 i
  shift
  for i in $(seq 50); do
    [ "$(served "$@")" = "$want" ] && return 0
    sleep 0.1
  done
  return 1
}
check "nginx serves A on web-internal" served_is "$thumb_a" "$port_int"
check "nginx serves A on web-external" served_is "$thumb_a" "$port_ext"

# ---- the checks configured: nginx reloaded as argv, no shell ----
reload="$nginx -p $prefix -c $conf -e $prefix/error.log -s reload"
expect_success "usage set: web-internal checked at 127.0.0.1:$port_int, reload nginx" \
  usage set web-internal --check "127.0.0.1:$port_int" --reload "$reload"
expect_success "usage set: web-external checked at 127.0.0.1:$port_ext, reload nginx" \
  usage set web-external --check "127.0.0.1:$port_ext" --reload "$reload"
expect_success "usage set: default checked at 127.0.0.1:$port_mtls (MTLS), reload nginx" \
  usage set default --check "127.0.0.1:$port_mtls" --reload "$reload"

# ---- (1) a reload that works ----
thumb_b=$(request_cert "nginx B")
start=$(date +%s%N)
expect_success "(1) certificate B assigned: reload and live check pass on every endpoint" \
  assign "$thumb_b" --usage default,web-internal,web-external
echo "# the assignment with three reloads and live checks took $(( ($(date +%s%N) - start) / 1000000 )) ms"
check "(1) openssl s_client: web-internal serves B" served_is "$thumb_b" "$port_int"
check "(1) openssl s_client: web-external serves B" served_is "$thumb_b" "$port_ext"
client_b=(-cert "$store/live/default/cert.pem" -key "$store/live/default/privkey.pem")
check "(1) openssl s_client with B as client certificate: default serves B" \
  served_is "$thumb_b" "$port_mtls" "${client_b[@]}"
log=$(ls -t "$store"/log/*-assign.log 2>/dev/null | head -n1)
if [ -n "$log" ] && grep -q "web-internal: 127.0.0.1:$port_int presents $thumb_b" "$log" &&
   grep -q "default: live check at 127.0.0.1:$port_mtls (server name pool.corp.example.test, presenting the certificate as a client)" "$log" &&
   ! grep -q "PRIVATE KEY" "$log"; then
  ok "(1) the operation log records each live check, without key material"
else
  not_ok "(1) the operation log records the live checks" "$(cat "$log" 2>/dev/null)"
fi

# ---- (4) MTLS: only a client presenting a certificate gets through ----
# nginx judges the client certificate once a request arrives (HTTP 400 without one)
http_get ()
{
  printf 'GET / HTTP/1.0\r\n\r\n' |
    timeout 10 openssl s_client -quiet -connect "127.0.0.1:$port_mtls" "$@" 2>&1
}
without=$(http_get)
with=$(http_get "${client_b[@]}")
if [[ $without == *"400 No required SSL certificate was sent"* ]] &&
   [[ $with == *"HTTP/1.1 200 OK"* ]] && [[ $with == *"default"* ]]; then
  ok "(4) the MTLS endpoint refuses openssl s_client without a client certificate, accepts B"
else
  not_ok "(4) MTLS endpoint" "without: $without" "with: $with"
fi

# The store without its operation logs: a failed assignment must leave exactly this
store_state () { snapshot | grep -v '\./log\(/\|$\)'; }
# same_state DESCRIPTION: the store is what $before recorded
same_state ()
{
  local now
  now=$(store_state)
  if [ "$before" = "$now" ]; then
    ok "$1"
  else
    not_ok "$1" "$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$now"))"
  fi
}

# ---- (2) a reload command that fails ----
thumb_c=$(request_cert "nginx C")
cat >"$work/reload-fails-once" <<EOF
#!/bin/sh
# Fails once (the assignment's reload), then reloads nginx (the rollback's)
if [ -e "$work/fail-flag" ]; then rm -f "$work/fail-flag"; echo "nginx: config test failed" >&2; exit 3; fi
exec $reload
EOF
chmod +x "$work/reload-fails-once"
expect_success "usage set: web-internal's reload command fails once" \
  usage set web-internal --reload "$work/reload-fails-once"
touch "$work/fail-flag"
before=$(store_state)
run assign "$thumb_c" --usage web-internal
if [ "$rc" -ne 0 ] && [[ $err == *"every usage keeps its previous certificate"* ]] &&
   [[ $err == *"reload-fails-once"* ]] && [[ $err == *"config test failed"* ]]; then
  ok "(2) the failed reload is reported (exit $rc)"
else
  not_ok "(2) the failed reload is reported" "exit $rc" "stderr: $err"
fi
check "(2) live/web-internal holds B again" \
  test "$(openssl_thumbprint "$store/live/web-internal/cert.pem")" = "$thumb_b"
same_state "(2) the store is exactly as before (live/, archive/, usages.ini)"
check "(2) nginx still serves B on web-internal" served_is "$thumb_b" "$port_int"
expect_success "usage set: web-internal reloads nginx again" \
  usage set web-internal --reload "$reload"

# ---- (3) the endpoint keeps the old certificate ----
# web-internal (first) reloads nginx and passes its check; web-external's reload does
# nothing, so nginx keeps B there and its check fails: both go back to B.
expect_success "usage set: web-external's reload command is true (does nothing)" \
  usage set web-external --reload true
links_before=$(readlink "$store/live/web-internal") ext_before=$(readlink "$store/live/web-external")
before=$(store_state)
# The failing check gives up after 3 seconds instead of the default 10
start=$(date +%s)
CERTWIZ_LIVE_CHECK_TIMEOUT=3 run assign "$thumb_c" --usage web-internal,web-external
took=$(( $(date +%s) - start ))
if [ "$rc" -ne 0 ] && [[ $err == *"live check of Web services external failed"* ]] &&
   [[ $err == *"127.0.0.1:$port_ext still presented the certificate $thumb_b instead of the assigned $thumb_c"* ]]; then
  ok "(3) the mismatch is reported naming the endpoint and both thumbprints (exit $rc, ${took}s)"
else
  not_ok "(3) the mismatch is reported" "exit $rc" "stderr: $err"
fi
# From the log (whole seconds): from the start of web-external's check to the failure
log=$(ls -t "$store"/log/*-assign.log | head -n1)
check_s=$(date -d "$(sed -n 's/^\(\S*\) web-external: live check at.*/\1/p' "$log")" +%s)
failed_s=$(date -d "$(sed -n 's/^\(\S*\) Failed: .*/\1/p' "$log")" +%s)
check "(3) the check gave up after its 3 seconds ($((failed_s - check_s)) s in the log)" \
  test $((failed_s - check_s)) -ge 2 -a $((failed_s - check_s)) -le 6
check "(3) live/web-internal points to B's set again" \
  test "$(readlink "$store/live/web-internal")" = "$links_before"
check "(3) live/web-external points to B's set again" \
  test "$(readlink "$store/live/web-external")" = "$ext_before"
run list --json
printf '%s\n' "$out" >"$work/list.json"
check "(3) the store says B serves web-internal and web-external, C nothing" test \
  "$(json_get "$work/list.json" '" ".join(c["thumbprint"] + "=" + ",".join(c["usages"]) for c in d["certificates"])' | tr ' ' '\n' | grep -E "^($thumb_b|$thumb_c)=" | sort | tr '\n' ' ')" \
  = "$(printf '%s\n' "$thumb_b=default,web-internal,web-external" "$thumb_c=" | sort | tr '\n' ' ')"
same_state "(3) the store is exactly as before: live/, archive/, usages.ini"
check "(3) usages.ini: B is current and A previous for web-internal and web-external" test \
  "$("$py" -c 'import configparser, sys
c = configparser.ConfigParser(interpolation=None); c.read(sys.argv[1])
print(" ".join(c[u].get("current", "") + "/" + c[u].get("previous", "") for u in ("web-internal", "web-external")))' "$store/usages.ini")" \
  = "$thumb_b/$thumb_a $thumb_b/$thumb_a"
check "(3) nginx serves B again on web-internal (reloaded by the rollback)" \
  served_is "$thumb_b" "$port_int"
check "(3) nginx still serves B on web-external" served_is "$thumb_b" "$port_ext"
check "(3) no archive set of C is left behind" \
  test -z "$(grep -rl "$(sed -n 2p "$store/certs/$thumb_c.pem")" "$store/archive" 2>/dev/null)"
if grep -q "web-external: 127.0.0.1:$port_ext: presents $thumb_b" "$log" &&
   grep -q "web-internal: switched back to" "$log"; then
  ok "(3) the operation log shows what was presented and the rollback"
else
  not_ok "(3) the operation log" "$(cat "$log")"
fi

nginx_errors=$(grep -E '\[(emerg|crit)\]' "$prefix/error.log")
check "nginx logged no emergency or critical error" test -z "$nginx_errors"

finish
