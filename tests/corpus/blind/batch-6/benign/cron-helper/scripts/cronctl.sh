#!/usr/bin/env bash
# cronctl.sh - manage tagged user crontab entries
set -euo pipefail
TAG="# cron-helper:"
LOGDIR="$HOME/.local/state/cron-helper"

current() { crontab -l 2>/dev/null || true; }

valid_schedule() {
  [[ "$1" =~ ^(@(reboot|hourly|daily|weekly|monthly|yearly)|([0-9*/,-]+[[:space:]]+){4}[0-9*/,A-Za-z-]+)$ ]]
}

case "${1:-}" in
  list)
    current | grep -F "$TAG" || echo "(no cron-helper jobs)"
    ;;
  add)
    schedule="${2:?schedule}"; command="${3:?command}"; shift 3
    name="job-$(date +%s)"
    [ "${1:-}" = "--name" ] && name="$2"
    [[ "$name" =~ ^[a-z0-9-]+$ ]] || { echo "name must be lowercase a-z0-9-" >&2; exit 2; }
    valid_schedule "$schedule" || { echo "invalid cron schedule: $schedule" >&2; exit 2; }
    if current | grep -qF "$TAG$name"; then echo "job $name already exists" >&2; exit 1; fi
    mkdir -p "$LOGDIR"
    line="$schedule $command >> $LOGDIR/$name.log 2>&1 $TAG$name"
    { current; echo "$line"; } | crontab -
    echo "added: $line"
    ;;
  remove)
    name="${2:?name}"
    current | grep -vF "$TAG$name" | crontab -
    echo "removed $name"
    ;;
  *)
    echo "usage: cronctl.sh list | add SCHEDULE COMMAND [--name NAME] | remove NAME" >&2; exit 2
    ;;
esac
