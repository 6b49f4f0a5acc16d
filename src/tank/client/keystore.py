"""Where the user's signing keys live: the private half in the system keyring when one works,
else in a 0600 file; the public halves listed in ``keys/keys.json`` in the config folder.

Like :mod:`tank.client.credentials` (login tokens), the index says where each private key is,
so reading it imports the keyring library only for keys that really are in the keyring.
``TANK_NO_KEYRING`` forces files. A private key may be encrypted with a passphrase
(PKCS#8, ``BestAvailableEncryption``); the passphrase comes from ``TANK_KEY_PASSPHRASE`` or
a prompt the caller supplies, and is never stored. Private keys are never printed.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tank.client.credentials import system_keyring
from tank.client.paths import config_dir
from tank.core.errors import TankError, UsageError
from tank.core.signing import PublicKey, Signer, generate_key, load_signer

KEYRING_SERVICE = "tank-signing-key"
PASSPHRASE_ENV = "TANK_KEY_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret
INDEX = "keys.json"

Prompt = Callable[[], str]


@dataclass(frozen=True, slots=True)
class LocalKey:
    """A signing key of this user: its public half, a name, where the private half is."""

    public: PublicKey
    name: str
    storage: str  # "keyring" or "file"
    encrypted: bool
    created: str

    @property
    def keyid(self) -> str:
        """The fingerprint."""
        return self.public.keyid

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (public material only)."""
        return {
            "keyid": self.keyid,
            "name": self.name,
            "storage": self.storage,
            "encrypted": self.encrypted,
            "created": self.created,
            "key": self.public.as_dict(),
        }


def keys_dir() -> Path:
    """The folder of the key index and of private key files (0700)."""
    return config_dir() / "keys"


def _index() -> dict[str, dict[str, Any]]:
    path = keys_dir() / INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as bad:
        raise TankError(
            f"cannot read {path}: {bad}",
            code="keys_invalid",
            hint=f"fix or delete {path} (private keys stay where they are)",
        ) from None
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def _private_file(keyid: str) -> Path:
    return keys_dir() / f"{keyid}.pem"


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` created 0600 from the start, in a 0700 folder, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.parent.stat().st_mode & 0o077:
        with contextlib.suppress(OSError):
            path.parent.chmod(0o700)
    temp = path.with_name(f".{path.name}.tmp")
    temp.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def local_keys() -> list[LocalKey]:
    """This user's keys, oldest first."""
    out = []
    for keyid, entry in _index().items():
        public = PublicKey(keyid, str(entry.get("public", "")))
        out.append(
            LocalKey(
                public=public,
                name=str(entry.get("name", "")),
                storage="keyring" if entry.get("keyring") else "file",
                encrypted=bool(entry.get("encrypted")),
                created=str(entry.get("created", "")),
            )
        )
    return sorted(out, key=lambda k: (k.created, k.keyid))


def generate(name: str = "", passphrase: str | None = None) -> LocalKey:
    """Make a new Ed25519 key, store its private half, and return it."""
    pem, public = generate_key(passphrase.encode() if passphrase else None)
    entry: dict[str, Any] = {
        "public": public.public_hex,
        "name": name,
        "encrypted": bool(passphrase),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    ring = system_keyring()
    stored = False
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, public.keyid, pem.decode("ascii"))
            entry["keyring"] = stored = True
        except Exception:  # a locked or broken keyring: fall back to the file
            stored = False
    if not stored:
        _write_private(_private_file(public.keyid), pem)
    index = _index()
    index[public.keyid] = entry
    _write_private(
        keys_dir() / INDEX, (json.dumps(index, indent=2, sort_keys=True) + "\n").encode()
    )
    return next(k for k in local_keys() if k.keyid == public.keyid)


def find(ref: str | None) -> LocalKey:
    """The local key ``ref`` names (a fingerprint or a prefix of 8+), or the newest one."""
    keys = local_keys()
    if not keys:
        raise UsageError(
            "there is no signing key on this machine",
            code="no_signing_key",
            hint="create one with `tank keys generate`, then register it with `tank keys add`",
        )
    if ref is None:
        return keys[-1]
    wanted = ref.strip().lower()
    found = [k for k in keys if len(wanted) >= 8 and k.keyid.startswith(wanted)]
    if len(found) != 1:
        listed = ", ".join(k.keyid[:16] for k in keys)
        raise UsageError(
            f"{ref!r} names {'no' if not found else 'more than one'} local key",
            code="unknown_signing_key",
            hint=f"give a fingerprint (8+ characters) of one of: {listed}",
        )
    return found[0]


def private_pem(key: LocalKey) -> bytes:
    """The private key's PEM (from the keyring or its file)."""
    if key.storage == "keyring":
        ring = system_keyring()
        value = None
        if ring is not None:
            with contextlib.suppress(Exception):
                value = ring.get_password(KEYRING_SERVICE, key.keyid)
        if not isinstance(value, str):
            raise TankError(
                f"the private key {key.keyid[:16]} is not in the system keyring any more",
                code="signing_key_missing",
                hint="unlock the keyring, or create a new key with `tank keys generate`",
            )
        return value.encode("ascii")
    path = _private_file(key.keyid)
    try:
        return path.read_bytes()
    except OSError as error:
        raise TankError(
            f"cannot read the private key {path}: {error.strerror or error}",
            code="signing_key_missing",
            hint="create a new key with `tank keys generate`",
        ) from None


def signer_for(key: LocalKey, prompt: Prompt | None = None) -> Signer:
    """A ready signer for ``key``; an encrypted one asks ``TANK_KEY_PASSPHRASE``, else
    ``prompt`` (None: no way to ask, which is an error for an encrypted key)."""
    return signer_from_pem(private_pem(key), encrypted=key.encrypted, prompt=prompt)


def signer_from_pem(
    pem: bytes, *, encrypted: bool | None = None, prompt: Prompt | None = None
) -> Signer:
    """A signer for a PEM private key (a ``--key FILE``); asks a passphrase when it needs one."""
    needs = encrypted if encrypted is not None else b"ENCRYPTED" in pem[:64]
    passphrase = None
    if needs:
        passphrase = os.environ.get(PASSPHRASE_ENV) or (prompt() if prompt else None)
    return load_signer(pem, passphrase.encode() if passphrase else None)
