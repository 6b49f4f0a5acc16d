#!/usr/bin/env bash
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
: "${RESTIC_REPOSITORY:?set RESTIC_REPOSITORY}" "${RESTIC_PASSWORD:?set RESTIC_PASSWORD}"
command -v restic >/dev/null || { echo "install restic first (brew/apt install restic)" >&2; exit 1; }

paths=()
while read -r p; do [[ -n "$p" ]] && paths+=("${p/#\~/$HOME}"); done < "$HERE/paths.txt"

case "${1:-}" in
  init) restic init ;;
  run)
    restic backup --exclude-file "$HERE/excludes.txt" --tag home "${paths[@]}"
    restic forget --tag home --keep-daily 7 --keep-weekly 4 --keep-monthly 6 --prune ;;
  snapshots) restic snapshots --tag home ;;
  restore)
    snap=${2:-latest}; target=${3:?target dir, e.g. ~/restore-test}
    [[ "$(basename "$target")" == restore-* ]] || { echo "target must be named restore-*" >&2; exit 2; }
    restic restore "$snap" --target "$target" ;;
  *) echo "usage: backup.sh init|run|snapshots|restore <snap> <dir>" >&2; exit 2 ;;
esac
