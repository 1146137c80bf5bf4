#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""A request held by the built-in lab CA: the status page says so with the request ID and
no certificate → Process Pending Request is enabled → the lab CA approves → Process Pending
Request retrieves the certificate → the status page as for an online request → Trust →
Finish assigns → the main window shows the usages Assigned.
Screenshots of every new page go to <build>/tests/screenshots/pending/."""

import glob
import os

from certwiz_gui import App, Tap, click, find, openssl_sha1, wait_for, window
from request_flow import PROFILE, STRINGS, label_text, showing_text

HELD = ("The certification authority is holding the request for approval. Once it is "
        "approved, use Process Pending Request on the main page to retrieve the certificate.")
PENDING = "Process Pending Request"


def pending_sensitive(main):
    found = main.findChildren(lambda n: n.name == PENDING and n.roleName == "push button")
    return bool(found) and found[0].sensitive


def run():
    tap = Tap()
    s = STRINGS["en"]
    app = App("pending")
    try:
        app.cli(*PROFILE)
        app.cli("ca", "local", "hold", "on")
        gui = app.start()
        main = window(gui, s["main"])
        tap.ok(not pending_sensitive(main), "Process Pending Request is off with nothing pending")

        # ---- The request is held ----
        click(main, s["request"])
        assistant = window(gui, s["assistant"])
        for i, title in enumerate(s["titles"]):
            wait_for(lambda t=title: showing_text(assistant, t), f"page {title!r}", timeout=15)
            if i == 6:
                entry = find(assistant, name=s["organization"], role="text")
                entry.grabFocus()
                entry.typeText("Contoso Lab")
            click(assistant, s["next"])
        tap.ok(wait_for(lambda: showing_text(assistant, HELD), "the held status", timeout=90),
               "the status page says the CA is holding the request")
        held = app.cli("ca", "local", "held").stdout.split()
        tap.eq(len(held), 1, "the lab CA holds one request")
        request_id = held[0] if held else "?"
        tap.ok(showing_text(assistant, request_id), "the status page shows the request ID")
        thumbs = assistant.findChildren(lambda n: n.name == s["thumbprint"] and n.showing)
        tap.eq(len(thumbs), 0, "no certificate rows for a held request")
        app.screenshot("status-held")
        app.screenshot_window(s["assistant"], "status-page-held")
        click(assistant, s["finish"])
        wait_for(lambda: not any(c.name == s["assistant"] and c.showing for c in gui.children),
                 "the assistant to close", timeout=20)
        tap.ok(wait_for(lambda: pending_sensitive(main), "Process Pending Request", timeout=10),
               "Process Pending Request is enabled after the request")
        app.screenshot("main-window-pending")

        # ---- Still pending ----
        click(main, PENDING)
        assistant = window(gui, PENDING)
        row = find(assistant, name=request_id, role="table cell")
        tap.ok(row is not None, "the list shows the held request's ID")
        app.screenshot("pending-list")
        click(assistant, s["next"])
        tap.ok(wait_for(lambda: showing_text(assistant, HELD), "still held", timeout=60),
               "still pending: the status page says so")
        app.screenshot("pending-still-held")
        click(assistant, s["finish"])
        wait_for(lambda: not any(c.name == PENDING and c.showing for c in gui.children),
                 "the assistant to close", timeout=20)

        # ---- Approved: retrieve, trust, Finish assigns ----
        app.cli("ca", "local", "approve", request_id)
        click(main, "Refresh")
        click(main, PENDING)
        assistant = window(gui, PENDING)
        find(assistant, name=request_id, role="table cell")
        click(assistant, s["next"])
        tap.ok(wait_for(lambda: showing_text(assistant, "The certificate was issued."),
                        "issued", timeout=60), "the status page shows the certificate issued")
        app.screenshot("pending-issued")
        certs = glob.glob(os.path.join(app.store, "certs", "*.pem"))
        tap.eq(len(certs), 1, "the store holds the retrieved certificate")
        want = openssl_sha1(certs[0]) if certs else None
        thumb = find(assistant, name=s["thumbprint"], role="label")
        tap.eq(label_text(thumb).replace(" ", ""), want, "the status page shows its thumbprint")
        check = find(assistant, name=s["assign_check"], role="check box")
        click(assistant, s["trust_lab"])
        tap.ok(wait_for(lambda: check.sensitive and check.checked, "assignable", timeout=20),
               "after Trust the assignment checkbox is on")
        app.screenshot("pending-trusted")
        click(assistant, s["finish"])
        tap.ok(wait_for(lambda: not any(c.name == PENDING and c.showing for c in gui.children),
                        "the assistant to close", timeout=60), "Finish assigned and closed")
        tap.ok(wait_for(lambda: len(main.findChildren(
            lambda n: n.name == s["assigned"] and n.showing)) == 3,
            "three usages Assigned", timeout=20), "the main window shows three usages Assigned")
        tap.ok(wait_for(lambda: not pending_sensitive(main), "nothing pending", timeout=10),
               "Process Pending Request is off again")
        app.screenshot("main-window-assigned")
        if want:
            tap.eq(openssl_sha1(os.path.join(app.store, "live", "default", "cert.pem")), want,
                   "live/default/cert.pem is the retrieved certificate")
    except Exception as e:  # noqa: BLE001 - report, then finish the plan
        import traceback
        tap.ok(False, f"the flow ran to the end ({e})", traceback.format_exc())
        try:
            app.screenshot("failure")
        except Exception:  # noqa: BLE001
            pass
    finally:
        app.cleanup()
    tap.finish()


if __name__ == "__main__":
    run()
