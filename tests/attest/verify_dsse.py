#!/usr/bin/python3
"""Independent DSSE check: verifies an envelope with PyNaCl, computing PAE here (not with our code).

usage: verify_dsse.py ENVELOPE PUBLIC_KEY_FILE
Prints one line per subject ("name sha256") and exits 0 when the Ed25519 signature over
PAE(payloadType, payload) verifies under the key and the keyid matches the TUF key id.
"""
import base64
import hashlib
import json
import sys

import nacl.exceptions
import nacl.signing


def pae(payload_type: bytes, body: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)


def main() -> int:
    envelope = json.load(open(sys.argv[1], "rb"))
    pub = json.load(open(sys.argv[2], "rb"))
    key_object = pub["key"]
    canonical = json.dumps(key_object, sort_keys=True, separators=(",", ":")).encode()
    keyid = hashlib.sha256(canonical).hexdigest()
    if keyid != pub["keyid"]:
        print("keyid mismatch", file=sys.stderr)
        return 2
    verify_key = nacl.signing.VerifyKey(bytes.fromhex(key_object["keyval"]["public"]))
    payload = base64.b64decode(envelope["payload"], validate=True)
    message = pae(envelope["payloadType"].encode(), payload)
    good = False
    for sig in envelope["signatures"]:
        if sig.get("keyid") != keyid:
            continue
        try:
            verify_key.verify(message, base64.b64decode(sig["sig"], validate=True))
            good = True
        except nacl.exceptions.BadSignatureError:
            pass
    if not good:
        print("no valid signature", file=sys.stderr)
        return 1
    statement = json.loads(payload)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    for subject in statement["subject"]:
        print(subject["name"], subject["digest"]["sha256"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
