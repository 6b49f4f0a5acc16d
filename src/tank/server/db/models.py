"""The registry's tables (SQLAlchemy 2 declarative). One schema for SQLite and PostgreSQL.

Design notes:
- ``skill_versions`` rows are never deleted: unpublishing sets ``deleted_at`` so the number
  stays taken forever, and the unique constraint on (skill_id, version) makes concurrent
  publishes of the same version race safely (exactly one insert wins).
- ``skills.document`` holds the pre-serialised JSON answer of ``GET /v1/skills/{name}`` and
  ``skills.etag`` its strong ETag, rebuilt in the same transaction as every write: reads are
  one indexed row fetch, consistent across any number of workers, with no cache to invalidate.
- Token secrets are stored only as SHA-256 digests (they are 256-bit random, so a fast hash
  is enough: there is nothing to brute-force); passwords only as argon2id hashes.
- ``audit_events`` is append-only: the application never updates or deletes its rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime: SQLite hands back naive ones, and every time we
    store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of every registry table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    """An account that can own scopes, belong to orgs, hold tokens and publish."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255), default=None)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    #: May post community security reviews (granted by an administrator).
    reviewer: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Set by ``tank registry disable-user``: no login, no token; skills stay served.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Org(Base):
    """An organisation: members with roles, owning scopes."""

    __tablename__ = "orgs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrgMember(Base):
    """A user's role in an org: ``owner``, ``publisher`` or ``reader``."""

    __tablename__ = "org_members"
    __table_args__ = (UniqueConstraint("org_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Scope(Base):
    """A namespace (``@name``) owned by exactly one user or one org."""

    __tablename__ = "scopes"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Token(Base):
    """An API token: shown once, stored as a digest, scoped, expirable, revocable."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128), default="")
    scopes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    restrict_to: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    #: Set on a short-lived token a CI job got for its OIDC token (trusted publishing): the
    #: trusted publisher it matched, the job's verified identity, and the digest of the OIDC
    #: token's issuer + ``jti`` (unique: one OIDC token is exchanged once).
    trusted_publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("trusted_publishers.id", ondelete="SET NULL"), default=None
    )
    ci_identity: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    oidc_jti: Mapped[str | None] = mapped_column(String(64), default=None, unique=True)

    user: Mapped[User] = relationship(lazy="joined")


class PublisherKey(Base):
    """An Ed25519 public key a user signs publishes with (several per user, revocable).

    ``keyid`` is the key's fingerprint (securesystemslib's key id, 64 hex) and unique across
    the registry: a key belongs to one account. Revoked keys are kept, so clients learn that
    a version signed by one must no longer be trusted; a revoked key cannot be added again.
    """

    __tablename__ = "publisher_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    keyid: Mapped[str] = mapped_column(String(64), unique=True)
    public_hex: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Skill(Base):
    """A package name, ``@scope/name``, with its pre-serialised metadata document."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(140), unique=True)
    scope: Mapped[str] = mapped_column(ForeignKey("scopes.name"), index=True)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    latest_version: Mapped[str | None] = mapped_column(String(128), default=None)
    document: Mapped[bytes] = mapped_column(LargeBinary, default=b"{}")
    etag: Mapped[str] = mapped_column(String(80), default="")
    # Grows by one with every rebuild of ``document``: the serial the registry signs with it,
    # so a client can refuse an older document than one it saw (rollback).
    document_serial: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SkillVersion(Base):
    """One published version. Never deleted: ``deleted_at`` keeps the number taken."""

    __tablename__ = "skill_versions"
    __table_args__ = (
        UniqueConstraint("skill_id", "version"),
        Index("ix_skill_versions_blob", "blob_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(128))
    integrity: Mapped[str] = mapped_column(String(100))
    blob_key: Mapped[str] = mapped_column(String(160))
    size: Mapped[int] = mapped_column(BigInteger)
    unpacked_size: Mapped[int] = mapped_column(BigInteger)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)
    skill_md: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[list[Any]] = mapped_column(JSON)
    permissions: Mapped[dict[str, Any]] = mapped_column(JSON)
    dependencies: Mapped[dict[str, Any]] = mapped_column(JSON)
    verdict: Mapped[str] = mapped_column(String(32))
    audit_score: Mapped[float | None] = mapped_column(default=None)
    score_breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    findings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reproducible: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The publisher's DSSE envelope, verified at publish (canonical JSON), or None: unsigned.
    signature: Mapped[str | None] = mapped_column(Text, default=None)
    #: The key id (fingerprint) of the registered key that signed ``signature``.
    signer_keyid: Mapped[str | None] = mapped_column(String(64), default=None)
    #: A Sigstore bundle verified at publish instead: ``{"signer", "identity", "bundle"}``
    #: (``signer`` is ``sigstore:<issuer>#<repo>@<workflow>``, the trusted publisher matched).
    sigstore: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    #: Where ``tank registry import`` read the version: ``{"source", "commit", "path",
    #: "imported_by"}`` (None for a version published by upload). Attested, never changed.
    source: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    yanked: Mapped[bool] = mapped_column(Boolean, default=False)
    yank_reason: Mapped[str | None] = mapped_column(Text, default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class DistTag(Base):
    """A named pointer to a version (``latest``, ``beta``...)."""

    __tablename__ = "dist_tags"
    __table_args__ = (UniqueConstraint("skill_id", "tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(128))


class Dependency(Base):
    """An edge ``dependent version -> dependency name``, to refuse unpublishing what is used."""

    __tablename__ = "dependencies"
    __table_args__ = (Index("ix_dependencies_name", "dependency_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("skill_versions.id", ondelete="CASCADE"))
    dependency_name: Mapped[str] = mapped_column(String(140))
    range: Mapped[str] = mapped_column(String(256))


class VersionAudit(Base):
    """One entry of a version's audit history (append-only): publish, rescan, review, admin.

    The version row keeps the current verdict, score and findings; this keeps every change.
    """

    __tablename__ = "version_audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("skill_versions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(32))
    audit_score: Mapped[float | None] = mapped_column(default=None)
    score_breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    findings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    scanner: Mapped[str] = mapped_column(String(120), default="")
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Review(Base):
    """A verified reviewer's security review of one version (one per reviewer and version)."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("version_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("skill_versions.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verdict: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """An append-only record of a write: who, when, what, and the details."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    actor_token_id: Mapped[int | None] = mapped_column(Integer, default=None)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    subject: Mapped[str] = mapped_column(String(256), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RateCounter(Base):
    """Requests counted per key (``token:<id>``, ``ip:<addr>``) per one-minute window.

    Shared by every worker through the database, so a write limit holds across processes.
    Rows older than the previous window are deleted as new windows begin.
    """

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)


class RegistryKey(Base):
    """One of the registry's own Ed25519 signing keys (attestations, tree heads).

    Exactly one is active (``retired_at`` null); retired keys stay for verification, and
    every key after the first carries an ``endorsement`` signed by the key it replaced. The
    private half is PKCS#8 PEM, encrypted when ``TANK_REGISTRY_SIGNING_KEY_PASSPHRASE`` is
    set (then a copy of the database alone cannot sign).
    """

    __tablename__ = "registry_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    keyid: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[dict[str, Any]] = mapped_column(JSON)
    private_pem: Mapped[bytes] = mapped_column(LargeBinary)
    endorsement: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class VersionAttestation(Base):
    """A registry attestation (DSSE envelope over an in-toto Statement) of one version:
    made at publish, and again by every rescan that changes the verdict. Append-only."""

    __tablename__ = "version_attestations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("skill_versions.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(16))
    keyid: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(80))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LogLeaf(Base):
    """One entry of the transparency log: leaf ``idx`` (0-based, gapless, never changed).

    The leaf hash is recomputed from the other columns by ``tank registry log verify``; it is
    stored so proofs need no re-encoding of every entry.
    """

    __tablename__ = "log_leaves"
    __table_args__ = (UniqueConstraint("name", "version"),)

    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("skill_versions.id", ondelete="SET NULL"), unique=True, default=None
    )
    name: Mapped[str] = mapped_column(String(140))
    version: Mapped[str] = mapped_column(String(128))
    integrity: Mapped[str] = mapped_column(String(100))
    #: A key fingerprint, or a Sigstore signer (``sigstore:<issuer>#<repo>@<workflow>``).
    signer: Mapped[str | None] = mapped_column(String(1024), default=None)
    attestation: Mapped[str] = mapped_column(String(80))
    leaf_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LogHead(Base):
    """A signed tree head; the one with the highest id is current."""

    __tablename__ = "log_heads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, index=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[str] = mapped_column(String(40))
    keyid: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)


class LogState(Base):
    """The log's one row (id 1): its size. Appends lock it (``SELECT ... FOR UPDATE``), which
    serialises leaf numbering across every worker on PostgreSQL (SQLite's ``BEGIN
    IMMEDIATE`` already serialises writers)."""

    __tablename__ = "log_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The roots of the tree's perfect subtrees, hex (:func:`tank.core.merkle.frontier_append`):
    #: the next root costs O(log n) hashes, not a read of every leaf.
    frontier: Mapped[list[Any]] = mapped_column(JSON, default=list)


class TrustedPublisher(Base):
    """A CI identity allowed to publish a skill (``@scope/name``) or any skill of a scope
    (``@scope``): OIDC issuer, repository, workflow file, optional environment.

    Publishes through it run as ``created_by`` (who registered it), whose right to publish
    into the scope is checked again at every exchange and every publish.
    """

    __tablename__ = "trusted_publishers"
    __table_args__ = (
        UniqueConstraint("target", "issuer", "repository", "workflow", "environment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(140), index=True)
    issuer: Mapped[str] = mapped_column(String(512))
    repository: Mapped[str] = mapped_column(String(160))
    workflow: Mapped[str] = mapped_column(String(160))
    environment: Mapped[str | None] = mapped_column(String(255), default=None)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VersionProvenance(Base):
    """The SLSA provenance of a version published through trusted publishing: a DSSE
    envelope over an in-toto Statement (predicate ``https://slsa.dev/provenance/v1``),
    signed by the registry key. At most one per version, never changed."""

    __tablename__ = "version_provenance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("skill_versions.id", ondelete="CASCADE"), unique=True
    )
    trusted_publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("trusted_publishers.id", ondelete="SET NULL"), default=None
    )
    identity: Mapped[dict[str, Any]] = mapped_column(JSON)
    keyid: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(80))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
