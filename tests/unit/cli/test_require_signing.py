"""`tank validate` and `tank install` refuse a project asking for signatures Tank cannot check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tests.unit.cli.conftest import Tank

HINT = "signing is not available yet; remove audit.require_signing or set it false"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose skills.json asks for signed skills; the current folder."""
    data = {"skills": {}, "audit": {"require_signing": True}}
    (tmp_path / "skills.json").write_text(json.dumps(data, indent=2) + "\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TANK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_validate_refuses_require_signing(tank: Tank, project: Path) -> None:
    done = tank("validate", str(project))
    assert done.code == ExitCode.INVALID
    assert "audit.require_signing" in done.out + done.err
    assert HINT in done.out + done.err


def test_install_refuses_require_signing(tank: Tank, project: Path) -> None:
    done = tank("install")
    assert done.code == ExitCode.INVALID, done.out + done.err
    assert HINT in done.out + done.err
    assert not (project / "skills.lock").exists()
