#!/usr/bin/env bash
# Resize/convert images into ./out, skipping inputs already processed.
set -euo pipefail

SRC="${1:-.}"; shift || true
WIDTH=1600; FORMAT=webp; QUALITY=75
while [ $# -gt 0 ]; do
  case "$1" in
    --width) WIDTH="$2"; shift 2 ;;
    --format) FORMAT="$2"; shift 2 ;;
    --quality) QUALITY="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

OUT="./out"
# content-hash cache so re-runs skip unchanged files across projects
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/image-optimizer"
mkdir -p "$OUT" "$CACHE"

IM="$(command -v magick || command -v convert || true)"
[ -n "$IM" ] || { echo "ImageMagick not found" >&2; exit 1; }

human() { awk -v b="$1" 'BEGIN{ split("B KB MB GB",u); i=1; while (b>=1024 && i<4) {b/=1024; i++} printf "%.1f %s", b, u[i] }'; }

printf '%-40s %10s %10s\n' file before after
find "$SRC" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) -print0 |
while IFS= read -r -d '' f; do
  key="$(sha256sum "$f" | cut -c1-16)-$WIDTH-$FORMAT-$QUALITY"
  dest="$OUT/$(basename "${f%.*}").$FORMAT"
  if [ -f "$CACHE/$key.$FORMAT" ]; then
    cp "$CACHE/$key.$FORMAT" "$dest"
  else
    case "$FORMAT" in
      webp) if command -v cwebp >/dev/null; then
              "$IM" "$f" -strip -resize "${WIDTH}x>" png:- | cwebp -quiet -q "$QUALITY" -o "$dest" -- -
            else "$IM" "$f" -strip -resize "${WIDTH}x>" -quality "$QUALITY" "$dest"; fi ;;
      avif) "$IM" "$f" -strip -resize "${WIDTH}x>" -quality "$QUALITY" "$dest" ;;
      *) echo "unsupported format $FORMAT" >&2; exit 2 ;;
    esac
    cp "$dest" "$CACHE/$key.$FORMAT"
  fi
  printf '%-40s %10s %10s\n' "${f:0:40}" "$(human "$(wc -c < "$f")")" "$(human "$(wc -c < "$dest")")"
done
