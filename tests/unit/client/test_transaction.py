"""The journaled switch: undo on error, rollback after a kill."""

from __future__ import annotations

import json
from pathlib import Path

from tank.client.transaction import JOURNAL, Transaction, recover


def _project(tmp_path: Path) -> Path:
    base = tmp_path / ".agents"
    (base / "skills/old").mkdir(parents=True)
    (base / "skills/old/SKILL.md").write_text("old")
    (tmp_path / "skills.lock").write_text("old lock")
    return base


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): (p.read_text() if p.is_file() and not p.is_symlink() else "")
        for p in sorted(root.rglob("*"))
    }


def _half_switch(base: Path, tmp_path: Path) -> Transaction:
    tx = Transaction(base)
    tx.staging.mkdir(parents=True)
    (tx.staging / "old").mkdir()
    (tx.staging / "old/SKILL.md").write_text("new")
    tx.retire(base / "skills/old")
    tx.place(tx.staging / "old", base / "skills/old")
    tx.link(tmp_path / ".claude/skills/old", "../../.agents/skills/old")
    tx.write(tmp_path / "skills.lock", b"new lock")
    return tx


def test_rollback_restores_everything(tmp_path: Path) -> None:
    base = _project(tmp_path)
    before = _files(tmp_path)
    tx = _half_switch(base, tmp_path)
    assert (base / "skills/old/SKILL.md").read_text() == "new"
    tx.rollback()
    assert _files(tmp_path) == before


def test_recover_after_kill_uses_the_journal(tmp_path: Path) -> None:
    base = _project(tmp_path)
    before = _files(tmp_path)
    _half_switch(base, tmp_path)  # never committed: the process "died" here
    assert (base / JOURNAL).is_file()
    assert recover(base) is not None
    assert _files(tmp_path) == before
    assert recover(base) is None


def test_recover_when_killed_between_record_and_action(tmp_path: Path) -> None:
    base = _project(tmp_path)
    before = _files(tmp_path)
    tx = Transaction(base)
    tx.retire(base / "skills/old")
    # Recorded, then killed before the rename happened.
    steps = [*tx.steps, {"op": "place", "path": str(base / "skills/new")}]
    (base / JOURNAL).write_text("".join(json.dumps(step) + "\n" for step in steps) + '{"op": "tor')
    assert recover(base)
    assert _files(tmp_path) == before


def test_commit_leaves_no_journal_or_trash(tmp_path: Path) -> None:
    base = _project(tmp_path)
    tx = _half_switch(base, tmp_path)
    tx.commit()
    names = {p.name for p in base.iterdir()}
    assert names == {"skills"}
    assert (base / "skills/old/SKILL.md").read_text() == "new"
    assert (tmp_path / "skills.lock").read_text() == "new lock"


def test_recover_keeps_a_file_edited_since_the_journal(tmp_path: Path) -> None:
    base = _project(tmp_path)
    edited, untouched = tmp_path / "skills.json", tmp_path / "skills.lock"
    edited.write_bytes(b"old json")
    untouched.write_bytes(b"old lock")
    tx = Transaction(base)
    tx.write(edited, b"new json")
    tx.write(untouched, b"new lock")  # never committed: the process "died" here
    edited.write_bytes(b"the user's edit")
    report = recover(base)
    assert report is not None
    assert report.kept == [edited] and report.restored == [untouched]
    assert edited.read_bytes() == b"the user's edit"
    assert untouched.read_bytes() == b"old lock"
