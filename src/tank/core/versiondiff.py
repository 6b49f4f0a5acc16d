"""The whole difference between two versions of a skill, as one JSON-ready document.

Shared by the registry (``GET /v1/skills/{name}/diff/{v1}/{v2}``) and the client
(``tank diff DIR`` compares a local folder with a published version without asking the
registry to diff), so both answer exactly the same shape::

    {"name", "from", "to",
     "permissions": {"added": {key: [items]}, "removed": {...}, "change": "additive_dangerous"},
     "interface": {"changes": [{"kind", "side", "pointer", "text"}]},
     "required_bump": {"level": "major", "reasons": [...]},
     "bump": {"actual": "patch", "satisfied": false, "suggested": "2.0.0"} | null,
     "files": {"added": [...], "removed": [...], "changed": [{"path", "kind", "diff"?, "note"?}]}}

``bump`` is null when ``to`` is not above ``from`` (a diff may go backwards).
"""

from __future__ import annotations

from typing import Any

from tank.core.bump import check_bump, interface_changes, required_bump
from tank.core.errors import ValidationError
from tank.core.filediff import Files, diff_files
from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.manifest_model import Manifest
from tank.core.permissions import classify_change, diff
from tank.core.semver import parse_version
from tank.core.skillmd import Mode

__all__ = ["manifest_of", "version_diff"]


def manifest_of(raw: object, *, label: str) -> Manifest:
    """A stored or packed skills.json object read back as a :class:`Manifest`.

    Read leniently (the rules may have grown since it was published), but permissions still
    fail closed: a manifest that no longer parses raises :class:`ValidationError`.
    """
    if not isinstance(raw, dict):
        raise ValidationError(
            f"the manifest of {label} is not a JSON object", code="manifest_unreadable"
        )
    manifest, report = parse_manifest(
        raw, file=f"{label}/skills.json", kind=ManifestKind.PACKAGE, mode=Mode.LENIENT
    )
    if manifest is None:
        first = report.errors[0] if report.errors else None
        raise ValidationError(
            f"the manifest of {label} cannot be read: {first.message if first else 'invalid'}",
            code="manifest_unreadable",
            hint="report this to the registry administrator",
        )
    return manifest


def version_diff(
    name: str,
    old_version: str,
    new_version: str,
    old: Manifest,
    new: Manifest,
    old_files: Files,
    new_files: Files,
) -> dict[str, Any]:
    """The diff document of ``name`` from ``old_version`` to ``new_version`` (module docs)."""
    requirement = required_bump(old, new)
    before, after = parse_version(old_version), parse_version(new_version)
    bump: dict[str, Any] | None = None
    if after > before:
        check = check_bump(before, after, requirement)
        bump = {
            "actual": check.actual.text,
            "satisfied": check.ok,
            "suggested": str(check.suggested),
        }
    return {
        "name": name,
        "from": old_version,
        "to": new_version,
        "permissions": {
            **diff(old.permissions, new.permissions).as_dict(),
            "change": str(classify_change(old.permissions, new.permissions)),
        },
        "interface": {"changes": [c.as_dict() for c in interface_changes(old, new)]},
        "required_bump": requirement.as_dict(),
        "bump": bump,
        "files": diff_files(old_files, new_files).as_dict(),
    }
