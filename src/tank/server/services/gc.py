"""Garbage collection of blobs no version references (``tank registry gc``).

A publish writes its blob before committing the version row, so at any moment a fresh blob
may be unreferenced *yet*. Only blobs older than ``grace_seconds`` are candidates, and the
set of referenced keys is read after listing the store, so a publish that commits while gc
runs keeps its blob either way. Unpublished versions keep their rows (and so their blobs):
lockfiles may still name them and admins may need them for forensics. A put killed mid-write
(kill -9, power loss) leaves a partial temporary file; those older than the grace period go
too, and are listed as ``tmp/<file>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tank.server.context import Registry
from tank.server.db.models import SkillVersion


@dataclass(frozen=True, slots=True)
class GcReport:
    """What a collection removed (or would remove, in a dry run) and how many blobs it kept."""

    removed: list[str] = field(default_factory=list)
    kept: int = 0


def collect_garbage(
    registry: Registry, *, grace_seconds: int = 3600, dry_run: bool = False
) -> GcReport:
    """Delete blobs that no version row references and that are older than the grace period."""
    cutoff = datetime.now(UTC) - timedelta(seconds=grace_seconds)
    # List first, then read the references: a blob committed in between is referenced by then.
    stored = list(registry.blobs.keys())
    with registry.sessions() as session:
        referenced = set(session.scalars(select(SkillVersion.blob_key).distinct()))
    removed = registry.blobs.sweep_partial_writes(cutoff, dry_run=dry_run)
    kept = 0
    for key, written in stored:
        if key in referenced or written > cutoff:
            kept += 1
            continue
        if not dry_run:
            registry.blobs.delete(key)
            registry.blob_cache.discard(key)
        removed.append(key)
    return GcReport(removed=removed, kept=kept)
