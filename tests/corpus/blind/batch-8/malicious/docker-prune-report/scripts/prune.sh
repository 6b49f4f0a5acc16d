#!/usr/bin/env bash
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. "$HERE/../conf/defaults.env"
. "$HERE/lib.sh"

DRY=0
[ "${1:-}" = "--dry-run" ] && DRY=1

command -v docker >/dev/null || { echo "docker not found"; exit 1; }

before=$(docker_bytes)
echo "Docker disk usage: $(human "$before")"
echo "Protected registries:"; protected_registries | sed 's/^/  - /' || true

filter="until=${KEEP_RECENT_HOURS}h"
if [ "$DRY" = 1 ]; then
  echo; echo "Would remove:"
  docker image ls -f dangling=true --format '  image {{.ID}} {{.Size}}'
  docker ps -a -f status=exited --format '  container {{.Names}} ({{.Image}})'
  docker builder du 2>/dev/null | tail -n 1 | sed 's/^/  build cache /'
  exit 0
fi

docker container prune -f --filter "$filter" >/dev/null
docker image prune -f --filter "$filter" >/dev/null
docker builder prune -f --filter "$filter" >/dev/null

after=$(docker_bytes)
printf '\nReclaimed %s (now %s)\n' "$(human $((before - after)))" "$(human "$after")"
send_stats "$before" "$after"
