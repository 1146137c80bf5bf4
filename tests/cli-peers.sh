# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Local peers for the certwiz-cli tests that talk to CAs (sourced after cli-common.sh):
# each peer runs with a pipe on its standard input that this script holds, so it stops
# when the test ends, whatever way it ends.

pids=()
inputs=()
cleanup ()
{
  local fd pid
  # Closing a peer's standard input stops it and whatever it started (certsrv: Apache, KDC)
  for fd in "${inputs[@]}"; do
    eval "exec $fd>&-"
  done
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null
  done
  rm -rf -- "$store" "$work"
}
trap cleanup EXIT

# need WHAT TOOL… : TRUE when every tool is there; otherwise a skip (a failure with CI=true)
need ()
{
  local what=$1 tool missing=()
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [ -f "$tool" ] || missing+=("$tool")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "${CI:-}" = true ]; then
    not_ok "$what" "missing: ${missing[*]} (build-aux/deps test installs them)"
  else
    skip "$what" "missing: ${missing[*]}"
  fi
  return 1
}

free_port ()
{
  "$py" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_peer NAME COMMAND…: starts a peer whose standard input is a pipe this script holds
# (it stops when the pipe closes) and whose standard output goes to $work/NAME.out
start_peer ()
{
  local name=$1 fd
  shift
  mkfifo "$work/$name.in"
  "$@" <"$work/$name.in" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  exec {fd}>"$work/$name.in"
  inputs+=("$fd")
}

# wait_for_line NAME PATTERN: waits up to 20 s for a line of $work/NAME.out matching PATTERN
wait_for_line ()
{
  local i
  for i in $(seq 1 400); do
    grep -q -- "$2" "$work/$1.out" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# make_est_pki DIR LABEL: a throwaway PKI for tests/est-server.py in DIR: root.pem/.key,
# the issuing CA int.pem/.key, the server's tls.pem/.key (localhost, 127.0.0.1) and
# cacerts.pem (issuing CA + root); LABEL goes into the CAs' names
make_est_pki ()
{
  (
    cd "$1" || exit 1
    printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -keyout root.key -out root.pem -subj "/O=Certwiz Tests/CN=EST $2 Root" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout int.key \
      -out int.csr -subj "/O=Certwiz Tests/CN=EST $2 Issuing CA"
    openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -set_serial 2 -days 2 \
      -extfile ca.ext -out int.pem
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key \
      -out tls.csr -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost
    openssl x509 -req -in tls.csr -CA root.pem -CAkey root.key -set_serial 3 -days 2 \
      -copy_extensions copy -out tls.pem
    cat int.pem root.pem >cacerts.pem
  ) >/dev/null 2>&1
}
