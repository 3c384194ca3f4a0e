// tlog_interop checks a cocoon log directory with Go's reference implementation
// (golang.org/x/mod/sumdb/note and .../tlog, from Debian's golang-golang-x-mod-dev).
//
// Usage: tlog_interop -dir LOG -proofs PROOFS.json
//
// It opens the checkpoint with the verifier key in LOG/log.pub via note.Open, recomputes the root
// hash from the entry bundles with tlog.StoredHashes/TreeHash, compares every tile on disk with
// tlog.ReadTileData, reads hashes through tlog.TileHashReader over our tiles, and accepts the
// inclusion and consistency proofs listed in PROOFS.json with tlog.CheckRecord/CheckTree.
// Any failure prints a line starting with "FAIL" and exits 1.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

type inclusion struct {
	Index      int64    `json:"index"`
	Checkpoint string   `json:"checkpoint"`
	Proof      []string `json:"proof"`
}

type consistency struct {
	OldCheckpoint string   `json:"old_checkpoint"`
	NewCheckpoint string   `json:"new_checkpoint"`
	Proof         []string `json:"proof"`
}

type proofs struct {
	Inclusion   []inclusion   `json:"inclusion"`
	Consistency []consistency `json:"consistency"`
}

func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

// c2spPath maps Go's tile path (height in the path, "tile/8/0/001.p/44") to the C2SP one
// ("tile/0/001.p/44"). Go's level -1 data tiles ("tile/8/data/...") have no C2SP counterpart:
// C2SP entry bundles ("tile/entries/...") carry length-prefixed entries instead.
func c2spPath(t tlog.Tile) string {
	p := t.Path()
	prefix := "tile/" + strconv.Itoa(height) + "/"
	if !strings.HasPrefix(p, prefix) {
		fail("unexpected Go tile path %s", p)
	}
	return "tile/" + strings.TrimPrefix(p, prefix)
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func openCheckpoint(text string, verifiers note.Verifiers) checkpoint {
	n, err := note.Open([]byte(text), verifiers)
	if err != nil {
		fail("note.Open refused our checkpoint: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		fail("checkpoint root hash %q", lines[2])
	}
	var root tlog.Hash
	copy(root[:], raw)
	return checkpoint{lines[0], size, root}
}

func decodeProof(lines []string) []tlog.Hash {
	out := make([]tlog.Hash, len(lines))
	for i, l := range lines {
		h, err := tlog.ParseHash(l)
		if err != nil {
			fail("proof hash %q: %v", l, err)
		}
		out[i] = h
	}
	return out
}

// readEntries decodes the C2SP entry bundles of a tree of size n.
func readEntries(dir string, n int64) [][]byte {
	var entries [][]byte
	for b := int64(0); b*256 < n; b++ {
		w := n - b*256
		if w > 256 {
			w = 256
		}
		// Entry bundles use the same index encoding as hash tiles.
		t := tlog.Tile{H: height, L: 0, N: b, W: int(w)}
		p := strings.Replace(c2spPath(t), "tile/0/", "tile/entries/", 1)
		data, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			fail("entry bundle: %v", err)
		}
		for len(data) > 0 {
			if len(data) < 2 {
				fail("entry bundle %s truncated", p)
			}
			l := int(binary.BigEndian.Uint16(data))
			if len(data) < 2+l {
				fail("entry bundle %s truncated", p)
			}
			entries = append(entries, data[2:2+l])
			data = data[2+l:]
		}
	}
	if int64(len(entries)) != n {
		fail("bundles hold %d entries, checkpoint says %d", len(entries), n)
	}
	return entries
}

type memStore []tlog.Hash

func (m memStore) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m[x]
	}
	return out, nil
}

// dirTiles serves our tile files to Go's TileHashReader.
type dirTiles struct {
	dir   string
	reads int
}

