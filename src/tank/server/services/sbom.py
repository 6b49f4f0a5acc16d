"""The SBOM of a published version, and the registry's advisory database.

The SBOM is built on request from what the registry stored, never from anything the client
sends: the blob (read back through the blob store and :func:`~tank.core.unpack.read_archive`,
with its limits) and the version row (manifest, integrity, publish time). Versions are
immutable, so the same request always gives the same bytes, and the strong ETag lets caches
skip the build entirely.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tank.core.advisories import AdvisoryDB
from tank.core.manifest import parse_manifest
from tank.core.manifest_model import ManifestKind
from tank.core.sbom import SBOM_REVISION, build_sbom
from tank.core.skillmd import Mode
from tank.core.unpack import read_archive
from tank.server.context import Registry
from tank.server.db.models import SkillVersion
from tank.server.errors import ApiError
from tank.server.services import skills
from tank.server.services.auth import Principal
from tank.server.services.blobs import stored_tarball
from tank.server.settings import Settings
from tank.server.storage.cache import BlobCache

__all__ = ["SbomTarget", "advisory_db", "render", "sbom_etag", "target"]


@dataclass(frozen=True, slots=True)
class SbomTarget:
    """A servable version whose SBOM was asked for (access already checked)."""

    name: str
    private: bool
    row: SkillVersion

    @property
    def etag(self) -> str:
        """The strong ETag of the SBOM (see :func:`sbom_etag`)."""
        return sbom_etag(self.row.integrity)


def sbom_etag(integrity: str) -> str:
    """A strong ETag: the archive's integrity plus the SBOM generator's revision."""
    return f'"sbom{SBOM_REVISION}-{integrity}"'


def target(session: Session, principal: Principal | None, name: str, version: str) -> SbomTarget:
    """The version ``name@version`` if the caller may read its content (404, 410 or 451)."""
    skill = skills.visible_skill(session, principal, name)
    row = skills.servable(skills.find_version(session, skill, version), skill)
    return SbomTarget(skill.name, bool(skill.private), row)


#: Built SBOMs by ETag. A version's SBOM never changes, and building one reads the whole
#: archive, so repeated requests (a crawler, a hostile client) cost a dictionary lookup.
_RENDERED = BlobCache(max_bytes=32 * 1024 * 1024, max_item=4 * 1024 * 1024)


def render(registry: Registry, found: SbomTarget) -> bytes:
    """The CycloneDX JSON bytes of ``found``, built from its stored blob and row (cached)."""
    return _RENDERED.get(found.etag, lambda _: _build(registry, found))


def _build(registry: Registry, found: SbomTarget) -> bytes:
    row = found.row
    data = stored_tarball(registry, found.name, row.version, row.blob_key)
    files = {m.path: m.data for m in read_archive(data) if not m.is_dir}
    manifest, report = parse_manifest(row.manifest, kind=ManifestKind.PACKAGE, mode=Mode.LENIENT)
    if manifest is None:
        raise ApiError(
            f"the stored manifest of {found.name}@{row.version} no longer validates",
            status=500,
            code="sbom_manifest_invalid",
            hint="report this to the registry administrator",
            detail="; ".join(p.message for p in report.errors),
        )
    sbom = build_sbom(files, manifest, integrity=row.integrity, published_at=row.published_at)
    return sbom.to_json()


def advisory_db(settings: Settings) -> AdvisoryDB:
    """The advisory database ``settings`` names (cached by path, mtime and size)."""
    return AdvisoryDB.load(settings.advisory_db_path)
