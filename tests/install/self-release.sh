#!/usr/bin/env bash
# self-release.sh [--print] BUILD_DIR: the toolchain's own release through its own pipeline, as
# docs/install.md writes it ("The toolchain's own release, through its own pipeline"), run after the
# walkthrough of docs/maintainers.md in one shell, with BUILD_DIR's four tools on PATH. The release
# commit is the working tree as it is now (tracked and new files), made a one-commit repository with
# fixed dates (tests/fixtures/make-repo.sh, as self-rebuild.sh does) and tagged v0.1.0; the pinning
# block of docs/install.md ("Pinning") then runs in it, and its result is committed: that checkout is
# the walkthrough's clone. Afterwards the installed tools must report the release commit.
# Two full Release builds of the project (the two builders): run by ci/soak, not ci/test.
# --print writes the script it would run and exits (test_install checks it: blocks found, and every
# command and option they use accepted by the tools). --prepare-only DIR makes the release clone in DIR
# (kept) and stops before the journey: everything but the builds, also checked by test_install.
set -euo pipefail
mode=run
prepare_dir=
case "${1:-}" in
  --print) mode=print; shift ;;
  --prepare-only) mode=prepare; prepare_dir=${2:-}; shift 2 || true ;;
esac
if (($# != 1)) || { [ "$mode" = prepare ] && [ -z "$prepare_dir" ]; }; then
  echo "usage: $0 [--print | --prepare-only DIR] BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)

# doc_blocks DOC HEADING: the ```sh blocks of the section of docs/DOC whose heading line starts with
# HEADING, up to the next "## " heading, each block's fence indentation removed (blocks in list items
# are indented). The same rules as tests/support/doc_blocks.hpp.
doc_blocks() {
  awk -v heading="$2" '
    !in_section { if (index($0, heading) == 1) in_section = 1; next }
    /^## / && !in_block { exit }
    !in_block && /^ *```sh$/ { match($0, /^ */); indent = RLENGTH; in_block = 1; n++; next }
    in_block && /^ *```$/ { in_block = 0; next }
    in_block { line = $0; match(line, /^ */); cut = RLENGTH < indent ? RLENGTH : indent; print substr(line, cut + 1) }
    END { if (n == 0) exit 1 }
  ' "$src/docs/$1"
}

walkthrough=$(doc_blocks maintainers.md "## Walkthrough")
pinning=$(doc_blocks install.md "## The self-rebuild")
release=$(doc_blocks install.md "## The toolchain's own release")

path="$build/tools/cocoon-build:$build/tools/cocoon-sign:$build/tools/cocoon-log:$build/tools/cocoon-verify"
# The clone's commit and the release commit are filled in below; --print shows their names.
script() {
  cat <<EOF
set -euo pipefail
trap 'kill \$(jobs -p) 2>/dev/null || true' EXIT
export PATH="$path:\$PATH" TMPDIR="$1" XDG_CACHE_HOME="$1/cache"
cd "$2"
$walkthrough
$release
# The installed tools are the release commit's.
for t in cocoon-build cocoon-sign cocoon-log cocoon-verify; do
  line=\$(prefix/bin/\$t --version)
  echo "self-release: \$line"
  case \$line in
    "\$t "*"(commit $3, Release, "*) ;;
    *) echo "self-release: \$t --version does not name the release commit $3" >&2; exit 1 ;;
  esac
done
echo "self-release: OK"
EOF
}

if [ "$mode" = print ]; then
  echo "# docs/install.md, Pinning (run in CLONE after tagging the release commit v0.1.0):"
  echo "$pinning"
  script WORK CLONE RELEASE_COMMIT
  exit 0
fi

if [ "$mode" = prepare ]; then
  mkdir -p "$prepare_dir"
  work=$(cd "$prepare_dir" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/cocoon-self-release-XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
commit=$("$src/tests/install/tree-as-repo.sh" "$src" "$work" "$work/clone")
export GIT_AUTHOR_NAME="Cocoon Release" GIT_AUTHOR_EMAIL="release@cocoon.invalid"
export GIT_COMMITTER_NAME="Cocoon Release" GIT_COMMITTER_EMAIL="release@cocoon.invalid"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git -C "$work/clone" tag v0.1.0 "$commit"
(cd "$work/clone" && eval "$pinning")
git -C "$work/clone" -c commit.gpgSign=false commit -q -am "pin the release commit v0.1.0 in manifests/cocoon-release.json"
grep -q "\"commit\": \"$commit\"" "$work/clone/manifests/cocoon-release.json"
echo "self-release: release commit $commit (v0.1.0), pinned in $(git -C "$work/clone" rev-parse HEAD)"
if [ "$mode" = prepare ]; then exit 0; fi

start=$(date +%s)
script "$work" "$work/clone" "$commit" >"$work/self-release.sh"
status=0
bash "$work/self-release.sh" </dev/null || status=$?
echo "self-release: took $(($(date +%s) - start)) s and exited $status"
exit "$status"
