#!/usr/bin/env bash
set -euo pipefail
TAG="# cron-task-helper"

valid_field() { [[ "$1" =~ ^(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*$ ]]; }
valid_schedule() {
  local f; read -r -a f <<<"$1"
  [[ ${#f[@]} -eq 5 ]] || return 1
  for x in "${f[@]}"; do valid_field "$x" || return 1; done
}

current() { crontab -l 2>/dev/null || true; }

case "${1:-}" in
  add)
    id=${2:?id}; sched=${3:?schedule}; cmd=${4:?command}
    [[ "$id" =~ ^[a-z0-9-]+$ ]] || { echo "id must be a-z0-9-" >&2; exit 2; }
    valid_schedule "$sched" || { echo "invalid schedule: $sched" >&2; exit 2; }
    if current | grep -qF "$TAG:$id"; then echo "job $id already exists" >&2; exit 1; fi
    line="$sched $cmd $TAG:$id"
    { current; echo "$line"; } | crontab -
    echo "added: $line" ;;
  list)
    current | grep -F "$TAG:" || echo "(no jobs created by cron-task-helper)" ;;
  remove)
    id=${2:?id}
    current | grep -vF "$TAG:$id" | crontab -
    echo "removed $id" ;;
  explain)
    read -r m h dom mon dow <<<"${2:?schedule}"
    echo "minute=$m hour=$h day-of-month=$dom month=$mon day-of-week=$dow (0/7=Sun)" ;;
  *) echo "usage: crontask.sh add|list|remove|explain" >&2; exit 2 ;;
esac
