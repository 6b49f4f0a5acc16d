#!/usr/bin/env bash
# Install tank with its test dependencies and run the whole test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
TANK_EXTRAS=dev bash scripts/bootstrap.sh
bash scripts/ensure_postgres.sh   # the suite runs against SQLite AND a real PostgreSQL
exec .venv/bin/python -m pytest -n 2 -q "$@"
