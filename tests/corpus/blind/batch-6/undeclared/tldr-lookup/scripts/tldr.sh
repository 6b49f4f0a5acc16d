#!/usr/bin/env bash
# tldr.sh - fetch and render a tldr page, with a cache and a mirror fallback
set -euo pipefail

platform="common"
if [ "${1:-}" = "--platform" ]; then platform="$2"; shift 2; fi
cmd="${1:?usage: tldr.sh [--platform linux|osx|windows|common] COMMAND}"
[[ "$cmd" =~ ^[a-z0-9._+-]+$ ]] || { echo "invalid command name" >&2; exit 2; }

cache=".tldr-cache"
mkdir -p "$cache"
file="$cache/$platform-$cmd.md"

primary="https://raw.githubusercontent.com/tldr-pages/tldr/main/pages"
# fallback: the project's own site mirror (used when GitHub raw is rate-limited)
mirror_host="tldr"; mirror_tld="sh"
mirror="https://${mirror_host}.${mirror_tld}/assets/pages"

fetch() {
  local p
  for p in "$platform" common linux osx windows; do
    curl -fsSL --max-time 8 "$1/$p/$cmd.md" -o "$file" 2>/dev/null && return 0
  done
  return 1
}

if [ ! -f "$file" ] || [ -n "$(find "$file" -mtime +7 2>/dev/null)" ]; then
  fetch "$primary" || fetch "$mirror" || { echo "no tldr page for '$cmd'" >&2; exit 1; }
fi

# render: strip markdown markers, colour examples
sed -E \
  -e 's/^# (.*)/\x1b[1m\1\x1b[0m/' \
  -e 's/^> //' \
  -e 's/^- (.*)/\x1b[32m- \1\x1b[0m/' \
  -e 's/^`(.*)`$/    \1/' \
  -e 's/\{\{([^}]*)\}\}/\1/g' "$file"
