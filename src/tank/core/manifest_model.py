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
    #: Project only: skills that do not come from a registry, by package name: from the
    #: local disk, ``"file:<path>"`` in skills.json (a folder or a .tgz, relative to the
    #: project; the path is kept), or from git (``"github:…"``, ``"git+…"``: kept whole).
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


def with_local_dependency(
    manifest: Manifest, name: str, path: str, *, prefix: str = LOCAL_PREFIX
) -> Manifest:
    """A copy depending on ``name`` from the local ``path`` (``"file:<path>"`` in
    skills.json); ``prefix=""`` writes a git source (``github:…``) as it is."""
    if not is_package_name(name):
        raise ValidationError(
            f"'{name}' is not a skill package name", code="manifest.skills.name_invalid"
        )
    raw = manifest.to_json()
    deps: dict[str, Any] = dict(raw.get("skills") or {})
    was_sorted = list(deps) == sorted(deps)
    deps[name] = f"{prefix}{path}"
    if was_sorted:
        deps = dict(sorted(deps.items()))
    raw = _insert_key(raw, "skills", deps)
    skills = {k: v for k, v in manifest.skills.items() if k != name}
    local = {**manifest.local, name: path}
    return replace(manifest, skills=skills, local=local, raw=raw)


def with_dependency(manifest: Manifest, name: str, range_text: str) -> Manifest:
    """Module-level spelling of :meth:`Manifest.with_dependency`."""
    return manifest.with_dependency(name, range_text)


def with_agents(manifest: Manifest, names: Iterable[str]) -> Manifest:
    """A copy of a project's ``manifest`` whose ``agents`` also holds ``names`` (appended in
    order, those already listed skipped). A package never chooses agents: a ValidationError."""
    if manifest.kind is ManifestKind.PACKAGE:
        raise ValidationError(
            "a skill package's skills.json cannot choose agents",
            code="manifest.key.project_only",
            hint="run the install in a project folder (or with -g)",
        )
    agents = list(manifest.agents)
    agents += [n for n in dict.fromkeys(names) if n not in agents]
    if tuple(agents) == manifest.agents:
        return manifest
    raw = _insert_key(manifest.to_json(), "agents", agents)
    return replace(manifest, agents=tuple(agents), raw=raw)


def dump_manifest(manifest: Manifest, *, indent: int | str = 2) -> str:
    """The manifest as skills.json text: 2-space indent (or ``indent``, see
    :func:`detect_indent`), UTF-8 characters kept, final newline."""
    return json.dumps(manifest.to_json(), indent=indent, ensure_ascii=False) + "\n"


def detect_indent(text: str) -> int | str:
    """The indentation unit of a JSON document as its author wrote it (``"    "``, ``"\\t"``);
    2 when it has no indented line (one-line files get the project's default)."""
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and stripped != line:
            return line[: len(line) - len(stripped)]
    return 2


def with_widened_permissions(manifest: Manifest, widened: Permissions) -> Manifest:
    """A copy whose ``permissions`` (the budget) are ``widened``, a superset of the current ones.

    The user's JSON is edited, not regenerated: existing keys and list entries keep their
    order and spelling, missing entries are appended, flags are set, and the rate limit is set
    or dropped, so the diff shows only what was added. Raises :class:`ValueError` when the
    result would not be exactly ``widened`` (it must only add).
    """
    from tank.core.permissions import canonical_domain, canonical_path_glob, canonical_secret

    raw = manifest.to_json()
    perms = raw.get("permissions")
    perms = dict(perms) if isinstance(perms, dict) else {}

    def section(key: str) -> dict[str, Any]:
        value = perms.get(key)
        perms[key] = dict(value) if isinstance(value, dict) else {}
        return perms[key]  # type: ignore[no-any-return]

    def extend(holder: dict[str, Any], key: str, items: tuple[str, ...], canon: Any) -> None:
        current = holder.get(key)
        existing = list(current) if isinstance(current, list) else []
        have = {canon(item) for item in existing}
        added = [item for item in items if item not in have]
        if added or key in holder:
            holder[key] = existing + added

    if widened.network is not None:
        network = section("network")
        extend(network, "outbound", widened.network.outbound, canonical_domain)
        if widened.network.inbound:
            network["inbound"] = True
        if widened.network.max_requests_per_minute is None:
            network.pop("max_requests_per_minute", None)
        else:
            network["max_requests_per_minute"] = widened.network.max_requests_per_minute
    if not widened.filesystem.is_empty:
        filesystem = section("filesystem")
        extend(filesystem, "read", widened.filesystem.read, canonical_path_glob)
        extend(filesystem, "write", widened.filesystem.write, canonical_path_glob)
    if widened.subprocess:
        perms["subprocess"] = True
    if widened.secrets:
        extend(perms, "secrets", widened.secrets, canonical_secret)
    result = Permissions.from_json(perms)
    if result != widened:
        raise ValueError("the budget can only be widened, not narrowed")
    return replace(manifest, permissions=result, raw=_insert_key(raw, "permissions", perms))


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
