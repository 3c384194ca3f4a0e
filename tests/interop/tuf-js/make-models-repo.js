#!/usr/bin/env node
// Writes TUF repositories made only with tuf-js's @tufjs/models classes (node:crypto Ed25519 keys,
// @tufjs/canonical-json for key ids),
// so cocoon-verify is tested against metadata that none of our own C++ code produced
// (tests/verify/test_tufjs_models.cpp).
//
//   node make-models-repo.js SCENARIO OUT_DIR
//       SCENARIO: basic | delegations | role-names | rotate | fast-forward
//       Writes one complete repository per stage, OUT_DIR/<stage>/{metadata,targets}/ (consistent
//       snapshots: N.root.json, N.targets.json, N.<role>.json, N.snapshot.json, timestamp.json;
//       targets/<dir>/<hash>.<name> under every listed hash), and prints a JSON summary:
//         {"scenario": ..., "keys": {name: keyid}, "cases": [CASE...]}
//       CASE = {"name", "state", "stage", "target", "expect": "ok"|"refuse", "content"?, "class"?}.
//       Cases sharing "state" run in order against one client state (a node updating over time);
//       "class" is the refusal class cocoon-verify must report (errc_name: "not found", "signature", "rollback", ...).
//
// Keys are derived from their names (SHA-256 of the name is the Ed25519 seed), so every run writes the
// same bytes; only `expires` is fixed far in the future. Metadata is written pretty-printed with two
// spaces: clients must persist the bytes they received, not a re-serialisation.
//
// @tufjs/models, @tufjs/canonical-json and tuf-js are found through NODE_PATH (ci/setup installs them).
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

function load(name) {
  try {
    return require(name);
  } catch (e) {
    process.stderr.write(`make-models-repo.js: cannot load ${name} (run ci/setup; NODE_PATH=${process.env.NODE_PATH || ''})\n`);
    process.exit(3);
  }
}

const models = load('@tufjs/models');
// Role, DelegatedRole and Delegations are not re-exported by the package index.
const { Role, DelegatedRole } = load('@tufjs/models/dist/role');
const { Delegations } = load('@tufjs/models/dist/delegations');
const { canonicalize } = load('@tufjs/canonical-json');
const { Metadata, Root, Targets, Snapshot, Timestamp, MetaFile, TargetFile, Key, Signature } = models;

const EXPIRES = '2099-01-01T00:00:00Z';
const SPEC_VERSION = '1.0.31';
// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const sha256hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const sha512hex = (data) => crypto.createHash('sha512').update(data).digest('hex');

// A named Ed25519 key: the models Key (for root/delegations) and a signer for Metadata.sign.
function makeKey(name) {
  const seed = crypto.createHash('sha256').update(`make-models-repo key ${name}`).digest();
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicHex = spki.subarray(spki.length - 32).toString('hex');
  // The key id is the SHA-256 of the canonical JSON of the key object (TUF §4.2).
  const keyObject = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: publicHex } };
  const keyID = sha256hex(canonicalize(keyObject));
  const key = new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: publicHex } });
  const signer = (data) => new Signature({ keyID, sig: crypto.sign(null, data, privateKey).toString('hex') });
  return { name, keyID, key, signer };
}

const keyCache = new Map();
function K(name) {
  if (!keyCache.has(name)) keyCache.set(name, makeKey(name));
  return keyCache.get(name);
}

function common(version) {
  return { version, specVersion: SPEC_VERSION, expires: EXPIRES };
}

function signedBy(signed, signers) {
  const md = new Metadata(signed);
  for (const k of signers) md.sign(k.signer);
  return md;
}

function bytesOf(md) {
  return Buffer.from(JSON.stringify(md.toJSON(), null, 2) + '\n');
}

function makeRoot(version, roleKeys, rootThreshold = 1) {
  const keys = {};
  const roles = {};
  for (const [role, list] of Object.entries(roleKeys)) {
    for (const k of list) keys[k.keyID] = k.key;
    roles[role] = new Role({ keyIDs: list.map((k) => k.keyID), threshold: role === 'root' ? rootThreshold : 1 });
  }
  return new Root({ ...common(version), keys, roles, consistentSnapshot: true });
}

// One repository directory. A later stage starts as a copy of an earlier one (what a mirror holds after
// the next publication: old versioned files stay).
class Stage {
  constructor(dir, from) {
    this.dir = dir;
    if (from) {
      fs.cpSync(from.dir, dir, { recursive: true });
    } else {
      fs.mkdirSync(path.join(dir, 'metadata'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'targets'), { recursive: true });
    }
  }

