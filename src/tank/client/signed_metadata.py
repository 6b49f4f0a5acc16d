"""Before the resolver uses a skill document: check the registry signed it, it has not
expired, and it is not older than one this client already saw.

The checks themselves are :mod:`tank.core.signed_documents`; this module holds what they
need from outside: the registry's keys, **pinned once** with the transparency log's
(:mod:`tank.client.transparency`: the same pin file, trust on first use, new keys only
through the old key's endorsement), and per registry the newest serial seen for each skill
(``metadata/<registry>.json`` in the state folder: 0600, bounded to :data:`MAX_SKILLS`
skills, most recently seen kept; a damaged file fails closed).

A registry that has never been seen signing may serve unsigned documents (an older Tank
registry, a plain mirror): accepted, and the install warns. Once a registry was seen
signing, an unsigned document from it is refused.

One :class:`DocumentVerifier` per registry per command, shared by the resolver's fetch
threads; it writes what it learned when the command closes its registries.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tank.client.fsutil import write_atomic
from tank.client.paths import registry_state_file
from tank.core import boundedjson
from tank.core.signed_documents import (
    HEADER,
    MetadataError,
    check_fresh,
    check_not_older,
    decode_header,
    read_verified,
    signed_by,
    verify_document,
)
from tank.core.signing import PublicKey
from tank.core.translog import trusted_keys

STATE_VERSION = 1
MAX_SKILLS = 20_000
MAX_STATE_BYTES = 4 * 1024 * 1024

__all__ = ["HEADER", "DocumentVerifier", "Seen", "load_seen", "save_seen", "state_file"]


def state_file(registry: str) -> Path:
    """Where the newest serial seen per skill of ``registry`` is kept."""
    return registry_state_file(registry, "metadata")


@dataclass
class Seen:
    """What this client remembers of a registry's documents: whether it signs them, and per
    skill the newest serial seen and when (epoch seconds, for keeping the newest entries)."""

    signed: bool = False
    serials: dict[str, tuple[int, int]] = field(default_factory=dict)

    def merge(self, other: Seen) -> Seen:
        """The newer of both for every skill (another command may have saved meanwhile)."""
        serials = dict(other.serials)
        for name, (serial, when) in self.serials.items():
            old = serials.get(name)
            serials[name] = (max(serial, old[0]), max(when, old[1])) if old else (serial, when)
        return Seen(self.signed or other.signed, serials)

    def to_json(self, registry: str) -> dict[str, Any]:
        """The state file's document, keeping the :data:`MAX_SKILLS` most recently seen."""
        newest = sorted(self.serials.items(), key=lambda item: (-item[1][1], item[0]))
        kept = dict(sorted(newest[:MAX_SKILLS]))
        return {
            "version": STATE_VERSION,
            "registry": registry,
            "signed": self.signed,
            "skills": {name: {"serial": s, "seen": w} for name, (s, w) in kept.items()},
        }


def _damaged(path: Path, why: str) -> MetadataError:
    return MetadataError(
        f"the skill-document state {path} cannot be read: {why}",
        code="metadata_state_damaged",
        hint=f"if you did not edit it, something else did; delete {path} to accept the "
        "registry's documents anew on the next install (its rollback protection restarts)",
    )


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("a serial or time that is not a non-negative integer")
    return value


def load_seen(registry: str) -> Seen:
    """What was seen of ``registry``; nothing on first use. A damaged file is an error, never
    a silent first use (that would let whoever damaged it roll documents back)."""
    path = state_file(registry)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Seen()
    except OSError as error:
        raise _damaged(path, str(error)) from None
    try:
        data = boundedjson.loads(raw, max_bytes=MAX_STATE_BYTES, max_depth=4)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a state file of this version")
        skills = data.get("skills")
        if not isinstance(data.get("signed"), bool) or not isinstance(skills, dict):
            raise ValueError("'signed' or 'skills' is missing")
        serials = {
            str(name): (_int(item["serial"]), _int(item["seen"])) for name, item in skills.items()
        }
    except (ValueError, TypeError, KeyError) as error:
        raise _damaged(path, str(error)) from None
    return Seen(data["signed"], serials)


def save_seen(registry: str, seen: Seen) -> None:
    """Merge ``seen`` into the file and write it atomically, 0600."""
    try:
        on_disk = load_seen(registry)
    except MetadataError:
        on_disk = Seen()  # damaged since we read it: what we verified this run replaces it
    merged = seen.merge(on_disk)
    # Compact (the C encoder): this file is written by every command that read documents.
    text = json.dumps(merged.to_json(registry), sort_keys=True, separators=(",", ":")) + "\n"
    write_atomic(state_file(registry), text.encode(), mode=0o600)


