#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Export and the Usages dialog: the selected usage's certificate is exported as PFX with
the modern profile through the Export dialog and read back by `openssl pkcs12` with the
password; a certificate whose key is not exportable offers no PFX (from the certificate
dialog's Export…) but exports as PEM; the Usages dialog sets a target directory and a
reload command that the store then holds. Screenshots go to
<build>/tests/screenshots/export-usages/."""

import configparser
import json
import os
import subprocess
import tempfile

from certwiz_gui import (App, Tap, click, find, openssl, openssl_sha1, wait_for, window)
from request_flow import PROFILE, label_text, showing_text

PASSWORD = "Export-Test-Passw0rd"


def request(app, name, exportable):
    before = set(os.listdir(os.path.join(app.store, "certs")))
    args = ["request", "--usage", "web-internal", "--friendly-name", name, "--org", "Example"]
    if exportable:
        args.append("--exportable")
    app.cli(*args, check=False)   # exit 13 until the root is trusted; the cert is stored
    new = set(os.listdir(os.path.join(app.store, "certs"))) - before
    if len(new) != 1:
        raise RuntimeError(f"request {name}: expected one new certificate, got {new}")
    return new.pop().split(".")[0].upper()


def set_up(app):
    app.cli(*PROFILE)
    os.makedirs(os.path.join(app.store, "certs"), exist_ok=True)
    exportable = request(app, "web-export", True)
    locked = request(app, "a-locked", False)   # sorts first in the View Certificate list
    root = os.path.join(app.store, "lab-root.pem")
    with open(root, "w", encoding="utf-8") as f:
        f.write(app.cli("ca", "local", "root").stdout)
    app.cli("trust", "import", root)
    app.cli("assign", exportable, "--usage", "web-internal")
    return exportable, locked


def set_text(node, text):
    node.grabFocus()
    node.text = ""
    node.typeText(text)


def export_pfx(tap, app, gui, main, thumbprint, outdir):
    click(main, "Export…")
    dialog = window(gui, "Export Certificate")
    pfx = find(dialog, name="PFX (PKCS #12) with the private key and the chain",
               role="radio button")
    tap.ok(pfx.sensitive and pfx.checked, "PFX is offered and chosen for an exportable key")
    find(dialog, name="Modern (AES-256, SHA-256)", role="menu item", showing=False)
    tap.ok(True, "the Modern profile is offered")
    set_text(find(dialog, name="Password", role="password text"), PASSWORD)
    set_text(find(dialog, name="Confirm password", role="password text"), PASSWORD + "x")
    path = os.path.join(outdir, "web.pfx")
    set_text(find(dialog, name="File name", role="text"), path)
    click(dialog, "Export")
    wait_for(lambda: showing_text(dialog, "The two passwords differ. Type the same password "
                                          "twice."), "the mismatch message")
    tap.ok(not os.path.exists(path), "differing passwords: nothing is written")
    app.screenshot("export-mismatch")
    set_text(find(dialog, name="Confirm password", role="password text"), PASSWORD)
    app.screenshot("export-pfx")
    click(dialog, "Export")
    wait_for(lambda: os.path.exists(path), "the PFX file", timeout=30)
    wait_for(lambda: not any(c.name == "Export Certificate" and c.showing
                             for c in gui.children), "the Export dialog to close")
    tap.eq(oct(os.stat(path).st_mode & 0o777), oct(0o600), "the PFX file is 0600")
    info = subprocess.run(["openssl", "pkcs12", "-info", "-in", path, "-noout",
                           "-passin", f"pass:{PASSWORD}"],
                          capture_output=True, text=True, timeout=60)
    tap.eq(info.returncode, 0, "openssl pkcs12 -info reads the PFX with the password")
    tap.ok("AES-256-CBC" in info.stderr + info.stdout,
           "the modern profile encrypts with AES-256-CBC", info.stderr)
    wrong = subprocess.run(["openssl", "pkcs12", "-info", "-in", path, "-noout",
                            "-passin", "pass:wrong"], capture_output=True, text=True, timeout=60)
    tap.ok(wrong.returncode != 0, "a wrong password does not open it")
    pem = openssl("pkcs12", "-in", path, "-nokeys", "-clcerts", "-passin", f"pass:{PASSWORD}")
    cert = os.path.join(outdir, "from-pfx.pem")
    with open(cert, "w", encoding="utf-8") as f:
        f.write(pem)
    tap.eq(openssl_sha1(cert), thumbprint, "the PFX holds the usage's certificate")


def export_locked(tap, app, gui, main, thumbprint, outdir):
    click(main, "View Certificate…")
    viewer = window(gui, "View Certificate")
    wait_for(lambda: showing_text(viewer, thumbprint), "the locked certificate in the list")
    click(viewer, "View Certificate Details")
    details = window(gui, "Certificate")
    click(details, "Export…")
    dialog = window(gui, "Export Certificate")
    pfx = find(dialog, name="PFX (PKCS #12) with the private key and the chain",
               role="radio button")
    tap.ok(not pfx.sensitive, "a key not marked exportable: PFX cannot be chosen")
    tap.ok(showing_text(dialog, "PFX is not available: the private key is not marked "
                                "exportable."), "the dialog says why")
    app.screenshot("export-not-exportable")
    path = os.path.join(outdir, "locked.pem")
    set_text(find(dialog, name="File name", role="text"), path)
    click(dialog, "Export")
    wait_for(lambda: os.path.exists(path), "the PEM file", timeout=30)
    tap.eq(openssl_sha1(path), thumbprint, "the certificate exports as PEM")
    with open(path, encoding="utf-8") as f:
        tap.ok("PRIVATE KEY" not in f.read(), "no private key in the PEM export")
    click(details, "Close")
    click(viewer, "Close")


def usage_config(app, usage):
    """What the store holds for @usage: `certwiz-cli usage show --json`, else usages.ini."""
    res = app.cli("usage", "show", usage, "--json", check=False)
    if res.returncode == 0:
        data = json.loads(res.stdout)
        entry = next(u for u in data["usages"] if u["id"] == usage)
        return entry["target_dir"], entry["reload_command"]
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(os.path.join(app.store, "usages.ini"), encoding="utf-8")
    if not ini.has_section(usage):
        return None, None
    reload = ini[usage].get("reload-command")
    return ini[usage].get("target-dir"), [a for a in (reload or "").split(";") if a] or None


def usages_dialog(tap, app, gui, main, outdir):
    click(main, "Usages…")
    dialog = window(gui, "Certificate Usages")
    target = os.path.join(outdir, "deploy-default")
    os.makedirs(target)
    set_text(find(dialog, name="Target directory", role="text"), target)
    set_text(find(dialog, name="Reload command", role="text"), "/bin/true --reload-test")
    app.screenshot("usages-dialog")
    click(dialog, "Save")
    app.screenshot("usages-saved")
    try:
        wait_for(lambda: usage_config(app, "default")[0] == target,
                 "the target directory saved", timeout=10)
    except RuntimeError:
        with open(os.path.join(app.store, "usages.ini"), encoding="utf-8") as f:
            raise RuntimeError(f"usages.ini holds:\n{f.read()}\nusage_config: "
                               f"{usage_config(app, 'default')!r}")
    got_target, got_reload = usage_config(app, "default")
    tap.eq(got_target, target, "the Usages dialog set the target directory of Server default")
    tap.eq(got_reload, ["/bin/true", "--reload-test"], "and its reload command, as argv")
    set_text(find(dialog, name="Mode", role="text"), "0777")
    click(dialog, "Save")
    wait_for(lambda: bool(dialog.findChildren(lambda n: n.name == "Problem" and n.showing
                                              and label_text(n))), "the core's refusal")
    tap.ok(True, "a mode the core refuses is reported in the dialog")
    app.screenshot("usages-refused")
    click(dialog, "Close")


def main():
    tap = Tap()
    app = App("export-usages")
    outdir = tempfile.mkdtemp(prefix="certwiz-gui-export-")
    try:
        exportable, locked = set_up(app)
        gui = app.start()
        main_window = window(gui, "Certificate Wizard")
        tap.run("export PFX (modern) from the main window",
                export_pfx, tap, app, gui, main_window, exportable, outdir)
        tap.run("a key not marked exportable is never exported as PFX",
                export_locked, tap, app, gui, main_window, locked, outdir)
        tap.run("the Usages dialog", usages_dialog, tap, app, gui, main_window, outdir)
    except Exception as e:  # noqa: BLE001
        import traceback
        tap.ok(False, f"the flow ran to the end ({e})", traceback.format_exc())
    finally:
        app.cleanup()
        subprocess.run(["rm", "-rf", outdir], check=False)
    tap.finish()


main()
