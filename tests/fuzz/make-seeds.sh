#!/bin/bash
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the seed corpora of the fuzz targets into tests/fuzz/<target>/: small, real-looking
# answers and files made with openssl and certwiz-cli for a throwaway test PKI that this
# script generates and forgets. TEST MATERIAL ONLY: no seed holds a private key in the clear;
# the one PKCS #12 with a key holds a throwaway P-256 key generated here, encrypted under the
# test password "certwiz-fuzz" and named "certwiz fuzz seed, test material".
# Usage: tests/fuzz/make-seeds.sh [CERTWIZ-CLI]   (default: _build/src/cli/certwiz-cli)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../../_build/src/cli/certwiz-cli}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pw=certwiz-fuzz
crlf() { sed 's/$/\r/'; }
rm -rf "${here:?}"/{import,acme,scep,est,adcs,store-files}
mkdir -p "$here"/{import,acme,scep,est,adcs,store-files}

# A throwaway CA and a leaf with names and EKU
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -subj "/CN=Certwiz Fuzz Seed CA/O=Certwiz test material" -days 3650 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
  -subj "/CN=www.example.com/O=Certwiz test material/C=DE" \
  -addext "subjectAltName=DNS:www.example.com,DNS:*.example.com" \
  -addext extendedKeyUsage=serverAuth,clientAuth 2>/dev/null
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -out leaf.pem \
  -copy_extensions copy 2>/dev/null
# An RSA RA certificate, for SCEP's GetCACert
openssl req -newkey rsa:2048 -nodes -keyout ra.key -out ra.csr -subj "/CN=Certwiz Fuzz Seed RA" 2>/dev/null
openssl x509 -req -in ra.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -out ra.pem \
  -extfile <(printf 'keyUsage=critical,digitalSignature,keyEncipherment\n') 2>/dev/null
cat leaf.pem ca.pem > chain.pem
openssl x509 -in leaf.pem -outform DER -out leaf.der
openssl req -in leaf.csr -outform DER -out leaf.csr.der
openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b.pem
openssl crl2pkcs7 -nocrl -certfile ra.pem -certfile ca.pem -outform DER -out ra-chain.p7b

# import: certificate files and requests
cp leaf.pem "$here/import/leaf.pem"
crlf < chain.pem > "$here/import/chain-crlf.pem"
cp leaf.der "$here/import/leaf.der"
cp leaf.csr "$here/import/request.csr"
cp leaf.csr.der "$here/import/request.csr.der"
cp chain.p7b "$here/import/chain.p7b"
cp chain.p7b.pem "$here/import/chain-p7b.pem"
openssl pkcs12 -export -nokeys -in chain.pem -passout pass:$pw -out "$here/import/certs-only.p12"
openssl pkcs12 -export -nokeys -in chain.pem -passout pass: -out "$here/import/certs-only-nopass.p12"
openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile ca.pem \
  -name "certwiz fuzz seed, test material" -passout pass:$pw -out "$here/import/throwaway-key.p12"
openssl pkcs12 -export -nokeys -in chain.pem -passout pass:$pw -legacy \
  -out "$here/import/certs-only-legacy.p12" 2>/dev/null || true

