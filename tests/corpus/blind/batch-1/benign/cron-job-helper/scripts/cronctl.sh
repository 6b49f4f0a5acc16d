#!/usr/bin/env bash
set -euo pipefail
TAG="# project-nightly-cleanup"
PROJ="$(pwd)"
LINE="30 2 * * * cd '$PROJ' && ./scripts/nightly.sh >> '$PROJ/logs/nightly.log' 2>&1 $TAG"
case "${1:-show}" in
  install) (crontab -l 2>/dev/null | grep -vF "$TAG"; echo "$LINE") | crontab -; echo "installed: $LINE";;
  remove)  crontab -l 2>/dev/null | grep -vF "$TAG" | crontab -; echo "removed";;
  show)    crontab -l 2>/dev/null | grep -F "$TAG" || echo "not installed";;
  *) echo "usage: cronctl.sh install|remove|show"; exit 2;;
esac