func (d *dirTiles) Height() int { return height }
func (d *dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(filepath.Join(d.dir, c2spPath(t)))
		if err != nil {
			return nil, err
		}
		d.reads++
		out[i] = data
	}
	return out, nil
}
func (d *dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func main() {
	dir := flag.String("dir", "", "cocoon log directory")
	proofFile := flag.String("proofs", "", "JSON file of proofs to check")
	flag.Parse()

	vkey, err := os.ReadFile(filepath.Join(*dir, "log.pub"))
	if err != nil {
		fail("%v", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		fail("note.NewVerifier refused our verifier key: %v", err)
	}
	verifiers := note.VerifierList(verifier)
	cpText, err := os.ReadFile(filepath.Join(*dir, "checkpoint"))
	if err != nil {
		fail("%v", err)
	}
	cp := openCheckpoint(string(cpText), verifiers)
	if cp.origin != verifier.Name() {
		fail("origin %q is not the key name %q", cp.origin, verifier.Name())
	}
	fmt.Printf("ok note.Open accepted checkpoint %s size %d\n", cp.origin, cp.size)

	entries := readEntries(*dir, cp.size)
	var store memStore
	for i, e := range entries {
		hashes, err := tlog.StoredHashes(int64(i), e, store)
		if err != nil {
			fail("StoredHashes: %v", err)
		}
		store = append(store, hashes...)
	}
	root, err := tlog.TreeHash(cp.size, store)
	if err != nil {
		fail("TreeHash: %v", err)
	}
	if root != cp.root {
		fail("tlog.TreeHash(%d) = %v, checkpoint says %v", cp.size, root, cp.root)
	}
	fmt.Printf("ok tlog.TreeHash over our entries equals the checkpoint root\n")

	// NewTiles lists every intermediate partial tile; only the widest per position is on disk.
	widest := map[[2]int64]tlog.Tile{}
	for _, t := range tlog.NewTiles(height, 0, cp.size) {
		k := [2]int64{int64(t.L), t.N}
		if t.W > widest[k].W {
			widest[k] = t
		}
	}
	for _, t := range widest {
		want, err := tlog.ReadTileData(t, store)
		if err != nil {
			fail("ReadTileData: %v", err)
		}
		got, err := os.ReadFile(filepath.Join(*dir, c2spPath(t)))
		if err != nil {
			fail("our tile for Go's %s: %v", t.Path(), err)
		}
		if !bytes.Equal(got, want) {
			fail("tile %s differs from tlog.ReadTileData", c2spPath(t))
		}
	}
	fmt.Printf("ok %d tiles equal tlog.ReadTileData\n", len(widest))

	tiles := &dirTiles{dir: *dir}
	thr := tlog.TileHashReader(tlog.Tree{N: cp.size, Hash: cp.root}, tiles)

	raw, err := os.ReadFile(*proofFile)
	if err != nil {
		fail("%v", err)
	}
	var ps proofs
	if err := json.Unmarshal(raw, &ps); err != nil {
		fail("proofs file: %v", err)
	}
	for _, p := range ps.Inclusion {
		c := openCheckpoint(p.Checkpoint, verifiers)
		proof := decodeProof(p.Proof)
		leaf := tlog.RecordHash(entries[p.Index])
		if err := tlog.CheckRecord(proof, c.size, c.root, p.Index, leaf); err != nil {
			fail("tlog.CheckRecord refused our proof of %d in %d: %v", p.Index, c.size, err)
		}
		if c.size == cp.size {
			goProof, err := tlog.ProveRecord(cp.size, p.Index, thr)
			if err != nil {
				fail("tlog.ProveRecord over our tiles: %v", err)
			}
			if fmt.Sprint(goProof) != fmt.Sprint(tlog.RecordProof(proof)) {
				fail("Go's proof of %d from our tiles differs from ours", p.Index)
			}
		}
	}
	fmt.Printf("ok tlog.CheckRecord accepted %d inclusion proofs\n", len(ps.Inclusion))
	for _, p := range ps.Consistency {
		o := openCheckpoint(p.OldCheckpoint, verifiers)
		n := openCheckpoint(p.NewCheckpoint, verifiers)
		if err := tlog.CheckTree(decodeProof(p.Proof), n.size, n.root, o.size, o.root); err != nil {
			fail("tlog.CheckTree refused our proof %d -> %d: %v", o.size, n.size, err)
		}
	}
	fmt.Printf("ok tlog.CheckTree accepted %d consistency proofs\n", len(ps.Consistency))
	fmt.Printf("ok tlog.TileHashReader read %d of our tiles (verified against the checkpoint root)\n", tiles.reads)
}