# acme: answers of an ACME CA (RFC 8555 examples, with pebble's shapes)
answer() { # NAME STATUS HEADERS BODY
  { printf 'HTTP/1.1 %s\r\n' "$2"; [ -n "$3" ] && printf '%b' "$3"; printf '\r\n%s' "$4"; } > "$here/$NAME_DIR/$1"
}
NAME_DIR=acme
answer directory 200 'Content-Type: application/json\r\n' '{"newNonce":"https://acme.example/nonce-plz","newAccount":"https://acme.example/sign-me-up","newOrder":"https://acme.example/order-plz","revokeCert":"https://acme.example/revoke-cert","keyChange":"https://acme.example/rollover-account-key","meta":{"externalAccountRequired":false,"termsOfService":"data:text/plain,Do%20what%20thou%20wilt"}}'
answer order-pending 201 'Location: https://acme.example/my-order/1\r\n' '{"status":"pending","expires":"2026-01-02T00:00:00Z","identifiers":[{"type":"dns","value":"www.example.com"}],"finalize":"https://acme.example/finalize-order/1","authorizations":["https://acme.example/authZ/1"]}'
answer order-invalid 200 '' '{"status":"invalid","error":{"type":"urn:ietf:params:acme:error:unauthorized","detail":"Order is invalid"},"identifiers":[{"type":"dns","value":"www.example.com"}],"finalize":"https://acme.example/finalize-order/1","authorizations":[]}'
answer order-ready 200 '' '{"status":"ready","finalize":"https://acme.example/finalize-order/1","authorizations":["https://acme.example/authZ/1"]}'
answer authz-pending 200 '' '{"status":"pending","identifier":{"type":"dns","value":"www.example.com"},"challenges":[{"type":"http-01","url":"https://acme.example/chalZ/1","token":"HKqdTZTGyGuRJt0A7vbKo3S6F6Ji7O9f3P9uZb9oL5k","status":"pending"},{"type":"dns-01","url":"https://acme.example/chalZ/2","token":"mTrLEkpNmDhqNL5Ce9bsMPNlATPXxP6KbfJ0JBVcDPU","status":"pending"},{"type":"tls-alpn-01","url":"https://acme.example/chalZ/3","token":"x","status":"pending"}],"expires":"2026-01-02T00:00:00Z"}'
answer authz-wildcard 200 '' '{"status":"pending","wildcard":true,"identifier":{"type":"dns","value":"example.com"},"challenges":[{"type":"dns-01","url":"https://acme.example/chalZ/4","token":"abc"}]}'
answer authz-invalid 200 '' '{"status":"invalid","identifier":{"type":"dns","value":"www.example.com"},"challenges":[{"type":"http-01","url":"https://acme.example/chalZ/1","token":"t","status":"invalid","error":{"type":"urn:ietf:params:acme:error:connection","detail":"Connection refused","status":400}}]}'
answer problem-subproblems 403 'Content-Type: application/problem+json\r\n' '{"type":"urn:ietf:params:acme:error:malformed","detail":"Some of the identifiers requested were rejected","subproblems":[{"type":"urn:ietf:params:acme:error:malformed","detail":"Invalid underscore in DNS name \"_example.org\"","identifier":{"type":"dns","value":"_example.org"}},{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"This CA will not issue for \"example.net\"","identifier":{"type":"dns","value":"example.net"}}]}'
answer problem-ratelimited 429 'Retry-After: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: application/problem+json\r\n' '{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many"}'
answer problem-badnonce 400 'Replay-Nonce: abc\r\n' '{"type":"urn:ietf:params:acme:error:badNonce","detail":"JWS has an invalid anti-replay nonce"}'
answer server-error 503 'Retry-After: 30\r\n' 'Service Unavailable'
answer certificate 200 'Content-Type: application/pem-certificate-chain\r\nLink: <https://acme.example/cert/1/1>;rel="alternate"\r\nLink: <https://acme.example/dir>;rel="index"\r\n' "$(cat chain.pem)"

# scep: one byte for the operation (0 GetCACaps, 1 GetCACert, 2 PKIOperation), then the answer
NAME_DIR=scep
{ printf '\0'; printf 'HTTP/1.1 200\r\nContent-Type: text/plain\r\n\r\nPOSTPKIOperation\nRenewal\nSHA-256\nAES\nSCEPStandard\n'; } > "$here/scep/caps"
{ printf '\0'; printf 'HTTP/1.1 200\r\n\r\nGetCACert\r\nSHA-1\r\nDES3\r\n'; } > "$here/scep/caps-old"
{ printf '\1'; printf 'HTTP/1.1 200\r\nContent-Type: application/x-x509-ca-cert\r\n\r\n'; openssl x509 -in ra.pem -outform DER; } > "$here/scep/cacert"
{ printf '\1'; printf 'HTTP/1.1 200\r\nContent-Type: application/x-x509-ca-ra-cert\r\n\r\n'; cat ra-chain.p7b; } > "$here/scep/cacert-ra"
printf 'certrep' > rep.txt
{ printf '\2'; printf 'HTTP/1.1 200\r\nContent-Type: application/x-pki-message\r\n\r\n';
  openssl cms -sign -in rep.txt -signer ra.pem -inkey ra.key -certfile ca.pem -binary -nodetach -outform DER; } > "$here/scep/certrep-signed"
{ printf '\2'; printf 'HTTP/1.1 200\r\n\r\n';
  openssl cms -sign -in /dev/null -signer ra.pem -inkey ra.key -binary -outform DER; } > "$here/scep/certrep-detached"

# est: base64 certs-only PKCS #7 (cacerts, simpleenroll), csrattrs, error texts
NAME_DIR=est
answer cacerts 200 'Content-Type: application/pkcs7-mime; smime-type=certs-only\r\nContent-Transfer-Encoding: base64\r\n' "$(base64 chain.p7b)"
answer simpleenroll 200 'Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n' "$(openssl crl2pkcs7 -nocrl -certfile leaf.pem -outform DER | base64 -w 64 | crlf)"
cat > csrattrs.cnf <<'CNF'
asn1 = SEQUENCE:attrs
[attrs]
cp = OID:challengePassword
ec = OID:1.2.840.10045.2.1
ext = SEQUENCE:extreq
sha = OID:ecdsa-with-SHA256
[extreq]
type = OID:1.2.840.113549.1.9.14
values = SET:extvals
[extvals]
san = OID:subjectAltName
CNF
openssl asn1parse -genconf csrattrs.cnf -noout -out csrattrs.der
answer csrattrs 200 'Content-Type: application/csrattrs\r\n' "$(base64 csrattrs.der)"
answer error-text 400 'Content-Type: text/plain; charset=utf-8\r\n' 'The request was rejected: subject not allowed by policy.'
answer error-html 500 'Content-Type: text/html\r\nRetry-After: Sun, 06 Nov 1994 08:49:37 GMT\r\n' '<html><body><h1>Internal error</h1><p>Try again</p></body></html>'
answer pending 202 'Retry-After: 60\r\n' ''

