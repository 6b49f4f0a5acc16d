"""``tank registry import``: publish a skill read from git, with its provenance, through the
same pipeline as ``POST /v1/skills``.

The admin CLI reads the repository (the server never imports the client's git code) and
hands over the canonical tarball and where it came from. Here the tarball is published as
the importing account, exactly like an upload (validate, sign, scan, permissions, semver
gate, score, store, attest, log); the only addition is ``source``, stored with the version
and named in its attestation.

Re-importing the same bytes is a no-op: when the version exists with the same integrity it
is reported ``unchanged`` and nothing runs. The same version with *other* bytes (the
repository moved on without bumping its version) is refused with the way out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tank.core.integrity import sri_sha512
from tank.core.semver import parse_version
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import Skill, SkillVersion, User
from tank.server.errors import Conflict, NotFound
from tank.server.services import audit
from tank.server.services.access import find_user
from tank.server.services.auth import Principal
from tank.server.services.pipeline import Upload
from tank.server.services.publish import publish

__all__ = ["Imported", "import_version", "importer"]

#: The admin CLI acts without a token; audit events record no token for it.
NO_TOKEN = 0


@dataclass(frozen=True, slots=True)
class Imported:
    """What the import of one skill did: ``imported`` or ``unchanged``, and the document."""

    status: str
    name: str
    version: str
    document: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` view."""
        return {
            "status": self.status,
            "name": self.name,
            "version": self.version,
            "integrity": self.document.get("integrity"),
            "verdict": self.document.get("verdict"),
            "audit_score": self.document.get("audit_score"),
            "import": self.document.get("import"),
            "warnings": self.document.get("warnings", []),
        }


def importer(reg: Registry, username: str | None) -> Principal:
    """The account an import publishes as: ``username``, else the registry's only admin."""
    with reg.sessions() as session:
        if username is not None:
            user = find_user(session, username)
            if user is None:
                raise NotFound(f"no user called {username!r}", code="user_not_found")
        else:
            admins = list(session.scalars(select(User).where(User.is_admin.is_(True)).limit(2)))
            if len(admins) != 1:
                raise NotFound(
                    "the registry has no admin account"
                    if not admins
                    else "the registry has several admin accounts",
                    code="import_no_account",
                    hint="name the account the versions are published as: --as USERNAME",
                )
            user = admins[0]
        return Principal(
            user_id=user.id,
            username=user.username,
            token_id=NO_TOKEN,
            scopes=frozenset({"read", "publish"}),
            is_admin=bool(user.is_admin),
        )


def import_version(
    reg: Registry,
    principal: Principal,
    data: bytes,
    *,
    name: str,
    version: str,
    source: dict[str, Any],
) -> Imported:
    """Publish ``data`` (``name@version`` as the client read it) with provenance ``source``
    as ``principal``; a version already holding these very bytes is left alone."""
    number = str(parse_version(version).without_build())
    unchanged = _unchanged(reg, name, number, data, source)
    if unchanged is not None:
        return unchanged
    upload = Upload(data=data, claimed_name=name)
    document = publish(reg, principal, upload, source=source)
    with write_session(reg.sessions) as session:
        audit.record(
            session,
            "skill.imported",
            principal=principal,
            subject=f"{document['name']}@{document['version']}",
            details=dict(source),
        )
    return Imported("imported", str(document["name"]), str(document["version"]), document)


def _unchanged(
    reg: Registry, name: str, version: str, data: bytes, source: dict[str, Any]
) -> Imported | None:
    """``unchanged`` when ``name@version`` holds exactly ``data``; None when it does not
    exist; refused when it holds other bytes."""
    from tank.server.services.skills import version_document

    with reg.sessions() as session:
        found = session.execute(
            select(Skill, SkillVersion)
            .join(SkillVersion, SkillVersion.skill_id == Skill.id)
            .where(Skill.name == name, SkillVersion.version == version)
        ).first()
        if found is None:
            return None
        skill, row = found
        if row.integrity != sri_sha512(data):
            raise Conflict(
                f"{name}@{version} already exists with other content than "
                f"{source.get('source')} at {str(source.get('commit'))[:12]}",
                code="import_version_exists",
                hint='the repository changed without a new version: bump "version" in its '
                "skills.json, or (a skill without skills.json) import it again with --version "
                "set above the versions the registry holds",
            )
        return Imported("unchanged", name, version, version_document(session, skill, row))