  // A role name may hold '/', as served over HTTP: a client asks for the percent-encoded name and the
  // server decodes it into a path.
  writeMetadata(fileName, md) {
    const data = bytesOf(md);
    const where = path.join(this.dir, 'metadata', fileName);
    fs.mkdirSync(path.dirname(where), { recursive: true });
    fs.writeFileSync(where, data);
    return data;
  }

  // A TargetFile for `content`, published under every hash it lists.
  target(targetPath, content) {
    const data = Buffer.from(content);
    const hashes = { sha256: sha256hex(data), sha512: sha512hex(data) };
    const { dir, base } = path.posix.parse(targetPath);
    for (const h of Object.values(hashes)) {
      const where = path.join(this.dir, 'targets', dir, `${h}.${base}`);
      fs.mkdirSync(path.dirname(where), { recursive: true });
      fs.writeFileSync(where, data);
    }
    return new TargetFile({ length: data.length, path: targetPath, hashes });
  }
}

function targetsSigned(version, files, delegations) {
  const targets = {};
  for (const f of files) targets[f.path] = f;
  return new Targets({ ...common(version), targets, delegations });
}

// Publishes targets-like metadata (top-level and delegated), a snapshot listing them, and a timestamp.
//   roles: [{name, version, signed: Targets, signers}]  ("targets" first)
// The snapshot records only versions (python-tuf's default) unless `metaHashes`, then also each
// file's length and sha256; the timestamp records snapshot.json's version, length and hashes.
function publish(stage, { roles, snapshotVersion, snapshotSigners, timestampVersion, timestampSigners, metaHashes }) {
  const meta = {};
  for (const r of roles) {
    const data = stage.writeMetadata(`${r.version}.${r.name}.json`, signedBy(r.signed, r.signers));
    meta[`${r.name}.json`] = metaHashes
      ? new MetaFile({ version: r.version, length: data.length, hashes: { sha256: sha256hex(data) } })
      : new MetaFile({ version: r.version });
  }
  const snapshotBytes = stage.writeMetadata(
    `${snapshotVersion}.snapshot.json`,
    signedBy(new Snapshot({ ...common(snapshotVersion), meta }), snapshotSigners),
  );
  const snapshotMeta = new MetaFile({
    version: snapshotVersion,
    length: snapshotBytes.length,
    hashes: { sha256: sha256hex(snapshotBytes) },
  });
  stage.writeMetadata(
    'timestamp.json',
    signedBy(new Timestamp({ ...common(timestampVersion), snapshotMeta }), timestampSigners),
  );
}

// Plain repository: one key per role; two targets, one in a sub-directory.
function basic(out) {
  const s1 = new Stage(path.join(out, 's1'));
  const roleKeys = { root: [K('root')], targets: [K('targets')], snapshot: [K('snapshot')], timestamp: [K('timestamp')] };
  s1.writeMetadata('1.root.json', signedBy(makeRoot(1, roleKeys), [K('root')]));
  const files = [s1.target('hello.txt', 'hello from @tufjs/models\n'), s1.target('dir/sub/data.bin', 'nested target bytes\x00\x01\x02')];
  publish(s1, {
    roles: [{ name: 'targets', version: 1, signed: targetsSigned(1, files), signers: [K('targets')] }],
    snapshotVersion: 1,
    snapshotSigners: [K('snapshot')],
    timestampVersion: 1,
    timestampSigners: [K('timestamp')],
  });
  return [
    { name: 'top-level target', state: 'a', stage: 's1', target: 'hello.txt', expect: 'ok', content: 'hello from @tufjs/models\n' },
    { name: 'target in a sub-directory', state: 'b', stage: 's1', target: 'dir/sub/data.bin', expect: 'ok', content: 'nested target bytes\x00\x01\x02' },
    { name: 'unknown target', state: 'c', stage: 's1', target: 'missing.txt', expect: 'refuse', class: 'not found' },
  ];
}

function delegatedRole(name, keys, opts) {
  return new DelegatedRole({
    name,
    keyIDs: keys.map((k) => k.keyID),
    threshold: opts.threshold || 1,
    terminating: !!opts.terminating,
    paths: opts.paths,
    pathHashPrefixes: opts.pathHashPrefixes,
  });
}

