"""``tank list``: installed skills, their versions and where they are linked."""

from __future__ import annotations

import sys
from typing import Any

import click

from tank.cli.paths_view import project_paths_for
from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank list
  tank list -g --json
"""


@click.command(epilog=EPILOG)
@click.option("-g", "--global", "is_global", is_flag=True, help="The user-level install.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(is_global: bool, as_json: bool) -> None:
    """List the skills Tank installed here (direct ones first), with versions and links.

    The registry is asked (one request) whether any locked version was yanked since; those
    are marked YANKED. Offline, the list still prints and says the mark is unknown.
    """
    from tank.client.listing import installed, yanked_versions

    paths = project_paths_for(is_global)
    skills = installed(paths)
    yanked = yanked_versions(paths) if skills else set()
    if yanked is None:
        sys.stderr.write("note: the registry could not be asked which versions were yanked\n")

    def is_yanked(s: Any) -> bool | None:
        return None if yanked is None else f"{s.name}@{s.version}" in yanked

    if as_json:
        rows = [{**s.to_json(), "yanked": is_yanked(s)} for s in skills]
        print_json({"project": str(paths.meta_root), "skills": rows})
        return
    if not skills:
        sys.stdout.write("No skills installed here (`tank install NAME` adds one).\n")
        return
    ordered = [s for s in skills if s.direct] + [s for s in skills if not s.direct]
    width = max(len(s.name) for s in ordered)
    for s in ordered:
        links = ", ".join(str(p.relative_to(paths.link_root)) for p in s.links) or "-"
        mark = "" if s.direct else " (dependency)"
        missing = "  MISSING: run `tank install`" if not s.present else ""
        missing += "  YANKED by its publisher: `tank update` moves off it" if is_yanked(s) else ""
        score = f"score {s.audit_score:g}" if s.audit_score is not None else "score -"
        sys.stdout.write(
            f"{s.name.ljust(width)}  {s.version:<10} {s.verdict or '-':<15} {score:<10}"
            f" linked: {links}{mark}{missing}\n"
        )
