"""The fast path of ``tank run``: it reads command lines as click does, says what the click
command says, and loads neither click nor the parsers a plain skills.json does not need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tank.cli import cmd_run
from tank.cli.exit_codes import ExitCode
from tank.cli.run_skill import simple_args
from tank.cli.runner import invoke

from .conftest import Tank

READ_BY_BOTH = [
    ["./skill"],
    ["@acme/pdf-tools"],
    ["pdf-tools", "a.pdf", "b.pdf"],
    ["pdf-tools", "--", "-x", "--json", "--"],
    ["pdf-tools", "a", "--", "b", "--script", "c"],
    ["pdf-tools", "--json"],
    ["--json", "pdf-tools", "a"],
    ["-g", "pdf-tools", "--global", "--json", "a"],
    ["pdf-tools", "a", "--json", "b", "--", "--json"],
    ["pdf-tools", "--json", "--json"],
    ["pdf-tools", "--"],
    ["pdf-tools", "", "a b", "é"],
]

LEFT_TO_CLICK = [
    [],
    ["--"],
    ["--", "pdf-tools"],
    ["--json"],
    ["pdf-tools", "--script", "scripts/a.py"],
    ["pdf-tools", "--script=scripts/a.py"],
    ["pdf-tools", "--timeout", "5"],
    ["pdf-tools", "--inputs", "{}"],
    ["pdf-tools", "--unsafe-no-sandbox"],
    ["pdf-tools", "--help"],
    ["pdf-tools", "-h"],
    ["pdf-tools", "-"],
    ["pdf-tools", "-gx"],
    ["pdf-tools", "--jsn"],
    ["-v", "pdf-tools"],
]


def _click_reading(words: list[str]) -> dict[str, Any]:
    ctx = cmd_run.command.make_context("tank run", list(words))
    return dict(ctx.params)


@pytest.mark.parametrize("words", READ_BY_BOTH)
def test_reads_what_click_reads(words: list[str]) -> None:
    fast = simple_args(words)
    assert fast is not None
    clicked = _click_reading(words)
    defaults = {"script": None, "inputs_text": None, "inputs_file": None, "timeout": 300.0,
                "unsafe": False}  # fmt: skip
    assert {**defaults, **fast} == clicked


@pytest.mark.parametrize("words", LEFT_TO_CLICK)
def test_anything_else_is_left_to_click(words: list[str]) -> None:
    assert simple_args(words) is None


def _skill(root: Path, manifest: dict[str, Any]) -> Path:
    folder = root / "skill"
    folder.mkdir()
    (folder / "SKILL.md").write_text("---\nname: skill\ndescription: A test skill.\n---\n# s\n")
    (folder / "skills.json").write_text(json.dumps(manifest))
    return folder


NO_ENTRY = {"name": "@t/skill", "version": "1.0.0", "description": "No run entry."}


@pytest.mark.parametrize(
    "words",
    [
        ["./missing"],
        ["./missing", "--json"],
        ["./skill"],
        ["./skill", "--json", "a", "--", "b"],
        ["./skill", "-g"],
        ["no-such-skill"],
    ],
)
def test_says_what_the_click_command_says(
    words: list[str],
    tank: Tank,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _skill(tmp_path, NO_ENTRY)
    (tmp_path / "skills.json").write_text('{"name": "project"}\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TANK_CACHE_DIR", str(tmp_path / "cache"))
    assert simple_args(words) is not None
    fast = tank("run", *words)
    capsys.readouterr()
    code = invoke("tank.cli.cmd_run", "run", list(words), verbose=False)
    captured = capsys.readouterr()
    assert (fast.code, fast.out, fast.err) == (code, captured.out, captured.err)
    assert fast.code in (ExitCode.USAGE, ExitCode.NOT_FOUND, ExitCode.UNAVAILABLE)


def test_run_loads_no_click_yaml_jsonschema_or_range_parser(tmp_path: Path) -> None:
    # Up to the sandbox, `tank run ./skill` of a plain skill needs none of these (issue 13).
    # The first run checks skills.json against the JSON Schema (jsonschema) and remembers it
    # in the cache; the second is the one an agent repeats.
    _skill(tmp_path, NO_ENTRY)
    code = (
        "import sys\n"
        "from tank.cli.main import run\n"
        "print('CODE=%d' % run(['run', './skill']))\n"
        "heavy = ('click', 'yaml', 'jsonschema', 'httpx', 'rich', 'traceback',"
        " 'tank.core.semver.desugar')\n"
        "print('HEAVY=' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": ":".join(sys.path),
        "HOME": str(tmp_path / "home"),
        "TANK_CONFIG_DIR": str(tmp_path / "config"),
        "TANK_CACHE_DIR": str(tmp_path / "cache"),
    }
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    assert "declares no `run` entry" in out.stderr, out.stderr  # the manifest was parsed
    assert out.stdout.split() == [f"CODE={ExitCode.USAGE}", "HEAVY="]
