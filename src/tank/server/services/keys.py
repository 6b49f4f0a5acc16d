"""Publisher keys: the Ed25519 public keys a user signs publishes with.

A user registers several keys (one per machine, say), each named by its fingerprint
(securesystemslib's key id); a key belongs to one account. Revoking is final and keeps the
row: clients that verify signatures learn the key is revoked and refuse what it signed, and
the registry never accepts it again. Anyone may read a user's keys (that is how clients
verify); adding and revoking need an unrestricted token with the ``publish`` scope, since a
registered key is as strong as the right to publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.signing import PublicKey, SignatureError, parse_public_key
from tank.server.db.models import PublisherKey, User
from tank.server.errors import ApiError, Conflict, Forbidden, NotFound
from tank.server.services import audit
from tank.server.services.auth import Principal
from tank.server.services.times import rfc3339
from tank.server.services.tokens import require_unrestricted

#: How many keys (revoked ones included) one account may hold.
MAX_KEYS_PER_USER = 50


def key_view(row: PublisherKey) -> dict[str, Any]:
    """A key as the API shows it (public material only: there is nothing secret here)."""
    public = PublicKey(row.keyid, row.public_hex)
    return {
        "keyid": row.keyid,
        "name": row.name,
        "key": public.as_dict(),
        "created_at": rfc3339(row.created_at),
        "revoked": row.revoked_at is not None,
        "revoked_at": rfc3339(row.revoked_at),
    }


def _require_publish(principal: Principal, action: str) -> None:
    require_unrestricted(principal, action)
    if not principal.has_scope("publish"):
        raise Forbidden(
            f"this token cannot {action}",
            code="token_scope",
            hint="use a token with the 'publish' scope (`tank login` makes one)",
        )


def add_key(
    session: Session, principal: Principal, key: object, *, name: str = "", ip: str | None = None
) -> PublisherKey:
    """Register ``key`` (PEM or securesystemslib JSON) on the caller's account."""
    _require_publish(principal, "register signing keys")
    try:
        public = parse_public_key(key)
    except SignatureError as error:
        raise ApiError(
            f"not a usable public key: {error.message}",
            status=422,
            code="key_invalid",
            hint=error.hint or "send the public key `tank keys generate` made",
        ) from None
    existing = session.scalars(select(PublisherKey).where(PublisherKey.keyid == public.keyid))
    row = existing.first()
    if row is not None:
        if row.user_id != principal.user_id:
            raise Conflict(
                f"the key {public.keyid[:16]} is registered to another account",
                code="key_taken",
                hint="a key belongs to one account: create your own with `tank keys generate`",
            )
        if row.revoked_at is not None:
            raise Conflict(
                f"the key {public.keyid[:16]} was revoked and cannot be registered again",
                code="key_revoked",
                hint="create a new key with `tank keys generate`",
            )
        return row  # registering the same key twice is harmless
    count = len(
        session.scalars(
            select(PublisherKey.id).where(PublisherKey.user_id == principal.user_id)
        ).all()
    )
    if count >= MAX_KEYS_PER_USER:
        raise Conflict(
            f"the account already holds {count} keys",
            code="too_many_keys",
            hint="ask the registry administrator to clean up old keys",
        )
    row = PublisherKey(
        user_id=principal.user_id, keyid=public.keyid, public_hex=public.public_hex, name=name
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        "key.added",
        principal=principal,
        subject=principal.username,
        ip=ip,
        details={"keyid": row.keyid, "name": name},
    )
    return row


def revoke_key(
    session: Session, principal: Principal, keyid: str, *, ip: str | None = None
) -> PublisherKey:
    """Revoke one of the caller's keys (its fingerprint, or a unique prefix of 8+ hex)."""
    _require_publish(principal, "revoke signing keys")
    row = _find_own(session, principal, keyid)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        audit.record(
            session,
            "key.revoked",
            principal=principal,
            subject=principal.username,
            ip=ip,
            details={"keyid": row.keyid},
        )
    return row


def _find_own(session: Session, principal: Principal, keyid: str) -> PublisherKey:
    wanted = keyid.strip().lower()
    rows = [
        r
        for r in session.scalars(
            select(PublisherKey).where(PublisherKey.user_id == principal.user_id)
        )
        if len(wanted) >= 8 and r.keyid.startswith(wanted)
    ]
    if len(rows) != 1:
        raise NotFound(
            f"no key {keyid[:64]!r} of yours" if not rows else f"{keyid!r} names several keys",
            code="key_not_found",
            hint="give the fingerprint `tank keys list` shows (at least 8 characters)",
        )
    return rows[0]


def list_keys(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The caller's keys, oldest first, revoked ones included."""
    return [key_view(r) for r in _rows(session, principal.user_id)]


def user_keys(session: Session, username: str) -> dict[str, Any]:
    """A user's keys, for anyone verifying their signatures (404 for an unknown user)."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}", code="user_not_found")
    return {"username": user.username, "keys": [key_view(r) for r in _rows(session, user.id)]}


def active_keys(session: Session, user_id: int) -> list[PublicKey]:
    """The user's unrevoked keys: the only ones a publish signature may verify against."""
    return [
        PublicKey(r.keyid, r.public_hex) for r in _rows(session, user_id) if r.revoked_at is None
    ]


def revoked_keyids(session: Session, user_id: int) -> frozenset[str]:
    """Fingerprints of the user's revoked keys (to say so when a publish is signed by one)."""
    return frozenset(r.keyid for r in _rows(session, user_id) if r.revoked_at is not None)


def _rows(session: Session, user_id: int) -> Sequence[PublisherKey]:
    query = select(PublisherKey).where(PublisherKey.user_id == user_id)
    return session.scalars(query.order_by(PublisherKey.id)).all()
