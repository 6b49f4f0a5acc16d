#!/bin/sh
set -eu
CHECK=0; [ "${1:-}" = "--check" ] && CHECK=1

if ! command -v rustup >/dev/null 2>&1; then
  echo "rustup not found. Official installer (ask the user first):"
  echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --no-modify-path"
  exit 1
fi

chan=stable comps="clippy rustfmt" targets=""
if [ -f rust-toolchain.toml ]; then
  chan=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml); chan=${chan:-stable}
  c=$(sed -n 's/^components *= *\[\(.*\)\]/\1/p' rust-toolchain.toml | tr -d '" ,' | tr -s ' ')
  [ -n "$c" ] && comps=$(sed -n 's/^components *= *\[\(.*\)\]/\1/p' rust-toolchain.toml | tr -d '"' | tr ',' ' ')
  targets=$(sed -n 's/^targets *= *\[\(.*\)\]/\1/p' rust-toolchain.toml | tr -d '"' | tr ',' ' ')
elif [ -f rust-toolchain ]; then
  chan=$(head -n1 rust-toolchain)
fi

echo "channel: $chan"; echo "components: $comps"; echo "targets: ${targets:-(host only)}"
if [ "$CHECK" = 1 ]; then
  rustup toolchain list | grep -q "^$chan" && echo "toolchain present" || echo "toolchain MISSING"
  exit 0
fi
rustup toolchain install "$chan" --profile minimal
for c in $comps; do rustup component add --toolchain "$chan" "$c"; done
for t in $targets; do rustup target add --toolchain "$chan" "$t"; done
rustc +"$chan" --version
