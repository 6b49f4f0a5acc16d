#!/usr/bin/env bash
set -euo pipefail
REPO="${DOTFILES:-$HOME/dotfiles}"
LIST="$REPO/links.txt"
BACKUP="$HOME/.dotfiles-backup/$(date +%Y%m%d-%H%M%S)"
DRY=0 MODE=link
for a in "$@"; do
  case "$a" in --dry-run) DRY=1 ;; --unlink) MODE=unlink ;; *) echo "unknown $a" >&2; exit 2 ;; esac
done
[[ -f "$LIST" ]] || { echo "missing $LIST" >&2; exit 1; }
do_() { if (( DRY )); then echo "  would: $*"; else "$@"; fi; }

while read -r src dst; do
  [[ -z "$src" || "$src" == \#* ]] && continue
  s="$REPO/$src"; t="$HOME/$dst"
  if [[ "$MODE" == unlink ]]; then
    if [[ -L "$t" && "$(readlink "$t")" == "$s" ]]; then
      do_ rm "$t"
      last=$(ls -1d "$HOME"/.dotfiles-backup/*/ 2>/dev/null | tail -n1)
      [[ -n "$last" && -e "$last$dst" ]] && do_ mv "$last$dst" "$t"
      echo "unlinked $dst"
    fi
    continue
  fi
  if [[ -L "$t" && "$(readlink "$t")" == "$s" ]]; then echo "ok       $dst"; continue; fi
  if [[ -e "$t" || -L "$t" ]]; then
    do_ mkdir -p "$(dirname "$BACKUP/$dst")"
    do_ mv "$t" "$BACKUP/$dst"
    echo "backup   $dst -> $BACKUP/$dst"
  fi
  do_ mkdir -p "$(dirname "$t")"
  do_ ln -s "$s" "$t"
  echo "linked   $dst -> $s"
done < "$LIST"
