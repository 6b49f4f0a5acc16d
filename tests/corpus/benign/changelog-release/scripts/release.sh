#!/usr/bin/env bash
set -euo pipefail
part="${1:-patch}"
last="$(git describe --tags --abbrev=0 2>/dev/null || echo v0.0.0)"
IFS=. read -r major minor patch <<<"${last#v}"
case "$part" in
  major) major=$((major + 1)); minor=0; patch=0 ;;
  minor) minor=$((minor + 1)); patch=0 ;;
  *) patch=$((patch + 1)) ;;
esac
next="v${major}.${minor}.${patch}"
{
  echo "## ${next} - $(date +%Y-%m-%d)"
  git log --pretty='- %s (%h)' "${last}..HEAD"
  echo
  cat CHANGELOG.md 2>/dev/null || true
} > CHANGELOG.md.new
mv CHANGELOG.md.new CHANGELOG.md
git add CHANGELOG.md
git commit -m "release ${next}"
git tag -a "${next}" -m "${next}"
read -r -p "Push ${next} to origin? [y/N] " answer
if [ "${answer}" = "y" ]; then
  git push origin HEAD --follow-tags
fi
