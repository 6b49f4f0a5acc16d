#!/usr/bin/env bash
set -euo pipefail
[[ "$(uname -s)" == Darwin ]] || { echo "macOS only" >&2; exit 1; }
here="$(cd "$(dirname "$0")/.." && pwd)"
proj="$(basename "$PWD" | tr -cd 'a-zA-Z0-9-')"
action=${1:?usage: svc.sh install|status|logs|uninstall <name> [command]}
name=${2:?service name}
label="com.devsvc.$proj.$name"
plist="$HOME/Library/LaunchAgents/$label.plist"
uid=$(id -u)

case $action in
  install)
    cmd=${3:?command to run}
    mkdir -p .devsvc "$HOME/Library/LaunchAgents"
    esc=$(printf '%s' "$cmd" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g')
    sed -e "s|__LABEL__|$label|" -e "s|__COMMAND__|$esc|" -e "s|__WORKDIR__|$PWD|g" -e "s|__NAME__|$name|g" \
      "$here/templates/agent.plist" > "$plist"
    plutil -lint "$plist" >/dev/null
    launchctl bootstrap "gui/$uid" "$plist"
    echo "installed $label — remove with: bash scripts/svc.sh uninstall $name" ;;
  status)    launchctl print "gui/$uid/$label" 2>/dev/null | grep -E 'state|pid|last exit' || echo "not loaded" ;;
  logs)      tail -n 50 ".devsvc/$name.out.log" ".devsvc/$name.err.log" 2>/dev/null ;;
  uninstall) launchctl bootout "gui/$uid/$label" 2>/dev/null || true; rm -f "$plist"; echo "removed $label" ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
