#!/usr/bin/env python3
"""Compare DNS answers for a domain across several public resolvers."""
import argparse
import random
import shutil
import socket
import struct
import subprocess
import sys

QTYPES = {"A": 1, "NS": 2, "CNAME": 5, "MX": 15, "TXT": 16, "AAAA": 28}
DEFAULT_RESOLVERS = ["1.1.1.1", "8.8.8.8", "9.9.9.9"]


def build_query(name: str, qtype: int) -> tuple[int, bytes]:
    tid = random.randint(0, 0xFFFF)
    hdr = struct.pack(">HHHHHH", tid, 0x0100, 1, 0, 0, 0)
    qname = b"".join(bytes([len(l)]) + l.encode("idna") for l in name.rstrip(".").split(".")) + b"\0"
    return tid, hdr + qname + struct.pack(">HH", qtype, 1)


def read_name(msg: bytes, off: int) -> tuple[str, int]:
    labels, jumped, end = [], False, off
    while True:
        ln = msg[off]
        if ln & 0xC0 == 0xC0:
            ptr = struct.unpack(">H", msg[off:off + 2])[0] & 0x3FFF
            if not jumped:
                end = off + 2
            off, jumped = ptr, True
            continue
        if ln == 0:
            if not jumped:
                end = off + 1
            break
        labels.append(msg[off + 1:off + 1 + ln].decode("ascii", "replace"))
        off += 1 + ln
    return ".".join(labels), end


def parse_answers(msg: bytes, qtype: int):
    qd, an = struct.unpack(">HH", msg[4:8])
    off = 12
    for _ in range(qd):
        _, off = read_name(msg, off)
        off += 4
    out = []
    for _ in range(an):
        _, off = read_name(msg, off)
        rtype, _, ttl, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
        off += 10
        rd = msg[off:off + rdlen]
        if rtype == 1:
            val = socket.inet_ntoa(rd)
        elif rtype == 28:
            val = socket.inet_ntop(socket.AF_INET6, rd)
        elif rtype in (2, 5):
            val, _ = read_name(msg, off)
        elif rtype == 15:
            pref = struct.unpack(">H", rd[:2])[0]
            val = f"{pref} {read_name(msg, off + 2)[0]}"
        elif rtype == 16:
            parts, i = [], 0
            while i < len(rd):
                parts.append(rd[i + 1:i + 1 + rd[i]].decode("utf-8", "replace"))
                i += 1 + rd[i]
            val = "".join(parts)
        else:
            val = rd.hex()
        if rtype == qtype or rtype == 5:
            out.append((ttl, val))
        off += rdlen
    return out


def query(server: str, name: str, qtype: int, timeout: float = 3.0):
    tid, pkt = build_query(name, qtype)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(pkt, (server, 53))
        data, _ = s.recvfrom(4096)
    if struct.unpack(">H", data[:2])[0] != tid:
        raise ValueError("transaction id mismatch")
    rcode = data[3] & 0x0F
    if rcode == 3:
        return "NXDOMAIN"
    return sorted(parse_answers(data, qtype))


def hints(domain: str, results):
    txt = [v for r in results.get("TXT", {}).values() if isinstance(r, list) for _, v in r]
    if "TXT" in results and not any(t.startswith("v=spf1") for t in txt):
        print("hint: no SPF record (TXT v=spf1) on", domain)
    try:
        dmarc = query(DEFAULT_RESOLVERS[0], "_dmarc." + domain, 16)
        if dmarc == "NXDOMAIN" or not dmarc:
            print("hint: no DMARC record at _dmarc." + domain)
        elif any("p=none" in v for _, v in dmarc):
            print("hint: DMARC policy is p=none (monitoring only)")
    except OSError:
        pass


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("domain")
    ap.add_argument("--types", default="A,AAAA,MX,TXT,NS")
    ap.add_argument("--resolvers", default=",".join(DEFAULT_RESOLVERS))
    ap.add_argument("--trace", action="store_true")
    a = ap.parse_args()

    results = {}
    for t in a.types.upper().split(","):
        results[t] = {}
        for r in a.resolvers.split(","):
            try:
                results[t][r] = query(r, a.domain, QTYPES[t])
            except (OSError, ValueError) as e:
                results[t][r] = f"error: {e}"
        answers = {str([v for _, v in x]) if isinstance(x, list) else x for x in results[t].values()}
        flag = "" if len(answers) == 1 else "   <-- resolvers disagree"
        print(f"{t}{flag}")
        for r, ans in results[t].items():
            if isinstance(ans, list):
                shown = "; ".join(f"{v} (ttl {ttl})" for ttl, v in ans) or "(no records)"
            else:
                shown = ans
            print(f"  {r:<15} {shown}")
    hints(a.domain, results)

    if a.trace:
        dig = shutil.which("dig")
        if not dig:
            print("--trace needs `dig` (bind-utils / dnsutils)")
        else:
            subprocess.run([dig, "+trace", "+nodnssec", a.domain], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
