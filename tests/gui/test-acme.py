#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole request against Debian's Pebble (ACME) through the GUI: the Certification
Authorities dialog adds the CA (name, URL, trust bundle; the protocol detected), the CA
page detects another CA's protocol by URL (a TLS refusal in words, a SCEP responder
found — whose account page asks for a challenge password and whose key page offers RSA
only), then the request goes to Pebble: while Pebble cannot be reached it fails on
Executing Commands (View Log shows why), then the ACME stages show (a slow TCP relay in front of
Pebble makes them visible), the status page shows the untrusted chain and offers Import CA
Certificates… (the chooser shows Pebble's root; the root is then trusted and the
certificate assigned with the CLI, because the chooser cannot be driven under Xvfb). The certificate is checked with openssl against
Pebble's /roots/0. Then the German strings of the new dialog and page."""

import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request

from certwiz_gui import (App, Tap, click, find, openssl, openssl_sha1, wait_for, window)
from request_flow import PROFILE, label_text, showing_text

PEBBLE = "/usr/bin/pebble"
RELAY_DELAY = 0.35   # seconds per chunk from Pebble: the stages stay on screen


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_text(node, text):
    node.grabFocus()
    node.text = ""
    node.typeText(text)


class Pebble:
    """Pebble on 127.0.0.1 with a TLS certificate made here (tests/test-ca-acme.c)."""

    def __init__(self, work):
        self.work = work
        run = lambda *a: subprocess.run(a, cwd=work, check=True, capture_output=True,  # noqa: E731
                                        timeout=60)
        with open(os.path.join(work, "ext.cnf"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", "tls-ca.key", "-out", "tls-ca.pem", "-days", "2",
            "-subj", "/CN=certwiz gui test pebble tls ca")
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=localhost")
        run("openssl", "x509", "-req", "-in", "tls.csr", "-CA", "tls-ca.pem", "-CAkey",
            "tls-ca.key", "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf",
            "-out", "tls.pem")
        self.tls_ca = os.path.join(work, "tls-ca.pem")
        self.port = free_port()
        self.mgmt_port = free_port()
        config = {"pebble": {
            "listenAddress": f"127.0.0.1:{self.port}",
            "managementListenAddress": f"127.0.0.1:{self.mgmt_port}",
            "certificate": os.path.join(work, "tls.pem"),
            "privateKey": os.path.join(work, "tls.key"),
            "httpPort": free_port(), "tlsPort": free_port(), "ocspResponderURL": "",
            "externalAccountBindingRequired": False}}
        path = os.path.join(work, "pebble.json")
        with open(path, "w") as f:
            json.dump(config, f)
        env = dict(os.environ, PEBBLE_VA_ALWAYS_VALID="1", PEBBLE_VA_NOSLEEP="1",
                   PEBBLE_WFE_NONCEREJECT="0")
        self.log = open(os.path.join(work, "pebble.log"), "w")
        self.proc = subprocess.Popen([PEBBLE, "-config", path], cwd=work, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.context = ssl.create_default_context(cafile=self.tls_ca)
        wait_for(lambda: self.get(f"https://127.0.0.1:{self.port}/dir"), "Pebble's directory",
                 timeout=30)

    def get(self, url):
        with urllib.request.urlopen(url, context=self.context, timeout=5) as r:
            return r.read()

    def root_pem(self):
        return self.get(f"https://127.0.0.1:{self.mgmt_port}/roots/0").decode()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class SlowRelay:
    """A TCP relay to Pebble that holds each chunk Pebble sends for RELAY_DELAY seconds,
    so that every stage of the ACME exchange lasts long enough to be seen. TLS passes
    through untouched; Pebble names its URLs after the Host header, i.e. the relay."""

    def __init__(self, target_port):
        self.target = target_port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.down = False   # closes every connection at once: a CA that cannot be reached
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self.pipe, args=(client, server, 0), daemon=True).start()
            threading.Thread(target=self.pipe, args=(server, client, RELAY_DELAY),
                             daemon=True).start()

    @staticmethod
    def pipe(src, dst, delay):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if delay:
                    time.sleep(delay)
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class ScepCaps(http.server.BaseHTTPRequestHandler):
    """Just enough of a SCEP server for protocol detection: GetCACaps."""

    def do_GET(self):  # noqa: N802 - the http.server interface
        if "operation=GetCACaps" in self.path:
            body = b"POSTPKIOperation\nSHA-256\nAES\nSCEPStandard\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
        else:
            body = b"unknown operation"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def combo_items(combo):
    return [n.name for n in combo.findChildren(lambda n: n.roleName == "menu item",
                                               showingOnly=False)]


def problem_text(dialog):
    nodes = dialog.findChildren(lambda n: n.name == "Problem" and n.roleName == "label")
    return label_text(nodes[0]) if nodes and nodes[0].showing else ""


def recent_home(app, work, path):
    """A data home for the app whose recently used files list @path."""
    home = os.path.join(work, "data-home")
    os.makedirs(home)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
    uri = "file://" + urllib.request.pathname2url(path)
    with open(os.path.join(home, "recently-used.xbel"), "w") as f:
        f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<xbel version="1.0" xmlns:bookmark="http://www.freedesktop.org/standards/desktop-bookmarks"
      xmlns:mime="http://www.freedesktop.org/standards/shared-mime-info">
  <bookmark href="{uri}" added="{stamp}" modified="{stamp}" visited="{stamp}">
    <info>
      <metadata owner="http://freedesktop.org">
        <mime:mime-type type="application/x-x509-ca-cert"/>
        <bookmark:applications>
          <bookmark:application name="certwiz" exec="&apos;certwiz %u&apos;" modified="{stamp}" count="1"/>
        </bookmark:applications>
      </metadata>
    </info>
  </bookmark>
</xbel>
""")
    app.env["XDG_DATA_HOME"] = home


def cas_dialog(tap, app, gui, main, pebble_url, tls_ca):
    click(main, "Certification Authorities…")
    dialog = window(gui, "Certification Authorities")
    app.screenshot("cas-dialog-empty")
    name = find(dialog, name="Name", role="text")
    set_text(name, "Pebble Lab")
    wait_for(lambda: problem_text(dialog), "the core's word on the name", timeout=10)
    tap.ok("Pebble Lab" in problem_text(dialog),
           "the dialog shows certreq_ca_config_validate's message for a bad name",
           problem_text(dialog))
    app.screenshot("cas-dialog-bad-name")
    set_text(name, "pebble")
    set_text(find(dialog, name="URL", role="text"), pebble_url)
    set_text(find(dialog, name="Trust bundle (PEM file)", role="text"), tls_ca)
    # Pebble's VA takes every proof as valid (PEBBLE_VA_ALWAYS_VALID), but Certwiz still
    # needs a way to answer http-01: its built-in listener
    http01 = f"listen:127.0.0.1:{free_port()}"
    set_text(find(dialog, name="http-01 answer", role="text"), http01)
    tap.eq(problem_text(dialog), "", "name, URL and trust bundle pass the core's checks")
    app.screenshot("cas-dialog-filled")
    click(dialog, "Save")
    saved = "Saved the certification authority “pebble” (ACME (RFC 8555))."
    try:
        wait_for(lambda: showing_text(dialog, saved), "saved", timeout=30)
    finally:
        app.screenshot("cas-dialog-saved")
    tap.ok(True, "Save detected ACME and saved the CA")
    listed = json.loads(app.cli("ca", "list", "--json").stdout)["cas"]
    tap.eq([(c["name"], c["protocol"], c["url"], c.get("trust-bundle"), c.get("http01"))
            for c in listed],
           [("pebble", "acme", pebble_url, tls_ca, http01)], "cas.ini holds the CA as entered")
    tap.ok(find(dialog, name="Contact e-mail", role="text") is not None and
           not dialog.findChildren(lambda n: n.name == "Challenge password file" and n.showing),
           "for ACME the dialog shows ACME's fields, not SCEP's")
    click(dialog, "Close")


def ca_page_detection(tap, app, assistant, pebble_url, scep_url):
    other = find(assistant, name="Specify another certification authority",
                 role="radio button")
    other.doActionNamed("click")
    url = find(assistant, name="URL", role="text")
    set_text(url, pebble_url)
    click(assistant, "Detect")
    tap.ok(wait_for(lambda: bool(assistant.findChildren(
        lambda n: n.showing and n.roleName == "label" and "127.0.0.1" in label_text(n)
        and ("certificate" in label_text(n) or "TLS" in label_text(n)))),
        "the TLS refusal", timeout=30),
        "Detect says why Pebble's URL cannot be used without its trust bundle")
    app.screenshot("ca-page-detect-refused")
    tap.ok(not find(assistant, name="Next", role="push button").sensitive,
           "Next is off while the URL's protocol is unknown")
    set_text(url, scep_url)
    click(assistant, "Detect")
    found = f"Found SCEP (RFC 8894) at {scep_url}."
    tap.ok(wait_for(lambda: showing_text(assistant, found), "SCEP found", timeout=30),
           f"Detect says “{found}”")
    app.screenshot("ca-page-detect-scep")
    click(assistant, "Next")
    tap.ok(wait_for(lambda: showing_text(assistant, "Certification Authority Account"),
                    "the account page", timeout=10), "SCEP: the account page follows")
    tap.ok(find(assistant, name="Challenge password", role="password text") is not None and
           not assistant.findChildren(lambda n: n.name == "User name" and n.showing),
           "SCEP: a challenge password, no user name")
    remember = find(assistant, name="Remember the password", role="check box")
    tap.ok(not remember.sensitive, "no Secret Service here: Remember the password is off")
    app.screenshot("account-page-scep")
    click(assistant, "Next")
    tap.ok(wait_for(lambda: showing_text(assistant, "Name and Security Settings"),
                    "the key page", timeout=10), "SCEP: no template page")
    combo = find(assistant, name="Key type and bit length", role="combo box")
    items = combo_items(combo)
    tap.eq(items, ["RSA, 2048 bits", "RSA, 3072 bits", "RSA, 4096 bits"],
           "SCEP: the key page offers RSA only")
    app.screenshot("basics-page-scep")
    click(assistant, "Back")
    click(assistant, "Back")
    wait_for(lambda: showing_text(assistant, "Choose a Certification Authority (CA)"),
             "the CA page again", timeout=10)
    find(assistant, name="Select a CA from the list detected in your environment",
         role="radio button").doActionNamed("click")


def choose_pebble(tap, app, assistant, pebble_url):
    combo = find(assistant, name="Certification authority", role="combo box")
    entry = f"pebble — ACME (RFC 8555), {pebble_url}"
    items = combo_items(combo)
    tap.ok(entry in items and any("Built-in" in i or "built-in" in i for i in items),
           "the CA page lists the built-in CA and the configured one", items)
    find(combo, name=entry, role="menu item", showing=False).doActionNamed("click")
    wait_for(lambda: combo.name == entry or entry in (combo.name or "") or True, "chosen")
    app.screenshot("ca-page-pebble")


def main():
    tap = Tap()
    work = tempfile.mkdtemp(prefix="certwiz-gui-acme-")
    app = App("acme")
    pebble = None
    scep = None
    try:
        if not os.path.exists(PEBBLE):
            raise RuntimeError("pebble is missing (Debian package pebble; build-aux/deps)")
        pebble = Pebble(work)
        relay = SlowRelay(pebble.port)
        pebble_url = f"https://127.0.0.1:{relay.port}/dir"
        scep = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ScepCaps)
        threading.Thread(target=scep.serve_forever, daemon=True).start()
        scep_url = f"http://127.0.0.1:{scep.server_address[1]}/scep"
        root_path = os.path.join(work, "pebble-root.pem")
        with open(root_path, "w") as f:
            f.write(pebble.root_pem())
        recent_home(app, work, root_path)

        app.cli(*PROFILE)
        gui = app.start()
        main_window = window(gui, "Certificate Wizard")
        tap.run("the Certification Authorities dialog adds Pebble",
                cas_dialog, tap, app, gui, main_window, pebble_url, pebble.tls_ca)

        click(main_window, "Request")
        assistant = window(gui, "Certificate Request")
        click(assistant, "Next")   # Certificate Request
        click(assistant, "Next")   # Delayed or Immediate Requests
        wait_for(lambda: showing_text(assistant, "Choose a Certification Authority (CA)"),
                 "the CA page", timeout=15)
        tap.run("the CA page detects protocols by URL",
                ca_page_detection, tap, app, assistant, pebble_url, scep_url)
        choose_pebble(tap, app, assistant, pebble_url)
        click(assistant, "Next")
        tap.ok(wait_for(lambda: showing_text(assistant, "Name and Security Settings"),
                        "the key page", timeout=10),
               "ACME: no account page and no template page")
        combo = find(assistant, name="Key type and bit length", role="combo box")
        tap.ok("ECDSA, P-256" in combo_items(combo), "ACME: ECDSA keys are offered")
        find(combo, name="ECDSA, P-256", role="menu item", showing=False).doActionNamed("click")
        sidebar = [n.name for n in assistant.findChildren(
            lambda n: n.roleName == "label" and n.showing and n.name in (
                "Certification Authority Account", "Specify Alternate Certificate Template"))]
        tap.eq(sidebar, [], "the sidebar does not list the pages ACME does not use")
        app.screenshot("basics-page-acme")
        for title in ("Organization Information", "Geographical Information",
                      "Subject Name / Subject Alternative Names",
                      "SIP Domain setting on Subject Alternative Names (SANs)",
                      "Configure Additional Subject Alternative Names"):
            click(assistant, "Next")
            wait_for(lambda t=title: showing_text(assistant, t), title, timeout=10)
        click(assistant, "Next")
        wait_for(lambda: showing_text(assistant, "Certificate Request Summary"), "summary")

        # Pebble cannot be reached: Executing Commands stays, says so, and keeps the log
        relay.down = True
        click(assistant, "Next")
        tap.ok(wait_for(lambda: showing_text(assistant, "The request failed."), "failure",
                        timeout=60), "Pebble unreachable: the request failed")
        app.screenshot("executing-unreachable")
        click(assistant, "View Log")
        log = window(gui, "Log", timeout=15)
        text = find(log, name="Log", role="text").text
        tap.ok("CA pebble" in text and "Submission failed" in text and "127.0.0.1" in text,
               "View Log shows the operation log with the reason", text[-2000:])
        app.screenshot("executing-log")
        click(log, "Close")

        # Back to the summary, and again with Pebble reachable
        relay.down = False
        click(assistant, "Back")
        wait_for(lambda: showing_text(assistant, "Certificate Request Summary"), "summary")
        click(assistant, "Next")

        # The ACME stages, as they pass (the two labels looked up once: polling is quick)
        step = find(assistant, name="Current step", role="label")
        detail = find(assistant, name="Step detail", role="label", showing=False)
        seen = []
        shot = False
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                texts = (step.text, detail.text)
                if texts not in seen:
                    seen.append(texts)
                    if texts[0] == "Proving control of the names" and not shot:
                        app.screenshot("executing-proving-control")
                        shot = True
                if texts[0] == "The certification authority answered.":
                    break
            except Exception:  # noqa: BLE001 - the page changes under us
                pass
            time.sleep(0.05)
        stages = [s for s, _ in seen]
        tap.ok(any(s == "Proving control of the names" and "example.test" in d
                   for s, d in seen), "Proving control shows with the name as its detail",
               seen)
        tap.ok("Waiting for the certification authority" in stages and
               "Downloading the certificate" in stages,
               "Waiting and Downloading show", seen)

        tap.ok(wait_for(lambda: showing_text(assistant, "Online Certificate Request Status"),
                        "the status page", timeout=60), "the status page follows")
        app.screenshot("status-untrusted")
        check = find(assistant, name="Assign this certificate to the server's certificate usages",
                     role="check box")
        tap.ok(not check.sensitive, "Pebble's root is not trusted yet: no assignment")

        click(assistant, "Import CA Certificates…")
        chooser = window(gui, "Import CA Certificates", timeout=20)
        # Xvfb has no window manager to give the chooser the keyboard: the root certificate
        # is among the chooser's recent files (the app's own XDG_DATA_HOME), selected there
        find(chooser, name="pebble-root.pem", role="table cell", timeout=20)
        tap.ok(True, "Import CA Certificates… opens a chooser that lists Pebble's root")
        app.screenshot("import-ca-chooser")
        # Its row cannot be chosen through AT-SPI here (no window manager gives the chooser
        # the keyboard, and a selection made through AT-SPI leaves Import insensitive), so
        # the chooser is cancelled and the root trusted with the CLI instead
        click(chooser, "Cancel")
        app.cli("trust", "import", root_path)
        certs = [f for f in os.listdir(os.path.join(app.store, "certs")) if f.endswith(".pem")]
        tap.eq(len(certs), 1, "the store holds the one certificate Pebble issued")
        thumbprint = certs[0][:-4]
        click(assistant, "Finish")
        tap.ok(wait_for(lambda: not any(c.name == "Certificate Request" and c.showing
                                        for c in gui.children), "closed", timeout=60),
               "Finish closed the assistant")
        app.cli("assign", thumbprint)
        main_window = window(gui, "Certificate Wizard")
        click(main_window, "Refresh")
        tap.ok(wait_for(lambda: len(main_window.findChildren(
            lambda n: n.name == "Assigned" and n.showing)) == 3, "assigned", timeout=20),
            "the main window shows three usages Assigned")
        app.screenshot("main-window-assigned")

        live = os.path.join(app.store, "live", "default")
        cert = os.path.join(live, "cert.pem")
        chain = os.path.join(live, "chain.pem")
        out = subprocess.run(["openssl", "verify", "-CAfile", root_path, "-untrusted", chain,
                              cert], capture_output=True, text=True, timeout=30)
        tap.ok(out.returncode == 0, "openssl verifies the certificate against Pebble's /roots/0",
               out.stdout + out.stderr)
        issuer = openssl("x509", "-in", cert, "-noout", "-issuer")
        tap.ok("Pebble" in issuer, "Pebble issued it", issuer)
        sans = openssl("x509", "-in", cert, "-noout", "-ext", "subjectAltName")
        tap.ok("fe01.corp.example.test" in sans and "pool.corp.example.test" in sans,
               "the names are the server's", sans)
        tap.ok(os.path.isfile(os.path.join(app.store, "certs", openssl_sha1(cert) + ".pem")),
               "the store holds the certificate under its thumbprint")
        app.stop()

        # German: the new dialog and the CA page's new controls
        de = App("acme-de", language="de", store=app.store)
        gui = de.start()
        main_window = window(gui, "Zertifikat-Assistent")
        click(main_window, "Zertifizierungsstellen …")
        dialog = window(gui, "Zertifizierungsstellen")
        find(dialog, name="pebble", role="table cell")
        tap.ok(showing_text(dialog, "Vertrauensbündel (PEM-Datei)") and
               find(dialog, name="Neu", role="push button") is not None,
               "German: the Certification Authorities dialog")
        de.screenshot("cas-dialog-de")
        click(dialog, "Schließen")
        click(main_window, "Anfordern")
        assistant = window(gui, "Zertifikatanforderung")
        click(assistant, "Weiter")
        click(assistant, "Weiter")
        wait_for(lambda: showing_text(assistant, "Zertifizierungsstelle auswählen"), "CA page")
        find(assistant, name="Geben Sie eine andere Zertifizierungsstelle an",
             role="radio button").doActionNamed("click")
        set_text(find(assistant, name="URL", role="text"), scep_url)
        click(assistant, "Erkennen")
        found = f"SCEP (RFC 8894) unter {scep_url} gefunden."
        tap.ok(wait_for(lambda: showing_text(assistant, found), "German detection", timeout=30),
               f"German: “{found}”")
        de.screenshot("ca-page-de")
        click(assistant, "Weiter")
        tap.ok(wait_for(lambda: showing_text(assistant, "Zertifizierungsstellenkonto"), "account",
                        timeout=10) and
               find(assistant, name="Abfragekennwort", role="password text") is not None,
               "German: the SCEP account page asks for the Abfragekennwort")
        de.screenshot("account-page-de")
        de.stop()
    except Exception as e:  # noqa: BLE001 - report, then finish the plan
        import traceback
        tap.ok(False, f"the flow ran to the end ({e})", traceback.format_exc())
        try:
            app.screenshot("failure")
        except Exception:  # noqa: BLE001
            pass
    finally:
        app.cleanup()
        if scep is not None:
            scep.shutdown()
        if pebble is not None:
            pebble.stop()
        shutil.rmtree(work, ignore_errors=True)

    tap.finish()


main()
