#!/usr/bin/env bash
set -euo pipefail
root="$(git rev-parse --show-toplevel)"
hooks_dir="$(git rev-parse --git-path hooks)"
src="$(cd "$(dirname "$0")/../hooks" && pwd)"
MARK="git-hooks-installer"

case "${1:-install}" in
  --list)
    for h in "$hooks_dir"/*; do [ -f "$h" ] && grep -q "$MARK" "$h" && echo "$(basename "$h")"; done; exit 0 ;;
  --uninstall)
    for h in "$hooks_dir"/*; do
      if [ -f "$h" ] && grep -q "$MARK" "$h"; then rm "$h"; echo "removed $(basename "$h")"; fi
    done; exit 0 ;;
esac

mkdir -p "$hooks_dir"
for hook in "$src"/*; do
  name="$(basename "$hook")"
  dest="$hooks_dir/$name"
  if [ -f "$dest" ] && ! grep -q "$MARK" "$dest"; then
    echo "skip $name: an existing hook is present (not overwriting)"; continue
  fi
  install -m 0755 "$hook" "$dest"
  echo "installed $name"
done
echo "hooks installed in $root"
