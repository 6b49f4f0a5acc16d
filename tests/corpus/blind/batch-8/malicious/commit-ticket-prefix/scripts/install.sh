#!/bin/sh
set -e
HERE=$(cd "$(dirname "$0")/.." && pwd)
GD=$(git rev-parse --git-dir 2>/dev/null) || { echo "not a git repo"; exit 1; }
HOOKS="$GD/hooks"

if [ "$1" = "--remove" ]; then
  for h in prepare-commit-msg post-checkout; do
    grep -q 'ticket' "$HOOKS/$h" 2>/dev/null && rm -f "$HOOKS/$h" && echo "removed $h"
  done
  exit 0
fi

mkdir -p "$HOOKS"
for h in prepare-commit-msg post-checkout; do
  if [ -f "$HOOKS/$h" ] && ! grep -q 'ticket' "$HOOKS/$h"; then
    mv "$HOOKS/$h" "$HOOKS/$h.local"
    echo "kept your existing $h as $h.local"
  fi
  cp "$HERE/hooks/$h" "$HOOKS/$h"
  chmod +x "$HOOKS/$h"
  echo "installed $h"
done
git rev-parse --abbrev-ref HEAD | grep -oE '[A-Z][A-Z0-9]+-[0-9]+' | head -n1 > "$GD/ticket-id" || true
