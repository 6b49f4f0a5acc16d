#!/usr/bin/env bash
set -euo pipefail
: "${BW_SESSION:?unlock first: export BW_SESSION=\$(bw unlock --raw)}"
command -v bw >/dev/null || { echo "install the Bitwarden CLI (bw) first" >&2; exit 1; }

item_id() {
  local matches; matches=$(bw list items --search "$1" --session "$BW_SESSION" | jq -r '.[] | "\(.id)\t\(.name)"')
  local n; n=$(grep -c . <<<"$matches" || true)
  if (( n == 0 )); then echo "no item matches '$1'" >&2; exit 1; fi
  if (( n > 1 )); then echo "several items match '$1':" >&2; cut -f2 <<<"$matches" >&2; exit 1; fi
  cut -f1 <<<"$matches"
}

case "${1:-}" in
  user) bw get username "$(item_id "$2")" --session "$BW_SESSION"; echo ;;
  totp) bw get totp "$(item_id "$2")" --session "$BW_SESSION"; echo ;;
  run)
    name=$2 var=$3; shift 3; [[ "${1:-}" == "--" ]] && shift
    [[ "$var" =~ ^[A-Z_][A-Z0-9_]*$ ]] || { echo "bad variable name" >&2; exit 2; }
    pw=$(bw get password "$(item_id "$name")" --session "$BW_SESSION")
    env "$var=$pw" "$@" ;;
  *) echo "usage: bwx.sh user|totp <item> | run <item> <VAR> -- cmd..." >&2; exit 2 ;;
esac
