#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The offline path through the GUI: an offline request writes a CSR file (openssl verifies
it) → an openssl CA with a root and an intermediate signs it → Import Certificate imports
the DER .p7b and completes the waiting request → assignment is refused until the root is
trusted → Import Certificate imports the root as a trusted root → assignment works.
Screenshots of every new page go to <build>/tests/screenshots/offline-import/."""

import glob
import os
import subprocess
import tempfile
import time

from certwiz_gui import (App, Tap, click, find, openssl, openssl_sha1, wait_for,
                         window)
from request_flow import PROFILE, STRINGS, label_text, showing_text

OFFLINE = "Prepare the request now, but send it later (offline certificate request)"
TITLES = ("Certificate Request", "Delayed or Immediate Requests", "Certificate Request File",
          "Specify Alternate Certificate Template", "Name and Security Settings",
          "Organization Information", "Geographical Information",
          "Subject Name / Subject Alternative Names",
          "SIP Domain setting on Subject Alternative Names (SANs)",
          "Configure Additional Subject Alternative Names", "Certificate Request Summary")
SAVED = "The certificate request was saved to this file:"


def make_ca(workdir):
    """A root and an intermediate CA made with openssl; returns their paths."""
    def path(name):
        return os.path.join(workdir, name)

    with open(path("ca.cnf"), "w") as f:
        f.write("[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = unused\n"
                "[ root ]\nbasicConstraints = critical, CA:true\n"
                "keyUsage = critical, keyCertSign, cRLSign\n"
                "subjectKeyIdentifier = hash\n"
                "[ inter ]\nbasicConstraints = critical, CA:true, pathlen:0\n"
                "keyUsage = critical, keyCertSign, cRLSign\n"
                "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n"
                "[ leaf ]\nbasicConstraints = critical, CA:false\n"
                "keyUsage = critical, digitalSignature, keyEncipherment\n"
                "extendedKeyUsage = serverAuth, clientAuth\n"
                "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("root.key"),
            "-out", path("root.pem"), "-days", "30", "-subj", "/CN=GUI Test Offline Root CA",
            "-config", path("ca.cnf"), "-extensions", "root")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("inter.key"),
            "-out", path("inter.csr"), "-subj", "/CN=GUI Test Offline Issuing CA")
    openssl("x509", "-req", "-in", path("inter.csr"), "-CA", path("root.pem"),
            "-CAkey", path("root.key"), "-CAcreateserial", "-days", "20",
            "-extfile", path("ca.cnf"), "-extensions", "inter", "-out", path("inter.pem"))
    return path


def sign(path, csr):
    """Signs @csr with the intermediate, keeping its names; writes a DER .p7b of the
    leaf and the intermediate and returns (leaf.pem, response.p7b)."""
    openssl("x509", "-req", "-in", csr, "-CA", path("inter.pem"), "-CAkey", path("inter.key"),
            "-CAcreateserial", "-days", "10", "-copy_extensions", "copyall",
            "-extfile", path("ca.cnf"), "-extensions", "leaf", "-out", path("leaf.pem"))
    openssl("crl2pkcs7", "-nocrl", "-certfile", path("leaf.pem"), "-certfile", path("inter.pem"),
            "-outform", "DER", "-out", path("response.p7b"))
    return path("leaf.pem"), path("response.p7b")


def import_file(tap, app, gui, main, filename, trust_root, shot):
    """Runs Import Certificate on @filename; returns the assistant at its last page."""
    click(main, "Import Certificate")
    assistant = window(gui, "Import Certificate")
    entry = find(assistant, name="Select certificate file", role="text")
    entry.text = filename
    if trust_root:
        find(assistant, name="Trust them as root certification authorities (self-signed "
             "ones; the others as intermediates)", role="radio button").doActionNamed("click")
    time.sleep(0.4)
    app.screenshot(f"{shot}-file")
    click(assistant, "Next")
    tap.ok(wait_for(lambda: showing_text(assistant, filename.rsplit("/", 1)[1]),
                    "the summary", timeout=15), f"{shot}: the summary names the file")
    app.screenshot(f"{shot}-summary")
    click(assistant, "Next")
    return assistant


def run():
    tap = Tap()
    s = STRINGS["en"]
    app = App("offline-import")
    work = tempfile.mkdtemp(prefix="certwiz-gui-offline-")
    csr = os.path.join(work, "fe01.csr")
    try:
        app.cli(*PROFILE)
        gui = app.start()
        main = window(gui, s["main"])
        tap.ok(button_sensitive(main, "Import Certificate"),
               "the main window's Import Certificate button is sensitive")

        # ---- The offline request ----
        click(main, s["request"])
        assistant = window(gui, s["assistant"])
        for i, title in enumerate(TITLES):
            wait_for(lambda t=title: showing_text(assistant, t), f"page {title!r}", timeout=15)
            if i == 1:
                find(assistant, name=OFFLINE, role="radio button").doActionNamed("click")
                time.sleep(0.3)
            if i == 2:
                entry = find(assistant, name="File name", role="text")
                documents = label_text(entry)
                tap.ok(documents.endswith(".csr"),
                       "the request file defaults to <name>.csr", documents)
                app.screenshot("request-file-page")
                entry.text = csr
            if i == 4:
                entry = find(assistant, name=s["friendly"], role="text")
                entry.grabFocus()
                entry.typeText("Offline GUI test")
            if i == 5:
                entry = find(assistant, name=s["organization"], role="text")
                entry.grabFocus()
                entry.typeText("Contoso Lab")
            if i == len(TITLES) - 1:
                summary = find(assistant, name="Request summary", role="text")
                tap.ok(wait_for(lambda: "Offline GUI test" in summary.text, "the summary",
                                timeout=10), "the summary shows the request")
                app.screenshot("offline-summary")
            click(assistant, s["next"])

        tap.ok(wait_for(lambda: showing_text(assistant, SAVED), "the request file page",
                        timeout=90), "the Certificate Request File page says where the file is")
        tap.ok(showing_text(assistant, csr), "it names the file chosen")
        app.screenshot("request-file-done-page")
        click(assistant, "View")
        viewer = window(gui, "fe01.csr")
        text = find(viewer, name="Certificate request", role="text")
        tap.ok("BEGIN CERTIFICATE REQUEST" in text.text, "View shows the PEM text")
        app.screenshot("request-file-view")
        click(viewer, "Copy")
        click(viewer, "Close")
        click(assistant, s["finish"])
        wait_for(lambda: not any(c.name == s["assistant"] and c.showing for c in gui.children),
                 "the assistant to close", timeout=20)

        tap.ok(os.path.isfile(csr), "the CSR file exists")
        verify = subprocess.run(["openssl", "req", "-in", csr, "-noout", "-verify"],
                                capture_output=True, text=True)
        tap.ok(verify.returncode == 0 and "verify OK" in (verify.stdout + verify.stderr),
               "openssl req -verify accepts the CSR", verify.stderr)
        pending = os.listdir(os.path.join(app.store, "pending"))
        tap.eq(len(pending), 1, "the key and request wait under pending/")

        # ---- The CA signs it; Import Certificate imports the DER .p7b ----
        path = make_ca(work)
        leaf, p7b = sign(path, csr)
        want = openssl_sha1(leaf)
        assistant = import_file(tap, app, gui, main, p7b, False, "import-response")
        tap.ok(wait_for(lambda: showing_text(
            assistant, "The certificate was imported and completes the waiting certificate "
            "request."), "the import done page", timeout=60),
            "Import Certificate completed the waiting request")
        tap.ok(bool(assistant.findChildren(
            lambda n: n.showing and want in (label_text(n) or "").replace(" ", ""))),
            "the done page shows the thumbprint")
        app.screenshot("import-response-done")
        click(assistant, s["finish"])
        wait_for(lambda: not any(c.name == "Import Certificate" and c.showing
                                 for c in gui.children), "the import assistant to close")

        tap.ok(os.path.isfile(os.path.join(app.store, "certs", want + ".pem")),
               "the certificate is in the store, named by its thumbprint")
        tap.eq(os.listdir(os.path.join(app.store, "pending")), [],
               "the pending request is completed")

        refused = app.cli("assign", "--usage", "default,web-internal,web-external", want,
                          check=False)
        tap.ok(refused.returncode != 0, "assignment is refused while the root is not trusted",
               refused.stdout + refused.stderr)

        # ---- Trust the root through the same assistant ----
        assistant = import_file(tap, app, gui, main, path("root.pem"), True, "import-root")
        tap.ok(wait_for(lambda: showing_text(
            assistant, "The certification authority certificates were imported."),
            "the root import done page", timeout=60), "the root was imported")
        root_sha1 = openssl_sha1(path("root.pem"))
        tap.ok(bool(assistant.findChildren(
            lambda n: n.showing and root_sha1 in (label_text(n) or "").replace(" ", ""))),
            "the done page lists the root added")
        app.screenshot("import-root-done")
        click(assistant, s["finish"])
        wait_for(lambda: not any(c.name == "Import Certificate" and c.showing
                                 for c in gui.children), "the import assistant to close")
        tap.ok(len(glob.glob(os.path.join(app.store, "trust", "roots", "*.pem"))) == 1,
               "the root is in Certwiz's trust/roots")

        assigned = app.cli("assign", "--usage", "default,web-internal,web-external", want,
                           check=False)
        tap.ok(assigned.returncode == 0, "assignment works once the root is trusted",
               assigned.stdout + assigned.stderr)
        click(main, "Refresh")
        tap.ok(wait_for(lambda: len(main.findChildren(
            lambda n: n.name == s["assigned"] and n.showing)) == 3,
            "three usages Assigned", timeout=20), "the main window shows three usages Assigned")
        app.screenshot("main-window-assigned")
        tap.eq(openssl_sha1(os.path.join(app.store, "live", "default", "cert.pem")), want,
               "live/default/cert.pem is the imported certificate")
    except Exception as e:  # noqa: BLE001 - report, then finish the plan
        import traceback
        tap.ok(False, f"the flow ran to the end ({e})", traceback.format_exc())
        try:
            app.screenshot("failure")
        except Exception:  # noqa: BLE001
            pass
    finally:
        app.cleanup()
        subprocess.run(["rm", "-rf", work], check=False)
    tap.finish()


def button_sensitive(node, name):
    found = node.findChildren(lambda n: n.name == name and n.roleName == "push button")
    return bool(found) and found[0].sensitive


if __name__ == "__main__":
    run()
