"""``tank update``: newer versions within the ranges, or the newest with ``--latest``."""

from __future__ import annotations

import click

from tank.cli.install_view import (
    budget_prompt,
    no_input_option,
    recovery_printer,
    render_outcome,
    target_options,
)
from tank.cli.paths_view import project_paths_for
from tank.cli.progress_view import close_progress, make_progress

EPILOG = """\b
Examples:
  tank update                        # every skill to the newest version its range allows
  tank update @acme/pdf-tools        # just this one (others stay as locked)
  tank update --latest               # rewrite ranges to ^<newest> and update

\b
Exit status 13 (AUDIT): a chosen version is quarantined or scores below audit.min_score.
"""


@click.command(epilog=EPILOG)
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--latest", is_flag=True, help="Rewrite the ranges to ^<newest release> first.")
@no_input_option
@target_options
def command(
    names: tuple[str, ...],
    latest: bool,
    no_input: bool,
    is_global: bool,
    registry: str | None,
    as_json: bool,
) -> int | None:
    """Update skills and the lockfile; show old → new versions and permission changes.

    Versions the registry's scan failed are never chosen. A new version that needs more than
    the project's permission budget blocks the whole update, with every violation listed;
    on a terminal (not in CI, not with --json or --no-input) Tank offers to widen
    `permissions` in skills.json by exactly what is needed. A version scoring below the
    project's `audit.min_score` blocks it too. Git skills move to the commit their ref names
    now (scanned again, within the budget, before anything is switched); the files that
    changed are listed, and a tag that moved since it was locked is reported.
    """
    from tank.client.operations import update
    from tank.client.project import Options

    paths = project_paths_for(is_global, writes=True)
    progress = make_progress(as_json=as_json)
    ask = budget_prompt(progress, as_json=as_json, frozen=False, no_input=no_input)
    try:
        outcome = update(
            paths,
            list(names),
            Options(
                registry=registry,
                progress=progress,
                refresh=True,
                widen_budget=ask,
                on_recover=recovery_printer(paths),
            ),
            latest=latest,
        )
    finally:
        close_progress(progress)
    render_outcome(outcome, paths, as_json=as_json, verb="Updated")
    return None
