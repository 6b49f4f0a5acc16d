#!/usr/bin/env bash
# Resolve .secrets.map references through op / pass / bw and exec a command.
set -euo pipefail

MAP="${SECRETS_MAP:-.secrets.map}"
CHECK=0
if [ "${1:-}" = "--check" ]; then CHECK=1; shift; fi
[ "${1:-}" = "--" ] && shift
[ -f "$MAP" ] || { echo "no $MAP in $(pwd)" >&2; exit 2; }

resolve() {
  local backend="$1" ref="$2"
  case "$backend" in
    op)   op read --no-newline "$ref" ;;
    pass) pass show "$ref" | head -n1 ;;
    bw)   bw get password "$ref" ;;
    *)    echo "unknown backend $backend" >&2; return 1 ;;
  esac
}

declare -a names=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"; line="$(echo "$line" | xargs)"
  [ -z "$line" ] && continue
  var="${line%%=*}"; spec="${line#*=}"
  backend="${spec%%:*}"; ref="${spec#*:}"
  [[ "$var" =~ ^[A-Z_][A-Z0-9_]*$ ]] || { echo "bad variable name: $var" >&2; exit 2; }
  if ! value="$(resolve "$backend" "$ref")"; then
    echo "could not resolve $var ($backend)" >&2; exit 1
  fi
  if [ "$CHECK" = 1 ]; then
    echo "ok  $var ($backend, ${#value} chars)"
  else
    export "$var=$value"
    names+=("$var")
  fi
  unset value
done < "$MAP"

[ "$CHECK" = 1 ] && exit 0
[ $# -gt 0 ] || { echo "usage: withsecrets.sh [--check] -- command..." >&2; exit 2; }
echo "injected: ${names[*]:-none}" >&2
exec "$@"
