#!/usr/bin/env bash
# The main job on a fresh machine: install tank, then run a registry on the embedded default
# (SQLite + a local folder under ./tank-registry/), ready to publish to and install from.
# On first run it creates an account `admin` and writes its password to
# ./tank-registry/admin-password (mode 0600).
#
#   bash scripts/main.sh            # serve on http://127.0.0.1:8800 until Ctrl-C
#   bash scripts/main.sh --smoke    # CI: serve on a free port, publish + fetch the examples, stop
set -euo pipefail
cd "$(dirname "$0")/.."
TANK_EXTRAS=${TANK_EXTRAS:-registry} bash scripts/bootstrap.sh   # the server: tank[registry]
tank=.venv/bin/tank
if [ "${1:-}" = "--smoke" ]; then
  exec .venv/bin/python scripts/smoke_registry.py
fi
home=${TANK_REGISTRY_HOME:-$PWD/tank-registry}
mkdir -p "$home"
db="sqlite:///$home/registry.db"
if [ ! -f "$home/admin-password" ]; then
  umask 077
  .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(18))' > "$home/admin-password"
  $tank registry create-user admin --admin --password "$(cat "$home/admin-password")" --database-url "$db"
  echo "created account 'admin'; its password is in $home/admin-password"
fi
cat <<MSG
Publish:  tank config set registry http://127.0.0.1:${PORT:-8800}   # 8800 is the default
          tank login -u admin                  # password: $home/admin-password
          tank publish ./my-skill              # validated, scanned and scored by the registry
Install:  tank install @admin/my-skill         # in a project folder
API docs: http://127.0.0.1:${PORT:-8800}/v1/docs
MSG
exec $tank registry serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8800}" \
  --database-url "$db" --storage "$home/blobs"
