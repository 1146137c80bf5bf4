#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Renewal in the GUI (issue 5). A lab-CA certificate serves Server default and Web
services internal; the renewal clock (CERTWIZ_TEST_NOW) is 385 days ahead, so that it has
12 days left (the lab CA itself issues on today's clock):
- `certwiz --check-renewals` sends one desktop notification (a real notification-daemon
  on the session bus, the Notify call read with dbus-monitor) and exits without a window;
  a second check sends none; in German the notification is German;
- the main window shows "Due for renewal" and the banner; the banner's Renew… opens the
  assistant on its summary; Next renews: the status page names the new certificate, the
  usages point to it (certwiz-cli usage show --json), the old one is "Renewed";
- with the lab CA holding requests the renewal is "Renewal pending", and once the CA
  denied it "Renewal failed", the banner says so and the certificate still serves;
- the main window in German.
Screenshots go to <build>/tests/screenshots/renew/."""

import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from certwiz_gui import GUI, App, Tap, click, find, wait_for, window
from request_flow import PROFILE, label_text, showing_text

USAGES = ("default", "web-internal")
DAYS_LEFT = 12     # within the 14 days that the desktop is told about


def test_now(app, thumbprint):
    """The renewal clock for CERTWIZ_TEST_NOW: DAYS_LEFT days and an hour before the
    certificate expires (a lab certificate lives 397 days: this is 385 days ahead)."""
    certs = json.loads(app.cli("list", "--json").stdout)["certificates"]
    not_after = next(c["not_after"] for c in certs if c["thumbprint"] == thumbprint)
    expiry = datetime.datetime.strptime(not_after, "%Y-%m-%dT%H:%M:%SZ")
    now = expiry - datetime.timedelta(days=DAYS_LEFT, hours=1)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def set_up(app, name):
    """A trusted lab certificate assigned to Server default and Web services internal."""
    app.cli(*PROFILE)
    root = os.path.join(app.store, "lab-root.pem")
    with open(root, "w", encoding="utf-8") as f:
        f.write(app.cli("ca", "local", "root").stdout)
    app.cli("trust", "import", root)
    app.cli("request", "--usage", ",".join(USAGES), "--friendly-name", name, "--org", "Example")
    certs = os.listdir(os.path.join(app.store, "certs"))
    if len(certs) != 1:
        raise RuntimeError(f"expected one certificate in the store, found {certs}")
    thumbprint = certs[0].split(".")[0].upper()
    app.cli("assign", thumbprint, "--usage", ",".join(USAGES))
    return thumbprint


def assigned(app):
    """usage id -> assigned thumbprint, from certwiz-cli usage show --json"""
    data = json.loads(app.cli("usage", "show", "--json").stdout)
    return {u["id"]: u["assigned"] for u in data["usages"]}


def count_showing(node, text):
    return len(node.findChildren(lambda n: n.showing and (n.name or "") == text))


def has_text(node, fragment):
    return bool(node.findChildren(
        lambda n: n.showing and fragment in (label_text(n) or n.name or "")))


class Notifications:
    """notification-daemon on this test's session bus, and dbus-monitor reading the
    Notify calls sent to it."""

    def __init__(self):
        daemon = "/usr/lib/notification-daemon/notification-daemon"
        if not os.path.exists(daemon):
            raise RuntimeError("notification-daemon is missing (build-aux/deps test)")
        self.log = tempfile.NamedTemporaryFile(prefix="certwiz-notify-", suffix=".txt",
                                               delete=False).name
        self.daemon = None
        self.start_daemon()
        self.monitor = subprocess.Popen(
            ["dbus-monitor", "--session",
             "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
            stdout=open(self.log, "w", encoding="utf-8"), stderr=subprocess.DEVNULL)

    def start_daemon(self):
        """(Re)starts the server: a fresh screen without the bubbles of earlier checks."""
        if self.daemon is not None:
            self.daemon.terminate()
            self.daemon.wait(timeout=10)
        self.daemon = subprocess.Popen(
            ["/usr/lib/notification-daemon/notification-daemon", "--replace"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.Notifications",
             "/org/freedesktop/Notifications",
             "org.freedesktop.Notifications.GetServerInformation"],
            capture_output=True, timeout=10).returncode == 0,
            "notification-daemon on the session bus", timeout=20)

    def calls(self):
        """Every Notify call so far: (app name, summary, body, actions) each."""
        with open(self.log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        found = []
        for block in text.split("method call")[1:]:
            if "member=Notify" not in block:
                continue
            strings = re.findall(r'^\s*string "(.*)"$', block, re.M)
            # app_name, app_icon, summary, body, then the actions (pairs of strings)
            if len(strings) >= 4:
                found.append((strings[0], strings[2], strings[3], strings[4:]))
        return found

    def stop(self):
        for proc in (self.monitor, self.daemon):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


def check_renewals(app, state_dir, extra_env=None):
    env = dict(app.env, XDG_STATE_HOME=state_dir, CERTWIZ_NOTIFY_LINGER="0")
    env.update(extra_env or {})
    start = time.monotonic()
    res = subprocess.run([GUI, "--check-renewals"], env=env, capture_output=True, text=True,
                         timeout=60)
    return res, time.monotonic() - start


def notifications(tap, app, notify, thumbprint):
    state = tempfile.mkdtemp(prefix="certwiz-gui-state-")
    before = len(notify.calls())
    res, took = check_renewals(app, state)
    tap.eq(res.returncode, 0, "certwiz --check-renewals exits 0")
    tap.ok(f"{thumbprint}: Due for renewal" in res.stdout,
           "it prints the certificate that is due", res.stdout + res.stderr)
    wait_for(lambda: len(notify.calls()) > before, "the Notify call", timeout=10)
    calls = notify.calls()[before:]
    tap.eq(len(calls), 1, "one notification was sent")
    if calls:
        _, summary, body, actions = calls[0]
        tap.eq(summary, "Certificate due for renewal", "its summary, in English")
        tap.ok(thumbprint in body and "expires in 12 days" in body
               and "Server default, Web services internal" in body,
               "its body names the certificate, the days left and the usages", body)
        tap.ok("default" in actions, "it has a default action (opens the window)", actions)
    # A window would keep it running (and subprocess.run would time out)
    tap.ok(took < 20, "the check opened no window: it was over at once", took)
    time.sleep(1)

    before = len(notify.calls())
    res, _ = check_renewals(app, state)
    time.sleep(1.5)
    tap.eq(len(notify.calls()) - before, 0,
           "a second check sends nothing: one notification per state change")

    before = len(notify.calls())
    state_de = tempfile.mkdtemp(prefix="certwiz-gui-state-")
    res, _ = check_renewals(app, state_de, {"LANGUAGE": "de", "LANG": "de_DE.UTF-8",
                                            "LC_ALL": "de_DE.UTF-8"})
    wait_for(lambda: len(notify.calls()) > before, "the German Notify call", timeout=10)
    calls = notify.calls()[before:]
    if tap.eq(len(calls), 1, "German: one notification"):
        _, summary, body, _ = calls[0]
        tap.eq(summary, "Zertifikat zur Erneuerung fällig", "German summary")
        tap.ok("läuft in 12 Tagen ab" in body and "Serverstandard, Webdienste intern" in body,
               "German body", body)
    shutil.rmtree(state, ignore_errors=True)
    shutil.rmtree(state_de, ignore_errors=True)


def click_notification(tap, app, notify):
    """A click on the notification of --check-renewals opens the window on the
    certificate: its two usages selected, the third row (selected by default) not."""
    from dogtail import tree
    state = tempfile.mkdtemp(prefix="certwiz-gui-state-")
    env = dict(app.env, XDG_STATE_HOME=state, CERTWIZ_NOTIFY_LINGER="60")
    notify.start_daemon()
    before = len(notify.calls())
    proc = subprocess.Popen([GUI, "--check-renewals"], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(notify.calls()) > before, "the Notify call", timeout=20)
        time.sleep(1.5)
        app.screenshot("notification")
        # notification-daemon shows its bubble in the top right corner of the screen
        subprocess.run(["xdotool", "mousemove", "1100", "90", "click", "1"], check=True,
                       timeout=10)
        # The checking process itself opens the window (it is on the AT-SPI bus already)
        gui = tree.root.application("certwiz")
        main = window(gui, "Certificate Wizard")
        tap.ok(True, "the click on the notification opened Certificate Wizard")

        def row_selected(name):
            cells = main.findChildren(lambda n: n.roleName == "table cell" and n.name == name)
            return bool(cells) and cells[0].selected

        wait_for(lambda: row_selected("Server default") and
                 not row_selected("Web services external"), "the certificate's rows")
        tap.ok(row_selected("Web services internal"),
               "the window selects the usages of the notified certificate")
        app.screenshot("notification-clicked")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(state, ignore_errors=True)


def main_window_due(tap, app, main, thumbprint):
    text = "Due for renewal (12 days left)"
    wait_for(lambda: count_showing(main, text) == 2, "both usages Due for renewal")
    tap.ok(True, "the Renewal column shows Due for renewal (12 days left) for both usages")
    tap.ok(has_text(main, "is due for renewal: it expires in 12 days and serves: Server "
                          "default, Web services internal."),
           "the banner says which certificate is due and what it serves")
    app.screenshot("main-due")


def renew_from_banner(tap, app, gui, main, old):
    buttons = main.findChildren(lambda n: n.name == "Renew…" and n.roleName == "push button"
                                and n.showing)
    tap.eq(len(buttons), 2, "Renew… in the banner and beside the list")
    # The banner's button comes first in the window
    buttons[0].doActionNamed("click")
    assistant = window(gui, "Certificate Renewal")
    wait_for(lambda: showing_text(assistant, "Certificate Request Summary"), "the summary")
    tap.ok(True, "Renew… opens the assistant on its summary")
    tap.ok(has_text(assistant, "renew-1"), "the summary shows the saved friendly name")
    app.screenshot("renew-summary")
    # Back retraces the pages the assistant went through
    click(assistant, "Back")
    tap.ok(wait_for(lambda: showing_text(assistant,
                                         "Configure Additional Subject Alternative Names"),
                    "the page before the summary"),
           "Back goes to the page before the summary")
    click(assistant, "Next")
    wait_for(lambda: showing_text(assistant, "Certificate Request Summary"), "the summary")
    click(assistant, "Next")
    wait_for(lambda: has_text(assistant, "The certificate was renewed."),
             "the renewal to finish", timeout=90)
    tap.ok(True, "the status page says the certificate was renewed")
    new = {v for v in assigned(app).values() if v}
    tap.ok(len(new) == 1 and old not in new, "both usages now name one new certificate", new)
    new = new.pop() if len(new) == 1 else ""
    tap.ok(has_text(assistant, f"Renewed: the new certificate is {new} and serves Server "
                               "default, Web services internal."),
           "it names the new certificate and the usages it serves")
    tap.eq(count_showing(assistant, "Now uses the new certificate"), 2,
           "each usage now uses the new certificate")
    tap.ok(has_text(assistant, new), "the page shows the new thumbprint")
    app.screenshot("renew-status")
    click(assistant, "Finish")
    wait_for(lambda: not any(c.name == "Certificate Renewal" and c.showing
                             for c in gui.children), "the assistant to close")
    wait_for(lambda: count_showing(main, new) == 2, "the new thumbprint in both rows")
    tap.ok(count_showing(main, old) == 0, "the old thumbprint is gone from the usages")
    for usage in USAGES:
        live = os.path.join(app.store, "live", usage, "cert.pem")
        out = subprocess.run(["openssl", "x509", "-in", live, "-noout", "-fingerprint",
                              "-sha1"], capture_output=True, text=True).stdout
        tap.eq(out.strip().split("=", 1)[-1].replace(":", ""), new,
               f"live/{usage} deploys the new certificate")
    app.screenshot("main-renewed")
    return new


def view_list(tap, app, gui, main, old, new):
    click(main, "View Certificate…")
    dialog = window(gui, "View Certificate")
    wait_for(lambda: count_showing(dialog, old) > 0, "the certificates in the list")
    rows = {}
    cells = dialog.findChildren(lambda n: n.roleName == "table cell" and n.showing)
    names = [c.name for c in cells]
    for tp in (old, new):
        if tp in names:
            i = names.index(tp)
            rows[tp] = names[i:i + 3]
    tap.ok("Renewed" in rows.get(old, []), "View Certificate: the old one is Renewed", rows)
    tap.ok("Valid" in rows.get(new, []), "View Certificate: the new one is Valid", rows)
    app.screenshot("view-renewed")
    click(dialog, "Close")


def renew_selected(app, gui, main):
    """Renew… beside the list, for the selected usages' certificate; returns the assistant."""
    click(main, "Renew…")
    assistant = window(gui, "Certificate Renewal")
    wait_for(lambda: showing_text(assistant, "Certificate Request Summary"), "the summary")
    click(assistant, "Next")
    return assistant


def close_assistant(gui, assistant):
    click(assistant, "Finish")
    wait_for(lambda: not any(c.name == "Certificate Renewal" and c.showing
                             for c in gui.children), "the assistant to close")


def failing(tap, app, gui, main, current):
    app.cli("ca", "local", "hold", "on")
    assistant = renew_selected(app, gui, main)
    wait_for(lambda: has_text(assistant, "The old certificate keeps serving its usages."),
             "the held renewal", timeout=90)
    tap.ok(has_text(assistant, "holds the renewal request"),
           "held by the CA: the status page says the CA holds the renewal request")
    tap.eq(count_showing(assistant, "Still uses the old certificate"), 2,
           "both usages still use the old certificate")
    app.screenshot("renew-held")
    close_assistant(gui, assistant)
    wait_for(lambda: count_showing(main, "Renewal pending (397 days left)") == 2
             or count_showing(main, "Renewal pending (396 days left)") == 2,
             "Renewal pending in both rows")
    tap.ok(True, "the main window shows Renewal pending")
    tap.eq(set(assigned(app)[u] for u in USAGES), {current},
           "the usages still name the certificate being renewed")
    app.screenshot("main-pending")

    held = json.loads(app.cli("ca", "local", "held", "--json").stdout)
    ids = [h for h in held if isinstance(h, str)]
    tap.eq(len(ids), 1, "the lab CA holds one request")
    app.cli("ca", "local", "deny", ids[0])
    app.cli("ca", "local", "hold", "off")

    assistant = renew_selected(app, gui, main)
    wait_for(lambda: has_text(assistant, "The renewal failed."), "the denied renewal",
             timeout=90)
    tap.ok(has_text(assistant, "denied the renewal"),
           "the status page says the CA denied the renewal")
    tap.ok(has_text(assistant, "The certificate keeps serving its usages"),
           "and that the old certificate keeps serving")
    tap.eq(count_showing(assistant, "Still uses the old certificate"), 2,
           "both usages still use the old certificate")
    app.screenshot("renew-failed")
    close_assistant(gui, assistant)
    wait_for(lambda: len(main.findChildren(
        lambda n: n.showing and (n.name or "").startswith("Renewal failed ("))) == 2,
        "Renewal failed in both rows")
    tap.ok(True, "the main window shows Renewal failed")
    tap.ok(has_text(main, "Renewing the certificate “renew-1”")
           and has_text(main, "denied the renewal"),
           "the banner says the renewal failed and why")
    tap.eq(set(assigned(app)[u] for u in USAGES), {current},
           "the usages still name the certificate that failed to renew")
    app.screenshot("main-failed")


def german(tap):
    app = App("renew-de", language="de")
    try:
        thumbprint = set_up(app, "erneuern-1")
        app.env["CERTWIZ_TEST_NOW"] = test_now(app, thumbprint)
        app.env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="certwiz-gui-state-")
        gui = app.start()
        main = window(gui, "Zertifikat-Assistent")
        text = "Erneuerung fällig (noch 12 Tage)"
        wait_for(lambda: count_showing(main, text) == 2, "German: both usages due")
        tap.ok(True, "German: the Renewal column says " + text)
        tap.ok(has_text(main, "ist zur Erneuerung fällig: Es läuft in 12 Tagen ab"),
               "German: the banner")
        tap.ok(bool(main.findChildren(lambda n: n.name == "Erneuern …" and n.showing)),
               "German: the Erneuern … buttons")
        tap.ok(thumbprint != "", "German: set up")
        app.screenshot("main-due-de")
    finally:
        app.cleanup()


