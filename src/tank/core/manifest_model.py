"""The skills.json value: :class:`Manifest` and the edits ``tank install`` makes to it.

Parsing and validation are in :mod:`tank.core.manifest`, which re-exports everything here.
Writing keeps the user's file as they wrote it: their key order, their unknown-but-allowed keys
(``$schema``), 2-space indent and a final newline, so an install changes one line of the diff.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from tank.core.errors import ValidationError
from tank.core.manifest_rules import is_package_name
from tank.core.permissions import Permissions
from tank.core.semver import Range, Version, parse_range

LOCAL_PREFIX = "file:"


class ManifestKind(StrEnum):
    """What a skills.json describes. AUTO decides from the content (see :func:`parse_manifest`)."""

    PACKAGE = "package"
    PROJECT = "project"
    AUTO = "auto"


@dataclass(frozen=True, slots=True)
class AuditPolicy:
    """A project's audit requirements for what it installs."""

    min_score: float | None = None
    require_signing: bool = False


@dataclass(frozen=True, slots=True)
class Interface:
    """A structured skill's JSON Schemas (Draft 2020-12) of what it takes and returns."""

    inputs: dict[str, Any] | None = None
    outputs: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    """A validated skills.json. ``raw`` is the JSON object as read, in the user's key order."""

    kind: ManifestKind
    name: str | None
    version: Version | None
    description: str | None
    license: str | None
    repository: str | None
    keywords: tuple[str, ...]
    skills: dict[str, Range]
    permissions: Permissions
    interface: Interface | None
    run: str | None
    audit: AuditPolicy | None
    agents: tuple[str, ...]
    registries: dict[str, str]
    raw: dict[str, Any]
    #: Project only: skills installed from the local disk, ``"file:<path>"`` in skills.json
    #: (a folder or a .tgz, relative to the project), by package name.
    local: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The manifest as a JSON object: the user's keys, in the user's order (a copy)."""
        return copy.deepcopy(self.raw)

    def with_dependency(self, name: str, range_text: str) -> Manifest:
        """A copy with ``name`` depending on ``range_text`` (added, or replacing the old range).

        Raises :class:`ValidationError` for a bad name and :class:`VersionError` for a bad range.
        """
        if not is_package_name(name):
            raise ValidationError(
                f"'{name}' is not a skill package name",
                code="manifest.skills.name_invalid",
                hint="Use '@scope/name' with lower case letters, digits and '-'.",
            )
        parsed = parse_range(range_text)
        raw = self.to_json()
        deps: dict[str, Any] = dict(raw.get("skills") or {})
        # Keep the user's order, but keep a sorted list sorted (npm sorts dependencies).
        was_sorted = list(deps) == sorted(deps)
        deps[name] = range_text
        if was_sorted:
            deps = dict(sorted(deps.items()))
        raw = _insert_key(raw, "skills", deps)
        skills = dict(self.skills)
        skills[name] = parsed
        return replace(self, skills={k: skills[k] for k in deps}, raw=raw)


def without_dependencies(manifest: Manifest, names: Iterable[str]) -> Manifest:
    """A copy of ``manifest`` no longer depending on ``names`` (absent names are ignored)."""
    drop = set(names)
    raw = manifest.to_json()
    if isinstance(raw.get("skills"), dict):
        raw["skills"] = {k: v for k, v in raw["skills"].items() if k not in drop}
    skills = {k: v for k, v in manifest.skills.items() if k not in drop}
    local = {k: v for k, v in manifest.local.items() if k not in drop}
    return replace(manifest, skills=skills, local=local, raw=raw)


def with_local_dependency(manifest: Manifest, name: str, path: str) -> Manifest:
    """A copy depending on ``name`` from the local ``path`` (``"file:<path>"`` in skills.json)."""
    if not is_package_name(name):
        raise ValidationError(
            f"'{name}' is not a skill package name", code="manifest.skills.name_invalid"
        )
    raw = manifest.to_json()
    deps: dict[str, Any] = dict(raw.get("skills") or {})
    was_sorted = list(deps) == sorted(deps)
    deps[name] = f"{LOCAL_PREFIX}{path}"
    if was_sorted:
        deps = dict(sorted(deps.items()))
    raw = _insert_key(raw, "skills", deps)
    skills = {k: v for k, v in manifest.skills.items() if k != name}
    local = {**manifest.local, name: path}
    return replace(manifest, skills=skills, local=local, raw=raw)


def with_dependency(manifest: Manifest, name: str, range_text: str) -> Manifest:
    """Module-level spelling of :meth:`Manifest.with_dependency`."""
    return manifest.with_dependency(name, range_text)


def dump_manifest(manifest: Manifest) -> str:
    """The manifest as skills.json text: 2-space indent, UTF-8 characters kept, final newline."""
    return json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n"


def _insert_key(raw: dict[str, Any], key: str, value: object) -> dict[str, Any]:
    """``raw`` with ``key`` set; a new key goes before the permission and project sections."""
    if key in raw:
        raw[key] = value
        return raw
    out: dict[str, Any] = {}
    later = ("permissions", "interface", "run", "audit", "agents", "registries")
    for existing, item in raw.items():
        if existing in later and key not in out:
            out[key] = value
        out[existing] = item
    out.setdefault(key, value)
    return out
