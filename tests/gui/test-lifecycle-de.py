#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certificate lifecycle in German (LANGUAGE=de, de_DE.UTF-8): an offline request
(Zertifikatanforderungsdatei and its done page; the sidebar lists no CA, account or status
page) → Zertifikat importieren for the root and the DER .p7b response → Zuweisen … on the
import's last page → Zertifikatzuweisung (the main window shows the usages Zugewiesen
without Aktualisieren) → a request held by the lab CA → Ausstehende Anforderung
verarbeiten (every column of the list fits the page) → Zertifikat exportieren (replacing
an existing file only after asking) → Zertifikatverwendungen → Zertifikat anzeigen →
Zertifikat entfernen. Every German title, label and button is asserted exactly; each
result is checked in the store with certwiz-cli. Screenshots of every page go to
<build>/tests/screenshots/lifecycle-de/."""

import importlib.machinery
import json
import os
import re
import subprocess
import tempfile
import time

from certwiz_gui import (App, Tap, click, find, openssl_sha1, wait_for, window)
from request_flow import PROFILE, STRINGS, label_text, showing_text

S = STRINGS["de"]
MAIN = S["main"]

# The openssl CA of the English offline test: a root and an intermediate
_here = os.path.dirname(os.path.abspath(__file__))
offline_import = importlib.machinery.SourceFileLoader(
    "offline_import", os.path.join(_here, "test-offline-import.py")).load_module()

OFFLINE = "Anforderung jetzt vorbereiten, aber später senden (Offlinezertifikatanforderung)"
REQUEST_FILE = "Zertifikatanforderungsdatei"
OFFLINE_TITLES = ("Zertifikatanforderung", "Verzögerte oder sofortige Anforderungen",
                  REQUEST_FILE, "Alternative Zertifikatvorlage angeben",
                  "Namens- und Sicherheitseinstellungen", "Organisationsinformationen",
                  "Geografische Informationen",
                  "Antragstellername / alternative Antragstellernamen",
                  "SIP-Domäneneinstellung für alternative Antragstellernamen (SANs)",
                  "Weitere alternative Antragstellernamen konfigurieren",
                  "Zusammenfassung der Zertifikatanforderung")
ONLINE_ONLY = ("Zertifizierungsstelle auswählen", "Zertifizierungsstellenkonto",
               S["status_title"])
SAVED = "Die Zertifikatanforderung wurde in dieser Datei gespeichert:"

IMPORT = "Zertifikat importieren"
IMPORT_FILE = "Zertifikatdatei auswählen"
TRUST_ROOTS = ("Als Stammzertifizierungsstellen vertrauen (selbstsignierte; die anderen "
               "als Zwischenzertifizierungsstellen)")
IMPORT_SUMMARY = "Zertifikat importieren – Zusammenfassung"
IMPORTED_CAS = "Die Zertifikate der Zertifizierungsstelle wurden importiert."
IMPORTED_COMPLETES = ("Das Zertifikat wurde importiert und schließt die wartende "
                      "Zertifikatanforderung ab.")

ASSIGNMENT = "Zertifikatzuweisung"
ASSIGN_SUMMARY = "Zusammenfassung der Zertifikatzuweisung"
ASSIGNED_TO = "Das Zertifikat {} wurde diesen Zertifikatverwendungen zugewiesen:"
USAGE_LABELS = ("Serverstandard", "Webdienste intern", "Webdienste extern",
                "OAuthTokenIssuer")

HELD = ("Die Zertifizierungsstelle hält die Anforderung zur Genehmigung zurück. Sobald sie "
        "genehmigt ist, rufen Sie das Zertifikat mit „Ausstehende Anforderung verarbeiten“ "
        "auf der Hauptseite ab.")
PENDING = "Ausstehende Anforderung verarbeiten"
PENDING_COLUMNS = ("Anzeigename", "Antragstellername", "Zertifizierungsstelle",
                   "Anforderungs-ID", "Zustand", "Erstellt")

EXPORT = "Zertifikat exportieren"
REPLACE_TITLE = "Datei ersetzen"
USAGES = "Zertifikatverwendungen"
VIEW = "Zertifikat anzeigen"
REMOVE = "Zertifikat entfernen"
REMOVED_FROM = "Das Zertifikat {} wurde von diesen Zertifikatverwendungen entfernt:"


def gone(gui, title):
    return not any(c.name == title and c.showing for c in gui.children)


def wait_closed(gui, title, timeout=30):
    wait_for(lambda: gone(gui, title), f"the window {title!r} to close", timeout=timeout)


def listed(assistant, title):
    """TRUE when the assistant has a visible page titled @title: GtkAssistant lists the
    visible pages in its sidebar (the sidebar itself is not on the accessibility bus)."""
    return any(c.name == title and c.visible for c in assistant.children)


def count_showing(node, name):
    return len(node.findChildren(lambda n: n.name == name and n.showing))


def any_text(node, part):
    """TRUE when a showing node's name or text contains @part."""
    return bool(node.findChildren(
        lambda n: n.showing and part in (label_text(n) or "")))


