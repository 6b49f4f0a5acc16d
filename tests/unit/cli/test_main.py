"""The top-level dispatcher: help, version, unknown commands, lazy imports."""

from __future__ import annotations

import subprocess
import sys

from tank import __version__
from tank.cli.commands import COMMANDS
from tank.cli.exit_codes import ExitCode

from .conftest import Tank


def test_version(tank: Tank) -> None:
    result = tank("--version")
    assert result.code == ExitCode.OK
    assert result.out == f"tank {__version__}\n"


def test_help_lists_every_command(tank: Tank) -> None:
    result = tank("--help")
    assert result.code == ExitCode.OK
    for name, info in COMMANDS.items():
        assert name in result.out
        assert info.summary in result.out
    assert "Examples:" in result.out


def test_no_arguments_prints_help(tank: Tank) -> None:
    assert "usage: tank" in tank().out


def test_unknown_command_suggests(tank: Tank) -> None:
    result = tank("valdate")
    assert result.code == ExitCode.USAGE
    assert "did you mean `tank validate`" in result.err


def test_unknown_global_option(tank: Tank) -> None:
    result = tank("--frobnicate")
    assert result.code == ExitCode.USAGE
    assert "--frobnicate" in result.err


def test_help_command_shows_command_help(tank: Tank) -> None:
    result = tank("help", "pack")
    assert result.code == ExitCode.OK
    assert "Usage: tank pack" in result.out


def test_bad_option_is_usage_error(tank: Tank) -> None:
    result = tank("pack", "--no-such-option")
    assert result.code == ExitCode.USAGE
    assert "no-such-option" in result.err


def test_help_and_version_import_no_third_party_module() -> None:
    # `tank --help` must start fast: the dispatcher may not pull click, rich or yaml in.
    code = (
        "import sys\n"
        "from tank.cli.main import run\n"
        "run(['--help']); run(['--version'])\n"
        "heavy = sorted(m for m in ('click', 'rich', 'yaml', 'jsonschema', 'httpx')"
        " if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("HEAVY=")


def test_console_entry_point_runs_as_a_process() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tank.cli.main", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"tank {__version__}"


def test_aliases_run_their_command(tank: Tank) -> None:
    for alias, name in (("add", "install"), ("i", "install"), ("rm", "remove"),
                        ("uninstall", "remove")):  # fmt: skip
        result = tank(alias, "--help")
        assert result.code == ExitCode.OK, (alias, result.err)
        assert f"Usage: tank {name}" in result.out
    assert "add, i" in tank("--help").out


def test_unknown_command_suggests_an_alias_too(tank: Tank) -> None:
    result = tank("unistall")
    assert result.code == ExitCode.USAGE
    assert "did you mean `tank uninstall`" in result.err