# adcs: Web Enrollment pages (certfnsh.asp dispositions) and certificates
NAME_DIR=adcs
answer issued 200 'Content-Type: text/html\r\n' '<HTML><Head><Meta HTTP-Equiv="Content-Type" Content="text/html; charset=UTF-8"><Title>Microsoft Active Directory Certificate Services</Title></Head><Body><P ID=locPageTitle><B> Certificate Issued </B></P><P ID=locInfoIssued>The certificate you requested was issued to you.</P><A Href="certnew.cer?ReqID=12&amp;Enc=b64">Download certificate</A><script>function handleGetCert() { location="certnew.cer?ReqID=12&"+getEncoding(); }</script></Body></HTML>'
answer pending 200 'Content-Type: text/html\r\n' '<HTML><Body><P ID=locPageTitle><B>Certificate Pending</B></P><P ID=locInfoReqID>Your Request Id is 13.</P><P ID=locInfoChkPnd>Please return to this web site in a day or two to retrieve your certificate.</P></Body></HTML>'
answer denied 200 'Content-Type: text/html\r\n' '<HTML><Body><P ID=locDenied>Your certificate request was denied.</P><P ID=locInfoReqID>Your Request Id is 14.</P><P ID=locDispMsgLabel>The disposition message is "Denied by Policy Module  0x80094012, The permissions on the certificate template do not allow the current user to enroll for this type of certificate.".</P></Body></HTML>'
answer error 200 'Content-Type: text/html\r\n' '<HTML><Body><P ID=locReqFailed>Your request failed. An error occurred while the server was processing your request.</P><P ID=locResultLabel>The server returned: <B>The request contains no certificate template information. 0x80094801 (-2146875391 CERTSRV_E_NO_CERT_TYPE)</B></P><P ID=locDispMsgLabel>Denied by Policy Module</P></Body></HTML>'
answer plain-pending 200 'Content-Type: text/html\r\n' '<html><body>Certificate Pending. Your Request Id is 15.</body></html>'
answer plain-denied 200 'Content-Type: text/html\r\n' '<html><body>Your Request Id is 16. The disposition message is "Denied by Policy Module".</body></html>'
answer certnew-cer 200 'Content-Type: application/pkix-cert\r\n' "$(crlf < leaf.pem)"
answer certnew-p7b 200 'Content-Type: application/x-pkcs7-certificates\r\n' "$(crlf < chain.p7b.pem)"
{ printf 'HTTP/1.1 200\r\nContent-Type: application/x-pkcs7-certificates\r\n\r\n'; cat chain.p7b; } > "$here/adcs/certnew-p7b-der"

# store-files: one byte for the file (0 server.ini, 1 cas.ini, 2 usages.ini, 3 request.ini),
# then the file as certwiz-cli writes it
if [ -x "$cli" ]; then
  store=$work/store
  export CERTWIZ_STORE=$store
  "$cli" server set --fqdn fe01.example.com --pool-fqdn pool.example.com \
    --web-internal-fqdn webint.example.com --web-external-fqdn web.example.com \
    --sip-domains example.com,example.org --simple-urls meet.example.com,dialin.example.com >/dev/null
  "$cli" ca add acme --url https://acme.example/dir --protocol acme --contact admin@example.com \
    --http01 listen:127.0.0.1:5002 >/dev/null
  "$cli" ca add corp --url https://adcs.example/certsrv/ --protocol adcs --template WebServer \
    --auth basic --user 'EXAMPLE\svc' --password-file /dev/null >/dev/null 2>&1 || true
  "$cli" usage set web-internal --target-dir /etc/ssl/certwiz --copy --mode 0640 \
    --reload "systemctl reload nginx" >/dev/null
  "$cli" request --offline "$work/offline.csr" --friendly-name "Fuzz seed" --org "Certwiz test material" \
    --key p256 >/dev/null
  { printf '\0'; cat "$store/server.ini"; } > "$here/store-files/server.ini"
  { printf '\1'; cat "$store/cas.ini"; } > "$here/store-files/cas.ini"
  { printf '\2'; cat "$store/usages.ini"; } > "$here/store-files/usages.ini"
  for f in "$store"/pending/*/request.ini; do { printf '\3'; cat "$f"; } > "$here/store-files/request.ini"; done
else
  echo "make-seeds: no certwiz-cli at $cli: store-files seeds not written" >&2
  exit 1
fi
