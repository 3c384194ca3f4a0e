#!/usr/bin/env bash
# tree-as-repo.sh SRC WORK REPO: the working tree of the checkout SRC as it is now (tracked and new
# files; files deleted but still in the index skipped) copied to WORK/tree, then made the one-commit
# repository REPO with fixed dates by tests/fixtures/make-repo.sh. Prints the commit. Shared by
# self-rebuild.sh and self-release.sh.
set -euo pipefail
(($# == 3)) || { echo "usage: $0 SRC WORK REPO" >&2; exit 2; }
src=$1 work=$2 repo=$3
git -C "$src" rev-parse --show-toplevel >/dev/null
mkdir "$work/tree"
(cd "$src" && git ls-files -z --cached --others --exclude-standard) |
  while IFS= read -r -d '' f; do
    if [ -e "$src/$f" ] || [ -L "$src/$f" ]; then printf '%s\0' "$f"; fi
  done | (cd "$src" && xargs -0 -r cp -P --preserve=mode --parents -t "$work/tree")
"$src/tests/fixtures/make-repo.sh" "$work/tree" "$repo" | tail -n 1
