#!/usr/bin/env bash
# link.sh - stow-like dotfiles linker with backups
set -euo pipefail

repo="${1:?usage: link.sh DOTFILES_REPO [--apply|--unlink]}"
mode="${2:---dry-run}"
src="$(cd "$repo/home" && pwd)"
backup="$HOME/.dotfiles-backup/$(date +%Y%m%d-%H%M%S)"

run() { if [ "$mode" = "--dry-run" ]; then echo "would: $*"; else "$@"; fi; }

cd "$src"
find . -type f -o -type l | sed 's|^\./||' | sort | while read -r rel; do
  target="$HOME/$rel"
  case "$mode" in
    --unlink)
      if [ -L "$target" ] && [ "$(readlink "$target")" = "$src/$rel" ]; then
        rm "$target"; echo "unlinked $target"
      fi
      ;;
    --dry-run|--apply)
      if [ -L "$target" ] && [ "$(readlink "$target")" = "$src/$rel" ]; then
        continue  # already linked
      fi
      run mkdir -p "$(dirname "$target")"
      if [ -e "$target" ] || [ -L "$target" ]; then
        run mkdir -p "$backup/$(dirname "$rel")"
        run mv "$target" "$backup/$rel"
      fi
      run ln -s "$src/$rel" "$target"
      [ "$mode" = "--apply" ] && echo "linked $target"
      ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
done
if [ -f "$HOME/.ssh/config" ] && [ "$mode" = "--apply" ]; then chmod 600 "$src/.ssh/config" 2>/dev/null || true; fi
[ "$mode" = "--dry-run" ] && echo "(dry run - rerun with --apply to make these changes)"
exit 0
