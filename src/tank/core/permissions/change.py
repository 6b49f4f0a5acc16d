"""What changed between two versions' permissions, and how big a bump that demands.

Enforced semver (product brief): a new *dangerous* permission needs a MAJOR bump, a new
non-dangerous one a MINOR bump. :func:`classify_change` says which kind of change it is;
the publish pipeline maps that to the required bump.

Classification compares meaning, not spelling: an entry counts as added only when nothing in
the old set covers it (adding ``api.acme.dev`` next to ``*.acme.dev`` adds nothing), and as
removed only when nothing in the new set covers it. :func:`diff` compares spelling (the exact
entries added and removed) for display, e.g. by ``tank diff``.

* ADDITIVE_DANGEROUS: an outbound host not covered before, inbound false → true, or
  subprocess false → true.
* ADDITIVE: a read/write path or a secret not covered before, or a higher (or removed) rate
  limit. A rate limit is a bound on an already granted, already dangerous permission, so
  raising it is a widening but not a new dangerous permission.
* REMOVAL: only narrowing. NONE: the same meaning. With additions and removals together,
  the addition decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from tank.core.permissions.domains import domain_covered
from tank.core.permissions.model import Permissions
from tank.core.permissions.paths import path_covered


class PermissionChange(StrEnum):
    """The kind of permission change between two versions, from harmless to dangerous."""

    NONE = "none"
    REMOVAL = "removal"
    ADDITIVE = "additive"
    ADDITIVE_DANGEROUS = "additive_dangerous"


#: Permission keys in the order diffs are reported (alphabetical, as in the canonical JSON).
PERMISSION_KEYS = (
    "filesystem.read",
    "filesystem.write",
    "network.inbound",
    "network.max_requests_per_minute",
    "network.outbound",
    "secrets",
    "subprocess",
)


def _entries(p: Permissions) -> dict[str, tuple[str, ...]]:
    """Each permission of ``p`` as a tuple of display strings (flags as ``"true"``)."""
    rate: tuple[str, ...] = ()
    if p.network is not None:
        limit = p.max_requests_per_minute
        rate = ("unlimited",) if limit is None else (str(limit),)
    return {
        "filesystem.read": p.filesystem.read,
        "filesystem.write": p.filesystem.write,
        "network.inbound": ("true",) if p.inbound else (),
        "network.max_requests_per_minute": rate,
        "network.outbound": p.outbound,
        "secrets": p.secrets,
        "subprocess": ("true",) if p.subprocess else (),
    }


@dataclass(frozen=True, slots=True)
class DiffEntry:
    """One entry added or removed: the permission key and the entry as text."""

    permission: str
    item: str


@dataclass(frozen=True, slots=True)
class PermissionDiff:
    """Entries added and removed between two permission sets, in :data:`PERMISSION_KEYS` order.

    A changed rate limit shows as the old value removed and the new one added; a limit of
    ``"unlimited"`` means network access with no declared limit.
    """

    added: tuple[DiffEntry, ...]
    removed: tuple[DiffEntry, ...]

    @property
    def is_empty(self) -> bool:
        """True when the two sets are spelt identically."""
        return not self.added and not self.removed

    def as_dict(self) -> dict[str, dict[str, list[str]]]:
        """JSON-ready: ``{"added": {key: [items]}, "removed": {…}}``, empty keys left out."""
        out: dict[str, dict[str, list[str]]] = {"added": {}, "removed": {}}
        for side, entries in (("added", self.added), ("removed", self.removed)):
            for entry in entries:
                out[side].setdefault(entry.permission, []).append(entry.item)
        return out


def diff(old: Permissions, new: Permissions) -> PermissionDiff:
    """The exact entries added in ``new`` and removed from ``old``."""
    before, after = _entries(old), _entries(new)
    added: list[DiffEntry] = []
    removed: list[DiffEntry] = []
    for key in PERMISSION_KEYS:
        added.extend(DiffEntry(key, x) for x in after[key] if x not in before[key])
        removed.extend(DiffEntry(key, x) for x in before[key] if x not in after[key])
    return PermissionDiff(tuple(added), tuple(removed))


def _uncovered(
    items: tuple[str, ...], by: tuple[str, ...], covered: Callable[[str, str], bool]
) -> bool:
    """Whether some entry of ``items`` is covered by no entry of ``by``."""
    return any(not any(covered(item, other) for other in by) for item in items)


def _rate_widened(old: Permissions, new: Permissions) -> bool:
    """Whether ``new`` may send more requests per minute than ``old`` (both networked)."""
    if old.network is None or new.network is None:
        return False
    before, after = old.max_requests_per_minute, new.max_requests_per_minute
    if before is None:
        return False
    return after is None or after > before


def _widens(old: Permissions, new: Permissions) -> PermissionChange:
    """NONE, ADDITIVE or ADDITIVE_DANGEROUS: how ``new`` asks for more than ``old``."""
    if (
        _uncovered(new.outbound, old.outbound, domain_covered)
        or (new.inbound and not old.inbound)
        or (new.subprocess and not old.subprocess)
    ):
        return PermissionChange.ADDITIVE_DANGEROUS
    if (
        _uncovered(new.filesystem.read, old.filesystem.read, path_covered)
        or _uncovered(new.filesystem.write, old.filesystem.write, path_covered)
        or any(secret not in old.secrets for secret in new.secrets)
        or _rate_widened(old, new)
    ):
        return PermissionChange.ADDITIVE
    return PermissionChange.NONE


def classify_change(old: Permissions, new: Permissions) -> PermissionChange:
    """Classify going from ``old`` to ``new`` permissions (see the module docs)."""
    widened = _widens(old, new)
    if widened is not PermissionChange.NONE:
        return widened
    # Nothing new: if old asks for anything new does not, permissions were removed.
    if _widens(new, old) is not PermissionChange.NONE:
        return PermissionChange.REMOVAL
    return PermissionChange.NONE
