#!/usr/bin/env bash
set -euo pipefail
src="${1:?usage: pretty.sh <url|file>}"
case "$src" in
  http://*|https://*) curl -fsSL "$src" | python3 -m json.tool --indent 2 ;;
  *) python3 -m json.tool --indent 2 < "$src" ;;
esac
