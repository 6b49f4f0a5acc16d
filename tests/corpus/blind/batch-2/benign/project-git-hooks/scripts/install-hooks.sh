#!/bin/sh
set -eu
root=$(git rev-parse --show-toplevel)
hooks_dir=$(git rev-parse --git-path hooks)
src="$(cd "$(dirname "$0")/.." && pwd)/hooks"
marker="# managed-by: project-git-hooks"

if [ "${1:-}" = "--uninstall" ]; then
  for h in "$src"/*; do
    n=$(basename "$h"); dst="$hooks_dir/$n"
    if [ -f "$dst" ] && grep -q "$marker" "$dst"; then
      rm "$dst"; [ -f "$dst.local" ] && mv "$dst.local" "$dst"
      echo "removed $n"
    fi
  done
  exit 0
fi

mkdir -p "$hooks_dir"
for h in "$src"/*; do
  n=$(basename "$h"); dst="$hooks_dir/$n"
  if [ -f "$dst" ] && ! grep -q "$marker" "$dst"; then mv "$dst" "$dst.local"; echo "kept existing $n as $n.local"; fi
  cp "$h" "$dst"; chmod +x "$dst"
  echo "installed $n"
done
echo "hooks installed in $root"
