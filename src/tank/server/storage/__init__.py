"""Blob storage: one Protocol, implementations chosen by settings (local folder today; S3 and
OCI registries plug in behind the same seam later).

Blobs are content-addressed: the key is derived from the bytes (``sha512/<hex>``), so a put is
idempotent, two versions with identical tarballs share one blob, and a blob never changes
under a key. Publishing writes the blob *before* the metadata commit; a crash in between leaves
an unreferenced blob that ``tank registry gc`` reclaims, never a version without its blob.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol


class BlobStore(Protocol):
    """Where tarballs live."""

    def put(self, data: bytes) -> str:
        """Store ``data`` (atomically: readers see all of it or nothing); return its key."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; raises ``KeyError`` when absent."""
        ...

    def exists(self, key: str) -> bool:
        """True when ``key`` is stored."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key`` (no error when absent)."""
        ...

    def keys(self) -> Iterator[tuple[str, datetime]]:
        """Every stored key with its write time (for garbage collection)."""
        ...

    def sweep_partial_writes(self, older_than: datetime, *, dry_run: bool = False) -> list[str]:
        """Remove (or, dry, only list) what interrupted puts older than ``older_than`` left."""
        ...


def blob_key(data: bytes) -> str:
    """The content address of ``data``."""
    import hashlib

    return "sha512/" + hashlib.sha512(data).hexdigest()
