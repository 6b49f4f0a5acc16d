"""``tank install``: from the lockfile, or add skills to the project first."""

from __future__ import annotations

import click

from tank.cli.install_view import project_paths_for, render_outcome, target_options
from tank.cli.progress_view import close_progress, make_progress

EPILOG = """\b
Examples:
  tank install                       # exactly what skills.lock says (creates it if missing)
  tank install --frozen              # CI: fail if skills.lock does not match skills.json
  tank install @acme/pdf-tools       # add with ^<latest> to skills.json, lock, install
  tank install @acme/pdf-tools@~1.4  # add with a range
  tank install -g @acme/notes        # for every project of this user (~/.agents/skills)
"""


@click.command(epilog=EPILOG)
@click.argument("specs", nargs=-1, metavar="[NAME[@RANGE]]...")
@click.option(
    "--frozen",
    is_flag=True,
    help="Fail if skills.lock does not satisfy skills.json instead of updating it "
    "(on by default when CI is set).",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Ask the registry again even for metadata still fresh in the cache (max-age).",
)
@click.option(
    "--link-mode",
    type=click.Choice(["hardlink", "reflink", "copy"]),
    help="How files come from the cache (default: hardlink, falling back to reflink, copy).",
)
@target_options
def command(
    specs: tuple[str, ...],
    frozen: bool,
    refresh: bool,
    link_mode: str | None,
    is_global: bool,
    registry: str | None,
    as_json: bool,
) -> None:
    """Install the project's skills, verifying every integrity.

    With no names, installs what skills.lock records (resolving only when skills.json asks
    for something the lockfile does not satisfy). With names, adds them to skills.json first.
    Every skill's permissions are checked against the project's budget before anything is
    linked; the switch is atomic (an interrupted install leaves the previous state).
    """
    from tank.client.operations import install, parse_spec
    from tank.client.project import Options, is_ci

    parsed = [parse_spec(s) for s in specs]
    paths = project_paths_for(is_global)
    progress = make_progress(as_json=as_json)
    try:
        options = Options(
            registry=registry,
            frozen=frozen or (is_ci() and not parsed),
            refresh=refresh,
            link_mode=link_mode,
            progress=progress,
        )
        outcome = install(paths, parsed, options)
    finally:
        close_progress(progress)
    render_outcome(outcome, paths, as_json=as_json, verb="Installed")
