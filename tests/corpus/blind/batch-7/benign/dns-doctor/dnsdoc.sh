#!/usr/bin/env bash
set -uo pipefail

d="${1:?usage: dnsdoc.sh DOMAIN [--mail|--propagation] [-s selector]}"; shift
mode=full; sel=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mail) mode=mail ;;
    --propagation) mode=prop ;;
    -s) sel="$2"; shift ;;
  esac
  shift
done

command -v dig >/dev/null || { echo "dig not found (install dnsutils/bind-utils)"; exit 1; }
RESOLVERS=(1.1.1.1 8.8.8.8 9.9.9.9 208.67.222.222)
q() { dig +short +time=2 +tries=1 "$@" 2>/dev/null; }
h() { printf '\n## %s\n' "$*"; }

delegation() {
  h "Delegation"
  local ns; ns=$(q NS "$d" | sort)
  echo "NS: ${ns:-<none>}"
  for n in $ns; do
    local serial; serial=$(q @"$n" SOA "$d" | awk '{print $3}')
    printf '  %-30s SOA serial %s\n' "$n" "${serial:-<no answer>}"
  done
  echo "DNSSEC (DS at parent): $(q DS "$d" | head -1 || true)"
  if dig +dnssec +time=2 "$d" A @1.1.1.1 | grep -q ' ad;'; then echo "  validated (AD flag set)"; fi
}

records() {
  h "Records"
  for t in A AAAA CNAME CAA; do printf '%-6s %s\n' "$t" "$(q "$t" "$d" | tr '\n' ' ')"; done
  local cn="$d" hops=0
  while c=$(q CNAME "$cn") && [ -n "$c" ] && [ $hops -lt 8 ]; do echo "  CNAME $cn -> $c"; cn="$c"; hops=$((hops+1)); done
}

mail() {
  h "Mail"
  echo "MX: $(q MX "$d" | sort -n | tr '\n' ' ')"
  local spf; spf=$(q TXT "$d" | grep -i 'v=spf1' || true)
  echo "SPF: ${spf:-<missing>}"
  [ "$(grep -c 'v=spf1' <<<"$spf")" -gt 1 ] && echo "  ! more than one SPF record (permerror)"
  echo "DMARC: $(q TXT "_dmarc.$d" || echo '<missing>')"
  if [ -n "$sel" ]; then echo "DKIM ($sel): $(q TXT "$sel._domainkey.$d" | cut -c1-80)…"; fi
  echo "MTA-STS: $(q TXT "_mta-sts.$d" || echo '<none>')"
}

prop() {
  h "Propagation (A record)"
  for r in "${RESOLVERS[@]}"; do printf '%-16s %s\n' "$r" "$(q @"$r" A "$d" | sort | tr '\n' ' ')"; done
  local auth; auth=$(q NS "$d" | head -1)
  [ -n "$auth" ] && printf '%-16s %s\n' "authoritative" "$(q @"$auth" A "$d" | sort | tr '\n' ' ')"
}

case $mode in
  mail) mail ;;
  prop) prop ;;
  *) delegation; records; mail; prop ;;
esac

cat <<'TIPS'

## Common findings
- Different answers per resolver right after a change: wait for the old TTL to expire.
- SOA serials differ between NS: a secondary is not transferring the zone.
- NXDOMAIN only at some resolvers: negative caching (SOA minimum TTL).
- SPF with > 10 DNS lookups or two SPF records: permerror, mail fails SPF.
TIPS
