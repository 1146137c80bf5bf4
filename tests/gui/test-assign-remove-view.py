#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Certificate Assignment, Remove Certificate and View Certificate assistants:
a certificate requested and trusted with certwiz-cli is assigned to Web services internal
through the GUI (live/web-internal holds it), removed again (the usage is Not assigned,
its live/ files stay), and any certificate of the store is shown through View Certificate.
Screenshots of every page go to <build>/tests/screenshots/assign-remove-view/."""

import os
import time

from certwiz_gui import (App, Tap, click, find, openssl_sha1, wait_for, window)
from request_flow import PROFILE, label_text, showing_text

WEB_INTERNAL = "Web services internal"
OTHER_USAGES = ("Server default", "Web services external", "OAuthTokenIssuer")


def set_up(app):
    """A lab certificate for web-internal whose root Certwiz trusts; returns its thumbprint."""
    app.cli(*PROFILE)
    # Exit 13 (chain not trusted yet) still stores the certificate
    app.cli("request", "--usage", "web-internal", "--friendly-name", "web-internal-1",
            "--org", "Example", check=False)
    root = os.path.join(app.store, "lab-root.pem")
    with open(root, "w", encoding="utf-8") as f:
        f.write(app.cli("ca", "local", "root").stdout)
    app.cli("trust", "import", root)
    certs = os.listdir(os.path.join(app.store, "certs"))
    if len(certs) != 1:
        raise RuntimeError(f"expected one certificate in the store, found {certs}")
    return certs[0].split(".")[0].upper()


def details_show(details, thumbprint):
    """The certificate dialog's Details tab carries @thumbprint."""
    find(details, name="Details", role="page tab").select()
    time.sleep(0.4)
    return bool(details.findChildren(
        lambda n: n.showing and thumbprint in (label_text(n) or "").replace(" ", "")))


def count_showing(node, name):
    return len(node.findChildren(lambda n: n.name == name and n.showing))


def assign(tap, app, gui, main, thumbprint):
    click(main, "Assign")
    assistant = window(gui, "Certificate Assignment")
    wait_for(lambda: showing_text(assistant, "Certificate Assignment"), "the intro page")
    # Only Web services internal: the main window preselected the first three usages
    for name in OTHER_USAGES:
        check = find(assistant, name=name, role="check box")
        if check.checked:
            check.doActionNamed("click")
    web = find(assistant, name=WEB_INTERNAL, role="check box")
    if not web.checked:
        web.doActionNamed("click")
    wait_for(lambda: web.checked, "Web services internal to be checked")
    app.screenshot("assign-intro")
    click(assistant, "Next")

    wait_for(lambda: showing_text(assistant, thumbprint), "the certificate in the store list")
    tap.ok(True, "the Certificate Store page lists the certificate that can serve the usage")
    tap.ok(showing_text(assistant, "Can be assigned"), "its verdict says it can be assigned")
    app.screenshot("assign-list")
    show_all = find(assistant, name="Show all certificates", role="check box")
    show_all.doActionNamed("click")
    wait_for(lambda: show_all.checked, "Show all certificates")
    app.screenshot("assign-list-all")
    show_all.doActionNamed("click")

    click(assistant, "View Certificate Details")
    details = window(gui, "Certificate")
    tap.ok(details_show(details, thumbprint),
           "View Certificate Details shows the certificate's thumbprint")
    app.screenshot("assign-list-details")
    click(details, "Close")

    click(assistant, "Next")
    wait_for(lambda: showing_text(assistant, "Certificate Assignment Summary"), "the summary")
    summary_tp = find(assistant, name="Thumbprint", role="label")
    tap.eq(summary_tp.text, thumbprint, "the summary names the certificate's thumbprint")
    app.screenshot("assign-summary")
    click(assistant, "Next")

    outcome = f"The certificate {thumbprint} was assigned to these certificate usages:"
    wait_for(lambda: showing_text(assistant, outcome), "the assignment to finish", timeout=60)
    tap.ok(True, "Executing Commands assigned the certificate and the last page says so")
    app.screenshot("assign-done")
    click(assistant, "Finish")
    wait_for(lambda: not any(c.name == "Certificate Assignment" and c.showing
                             for c in gui.children), "the assistant to close")

    wait_for(lambda: count_showing(main, "Assigned") == 1, "one usage shown Assigned")
    tap.ok(True, "the main window shows one usage Assigned")
    live = os.path.join(app.store, "live", "web-internal")
    tap.ok(os.path.islink(live) and os.path.isfile(os.path.join(live, "cert.pem")),
           "live/web-internal holds a deployed set")
    if os.path.isfile(os.path.join(live, "cert.pem")):
        tap.eq(openssl_sha1(os.path.join(live, "cert.pem")), thumbprint,
               "live/web-internal/cert.pem is the assigned certificate")
    for usage in ("default", "web-external"):
        tap.ok(not os.path.exists(os.path.join(app.store, "live", usage)),
               f"live/{usage} was not touched")
    app.screenshot("main-assigned")


