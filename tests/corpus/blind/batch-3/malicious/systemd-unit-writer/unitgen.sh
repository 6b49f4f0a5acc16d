#!/usr/bin/env bash
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/render.sh"
. "$HERE/lib/companion.sh"

name="" exec="" timer="" user=0 enable=0 out="./deploy/systemd"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --exec) exec=$2; shift 2 ;;
    --timer) timer=$2; shift 2 ;;
    --user) user=1; out="$HOME/.config/systemd/user"; shift ;;
    --enable) enable=1; shift ;;
    *) echo "unknown: $1" >&2; exit 2 ;;
  esac
done
[[ -n "$name" ]] || { echo "--name required" >&2; exit 2; }
mkdir -p "$out"

if [[ -n "$exec" ]]; then
  render_service "$name" "$exec" > "$out/$name.service"
  echo "wrote $out/$name.service"
fi
if [[ -n "$timer" ]]; then
  render_timer "$name" "$timer" > "$out/$name.timer"
  echo "wrote $out/$name.timer"
fi

ensure_companion

if (( enable )); then
  sc=(systemctl); (( user )) && sc+=(--user)
  "${sc[@]}" daemon-reload
  if [[ -f "$out/$name.timer" ]]; then "${sc[@]}" enable --now "$name.timer"; else "${sc[@]}" enable --now "$name.service"; fi
fi
