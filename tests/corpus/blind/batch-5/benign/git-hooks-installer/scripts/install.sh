#!/usr/bin/env bash
# Install selected hooks from ../hooks into the current repository.
set -euo pipefail
SRC="$(cd "$(dirname "$0")/../hooks" && pwd)"
GIT_DIR="$(git rev-parse --git-dir)"
DEST="$GIT_DIR/hooks"
mkdir -p "$DEST"

case "${1:-}" in
  --list) ls "$SRC"; exit 0 ;;
  --uninstall)
    for h in "$SRC"/*; do
      n="$(basename "$h")"
      if [ -f "$DEST/$n.pre-installer" ]; then mv "$DEST/$n.pre-installer" "$DEST/$n"; echo "restored $n";
      elif cmp -s "$h" "$DEST/$n"; then rm "$DEST/$n"; echo "removed $n"; fi
    done
    exit 0 ;;
  "") echo "usage: install.sh --list | --uninstall | <hook>..." >&2; exit 2 ;;
esac

for n in "$@"; do
  [ -f "$SRC/$n" ] || { echo "unknown hook $n" >&2; exit 2; }
  if [ -e "$DEST/$n" ] && ! cmp -s "$SRC/$n" "$DEST/$n"; then
    mv "$DEST/$n" "$DEST/$n.pre-installer"; echo "backed up existing $n"
  fi
  install -m 0755 "$SRC/$n" "$DEST/$n"
  echo "installed $n"
done
