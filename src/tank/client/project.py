"""A project's skills.json, skills.lock and installed folders, read and changed together.

:func:`install`, :func:`update` and :func:`remove` share one pipeline: read the inputs,
decide the new manifest and lockfile (re-resolving only when the lockfile no longer
satisfies the manifest, or when asked to), check the permission budget and verdicts, then
switch the folders and files in one transaction. Nothing is linked, and no file is written,
until every check has passed. The options a command runs with and its session (registries,
cache and provider) are in :mod:`tank.client.session`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tank.client import audit, policy, status, transparency, validated
from tank.client.agents import mirror_folders, selected
from tank.client.cache import ContentCache
from tank.client.changes import Change, budget_change, changes_between, granted
from tank.client.errors import NetworkError
from tank.client.evidence import Collector
from tank.client.gitsrc import explain_inferred
from tank.client.installer import Plan, apply_plan, make_plan
from tank.client.localsrc import WithLocal, read_locals, root_requirements
from tank.client.memo import Memo
from tank.client.offline import (
    OFFLINE_HINT,
    OfflineError,
    require_cached,
    skipped_checks,
)
from tank.client.paths import ProjectPaths, cache_dir
from tank.client.projectfiles import (
    locked,
    parse_project,
    read_lock,
    read_manifest_bytes,
)
from tank.client.repair import Repair
from tank.client.resolving import gc_paused, resolve_for_install
from tank.client.session import Options, Session
from tank.client.state import InstallState, digest, read_state
from tank.core.errors import PermissionBudgetError, Problem, ValidationError
from tank.core.gitsource import GitMove
from tank.core.lockfile import (
    Lockfile,
    build_lockfile,
    dump_lockfile,
    prune,
    rebudget,
    unsatisfied,
)
from tank.core.manifest import Manifest, dump_manifest
from tank.core.manifest_model import detect_indent
from tank.core.semver import Version

if TYPE_CHECKING:  # the scanner loads only when a skill comes from disk
    from tank.client.localscan import Overridden

__all__ = [
    "Options",
    "Outcome",
    "Session",
    "check_signatures",
    "commit",
    "enforce_policy",
    "is_ci",
    "lock_for",
    "run_pipeline",
]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command did: the lockfile now in force and every change it made."""

    lock: Lockfile
    manifest: Manifest
    changes: tuple[Change, ...]
    resolved: bool  # the registry was asked (False: installed from the lockfile as is)
    up_to_date: bool  # nothing changed on disk
    mirrors: tuple[str, ...]
    yanked: tuple[str, ...] = ()  # locked ``name@version``s their publisher yanked (PEP 592)
    #: ``(permission, entry)`` the installed skills may use now and could not before.
    granted: tuple[tuple[str, str], ...] = ()
    #: What happened to the budget: ``recorded`` (first install), ``widened``, ``unchanged``,
    #: ``none`` (no budget declared: a frozen install).
    budget: str = "unchanged"
    skipped_checks: tuple[str, ...] = ()  # what an offline install could not check
    #: Skills from disk installed although their scan failed (``--unsafe-allow-failing``).
    overridden: tuple[Overridden, ...] = ()
    #: Registries met for the first time that serve no transparency log (nothing proven).
    unlogged: tuple[str, ...] = ()
    #: Installed skills whose files had drifted, put back from the cache.
    repaired: tuple[Repair, ...] = ()
    #: Registries never seen signing that served unsigned skill documents (accepted).
    unsigned: tuple[str, ...] = ()
    #: Git skills moved off their locked commits (``tank update``): files, moved tags.
    git_moves: tuple[GitMove, ...] = ()


