"""``tank outdated``: skills with newer versions on the registry."""

from __future__ import annotations

import sys
from typing import Any

import click

from tank.cli.paths_view import project_paths_for
from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank outdated            # current, wanted (newest in range), latest
  tank outdated --json
"""


@click.command(epilog=EPILOG)
@click.option("-g", "--global", "is_global", is_flag=True, help="The user-level install.")
@click.option("--registry", metavar="URL", help="Registry to ask (default: config).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(is_global: bool, registry: str | None, as_json: bool) -> None:
    """Compare locked versions with the registry: wanted is the newest the ranges allow
    (skills.json's, or for a dependency its dependents'; `tank update`), latest the newest
    release (`tank update --latest`). Exits 1 when anything is outdated, as npm does."""
    from tank.cli.exit_codes import ExitCode
    from tank.client.listing import outdated

    rows = outdated(project_paths_for(is_global), registry=registry)
    if as_json:
        print_json({"outdated": [r.to_json() for r in rows]})
    elif not rows:
        sys.stdout.write("Every skill is at its newest version.\n")
    else:
        _table(rows)
    if rows:
        raise click.exceptions.Exit(ExitCode.FAILURE)


def _table(rows: list[Any]) -> None:
    width = max(len(r.name) for r in rows)
    currents = [f"{r.current} (yanked)" if r.yanked else r.current for r in rows]
    cw = max(10, *(len(c) for c in currents))
    sys.stdout.write(f"{'name'.ljust(width)}  {'current'.ljust(cw)} {'wanted':<10} latest\n")
    for r, current in zip(rows, currents, strict=True):
        sys.stdout.write(
            f"{r.name.ljust(width)}  {current.ljust(cw)} {r.wanted or '-':<10} {r.latest or '-'}\n"
        )
