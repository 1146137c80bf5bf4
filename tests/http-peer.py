#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Local peers for tests/test-http.c, each on 127.0.0.1 with a free port.

  http-peer.py server CERT KEY   HTTPS server (HTTP/1.1 keep-alive); counts TCP connections
  http-peer.py plain             the same over plain HTTP
  http-peer.py proxy COUNT_FILE  CONNECT proxy; writes how many tunnels it opened
  http-peer.py silent            accepts TCP connections and never says a word
  http-peer.py fault-proxy UPSTREAM-PORT CERT KEY CONTROL [PORT]
                                 HTTPS reverse proxy in front of https://127.0.0.1:UPSTREAM-PORT
                                 (a real CA such as pebble) that injects faults; see below

Each prints "PORT <n>" on its first line once it listens.

The fault proxy reads CONTROL before each request: lines "PATH-PART ACTION", the first
whose PATH-PART is in the request's path applies ("*" matches every path); no match, or
an empty file, forwards the request. The Host header goes upstream unchanged, so the CA's
URLs name the proxy. Actions:
  pass            forward the request and relay the answer
  reset-request   read the request's head, then reset the connection (RST): the CA never sees it
  reset-response  forward it (the CA acts), send the answer's head and half its body, then RST
  stall           read the request and never answer (the client's timeout must end it)
  status500       answer 500 Internal Server Error (text/html) without asking the CA
  truncate        forward it, announce the whole body's length, send half of it, close (FIN)
  malformed       forward it (the CA acts), answer 200 with a body cut in the middle of its JSON
Each request is logged on stderr as "METHOD PATH ACTION".
"""
import base64
import http.client
import http.server
import select
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time

connections = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        if self.path == "/hello":
            self.reply(200, b"hello", [("Content-Type", "text/plain"),
                                       ("Link", '<https://a.example/1>;rel="alternate"'),
                                       ("Link", '<https://a.example/dir>;rel="index"')])
        elif self.path == "/redirect":
            self.reply(302, b"", [("Location", "/hello")])
        elif self.path == "/connections":
            with lock:
                self.reply(200, str(connections).encode())
        elif self.path == "/echo":
            self.reply(200, data, [("X-Content-Type", self.headers.get("Content-Type", "")),
                                   ("X-Method", self.command)])
        elif self.path == "/stall":
            time.sleep(60)
            self.reply(200, b"late")
        elif self.path == "/auth":
            expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
            if self.headers.get("Authorization") == expected:
                self.reply(200, b"welcome")
            else:
                self.reply(401, b"", [("WWW-Authenticate", 'Basic realm="test"')])
        else:
            self.reply(404, b"not found")

    do_GET = route
    do_POST = route
    do_HEAD = route


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def get_request(self):
        global connections
        sock, addr = super().get_request()
        with lock:
            connections += 1
        return sock, addr


def serve(context):
    server = Server(("127.0.0.1", 0), Handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("PORT", server.server_address[1], flush=True)
    server.serve_forever()


def relay(a, b):
    try:
        while True:
            ready, _, _ = select.select([a, b], [], [])
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        pass
    finally:
        a.close()
        b.close()


def proxy(count_file):
    uses = 0
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print("PORT", listener.getsockname()[1], flush=True)
    while True:
        client, _ = listener.accept()
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                break
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode(errors="replace").split()
        if len(line) < 2 or line[0] != "CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            client.close()
            continue
        host, port = line[1].rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        uses += 1
        with open(count_file, "w") as f:
            f.write(str(uses))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        threading.Thread(target=relay, args=(client, upstream), daemon=True).start()


def silent():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print("PORT", listener.getsockname()[1], flush=True)
    held = []
    while True:
        client, _ = listener.accept()
        held.append(client)


class FaultHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream_port = 0
    control = ""

    def log_message(self, *args):
        pass

    def action(self):
        try:
            with open(self.control) as f:
                rules = [line.split() for line in f if line.strip()]
        except OSError:
            rules = []
        for rule in rules:
            if len(rule) == 2 and (rule[0] == "*" or rule[0] in self.path):
                return rule[1]
        return "pass"

    def reset(self):
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        socket.socket.close(self.connection)

    def forward(self, body):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        upstream = http.client.HTTPSConnection("127.0.0.1", self.upstream_port, context=context,
                                               timeout=30)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "content-length", "transfer-encoding")}
        upstream.request(self.command, self.path, body=body if body else None, headers=headers)
        response = upstream.getresponse()
        data = response.read()
        headers = [(k, v) for k, v in response.getheaders()
                   if k.lower() not in ("connection", "content-length", "transfer-encoding")]
        upstream.close()
        return response.status, headers, data

    def send_head(self, status, headers, length):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def route(self):
        action = self.action()
        sys.stderr.write("%s %s %s\n" % (self.command, self.path, action))
        sys.stderr.flush()
        if action == "reset-request":
            self.reset()
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if action == "stall":
            time.sleep(120)
            self.close_connection = True
            return
        if action == "status500":
            page = b"<html><body><h1>500 Internal Server Error</h1></body></html>\n"
            self.send_head(500, [("Content-Type", "text/html")], len(page))
            if self.command != "HEAD":
                self.wfile.write(page)
            return
        status, headers, data = self.forward(body)
        if action == "reset-response":
            self.send_head(status, headers, len(data))
            self.wfile.write(data[:len(data) // 2])
            self.reset()
        elif action == "truncate":
            self.send_head(status, headers, len(data))
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif action == "malformed":
            cut = data[:len(data) // 2] if data.startswith(b"{") else b'{"status": "val'
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            self.send_head(200, headers + [("Content-Type", "application/json")], len(cut))
            self.wfile.write(cut)
        else:
            self.send_head(status, headers, len(data))
            if self.command != "HEAD":
                self.wfile.write(data)

    do_GET = route
    do_POST = route
    do_HEAD = route


def fault_proxy(upstream_port, cert, key, control, port):
    FaultHandler.upstream_port = upstream_port
    FaultHandler.control = control
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), FaultHandler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("PORT", server.server_address[1], flush=True)
    server.serve_forever()


def main():
    mode = sys.argv[1]
    if mode == "server":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        serve(context)
    elif mode == "plain":
        serve(None)
    elif mode == "proxy":
        proxy(sys.argv[2])
    elif mode == "silent":
        silent()
    elif mode == "fault-proxy":
        fault_proxy(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5],
                    int(sys.argv[6]) if len(sys.argv) > 6 else 0)


if __name__ == "__main__":
    main()
