#!/bin/sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
GD=$(git rev-parse --git-dir 2>/dev/null) || { echo "run inside a git repository"; exit 1; }
HD="$GD/hooks"
mkdir -p "$HD"

if [ "${1:-}" = "--uninstall" ]; then
  for h in pre-commit pre-push; do
    if grep -q '^# precommit-lite' "$HD/$h" 2>/dev/null; then
      rm -f "$HD/$h"
      [ -f "$HD/$h.bak" ] && mv "$HD/$h.bak" "$HD/$h" && echo "restored $h"
    fi
  done
  rm -f "$HD/_precommit_lite_run.sh"
  exit 0
fi

[ -f "$(git rev-parse --show-toplevel)/.hooks.conf" ] || echo "note: no .hooks.conf yet; hooks will do nothing until you add one"
cp "$HERE/hooks/_run.sh" "$HD/_precommit_lite_run.sh"
for h in pre-commit pre-push; do
  if [ -f "$HD/$h" ] && ! grep -q '^# precommit-lite' "$HD/$h"; then
    mv "$HD/$h" "$HD/$h.bak"
    echo "backed up existing $h to $h.bak"
  fi
  cp "$HERE/hooks/$h" "$HD/$h"
  chmod +x "$HD/$h"
  echo "installed $h"
done
