#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""CGI front of the certsrv test server under Apache (Basic, Negotiate, client
certificates). Apache has authenticated the caller: REMOTE_USER is who they are."""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import certsrv_app  # noqa: E402


def main():
    method = os.environ.get('REQUEST_METHOD', 'GET')
    uri = os.environ.get('REQUEST_URI', '')
    query = dict(urllib.parse.parse_qsl(os.environ.get('QUERY_STRING', ''),
                                        keep_blank_values=True))
    form = {}
    if method == 'POST':
        length = int(os.environ.get('CONTENT_LENGTH') or 0)
        data = sys.stdin.buffer.read(length).decode('utf-8', 'replace')
        form = dict(urllib.parse.parse_qsl(data, keep_blank_values=True))
    lang = 'de' if '/de/certsrv' in uri else 'en'
    user = os.environ.get('REMOTE_USER', '')
    server = certsrv_app.Server(os.environ['CERTSRV_ROOT'])
    response = server.handle(method, os.environ.get('PATH_INFO', ''), query, form, user, lang)
    out = sys.stdout.buffer
    out.write(f'Status: {response.status}\r\nContent-Type: {response.content_type}\r\n'
              f'Content-Length: {len(response.body)}\r\n\r\n'.encode('ascii'))
    out.write(response.body)
    out.flush()


main()
