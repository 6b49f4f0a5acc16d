"""The transparency log: append every published version, sign tree heads, answer proofs.

Appending happens inside the publish transaction, so a version is stored if and only if it
is logged. Leaf numbering is serialised on the log's state row (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises every writer anyway): leaf ``n`` is
always the ``n``-th committed publish, gapless. The state row keeps the tree's frontier, so
each append costs O(log n) hashes, and a new tree head is signed in the same transaction: a
committed leaf always has a committed head that covers it.

Proofs are computed from the stored leaf hashes (:class:`tank.core.merkle.Tree`). Entries of
private skills are shown only to those who may read the skill; proofs carry hashes only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core import merkle
from tank.core.translog import Entry, TreeHead, sign_head
from tank.server.db.models import (
    LogHead,
    LogLeaf,
    Skill,
    SkillVersion,
    VersionAttestation,
    utcnow,
)
from tank.server.errors import ApiError, NotFound
from tank.server.services import registry_keys
from tank.server.services.access import can_read_private
from tank.server.services.auth import Principal
from tank.server.services.times import rfc3339
from tank.server.settings import Settings

__all__ = [
    "append",
    "consistency",
    "head_document",
    "inclusion",
    "latest_head",
    "proofs",
    "sign_current_head",
]

MAX_BATCH = 1000


def entry_of(leaf: LogLeaf) -> Entry:
    """The log entry a stored leaf row describes."""
    return Entry(leaf.name, leaf.version, leaf.integrity, leaf.signer, leaf.attestation)


def append(
    session: Session,
    settings: Settings,
    name: str,
    row: SkillVersion,
    *,
    signer: str | None,
    attestation: str,
) -> int:
    """Append ``name@row.version`` to the log and sign the new head; return its leaf index."""
    state = registry_keys.lock_log(session)
    entry = Entry(name, row.version, row.integrity, signer, attestation)
    index = state.size
    session.add(
        LogLeaf(
            idx=index,
            version_id=row.id,
            name=name,
            version=row.version,
            integrity=row.integrity,
            signer=signer,
            attestation=attestation,
            leaf_hash=entry.leaf_hash.hex(),
        )
    )
    frontier = [bytes.fromhex(h) for h in state.frontier or []]
    frontier = merkle.frontier_append(frontier, index, entry.leaf_hash)
    state.size, state.frontier = index + 1, [h.hex() for h in frontier]
    session.flush()
    _sign(session, settings, index + 1, merkle.frontier_root(frontier))
    return index


def _sign(session: Session, settings: Settings, size: int, root: bytes) -> LogHead:
    signer = registry_keys.active_signer(session, settings)
    head = TreeHead(size, root, rfc3339(utcnow()))
    row = LogHead(
        size=size,
        root_hash=root.hex(),
        timestamp=head.timestamp,
        keyid=signer.public.keyid,
        envelope=sign_head(signer, head),
    )
    session.add(row)
    session.flush()
    return row


def sign_current_head(session: Session, settings: Settings) -> LogHead:
    """Sign a head for the log as it stands (after a key rotation, or for an empty log)."""
    state = registry_keys.lock_log(session)
    frontier = [bytes.fromhex(h) for h in state.frontier or []]
    return _sign(session, settings, state.size, merkle.frontier_root(frontier))


def latest_head(session: Session) -> LogHead | None:
    """The newest signed tree head, or None before the first one is signed."""
    return session.scalars(select(LogHead).order_by(LogHead.id.desc()).limit(1)).first()


def head_document(head: LogHead) -> dict[str, Any]:
    """A tree head as the API answers it: its fields and the signed envelope."""
    return {
        "size": head.size,
        "root_hash": head.root_hash,
        "timestamp": head.timestamp,
        "keyid": head.keyid,
        "envelope": head.envelope,
    }


def _require_head(session: Session) -> LogHead:
    head = latest_head(session)
    if head is None:
        raise NotFound(
            "the transparency log has no signed tree head yet",
            code="log_empty",
            hint="it is signed at the first publish, or when the registry starts",
        )
    return head


def _leaf_hashes(session: Session, size: int) -> list[bytes]:
    query = select(LogLeaf.leaf_hash).where(LogLeaf.idx < size).order_by(LogLeaf.idx)
    hashes = [bytes.fromhex(h) for h in session.scalars(query)]
    if len(hashes) != size:
        raise ApiError(
            f"the transparency log holds {len(hashes)} leaves below its head's size {size}",
            status=500,
            code="log_damaged",
            hint="the administrator should run `tank registry log verify`",
        )
    return hashes


def _visible(session: Session, principal: Principal | None, leaf: LogLeaf) -> bool:
    skill = session.scalars(select(Skill).where(Skill.name == leaf.name)).first()
    if skill is None or not skill.private:
        return True
    return can_read_private(session, principal, skill.scope, skill.name)


def _size_param(head: LogHead, size: int | None, what: str) -> int:
    if size is None:
        return head.size
    if not 0 <= size <= head.size:
        raise ApiError(
            f"{what} {size} is beyond the log's signed size {head.size}",
            code="log_size_out_of_range",
            hint="ask GET /v1/log/head for the current size",
        )
    return size


def inclusion(
    session: Session,
    principal: Principal | None,
    *,
    index: int | None = None,
    name: str | None = None,
    version: str | None = None,
    tree_size: int | None = None,
) -> dict[str, Any]:
    """The entry at ``index`` (or of ``name@version``) and its inclusion proof in the tree of
    ``tree_size`` leaves (default: the latest signed head, which is then included)."""
    query = select(LogLeaf)
    if index is not None:
        query = query.where(LogLeaf.idx == index)
    elif name is not None and version is not None:
        query = query.where(LogLeaf.name == name, LogLeaf.version == version)
    else:
        raise ApiError("give a leaf index, or a name and a version", code="log_bad_query")
    leaf = session.scalars(query).first()  # read before the head: its head is committed
    what = f"leaf {index}" if index is not None else f"{name}@{version}"
    if leaf is None or not _visible(session, principal, leaf):
        raise NotFound(f"{what} is not in the transparency log", code="log_entry_not_found")
    head = _require_head(session)
    size = _size_param(head, tree_size, "tree_size")
    if leaf.idx >= size:
        raise ApiError(f"{what} was logged after size {size}", code="log_size_out_of_range")
    tree = merkle.Tree(_leaf_hashes(session, size))
    return {
        "index": leaf.idx,
        "tree_size": size,
        "entry": entry_of(leaf).as_dict(),
        "proof": [h.hex() for h in tree.inclusion_proof(leaf.idx)],
        "head": head_document(head) if size == head.size else None,
    }


def consistency(session: Session, first: int, second: int | None = None) -> dict[str, Any]:
    """The proof that the tree of ``first`` leaves is a prefix of that of ``second`` (default:
    the latest signed head, which is then included)."""
    head = _require_head(session)
    size = _size_param(head, second, "second")
    if not 0 <= first <= size:
        raise ApiError(
            f"first ({first}) must be between 0 and second ({size})",
            code="log_size_out_of_range",
        )
    tree = merkle.Tree(_leaf_hashes(session, size))
    return {
        "first": first,
        "second": size,
        "proof": [h.hex() for h in tree.consistency_proof(first, size)],
        "head": head_document(head) if size == head.size else None,
    }


def proofs(
    session: Session, principal: Principal | None, versions: list[str], first: int | None
) -> dict[str, Any]:
    """For a client's install, in one answer: the latest signed head, an inclusion proof for
    each ``name@version`` (null when not in the log, or not visible to the caller), the
    consistency proof from the head the client saw last (size ``first``), and the keys.
    Each entry carries the registry's attestation its leaf names (the client verifies it
    against the key it pinned, and keeps it for ``tank verify``) and the newest one, when a
    rescan signed another since."""
    wanted: dict[tuple[str, str], str] = {}
    for key in versions[:MAX_BATCH]:
        at = key.rfind("@")
        if at > 0:
            wanted[(key[:at], key[at + 1 :])] = key
    leaves = []
    hidden: set[str] = set()
    if wanted:
        names = {n for n, _ in wanted}
        query = select(LogLeaf).where(LogLeaf.name.in_(names))
        leaves = [leaf for leaf in session.scalars(query) if (leaf.name, leaf.version) in wanted]
        private = select(Skill).where(Skill.name.in_(names), Skill.private.is_(True))
        hidden = {
            s.name
            for s in session.scalars(private)
            if not can_read_private(session, principal, s.scope, s.name)
        }
    head = _require_head(session)  # after the leaves: every leaf read is under this head
    tree = merkle.Tree(_leaf_hashes(session, head.size))
    found: dict[str, Any] = dict.fromkeys(versions[:MAX_BATCH])
    shown = [leaf for leaf in leaves if leaf.idx < head.size and leaf.name not in hidden]
    attested = _attestations(session, shown)
    for leaf in shown:
        logged, latest = attested.get(leaf.idx, (None, None))
        found[wanted[(leaf.name, leaf.version)]] = {
            "index": leaf.idx,
            "entry": entry_of(leaf).as_dict(),
            "proof": [h.hex() for h in tree.inclusion_proof(leaf.idx, head.size)],
            "attestation": logged,
            "latest_attestation": latest,
        }
    since: dict[str, Any] | None = None
    if first is not None:
        if not 0 <= first <= head.size:
            since = {"first": first, "proof": None}  # the client saw a longer log: a fork
        else:
            proof = tree.consistency_proof(first, head.size)
            since = {"first": first, "proof": [h.hex() for h in proof]}
    return {
        "head": head_document(head),
        "consistency": since,
        "entries": found,
        "keys": registry_keys.served_keys(session),
    }


def _attestations(
    session: Session, leaves: list[LogLeaf]
) -> dict[int, tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Per leaf: the envelope of the attestation its entry names (made at publish), and the
    newest one when a rescan has signed another since (else None). One query for all."""
    by_version = {leaf.version_id: leaf for leaf in leaves if leaf.version_id is not None}
    if not by_version:
        return {}
    query = (
        select(VersionAttestation)
        .where(VersionAttestation.version_id.in_(by_version))
        .order_by(VersionAttestation.id)
    )
    out: dict[int, tuple[dict[str, Any] | None, dict[str, Any] | None]] = {}
    rows: dict[int, list[VersionAttestation]] = {}
    for row in session.scalars(query):
        rows.setdefault(row.version_id, []).append(row)
    for version_id, found in rows.items():
        leaf = by_version[version_id]
        logged = next((r for r in found if r.digest == leaf.attestation), None)
        latest = found[-1] if found[-1] is not logged else None
        out[leaf.idx] = (
            logged.envelope if logged else None,
            latest.envelope if latest else None,
        )
    return out
