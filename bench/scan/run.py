"""Scanner speed and verdicts on tests/corpus: Tank in process and from the shell, beside
cisco-ai-skill-scanner (its static analyzers, no LLM) on the same skills, same run.

Setup once (a separate venv, so its dependencies never mix with Tank's):
    python3 -m venv bench/.work/cisco-venv
    .venv/bin/uv pip install --python bench/.work/cisco-venv/bin/python cisco-ai-skill-scanner
Run:
    .venv/bin/python bench/scan/run.py [--shell-sample 20] [--readme]

A malicious skill counts as caught when Tank's verdict is fail or flagged (Cisco: not
``is_safe``); a benign skill is a false positive on the same test. The corpus was written
with Tank's rules, so these detection figures flatter Tank: they are a consistency check,
not a fair comparison of detection.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
CISCO = ROOT / "bench" / ".work" / "cisco-venv" / "bin" / "python"
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- scan-results:begin -->", "<!-- scan-results:end -->"


def skills() -> list[tuple[str, Path]]:
    return [
        (label, p)
        for label in ("malicious", "benign")
        for p in sorted((CORPUS / label).iterdir())
        if p.is_dir()
    ]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def tank_in_process(items: list[tuple[str, Path]]) -> tuple[list[float], dict[str, int]]:
    from tank.scanner import Verdict, scan_folder
    from tank.scanner.rules import load_rules

    load_rules()
    scan_folder(items[0][1])  # warm-up: imports and compiled patterns
    times, score = [], {"caught": 0, "false_positive": 0}
    for label, folder in items:
        started = time.perf_counter()
        result = scan_folder(folder)
        times.append(time.perf_counter() - started)
        blocked = result.verdict in (Verdict.FAIL, Verdict.FLAGGED)
        score["caught" if label == "malicious" else "false_positive"] += blocked
    return times, score


def shell_times(command: list[str], folders: list[Path], cache: Path | None = None) -> list[float]:
    """Wall time of ``command FOLDER`` per folder. ``cache``: the TANK_CACHE_DIR to use
    (warmed by one untimed run first); None: a new empty one for every run (a first run)."""
    env = dict(os.environ)
    if cache is not None:
        env["TANK_CACHE_DIR"] = str(cache)
        subprocess.run([*command, str(folders[0])], capture_output=True, check=False, env=env)
    times = []
    with tempfile.TemporaryDirectory(prefix="tank-bench-") as scratch:
        for index, folder in enumerate(folders):
            if cache is None:
                env["TANK_CACHE_DIR"] = f"{scratch}/cold-{index}"
            started = time.perf_counter()
            subprocess.run([*command, str(folder)], capture_output=True, check=False, env=env)
            times.append(time.perf_counter() - started)
    return times


def cisco_in_process(items: list[tuple[str, Path]]) -> tuple[list[float], dict[str, int]] | None:
    if not CISCO.exists():
        return None
    probe = Path(__file__).with_name("cisco_probe.py")
    done = subprocess.run(
        [str(CISCO), str(probe), *(str(p) for _, p in items)],
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    if len(lines) != len(items):
        print(f"cisco probe failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    score = {"caught": 0, "false_positive": 0}
    for (label, _), line in zip(items, lines, strict=True):
        blocked = not line["is_safe"]
        score["caught" if label == "malicious" else "false_positive"] += blocked
    return [x["seconds"] for x in lines], score


def row(name: str, times: list[float], unit: float = 1000.0) -> str:
    median, p95 = statistics.median(times) * unit, pct(times, 0.95) * unit
    return f"| {name} | {median:.1f} | {p95:.1f} | {len(times)} |"


def detection(name: str, score: dict[str, int], mal: int, ben: int) -> str:
    return f"| {name} | {score['caught']}/{mal} | {score['false_positive']}/{ben} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shell-sample", type=int, default=20)
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args()
    items = skills()
    mal = sum(1 for label, _ in items if label == "malicious")
    ben = len(items) - mal
    sample = [p for _, p in items][:: max(1, len(items) // args.shell_sample)][: args.shell_sample]

    tank_times, tank_score = tank_in_process(items)
    tank_cmd = [str(ROOT / ".venv/bin/tank"), "scan", "--json"]
    with tempfile.TemporaryDirectory(prefix="tank-bench-cache-") as cache:
        tank_shell = shell_times(tank_cmd, sample, Path(cache))
    tank_cold = shell_times(tank_cmd, sample)
    cisco = cisco_in_process(items)
    cisco_cli = CISCO.with_name("skill-scanner")
    cisco_shell = (
        shell_times([str(cisco_cli), "scan", "--format", "json"], sample[:5])
        if cisco_cli.exists() else None
    )  # fmt: skip

    lines = [
        f"Corpus: {mal} malicious and {ben} benign skills (`tests/corpus`). "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average "
        f"{os.getloadavg()[0]:.2f} after the run.",
        "",
        "| scanner | median (ms) | p95 (ms) | skills |",
        "| --- | ---: | ---: | ---: |",
        row("tank, in process (`scan_folder`)", tank_times),
        row(f"tank, `tank scan --json` from the shell ({len(sample)} skills)", tank_shell),
        row("tank, `tank scan --json`, first run (empty compiled cache)", tank_cold),
    ]
    if cisco is not None:
        lines.append(row("cisco-ai-skill-scanner, in process (static analyzers)", cisco[0]))
    if cisco_shell is not None:
        lines.append(row("cisco-ai-skill-scanner, `skill-scanner scan` (5 skills)", cisco_shell))
    lines += [
        "",
        "| scanner | malicious caught | benign blocked |",
        "| --- | ---: | ---: |",
        detection("tank (fail or flagged)", tank_score, mal, ben),
    ]
    if cisco is not None:
        lines.append(detection("cisco-ai-skill-scanner (not `is_safe`)", cisco[1], mal, ben))
    text = "\n".join(lines)
    print(text)
    if args.readme:
        body = README.read_text()
        start, stop = body.index(BEGIN) + len(BEGIN), body.index(END)
        README.write_text(body[:start] + "\n" + text + "\n" + body[stop:])


if __name__ == "__main__":
    main()
