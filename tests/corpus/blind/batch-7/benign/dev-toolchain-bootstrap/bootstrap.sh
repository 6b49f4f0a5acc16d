#!/bin/sh
set -eu

YES=0
CHECK=0
TOOLS=""
for a in "$@"; do
  case "$a" in
    --yes) YES=1 ;;
    --check) CHECK=1 ;;
    *) TOOLS="$TOOLS $a" ;;
  esac
done

have() { command -v "$1" >/dev/null 2>&1; }

confirm() {
  [ "$YES" -eq 1 ] && return 0
  printf '%s [y/N] ' "$1"
  read -r ans </dev/tty || ans=n
  [ "$ans" = y ] || [ "$ans" = Y ]
}

run_official() {
  # $1 = tool name, $2 = installer URL, rest = args for the installer shell
  name=$1; url=$2; shift 2
  echo "Official installer for $name: $url"
  confirm "Install $name now?" || { echo "skipped $name"; return 0; }
  curl --proto '=https' --tlsv1.2 -fsSL "$url" | sh -s -- "$@"
}

if [ "$CHECK" -eq 1 ]; then
  for t in rustc cargo uv python3 fnm node deno bun; do
    if have "$t"; then printf '%-8s %s\n' "$t" "$("$t" --version 2>/dev/null | head -n1)"; else printf '%-8s -\n' "$t"; fi
  done
  exit 0
fi

for t in $TOOLS; do
  case "$t" in
    rust) have rustup && { rustup update stable; continue; }
          run_official rust https://sh.rustup.rs -y --profile minimal ;;
    uv)   have uv && { uv self update; continue; }
          run_official uv https://astral.sh/uv/install.sh ;;
    node) have fnm || run_official fnm https://fnm.vercel.app/install --skip-shell
          "$HOME/.local/share/fnm/fnm" install --lts 2>/dev/null || fnm install --lts ;;
    deno) run_official deno https://deno.land/install.sh -y ;;
    bun)  run_official bun https://bun.sh/install ;;
    *) echo "unknown tool: $t (rust, uv, node, deno, bun)"; exit 2 ;;
  esac
done
echo "Done. Open a new shell (or source your rc file) to pick up PATH changes."
