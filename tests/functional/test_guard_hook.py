"""``tank guard hook`` fed the JSON Claude Code sends, as a real subprocess.

Payloads follow Claude Code's documented PreToolUse input (session_id, transcript_path, cwd,
permission_mode, hook_event_name, tool_name, tool_input, tool_use_id); answers are checked
against its documented output (nothing, or ``hookSpecificOutput`` with ``hookEventName``,
``permissionDecision``, ``permissionDecisionReason`` and ``updatedInput``).
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_tank


def _skill(root: Path, name: str) -> Path:
    folder = root / ".agents" / "skills" / name
    (folder / "scripts").mkdir(parents=True)
    (folder / "SKILL.md").write_text(f"---\nname: {name}\ndescription: d\n---\n")
    (folder / "scripts" / "a.py").write_text("print('hi')\n")
    (folder / "scripts" / "my file.py").write_text("print('hi')\n")
    (folder / "scripts" / "a.sh").write_text("echo hi\n")
    (folder / "run.sh").write_text("echo hi\n")
    (root / ".agents" / ".tank-install.json").write_text("{}\n")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project as `tank install` leaves it: canonical copy, a Claude Code symlink, a
    Cursor copy (the symlink fallback), and a skill Tank did not install."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "skills.json").write_text('{"name": "p", "skills": {}}\n')
    folder = _skill(root, "x")
    (root / ".claude" / "skills").mkdir(parents=True)
    (root / ".claude" / "skills" / "x").symlink_to(Path("../../.agents/skills/x"))
    (root / ".cursor" / "skills").mkdir(parents=True)
    shutil.copytree(folder, root / ".cursor" / "skills" / "x")
    mine = root / ".claude" / "skills" / "mine" / "scripts"
    mine.mkdir(parents=True)
    (mine / "a.py").write_text("print('mine')\n")
    return root


def payload(command: str, cwd: Path | str, **extra: Any) -> dict[str, Any]:
    """What Claude Code sends a PreToolUse hook before a Bash command."""
    return {
        "session_id": "8c35adc1-7f3e-4bb9-a0f4-3d1f4e3a2b10",
        "transcript_path": "/home/u/.claude/projects/-proj/8c35adc1.jsonl",
        "cwd": str(cwd),
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": command, "description": "Run the script", **extra},
        "tool_use_id": "toolu_01ABC123",
    }


def hook(data: Any, *args: str, env: dict[str, str] | None = None) -> dict[str, Any] | None:
    text = data if isinstance(data, str) else json.dumps(data)
    done = run_tank("guard", "hook", *args, input=text, env=env)
    assert done.returncode == 0, done.stderr
    if not done.stdout.strip():
        return None
    answer: dict[str, Any] = json.loads(done.stdout)
    out = answer["hookSpecificOutput"]
    assert out["hookEventName"] == "PreToolUse"
    assert out["permissionDecisionReason"].startswith("tank guard: ")
    return answer


def rewritten(command: str, cwd: Path) -> str:
    answer = hook(payload(command, cwd))
    assert answer is not None, f"{command!r} passed through"
    out = answer["hookSpecificOutput"]
    assert out["permissionDecision"] == "ask", out
    new: str = out["updatedInput"]["command"]
    return new


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "python3 .claude/skills/x/scripts/a.py --flag 'a b' \"$HOME\"",
            "tank run x --script scripts/a.py -- --flag 'a b' \"$HOME\"",
        ),
        ("bash .agents/skills/x/run.sh", "tank run x --script run.sh"),
        ("./.claude/skills/x/scripts/a.sh -v > out.txt 2>&1",
         "tank run x --script scripts/a.sh -- -v > out.txt 2>&1"),
        ("cd .claude/skills/x && python scripts/a.py 1", "tank run x --script scripts/a.py -- 1"),
        ("python3 -u .cursor/skills/x/scripts/a.py", "tank run x --script scripts/a.py"),
        ("pushd .agents/skills/x && bash run.sh", "tank run x --script run.sh"),
        ("/usr/bin/python3 .claude/skills/x/scripts/a.py", "tank run x --script scripts/a.py"),
        ("FOO=1 node .claude/skills/x/scripts/a.py", "FOO=1 tank run x --script scripts/a.py"),
        (
            "python3 '.claude/skills/x/scripts/my file.py' 'it''s'",
            "tank run x --script 'scripts/my file.py' -- 'it''s'",
        ),
    ],
)  # fmt: skip
def test_a_skill_script_is_rewritten_through_tank_run(
    project: Path, command: str, expected: str
) -> None:
    assert shlex.split(rewritten(command, project)) == shlex.split(expected)


def test_expansions_in_arguments_are_kept_as_written(project: Path) -> None:
    command = "python3 .claude/skills/x/scripts/a.py \"$HOME\" ~/f $(date) 'a  b'"
    assert rewritten(command, project) == (
        "tank run x --script scripts/a.py -- \"$HOME\" ~/f $(date) 'a  b'"
    )


def test_the_rewrite_keeps_the_other_tool_input_fields(project: Path) -> None:
    data = payload("bash .claude/skills/x/run.sh", project, timeout=120000)
    answer = hook(data)
    assert answer is not None
    updated = answer["hookSpecificOutput"]["updatedInput"]
    assert updated == {**data["tool_input"], "command": "tank run x --script run.sh"}


def test_the_rewritten_arguments_are_the_ones_the_shell_would_pass(project: Path) -> None:
    new = rewritten("python3 '.claude/skills/x/scripts/my file.py' \"a b\" 'c;d' e\\ f", project)
    words = shlex.split(new)
    assert words[:4] == ["tank", "run", "x", "--script"]
    assert words[4] == "scripts/my file.py"
    assert words[5:] == ["--", "a b", "c;d", "e f"]


def test_inside_the_skill_folder_a_relative_script_is_rewritten(project: Path) -> None:
    assert rewritten("python scripts/a.py", project / ".claude" / "skills" / "x") == (
        "tank run x --script scripts/a.py"
    )


def test_auto_approve_allows_the_rewrite(project: Path) -> None:
    answer = hook(payload("bash .claude/skills/x/run.sh", project), "--auto-approve")
    assert answer is not None
    assert answer["hookSpecificOutput"]["permissionDecision"] == "allow"


def test_a_global_skill_is_run_with_g(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _skill(home, "g")
    (home / ".claude" / "skills").mkdir(parents=True)
    (home / ".claude" / "skills" / "g").symlink_to(home / ".agents" / "skills" / "g")
    env = {"HOME": str(home), "TANK_HOME": str(home)}
    answer = hook(payload("python3 ~/.claude/skills/g/scripts/a.py", tmp_path), env=env)
    assert answer is not None
    assert answer["hookSpecificOutput"]["updatedInput"]["command"] == (
        "tank run -g g --script scripts/a.py"
    )


@pytest.mark.parametrize(
    ("command", "why"),
    [
        ("python3 .claude/skills/x/scripts/a.py | grep hi", "together with other commands"),
        ("python3 .claude/skills/x/scripts/a.py; rm -rf out", "together with other commands"),
        ("ls && bash .claude/skills/x/run.sh", "together with other commands"),
        ("(bash .claude/skills/x/run.sh)", "together with other commands"),
        ("source .claude/skills/x/run.sh", "`source`"),
        (". .agents/skills/x/run.sh", "`.`"),
        ('eval "python3 .claude/skills/x/scripts/a.py"', "eval"),
        ("echo $(python3 .claude/skills/x/scripts/a.py)", "command substitution"),
        ("echo `bash .claude/skills/x/run.sh`", "command substitution"),
        ("bash -c 'python3 .claude/skills/x/scripts/a.py'", "`bash -c`"),
        ("python3 -c \"exec(open('.claude/skills/x/scripts/a.py').read())\"", "`python3 -c`"),
        ("bash < .claude/skills/x/run.sh", "standard input"),
        ("bash <<EOF\nbash .claude/skills/x/run.sh\nEOF", "the input of `bash`"),
        ("if true; then bash .claude/skills/x/run.sh; fi", "together with other commands"),
        ("f() { bash .claude/skills/x/run.sh; }; f", "together with other commands"),
        ("bash <(cat .claude/skills/x/run.sh)", "computed by the shell"),
        ("env python3 .claude/skills/x/scripts/a.py", "`env`"),
        ("timeout 5 bash .claude/skills/x/run.sh", "`timeout`"),
        ("coproc bash .claude/skills/x/run.sh", "`coproc`"),
        ("find .claude/skills -name '*.sh' -exec bash {} \\;", "`find -exec`"),
        ("uv run --directory .claude/skills/x python scripts/a.py", "`uv`"),
        ("cd .claude/skills/x; python scripts/a.py", "together with other commands"),
        ("cd .claude/skills/x || exit\npython scripts/a.py", "together with other commands"),
        ("(cd .claude/skills/x && python scripts/a.py)", "where Tank cannot follow"),
        ("PYTHONPATH=.claude/skills/x/scripts python3 -m a", "`python3 -m`"),
        ("python3 .claude/skills/x/scripts/a.py < in.txt", "redirection"),
        ("python3 .claude/skills/x/scripts/a.py 'unclosed", "could not parse"),
    ],
)
def test_what_cannot_be_rewritten_is_denied_with_the_reason(
    project: Path, command: str, why: str
) -> None:
    answer = hook(payload(command, project))
    assert answer is not None, f"{command!r} passed through"
    out = answer["hookSpecificOutput"]
    assert out["permissionDecision"] == "deny"
    assert why in out["permissionDecisionReason"]
    assert "updatedInput" not in out


def test_a_python_module_run_inside_a_skill_folder_is_denied(project: Path) -> None:
    answer = hook(payload("python3 -m scripts.a", project / ".agents" / "skills" / "x"))
    assert answer is not None
    assert answer["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_a_skill_of_another_project_is_denied_with_the_way_to_run_it(
    project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    answer = hook(payload(f"python3 {project}/.claude/skills/x/scripts/a.py", other))
    assert answer is not None
    reason = answer["hookSpecificOutput"]["permissionDecisionReason"]
    assert answer["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert f"cd {project} && tank run x --script scripts/a.py" in reason


@pytest.mark.parametrize(
    "command",
    [
        "git status",
        "ls .claude/skills/x",
        "cat .claude/skills/x/scripts/a.py | grep hi",
        "python3 .claude/skills/mine/scripts/a.py",  # not installed by Tank
        "python3 scripts/a.py",
        "grep -r skills docs/",
        "find .claude/skills -name '*.md'",
        "tank run x --script scripts/a.py",
    ],
)
def test_other_commands_pass_untouched(project: Path, command: str) -> None:
    assert hook(payload(command, project)) is None


def test_other_tools_and_events_pass(project: Path) -> None:
    data = payload("python3 .claude/skills/x/scripts/a.py", project)
    assert hook({**data, "tool_name": "Read", "tool_input": {"file_path": "/x"}}) is None
    assert hook({**data, "hook_event_name": "PostToolUse"}) is None


@pytest.mark.parametrize(
    "data",
    ["not json", "[1, 2]", '{"hook_event_name": "PreToolUse", "tool_name": "Bash"}',
     "[" * 100_000, "x" * (1024 * 1024 + 1)],
)  # fmt: skip
def test_input_it_cannot_read_is_denied(data: str) -> None:
    answer = hook(data)
    assert answer is not None
    assert answer["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_the_hook_loads_no_heavy_module_for_plain_commands(project: Path) -> None:
    """The < 50 ms goal rests on this: click, bashlex (~100-270 ms to import), typing and
    dataclasses stay out of the hook unless a command needs shell syntax beyond `&&`."""
    import os
    import subprocess
    import sys

    for command in (
        "git status",
        "python3 .claude/skills/x/scripts/a.py -v",
        "cd .claude/skills/x && python scripts/a.py",
    ):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "tank.cli.main", "guard", "hook"],
            input=json.dumps(payload(command, project)),
            capture_output=True, text=True, check=True, env=dict(os.environ),
        )  # fmt: skip
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
        assert not imported & {"click", "bashlex", "typing", "dataclasses", "inspect"}, command
