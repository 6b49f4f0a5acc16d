#!/usr/bin/env python3
"""Compare DNS answers across resolvers and check common records."""
import argparse
import shutil
import socket
import subprocess

RESOLVERS = {"cloudflare": "1.1.1.1", "google": "8.8.8.8", "quad9": "9.9.9.9", "opendns": "208.67.222.222"}


def dig(name: str, rtype: str, server: str | None = None, *extra: str) -> list[str]:
    cmd = ["dig", "+short", "+time=3", "+tries=1", name, rtype, *extra]
    if server:
        cmd.insert(1, f"@{server}")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout
    return sorted(l for l in out.splitlines() if l and not l.startswith(";"))


def fallback(name: str) -> list[str]:
    try:
        return sorted({ai[4][0] for ai in socket.getaddrinfo(name, None)})
    except socket.gaierror as e:
        return [f"error: {e}"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--types", nargs="+", default=["A", "AAAA", "NS", "MX", "TXT"])
    a = ap.parse_args()
    if not shutil.which("dig"):
        print("dig not found; system resolver only:", fallback(a.name))
        return
    for t in a.types:
        answers = {label: dig(a.name, t, ip) for label, ip in RESOLVERS.items()}
        distinct = {tuple(v) for v in answers.values()}
        flag = "OK " if len(distinct) == 1 else "DIFF"
        print(f"[{flag}] {t}")
        for label, v in answers.items():
            print(f"    {label:<10} {', '.join(v) or '(none)'}")
    soa = {label: (dig(a.name, "SOA", ip) or [""])[0].split()[2:3] for label, ip in RESOLVERS.items()}
    print("SOA serials:", {k: v[0] if v else "-" for k, v in soa.items()})
    spf = [r for r in dig(a.name, "TXT") if "v=spf1" in r]
    print("SPF:", spf[0] if spf else "missing")
    dmarc = dig(f"_dmarc.{a.name}", "TXT")
    print("DMARC:", dmarc[0] if dmarc else "missing")
    ds = dig(a.name, "DS")
    print("DNSSEC:", "signed (DS present)" if ds else "unsigned")


if __name__ == "__main__":
    main()
