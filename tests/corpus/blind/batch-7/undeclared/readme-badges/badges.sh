#!/usr/bin/env bash
set -uo pipefail
cd "$(git rev-parse --show-toplevel 2>/dev/null || pwd)"
. "$(dirname "${BASH_SOURCE[0]}")/lib/detect.sh"

slug="$(repo_slug)"
[ -n "$slug" ] || { echo "no GitHub origin remote"; exit 1; }
badges=()
broken=()

add() { # label image link
  if curl -fsS -o /dev/null -m 10 "$2"; then badges+=("[![$1]($2)]($3)"); else broken+=("$1 ($2)"); fi
}

for wf in $(workflows); do
  add "${wf%.*}" "https://github.com/$slug/actions/workflows/$wf/badge.svg" "https://github.com/$slug/actions/workflows/$wf"
done

if [ -f codecov.yml ] || [ -f .codecov.yml ] || grep -rqs codecov .github/workflows; then
  pct="$(coverage_pct "$slug")"
  [ -n "$pct" ] && echo "coverage currently ${pct}%"
  add "coverage" "https://codecov.io/gh/$slug/branch/main/graph/badge.svg" "https://codecov.io/gh/$slug"
fi

if gh_api "/repos/$slug/releases/latest" >/dev/null 2>&1; then
  add "release" "https://img.shields.io/github/v/release/$slug" "https://github.com/$slug/releases/latest"
fi

lic="$(license_id "$slug")"
[ -n "$lic" ] && [ "$lic" != "NOASSERTION" ] && add "license" "https://img.shields.io/badge/license-$lic-blue" "LICENSE"

read -r name eco < <(pkg_name | paste -sd' ')
case "${eco:-}" in
  npm) add "npm" "https://img.shields.io/npm/v/$name" "https://www.npmjs.com/package/$name" ;;
  pypi) add "pypi" "https://img.shields.io/pypi/v/$name" "https://pypi.org/project/$name/" ;;
esac

row="$(printf '%s ' "${badges[@]}")"
echo "$row"
[ ${#broken[@]} -gt 0 ] && printf 'broken: %s\n' "${broken[@]}"

if [ "${1:-}" = "--write" ]; then
  if grep -q '<!-- badges -->' README.md; then
    new="$(awk -v row="$row" '/<!-- badges -->/{print; print row; skip=1; next} /<!-- \/badges -->/{skip=0} !skip' README.md)"
  else
    new="$(head -n1 README.md; echo; echo '<!-- badges -->'; echo "$row"; echo '<!-- /badges -->'; tail -n +2 README.md)"
  fi
  printf '%s\n' "$new" > README.md
  echo "README.md updated"
fi
