"""The guard's fast path (``shlex`` on plain ``&&`` lists) decides exactly as bashlex does."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from tank.runtime import guard_check
from tank.runtime.guard_check import check_command


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    folder = root / ".agents" / "skills" / "x"
    (folder / "scripts").mkdir(parents=True)
    (folder / "SKILL.md").write_text("---\nname: x\ndescription: d\n---\n")
    (folder / "scripts" / "a.py").write_text("print('hi')\n")
    (folder / "run.sh").write_text("echo hi\n")
    (root / ".agents" / ".tank-install.json").write_text("{}\n")
    (root / ".claude" / "skills").mkdir(parents=True)
    (root / ".claude" / "skills" / "x").symlink_to(Path("../../.agents/skills/x"))
    shutil.copytree(folder, root / ".cursor" / "skills" / "x")
    return root


COMMANDS = [
    "cd .claude/skills/x && python scripts/a.py 1",
    "cd .claude/skills/x&&python scripts/a.py 'a && b'",
    "pushd .agents/skills/x && bash run.sh",
    "cd .claude/skills/x && cd scripts && python a.py",
    'cd .claude/skills/x && FOO=1 python scripts/a.py --flag="a b"',
    "ls && bash .claude/skills/x/run.sh",
    "python3 .claude/skills/x/scripts/a.py && echo done",
    "cd .claude/skills/x && ls && python scripts/a.py",
    "echo '&&' .claude/skills/x",
    "cd .claude/skills && cd x && bash run.sh",
    "cd docs && python3 ../.claude/skills/x/scripts/a.py",
    "cd .claude/skills/x && env python scripts/a.py",
    "cd .claude/skills/x && python -m scripts.a",
    "git add .claude/skills/x && git commit -m 'skills: x'",
    "python3 .claude/skills/x/scripts/a.py",
]


def _verdict(command: str, cwd: Path) -> tuple[str, str, list[str] | None]:
    """The decision, with a rewrite as the words the shell will see (the fast path quotes
    arguments with ``shlex.quote``, bashlex keeps the source text: same words)."""
    v = check_command(command, str(cwd))
    return v.action, v.reason, None if v.command is None else shlex.split(v.command)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_plain_path_decides_as_bashlex_does(
    project: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert guard_check._plain_tree(command) is not None, "not on the fast path"
    fast = _verdict(command, project)
    monkeypatch.setattr(guard_check, "_plain_tree", lambda _command: None)
    assert fast == _verdict(command, project)


@pytest.mark.parametrize(
    "command",
    ["a & b", "a &&& b", "&& a", "a && && b", "a && 'b", "a; b", "a || b", "a & & b"],
)
def test_anything_but_and_lists_leaves_the_fast_path(command: str) -> None:
    assert guard_check._plain_tree(command) is None


def test_a_cd_and_run_is_rewritten_on_the_fast_path(project: Path) -> None:
    action, _reason, command = _verdict("cd .claude/skills/x && python scripts/a.py 1", project)
    assert (action, command) == ("rewrite", shlex.split("tank run x --script scripts/a.py -- 1"))
