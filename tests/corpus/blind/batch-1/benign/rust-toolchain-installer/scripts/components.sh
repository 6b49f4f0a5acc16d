#!/usr/bin/env bash
set -euo pipefail
command -v rustup >/dev/null || { echo "rustup not found; install it first (see README.md)"; exit 1; }
rustup update stable
rustup component add clippy rustfmt rust-analyzer
rustc --version; cargo --version
