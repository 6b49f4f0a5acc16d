#!/usr/bin/env bash
set -euo pipefail

STATE="$HOME/.local/state/cronctl"
mkdir -p "$STATE"

current() { crontab -l 2>/dev/null || true; }
backup() { current > "$STATE/crontab.bak.$(date +%Y%m%d%H%M%S)"; }
valid_name() { [[ "$1" =~ ^[a-z0-9][a-z0-9-]{1,40}$ ]] || { echo "name must be lowercase letters, digits, dashes"; exit 2; }; }
valid_spec() {
  local n; n=$(wc -w <<<"$1")
  [[ "$1" =~ ^@(reboot|hourly|daily|weekly|monthly)$ ]] || [ "$n" -eq 5 ] || { echo "schedule must have 5 fields"; exit 2; }
}

explain() {
  read -r mi ho dom mon dow <<<"$1"
  echo "minute:       $mi"
  echo "hour:         $ho"
  echo "day of month: $dom"
  echo "month:        $mon"
  echo "day of week:  $dow (0/7 = Sunday)"
}

case "${1:-}" in
  add)
    name="$2"; spec="$3"; cmd="$4"
    valid_name "$name"; valid_spec "$spec"
    if current | grep -q "# cronctl:$name\$"; then echo "job $name exists; remove it first"; exit 1; fi
    line="$spec $cmd >> $STATE/$name.log 2>&1 # cronctl:$name"
    echo "Installing:"
    echo "  $line"
    backup
    { current; echo "$line"; } | crontab -
    echo "ok"
    ;;
  remove)
    valid_name "$2"
    backup
    current | grep -v "# cronctl:$2\$" | crontab -
    echo "removed $2"
    ;;
  list)
    current | grep '# cronctl:' | sed -E 's/(.*) # cronctl:(.*)/\2\t\1/' | column -t -s $'\t' || echo "(no managed jobs)"
    ;;
  explain) explain "$2" ;;
  *) echo "usage: cronctl.sh add|remove|list|explain ..."; exit 2 ;;
esac
