#!/usr/bin/python3
"""Reference for bench/attest: the same k-of-n decision written plainly with PyNaCl (libsodium).

usage: reference_compare.py BUILDERS_JSON ATT_DIR K   -> prints PASS or FAIL
Checks every envelope's Ed25519 signature over DSSE PAE with the trusted key its keyid names, counts
distinct keys per (artifact, digest) and passes when every artifact has one digest with >= K keys.
"""
import base64
import collections
import json
import os
import sys

import nacl.exceptions
import nacl.signing


def main() -> int:
    builders = {b["keyid"]: nacl.signing.VerifyKey(bytes.fromhex(b["key"]["keyval"]["public"]))
                for b in json.load(open(sys.argv[1]))}
    k = int(sys.argv[3])
    backing = collections.defaultdict(lambda: collections.defaultdict(set))
    for name in sorted(os.listdir(sys.argv[2])):
        env = json.load(open(os.path.join(sys.argv[2], name)))
        payload = base64.b64decode(env["payload"], validate=True)
        ptype = env["payloadType"].encode()
        pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(payload), payload)
        signers = []
        for sig in env["signatures"]:
            key = builders.get(sig["keyid"])
            if key is None:
                continue
            try:
                key.verify(pae, base64.b64decode(sig["sig"], validate=True))
                signers.append(sig["keyid"])
            except nacl.exceptions.BadSignatureError:
                pass
        statement = json.loads(payload)
        for subject in statement["subject"]:
            for keyid in signers:
                backing[subject["name"]][subject["digest"]["sha256"]].add(keyid)
    ok = all(max(len(v) for v in digests.values()) >= k and len(digests) == 1 for digests in backing.values())
    print("PASS" if ok else "FAIL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
