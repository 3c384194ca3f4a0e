#!/usr/bin/env node
// node tufjs_refresh.js BASE_URL ROOT_FILE N: runs tuf-js's Updater.refresh() N times in one process,
// each from an empty metadata directory seeded with ROOT_FILE, and prints the median milliseconds.
// tuf-js is found through NODE_PATH (ci/setup installs tuf-js 6.0.2 pinned).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Updater } = require('tuf-js');

async function main() {
  const [base, rootFile, nText] = process.argv.slice(2);
  const n = parseInt(nText, 10);
  const times = [];
  for (let i = 0; i < n; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tufjs-'));
    fs.mkdirSync(path.join(dir, 'metadata'));
    fs.mkdirSync(path.join(dir, 'targets'));
    fs.copyFileSync(rootFile, path.join(dir, 'metadata', 'root.json'));
    const start = process.hrtime.bigint();
    const updater = new Updater({
      metadataBaseUrl: base + 'metadata',
      targetBaseUrl: base + 'targets',
      metadataDir: path.join(dir, 'metadata'),
      targetDir: path.join(dir, 'targets'),
      config: { fetchRetry: 0 },
    });
    await updater.refresh();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  console.log(times[Math.floor(times.length / 2)].toFixed(3));
}

main().catch((e) => {
  process.stderr.write(`tufjs_refresh: ${e.message}\n`);
  process.exit(1);
});
