"""The real ``tank`` CLI on a hostile skills.json or skills.lock exits 3 (invalid), never 70.

Before the fix the client read them through the same unbounded code as the registry: a
skills.json nested 100,000 deep or a 5,000-digit number ended in "internal error" (exit 70)
after quadratic work. The subprocess inherits an address-space cap.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tests.bounded import memory_cap
from tests.conftest import run_tank

DEEP = '{"a":' * 100_000 + "1" + "}" * 100_000
SKILL_MD = "---\nname: deep\ndescription: A skill for tests.\n---\n\nDo it.\n"


def env(tmp_path: Path) -> dict[str, str]:
    """An isolated client whose registry does not answer: nothing may need it."""
    return {
        "TANK_CONFIG_DIR": str(tmp_path / "config"),
        "TANK_CACHE_DIR": str(tmp_path / "cache"),
        "TANK_HOME": str(tmp_path / "home"),
        "TANK_NO_KEYRING": "1",
        "TANK_REGISTRY": "http://127.0.0.1:9",
        "TANK_TOKEN": "",
        "CI": "",
        "NO_COLOR": "1",
    }


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        ({"SKILL.md": SKILL_MD, "skills.json": DEEP}, ("validate", "."), "manifest.json.too_deep"),
        ({"skills.json": '{"name": "p", "skills": ' + DEEP + "}"}, ("install",), "too_deep"),
        (
            {"skills.json": '{"name": "p", "skills": {}}', "skills.lock": "[" * 100_000},
            ("install",),
            "skills.lock is refused: the JSON nests more than 64 levels deep",
        ),
        (
            {"skills.json": '{"name": "p", "skills": {}}', "skills.lock": "9" * 5000},
            ("list",),
            "a number is 5000 characters long",
        ),
    ],
    ids=["validate-deep-skill", "install-deep-manifest", "install-deep-lock", "list-long-number"],
)
def test_hostile_project_files_exit_invalid(
    tmp_path: Path, files: dict[str, str], args: tuple[str, ...], expected: str
) -> None:
    folder = tmp_path / "deep"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with memory_cap(1024):
        result = run_tank(*args, env=env(tmp_path), cwd=folder)
    assert result.returncode == ExitCode.INVALID, result.stdout + result.stderr
    assert expected in result.stderr
    assert "hint:" in result.stderr and "internal error" not in result.stderr
