"""What Tank installed in a project: the install state file, ``.agents/.tank-install.json``.

It records, per skill folder, the package, version and integrity placed there, every link
made to it and a stamp (size, modification time, exec bit) of every file placed, plus digests
of the skills.json and skills.lock it was installed from. The stamps are this machine's, like
git's index: they let a no-op install notice an edited, added or deleted file with one
``stat`` per file (:mod:`tank.client.drift`); what the files must hold comes from the
tarball, never from this file. Tank only
ever changes folders and links listed here (it refuses to touch anything else), and a re-run
whose inputs match the recorded digests has nothing to do (the no-op fast path).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class InstalledSkill:
    """One skill folder Tank placed, and the links it made to it."""

    package: str
    version: str
    integrity: str
    links: tuple[str, ...] = ()
    #: ``path -> "size:mtime_ns:exec"`` of every file placed (empty: not recorded).
    stamps: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored for this skill."""
        return {
            "package": self.package,
            "version": self.version,
            "integrity": self.integrity,
            "links": list(self.links),
            "stamps": dict(sorted(self.stamps.items())),
        }


@dataclass(frozen=True, slots=True)
class InstallState:
    """The whole state: installed skills by folder name, and the inputs' digests."""

    skills: dict[str, InstalledSkill] = field(default_factory=dict)
    manifest_digest: str | None = None
    lock_digest: str | None = None
    mirrors: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON document."""
        return {
            "version": STATE_VERSION,
            "manifest_digest": self.manifest_digest,
            "lock_digest": self.lock_digest,
            "mirrors": list(self.mirrors),
            "skills": {k: v.to_json() for k, v in sorted(self.skills.items())},
        }


def digest(data: bytes | None) -> str | None:
    """SHA-256 hex of a file's bytes (``None`` for a missing file)."""
    return None if data is None else hashlib.sha256(data).hexdigest()


def read_state(path: Path) -> InstallState:
    """Read the state; a missing or unreadable file is an empty state (Tank owns nothing)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return InstallState()
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return InstallState()
    skills: dict[str, InstalledSkill] = {}
    for name, raw in (data.get("skills") or {}).items():
        with contextlib.suppress(KeyError, TypeError):
            skills[name] = InstalledSkill(
                str(raw["package"]),
                str(raw["version"]),
                str(raw["integrity"]),
                tuple(str(x) for x in raw.get("links", [])),
                _stamps(raw.get("stamps")),
            )
    return InstallState(
        skills,
        data.get("manifest_digest"),
        data.get("lock_digest"),
        tuple(str(x) for x in data.get("mirrors", [])),
    )


def _stamps(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items()}


def dump_state(state: InstallState) -> bytes | None:
    """The state file's bytes, or ``None`` when nothing is installed (no file)."""
    if not state.skills:
        return None
    return (json.dumps(state.to_json(), indent=2, sort_keys=True) + "\n").encode()
