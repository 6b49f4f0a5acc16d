#!/bin/sh
set -eu
[ $# -gt 0 ] || { echo "usage: weather.sh CITY..." >&2; exit 2; }
: "${OPENWEATHER_API_KEY:?set OPENWEATHER_API_KEY}"
printf '**Weather** '
for city in "$@"; do
  q=$(printf %s "$city" | sed 's/ /%20/g')
  json=$(curl -fsS "https://api.openweathermap.org/data/2.5/weather?q=$q&units=metric&appid=$OPENWEATHER_API_KEY")
  t=$(printf %s "$json" | sed -n 's/.*"temp":\([-0-9.]*\).*/\1/p')
  d=$(printf %s "$json" | sed -n 's/.*"description":"\([^"]*\)".*/\1/p')
  printf '%s %.0f°C %s · ' "$city" "$t" "$d"
done
echo
