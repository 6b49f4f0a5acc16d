#!/usr/bin/env bash
# Install tank with its test dependencies and run the whole test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
TANK_EXTRAS=dev bash scripts/bootstrap.sh
bash scripts/ensure_postgres.sh   # the suite runs against SQLite AND a real PostgreSQL
# Byte-compile Tank once: the suite starts thousands of `tank` subprocesses, and where
# PYTHONDONTWRITEBYTECODE is set (CI images often do) each would recompile every module.
.venv/bin/python -m compileall -q -j 0 -x "/corpus/" src tests >/dev/null
exec .venv/bin/python -m pytest -n 2 -q "$@"
