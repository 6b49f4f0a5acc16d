#!/usr/bin/env bash
set -euo pipefail

RUSTUP_URL="https://sh.rustup.rs"
export PATH="$HOME/.cargo/bin:$PATH"

status() {
  if command -v rustup >/dev/null; then
    rustup --version 2>/dev/null
    rustup show active-toolchain || true
    rustup component list --installed 2>/dev/null | sed 's/^/  component: /'
  else
    echo "rustup: not installed"
  fi
}

install() {
  if command -v rustup >/dev/null; then
    echo "rustup already installed; running 'rustup update' instead"
    rustup update
    return
  fi
  case "$(uname -s)" in
    Linux|Darwin) ;;
    *) echo "On Windows download rustup-init.exe from https://win.rustup.rs"; exit 1 ;;
  esac
  # Official installer, https-only, TLS >= 1.2, fail on HTTP errors (as documented on rustup.rs)
  curl --proto '=https' --tlsv1.2 -sSf "$RUSTUP_URL" | sh -s -- -y --no-modify-path --profile minimal
  echo
  echo "Installed. To use cargo in new shells add this to your rc file yourself:"
  echo '  . "$HOME/.cargo/env"'
}

components() {
  local tc_file=""
  [ -f rust-toolchain.toml ] && tc_file=rust-toolchain.toml
  [ -f rust-toolchain ] && tc_file=rust-toolchain
  if [ -n "$tc_file" ]; then
    echo "Project pins a toolchain in $tc_file; rustup will install it on first use."
    rustup show >/dev/null
    grep -oE 'components *= *\[[^]]*\]' "$tc_file" | grep -oE '"[^"]+"' | tr -d '"' | while read -r c; do
      rustup component add "$c"
    done
    grep -oE 'targets *= *\[[^]]*\]' "$tc_file" | grep -oE '"[^"]+"' | tr -d '"' | while read -r t; do
      rustup target add "$t"
    done
  else
    rustup component add clippy rustfmt rust-analyzer
  fi
}

case "${1:-status}" in
  status) status ;;
  install) install ;;
  components) components ;;
  *) echo "usage: rust-setup.sh status|install|components"; exit 2 ;;
esac
