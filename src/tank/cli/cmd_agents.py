"""``tank agents``: every agent Tank links skills for, and which are in use here."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from tank.cli.paths_view import project_paths_for
from tank.cli.render import print_json

if TYPE_CHECKING:
    from tank.client.agents import Overview

EPILOG = """\b
Examples:
  tank agents                        # every agent; which are detected here and why
  tank agents --json                 # the same as one JSON object, for scripts
  tank agents -g                     # for `tank install -g`: only the home folder counts
  tank install --agent windsurf      # link for an agent even when it is not detected
"""


@click.command(epilog=EPILOG)
@click.option(
    "-g",
    "--global",
    "is_global",
    is_flag=True,
    help="The user-level install: detect agents from the home folder only.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(is_global: bool, as_json: bool) -> None:
    """List every agent Tank knows (ids for skills.json `agents` and `--agent`), the folders
    each reads skills from, and which are detected.

    An agent is detected when one of its markers exists: a folder under your home (the agent
    is installed on this machine: `~/.claude`) or, for a project, in the project (`.cursor`).
    Every skill's canonical copy is in `.agents/skills`; `tank install` links it into the
    folder of each chosen agent that does not read `.agents/skills`: Claude Code always, plus
    the agents skills.json's `agents` names or, when it names none, the detected ones.
    """
    from tank.client.agents import overview

    paths = project_paths_for(is_global)
    view = overview(paths)
    linked = {a.id for a in view.linked}
    if as_json:
        rows = [
            {
                "id": d.agent.id,
                "name": d.agent.name,
                "aliases": list(d.agent.aliases),
                "project_folders": list(d.agent.project),
                "user_folders": [f"~/{f}" for f in d.agent.user],
                "detected": d.detected,
                "marker": d.marker,
                "linked": d.agent.id in linked,
            }
            for d in view.detections
        ]
        print_json(
            {
                "global": is_global,
                "chosen_by": "skills.json" if view.named else "detection",
                "link_folders": view.mirrors,
                "agents": rows,
            }
        )
        return
    _print_table(view, is_global=is_global)


def _print_table(view: Overview, *, is_global: bool) -> None:
    head = ("ID", "NAME", "PROJECT FOLDERS", "USER FOLDERS", "DETECTED")
    rows = [
        (
            d.agent.id,
            d.agent.name,
            ", ".join(d.agent.project),
            ", ".join(f"~/{f}" for f in d.agent.user) or "-",
            f"yes ({d.marker})" if d.marker else "no",
        )
        for d in view.detections
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head) - 1)]
    out = sys.stdout
    for row in [head, *rows]:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)))
        out.write(f"  {row[-1]}\n")
    found = sum(d.detected for d in view.detections)
    where = "under your home folder" if is_global else "on this machine or in this project"
    out.write(f"\n{found} of {len(rows)} agents detected {where}.\n")
    why = (
        "Claude Code and skills.json's `agents`"
        if view.named
        else "Claude Code and the detected agents"
    )
    folders = ", ".join(view.mirrors) or "none"
    out.write(
        f"`tank install{' -g' if is_global else ''}` links skills for {why}: "
        f"{', '.join(a.id for a in view.linked)} (link folders: {folders}; the canonical "
        "copy in .agents/skills serves the others).\n"
    )
