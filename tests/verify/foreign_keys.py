#!/usr/bin/python3
"""Keys, signatures and TUF repositories made with pyca/cryptography, the way securesystemslib and
python-tuf make them, for cocoon's tests (tests/crypto/test_tuf_key.cpp, tests/verify/test_foreign_keys.cpp).
Nothing here is cocoon code: the point is that another implementation made the bytes.

  foreign_keys.py cases <out.json>          signature cases: key object, message, signature, verdicts
  foreign_keys.py repo <dir> <variant>      a plain TUF repository signed with ECDSA and RSA keys
  foreign_keys.py ecdsa-repo <dir>          bench/verify's plain repository shape, all keys ECDSA P-256:
                                            <dir>/repo/metadata/..., <dir>/root.json

Run with /usr/bin/python3 (Debian's python3-cryptography).
"""
import hashlib
import json
import os
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def canonical(value):
    """OLPC canonical JSON as securesystemslib's encode_canonical writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(canonical(k) + ":" + canonical(value[k]) for k in sorted(value)) + "}"
    raise TypeError("not canonical JSON: %r" % (value,))


def key_id(key_object):
    return hashlib.sha256(canonical(key_object).encode("utf-8")).hexdigest()


def pem(public_key):
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def point_hex(public_key):
    return public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    ).hex()


def key_object(keytype, scheme, public, **extra):
    obj = {"keytype": keytype, "scheme": scheme, "keyval": {"public": public}}
    obj.update(extra)
    return obj


def pss(hash_algorithm, salt_length, mgf_hash=None):
    return padding.PSS(mgf=padding.MGF1(mgf_hash or hash_algorithm), salt_length=salt_length)


class Signer:
    """A private key and the key object (securesystemslib form) that names its public part."""

    def __init__(self, private, obj, sign):
        self.private = private
        self.obj = obj
        self.keyid = key_id(obj)
        self._sign = sign

    def sign(self, message):
        return self._sign(self.private, message)


def ecdsa_sign(private, message):
    return private.sign(message, ec.ECDSA(hashes.SHA256()))


def ecdsa384_sign(private, message):
    return private.sign(message, ec.ECDSA(hashes.SHA384()))


def pss_sign(private, message):
    # python-tuf / securesystemslib's CryptoSigner: salt length = digest length.
    return private.sign(message, pss(hashes.SHA256(), padding.PSS.DIGEST_LENGTH), hashes.SHA256())


def pkcs1_sign(private, message):
    return private.sign(message, padding.PKCS1v15(), hashes.SHA256())


def ed25519_sign(private, message):
    return private.sign(message)


def ecdsa_signer(hex_form=False, keytype="ecdsa", **extra):
    private = ec.generate_private_key(ec.SECP256R1())
    public = point_hex(private.public_key()) if hex_form else pem(private.public_key())
    return Signer(private, key_object(keytype, "ecdsa-sha2-nistp256", public, **extra), ecdsa_sign)


def rsa_signer(scheme, bits=2048):
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    sign = pss_sign if scheme.startswith("rsassa-pss") else pkcs1_sign
    return Signer(private, key_object("rsa", scheme, pem(private.public_key())), sign)


def cases(out_path):
    message = canonical({"_type": "targets", "note": "signed by another implementation", "version": 1}).encode()
    other = message + b" "
    out = []

    def add(name, obj, sig, usable, valid, msg=message):
        out.append({
            "name": name,
            "key": obj,
            "keyid": key_id(obj),
            "message": msg.hex(),
            "sig": sig.hex(),
            "usable": usable,
            "valid": valid,
        })

    p256 = ec.generate_private_key(ec.SECP256R1())
    p256_pem = key_object("ecdsa", "ecdsa-sha2-nistp256", pem(p256.public_key()))
    good = ecdsa_sign(p256, message)
    add("ecdsa PEM, DER signature", p256_pem, good, True, True)
    add("ecdsa legacy keytype", key_object("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", pem(p256.public_key())),
        good, True, True)
    add("ecdsa raw hex point", key_object("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", point_hex(p256.public_key())),
        good, True, True)
    add("ecdsa signature over other bytes", p256_pem, good, True, False, other)
    r, s = decode_dss_signature(good)
    add("ecdsa raw r||s instead of DER", p256_pem, r.to_bytes(32, "big") + s.to_bytes(32, "big"), True, False)
    add("ecdsa truncated DER signature", p256_pem, good[:-3], True, False)
    add("ecdsa garbage signature", p256_pem, b"\x30\x06\x02\x01\x01\x02\x01", True, False)
    add("ecdsa key with extra members", dict(p256_pem, **{"extra-field": {"nested": [1, "x"]}}), good, True, True)
    add("ecdsa key with keyid_hash_algorithms",
        dict(p256_pem, keyid_hash_algorithms=["sha256", "sha512"]), good, True, True)

    p384 = ec.generate_private_key(ec.SECP384R1())
    add("P-384 key declared as nistp256", key_object("ecdsa", "ecdsa-sha2-nistp256", pem(p384.public_key())),
        p384.sign(message, ec.ECDSA(hashes.SHA256())), False, False)
    add("P-384 key as nistp384", key_object("ecdsa", "ecdsa-sha2-nistp384", pem(p384.public_key())),
        ecdsa384_sign(p384, message), True, True)

    for bits in (2048, 3072):
        k = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        pss_obj = key_object("rsa", "rsassa-pss-sha256", pem(k.public_key()))
        pkcs_obj = key_object("rsa", "rsa-pkcs1v15-sha256", pem(k.public_key()))
        tag = "rsa %d " % bits
        add(tag + "PSS salt = digest length (python-tuf)", pss_obj, pss_sign(k, message), True, True)
        add(tag + "PSS maximum salt length", pss_obj,
            k.sign(message, pss(hashes.SHA256(), padding.PSS.MAX_LENGTH), hashes.SHA256()), True, True)
        add(tag + "PSS empty salt", pss_obj, k.sign(message, pss(hashes.SHA256(), 0), hashes.SHA256()), True, True)
        add(tag + "PSS with MGF1-SHA1", pss_obj,
            k.sign(message, pss(hashes.SHA256(), 32, hashes.SHA1()), hashes.SHA256()), True, False)
        add(tag + "PSS over SHA-384", pss_obj,
            k.sign(message, pss(hashes.SHA384(), 48), hashes.SHA384()), True, False)
        add(tag + "PKCS#1 v1.5 signature under the PSS scheme", pss_obj, pkcs1_sign(k, message), True, False)
        add(tag + "PKCS#1 v1.5", pkcs_obj, pkcs1_sign(k, message), True, True)
        add(tag + "PSS signature under the PKCS#1 scheme", pkcs_obj, pss_sign(k, message), True, False)
        add(tag + "PKCS#1 v1.5 over other bytes", pkcs_obj, pkcs1_sign(k, message), True, False, other)
        add(tag + "key declared with the ecdsa scheme",
            key_object("ecdsa", "ecdsa-sha2-nistp256", pem(k.public_key())), pss_sign(k, message), False, False)
    add("ecdsa key declared as rsa", key_object("rsa", "rsassa-pss-sha256", pem(p256.public_key())),
        good, False, False)
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    add("rsa 1024-bit key", key_object("rsa", "rsassa-pss-sha256", pem(small.public_key())),
        pss_sign(small, message), False, False)

    ed = ed25519.Ed25519PrivateKey.generate()
    ed_raw = ed.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    add("ed25519", key_object("ed25519", "ed25519", ed_raw.hex()), ed.sign(message), True, True)

    garbage = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgarbage==\n-----END PUBLIC KEY-----\n"
    add("garbage PEM", key_object("ecdsa", "ecdsa-sha2-nistp256", garbage), good, False, False)
    add("rsa garbage PEM", key_object("rsa", "rsassa-pss-sha256", "-----BEGIN PUBLIC KEY-----\n"), good, False, False)
    add("unknown key type", key_object("sphincs", "sphincs-shake-128s", "00" * 32), good, False, False)
    add("hex point not on the curve", key_object("ecdsa", "ecdsa-sha2-nistp256", "04" + "11" * 64),
        good, False, False)
    add("keyval without public", {"keytype": "ecdsa", "scheme": "ecdsa-sha2-nistp256", "keyval": {}},
        good, False, False)
    add("keytype not a string", {"keytype": 5, "scheme": "ecdsa-sha2-nistp256", "keyval": {"public": "x"}},
        good, False, False)

    # The same P-256 key in its PEM and hex forms: one key for threshold counting.
    same = {"pem": p256_pem, "hex": key_object("ecdsa", "ecdsa-sha2-nistp256", point_hex(p256.public_key()))}
    with open(out_path, "w") as f:
        json.dump({"cases": out, "same_key": same}, f, indent=1)


EXPIRES = "2099-01-01T00:00:00Z"


def envelope(signed, signers, tamper=None):
    message = canonical(signed).encode()
    sigs = [{"keyid": s.keyid, "sig": s.sign(message).hex()} for s in signers]
    if tamper:
        sigs = tamper(sigs)
    return {"signed": signed, "signatures": sigs}


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


def repo(out_dir, variant):
    """root (versions 1 and 2), targets, snapshot, timestamp and one target file.

    root: ECDSA (PEM, keytype "ecdsa") + RSA-PSS 3072, threshold 2 (version 2: also signed by both)
    targets: RSA PKCS#1 v1.5 2048
    snapshot: ECDSA as a hex point (keytype "ecdsa-sha2-nistp256"), plus a key whose PEM is garbage and
              whose signature entry is garbage (ignored, the threshold is 1)
    timestamp: ECDSA with "extra-field" and "keyid_hash_algorithms" members, covered by its key id
    Variants break one thing each (see test_foreign_keys.cpp for what each must do).
    """
    meta = os.path.join(out_dir, "metadata")
    tdir = os.path.join(out_dir, "targets")
    os.makedirs(meta)
    os.makedirs(tdir)

    root_a = ecdsa_signer()
    root_b = rsa_signer("rsassa-pss-sha256", 3072)
    targets_key = rsa_signer("rsa-pkcs1v15-sha256")
    if variant == "wrong-scheme":
        # An RSA key declared with the ECDSA scheme: its signatures can never verify.
        targets_key.obj = key_object("rsa", "ecdsa-sha2-nistp256", targets_key.obj["keyval"]["public"])
        targets_key.keyid = key_id(targets_key.obj)
    snapshot_key = ecdsa_signer(hex_form=True, keytype="ecdsa-sha2-nistp256")
    garbage = Signer(None, key_object("ecdsa", "ecdsa-sha2-nistp256",
                                      "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n"),
                     lambda _k, _m: b"\xde\xad\xbe\xef")
    timestamp_key = ecdsa_signer(**{"extra-field": {"why": "unknown members are kept"},
                                    "keyid_hash_algorithms": ["sha256", "sha512"]})
    if variant == "wrong-curve":
        p384 = ec.generate_private_key(ec.SECP384R1())
        timestamp_key = Signer(p384, key_object("ecdsa", "ecdsa-sha2-nistp256", pem(p384.public_key())),
                               ecdsa_sign)
    if variant == "pss-mgf1-sha1":
        root_b._sign = lambda k, m: k.sign(m, pss(hashes.SHA256(), 32, hashes.SHA1()), hashes.SHA256())

    keys = {s.keyid: s.obj for s in (root_a, root_b, targets_key, snapshot_key, garbage, timestamp_key)}

    def root_signed(version):
        return {
            "_type": "root",
            "spec_version": "1.0.31",
            "version": version,
            "expires": EXPIRES,
            "consistent_snapshot": True,
            "keys": keys,
            "roles": {
                "root": {"keyids": [root_a.keyid, root_b.keyid], "threshold": 2},
                "targets": {"keyids": [targets_key.keyid], "threshold": 1},
                "snapshot": {"keyids": [snapshot_key.keyid, garbage.keyid], "threshold": 1},
                "timestamp": {"keyids": [timestamp_key.keyid], "threshold": 1},
            },
        }

    write(os.path.join(meta, "1.root.json"), envelope(root_signed(1), [root_a, root_b]))
    write(os.path.join(meta, "2.root.json"), envelope(root_signed(2), [root_a, root_b]))

    content = b"hello from a repository cocoon did not write\n"
    digest = hashlib.sha256(content).hexdigest()
    with open(os.path.join(tdir, digest + ".hello.txt"), "wb") as f:
        f.write(content)
    targets = {"_type": "targets", "spec_version": "1.0.31", "version": 1, "expires": EXPIRES,
               "targets": {"hello.txt": {"length": len(content), "hashes": {"sha256": digest}}}}
    write(os.path.join(meta, "1.targets.json"), envelope(targets, [targets_key]))
    snapshot = {"_type": "snapshot", "spec_version": "1.0.31", "version": 1, "expires": EXPIRES,
                "meta": {"targets.json": {"version": 1}}}
    write(os.path.join(meta, "1.snapshot.json"), envelope(snapshot, [garbage, snapshot_key]))
    timestamp = {"_type": "timestamp", "spec_version": "1.0.31", "version": 1, "expires": EXPIRES,
                 "meta": {"snapshot.json": {"version": 1}}}
    tamper = (lambda sigs: sigs + [dict(sigs[0])]) if variant == "duplicate-sigs" else None
    write(os.path.join(meta, "timestamp.json"), envelope(timestamp, [timestamp_key], tamper))
    json.dump({"target": "hello.txt", "content": content.decode(), "timestamp_keyid": timestamp_key.keyid}, sys.stdout)


def ecdsa_repo(out_dir):
    """3 maintainers (threshold 2 for root and targets), one online key for snapshot and timestamp."""
    meta = os.path.join(out_dir, "repo", "metadata")
    os.makedirs(meta)
    maintainers = [ecdsa_signer() for _ in range(3)]
    online = ecdsa_signer()
    ids = [m.keyid for m in maintainers]
    root = {"_type": "root", "spec_version": "1.0.31", "version": 1, "expires": EXPIRES,
            "consistent_snapshot": True, "keys": {s.keyid: s.obj for s in maintainers + [online]},
            "roles": {"root": {"keyids": ids, "threshold": 2}, "targets": {"keyids": ids, "threshold": 2},
                      "snapshot": {"keyids": [online.keyid], "threshold": 1},
                      "timestamp": {"keyids": [online.keyid], "threshold": 1}}}
    root_doc = envelope(root, maintainers[:2])
    write(os.path.join(meta, "1.root.json"), root_doc)
    write(os.path.join(out_dir, "root.json"), root_doc)
    files = {}
    for path in ("sample-node/sample-node.tar.zst", "sample-sdk/sample-sdk.tar.zst"):
        content = ("artifact " + path).encode()
        files[path] = {"length": len(content), "hashes": {"sha256": hashlib.sha256(content).hexdigest(),
                                                           "sha512": hashlib.sha512(content).hexdigest()}}
    targets = {"_type": "targets", "spec_version": "1.0.31", "version": 1, "expires": EXPIRES, "targets": files}

    def meta_of(path):
        with open(path, "rb") as f:
            data = f.read()
        return {"version": 1, "length": len(data), "hashes": {"sha256": hashlib.sha256(data).hexdigest(),
                                                               "sha512": hashlib.sha512(data).hexdigest()}}

    write(os.path.join(meta, "1.targets.json"), envelope(targets, maintainers[:2]))
    snapshot = {"_type": "snapshot", "spec_version": "1.0.31", "version": 1, "expires": EXPIRES,
                "meta": {"targets.json": meta_of(os.path.join(meta, "1.targets.json"))}}
    write(os.path.join(meta, "1.snapshot.json"), envelope(snapshot, [online]))
    timestamp = {"_type": "timestamp", "spec_version": "1.0.31", "version": 1, "expires": EXPIRES,
                 "meta": {"snapshot.json": meta_of(os.path.join(meta, "1.snapshot.json"))}}
    write(os.path.join(meta, "timestamp.json"), envelope(timestamp, [online]))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "cases":
        cases(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "repo":
        if sys.argv[3] not in ("good", "duplicate-sigs", "wrong-scheme", "wrong-curve", "pss-mgf1-sha1"):
            sys.exit("unknown variant " + sys.argv[3])
        repo(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "ecdsa-repo":
        ecdsa_repo(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
