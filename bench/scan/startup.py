"""`tank scan` as a command: wall time per skill, for one or more source trees, interleaved.

The machine this runs on is shared, so its load drifts during a run; running the trees in
turn on each skill (A, B, A, B, ...) lets a drift hit every tree alike. A tree is a checkout's
``src`` folder run with this venv's Python (``PYTHONPATH=SRC python -m tank.cli.main``), so
"before" is any other worktree of the repository, e.g. ``git worktree add --detach /tmp/base
main``. Each tree gets its own ``TANK_CACHE_DIR``, warmed by one untimed run; ``--cold`` also
times every scan with an empty one (a first run after an install or upgrade).

Usage: ``.venv/bin/python bench/scan/startup.py [--src LABEL=PATH ...] [--skills 20] [--cold]``
(default: this checkout only). Prints a markdown table, milliseconds: wall time (median, p95,
min) and the median CPU time (user + system) of the process, which a loaded machine barely
moves.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"


def _sample(count: int) -> list[Path]:
    skills = [p for label in ("malicious", "benign") for p in sorted((CORPUS / label).iterdir())]
    return skills[:: max(1, len(skills) // count)][:count]


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU (user + system of the child) barely moves with
    the machine's load, wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _run(src: Path, folder: Path, cache: str) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src), "TANK_CACHE_DIR": cache}
    return _timed([sys.executable, "-m", "tank.cli.main", "scan", "--json", str(folder)], env)


def _row(name: str, runs: list[tuple[float, float]]) -> str:
    wall = sorted(w for w, _ in runs)
    p95 = wall[min(len(wall) - 1, int(0.95 * len(wall)))]
    cpu = statistics.median(c for _, c in runs)
    return (
        f"| {name} | {statistics.median(wall) * 1000:.0f} | {p95 * 1000:.0f} "
        f"| {wall[0] * 1000:.0f} | {cpu * 1000:.0f} | {len(runs)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", action="append", default=[], help="LABEL=PATH of a src folder")
    parser.add_argument("--skills", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="also time with an empty cache")
    args = parser.parse_args()
    trees = [tuple(s.split("=", 1)) for s in args.src] or [("this checkout", str(ROOT / "src"))]
    sample = _sample(args.skills)
    floor: list[tuple[float, float]] = []
    times: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in trees}
    cold: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in trees}
    with tempfile.TemporaryDirectory(prefix="tank-startup-") as scratch:
        for label, src in trees:  # warm each tree's cache once, untimed
            _run(Path(src), sample[0], f"{scratch}/{label}")
        for index, folder in enumerate(sample):
            floor.append(_timed([sys.executable, "-c", "pass"]))
            for label, src in trees:
                times[label].append(_run(Path(src), folder, f"{scratch}/{label}"))
                if args.cold:
                    empty = f"{scratch}/cold-{label}-{index}"
                    cold[label].append(_run(Path(src), folder, empty))
    lines = [
        f"`tank scan --json` on {len(sample)} corpus skills, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} after the run.",
        "",
        "| command | median (ms) | p95 (ms) | min (ms) | median CPU (ms) | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        _row("`python -c pass` (floor)", floor),
    ]
    for label, _ in trees:
        lines.append(_row(f"{label}: `tank scan --json`", times[label]))
        if args.cold:
            lines.append(_row(f"{label}: `tank scan --json`, empty cache", cold[label]))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
