"""``tank remove``: drop skills from skills.json, the lockfile, their folders and links."""

from __future__ import annotations

import click

from tank.cli.install_view import (
    recovery_printer,
    render_outcome,
    target_options,
)
from tank.cli.paths_view import project_paths_for

EPILOG = """\b
Examples:
  tank remove @acme/pdf-tools
  tank remove -g @acme/notes
"""


@click.command(epilog=EPILOG)
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@target_options
def command(names: tuple[str, ...], is_global: bool, registry: str | None, as_json: bool) -> None:
    """Remove skills: from skills.json, skills.lock, .agents/skills and every agent link.

    Skills that only the removed ones needed go too. Needs no registry.
    """
    from tank.client.operations import remove
    from tank.client.project import Options

    paths = project_paths_for(is_global, writes=True)
    options = Options(registry=registry, on_recover=recovery_printer(paths))
    outcome = remove(paths, list(names), options)
    render_outcome(outcome, paths, as_json=as_json, verb="Removed")
