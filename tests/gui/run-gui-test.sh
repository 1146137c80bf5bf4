#!/bin/bash
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one dogtail GUI test under its own Xvfb display and D-Bus session, with the
# accessibility bridge on. Usage: run-gui-test.sh TEST.py
set -u
script=$1

missing=()
for tool in xvfb-run dbus-run-session import; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
/usr/bin/python3 -c 'import dogtail' 2>/dev/null || missing+=(python3-dogtail)
if [ ${#missing[@]} -gt 0 ]; then
  # With CI=true a missing tool is a failure; elsewhere too: build-aux/test installs them.
  echo "1..1"
  echo "not ok 1 - missing for GUI tests: ${missing[*]} (build-aux/test installs them)"
  exit 1
fi

runtime=$(mktemp -d /tmp/certwiz-gui-runtime.XXXXXX)
chmod 700 "$runtime"
trap 'rm -rf "$runtime"' EXIT

export XDG_RUNTIME_DIR=$runtime
export GTK_MODULES=gail:atk-bridge
export NO_AT_BRIDGE=0
export GNOME_ACCESSIBILITY=1
export GDK_BACKEND=x11
export GTK_THEME=Adwaita
# The app's schema (built into <build>/data) and the system's (dogtail reads org.gnome.desktop.interface)
export XDG_DATA_DIRS=${XDG_DATA_DIRS:-/usr/local/share:/usr/share}
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1

exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
  dbus-run-session -- /usr/bin/python3 "$script"
