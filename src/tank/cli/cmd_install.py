"""``tank install``: from the lockfile, or add skills to the project first."""

from __future__ import annotations

import click

from tank.cli.git_view import skill_chooser
from tank.cli.install_view import (
    budget_prompt,
    can_prompt,
    no_input_option,
    recovery_printer,
    render_outcome,
    target_options,
)
from tank.cli.paths_view import project_paths_for
from tank.cli.progress_view import close_progress, make_progress

EPILOG = """\b
Examples:
  tank install                       # exactly what skills.lock says (creates it if missing)
  tank install --frozen              # CI: fail if skills.lock does not match skills.json
  tank install @acme/pdf-tools       # add with ^<latest> to skills.json, lock, install
  tank install @acme/pdf-tools@~1.4  # add with a range
  tank install -g @acme/notes        # for every project of this user (~/.agents/skills)
  tank install --offline             # skills.lock from the cache, no network (checks skipped)
  tank install --agent windsurf      # also link for Windsurf (recorded in skills.json)
  tank install github:acme/skills/pdf#v1.2.0   # a skill from git, pinned by commit in skills.lock
  tank install --all git+https://git.acme.dev/skills.git#main   # every skill of a repository
  tank install 'marketplace:https://tank.acme.dev/v1/marketplace/@acme/.claude-plugin/marketplace.json#pdf'

\b
Exit status 13 (AUDIT): a locked version was quarantined by the registry (its scan failed,
even after it was installed) or scores below the project's audit.min_score; or a skill from
disk (./dir, ./x.tgz, file:) failed its scan here (--unsafe-allow-failing installs it anyway,
loudly, and records that in skills.lock).
Exit status 8 (NETWORK): the registry cannot be reached (or answers past its deadline,
TANK_HTTP_DEADLINE); with --offline, a locked skill is missing from the cache.
"""


@click.command(epilog=EPILOG)
@click.argument("specs", nargs=-1, metavar="[NAME[@RANGE]|PATH|GIT-SOURCE]...")
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
    "--offline",
    is_flag=True,
    envvar="TANK_OFFLINE",
    help="Install what skills.lock records from the local cache, with no network at all; "
    "says which registry checks it skipped (quarantine since locking). Env: TANK_OFFLINE=1.",
)
@no_input_option
@click.option(
    "--link-mode",
    type=click.Choice(["hardlink", "reflink", "copy"]),
    help="How files come from the cache (default: hardlink, falling back to reflink, copy).",
)
@click.option(
    "--unsafe-allow-failing",
    is_flag=True,
    help="Install skills from disk (./dir, ./x.tgz, file:) or git even when their scan fails: "
    "warns loudly and records the override in skills.lock. You take the risk.",
)
@click.option(
    "--agent",
    "agents",
    multiple=True,
    metavar="ID",
    help="Link skills for this agent too (repeatable; `tank agents` lists the ids); added "
    "to skills.json's `agents`. Without any, agents found on this machine or in the project.",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="With a git repository named without a path: install every skill it holds "
    "(every folder with a SKILL.md). Without it, a repository holding several asks which "
    "on a terminal, and stops listing them otherwise.",
)
@target_options
def command(
    specs: tuple[str, ...],
    frozen: bool,
    refresh: bool,
    offline: bool,
    link_mode: str | None,
    no_input: bool,
    unsafe_allow_failing: bool,
    agents: tuple[str, ...],
    every: bool,
    is_global: bool,
    registry: str | None,
    as_json: bool,
) -> int | None:
    """Install the project's skills, verifying every integrity.

    With no names, installs what skills.lock records (resolving only when skills.json asks
    for something the lockfile does not satisfy). With names, adds them to skills.json first.
    Before anything is linked: the registry is asked whether any locked version was
    quarantined since (one `POST /v1/status` per registry for every locked version; a
    no-op install asks nothing), each registry skill's current audit score must reach the
    project's `audit.min_score` (skills installed from disk are exempt), and every skill's
    permissions must fit the project's budget (a project without one gets one on its first
    install: exactly what its skills need; the permissions an install grants are always
    printed). Over the budget, on a terminal (not in CI, not with --json, --frozen or
    --no-input), Tank lists every violation and offers to widen `permissions` in skills.json
    by exactly what is needed. Skills that do not come from a Tank registry (a folder, a
    .tgz, a `file:` dependency, a git source) are scanned here with the registry's policy
    and a `fail` is refused (a scanner error too). Git sources (github:owner/repo/path#ref,
    git+https://, git+ssh://, git+file://) are locked to a commit; a skill without
    skills.json gets the permissions the scanner infers from its code. The switch is atomic
    (an interrupted install leaves the previous state; the next install rolls it back,
    keeping files edited since).
    """
    from tank.client.agents import agent
    from tank.client.operations import install, parse_spec
    from tank.client.project import Options, is_ci

    parsed = [parse_spec(s) for s in specs]
    chosen = tuple(agent(name).id for name in agents)  # an unknown id fails before anything
    paths = project_paths_for(is_global, writes=True)
    progress = make_progress(as_json=as_json)
    frozen = frozen or (is_ci() and not parsed)
    try:
        options = Options(
            registry=registry,
            frozen=frozen,
            refresh=refresh,
            link_mode=link_mode,
            offline=offline,
            unsafe_allow_failing=unsafe_allow_failing,
            agents=chosen,
            progress=progress,
            widen_budget=budget_prompt(progress, as_json=as_json, frozen=frozen, no_input=no_input),
            choose_skills=skill_chooser(
                can_prompt(as_json=as_json, frozen=frozen, no_input=no_input),
                lambda: close_progress(progress),
            ),
            on_recover=recovery_printer(paths),
        )
        outcome = install(paths, parsed, options, every=every)
    finally:
        close_progress(progress)
    render_outcome(outcome, paths, as_json=as_json, verb="Installed")
    return None
