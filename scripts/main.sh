#!/usr/bin/env bash
# The main job on a fresh machine: install tank with its registry server (tank[registry]), then
# run a registry on the embedded default (SQLite + a local folder under ./tank-registry/), ready
# to publish to and install from. On first run it creates an account `admin` and writes its
# password to ./tank-registry/admin-password (mode 0600). `bash scripts/main.sh --help` for more.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() {
  cat <<'USAGE'
usage: bash scripts/main.sh [--smoke | --help]

Install tank with its registry server into .venv (skipped while pyproject.toml is unchanged),
then serve a registry on SQLite + a local folder until Ctrl-C. On first run it creates the
account `admin`, its password in $TANK_REGISTRY_HOME/admin-password.

  (no option)  serve on http://$HOST:$PORT
  --smoke      CI: serve on a free port, publish + fetch the examples, stop
  -h, --help   show this message

Environment:
  PORT                 port to listen on (default 8800)
  HOST                 address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  TANK_REGISTRY_HOME   the registry's database and blobs (default ./tank-registry)
  TANK_EXTRAS          extras to install (default registry; dev adds the test tools)
USAGE
}
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "" | --smoke) ;;
  *) echo "error: unknown option '$1'" >&2; usage >&2; exit 2 ;;
esac
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
  # `admin` is a reserved name: the operator running this script approves their own admin account.
  $tank registry create-user admin --admin --approve --password "$(cat "$home/admin-password")" \
    --database-url "$db"
  echo "created account 'admin'; its password is in $home/admin-password"
fi
url="http://${HOST:-127.0.0.1}:${PORT:-8800}"
# The commands name the venv's tank by its full path, so they work from any folder: a plain
# `tank` is on PATH only after activating the venv.
tank=$PWD/.venv/bin/tank
cat <<MSG
Publish:  $tank config set registry $url
          $tank login --username admin --password-stdin < $home/admin-password
          $tank publish ./my-skill              # validated, scanned and scored by the registry
Install:  $tank install @admin/my-skill         # in a project folder
          (or \`source $PWD/.venv/bin/activate\` once, then type plain \`tank\`)
API docs: $url/v1/docs
MSG
exec $tank registry serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8800}" \
  --database-url "$db" --storage "$home/blobs"
