"""What each page shows, gathered from the same services the API answers from.

A page never re-implements a rule: visibility comes from ``skills.visible_skill``, what may be
served from ``skills.servable``, the version's facts from ``skills.version_document``, the
signature and attestation status from ``services.verify``, provenance from
``services.provenance``, dependencies from ``skills.dependency_tree`` and dependents from
``manage.dependents`` (public ones only, as the unpublish rule counts them), permission
changes from
``tank.core.permissions`` (the classification enforced semver uses at publish). The dicts
built here are handed to the templates as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tank.core.errors import TankError
from tank.core.frontmatter import read_frontmatter
from tank.core.permissions import PermissionChange, classify_change, diff, parse_permissions
from tank.core.unpack import Member, read_archive
from tank.server.context import Registry
from tank.server.db.models import Skill, SkillVersion
from tank.server.errors import NotFound
from tank.server.services import manage, moderation, provenance, skills, verify
from tank.server.services.auth import Principal
from tank.server.services.blobs import stored_tarball
from tank.server.services.diff import diff_versions
from tank.server.web.render import Source, render_markdown, render_source

__all__ = [
    "DANGEROUS", "SkillView", "diff_view", "file_view", "skill_view", "version_members",
]  # fmt: skip

#: Permission keys the page marks as dangerous (those a MAJOR bump guards, see core.bump).
DANGEROUS = frozenset({"network.outbound", "network.inbound", "subprocess"})


@dataclass(frozen=True, slots=True)
class SkillView:
    """Everything the skill page shows about one version of a skill."""

    skill: Skill
    document: dict[str, Any]
    version: dict[str, Any]
    versions: list[dict[str, Any]]
    readme_html: str | None
    withheld: str | None
    permissions: list[dict[str, Any]]
    previous: str | None
    change: str | None
    signature: dict[str, Any] | None
    attestation: dict[str, Any] | None
    provenance: dict[str, Any] | None
    dependencies: dict[str, Any] | None
    dependency_error: str | None
    #: Live versions of public skills whose range admits this version: ``{name, label}``.
    dependents: list[dict[str, str]]
    #: The latest administrator's quarantine or unquarantine of this version, if any.
    moderation: dict[str, Any] | None


def _versions(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The skill document's versions, newest first, with their number added."""
    found = [{"version": v, **info} for v, info in document.get("versions", {}).items()]
    found.sort(key=lambda item: skills.version_key(item["version"]), reverse=True)
    return found


def _previous(versions: list[dict[str, Any]], current: str) -> dict[str, Any] | None:
    """The closest live version below ``current`` (the one its permissions grew from)."""
    key = skills.version_key(current)
    older = [v for v in versions if not v.get("deleted") and skills.version_key(v["version"]) < key]
    return older[0] if older else None


