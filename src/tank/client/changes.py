"""What an install, update or remove changed: per package, the version before and after, and
how its declared permissions changed (for the escalation notes the CLI prints); what the
project as a whole may now do that it could not before, and what became of its budget."""

from __future__ import annotations

from dataclasses import dataclass

from tank.client.state import InstallState
from tank.core.lockfile import Lockfile
from tank.core.manifest import Manifest
from tank.core.permissions import Permissions, classify_change, diff


@dataclass(frozen=True, slots=True)
class Change:
    """One skill whose installed version changes (``None``: added or removed).

    ``permissions`` classifies the change of declared permissions between the old and new
    version (``additive_dangerous`` is an escalation to network or subprocess);
    ``added`` lists the permission entries the new version asks for that the old did not.
    """

    name: str
    old: str | None
    new: str | None
    permissions: str = "none"
    added: tuple[str, ...] = ()


def changes_between(
    old: InstallState, new: InstallState, old_lock: Lockfile | None, lock: Lockfile
) -> tuple[Change, ...]:
    """Per package: the version before and after (only those that changed), and how its
    declared permissions changed (from the old lockfile's record to the new one's)."""
    before = {s.package: s.version for s in old.skills.values()}
    after = {s.package: s.version for s in new.skills.values()}
    out: list[Change] = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) == after.get(name):
            continue
        was = old_lock.get(name) if old_lock else None
        now = lock.get(name)
        kind: str = "none"
        added: tuple[str, ...] = ()
        if now is not None:
            old_perms = was.meta.permissions if was else Permissions.none()
            kind = classify_change(old_perms, now.meta.permissions).value
            found = diff(old_perms, now.meta.permissions).added
            added = tuple(f"{e.permission} {e.item}" for e in found)
        out.append(Change(name, before.get(name), after.get(name), kind, added))
    return tuple(out)


def granted(old: Lockfile | None, new: Lockfile) -> tuple[tuple[str, str], ...]:
    """``(permission, entry)`` pairs the installed skills together may use now and could not
    under the old lockfile (every one, on a first install)."""
    before = old.resolved_permissions if old is not None else Permissions.none()
    return tuple((e.permission, e.item) for e in diff(before, new.resolved_permissions).added)


def budget_change(before: Manifest, after: Manifest) -> str:
    """``recorded`` (a first budget), ``widened``, ``unchanged`` or ``none`` (still none)."""
    had = "permissions" in before.raw
    if after is not before:
        return "widened" if had else "recorded"
    return "unchanged" if had else "none"
