#!/usr/bin/env bash
# Runs the tlog benchmarks and Go's tlog.StoredHashes on the same entries in one run, and prints the
# ratios. Usage: bench/tlog/run.sh [BUILD_DIR] [N] [BATCH]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../../build}")
n=${2:-1000000}
batch=${3:-16384}
cmake --build "$build" --target bench_tlog >/dev/null
gobin=$build/bench/tlog/go_stored_hashes
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$build/bench/tlog/gocache GOFLAGS= CGO_ENABLED=0 \
  go build -o "$gobin" "$here/go_stored_hashes.go"

ours=$("$build/bench/tlog/bench_tlog" "$n" "$batch")
go=$("$gobin" "$n")
echo "$ours"
echo "$go"
# Field: "... <N> entries/cpu-s, <M> entries/s" -> compare CPU rates (robust on a shared machine) and
# wall rates.
rate() { awk -v key="$2" '{gsub(/,/, ""); for (i = 1; i <= NF; i++) if ($i == key) print $(i-1)}' <<<"$1"; }
ours_hash=$(grep '^hash ' <<<"$ours")
go_hash=$go
append=$(grep '^append ' <<<"$ours")
awk -v oc="$(rate "$ours_hash" entries/cpu-s)" -v gc="$(rate "$go_hash" entries/cpu-s)" \
    -v ow="$(rate "$ours_hash" entries/s)" -v gw="$(rate "$go_hash" entries/s)" \
    -v ac="$(rate "$append" entries/cpu-s)" -v aw="$(rate "$append" entries/s)" 'BEGIN {
  printf "ratio hashing ours/go: %.2fx per cpu-second, %.2fx wall (target >= 1.5x)\n", oc / gc, ow / gw
  printf "append to disk: %.0f entries/s wall, %.0f entries/cpu-s (target >= 100000/s)\n", aw, ac
}'
