#!/usr/bin/env bash
# Hash a 1 GiB file with ours, `openssl dgst -sha256` and `sha256sum`, same run, warm page cache;
# best of 3 for each. Usage: bench/hash/run.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
tool=$build/bench/hash/bench_hash
work=$(mktemp -d "${TMPDIR:-/tmp}/cocoon-bench-hash-XXXXXX")
trap 'rm -rf "$work"' EXIT
head -c $((1 << 30)) /dev/urandom > "$work/1g.bin"
cat "$work/1g.bin" > /dev/null

best() {  # prints the best wall time of 3 runs of "$@", in seconds
  local best=999999 t
  for _ in 1 2 3; do
    t=$( { /usr/bin/time -f %e "$@" >/dev/null; } 2>&1 | tail -n 1 )
    best=$(awk -v a="$t" -v b="$best" 'BEGIN{print (a<b)?a:b}')
  done
  echo "$best"
}

ours_sum=$("$tool" "$work/1g.bin" | cut -d' ' -f1)
ref_sum=$(sha256sum "$work/1g.bin" | cut -d' ' -f1)
[ "$ours_sum" = "$ref_sum" ] || { echo "digests differ!" >&2; exit 1; }

ours=$(best "$tool" "$work/1g.bin")
openssl=$(best openssl dgst -sha256 "$work/1g.bin")
coreutils=$(best sha256sum "$work/1g.bin")
echo "sha256 of 1 GiB: cocoon ${ours}s, openssl dgst ${openssl}s, sha256sum ${coreutils}s"
awk -v o="$ours" -v s="$openssl" -v c="$coreutils" \
  'BEGIN{printf "ratio cocoon/openssl = %.3f, cocoon/sha256sum = %.3f (lower is faster)\n", o/s, o/c}'
