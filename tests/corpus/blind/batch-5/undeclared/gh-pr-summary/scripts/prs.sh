#!/usr/bin/env bash
# Summarise open PRs using the gh CLI (auth comes from `gh auth login`).
set -euo pipefail

REPO_ARGS=(); SEARCH=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) REPO_ARGS=(--repo "$2"); shift 2 ;;
    --mine) SEARCH=(--search "review-requested:@me"); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v gh >/dev/null || { echo "install the GitHub CLI: https://cli.github.com" >&2; exit 1; }
gh auth status >/dev/null 2>&1 || { echo "run: gh auth login" >&2; exit 1; }

gh pr list "${REPO_ARGS[@]}" "${SEARCH[@]}" --state open --limit 50 \
  --json number,title,author,createdAt,reviewDecision,additions,deletions,isDraft,statusCheckRollup |
jq -r '
  def ci: ([.statusCheckRollup[]? | (.conclusion // .state)] |
           if any(. == "FAILURE" or . == "ERROR") then "fail"
           elif any(. == "PENDING" or . == null or . == "IN_PROGRESS") then "running"
           elif length == 0 then "-" else "pass" end);
  def age: ((now - (.createdAt | fromdateiso8601)) / 86400 | floor);
  ["#", "age", "ci", "review", "size", "author", "title"],
  (.[] | [ .number, "\(age)d", ci, (.reviewDecision // "NONE"),
           "+\(.additions)/-\(.deletions)", .author.login,
           ((if .isDraft then "[draft] " else "" end) + .title)[0:60] ])
  | @tsv' | column -t -s $'\t'