def set_text(node, text):
    node.grabFocus()
    node.text = ""
    node.typeText(text)


def cli_json(app, *args):
    return json.loads(app.cli(*args, "--json").stdout)


def assigned(app):
    """usage id → assigned thumbprint, from `certwiz-cli usage show --json`."""
    data = cli_json(app, "usage", "show")
    return {u["id"]: (u["assigned"] or "").upper() or None for u in data["usages"]}


class Lifecycle:
    def __init__(self, tap, app, work):
        self.tap = tap
        self.app = app
        self.work = work
        self.gui = None
        self.main = None
        self.csr = os.path.join(work, "fe01.csr")
        self.ca = None
        self.imported = None
        self.pending_cert = None

    # ---- Offline request ----
    def offline_request(self):
        tap, app = self.tap, self.app
        click(self.main, S["request"])
        assistant = window(self.gui, S["assistant"])
        for i, title in enumerate(OFFLINE_TITLES):
            tap.ok(wait_for(lambda t=title: showing_text(assistant, t), f"page {title!r}",
                            timeout=15), f"offline request, page {i + 1}: „{title}“")
            if i == 1:
                # The online flow (the default) lists no request file page
                tap.ok(not listed(assistant, REQUEST_FILE),
                       "online: the sidebar does not list the request file pages")
                tap.ok(all(listed(assistant, t) for t in ONLINE_ONLY),
                       "online: the sidebar lists the CA, account and status pages")
                find(assistant, name=OFFLINE, role="radio button").doActionNamed("click")
                tap.ok(wait_for(lambda: listed(assistant, REQUEST_FILE),
                                "the request file page in the sidebar", timeout=10),
                       "offline: the sidebar lists the request file page")
                app.screenshot("offline-02-chosen")
            if i == 2:
                for skipped in ONLINE_ONLY:
                    tap.ok(not listed(assistant, skipped),
                           f"offline: the sidebar does not list „{skipped}“")
                entry = find(assistant, name="Dateiname", role="text")
                tap.ok(label_text(entry).endswith(".csr"),
                       "the request file defaults to a .csr file", label_text(entry))
                entry.text = self.csr
            if i == 4:
                entry = find(assistant, name=S["friendly"], role="text")
                entry.grabFocus()
                entry.typeText("Offline-Test")
            if i == 5:
                entry = find(assistant, name=S["organization"], role="text")
                entry.grabFocus()
                entry.typeText("Contoso Labor")
            if i == len(OFFLINE_TITLES) - 1:
                summary = find(assistant, name="Anforderungszusammenfassung", role="text")
                tap.ok(wait_for(lambda: "Offline-Test" in summary.text
                                and "Jetzt vorbereitet, später gesendet "
                                    "(Offlinezertifikatanforderung)" in summary.text,
                                "the summary", timeout=10),
                       "the German summary shows the offline request")
            app.screenshot(f"offline-{i + 1:02d}")
            click(assistant, S["next"])

        tap.ok(wait_for(lambda: showing_text(assistant, SAVED), "the request file done page",
                        timeout=90), f"done page: „{SAVED}“")
        tap.ok(showing_text(assistant, self.csr), "the done page names the file")
        tap.ok(showing_text(assistant, REQUEST_FILE), "the done page's title")
        app.screenshot("offline-done")
        click(assistant, "Anzeigen")
        viewer = window(self.gui, "fe01.csr")
        text = find(viewer, name="Zertifikatanforderung", role="text")
        tap.ok("BEGIN CERTIFICATE REQUEST" in text.text, "Anzeigen shows the PEM text")
        find(viewer, name="Kopieren", role="push button")
        app.screenshot("offline-view")
        click(viewer, "Schließen")
        click(assistant, S["finish"])
        wait_closed(self.gui, S["assistant"])

        out = app.cli("pending", "list")
        tap.ok("Offline-Test" in out.stdout, "certwiz-cli pending list shows the request",
               out.stdout + out.stderr)
        tap.ok(os.path.isfile(self.csr), "the CSR file was written")

    # ---- Import Certificate, then Zuweisen … ----
    def import_file(self, filename, trust_root, shot):
        tap, app = self.tap, self.app
        click(self.main, IMPORT)
        assistant = window(self.gui, IMPORT)
        tap.ok(wait_for(lambda: showing_text(assistant, IMPORT), "the file page"),
               f"{shot}: the file page „{IMPORT}“")
        entry = find(assistant, name=IMPORT_FILE, role="text")
        entry.text = filename
        if trust_root:
            find(assistant, name=TRUST_ROOTS, role="radio button").doActionNamed("click")
        time.sleep(0.4)
        app.screenshot(f"{shot}-file")
        click(assistant, S["next"])
        tap.ok(wait_for(lambda: showing_text(assistant, IMPORT_SUMMARY), "the summary",
                        timeout=15), f"{shot}: „{IMPORT_SUMMARY}“")
        tap.ok(any_text(assistant, os.path.basename(filename)), f"{shot}: the summary names "
               "the file")
        app.screenshot(f"{shot}-summary")
        click(assistant, S["next"])
        return assistant

    def import_and_assign(self):
        tap, app = self.tap, self.app
        path = offline_import.make_ca(self.work)
        self.ca = path
        leaf, p7b = offline_import.sign(path, self.csr)
        self.imported = openssl_sha1(leaf)

        assistant = self.import_file(path("root.pem"), True, "import-root")
        tap.ok(wait_for(lambda: showing_text(assistant, IMPORTED_CAS), "the done page",
                        timeout=60), f"root: „{IMPORTED_CAS}“")
        app.screenshot("import-root-done")
        click(assistant, S["finish"])
        wait_closed(self.gui, IMPORT)
        trusted = app.cli("trust", "list").stdout
        tap.ok("GUI Test Offline Root CA" in trusted, "certwiz-cli trust list shows the root",
               trusted)

        assistant = self.import_file(p7b, False, "import-response")
        tap.ok(wait_for(lambda: showing_text(assistant, IMPORTED_COMPLETES), "the done page",
                        timeout=60), f"response: „{IMPORTED_COMPLETES}“")
        tap.ok(any_text(assistant, self.imported), "the done page shows the thumbprint")
        app.screenshot("import-response-done")
        tap.ok(not os.listdir(os.path.join(app.store, "pending")),
               "the waiting request is completed")

        # Zuweisen … hands over to the Certificate Assignment assistant
        click(assistant, "Zuweisen …")
        assign = window(self.gui, ASSIGNMENT)
        wait_closed(self.gui, IMPORT)
        tap.ok(wait_for(lambda: showing_text(assign, ASSIGNMENT), "the intro page"),
               f"Zuweisen … opened „{ASSIGNMENT}“")
        for label in USAGE_LABELS[:3]:
            check = find(assign, name=label, role="check box")
            tap.ok(check.checked, f"„{label}“ is chosen")
        app.screenshot("assign-intro")
        click(assign, S["next"])
        tap.ok(wait_for(lambda: showing_text(assign, self.imported), "the list", timeout=20),
               "the Zertifikatspeicher page lists the imported certificate")
        tap.ok(showing_text(assign, "Kann zugewiesen werden"), "„Kann zugewiesen werden“")
        find(assign, name="Alle Zertifikate anzeigen", role="check box")
        find(assign, name="Zertifikatdetails anzeigen", role="push button")
        app.screenshot("assign-list")
        click(assign, S["next"])
        tap.ok(wait_for(lambda: showing_text(assign, ASSIGN_SUMMARY), "the summary"),
               f"„{ASSIGN_SUMMARY}“")
        tap.eq(label_text(find(assign, name=S["thumbprint"], role="label")), self.imported,
               "the summary shows the thumbprint")
        app.screenshot("assign-summary")
        click(assign, S["next"])
        done = ASSIGNED_TO.format(self.imported)
        tap.ok(wait_for(lambda: showing_text(assign, done), "the assignment", timeout=60),
               f"„{done}“")
        app.screenshot("assign-done")
        click(assign, S["finish"])
        wait_closed(self.gui, ASSIGNMENT)

        # The main window shows the assignment without Aktualisieren
        tap.ok(wait_for(lambda: count_showing(self.main, S["assigned"]) == 3,
                        "three usages Zugewiesen", timeout=10),
               "after Zuweisen … the main window shows three usages „Zugewiesen“ at once")
        app.screenshot("main-assigned-imported")
        for usage in ("default", "web-internal", "web-external"):
            tap.eq(openssl_sha1(os.path.join(app.store, "live", usage, "cert.pem")),
                   self.imported, f"live/{usage} holds the imported certificate")
        got = assigned(app)
        tap.ok(all(got[u] == self.imported for u in ("default", "web-internal", "web-external")),
               "certwiz-cli usage show --json: the three usages have the imported certificate",
               got)
        out = app.cli("list").stdout
        tap.ok("Offline-Test" in out and "Serverstandard" in out,
               "certwiz-cli list (German) shows the certificate with „Serverstandard“", out)

    # ---- A held request and Ausstehende Anforderung verarbeiten ----
    def pending(self):
        tap, app = self.tap, self.app
        app.cli("ca", "local", "hold", "on")
        click(self.main, S["request"])
        assistant = window(self.gui, S["assistant"])
        for i, title in enumerate(S["titles"]):
            wait_for(lambda t=title: showing_text(assistant, t), f"page {title!r}", timeout=15)
            if i == 1:
                tap.ok(not listed(assistant, REQUEST_FILE),
                       "online again: no request file page in the sidebar")
            if i == 5:
                entry = find(assistant, name=S["friendly"], role="text")
                entry.grabFocus()
                entry.typeText("Ausstehend-Test")
            if i == 6:
                entry = find(assistant, name=S["organization"], role="text")
                entry.grabFocus()
                entry.typeText("Contoso Labor")
            click(assistant, S["next"])
        tap.ok(wait_for(lambda: showing_text(assistant, HELD), "the held status", timeout=90),
               "the status page says the CA holds the request (German)")
        held = app.cli("ca", "local", "held").stdout.split()
        tap.eq(len(held), 1, "the lab CA holds one request")
        request_id = held[0] if held else "?"
        tap.ok(showing_text(assistant, request_id), "the status page shows the request ID")
        app.screenshot("pending-status-held")
        click(assistant, S["finish"])
        wait_closed(self.gui, S["assistant"])

        pending_btn = find(self.main, name=PENDING, role="push button")
        wait_for(lambda: pending_btn.sensitive, "Ausstehende Anforderung verarbeiten")
        click(self.main, PENDING)
        assistant = window(self.gui, PENDING)
        tap.ok(wait_for(lambda: showing_text(assistant, "Ausstehendes Zertifikat"),
                        "the list page"), "page „Ausstehendes Zertifikat“")
        cell = find(assistant, name=request_id, role="table cell")
        tap.ok(cell is not None, "the list shows the request ID")
        # The list's visible area: the scrolled window around the table, else the window
        area = cell.parent
        while area is not None and area.roleName not in ("scroll pane", "frame"):
            area = area.parent
        area = area or assistant
        tx, _ = area.position
        tw, _ = area.size
        created = assistant.findChildren(
            lambda n: n.roleName == "table cell" and
            re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", n.name or ""))
        tap.ok(len(created) == 1, "the Erstellt column shows a German date and time",
               [c.name for c in assistant.findChildren(lambda n: n.roleName == "table cell")])
        if created:
            cx, _ = created[0].position
            cw, _ = created[0].size
            tap.ok(tx <= cx and cx + cw <= tx + tw,
                   "the Erstellt column lies inside the list (no column is off-screen)",
                   f"{area.roleName} x {tx}..{tx + tw}, Erstellt x {cx}..{cx + cw}")
        for column in PENDING_COLUMNS:
            tap.ok(bool(assistant.findChildren(
                lambda n, c=column: n.name == c and n.roleName in ("table column header",
                                                                   "push button", "label"))),
                   f"column „{column}“")
        app.screenshot("pending-list")

        app.cli("ca", "local", "approve", request_id)
        click(assistant, S["next"])
        tap.ok(wait_for(lambda: showing_text(assistant, "Das Zertifikat wurde ausgestellt."),
                        "issued", timeout=60), "„Das Zertifikat wurde ausgestellt.“")
        app.screenshot("pending-issued")
        thumb = label_text(find(assistant, name=S["thumbprint"], role="label")).replace(" ", "")
        self.pending_cert = thumb
        check = find(assistant, name=S["assign_check"], role="check box")
        click(assistant, S["trust_lab"])
        tap.ok(wait_for(lambda: check.sensitive and check.checked, "assignable", timeout=20),
               "after trusting the lab CA the assignment checkbox is on")
        app.screenshot("pending-trusted")
        click(assistant, S["finish"])
        wait_closed(self.gui, PENDING, timeout=60)
        tap.ok(wait_for(lambda: not pending_btn.sensitive, "nothing pending", timeout=10),
               "„Ausstehende Anforderung verarbeiten“ is off again")
        tap.eq(openssl_sha1(os.path.join(app.store, "live", "default", "cert.pem")), thumb,
               "live/default holds the retrieved certificate")
        out = app.cli("pending", "list").stdout
        tap.ok("Keine Anforderung ist ausstehend." in out,
               "certwiz-cli pending list: „Keine Anforderung ist ausstehend.“", out)
        app.screenshot("main-assigned-pending")

    # ---- Zertifikat exportieren, with the question before replacing a file ----
    def export(self):
        tap, app = self.tap, self.app
        click(self.main, "Exportieren …")
        dialog = window(self.gui, EXPORT)
        pfx = find(dialog, name="PFX (PKCS #12) mit dem privaten Schlüssel und der Kette",
                   role="radio button")
        tap.ok(not pfx.sensitive, "a key not marked exportable: PFX cannot be chosen")
        tap.ok(showing_text(dialog, "PFX ist nicht verfügbar: Der private Schlüssel ist "
                                    "nicht als exportierbar markiert."),
               "the dialog says why, in German")
        pem = find(dialog, name="PEM-Zertifikat (.pem, .crt)", role="radio button")
        tap.ok(pem.checked, "PEM is chosen")
        path = os.path.join(self.work, "export.pem")
        with open(path, "w", encoding="utf-8") as f:
            f.write("old contents\n")
        set_text(find(dialog, name="Dateiname", role="text"), path)
        app.screenshot("export-dialog")
        click(dialog, "Exportieren")
        question = window(self.gui, REPLACE_TITLE, timeout=10)
        tap.ok(showing_text(question, "Eine Datei namens „export.pem“ ist bereits vorhanden. "
                                      "Möchten Sie sie ersetzen?"),
               "an existing file: the dialog asks before replacing it")
        app.screenshot("export-replace-question")
        click(question, "Abbrechen")
        wait_closed(self.gui, REPLACE_TITLE, timeout=10)
        with open(path, encoding="utf-8") as f:
            tap.eq(f.read(), "old contents\n", "Abbrechen: the file is left as it was")
        tap.ok(not gone(self.gui, EXPORT), "the Export dialog stays open")
        click(dialog, "Exportieren")
        question = window(self.gui, REPLACE_TITLE, timeout=10)
        click(question, "Ersetzen")
        wait_closed(self.gui, EXPORT)
        tap.eq(openssl_sha1(path), self.pending_cert, "Ersetzen: the file holds the certificate")
        with open(path, encoding="utf-8") as f:
            tap.ok("PRIVATE KEY" not in f.read(), "no private key in the PEM export")

    # ---- Zertifikatverwendungen ----
    def usages(self):
        tap, app = self.tap, self.app
        click(self.main, "Verwendungen …")
        dialog = window(self.gui, USAGES)
        target = os.path.join(self.work, "deploy-default")
        os.makedirs(target)
        set_text(find(dialog, name="Zielverzeichnis", role="text"), target)
        set_text(find(dialog, name="Neuladebefehl", role="text"), "/bin/true --neu-laden")
        for name in ("Besitzer", "Gruppe", "Modus", "Prüfendpunkt"):
            find(dialog, name=name, role="text")
        app.screenshot("usages-dialog")
        click(dialog, "Speichern")
        entry = None

        def saved():
            nonlocal entry
            data = cli_json(app, "usage", "show", "default")
            entry = next(u for u in data["usages"] if u["id"] == "default")
            return entry["target_dir"] == target
        wait_for(saved, "the target directory saved", timeout=10)
        tap.eq(entry["target_dir"], target, "certwiz-cli usage show: the target directory")
        tap.eq(entry["reload_command"], ["/bin/true", "--neu-laden"],
               "certwiz-cli usage show: the reload command")
        app.screenshot("usages-saved")
        click(dialog, "Schließen")
        wait_closed(self.gui, USAGES)

    # ---- Zertifikat anzeigen ----
    def view(self):
        tap, app = self.tap, self.app
        click(self.main, "Zertifikat anzeigen …")
        dialog = window(self.gui, VIEW)
        tap.ok(wait_for(lambda: count_showing(dialog, self.imported) > 0, "the list"),
               "the list shows the imported certificate")
        tap.ok(count_showing(dialog, "Ausstehend-Test") > 0, "and the retrieved one by name")
        tap.ok(showing_text(dialog, "Zertifikat aus dem lokalen Zertifikatspeicher auswählen"),
               "the German list label")
        app.screenshot("view-list")
        click(dialog, "Zertifikatdetails anzeigen")
        details = window(self.gui, S["details_title"])
        for tab in S["tabs"]:
            page_tab = find(details, name=tab, role="page tab")
            page_tab.select()
            time.sleep(0.4)
            app.screenshot(f"view-details-{tab}")
        find(details, name="Details", role="page tab").select()
        time.sleep(0.4)
        thumbs = (self.pending_cert, self.imported)
        tap.ok(wait_for(lambda: bool(details.findChildren(
            lambda n: n.showing and (label_text(n) or "").replace(" ", "") in thumbs)),
            "a thumbprint", timeout=10), "the details dialog shows a certificate of the list")
        click(details, "Schließen")
        click(dialog, "Schließen")
        wait_closed(self.gui, VIEW)

    # ---- Zertifikat entfernen ----
    def remove(self):
        tap, app = self.tap, self.app
        click(self.main, "Entfernen")
        assistant = window(self.gui, REMOVE)
        tap.ok(wait_for(lambda: showing_text(assistant, REMOVE), "the intro page"),
               f"page „{REMOVE}“")
        tap.ok(any_text(assistant, "Das Zertifikat selbst bleibt im Speicher") or
               any_text(assistant, "bleibt im Speicher"),
               "the intro says the certificate stays in the store")
        for label in USAGE_LABELS[:3]:
            tap.ok(find(assistant, name=label, role="check box").checked,
                   f"„{label}“ is chosen")
        app.screenshot("remove-intro")
        click(assistant, S["next"])
        done = REMOVED_FROM.format(self.pending_cert)
        tap.ok(wait_for(lambda: showing_text(assistant, done), "the removal", timeout=60),
               f"„{done}“")
        app.screenshot("remove-done")
        click(assistant, S["finish"])
        wait_closed(self.gui, REMOVE)
        tap.ok(wait_for(lambda: count_showing(self.main, "Nicht zugewiesen") == 4,
                        "every usage Nicht zugewiesen", timeout=10),
               "the main window shows every usage „Nicht zugewiesen“")
        data = cli_json(app, "usage", "show")
        tap.ok(all(not u["assigned"] for u in data["usages"]),
               "certwiz-cli usage show: no usage has a certificate", data)
        tap.ok(os.path.isfile(os.path.join(app.store, "certs", self.pending_cert + ".pem")),
               "the certificate stays in the store")
        app.screenshot("main-removed")


def main():
    tap = Tap()
    app = App("lifecycle-de", language="de")
    work = tempfile.mkdtemp(prefix="certwiz-gui-lifecycle-")
    try:
        app.cli(*PROFILE)
        gui = app.start()
        flow = Lifecycle(tap, app, work)
        flow.gui = gui
        flow.main = window(gui, MAIN)
        app.screenshot("main-window")
        steps = (("offline request (Zertifikatanforderungsdatei)", flow.offline_request),
                 ("Zertifikat importieren, then Zuweisen …", flow.import_and_assign),
                 ("Ausstehende Anforderung verarbeiten", flow.pending),
                 ("Zertifikat exportieren", flow.export),
                 ("Zertifikatverwendungen", flow.usages),
                 ("Zertifikat anzeigen", flow.view),
                 ("Zertifikat entfernen", flow.remove))
        for desc, step in steps:
            if not tap.run(desc, step):
                try:
                    app.screenshot("failure")
                except Exception:  # noqa: BLE001
                    pass
                break
    except Exception as e:  # noqa: BLE001 - report, then finish the plan
        import traceback
        tap.ok(False, f"the flow ran to the end ({e})", traceback.format_exc())
    finally:
        app.cleanup()
        subprocess.run(["rm", "-rf", work], check=False)
    tap.finish()


main()
