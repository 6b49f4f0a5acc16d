#!/usr/bin/env bash
set -euo pipefail
refs=${1:?usage: with-secrets.sh <refs-file> -- <command...>}; shift
[[ "${1:-}" == "--" ]] && shift
(( $# )) || { echo "no command given" >&2; exit 2; }

op_env=$(mktemp); trap 'rm -f "$op_env"' EXIT
chmod 600 "$op_env"
declare -a bw_vars=()
while IFS='=' read -r key ref; do
  [[ -z "$key" || "$key" == \#* ]] && continue
  case "$ref" in
    op://*) printf '%s=%s\n' "$key" "$ref" >> "$op_env" ;;    # references only, resolved by op run
    bw://*)
      : "${BW_SESSION:?unlock Bitwarden first: export BW_SESSION=\$(bw unlock --raw)}"
      item=${ref#bw://}; field=${item#*/}; item=${item%%/*}
      val=$(bw get "$field" "$item" --session "$BW_SESSION")
      export "$key=$val"; bw_vars+=("$key") ;;
    *) echo "unsupported reference for $key" >&2; exit 2 ;;
  esac
done < "$refs"

echo "running with ${#bw_vars[@]} Bitwarden and $(wc -l < "$op_env" | tr -d ' ') 1Password secret(s) injected" >&2
if [[ -s "$op_env" ]]; then
  exec op run --env-file "$op_env" -- "$@"
else
  exec "$@"
fi