def units(tap):
    """The user service and timer (data/), validated by systemd-analyze verify; its
    warnings (an unknown key, a bad time) count as failures too."""
    build = os.environ["CERTWIZ_BUILD_ROOT"]
    source = os.environ["CERTWIZ_SOURCE_ROOT"]
    work = tempfile.mkdtemp(prefix="certwiz-units-")
    try:
        with open(os.path.join(build, "data", "certwiz-renewal-notify.service"),
                  encoding="utf-8") as f:
            service = f.read()
        tap.ok("--check-renewals" in service, "the service runs certwiz --check-renewals")
        # Verified against the built certwiz: the installed one may not be there yet
        service = re.sub(r"^ExecStart=\S+", f"ExecStart={GUI}", service, flags=re.M)
        with open(os.path.join(work, "certwiz-renewal-notify.service"), "w",
                  encoding="utf-8") as f:
            f.write(service)
        shutil.copy(os.path.join(source, "data", "certwiz-renewal-notify.timer"), work)
        res = subprocess.run(["systemd-analyze", "verify", "--user",
                              os.path.join(work, "certwiz-renewal-notify.service"),
                              os.path.join(work, "certwiz-renewal-notify.timer")],
                             capture_output=True, text=True, timeout=60)
        tap.ok(res.returncode == 0 and not res.stdout.strip() and not res.stderr.strip(),
               "systemd-analyze verify accepts the user service and timer",
               res.stdout + res.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    tap = Tap()
    tap.run("user units", units, tap)
    notify = None
    app = App("renew")
    try:
        old = set_up(app, "renew-1")
        app.env["CERTWIZ_TEST_NOW"] = test_now(app, old)
        app.env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="certwiz-gui-state-")
        tap.ok(True, "a lab certificate serves Server default and Web services internal")

        notify = Notifications()
        tap.run("desktop notifications", notifications, tap, app, notify, old)
        tap.run("a click on the notification", click_notification, tap, app, notify)

        gui = app.start()
        main = window(gui, "Certificate Wizard")
        tap.run("the main window shows the due certificate", main_window_due, tap, app, main,
                old)
        new = renew_from_banner(tap, app, gui, main, old)
        app.stop()

        # The renewal clock back to now: the new certificate is simply valid
        del app.env["CERTWIZ_TEST_NOW"]
        gui = app.start()
        main = window(gui, "Certificate Wizard")
        wait_for(lambda: count_showing(main, new) == 2, "the new certificate")
        tap.eq(count_showing(main, "Valid"), 2, "with today's clock both usages are Valid")
        tap.ok(not has_text(main, "is due for renewal"), "no banner")
        view_list(tap, app, gui, main, old, new)
        failing(tap, app, gui, main, new)
        app.stop()
    except Exception as exc:  # noqa: BLE001 - one failed check with the reason
        import traceback
        tap.ok(False, "renewal in the GUI", traceback.format_exc())
        del exc
    finally:
        app.cleanup()
        if notify is not None:
            notify.stop()

    tap.run("German main window", german, tap)
    tap.finish()


if __name__ == "__main__":
    main()
