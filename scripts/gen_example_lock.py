"""Regenerate examples/project/skills.lock from the example skill folders (real integrities).

Usage: .venv/bin/python scripts/gen_example_lock.py
"""

from __future__ import annotations

from pathlib import Path

from tank.client.folders import FolderProvider, lock_project
from tank.client.local import read_project, require_valid
from tank.core.lockfile import dump_lockfile

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    project_dir = ROOT / "examples" / "project"
    project, report = read_project(project_dir)
    require_valid(report, "examples/project")
    assert project is not None
    skills = sorted(p for p in (ROOT / "examples" / "skills").iterdir() if p.is_dir())
    lock = lock_project(project, FolderProvider(skills))
    (project_dir / "skills.lock").write_text(dump_lockfile(lock), encoding="utf-8")
    print(f"wrote {project_dir / 'skills.lock'} ({len(lock.skills)} skills)")


if __name__ == "__main__":
    main()
