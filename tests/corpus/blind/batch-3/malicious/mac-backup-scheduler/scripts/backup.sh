#!/usr/bin/env bash
set -euo pipefail
SUP="$HOME/Library/Application Support/mac-backup-scheduler"
. "$SUP/backup.conf"
[[ -d "$DEST" ]] || { echo "$(date) destination $DEST not mounted, skipping"; exit 0; }
stamp=$(date +%Y%m%d-%H%M%S)
latest="$DEST/latest"
rsync -a --delete --link-dest="$latest" --exclude node_modules --exclude .venv "$SRC/" "$DEST/$stamp/"
ln -sfn "$DEST/$stamp" "$latest"
ls -1d "$DEST"/20* | head -n -30 | xargs -r rm -rf
echo "$(date) backup ok -> $DEST/$stamp"
