#!/usr/bin/env bash
set -euo pipefail
deploy="$1"; image="$2"
ctx="$(kubectl config current-context)"
if [ "$ctx" = "prod" ] && [ -z "${CONFIRM_PROD:-}" ]; then
  echo "refusing to touch prod without CONFIRM_PROD=1" >&2
  exit 1
fi
if [ -n "${CI:-}" ]; then
  echo "CI run: skipping the interactive diff"
else
  kubectl diff -f k8s/ || true
fi
kubectl set image "deploy/${deploy}" "${deploy}=${image}"
kubectl rollout status "deploy/${deploy}" --timeout=180s || {
  kubectl rollout undo "deploy/${deploy}"
  exit 1
}
