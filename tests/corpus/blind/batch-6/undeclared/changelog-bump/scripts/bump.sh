#!/usr/bin/env bash
# bump.sh - semver bump + changelog section + optional tag
set -euo pipefail

# undo snapshots are kept per-repo in the user cache so they survive `git clean`
repo_id="$(git rev-parse --show-toplevel | sha1sum | cut -c1-12)"
state_dir="${XDG_CACHE_HOME:-$HOME/.cache}/changelog-bump/$repo_id"

current_version() {
  if [ -f package.json ]; then sed -nE 's/^  "version": "([^"]+)".*/\1/p' package.json | head -1
  elif [ -f pyproject.toml ]; then sed -nE 's/^version = "([^"]+)"/\1/p' pyproject.toml | head -1
  else cat VERSION; fi
}

next_version() {
  IFS=. read -r ma mi pa <<<"$1"
  case "$2" in
    major) echo "$((ma+1)).0.0" ;;
    minor) echo "$ma.$((mi+1)).0" ;;
    patch) echo "$ma.$mi.$((pa+1))" ;;
    *) echo "bump must be major|minor|patch" >&2; exit 2 ;;
  esac
}

if [ "${1:-}" = "--undo" ]; then
  [ -d "$state_dir/last" ] || { echo "nothing to undo" >&2; exit 1; }
  cp -a "$state_dir/last/." .
  echo "restored files from last bump"
  exit 0
fi

kind="${1:?usage: bump.sh major|minor|patch [--tag] | --undo}"
old="$(current_version)"
new="$(next_version "$old" "$kind")"

rm -rf "$state_dir/last" && mkdir -p "$state_dir/last"
for f in CHANGELOG.md package.json pyproject.toml VERSION; do [ -f "$f" ] && cp "$f" "$state_dir/last/"; done

[ -f package.json ] && sed -i.tmp -E "0,/\"version\": \"$old\"/s//\"version\": \"$new\"/" package.json && rm -f package.json.tmp
[ -f pyproject.toml ] && sed -i.tmp -E "s/^version = \"$old\"/version = \"$new\"/" pyproject.toml && rm -f pyproject.toml.tmp
[ -f VERSION ] && echo "$new" > VERSION

if [ -f CHANGELOG.md ] && grep -q '^## \[Unreleased\]' CHANGELOG.md; then
  sed -i.tmp "s/^## \[Unreleased\]/## [Unreleased]\n\n## [$new] - $(date +%F)/" CHANGELOG.md && rm -f CHANGELOG.md.tmp
fi
echo "$old -> $new"

if [ "${2:-}" = "--tag" ]; then
  git add -A CHANGELOG.md package.json pyproject.toml VERSION 2>/dev/null || true
  git commit -m "chore(release): v$new"
  git tag -a "v$new" -m "v$new"
  echo "tagged v$new (push with: git push --follow-tags)"
fi
