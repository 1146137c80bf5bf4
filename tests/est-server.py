#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small EST server (RFC 7030, updated by RFC 8951) for Certwiz's tests.

Debian 12 packages no EST server, so the tests bring this one. It listens on
127.0.0.1 at a free port (printed as "PORT <n>" on stdout), speaks TLS with the
certificate the test made, and signs requests with the test's issuing CA through
the openssl command line (`openssl x509 -req`, then `openssl crl2pkcs7 -nocrl`).

Routes (under /.well-known/est/ or /.well-known/est/<label>/):
  GET  cacerts         base64 certs-only PKCS#7 of --cacerts
  GET  csrattrs        --csrattrs: none (204), example (RFC 7030 §4.5.2), ours
  POST simpleenroll    application/pkcs10, base64 DER; --auth basic|cert
  POST simplereenroll  needs a TLS client certificate that --ca-cert issued (RFC 7030
                       §4.2.2: the certificate being renewed) whose subject equals the CSR's
Modes: --pending N answers 202 + Retry-After N times per CSR before issuing;
--fail STATUS:TEXT answers enrollments with that status and a text/plain body.
--b64 wrapped|single|crlf and --no-cte vary the base64 form (RFC 8951 §3).
--log FILE: one line per enrollment answered, "<operation> client=<serial of the TLS
client certificate, hex, or -> -> <status>".
"""

import argparse
import base64
import hashlib
import http.server
import os
import socketserver
import ssl
import subprocess
import sys
import threading
import time

OPS = ("cacerts", "csrattrs", "simpleenroll", "simplereenroll")


# ---- A little DER, enough for CsrAttrs ----

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def der_oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.insert(0, 0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(chunk)
    return der(0x06, out)


def der_seq(*items):
    return der(0x30, b"".join(items))


def der_set(*items):
    return der(0x31, b"".join(items))


def der_attr(oid, *values):
    return der_seq(der_oid(oid), der_set(*values))


CHALLENGE_PASSWORD = "1.2.840.113549.1.9.7"
EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
SECP384R1 = "1.3.132.0.34"
PRIME256V1 = "1.2.840.10045.3.1.7"
MAC_ADDRESS = "1.3.6.1.1.1.1.22"
ECDSA_SHA384 = "1.2.840.10045.4.3.3"
ECDSA_SHA256 = "1.2.840.10045.4.3.2"
SUBJECT_ALT_NAME = "2.5.29.17"
COMMON_NAME = "2.5.4.3"

CSRATTRS = {
    # The example of RFC 7030 §4.5.2: a challenge password, a P-384 key, the
    # macAddress extension and ECDSA with SHA-384
    "example": der_seq(der_oid(CHALLENGE_PASSWORD),
                       der_attr(EC_PUBLIC_KEY, der_oid(SECP384R1)),
                       der_attr(EXTENSION_REQUEST, der_oid(MAC_ADDRESS)),
                       der_oid(ECDSA_SHA384)),
    # What a Certwiz P-256 request has anyway
    "ours": der_seq(der_oid(COMMON_NAME),
                    der_attr(EC_PUBLIC_KEY, der_oid(PRIME256V1)),
                    der_attr(EXTENSION_REQUEST, der_oid(SUBJECT_ALT_NAME)),
                    der_oid(ECDSA_SHA256)),
}


def openssl(*args, data=None):
    proc = subprocess.run(["openssl", *args], input=data, capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (args[0], proc.stderr.decode(errors="replace")))
    return proc.stdout


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, options):
        super().__init__(("127.0.0.1", 0), Handler)
        self.options = options
        self.lock = threading.Lock()
        self.attempts = {}
        self.serial = 0x1000
        self.cacerts_der = openssl("crl2pkcs7", "-nocrl", "-certfile", options.cacerts,
                                   "-outform", "DER", data=b"")


    def handle_error(self, request, client_address):
        # A refused client certificate ends the handshake: one line, not a traceback
        sys.stderr.write("est-server: %s: %s\n" % (client_address[0], sys.exc_info()[1]))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CertwizTestEST/1"

    def log_message(self, fmt, *args):
        if self.server.options.verbose:
            sys.stderr.write("est-server: " + (fmt % args) + "\n")

    # ---- Answers ----

    def send_plain(self, status, body=b"", content_type=None, headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_text(self, status, text, headers=()):
        self.send(status, text.encode() + b"\n", "text/plain; charset=utf-8", headers)

    def send_base64(self, der_bytes, content_type):
        style = self.server.options.b64
        text = base64.b64encode(der_bytes)
        if style != "single":
            eol = b"\r\n" if style == "crlf" else b"\n"
            width = 76 if style == "crlf" else 64
            text = eol.join(text[i:i + width] for i in range(0, len(text), width)) + eol
        headers = [] if self.server.options.no_cte else [("Content-Transfer-Encoding", "base64")]
        self.send(200, text, content_type, headers)

    # ---- Routing ----

    def route(self):
        path = self.path.split("?", 1)[0]
        prefix = "/.well-known/est/"
        if not path.startswith(prefix):
            return None, None
        parts = path[len(prefix):].split("/")
        if len(parts) == 1:
            label, op = None, parts[0]
        elif len(parts) == 2:
            label, op = parts
        else:
            return None, None
        if op not in OPS or label != self.server.options.label:
            return None, None
        return label, op

    def do_GET(self):
        label, op = self.route()
        if op == "cacerts":
            self.send_base64(self.server.cacerts_der, "application/pkcs7-mime")
        elif op == "csrattrs":
            mode = self.server.options.csrattrs
            if mode == "none":
                self.send(204)
            else:
                self.send_base64(CSRATTRS[mode], "application/csrattrs")
        elif op is None:
            self.send_text(404, "There is no EST service here.")
        else:
            self.send_text(405, "Use POST for %s." % op, [("Allow", "POST")])

    def do_POST(self):
        label, op = self.route()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if op is None:
            self.send_text(404, "There is no EST service here.")
            return
        if op not in ("simpleenroll", "simplereenroll"):
            self.send_text(405, "Use GET for %s." % op, [("Allow", "GET")])
            return

        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/pkcs10":
            self.send_text(415, "Send the request as application/pkcs10.")
            return

        peer = self.connection.getpeercert(binary_form=True)
        if op == "simplereenroll":
            if not peer:
                self.send_text(401, "Re-enrollment needs the current certificate as the TLS "
                                    "client certificate.")
                return
            if not self.issued_by_us(peer):
                self.send_text(403, "Re-enrollment needs a certificate this CA issued.")
                return
        elif not self.authorized(peer):
            return

        try:
            csr_der = base64.b64decode(b"".join(body.split()), validate=True)
        except ValueError:
            csr_der = b""
        if not csr_der:
            self.send_text(400, "The body is not a base64 PKCS#10 request.")
            return

        if op == "simplereenroll":
            # RFC 7030 §4.2.2: the subject must stay the certificate's
            try:
                csr_subject = openssl("req", "-inform", "DER", "-noout", "-subject",
                                      "-nameopt", "RFC2253", data=csr_der)
            except RuntimeError:
                self.send_text(400, "The body is not a base64 PKCS#10 request.")
                return
            peer_subject = openssl("x509", "-inform", "DER", "-noout", "-subject",
                                   "-nameopt", "RFC2253", data=peer)
            if peer_subject.split(b"=", 1)[1] != csr_subject.split(b"=", 1)[1]:
                self.send_text(400, "The subject of the request differs from the certificate "
                                    "being renewed.")
                return

        if self.server.options.delay:
            # Long enough for a test to cancel the transfer
            time.sleep(self.server.options.delay)

        if self.server.options.fail:
            status, _, text = self.server.options.fail.partition(":")
            headers = [("Retry-After", "30")] if status == "503" else []
            self.send_text(int(status), text or "Request refused.", headers)
            return

        key = hashlib.sha256(csr_der).hexdigest()
        with self.server.lock:
            seen = self.server.attempts.get(key, 0)
            self.server.attempts[key] = seen + 1
            self.server.serial += 1
            serial = self.server.serial
        if seen < self.server.options.pending:
            self.send_text(202, "The request awaits approval.",
                           [("Retry-After", str(self.server.options.retry_after))])
            return

        try:
            issued = self.sign(csr_der, serial)
        except RuntimeError:
            # openssl x509 -req checks the request's self-signature
            self.send_text(400, "The body is not a valid PKCS#10 request.")
            return
        self.send_base64(issued, "application/pkcs7-mime; smime-type=certs-only")

    def issued_by_us(self, peer):
        pem = ssl.DER_cert_to_PEM_cert(peer).encode()
        proc = subprocess.run(["openssl", "verify", "-partial_chain", "-CAfile",
                               self.server.options.ca_cert, "/dev/stdin"],
                              input=pem, capture_output=True)
        return proc.returncode == 0

    def send(self, status, body=b"", content_type=None, headers=()):
        if self.command == "POST" and self.server.options.log and status != 100:
            peer = self.connection.getpeercert(binary_form=True)
            serial = "-"
            if peer:
                serial = openssl("x509", "-inform", "DER", "-noout", "-serial",
                                 data=peer).decode().strip().split("=", 1)[1]
            op = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            with self.server.lock:
                with open(self.server.options.log, "a") as f:
                    f.write("%s client=%s -> %d\n" % (op, serial, status))
        self.send_plain(status, body, content_type, headers)

    def authorized(self, peer):
        options = self.server.options
        if options.auth == "cert":
            if peer:
                return True
            self.send_text(401, "A TLS client certificate is required.")
            return False
        expected = "Basic " + base64.b64encode(
            ("%s:%s" % (options.user, options.password)).encode()).decode()
        if self.headers.get("Authorization") == expected:
            return True
        self.send_text(401, "The user name or password is wrong.",
                       [("WWW-Authenticate", 'Basic realm="EST test"')])
        return False

    def sign(self, csr_der, serial):
        options = self.server.options
        leaf = openssl("x509", "-req", "-inform", "DER", "-in", "-", "-CA", options.ca_cert,
                       "-CAkey", options.ca_key, "-set_serial", str(serial), "-days", "30",
                       "-copy_extensions", "copy", data=csr_der)
        certfiles = ["-certfile", "/dev/stdin"]
        if options.with_chain:
            certfiles += ["-certfile", options.ca_cert]
        return openssl("crl2pkcs7", "-nocrl", *certfiles, "-outform", "DER", data=leaf)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True, help="TLS server certificate (PEM)")
    parser.add_argument("--key", required=True, help="its key")
    parser.add_argument("--client-ca", required=True, help="CAs trusted for client certificates")
    parser.add_argument("--ca-cert", required=True, help="the issuing CA")
    parser.add_argument("--ca-key", required=True, help="its key")
    parser.add_argument("--cacerts", required=True, help="PEM bundle served by /cacerts")
    parser.add_argument("--label", default=None)
    parser.add_argument("--auth", choices=("basic", "cert"), default="basic")
    parser.add_argument("--user", default="est")
    parser.add_argument("--password", default="")
    parser.add_argument("--csrattrs", choices=("none", "example", "ours"), default="none")
    parser.add_argument("--pending", type=int, default=0)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--fail", default=None, help="STATUS:TEXT for every enrollment")
    parser.add_argument("--b64", choices=("wrapped", "single", "crlf"), default="wrapped")
    parser.add_argument("--no-cte", action="store_true",
                        help="no Content-Transfer-Encoding header")
    parser.add_argument("--with-chain", action="store_true",
                        help="the issued PKCS#7 carries the issuing CA too")
    parser.add_argument("--delay", type=float, default=0,
                        help="seconds to wait before answering an enrollment")
    parser.add_argument("--log", default=None, help="where to note each enrollment answered")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()

    server = Server(options)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(options.cert, options.key)
    context.load_verify_locations(cafile=options.client_ca)
    context.verify_mode = ssl.CERT_OPTIONAL
    # The handshake runs in the request's thread, so one slow client stalls no other
    server.socket = context.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)

    # The test holds our stdin: when it ends, even by a crash, so do we
    def watch_stdin():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()

    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
