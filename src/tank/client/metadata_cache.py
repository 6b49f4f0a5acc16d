"""Skill documents on disk with their ETags and freshness (RFC 9111, simplified).

Split from :mod:`tank.client.http`, which re-exports these names.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CachedDocument:
    """A stored document: its ETag, its bytes, until when it may be used unasked, and the
    registry's signature that came with it (``Tank-Document-Signature``), if any."""

    etag: str
    body: bytes
    fresh_until: float
    signature: str | None = None

    @property
    def fresh(self) -> bool:
        """True while the registry's ``max-age`` has not run out."""
        return time.time() < self.fresh_until


def max_age(cache_control: str | None) -> int:
    """Seconds a response may be reused without asking (0 for no-cache, no-store, private)."""
    if not cache_control:
        return 0
    parts = [p.strip().lower() for p in cache_control.split(",")]
    if any(p in ("no-cache", "no-store", "private") for p in parts):
        return 0
    for part in parts:
        if part.startswith("max-age="):
            with contextlib.suppress(ValueError):
                return max(0, min(int(part[8:]), 86_400))
    return 0


class MetadataCache:
    """Skill documents on disk with their ETags and freshness (RFC 9111, simplified).

    A document is reused without a request while the registry's ``max-age`` lasts (npm's
    registry and ours say 5 minutes), then revalidated with ``If-None-Match``; ``--refresh``,
    ``tank update`` and ``tank outdated`` always revalidate. One file per URL, named by its
    SHA-256, written atomically; a broken entry is ignored and replaced.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, url: str) -> Path:
        return self.root / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def get(self, url: str) -> CachedDocument | None:
        """The document stored for ``url``, or ``None``."""
        try:
            raw = self._file(url).read_bytes()
            head, _, body = raw.partition(b"\n")
            meta = json.loads(head)
            etag, until = meta["etag"], float(meta.get("fresh_until", 0))
            signature = meta.get("signature")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if not isinstance(etag, str):
            return None
        signature = signature if isinstance(signature, str) else None
        return CachedDocument(etag, body, until, signature)

    def put(
        self, url: str, etag: str, body: bytes, *, max_age: int = 0, signature: str | None = None
    ) -> None:
        """Store ``body`` for ``url`` under ``etag`` (with the registry's ``signature``);
        failures only cost a future download."""
        target = self._file(url)
        head: dict[str, object] = {"etag": etag, "fresh_until": time.time() + max_age}
        if signature is not None:
            head["signature"] = signature
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{threading.get_ident()}.tmp")
            temp.write_bytes(json.dumps(head).encode() + b"\n" + body)
            temp.replace(target)
        except OSError:
            return