class DocumentVerifier:
    """Checks every skill document one registry serves during one command (thread-safe).

    ``fetch_keys`` returns the registry's ``GET /v1/registry/keys`` list; it is called at
    most once, when a document names a key that is not pinned yet.
    """

    def __init__(
        self,
        registry: str,
        fetch_keys: Callable[[], object],
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.registry = registry
        self._fetch_keys = fetch_keys
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._seen: Seen | None = None
        self._keys: tuple[PublicKey, ...] | None = None
        self._asked_keys = False
        self._dirty = False
        #: True once a document came without a signature (accepted: the registry was never
        #: seen signing); the install warns.
        self.unsigned = False

    def check(self, name: str, body: bytes, header: str | None, *, kept: bool = False) -> None:
        """Raise :class:`MetadataError` unless ``body`` may be used as ``name``'s document.

        ``kept``: ``header`` comes from this client's own metadata cache, where it was stored
        only after this check passed; its signature is not verified again (an Ed25519
        verification per skill on every warm resolution), but its digest, skill name,
        expiry and serial are, as for a document fresh from the network.
        """
        with self._lock:
            seen = self._load()
            if header is None:
                if seen.signed:
                    raise MetadataError(
                        f"the registry at {self.registry} served the skill document of {name} "
                        "unsigned, but it has signed its documents before",
                        code="metadata_unsigned",
                        hint="a proxy may strip the Tank-Document-Signature header, or "
                        "something impersonates the registry; do not install from this "
                        "source. Only if its administrator confirms it stopped signing, "
                        f"delete {state_file(self.registry)}",
                    )
                self.unsigned = True
                return
            envelope = decode_header(header, registry=self.registry)
            if kept:
                doc = read_verified(envelope, body, name, registry=self.registry)
            else:
                keys = self._keys_for(envelope)
                doc = verify_document(envelope, body, keys, name, registry=self.registry)
            check_fresh(doc, self._clock(), registry=self.registry)
            previous = seen.serials.get(name)
            if previous is not None and doc.serial < previous[0]:
                where = str(state_file(self.registry))
                check_not_older(doc, previous[0], registry=self.registry, state=where)
            seen.serials[name] = (doc.serial, int(time.time()))
            seen.signed = True
            self._dirty = True

    def accepts(self, name: str, body: bytes, header: str | None) -> bool:
        """:meth:`check` of a cached copy (``kept``) as a yes or no: one that fails is asked
        for again."""
        try:
            self.check(name, body, header, kept=True)
        except MetadataError:
            return False
        return True

    def save(self) -> None:
        """Remember the serials seen (nothing to write when no signed document came)."""
        with self._lock:
            if self._dirty and self._seen is not None:
                save_seen(self.registry, self._seen)
                self._dirty = False

    # ------------------------------------------------------------------ internals

    def _load(self) -> Seen:
        if self._seen is None:
            self._seen = load_seen(self.registry)
        return self._seen

    def _keys_for(self, envelope: Mapping[str, Any]) -> tuple[PublicKey, ...]:
        """The pinned keys; when the envelope names none of them, once per command, the
        registry's key list followed from the pins (first use: its oldest key)."""
        from tank.client import transparency  # the pin store (loads the install's checks)

        if self._keys is None:
            pinned = transparency.load_pinned(self.registry)
            self._keys = pinned.keys if pinned else ()
        wanted = signed_by(envelope)
        if any(k.keyid in wanted for k in self._keys) or self._asked_keys:
            return self._keys
        self._asked_keys = True
        served = self._fetch_keys()
        items = served.get("keys") if isinstance(served, Mapping) else None
        keys = tuple(trusted_keys(self._keys, items if isinstance(items, list) else []))
        if len(keys) > len(self._keys):
            pinned = transparency.load_pinned(self.registry)
            updated = replace(pinned, keys=keys) if pinned else transparency.Pinned(keys)
            transparency.save_pinned(self.registry, updated)
        if self._keys and not any(k.keyid in wanted for k in keys):
            raise MetadataError(
                f"the registry at {self.registry} signs its skill documents with a key you "
                "have not pinned, and no pinned key endorsed the change",
                code="metadata_key_changed",
                hint="a registry rotates its key with `tank registry keys rotate`, which the "
                "old key endorses; this change is not endorsed. Only if the registry's "
                "administrator confirms the new key out of band, delete "
                f"{transparency.pin_file(self.registry)}",
            )
        self._keys = keys
        return keys
