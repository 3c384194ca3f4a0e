#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<harness>/: small valid inputs, from the repository's public test
data (keys/demo, manifests, tests/fixtures, ../shared/vectors) and built here with fixed keys, so the
corpus is the same on every run. Run from anywhere: fuzz/make-seeds.py. Needs python3-cryptography and
zstd (ci/setup installs both)."""
import base64, hashlib, io, json, os, struct, subprocess, tarfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "fuzz" / "corpus"


def put(harness, name, data):
    d = OUT / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data.encode() if isinstance(data, str) else data)


def canon(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def pretty(v):
    return json.dumps(v, indent=2, sort_keys=True) + "\n"


# ---- Ed25519 with fixed seeds ------------------------------------------------------------------------
def keypair(tag):
    sk = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(tag.encode()).digest())
    pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sk, pk


def tuf_key(pk):
    return {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": pk.hex()}}


def keyid(pk):
    return hashlib.sha256(canon(tuf_key(pk))).hexdigest()


def envelope(signed, signers):
    sigs = [{"keyid": keyid(pk), "sig": sk.sign(canon(signed)).hex()} for sk, pk in signers]
    return pretty({"signatures": sigs, "signed": signed})


# ---- TUF metadata -----------------------------------------------------------------------------------
def tuf():
    root_k, targets_k, snap_k, ts_k, deleg_k = (keypair(t) for t in ("root", "targets", "snapshot", "timestamp", "deleg"))
    common = lambda t, v: {"_type": t, "spec_version": "1.0.31", "version": v, "expires": "2030-01-01T00:00:00Z"}
    root = common("root", 1)
    root.update({"consistent_snapshot": True,
                 "keys": {keyid(k[1]): tuf_key(k[1]) for k in (root_k, targets_k, snap_k, ts_k)},
                 "roles": {r: {"keyids": [keyid(k[1])], "threshold": 1}
                           for r, k in (("root", root_k), ("targets", targets_k), ("snapshot", snap_k), ("timestamp", ts_k))}})
    payload = b"sample-node release bytes\n"
    tfile = {"length": len(payload), "hashes": {"sha256": hashlib.sha256(payload).hexdigest(),
                                                "sha512": hashlib.sha512(payload).hexdigest()}}
    targets = common("targets", 3)
    targets["targets"] = {"sample-node/sample-node.tar.zst": tfile}
    targets_bytes = envelope(targets, [targets_k]).encode()
    snapshot = common("snapshot", 3)
    snapshot["meta"] = {"targets.json": {"version": 3}}
    snapshot_bytes = envelope(snapshot, [snap_k]).encode()
    timestamp = common("timestamp", 3)
    timestamp["meta"] = {"snapshot.json": {"version": 3, "length": len(snapshot_bytes),
                                           "hashes": {"sha256": hashlib.sha256(snapshot_bytes).hexdigest()}}}
    put("tuf_metadata", "root.json", envelope(root, [root_k]))
    put("tuf_metadata", "targets.json", targets_bytes)
    put("tuf_metadata", "snapshot.json", snapshot_bytes)
    put("tuf_metadata", "timestamp.json", envelope(timestamp, [ts_k]))
    put("tuf_metadata", "demo-root.json", (ROOT / "keys/demo/root.json").read_bytes())
    deleg = dict(targets)
    deleg["delegations"] = {"keys": {keyid(deleg_k[1]): tuf_key(deleg_k[1])},
                            "roles": [{"name": "packages", "keyids": [keyid(deleg_k[1])], "threshold": 1,
                                       "terminating": True, "paths": ["pkg/*"]},
                                      {"name": "fallback", "keyids": [keyid(deleg_k[1])], "threshold": 1,
                                       "terminating": False, "path_hash_prefixes": ["8f"]}]}
    put("delegations", "targets-delegating.json", envelope(deleg, [targets_k]))
    put("delegations", "targets-plain.json", targets_bytes)
    return targets_bytes


# ---- transparency log -------------------------------------------------------------------------------
def tlog(targets_bytes):
    v = json.loads((SHARED / "vectors/tlog-c2sp.json").read_text())
    cp, cos = v["checkpoint"], v["cosignature"]
    put("note", "checkpoint-note", cp["signed_note"])
    put("note", "cosigned-note", cos["cosigned_checkpoint"])
    put("note", "verifier-key", cp["verifier_key"])
    put("note", "witness-key", cos["witness_vkey"])
    put("note", "signer-key", cp["signer_key"])
    put("checkpoint", "body", cp["body"])
    put("checkpoint", "body-extension", cp["body"] + "extension line\n")
    put("checkpoint", "cosigned-note", cos["cosigned_checkpoint"])
    for i, t in enumerate(v["tile_paths"][:4]):
        put("tile", f"path-{i}", t["path"])
    put("tile", "path-entries", v["entry_bundle_partial"]["path"])
    entries = [f"entry-{i}".encode() for i in range(3)]
    put("tile", "bundle-3", bytes([3]) + b"".join(struct.pack(">H", len(e)) + e for e in entries))
    consistency = [{"old_size": p["old_size"], "proof": p["proof"]} for p in v["consistency_proofs"][:3]
                   if p["new_size"] == v["consistency_proofs"][1]["new_size"]]
    put("proof", "consistency.json", json.dumps({"consistency": consistency}))
    put("proof", "tree-params", bytes([44, 1, 7, 0, 9, 0, 3, 1]))
    put("proof", "tree-params-big", bytes([87, 2, 200, 0, 255, 0, 77, 0]))
    incl = next(p for p in v["inclusion_proofs"] if p["proof"])
    bundle = {"origin": "example.org/cocoon-test-log", "checkpoint": cos["cosigned_checkpoint"],
              "entries": [{"kind": "targets", "sha256": hashlib.sha256(targets_bytes).hexdigest(),
                           "index": incl["index"], "inclusion_proof": incl["proof"]}],
              "consistency": consistency}
    put("log_bundle", "bundle.json", pretty(bundle))
    proof = {"schema": "cocoon-log-proof/v1", "index": incl["index"], "checkpoint": cos["cosigned_checkpoint"],
             "inclusion": incl["proof"], "consistency": consistency}
    put("log_proof", "proof.json", pretty(proof))
    files = {"metadata/timestamp.json": b"{}", "log/3.targets.bundle.json": json.dumps(proof).encode(),
             "targets/sample-node/ab.sample-node.tar": b"tar bytes"}
    put("offline_bundle", "bundle.json", json.dumps({"schema": "cocoon-offline-bundle/v1",
                                                     "files": {k: base64.b64encode(v).decode() for k, v in files.items()}}))
    put("log_proof", "proof-no-consistency.json", pretty({k: v for k, v in proof.items() if k != "consistency"}))
    # cocoon-verify's rebuild evidence (lib/verify/rebuild_verdicts.hpp): the shape only, with a DSSE-like
    # entry; the harness checks the format round trip.
    entry = json.dumps({"payload": base64.b64encode(b"{}").decode(),
                        "payloadType": "application/vnd.cocoon.rebuild-verdict.v1+json", "signatures": []})
    evidence = {"schema": "cocoon-rebuild-verdicts/v1", "checkpoint": cos["cosigned_checkpoint"],
                "release_index": incl["index"], "release_inclusion": incl["proof"], "consistency": consistency,
                "scanned_to": incl["index"] + 3,
                "verdicts": [{"index": incl["index"] + 1, "entry": base64.b64encode(entry.encode()).decode(),
                              "inclusion": incl["proof"]}]}
    put("rebuild_evidence", "evidence.json", pretty(evidence))
    put("rebuild_evidence", "evidence-empty.json", pretty(dict(evidence, verdicts=[], consistency=[])))


def http():
    put("http_request", "get-tile", "GET /tile/0/x001/067.p/3 HTTP/1.1\r\nHost: log.example\r\nAccept: */*")
    put("http_request", "post-add", "POST /add HTTP/1.1\r\nHost: log.example\r\nContent-Length: 12\r\n"
                                    "Content-Type: application/octet-stream")
    put("http_request", "get-checkpoint", "GET /checkpoint HTTP/1.0")


# ---- TDX measurement inputs -------------------------------------------------------------------------
def quote(version, body_type=2):
    header = struct.pack("<HHI", version, 2, 0x81) + bytes(40)
    body = bytearray(584 if body_type == 2 else 648)
    for i in range(136, 520):
        body[i] = (i * 13) & 0xff
    body[520:584] = bytes(range(64))
    sig = bytes(range(200))
    if version == 4:
        return header + body + struct.pack("<I", len(sig)) + sig
    return header + struct.pack("<HI", body_type, len(body)) + body + struct.pack("<I", len(sig)) + sig


def ccel():
    spec = b"Spec ID Event03\0" + struct.pack("<IBBBBI", 0, 0, 2, 0, 2, 1) + struct.pack("<HH", 0x000c, 48) + b"\0"
    out = struct.pack("<II", 0, 3) + bytes(20) + struct.pack("<I", len(spec)) + spec
    for mr, typ, data in ((1, 0x80000008, b"fw volume"), (2, 0x00000007, b"Calling EFI Application from Boot Option"),
                          (3, 0x0000000d, b"console=ttyS0"), (4, 0x00000006, b"cocoon rtmr3")):
        digest = hashlib.sha384(data).digest()
        out += struct.pack("<IIIH", mr, typ, 1, 0x000c) + digest + struct.pack("<I", len(data)) + data
    return out


def pe(with_cert):
    img = bytearray(0x400)
    img[0:2] = b"MZ"
    struct.pack_into("<I", img, 0x3c, 0x80)
    img[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<HHIIIHH", img, 0x84, 0x8664, 2, 0, 0, 0, 240, 0x22)
    opt = 0x98
    struct.pack_into("<H", img, opt, 0x20b)
    struct.pack_into("<I", img, opt + 60, 0x200)  # SizeOfHeaders
    struct.pack_into("<I", img, opt + 108, 16)    # NumberOfRvaAndSizes
    sec = opt + 240
    for i, (raw_off, raw_size) in enumerate(((0x200, 0x100), (0x300, 0x80))):
        s = sec + 40 * i
        img[s:s + 8] = b".text\0\0\0" if i == 0 else b".data\0\0\0"
        struct.pack_into("<IIII", img, s + 8, raw_size, 0x1000 * (i + 1), raw_size, raw_off)
    for i in range(0x200, 0x380):
        img[i] = (i * 7) & 0xff
    if with_cert:
        struct.pack_into("<II", img, opt + 112 + 4 * 8, 0x380, 0x80)
    return bytes(img)


def bzimage(protocol, loadflags=1, xloadflags=0):
    k = bytearray(0x600)
    k[0x1f1] = 1
    k[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", k, 0x206, protocol)
    k[0x211] = loadflags
    struct.pack_into("<I", k, 0x22c, 0x7fffffff)
    struct.pack_into("<H", k, 0x236, xloadflags)
    return bytes(k)


def measure():
    put("tdx_quote", "v4", quote(4))
    put("tdx_quote", "v5-td10", quote(5, 2))
    put("tdx_quote", "v5-td15", quote(5, 3))
    put("ccel_eventlog", "ccel", ccel())
    put("ccel_eventlog", "rtmr3.log", "cocoon:spec-tree 0123abcd\ncocoon:role worker\n")
    put("rtmr3_log", "rtmr3.log", "cocoon:spec-tree 0123abcd\ncocoon:role worker\n")
    put("rtmr3_log", "crlf.log", "line one\r\n\r\nline two\r\n")
    put("pe_authenticode", "pe-plain", pe(False))
    put("pe_authenticode", "pe-cert", pe(True))
    put("bzimage", "proto-2.15", bzimage(0x020f, 1, 2))
    put("bzimage", "proto-2.02", bzimage(0x0202, 1))


def tdvf_image():
    fw = bytearray(3 * 4096)
    desc = 4096
    sections = [(0, 4096, 0xfffff000, 4096, 0, 1), (0, 0, 0x800000, 8192, 2, 0)]
    fw[desc:desc + 16] = b"TDVF" + struct.pack("<III", 16 + 32 * len(sections), 1, len(sections))
    for i, s in enumerate(sections):
        fw[desc + 16 + 32 * i: desc + 48 + 32 * i] = struct.pack("<IIQQII", *s)
    footer_guid = bytes([0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d])
    tdx_guid = bytes([0x35, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47, 0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2])
    entry = struct.pack("<I", len(fw) - desc) + struct.pack("<H", 4 + 2 + 16) + tdx_guid
    table = entry + struct.pack("<H", len(entry) + 18) + footer_guid
    end = len(fw) - 32  # footer GUID sits 48 bytes before the end
    fw[end - len(table):end] = table
    put("tdvf", "tdvf-2-sections", bytes(fw))


# ---- archives, recipes, attestations, keys, FROST ---------------------------------------------------
def archives():
    def tar(members):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
            for name, kind, data in members:
                info = tarfile.TarInfo(name)
                info.mtime = 1735689600
                if kind == "file":
                    info.size = len(data)
                    info.mode = 0o644
                    t.addfile(info, io.BytesIO(data))
                elif kind == "dir":
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    t.addfile(info)
                else:
                    info.type = tarfile.SYMTYPE
                    info.linkname = data
                    t.addfile(info)
        return buf.getvalue()
    plain = tar([("bin/", "dir", None), ("bin/tool", "file", b"#!/bin/sh\necho hi\n"), ("README", "file", b"hello\n"),
                 ("bin/link", "sym", "tool")])
    put("tar_zstd", "small.tar", plain)
    put("tar_zstd", "small.tar.zst", subprocess.run(["zstd", "-q", "-19", "-c"], input=plain, capture_output=True, check=True).stdout)


def recipes():
    for p in sorted((ROOT / "manifests").glob("*.json")) + sorted((ROOT / "tests/fixtures/recipes").glob("*.json")):
        put("recipe", p.name, p.read_bytes())
        put("json", "recipe-" + p.name, p.read_bytes())
        doc = json.loads(p.read_bytes())
        if "measure" in doc:
            put("measurement", "recipe-measure-" + p.name, json.dumps(doc["measure"]))


def attestations(targets_bytes):
    sk, pk = keypair("builder")
    statement = {"_type": "https://in-toto.io/Statement/v1",
                 "subject": [{"name": "sample-node.tar.zst", "digest": {"sha256": hashlib.sha256(b"x").hexdigest()}}],
                 "predicateType": "https://slsa.dev/provenance/v1",
                 "predicate": {"buildDefinition": {"buildType": "urn:cocoon-release:buildtype:recipe:v1"},
                               "runDetails": {"builder": {"id": "urn:cocoon-release:builder:" + keyid(pk)}}}}
    payload = canon(statement)
    ptype = "application/vnd.in-toto+json"
    pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype.encode(), len(payload), payload)
    env = {"payloadType": ptype, "payload": base64.b64encode(payload).decode(),
           "signatures": [{"keyid": keyid(pk), "sig": base64.b64encode(sk.sign(pae)).decode()}]}
    put("dsse", "attestation.json", pretty(env))
    put("dsse", "statement.json", payload)
    put("json", "attestation.json", pretty(env))
    put("json", "targets.json", targets_bytes)


def rebuild_entries():
    # Signed with the key fuzz_rebuild_entries.cpp trusts (seed sha256("rebuild")), so opening is reached.
    sk, pk = keypair("rebuild")
    recipe = (ROOT / "manifests/sample-node.json").read_bytes()
    doc = json.loads(recipe)
    candidate = {"_type": "cocoon.release-candidate/v1", "product": doc["name"], "version": doc["version"],
                 "recipe_sha256": hashlib.sha256(recipe).hexdigest(), "source": doc["source"],
                 "recipe": base64.b64encode(recipe).decode(), "created": "2026-12-05T08:00:00Z"}
    sha = lambda t: hashlib.sha256(t.encode()).hexdigest()
    base = {"_type": "cocoon.rebuild-verdict/v1", "product": doc["name"], "version": doc["version"],
            "recipe_sha256": candidate["recipe_sha256"], "source_commit": doc["source"]["commit"],
            "builder": "builder-a", "finished": "2026-12-05T08:03:10Z"}
    reproduced = dict(base, verdict="reproduced",
                      subject={"kind": "release", "log_index": 41, "entry_sha256": sha("targets"), "targets_version": 3},
                      artifacts=[{"name": "sample-node.tar.zst", "sha256": sha("tar"), "expected_sha256": sha("tar")}],
                      measurement={"predicted": {"mrtd": sha("mrtd")}, "matches_release": True})
    mismatch = dict(base, verdict="mismatch", first_difference="sample-node: .text differs at offset 0x1040",
                    subject={"kind": "candidate", "log_index": 40, "entry_sha256": sha("candidate")},
                    artifacts=[{"name": "sample-node", "sha256": sha("a"), "expected_sha256": sha("b")}])
    failure = dict(base, verdict="build-failure", failure="step compile exited with status 2",
                   subject={"kind": "release", "log_index": 41, "entry_sha256": sha("targets"), "targets_version": 3},
                   artifacts=[{"name": "sample-node", "sha256": "", "expected_sha256": sha("b")}])
    kinds = [("candidate", "application/vnd.cocoon.release-candidate.v1+json", candidate),
             ("verdict-reproduced", "application/vnd.cocoon.rebuild-verdict.v1+json", reproduced),
             ("verdict-mismatch", "application/vnd.cocoon.rebuild-verdict.v1+json", mismatch),
             ("verdict-failure", "application/vnd.cocoon.rebuild-verdict.v1+json", failure)]
    for name, ptype, value in kinds:
        payload = canon(value)
        pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype.encode(), len(payload), payload)
        env = {"payloadType": ptype, "payload": base64.b64encode(payload).decode(),
               "signatures": [{"keyid": keyid(pk), "sig": base64.b64encode(sk.sign(pae)).decode()}]}
        put("rebuild_entries", name + ".payload.json", payload)
        put("rebuild_entries", name + ".entry.json", canon(env))


def watch_entry():
    # What a watching builder reads from the log (fuzz_watch_entry.cpp trusts the key with seed
    # sha256("rebuild") as the targets role and as its own builder key): the rebuild entries, a targets
    # entry that key signed (one product), and a targets entry signed by a key it does not trust.
    for name in ("candidate", "verdict-reproduced", "verdict-failure"):
        put("watch_entry", name + ".json", (OUT / "rebuild_entries" / (name + ".entry.json")).read_bytes())
    sk, pk = keypair("rebuild")
    sha = lambda t: hashlib.sha256(t.encode()).hexdigest()
    labels = {"version": "0.1.0", "source_commit": "9" * 40, "recipe_sha256": sha("recipe")}
    signed = {"_type": "targets", "spec_version": "1.0.31", "version": 3, "expires": "2030-01-01T00:00:00Z",
              "targets": {"sample-node/sample-node.tar.zst": {"length": 3, "hashes": {"sha256": sha("tar")},
                                                              "custom": {"cocoon": labels}}}}
    put("watch_entry", "targets-trusted.json", envelope(signed, [(sk, pk)]))
    put("watch_entry", "targets-untrusted.json", envelope(signed, [keypair("mallory")]))


def keys():
    for p in sorted((ROOT / "keys/demo").glob("*.pub"))[:3]:
        put("key_file", p.name, p.read_bytes())
    put("key_file", "builders.json", (ROOT / "keys/demo/builders.json").read_bytes())
    sk, pk = keypair("alice")
    seed = sk.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = {"schema": "cocoon-public-key/v1", "name": "alice", "keyid": keyid(pk), "key": tuf_key(pk)}
    put("key_file", "alice.pub", pretty(public))
    secret = dict(public, schema="cocoon-secret-key/v1", seed=seed.hex())
    put("key_file", "alice-unencrypted.key", pretty(secret))
    enc = dict(public, schema="cocoon-secret-key/v1",
               encryption={"kdf": {"name": "argon2id13", "opslimit": 2, "memlimit": 67108864, "salt": "00" * 16},
                           "cipher": "xsalsa20poly1305", "nonce": "11" * 24, "ciphertext": "22" * 48})
    put("key_file", "alice-encrypted.key", pretty(enc))
    put("key_file", "tuf-key.json", json.dumps(tuf_key(pk)))


# Ed25519 group arithmetic (RFC 8032 §5.1) for FROST verifying shares: share * B.
P = 2**255 - 19
D = -121665 * pow(121666, P - 2, P) % P
BY = 4 * pow(5, P - 2, P) % P


def recover_x(y, sign):
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * pow(2, (P - 1) // 4, P) % P
    if x % 2 != sign:
        x = P - x
    return x


B = (recover_x(BY, 0), BY)


def add(p, q):
    (x1, y1), (x2, y2) = p, q
    t = D * x1 * x2 * y1 * y2 % P
    return ((x1 * y2 + x2 * y1) * pow(1 + t, P - 2, P) % P, (y1 * y2 + x1 * x2) * pow(1 - t, P - 2, P) % P)


def mul(s, p):
    r = (0, 1)
    while s:
        if s & 1:
            r = add(r, p)
        p = add(p, p)
        s >>= 1
    return r


def enc(p):
    x, y = p
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def frost():
    v = json.loads((SHARED / "vectors/frost-ed25519-sha512-rfc9591.json").read_text())
    cs = "FROST(Ed25519, SHA-512)"
    gpk = v["inputs"]["group_public_key"]
    shares = [{"id": int(i), "key": enc(mul(int.from_bytes(bytes.fromhex(p["participant_share"]), "little"), B)).hex()}
              for i, p in sorted(v["participants"].items())]
    group = {"format": "cocoon-frost-group/v1", "ciphersuite": cs, "threshold": v["config"]["MIN_PARTICIPANTS"],
             "participants": v["config"]["MAX_PARTICIPANTS"], "group_public_key": gpk, "verifying_shares": shares,
             "excluded": []}
    put("frost_files", "group.json", pretty(group))
    msg_sha = hashlib.sha256(bytes.fromhex(v["inputs"]["message"])).hexdigest()
    r1 = v["round_one_outputs"]["1"]
    put("frost_files", "commitment.json", pretty({"format": "cocoon-frost-commitment/v1", "ciphersuite": cs,
                                                  "group_public_key": gpk, "id": 1,
                                                  "hiding": r1["hiding_nonce_commitment"],
                                                  "binding": r1["binding_nonce_commitment"], "message_sha256": msg_sha}))
    put("frost_files", "share.json", pretty({"format": "cocoon-frost-share/v1", "ciphersuite": cs, "group_public_key": gpk,
                                             "id": 3, "message_sha256": msg_sha, "commitments_sha256": "ab" * 32,
                                             "share": v["round_two_outputs"]["3"]["sig_share"]}))
    put("frost_files", "round2.json", pretty({"format": "cocoon-frost-dkg-round2/v1", "ciphersuite": cs, "from": 1, "to": 2,
                                              "round1_digest": "cd" * 32, "nonce": "ef" * 24, "ciphertext": "01" * 48}))
    coeff = [int.from_bytes(bytes.fromhex(v["inputs"]["group_secret_key"]), "little"),
             int.from_bytes(bytes.fromhex(v["inputs"]["share_polynomial_coefficients_1"]), "little")]
    put("frost_files", "round1.json", pretty({"format": "cocoon-frost-dkg-round1/v1", "ciphersuite": cs,
                                              "session": "00" * 32, "threshold": 2, "participants": 3, "id": 1,
                                              "commitment": [enc(mul(c, B)).hex() for c in coeff],
                                              "proof": {"R": enc(mul(5, B)).hex(), "mu": "07" + "00" * 31},
                                              "encryption_key": "09" * 32}))


def json_extras():
    put("json", "nested", '{"a":[1,2,{"b":null,"c":"x\\"y"}],"d":true,"e":-3}')
    put("json", "unicode", '{"\\u00e9t\\u00e9":"caf\\u00e9 \\ud83d\\ude00"}')


def main():
    targets_bytes = tuf()
    tlog(targets_bytes)
    http()
    measure()
    tdvf_image()
    archives()
    recipes()
    attestations(targets_bytes)
    rebuild_entries()
    watch_entry()
    keys()
    frost()
    json_extras()
    measurement()


def measurement():
    def reg(tag):
        return hashlib.sha384(tag.encode()).hexdigest()
    zero = "00" * 48
    digest = reg("cocoon:role worker")
    rtmr3 = hashlib.sha384(bytes.fromhex(zero + digest)).hexdigest()
    event = {"index": 0, "register": "rtmr3", "type_value": 13, "description": "cocoon:role worker", "digest": digest}
    profile = {"schema": "cocoon-host-profile/v1", "name": "qemu-9.1-q35", "qemu_version": "9.1.0",
               "memory_bytes": 4 << 30, "vcpus": 4, "devices": ["virtio-net"], "rtmr0": reg("rtmr0"),
               "mrtd_page_order": "single_pass"}
    put("measurement", "host-profile.json", pretty(profile))
    doc = {"schema": "cocoon-measurement/v1",
           "candidates": {"mrtd": [{"label": "OVMF single_pass", "value": reg("mrtd")}],
                          "rtmr0": [{"label": "qemu-9.1-q35", "value": reg("rtmr0"), "host_profile": "qemu-9.1-q35"}],
                          "rtmr3": [{"label": "worker", "value": rtmr3, "role": "worker", "events": [event]}]},
           "host_profiles": [profile], "image_hashes": [{"image_hash": reg("image")}]}
    put("measurement", "measurement.json", pretty(doc))


if __name__ == "__main__":
    main()
