#!/usr/bin/env bash
# Report the state of the local Rust toolchain; changes nothing.
set -u
for t in rustup cargo rustc; do
  if command -v "$t" >/dev/null 2>&1; then
    printf '%-7s %s\n' "$t" "$("$t" --version 2>/dev/null | head -1)"
  else
    printf '%-7s not found\n' "$t"
  fi
done
if [ -d "$HOME/.cargo/bin" ] && ! printf '%s' ":$PATH:" | grep -q ":$HOME/.cargo/bin:"; then
  echo "note: ~/.cargo/bin exists but is not on PATH; run: source \"\$HOME/.cargo/env\""
fi
command -v rustup >/dev/null 2>&1 && rustup show active-toolchain 2>/dev/null
exit 0
