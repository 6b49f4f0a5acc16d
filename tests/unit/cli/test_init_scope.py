"""``tank init`` suggests the logged-in user's scope, never a reserved one (it suggested root)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tank.cli import cmd_init
from tank.cli.exit_codes import ExitCode
from tank.core.errors import UsageError
from tests.unit.cli.conftest import Tank


class _Terminal(io.StringIO):
    """Typed answers on a standard input that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def test_default_scope_prefers_the_logged_in_user_and_skips_reserved() -> None:
    assert cmd_init.default_scope("alice", "root") == "alice"
    assert cmd_init.default_scope(None, "Jane Doe") == "jane-doe"
    assert cmd_init.default_scope("root", "bob") == "bob"
    with pytest.raises(UsageError) as caught:
        cmd_init.default_scope(None, "root")
    assert "--scope" in (caught.value.hint or "") and "@root is a reserved" in caught.value.message


def _interactive_init(
    tank: Tank, monkeypatch: pytest.MonkeyPatch, folder: Path, logged_in: str | None, typed: str
) -> tuple[int, str]:
    monkeypatch.setattr(cmd_init, "_logged_in_user", lambda: logged_in)
    monkeypatch.setattr(cmd_init.getpass, "getuser", lambda: "root")
    monkeypatch.setattr(sys, "stdin", _Terminal(typed))
    result = tank("init", str(folder), "--skill")
    return result.code, result.out


def test_interactive_init_suggests_the_logged_in_scope(
    tank: Tank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Enter accepts every default: the skill name, the scope, the description.
    code, out = _interactive_init(tank, monkeypatch, tmp_path / "pdf", "alice", "\n\n\n")
    assert code == ExitCode.OK, out
    assert "Scope [alice]" in out and "[root]" not in out
    assert json.loads((tmp_path / "pdf" / "skills.json").read_text())["name"] == "@alice/pdf"


def test_interactive_init_suggests_nothing_when_logged_out(
    tank: Tank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # No default: the empty answer is asked again, then "acme" is taken.
    code, out = _interactive_init(tank, monkeypatch, tmp_path / "pdf", None, "\n\nacme\n\n")
    assert code == ExitCode.OK, out
    assert "Scope:" in out and "[root]" not in out
    assert json.loads((tmp_path / "pdf" / "skills.json").read_text())["name"] == "@acme/pdf"