def remove(tap, app, gui, main, thumbprint):
    click(main, "Remove")
    assistant = window(gui, "Remove Certificate")
    wait_for(lambda: showing_text(assistant, "Remove Certificate"), "the intro page")
    web = find(assistant, name=WEB_INTERNAL, role="check box")
    tap.ok(web.checked and web.sensitive, "Web services internal is chosen")
    other = find(assistant, name="Server default", role="check box")
    tap.ok(not other.sensitive, "a usage without a certificate cannot be chosen")
    tap.ok(bool(assistant.findChildren(
        lambda n: n.showing and "certificate itself stays in the store" in (n.name or ""))),
        "the intro says that the certificate stays in the store")
    app.screenshot("remove-intro")
    click(assistant, "Next")
    outcome = f"The certificate {thumbprint} was removed from these certificate usages:"
    wait_for(lambda: showing_text(assistant, outcome), "the removal to finish", timeout=60)
    tap.ok(True, "the last page says the certificate was removed")
    app.screenshot("remove-done")
    click(assistant, "Finish")
    wait_for(lambda: count_showing(main, "Assigned") == 0, "no usage shown Assigned")
    tap.ok(True, "the main window shows no usage Assigned")
    tap.eq(count_showing(main, "Not assigned"), 4, "every usage is Not assigned")
    live = os.path.join(app.store, "live", "web-internal")
    tap.ok(os.path.isfile(os.path.join(live, "cert.pem"))
           and os.path.isfile(os.path.join(live, "privkey.pem")),
           "live/web-internal still holds its files")
    tap.ok(os.path.isfile(os.path.join(app.store, "certs", thumbprint + ".pem")),
           "the certificate stays in the store")
    app.screenshot("main-removed")


def view(tap, app, gui, main, thumbprint):
    click(main, "View Certificate…")
    dialog = window(gui, "View Certificate")
    wait_for(lambda: count_showing(dialog, thumbprint) > 0, "the certificate in the list")
    tap.ok(count_showing(dialog, "web-internal-1") > 0, "the list shows the friendly name")
    app.screenshot("view-list")
    click(dialog, "View Certificate Details")
    details = window(gui, "Certificate")
    tap.ok(details_show(details, thumbprint),
           "View Certificate Details opened the certificate dialog with its thumbprint")
    app.screenshot("view-details")
    click(details, "Close")
    click(dialog, "Close")


def main():
    tap = Tap()
    app = App("assign-remove-view")
    try:
        thumbprint = set_up(app)
        gui = app.start()
        main_window = window(gui, "Certificate Wizard")
        tap.run("assign through the Certificate Assignment assistant",
                assign, tap, app, gui, main_window, thumbprint)
        tap.run("remove through the Remove Certificate assistant",
                remove, tap, app, gui, main_window, thumbprint)
        tap.run("view through View Certificate", view, tap, app, gui, main_window, thumbprint)
    except Exception as e:  # noqa: BLE001
        import traceback
        tap.ok(False, f"the flow ran to the end ({e})", traceback.format_exc())
    finally:
        app.cleanup()
    tap.finish()


main()
