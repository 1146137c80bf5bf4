# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certsrv test server's pages: AD CS Web Enrollment as protocols.md §2 documents it.

One function, handle(), serves /certsrv/, certfnsh.asp (Mode=newreq and Mode=chkpnd),
certnew.cer, certnew.p7b and certcarc.asp. Apache runs it as a CGI script behind Basic,
Negotiate (mod_auth_gssapi) and TLS client certificates; the NTLM front end
(certsrv-server.py) calls it in process. The CA signs with `openssl`.

Dispositions, chosen by the CertificateTemplate attribute, like a CA's templates:
  WebServer        issued at once (disposition 3, certrsis.asp)
  ManagerApproval  taken under submission (5, certrspn.asp); the test approves it by
                   creating <state>/<id>.approve or denies it with <state>/<id>.deny
  Restricted       denied by the policy module (2, certrsdn.asp), 0x80094012
  anything else    error (certrser.asp), 0x80094800 the template is not supported

The markup follows Microsoft's certrs*.asp pages (element ids such as locPageTitle,
locInfoReqID, locDenied, locDispMsgLabel; the certnew.cer?ReqID= links). Only the words
differ between the English and the German pages, as on a localised Windows server.
"""

import fcntl
import html
import json
import os
import re
import subprocess
import tempfile

CR_DISP_ERROR = 1
CR_DISP_DENIED = 2
CR_DISP_ISSUED = 3
CR_DISP_UNDER_SUBMISSION = 5

TEXT = {
    'en': {
        'service': 'Microsoft Active Directory Certificate Services',
        'welcome': 'Welcome',
        'issued': 'Certificate Issued',
        'issued_info': 'The certificate you requested was issued to you.',
        'download_cert': 'Download certificate: ',
        'download_chain': 'Download certificate chain: ',
        'der': 'DER encoded', 'b64': 'Base 64 encoded', 'or': ' or ',
        'pending': 'Certificate Pending',
        'pending_new': 'Your certificate request has been received. However, you must wait '
                       'for an administrator to issue the certificate you requested.',
        'pending_chk': 'Your certificate request is still pending. You must wait for an '
                       'administrator to issue the certificate you requested.',
        'req_id': 'Your Request Id is {}.',
        'denied': 'Certificate Request Denied',
        'denied_info': 'Your certificate request was denied.',
        'contact': 'Contact your administrator for further information.',
        'disp_msg': 'The disposition message is "{}".',
        'error': 'Error',
        'req_failed': 'Your request failed. An error occurred while the server was '
                      'processing your request.',
        'chk_failed': 'An error occurred while the server was checking on your pending '
                      'certificate request.',
        'mode': 'Request Mode:', 'disposition': 'Disposition:',
        'disp_label': 'Disposition message:', 'result': 'Result:', 'last': 'LastStatus:',
        'none': '(none)', 'never': '(never set)',
        'unsupported': 'The requested certificate template is not supported by this CA.',
        'template_denied': 'Denied by Policy Module  0x80094012, The permissions on the '
                           'certificate template do not allow the current user to enroll '
                           'for this type of certificate.',
        'admin_denied': 'Denied by {}',
        'bad_request': 'The request contains no certificate template information.',
        'no_request': 'Cannot find the request.',
    },
    'de': {
        'service': 'Microsoft Active Directory-Zertifikatdienste',
        'welcome': 'Willkommen',
        'issued': 'Zertifikat wurde ausgestellt',
        'issued_info': 'Das angeforderte Zertifikat wurde für Sie ausgestellt.',
        'download_cert': 'Zertifikat herunterladen: ',
        'download_chain': 'Zertifikatkette herunterladen: ',
        'der': 'DER-codiert', 'b64': 'Base64-codiert', 'or': ' oder ',
        'pending': 'Ausstehendes Zertifikat',
        'pending_new': 'Die Zertifikatanforderung wurde empfangen. Sie müssen jedoch warten, '
                       'bis ein Administrator das angeforderte Zertifikat ausstellt.',
        'pending_chk': 'Die Zertifikatanforderung ist noch ausstehend. Sie müssen warten, '
                       'bis ein Administrator das angeforderte Zertifikat ausstellt.',
        'req_id': 'Ihre Anforderungs-ID ist {}.',
        'denied': 'Zertifikatanforderung verweigert',
        'denied_info': 'Die Zertifikatanforderung wurde verweigert.',
        'contact': 'Wenden Sie sich an den Administrator, um weitere Informationen zu erhalten.',
        'disp_msg': 'Die Dispositionsmeldung lautet: „{}“.',
        'error': 'Fehler',
        'req_failed': 'Fehler bei der Anforderung. Beim Verarbeiten der Anforderung ist auf '
                      'dem Server ein Fehler aufgetreten.',
        'chk_failed': 'Beim Überprüfen der ausstehenden Zertifikatanforderung ist auf dem '
                      'Server ein Fehler aufgetreten.',
        'mode': 'Anforderungsmodus:', 'disposition': 'Disposition:',
        'disp_label': 'Dispositionsmeldung:', 'result': 'Ergebnis:', 'last': 'Letzter Status:',
        'none': '(keine)', 'never': '(nie festgelegt)',
        'unsupported': 'Die angeforderte Zertifikatvorlage wird von dieser '
                       'Zertifizierungsstelle nicht unterstützt.',
        'template_denied': 'Vom Richtlinienmodul verweigert  0x80094012, Die Berechtigungen '
                           'für die Zertifikatvorlage lassen nicht zu, dass der aktuelle '
                           'Benutzer sich für diesen Zertifikattyp registriert.',
        'admin_denied': 'Verweigert von {}',
        'bad_request': 'Die Anforderung enthält keine Zertifikatvorlageninformationen.',
        'no_request': 'Die Anforderung wurde nicht gefunden.',
    },
}


class Response:
    def __init__(self, status=200, content_type='text/html; charset=utf-8', body=b''):
        self.status = status
        self.content_type = content_type
        self.body = body if isinstance(body, bytes) else body.encode('utf-8')


def _page(lang, title, body):
    t = TEXT[lang]
    return ('<HTML>\n<Head>\n\t<Meta HTTP-Equiv="Content-Type" Content="text/html; charset=UTF-8">\n'
            f'\t<Title>{t["service"]}</Title>\n</Head>\n'
            '<Body BgColor=#FFFFFF Link=#0000FF VLink=#0000FF ALink=#0000FF>'
            '<Font ID=locPageFont Face="Arial">\n'
            f'<Table Border=0 CellSpacing=0 CellPadding=4 Width=100% BgColor=#008080><TR>'
            f'<TD><Font Color=#FFFFFF><LocID ID=locMSCertSrv><Font Face="Arial" Size=-1>'
            f'{t["service"]} &nbsp;--&nbsp; Contoso Issuing CA &nbsp;</Font></LocID></Font></TD>'
            '</TR></Table>\n'
            f'<P ID=locPageTitle> <B> {title} </B>\n'
            f'{body}\n</Font>\n</Body>\n</HTML>\n')


def _error_fields(lang, mode, disposition, message, result, last_status):
    t = TEXT[lang]
    disp = t['never'] if disposition is None else f'{disposition:X} <LocID ID=locDispSpacer>-</LocID> Error'
    return (f'<DL>\n<DT ID=locModeLabel><Font Size=-1><B>{t["mode"]}</B></Font></DT><DD>\n\t\t'
            f'{mode} <LocID ID=locModeSpacer>-</LocID> </DD>\n'
            f'<DT ID=locDispLabel><Font Size=-1><B>{t["disposition"]}</B></Font></DT><DD>\n\t\t{disp}\n</DD>\n'
            f'<DT ID=locDispMsgLabel><Font Size=-1><B>{t["disp_label"]}</B></Font></DT><DD>\n\t\t'
            + (html.escape(message) if message else f'<LocID ID=locDispMsgNone>{t["none"]}</LocID>')
            + '\n</DD>\n'
            f'<DT ID=locResultLabel><Font Size=-1><B>{t["result"]}</B></Font></DT><DD>\n\t\t'
            f'{html.escape(result)}\n</DD>\n'
            f'<DT ID=locLastStatLabel><Font Size=-1><B>{t["last"]}</B></Font></DT><DD>\n\t\t'
            f'{html.escape(last_status)}\n</DD>\n</DL>\n')


def page_issued(lang, req_id):
    t = TEXT[lang]
    # Browser mode (we sent a Mozilla User-Agent): the JavaScript location= links
    body = (f'<P ID=locInfo> {t["issued_info"]}</P>\n'
            '<P><Form Name=UIForm>\n'
            f'<Input Type=Radio ID=rbDerEnc Name=rbEncoding Checked><Label For=rbDerEnc ID=locDerEnc0>{t["der"]}</Label>\n'
            f'<Input Type=Radio ID=rbB64Enc Name=rbEncoding><Label For=rbB64Enc ID=locB64Enc0>{t["b64"]}</Label>\n'
            f'<A Href="#" OnClick="handleGetCert();return false;"><LocID ID=locDownloadCert3>{t["download_cert"]}</LocID></A><BR>\n'
            f'<A Href="#" OnClick="handleGetChain();return false;"><LocID ID=locDownloadCertChain3>{t["download_chain"]}</LocID></A>\n'
            '</Form></P>\n'
            '<Script Language="JavaScript">\n'
            '\tfunction handleGetCert() {\n'
            f'\t\tlocation="certnew.cer?ReqID={req_id}&"+getEncoding();\n\t}}\n'
            '\tfunction handleGetChain() {\n'
            f'\t\tlocation="certnew.p7b?ReqID={req_id}&"+getEncoding();\n\t}}\n'
            '\tfunction getEncoding() {\n'
            '\t\tif (true==document.UIForm.rbEncoding[0].checked) {\n\t\t\treturn "Enc=bin";\n'
            '\t\t} else {\n\t\t\treturn "Enc=b64";\n\t\t}\n\t}\n</Script>\n')
    return _page(lang, t['issued'], body)


def page_pending(lang, mode, req_id):
    t = TEXT[lang]
    if mode == 'chkpnd':
        body = f'<P ID=locInfoChkPnd> {t["pending_chk"]} </P>\n'
    else:
        body = (f'<P ID=locInfoNewReq> {t["pending_new"]} </P>\n\n'
                f'<P ID=locInfoReqID>\n{t["req_id"].format(req_id)}\n</P>\n')
    return _page(lang, t['pending'], body)


def page_denied(lang, req_id, message):
    t = TEXT[lang]
    body = (f'<P ID=locDenied> {t["denied_info"]} </P>\n'
            f'<P ID=locContactAdmin>{t["contact"]}\n</P>\n'
            f'<P ID=locInfoReqID>{t["req_id"].format(req_id)}</P>\n'
            f'<P ID=locDispMsg>{html.escape(t["disp_msg"].format(message))}</P>\n')
    return _page(lang, t['denied'], body)


def page_error(lang, mode, message, result, last_status, disposition=None):
    t = TEXT[lang]
    intro = (f'<P ID=locChkPndFailed> {t["chk_failed"]}\n</P>\n' if mode == 'chkpnd'
             else f'<P ID=locReqFailed> {t["req_failed"]}\n</P>\n')
    body = (intro + f'<P ID=locContactAdmin>{t["contact"]}\n</P>\n<DL><DD>\n'
            + _error_fields(lang, mode, disposition, message, result, last_status)
            + '</DD></DL>\n')
    return _page(lang, t['error'], body)


class Server:
    """State in <root>/state (requests) and the CA in <root>/ca."""

    def __init__(self, root):
        self.root = root
        self.state = os.path.join(root, 'state')
        self.ca = os.path.join(root, 'ca')

    # ---- Requests on disk ----

    def _next_id(self):
        path = os.path.join(self.state, 'next_id')
        with open(path, 'a+') as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0)
            text = f.read().strip()
            n = int(text) if text else 1
            f.seek(0)
            f.truncate()
            f.write(str(n + 1))
        return n

    def _load(self, req_id):
        try:
            with open(os.path.join(self.state, f'{int(req_id)}.json')) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def _save(self, req_id, record):
        path = os.path.join(self.state, f'{req_id}.json')
        with open(path + '.tmp', 'w') as f:
            json.dump(record, f)
        os.replace(path + '.tmp', path)

    def _issue(self, req_id, record):
        csr = os.path.join(self.state, f'{req_id}.csr')
        out = os.path.join(self.state, f'{req_id}.pem')
        subprocess.run(['openssl', 'x509', '-req', '-in', csr,
                        '-CA', os.path.join(self.ca, 'ca1.pem'),
                        '-CAkey', os.path.join(self.ca, 'ca1.key'),
                        '-set_serial', str(0x1000 + req_id), '-days', '30',
                        '-copy_extensions', 'copy', '-out', out],
                       check=True, capture_output=True)
        record['state'] = 'issued'
        self._save(req_id, record)

    def _decide_pending(self, req_id, record):
        """The test's stand-in for the CA manager's console"""
        if record['state'] != 'pending':
            return
        if os.path.exists(os.path.join(self.state, f'{req_id}.approve')):
            self._issue(req_id, record)
        elif os.path.exists(os.path.join(self.state, f'{req_id}.deny')):
            with open(os.path.join(self.state, f'{req_id}.deny')) as f:
                record['deny_by'] = f.read().strip() or 'CA manager'
            record['state'] = 'denied'
            self._save(req_id, record)

    # ---- Pages ----

    def _result_page(self, lang, mode, req_id, record):
        t = TEXT[lang]
        if record['state'] == 'issued':
            return page_issued(lang, req_id)
        if record['state'] == 'pending':
            return page_pending(lang, mode, req_id)
        if record.get('deny_by'):
            message = t['admin_denied'].format(record['deny_by'])
        else:
            message = t['template_denied']
        return page_denied(lang, req_id, message)

    def newreq(self, lang, form, user):
        t = TEXT[lang]
        text = form.get('CertRequest', '')
        attrib = form.get('CertAttrib', '')
        m = re.search(r'CertificateTemplate:([^\r\n]*)', attrib)
        template = m.group(1).strip() if m else ''
        if 'BEGIN' not in text:
            text = ('-----BEGIN CERTIFICATE REQUEST-----\n' + text.strip() +
                    '\n-----END CERTIFICATE REQUEST-----\n')
        if not template:
            return page_error(lang, 'newreq', '', t['bad_request'] + ' 0x80094801 (-2146875391 CERTSRV_E_NO_CERT_TYPE)',
                              t['bad_request'] + ' 0x80094801 (-2146875391 CERTSRV_E_NO_CERT_TYPE)')
        if template not in ('WebServer', 'ManagerApproval', 'Restricted'):
            result = t['unsupported'] + ' 0x80094800 (-2146875392 CERTSRV_E_UNSUPPORTED_CERT_TYPE)'
            return page_error(lang, 'newreq',
                              t['unsupported'] + ' 0x80094800', result, result)
        req_id = self._next_id()
        csr_path = os.path.join(self.state, f'{req_id}.csr')
        with open(csr_path, 'w') as f:
            f.write(text)
        check = subprocess.run(['openssl', 'req', '-in', csr_path, '-noout', '-verify'],
                               capture_output=True)
        if check.returncode != 0:
            result = 'ASN1 bad tag value met. 0x8009310b (ASN: 267 CRYPT_E_ASN1_BADTAG)'
            return page_error(lang, 'newreq', '', result, result)
        record = {'user': user, 'template': template, 'state': 'pending'}
        self._save(req_id, record)
        if template == 'WebServer':
            self._issue(req_id, record)
        elif template == 'Restricted':
            record['state'] = 'denied'
            self._save(req_id, record)
        return self._result_page(lang, 'newreq', req_id, record)

    def chkpnd(self, lang, form, user):
        t = TEXT[lang]
        req_id = form.get('ReqID', '')
        record = self._load(req_id) if req_id.isdigit() else None
        if record is None or record['user'] != user:
            result = t['no_request'] + ' 0x80094004 (-2146877436 CERTSRV_E_PROPERTY_EMPTY)'
            return page_error(lang, 'chkpnd', '', result, result)
        self._decide_pending(int(req_id), record)
        return self._result_page(lang, 'chkpnd', int(req_id), record)

    def _ca_files(self, renewal):
        if renewal not in ('0', '1'):
            return None
        return [os.path.join(self.ca, f'ca{renewal}.pem'), os.path.join(self.ca, 'root.pem')]

    def _encode(self, pem_text, kind, enc):
        """Enc=b64: Windows' "base 64 with header": CERTIFICATE armour, CRLF line ends
        (also around PKCS#7, protocols.md §2.4); Enc=bin: DER"""
        with tempfile.NamedTemporaryFile('w', suffix='.pem', delete=False) as f:
            f.write(pem_text)
            tmp = f.name
        try:
            if kind == 'p7b':
                out = subprocess.run(['openssl', 'crl2pkcs7', '-nocrl', '-certfile', tmp,
                                      '-outform', 'DER' if enc == 'bin' else 'PEM'],
                                     check=True, capture_output=True).stdout
            else:
                out = subprocess.run(['openssl', 'x509', '-in', tmp,
                                      '-outform', 'DER' if enc == 'bin' else 'PEM'],
                                     check=True, capture_output=True).stdout
        finally:
            os.unlink(tmp)
        if enc == 'bin':
            return out
        text = out.decode('ascii')
        text = re.sub(r'-----(BEGIN|END) [A-Z0-9 #]+-----', r'-----\1 CERTIFICATE-----', text)
        return text.replace('\r\n', '\n').replace('\n', '\r\n').encode('ascii')

    def download(self, lang, kind, query, user):
        t = TEXT[lang]
        req_id = query.get('ReqID', '')
        enc = query.get('Enc', 'bin')
        ctype = 'application/pkix-cert' if kind == 'cer' else 'application/x-pkcs7-certificates'
        if req_id == 'CACert':
            files = self._ca_files(query.get('Renewal', '0'))
            if files is None:
                result = 'The parameter is incorrect. 0x80070057 (WIN32: 87 ERROR_INVALID_PARAMETER)'
                return Response(body=page_error(lang, '', '', result, result))
            if kind == 'cer':
                files = files[:1]
        else:
            record = self._load(req_id) if req_id.isdigit() else None
            if record is None or record['user'] != user:
                result = t['no_request'] + ' 0x80094004 (-2146877436 CERTSRV_E_PROPERTY_EMPTY)'
                return Response(body=page_error(lang, '', '', result, result))
            self._decide_pending(int(req_id), record)
            if record['state'] != 'issued':
                # Not issued: an HTML page, as certsrv answers (protocols.md §2.4)
                last = 'Taken Under Submission 0x0 (WIN32: 0 ERROR_SUCCESS)'
                return Response(body=page_error(lang, '', '', last, last))
            files = [os.path.join(self.state, f'{int(req_id)}.pem')]
            if kind == 'p7b':
                files += self._ca_files('1')
        pem = ''.join(open(f).read() for f in files)
        return Response(content_type=ctype, body=self._encode(pem, kind, enc))

    def handle(self, method, path, query, form, user, lang):
        t = TEXT[lang]
        name = path.rstrip('/').rsplit('/', 1)[-1].lower() if path.strip('/') else ''
        if name in ('', 'certsrv', 'default.asp'):
            return Response(body=_page(lang, t['welcome'], '<P ID=locWelcome>certsrv</P>'))
        if name == 'certfnsh.asp' and method == 'POST':
            mode = form.get('Mode', '')
            if mode == 'newreq':
                return Response(body=self.newreq(lang, form, user))
            if mode == 'chkpnd':
                return Response(body=self.chkpnd(lang, form, user))
            result = 'The parameter is incorrect. 0x80070057 (WIN32: 87 ERROR_INVALID_PARAMETER)'
            return Response(body=page_error(lang, mode, '', result, result))
        if name == 'certnew.cer' and method == 'GET':
            return self.download(lang, 'cer', query, user)
        if name == 'certnew.p7b' and method == 'GET':
            return self.download(lang, 'p7b', query, user)
        if name == 'certcarc.asp' and method == 'GET':
            body = ('<Script Language="JavaScript">\n\tvar nRenewals=1;\n'
                    '\tvar sServerConfig="localhost\\\\Contoso Issuing CA";\n</Script>\n'
                    '<P ID=locInfo>CA</P>')
            return Response(body=_page(lang, t['welcome'], body))
        return Response(status=404, body='<HTML><Body>Not found</Body></HTML>')
