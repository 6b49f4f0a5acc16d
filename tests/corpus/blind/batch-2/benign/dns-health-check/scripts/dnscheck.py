#!/usr/bin/env python3
import argparse
import shutil
import subprocess
import sys

RESOLVERS = {"cloudflare": "1.1.1.1", "google": "8.8.8.8", "quad9": "9.9.9.9"}


def dig(name, rtype, server):
    out = subprocess.run(["dig", f"@{server}", name, rtype, "+noall", "+answer", "+time=3", "+tries=1"],
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split(None, 4)
        if len(parts) == 5:
            rows.append((int(parts[1]), parts[3], parts[4].strip()))
    return rows


def compare(name, rtype):
    answers = {label: dig(name, rtype, ip) for label, ip in RESOLVERS.items()}
    sets = {label: sorted(v for _, t, v in rows if t == rtype) for label, rows in answers.items()}
    agree = len({tuple(s) for s in sets.values()}) == 1
    print(f"\n{rtype} {name}: {'consistent' if agree else 'RESOLVERS DISAGREE'}")
    for label, rows in answers.items():
        for ttl, t, v in rows:
            print(f"  {label:<10} {t:<6} ttl={ttl:<6} {v}")
        if not rows:
            print(f"  {label:<10} (no answer)")
    return agree


def mail_checks(domain, selector):
    txt = [v for _, t, v in dig(domain, "TXT", "1.1.1.1") if t == "TXT"]
    spf = [v for v in txt if "v=spf1" in v]
    print("\nSPF:  ", spf[0] if spf else "MISSING")
    if spf and spf[0].rstrip('"').endswith("+all"):
        print("       WARNING: +all allows anyone to send as this domain")
    dmarc = [v for _, t, v in dig(f"_dmarc.{domain}", "TXT", "1.1.1.1") if t == "TXT"]
    print("DMARC:", dmarc[0] if dmarc else "MISSING")
    if selector:
        dkim = [v for _, t, v in dig(f"{selector}._domainkey.{domain}", "TXT", "1.1.1.1") if t == "TXT"]
        print("DKIM: ", (dkim[0][:80] + "…") if dkim else f"MISSING for selector {selector}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--mail", action="store_true")
    ap.add_argument("--dkim-selector")
    a = ap.parse_args()
    if not shutil.which("dig"):
        sys.exit("dig not found (install bind-utils / dnsutils)")
    ok = all(compare(a.name, t) for t in ("A", "AAAA", "CNAME", "MX"))
    if a.mail:
        mail_checks(a.name, a.dkim_selector)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
