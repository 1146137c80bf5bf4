#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certsrv test server behind real authentication (issue 4, protocols.md §2 and §8).

Usage: certsrv-server.py DIR
Builds everything in DIR (made world-traversable: Apache's children run as www-data
when this runs as root) and starts, on 127.0.0.1 and free ports:
  - an MIT Kerberos realm CERTWIZ.TEST (krb5kdc) with alice and HTTP/localhost, and a
    ticket for alice in DIR/krb5/cc;
  - Apache (Debian apache2, own config, mpm_prefork + mod_cgi) with TLS:
      https://localhost:P1/basic[/de]/certsrv/      AuthType Basic (htpasswd)
      https://localhost:P1/negotiate[/de]/certsrv/  AuthType GSSAPI (mod_auth_gssapi)
      https://localhost:P2/cert[/de]/certsrv/       TLS client certificate required
  - an NTLM front end (Python, HTTP/1.1 keep-alive, TLS) whose NTLMv2 responses are
    checked by impacket's server-side NTLM code (impacket.smbserver.computeNTLMv2):
      https://localhost:P3/ntlm[/de]/certsrv/
Every front end serves the same pages (certsrv_app.py) from the same state.
Prints a key file ([certsrv] group) on stdout followed by a line "# ready", or
"missing=<tools>" when a tool is not installed. Runs until stdin closes, then stops
everything it started (by pid).
"""

import base64
import hashlib
import http.server
import os
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import certsrv_app  # noqa: E402

REALM = 'CERTWIZ.TEST'
USER = 'alice'
PASSWORD = 'Corr3ct-h0rse'
NTLM_DOMAIN = 'CONTOSO'

children = []


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, **kw)


def openssl(*args):
    run(['openssl'] + list(args))


def write(path, text, mode=0o644):
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, mode)


def make_pki(d):
    """TLS server and client certificates, and the CA the pages sign with: a root and
    the issuing CA's two signing certificates (renewal 0 and 1, different keys)."""
    os.makedirs(d)
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']

    def ca(name, cn):
        openssl('req', '-x509', *ec, '-keyout', f'{d}/{name}.key', '-out', f'{d}/{name}.pem',
                '-days', '2', '-subj', f'/CN={cn}',
                '-addext', 'basicConstraints=critical,CA:TRUE',
                '-addext', 'keyUsage=critical,keyCertSign,cRLSign')

    def leaf(name, issuer, subj, ext, days='2'):
        openssl('req', '-new', *ec, '-keyout', f'{d}/{name}.key', '-out', f'{d}/{name}.csr',
                '-subj', subj)
        write(f'{d}/{name}.ext', ext)
        openssl('x509', '-req', '-in', f'{d}/{name}.csr', '-CA', f'{d}/{issuer}.pem',
                '-CAkey', f'{d}/{issuer}.key', '-CAcreateserial', '-days', days,
                '-extfile', f'{d}/{name}.ext', '-out', f'{d}/{name}.pem')

    ca('tls-ca', 'Certwiz test TLS CA')
    leaf('tls', 'tls-ca', '/CN=localhost',
         'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
    ca('client-ca', 'Certwiz test client CA')
    leaf('client', 'client-ca', f'/CN={USER}', 'extendedKeyUsage=clientAuth\n')
    ca('root', 'Contoso Test Root CA')
    ca_ext = ('basicConstraints=critical,CA:TRUE,pathlen:0\n'
              'keyUsage=critical,keyCertSign,cRLSign\n'
              'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n')
    for renewal in ('0', '1'):
        leaf(f'ca{renewal}', 'root', '/DC=test/DC=contoso/CN=Contoso Issuing CA', ca_ext)
    for name in os.listdir(d):
        os.chmod(f'{d}/{name}', 0o644)   # test material, read by www-data
    os.chmod(f'{d}/client.key', 0o600)


def make_realm(k):
    """protocols.md §8"""
    os.makedirs(f'{k}/kdc')
    port = free_port()
    write(f'{k}/krb5.conf',
          f'[libdefaults]\n default_realm = {REALM}\n dns_lookup_kdc = false\n'
          f' dns_lookup_realm = false\n rdns = false\n udp_preference_limit = 1\n'
          f'[realms]\n {REALM} = {{\n  kdc = 127.0.0.1:{port}\n }}\n'
          f'[domain_realm]\n localhost = {REALM}\n')
    write(f'{k}/kdc/kdc.conf',
          f'[kdcdefaults]\n kdc_listen = 127.0.0.1:{port}\n kdc_tcp_listen = 127.0.0.1:{port}\n'
          f'[realms]\n {REALM} = {{\n  database_name = {k}/kdc/principal\n'
          f'  key_stash_file = {k}/kdc/stash\n  acl_file = {k}/kdc/kadm5.acl\n }}\n')
    env = dict(os.environ, KRB5_CONFIG=f'{k}/krb5.conf', KRB5_KDC_PROFILE=f'{k}/kdc/kdc.conf',
               KRB5CCNAME=f'FILE:{k}/cc')
    run(['kdb5_util', 'create', '-s', '-r', REALM, '-P', 'master-' + PASSWORD], env=env)
    run(['kadmin.local', '-q', f'addprinc -pw {PASSWORD} {USER}'], env=env)
    run(['kadmin.local', '-q', 'addprinc -randkey HTTP/localhost'], env=env)
    run(['kadmin.local', '-q', f'ktadd -k {k}/http.keytab HTTP/localhost'], env=env)
    os.chmod(f'{k}/http.keytab', 0o644)   # read by www-data; a throwaway realm
    kdc = subprocess.Popen(['krb5kdc', '-n', '-P', f'{k}/kdc.pid'], env=env,
                           stdout=subprocess.DEVNULL, stderr=open(f'{k}/kdc.log', 'w'))
    children.append(kdc)
    for _ in range(100):
        try:
            run(['kinit', USER], env=env, input=(PASSWORD + '\n').encode())
            break
        except subprocess.CalledProcessError:
            time.sleep(0.05)
    else:
        raise RuntimeError('kinit failed')
    return env


def start_apache(root, pki, k, port_main, port_cert):
    a = f'{root}/apache'
    os.makedirs(f'{a}/run')
    www = f'{root}/www'
    os.makedirs(www)
    for name in ('certsrv.cgi', 'certsrv_app.py'):
        shutil.copy(f'{HERE}/{name}', f'{www}/{name}')
    os.chmod(f'{www}/certsrv.cgi', 0o755)
    write(f'{root}/htpasswd', f'{USER}:{{SHA}}' +
          base64.b64encode(hashlib.sha1(PASSWORD.encode()).digest()).decode() + '\n')
    m = '/usr/lib/apache2/modules'
    modules = ['mpm_prefork', 'authn_core', 'authn_file', 'authz_core', 'authz_user',
               'auth_basic', 'auth_gssapi', 'ssl', 'socache_shmcb', 'cgi', 'alias', 'env']
    user = 'User www-data\nGroup www-data\n' if os.geteuid() == 0 else ''
    cgi = (f'SetEnv CERTSRV_ROOT {root}\nSetEnv KRB5_CONFIG {k}/krb5.conf\n'
           f'<Directory {www}>\n Options +ExecCGI\n Require all granted\n</Directory>\n')
    tls = (f' SSLEngine on\n SSLCertificateFile {pki}/tls.pem\n'
           f' SSLCertificateKeyFile {pki}/tls.key\n')
    conf = ''.join(f'LoadModule {n}_module {m}/mod_{n}.so\n' for n in modules) + f"""
ServerRoot {a}
ServerName localhost
DefaultRuntimeDir {a}/run
PidFile {a}/httpd.pid
ErrorLog {a}/error.log
LogLevel warn
{user}StartServers 2
MinSpareServers 1
MaxSpareServers 4
KeepAlive On
SSLSessionCache shmcb:{a}/run/ssl_cache(65536)
Listen 127.0.0.1:{port_main}
Listen 127.0.0.1:{port_cert}
{cgi}
<VirtualHost 127.0.0.1:{port_main}>
{tls}
 ScriptAliasMatch "^/(basic|negotiate)(/de)?/certsrv(/.*)?$" "{www}/certsrv.cgi$3"
 <LocationMatch "^/basic/">
  AuthType Basic
  AuthName certsrv
  AuthBasicProvider file
  AuthUserFile {root}/htpasswd
  Require valid-user
 </LocationMatch>
 <LocationMatch "^/negotiate/">
  AuthType GSSAPI
  AuthName certsrv
  GssapiCredStore keytab:{k}/http.keytab
  GssapiAllowedMech krb5
  Require valid-user
 </LocationMatch>
</VirtualHost>
<VirtualHost 127.0.0.1:{port_cert}>
{tls}
 SSLVerifyClient require
 SSLVerifyDepth 2
 SSLCACertificateFile {pki}/client-ca.pem
 SSLUserName SSL_CLIENT_S_DN_CN
 ScriptAliasMatch "^/cert(/de)?/certsrv(/.*)?$" "{www}/certsrv.cgi$2"
</VirtualHost>
"""
    write(f'{a}/httpd.conf', conf)
    env = dict(os.environ, APACHE_RUN_DIR=f'{a}/run', APACHE_LOCK_DIR=f'{a}/run',
               APACHE_LOG_DIR=a, KRB5_CONFIG=f'{k}/krb5.conf')
    proc = subprocess.Popen(['/usr/sbin/apache2', '-f', f'{a}/httpd.conf', '-DFOREGROUND'],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # prefork's stop signals its group
    children.append(proc)
    for port in (port_main, port_cert):
        wait_port(port, proc, f'{a}/error.log')


def wait_port(port, proc, log):
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError(f'server exited: {open(log).read() if log else ""}')
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.025)
    raise RuntimeError(f'port {port} never opened')


# ---- NTLM front end ----

class NtlmHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'   # keep-alive: NTLM authenticates the connection
    app = None

    def log_message(self, *args):
        pass

    def _reply(self, status, content_type, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _unauthorized(self, token=None):
        value = 'NTLM' if token is None else 'NTLM ' + base64.b64encode(token).decode()
        self._reply(401, 'text/html', b'<HTML><Body>401 Unauthorized</Body></HTML>',
                    [('WWW-Authenticate', value)])

    def _authenticate(self):
        from impacket import ntlm, nt_errors
        from impacket.smbserver import computeNTLMv2

        header = self.headers.get('Authorization', '')
        if not header.startswith('NTLM '):
            return False
        blob = base64.b64decode(header[5:])
        kind = blob[8] if len(blob) > 8 else 0
        if kind == 1:
            negotiate = ntlm.NTLMAuthNegotiate()
            negotiate.fromString(blob)
            flags = (ntlm.NTLMSSP_NEGOTIATE_VERSION | ntlm.NTLMSSP_NEGOTIATE_TARGET_INFO |
                     ntlm.NTLMSSP_TARGET_TYPE_SERVER | ntlm.NTLMSSP_NEGOTIATE_NTLM |
                     ntlm.NTLMSSP_REQUEST_TARGET)
            for f in (ntlm.NTLMSSP_NEGOTIATE_56, ntlm.NTLMSSP_NEGOTIATE_128,
                      ntlm.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
                      ntlm.NTLMSSP_NEGOTIATE_UNICODE, ntlm.NTLM_NEGOTIATE_OEM):
                flags |= negotiate['flags'] & f
            av = ntlm.AV_PAIRS()
            av[ntlm.NTLMSSP_AV_HOSTNAME] = av[ntlm.NTLMSSP_AV_DNS_HOSTNAME] = 'CERTSRV'.encode('utf-16le')
            av[ntlm.NTLMSSP_AV_DOMAINNAME] = av[ntlm.NTLMSSP_AV_DNS_DOMAINNAME] = NTLM_DOMAIN.encode('utf-16le')
            domain = NTLM_DOMAIN.encode('utf-16le')
            challenge = ntlm.NTLMAuthChallenge()
            challenge['flags'] = flags
            challenge['domain_len'] = challenge['domain_max_len'] = len(domain)
            challenge['domain_offset'] = 40 + 16
            challenge['challenge'] = os.urandom(8)
            challenge['domain_name'] = domain
            raw_av = av.getData()
            challenge['TargetInfoFields_len'] = challenge['TargetInfoFields_max_len'] = len(raw_av)
            challenge['TargetInfoFields'] = raw_av
            challenge['TargetInfoFields_offset'] = 40 + 16 + len(domain)
            challenge['Version'] = b'\xff' * 8
            challenge['VersionLen'] = 8
            self.server_negotiate = negotiate
            self.server_challenge = challenge
            self._unauthorized(challenge.getData())
            return None
        if kind == 3 and getattr(self, 'server_challenge', None) is not None:
            auth = ntlm.NTLMAuthChallengeResponse()
            auth.fromString(blob)
            # libcurl negotiates OEM (8-bit) strings; impacket expects UTF-16LE
            codec = 'utf-16le' if auth['flags'] & ntlm.NTLMSSP_NEGOTIATE_UNICODE else 'latin-1'
            user = auth['user_name'].decode(codec)
            domain = auth['domain_name'].decode(codec)
            auth['domain_name'] = domain.encode('utf-16le')
            ok = False
            if user.lower() == USER and len(auth['ntlm']) > 24:
                code, _ = computeNTLMv2(user.lower(), '', ntlm.compute_nthash(PASSWORD),
                                        self.server_challenge['challenge'], auth,
                                        self.server_challenge, self.server_negotiate)
                ok = code == nt_errors.STATUS_SUCCESS
            self.server_challenge = None
            if ok:
                self.ntlm_user = f'{domain}\\{user}'.lower()
                return True
        return False

    def _handle(self, method):
        length = int(self.headers.get('Content-Length') or 0)
        data = self.rfile.read(length) if length else b''
        if getattr(self, 'ntlm_user', None) is None:
            ok = self._authenticate()
            if ok is None:
                return
            if not ok:
                self._unauthorized()
                return
        url = urllib.parse.urlsplit(self.path)
        m = url.path.split('/certsrv', 1)
        if not url.path.startswith('/ntlm/') or len(m) != 2:
            self._reply(404, 'text/html', b'<HTML><Body>Not found</Body></HTML>')
            return
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        form = dict(urllib.parse.parse_qsl(data.decode('utf-8', 'replace'),
                                           keep_blank_values=True))
        lang = 'de' if '/de/certsrv' in url.path else 'en'
        response = self.app.handle(method, m[1], query, form, self.ntlm_user, lang)
        self._reply(response.status, response.content_type, response.body)

    def do_GET(self):
        self._handle('GET')

    def do_POST(self):
        self._handle('POST')


class ThreadingHTTPSServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def start_ntlm(root, pki, port):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(f'{pki}/tls.pem', f'{pki}/tls.key')
    NtlmHandler.app = certsrv_app.Server(root)
    server = ThreadingHTTPSServer(('127.0.0.1', port), NtlmHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop_children():
    for proc in reversed(children):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


def main():
    root = os.path.abspath(sys.argv[1])
    tools = {'apache2': '/usr/sbin/apache2', 'krb5kdc': 'krb5kdc', 'kdb5_util': 'kdb5_util',
             'kadmin.local': 'kadmin.local', 'kinit': 'kinit', 'openssl': 'openssl'}
    missing = [n for n, t in tools.items() if shutil.which(t) is None]
    if not os.path.exists('/usr/lib/apache2/modules/mod_auth_gssapi.so'):
        missing.append('libapache2-mod-auth-gssapi')
    try:
        import impacket.smbserver  # noqa: F401
    except ImportError:
        missing.append('python3-impacket')
    if missing:
        print('missing=' + ','.join(missing), flush=True)
        return

    os.makedirs(root, exist_ok=True)
    os.chmod(root, 0o755)
    parent = os.path.dirname(root)
    while parent != '/' and os.geteuid() == 0:
        # www-data must reach root: add o+x to the temporary parents only
        if parent.startswith(('/tmp', '/var/tmp')):
            os.chmod(parent, os.stat(parent).st_mode | 0o001)
        parent = os.path.dirname(parent)
    state = f'{root}/state'
    os.makedirs(state)
    os.chmod(state, 0o777)
    pki = f'{root}/pki'
    make_pki(pki)
    os.makedirs(f'{root}/ca')
    for name in ('root.pem', 'ca0.pem', 'ca1.pem', 'ca1.key'):
        shutil.copy(f'{pki}/{name}', f'{root}/ca/{name}')
        os.chmod(f'{root}/ca/{name}', 0o644)
    k = f'{root}/krb5'
    make_realm(k)
    port_main, port_cert = free_port(), free_port()
    start_apache(root, pki, k, port_main, port_cert)
    # The NTLM server binds its own port (0: the kernel's choice) after Apache is up: a port
    # picked beforehand may meanwhile be the source port of a connection (EADDRINUSE)
    ntlm_server = start_ntlm(root, pki, 0)
    port_ntlm = ntlm_server.server_address[1]

    base = f'https://localhost:{port_main}'
    print('[certsrv]')
    print(f'basic={base}/basic/certsrv/')
    print(f'basic-de={base}/basic/de/certsrv/')
    print(f'negotiate={base}/negotiate/certsrv/')
    print(f'negotiate-de={base}/negotiate/de/certsrv/')
    print(f'cert=https://localhost:{port_cert}/cert/certsrv/')
    print(f'ntlm=https://localhost:{port_ntlm}/ntlm/certsrv/')
    print(f'ntlm-de=https://localhost:{port_ntlm}/ntlm/de/certsrv/')
    print(f'http-basic=http://localhost:{port_main}/basic/certsrv/')
    print(f'trust={pki}/tls-ca.pem')
    print(f'client-cert={pki}/client.pem')
    print(f'client-key={pki}/client.key')
    print(f'user={USER}')
    print(f'ntlm-user={NTLM_DOMAIN}\\\\{USER}')
    print(f'password={PASSWORD}')
    print(f'krb5-config={k}/krb5.conf')
    print(f'krb5ccname=FILE:{k}/cc')
    print(f'state={state}')
    print(f'ca-current={pki}/ca1.pem')
    print(f'ca-old={pki}/ca0.pem')
    print(f'root={pki}/root.pem')
    print('# ready', flush=True)
    try:
        sys.stdin.read()
    finally:
        ntlm_server.shutdown()
        stop_children()


if __name__ == '__main__':
    try:
        main()
    finally:
        stop_children()
