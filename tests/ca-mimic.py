#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A small server on 127.0.0.1 that answers like one kind of CA does to Certwiz's
# protocol detection, and like nothing else:
#   acme     the ACME directory (JSON with newNonce, newAccount, newOrder) at any path
#   scep     ?operation=GetCACaps answered with capability lines (text/plain)
#   est      /.well-known/est[/LABEL]/cacerts answered with application/pkcs7-mime
#   adcs     /certsrv/ with the Web Enrollment home page's links
#   adcs401  /certsrv/ answered 401 with WWW-Authenticate: Negotiate and NTLM (IIS)
#   nothing  404 text/html everywhere
# Usage: ca-mimic.py MODE [--cert PEM --key PEM] [--cacerts DER-FILE]
# Prints the port it listens on (chosen by the system) on the first line of stdout,
# and writes one line per request (method and path) to stderr.

import argparse
import base64
import http.server
import json
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "nothing"
    cacerts = b""

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, self.path))
        sys.stderr.flush()

    def reply(self, status, content_type, body, headers=()):
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def not_found(self):
        self.reply(404, "text/html", b"<html><body><h1>Not Found</h1></body></html>\n")

    def do_GET(self):
        path, _, query = self.path.partition("?")
        base = "https://%s" % self.headers.get("Host", "127.0.0.1")
        if self.mode == "acme" and not query:
            directory = {
                "newNonce": base + "/acme/new-nonce",
                "newAccount": base + "/acme/new-acct",
                "newOrder": base + "/acme/new-order",
                "revokeCert": base + "/acme/revoke-cert",
                "keyChange": base + "/acme/key-change",
                "meta": {"termsOfService": base + "/terms"},
            }
            self.reply(200, "application/json", json.dumps(directory).encode())
        elif self.mode == "scep" and query == "operation=GetCACaps":
            self.reply(200, "text/plain", b"POSTPKIOperation\nSHA-256\nAES\nSCEPStandard\n")
        elif (self.mode == "est" and path.startswith("/.well-known/est/")
              and path.endswith("/cacerts")):
            body = base64.encodebytes(self.cacerts)
            self.reply(200, "application/pkcs7-mime", body,
                       [("Content-Transfer-Encoding", "base64")])
        elif self.mode == "adcs" and path == "/certsrv/":
            page = (b"<html><head><title>Microsoft Active Directory Certificate Services"
                    b"</title></head><body>"
                    b"<a href=\"/certsrv/certrqus.asp\">Request a certificate</a>"
                    b"<a href=\"/certsrv/certckpn.asp\">View the status of a pending "
                    b"certificate request</a>"
                    b"<a href=\"/certsrv/certcarc.asp\">Download a CA certificate</a>"
                    b"</body></html>\n")
            self.reply(200, "text/html", page)
        elif self.mode == "adcs401" and path.startswith("/certsrv"):
            self.send_response(401)
            self.send_header("Content-Type", "text/html")
            self.send_header("WWW-Authenticate", "Negotiate")
            self.send_header("WWW-Authenticate", "NTLM")
            body = b"<html><body>401 - Unauthorized</body></html>\n"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.not_found()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["acme", "scep", "est", "adcs", "adcs401", "nothing"])
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--cacerts")
    args = parser.parse_args()

    Handler.mode = args.mode
    if args.cacerts:
        with open(args.cacerts, "rb") as f:
            Handler.cacerts = f.read()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)

    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
