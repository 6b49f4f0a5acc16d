"""Overhead of `tank run` on a trivial script against running the script directly.

Usage: .venv/bin/python bench/run/overhead.py [--runs N]
Prints the machine's load (`uptime`) and a markdown table (median and min of N runs, ms) for
bench/README.md. Goal: `tank run` adds < 150 ms to a trivial Python script.

Rows: the script run directly by the same Python; the sandbox alone (the runtime's
`run_skill` called in-process: bubblewrap, launcher, Landlock, seccomp, log); the whole
`tank run ./skill` command (CLI start-up included); and `tank --version`, the CLI's floor.
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


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, min) wall time in ms of ``action`` over ``runs`` runs, after one warm-up."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
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

        def run(cmd: list[str]) -> Callable[[], object]:
            def go() -> object:
                done = subprocess.run(cmd, cwd=project, env=env, capture_output=True, check=True)
                assert b"hello" in done.stdout or b"tank" in done.stdout, done
                return done

            return go

        from tank.runtime import runs

        target = runs.find_target(str(project / "trivial"), paths=None)  # type: ignore[arg-type]
        log = root / "runs.jsonl"

        def in_process() -> object:
            done = runs.run_skill(target, project=project, environ={}, log=log)
            assert done.result is not None and done.result.stdout == b"hello\n", done.result
            return done

        tank = [sys.executable, "-m", "tank.cli.main"]
        cases = [
            ("python -I main.py (direct)", run([sys.executable, "-I", str(script)])),
            ("sandbox only (run_skill in-process)", in_process),
            ("tank run ./trivial (whole command)", run([*tank, "run", "./trivial"])),
            ("tank --version (CLI floor)", run([*tank, "--version"])),
        ]
        load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
        print(f"load: {load.strip()}  ({os.cpu_count()} CPUs)")
        print(f"| command | median ms | min ms |  ({args.runs} runs)")
        print("| --- | ---: | ---: |")
        results = {}
        for label, action in cases:
            med, low = timed(action, args.runs)
            results[label] = med
            print(f"| `{label}` | {med:.1f} | {low:.1f} |")
        direct = results["python -I main.py (direct)"]
        whole = results["tank run ./trivial (whole command)"]
        print(f"\noverhead of `tank run` over the direct run: {whole - direct:.0f} ms (median)")


if __name__ == "__main__":
    main()
