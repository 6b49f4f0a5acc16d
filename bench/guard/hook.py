"""Latency of `tank guard hook`, the Claude Code PreToolUse hook, per Bash command.

Usage: .venv/bin/python bench/guard/hook.py [--runs N]
Prints the machine's load (`uptime`) and a markdown table (median and min of N subprocess
runs, ms) for bench/README.md. Goal: < 50 ms per Bash command.

Rows: the interpreter's own start (`python -I -c pass`, the floor of any Python hook);
`tank --version` (the CLI's floor); the hook on a command that names no skill folder (what
almost every Bash command is: answered by a substring check); on one that names a skill
folder without running it (`ls .claude/skills/x`: split with shlex, passes); on one that
runs a skill script (rewritten through `tank run`); on `cd DIR && python …` (a plain `&&`
list, also split with shlex); and on a command with other shell syntax (a pipeline), which
needs bashlex (its import builds the parser tables).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_project(root: Path) -> Path:
    """A project laid out as `tank install` leaves it, with one skill linked for Claude Code."""
    project = root / "project"
    skill = project / ".agents" / "skills" / "x"
    (skill / "scripts").mkdir(parents=True)
    (project / "skills.json").write_text('{"name": "bench"}\n')
    (project / ".agents" / ".tank-install.json").write_text("{}\n")
    (skill / "SKILL.md").write_text("---\nname: x\ndescription: d\n---\n")
    (skill / "scripts" / "a.py").write_text("print('hi')\n")
    (project / ".claude" / "skills").mkdir(parents=True)
    (project / ".claude" / "skills" / "x").symlink_to(Path("../../.agents/skills/x"))
    return project


def payload(command: str, cwd: Path) -> bytes:
    """The JSON Claude Code sends before a Bash command."""
    return json.dumps(
        {
            "session_id": "bench",
            "transcript_path": "/tmp/bench.jsonl",
            "cwd": str(cwd),
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "bench"},
            "tool_use_id": "toolu_bench",
        }
    ).encode()


def timed(cmd: list[str], stdin: bytes, runs: int, expect: bytes | None) -> tuple[float, float]:
    """(median, min) wall time in ms of running ``cmd`` with ``stdin``, after one warm-up."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(cmd, input=stdin, capture_output=True, check=True)
        elapsed = (time.perf_counter() - start) * 1000
        if expect is not None:
            assert expect in done.stdout if expect else done.stdout == b"", done
        if i:
            times.append(elapsed)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("tank")
    tank = [str(script)] if script.is_file() else [sys.executable, "-m", "tank.cli.main"]
    with tempfile.TemporaryDirectory(prefix="tank-bench-guard-") as tmp:
        project = make_project(Path(tmp))
        cases = [
            ("python -I -c pass (interpreter floor)", [sys.executable, "-I", "-c", "pass"],
             b"", None),
            ("tank --version (CLI floor)", [*tank, "--version"], b"", b"tank"),
            ("hook: git status (no skill folder named)", [*tank, "guard", "hook"],
             payload("git status --short", project), b""),
            ("hook: ls .claude/skills/x (shlex, passes)", [*tank, "guard", "hook"],
             payload("ls .claude/skills/x", project), b""),
            ("hook: python3 .claude/skills/x/scripts/a.py (shlex, rewritten)",
             [*tank, "guard", "hook"],
             payload("python3 .claude/skills/x/scripts/a.py --n 1", project), b"updatedInput"),
            ("hook: cd .claude/skills/x && python scripts/a.py (shlex, rewritten)",
             [*tank, "guard", "hook"],
             payload("cd .claude/skills/x && python scripts/a.py", project), b"updatedInput"),
            ("hook: python3 .claude/skills/x/scripts/a.py | head (bashlex, denied)",
             [*tank, "guard", "hook"],
             payload("python3 .claude/skills/x/scripts/a.py | head", project), b"deny"),
        ]  # fmt: skip
        load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
        print(f"load: {load.strip()}  ({os.cpu_count()} CPUs); tank = {shutil.which(tank[0])}")
        print(f"| case | median ms | min ms |  ({args.runs} runs)")
        print("| --- | ---: | ---: |")
        for label, cmd, stdin, expect in cases:
            med, low = timed(cmd, stdin, args.runs, expect)
            print(f"| `{label}` | {med:.1f} | {low:.1f} |")


if __name__ == "__main__":
    main()
