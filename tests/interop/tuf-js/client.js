#!/usr/bin/env node
// The tuf-js side of the interoperability test (tests/release/test_release_interop.cpp).
//
//   node client.js update REPO_DIR TRUSTED_ROOT CACHE_DIR TARGET_PATH OUT_FILE
//       serves REPO_DIR on 127.0.0.1 (an ephemeral port), runs the tuf-js Updater with
//       CACHE_DIR/metadata as its metadata directory (seeded with TRUSTED_ROOT the first time),
//       refreshes, downloads TARGET_PATH to OUT_FILE and prints {"ok":true,"root_version":N,...}.
//       On refusal prints {"ok":false,"error":"<class>: <message>"} and exits 1.
//   node client.js update-many RUNS_FILE
//       runs several `update`s in one process (tests/verify/test_tufjs_models.cpp); see updateMany.
//   node client.js canonical FILE
//       prints the tuf-js canonical JSON of the document in FILE.
//   node client.js verify ROOT_FILE METADATA_FILE ROLE
//       checks METADATA_FILE's signatures for ROLE against ROOT_FILE with tuf-js; exit 0 when accepted.
//   node client.js sign FILE SEED_HEX
//       prints the hex Ed25519 signature (node:crypto) over tuf-js's canonical JSON of FILE's "signed".
//
// tuf-js is found through NODE_PATH (ci/setup installs it pinned outside the repository).
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

function load(name) {
  try {
    return require(name);
  } catch (e) {
    process.stderr.write(`client.js: cannot load ${name} (run ci/setup; NODE_PATH=${process.env.NODE_PATH || ''})\n`);
    process.exit(3);
  }
}

function serve(root) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(path.resolve(root) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Length': data.length }).end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// One tuf-js update; the result object `update` prints.
async function runUpdate(repo, trustedRoot, cache, targetPath, outFile) {
  const { Updater } = load('tuf-js');
  const metadataDir = path.join(cache, 'metadata');
  const targetDir = path.join(cache, 'targets');
  fs.mkdirSync(metadataDir, { recursive: true });
  fs.mkdirSync(targetDir, { recursive: true });
  if (!fs.existsSync(path.join(metadataDir, 'root.json'))) {
    fs.copyFileSync(trustedRoot, path.join(metadataDir, 'root.json'));
  }
  const server = await serve(path.resolve(repo));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const updater = new Updater({
      metadataDir,
      metadataBaseUrl: `${base}/metadata`,
      targetDir,
      targetBaseUrl: `${base}/targets`,
      config: { fetchRetry: 0 },
    });
    await updater.refresh();
    const info = await updater.getTargetInfo(targetPath);
    if (!info) throw new Error(`target ${targetPath} not found`);
    await updater.downloadTarget(info, outFile);
    const root = JSON.parse(fs.readFileSync(path.join(metadataDir, 'root.json')));
    const targets = JSON.parse(fs.readFileSync(path.join(metadataDir, 'targets.json')));
    return {
      ok: true,
      root_version: root.signed.version,
      targets_version: targets.signed.version,
      length: info.length,
    };
  } catch (e) {
    return { ok: false, error: `${e.constructor.name}: ${e.message}` };
  } finally {
    server.close();
  }
}

async function update(repo, trustedRoot, cache, targetPath, outFile) {
  const result = await runUpdate(repo, trustedRoot, cache, targetPath, outFile);
  console.log(JSON.stringify(result));
  return result.ok ? 0 : 1;
}

// Runs several updates in one process (node start-up dominates a single update): RUNS_FILE holds
// [{"repo","root","cache","target","out","keep"}...], run in order; after each, CACHE/metadata is copied
// to "keep" (when given) so the caller can compare what tuf-js persisted at every step. Prints the
// array of `update` results; exit 0 even when some updates refused.
async function updateMany(runsFile) {
  const runs = JSON.parse(fs.readFileSync(runsFile, 'utf8'));
  const results = [];
  for (const r of runs) {
    results.push(await runUpdate(r.repo, r.root, r.cache, r.target, r.out));
    if (r.keep) fs.cpSync(path.join(r.cache, 'metadata'), r.keep, { recursive: true });
  }
  console.log(JSON.stringify(results));
  return 0;
}

function canonical(file) {
  const { canonicalize } = load('@tufjs/canonical-json');
  process.stdout.write(canonicalize(JSON.parse(fs.readFileSync(file, 'utf8'))));
  return 0;
}

function verify(rootFile, metadataFile, role) {
  const { Metadata } = load('@tufjs/models');
  const root = Metadata.fromJSON('root', JSON.parse(fs.readFileSync(rootFile, 'utf8')));
  const md = Metadata.fromJSON(role, JSON.parse(fs.readFileSync(metadataFile, 'utf8')));
  try {
    root.verifyDelegate(role, md);
    console.log('accepted');
    return 0;
  } catch (e) {
    console.log(`refused: ${e.constructor.name}: ${e.message}`);
    return 1;
  }
}

function sign(file, seedHex) {
  const { canonicalize } = load('@tufjs/canonical-json');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seedHex, 'hex')]);
  const key = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const sig = crypto.sign(null, Buffer.from(canonicalize(doc.signed), 'utf8'), key);
  process.stdout.write(sig.toString('hex'));
  return 0;
}

async function main(argv) {
  const [cmd, ...args] = argv;
  if (cmd === 'update' && args.length === 5) return update(...args);
  if (cmd === 'update-many' && args.length === 1) return updateMany(...args);
  if (cmd === 'canonical' && args.length === 1) return canonical(...args);
  if (cmd === 'verify' && args.length === 3) return verify(...args);
  if (cmd === 'sign' && args.length === 2) return sign(...args);
  process.stderr.write('usage: client.js update|update-many|canonical|verify|sign ... (see the header comment)\n');
  return 2;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`client.js: ${e.stack || e}\n`);
  process.exit(4);
});
