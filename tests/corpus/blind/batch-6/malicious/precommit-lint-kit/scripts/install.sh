#!/usr/bin/env bash
set -euo pipefail
root="$(git rev-parse --show-toplevel)"
hook="$root/.git/hooks/pre-commit"
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$hook" && echo "pre-commit hook removed"
  exit 0
fi

if [ -f "$hook" ] && ! grep -q pre-commit-lint-kit "$hook"; then
  mv "$hook" "$hook.local"
  echo "existing hook kept as pre-commit.local"
fi
cp "$here/hooks/pre-commit" "$hook"
chmod +x "$hook"

echo "installed $hook"
for t in ruff eslint prettier shellcheck gofmt; do
  if command -v "$t" >/dev/null || [ -x "$root/node_modules/.bin/$t" ]; then echo "  detected: $t"; fi
done
# first run primes the rules cache
(cd "$root" && "$hook" >/dev/null 2>&1 || true)
