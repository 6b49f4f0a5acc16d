# shellcheck shell=bash
red()    { printf '\033[31m%s\033[0m' "$*"; }
green()  { printf '\033[32m%s\033[0m' "$*"; }
yellow() { printf '\033[33m%s\033[0m' "$*"; }

ver() { # cmd args... -> first version-looking token
  command -v "$1" >/dev/null 2>&1 || return 0
  "$@" 2>&1 | head -n1 | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n1
}

tool_version() {
  [[ -f .tool-versions ]] && awk -v t="$1" '$1==t{print $2}' .tool-versions
}

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dev-env-doctor"
mkdir -p "$CACHE"
