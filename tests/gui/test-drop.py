#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drag and drop onto the main window, as from a file manager: a PKCS #12 file made with
openssl is offered by a small GTK 3 drag source window (text/uri-list, a file:// URI);
xdotool presses the mouse button on it, moves onto the Certwiz main window and releases
(a real XDND drag between two X clients under Xvfb). Import Certificate opens with that
file; completing it stores the certificate (certwiz-cli list --json), with its key.
Screenshots go to <build>/tests/screenshots/drop/."""

import json
import os
import shutil
import subprocess
import tempfile
import time

from certwiz_gui import (App, Tap, click, find, openssl, openssl_sha1, wait_for, window)
from request_flow import label_text, showing_text

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "Drop-Test-Passw0rd"
SOURCE_X, SOURCE_Y = 1000, 800   # the drag source, below and right of the main window


def make_pfx(work):
    """A self-signed server certificate and its key in a PKCS #12 file."""
    key, cert, pfx = (os.path.join(work, n) for n in ("drop.key", "drop.pem", "drop.p12"))
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "30", "-subj", "/CN=drop.example.test",
            "-addext", "subjectAltName=DNS:drop.example.test",
            "-addext", "extendedKeyUsage=serverAuth")
    openssl("pkcs12", "-export", "-in", cert, "-inkey", key, "-out", pfx,
            "-name", "Drop test", "-passout", f"pass:{PASSWORD}")
    return cert, pfx


def xdotool(*args):
    subprocess.run(["xdotool", *[str(a) for a in args]], check=True, timeout=30)


def drag(from_xy, to_xy, steps=12):
    """Presses button 1 at @from_xy, moves in steps to @to_xy and releases there."""
    fx, fy = from_xy
    tx, ty = to_xy
    xdotool("mousemove", fx, fy)
    time.sleep(0.3)
    xdotool("mousedown", 1)
    time.sleep(0.3)
    # Past GTK's drag threshold first, then on towards the target
    for i in range(1, steps + 1):
        x = fx + (tx - fx) * i // steps
        y = fy + (ty - fy) * i // steps
        xdotool("mousemove", x, y)
        time.sleep(0.15)
    # A few small moves over the target, so that it sees XdndPosition and answers
    for dx in (3, -3, 0):
        xdotool("mousemove", tx + dx, ty)
        time.sleep(0.2)
    xdotool("mouseup", 1)


def main():
    tap = Tap()
    app = App("drop")
    work = tempfile.mkdtemp(prefix="certwiz-gui-drop-")
    source = None
    try:
        if shutil.which("xdotool") is None:
            raise RuntimeError("xdotool is missing (build-aux/deps test installs it)")
        cert, pfx = make_pfx(work)
        want = openssl_sha1(cert)

        gui = app.start()
        main_window = window(gui, "Certificate Wizard")
        source = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "drag_source.py"),
                                   pfx, str(SOURCE_X), str(SOURCE_Y)],
                                  stdout=subprocess.PIPE, text=True)
        tap.eq(source.stdout.readline().strip(), "ready", "the drag source window is shown")
        time.sleep(0.5)
        app.screenshot("before-drop")

        # Onto the usages list, in the middle of the main window
        mx, my = main_window.position
        mw, mh = main_window.size
        target = (mx + mw // 3, my + mh // 2)
        drag((SOURCE_X + 100, SOURCE_Y + 60), target)

        assistant = window(gui, "Import Certificate", timeout=20)
        tap.ok(True, "dropping the file on the main window opened Import Certificate")
        entry = find(assistant, name="Select certificate file", role="text")
        tap.eq(label_text(entry), pfx, "the file page holds the dropped file")
        app.screenshot("import-file-dropped")
        password = find(assistant, name="Password", role="password text")
        tap.ok(password.sensitive, "a .p12 file: the password can be typed")
        password.grabFocus()
        password.typeText(PASSWORD)
        click(assistant, "Next")
        tap.ok(wait_for(lambda: showing_text(assistant, "drop.p12"), "the summary",
                        timeout=15), "the summary names the dropped file")
        app.screenshot("import-summary")
        click(assistant, "Next")
        tap.ok(wait_for(lambda: showing_text(assistant, "The certificate was imported."),
                        "the done page", timeout=60), "the certificate was imported")
        tap.ok(bool(assistant.findChildren(
            lambda n: n.showing and want in (label_text(n) or "").replace(" ", ""))),
            "the done page shows the thumbprint")
        app.screenshot("import-done")
        click(assistant, "Finish")
        wait_for(lambda: not any(c.name == "Import Certificate" and c.showing
                                 for c in gui.children), "the assistant to close")

        listed = json.loads(app.cli("list", "--json").stdout)
        thumbs = [c["thumbprint"].upper() for c in listed["certificates"]]
        tap.eq(thumbs, [want], "certwiz-cli list --json: the store holds the dropped certificate")
        tap.ok(os.path.isfile(os.path.join(app.store, "certs", want + ".pem")),
               "certs/ holds it, named by its thumbprint")
        keys = [k for k in os.listdir(os.path.join(app.store, "keys")) if k.endswith(".pem")]
        tap.eq(len(keys), 1, "one private key is in the store")
        if keys:
            key = os.path.join(app.store, "keys", keys[0])
            tap.eq(oct(os.stat(key).st_mode & 0o777), oct(0o600), "the key file is 0600")
            tap.eq(openssl("pkey", "-in", key, "-pubout"),
                   openssl("x509", "-in", cert, "-noout", "-pubkey"),
                   "it is the key of the dropped certificate")
    except Exception as e:  # noqa: BLE001 - report, then finish the plan
        import traceback
        tap.ok(False, f"the drop flow ran to the end ({e})", traceback.format_exc())
        try:
            app.screenshot("failure")
        except Exception:  # noqa: BLE001
            pass
    finally:
        if source is not None and source.poll() is None:
            source.terminate()
            try:
                source.wait(timeout=10)
            except subprocess.TimeoutExpired:
                source.kill()
        app.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    tap.finish()


main()
