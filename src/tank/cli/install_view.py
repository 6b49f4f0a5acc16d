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
    }


def render_outcome(outcome: Any, paths: Any, *, as_json: bool, verb: str) -> None:
    """Print what changed: ``+ name version``, ``~ name old → new``, ``- name version``."""
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


def _permission_note(change: Any) -> None:
    """Say which permissions an updated skill gained; escalations stand out (red on a TTY)."""
    dangerous = change.permissions == "additive_dangerous"
    label = "ESCALATION: now asks for" if dangerous else "now also asks for"
    text = f"    {label} {'; '.join(change.added)}"
    if dangerous and sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        text = f"\x1b[1;31m{text}\x1b[0m"
    sys.stdout.write(text + "\n")
