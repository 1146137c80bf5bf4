#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""ACME Renewal Information (RFC 9773) in front of Pebble, for tests/test-ca-acme.c.

Debian 12's pebble 2.4.0 has no renewalInfo. This HTTPS proxy listens on 127.0.0.1
(a free port, printed as "PORT <n>") and forwards every request to Pebble unchanged,
with the client's Host header, so Pebble itself writes the proxy's address into every
URL it returns and checks each JWS "url" against it. It changes two things:

  GET  <dir>                 Pebble's directory plus "renewalInfo": https://<host>/renewal-info/
  GET  /renewal-info/<id>    {"suggestedWindow": the JSON object in --window FILE (read on
                             every request), "explanationURL": …}, Retry-After: 21600;
                             400 for an id that is not base64url "." base64url

and it writes one line per event to --log FILE:
  renewalInfo <certID>
  newOrder replaces=<the newOrder payload's "replaces", or ->
Exits when its standard input closes.
"""

import argparse
import base64
import http.client
import http.server
import json
import os
import re
import socketserver
import ssl
import sys
import threading
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length",
              "proxy-connection", "te", "trailer", "upgrade"}
CERT_ID = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, options):
        super().__init__(("127.0.0.1", 0), Handler)
        self.options = options
        self.lock = threading.Lock()
        self.new_order_path = None
        upstream = urllib.parse.urlsplit(options.upstream)
        self.upstream_host = upstream.hostname
        self.upstream_port = upstream.port
        self.upstream_context = ssl.create_default_context(cafile=options.upstream_ca)

    def log(self, line):
        with self.lock:
            with open(self.options.log, "a") as f:
                f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def forward(self, body):
        server = self.server
        conn = http.client.HTTPSConnection(server.upstream_host, server.upstream_port,
                                           context=server.upstream_context, timeout=30)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    conn.putheader(name, value)
            if body:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body if body else None)
            response = conn.getresponse()
            data = response.read()
            headers = [(n, v) for n, v in response.getheaders() if n.lower() not in HOP_BY_HOP]
            return response.status, headers, data
        finally:
            conn.close()

    def relay(self, body=b""):
        status, headers, data = self.forward(body)
        return status, headers, data

    def do_HEAD(self):
        status, headers, data = self.relay()
        self.send(status, b"", headers)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/renewal-info/"):
            self.renewal_info(path[len("/renewal-info/"):])
            return
        status, headers, data = self.relay()
        if path == self.server.options.directory_path and status == 200:
            directory = json.loads(data)
            if "newOrder" in directory:
                self.server.new_order_path = urllib.parse.urlsplit(directory["newOrder"]).path
            directory["renewalInfo"] = "https://%s/renewal-info/" % self.headers["Host"]
            data = json.dumps(directory).encode()
        self.send(status, data, headers)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path.split("?", 1)[0] == self.server.new_order_path:
            try:
                payload = json.loads(b64u_decode(json.loads(body)["payload"]))
                replaces = payload.get("replaces", "-")
            except (ValueError, KeyError, TypeError):
                replaces = "(unreadable)"
            self.server.log("newOrder replaces=%s" % replaces)
        status, headers, data = self.relay(body)
        self.send(status, data, headers)

    def renewal_info(self, cert_id):
        problem = [("Content-Type", "application/problem+json")]
        if not CERT_ID.match(cert_id):
            self.send(400, json.dumps({"type": "urn:ietf:params:acme:error:malformed",
                                       "detail": "not a certID", "status": 400}).encode(),
                      problem)
            return
        try:
            key_id, serial = (b64u_decode(part) for part in cert_id.split("."))
        except ValueError:
            key_id = serial = b""
        if not key_id or not serial:
            self.send(400, json.dumps({"type": "urn:ietf:params:acme:error:malformed",
                                       "detail": "empty certID part", "status": 400}).encode(),
                      problem)
            return
        self.server.log("renewalInfo %s" % cert_id)
        with open(self.server.options.window) as f:
            window = json.load(f)
        body = json.dumps({"suggestedWindow": window,
                           "explanationURL": "https://ca.example.test/why-renew"}).encode()
        self.send(200, body, [("Content-Type", "application/json"), ("Retry-After", "21600")])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True, help="TLS certificate (PEM)")
    parser.add_argument("--key", required=True, help="its key")
    parser.add_argument("--upstream", required=True, help="Pebble, https://127.0.0.1:PORT")
    parser.add_argument("--upstream-ca", required=True, help="trust for Pebble's TLS")
    parser.add_argument("--directory-path", default="/dir")
    parser.add_argument("--window", required=True, help="file with the suggestedWindow JSON")
    parser.add_argument("--log", required=True)
    options = parser.parse_args()

    server = Server(options)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(options.cert, options.key)
    server.socket = context.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)

    def watch_stdin():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