def is_ci() -> bool:
    """True when the ``CI`` environment variable says this is a CI run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# ---------------------------------------------------------------------- the pipeline


def lock_for(
    session: Session,
    manifest: Manifest,
    old: Lockfile | None,
    *,
    keep: Mapping[str, Version],
    force: bool,
) -> tuple[Lockfile, bool]:
    """The lockfile to install and whether the registry was asked.

    The old lockfile is kept as is when it still satisfies the manifest (and ``force`` is
    off). Otherwise the registry resolves again, preferring the versions in ``keep``, so
    an unrelated change never moves other skills.
    """
    budget = manifest.permissions if "permissions" in manifest.raw else None
    roots = root_requirements(manifest, session.local)

    def stale(lock: Lockfile) -> list[str]:
        reasons = unsatisfied(lock, roots)
        for name, package in sorted(session.local.items()):
            entry = lock.get(name)
            if entry is not None and entry.meta.integrity != package.integrity:
                reasons.append(f"{name} ({package.spec}) changed since it was locked")
        return reasons

    if old is not None and not force:
        if not stale(old):
            return rebudget(old, budget), False
        pruned = prune(old, roots, budget)  # a removal needs no registry
        if not stale(pruned) and not session.options.frozen:
            return pruned, False
    if session.options.offline:
        reasons = ["there is no skills.lock"] if old is None else stale(old)
        raise OfflineError(
            "skills.lock does not satisfy skills.json, and resolving needs the registry "
            "(offline install)",
            problems=[Problem("lock.stale", r) for r in reasons],
            hint="run `tank install` without --offline, with the registry reachable",
        )
    if session.options.frozen:
        reasons = ["there is no skills.lock"] if old is None else stale(old)
        raise ValidationError(
            "skills.lock does not match skills.json (frozen install)",
            code="lock_stale",
            problems=[Problem("lock.stale", r) for r in reasons],
            hint="run `tank install` without --frozen (and outside CI), then commit skills.lock",
        )
    provider = session.provider(old.versions if old else {})
    provider.prefetch(manifest.skills)
    provider.allow_exact(roots)
    progress = session.options.progress
    progress.start("resolve", len(roots))
    resolution = resolve_for_install(roots, WithLocal(provider, session.local), preferred=keep)
    meta = {
        (n, v): session.local[n].meta() if n in session.local else provider.meta(n, v)
        for n, v in resolution.versions.items()
    }
    progress.finish("resolve")
    return build_lockfile(resolution, meta, budget), True


def enforce_policy(
    session: Session, manifest: Manifest, lock: Lockfile, *, audited: bool = True
) -> Manifest:
    """Refuse the whole install, before anything is linked, when a skill is quarantined (as
    locked, or as the registry says now), scores below ``audit.min_score``, or exceeds the
    permission budget; the budget is widened instead when ``options.widen_budget`` agrees.

    ``audited=False`` (``tank remove``) skips the registry checks: removing never installs
    anything. Returns the manifest to write (the same one unless the budget was widened).
    """
    online = audited and not session.options.offline
    statuses = _statuses(session, lock) if online else None
    policy.refuse_quarantined(lock, {}, statuses)  # offline: the verdicts skills.lock recorded
    minimum = manifest.audit.min_score if manifest.audit is not None else None
    if audited and minimum is not None:
        low = policy.below_minimum(lock, minimum, statuses)
        details: Mapping[str, audit.Document | None] = {}
        if low and online:  # only the refused skills' documents, for their breakdowns
            documents = session.current_documents(s.name for s in low)
            details = audit.version_documents(session.registries, low, documents)
        policy.refuse_below_minimum(low, minimum, details)
    record = not session.options.frozen
    return policy.settle_budget(manifest, lock, session.options.widen_budget, record=record)


def check_signatures(
    session: Session,
    manifest: Manifest,
    lock: Lockfile,
    *,
    audited: bool = True,
    evidence: Collector | None = None,
    memo: Memo | None = None,
) -> Lockfile:
    """Verify every locked registry version's publisher signature (see
    :mod:`tank.client.signatures`) and return the lock recording who signed what; with
    ``audit.require_signing``, refuse unsigned skills. Offline, only what skills.lock
    records can be held to ``require_signing``."""
    if not audited:
        return lock
    require = manifest.audit is not None and manifest.audit.require_signing is True
    if session.options.offline:
        if require:
            from tank.client.signatures import require_recorded

            require_recorded(lock)
        return lock
    statuses = _statuses(session, lock)
    signed = any(s.meta.signer or s.meta.signature for s in lock.skills)
    served = any(
        v and (v.signature is not None or v.sigstore is not None) for v in statuses.values()
    )
    if not (require or signed or served):
        return lock  # nothing signed, nothing required: no need to load the crypto
    from tank.client.signatures import verify_lock

    keys = session.publisher_keys
    return verify_lock(lock, statuses, keys, require=require, evidence=evidence, memo=memo)


def _statuses(session: Session, lock: Lockfile) -> status.Statuses:
    """The registry's statuses; a registry that cannot be reached still fails the install
    (closed: the quarantine check is the point), with the way to install without it."""
    try:
        return session.current_statuses(lock.skills)
    except NetworkError as down:
        hint = f"{down.hint}; {OFFLINE_HINT}" if down.hint else OFFLINE_HINT
        raise type(down)(down.message, code=down.code, hint=hint, detail=down.detail) from None


def _guard(manifest: Manifest, lock: Lockfile) -> None:
    """The last check before switching: no failed verdict, nothing over the budget."""
    policy.refuse_quarantined(lock, {})
    policy.settle_budget(manifest, lock)


def commit(
    paths: ProjectPaths,
    session: Session,
    manifest: Manifest,
    manifest_bytes: bytes,
    lock: Lockfile,
    state: InstallState,
    *,
    write_manifest: bool,
) -> tuple[Plan, InstallState]:
    """Check policy again, then switch folders, links, skills.json and skills.lock together."""
    _guard(manifest, lock)
    agents = selected(manifest.agents, paths.link_root, is_global=paths.is_global)
    mirrors = tuple(mirror_folders(agents, is_global=paths.is_global))
    plan = make_plan(paths, lock, state, mirrors)
    if session.options.offline:
        todo = (plan.wanted[f].skill for f in (*plan.add, *plan.change))
        require_cached(todo, ContentCache(cache_dir()))
    lock_bytes = dump_lockfile(lock).encode() if lock.skills or paths.lockfile.exists() else None
    files: dict[Path, bytes | None] = {}
    if write_manifest:
        files[paths.manifest] = manifest_bytes
    if lock_bytes is not None:
        files[paths.lockfile] = lock_bytes
    with gc_paused():  # many short-lived objects, no cycles: see tank.client.resolving
        new_state = apply_plan(
            paths,
            plan,
            state,
            ContentCache(cache_dir()),
            session.fetch,
            files=files,
            digests=(digest(manifest_bytes), digest(lock_bytes)),
            progress=session.options.progress,
            link_mode=session.options.link_mode,
        )
    # Files Tank just wrote from validated values conform: the next run may skip the schema.
    if lock_bytes is not None:
        validated.remember("lock", lock_bytes)
    if write_manifest:
        validated.remember("manifest", manifest_bytes)
    return plan, new_state


def run_pipeline(
    paths: ProjectPaths,
    options: Options,
    *,
    create: bool,
    edit: Callable[[Manifest, Session], Manifest] | None = None,
    keep: Callable[[Lockfile | None], Mapping[str, Version]] | None = None,
    force: bool = False,
    audited: bool = True,
    moving: Collection[str] | None = None,
) -> Outcome:
    """Read, (edit,) lock, check and switch: the body of install, update and remove.

    Git skills stay at their locked commits except those named in ``moving`` (``update``).
    """
    with locked(paths, options.on_recover):
        original = read_manifest_bytes(paths, create=create)
        manifest = parse_project(original, paths)
        _, old_lock = read_lock(paths)
        state = read_state(paths.state)
        session = Session(manifest, options)
        try:
            if edit is not None:
                manifest = edit(manifest, session)
                session.manifest = manifest
            session.local = read_locals(
                paths.meta_root, manifest, old_lock, moving=moving, offline=options.offline
            )
            preferred = keep(old_lock) if keep else (old_lock.versions if old_lock else {})
            lock, resolved = lock_for(session, manifest, old_lock, keep=preferred, force=force)
            recheck = resolved and audited and not session.options.refresh
            if recheck and policy.quarantined(lock, {}, session.current_statuses(lock.skills)):
                # Resolved on cached documents that a rescan has changed since: resolve
                # again on current ones, so another satisfying version is chosen.
                session.revalidate()
                lock, resolved = lock_for(session, manifest, old_lock, keep=preferred, force=force)
            overridden: tuple[Overridden, ...] = ()
            memo = Memo(cache_dir() / "verified")  # envelopes (and scans) done before, by tag
            if session.local and audited:  # not from a Tank registry: scanned here
                from tank.client.localscan import settle

                lock, overridden = settle(
                    session.local,
                    lock,
                    allow=options.unsafe_allow_failing,
                    frozen=options.frozen,
                    memo=memo,
                )
            evidence = Collector()  # what verified, kept in the cache for `tank verify`
            lock = check_signatures(
                session, manifest, lock, audited=audited, evidence=evidence, memo=memo
            )
            try:
                allowed = enforce_policy(session, manifest, lock, audited=audited)
            except PermissionBudgetError as over:  # say which permissions were inferred
                raise explain_inferred(over, session.local) from None
            # Offline, no registry says what was yanked: that check is among the skipped ones.
            online = audited and not session.options.offline
            yanked = status.yanked(session.current_statuses(lock.skills)) if online else ()
            unlogged: tuple[str, ...] = ()
            if online:  # every registry version proven in its registry's log (fail closed)
                lock, unlogged = transparency.check_lock(
                    session.registries,
                    lock,
                    record=not options.frozen,
                    evidence=evidence,
                    memo=memo,
                )
            new_bytes = original
            if edit is not None or allowed is not manifest:
                indent = detect_indent(original.decode("utf-8", "replace"))
                new_bytes = dump_manifest(allowed, indent=indent).encode()
            budget = budget_change(manifest, allowed)
            if allowed is not manifest:  # the budget was widened: record the check it passes
                manifest, lock = allowed, rebudget(lock, allowed.permissions)
            write = new_bytes != original
            plan, new_state = commit(
                paths, session, manifest, new_bytes, lock, state, write_manifest=write
            )
            evidence.save(ContentCache(cache_dir()))
            unsigned = session.unsigned_documents()
        finally:
            session.close()
        return Outcome(
            lock,
            manifest,
            changes_between(state, new_state, old_lock, lock),
            resolved,
            plan.empty and not write,
            plan.mirrors,
            yanked,
            granted(old_lock, lock),
            budget,
            skipped_checks(lock, manifest) if options.offline and audited else (),
            overridden,
            unlogged,
            tuple(plan.repaired.values()),
            unsigned,
            tuple(p.moved for _, p in sorted(session.local.items()) if p.moved is not None),
        )
