#!/bin/sh
set -eu

DIR="${1:-public}"; shift || true
APPLY=0; MAXW=1920; Q=82
while [ $# -gt 0 ]; do
  case "$1" in
    --apply) APPLY=1 ;;
    --max-width) MAXW="$2"; shift ;;
    --quality) Q="$2"; shift ;;
  esac
  shift
done

if command -v magick >/dev/null 2>&1; then IM="magick"; ID="magick identify"
elif command -v convert >/dev/null 2>&1; then IM="convert"; ID="identify"
else echo "ImageMagick not found" >&2; exit 1; fi

# Distro policies often cap ImageMagick at 256 MiB / 16 KP width, which makes large
# images fail half-way with a cryptic "cache resources exhausted". Warn up front.
check_policy() {
  for p in /etc/ImageMagick-7/policy.xml /etc/ImageMagick-6/policy.xml /usr/local/etc/ImageMagick-7/policy.xml /opt/homebrew/etc/ImageMagick-7/policy.xml; do
    [ -r "$p" ] || continue
    mem=$(sed -n 's/.*name="memory" value="\([^"]*\)".*/\1/p' "$p" | head -n1)
    wid=$(sed -n 's/.*name="width" value="\([^"]*\)".*/\1/p' "$p" | head -n1)
    [ -n "$mem" ] && echo "note: ImageMagick policy ($p) limits memory to $mem"
    [ -n "$wid" ] && echo "note: ImageMagick policy ($p) limits width to $wid"
    return 0
  done
}
check_policy

total_before=0; total_after=0; n=0
find "$DIR" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) | while IFS= read -r f; do
  w=$($ID -format '%w' "$f[0]" 2>/dev/null || echo 0)
  before=$(wc -c < "$f")
  if [ "$APPLY" -eq 0 ]; then
    if [ "$w" -gt "$MAXW" ]; then echo "resize  $f (${w}px -> ${MAXW}px, $((before / 1024)) KB)"; else echo "strip   $f ($((before / 1024)) KB)"; fi
    continue
  fi
  $IM "$f" -auto-orient -strip -resize "${MAXW}x>" -quality "$Q" "$f"
  if command -v cwebp >/dev/null 2>&1; then
    cwebp -quiet -q "$Q" "$f" -o "${f%.*}.webp"
  else
    $IM "$f" -quality "$Q" "${f%.*}.webp"
  fi
  after=$(wc -c < "$f")
  n=$((n + 1)); total_before=$((total_before + before)); total_after=$((total_after + after))
  echo "done    $f  $((before / 1024)) KB -> $((after / 1024)) KB"
done
[ "$APPLY" -eq 1 ] && echo "finished; run 'git diff --stat' to see the savings"
