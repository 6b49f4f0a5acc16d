"""What ``tank install`` verified about each tarball, kept next to it so ``tank verify`` can
check it again offline.

Install verifies, before it links anything, the publisher's DSSE envelope against the
publisher's key (:mod:`tank.client.signatures`), and the version's transparency-log entry,
inclusion proof, signed tree head and the registry's attestations against the registry keys
it pinned (:mod:`tank.client.transparency`). It keeps that evidence in the content cache,
``evidence/sha512/ab/<hex>.json``, keyed like the tarball by its SHA-512: one small JSON
document per tarball (bounded to :data:`MAX_BYTES`), written only when it changed.

Nothing here is trusted because it is on disk: ``tank verify`` (:mod:`tank.client.trust`)
verifies every signature and proof again, against what skills.lock records (the signer's
fingerprint and the envelope's digest, the log index) and the keys and tree heads the client
pinned in its state folder. A damaged or edited file is a finding, never a pass.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tank.client.cache import ContentCache, digest_hex
from tank.client.fsutil import write_atomic
from tank.core import boundedjson
from tank.core.lockfile import LockedSkill
from tank.core.signing import PublicKey, canonical_json

VERSION = 1
#: Two or three envelopes of a few KiB, a proof of at most 64 hashes: far below this.
MAX_BYTES = 512 * 1024


def evidence_file(cache: ContentCache, integrity: str) -> Path:
    """Where the evidence of the tarball with ``integrity`` is (or would be) kept."""
    hexd = digest_hex(integrity)
    return cache.root / "evidence" / "sha512" / hexd[:2] / f"{hexd}.json"


@dataclass(frozen=True, slots=True)
class Evidence:
    """The evidence kept for one tarball (each part None when install had none to keep)."""

    name: str
    version: str
    integrity: str
    registry: str | None
    #: ``{"envelope", "key"}``: the publisher's envelope and the key that verified it.
    signature: Mapping[str, Any] | None
    #: ``{"index", "entry", "proof", "head"}``: the log entry, its inclusion proof and the
    #: signed tree head (its envelope) the proof is against.
    log: Mapping[str, Any] | None
    #: The registry's attestations: the one the log entry names first, then a newer one.
    attestations: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The file's document."""
        return {
            "v": VERSION,
            "name": self.name,
            "version": self.version,
            "integrity": self.integrity,
            "registry": self.registry,
            "signature": self.signature,
            "log": self.log,
            "attestations": list(self.attestations),
        }


class Unreadable(ValueError):
    """An evidence file that exists but is not one (damaged, edited, too large)."""


def read_evidence(cache: ContentCache, integrity: str) -> Evidence | None:
    """The evidence kept for ``integrity``; None when there is none; :class:`Unreadable`
    when the file is not well-formed evidence of that very tarball."""
    path = evidence_file(cache, integrity)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Unreadable(f"{path}: {error}") from None
    try:
        data = boundedjson.loads(raw, max_bytes=MAX_BYTES, max_depth=12)
    except ValueError as error:
        raise Unreadable(f"{path}: {error}") from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise Unreadable(f"{path}: not evidence of this format")
    if data.get("integrity") != integrity:
        raise Unreadable(f"{path}: the evidence of another tarball")
    name, version, registry = data.get("name"), data.get("version"), data.get("registry")
    signature, log, attestations = data.get("signature"), data.get("log"), data.get("attestations")
    if (
        not isinstance(name, str)
        or not isinstance(version, str)
        or not (registry is None or isinstance(registry, str))
        or not (signature is None or isinstance(signature, dict))
        or not (log is None or isinstance(log, dict))
        or not isinstance(attestations, list)
        or not all(isinstance(a, dict) for a in attestations)
    ):
        raise Unreadable(f"{path}: a field is missing or of the wrong type")
    return Evidence(name, version, integrity, registry, signature, log, tuple(attestations))


@dataclass
class Collector:
    """Gathers evidence during one install's checks; :meth:`save` writes it once, after."""

    _signatures: dict[str, dict[str, Any]] = field(default_factory=dict)
    _logs: dict[str, tuple[str, dict[str, Any], tuple[Mapping[str, Any], ...]]] = field(
        default_factory=dict
    )
    _skills: dict[str, LockedSkill] = field(default_factory=dict)

    def signature(self, skill: LockedSkill, envelope: Mapping[str, Any], key: PublicKey) -> None:
        """The publisher envelope that verified for ``skill``, and the key it verified with."""
        self._skills[skill.meta.integrity] = skill
        self._signatures[skill.meta.integrity] = {"envelope": envelope, "key": key.as_dict()}

    def log(
        self,
        skill: LockedSkill,
        registry: str,
        item: Mapping[str, Any],
        head: Mapping[str, Any],
    ) -> None:
        """The log answer's item for ``skill`` (entry, proof, attestations) that verified
        against the signed tree head ``head`` (its envelope)."""
        self._skills[skill.meta.integrity] = skill
        log = {
            "index": item.get("index"),
            "entry": item.get("entry"),
            "proof": item.get("proof"),
            "head": head,
        }
        found = (item.get("attestation"), item.get("latest_attestation"))
        attestations = tuple(a for a in found if isinstance(a, Mapping))
        self._logs[skill.meta.integrity] = (registry, log, attestations)

    def save(self, cache: ContentCache) -> int:
        """Write every tarball's evidence whose file differs; return how many were written.
        A failure to write costs only a ``tank verify`` finding later, never the install."""
        written = 0
        for integrity, skill in self._skills.items():
            registry, log, attestations = self._logs.get(integrity, (None, None, ()))
            evidence = Evidence(
                skill.name,
                str(skill.version),
                integrity,
                registry,
                self._signatures.get(integrity),
                log,
                attestations,
            )
            data = canonical_json(evidence.to_json()) + b"\n"
            path = evidence_file(cache, integrity)
            with contextlib.suppress(OSError):
                if path.read_bytes() == data:
                    continue
            with contextlib.suppress(OSError):
                write_atomic(path, data)
                written += 1
        return written
