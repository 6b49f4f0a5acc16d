"""Start-up time of `tank --version` and `tank --help`, against baselines, in one run.

Usage: .venv/bin/python bench/startup.py [--runs N]
Prints a markdown table (median and min of N runs, milliseconds) for bench/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def measure(cmd: list[str], runs: int) -> tuple[float, float]:
    """(median, min) wall time in ms of ``cmd`` over ``runs`` runs, after one warm-up."""
    subprocess.run(cmd, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tank = str(VENV_BIN / "tank")
    cases = [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
        ("tank --version", [tank, "--version"]),
        ("tank --help", [tank, "--help"]),
        ("tank pack --help (loads click)", [tank, "pack", "--help"]),
    ]
    uv = shutil.which("uv") or str(VENV_BIN / "uv")
    if Path(uv).exists():
        cases.append(("uv --version (anchor, native)", [uv, "--version"]))
    print(f"| command | median ms | min ms |  ({args.runs} runs)")
    print("| --- | ---: | ---: |")
    for label, cmd in cases:
        med, low = measure(cmd, args.runs)
        print(f"| `{label}` | {med:.1f} | {low:.1f} |")


if __name__ == "__main__":
    main()
