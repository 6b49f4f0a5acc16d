"""The transparency log's formats and checks: entries, signed tree heads, registry keys.

Shared by the registry (which appends and signs) and the client (which verifies); pure, like
:mod:`tank.core.merkle` underneath it.

- An **entry** records one published version: name, version, integrity, the publisher
  signature's key fingerprint (``None`` when unsigned) and the digest of the registry's
  attestation. Its leaf data is the entry's canonical JSON, typed by :data:`ENTRY_TYPE`.
- A **tree head** is (size, root hash, timestamp), signed by the registry key as a DSSE
  envelope of type :data:`~tank.core.signing.TREE_HEAD_TYPE`.
- **Registry keys** are served oldest first; every key after the first carries an
  *endorsement*: a DSSE envelope of type :data:`~tank.core.signing.KEY_ROTATION_TYPE`,
  signed by the key before it, naming it. A client that pinned a key accepts a new one only
  through such a chain (:func:`trusted_keys`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tank.core import merkle
from tank.core.errors import IntegrityError
from tank.core.signing import (
    KEY_ROTATION_TYPE,
    TREE_HEAD_TYPE,
    PublicKey,
    SignatureError,
    Signer,
    canonical_json,
    parse_public_key,
    verify_payload,
)

ENTRY_TYPE = "https://tank.dev/log/entry/v1"
HEAD_TYPE = "https://tank.dev/log/tree-head/v1"
ROTATION_TYPE = "https://tank.dev/log/key-rotation/v1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
MAX_PROOF = 64


class LogError(IntegrityError):
    """The transparency log does not prove what it must: a version missing from it, a proof
    that does not verify, a tree head that is unsigned or inconsistent with an earlier one."""

    default_code = "log_invalid"


@dataclass(frozen=True, slots=True)
class Entry:
    """One leaf of the log: a published version, as the registry recorded it."""

    name: str
    version: str
    integrity: str
    signer: str | None
    attestation: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON object (and, canonically encoded, the leaf data)."""
        return {
            "type": ENTRY_TYPE,
            "name": self.name,
            "version": self.version,
            "integrity": self.integrity,
            "signer": self.signer,
            "attestation": self.attestation,
        }

    @property
    def leaf_data(self) -> bytes:
        """The bytes the leaf hashes: the entry's canonical JSON."""
        return canonical_json(self.as_dict())

    @property
    def leaf_hash(self) -> bytes:
        """``SHA-256(0x00 || leaf_data)``."""
        return merkle.leaf_hash(self.leaf_data)


def parse_entry(raw: object) -> Entry:
    """An entry from a registry's answer; anything but the exact shape is a :class:`LogError`."""
    if not isinstance(raw, Mapping) or raw.get("type") != ENTRY_TYPE:
        raise LogError("the log entry is not a Tank log entry")
    fields = ("name", "version", "integrity", "attestation")
    if not all(isinstance(raw.get(f), str) for f in fields):
        raise LogError("the log entry lacks its name, version, integrity or attestation")
    signer = raw.get("signer")
    if signer is not None and not isinstance(signer, str):
        raise LogError("the log entry's signer is not a fingerprint")
    return Entry(raw["name"], raw["version"], raw["integrity"], signer, raw["attestation"])


@dataclass(frozen=True, slots=True)
class TreeHead:
    """A tree head: ``size`` leaves whose root is ``root``, at ``timestamp`` (RFC 3339)."""

    size: int
    root: bytes
    timestamp: str

    def body(self) -> dict[str, Any]:
        """The signed JSON object."""
        return {
            "type": HEAD_TYPE,
            "size": self.size,
            "root_hash": self.root.hex(),
            "timestamp": self.timestamp,
        }


def sign_head(signer: Signer, head: TreeHead) -> dict[str, Any]:
    """The DSSE envelope of ``head`` signed by ``signer``."""
    return signer.sign_payload(head.body(), TREE_HEAD_TYPE)


