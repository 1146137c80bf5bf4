#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Cancel during Executing Commands (an RSA 4096 key being generated) leaves a store
with nothing half-written: no certificate, no key, no pending entry, no temporary file."""

import os
import time

from certwiz_gui import App, Tap, click, find, wait_for, window
from request_flow import PROFILE, STRINGS, showing_text

CANCELLED = ("The request was cancelled. Nothing was sent to the certification "
             "authority.")


def leftovers(store):
    """Everything that a cancelled request must not leave behind."""
    found = []
    for sub in ("certs", "keys", "meta", "pending", "archive", "live"):
        path = os.path.join(store, sub)
        if os.path.isdir(path):
            found += [os.path.join(sub, n) for n in os.listdir(path)]
    for root, _dirs, files in os.walk(store):
        found += [os.path.join(root, f) for f in files if ".tmp-" in f]
    return found


def attempt(tap, number):
    """One try; returns None when the request finished before Cancel arrived."""
    s = STRINGS["en"]
    app = App(f"cancel-{number}")
    try:
        app.cli(*PROFILE)
        gui = app.start()
        main = window(gui, s["main"])
        click(main, s["request"])
        assistant = window(gui, s["assistant"])
        for i in range(len(s["titles"])):
            wait_for(lambda t=s["titles"][i]: showing_text(assistant, t), "page", timeout=15)
            if i == 5:
                combo = find(assistant, name="Key type and bit length", role="combo box")
                item = find(combo, name="RSA, 4096 bits", role="menu item", showing=False)
                item.doActionNamed("click")
            if i == len(s["titles"]) - 1:
                summary = find(assistant, name="Request summary", role="text")
                wait_for(lambda: "RSA, 4096 bits" in summary.text, "RSA 4096 in the summary",
                         timeout=10)
            click(assistant, s["next"])

        def cancel_button():
            found = assistant.findChildren(lambda n: n.name == "Cancel Request"
                                           and n.roleName == "push button" and n.showing
                                           and n.sensitive)
            return found[0] if found else None

        wait_for(lambda: cancel_button() is not None
                 or showing_text(assistant, s["status_title"]),
                 "the executing page", timeout=60)
        cancel = cancel_button()
        if cancel is None:
            return None   # the key was ready before the test could press Cancel
        cancel.doActionNamed("click")
        wait_for(lambda: showing_text(assistant, CANCELLED)
                 or showing_text(assistant, s["status_title"]), "the outcome", timeout=60)
        if showing_text(assistant, s["status_title"]):
            return None
        app.screenshot("cancelled")
        tap.ok(True, "the page says the request was cancelled and nothing was sent")
        tap.eq(leftovers(app.store), [], "nothing half-written: no cert, key, pending entry "
                                          "or temporary file")
        tap.ok(find(assistant, name="Back", role="push button").sensitive,
               "Back is possible after cancelling")
        click(assistant, "Cancel")
        wait_for(lambda: not any(c.name == s["assistant"] and c.showing for c in gui.children),
                 "the assistant to close", timeout=20)
        tap.ok(True, "Cancel closed the assistant")
        time.sleep(0.5)
        tap.eq(leftovers(app.store), [], "still nothing in the store after closing")
        tap.ok(not main.findChildren(lambda n: n.name == s["assigned"] and n.showing),
               "the main window shows nothing assigned")
        return True
    finally:
        app.cleanup()


def main():
    tap = Tap()
    try:
        for number in range(1, 5):
            if attempt(tap, number):
                break
            print(f"# attempt {number}: the key was ready before Cancel arrived; again",
                  flush=True)
        else:
            tap.ok(False, "Cancel arrived in time in one of four attempts")
    except Exception as e:  # noqa: BLE001
        import traceback
        tap.ok(False, f"the cancel flow ran to the end ({e})", traceback.format_exc())
    tap.finish()


main()
