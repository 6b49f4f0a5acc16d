"""What one command of the install pipeline runs with: its :class:`Options`, and the
:class:`Session` that opens the registries, cache and resolver's provider lazily and closes
them once.

Split from :mod:`tank.client.project` (the pipeline itself), which uses these and re-exports
them. The pipeline reaches the registries only through the session, whose ``registries``
property refuses an offline install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tank.client import audit, status
from tank.client.cache import ContentCache
from tank.client.config import registry_map
from tank.client.localsrc import LocalPackage
from tank.client.offline import needs_registry
from tank.client.paths import cache_dir
from tank.client.progress import Progress, Silent
from tank.client.provider import RegistryProvider
from tank.client.registries import Registries
from tank.client.speculate import Speculator
from tank.client.transaction import Recovery
from tank.core.errors import IntegrityError
from tank.core.gitsource import is_git_resolved
from tank.core.lockfile import LockedSkill, tarball_path
from tank.core.manifest import LOCAL_PREFIX, Manifest
from tank.core.permissions import BudgetViolation
from tank.core.semver import Version

if TYPE_CHECKING:
    from tank.core.signing import PublicKey


@dataclass(frozen=True, slots=True)
class Options:
    """How to run: registry override, frozen lockfile, link mode, progress display."""

    registry: str | None = None
    frozen: bool = False
    refresh: bool = False  # ask the registry even for documents still fresh in the cache
    link_mode: str | None = None
    progress: Progress = field(default_factory=Silent)
    #: Asked once, with every violation, when skills exceed the permission budget: True
    #: widens the budget in skills.json by exactly what they need (the CLI asks on a TTY).
    widen_budget: Callable[[Sequence[BudgetViolation]], bool] | None = None
    #: Told what rolling back an interrupted install did, before this command starts.
    on_recover: Callable[[Recovery], None] | None = None
    #: Install from skills.lock and the cache only, never touching the network (see
    #: :mod:`tank.client.offline` for the checks this skips).
    offline: bool = False
    #: Install skills from disk whose scan fails (``--unsafe-allow-failing``): loudly, and
    #: recorded in skills.lock (see :func:`tank.client.localscan.settle`).
    unsafe_allow_failing: bool = False
    #: Agents named by ``tank install --agent`` (ids or aliases): added to skills.json's
    #: ``agents`` by the install, so they choose the links now and in later installs.
    agents: tuple[str, ...] = ()
    #: Asked, on a terminal, which skills of a git repository holding several to install
    #: (given their sources, returns those chosen); None: such an install stops and lists them.
    choose_skills: Callable[[Sequence[str]], Sequence[str]] | None = None


@dataclass
class Session:
    """The registries, cache and provider one command uses (opened lazily, closed once)."""

    manifest: Manifest
    options: Options
    local: dict[str, LocalPackage] = field(default_factory=dict)
    _registries: Registries | None = None
    _provider: RegistryProvider | None = None
    _speculator: Speculator | None = None
    _revalidate: bool = False  # documents are asked for again even while fresh in the cache
    _current: dict[str, audit.Document | None] = field(default_factory=dict)
    _statuses: status.Statuses = field(default_factory=dict)
    _keys: dict[tuple[str, str], tuple[list[PublicKey], set[str]]] = field(default_factory=dict)

    @property
    def registries(self) -> Registries:
        """The registry clients (created on first use: a lockfile install may need none)."""
        if self._registries is None:
            if self.options.offline:  # the one door to the network: shut when offline
                raise needs_registry("this step")
            routes = registry_map(
                override=self.options.registry, project_registries=self.manifest.registries
            )
            self._registries = Registries(routes)
        return self._registries

    def provider(self, pinned: Mapping[str, Version]) -> RegistryProvider:
        """The resolver's provider over the registries; root skills' likely tarballs start
        downloading as their documents arrive (see :mod:`tank.client.speculate`)."""
        if self._provider is None:
            self._revalidate = self._revalidate or self.options.refresh
            cache = ContentCache(cache_dir())
            self._speculator = Speculator(
                self.registries,
                self.manifest.skills,
                pinned,
                have=lambda integrity: cache.tarball_file(integrity).is_file(),
            )
            self._provider = RegistryProvider(
                self.registries,
                pinned=pinned,
                revalidate=self._revalidate,
                on_document=self._speculator.on_document,
            )
        return self._provider

    def fetch(self, skill: LockedSkill) -> bytes:
        """Download ``skill``'s tarball from its registry, verified against its integrity."""
        if skill.meta.resolved.startswith(LOCAL_PREFIX) or is_git_resolved(skill.meta.resolved):
            package = self.local.get(skill.name)
            if package is None or package.integrity != skill.meta.integrity:
                raise IntegrityError(
                    f"{skill.key}: {skill.meta.resolved} no longer has the locked content",
                    code="local_changed",
                    hint="run `tank install` (without --frozen) to lock the new content",
                )
            return package.data
        expected = tarball_path(skill.name, skill.version)
        if skill.meta.resolved != expected:
            # A lockfile edited to fetch another package's tarball (lockfile injection).
            raise IntegrityError(
                f"{skill.key}: skills.lock resolves it to {skill.meta.resolved!r}, "
                f"not {expected!r}",
                code="lock_resolved_mismatch",
                hint="someone edited skills.lock; delete it and run `tank install` to rebuild it",
            )
        early = self._speculator.take(skill) if self._speculator else None
        if early is not None:
            return early
        client = self.registries.for_name(skill.name)
        return client.tarball(expected, skill.meta.integrity, subject=skill.key)

    def current_documents(self, names: Iterable[str]) -> dict[str, audit.Document | None]:
        """The skills' documents as the registry says now: revalidated (a 304 each when
        unchanged), or the provider's when it revalidated; each name asked once a command."""
        wanted = list(dict.fromkeys(names))
        missing = [n for n in wanted if n not in self._current]
        if missing and self._provider is not None and self._revalidate:
            self._current.update({n: self._provider.document(n) for n in missing})
        elif missing:
            self._current.update(audit.current_documents(self.registries, missing))
        return {n: self._current[n] for n in wanted}

    def current_statuses(self, skills: Iterable[LockedSkill]) -> status.Statuses:
        """Whether each locked registry version is still served, by ``name@version``: from
        documents this command already revalidated when it has them, else one bulk
        ``POST /v1/status`` per registry (per skill document for a registry without it)."""
        remote = [s for s in skills if not audit.is_local(s)]
        missing = [s for s in remote if s.key not in self._statuses]
        fresh = self._provider is not None and self._revalidate
        known = [s for s in missing if fresh or s.name in self._current]
        if known:
            names = (s.name for s in known)
            self._statuses.update(status.from_documents(known, self.current_documents(names)))
        ask = [s for s in missing if s.key not in self._statuses]
        if ask:
            found, unsupported = status.bulk_statuses(self.registries, ask)
            self._statuses.update(found)
            if unsupported:  # an older registry: one skill document each, as before
                names = (s.name for s in unsupported)
                documents = self.current_documents(names)
                self._statuses.update(status.from_documents(unsupported, documents))
        return {s.key: self._statuses[s.key] for s in remote}

    def publisher_keys(self, name: str, publisher: str) -> tuple[list[PublicKey], set[str]]:
        """The keys of ``publisher`` on the registry serving ``name``: (unrevoked keys,
        revoked fingerprints); asked once per publisher and registry a command."""
        from tank.client.signatures import parse_keys

        client = self.registries.for_name(name)
        key = (client.base_url, publisher)
        if key not in self._keys:
            self._keys[key] = parse_keys(client.user_keys(publisher))
        return self._keys[key]

    def revalidate(self) -> None:
        """Drop the provider: the next one asks the registry for every document again."""
        self._statuses.clear()
        if self._provider is not None:
            self._provider.close()
        if self._speculator is not None:
            self._speculator.close()
        self._provider, self._speculator, self._revalidate = None, None, True

    def unsigned_documents(self) -> tuple[str, ...]:
        """Registries that served unsigned skill documents this command (see
        :mod:`tank.client.signed_metadata`): the install warns about each."""
        return self._registries.unsigned() if self._registries is not None else ()

    def close(self) -> None:
        """Close prefetch threads and connection pools."""
        if self._provider is not None:
            self._provider.close()
        if self._speculator is not None:
            self._speculator.close()
        if self._registries is not None:
            self._registries.close()
