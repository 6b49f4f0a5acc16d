#!/usr/bin/env bash
set -uo pipefail
D="${1:?usage: diag.sh DOMAIN}"
RESOLVERS=("system" 1.1.1.1 8.8.8.8 9.9.9.9)
q() { local srv="$1" type="$2"; if [ "$srv" = system ]; then dig +short "$D" "$type"; else dig +short "@$srv" "$D" "$type"; fi; }

echo "== A / AAAA per resolver"
for r in "${RESOLVERS[@]}"; do printf '%-10s A: %s  AAAA: %s\n' "$r" "$(q "$r" A | sort | tr '\n' ' ')" "$(q "$r" AAAA | sort | tr '\n' ' ')"; done
echo "== NS";    dig +short "$D" NS
echo "== TTL";   dig +noall +answer "$D" A | awk '{print $2"s", $5}'
echo "== DNSSEC"; dig +dnssec +noall +comments "$D" A | grep -q ' ad;' && echo "validated (ad flag)" || echo "not validated"
echo "== SPF";   dig +short "$D" TXT | grep -i 'v=spf1' || echo "none"
echo "== DMARC"; dig +short "_dmarc.$D" TXT || echo "none"