def _permission_rows(
    current: dict[str, Any], previous: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Each declared permission entry (dangerous ones marked, new ones since ``previous``
    marked as escalations) and the kind of change, using the core's own classification."""
    new, _ = parse_permissions(current)
    rows: list[dict[str, Any]] = []
    added: dict[str, list[str]] = {}
    change: str | None = None
    if previous is not None:
        old, _ = parse_permissions(previous)
        added = diff(old, new).as_dict()["added"]
        kind = classify_change(old, new)
        change = None if kind is PermissionChange.NONE else str(kind)
    granted = diff(parse_permissions({})[0], new).as_dict()["added"]
    for key, items in granted.items():
        for item in items:
            rows.append(
                {
                    "key": key,
                    "item": item,
                    "dangerous": key in DANGEROUS,
                    "new": item in added.get(key, []),
                }
            )
    return rows, change


def version_members(reg: Registry, skill: Skill, row: SkillVersion) -> list[Member]:
    """The files of a servable version (through the blob cache, bounded unpacking)."""
    return read_archive(stored_tarball(reg, skill.name, row.version, row.blob_key))


def _readme(members: list[Member]) -> str:
    found = next((m for m in members if m.path == "SKILL.md" and not m.is_dir), None)
    if found is None:
        return render_markdown("*This version has no SKILL.md.*")
    text = found.data.decode("utf-8", errors="replace")
    front, _ = read_frontmatter(text, lenient=True)
    return render_markdown(front.body)


def skill_view(
    session: Session,
    reg: Registry,
    principal: Principal | None,
    name: str,
    version: str | None = None,
) -> SkillView:
    """The skill page of ``name`` at ``version`` (default: its latest, else its newest)."""
    skill = skills.visible_skill(session, principal, name)
    document: dict[str, Any] = json.loads(skill.document) if skill.document else {}
    versions = _versions(document)
    wanted = version or skill.latest_version
    if wanted is None:
        live = [v for v in versions if not v.get("deleted")]
        if not live:
            raise skills.skill_not_found(name)
        wanted = live[0]["version"]
    row = skills.find_version(session, skill, wanted)
    if row.deleted_at is not None:
        skills.servable(row, skill)  # raises Gone: an unpublished version shows nothing
    info = skills.version_document(session, skill, row)
    readme: str | None = None
    withheld: str | None = None
    try:
        readme = _readme(version_members(reg, skill, skills.servable(row, skill)))
    except TankError as refused:  # a quarantined version: its findings show, never its files
        withheld = refused.message
    previous = _previous(versions, row.version)
    permissions, change = _permission_rows(
        row.permissions, previous.get("permissions") if previous else None
    )
    dependencies: dict[str, Any] | None = None
    dependency_error: str | None = None
    if row.dependencies and withheld is None:
        try:
            dependencies = skills.dependency_tree(session, principal, skill, row)
        except TankError as failed:
            dependency_error = failed.message
    attested = verify.attestations_of(session, [row.id]).get(row.id)
    return SkillView(
        skill=skill,
        document=document,
        version=info,
        versions=versions,
        readme_html=readme,
        withheld=withheld,
        permissions=permissions,
        previous=previous["version"] if previous else None,
        change=change,
        signature=verify.signature_of(row),
        attestation=attested,
        provenance=provenance.reference(provenance.for_version(session, row.id)),
        dependencies=dependencies,
        dependency_error=dependency_error,
        dependents=[
            {"name": item.split(" (", 1)[0].rpartition("@")[0], "label": item}
            for item in manage.dependents(session, skill.name, row.version)
        ],
        moderation=moderation.last_action(session, row.id),
    )


def file_view(
    session: Session,
    reg: Registry,
    principal: Principal | None,
    name: str,
    version: str | None,
    path: str,
) -> tuple[Skill, SkillVersion, list[str], Source | None]:
    """A version's file list and, when ``path`` names one of its files, that file rendered.

    Same rules as ``GET /v1/skills/{name}/{version}/files/{path}``: a quarantined version's
    files are never shown (451), an unpublished one's neither (410).
    """
    skill = skills.visible_skill(session, principal, name)
    wanted = version or skill.latest_version
    if wanted is None:
        raise skills.skill_not_found(name)
    row = skills.servable(skills.find_version(session, skill, wanted), skill)
    members = [m for m in version_members(reg, skill, row) if not m.is_dir]
    paths = sorted(m.path for m in members)
    found = next((m for m in members if m.path == path), None)
    if path and found is None:
        raise NotFound(
            f"{skill.name}@{row.version} has no file {path!r}",
            code="file_not_found",
            hint="pick a file from the list",
        )
    return skill, row, paths, render_source(found.path, found.data) if found else None


def diff_view(
    session: Session,
    reg: Registry,
    principal: Principal | None,
    name: str,
    from_version: str,
    to_version: str,
) -> tuple[Skill, dict[str, Any], list[str]]:
    """The skill, the diff document of ``GET /v1/skills/{name}/diff/{from}/{to}`` and the
    versions one may compare (served ones, newest first). Without both versions: the latest
    against the live version before it."""
    skill = skills.visible_skill(session, principal, name)
    document: dict[str, Any] = json.loads(skill.document) if skill.document else {}
    versions = _versions(document)
    if not (from_version and to_version):
        to_version = to_version or skill.latest_version or ""
        before = _previous(versions, to_version) if to_version else None
        from_version = from_version or (before["version"] if before else to_version)
    doc = diff_versions(session, reg, principal, skill.name, from_version, to_version)
    served = [v["version"] for v in versions if not v.get("deleted") and v["verdict"] != "fail"]
    return skill, doc, served
