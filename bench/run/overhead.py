"""Overhead of `tank run` on a trivial script against running the script directly.

Usage: .venv/bin/python bench/run/overhead.py [--runs N] [--src LABEL=PATH ...]
Prints the machine's load (`uptime`) and a markdown table (median and min of N runs, ms) for
bench/README.md. Goal: `tank run` adds < 150 ms to a trivial Python script.

The rows are timed in turn (one run of each, N times over), so a drift of the shared machine's
load hits every row alike. ``--src`` adds the two CLI rows for another source tree (run as
``PYTHONPATH=PATH python -m tank.cli.main``), e.g. ``--src before=/tmp/base/src
--src after=src`` with a ``git archive`` of the base commit; the in-process row always uses the
tank this Python imports.

The CPU column (user + system time of the process and its children, sandbox included) moves
much less with the load than wall time does.

Rows: the script run directly by the same Python; the sandbox alone (the runtime's
`run_skill` called in-process: bubblewrap, launcher, Landlock, seccomp, log); the whole
`tank run ./skill` command (CLI start-up included); the same skill installed, `tank run
trivial` (which also finds it in the install state and checks its folder against
skills.lock); and `tank --version`, the CLI's floor.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SCRIPT = "print('hello')\n"


def make_world(root: Path) -> Path:
    """A project holding a one-line skill, and an empty HOME beside it; returns the project."""
    (root / "home").mkdir()
    project = root / "project"
    skill = project / "trivial"
    (skill / "scripts").mkdir(parents=True)
    (project / "skills.json").write_text('{"name": "bench"}\n')
    (skill / "SKILL.md").write_text(
        "---\nname: trivial\ndescription: Prints hello, for the overhead benchmark.\n---\n# t\n"
    )
    manifest = {
        "name": "@bench/trivial",
        "version": "1.0.0",
        "description": "Prints hello.",
        "run": "scripts/main.py",
    }
    (skill / "skills.json").write_text(json.dumps(manifest))
    (skill / "scripts/main.py").write_text(SCRIPT)
    return project


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(
    cases: list[tuple[str, Callable[[], object]]], runs: int
) -> dict[str, tuple[float, float, float]]:
    """(median, min) wall time and median CPU time in ms of each case over ``runs`` rounds,
    after one warm-up; each round runs every case once, in turn."""
    for _, action in cases:
        action()
    times: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in cases}
    for _ in range(runs):
        for label, action in cases:
            cpu, start = _cpu(), time.perf_counter()
            action()
            wall = (time.perf_counter() - start) * 1000
            times[label].append((wall, (_cpu() - cpu) * 1000))
    return {
        label: (
            statistics.median(w for w, _ in t),
            min(w for w, _ in t),
            statistics.median(c for _, c in t),
        )
        for label, t in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--src", action="append", default=[], metavar="LABEL=PATH", help="a source tree to time"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tank-bench-run-") as tmp:
        root = Path(tmp)
        project = make_world(root)
        env = {
            **os.environ,
            "HOME": str(root / "home"),
            "TANK_CONFIG_DIR": str(root / "config"),
            "TANK_CACHE_DIR": str(root / "cache"),
        }
        os.environ.update({k: env[k] for k in ("HOME", "TANK_CONFIG_DIR", "TANK_CACHE_DIR")})
        script = project / "trivial/scripts/main.py"

        def run(cmd: list[str], src: str | None = None) -> Callable[[], object]:
            cmd_env = env if src is None else {**env, "PYTHONPATH": str(Path(src).resolve())}

            def go() -> object:
                done = subprocess.run(
                    cmd, cwd=project, env=cmd_env, capture_output=True, check=True
                )
                assert b"hello" in done.stdout or b"tank" in done.stdout, done
                return done

            return go

        tank = [sys.executable, "-m", "tank.cli.main"]
        # The same skill installed, for the installed-skill row (its folder is checked
        # against skills.lock before each run: tank.runtime.intact).
        subprocess.run([*tank, "install", "./trivial"], cwd=project, env=env, check=True,
                       capture_output=True)  # fmt: skip

        from tank.runtime import runs

        target = runs.find_target(str(project / "trivial"), paths=None)  # type: ignore[arg-type]
        log = root / "runs.jsonl"

        def in_process() -> object:
            done = runs.run_skill(target, project=project, environ={}, log=log)
            assert done.result is not None and done.result.stdout == b"hello\n", done.result
            return done

        cases = [
            ("python -I main.py (direct)", run([sys.executable, "-I", str(script)])),
            ("sandbox only (run_skill in-process)", in_process),
        ]
        trees = [tuple(spec.split("=", 1)) for spec in args.src] or [("", None)]
        for label, src in trees:
            suffix = f", {label}" if label else ""
            cases += [
                (
                    f"tank run ./trivial (whole command{suffix})",
                    run([*tank, "run", "./trivial"], src),
                ),
                (
                    f"tank run trivial (installed, whole command{suffix})",
                    run([*tank, "run", "trivial"], src),
                ),
                (f"tank --version (CLI floor{suffix})", run([*tank, "--version"], src)),
            ]
        load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
        print(f"load: {load.strip()}  ({os.cpu_count()} CPUs)")
        print(f"| command | median ms | min ms | CPU ms (median) |  ({args.runs} runs)")
        print("| --- | ---: | ---: | ---: |")
        results = timed(cases, args.runs)
        for label, (med, low, cpu) in results.items():
            print(f"| `{label}` | {med:.1f} | {low:.1f} | {cpu:.1f} |")
        direct = results["python -I main.py (direct)"][0]
        for label, _ in trees:
            suffix = f", {label}" if label else ""
            whole = results[f"tank run ./trivial (whole command{suffix})"][0]
            print(f"overhead of `tank run`{suffix} over the direct run: {whole - direct:.0f} ms")


if __name__ == "__main__":
    main()
