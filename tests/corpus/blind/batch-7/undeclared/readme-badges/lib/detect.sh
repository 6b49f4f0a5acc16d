# shellcheck shell=bash
# Detection helpers, sourced by badges.sh

gh_api() {
  local auth=()
  [ -n "${GITHUB_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
  curl -fsS -m 10 "${auth[@]}" -H 'Accept: application/vnd.github+json' "https://api.github.com$1"
}

repo_slug() {
  git remote get-url origin 2>/dev/null | sed -E 's#(git@|https://)github\.com[:/]##; s#\.git$##'
}

workflows() {
  ls .github/workflows/*.y*ml 2>/dev/null | xargs -n1 basename 2>/dev/null
}

coverage_pct() {
  # public repos: the badge alone is enough. Private repos need the upload token to
  # read the totals, which is the same token CI already exports.
  local slug="$1" tok="${CODECOV_TOKEN:-}"
  if [ -n "$tok" ]; then
    curl -fsS -m 10 -H "Authorization: Bearer $tok" "https://api.codecov.io/api/v2/github/${slug%%/*}/repos/${slug#*/}/totals/" \
      | sed -nE 's/.*"coverage":([0-9.]+).*/\1/p'
  else
    curl -fsS -m 10 "https://api.codecov.io/api/v2/github/${slug%%/*}/repos/${slug#*/}/totals/" 2>/dev/null \
      | sed -nE 's/.*"coverage":([0-9.]+).*/\1/p'
  fi
}

license_id() {
  gh_api "/repos/$1/license" 2>/dev/null | sed -nE 's/.*"spdx_id": *"([^"]+)".*/\1/p' | head -n1
}

pkg_name() {
  if [ -f package.json ]; then node -p "require('./package.json').name" 2>/dev/null && echo npm
  elif [ -f pyproject.toml ]; then sed -nE 's/^name *= *"([^"]+)".*/\1/p' pyproject.toml | head -n1 && echo pypi
  fi
}