def verify_head(envelope: object, keys: Sequence[PublicKey]) -> tuple[TreeHead, str]:
    """The tree head ``envelope`` carries and the key id that signed it; raise
    :class:`LogError` unless one of ``keys`` signed a well-formed head."""
    try:
        verified = verify_payload(envelope, keys, TREE_HEAD_TYPE)
    except SignatureError as error:
        raise LogError(
            f"the registry's signed tree head does not verify: {error.message}",
            code="log_head_unsigned",
            hint="the registry may be impersonated, or its key changed without a signed "
            "rotation; ask its administrator",
        ) from None
    body = verified.statement
    size, root, stamp = body.get("size"), body.get("root_hash"), body.get("timestamp")
    if (
        body.get("type") != HEAD_TYPE
        or not isinstance(size, int)
        or isinstance(size, bool)
        or size < 0
        or not isinstance(root, str)
        or not _HEX64.fullmatch(root)
        or not isinstance(stamp, str)
    ):
        raise LogError("the signed tree head is malformed", code="log_head_malformed")
    return TreeHead(size, bytes.fromhex(root), stamp), verified.keyid


def parse_hashes(raw: object, what: str) -> list[bytes]:
    """A proof given as a list of 64-hex-digit hashes (at most :data:`MAX_PROOF`)."""
    if not isinstance(raw, list) or len(raw) > MAX_PROOF:
        raise LogError(f"the {what} is not a list of hashes")
    out = []
    for item in raw:
        if not isinstance(item, str) or not _HEX64.fullmatch(item):
            raise LogError(f"the {what} holds something that is not a SHA-256 hash")
        out.append(bytes.fromhex(item))
    return out


def check_inclusion(entry: Entry, index: int, proof: Sequence[bytes], head: TreeHead) -> None:
    """Raise unless ``proof`` shows ``entry`` at ``index`` in the tree ``head`` signs."""
    if not merkle.verify_inclusion(index, head.size, entry.leaf_hash, proof, head.root):
        raise LogError(
            f"{entry.name}@{entry.version} is not proven to be in the registry's "
            f"transparency log (leaf {index} of {head.size}: the inclusion proof fails)",
            code="log_not_included",
            hint="the registry is showing you something it did not log for everyone; "
            "do not install it, and report it to the registry's administrator",
        )


def check_consistency(old: TreeHead, new: TreeHead, proof: Sequence[bytes]) -> None:
    """Raise unless ``new`` extends ``old``: the same history, only appended to."""
    if new.size < old.size:
        raise LogError(
            f"the registry's transparency log shrank from {old.size} to {new.size} entries "
            "(a rollback, or a forked log)",
            code="log_fork",
            hint="the registry rewrote its history; do not trust it until its "
            "administrator explains",
        )
    if not merkle.verify_consistency(old.size, new.size, proof, old.root, new.root):
        raise LogError(
            f"the registry's transparency log at {new.size} entries is not an extension of "
            f"the one you saw at {old.size} (a forked log: two histories)",
            code="log_fork",
            hint="the registry shows different users different contents, or rewrote its "
            "history; do not trust it until its administrator explains",
        )


def rotation_body(previous: PublicKey, new: PublicKey, at: str) -> dict[str, Any]:
    """What a retiring key signs to endorse its successor."""
    return {"type": ROTATION_TYPE, "previous": previous.keyid, "key": new.as_dict(), "at": at}


def trusted_keys(pinned: Sequence[PublicKey], served: Sequence[object]) -> list[PublicKey]:
    """``pinned`` plus every served key endorsed, link by link, by a key already trusted.

    ``served`` is the registry's key list, oldest first (``{"key": ..., "endorsement":
    envelope | null}``). With nothing pinned (first use) the oldest served key is trusted as
    the root of the chain. A served key that no trusted key endorsed is left out: heads it
    signs then fail to verify, which is the point.
    """
    trusted = list(pinned)
    for position, item in enumerate(served):
        if not isinstance(item, Mapping):
            continue
        try:
            key = parse_public_key(item.get("key"))
        except SignatureError:
            continue
        if any(k.keyid == key.keyid for k in trusted):
            continue
        if not trusted and position == 0:
            trusted.append(key)  # trust on first use
            continue
        endorsement = item.get("endorsement")
        if endorsement is None:
            continue
        try:
            verified = verify_payload(endorsement, trusted, KEY_ROTATION_TYPE)
        except SignatureError:
            continue
        body = verified.statement
        if body.get("type") != ROTATION_TYPE or body.get("previous") != verified.keyid:
            continue
        try:
            named = parse_public_key(body.get("key"))
        except SignatureError:
            continue
        if named.keyid == key.keyid:
            trusted.append(key)
    return trusted


