"""The registry's own signing keys: made on first use, rotated by an administrator, never lost.

Where they live: the ``registry_keys`` table of the database, so that every worker and every
machine behind a load balancer signs with the same key and nothing but the database has to
be shared or backed up (the registry is stateless apart from its database and blob store).
The private half is PKCS#8 PEM; when ``TANK_REGISTRY_SIGNING_KEY_PASSPHRASE`` is set it is
encrypted with it, so that a copy of the database alone cannot sign. Without the passphrase
the key is as safe as the database: say so to operators (docs/security.md).

Exactly one key is active. ``tank registry keys rotate`` retires it and makes a new one,
endorsed by the old: the old key signs a statement naming the new one
(:func:`tank.core.translog.rotation_body`), so a client that pinned the old key can follow
the change, and one that meets a key no pinned key endorsed refuses it. Retired keys stay
and are served: old attestations and tree heads keep verifying.

Creating the first key and rotating are serialised on the log's state row (the same lock
as appends), so two workers starting at once still make exactly one key.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.signing import (
    KEY_ROTATION_TYPE,
    PublicKey,
    SignatureError,
    Signer,
    generate_key,
    load_signer,
    parse_public_key,
)
from tank.core.translog import rotation_body
from tank.server.db.models import LogState, RegistryKey, utcnow
from tank.server.errors import ApiError
from tank.server.services.times import rfc3339
from tank.server.settings import Settings

__all__ = [
    "active_signer",
    "all_public_keys",
    "current_signer",
    "lock_log",
    "rotate",
    "served_keys",
]

#: Loaded signers by (key id, PEM digest): decrypting a passphrase-protected key costs a key
#: derivation, which must not be paid on every publish.
_SIGNERS: dict[tuple[str, str], Signer] = {}


def lock_log(session: Session) -> LogState:
    """Lock the log's state row for the rest of the transaction (every append and every key
    change takes it first), and return it."""
    state = session.get(LogState, 1, with_for_update=True)
    if state is None:  # the migration inserts it; a missing row is a damaged database
        raise ApiError(
            "the transparency log's state row is missing",
            status=500,
            code="log_state_missing",
            hint="run `tank registry migrate`, then `tank registry log verify`",
        )
    return state


def _passphrase(settings: Settings) -> bytes | None:
    text = settings.signing_key_passphrase
    return text.encode() if text else None


def _signer(row: RegistryKey, settings: Settings) -> Signer:
    cache_key = (row.keyid, hashlib.sha256(row.private_pem).hexdigest())
    found = _SIGNERS.get(cache_key)
    if found is None:
        try:
            found = load_signer(row.private_pem, _passphrase(settings))
        except SignatureError as error:
            raise ApiError(
                f"the registry cannot read its signing key {row.keyid[:16]}: {error.message}",
                status=500,
                code="registry_key_unreadable",
                hint="set TANK_REGISTRY_SIGNING_KEY_PASSPHRASE to the passphrase the key was "
                "made with, or rotate to a new key with `tank registry keys rotate`",
            ) from None
        if found.public.keyid != row.keyid:
            raise ApiError(
                "the registry's stored signing key does not match its key id",
                status=500,
                code="registry_key_mismatch",
            )
        _SIGNERS[cache_key] = found
    return found


def _active(session: Session) -> RegistryKey | None:
    query = select(RegistryKey).where(RegistryKey.retired_at.is_(None)).order_by(RegistryKey.id)
    return session.scalars(query).first()


def _new_key(settings: Settings) -> tuple[RegistryKey, Signer]:
    pem, public = generate_key(_passphrase(settings))
    row = RegistryKey(keyid=public.keyid, public_key=public.as_dict(), private_pem=pem)
    return row, _signer(row, settings)


def active_signer(session: Session, settings: Settings) -> Signer:
    """The active key's signer, making the first key when there is none (inside the
    caller's write transaction)."""
    row = _active(session)
    if row is None:
        lock_log(session)
        row = _active(session)  # made by another worker while we waited for the lock
        if row is None:
            row, signer = _new_key(settings)
            session.add(row)
            session.flush()
            return signer
    return _signer(row, settings)


def current_signer(session: Session, settings: Settings) -> Signer | None:
    """The active key's signer, or None when the registry has no key yet (a read path that
    must not write: the caller makes the first key in a write transaction)."""
    row = _active(session)
    return None if row is None else _signer(row, settings)


def rotate(session: Session, settings: Settings) -> dict[str, Any]:
    """Retire the active key and make a new one it endorses; return both key ids.

    The old key must still be readable: an endorsement it cannot sign would leave every
    client that pinned it refusing the new key (which is what they should do).
    """
    lock_log(session)
    old_row = _active(session)
    row, new = _new_key(settings)
    now = utcnow()
    if old_row is not None:
        old = _signer(old_row, settings)
        body = rotation_body(old.public, new.public, rfc3339(now))
        row.endorsement = old.sign_payload(body, KEY_ROTATION_TYPE)
        old_row.retired_at = now
        session.flush()  # retire before adding: at no point are two keys active
    session.add(row)
    session.flush()
    return {"retired": old_row.keyid if old_row else None, "active": row.keyid}


def served_keys(session: Session) -> list[dict[str, Any]]:
    """Every key, oldest first, as ``GET /v1/registry/keys`` answers them."""
    rows = session.scalars(select(RegistryKey).order_by(RegistryKey.id))
    return [
        {
            "keyid": r.keyid,
            "key": r.public_key,
            "active": r.retired_at is None,
            "created_at": rfc3339(r.created_at),
            "retired_at": rfc3339(r.retired_at),
            "endorsement": r.endorsement,
        }
        for r in rows
    ]


def all_public_keys(session: Session) -> list[PublicKey]:
    """Every key the registry ever signed with (the active one and the retired ones)."""
    rows = session.scalars(select(RegistryKey).order_by(RegistryKey.id))
    return [parse_public_key(r.public_key) for r in rows]