function delegationsOf(list) {
  const keys = {};
  const roles = {};
  for (const { role, keys: roleKeys } of list) {
    for (const k of roleKeys) keys[k.keyID] = k.key;
    roles[role.name] = role;
  }
  return new Delegations({ keys, roles });
}

// The delegation tree (search order top to bottom, depth first):
//   targets                      lists top.txt
//   ├─ a-role      "a/*"         lists a/one.txt, a/sub/deep.txt (a path "a/*" does not cover)
//   │  ├─ a-child  "a/order.txt" lists a/order.txt ("from a-child": depth first beats a-sibling)
//   │  └─ a-deep   "a/deep-*"    lists nothing, delegates on
//   │     └─ a-deeper "a/deep-*" lists a/deep-file.txt (two levels below a-role)
//   ├─ a-sibling   "a/*"         lists a/order.txt ("from a-sibling": never reached for it)
//   ├─ shadow      "s/*"  terminating; lists s/listed.txt but not s/only-later.txt
//   ├─ later       "s/*", "x/*"  lists s/only-later.txt (shadowed) and x/later.txt
//   ├─ nomatch     "z/*"         lists q/unreachable.txt (its patterns do not cover it)
//   ├─ bins        hash prefix of "h/hashed.txt"; lists it
//   ├─ badsig      "bad/*"  delegated to key good-bad, signed by key intruder: refused
//   └─ stale       "old/*"  expired in 2001: refused
function delegations(out) {
  const s = new Stage(path.join(out, 's1'));
  const roleKeys = { root: [K('root')], targets: [K('targets')], snapshot: [K('snapshot')], timestamp: [K('timestamp')] };
  s.writeMetadata('1.root.json', signedBy(makeRoot(1, roleKeys), [K('root')]));
  const t = (p, c) => s.target(p, c);
  const hashedPrefix = sha256hex('h/hashed.txt').slice(0, 3);

  const aRole = delegationsOf([
    { role: delegatedRole('a-child', [K('a-child')], { paths: ['a/order.txt'] }), keys: [K('a-child')] },
    { role: delegatedRole('a-deep', [K('a-deep')], { paths: ['a/deep-*'] }), keys: [K('a-deep')] },
  ]);
  const aDeep = delegationsOf([
    { role: delegatedRole('a-deeper', [K('a-deeper')], { paths: ['a/deep-*'] }), keys: [K('a-deeper')] },
  ]);
  const top = delegationsOf([
    { role: delegatedRole('a-role', [K('a-role')], { paths: ['a/*'] }), keys: [K('a-role')] },
    { role: delegatedRole('a-sibling', [K('a-sibling')], { paths: ['a/*'] }), keys: [K('a-sibling')] },
    { role: delegatedRole('shadow', [K('shadow')], { paths: ['s/*'], terminating: true }), keys: [K('shadow')] },
    { role: delegatedRole('later', [K('later')], { paths: ['s/*', 'x/*'] }), keys: [K('later')] },
    { role: delegatedRole('nomatch', [K('nomatch')], { paths: ['z/*'] }), keys: [K('nomatch')] },
    { role: delegatedRole('bins', [K('bins')], { pathHashPrefixes: ['fff', hashedPrefix] }), keys: [K('bins')] },
    { role: delegatedRole('badsig', [K('good-bad')], { paths: ['bad/*'] }), keys: [K('good-bad')] },
    { role: delegatedRole('stale', [K('stale')], { paths: ['old/*'] }), keys: [K('stale')] },
  ]);
  const role = (name, files, dels, signers) => ({ name, version: 1, signed: targetsSigned(1, files, dels), signers });
  publish(s, {
    roles: [
      role('targets', [t('top.txt', 'top-level\n')], top, [K('targets')]),
      role('a-role', [t('a/one.txt', 'a/one from a-role\n'), t('a/sub/deep.txt', 'never reachable\n')], aRole, [K('a-role')]),
      role('a-child', [t('a/order.txt', 'from a-child\n')], undefined, [K('a-child')]),
      role('a-deep', [], aDeep, [K('a-deep')]),
      role('a-deeper', [t('a/deep-file.txt', 'two levels down\n')], undefined, [K('a-deeper')]),
      role('a-sibling', [t('a/order.txt', 'from a-sibling\n'), t('a/sibling.txt', 'sibling only\n')], undefined, [K('a-sibling')]),
      role('shadow', [t('s/listed.txt', 'listed by shadow\n')], undefined, [K('shadow')]),
      role('later', [t('s/only-later.txt', 'shadowed\n'), t('x/later.txt', 'x from later\n')], undefined, [K('later')]),
      role('nomatch', [t('q/unreachable.txt', 'not delegated\n')], undefined, [K('nomatch')]),
      role('bins', [t('h/hashed.txt', 'found by hash prefix\n')], undefined, [K('bins')]),
      role('badsig', [t('bad/file.txt', 'signed by the wrong key\n')], undefined, [K('intruder')]),
      {
        name: 'stale',
        version: 1,
        signed: new Targets({ ...common(1), expires: '2001-01-01T00:00:00Z', targets: { 'old/file.txt': t('old/file.txt', 'expired role\n') } }),
        signers: [K('stale')],
      },
    ],
    metaHashes: true,
    snapshotVersion: 1,
    snapshotSigners: [K('snapshot')],
    timestampVersion: 1,
    timestampSigners: [K('timestamp')],
  });
  // The same a-role metadata (still validly signed) written without whitespace: its bytes no longer
  // have the length and hash the snapshot records.
  const reformatted = new Stage(path.join(out, 'reformatted'), s);
  const aRoleFile = path.join(reformatted.dir, 'metadata', '1.a-role.json');
  fs.writeFileSync(aRoleFile, JSON.stringify(JSON.parse(fs.readFileSync(aRoleFile, 'utf8'))));

  const ok = (name, target, content) => ({ name, state: name, stage: 's1', target, expect: 'ok', content });
  const refuse = (name, target, cls) => ({ name, state: name, stage: 's1', target, expect: 'refuse', class: cls });
  return [
    ok('top-level target next to delegations', 'top.txt', 'top-level\n'),
    ok('delegated role with a path pattern', 'a/one.txt', 'a/one from a-role\n'),
    ok('pre-order: a child of an earlier role beats a later sibling', 'a/order.txt', 'from a-child\n'),
    ok('a later sibling answers what earlier roles do not list', 'a/sibling.txt', 'sibling only\n'),
    ok('nested delegation two levels deep', 'a/deep-file.txt', 'two levels down\n'),
    ok('terminating role that lists the target', 's/listed.txt', 'listed by shadow\n'),
    refuse('terminating delegation shadows a later role', 's/only-later.txt', 'not found'),
    ok('non-terminating role reached for another pattern', 'x/later.txt', 'x from later\n'),
    refuse('listed by a role whose patterns do not cover it', 'q/unreachable.txt', 'not found'),
    refuse('star does not cross a slash', 'a/sub/deep.txt', 'not found'),
    ok('path hash prefix delegation', 'h/hashed.txt', 'found by hash prefix\n'),
    refuse('delegated role signed by an unauthorised key', 'bad/file.txt', 'signature'),
    refuse('expired delegated role', 'old/file.txt', 'expired'),
    { name: 'delegated role bytes differ from the snapshot record', state: 'reformatted', stage: 'reformatted', target: 'a/one.txt', expect: 'refuse', class: 'hash mismatch' },
  ];
}

