"""Shared options and rendering for the commands that change installed skills."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tank.cli.git_view import git_files, warn_moved_tags
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


def recovery_printer(paths: Any) -> Callable[[Any], None]:
    """The ``Options.on_recover`` callback: say on stderr what the rollback restored and
    which edited files it kept."""

    def show(path: Path) -> str:
        try:
            return str(path.relative_to(paths.meta_root))
        except ValueError:
            return str(path)

    def report(recovery: Any) -> None:
        err = sys.stderr
        restored = sorted(show(p) for p in recovery.restored)
        done = [f"{recovery.undone} folder(s)/link(s) put back"] if recovery.undone else []
        if restored:
            done.append("restored " + ", ".join(restored))
        err.write(
            "Rolled back an interrupted install"
            + (": " + "; ".join(done) if done else " (it had changed nothing yet)")
            + ".\n"
        )
        for path in recovery.kept:
            err.write(
                f"Kept {show(path)}: it was edited after the interrupted install wrote it, "
                "so your version stays (check it)\n"
            )

    return report


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
                "unsafe_override": (
                    s.meta.unsafe_override.to_json() if s.meta.unsafe_override else None
                ),
            }
            for s in outcome.lock.skills
        ],
        "unsafe_overrides": [
            {"skill": o.key, "path": o.spec, "rules": list(o.rules), "recorded": o.recorded}
            for o in outcome.overridden
        ],
        "home_and_network": [
            {"skill": key, "reads": list(reads), "outbound": list(hosts)}
            for key, reads, hosts in home_and_network(outcome.lock)
        ],
        "linked_into": [str(Path(m)) for m in outcome.mirrors],
        "permission_budget_check": outcome.lock.permission_budget_check.value,
        "yanked": list(outcome.yanked),
        "git_moves": [m.to_json() for m in outcome.git_moves],
        "permissions_granted": [{"permission": p, "item": i} for p, i in outcome.granted],
        "budget": outcome.budget,
        "offline_skipped_checks": list(outcome.skipped_checks),
        "unlogged_registries": list(outcome.unlogged),
        "repaired": [r.to_json() for r in outcome.repaired],
        "unsigned_metadata_registries": list(outcome.unsigned),
    }


def render_outcome(outcome: Any, paths: Any, *, as_json: bool, verb: str) -> None:
    """Print what changed: ``+ name version``, ``~ name old → new``, ``- name version``."""
    for key in outcome.yanked:  # PEP 592: installed because asked for exactly, but said
        sys.stderr.write(
            f"warning: {key} was yanked by its publisher (`tank info {key}` says why); it is "
            "installed only because it is locked or pinned exactly: `tank update` moves off it\n"
        )
    _warn_skipped(outcome.skipped_checks)
    for url in outcome.unlogged:
        sys.stderr.write(
            f"warning: the registry at {url} serves no transparency log: nothing proves it "
            "shows everyone the same versions (it is refused if it ever stops serving one)\n"
        )
    for url in outcome.unsigned:
        sys.stderr.write(
            f"warning: the registry at {url} serves unsigned skill documents: nothing proves "
            "they are current or unmodified (it is refused if it ever serves unsigned ones "
            "after signed ones)\n"
        )
    _warn_unsafe(outcome.overridden)
    _warn_home_and_network(outcome.lock)
    warn_moved_tags(outcome.git_moves)
    if as_json:
        print_json(outcome_json(outcome, paths))
        return
    out = sys.stdout
    render_repairs(outcome.repaired, out)
    for change in outcome.changes:
        if change.old is None:
            out.write(f"+ {change.name} {change.new}\n")
        elif change.new is None:
            out.write(f"- {change.name} {change.old}\n")
        else:
            out.write(f"~ {change.name} {change.old} → {change.new}\n")
            if change.added:
                _permission_note(change)
            git_files(outcome.git_moves, change.name, out)
    _granted_note(outcome)
    count = len(outcome.lock.skills)
    if outcome.up_to_date and not outcome.changes:
        out.write(f"Already up to date ({count} skill{'s' if count != 1 else ''}).\n")
        return
    folders = [".agents/skills", *outcome.mirrors]
    if paths.is_global:  # relative names would read as folders of the current directory
        folders = [str(paths.link_root / f) for f in folders]
    where = ", ".join(folders)
    # Count what changed, not what is installed: "Updated 3 skills" for one change misleads.
    gone = sum(1 for c in outcome.changes if c.new is None)
    done = len(outcome.changes) - gone
    if verb == "Removed" or (gone and not done):
        out.write(f"Removed {_skills(gone)}; {count} remain in {where}.\n")
    elif not outcome.changes:
        out.write(f"{_skills(count)} in place in {where}.\n")
    else:
        also = f" and removed {gone}" if gone else ""
        out.write(f"{verb} {_skills(done)}{also}; {count} in {where}.\n")


def render_repairs(repairs: Any, out: Any) -> None:
    """``Repaired @acme/pdf 1.0.0 (.agents/skills/pdf): restored a.py (modified), …``."""
    from tank.cli.render_skill import safe_text

    for repair in repairs:
        where = f".agents/skills/{repair.folder}"
        out.write(safe_text(f"Repaired {repair.name} {repair.version} ({where}):") + "\n")
        for line in repair.lines():
            out.write(safe_text(f"    {line}") + "\n")


def _skills(count: int) -> str:
    return f"{count} skill{'s' if count != 1 else ''}"


def _granted_note(outcome: Any) -> None:
    """What the install lets the project's skills do that they could not before, and what
    became of the budget (recorded on a first install, widened on request)."""
    out = sys.stdout
    if outcome.granted or outcome.budget in ("recorded", "widened"):
        items = "; ".join(f"{p} {i}" for p, i in outcome.granted) or "none"
        out.write(f"Permissions granted: {items}\n")
    elif outcome.changes and any(c.new is not None for c in outcome.changes):
        out.write("Permissions granted: none new\n")
    if outcome.budget == "recorded":
        out.write(
            "    recorded as the project's budget in skills.json: an install needing more is "
            "refused until you widen it\n"
        )
    elif outcome.budget == "widened":
        out.write("    added to the project's budget in skills.json\n")
    elif outcome.budget == "none" and outcome.lock.skills:
        sys.stderr.write(
            "warning: skills.json declares no permission budget, so nothing was checked; "
            "run `tank install` without --frozen to record one\n"
        )


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
        from tank.client.policy import exceed_text

        close_progress(progress)  # a progress bar must not draw over the question
        out = sys.stdout
        out.write(f"{exceed_text(len(violations))}:\n")
        for violation in violations:
            out.write(f"  {safe_text(violation)}\n")
        out.flush()
        try:
            return click.confirm("Widen the budget in skills.json to allow these?", default=False)
        except click.exceptions.Abort:  # EOF or Ctrl-C: no
            out.write("\n")
            return False

    return ask


def _loud(text: str) -> None:
    """A warning on standard error (also with --json), bold red on a terminal."""
    if sys.stderr.isatty() and not os.environ.get("NO_COLOR"):
        text = f"\x1b[1;31m{text}\x1b[0m"
    sys.stderr.write(text + "\n")


def _warn_unsafe(overridden: Any) -> None:
    """Every skill from disk installed although its scan failed, every time it is installed."""
    for item in overridden:
        why = (
            "skills.lock records an --unsafe-allow-failing override for these exact bytes"
            if item.recorded
            else "--unsafe-allow-failing was given (recorded in skills.lock)"
        )
        _loud(
            f"WARNING: UNSAFE: {item.key} ({item.spec}) FAILED its security scan "
            f"({', '.join(item.rules) or 'fail'}) and is installed anyway: {why}. "
            f"`tank scan {item.spec}` shows the findings."
        )


def home_and_network(lock: Any) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """``(name@version, home globs, hosts)`` of locked skills that may read the whole home
    folder and reach the network: private files and a way out, shown at every install."""
    out = []
    for skill in lock.skills:
        perms = skill.meta.permissions
        if not perms.outbound or not any(g.startswith("~/") for g in perms.filesystem.read):
            continue
        from tank.scanner.combinations import broad_home_globs  # only for such a skill

        globs = broad_home_globs(perms)
        if globs:
            out.append((skill.key, tuple(globs), tuple(perms.outbound)))
    return out


def _warn_home_and_network(lock: Any) -> None:
    for key, globs, hosts in home_and_network(lock):
        _loud(
            f"warning: {key} may read your whole home folder ({', '.join(globs)}) AND send "
            f"data to {', '.join(hosts)}: keys, tokens and browser data are under your home. "
            "Install it only if you trust it with them (`tank scan --explain "
            "capability.home_and_network`)."
        )
