"""Shared options and rendering for the commands that change installed skills."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tank.cli.render import print_json

F = TypeVar("F", bound=Callable[..., Any])


def no_input_option(func: F) -> F:
    """``--no-input``: never ask a question (install and update then fail as in CI)."""
    return click.option(
        "--no-input",
        is_flag=True,
        help="Never prompt (off a terminal and when CI is set Tank never prompts anyway).",
    )(func)


def target_options(func: F) -> F:
    """``-g/--global``, ``--registry``, ``--json`` (shared by install, update, remove...)."""
    func = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")(func)
    func = click.option(
        "--registry", metavar="URL", help="Registry to use (default: config, TANK_REGISTRY)."
    )(func)
    func = click.option(
        "-g",
        "--global",
        "is_global",
        is_flag=True,
        help="The user-level install (skills under your home folder).",
    )(func)
    return func


def project_paths_for(is_global: bool) -> Any:
    """The :class:`~tank.client.paths.ProjectPaths` of this invocation."""
    from tank.client.paths import project_paths

    return project_paths(is_global=is_global)


def outcome_json(outcome: Any, paths: Any) -> dict[str, Any]:
    """The ``--json`` view of an :class:`~tank.client.project.Outcome`."""
    return {
        "project": str(paths.meta_root),
        "up_to_date": outcome.up_to_date,
        "resolved": outcome.resolved,
        "changes": [
            {
                "name": c.name,
                "from": c.old,
                "to": c.new,
                "permission_change": c.permissions,
                "permissions_added": list(c.added),
            }
            for c in outcome.changes
        ],
        "skills": [
            {
                "name": s.name,
                "version": str(s.version),
                "integrity": s.meta.integrity,
                "verdict": s.meta.verdict,
                "audit_score": s.meta.audit_score,
            }
            for s in outcome.lock.skills
        ],
        "linked_into": [str(Path(m)) for m in outcome.mirrors],
        "permission_budget_check": outcome.lock.permission_budget_check.value,
        "offline_skipped_checks": list(outcome.skipped_checks),
    }


def render_outcome(outcome: Any, paths: Any, *, as_json: bool, verb: str) -> None:
    """Print what changed: ``+ name version``, ``~ name old → new``, ``- name version``."""
    _warn_skipped(outcome.skipped_checks)
    if as_json:
        print_json(outcome_json(outcome, paths))
        return
    out = sys.stdout
    for change in outcome.changes:
        if change.old is None:
            out.write(f"+ {change.name} {change.new}\n")
        elif change.new is None:
            out.write(f"- {change.name} {change.old}\n")
        else:
            out.write(f"~ {change.name} {change.old} → {change.new}\n")
            if change.added:
                _permission_note(change)
    count = len(outcome.lock.skills)
    if outcome.up_to_date and not outcome.changes:
        out.write(f"Already up to date ({count} skill{'s' if count != 1 else ''}).\n")
        return
    where = ", ".join([".agents/skills", *outcome.mirrors])
    if verb == "Removed":
        gone = sum(1 for c in outcome.changes if c.new is None)
        out.write(f"Removed {gone} skill{'s' if gone != 1 else ''}; {count} remain in {where}.\n")
    else:
        out.write(f"{verb} {count} skill{'s' if count != 1 else ''} into {where}.\n")


def _warn_skipped(skipped: Any) -> None:
    """Say loudly, on standard error (also with --json), which checks an offline install
    could not make."""
    if not skipped:
        return
    lines = [f"warning: offline install: {len(skipped)} registry check(s) were NOT made:"]
    lines += [f"  - {item}" for item in skipped]
    lines.append("  run `tank install` with the registry reachable to make them.")
    text = "\n".join(lines)
    if sys.stderr.isatty() and not os.environ.get("NO_COLOR"):
        text = f"\x1b[1;33m{text}\x1b[0m"
    sys.stderr.write(text + "\n")


def _permission_note(change: Any) -> None:
    """Say which permissions an updated skill gained; escalations stand out (red on a TTY)."""
    dangerous = change.permissions == "additive_dangerous"
    label = "ESCALATION: now asks for" if dangerous else "now also asks for"
    text = f"    {label} {'; '.join(change.added)}"
    if dangerous and sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        text = f"\x1b[1;31m{text}\x1b[0m"
    sys.stdout.write(text + "\n")


def can_prompt(*, as_json: bool, frozen: bool, no_input: bool) -> bool:
    """Whether a question may be asked: stdin and stdout are terminals, ``CI`` is not set,
    and neither ``--json``, ``--frozen`` nor ``--no-input`` says otherwise."""
    from tank.client.project import is_ci

    if as_json or frozen or no_input or is_ci():
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def budget_prompt(progress: Any, *, as_json: bool, frozen: bool, no_input: bool) -> Any:
    """The ``Options.widen_budget`` callback: list every violation, ask once (default no).

    ``None`` when no question may be asked (see :func:`can_prompt`): the install then fails
    with every violation listed, as it always does in CI.
    """
    if not can_prompt(as_json=as_json, frozen=frozen, no_input=no_input):
        return None

    def ask(violations: Any) -> bool:
        from tank.cli.progress_view import close_progress
        from tank.cli.render_skill import safe_text

        close_progress(progress)  # a progress bar must not draw over the question
        count = len(violations)
        out = sys.stdout
        out.write(f"{count} permission{'s' if count != 1 else ''} exceed the project's budget:\n")
        for violation in violations:
            out.write(f"  {safe_text(violation)}\n")
        out.flush()
        try:
            return click.confirm("Widen the budget in skills.json to allow these?", default=False)
        except click.exceptions.Abort:  # EOF or Ctrl-C: no
            out.write("\n")
            return False

    return ask
