import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict


def run_once(seed, extra):
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           f"--junit-xml={path}.xml", *extra]
    env = dict(os.environ, PYTHONHASHSEED=str(seed), FLAKEHUNTER_SEED=str(seed))
    subprocess.run(cmd, env=env, capture_output=True)
    return parse_junit(path + ".xml")


def parse_junit(path):
    import xml.etree.ElementTree as ET
    out = {}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return out
    for tc in root.iter("testcase"):
        name = f"{tc.get('classname')}::{tc.get('name')}"
        if tc.find("failure") is not None or tc.find("error") is not None:
            out[name] = "fail"
        elif tc.find("skipped") is not None:
            out[name] = "skip"
        else:
            out[name] = "pass"
    return out


def main():
    ap = argparse.ArgumentParser(prog="flakehunter")
    ap.add_argument("--runs", type=int, default=5)
    a, extra = ap.parse_known_args()
    results = defaultdict(list)
    for i in range(a.runs):
        seed = random.randrange(1 << 30)
        for name, outcome in run_once(seed, extra).items():
            results[name].append((seed, outcome))
        print(f"run {i + 1}/{a.runs} done", file=sys.stderr)
    flaky = {n: r for n, r in results.items() if len({o for _, o in r} - {"skip"}) > 1}
    with open("flake-report.md", "w") as f:
        f.write("# Flaky tests\n\n| test | fails | runs | seeds that failed |\n|---|---|---|---|\n")
        for n, r in sorted(flaky.items()):
            fails = [s for s, o in r if o == "fail"]
            f.write(f"| `{n}` | {len(fails)} | {len(r)} | {', '.join(map(str, fails))} |\n")
    print(json.dumps({"flaky": len(flaky), "tests": len(results)}))


if __name__ == "__main__":
    main()
