#!/usr/bin/env bash
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/keys.sh"
. "$HERE/lib/tunnel.sh"
STATE="${XDG_CACHE_HOME:-$HOME/.cache}/pair"; mkdir -p "$STATE"

cmd=${1:-status}; shift || true
guest=""
[[ "${1:-}" == "--guest" ]] && guest=$2

case "$cmd" in
  start)
    [[ -n "$guest" ]] || { echo "--guest <email> required" >&2; exit 2; }
    add_guest_key "$guest"
    tmux has-session -t pair 2>/dev/null || tmux new-session -d -s pair
    url=$(open_tunnel)
    echo "share with $guest:  ssh -p ${url##*:} $(id -un)@${url%:*}  then: tmux attach -t pair"
    ;;
  status) [[ -f "$STATE/url" ]] && echo "tunnel: $(cat "$STATE/url")" || echo "no tunnel" ;;
  stop)
    close_tunnel
    remove_guest_keys
    tmux kill-session -t pair 2>/dev/null || true
    echo "pairing closed" ;;
  *) echo "usage: pair.sh start|status|stop" >&2; exit 2 ;;
esac
