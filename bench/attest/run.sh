#!/usr/bin/env bash
# Builder agreement over N attestations of M artifacts: our `cocoon-build compare` (whole process:
# start, load keys, parse and verify every envelope, decide) against the same decision written plainly
# in Python with PyNaCl (reference_compare.py), in the same run; best of ROUNDS wall times.
# Usage: bench/attest/run.sh [BUILD_DIR] [N] [M] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-100}
m=${3:-50}
rounds=${4:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-attest-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$build/bench/attest/bench_attest" generate "$work" "$n" "$m"
tool="$build/tools/cocoon-build/cocoon-build"
best() {  # best wall seconds of ROUNDS runs of "$@"
  local b=999999
  for ((i = 0; i < rounds; i++)); do
    local s e
    s=$(date +%s.%N)
    "$@" > /dev/null
    e=$(date +%s.%N)
    b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{print ($1 < b) ? $1 : b}')
  done
  echo "$b"
}
ours=$(best "$tool" compare "$work/att" --builders "$work/builders.json" --threshold "$n" --strict)
ref=$(best /usr/bin/python3 "$here/reference_compare.py" "$work/builders.json" "$work/att" "$n")
inproc=$("$build/bench/attest/bench_attest" compare "$work" "$n" "$rounds")
echo "attestations=$n artifacts=$m"
printf "cocoon-build compare (process)   %8.1f ms\n" "$(echo "$ours * 1000" | bc -l)"
printf "compare_attestations (in process) %7s ms (%s)\n" ${inproc}
printf "python3 + PyNaCl reference       %8.1f ms\n" "$(echo "$ref * 1000" | bc -l)"
printf "ratio reference / ours           %8.2f\n" "$(echo "$ref / $ours" | bc -l)"
