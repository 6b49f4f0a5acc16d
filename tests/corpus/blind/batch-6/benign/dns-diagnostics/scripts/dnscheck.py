#!/usr/bin/env python3
"""DNS / mail-auth diagnostics for one domain."""
import argparse
import re
import shutil
import socket
import subprocess
import sys

RESOLVERS = {"cloudflare": "1.1.1.1", "google": "8.8.8.8", "quad9": "9.9.9.9"}
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$", re.I)


def dig(name, rtype, server=None):
    if not shutil.which("dig"):
        return fallback(name, rtype)
    cmd = ["dig", "+short", "+time=3", "+tries=1", name, rtype]
    if server:
        cmd.insert(1, f"@{server}")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout
    return [l.strip().strip('"') for l in out.splitlines() if l.strip()]


def fallback(name, rtype):
    if rtype not in ("A", "AAAA"):
        return ["(install dig for %s records)" % rtype]
    fam = socket.AF_INET if rtype == "A" else socket.AF_INET6
    try:
        return sorted({ai[4][0] for ai in socket.getaddrinfo(name, None, fam)})
    except socket.gaierror:
        return []


def spf_lookups(record):
    return len(re.findall(r"\b(include:|a\b|a:|mx\b|mx:|ptr|exists:|redirect=)", record))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("domain")
    ap.add_argument("--dkim", metavar="SELECTOR")
    ap.add_argument("--propagation", action="store_true")
    a = ap.parse_args()
    if not DOMAIN_RE.match(a.domain):
        sys.exit("not a valid domain name")
    d = a.domain
    for rtype in ("A", "AAAA", "CNAME", "MX", "NS"):
        print(f"{rtype:6} {', '.join(dig(d, rtype)) or '-'}")
    txt = dig(d, "TXT")
    spf = [t for t in txt if t.startswith("v=spf1")]
    print("SPF   ", spf[0] if spf else "missing")
    if spf:
        n = spf_lookups(spf[0])
        print(f"       {n} DNS-lookup mechanisms{' (over the limit of 10!)' if n > 10 else ''}")
    dmarc = [t for t in dig(f"_dmarc.{d}", "TXT") if t.startswith("v=DMARC1")]
    print("DMARC ", dmarc[0] if dmarc else "missing")
    if a.dkim:
        dk = dig(f"{a.dkim}._domainkey.{d}", "TXT")
        print("DKIM  ", "present" if any("p=" in x for x in dk) else "missing")
    if a.propagation:
        for name, ip in RESOLVERS.items():
            print(f"{name:10} A={','.join(dig(d, 'A', ip)) or '-'}")


if __name__ == "__main__":
    main()
