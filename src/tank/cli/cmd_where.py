"""``tank where``: the folders an installed skill lives and is linked in."""

from __future__ import annotations

import sys

import click

from tank.cli.paths_view import project_paths_for
from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank where @acme/pdf-tools         # .agents/skills/pdf-tools and its agent links
  cd "$(tank where pdf-tools | head -1)"
"""


@click.command(epilog=EPILOG)
@click.argument("name")
@click.option("-g", "--global", "is_global", is_flag=True, help="The user-level install.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(name: str, is_global: bool, as_json: bool) -> None:
    """Print the canonical folder of an installed skill, then each agent link, one per line."""
    from tank.client.listing import where

    found = where(project_paths_for(is_global), name)
    if as_json:
        print_json(found.to_json())
        return
    sys.stdout.write(f"{found.folder}\n")
    for link in found.links:
        sys.stdout.write(f"{link}\n")
