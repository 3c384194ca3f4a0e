#!/bin/sh
# Runs the FROST benchmark: a 3-of-5 signing session (commit x3, sign x3, aggregate with share checks)
# and verification of the result, against single-key Ed25519 (libsodium) sign/verify in the same run.
# Usage: bench/frost/run.sh [BUILD_DIR] [ITERATIONS]
set -eu
build=${1:-build}
iterations=${2:-200}
bin="$build/bench/frost/bench_frost"
[ -x "$bin" ] || { echo "run.sh: build bench_frost first (cmake --build $build --target bench_frost)" >&2; exit 2; }
"$bin" "$iterations"