// Role names that are not plain file names: clients percent-encode them in URLs and in their metadata
// directory ("team a/apps" -> team%20a%2Fapps.json).
function roleNames(out) {
  const s = new Stage(path.join(out, 's1'));
  const roleKeys = { root: [K('root')], targets: [K('targets')], snapshot: [K('snapshot')], timestamp: [K('timestamp')] };
  s.writeMetadata('1.root.json', signedBy(makeRoot(1, roleKeys), [K('root')]));
  const top = delegationsOf([
    { role: delegatedRole('team a/apps', [K('apps')], { paths: ['apps/*'] }), keys: [K('apps')] },
    { role: delegatedRole('ops+release', [K('ops')], { paths: ['ops/*'] }), keys: [K('ops')] },
  ]);
  const role = (name, files, dels, signers) => ({ name, version: 1, signed: targetsSigned(1, files, dels), signers });
  publish(s, {
    roles: [
      role('targets', [], top, [K('targets')]),
      role('team a/apps', [s.target('apps/tool.txt', 'listed by "team a/apps"\n')], undefined, [K('apps')]),
      role('ops+release', [s.target('ops/run.txt', 'listed by "ops+release"\n')], undefined, [K('ops')]),
    ],
    snapshotVersion: 1,
    snapshotSigners: [K('snapshot')],
    timestampVersion: 1,
    timestampSigners: [K('timestamp')],
  });
  return [
    { name: 'role name with a space and a slash', state: 'a', stage: 's1', target: 'apps/tool.txt', expect: 'ok', content: 'listed by "team a/apps"\n' },
    { name: 'role name with a plus', state: 'b', stage: 's1', target: 'ops/run.txt', expect: 'ok', content: 'listed by "ops+release"\n' },
  ];
}

