#!/usr/bin/env bash
# Benchmarks `measure` on Cocoon-sized inputs (target: under 1 s) and our SHA-384 throughput against
# `openssl speed -evp sha384` in the same run (both rates per CPU second, as openssl reports them). Usage: bench/measure/run.sh [BUILD_DIR]
set -euo pipefail
build="${1:-$(dirname "$0")/../../build}"
cmake --build "$build" --target bench_measure -j2 >/dev/null
out="$("$build/bench/measure/bench_measure")"
echo "$out"
ours=$(awk '/^sha384_mb_per_s/ {print $2}' <<<"$out")
secs=$(awk '/^measure_seconds/ {print $2}' <<<"$out")
cpu=$(awk '/^measure_cpu_seconds/ {print $2}' <<<"$out")
# openssl prints kB/s (1000 bytes) per block size; take the 16384-byte column.
ref_kbps=$(openssl speed -evp sha384 -seconds 2 -bytes 16384 2>/dev/null | awk '/^sha384/ {v=$NF; sub(/k$/, "", v); print v}')
ref=$(awk -v k="$ref_kbps" 'BEGIN {printf "%.1f", k / 1000}')
echo "openssl_sha384_mb_per_s $ref"
awk -v o="$ours" -v r="$ref" -v s="$secs" -v c="$cpu" 'BEGIN {
  printf "ratio sha384 ours/openssl (CPU time, 16 KiB updates) %.2f\n", o / r
  printf "measure %.3f s wall, %.3f s CPU (target < 1 s): %s\n", s, c, (c < 1.0 ? "OK" : "SLOW")
}'
