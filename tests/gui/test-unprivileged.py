#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The GUI of an ordinary user on a root-owned store (DESIGN.md "Privileges"): it opens
the store read-only, says that changes need administrator rights, and performs the
request, the trust of the lab root and Finish's assignment through the privileged helper
(here `sudo -n certwiz-cli … --json-progress`, CERTWIZ_ELEVATE). Then, with rights
refused (CERTWIZ_ELEVATE=/bin/false), Remove Certificate says so and changes nothing.
Run by run-unprivileged.sh as the unprivileged user; it checks the root side afterwards."""

import configparser
import glob
import os
import subprocess

from certwiz_gui import App, Tap, click, find, openssl_sha1, wait_for, window
from request_flow import STRINGS, label_text, showing_text

S = STRINGS["en"]
STORE = os.environ["CERTWIZ_TEST_STORE"]


CANCELLED = ("The request was cancelled. Nothing was sent to the certification "
             "authority.")


def cancel_request(gui, main):
    """A request with an RSA 4096 key, cancelled while the helper generates it: TRUE when
    the page says so, None when the request finished before Cancel arrived."""
    click(main, S["request"])
    assistant = window(gui, S["assistant"])
    try:
        for i, title in enumerate(S["titles"]):
            wait_for(lambda t=title: showing_text(assistant, t), "page", timeout=15)
            if i == 5:
                combo = find(assistant, name="Key type and bit length", role="combo box")
                item = find(combo, name="RSA, 4096 bits", role="menu item", showing=False)
                item.doActionNamed("click")
            if i == len(S["titles"]) - 1:
                summary = find(assistant, name="Request summary", role="text")
                wait_for(lambda: "RSA, 4096 bits" in summary.text, "RSA 4096", timeout=10)
            click(assistant, S["next"])

        def cancel_button():
            found = assistant.findChildren(lambda n: n.name == "Cancel Request"
                                           and n.roleName == "push button" and n.showing
                                           and n.sensitive)
            return found[0] if found else None

        wait_for(lambda: cancel_button() is not None
                 or showing_text(assistant, S["status_title"]), "the executing page",
                 timeout=60)
        button = cancel_button()
        if button is None:
            return None
        button.doActionNamed("click")
        wait_for(lambda: showing_text(assistant, CANCELLED)
                 or showing_text(assistant, S["status_title"]), "the outcome", timeout=60)
        if showing_text(assistant, S["status_title"]):
            return None
        return True
    finally:
        if showing_text(assistant, S["status_title"]):
            # Issued before Cancel arrived: close without assigning it
            check = find(assistant, name=S["assign_check"], role="check box")
            if check.checked and check.sensitive:
                check.doActionNamed("click")
            click(assistant, S["finish"])
        elif any(c.name == S["assistant"] and c.showing for c in gui.children):
            click(assistant, "Cancel")
            wait_for(lambda: not any(c.name == S["assistant"] and c.showing
                                     for c in gui.children), "the assistant to close",
                     timeout=20)


def run():
    tap = Tap()
    app = App("unprivileged", language="en", store=STORE)
    try:
        tap.ok(os.geteuid() != 0, f"the GUI runs as an ordinary user (uid {os.geteuid()})")
        tap.ok(not os.access(STORE, os.W_OK), "the user cannot write the store")
        tap.ok(not os.access(os.path.join(STORE, "keys"), os.R_OK),
               "the user cannot read the store's keys/")

        gui = app.start()
        main = window(gui, S["main"])
        wanted = f"Store: {STORE} (changes need administrator rights)"
        tap.ok(wait_for(lambda: showing_text(main, wanted), "the store label", timeout=15),
               "the main window names the store and says changes need administrator rights")
        app.screenshot("main-window-read-only")

        click(main, S["request"])
        assistant = window(gui, S["assistant"])
        for i, title in enumerate(S["titles"]):
            if not tap.ok(wait_for(lambda t=title: showing_text(assistant, t),
                                   f"page title {title!r}", timeout=15),
                          f"page {i + 1}: “{title}”"):
                break
            click(assistant, S["next"])

        # Executing Commands runs certwiz-cli through sudo and moves on by itself
        tap.ok(wait_for(lambda: showing_text(assistant, S["status_title"]),
                        "the status page", timeout=120),
               "the request ran through the helper: the status page is shown")
        app.screenshot("status-untrusted")
        certs = glob.glob(os.path.join(STORE, "certs", "*.pem"))
        tap.eq(len(certs), 1, "the root-owned store holds the new certificate")
        want = openssl_sha1(certs[0])
        thumb = find(assistant, name=S["thumbprint"], role="label")
        tap.eq(label_text(thumb).replace(" ", ""), want,
               "the thumbprint shown equals openssl's SHA-1 fingerprint")
        tap.eq(os.stat(certs[0]).st_uid, 0, "the certificate file belongs to root")

        check = find(assistant, name=S["assign_check"], role="check box")
        tap.ok(not check.sensitive, "the lab root is not trusted yet: no assignment")
        click(assistant, S["trust_lab"])
        tap.ok(wait_for(lambda: check.sensitive and check.checked, "assignable", timeout=60),
               "trusting the lab CA through the helper makes the certificate assignable")
        roots = glob.glob(os.path.join(STORE, "trust", "roots", "*.pem"))
        tap.eq(len(roots), 1, "the lab root is in the store's trust/roots")
        app.screenshot("status-trusted")

        click(assistant, S["finish"])
        tap.ok(wait_for(lambda: not any(c.name == S["assistant"] and c.showing
                                        for c in gui.children),
                        "the assistant to close", timeout=120),
               "Finish assigned through the helper and closed the assistant")
        main = window(gui, S["main"])
        tap.ok(wait_for(lambda: len(main.findChildren(
            lambda n: n.name == S["assigned"] and n.showing)) == 3,
            "three usages Assigned", timeout=30),
            "the main window shows three usages Assigned")
        app.screenshot("main-window-assigned")
        for usage in ("default", "web-internal", "web-external"):
            live = os.path.join(STORE, "live", usage, "cert.pem")
            tap.ok(os.path.isfile(live) and openssl_sha1(live) == want,
                   f"live/{usage}/cert.pem is the new certificate")

        # Export through the helper: root writes the file, and gives it to the user
        click(main, "Export…")
        dialog = window(gui, "Export Certificate")
        find(dialog, name="Chain (PKCS #7, .p7b)", role="radio button").doActionNamed("click")
        path = os.path.join(os.environ["HOME"], "chain.p7b")
        entry = find(dialog, name="File name", role="text")
        entry.grabFocus()
        entry.text = ""
        entry.typeText(path)
        click(dialog, "Export")
        tap.ok(wait_for(lambda: os.path.exists(path) and not any(
            c.name == "Export Certificate" and c.showing for c in gui.children),
            "the exported file", timeout=60), "Export wrote the file through the helper")
        tap.eq(os.stat(path).st_uid, os.geteuid(), "the exported file belongs to the user")
        certs = subprocess.run(["openssl", "pkcs7", "-inform", "DER", "-in", path,
                                "-print_certs"], capture_output=True, text=True,
                               timeout=30).stdout
        tap.ok(certs.count("BEGIN CERTIFICATE") >= 2,
               "the .p7b holds the certificate and its chain (openssl pkcs7)")

        # Renew through the helper (certwiz-cli renew THUMBPRINT --force): the assistant
        # opens on the saved request's summary; the usages move to the new certificate
        click(main, "Renew…")
        assistant = window(gui, "Certificate Renewal")
        wait_for(lambda: showing_text(assistant, "Certificate Request Summary"), "the summary")
        click(assistant, S["next"])
        tap.ok(wait_for(lambda: bool(assistant.findChildren(
            lambda n: n.showing and "The certificate was renewed." in (label_text(n) or ""))),
            "the renewal", timeout=120),
            "Renew… renewed the certificate through the helper")
        app.screenshot("renewed")
        usages = configparser.ConfigParser()
        usages.read(os.path.join(STORE, "usages.ini"))
        renewed = {usages.get(u, "current", fallback="").upper()
                   for u in ("default", "web-internal", "web-external")}
        tap.ok(len(renewed) == 1 and want not in renewed,
               "the three usages name one new certificate", renewed)
        tap.eq(len(assistant.findChildren(
            lambda n: n.showing and n.name == "Now uses the new certificate")), 3,
            "the status page lists the three usages on the new certificate")
        want = renewed.pop() if len(renewed) == 1 else want
        click(assistant, S["finish"])
        wait_for(lambda: not any(c.name == "Certificate Renewal" and c.showing
                                 for c in gui.children), "the assistant to close")

        # Cancel reaches the helper across the privilege boundary (its stdin closes)
        cancelled = False
        before = len(glob.glob(os.path.join(STORE, "certs", "*.pem")))
        finished = 0
        for attempt in range(1, 5):
            outcome = cancel_request(gui, main)
            if outcome is not None:
                cancelled = outcome
                break
            finished += 1
            print(f"# attempt {attempt}: the key was ready before Cancel arrived; again",
                  flush=True)
        tap.ok(cancelled, "Cancel stopped the request running in the helper: the page says "
                          "nothing was sent")
        app.screenshot("cancelled")
        tap.eq(len(glob.glob(os.path.join(STORE, "certs", "*.pem"))), before + finished,
               "the cancelled request stored no certificate")
        tap.eq(os.listdir(os.path.join(STORE, "meta", "pending"))
               if os.path.isdir(os.path.join(STORE, "meta", "pending")) else [], [],
               "and left no pending request")

        # Rights refused: Remove says so, and nothing changes
        app.stop()
        app.env["CERTWIZ_ELEVATE"] = "/bin/false"
        gui = app.start()
        main = window(gui, S["main"])
        wait_for(lambda: len(main.findChildren(
            lambda n: n.name == S["assigned"] and n.showing)) == 3, "the usages", timeout=30)
        click(main, "Remove")
        assistant = window(gui, "Remove Certificate")
        wait_for(lambda: showing_text(assistant, "Remove Certificate"), "the intro page")
        click(assistant, S["next"])
        refused = "needs administrator rights, and they were not granted"
        tap.ok(wait_for(lambda: bool(assistant.findChildren(
            lambda n: n.showing and refused in (label_text(n) or ""))),
            "the refusal", timeout=60),
            "with rights refused, Remove Certificate says administrator rights were not granted")
        app.screenshot("remove-refused")
        usages = configparser.ConfigParser()
        usages.read(os.path.join(STORE, "usages.ini"))
        tap.ok(all(usages.get(u, "current", fallback="").upper() == want
                   for u in ("default", "web-internal", "web-external")),
               "nothing was removed: usages.ini still assigns the certificate to all three")
    except Exception as e:  # noqa: BLE001 - report, then finish the plan
        import traceback
        tap.ok(False, f"the flow ran to the end ({e})", traceback.format_exc())
        try:
            app.screenshot("failure")
        except Exception:  # noqa: BLE001
            pass
    finally:
        app.stop()
    tap.finish()


run()
