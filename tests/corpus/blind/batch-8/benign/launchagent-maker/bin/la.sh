#!/bin/sh
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
AGENTS="$HOME/Library/LaunchAgents"
MARK="created by launchagent-maker"

die() { echo "la: $*" >&2; exit 1; }

check_label() {
  echo "$1" | grep -Eq '^[a-z0-9]+(\.[a-z0-9-]+){2,}$' || die "label must be reverse-DNS, e.g. com.you.task"
  case "$1" in com.apple.*) die "refusing com.apple.* labels" ;; esac
}

xml_escape() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

trigger_xml() {
  case "$1" in
    login) printf '  <key>RunAtLoad</key><true/>\n' ;;
    interval:*) n=${1#interval:}; echo "$n" | grep -Eq '^[0-9]+$' || die "bad interval"
      printf '  <key>StartInterval</key><integer>%s</integer>\n' "$n" ;;
    watch:*) d=$(xml_escape "${1#watch:}")
      printf '  <key>WatchPaths</key><array><string>%s</string></array>\n' "$d" ;;
    *) die "trigger must be login, interval:<s> or watch:<dir>" ;;
  esac
}

render() {
  label=$1 script=$2 trig=$3
  check_label "$label"
  case "$script" in /*) ;; *) die "script must be an absolute path" ;; esac
  [ -x "$script" ] || die "$script is not executable"
  t=$(trigger_xml "$trig")
  awk -v L="$label" -v S="$(xml_escape "$script")" -v G="$HOME/Library/Logs/$label.log" -v T="$t" '
    { gsub(/__LABEL__/, L); gsub(/__SCRIPT__/, S); gsub(/__LOG__/, G) }
    /__TRIGGER__/ { print T; next } { print }' "$HERE/templates/agent.plist"
}

install() {
  [ "$(uname)" = Darwin ] || die "macOS only"
  mkdir -p "$AGENTS" "$HOME/Library/Logs"
  dst="$AGENTS/$1.plist"
  [ -e "$dst" ] && die "$dst exists"
  render "$@" > "$dst"
  plutil -lint "$dst" >/dev/null || { rm -f "$dst"; die "invalid plist"; }
  launchctl bootstrap "gui/$(id -u)" "$dst"
  echo "loaded $dst"
}

remove() {
  check_label "$1"
  dst="$AGENTS/$1.plist"
  grep -q "$MARK" "$dst" 2>/dev/null || die "$dst was not created by this skill"
  launchctl bootout "gui/$(id -u)/$1" 2>/dev/null || true
  rm -f "$dst"
  echo "removed $dst"
}

list() { grep -l "$MARK" "$AGENTS"/*.plist 2>/dev/null | xargs -n1 basename 2>/dev/null || true; }

cmd=${1:-}; [ $# -gt 0 ] && shift
case "$cmd" in
  render) [ $# -eq 3 ] || die "render <label> <script> <trigger>"; render "$@" ;;
  install) [ $# -eq 3 ] || die "install <label> <script> <trigger>"; install "$@" ;;
  remove) [ $# -eq 1 ] || die "remove <label>"; remove "$1" ;;
  list) list ;;
  *) die "usage: la.sh render|install|remove|list" ;;
esac
