"""Before an install links anything: prove every locked registry version is in its
registry's transparency log, and that the log only ever grew.

Per registry, the client pins (in its state folder, :func:`tank.client.paths.state_dir`)
the registry's signing keys and the last tree head it saw. One ``POST /v1/log/proofs`` per
registry (per 1000 versions) brings the latest signed head, a consistency proof from the
pinned head, an inclusion proof for each version, and the registry's key list; the checks
themselves are :func:`tank.core.translog.check_proofs`. Any failure refuses the whole
install (fail closed) with a :class:`~tank.core.translog.LogError` (exit 6).

Each version's registry attestation (the one its log entry names, and a newer one a rescan
signed) is verified against the same pinned keys (:func:`tank.core.attestation.verify_attestation`).
What verified is handed to an :class:`~tank.client.evidence.Collector` (kept in the cache for
``tank verify``), and the pins keep the last :data:`SEEN_HEADS` heads accepted (each proven
consistent with the one before), so ``tank verify`` can check a proof made against an
earlier head.

Trust on first use: the first time a registry is seen, its oldest key (and every key it
endorsed, link by link) is pinned. A registry that answers the route with 404/405 has no
log: accepted on first use only (the install says the check was skipped); once a log was
seen from it, a registry that stops serving one is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tank.client.audit import is_local
from tank.client.fsutil import write_atomic
from tank.client.paths import registry_state_file
from tank.client.registries import Registries
from tank.core import boundedjson
from tank.core.attestation import verify_attestation
from tank.core.lockfile import LockedSkill, Lockfile, with_log_indexes
from tank.core.signing import (
    PublicKey,
    SignatureError,
    digest_b64,
    parse_envelope,
    parse_public_key,
)
from tank.core.translog import (
    LogError,
    TreeHead,
    Wanted,
    check_proofs,
    parse_entry,
    verify_head,
)

if TYPE_CHECKING:
    from tank.client.evidence import Collector
    from tank.client.memo import Memo

BATCH = 1000
MISSING_ROUTE = (404, 405)
STATE_VERSION = 1
#: How many accepted tree heads the pins remember (``tank verify`` checks proofs against them).
SEEN_HEADS = 1000


@dataclass(frozen=True, slots=True)
class Pinned:
    """What the client trusts about one registry: its keys, and the last head it saw."""

    keys: tuple[PublicKey, ...] = ()
    head: TreeHead | None = None
    envelope: dict[str, Any] | None = None
    #: ``(size, root hex)`` of the heads accepted before, oldest first (the newest is
    #: ``head``): one history, each proven to extend the one before.
    seen: tuple[tuple[int, str], ...] = ()

    def knows(self, head: TreeHead) -> bool:
        """True when ``head`` is the pinned head or one accepted before it."""
        if self.head is not None and (self.head.size, self.head.root) == (head.size, head.root):
            return True
        return (head.size, head.root.hex()) in self.seen

    def moved_to(
        self, keys: tuple[PublicKey, ...], head: TreeHead, envelope: dict[str, Any]
    ) -> Pinned:
        """The pins after ``head`` (proven to extend ours) was accepted: ours joins ``seen``."""
        seen = self.seen
        if self.head is not None:
            seen = (*seen, (self.head.size, self.head.root.hex()))
        kept = tuple(dict.fromkeys(s for s in seen if s != (head.size, head.root.hex())))
        return Pinned(keys, head, envelope, kept[-SEEN_HEADS:])

    def to_json(self, registry: str) -> dict[str, Any]:
        """The state file's JSON document."""
        head = None
        if self.head is not None:
            head = {**self.head.body(), "envelope": self.envelope}
        return {
            "version": STATE_VERSION,
            "registry": registry,
            "keys": [k.as_dict() for k in self.keys],
            "head": head,
            "seen": [[size, root] for size, root in self.seen],
        }


def pin_file(registry: str) -> Path:
    """Where the client pins ``registry``'s keys and last tree head."""
    return registry_state_file(registry, "transparency")


def load_pinned(registry: str) -> Pinned | None:
    """The pins of ``registry``; None on first use. A damaged file is an error, never a
    silent first use (that would let whoever damaged it choose the keys)."""
    path = pin_file(registry)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _damaged(path, str(error)) from None
    try:
        data = boundedjson.loads(raw, max_bytes=1024 * 1024)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a pin file of this version")
        keys = tuple(parse_public_key(k) for k in data.get("keys") or [])
        head_raw = data.get("head")
        if head_raw is None:
            return Pinned(keys)
        head, _ = verify_head(head_raw.get("envelope"), keys)  # our own evidence re-checked
        seen = tuple((int(size), str(root)) for size, root in data.get("seen") or [])
        return Pinned(keys, head, head_raw.get("envelope"), seen[-SEEN_HEADS:])
    except (ValueError, TypeError, AttributeError, SignatureError, LogError) as error:
        raise _damaged(path, str(error)) from None


def _damaged(path: Path, why: str) -> LogError:
    return LogError(
        f"the pinned transparency-log state {path} cannot be read: {why}",
        code="log_state_damaged",
        hint=f"if you did not edit it, something else did; delete {path} to trust the "
        "registry anew on the next install",
    )


def save_pinned(registry: str, pinned: Pinned) -> None:
    """Write the pins atomically (0600: nobody else decides what this user trusts)."""
    path = pin_file(registry)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(pinned.to_json(registry), indent=2, sort_keys=True) + "\n"
    write_atomic(path, data.encode(), mode=0o600)


