"""Enforced semver: the bump a change demands, and whether a version number gives it.

The product brief's table, as code:

=============================================  =========
change                                          bump
=============================================  =========
bug fix, no schema or permission change         PATCH
new backward-compatible interface feature       MINOR
new non-dangerous permission (read, secret...)  MINOR
breaking interface change                       MAJOR
new dangerous permission (network, subprocess)  MAJOR
=============================================  =========

:func:`required_bump` derives the level and one human reason per cause from two manifests;
:func:`check_bump` says whether going from one version number to another is enough.

Versions below 1.0.0 follow Cargo's convention: in ``0.y.z`` a change of ``y`` is the
"major" bump and a change of ``z`` the "minor"/"patch" one (``0.3.1 → 0.4.0`` may break,
``0.3.1 → 0.3.2`` may add features); in ``0.0.z`` every version may break (``0.0.3 → 0.0.4``
is a major bump), as ``^0.0.3`` matches ``0.0.3`` only. Prereleases are compared on their
``major.minor.patch`` alone: ``1.0.0 → 2.0.0-rc.1`` is a major bump.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from tank.core.interface_diff import ChangeKind, InterfaceChange, diff_interface
from tank.core.manifest_model import Manifest
from tank.core.permissions import (
    PermissionChange,
    Permissions,
    classify_change,
    domain_covered,
    path_covered,
)
from tank.core.semver import Version

__all__ = [
    "BumpCheck",
    "BumpLevel",
    "BumpRequirement",
    "actual_bump",
    "check_bump",
    "interface_changes",
    "next_version",
    "permission_reasons",
    "required_bump",
]


class BumpLevel(IntEnum):
    """A bump's size, ordered: PATCH < MINOR < MAJOR."""

    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        """``"MAJOR"``, ``"MINOR"`` or ``"PATCH"``."""
        return self.name

    @property
    def text(self) -> str:
        """``"major"``, ``"minor"`` or ``"patch"`` (the JSON spelling)."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class BumpRequirement:
    """The smallest bump a change allows, with one reason per cause (empty for PATCH)."""

    level: BumpLevel
    reasons: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: ``{"level": "major", "reasons": [...]}``."""
        return {"level": self.level.text, "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class BumpCheck:
    """Whether ``old → new`` gives the bump a change requires, and the version to use if not."""

    ok: bool
    actual: BumpLevel
    required: BumpLevel
    suggested: Version


def _uncovered(
    items: tuple[str, ...], by: tuple[str, ...], covered: Callable[[str, str], bool]
) -> list[str]:
    return [item for item in items if not any(covered(item, other) for other in by)]


def permission_reasons(old: Permissions, new: Permissions) -> tuple[BumpLevel, tuple[str, ...]]:
    """The level :func:`~tank.core.permissions.classify_change` demands and why, entry by entry.

    An entry counts as new only when nothing of ``old`` covers it (``api.acme.dev`` next to
    ``*.acme.dev`` adds nothing), exactly as the classification decides.
    """
    change = classify_change(old, new)
    if change not in (PermissionChange.ADDITIVE, PermissionChange.ADDITIVE_DANGEROUS):
        return BumpLevel.PATCH, ()
    danger = ", a dangerous permission"
    reasons = [
        f"adds network.outbound {host}{danger}"
        for host in _uncovered(new.outbound, old.outbound, domain_covered)
    ]
    if new.inbound and not old.inbound:
        reasons.append(f"adds network.inbound{danger}")
    if new.subprocess and not old.subprocess:
        reasons.append(f"adds subprocess{danger}")
    for key in ("read", "write"):
        paths = _uncovered(getattr(new.filesystem, key), getattr(old.filesystem, key), path_covered)
        reasons += [f"adds filesystem.{key} {path}" for path in paths]
    reasons += [f"adds secret {name}" for name in new.secrets if name not in old.secrets]
    if old.network is not None and new.network is not None:
        before, after = old.max_requests_per_minute, new.max_requests_per_minute
        if before is not None and (after is None or after > before):
            shown = "unlimited" if after is None else str(after)
            reasons.append(f"raises network.max_requests_per_minute from {before} to {shown}")
    dangerous = change is PermissionChange.ADDITIVE_DANGEROUS
    level = BumpLevel.MAJOR if dangerous else BumpLevel.MINOR
    return level, tuple(reasons) or ("widens the declared permissions",)


def interface_changes(old: Manifest, new: Manifest) -> tuple[InterfaceChange, ...]:
    """The interface changes from ``old`` to ``new`` (inputs first, then outputs)."""
    before, after = old.interface, new.interface
    return diff_interface(
        before.inputs if before else None,
        before.outputs if before else None,
        after.inputs if after else None,
        after.outputs if after else None,
    )


def required_bump(old: Manifest, new: Manifest) -> BumpRequirement:
    """The smallest bump from ``old`` to ``new``: the permission change and the interface
    change each demand a level (see the module table); the larger wins, reasons from both."""
    level, reasons = permission_reasons(old.permissions, new.permissions)
    all_reasons = list(reasons)
    for change in interface_changes(old, new):
        if change.kind is ChangeKind.BREAKING:
            level = BumpLevel.MAJOR
            all_reasons.append(f"breaks the interface {change.side}: {change.text}")
        else:
            level = max(level, BumpLevel.MINOR)
            all_reasons.append(f"extends the interface {change.side}: {change.text}")
    return BumpRequirement(level, tuple(all_reasons) if level > BumpLevel.PATCH else ())


def actual_bump(old: Version, new: Version) -> BumpLevel:
    """The largest change ``old → new`` may carry, by Cargo's rules below 1.0.0.

    Only ``major.minor.patch`` count; equal triples (prereleases of one release) give PATCH.
    Raises ``ValueError`` when ``new``'s triple is lower than ``old``'s.
    """
    if new.release < old.release:
        raise ValueError(f"{new} is not above {old}")
    if new.major != old.major:
        return BumpLevel.MAJOR
    if old.major == 0:
        if new.minor != old.minor or old.minor == 0:
            return BumpLevel.MAJOR if new.release != old.release else BumpLevel.PATCH
        return BumpLevel.MINOR if new.patch != old.patch else BumpLevel.PATCH
    if new.minor != old.minor:
        return BumpLevel.MINOR
    return BumpLevel.PATCH


def next_version(old: Version, level: BumpLevel) -> Version:
    """The smallest release above ``old`` whose bump is at least ``level`` (Cargo below 1.0)."""
    if old.major == 0 and old.minor == 0:
        return Version(0, 0, old.patch + 1)
    if old.major == 0:
        if level is BumpLevel.MAJOR:
            return Version(0, old.minor + 1, 0)
        return Version(0, old.minor, old.patch + 1)
    if level is BumpLevel.MAJOR:
        return Version(old.major + 1, 0, 0)
    if level is BumpLevel.MINOR:
        return Version(old.major, old.minor + 1, 0)
    return Version(old.major, old.minor, old.patch + 1)


def check_bump(old: Version, new: Version, requirement: BumpRequirement) -> BumpCheck:
    """Whether publishing ``new`` after ``old`` gives at least ``requirement.level``.

    ``suggested`` is the smallest version that would (when ``ok``, ``new`` itself).
    """
    actual = actual_bump(old, new)
    ok = actual >= requirement.level
    suggested = new if ok else next_version(old, requirement.level)
    return BumpCheck(ok, actual, requirement.level, suggested)
