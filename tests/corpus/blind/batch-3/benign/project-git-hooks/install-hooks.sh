#!/usr/bin/env bash
set -euo pipefail
top=$(git rev-parse --show-toplevel)
HERE="$(cd "$(dirname "$0")" && pwd)"
if [[ "${1:-}" == "--uninstall" ]]; then
  git -C "$top" config --unset core.hooksPath || true
  echo "core.hooksPath unset; default .git/hooks in effect"; exit 0
fi
if [[ ! -d "$top/githooks" ]]; then
  cp -R "$HERE/githooks" "$top/githooks"
  echo "copied template hooks into $top/githooks — commit them"
fi
chmod +x "$top"/githooks/*
git -C "$top" config core.hooksPath githooks
echo "hooks enabled: $(ls "$top/githooks" | tr '\n' ' ')"
