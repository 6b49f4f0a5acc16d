"""The diff of two versions of a skill: permissions, interface, required bump, files.

Access is that of reading the versions: a private skill is 404 to outsiders, an unknown
version 404, an unpublished one 410, and a version whose scan failed 451 — its files are
never revealed, not even as a diff. Blobs are read through the blob store and unpacked with
the bounded :func:`~tank.core.unpack.read_archive`, never trusted to be well formed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tank.core.filediff import Files
from tank.core.unpack import files_of, read_archive
from tank.core.versiondiff import manifest_of, version_diff
from tank.server.context import Registry
from tank.server.db.models import Skill, SkillVersion
from tank.server.services import skills
from tank.server.services.auth import Principal
from tank.server.services.blobs import stored_tarball

__all__ = ["diff_versions"]


def _files(reg: Registry, skill: Skill, row: SkillVersion) -> Files:
    return files_of(read_archive(stored_tarball(reg, skill.name, row.version, row.blob_key)))


def diff_versions(
    session: Session,
    reg: Registry,
    principal: Principal | None,
    name: str,
    from_version: str,
    to_version: str,
) -> dict[str, Any]:
    """The diff document of ``name`` from ``from_version`` to ``to_version``.

    See :mod:`tank.core.versiondiff` for its shape. Raises 404/410/451 as described above.
    """
    skill = skills.visible_skill(session, principal, name)
    rows = [skills.find_version(session, skill, v) for v in (from_version, to_version)]
    for row in rows:
        skills.servable(row, skill)
    old, new = rows
    return version_diff(
        skill.name,
        old.version,
        new.version,
        manifest_of(old.manifest, label=f"{skill.name}@{old.version}"),
        manifest_of(new.manifest, label=f"{skill.name}@{new.version}"),
        _files(reg, skill, old),
        _files(reg, skill, new),
    )
