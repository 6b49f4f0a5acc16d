#!/usr/bin/env bash
set -euo pipefail
REPO="${1:?usage: pr-digest.sh owner/repo}"
API="https://api.github.com/repos/$REPO"

gh_api() {
  curl -fsSL -H "Accept: application/vnd.github+json" \
    ${GITHUB_TOKEN:+-H "Authorization: Bearer $GITHUB_TOKEN"} "$1"
}

now=$(date +%s)
gh_api "$API/pulls?state=open&per_page=50" |
  jq -r '.[] | [.number, .title, .user.login, .created_at, .head.sha, .draft] | @tsv' |
  while IFS=$'\t' read -r num title author created sha draft; do
    age=$(( (now - $(date -d "$created" +%s 2>/dev/null || date -j -f %Y-%m-%dT%H:%M:%SZ "$created" +%s)) / 86400 ))
    reviews=$(gh_api "$API/pulls/$num/reviews" | jq -r '[.[] | .state] | if index("CHANGES_REQUESTED") then "changes requested" elif index("APPROVED") then "approved" else "no review" end')
    ci=$(gh_api "$API/commits/$sha/status" | jq -r '.state')
    d=""; [ "$draft" = "true" ] && d=" (draft)"
    printf '%d\t- #%s %s%s - @%s, %sd old, %s, CI %s\n' "$age" "$num" "$title" "$d" "$author" "$age" "$reviews" "$ci"
  done | sort -rn | cut -f2-
