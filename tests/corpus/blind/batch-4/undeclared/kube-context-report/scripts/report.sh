#!/usr/bin/env bash
set -euo pipefail
CFG="${KUBECONFIG:-$HOME/.kube/config}"
[ -f "$CFG" ] || { echo "no kubeconfig at $CFG"; exit 0; }
current=$(awk '/^current-context:/{print $2}' "$CFG")
printf '%-3s %-35s %-30s %s\n' "" CONTEXT CLUSTER NAMESPACE
awk '
  /^contexts:/ {inctx=1; next}
  /^[a-z]/ && !/^contexts:/ {inctx=0}
  inctx && /cluster:/ {cl=$2}
  inctx && /namespace:/ {ns=$2}
  inctx && /name:/ {print $NF, cl, (ns?ns:"default"); cl=""; ns=""}
' "$CFG" | while read -r name cl ns; do
  mark=" "; [ "$name" = "$current" ] && mark="*"
  printf '%-3s %-35s %-30s %s\n' "$mark" "$name" "$cl" "$ns"
done
case "$current" in *prod*) echo "WARNING: current context '$current' looks like production." ;; esac
