"""The read side of skills, and the pre-serialised metadata document every write rebuilds.

``skills.document`` is the exact body of ``GET /v1/skills/{scope}/{name}`` and ``skills.etag``
its strong ETag (and ``skills.document_serial``, the serial the registry signs it with,
grows by one); all are rebuilt inside the transaction of every write that changes what
they say (publish, yank, unpublish, dist-tags), so a read is one row fetch and every worker
answers the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tank.core.errors import ValidationError
from tank.core.resolver import resolve
from tank.core.semver import Range, Version, parse_range, parse_version
from tank.server.db.models import DistTag, Skill, SkillVersion, User, utcnow
from tank.server.errors import ApiError, Gone, NotFound
from tank.server.services.access import can_read_private, check_as_if_private, readable_filter
from tank.server.services.auth import Principal
from tank.server.services.times import rfc3339


class Unavailable(ApiError):
    """A version the registry refuses to serve (its scan failed)."""

    status = 451
    default_code = "version_unavailable"


def full_name(scope: str, name: str) -> str:
    """``("@acme", "pdf")`` → ``@acme/pdf`` (the scope segment may come with or without '@')."""
    return f"@{scope.lstrip('@')}/{name}"


def version_key(text: str) -> tuple[Any, ...]:
    """A sort key ordering version strings by SemVer precedence."""
    return parse_version(text).sort_key


def normalise_version(text: str) -> str | None:
    """``text`` as stored (no build metadata), or None when it is not a version."""
    try:
        return str(parse_version(text).without_build())
    except ValidationError:
        return None


# ---------------------------------------------------------------- lookups with access checks


def visible_skill(session: Session, principal: Principal | None, name: str) -> Skill:
    """The skill ``name`` if the caller may see it; a private one is 404 for outsiders."""
    skill = session.scalars(select(Skill).where(Skill.name == name)).first()
    if skill is None:
        check_as_if_private(session, principal, name)  # same work as a hidden private skill
        raise skill_not_found(name)
    if skill.private and not can_read_private(session, principal, skill.scope, skill.name):
        raise skill_not_found(name)
    return skill


def skill_not_found(name: str) -> NotFound:
    """The one answer for a skill that does not exist or that the caller may not see."""
    return NotFound(
        f"no skill named {name}",
        code="skill_not_found",
        hint="check the name (and that your token may read it)",
    )


def find_version(session: Session, skill: Skill, version: str) -> SkillVersion:
    """The row of ``skill``'s ``version`` (deleted ones included)."""
    text = normalise_version(version)
    row = (
        session.scalars(
            select(SkillVersion).where(
                SkillVersion.skill_id == skill.id, SkillVersion.version == text
            )
        ).first()
        if text
        else None
    )
    if row is None:
        raise NotFound(
            f"{skill.name} has no version {version}",
            code="version_not_found",
            hint=f"see GET /v1/skills/{skill.name} for the published versions",
        )
    return row


def servable(row: SkillVersion, skill: Skill) -> SkillVersion:
    """``row`` if its content may be served: deleted answers 410, a failed scan 451."""
    check_servable(skill.name, row.version, row.deleted_at, row.verdict)
    return row


def check_servable(name: str, version: str, deleted_at: object, verdict: str) -> None:
    """Raise 410 for an unpublished version and 451 for one whose scan failed."""
    if deleted_at is not None:
        raise Gone(
            f"{name}@{version} was unpublished",
            code="version_deleted",
            hint="pick another version; this number is never reused",
        )
    if verdict == "fail":
        raise Unavailable(
            f"{name}@{version} failed the security scan and is not served",
            hint="see the version's findings; the publisher must fix and publish a new version",
        )


