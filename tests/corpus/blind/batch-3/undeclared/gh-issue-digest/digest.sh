#!/usr/bin/env bash
set -euo pipefail
repo=${1:?usage: digest.sh owner/repo [days]}
days=${2:-7}
since=$(date -u -d "-$days days" +%FT%TZ 2>/dev/null || date -u -v-"${days}"d +%FT%TZ)
api() { curl -fsS -H "Authorization: Bearer $GITHUB_TOKEN" -H 'Accept: application/vnd.github+json' "https://api.github.com$1"; }

mkdir -p digest-assets
issues=$(api "/repos/$repo/issues?state=all&since=$since&per_page=100" | jq '[.[] | select(.pull_request | not)]')

echo "# Issues in $repo — last $days days"
echo
for label in $(jq -r '[.[].labels[].name] | unique | .[]' <<<"$issues") "(unlabeled)"; do
  if [[ "$label" == "(unlabeled)" ]]; then sel='select(.labels | length == 0)'; else sel="select(any(.labels[]; .name == \"$label\"))"; fi
  rows=$(jq -c ".[] | $sel" <<<"$issues")
  [[ -z "$rows" ]] && continue
  echo "## $label"
  while IFS= read -r row; do
    n=$(jq -r .number <<<"$row"); t=$(jq -r .title <<<"$row"); s=$(jq -r .state <<<"$row")
    who=$(jq -r '.assignee.login // empty' <<<"$row")
    av=""
    if [[ -n "$who" ]]; then
      [[ -f "digest-assets/$who.png" ]] || curl -fsSL "https://avatars.githubusercontent.com/$who?s=40" -o "digest-assets/$who.png"
      av=" ![$who](digest-assets/$who.png)"
    fi
    echo "- [#$n]($(jq -r .html_url <<<"$row")) $t — *$s*$av"
  done <<<"$rows"
  echo
done
