"""What the pipeline works on: the raw upload, and the candidate version each stage fills in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tank.core.advisories import AdvisoryDB
from tank.core.integrity import FileEntry
from tank.core.manifest import Manifest
from tank.core.signing import PublicKey
from tank.core.skillmd import SkillDoc
from tank.core.trusted_publishing import TrustedIdentity
from tank.core.unpack import Member
from tank.scanner import RuleSet

if TYPE_CHECKING:
    from tank.server.services.pipeline.behaviour import BehaviourConfig
    from tank.server.services.pipeline.coverage import CoverageResult
    from tank.server.services.pipeline.scoring import ScoreInputs
    from tank.server.services.sigstore_verify import SigstoreVerified

#: ``skill name -> its trusted publishers`` (of the skill and of its scope): the identity
#: policy a Sigstore bundle is verified against, looked up once the name is known.
TrustedLookup = Callable[[str], Sequence[TrustedIdentity]]


def no_trusted_publishers(name: str) -> Sequence[TrustedIdentity]:
    """The lookup when none is given: no skill has trusted publishers."""
    return ()


@dataclass(frozen=True, slots=True)
class Upload:
    """A publish request as received: the tarball bytes and the optional form fields.

    ``claimed_*`` are what the client says the tarball holds; the registry never relies on
    them, it only refuses an upload that contradicts its own reading of the content.
    """

    data: bytes
    signature: str | None = None
    #: A Sigstore bundle (JSON text) made in CI over the tarball, instead of ``signature``.
    sigstore_bundle: str | None = None
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
    #: The Sigstore trusted root file (None: the production root shipped with sigstore).
    sigstore_trusted_root: Path | None = None
    #: The publish-time behaviour check's limits (None: the check is off).
    behaviour: BehaviourConfig | None = None


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
    #: The skill's trusted publishers, by name (a Sigstore bundle must match one).
    trusted_for: TrustedLookup = no_trusted_publishers
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
    # behaviour (when the registry runs it): the coverage it measured, None otherwise
    measured_coverage: CoverageResult | None = None
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
    # sign: a verified Sigstore bundle (the other way to sign), or None
    sigstore: SigstoreVerified | None = None

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