// Key rotation through the root chain. s1: root v1. s2: root v2 replaces the root key (signed by the
// old and the new root key), root v3 replaces the targets and timestamp keys (signed by the new root
// key); targets v2 signed by the new targets key. Bad stages: bad-root (v2 signed by the new root key
// only), old-targets-key (after the rotation, targets still signed by the old key).
function rotate(out) {
  const keysV1 = { root: [K('root-1')], targets: [K('targets-1')], snapshot: [K('snapshot')], timestamp: [K('timestamp-1')] };
  const keysV2 = { ...keysV1, root: [K('root-2')] };
  const keysV3 = { ...keysV2, targets: [K('targets-2')], timestamp: [K('timestamp-2')] };

  const s1 = new Stage(path.join(out, 's1'));
  s1.writeMetadata('1.root.json', signedBy(makeRoot(1, keysV1), [K('root-1')]));
  publish(s1, {
    roles: [{ name: 'targets', version: 1, signed: targetsSigned(1, [s1.target('app.txt', 'app version 1\n')]), signers: [K('targets-1')] }],
    snapshotVersion: 1,
    snapshotSigners: [K('snapshot')],
    timestampVersion: 1,
    timestampSigners: [K('timestamp-1')],
  });

  const s2 = new Stage(path.join(out, 's2'), s1);
  s2.writeMetadata('2.root.json', signedBy(makeRoot(2, keysV2), [K('root-1'), K('root-2')]));
  s2.writeMetadata('3.root.json', signedBy(makeRoot(3, keysV3), [K('root-2')]));
  const app2 = s2.target('app.txt', 'app version 2\n');
  publish(s2, {
    roles: [{ name: 'targets', version: 2, signed: targetsSigned(2, [app2]), signers: [K('targets-2')] }],
    snapshotVersion: 2,
    snapshotSigners: [K('snapshot')],
    timestampVersion: 2,
    timestampSigners: [K('timestamp-2')],
  });

  const badRoot = new Stage(path.join(out, 'bad-root'), s1);
  badRoot.writeMetadata('2.root.json', signedBy(makeRoot(2, keysV2), [K('root-2')]));

  const oldTargetsKey = new Stage(path.join(out, 'old-targets-key'), s2);
  publish(oldTargetsKey, {
    roles: [{ name: 'targets', version: 3, signed: targetsSigned(3, [app2]), signers: [K('targets-1')] }],
    snapshotVersion: 3,
    snapshotSigners: [K('snapshot')],
    timestampVersion: 3,
    timestampSigners: [K('timestamp-2')],
  });

  return [
    { name: 'root v1', state: 'node', stage: 's1', target: 'app.txt', expect: 'ok', content: 'app version 1\n' },
    { name: 'root v1 -> v3 rotating root, targets and timestamp keys', state: 'node', stage: 's2', target: 'app.txt', expect: 'ok', content: 'app version 2\n' },
    { name: 'targets signed by the rotated-out key', state: 'node', stage: 'old-targets-key', target: 'app.txt', expect: 'refuse', class: 'signature' },
    { name: 'new root not signed by the old root key', state: 'fresh', stage: 'bad-root', target: 'app.txt', expect: 'refuse', class: 'signature' },
  ];
}

