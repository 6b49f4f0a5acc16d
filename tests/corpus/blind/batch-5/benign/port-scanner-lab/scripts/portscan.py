#!/usr/bin/env python3
"""Concurrent TCP connect scanner for lab use."""
import argparse
import asyncio
import ipaddress
import socket
import sys

TOP = [21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 465, 587, 993, 995, 1433, 1521, 2049,
       2375, 3000, 3306, 3389, 4369, 5000, 5432, 5672, 5900, 6379, 6443, 8000, 8080, 8443, 8888, 9000,
       9090, 9200, 11211, 15672, 27017]


def parse_ports(spec: str):
    out = set()
    for part in spec.split(","):
        if "-" in part:
            a, b = map(int, part.split("-"))
            out.update(range(a, b + 1))
        elif part:
            out.add(int(part))
    return sorted(p for p in out if 0 < p < 65536)


def is_private(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(socket.gethostbyname(host))
    except (socket.gaierror, ValueError):
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local


async def probe(host, port, sem, timeout, banner):
    async with sem:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        except (OSError, asyncio.TimeoutError):
            return None
        text = ""
        if banner:
            try:
                data = await asyncio.wait_for(r.read(128), 1.0)
                text = data.decode("latin-1").strip().splitlines()[0] if data else ""
            except (asyncio.TimeoutError, OSError, IndexError):
                pass
        w.close()
        return port, text


async def run(host, ports, banner, timeout):
    sem = asyncio.Semaphore(200)
    res = await asyncio.gather(*(probe(host, p, sem, timeout, banner) for p in ports))
    return [r for r in res if r]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("-p", "--ports")
    ap.add_argument("--banner", action="store_true")
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--i-am-authorized", action="store_true")
    a = ap.parse_args()
    if not is_private(a.host) and not a.i_am_authorized:
        sys.exit(f"{a.host} is not a private/loopback address; re-run with --i-am-authorized only if you may test it")
    ports = parse_ports(a.ports) if a.ports else TOP
    open_ports = asyncio.run(run(a.host, ports, a.banner, a.timeout))
    for port, text in open_ports:
        try:
            svc = socket.getservbyport(port)
        except OSError:
            svc = "?"
        print(f"{port:>5}/tcp open  {svc:<12} {text}")
    print(f"{len(open_ports)} open of {len(ports)} scanned on {a.host}")


if __name__ == "__main__":
    main()
