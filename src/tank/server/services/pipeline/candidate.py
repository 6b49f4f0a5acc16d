"""What the pipeline works on: the raw upload, and the candidate version each stage fills in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tank.core.integrity import FileEntry
from tank.core.manifest import Manifest
from tank.core.skillmd import SkillDoc
from tank.core.unpack import Member


@dataclass(frozen=True, slots=True)
class Upload:
    """A publish request as received: the tarball bytes and the optional form fields.

    ``claimed_*`` are what the client says the tarball holds; the registry never relies on
    them, it only refuses an upload that contradicts its own reading of the content.
    """

    data: bytes
    signature: str | None = None
    claimed_name: str | None = None
    claimed_version: str | None = None
    claimed_integrity: str | None = None
    private: bool | None = None


@dataclass(slots=True)
class Candidate:
    """A version being published; every stage adds what it learned."""

    upload: Upload
    # validate
    members: list[Member] = field(default_factory=list)
    skill: SkillDoc | None = None
    manifest: Manifest | None = None
    name: str = ""
    version: str = ""
    integrity: str = ""
    files: tuple[FileEntry, ...] = ()
    unpacked_size: int = 0
    reproducible: bool = False
    skill_md: str = ""
    # analyze
    verdict: str = "pass"
    findings: list[dict[str, Any]] = field(default_factory=list)
    # permissions
    permissions: dict[str, Any] = field(default_factory=dict)
    dependencies: dict[str, str] = field(default_factory=dict)
    # score
    audit_score: float = 0.0
    score_breakdown: dict[str, Any] = field(default_factory=dict)
    # sign
    signature: str | None = None

    @property
    def scope(self) -> str:
        """``@acme/pdf`` → ``acme``."""
        return self.name.split("/", 1)[0].lstrip("@")

    @property
    def data(self) -> bytes:
        """The bytes the registry stores and serves: exactly what was uploaded."""
        return self.upload.data
