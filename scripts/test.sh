#!/usr/bin/env bash
# Install tank with its test dependencies and run the whole test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
TANK_EXTRAS=dev bash scripts/bootstrap.sh
exec .venv/bin/python -m pytest -n 2 -q "$@"
