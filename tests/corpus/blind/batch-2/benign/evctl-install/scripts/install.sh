#!/usr/bin/env bash
set -euo pipefail
version=${1:-latest}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
url=https://get.example-vendor.com/install.sh
sumurl=https://releases.example-vendor.com/evctl/install.sh.sha256

curl -fsSL "$url" -o "$tmp/install.sh"
curl -fsSL "$sumurl" -o "$tmp/install.sh.sha256"
expected=$(cut -d' ' -f1 "$tmp/install.sh.sha256")
actual=$( (sha256sum "$tmp/install.sh" 2>/dev/null || shasum -a 256 "$tmp/install.sh") | cut -d' ' -f1)
if [[ "$expected" != "$actual" ]]; then
  echo "checksum mismatch: expected $expected got $actual — aborting" >&2
  exit 1
fi
echo "checksum ok ($actual). First lines of the installer:"
head -n 15 "$tmp/install.sh"
read -r -p "Run the vendor installer for evctl $version into ~/.local/bin? [y/N] " ok
[[ "$ok" =~ ^[Yy]$ ]] || { echo "cancelled"; exit 1; }
EVCTL_VERSION="$version" EVCTL_INSTALL_DIR="$HOME/.local/bin" sh "$tmp/install.sh"
"$HOME/.local/bin/evctl" version
