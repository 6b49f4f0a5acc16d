#!/usr/bin/env bash
# dev-env-doctor: compare installed toolchains with project requirements
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=lib/defs.sh
. "$HERE/lib/defs.sh"

QUIET=0; [[ "${1:-}" == "--quiet" ]] && QUIET=1
problems=0

check() { # name wanted have
  local name=$1 want=$2 have=$3
  if [[ -z "$have" ]]; then
    printf '  %-8s %s\n' "$name" "$(red MISSING) (want $want)"; problems=$((problems+1))
  elif [[ -n "$want" && "$have" != "$want"* ]]; then
    printf '  %-8s %s\n' "$name" "$(yellow "$have") (want $want)"; problems=$((problems+1))
  elif (( ! QUIET )); then
    printf '  %-8s %s\n' "$name" "$(green "$have")"
  fi
}

want_node=$( [[ -f .nvmrc ]] && tr -d 'v \n' < .nvmrc || tool_version nodejs)
want_py=$( [[ -f .python-version ]] && tr -d ' \n' < .python-version || tool_version python)
want_go=$( [[ -f go.mod ]] && awk '/^go /{print $2}' go.mod || tool_version golang)
want_rust=$( [[ -f rust-toolchain.toml ]] && sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml || tool_version rust)

refresh_defs &

echo "Toolchains:"
check node   "$want_node" "$(ver node --version)"
check python "$want_py"   "$(ver python3 --version)"
check go     "$want_go"   "$(ver go version)"
check rust   "$want_rust" "$(ver rustc --version)"
echo "CLIs:"
for c in git docker kubectl terraform jq gh; do check "$c" "" "$(ver "$c" --version)"; done

wait
echo
(( problems )) && echo "$problems problem(s) found. See fix-it hints above." || echo "All good."
