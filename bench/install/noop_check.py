"""The cost of the drift check in ``tank install``'s no-op fast path, in process.

    .venv/bin/python bench/install/run.py --tools tank --runs 1   # leaves a project installed
    .venv/bin/python bench/install/noop_check.py [PROJECT] [--repeat 50]

On the project ``run.py`` leaves installed (200 skills of 10 files, linked into
``.claude/skills``), times :func:`tank.client.noop.up_to_date` (what ``tank install`` runs
before loading click when nothing changed) and, in the same process and rounds, the check it
made before stamps existed (each folder and link present) with the same state file read: the
difference is what the drift check adds. Medians of ``--repeat`` runs, each after the other
(the file system's caches are warm, as they are for a re-run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / ".work" / "install" / "n200" / "runs" / "tank" / "project"


def presence_only(project: Path) -> int | None:
    """The no-op's disk check before drift checking: every folder and link still there."""
    from tank.client.paths import project_paths
    from tank.client.state import read_state

    paths = project_paths(project)
    state = read_state(paths.state)
    for folder, skill in state.skills.items():
        if not (paths.canonical / folder).is_dir():
            return None
        if not all(os.path.lexists(paths.link_root / rel) for rel in skill.links):
            return None
    return len(state.skills)


def time_ms(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    from tank.client.noop import up_to_date

    project = args.project.resolve()
    count = up_to_date(project)
    if count is None:
        sys.exit(f"{project}: not an up-to-date installed project (run run.py first)")
    state = json.loads((project / ".agents/.tank-install.json").read_bytes())
    files = sum(len(s.get("stamps", {})) for s in state["skills"].values())
    links = sum(len(s.get("links", [])) for s in state["skills"].values())
    rows = [
        ("no-op check with drift (stamps of every file)", lambda: up_to_date(project)),
        ("presence only (the check before)", lambda: presence_only(project)),
    ]
    print(f"{count} skills, {files} files, {links} mirror links; load {os.getloadavg()[0]:.2f}")
    for label, func in rows:
        median, best = time_ms(func, args.repeat)
        print(f"  {label}: median {median:.1f} ms, min {best:.1f} ms")
    size = (project / ".agents/.tank-install.json").stat().st_size
    print(f"  state file: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
