"""What the pipeline works on: the raw upload, and the candidate version each stage fills in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tank.core.advisories import AdvisoryDB
from tank.core.integrity import FileEntry
from tank.core.manifest import Manifest
from tank.core.signing import PublicKey
from tank.core.skillmd import SkillDoc
from tank.core.unpack import Member
from tank.scanner import RuleSet

if TYPE_CHECKING:
    from tank.server.services.pipeline.scoring import ScoreInputs


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


@dataclass(frozen=True, slots=True)
class Options:
    """What the stages take from the registry's configuration (never the database).

    ``advisories`` is the offline advisory database (None: none configured); ``rules`` the
    scanner's rule set (None: the rules shipped with Tank).
    """

    scan_timeout_s: float = 10.0
    advisories: AdvisoryDB | None = None
    rules: RuleSet | None = None


@dataclass(slots=True)
class Candidate:
    """A version being published; every stage adds what it learned."""

    upload: Upload
    options: Options = field(default_factory=Options)
    #: The publisher's registered, unrevoked keys (read by the publish service beforehand):
    #: the only keys a signature on the upload may verify against.
    publisher_keys: tuple[PublicKey, ...] = ()
    #: Fingerprints of the publisher's revoked keys: a signature by one is named as such.
    revoked_keyids: frozenset[str] = frozenset()
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
    scanner: str = ""
    # permissions
    permissions: dict[str, Any] = field(default_factory=dict)
    dependencies: dict[str, str] = field(default_factory=dict)
    # score (the publish service completes the inputs with what the database knows)
    score_inputs: ScoreInputs | None = None
    audit_score: float = 0.0
    score_breakdown: dict[str, Any] = field(default_factory=dict)
    # sign: the verified envelope (canonical JSON) and its key's fingerprint, or None twice
    signature: str | None = None
    signer_keyid: str | None = None

    @property
    def file_map(self) -> dict[str, bytes]:
        """The archive's files as ``path -> bytes`` (directories left out)."""
        return {m.path: m.data for m in self.members if not m.is_dir}

    @property
    def scope(self) -> str:
        """``@acme/pdf`` → ``acme``."""
        return self.name.split("/", 1)[0].lstrip("@")

    @property
    def data(self) -> bytes:
        """The bytes the registry stores and serves: exactly what was uploaded."""
        return self.upload.data
