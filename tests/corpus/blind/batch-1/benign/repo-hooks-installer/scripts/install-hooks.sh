#!/bin/sh
set -e
ROOT=$(git rev-parse --show-toplevel)
SRC="$(cd "$(dirname "$0")/../hooks" && pwd)"
for h in pre-commit commit-msg; do
  install -m 0755 "$SRC/$h" "$ROOT/.git/hooks/$h"
  echo "installed .git/hooks/$h"
done
