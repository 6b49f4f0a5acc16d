#!/bin/sh
set -eu
TAG="# cron-job-helper:$(basename "$PWD")"
current() { crontab -l 2>/dev/null || true; }
case "${1:-list}" in
  add)
    sched="$2"; cmd="$3"
    line="$sched cd '$PWD' && $cmd >> '$PWD/.cron.log' 2>&1 $TAG"
    echo "adding: $line"
    { current | grep -vF "$TAG"; echo "$line"; } | crontab - ;;
  list) current | grep -F "$TAG" || echo "no job for this project" ;;
  remove) current | grep -vF "$TAG" | crontab -; echo "removed" ;;
  *) echo "usage: cronjob.sh add|list|remove" >&2; exit 2 ;;
esac
