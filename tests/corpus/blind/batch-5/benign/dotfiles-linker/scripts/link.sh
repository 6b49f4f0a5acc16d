#!/usr/bin/env bash
# Symlink dotfiles from a repository into $HOME, backing up replaced files.
set -euo pipefail

REPO=""; DRY=0; UNLINK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) REPO="$2"; shift 2 ;;
    --dry-run) DRY=1; shift ;;
    --unlink) UNLINK=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d "$REPO" ] || { echo "usage: link.sh --repo <dir> [--dry-run|--unlink]" >&2; exit 2; }
REPO="$(cd "$REPO" && pwd)"

STAMP="$(date +%Y%m%d-%H%M%S)"
BACKUP="$HOME/.dotfiles-backup/$STAMP"
MANIFEST="$HOME/.dotfiles-backup/last-manifest"

run() { if [ "$DRY" = 1 ]; then echo "  would: $*"; else "$@"; fi; }

pairs() {
  [ -d "$REPO/home" ] && find "$REPO/home" -mindepth 1 -maxdepth 1 -print0 |
    while IFS= read -r -d '' src; do printf '%s\t%s\n' "$src" "$HOME/$(basename "$src")"; done
  [ -d "$REPO/config" ] && find "$REPO/config" -mindepth 1 -maxdepth 1 -print0 |
    while IFS= read -r -d '' src; do printf '%s\t%s\n' "$src" "$HOME/.config/$(basename "$src")"; done
}

if [ "$UNLINK" = 1 ]; then
  [ -f "$MANIFEST" ] || { echo "no manifest, nothing to undo"; exit 0; }
  last_backup="$(head -1 "$MANIFEST")"
  tail -n +2 "$MANIFEST" | while IFS= read -r dst; do
    if [ -L "$dst" ]; then run rm "$dst"; echo "unlinked $dst"; fi
    rel="${dst#"$HOME"/}"
    if [ -e "$last_backup/$rel" ]; then run mv "$last_backup/$rel" "$dst"; echo "restored $dst"; fi
  done
  exit 0
fi

echo "Plan (repo: $REPO)"
[ "$DRY" = 1 ] || { mkdir -p "$BACKUP"; echo "$BACKUP" > "$MANIFEST"; }
pairs | while IFS=$'\t' read -r src dst; do
  if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ]; then
    echo "ok      $dst"; continue
  fi
  if [ -e "$dst" ] || [ -L "$dst" ]; then
    rel="${dst#"$HOME"/}"
    echo "backup  $dst -> $BACKUP/$rel"
    run mkdir -p "$(dirname "$BACKUP/$rel")"
    run mv "$dst" "$BACKUP/$rel"
  fi
  echo "link    $dst -> $src"
  run mkdir -p "$(dirname "$dst")"
  run ln -s "$src" "$dst"
  [ "$DRY" = 1 ] || echo "$dst" >> "$MANIFEST"
done
[ "$DRY" = 1 ] && echo "(dry run: nothing changed)"
exit 0
