# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole request path through the GUI, in one language: main window → Request →
every page → Online Certificate Request Status → trust the lab root → details dialog
→ Finish → the main window shows the usages Assigned and live/ holds them.
Screenshots of every page go to <build>/tests/screenshots/<name>/."""

import glob
import os
import time

from certwiz_gui import (App, Tap, button, click, find, openssl, openssl_sha1,
                         wait_for, window)

USAGES = ("default", "web-internal", "web-external")

PROFILE = ("server", "set", "--fqdn", "fe01.corp.example.test",
           "--pool-fqdn", "pool.corp.example.test",
           "--web-internal-fqdn", "webint.corp.example.test",
           "--web-external-fqdn", "webext.corp.example.test",
           "--sip-domains", "example.test",
           "--simple-urls", "meet.example.test,dialin.example.test")

# Strings the test looks for, per language: the exact UI text, so that a missing or
# wrong translation fails the German run.
STRINGS = {
    "en": {
        "main": "Certificate Wizard",
        "assistant": "Certificate Request",
        "request": "Request",
        "next": "Next",
        "finish": "Finish",
        "assigned": "Assigned",
        "status_title": "Online Certificate Request Status",
        "assign_check": "Assign this certificate to the server's certificate usages",
        "trust_lab": "Trust the built-in CA",
        "details": "View Certificate Details",
        "details_title": "Certificate",
        "tabs": ("General", "Details", "Certification Path"),
        "thumbprint": "Thumbprint",
        "friendly": "Friendly name",
        "organization": "Organization",
        "fqdn": "FQDN",
        "add": "Add",
        "close": "Close",
        "titles": ("Certificate Request", "Delayed or Immediate Requests",
                   "Choose a Certification Authority (CA)",
                   "Certification Authority Account",
                   "Specify Alternate Certificate Template",
                   "Name and Security Settings", "Organization Information",
                   "Geographical Information",
                   "Subject Name / Subject Alternative Names",
                   "SIP Domain setting on Subject Alternative Names (SANs)",
                   "Configure Additional Subject Alternative Names",
                   "Certificate Request Summary"),
    },
    "de": {
        "main": "Zertifikat-Assistent",
        "assistant": "Zertifikatanforderung",
        "request": "Anfordern",
        "next": "Weiter",
        "finish": "Fertig stellen",
        "assigned": "Zugewiesen",
        "status_title": "Status der Onlinezertifikatsanforderung",
        "assign_check": "Dieses Zertifikat den Zertifikatverwendungen des Servers zuweisen",
        "trust_lab": "Der integrierten Zertifizierungsstelle vertrauen",
        "details": "Zertifikatdetails anzeigen",
        "details_title": "Zertifikat",
        "tabs": ("Allgemein", "Details", "Zertifizierungspfad"),
        "thumbprint": "Fingerabdruck",
        "friendly": "Anzeigename",
        "organization": "Organisation",
        "fqdn": "FQDN",
        "add": "Hinzufügen",
        "close": "Schließen",
        "titles": ("Zertifikatanforderung", "Verzögerte oder sofortige Anforderungen",
                   "Zertifizierungsstelle auswählen",
                   "Zertifizierungsstellenkonto",
                   "Alternative Zertifikatvorlage angeben",
                   "Namens- und Sicherheitseinstellungen", "Organisationsinformationen",
                   "Geografische Informationen",
                   "Antragstellername / alternative Antragstellernamen",
                   "SIP-Domäneneinstellung für alternative Antragstellernamen (SANs)",
                   "Weitere alternative Antragstellernamen konfigurieren",
                   "Zusammenfassung der Zertifikatanforderung"),
    },
}


def label_text(node):
    try:
        return node.text or node.name
    except Exception:  # noqa: BLE001 - not every node has a text interface
        return node.name


def showing_text(node, text):
    """TRUE when a showing label (or any node) carries exactly @text."""
    return bool(node.findChildren(
        lambda n: n.showing and (n.name == text or
                                 (n.roleName == "label" and label_text(n) == text))))


def run(lang):
    s = STRINGS[lang]
    tap = Tap()
    app = App(f"request-{lang}", language=lang)
    try:
        app.cli(*PROFILE)
        gui = app.start()
        main = window(gui, s["main"])
        tap.ok(True, f"main window “{s['main']}” is shown")
        app.screenshot("main-window")

        click(main, s["request"])
        assistant = window(gui, s["assistant"])
        tap.ok(True, "the request assistant opened")

        for i, title in enumerate(s["titles"]):
            ok = tap.ok(wait_for(lambda t=title: showing_text(assistant, t),
                                 f"page title {title!r}", timeout=15),
                        f"page {i + 1}: “{title}”")
            app.screenshot(f"page-{i + 1:02d}")
            if not ok:
                break
            if i == 5:   # Name and Security Settings
                entry = find(assistant, name=s["friendly"], role="text")
                entry.grabFocus()
                entry.typeText("GUI test certificate")
            if i == 6:   # Organization Information
                entry = find(assistant, name=s["organization"], role="text")
                entry.grabFocus()
                entry.typeText("Contoso Lab")
            if i == 10:  # Additional names
                entry = find(assistant, name=s["fqdn"], role="text")
                entry.grabFocus()
                entry.typeText("extra.corp.example.test")
                click(assistant, s["add"])
                tap.ok(showing_text(assistant, "extra.corp.example.test"),
                       "the extra name was added")
                app.screenshot("page-11-added")
            click(assistant, s["next"])

        # Executing Commands runs and moves on to the status page by itself
        tap.ok(wait_for(lambda: showing_text(assistant, s["status_title"]),
                        "the status page", timeout=90),
               f"status page “{s['status_title']}” is shown")
        app.screenshot("status-untrusted")
        app.screenshot_window(s["assistant"], "status-page-untrusted")

        certs = glob.glob(os.path.join(app.store, "certs", "*.pem"))
        tap.eq(len(certs), 1, "the store holds exactly one certificate")
        want = openssl_sha1(certs[0])
        thumb = find(assistant, name=s["thumbprint"], role="label")
        tap.eq(label_text(thumb).replace(" ", ""), want,
               "the thumbprint shown equals openssl x509 -fingerprint -sha1")
        tap.eq(os.path.basename(certs[0])[:-4], want, "the certificate file is named by it")

        check = find(assistant, name=s["assign_check"], role="check box")
        tap.ok(not check.checked and not check.sensitive,
               "untrusted root: the assignment checkbox is off and insensitive")
        tap.ok(bool(assistant.findChildren(
            lambda n: n.showing and "Certwiz Lab Root CA" in (label_text(n) or ""))),
            "the trust summary names the lab root")

        click(assistant, s["trust_lab"])
        tap.ok(wait_for(lambda: check.sensitive and check.checked, "assignable", timeout=20),
               "after trusting the lab CA the checkbox is on and sensitive")
        app.screenshot("status-trusted")
        app.screenshot_window(s["assistant"], "status-page")
        roots = glob.glob(os.path.join(app.store, "trust", "roots", "*.pem"))
        tap.eq(len(roots), 1, "the lab root is in Certwiz's own trust/roots")

        click(assistant, s["details"])
        dialog = window(gui, s["details_title"], timeout=20)
        for tab in s["tabs"]:
            page_tab = find(dialog, name=tab, role="page tab")
            page_tab.select()
            tap.ok(wait_for(lambda t=page_tab: t.isSelected, f"tab {tab!r}", timeout=10),
                   f"details dialog: tab “{tab}” selected")
            time.sleep(0.4)
            app.screenshot(f"details-{tab}")
        find(dialog, name=s["tabs"][1], role="page tab").select()
        time.sleep(0.4)
        tap.ok(showing_text(dialog, want) or bool(dialog.findChildren(
            lambda n: want in (label_text(n) or "").replace(" ", ""))),
            "the details dialog shows the thumbprint")
        click(dialog, s["close"])

        click(assistant, s["finish"])
        tap.ok(wait_for(lambda: not any(c.name == s["assistant"] and c.showing
                                        for c in gui.children),
                        "the assistant to close", timeout=60),
               "Finish assigned and closed the assistant")
        main = window(gui, s["main"])
        tap.ok(wait_for(lambda: len(main.findChildren(
            lambda n: n.name == s["assigned"] and n.showing)) == 3,
            "three usages Assigned", timeout=20),
            f"the main window shows three usages “{s['assigned']}”")
        app.screenshot("main-window-assigned")
        app.screenshot_window(s["main"], "main-window")

        for usage in USAGES:
            live = os.path.join(app.store, "live", usage)
            tap.ok(os.path.islink(live) and os.path.isfile(os.path.join(live, "cert.pem")),
                   f"live/{usage} holds a deployed set")
            if os.path.isdir(live):
                tap.eq(openssl_sha1(os.path.join(live, "cert.pem")), want,
                       f"live/{usage}/cert.pem is the new certificate")
                mode = os.stat(os.path.join(live, "privkey.pem")).st_mode & 0o777
                tap.eq(oct(mode), oct(0o600), f"live/{usage}/privkey.pem is 0600")
                pub_cert = openssl("x509", "-in", os.path.join(live, "cert.pem"),
                                   "-noout", "-pubkey")
                pub_key = openssl("pkey", "-in", os.path.join(live, "privkey.pem"), "-pubout")
                tap.eq(pub_cert, pub_key, f"live/{usage}: the key matches the certificate")
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
