#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Local peers for tests/test-http.c, each on 127.0.0.1 with a free port.

  http-peer.py server CERT KEY   HTTPS server (HTTP/1.1 keep-alive); counts TCP connections
  http-peer.py plain             the same over plain HTTP
  http-peer.py proxy COUNT_FILE  CONNECT proxy; writes how many tunnels it opened
  http-peer.py silent            accepts TCP connections and never says a word

Each prints "PORT <n>" on its first line once it listens.
"""
import base64
import http.server
import select
import socket
import socketserver
import ssl
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


if __name__ == "__main__":
    main()