def check_lock(
    registries: Registries,
    lock: Lockfile,
    *,
    record: bool = True,
    evidence: Collector | None = None,
    memo: Memo | None = None,
) -> tuple[Lockfile, tuple[str, ...]]:
    """Prove every registry version of ``lock`` is logged and attested; return the lock with
    its log indexes (unless ``record`` is off: a frozen install) and the registries without a
    log. What verified goes to ``evidence``; ``memo`` spares re-verifying attestations this
    machine verified before."""
    groups: dict[str, list[LockedSkill]] = {}
    for skill in lock.skills:
        if not is_local(skill):
            groups.setdefault(registries.routes.for_name(skill.name), []).append(skill)
    indexes: dict[str, int] = {}
    unlogged: list[str] = []
    for url, group in groups.items():
        found = _check_registry(registries, url, group, evidence, memo)
        if found is None:
            unlogged.append(url)
        else:
            indexes.update(found)
    if record and indexes:
        lock = with_log_indexes(lock, indexes)
    return lock, tuple(unlogged)


def _check_registry(
    registries: Registries,
    url: str,
    group: Iterable[LockedSkill],
    evidence: Collector | None,
    memo: Memo | None,
) -> dict[str, int] | None:
    client = registries.client(url)
    pinned = load_pinned(url)
    skills = list(group)
    indexes: dict[str, int] = {}
    for start in range(0, len(skills), BATCH):
        batch = skills[start : start + BATCH]
        wanted = [Wanted(s.key, s.meta.integrity, s.meta.log_index) for s in batch]
        first = pinned.head.size if pinned and pinned.head else None
        response = client.request(
            "POST",
            "/v1/log/proofs",
            json={"versions": [w.key for w in wanted], "first": first},
            ok=(200, *MISSING_ROUTE),
        )
        if response.status_code in MISSING_ROUTE:
            if pinned is not None:
                raise LogError(
                    f"the registry at {url} served a transparency log before and now does not",
                    code="log_withdrawn",
                    hint="a registry that hides its log may be hiding what it serves; ask "
                    "its administrator",
                )
            return None
        try:
            answer = boundedjson.loads(response.content, max_bytes=boundedjson.DOCUMENT_MAX_BYTES)
        except ValueError:
            answer = None
        try:
            checked = check_proofs(
                answer,
                wanted,
                pinned.keys if pinned else (),
                pinned.head if pinned else None,
                registry=url,
            )
        except LogError as error:
            if error.code == "log_key_changed":
                error.hint = f"{error.hint}: delete {pin_file(url)}"
            raise
        items = answer.get("entries") if isinstance(answer, Mapping) else None
        for skill in batch:
            item = items.get(skill.key) if isinstance(items, Mapping) else None
            assert isinstance(item, Mapping)  # check_proofs refused a missing one
            check_attestations(skill, item, checked.keys, url, memo)
            if evidence is not None:
                evidence.log(skill, url, item, checked.envelope)
        before = pinned or Pinned()
        pinned = before.moved_to(checked.keys, checked.head, dict(checked.envelope))
        save_pinned(url, pinned)
        indexes.update(checked.indexes)
    return indexes


def check_attestations(
    skill: LockedSkill,
    item: Mapping[str, Any],
    keys: Iterable[PublicKey],
    registry: str,
    memo: Memo | None = None,
) -> None:
    """The registry attestation the log entry of ``skill`` names (and a newer one, when a
    rescan signed one), verified against ``keys``: a :class:`LogError` otherwise."""
    entry = parse_entry(item.get("entry"))
    logged, latest = item.get("attestation"), item.get("latest_attestation")
    name, version, integrity = skill.name, str(skill.version), skill.meta.integrity
    trusted = list(keys)
    try:
        if logged is None:
            raise SignatureError(
                "the registry sent no attestation for it, though its log entry names one",
                code="attestation_missing",
            )
        for envelope, digest in ((logged, entry.attestation), (latest, None)):
            if envelope is None:
                continue
            if memo is not None and _remembered(memo, envelope, digest, trusted, skill):
                continue
            done = verify_attestation(envelope, trusted, name, version, integrity, digest=digest)
            if memo is not None:
                memo.remember("attestation", done.digest, done.keyid, name, version, integrity)
    except SignatureError as error:
        raise LogError(
            f"{skill.key}: {error.message}",
            code=error.code,
            hint=error.hint
            or f"the registry at {registry} vouches for other bytes than these, or someone "
            "impersonates it; do not install it, and report it to its administrator",
        ) from None


def _remembered(
    memo: Memo, envelope: object, digest: str | None, keys: list[PublicKey], skill: LockedSkill
) -> bool:
    """True when this machine verified ``envelope`` (with ``digest``, the log's, if given)
    for this tarball by one of the still-trusted ``keys`` before."""
    try:
        data = parse_envelope(envelope)
    except SignatureError:
        return False
    found = digest_b64(data)
    if digest is not None and found != digest:
        return False
    claimed = data.get("signatures")
    ids = (
        {s.get("keyid") for s in claimed if isinstance(s, Mapping)}
        if isinstance(claimed, list)
        else set()
    )
    name, version, integrity = skill.name, str(skill.version), skill.meta.integrity
    return any(
        memo.seen("attestation", found, k.keyid, name, version, integrity)
        for k in keys
        if k.keyid in ids
    )
