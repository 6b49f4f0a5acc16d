"""Schema results are remembered per exact bytes, never for a changed file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.client import validated
from tank.client.paths import project_paths
from tank.client.projectfiles import read_lock
from tank.core.errors import ValidationError

LOCK = {
    "lockfileVersion": 1,
    "permission_budget_check": "no_budget",
    "resolved_permissions": {},
    "skills": {},
}


def test_marker_is_per_bytes_and_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANK_CACHE_DIR", str(tmp_path / "cache"))
    assert not validated.seen("lock", b"a")
    validated.remember("lock", b"a")
    assert validated.seen("lock", b"a")
    assert not validated.seen("lock", b"b")
    assert not validated.seen("manifest", b"a")


def test_a_changed_lockfile_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANK_CACHE_DIR", str(tmp_path / "cache"))
    paths = project_paths(tmp_path)
    good = json.dumps(LOCK, indent=2, sort_keys=True) + "\n"
    paths.lockfile.write_text(good)
    read_lock(paths)
    assert validated.seen("lock", good.encode())
    bad = dict(LOCK, lockfileVersion=2, extra=True)
    paths.lockfile.write_text(json.dumps(bad))
    with pytest.raises(ValidationError, match="does not match the lockfile format"):
        read_lock(paths)
