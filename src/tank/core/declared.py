"""What a tarball says about itself, and whether that matches what the client was told.

The lockfile entry of a registry skill is built from the registry's document: its name,
version, permissions and dependency ranges. The budget check and the lockfile both rest on
that document, so a registry that lies about a tarball (``permissions: {}`` for a skill that
declares network and subprocess, or another package's tarball under the requested name)
would be believed. After unpacking, the client reads the tarball's own SKILL.md and
skills.json into a :class:`Declared` (once per unpacked tree; it is cached with the tree) and
:func:`mismatches` lists every difference from the lock entry: the install refuses on any.

Pure: bytes in, values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tank.core.errors import VersionError, errors_of
from tank.core.lockfile import LockedSkill
from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.permissions import parse_permissions
from tank.core.semver import parse_range, parse_version
from tank.core.skillfolder import MANIFEST, SKILL_MD, decode_utf8
from tank.core.skillmd import Mode, parse_skill_md


@dataclass(frozen=True, slots=True)
class Declared:
    """The identity, permissions and dependencies a skill folder declares.

    ``problem`` says why the folder could not be read (no SKILL.md, no skills.json, a
    manifest that does not validate); the other fields are then empty.
    """

    name: str | None = None  # skills.json "name"
    skill_name: str | None = None  # SKILL.md frontmatter "name"
    version: str | None = None
    permissions: dict[str, Any] = field(default_factory=dict)  # canonical JSON form
    dependencies: dict[str, str] = field(default_factory=dict)  # name -> range as written
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON object :meth:`from_json` reads back (stored with the unpacked tree)."""
        return {
            "name": self.name,
            "skill_name": self.skill_name,
            "version": self.version,
            "permissions": self.permissions,
            "dependencies": self.dependencies,
            "problem": self.problem,
        }

    @classmethod
    def from_json(cls, raw: object) -> Declared | None:
        """Read :meth:`to_json`'s output; ``None`` when it is not that shape."""
        if not isinstance(raw, Mapping):
            return None
        texts = [raw.get(k) for k in ("name", "skill_name", "version", "problem")]
        perms, deps = raw.get("permissions"), raw.get("dependencies")
        if not all(t is None or isinstance(t, str) for t in texts):
            return None
        if not isinstance(perms, dict) or not isinstance(deps, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in deps.items()):
            return None
        name, skill_name, version, problem = texts
        return cls(name, skill_name, version, perms, dict(deps), problem)


def read_declared(files: Mapping[str, bytes]) -> Declared:
    """Read SKILL.md and skills.json from ``files`` (other entries are ignored).

    Lenient, as installing third-party skills is: descriptive keys may be off, but anything
    that changes what is installed or granted must read cleanly.
    """
    if SKILL_MD not in files:
        return Declared(problem="the tarball has no SKILL.md at its root")
    if MANIFEST not in files:
        return Declared(problem="the tarball has no skills.json")
    skill_text, bad = decode_utf8(files[SKILL_MD], file=SKILL_MD)
    manifest_text, bad_manifest = decode_utf8(files[MANIFEST], file=MANIFEST)
    if skill_text is None or manifest_text is None:
        return Declared(problem=str(bad or bad_manifest))
    skill, skill_report = parse_skill_md(skill_text, file=SKILL_MD, mode=Mode.LENIENT)
    manifest, report = parse_manifest(
        manifest_text, file=MANIFEST, kind=ManifestKind.PACKAGE, mode=Mode.LENIENT
    )
    if manifest is None or skill is None:
        errors = errors_of((*skill_report.problems, *report.problems))
        return Declared(problem=str(errors[0]) if errors else "the manifest cannot be read")
    return Declared(
        name=manifest.name,
        skill_name=skill.name,
        version=str(manifest.version) if manifest.version is not None else None,
        permissions=manifest.permissions.to_json(),
        dependencies={n: r.raw for n, r in sorted(manifest.skills.items())},
    )


def mismatches(declared: Declared, locked: LockedSkill) -> list[str]:
    """Every way the tarball's own manifests differ from its lock entry, as
    ``what: the lockfile/registry says X, the tarball says Y`` lines; empty when they agree.

    The lock entry carries what the registry's document claimed (permissions, dependency
    ranges as resolved) or what skills.lock recorded, so one comparison covers both.
    """
    if declared.problem is not None:
        return [f"the tarball cannot be read: {declared.problem}"]
    out: list[str] = []
    short = locked.name.split("/", 1)[-1]
    if declared.name != locked.name:
        out.append(f"name: expected {locked.name}, the tarball's skills.json says {declared.name}")
    if declared.skill_name != short:
        out.append(f"skill name: expected {short!r}, SKILL.md says {declared.skill_name!r}")
    if _version(declared.version) != locked.version:
        out.append(f"version: expected {locked.version}, skills.json says {declared.version}")
    claimed = locked.meta.permissions.to_json()
    actual, problems = parse_permissions(declared.permissions, file=MANIFEST)
    if problems or actual.to_json() != claimed:
        out.append(
            f"permissions: the lock entry grants {_json(claimed)}, "
            f"the tarball declares {_json(declared.permissions)}"
        )
    out.extend(_dependency_mismatches(declared.dependencies, dict(locked.dependencies)))
    return out


def _dependency_mismatches(ranges: Mapping[str, str], locked: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for name in sorted(set(ranges) | set(locked)):
        if name not in locked:
            out.append(f"dependencies: the tarball needs {name} {ranges[name]}, not locked")
        elif name not in ranges:
            out.append(f"dependencies: {name} is locked, the tarball does not depend on it")
        else:
            try:
                inside = parse_range(ranges[name]).contains(locked[name])
            except VersionError:
                inside = False
            if not inside:
                out.append(
                    f"dependencies: {name} is locked at {locked[name]}, "
                    f"the tarball asks for {ranges[name]}"
                )
    return out


def _version(text: str | None) -> object:
    try:
        return parse_version(text) if text is not None else None
    except VersionError:
        return None


def _json(value: object) -> str:
    import json

    return json.dumps(value, sort_keys=True, separators=(",", ":"))
