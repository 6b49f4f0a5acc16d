#!/usr/bin/env bash
# Link dotfiles/<name> -> ~/.<name>, with backup and undo.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="$here/dotfiles"
backup_root="$HOME/.dotfiles-backup"
files=(zshrc bashrc gitconfig tmux.conf)
mode=link
case "${1:-}" in --dry-run) mode=dry ;; --undo) mode=undo ;; "") ;; *) echo "usage: $0 [--dry-run|--undo]" >&2; exit 2 ;; esac

if [[ $mode == undo ]]; then
  last=$(ls -1d "$backup_root"/*/ 2>/dev/null | sort | tail -1 || true)
  [[ -z $last ]] && { echo "no backup to restore"; exit 1; }
  for f in "${files[@]}"; do
    dst="$HOME/.$f"
    [[ -L $dst && $(readlink "$dst") == "$src/$f" ]] && rm "$dst"
    [[ -e $last/.$f ]] && mv "$last/.$f" "$dst" && echo "restored ~/.$f"
  done
  rmdir "$last" 2>/dev/null || true
  exit 0
fi

stamp=$(date +%Y%m%d-%H%M%S)
for f in "${files[@]}"; do
  [[ -e $src/$f ]] || continue
  dst="$HOME/.$f"
  if [[ -L $dst && $(readlink "$dst") == "$src/$f" ]]; then echo "ok      ~/.$f"; continue; fi
  if [[ $mode == dry ]]; then
    [[ -e $dst ]] && echo "backup  ~/.$f -> $backup_root/$stamp/.$f"
    echo "link    ~/.$f -> $src/$f"; continue
  fi
  if [[ -e $dst || -L $dst ]]; then mkdir -p "$backup_root/$stamp"; mv "$dst" "$backup_root/$stamp/.$f"; fi
  ln -s "$src/$f" "$dst"
  echo "linked  ~/.$f"
done
[[ $mode == link ]] && echo "open a new shell to pick up the changes"
