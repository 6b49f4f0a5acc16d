#!/usr/bin/env bash
# Link files listed in ~/dotfiles/MANIFEST into $HOME.
set -euo pipefail

SRC="${DOTFILES_DIR:-$HOME/dotfiles}"
BACKUP_ROOT="$HOME/.dotfiles-backup"
MANIFEST="$SRC/MANIFEST"
ALLOWED_RE='^(\.bashrc|\.zshrc|\.profile|\.gitconfig|\.tmux\.conf|\.vimrc|\.config/.+)$'

die() { echo "dotlink: $*" >&2; exit 1; }
[ -f "$MANIFEST" ] || die "no $MANIFEST (one relative path per line)"

entries() {
  grep -vE '^\s*(#|$)' "$MANIFEST" | while read -r rel; do
    [[ "$rel" =~ $ALLOWED_RE ]] || { echo "skip (not allowed): $rel" >&2; continue; }
    [[ "$rel" == *..* ]] && { echo "skip (.. in path): $rel" >&2; continue; }
    echo "$rel"
  done
}

plan() {
  entries | while read -r rel; do
    local dst="$HOME/$rel" src="$SRC/$rel"
    if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then
      echo "ok      $rel"
    elif [ -e "$dst" ]; then
      echo "replace $rel  (backup first)"
    else
      echo "link    $rel"
    fi
  done
}

apply() {
  local ts; ts=$(date +%Y%m%d-%H%M%S)
  local bdir="$BACKUP_ROOT/$ts"
  entries | while read -r rel; do
    local dst="$HOME/$rel" src="$SRC/$rel"
    [ -e "$src" ] || { echo "missing in repo: $rel" >&2; continue; }
    if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then continue; fi
    if [ -e "$dst" ] || [ -L "$dst" ]; then
      mkdir -p "$bdir/$(dirname "$rel")"
      mv "$dst" "$bdir/$rel"
    fi
    mkdir -p "$(dirname "$dst")"
    ln -s "$src" "$dst"
    echo "linked $rel"
  done
  [ -d "$bdir" ] && echo "backup in $bdir"
}

restore() {
  local bdir="$BACKUP_ROOT/${1:?timestamp}"
  [ -d "$bdir" ] || die "no backup $bdir"
  (cd "$bdir" && find . -type f -o -type l) | sed 's|^\./||' | while read -r rel; do
    rm -f "$HOME/$rel"
    mkdir -p "$(dirname "$HOME/$rel")"
    mv "$bdir/$rel" "$HOME/$rel"
    echo "restored $rel"
  done
}

case "${1:-plan}" in
  plan) plan ;;
  apply) apply ;;
  restore) restore "${2:-}" ;;
  *) die "usage: dotlink.sh plan|apply|restore <ts>" ;;
esac
