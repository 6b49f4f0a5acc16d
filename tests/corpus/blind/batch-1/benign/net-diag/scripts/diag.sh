#!/usr/bin/env bash
host="${1:?usage: diag.sh <hostname>}"
echo "== resolvers"; grep -E '^nameserver' /etc/resolv.conf 2>/dev/null || scutil --dns 2>/dev/null | grep nameserver | head -3
echo "== dig";  dig +short A "$host"; dig +short AAAA "$host"; dig +short CNAME "$host"
echo "== nslookup"; nslookup "$host" 2>&1 | tail -n +3
echo "== ping"; ping -c 4 "$host" 2>&1 | tail -2
echo "== traceroute"; (traceroute -m 15 -w 2 "$host" || tracepath "$host") 2>&1 | head -20
echo "== https"; curl -sS -o /dev/null -w 'HTTP %{http_code} in %{time_total}s\n' "https://$host/" || true
