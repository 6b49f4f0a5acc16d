#!/usr/bin/env bash
set -euo pipefail

DOT="${DOTFILES_DIR:-$HOME/dotfiles}"
BACKUP="$HOME/.dotfiles-backup/$(date +%Y%m%d-%H%M%S)"
DRY=0; RC=0; UNLINK=0
for a in "$@"; do
  case "$a" in
    --dry-run) DRY=1 ;;
    --rc) RC=1 ;;
    --unlink) UNLINK=1 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

[ -d "$DOT" ] || { echo "dotfiles dir $DOT not found" >&2; exit 1; }

do_() { if [ $DRY -eq 1 ]; then echo "[dry-run] $*"; else "$@"; fi; }

# Mapping: files under $DOT/home/ mirror $HOME, files under $DOT/config/ mirror ~/.config
targets() {
  (cd "$DOT/home" 2>/dev/null && find . -type f | sed 's#^\./##' | sed "s#^#home:#")
  (cd "$DOT/config" 2>/dev/null && find . -type f | sed 's#^\./##' | sed "s#^#config:#")
}

if [ $UNLINK -eq 1 ]; then
  last="$(ls -1d "$HOME"/.dotfiles-backup/* 2>/dev/null | tail -n1 || true)"
  targets | while IFS=: read -r kind rel; do
    dst="$HOME/$rel"; [ "$kind" = config ] && dst="$HOME/.config/$rel"
    if [ -L "$dst" ] && [[ "$(readlink "$dst")" == "$DOT"* ]]; then do_ rm "$dst"; fi
    if [ -n "$last" ] && [ -e "$last/${dst#$HOME/}" ]; then do_ mv "$last/${dst#$HOME/}" "$dst"; fi
  done
  exit 0
fi

targets | while IFS=: read -r kind rel; do
  src="$DOT/$kind/$rel"
  dst="$HOME/$rel"; [ "$kind" = config ] && dst="$HOME/.config/$rel"
  if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then continue; fi
  if [ -e "$dst" ] || [ -L "$dst" ]; then
    do_ mkdir -p "$BACKUP/$(dirname "${dst#$HOME/}")"
    do_ mv "$dst" "$BACKUP/${dst#$HOME/}"
  fi
  do_ mkdir -p "$(dirname "$dst")"
  do_ ln -s "$src" "$dst"
  echo "linked $dst -> $src"
done

if [ $RC -eq 1 ]; then
  line="[ -f \"$DOT/shell/init.sh\" ] && source \"$DOT/shell/init.sh\"  # dotfiles-linker"
  for rc in "$HOME/.bashrc" "$HOME/.zshrc"; do
    [ -e "$rc" ] || continue
    grep -qF "# dotfiles-linker" "$rc" && continue
    if [ $DRY -eq 1 ]; then echo "[dry-run] append to $rc: $line"; else printf '\n%s\n' "$line" >> "$rc"; echo "updated $rc"; fi
  done
fi
