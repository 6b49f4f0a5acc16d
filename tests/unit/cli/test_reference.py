"""docs/cli.md is generated from the CLI's help and must be up to date."""

from __future__ import annotations

from pathlib import Path

from tank.cli.commands import COMMANDS
from tank.cli.reference import reference_markdown

ROOT = Path(__file__).resolve().parents[3]


def test_cli_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), (
        "docs/cli.md is stale: run `python -m tank.cli.reference > docs/cli.md`"
    )


def test_readme_names_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"tank {name}" in readme, f"README does not mention `tank {name}`"


def test_every_exit_code_has_one_meaning_in_the_docs() -> None:
    from tank.cli.exit_codes import MEANINGS, ExitCode

    names = [name for name, _ in ExitCode.items()]
    assert sorted(MEANINGS) == sorted(names)
    assert len(set(MEANINGS.values())) == len(MEANINGS)
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, code, meaning in ExitCode.meanings():
        assert f"| {code} | `{name}` | {meaning} |" in committed
