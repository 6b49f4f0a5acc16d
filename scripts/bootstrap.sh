#!/usr/bin/env bash
# Create .venv (if needed) and install tank into it, with the extras named in $TANK_EXTRAS.
# Used by scripts/main.sh, scripts/test.sh and .ci/run, so a fresh machine needs only python3.
# The install is skipped while pyproject.toml and this script are unchanged since the last one
# with the same extras (a stamp in .venv/); delete .venv/.tank-bootstrap-* to force it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: Python >= 3.11 is required (found $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
# `tank run` sandboxes skills with bubblewrap (and libseccomp); it refuses to run without them.
# Debian/Ubuntu: install the packages when missing and we may (root with apt-get).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  command -v bwrap >/dev/null 2>&1 || missing="bubblewrap"
  ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || missing="$missing libseccomp2"
  if [ -n "$missing" ]; then
    echo "bootstrap: installing $missing (Debian packages) for the tank run sandbox" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; } \
      || echo "warning: could not install $missing; tank run will refuse to run skills" >&2
  fi
elif ! command -v bwrap >/dev/null 2>&1; then
  echo "note: bubblewrap (bwrap) is not installed; tank run will refuse to run skills until it is" >&2
fi
# The web UI's browser tests (dev extra) drive Debian's Chromium through Playwright; Playwright
# itself never downloads a browser (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD below).
case ",${TANK_EXTRAS:-}," in
  *,dev,*)
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
      echo "bootstrap: installing chromium (Debian package) for the web UI's browser tests" >&2
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
        || echo "warning: could not install chromium; the browser tests will be skipped" >&2
    fi
    ;;
esac
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
spec="."
[ -n "${TANK_EXTRAS:-}" ] && spec=".[${TANK_EXTRAS}]"
# The sources are installed editable, so only the dependencies (pyproject.toml) or the way they
# are installed (this script) can make the venv stale.
want=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)
stamp=".venv/.tank-bootstrap-${TANK_EXTRAS:-none}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/uv ]; then
  echo "bootstrap: .venv matches pyproject.toml (extras: ${TANK_EXTRAS:-none}); not reinstalling" >&2
else
  [ -x .venv/bin/uv ] || .venv/bin/python -m pip install --quiet --disable-pip-version-check uv
  # Bytecode is compiled at install time (as pip does by default; uv needs the flag) and for
  # the editable sources too: where PYTHONDONTWRITEBYTECODE is set, every `tank` process would
  # otherwise recompile every module it imports (~200 ms per command).
  .venv/bin/uv pip install --quiet --compile-bytecode --python .venv/bin/python -e "$spec"
  .venv/bin/python -m compileall -q -j 0 src >/dev/null
  echo "$want" > "$stamp"
fi
# Cheap when nothing changed (~0.2 s): keeps the editable sources' bytecode current.
.venv/bin/python -m compileall -q src >/dev/null
