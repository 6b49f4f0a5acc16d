# shellcheck shell=sh
# shared by the hooks; $1 = variable name in .hooks.conf
ROOT=$(git rev-parse --show-toplevel)
CONF="$ROOT/.hooks.conf"
[ -f "$CONF" ] || exit 0
# shellcheck source=/dev/null
. "$CONF"
eval "CMD=\${$1:-}"
[ -z "$CMD" ] && exit 0
echo "[precommit-lite] $1: $CMD"
cd "$ROOT" && sh -c "$CMD"
status=$?
[ $status -ne 0 ] && echo "[precommit-lite] $1 failed (exit $status). Use --no-verify to skip once."
exit $status
