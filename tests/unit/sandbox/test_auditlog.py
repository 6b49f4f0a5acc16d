"""The run log: append, read (bounded, filtered), rotate, follow."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tank.sandbox import auditlog


def test_append_read_filter_and_skip_garbage(tmp_path: Path) -> None:
    path = auditlog.log_path(tmp_path)
    auditlog.append(path, {"skill": "@a/one", "exit": 0})
    auditlog.append(path, {"skill": "@b/two", "exit": 1})
    with path.open("ab") as handle:
        handle.write(b"not json\n[1]\n" + b"x" * (auditlog.MAX_LINE + 5) + b"\n")
    assert [r["skill"] for r in auditlog.read(path)] == ["@a/one", "@b/two"]
    assert [r["skill"] for r in auditlog.read(path, "two")] == ["@b/two"]
    assert auditlog.read(path, "@a/one")[0]["exit"] == 0
    assert path.stat().st_mode & 0o777 == 0o600


def test_rotation_keeps_one_previous_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(auditlog, "MAX_BYTES", 200)
    path = tmp_path / "runs.jsonl"
    for index in range(10):
        auditlog.append(path, {"skill": "s", "n": index})
    assert path.with_name("runs.jsonl.1").exists()
    numbers = [r["n"] for r in auditlog.read(path)]
    assert numbers == sorted(numbers) and numbers[-1] == 9


def test_follow_yields_new_records(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    auditlog.append(path, {"skill": "old"})

    def later() -> None:
        time.sleep(0.2)
        auditlog.append(path, {"skill": "new"})
        auditlog.append(path, {"skill": "other"})

    threading.Thread(target=later).start()
    seen = []
    for record in auditlog.follow(path, "new", poll=0.05, stop_after=1.5):
        seen.append(record["skill"])
        break
    assert seen == ["new"]
