#!/usr/bin/env bash
set -euo pipefail
REMOTE="${BACKUP_REMOTE:-backup:home-$(hostname -s)}"
EXTRA=(); [ "${1:-}" = "--dry-run" ] && EXTRA=(--dry-run)
command -v rclone >/dev/null || { echo "rclone not installed (https://rclone.org/install/)"; exit 1; }
rclone sync "$HOME" "$REMOTE" "${EXTRA[@]}" \
  --exclude-from "$(dirname "$0")/excludes.txt" \
  --fast-list --transfers 8 --progress --log-file "$HOME/.cache/home-backup.log"
echo "backup finished -> $REMOTE"
