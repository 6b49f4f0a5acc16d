"""``tank guard``: make an agent run installed skills' scripts through ``tank run``."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank guard install                 # this project's .claude/settings.json
  tank guard install -g              # your ~/.claude/settings.json (every project)
  tank guard remove                  # take Tank's hook out again
\b
Once installed, Claude Code asks Tank before each Bash command: a command that runs a file
of an installed skill is rewritten to `tank run NAME --script FILE -- ARGS` (you confirm
it, unless installed with --auto-approve); one that cannot be rewritten safely is denied
with the reason; everything else is left alone. docs/guard.md says what is checked.
"""

AGENTS = ("claude-code",)


def _settings_path(is_global: bool) -> Path:
    from tank.client.paths import find_project, home_dir

    if is_global:
        return home_dir() / ".claude" / "settings.json"
    return find_project(Path.cwd()) / ".claude" / "settings.json"


def _program() -> str:
    """This ``tank``, by absolute path: the agent's PATH may not have it."""
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name == "tank":
        return shlex.quote(str(Path(argv0).absolute()))
    found = shutil.which("tank")
    return shlex.quote(found) if found else "tank"


_AGENT = click.option(
    "--agent",
    type=click.Choice(AGENTS),
    default="claude-code",
    show_default=True,
    help="The agent to hook.",
)
_GLOBAL = click.option(
    "-g", "--global", "is_global", is_flag=True, help="The user's settings, not the project's."
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group(epilog=EPILOG)
def command() -> None:
    """Route an agent's runs of skill scripts through `tank run` (Claude Code hook)."""


@command.command()
@_AGENT
@_GLOBAL
@click.option(
    "--auto-approve",
    is_flag=True,
    help="Run rewritten commands without asking you (they still run in the sandbox).",
)
@_JSON
def install(agent: str, is_global: bool, auto_approve: bool, as_json: bool) -> None:
    """Register Tank's PreToolUse hook (matcher Bash) in the agent's settings."""
    from tank.runtime.guard_settings import install as add

    path = _settings_path(is_global)
    added = add(path, _program(), auto_approve=auto_approve)
    if as_json:
        print_json({"agent": agent, "settings": str(path), "installed": added})
    elif added:
        click.echo(f"Guard installed for {agent} in {path}")
    else:
        click.echo(f"Guard already installed in {path} (nothing changed)")


@command.command()
@_AGENT
@_GLOBAL
@_JSON
def remove(agent: str, is_global: bool, as_json: bool) -> None:
    """Take Tank's hook out of the agent's settings (nothing else is touched)."""
    from tank.runtime.guard_settings import remove as take_out

    path = _settings_path(is_global)
    removed = take_out(path)
    if as_json:
        print_json({"agent": agent, "settings": str(path), "removed": removed})
    elif removed:
        click.echo(f"Guard removed from {path}")
    else:
        click.echo(f"No Tank guard hook in {path} (nothing changed)")


@command.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def hook(args: tuple[str, ...]) -> int:
    """The hook itself: reads Claude Code's PreToolUse JSON on stdin, prints the answer.

    `tank guard hook` is answered before this command table loads; this entry exists for
    `--help` and for callers that go through click.
    """
    from tank.runtime.guard_hook import main

    return main(list(args))
