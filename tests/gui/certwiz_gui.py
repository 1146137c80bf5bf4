# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared pieces of the GUI tests: a TAP reporter, the app under test on a temporary
store, AT-SPI look-ups with dogtail, screenshots, and openssl cross-checks."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

from gi.repository import GLib

from dogtail import config as dogtail_config
from dogtail import predicate, tree

dogtail_config.config.searchCutoffCount = 40
dogtail_config.config.searchBackoffDuration = 0.25
dogtail_config.config.actionDelay = 0.2
dogtail_config.config.typingDelay = 0.02
dogtail_config.config.defaultDelay = 0.3
dogtail_config.config.logDebugToStdOut = False
dogtail_config.config.logDebugToFile = False

GUI = os.environ["CERTWIZ_GUI"]
CLI = os.environ["CERTWIZ_CLI"]
BUILD_ROOT = os.environ.get("CERTWIZ_BUILD_ROOT", ".")


class Tap:
    """Prints TAP lines as checks run; a failed check does not stop the test."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, cond, desc, detail=None):
        self.count += 1
        if cond:
            print(f"ok {self.count} - {desc}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.count} - {desc}", flush=True)
            if detail is not None:
                for line in str(detail).splitlines():
                    print(f"# {line}", flush=True)
        return cond

    def eq(self, got, want, desc):
        return self.ok(got == want, desc, f"got:  {got!r}\nwant: {want!r}")

    def run(self, desc, fn, *args):
        """Runs a step; an exception is one failed check with its traceback."""
        try:
            fn(*args)
            return self.ok(True, desc)
        except Exception:  # noqa: BLE001 - the traceback is the diagnosis
            return self.ok(False, desc, traceback.format_exc())

    def finish(self):
        print(f"1..{self.count}", flush=True)
        sys.exit(1 if self.failed else 0)


class App:
    """certwiz on its own temporary store, in the language given."""

    def __init__(self, name, language=None, store=None):
        self.name = name
        self.store = store or tempfile.mkdtemp(prefix="certwiz-gui-store-")
        self.shots = os.path.join(BUILD_ROOT, "tests", "screenshots", name)
        shutil.rmtree(self.shots, ignore_errors=True)
        os.makedirs(self.shots, exist_ok=True)
        self.env = dict(os.environ)
        self.env["CERTWIZ_STORE"] = self.store
        self.env.pop("CERTWIZ_BENCH_MAPPED", None)
        if language == "de":
            self.env.update(LANGUAGE="de", LANG="de_DE.UTF-8", LC_ALL="de_DE.UTF-8")
        else:
            self.env.update(LANGUAGE="en", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        self.proc = None
        self.app = None
        self.shot_index = 0

    def cli(self, *args, check=True):
        res = subprocess.run([CLI, "--store", self.store, *args], env=self.env,
                             capture_output=True, text=True, timeout=120)
        if check and res.returncode != 0:
            raise RuntimeError(f"certwiz-cli {' '.join(args)} failed: {res.stderr}")
        return res

    def start(self):
        self.proc = subprocess.Popen([GUI], env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                self.app = tree.root.application("certwiz")
                return self.app
            except Exception:  # noqa: BLE001 - not on the bus yet
                time.sleep(0.3)
        raise RuntimeError("certwiz did not appear on the accessibility bus")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.store, ignore_errors=True)

    def screenshot(self, label):
        """Saves the whole screen as NN-label.png in the test's screenshot folder."""
        time.sleep(0.4)
        self.shot_index += 1
        path = os.path.join(self.shots, f"{self.shot_index:02d}-{label}.png")
        subprocess.run(["import", "-window", "root", path], check=True, timeout=30)
        return path


    def screenshot_window(self, title, label):
        """Saves only the window titled @title (for the README), as window-label.png."""
        time.sleep(0.4)
        path = os.path.join(self.shots, f"window-{label}.png")
        subprocess.run(["import", "-window", title, path], check=True, timeout=30)
        return path


def window(app, title, timeout=20):
    """A top-level window or dialog by its title."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            for child in app.children:
                if child.name == title and child.showing:
                    return child
        except GLib.GError:
            pass  # the app is busy (a slow sanitizer build): AT-SPI timed out, ask again
        time.sleep(0.25)
    names = [c.name for c in app.children]
    raise RuntimeError(f"no window titled {title!r}; windows: {names}")


def find(node, name=None, role=None, showing=True, timeout=15):
    """The first descendant with this accessible name and role that is showing."""
    deadline = time.time() + timeout
    while True:
        try:
            found = node.findChildren(
                lambda n: (name is None or n.name == name)
                and (role is None or n.roleName == role)
                and (not showing or n.showing))
        except GLib.GError:
            found = []  # AT-SPI timed out while the app was busy: ask again
        if found:
            return found[0]
        if time.time() > deadline:
            raise RuntimeError(f"nothing named {name!r} with role {role!r} is showing")
        time.sleep(0.25)


def wait_for(cond, desc, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if cond():
                return True
        except Exception:  # noqa: BLE001 - the tree changes under us
            pass
        time.sleep(0.25)
    raise RuntimeError(f"timed out waiting for {desc}")


def button(node, name, timeout=15):
    return find(node, name=name, role="push button", timeout=timeout)


def click(node, name, timeout=15):
    btn = button(node, name, timeout)
    wait_for(lambda: btn.sensitive, f"button {name!r} to become sensitive")
    btn.doActionNamed("click")
    time.sleep(0.3)


def openssl(*args, stdin=None):
    return subprocess.run(["openssl", *args], input=stdin, capture_output=True, text=True,
                          check=True, timeout=60).stdout


def openssl_sha1(pem_path):
    out = openssl("x509", "-in", pem_path, "-noout", "-fingerprint", "-sha1")
    return out.strip().split("=", 1)[1].replace(":", "").upper()
