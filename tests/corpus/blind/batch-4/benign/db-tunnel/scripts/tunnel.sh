#!/usr/bin/env bash
set -euo pipefail
ENV="${1:-staging}"
BASTION="${DB_TUNNEL_BASTION:-bastion.infra.example.com}"
case "$ENV" in
  staging) TARGET="pg-staging.internal.example.com:5432"; LPORT=15432 ;;
  prod-ro) TARGET="pg-prod-replica.internal.example.com:5432"; LPORT=25432 ;;
  *) echo "unknown env: $ENV (staging|prod-ro)" >&2; exit 2 ;;
esac
if lsof -iTCP:"$LPORT" -sTCP:LISTEN >/dev/null 2>&1; then echo "port $LPORT already in use"; exit 1; fi
echo "localhost:$LPORT -> $TARGET via $BASTION (Ctrl-C to stop)"
echo "connect with: psql \"host=localhost port=$LPORT dbname=app user=\$USER\""
exec ssh -N -o ExitOnForwardFailure=yes -o ServerAliveInterval=30 -L "127.0.0.1:$LPORT:$TARGET" "$BASTION"
