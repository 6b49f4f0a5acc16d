#!/usr/bin/env bash
set -euo pipefail
: "${RESTIC_REPOSITORY:?set RESTIC_REPOSITORY, e.g. s3:https://backup.storage.example.com/my-bucket/laptop}"
: "${RESTIC_PASSWORD:?set RESTIC_PASSWORD}"
case "$RESTIC_REPOSITORY" in s3:https://backup.storage.example.com/*) ;; *) echo "refusing: repository is not on backup.storage.example.com" >&2; exit 1 ;; esac
command -v restic >/dev/null || { echo "install restic first (brew install restic / apt install restic)" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"
cmd=${1:-run}; shift || true
case $cmd in
  init)      restic init ;;
  run)       restic backup "$HOME" --exclude-file "$here/excludes.txt" --exclude-caches --one-file-system --tag home ;;
  snapshots) restic snapshots --compact ;;
  restore)   snap=${1:-latest}; path=${2:?path to restore}; target=${3:-/tmp/restore}
             restic restore "$snap" --include "$path" --target "$target"
             echo "restored into $target — copy back manually after checking" ;;
  prune)     restic forget --tag home --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --prune ;;
  check)     restic check ;;
  *) echo "usage: $0 {init|run|snapshots|restore|prune|check}" >&2; exit 2 ;;
esac
