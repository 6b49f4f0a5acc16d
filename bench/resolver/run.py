"""Time Tank's resolver, uv and resolvelib on the same synthetic skill graphs, in one run.

    python bench/resolver/run.py [--quick] [--rl-timeout SECONDS] [--readme]

* Tank: ``tank.core.resolver.resolve`` over an in-memory provider that parses versions and
  ranges lazily; best of 3 (a fresh provider each time).
* uv: the same graph as minimal wheels in ``bench/.work/wheels``, resolved with
  ``uv pip compile --offline --no-index --find-links DIR``; *cold* uses a new, empty cache
  directory, *warm* re-runs on that cache (best of 3). Wall time of the uv process.
* resolvelib: in a subprocess, given up after ``--rl-timeout`` seconds (default 60).

Generated data lives in ``bench/.work/`` (git-ignored); it is rebuilt when missing.
With ``--readme`` the table is also written into bench/README.md between the markers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import WORK, write  # noqa: E402
from graphio import JsonProvider, load  # noqa: E402
from wheels import requirement, write_wheels  # noqa: E402

from tank.client.resolving import resolve_for_install  # noqa: E402
from tank.core.errors import ResolutionError  # noqa: E402
from tank.core.resolver import ResolutionFailure, resolve  # noqa: E402
from tank.core.semver import parse_range  # noqa: E402

README = HERE.parent / "README.md"
BEGIN, END = "<!-- resolver-results:begin -->", "<!-- resolver-results:end -->"


def uv_binary() -> str:
    local = Path(sys.executable).parent / "uv"
    return str(local) if local.exists() else (shutil.which("uv") or "uv")


def prepare() -> dict[str, Any]:
    graph_path = WORK / "graph.json"
    data = load(graph_path) if graph_path.exists() else None
    if data is None or "order" not in data:
        write(graph_path)
        data = load(graph_path)
    wheels = WORK / "wheels"
    stamp = wheels / ".graph-sha256"
    digest = hashlib.sha256(json.dumps(data["graph"], sort_keys=True).encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        shutil.rmtree(wheels, ignore_errors=True)
        started = time.perf_counter()
        count = write_wheels(data["graph"], wheels)
        stamp.write_text(digest)
        print(f"wrote {count} wheels in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return data


def time_tank(
    data: dict[str, Any], roots: dict[str, str], repeat: int, solve: Any = resolve
) -> tuple[float, str, int]:
    best = float("inf")
    outcome, lines = "", 0
    for _ in range(repeat):
        provider = JsonProvider(data["graph"])
        started = time.perf_counter()
        try:
            result = solve({k: parse_range(v) for k, v in roots.items()}, provider)
            outcome = f"{len(result.versions)} skills"
        except ResolutionFailure as error:
            outcome = "no solution"
            lines = len(error.lines)
            explanation = error.message
        except ResolutionError as error:  # pragma: no cover - cycles etc.
            outcome = f"error: {error.message}"
        best = min(best, time.perf_counter() - started)
    if lines:
        print(explanation, file=sys.stderr)
    return best, outcome, lines


def time_uv(roots: dict[str, str], cache: Path, name: str) -> tuple[float, str]:
    reqs = WORK / f"requirements-{abs(hash(name)) % 10**8}.in"
    reqs.write_text("".join(requirement(n, r) + "\n" for n, r in sorted(roots.items())))
    command = [
        uv_binary(),
        "pip",
        "compile",
        "--quiet",
        "--offline",
        "--no-index",
        "--no-config",
        "--find-links",
        str(WORK / "wheels"),
        "--cache-dir",
        str(cache),
        "--python",
        sys.executable,
        "--no-header",
        "--output-file",
        os.devnull,
        str(reqs),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    return seconds, "ok" if done.returncode == 0 else "no solution"


def time_resolvelib(name: str, timeout: float) -> tuple[float | None, str]:
    command = [sys.executable, str(HERE / "rl_worker.py"), str(WORK / "graph.json"), name]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None, f"gave up after {timeout:.0f} s"
    report = json.loads(done.stdout)
    return float(report["seconds"]), str(report["outcome"])


def machine() -> str:
    uv = subprocess.run([uv_binary(), "--version"], capture_output=True, text=True, check=False)
    return (
        f"{os.cpu_count()} CPUs (nproc), {platform.machine()}, {platform.system()}, "
        f"Python {platform.python_version()}, {uv.stdout.strip()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rl-timeout", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="one run each, no resolvelib")
    parser.add_argument("--readme", action="store_true", help="write the table to README")
    args = parser.parse_args()
    data = prepare()
    repeat = 1 if args.quick else 3
    rows: list[str] = []
    explanations: list[str] = []
    for name in data["order"]:
        roots = data["scenarios"][name]
        tank_s, tank_out, lines = time_tank(data, roots, repeat)
        cli_s, _, _ = time_tank(data, roots, repeat, resolve_for_install)
        with tempfile.TemporaryDirectory(prefix="uv-cache-", dir=WORK) as tmp:
            cold_s, uv_out = time_uv(roots, Path(tmp), name)
            warm_s = min(time_uv(roots, Path(tmp), name)[0] for _ in range(repeat))
        if args.quick:
            rl_text = "skipped"
        else:
            rl_s, rl_out = time_resolvelib(name, args.rl_timeout)
            rl_text = f"{rl_s:.3f}" if rl_s is not None else rl_out
        row = (
            f"| {name} | {tank_out} | {tank_s:.3f} | {cli_s:.3f} | {cold_s:.3f} | {warm_s:.3f} "
            f"| {rl_text} |"
        )
        rows.append(row)
        print(row, f"(uv: {uv_out})", flush=True)
        if lines:
            explanations.append(f"{name}: {lines} lines")
    header = [
        "| scenario | result | tank core (s) | tank CLI path (s) | uv cold (s) | uv warm (s) "
        "| resolvelib (s) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    text = "\n".join(
        [
            f"Machine: {machine()}.",
            "",
            *header,
            *rows,
            "",
            "Explanation length (Tank): " + ("; ".join(explanations) or "n/a") + ".",
        ]
    )
    print("\n" + text)
    if args.readme and README.exists():
        content = README.read_text()
        if BEGIN in content and END in content:
            head, rest = content.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


if __name__ == "__main__":
    main()
