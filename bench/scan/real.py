"""Real skill collections: tank's verdicts beside cisco-ai-skill-scanner's, same skills, one run.

For each ROOT (a folder of real skills, e.g. a public collection's checkout), runs
``scripts/scan_real.py ROOT --json`` (every SKILL.md folder is a skill; no skills.json means
nothing declared) and, when its venv exists (see ``bench/scan/run.py``), ``cisco_probe.py`` on
the same skill folders. Prints one markdown row per ROOT: skills, tank ``fail`` and ``fail`` or
``flagged``, Cisco not ``is_safe``, and the in-process median and p95 of both.

Usage: ``.venv/bin/python bench/scan/real.py ROOT [ROOT ...] [--exclude NAME ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCAN_REAL = ROOT / "scripts" / "scan_real.py"
CISCO = ROOT / "bench" / ".work" / "cisco-venv" / "bin" / "python"
PROBE = Path(__file__).with_name("cisco_probe.py")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _share(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.1f} %)" if total else "0"


def _cisco(folders: list[str]) -> list[dict[str, object]] | None:
    if not CISCO.exists() or not folders:
        return None
    done = subprocess.run(
        [str(CISCO), str(PROBE), *folders],
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    if len(lines) != len(folders):
        print(f"cisco probe failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return lines


def measure(root: Path, exclude: list[str]) -> str:
    """The markdown row for one collection."""
    extra = [a for name in exclude for a in ("--exclude", name)]
    done = subprocess.run(
        [sys.executable, str(SCAN_REAL), str(root), "--json", *extra],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    ((_, report),) = json.loads(done.stdout).items()
    rows, summary = report["rows"], report["summary"]
    total, verdicts = summary["skills"], summary["verdicts"]
    tank_ms = [float(r["ms"]) for r in rows]
    cells = [
        root.name,
        str(total),
        _share(verdicts["fail"], total),
        _share(verdicts["fail"] + verdicts["flagged"], total),
    ]
    cisco = _cisco([str(root / r["skill"]) for r in rows])
    if cisco is None:
        cells.append("n/a")
    else:
        cells.append(_share(sum(not x["is_safe"] for x in cisco), total))
    timing = f"{statistics.median(tank_ms):.1f} / {_pct(tank_ms, 0.95):.1f}" if rows else "-"
    cells.append(timing)
    if cisco:
        ms = [float(str(x["seconds"])) * 1000 for x in cisco]
        cells.append(f"{statistics.median(ms):.1f} / {_pct(ms, 0.95):.1f}")
    else:
        cells.append("n/a")
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--exclude", action="append", default=[], help="skip folders so named")
    args = parser.parse_args()
    print(
        "| collection | skills | tank fail | tank fail or flagged | cisco not safe "
        "| tank ms (median / p95) | cisco ms (median / p95) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for root in args.roots:
        print(measure(root, args.exclude), flush=True)


if __name__ == "__main__":
    main()
