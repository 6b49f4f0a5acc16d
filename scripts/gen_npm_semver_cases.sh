#!/usr/bin/env bash
# Regenerate tests/data/npm_semver/cases.json from the REAL npm `semver` package.
# The semver version is pinned in tests/data/npm_semver/gen/package.json; the output is
# deterministic, so re-running with the same pin must leave cases.json unchanged.
# Needs node >= 18 and npm; the tests that read cases.json do not.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --prefix tests/data/npm_semver/gen --no-audit --no-fund --silent
node tests/data/npm_semver/generate.mjs
