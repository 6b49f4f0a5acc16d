"""The pipeline's :class:`Options` from the registry's settings (the advisory file cached)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from tank.core.advisories import AdvisoryDB
from tank.server.services.pipeline.behaviour import BehaviourConfig
from tank.server.services.pipeline.candidate import Options
from tank.server.settings import Settings

__all__ = ["advisory_db", "options_for"]

log = logging.getLogger("tank.server.pipeline")
_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], AdvisoryDB]] = {}


def advisory_db(path: Path | None) -> AdvisoryDB | None:
    """The advisory database at ``path`` (None when no path is configured).

    Loaded once and reloaded when the file changes (size or mtime), so an admin who updates
    the file needs no restart.
    """
    if path is None:
        return None
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)  # missing: AdvisoryDB.load answers an empty database
    key = str(path)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            db = AdvisoryDB.load(path)
        except Exception:  # a broken file must not stop publishing; the item then scores 0
            log.exception("the advisory database %s could not be loaded", path)
            return None
        _cache[key] = (stamp, db)
        return db


def behaviour_config(settings: Settings) -> BehaviourConfig | None:
    """The behaviour check's limits, or None when the setting is off."""
    if not settings.behaviour_check:
        return None
    return BehaviourConfig(
        run_seconds=float(settings.behaviour_run_seconds),
        cpu_seconds=int(settings.behaviour_cpu_seconds),
        output_bytes=int(settings.behaviour_output_bytes),
        max_scripts=int(settings.behaviour_max_scripts),
        budget_seconds=float(settings.behaviour_budget_seconds),
    )


def options_for(settings: Settings) -> Options:
    """The stages' options: scan timeout, advisory database, Sigstore trusted root and the
    behaviour check."""
    return Options(
        scan_timeout_s=float(settings.scan_timeout_seconds),
        advisories=advisory_db(settings.advisory_db_path),
        sigstore_trusted_root=settings.sigstore_trusted_root,
        behaviour=behaviour_config(settings),
    )
