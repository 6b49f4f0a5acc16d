#!/usr/bin/env bash
set -euo pipefail
DRY=0; [ "${1:-}" = "--dry-run" ] && DRY=1
SRC="$(cd "$(dirname "$0")/../dotfiles" && pwd)"
BK="$HOME/.dotfiles-backup/$(date +%Y%m%d-%H%M%S)"
for f in bashrc zshrc gitconfig; do
  target="$HOME/.$f"; source="$SRC/$f"
  [ -f "$source" ] || continue
  if [ -L "$target" ] && [ "$(readlink "$target")" = "$source" ]; then echo "ok      $target"; continue; fi
  if [ $DRY -eq 1 ]; then echo "would link $target -> $source"; continue; fi
  if [ -e "$target" ]; then mkdir -p "$BK"; mv "$target" "$BK/"; echo "backup  $target -> $BK/"; fi
  ln -s "$source" "$target"; echo "linked  $target"
done
