// Cocoon release explorer (docs/explorer.md). Reads explorer-data.json (written by `cocoon-log explore`)
// and the log's own static files (checkpoint, tile/…, tile/entries/…), and verifies in this browser,
// with WebCrypto only:
//   - the checkpoint's Ed25519 signature by the log key of the root (C2SP signed-note),
//   - every release checkpoint's witness cosignatures (C2SP tlog-cosignature, cosignature/v1) and
//     the root's witness quorum, and that each such checkpoint is a prefix of the log read now,
//   - for every entry shown, its bytes against the tiles and its RFC 6962 inclusion proof, recomputed
//     from the tiles, up to the checkpoint's root; the shown artifacts against the logged targets bytes
//     and each rebuild verdict's DSSE signature against the builder key of the root.
// Every string that comes from the data file or the log is inserted as text (textContent), never as
// markup, and control and bidi characters are shown escaped.
'use strict';

(() => {
  const enc = new TextEncoder();
  const dec = new TextDecoder('utf-8', { fatal: true });
  const VERDICT_TYPE = 'application/vnd.cocoon.rebuild-verdict.v1+json';
  const SVG_NS = 'http://www.w3.org/2000/svg';

  // ---------------------------------------------------------------- text-only DOM helpers
  // Control characters, DEL, C1 controls and bidi overrides would let a hostile string hide or
  // reorder what the page shows: they are written as \xNN / \uNNNN.
  function visible(s) {
    return String(s).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const n = c.charCodeAt(0);
      return n < 0x100 ? '\\x' + n.toString(16).padStart(2, '0') : '\\u' + n.toString(16).padStart(4, '0');
    });
  }
  // el('td', {class: 'hash'}, 'text', childNode, …): attributes are fixed names the page chooses;
  // children that are not nodes become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(tag === 'pre' ? visibleLines(c) : visible(c)));
    }
    return e;
  }
  // For <pre>: line breaks stay line breaks, every other control character is escaped.
  const visibleLines = (s) => String(s).split('\n').map(visible).join('\n');
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = visible(text);
    return e;
  }
  function table(headers, rows) {
    const t = el('table', {});
    t.appendChild(el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))));
    const body = el('tbody', {});
    for (const r of rows) body.appendChild(el('tr', {}, ...r.map((c) => (c instanceof Node && c.tagName === 'TD' ? c : el('td', {}, c)))));
    t.appendChild(body);
    return t;
  }
  // A two-column table of names and values, without a header row.
  function facts(rows) {
    return el('table', { class: 'facts' }, el('tbody', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), v instanceof Node && v.tagName === 'TD' ? v : el('td', {}, v)))));
  }
  const hashCell = (h) => el('td', { class: 'hash' }, h);
  const releaseLink = (v, text) => el('a', { href: '#release/' + Number(v) }, text);

  // ---------------------------------------------------------------- bytes
  function b64decode(s) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error('malformed base64');
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  function fromHex(s) {
    if (!/^([0-9a-f]{2})*$/.test(s)) throw new Error('malformed hex');
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
    return out;
  }
  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // ---------------------------------------------------------------- WebCrypto
  const sha256 = async (b) => new Uint8Array(await crypto.subtle.digest('SHA-256', b));
  const leafHash = (entry) => sha256(concat(Uint8Array.of(0), entry));
  const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));
  async function ed25519Verify(publicKey, signature, message) {
    let key;
    try {
      key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      throw new Error('this browser has no Ed25519 in WebCrypto (' + e.message + ')');
    }
    return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  }

  // ---------------------------------------------------------------- C2SP signed notes
  // "<name>+<8 hex key hash>+<base64(alg || 32-byte key)>"; the key hash is the first 4 bytes of
  // SHA-256(name || "\n" || alg || key), and is recomputed here.
  async function parseVerifierKey(text) {
    // Split at the first two '+' only: the base64 key may itself contain '+'.
    const s = String(text);
    const first = s.indexOf('+');
    const second = first < 0 ? -1 : s.indexOf('+', first + 1);
    if (first <= 0 || second < 0) throw new Error('malformed verifier key');
    const parts = [s.slice(0, first), s.slice(first + 1, second), s.slice(second + 1)];
    if (!/^[0-9a-f]{8}$/.test(parts[1])) throw new Error('malformed verifier key');
    const blob = b64decode(parts[2]);
    if (blob.length !== 33) throw new Error('verifier key is not 33 bytes');
    const h = await sha256(concat(enc.encode(parts[0] + '\n'), blob));
    if (hex(h.subarray(0, 4)) !== parts[1]) throw new Error('verifier key hash does not match its key');
    return { name: parts[0], alg: blob[0], keyHash: h.slice(0, 4), key: blob.slice(1) };
  }
  // Text, blank line, then signature lines "— <name> <base64(key hash || signature)>".
  function parseNote(message) {
    const split = message.lastIndexOf('\n\n');
    if (split < 0) throw new Error('note has no signature block');
    const text = message.slice(0, split + 1);
    const lines = message.slice(split + 2).split('\n');
    if (lines.pop() !== '') throw new Error('note does not end with a newline');
    const signatures = lines.map((line) => {
      if (!line.startsWith('\u2014 ')) throw new Error('malformed signature line');
      const rest = line.slice(2);
      const sp = rest.lastIndexOf(' ');
      if (sp <= 0) throw new Error('malformed signature line');
      const blob = b64decode(rest.slice(sp + 1));
      if (blob.length < 5) throw new Error('signature line too short');
      return { name: rest.slice(0, sp), keyHash: blob.slice(0, 4), sig: blob.slice(4) };
    });
    return { text, signatures };
  }
  function parseCheckpoint(text) {
    const lines = text.split('\n');
    lines.pop();
    if (lines.length < 3) throw new Error('checkpoint body has fewer than 3 lines');
    if (!/^(0|[1-9][0-9]{0,15})$/.test(lines[1]) || Number(lines[1]) > Number.MAX_SAFE_INTEGER)
      throw new Error('checkpoint size is not a decimal number');
    const root = b64decode(lines[2]);
    if (root.length !== 32) throw new Error('checkpoint root is not 32 bytes');
    return { origin: lines[0], size: Number(lines[1]), root };
  }
  function findSignature(note, key) {
    return note.signatures.find((s) => s.name === key.name && equal(s.keyHash, key.keyHash));
  }
  async function verifyLogSignature(note, logKey) {
    const s = findSignature(note, logKey);
    if (!s) throw new Error('no signature by the log key ' + logKey.name);
    if (s.sig.length !== 64 || !(await ed25519Verify(logKey.key, s.sig, enc.encode(note.text))))
      throw new Error('the log key\u2019s signature does not verify');
  }
  // cosignature/v1: signature = 8-byte big-endian time || Ed25519 over
  // "cosignature/v1\ntime <t>\n" || checkpoint body. Returns the time, or null when the witness has
  // no line on this note.
  async function verifyCosignature(note, witnessKey) {
    const s = findSignature(note, witnessKey);
    if (!s) return null;
    if (s.sig.length !== 72) throw new Error('cosignature of ' + witnessKey.name + ' is not 72 bytes');
    let t = 0n;
    for (let i = 0; i < 8; i++) t = (t << 8n) | BigInt(s.sig[i]);
    const msg = enc.encode('cosignature/v1\ntime ' + t.toString() + '\n' + note.text);
    if (!(await ed25519Verify(witnessKey.key, s.sig.slice(8), msg)))
      throw new Error('cosignature of ' + witnessKey.name + ' does not verify');
    return Number(t);
  }

  // ---------------------------------------------------------------- the log's tiles (C2SP tlog-tiles)
  function encodeIndex(n) {
    let s = String(n % 1000).padStart(3, '0');
    for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000)) s = 'x' + String(n % 1000).padStart(3, '0') + '/' + s;
    return s;
  }
  const largestPowerBelow = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };

  class LogReader {
    constructor(base, size) { this.base = base; this.size = size; this.files = new Map(); this.subtrees = new Map(); }
    // A file's bytes, null when absent; each file is fetched once.
    fetchBytes(path) {
      if (!this.files.has(path)) {
        this.files.set(path, (async () => {
          const r = await fetch(this.base + path, { cache: 'no-store' });
          if (r.status === 404) return null;
          if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
          return new Uint8Array(await r.arrayBuffer());
        })());
      }
      return this.files.get(path);
    }
    // A tile or entry bundle of `width` (a partial one the log replaced by the full one is read as the
    // full one's prefix).
    async tileFile(prefix, index, width, unit) {
      const full = prefix + encodeIndex(index);
      const path = width < 256 ? full + '.p/' + width : full;
      let b = await this.fetchBytes(path);
      if (b === null && width < 256) {
        const f = await this.fetchBytes(full);
        if (f !== null) b = unit ? f.slice(0, width * unit) : f;
      }
      if (b === null) throw new Error(path + ' is missing');
      return { path, bytes: b };
    }
    // Hash number i at tree level 8·L.
    async tileHash(L, i) {
      const count = Math.floor(this.size / 256 ** L);
      if (i >= count) throw new Error('no hash ' + i + ' at level ' + 8 * L + ' in a tree of ' + this.size);
      const t = Math.floor(i / 256);
      const width = Math.min(256, count - t * 256);
      const { path, bytes } = await this.tileFile('tile/' + L + '/', t, width, 32);
      if (bytes.length !== width * 32) throw new Error('tile ' + path + ' holds ' + bytes.length + ' bytes, not ' + width * 32);
      return bytes.slice((i % 256) * 32, (i % 256 + 1) * 32);
    }
    // The root of the complete subtree of 2^level leaves starting at leaf index·2^level.
    // Memoised: the proofs of neighbouring entries share most of their subtrees.
    subtree(level, index) {
      if (level % 8 === 0) return this.tileHash(level / 8, index);
      const key = level + '/' + index;
      if (!this.subtrees.has(key))
        this.subtrees.set(key, (async () => nodeHash(await this.subtree(level - 1, 2 * index), await this.subtree(level - 1, 2 * index + 1)))());
      return this.subtrees.get(key);
    }
    // RFC 6962 MTH of leaves [lo, lo + n).
    async rangeRoot(lo, n) {
      if ((n & (n - 1)) === 0 && lo % n === 0) return this.subtree(Math.log2(n), lo / n);
      const k = largestPowerBelow(n);
      return nodeHash(await this.rangeRoot(lo, k), await this.rangeRoot(lo + k, n - k));
    }
    // RFC 6962 PATH(m, D[lo : lo + n]): the inclusion proof of leaf lo + m, from the tiles.
    async auditPath(m, lo, n) {
      if (n <= 1) return [];
      const k = largestPowerBelow(n);
      if (m < k) return [...(await this.auditPath(m, lo, k)), await this.rangeRoot(lo + k, n - k)];
      return [...(await this.auditPath(m - k, lo + k, n - k)), await this.rangeRoot(lo, k)];
    }
    async entry(i) {
      if (i >= this.size) throw new Error('entry ' + i + ' is beyond the log size ' + this.size);
      const b = Math.floor(i / 256);
      const width = Math.min(256, this.size - b * 256);
      const { path, bytes } = await this.tileFile('tile/entries/', b, width, 0);
      let off = 0;
      for (let n = 0; n < width; n++) {
        if (off + 2 > bytes.length) throw new Error(path + ' is truncated');
        const len = (bytes[off] << 8) | bytes[off + 1];
        if (off + 2 + len > bytes.length) throw new Error(path + ' is truncated');
        if (n === i % 256) return bytes.slice(off + 2, off + 2 + len);
        off += 2 + len;
      }
      throw new Error(path + ' is truncated');
    }
  }

  // RFC 9162 2.1.3.2: recompute the root from a leaf hash and its inclusion proof.
  async function rootFromInclusion(index, size, leaf, proof) {
    if (index >= size) throw new Error('index beyond the tree');
    let fn = index, sn = size - 1, r = leaf;
    for (const p of proof) {
      if (sn === 0) throw new Error('inclusion proof is too long');
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(p, r);
        if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Error('inclusion proof is too short');
    return r;
  }

  // ---------------------------------------------------------------- checks
  // Each check has a name that says what failed (the red banner names it), a result and a detail.
  const checks = [];
  async function check(name, fn) {
    const c = { name, ok: false, detail: '' };
    checks.push(c);
    try {
      c.detail = (await fn()) || 'ok';
      c.ok = true;
    } catch (e) {
      c.detail = e && e.message ? e.message : String(e);
    }
    return c.ok;
  }

  // The entry's bytes: their SHA-256 is the one the data file names, their leaf hash is the one in
  // the level-0 tile, and the inclusion proof recomputed from the tiles reaches the checkpoint's root.
  async function checkEntry(log, cp, index, sha) {
    let bytes;
    await check('inclusion of log entry ' + index + ' (tiles up to the checkpoint root)', async () => {
      bytes = await log.entry(index);
      if (hex(await sha256(bytes)) !== sha) throw new Error('entry ' + index + ' in tile/entries is not the entry this site shows (SHA-256 differs)');
      const leaf = await leafHash(bytes);
      const tileLeaf = await log.tileHash(0, index);
      if (!equal(leaf, tileLeaf)) throw new Error('entry ' + index + ' does not match its leaf hash in the level-0 tile');
      const proof = await log.auditPath(index, 0, cp.size);
      const root = await rootFromInclusion(index, cp.size, leaf, proof);
      if (!equal(root, cp.root)) throw new Error('the root recomputed from the tiles for entry ' + index + ' differs from the checkpoint root');
      return proof.length + ' hashes to the root of size ' + cp.size;
    });
    return bytes;
  }

  async function verifyRelease(log, cp, data, logKey, witnessKeys, rel, status) {
    const v = rel.targets_version;
    const bytes = await checkEntry(log, cp, rel.entry.index, rel.entry.sha256);
    if (bytes) {
      await check('release ' + v + ': artifacts shown equal the logged targets', async () => {
        const doc = JSON.parse(dec.decode(bytes));
        const targets = doc && doc.signed && doc.signed.targets;
        if (!targets || doc.signed._type !== 'targets' || doc.signed.version !== v) throw new Error('the logged entry is not targets version ' + v);
        for (const p of rel.products)
          for (const a of p.artifacts) {
            const t = Object.prototype.hasOwnProperty.call(targets, a.path) ? targets[a.path] : null;
            if (!t || !t.hashes || t.hashes.sha256 !== a.sha256) throw new Error(a.path + ': the logged targets name another digest');
            const labels = t.custom && t.custom.cocoon;
            if (!labels || labels.version !== p.version) throw new Error(a.path + ': the logged targets name another version');
          }
        return 'ok';
      });
    }
    for (const a of rel.attestations) await checkEntry(log, cp, a.index, a.sha256);
    if (!rel.checkpoint) return;
    let note, body;
    const okSig = await check('release ' + v + ': witnessed checkpoint signed by the log key', async () => {
      note = parseNote(rel.checkpoint.note);
      body = parseCheckpoint(note.text);
      if (body.origin !== data.log.origin) throw new Error('origin ' + body.origin + ' is not the log\u2019s');
      await verifyLogSignature(note, logKey);
      return 'size ' + body.size;
    });
    if (!okSig) return;
    let valid = 0;
    for (const w of witnessKeys) {
      await check('release ' + v + ': witness cosignature of ' + w.name, async () => {
        const t = await verifyCosignature(note, w);
        status.set(v + '/' + w.name, t === null ? 'absent' : 'valid, ' + new Date(t * 1000).toISOString());
        if (t !== null) valid++;
        return t === null ? 'absent' : 'time ' + t;
      }).then((ok) => { if (!ok) status.set(v + '/' + w.name, 'INVALID'); });
    }
    await check('release ' + v + ': witness quorum', async () => {
      if (valid < data.witnesses.quorum) throw new Error(valid + ' valid cosignature(s), the root requires ' + data.witnesses.quorum);
      return valid + ' of quorum ' + data.witnesses.quorum;
    });
    await check('release ' + v + ': witnessed checkpoint is a prefix of the log', async () => {
      if (body.size > cp.size) throw new Error('the release checkpoint (size ' + body.size + ') is larger than the log (' + cp.size + ')');
      const r = await log.rangeRoot(0, body.size);
      if (!equal(r, body.root)) throw new Error('the log\u2019s tiles do not hash to the release checkpoint\u2019s root at size ' + body.size);
      return 'root at size ' + body.size + ' matches';
    });
  }

  // DSSE: the signature covers PAE = "DSSEv1 <len type> <type> <len payload> <payload>".
  async function verifyVerdict(log, cp, data, v) {
    const bytes = await checkEntry(log, cp, v.index, v.sha256);
    if (!bytes || !v.signer) return;
    await check('rebuild verdict ' + v.index + ': signature by builder ' + v.signer.name, async () => {
      const env = JSON.parse(dec.decode(bytes));
      if (env.payloadType !== VERDICT_TYPE) throw new Error('not a rebuild verdict');
      const payload = b64decode(env.payload);
      const builder = data.builders.find((b) => b.keyid === v.signer.keyid);
      if (!builder) throw new Error('the builder is not in the root');
      const type = enc.encode(env.payloadType);
      const pae = concat(enc.encode('DSSEv1 ' + type.length + ' '), type, enc.encode(' ' + payload.length + ' '), payload);
      let ok = false;
      for (const s of env.signatures || []) {
        const sig = b64decode(s.sig);
        if (sig.length === 64 && (await ed25519Verify(fromHex(builder.public), sig, pae))) ok = true;
      }
      if (!ok) throw new Error('no signature by ' + v.signer.name + ' verifies');
      const p = JSON.parse(dec.decode(payload));
      for (const k of ['product', 'version', 'verdict', 'builder'])
        if (String(p[k] === undefined ? '' : p[k]) !== v[k]) throw new Error('the shown ' + k + ' is not the signed one');
      return 'ok';
    });
  }

  async function verifyAll(data, witnessStatus) {
    let cp = null;
    let logKey;
    const witnessKeys = [];
    await check('checkpoint signature (log key of the root)', async () => {
      logKey = await parseVerifierKey(data.log.verifier_key);
      if (logKey.alg !== 1) throw new Error('the log key is not an Ed25519 note key');
      const r = await fetch(data.log.base + 'checkpoint', { cache: 'no-store' });
      if (!r.ok) throw new Error('checkpoint: HTTP ' + r.status);
      const note = parseNote(await r.text());
      const body = parseCheckpoint(note.text);
      if (body.origin !== data.log.origin) throw new Error('checkpoint origin ' + body.origin + ' is not ' + data.log.origin);
      await verifyLogSignature(note, logKey);
      if (body.size < data.log.size) throw new Error('the log has ' + body.size + ' entries, fewer than the ' + data.log.size + ' this site was made from');
      cp = body;
      cp.note = note;
      return 'size ' + body.size;
    });
    if (!cp) return null;
    for (const k of data.witnesses.keys) {
      await check('witness key ' + k.split('+')[0] + ' from the root', async () => {
        const w = await parseVerifierKey(k);
        if (w.alg !== 4) throw new Error('not a cosignature/v1 key');
        witnessKeys.push(w);
        return 'ok';
      });
    }
    const log = new LogReader(data.log.base, cp.size);
    const releaseStatus = new Map();
    for (const rel of data.releases) await verifyRelease(log, cp, data, logKey, witnessKeys, rel, releaseStatus);
    for (const [k, s] of releaseStatus) witnessStatus.set(k, s);
    for (const v of data.verdicts) await verifyVerdict(log, cp, data, v);
    for (const c of data.candidates) await checkEntry(log, cp, c.index, c.sha256);
    return cp;
  }

  function showBanner() {
    const banner = document.getElementById('banner');
    banner.textContent = '';
    const failed = checks.filter((c) => !c.ok);
    if (failed.length === 0) {
      banner.className = 'ok';
      banner.setAttribute('data-state', 'ok');
      banner.appendChild(document.createTextNode('Verified in this browser: all ' + checks.length +
        ' checks passed (checkpoint signature, witness cosignatures, inclusion proofs from the tiles).'));
      return;
    }
    banner.className = 'fail';
    banner.setAttribute('data-state', 'fail');
    banner.appendChild(document.createTextNode('Verification FAILED: ' + visible(failed[0].name) + ' \u2014 ' + visible(failed[0].detail)));
    const list = el('ul', {});
    for (const c of failed) list.appendChild(el('li', {}, c.name + ': ' + c.detail));
    banner.appendChild(list);
  }

  // ---------------------------------------------------------------- plots (inline SVG)
  const W = 720, H = 220, PAD = { l: 56, r: 16, t: 14, b: 34 };
  function axes(g, minT, maxT, maxY, yLabel) {
    g.appendChild(svg('line', { x1: PAD.l, y1: H - PAD.b, x2: W - PAD.r, y2: H - PAD.b, stroke: '#9aa3ad' }));
    g.appendChild(svg('line', { x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: H - PAD.b, stroke: '#9aa3ad' }));
    g.appendChild(svg('text', { x: PAD.l, y: H - 8 }, new Date(minT * 1000).toISOString().slice(0, 16).replace('T', ' ')));
    g.appendChild(svg('text', { x: W - PAD.r, y: H - 8, 'text-anchor': 'end' }, new Date(maxT * 1000).toISOString().slice(0, 16).replace('T', ' ')));
    g.appendChild(svg('text', { x: PAD.l - 6, y: PAD.t + 8, 'text-anchor': 'end' }, String(maxY)));
    g.appendChild(svg('text', { x: PAD.l - 6, y: H - PAD.b, 'text-anchor': 'end' }, '0'));
    g.appendChild(svg('text', { x: 4, y: PAD.t + 8 }, yLabel));
  }
  function scale(minT, maxT, maxY) {
    const span = Math.max(1, maxT - minT);
    return {
      x: (t) => PAD.l + ((t - minT) / span) * (W - PAD.l - PAD.r),
      y: (v) => H - PAD.b - (v / Math.max(1, maxY)) * (H - PAD.t - PAD.b),
    };
  }
  function growthPlot(points) {
    const s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', id: 'growth-plot' });
    s.appendChild(svg('title', {}, 'Log size over time'));
    if (points.length === 0) { s.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no dated entries yet')); return s; }
    const minT = points[0].time, maxT = points[points.length - 1].time;
    const maxY = Math.max(...points.map((p) => p.size));
    axes(s, minT, maxT, maxY, 'entries');
    const { x, y } = scale(minT, maxT, maxY);
    let d = 'M' + x(minT) + ' ' + y(0), best = 0;
    for (const p of points) { best = Math.max(best, p.size); d += ' H' + x(p.time).toFixed(1) + ' V' + y(best).toFixed(1); }
    s.appendChild(svg('path', { d, fill: 'none', stroke: '#2a6fdb', 'stroke-width': 2 }));
    for (const p of points) {
      const c = svg('circle', { cx: x(p.time).toFixed(1), cy: y(p.size).toFixed(1), r: 3, fill: '#2a6fdb' });
      c.appendChild(svg('title', {}, p.what + ': size ' + p.size));
      s.appendChild(c);
    }
    return s;
  }
  const VERDICT_COLOURS = { reproduced: '#1f9d3a', mismatch: '#d2322d', 'build-failure': '#c99400' };
  function verdictPlot(verdicts) {
    const s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', id: 'verdict-plot' });
    s.appendChild(svg('title', {}, 'Rebuild verdicts over time'));
    const dated = verdicts.map((v) => ({ v, t: Date.parse(v.finished) / 1000 })).filter((p) => Number.isFinite(p.t));
    if (dated.length === 0) { s.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no rebuild verdicts logged yet')); return s; }
    dated.sort((a, b) => a.t - b.t);
    // One row per release (product and version), newest release on top; one dot per verdict.
    const rows = [...new Set(dated.map((p) => p.v.product + ' ' + p.v.version))];
    const minT = dated[0].t, maxT = dated[dated.length - 1].t;
    axes(s, minT, maxT, '', '');
    const { x } = scale(minT, maxT, 1);
    const rowY = (i) => PAD.t + ((i + 0.5) / rows.length) * (H - PAD.t - PAD.b);
    rows.forEach((r, i) => s.appendChild(svg('text', { x: PAD.l + 4, y: rowY(i) - 7 }, r)));
    for (const p of dated) {
      const i = rows.indexOf(p.v.product + ' ' + p.v.version);
      const c = svg('circle', { cx: x(p.t).toFixed(1), cy: rowY(i).toFixed(1), r: 5, fill: VERDICT_COLOURS[p.v.verdict] || '#777', class: 'verdict-dot' });
      c.appendChild(svg('title', {}, p.v.builder + ': ' + p.v.verdict + ' (' + p.v.finished + ')'));
      s.appendChild(c);
    }
    let lx = W - PAD.r - 300;
    for (const [name, colour] of Object.entries(VERDICT_COLOURS)) {
      s.appendChild(svg('circle', { cx: lx, cy: PAD.t, r: 5, fill: colour }));
      s.appendChild(svg('text', { x: lx + 8, y: PAD.t + 4 }, name));
      lx += 100;
    }
    return s;
  }

  // ---------------------------------------------------------------- views
  function shellQuote(s) {
    s = String(s);
    return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
  }
  function command(text) {
    const pre = el('pre', {}, text);
    const button = el('button', { type: 'button' }, 'copy');
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(text).then(() => { button.textContent = 'copied'; }, () => { button.textContent = 'select and copy'; });
    });
    return el('div', { class: 'command' }, pre, button);
  }
  const signerNames = (rel) => rel.signers.map((s) => s.name + (s.frost ? ' (FROST ' + s.frost.threshold + ' of ' + s.frost.max_participants + ': ' + s.frost.participants.join(', ') + ')' : '')).join(', ');
  const builderSet = (rel) => [...new Set(rel.products.flatMap((p) => p.artifacts.flatMap((a) => a.builders)))];

  function verdictTable(verdicts) {
    return table(['entry', 'release', 'verdict', 'builder', 'signed by', 'finished', 'detail'], verdicts.map((v) => [
      String(v.index), v.product + ' ' + v.version, el('td', { class: 'verdict-' + (VERDICT_COLOURS[v.verdict] ? v.verdict : 'other') }, v.verdict),
      v.builder, v.signer ? v.signer.name : el('td', { class: 'fail' }, 'no builder of the root'), v.finished,
      v.first_difference || v.failure || (v.measurement && v.measurement.matches_release !== null ? 'measurement matches release: ' + v.measurement.matches_release : ''),
    ]));
  }

  function overview(main, data, cp) {
    main.appendChild(el('h2', {}, 'Products and releases'));
    const byProduct = new Map();
    for (const rel of data.releases)
      for (const p of rel.products) {
        if (!byProduct.has(p.product)) byProduct.set(p.product, []);
        byProduct.get(p.product).push({ rel, p });
      }
    if (byProduct.size === 0) main.appendChild(el('p', { class: 'muted' }, 'No release is in the log yet.'));
    for (const [product, list] of byProduct) {
      main.appendChild(el('h3', {}, product));
      main.appendChild(table(['version', 'targets', 'log entry', 'artifacts', 'reproduced by', 'signed by', ''], list.reverse().map(({ rel, p }) => [
        p.version, String(rel.targets_version), String(rel.entry.index),
        p.artifacts.map((a) => a.name).join(', '), builderSet(rel).join(', ') || 'none',
        signerNames(rel), el('td', {}, releaseLink(rel.targets_version, 'details')),
      ])));
    }
    main.appendChild(el('h2', {}, 'Rebuild verdicts over time'));
    main.appendChild(verdictPlot(data.verdicts));
    if (data.verdicts.length) main.appendChild(verdictTable(data.verdicts));
    if (data.candidates.length) {
      main.appendChild(el('h2', {}, 'Release candidates'));
      main.appendChild(table(['entry', 'release', 'source commit', 'recipe sha256', 'signed by', 'created'], data.candidates.map((c) => [
        String(c.index), c.product + ' ' + c.version, hashCell(c.source_commit), hashCell(c.recipe_sha256), c.signer ? c.signer.name : 'no key of the root', c.created,
      ])));
    }
    main.appendChild(el('h2', {}, 'The log\u2019s growth'));
    main.appendChild(growthPlot(data.growth));
    const counts = Object.entries(data.entry_counts || {});
    main.appendChild(el('p', {}, 'Entries when this site was made: ' + data.log.size + ' (' +
      counts.map(([k, n]) => n + ' ' + k).join(', ') + ').'));
    main.appendChild(el('h2', {}, 'Checkpoint'));
    main.appendChild(el('pre', { id: 'checkpoint' }, cp ? cp.note.text + '\n' + cp.note.signatures.map((s) => '\u2014 ' + s.name + ' \u2026').join('\n') : data.log.checkpoint));
  }

  function releaseView(main, data, rel, witnessStatus) {
    const v = rel.targets_version;
    for (const p of rel.products) {
      main.appendChild(el('h2', { id: 'release-title' }, p.product + ' ' + p.version));
      main.appendChild(facts([
        ['targets version', String(v)],
        ['log entry', String(rel.entry.index)],
        ['entry sha256', hashCell(rel.entry.sha256)],
        ['source commit', hashCell(p.source_commit)],
        ['recipe sha256', hashCell(p.recipe_sha256)],
        ['signed by', signerNames(rel) + ' (targets threshold ' + rel.threshold + (rel.threshold_met ? ', met' : ', NOT met') + ')'],
        ['expires', rel.expires],
      ]));
      main.appendChild(el('h3', {}, 'Artifacts'));
      main.appendChild(table(['artifact', 'sha256', 'bytes', 'reproduced by'], p.artifacts.map((a) => [
        a.path, hashCell(a.sha256), String(a.length), a.builders.join(', ') || 'no builder of the root',
      ])));
      const images = p.artifacts.flatMap((a) => a.image_hashes);
      if (images.length) {
        main.appendChild(el('h3', {}, 'TDX image hashes'));
        main.appendChild(table(['image hash', 'host profile', 'role'], images.map((i) => [hashCell(i.image_hash), i.host_profile, i.role])));
      }
      main.appendChild(el('h3', {}, 'Verify it yourself'));
      const repo = data.repo || '<repository URL>';
      const first = p.artifacts[0];
      main.appendChild(el('p', {}, 'As a node operator (with the root you trust, not one downloaded from this page):'));
      main.appendChild(command('cocoon-verify update --repo ' + shellQuote(repo) + ' --root root.json --state ./cocoon-state --product ' +
        shellQuote(p.product) + (first ? ' --target ' + shellQuote(first.name) + ' --download ' + shellQuote(first.name) : '')));
      const att = rel.attestations.find((a) => a.builder);
      main.appendChild(el('p', {}, 'As a builder (rebuild from the pinned source and compare with an attestation of this release):'));
      if (att) main.appendChild(command('curl -fsSLo expected.json ' + shellQuote(repo.replace(/\/?$/, '/') + 'attestations/' + att.sha256 + '.json')));
      main.appendChild(command('cocoon-build verify manifests/' + shellQuote(p.product + '.json') + ' --source ./' + shellQuote(p.product) +
        ' --expect expected.json --out out/ --sign builder.key'));
    }
    main.appendChild(el('h3', {}, 'Attestations logged with this release'));
    main.appendChild(table(['log entry', 'builder', 'sha256'], rel.attestations.map((a) => [String(a.index), a.builder || 'not a builder of the root', hashCell(a.sha256)])));
    main.appendChild(el('h3', {}, 'Witnessed checkpoint'));
    if (rel.checkpoint) {
      main.appendChild(el('p', {}, 'Size ' + rel.checkpoint.size + '; witness quorum ' + data.witnesses.quorum + '.'));
      main.appendChild(table(['witness', 'cosignature (checked in this browser)'], rel.checkpoint.cosignatures.map((c) => [
        c.name, witnessStatus.get(v + '/' + c.name) || 'not checked',
      ])));
      main.appendChild(el('pre', {}, rel.checkpoint.note));
    } else {
      main.appendChild(el('p', { class: 'fail' }, 'The repository has no log bundle for this targets version.'));
    }
    const mine = data.verdicts.filter((x) => rel.products.some((p) => p.product === x.product && p.version === x.version));
    main.appendChild(el('h3', {}, 'Rebuild verdicts'));
    main.appendChild(mine.length ? verdictTable(mine) : el('p', { class: 'muted' }, 'No rebuild verdict for this release yet.'));
  }

  function checksView(main) {
    const d = el('details', { id: 'checks' }, el('summary', {}, 'The ' + checks.length + ' checks this browser ran'));
    d.appendChild(table(['check', 'result'], checks.map((c) => [c.name, el('td', { class: c.ok ? 'ok' : 'fail' }, (c.ok ? 'ok: ' : 'FAILED: ') + c.detail)])));
    main.appendChild(d);
  }

  let ctx = null;
  function render() {
    const main = document.getElementById('main');
    main.textContent = '';
    if (!ctx) return;
    const { data, cp, witnessStatus } = ctx;
    const m = /^#release\/([0-9]+)$/.exec(location.hash);
    const rel = m ? data.releases.find((r) => r.targets_version === Number(m[1])) : null;
    if (m && !rel) main.appendChild(el('p', { class: 'fail' }, 'No such release.'));
    if (rel) releaseView(main, data, rel, witnessStatus);
    else overview(main, data, cp);
    checksView(main);
    document.title = rel ? rel.products.map((p) => p.product + ' ' + p.version).join(', ') + ' \u2014 Cocoon release explorer' : 'Cocoon release explorer';
  }

  async function start() {
    let data;
    const ok = await check('explorer data file', async () => {
      const r = await fetch('explorer-data.json', { cache: 'no-store' });
      if (!r.ok) throw new Error('explorer-data.json: HTTP ' + r.status);
      data = await r.json();
      if (!data || data.schema !== 'cocoon-explorer/v1') throw new Error('not a cocoon-explorer/v1 file');
      return 'ok';
    });
    if (!ok) { showBanner(); return; }
    document.getElementById('log-line').textContent = visible('Log ' + data.log.origin + ' \u00b7 root version ' + data.root_version +
      ' \u00b7 witness quorum ' + data.witnesses.quorum + ' of ' + data.witnesses.keys.length + ' \u00b7 site made ' + data.generated);
    const witnessStatus = new Map();
    let cp = null;
    try {
      cp = await verifyAll(data, witnessStatus);
    } catch (e) {
      checks.push({ name: 'verification', ok: false, detail: e && e.message ? e.message : String(e) });
    }
    ctx = { data, cp, witnessStatus };
    showBanner();
    render();
    document.body.setAttribute('data-verified', 'done');
  }

  window.addEventListener('hashchange', render);
  start();
})();
