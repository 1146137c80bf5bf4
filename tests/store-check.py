#!/usr/bin/python3
# Copyright 2026 The Certwiz authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks a Certwiz store's crash invariant (DESIGN.md, "The store") with openssl.

  store-check.py STORE [--cache FILE] [--allow USAGE=THUMB,THUMB…]… [--no-temp]

- every usage is entirely one set: live/<usage> points to a complete archive set whose
  cert.pem's public key is privkey.pem's, and usages.ini's current thumbprint is
  cert.pem's; with --allow, that thumbprint is one of the given ones (old or new set);
- no key is lost: every key a request log says it generated, once its pending entry was
  saved, is in keys/ or in a pending entry; every key an import log says it saved is in
  keys/; every certificate in certs/ has its key in keys/ or in a pending entry;
- no switch of live/<usage> is left unfinished (journal/<usage>.switch);
- every pending entry is whole (key.pem 0600, request.ini with a state, request.csr),
  and no half-built or half-removed entry (pending/.new-*, pending/.removing-*) is left;
- with --no-temp: no temporary file (*.tmp-*) is left anywhere in the store.

--cache FILE remembers what was already verified (certificates, complete archive sets),
so that a test calling it after every trial stays fast. Prints one line per problem and
exits 1 when there is any.

  store-check.py --serve

reads one command line of those arguments a line (shell quoting) from standard input
and answers each with its problems and a last line "END <0|1>": one process for a
whole series of checks.
"""
import argparse
import base64
import configparser
import hashlib
import json
import os
import re
import shlex
import stat
import subprocess
import sys

problems = []


def problem(text):
    problems.append(text)


def openssl(*args, data=None):
    result = subprocess.run(["openssl", *args], input=data, capture_output=True)
    if result.returncode != 0:
        return None
    return result.stdout


def cert_pubkey_der(path):
    pem = openssl("x509", "-in", path, "-noout", "-pubkey")
    return openssl("pkey", "-pubin", "-outform", "DER", data=pem) if pem else None


def key_pubkey_der(path):
    return openssl("pkey", "-in", path, "-pubout", "-outform", "DER")


def thumbprint(path):
    """SHA-1 of the first certificate's DER, from its PEM (no process needed)"""
    with open(path, encoding="ascii", errors="replace") as f:
        match = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
                          f.read(), re.S)
    if match is None:
        return None
    try:
        der = base64.b64decode("".join(match.group(1).split()), validate=True)
    except ValueError:
        return None
    return hashlib.sha1(der).hexdigest().upper()


def read_ini(path):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except FileNotFoundError:
        pass
    except (configparser.Error, UnicodeDecodeError) as e:
        problem("%s cannot be parsed: %s" % (path, e))
    return parser