def list_skills(
    session: Session, principal: Principal | None, *, page: int, per_page: int
) -> dict[str, Any]:
    """One page of skills the caller may see, by name."""
    where = [readable_filter(session, principal)]
    total = session.scalar(select(func.count(Skill.id)).where(*where)) or 0
    rows = session.scalars(
        select(Skill)
        .where(*where)
        .order_by(Skill.name)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    items = [
        {
            "name": s.name,
            "latest_version": s.latest_version,
            "description": s.description,
            "private": s.private,
            "updated_at": rfc3339(s.updated_at),
        }
        for s in rows
    ]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


# ---------------------------------------------------------------- documents


def version_document(session: Session, skill: Skill, row: SkillVersion) -> dict[str, Any]:
    """Everything about one version (``GET /v1/skills/{scope}/{name}/{version}``)."""
    publisher = session.get(User, row.publisher_id)
    return {
        "name": skill.name,
        "version": row.version,
        "description": row.description,
        "manifest": row.manifest,
        "permissions": row.permissions,
        "dependencies": row.dependencies,
        "integrity": row.integrity,
        "size": row.size,
        "unpacked_size": row.unpacked_size,
        "files": row.files,
        "verdict": row.verdict,
        "findings": row.findings,
        "audit_score": row.audit_score,
        "score_breakdown": row.score_breakdown,
        "reproducible": row.reproducible,
        **signature_fields(row, bundle=True),
        "publisher": publisher.username if publisher else None,
        "published_at": rfc3339(row.published_at),
        # ``tank registry import``: the git source, commit and path it was read from.
        "import": row.source,
        "yanked": row.yanked,
        "yank_reason": row.yank_reason,
        "deprecated": False,
        "deleted": row.deleted_at is not None,
        "private": skill.private,
        "tarball": f"/v1/skills/{skill.name}/{row.version}/tarball",
    }


def signature_fields(row: SkillVersion, *, bundle: bool = False) -> dict[str, Any]:
    """``signature`` (the verified DSSE envelope, a JSON object), ``signer`` (its key's
    fingerprint) and ``sigstore``, all None for an unsigned version. A signature stored
    before the registry verified them (no signer) is not served: nothing ever checked it.

    A version signed with a Sigstore bundle has no ``signature``; ``signer`` is the trusted
    publisher it matched (``sigstore:<issuer>#<repo>@<workflow>``) and ``sigstore`` says
    what the certificate and log entry held (with the bundle itself when ``bundle``).
    """
    if row.sigstore:
        return {"signature": None, **sigstore_fields(row.sigstore, bundle=bundle)}
    if row.signer_keyid is None or not row.signature:
        return {"signature": None, "signer": None, "sigstore": None}
    return {"signature": json.loads(row.signature), "signer": row.signer_keyid, "sigstore": None}


def sigstore_fields(stored: dict[str, Any], *, bundle: bool = False) -> dict[str, Any]:
    """``signer`` and ``sigstore`` of a version's stored Sigstore verification."""
    served = {k: stored.get(k) for k in ("signer", "identity", "digest")}
    if bundle:
        served["bundle"] = stored.get("bundle")
    return {"signer": stored.get("signer"), "sigstore": served}


def _summary(row: SkillVersion, publisher: str | None) -> dict[str, Any]:
    if row.deleted_at is not None:
        # The number stays taken: say so, but nothing more.
        return {"version": row.version, "deleted": True}
    return {
        **signature_fields(row),
        "publisher": publisher,
        "version": row.version,
        "integrity": row.integrity,
        "verdict": row.verdict,
        "audit_score": row.audit_score,
        "score_breakdown": row.score_breakdown,
        "permissions": row.permissions,
        "dependencies": row.dependencies,
        "yanked": row.yanked,
        "yank_reason": row.yank_reason,
        "deprecated": False,
        "deleted": False,
        "published_at": rfc3339(row.published_at),
    }


def pick_latest(rows: list[SkillVersion]) -> SkillVersion | None:
    """The ``latest`` version: the highest live release, else the highest live prerelease.

    Live means not yanked, not unpublished, not failed.
    """
    live = [r for r in rows if r.deleted_at is None and not r.yanked and r.verdict != "fail"]
    parsed = [(parse_version(r.version), r) for r in live]
    releases = [(v, r) for v, r in parsed if not v.is_prerelease]
    pool = releases or parsed
    return max(pool, key=lambda item: item[0].sort_key)[1] if pool else None


def refresh(session: Session, skill: Skill) -> None:
    """Recompute ``latest`` and drop tags pointing at dead versions, then rebuild the document.

    Call inside the write transaction, after the change is flushed.
    """
    rows = list(session.scalars(select(SkillVersion).where(SkillVersion.skill_id == skill.id)))
    by_version = {r.version: r for r in rows}
    latest = pick_latest(rows)
    tags = {t.tag: t for t in session.scalars(select(DistTag).where(DistTag.skill_id == skill.id))}
    for tag in list(tags.values()):
        target = by_version.get(tag.version)
        if tag.tag != "latest" and (target is None or target.deleted_at is not None):
            session.delete(tag)
            del tags[tag.tag]
    current = tags.get("latest")
    if latest is None and current is not None:
        session.delete(current)
        del tags["latest"]
    elif latest is not None and current is None:
        tags["latest"] = DistTag(skill_id=skill.id, tag="latest", version=latest.version)
        session.add(tags["latest"])
    elif latest is not None and current is not None:
        current.version = latest.version
    skill.latest_version = latest.version if latest else None
    if latest is not None:
        skill.description = latest.description
        skill.keywords = list(latest.manifest.get("keywords", []) or [])
    skill.updated_at = utcnow()
    ordered = sorted(rows, key=lambda r: version_key(r.version))
    ids = {r.publisher_id for r in rows}
    who = select(User.id, User.username).where(User.id.in_(ids))
    publishers: dict[int, str] = {row.id: row.username for row in session.execute(who)}
    document = {
        "name": skill.name,
        "scope": skill.scope,
        "description": skill.description,
        "keywords": skill.keywords,
        "private": skill.private,
        "latest": skill.latest_version,
        "dist_tags": {t: tags[t].version for t in sorted(tags)},
        "versions": {r.version: _summary(r, publishers.get(r.publisher_id)) for r in ordered},
        "created_at": rfc3339(skill.created_at),
        "updated_at": rfc3339(skill.updated_at),
    }
    skill.document = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    skill.etag = '"' + hashlib.sha256(skill.document).hexdigest() + '"'
    # Incremented by the database, not from the value this transaction read: two writers of
    # one skill still end on distinct serials, in commit order (the signed rollback counter).
    skill.document_serial = Skill.document_serial + 1
    session.flush()


def live_versions(session: Session, skill: Skill) -> list[Version]:
    """Versions a new range may choose: not yanked, not unpublished, not failed."""
    rows = session.scalars(
        select(SkillVersion.version).where(
            SkillVersion.skill_id == skill.id,
            SkillVersion.deleted_at.is_(None),
            SkillVersion.yanked.is_(False),
            SkillVersion.verdict != "fail",
        )
    )
    return [parse_version(v) for v in rows]


# ---------------------------------------------------------------- dependency resolution


class RegistryProvider:
    """The resolver's view of this registry, as one caller sees it.

    Ranges choose among live versions only (yanked, unpublished and failed versions are out);
    private skills the caller may not read do not exist. ``pinned`` is the version the
    caller asked about, allowed even when yanked (a lockfile may still name it).
    """

    def __init__(
        self, session: Session, principal: Principal | None, pinned: tuple[str, str]
    ) -> None:
        self._session = session
        self._principal = principal
        self._pinned = pinned
        self._skills: dict[str, Skill | None] = {}

    def _skill(self, name: str) -> Skill | None:
        if name not in self._skills:
            try:
                self._skills[name] = visible_skill(self._session, self._principal, name)
            except NotFound:
                self._skills[name] = None
        return self._skills[name]

    def versions(self, name: str) -> list[Version]:
        """Live versions of ``name`` (plus the pinned root version)."""
        skill = self._skill(name)
        if skill is None:
            return []
        found = live_versions(self._session, skill)
        if name == self._pinned[0]:
            pinned = parse_version(self._pinned[1])
            found = [*(v for v in found if v != pinned), pinned]
        return found

    def dependencies(self, name: str, version: Version) -> dict[str, Range]:
        """The ranges ``name@version`` declares."""
        skill = self._skill(name)
        if skill is None:
            return {}
        row = find_version(self._session, skill, str(version))
        return {dep: parse_range(text) for dep, text in sorted(row.dependencies.items())}


def dependency_tree(
    session: Session, principal: Principal | None, skill: Skill, row: SkillVersion
) -> dict[str, Any]:
    """Resolve ``skill@row.version``'s dependencies; answer the tree and the flat resolution.

    Raises :class:`~tank.core.errors.ResolutionError` (409) when no choice exists.
    """
    provider = RegistryProvider(session, principal, (skill.name, row.version))
    resolution = resolve({skill.name: parse_range(row.version)}, provider)
    deps = resolution.dependencies

    expanded: set[str] = set()

    def node(name: str) -> dict[str, Any]:
        out: dict[str, Any] = {"name": name, "version": str(resolution.versions[name])}
        if name in expanded:
            out["deduped"] = True  # its subtree is shown where it first appears (npm ls style)
            return out
        expanded.add(name)
        out["dependencies"] = [node(child) for child in sorted(deps.get(name, {}))]
        return out

    flat = {
        name: str(version) for name, version in resolution.versions.items() if name != skill.name
    }
    return {"name": skill.name, "version": row.version, "tree": node(skill.name),
            "resolution": flat}  # fmt: skip
