"""Administering the transparency log: bring it up to date at start, rotate the key, verify.

- :func:`prepare` runs when the registry starts (``tank registry serve``): it makes the
  first signing key if there is none, logs (with a ``backfill`` attestation) every version
  published before the log existed, and signs a head if none is signed yet.
- :func:`rotate_key` retires the active key, makes a new one endorsed by the old, and signs
  the current head with the new key (so clients meet the new key at once).
- :func:`verify` recomputes the whole tree from the database: every leaf from its columns,
  against the version it names and its attestation; every signed head against the keys and
  the recomputed root of its size; the state row's size and frontier. It reports what it
  finds; it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core import merkle
from tank.core.signing import SignatureError, parse_public_key
from tank.core.translog import LogError, verify_head
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import (
    LogHead,
    LogLeaf,
    LogState,
    RegistryKey,
    Skill,
    SkillVersion,
    VersionAttestation,
)
from tank.server.services import attestations, registry_keys, translog

__all__ = ["LogReport", "prepare", "rotate_key", "verify"]


def prepare(reg: Registry) -> int:
    """Make the key, log every unlogged version, sign a head; return how many were logged."""
    logged = 0
    with write_session(reg.sessions) as session:
        registry_keys.active_signer(session, reg.settings)
        registry_keys.lock_log(session)  # one preparer at a time; publishes wait
        query = (
            select(SkillVersion, Skill)
            .join(Skill, Skill.id == SkillVersion.skill_id)
            .outerjoin(LogLeaf, LogLeaf.version_id == SkillVersion.id)
            .where(LogLeaf.idx.is_(None))
            .order_by(SkillVersion.id)
        )
        for row, skill in session.execute(query).all():
            attestation = attestations.attest(session, reg.settings, skill, row, "backfill")
            translog.append(
                session,
                reg.settings,
                skill.name,
                row,
                signer=attestations.publisher_fingerprint(row),
                attestation=attestation.digest,
            )
            logged += 1
        if translog.latest_head(session) is None:
            translog.sign_current_head(session, reg.settings)
    return logged


def rotate_key(reg: Registry) -> dict[str, Any]:
    """Rotate the registry key and sign the current head with the new one."""
    with write_session(reg.sessions) as session:
        result = registry_keys.rotate(session, reg.settings)
        head = translog.sign_current_head(session, reg.settings)
        result["head_size"] = head.size
    return result


@dataclass(slots=True)
class LogReport:
    """What ``tank registry log verify`` found: the sizes it checked and every problem."""

    size: int = 0
    heads: int = 0
    root_hash: str | None = None
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON answer of ``tank registry log verify --json``."""
        return {
            "ok": not self.problems,
            "size": self.size,
            "root_hash": self.root_hash,
            "heads_checked": self.heads,
            "problems": self.problems,
        }


def verify(reg: Registry) -> LogReport:
    """Recompute the log from the database and check everything that refers to it."""
    report = LogReport()
    with reg.sessions() as session:
        hashes = _check_leaves(session, report)
        tree = merkle.Tree(hashes)
        report.size = len(hashes)
        report.root_hash = tree.root().hex()
        _check_state(session, tree, report)
        _check_heads(session, tree, report)
    return report


def _check_leaves(session: Session, report: LogReport) -> list[bytes]:
    """Every leaf recomputed from its columns; gaps, edits and orphans reported."""
    hashes: list[bytes] = []
    versions = {
        v.id: (name, v)
        for v, name in session.execute(
            select(SkillVersion, Skill.name).join(Skill, Skill.id == SkillVersion.skill_id)
        ).all()
    }
    digests: dict[int, set[str]] = {}
    for version_id, digest in session.execute(
        select(VersionAttestation.version_id, VersionAttestation.digest)
    ).all():
        digests.setdefault(version_id, set()).add(digest)
    logged: set[int] = set()
    for leaf in session.scalars(select(LogLeaf).order_by(LogLeaf.idx)):
        where = f"leaf {leaf.idx} ({leaf.name}@{leaf.version})"
        if leaf.idx != len(hashes):
            report.problems.append(f"leaf {len(hashes)} is missing (the next is {leaf.idx})")
        computed = translog.entry_of(leaf).leaf_hash
        if computed.hex() != leaf.leaf_hash:
            report.problems.append(f"{where}: its stored hash is not the hash of its contents")
        hashes.append(computed)
        if leaf.version_id is None or leaf.version_id not in versions:
            report.problems.append(f"{where}: names no stored version")
            continue
        logged.add(leaf.version_id)
        name, row = versions[leaf.version_id]
        if (name, row.version, row.integrity) != (leaf.name, leaf.version, leaf.integrity):
            report.problems.append(
                f"{where}: the version row says {name}@{row.version} with integrity "
                f"{row.integrity}, the log says {leaf.integrity}"
            )
        if leaf.attestation not in digests.get(leaf.version_id, set()):
            report.problems.append(f"{where}: no stored attestation has its digest")
    for version_id in sorted(set(versions) - logged):
        name, row = versions[version_id]
        report.problems.append(f"{name}@{row.version} is stored but not in the log")
    return hashes


def _check_state(session: Session, tree: merkle.Tree, report: LogReport) -> None:
    state = session.get(LogState, 1)
    if state is None:
        report.problems.append("the log's state row is missing")
        return
    if state.size != report.size:
        report.problems.append(f"the state row says {state.size} leaves, the log has {report.size}")
        return
    frontier = [bytes.fromhex(h) for h in state.frontier or []]
    if merkle.frontier_root(frontier) != tree.root():
        report.problems.append("the state row's frontier does not give the recomputed root")


def _check_heads(session: Session, tree: merkle.Tree, report: LogReport) -> None:
    keys = []
    for row in session.scalars(select(RegistryKey).order_by(RegistryKey.id)):
        try:
            keys.append(parse_public_key(row.public_key))
        except SignatureError:
            report.problems.append(f"registry key {row.keyid[:16]} is not a valid public key")
    latest = translog.latest_head(session)
    if latest is None:
        report.problems.append("no tree head has been signed")
        return
    for head in session.scalars(select(LogHead).order_by(LogHead.id)):
        report.heads += 1
        label = f"tree head {head.id} (size {head.size})"
        try:
            signed, _ = verify_head(head.envelope, keys)
        except LogError as error:
            report.problems.append(f"{label}: {error.message}")
            continue
        if (signed.size, signed.root.hex()) != (head.size, head.root_hash):
            report.problems.append(f"{label}: its columns differ from what was signed")
        if signed.size > report.size:
            report.problems.append(f"{label}: signs more leaves than the log holds")
        elif tree.root(signed.size) != signed.root:
            which = "the latest " if head.id == latest.id else ""
            report.problems.append(
                f"{which}{label}: its signed root is not the root recomputed from the leaves"
            )
    if latest.size != report.size:
        report.problems.append(
            f"the latest tree head signs {latest.size} leaves, the log holds {report.size}"
        )