def check(argv):
    problems.clear()
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--cache")
    parser.add_argument("--allow", action="append", default=[])
    parser.add_argument("--no-temp", action="store_true")
    args = parser.parse_args(argv)
    store = args.store

    cache = {"certs": {}, "sets": []}
    if args.cache and os.path.exists(args.cache):
        with open(args.cache) as f:
            cache = json.load(f)
    allowed = {}
    for item in args.allow:
        usage, _, thumbs = item.partition("=")
        allowed[usage] = set(t for t in thumbs.split(",") if t)

    # ---- pending entries ----
    pending_keys = {}          # key id -> pending id
    pending = os.path.join(store, "pending")
    for name in sorted(os.listdir(pending)) if os.path.isdir(pending) else []:
        path = os.path.join(pending, name)
        if name.startswith("."):
            problem("pending/%s: a half-built or half-removed entry is left" % name)
            continue
        key = os.path.join(path, "key.pem")
        if not os.path.isfile(key):
            problem("pending/%s has no key.pem" % name)
        elif stat.S_IMODE(os.stat(key).st_mode) != 0o600:
            problem("pending/%s/key.pem is not 0600" % name)
        if not os.path.isfile(os.path.join(path, "request.csr")):
            problem("pending/%s has no request.csr" % name)
        ini = read_ini(os.path.join(path, "request.ini"))
        if not ini.has_option("pending", "state"):
            problem("pending/%s/request.ini has no state" % name)
        else:
            pending_keys[ini.get("pending", "key-id", fallback="")] = name

    keys_dir = os.path.join(store, "keys")
    keys = set(n[:-4] for n in os.listdir(keys_dir) if n.endswith(".pem")) \
        if os.path.isdir(keys_dir) else set()

    def key_kept(key_id):
        return key_id in keys or key_id in pending_keys

    # ---- keys the logs report ----
    log_dir = os.path.join(store, "log")
    for name in sorted(os.listdir(log_dir)) if os.path.isdir(log_dir) else []:
        try:
            with open(os.path.join(log_dir, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        generated = re.findall(r"Generated an? \S+ key, id ([0-9a-f]+)", text)
        saved = re.findall(r"Saved pending entry ([0-9A-Fa-f]+) \(state created\)", text)
        if generated and saved and not key_kept(generated[-1]):
            problem("log/%s: the key %s of pending entry %s is lost"
                    % (name, generated[-1], saved[-1]))
        for key_id in re.findall(r"Saved the private key ([0-9a-f]+) from the file", text):
            if key_id not in keys:
                problem("log/%s: the imported key %s is not in keys/" % (name, key_id))

    # ---- every certificate has its key ----
    certs_dir = os.path.join(store, "certs")
    for name in sorted(os.listdir(certs_dir)) if os.path.isdir(certs_dir) else []:
        if not name.endswith(".pem") or ".tmp-" in name:
            continue
        thumb = name[:-4]
        key_id = cache["certs"].get(thumb)
        if key_id is None:
            der = cert_pubkey_der(os.path.join(certs_dir, name))
            if der is None:
                problem("certs/%s is not a certificate" % name)
                continue
            key_id = hashlib.sha256(der).hexdigest()
        if not key_kept(key_id):
            problem("certs/%s: its private key %s is neither in keys/ nor pending/"
                    % (name, key_id))
        else:
            cache["certs"][thumb] = key_id

    # ---- every usage is one whole set ----
    usages = read_ini(os.path.join(store, "usages.ini"))
    live_dir = os.path.join(store, "live")
    names = set(usages.sections())
    if os.path.isdir(live_dir):
        names |= set(n for n in os.listdir(live_dir) if ".tmp-" not in n)
    for usage in sorted(names):
        current = usages.get(usage, "current", fallback="") or None
        link = os.path.join(live_dir, usage)
        if not os.path.islink(link):
            if current is not None:
                problem("usages.ini assigns %s to %s, but live/%s does not exist"
                        % (current, usage, usage))
            continue
        target = os.path.realpath(link)
        files = [os.path.join(target, f)
                 for f in ("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem")]
        missing = [os.path.basename(f) for f in files if not os.path.isfile(f)]
        if missing:
            problem("live/%s -> %s lacks %s" % (usage, target, ", ".join(missing)))
            continue
        thumb = thumbprint(files[0])
        if target not in cache["sets"]:
            if cert_pubkey_der(files[0]) != key_pubkey_der(files[3]):
                problem("live/%s: cert.pem's public key is not privkey.pem's" % usage)
                continue
        if thumb != current:
            problem("live/%s holds %s, but usages.ini says %s" % (usage, thumb, current))
            continue
        if usage in allowed and thumb not in allowed[usage]:
            problem("live/%s holds %s, neither the old nor the new set (%s)"
                    % (usage, thumb, ", ".join(sorted(allowed[usage]))))
            continue
        if target not in cache["sets"]:
            cache["sets"].append(target)

    # ---- no assignment left half-recorded ----
    journal = os.path.join(store, "journal")
    for name in sorted(os.listdir(journal)) if os.path.isdir(journal) else []:
        if name.endswith(".switch"):
            problem("journal/%s: an interrupted switch was not finished" % name)

    # ---- temporary files ----
    if args.no_temp:
        for root, dirs, files in os.walk(store):
            for f in files + dirs:
                if ".tmp-" in f:
                    problem("a temporary file is left: %s"
                            % os.path.relpath(os.path.join(root, f), store))

    if args.cache:
        with open(args.cache, "w") as f:
            json.dump(cache, f)
    for p in problems:
        print(p)
    return 1 if problems else 0


def main():
    if sys.argv[1:] != ["--serve"]:
        return check(sys.argv[1:])
    for line in sys.stdin:
        try:
            rc = check(shlex.split(line))
        except Exception as e:      # a broken store must not end the series
            print("the check failed: %r" % e)
            rc = 1
        print("END", rc, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
