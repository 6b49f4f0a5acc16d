"""Verify each signature once per machine: a keyed memo of the envelopes this user verified.

A warm install checks the same 200 publisher envelopes and 200 registry attestations every
time; the Ed25519 verification (and securesystemslib's envelope handling around it) was a
tenth of such an install. After an envelope verified, install records a *tag*: an empty
file in the content cache named by HMAC-SHA256, under a secret key kept in the state folder
(32 random bytes, 0600, made on first use), of exactly what was established: the kind, the
envelope's digest, the key that verified it, ``name``, ``version`` and the tarball's
integrity. The next install that meets the same envelope, from a key it still trusts (the
publisher's unrevoked keys, the registry keys pinned), for the same tarball, finds the tag
with one ``stat`` and skips the signature arithmetic; everything else (the digests
skills.lock records, revocation, the log proofs) is checked as always.

Someone who can write the cache but not read the state folder cannot make a tag (they do not
have the key), so a planted tag is just an unknown file. Who can read the state folder can
also rewrite the pinned keys: the memo adds no new trust. ``tank verify`` never uses it; it
verifies every signature itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from tank.client.paths import state_dir

KEY_BYTES = 32


def _key_file() -> Path:
    return state_dir() / "verified.key"


def _load_key() -> bytes | None:
    """The memo's secret, made on first use; None when it cannot be read or made (then
    nothing is remembered and everything is verified, as without a memo)."""
    path = _key_file()
    with contextlib.suppress(FileNotFoundError):
        data = path.read_bytes()
        return data if len(data) == KEY_BYTES else None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            return data if len(data) == KEY_BYTES else None
        return None
    except OSError:
        return None
    key = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


class Memo:
    """Tags of verified envelopes under ``root`` (``<cache>/verified``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._key: bytes | None = None
        self._loaded = False

    def _tag(self, parts: tuple[str, ...]) -> Path | None:
        if not self._loaded:
            self._key, self._loaded = _load_key(), True
        if self._key is None:
            return None
        tag = hmac.new(self._key, "\0".join(parts).encode(), hashlib.sha256).hexdigest()
        return self.root / tag[:2] / tag

    def seen(self, *parts: str) -> bool:
        """True when exactly ``parts`` were remembered by :meth:`remember` on this machine."""
        path = self._tag(parts)
        return path is not None and path.is_file()

    def remember(self, *parts: str) -> None:
        """Record that ``parts`` (kind, envelope digest, key id, name, version, integrity)
        verified; a failure to record only costs a verification next time."""
        path = self._tag(parts)
        if path is None:
            return
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
