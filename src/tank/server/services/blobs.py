"""Reading a stored version's tarball: one place that knows about the blob cache and what a
missing blob means to the caller."""

from __future__ import annotations

from tank.server.context import Registry
from tank.server.errors import NotFound


def stored_tarball(reg: Registry, name: str, version: str, blob_key: str) -> bytes:
    """The tarball bytes of ``name@version`` (small blobs come from the in-memory cache:
    blobs are immutable under their content address). A blob missing from storage is a 404
    that tells the caller to alert the administrator."""
    try:
        return reg.blob_cache.get(blob_key, reg.blobs.get)
    except KeyError:
        raise NotFound(
            f"the tarball of {name}@{version} is missing from storage",
            code="blob_missing",
            hint="report this to the registry administrator",
        ) from None
