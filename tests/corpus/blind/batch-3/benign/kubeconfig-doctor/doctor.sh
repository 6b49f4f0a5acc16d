#!/bin/sh
# Read-only kubeconfig checks. Network access is only to each cluster's own API server (/version).
set -eu
ONLY=""; [ "${1:-}" = "--context" ] && ONLY=$2
KC=${KUBECONFIG:-$HOME/.kube/config}
[ -f "$KC" ] || { echo "no kubeconfig at $KC"; exit 1; }

perm=$(stat -c %a "$KC" 2>/dev/null || stat -f %Lp "$KC")
case "$perm" in 600|400) ;; *) echo "WARN kubeconfig mode $perm — chmod 600 $KC" ;; esac

for ctx in $(kubectl config get-contexts -o name); do
  [ -n "$ONLY" ] && [ "$ctx" != "$ONLY" ] && continue
  cluster=$(kubectl config view -o jsonpath="{.contexts[?(@.name=='$ctx')].context.cluster}")
  user=$(kubectl config view -o jsonpath="{.contexts[?(@.name=='$ctx')].context.user}")
  server=$(kubectl config view -o jsonpath="{.clusters[?(@.name=='$cluster')].cluster.server}")
  echo "== $ctx"
  [ -z "$server" ] && { echo "  ERROR cluster '$cluster' missing"; continue; }
  if kubectl config view --raw -o jsonpath="{.users[?(@.name=='$user')].user.token}" | grep -q .; then
    echo "  WARN user '$user' has a static token embedded — prefer an exec credential plugin"
  fi
  cert=$(kubectl config view --raw -o jsonpath="{.users[?(@.name=='$user')].user.client-certificate-data}")
  if [ -n "$cert" ]; then
    end=$(printf '%s' "$cert" | base64 -d 2>/dev/null | openssl x509 -noout -enddate 2>/dev/null | cut -d= -f2)
    [ -n "$end" ] && echo "  client cert expires: $end"
  fi
  if curl -sk -m 5 -o /dev/null -w '%{http_code}' "$server/version" | grep -qE '^(200|401|403)$'; then
    echo "  API server reachable: $server"
  else
    echo "  WARN API server unreachable: $server"
  fi
done
