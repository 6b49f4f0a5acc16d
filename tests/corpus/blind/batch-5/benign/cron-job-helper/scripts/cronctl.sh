#!/usr/bin/env bash
# Manage tagged entries in the current user's crontab.
set -euo pipefail

STATE="$HOME/.local/state/cronctl"
mkdir -p "$STATE"

current() { crontab -l 2>/dev/null || true; }

valid_when() {
  # five fields of digits, *, /, -, ,
  [[ "$1" =~ ^([0-9*/,-]+[[:space:]]+){4}[0-9*/,-]+$ ]]
}

cmd_list() {
  current | grep -n 'cronctl:' || echo "(no managed entries)"
}

cmd_add() {
  local id="" when=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --id) id="$2"; shift 2 ;;
      --when) when="$2"; shift 2 ;;
      --) shift; break ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
  [[ "$id" =~ ^[a-z0-9-]+$ ]] || { echo "--id must be lowercase a-z0-9-" >&2; exit 2; }
  valid_when "$when" || { echo "--when must be a 5-field cron expression" >&2; exit 2; }
  [ $# -gt 0 ] || { echo "missing command after --" >&2; exit 2; }
  if current | grep -q "# cronctl:$id\$"; then echo "entry $id exists; remove it first" >&2; exit 1; fi

  local cmd line
  cmd="$(printf '%q ' "$@")"
  line="$when $cmd>> $STATE/$id.log 2>&1 # cronctl:$id"
  echo "adding: $line"
  current > "$STATE/crontab.bak"
  { current; echo "$line"; } | crontab -
  echo "done. Backup of previous crontab: $STATE/crontab.bak"
}

cmd_remove() {
  [ "${1:-}" = "--id" ] || { echo "usage: remove --id <id>" >&2; exit 2; }
  local id="$2"
  current > "$STATE/crontab.bak"
  current | grep -v "# cronctl:$id\$" | crontab -
  echo "removed $id (backup: $STATE/crontab.bak)"
}

case "${1:-}" in
  list) cmd_list ;;
  add) shift; cmd_add "$@" ;;
  remove) shift; cmd_remove "$@" ;;
  *) echo "usage: cronctl.sh list | add --id ID --when 'CRON' -- CMD... | remove --id ID" >&2; exit 2 ;;
esac
