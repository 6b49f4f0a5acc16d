"""``tank install --offline``: skills.lock and the cache, and no network at all.

An offline install places exactly what skills.lock records, from tarballs already in the
content cache (each re-verified against its integrity, and its manifests against the lock
entry, as always). What it cannot do is ask the registry: whether a locked version was
quarantined or unpublished since it was locked (``POST /v1/status``), and its current
audit score. Those checks are listed in :func:`skipped_checks` and printed loudly; the
checks that need no registry (recorded verdicts, recorded scores against
``audit.min_score``, the permission budget, integrity) still run.

Without ``--offline`` a registry that cannot be reached still fails the install (closed:
the quarantine check is the point), with a hint naming ``--offline``.
"""

from __future__ import annotations

from collections.abc import Iterable

from tank.client.audit import is_local
from tank.client.cache import ContentCache
from tank.client.errors import NetworkError
from tank.core.lockfile import LockedSkill, Lockfile
from tank.core.manifest import Manifest

#: The hint added to "cannot reach the registry" when an install checks statuses.
OFFLINE_HINT = (
    "to install what skills.lock records from the local cache without the registry, run "
    "`tank install --offline` (it cannot check for quarantines since the lockfile was made)"
)


class OfflineError(NetworkError):
    """An offline install needs something only the registry has."""

    default_code = "offline"


def needs_registry(what: str) -> OfflineError:
    """The refusal when an offline install would have to ask the registry for ``what``."""
    return OfflineError(
        f"{what} needs the registry, and this install is offline (--offline, TANK_OFFLINE)",
        hint="run it again without --offline (and with the registry reachable); offline, "
        "Tank installs only what skills.lock records, from the cache",
    )


def require_cached(skills: Iterable[LockedSkill], cache: ContentCache) -> None:
    """Refuse, naming every one, when a registry skill to place has no tarball in the cache."""
    missing = [
        s.key
        for s in skills
        if not is_local(s) and not cache.tarball_file(s.meta.integrity).is_file()
    ]
    if missing:
        count = len(missing)
        raise OfflineError(
            f"{count} skill{'s are' if count != 1 else ' is'} not in the local cache, "
            f"so an offline install cannot place {'them' if count != 1 else 'it'}: "
            + ", ".join(missing),
            hint=f"run `tank install` once with the registry reachable (cache: {cache.root}), "
            "or point TANK_CACHE_DIR at a cache that has them",
        )


def skipped_checks(lock: Lockfile, manifest: Manifest) -> tuple[str, ...]:
    """The checks an offline install of ``lock`` could not make (empty: none applied)."""
    if all(is_local(s) for s in lock.skills):
        return ()
    skipped = [
        "quarantine: whether a locked version was quarantined (failed a rescan), yanked or "
        "unpublished since skills.lock was made (POST /v1/status); only the verdicts "
        "recorded in skills.lock were checked"
    ]
    skipped.append(
        "transparency log: that each locked version is in its registry's log, and the log "
        "only grew (POST /v1/log/proofs); the log indexes in skills.lock were not re-proven"
    )
    skipped.append(
        "signed metadata: that the registry's skill documents are signed, unexpired and not "
        "older than ones seen before; none were read: skills.lock was installed as recorded"
    )
    if manifest.audit is not None and manifest.audit.min_score is not None:
        skipped.append(
            "audit.min_score: checked against the scores recorded in skills.lock, not the "
            "registry's current ones"
        )
    return tuple(skipped)