// Fast-forward attacks and recovery by key rotation (TUF §5.3.11; python-tuf's
// test_fast_forward_recovery). Timestamp: an attacker with the timestamp key serves timestamp v99; the
// honest timestamp v2 is then a rollback until root v2 rotates the timestamp key. Snapshot: an attacker
// with the snapshot and timestamp keys serves snapshot v99; recovery needs both keys rotated.
function fastForward(out) {
  const keysV1 = { root: [K('root')], targets: [K('targets')], snapshot: [K('snapshot-1')], timestamp: [K('timestamp-1')] };
  const keysV2 = { ...keysV1, timestamp: [K('timestamp-2')] };
  const keysV3 = { ...keysV2, snapshot: [K('snapshot-2')], timestamp: [K('timestamp-3')] };
  const targetsV1 = (stage) => ({ name: 'targets', version: 1, signed: targetsSigned(1, [stage.target('app.txt', 'app\n')]), signers: [K('targets')] });

  const s1 = new Stage(path.join(out, 's1'));
  s1.writeMetadata('1.root.json', signedBy(makeRoot(1, keysV1), [K('root')]));
  publish(s1, { roles: [targetsV1(s1)], snapshotVersion: 1, snapshotSigners: [K('snapshot-1')], timestampVersion: 1, timestampSigners: [K('timestamp-1')] });

  // Timestamp fast-forward.
  const tsAttack = new Stage(path.join(out, 'ts-attack'), s1);
  publish(tsAttack, { roles: [targetsV1(tsAttack)], snapshotVersion: 1, snapshotSigners: [K('snapshot-1')], timestampVersion: 99, timestampSigners: [K('timestamp-1')] });
  const tsHonest = new Stage(path.join(out, 'ts-honest'), s1);
  publish(tsHonest, { roles: [targetsV1(tsHonest)], snapshotVersion: 2, snapshotSigners: [K('snapshot-1')], timestampVersion: 2, timestampSigners: [K('timestamp-1')] });
  const tsRecovered = new Stage(path.join(out, 'ts-recovered'), tsHonest);
  tsRecovered.writeMetadata('2.root.json', signedBy(makeRoot(2, keysV2), [K('root')]));
  publish(tsRecovered, { roles: [targetsV1(tsRecovered)], snapshotVersion: 2, snapshotSigners: [K('snapshot-1')], timestampVersion: 2, timestampSigners: [K('timestamp-2')] });

  // Snapshot fast-forward, continuing from the recovered timestamp (root v2).
  const snapAttack = new Stage(path.join(out, 'snap-attack'), tsRecovered);
  publish(snapAttack, { roles: [targetsV1(snapAttack)], snapshotVersion: 99, snapshotSigners: [K('snapshot-1')], timestampVersion: 3, timestampSigners: [K('timestamp-2')] });
  const snapHonest = new Stage(path.join(out, 'snap-honest'), tsRecovered);
  publish(snapHonest, { roles: [targetsV1(snapHonest)], snapshotVersion: 3, snapshotSigners: [K('snapshot-1')], timestampVersion: 4, timestampSigners: [K('timestamp-2')] });
  const snapRecovered = new Stage(path.join(out, 'snap-recovered'), snapHonest);
  snapRecovered.writeMetadata('3.root.json', signedBy(makeRoot(3, keysV3), [K('root')]));
  publish(snapRecovered, { roles: [targetsV1(snapRecovered)], snapshotVersion: 3, snapshotSigners: [K('snapshot-2')], timestampVersion: 1, timestampSigners: [K('timestamp-3')] });

  const step = (name, stage, expect, cls) => ({ name, state: 'node', stage, target: 'app.txt', expect, content: 'app\n', class: cls });
  return [
    step('honest start', 's1', 'ok'),
    step('fast-forwarded timestamp v99 (timestamp key compromised)', 'ts-attack', 'ok'),
    step('honest timestamp v2 is a rollback from v99', 'ts-honest', 'refuse', 'rollback'),
    step('root v2 rotates the timestamp key: timestamp v2 accepted', 'ts-recovered', 'ok'),
    step('fast-forwarded snapshot v99 (snapshot and timestamp keys compromised)', 'snap-attack', 'ok'),
    step('honest snapshot v3 is a rollback from v99', 'snap-honest', 'refuse', 'rollback'),
    step('root v3 rotates the snapshot and timestamp keys: snapshot v3 accepted', 'snap-recovered', 'ok'),
  ];
}

const SCENARIOS = { basic, delegations, 'role-names': roleNames, rotate, 'fast-forward': fastForward };

function main(argv) {
  const [scenario, out] = argv;
  if (argv.length !== 2 || !SCENARIOS[scenario]) {
    process.stderr.write(`usage: make-models-repo.js ${Object.keys(SCENARIOS).join('|')} OUT_DIR\n`);
    return 2;
  }
  fs.mkdirSync(out, { recursive: true });
  const cases = SCENARIOS[scenario](out);
  const keys = {};
  for (const [name, k] of keyCache) keys[name] = k.keyID;
  process.stdout.write(JSON.stringify({ scenario, keys, cases }, null, 2) + '\n');
  return 0;
}

process.exit(main(process.argv.slice(2)));
