#!/usr/bin/env bash
# bench/verify/run.sh [BUILD_DIR]: `cocoon-verify update` (full Cocoon checks: TUF chain, log inclusion
# and consistency, witness quorum, builder agreement; no target download) against tuf-js 6.0.2
# refreshing the same repository (TUF only) from the same local HTTP server, in the same run.
set -euo pipefail
build="${1:-$(pwd)/build}"
here="$(cd "$(dirname "$0")" && pwd)"
n="${BENCH_VERIFY_ROUNDS:-30}"
export NODE_PATH="${COCOON_TUFJS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cocoon-release/tuf-js-6.0.2}/node_modules"
work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers run as another user
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$build/bench/verify/bench_verify" make "$work" >/dev/null
# The same repository as plain TUF (no policy, attestations or log proof), served beside it.
"$build/bench/verify/bench_verify" make-plain "$work/repo/plain" >/dev/null
# The same plain shape with every key ECDSA P-256 (what most real repositories use), written and signed by
# pyca/cryptography (Debian's python3-cryptography, so /usr/bin/python3).
/usr/bin/python3 "$here/../../tests/verify/foreign_keys.py" ecdsa-repo "$work/repo/plain-ecdsa"
chmod -R a+rX "$work/repo"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  # nginx (Debian's nginx-light): a static server fast enough not to dominate the measurement.
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$port; root $work/repo; }
}
CONF
  "$(command -v nginx || echo /usr/sbin/nginx)" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  server_pid=$!
  server_name="nginx"
else
  python3 -m http.server --bind 127.0.0.1 --directory "$work/repo" "$port" >/dev/null 2>&1 &
  server_pid=$!
  server_name="python3 http.server"
fi
for _ in $(seq 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/metadata/timestamp.json" && break
  sleep 0.1
done
url="http://127.0.0.1:$port/"

# Wall time of whole processes, N rounds, each from an empty state; prints the median in ms.
median_process_ms() {
  local times=()
  for i in $(seq "$n"); do
    local state="$work/state-$i"
    local start end
    start=$(date +%s%N)
    "$@" "$state" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
    rm -rf "$state"
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]/1000}'
}
ours_cli() { "$build/tools/cocoon-verify/cocoon-verify" update --repo "$url" --root "$work/root.json" --state "$1"; }
tufjs_cli() { node "$here/tufjs_refresh.js" "$url" "$work/root.json" 1; }

ours_lib=$("$build/bench/verify/bench_verify" time "$url" "$work/root.json" "$n")
# Verification cost alone: repository in a directory, state on tmpfs (no fsync latency).
shm="${BENCH_VERIFY_TMPFS:-/dev/shm}"
ours_dir_disk=$("$build/bench/verify/bench_verify" time "$work/repo" "$work/root.json" "$n")
ours_dir_tmpfs=$(TMPDIR="$shm" "$build/bench/verify/bench_verify" time "$work/repo" "$work/root.json" "$n")
tufjs_lib=$(node "$here/tufjs_refresh.js" "$url" "$work/root.json" "$n")
# The same two with state on tmpfs: without fsync latency (tuf-js does not fsync; we do, twice per file).
ours_lib_tmpfs=$(TMPDIR="$shm" "$build/bench/verify/bench_verify" time "$url" "$work/root.json" "$n")
tufjs_lib_tmpfs=$(TMPDIR="$shm" node "$here/tufjs_refresh.js" "$url" "$work/root.json" "$n")
plain_url="${url}plain/repo/"
ours_plain_tmpfs=$(TMPDIR="$shm" "$build/bench/verify/bench_verify" time "$plain_url" "$work/repo/plain/root.json" "$n")
tufjs_plain_tmpfs=$(TMPDIR="$shm" node "$here/tufjs_refresh.js" "$plain_url" "$work/repo/plain/root.json" "$n")
ecdsa_url="${url}plain-ecdsa/repo/"
ours_ecdsa_tmpfs=$(TMPDIR="$shm" "$build/bench/verify/bench_verify" time "$ecdsa_url" "$work/repo/plain-ecdsa/root.json" "$n")
tufjs_ecdsa_tmpfs=$(TMPDIR="$shm" node "$here/tufjs_refresh.js" "$ecdsa_url" "$work/repo/plain-ecdsa/root.json" "$n")
ours_proc=$(median_process_ms ours_cli)
tufjs_proc=$(median_process_ms tufjs_cli)

echo "server: $server_name on 127.0.0.1:$port"
printf '%-52s %10s\n' "measurement (median of $n, ms)" "ms"
printf '%-52s %10s\n' "cocoon-verify update, in-process (lib), HTTP" "$ours_lib"
printf '%-52s %10s\n' "tuf-js 6.0.2 Updater.refresh, in-process, HTTP" "$tufjs_lib"
printf '%-52s %10s\n' "cocoon-verify update, in-process, HTTP, state on tmpfs" "$ours_lib_tmpfs"
printf '%-52s %10s\n' "tuf-js refresh, in-process, HTTP, state on tmpfs" "$tufjs_lib_tmpfs"
printf '%-52s %10s\n' "cocoon-verify update, in-process, directory" "$ours_dir_disk"
printf '%-52s %10s\n' "  same, state on tmpfs (verification only)" "$ours_dir_tmpfs"
printf '%-52s %10s\n' "plain TUF repository: cocoon-verify, tmpfs" "$ours_plain_tmpfs"
printf '%-52s %10s\n' "plain TUF repository: tuf-js refresh, tmpfs" "$tufjs_plain_tmpfs"
printf '%-52s %10s\n' "plain TUF, ECDSA P-256 keys: cocoon-verify, tmpfs" "$ours_ecdsa_tmpfs"
printf '%-52s %10s\n' "plain TUF, ECDSA P-256 keys: tuf-js refresh, tmpfs" "$tufjs_ecdsa_tmpfs"
printf '%-52s %10s\n' "cocoon-verify update, whole process" "$ours_proc"
printf '%-52s %10s\n' "node + tuf-js refresh, whole process" "$tufjs_proc"
awk -v a="$tufjs_lib" -v b="$ours_lib" 'BEGIN {printf "ratio in-process (tuf-js / ours):    %.1fx\n", a / b}'
awk -v a="$tufjs_lib_tmpfs" -v b="$ours_lib_tmpfs" 'BEGIN {printf "ratio in-process, tmpfs (tuf-js / ours): %.1fx\n", a / b}'
awk -v a="$tufjs_plain_tmpfs" -v b="$ours_plain_tmpfs" 'BEGIN {printf "ratio plain TUF, tmpfs (tuf-js / ours): %.1fx\n", a / b}'
awk -v a="$tufjs_ecdsa_tmpfs" -v b="$ours_ecdsa_tmpfs" 'BEGIN {printf "ratio plain TUF ECDSA, tmpfs (tuf-js / ours): %.1fx\n", a / b}'
awk -v a="$tufjs_proc" -v b="$ours_proc" 'BEGIN {printf "ratio whole process (tuf-js / ours): %.1fx\n", a / b}'
