"""Download tarballs while the resolver is still reading metadata.

For a skill the project requires directly, the version the resolver will pick is almost
always the newest live version in the required range (or the one already locked). As soon as
its document arrives, that tarball starts downloading, so the network work of a cold install
overlaps the metadata round trips instead of following them. A wrong guess costs one wasted
download; a right one is used only if its integrity is the locked one (it is verified like
any download).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from tank.client.registries import Registries
from tank.core.errors import TankError, VersionError
from tank.core.lockfile import LockedSkill, tarball_path
from tank.core.semver import Range, Version, parse_version

WORKERS = 8


class Speculator:
    """Starts tarball downloads for the likely choice of each root skill."""

    def __init__(
        self,
        registries: Registries,
        roots: Mapping[str, Range],
        preferred: Mapping[str, Version],
        have: Callable[[str], bool],
    ) -> None:
        self._registries = registries
        self._have = have  # is the tarball with this integrity already cached?
        self._roots = dict(roots)
        self._preferred = dict(preferred)
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="tank-spec")
        # name@version -> (the integrity the download was verified against, the download)
        self._started: dict[str, tuple[str, Future[bytes | None]]] = {}
        self._lock = threading.Lock()

    def on_document(self, name: str, doc: dict[str, Any]) -> None:
        """Called (from a prefetch thread) when ``name``'s document arrives."""
        wanted = self._roots.get(name)
        if wanted is None:
            return
        guess = self._guess(doc, wanted, self._preferred.get(name))
        if guess is None:
            return
        version, integrity = guess
        try:
            if self._have(integrity):
                return  # a warm cache: nothing to fetch (and no reason to load the HTTP stack)
        except TankError:
            return  # not an integrity the cache can key: the normal path will report it
        key = f"{name}@{version}"
        with self._lock:
            if key in self._started:
                return
            future = self._pool.submit(self._download, name, version, integrity)
            self._started[key] = (integrity, future)

    @staticmethod
    def _guess(
        doc: dict[str, Any], wanted: Range, pinned: Version | None
    ) -> tuple[Version, str] | None:
        best: tuple[Version, str] | None = None
        for text, entry in (doc.get("versions") or {}).items():
            if not isinstance(entry, dict) or entry.get("deleted") or entry.get("yanked"):
                continue
            if entry.get("verdict") == "fail" or not isinstance(entry.get("integrity"), str):
                continue
            try:
                version = parse_version(text)
            except VersionError:
                continue
            if pinned is not None and version == pinned:
                return version, entry["integrity"]
            if wanted.contains(version) and (best is None or version.sort_key > best[0].sort_key):
                best = (version, entry["integrity"])
        return best

    def _download(self, name: str, version: Version, integrity: str) -> bytes | None:
        client = self._registries.for_name(name)
        with contextlib.suppress(TankError):
            return client.tarball(
                tarball_path(name, version), integrity, subject=f"{name}@{version}"
            )
        return None

    def take(self, skill: LockedSkill) -> bytes | None:
        """The speculative download of ``skill`` if one was started and matches its lock."""
        with self._lock:
            started = self._started.get(skill.key)
        # The download was verified against the document's integrity: usable only when that
        # is the integrity the lockfile promises (no second hash of the same bytes).
        if started is None or started[0] != skill.meta.integrity:
            return None
        try:
            return started[1].result()
        except Exception:
            return None

    def close(self) -> None:
        """Drop downloads nobody took."""
        self._pool.shutdown(wait=True, cancel_futures=True)