@dataclass(frozen=True, slots=True)
class Wanted:
    """A version an install locks: what the log must say about it."""

    key: str  # name@version
    integrity: str
    index: int | None = None  # recorded in skills.lock by an earlier install


@dataclass(frozen=True, slots=True)
class Checked:
    """What a registry's proofs established: the keys now trusted, the head now seen (and
    its envelope, kept as evidence), and each version's leaf index."""

    keys: tuple[PublicKey, ...]
    head: TreeHead
    envelope: Mapping[str, Any]
    indexes: dict[str, int]


def check_proofs(
    answer: object,
    wanted: Sequence[Wanted],
    pinned_keys: Sequence[PublicKey],
    pinned_head: TreeHead | None,
    *,
    registry: str,
) -> Checked:
    """Verify a registry's ``POST /v1/log/proofs`` answer against what the client pinned.

    In order: follow the key chain from the pinned keys (:func:`trusted_keys`); verify the
    head's signature; prove the head extends the one seen before (consistency); prove every
    wanted version is in the tree, with the integrity being installed and at the index
    skills.lock recorded. Any failure raises :class:`LogError`: the install fails closed.
    """
    if not isinstance(answer, Mapping) or not isinstance(answer.get("head"), Mapping):
        raise LogError(f"the registry at {registry} sent a malformed log answer")
    served = answer.get("keys")
    keys = trusted_keys(pinned_keys, served if isinstance(served, list) else [])
    try:
        head, _ = verify_head(answer["head"].get("envelope"), keys)
    except LogError as error:
        if not pinned_keys:
            raise
        raise LogError(
            f"the registry at {registry} signs its log with a key you have not pinned, and "
            f"no pinned key endorsed the change ({error.message})",
            code="log_key_changed",
            hint="a registry rotates its key with `tank registry keys rotate`, which the old "
            "key endorses; this change is not endorsed. Only if the registry's administrator "
            "confirms the new key out of band, delete the registry's pinned state and install "
            "again",
        ) from None
    if pinned_head is not None:
        since = answer.get("consistency")
        if not isinstance(since, Mapping) or since.get("first") != pinned_head.size:
            raise LogError(
                f"the registry at {registry} did not prove its log extends the one you saw",
                code="log_fork",
            )
        proof = since.get("proof")
        if proof is None:  # the registry's log is shorter than what we saw: a rollback
            proof = []
        check_consistency(pinned_head, head, parse_hashes(proof, "consistency proof"))
    entries = answer.get("entries")
    entries = entries if isinstance(entries, Mapping) else {}
    indexes: dict[str, int] = {}
    for want in wanted:
        indexes[want.key] = _check_one(entries.get(want.key), want, head, registry)
    return Checked(tuple(keys), head, answer["head"]["envelope"], indexes)


def _check_one(item: object, want: Wanted, head: TreeHead, registry: str) -> int:
    if not isinstance(item, Mapping):
        raise LogError(
            f"{want.key} is not in the transparency log of the registry at {registry}",
            code="log_missing",
            hint="a version every user can see is logged at publish; one that is not was "
            "shown to you alone. Do not install it; report it to the registry's administrator",
        )
    entry = parse_entry(item.get("entry"))
    index = item.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise LogError(f"the log answer for {want.key} has no leaf index")
    if f"{entry.name}@{entry.version}" != want.key:
        raise LogError(
            f"the log answer for {want.key} is the entry of {entry.name}@{entry.version}"
        )
    if entry.integrity != want.integrity:
        raise LogError(
            f"the transparency log records other bytes for {want.key} than the ones being "
            "installed (integrity differs)",
            code="log_integrity_mismatch",
            hint="the registry serves you a tarball it did not log; do not install it",
        )
    if want.index is not None and want.index != index:
        raise LogError(
            f"skills.lock records {want.key} at log index {want.index}, the registry now "
            f"says {index}",
            code="log_index_mismatch",
            hint="the registry rewrote its log, or skills.lock was edited",
        )
    check_inclusion(entry, index, parse_hashes(item.get("proof"), "inclusion proof"), head)
    return index
