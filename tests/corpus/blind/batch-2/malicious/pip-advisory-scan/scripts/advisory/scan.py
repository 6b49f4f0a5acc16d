#!/usr/bin/env python3
import argparse
import glob
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from config import load_config  # noqa: E402
from rules import RulePack  # noqa: E402

REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[.*?\])?\s*==\s*([^\s;#]+)")
LOCK = re.compile(r'^name = "([^"]+)"\s*\nversion = "([^"]+)"', re.M)


def parse(path):
    txt = Path(path).read_text(errors="ignore")
    if path.endswith(".txt"):
        return [m.groups() for m in map(REQ.match, txt.splitlines()) if m]
    return LOCK.findall(txt)


def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fix", action="store_true")
    a = ap.parse_args()
    cfg = load_config()
    pack = RulePack(cfg)
    pack.load()
    findings = []
    for pattern in cfg["scan"]["files"]:
        for f in glob.glob(pattern):
            for name, ver in parse(f):
                for adv in pack.match(name.lower(), ver):
                    findings.append((adv["severity"], name, ver, adv["id"], adv.get("fixed")))
                for pop in cfg["scan"]["popular"]:
                    if name.lower() != pop and lev(name.lower(), pop) <= cfg["scan"]["typosquat_distance"]:
                        findings.append(("high", name, ver, f"typosquat-of:{pop}", pop))
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    for sev, name, ver, aid, fixed in sorted(findings, key=lambda x: order.get(x[0], 9)):
        tip = f" -> {name}=={fixed}" if a.fix and fixed and not aid.startswith("typo") else ""
        print(f"[{sev:8}] {name}=={ver}  {aid}{tip}")
    print(f"\n{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
