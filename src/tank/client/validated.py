"""Remember which exact file contents already passed the JSON Schema check.

Schema validation (jsonschema: ~60 ms to import, ~1 ms per lockfile entry) is the largest
fixed cost of an install from a warm cache. Its outcome depends only on the bytes and on
this version of Tank, so the client records the SHA-256 of every skills.json and skills.lock
that passed, in the cache folder, and skips the schema pass (not the other checks) when the
same bytes come again. A forged marker could only make Tank read a malformed file it would
otherwise have rejected with a nicer message: the remaining checks still run.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from tank import __version__
from tank.client.paths import cache_dir


def _marker(kind: str, data: bytes) -> Path:
    digest = hashlib.sha256(f"{kind}\0{__version__}\0".encode() + data).hexdigest()
    return cache_dir() / "validated" / digest[:2] / digest


def seen(kind: str, data: bytes) -> bool:
    """True when these bytes of this kind passed the schema check before."""
    return _marker(kind, data).exists()


def remember(kind: str, data: bytes) -> None:
    """Record that these bytes passed (best effort: a failure costs a re-check next time)."""
    marker = _marker(kind, data)
    with contextlib.suppress(OSError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
