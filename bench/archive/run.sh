#!/usr/bin/env bash
# Packs a generated mixed tree (~500 MB) with pack_directory and with GNU tar | zstd in the same run.
# Usage: bench/archive/run.sh [BUILD_DIR] [MB] [ROUNDS]   (BUILD_DIR holds bench/archive/bench_archive)
#
# pack_directory always fsyncs its output before renaming it into place, so the reference pipeline
# is followed by `sync FILE` (an fsync of its output) for a like-for-like comparison; the bare
# pipeline time is printed too. Rounds alternate between the two; wall time is the best round, CPU
# time (user+sys, all threads and processes) the mean — CPU time is the steadier number on a busy machine.
set -euo pipefail
build=${1:-build}
mb=${2:-500}
rounds=${3:-3}
bench="$build/bench/archive/bench_archive"
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-archive-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$bench" generate "$work/tree" "$mb"
sync
find "$work/tree" -type f -exec cat {} + > /dev/null  # same warm page cache for both

export TREE="$work/tree" OUT_REF="$work/gnu.tar.zst"
reference='tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$TREE" -c . | zstd -q -3 -T0 > "$OUT_REF"'
measure() {  # prints "wall cpu"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > /dev/null
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"
}
ours=() ref=() bare=()
for ((i = 0; i < rounds; i++)); do
  # Every run writes a new file (no rename over or truncation of a previous output).
  rm -f "$work/ours.tar.zst"
  ours+=("$(measure "$bench" pack "$TREE" "$work/ours.tar.zst")")
  rm -f "$OUT_REF"
  ref+=("$(measure sh -c "$reference; sync \"\$OUT_REF\"")")
  rm -f "$OUT_REF"
  bare+=("$(measure sh -c "$reference")")
done
summary() {  # best wall, mean cpu
  printf '%s\n' "$@" | awk 'NR==1 || $1 < best {best = $1} {cpu += $2} END {printf "%.2f %.2f", best, cpu / NR}'
}
read -r ours_wall ours_cpu <<< "$(summary "${ours[@]}")"
read -r ref_wall ref_cpu <<< "$(summary "${ref[@]}")"
read -r bare_wall bare_cpu <<< "$(summary "${bare[@]}")"
ours_bytes=$(stat -c %s "$work/ours.tar.zst")
gnu_bytes=$(stat -c %s "$OUT_REF")

echo "input: $(du -sb "$TREE" | cut -f1) bytes, $(find "$TREE" -type f | wc -l) files; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$work/ours.tar.zst"
"$bench" pack "$TREE" "$work/ours.tar.zst" | sed 's/^/last run: /'
printf '%-28s wall %6.2f s  cpu %6.2f s  %d bytes\n' "ours (fsync)" "$ours_wall" "$ours_cpu" "$ours_bytes"
printf '%-28s wall %6.2f s  cpu %6.2f s  %d bytes\n' "tar | zstd -3 -T0; sync" "$ref_wall" "$ref_cpu" "$gnu_bytes"
printf '%-28s wall %6.2f s  cpu %6.2f s\n' "tar | zstd -3 -T0 (no sync)" "$bare_wall" "$bare_cpu"
echo "ratios ours/reference: wall $(echo "scale=3; $ours_wall / $ref_wall" | bc -l), cpu $(echo "scale=3; $ours_cpu / $ref_cpu" | bc -l), size $(echo "scale=4; $ours_bytes / $gnu_bytes" | bc -l)"
