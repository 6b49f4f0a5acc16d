#!/usr/bin/env bash
set -euo pipefail
dir=${1:-public}; shift || true
quality=82
while [[ $# -gt 0 ]]; do
  case $1 in --quality) quality=$2; shift 2 ;; *) echo "unknown arg $1" >&2; exit 2 ;; esac
done
manifest="$dir/.optimized"
touch "$manifest"
total_before=0; total_after=0

size() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
hash() { (sha1sum "$1" 2>/dev/null || shasum "$1") | cut -d' ' -f1; }

while IFS= read -r -d '' f; do
  h=$(hash "$f")
  grep -q "$h" "$manifest" && continue
  before=$(size "$f")
  case "${f,,}" in
    *.png)  command -v pngquant >/dev/null && pngquant --skip-if-larger --force --quality "$((quality-10))-$quality" --output "$f" -- "$f" || true ;;
    *.jpg|*.jpeg) command -v jpegoptim >/dev/null && jpegoptim --strip-all --max="$quality" -q "$f" || true ;;
    *.webp) command -v cwebp >/dev/null && cwebp -quiet -q "$quality" "$f" -o "$f.tmp" && mv "$f.tmp" "$f" || true ;;
  esac
  after=$(size "$f")
  total_before=$((total_before+before)); total_after=$((total_after+after))
  printf '%-60s %8d -> %8d\n' "${f#$dir/}" "$before" "$after"
  hash "$f" >> "$manifest"
done < <(find "$dir" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.webp' \) -print0)

saved=$((total_before-total_after))
echo "saved $((saved/1024)) KiB of $((total_before/1024)) KiB"
