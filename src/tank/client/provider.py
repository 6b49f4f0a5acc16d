"""The resolver's view of the registries: skill documents fetched in parallel, ahead of need.

The resolver asks one question at a time (versions of X, dependencies of X@v). Answering
each with a blocking request would make a resolution as slow as its longest chain of round
trips times its width, so the provider prefetches: every root name at once when it starts,
and the dependencies of every version the resolver looks at as soon as it looks. Documents
come through the registry client's ETag cache (a warm cache costs a 304 per skill).

Choosable versions are the live ones: not unpublished, not yanked, not failed by the scanner.
As in PEP 592, a yanked version stays choosable where it is asked for exactly: locked by the
project (``pinned``), or named by an exact requirement (``1.2.3`` in skills.json or in a
dependency's); the install then warns. A failed one never is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from tank.client.errors import NotFoundError
from tank.client.registries import Registries
from tank.core.lockfile import PackageMeta, tarball_path
from tank.core.permissions import parse_permissions
from tank.core.semver import Range, Version, parse_range, parse_version

WORKERS = 16


class RegistryProvider:
    """A :class:`tank.core.resolver.Provider` over one or more registries."""

    def __init__(
        self,
        registries: Registries,
        *,
        pinned: Mapping[str, Version] | None = None,
        revalidate: bool = False,
        on_document: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self._registries = registries
        self._revalidate = revalidate
        self._on_document = on_document
        self._pinned = dict(pinned or {})
        self._exact: dict[str, set[Version]] = {}
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="tank-meta")
        self._docs: dict[str, Future[dict[str, Any] | None]] = {}
        self._ranges: dict[tuple[str, Version], dict[str, Range]] = {}
        self.fetched = 0

    def close(self) -> None:
        """Stop the prefetch threads (pending prefetches are cancelled)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RegistryProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ documents

    def prefetch(self, names: Iterable[str]) -> None:
        """Start fetching the documents of ``names`` (no-op for ones already asked for)."""
        for name in names:
            if name not in self._docs:
                self._docs[name] = self._pool.submit(self._fetch, name)

    def _fetch(self, name: str) -> dict[str, Any] | None:
        try:
            client = self._registries.for_name(name)
            doc = client.skill_document(name, revalidate=self._revalidate)
        except NotFoundError:
            return None
        self.fetched += 1
        if self._on_document is not None:
            self._on_document(name, doc)
        return doc

    def document(self, name: str) -> dict[str, Any] | None:
        """The skill's document (``None`` when no registry has it)."""
        self.prefetch([name])
        return self._docs[name].result()

    def _summary(self, name: str, version: Version) -> dict[str, Any]:
        doc = self.document(name) or {}
        entry = (doc.get("versions") or {}).get(str(version))
        if not isinstance(entry, dict):
            raise NotFoundError(
                f"{name}@{version} is not on the registry",
                status=404,
                hint="it may have been unpublished; run `tank update` to pick another version",
            )
        return entry

    def allow_exact(self, ranges: Mapping[str, Range]) -> None:
        """Let yanked versions these ranges name exactly be chosen (PEP 592's ``==`` rule)."""
        for name, wanted in ranges.items():
            for alternative in wanted.comparators:
                if len(alternative) == 1 and alternative[0][0] == "":  # ``=v`` alone
                    version = alternative[0][1]
                    if version is not None:
                        self._exact.setdefault(name, set()).add(version)

    # ------------------------------------------------------------------ Provider

    def versions(self, name: str) -> Sequence[Version]:
        """Live versions of ``name`` (plus yanked ones locked or required exactly)."""
        doc = self.document(name)
        if doc is None:
            return []
        out: list[Version] = []
        allowed = {self._pinned.get(name), *self._exact.get(name, ())}
        for text, entry in (doc.get("versions") or {}).items():
            if not isinstance(entry, dict) or entry.get("deleted"):
                continue
            if entry.get("verdict") == "fail":
                continue
            version = parse_version(text)
            if entry.get("yanked") and version not in allowed:
                continue
            out.append(version)
        return out

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        """The ranges ``name@version`` requires; their documents start downloading now."""
        key = (name, version)
        found = self._ranges.get(key)
        if found is None:
            raw = self._summary(name, version).get("dependencies") or {}
            found = {dep: parse_range(text) for dep, text in sorted(raw.items())}
            self._ranges[key] = found
            self.allow_exact(found)
            self.prefetch(found)
        return found

    def meta(self, name: str, version: Version) -> PackageMeta:
        """What the lockfile records for ``name@version``."""
        entry = self._summary(name, version)
        permissions, _ = parse_permissions(entry.get("permissions") or {}, file=name)
        score = entry.get("audit_score")
        return PackageMeta(
            integrity=str(entry["integrity"]),
            resolved=tarball_path(name, version),
            permissions=permissions,
            # signature and signer are recorded only once verified (tank.client.signatures)
            audit_score=float(score) if isinstance(score, int | float) else None,
            verdict=entry.get("verdict"),
        )

    def latest(self, name: str) -> Version | None:
        """The registry's ``latest`` version of ``name`` (``None``: unknown or none live)."""
        doc = self.document(name)
        text = doc.get("latest") if doc else None
        return parse_version(text) if isinstance(text, str) else None
