#!/usr/bin/env bash
# self-rebuild.sh COCOON_BUILD [CHECK_OPTION...]: cocoon-release rebuilds its own four tools with
# manifests/cocoon-release.json under `cocoon-build check` (every variation unless --variations says
# otherwise) and fails unless every artifact is reproducible and the rebuilt tools report the pinned
# commit. The recipe pins a commit, and the commit holding this tree does not exist yet: the tree as it
# is now (tracked and new files, not what git ignores) becomes a one-commit repository with fixed dates
# (tests/fixtures/make-repo.sh), and a copy of the recipe pinning that commit builds from it via
# --source. Run by ci/soak (two full Release builds of the project: minutes, not seconds).
set -euo pipefail
if (($# < 1)); then
  echo "usage: $0 COCOON_BUILD [CHECK_OPTION...]" >&2
  exit 2
fi
tool=$1
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cocoon-self-rebuild-XXXXXX")
trap 'rm -rf "$work"' EXIT

commit=$("$src/tests/install/tree-as-repo.sh" "$src" "$work" "$work/repo")
pinned=$(grep -o '"commit": "[0-9a-f]*"' "$src/manifests/cocoon-release.json" | cut -d'"' -f4)
# The same replacement docs/install.md gives for pinning a release: source.commit and -DCOCOON_GIT_COMMIT.
sed "s/$pinned/$commit/g" "$src/manifests/cocoon-release.json" >"$work/cocoon-release.json"
echo "self-rebuild: tree as commit $commit (manifests/cocoon-release.json pins $pinned)"

start=$(date +%s)
status=0
"$tool" check "$work/cocoon-release.json" --source "$work/repo" --cache "$work/cache" --work-root "$work" \
  --out "$work/out" "$@" || status=$?
echo "self-rebuild: cocoon-build check took $(($(date +%s) - start)) s and exited $status"
if ((status != 0)); then exit "$status"; fi

# The rebuilt tools say which commit they are, and it is the pinned one.
for t in cocoon-build cocoon-sign cocoon-log cocoon-verify; do
  line=$("$work/out/a/$t" --version)
  echo "self-rebuild: $line"
  case $line in
    "$t "*"(commit $commit, Release, "*) ;;
    *) echo "self-rebuild: $t --version does not report commit $commit and Release" >&2; exit 1 ;;
  esac
done
echo "self-rebuild: OK"
