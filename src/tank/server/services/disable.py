"""Disabling an account: the supported way to take a user away.

Rows are never deleted: a user's versions, audit events, reviews and org memberships all
point at the row, and deleting it by hand leaves tokens that answer 401 (see
:func:`tank.server.services.auth.authenticate`). Disabling instead sets
``users.disabled_at`` and revokes every live token in the same transaction. The account
cannot log in or get a token any other way while disabled; its scopes and skills are kept
and served as before (dependents keep installing them). Enabling clears the flag only:
the revoked tokens stay revoked, and the user logs in again for new ones.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.server.db.models import Token, User, utcnow
from tank.server.services import audit


def set_disabled(session: Session, user: User, *, disabled: bool, via: str) -> dict[str, Any]:
    """Disable (revoking every live token) or enable ``user``; audit a change."""
    changed = (user.disabled_at is None) == disabled
    revoked = 0
    if disabled:
        now = utcnow()
        if user.disabled_at is None:
            user.disabled_at = now
        live = session.scalars(
            select(Token).where(Token.user_id == user.id, Token.revoked_at.is_(None))
        ).all()
        for token in live:
            token.revoked_at = now
        revoked = len(live)
    else:
        user.disabled_at = None
    if changed or revoked:
        audit.record(
            session,
            "user.disabled" if disabled else "user.enabled",
            subject=user.username,
            details={"via": via, "tokens_revoked": revoked},
        )
    return {
        "username": user.username,
        "disabled": disabled,
        "changed": changed,
        "tokens_revoked": revoked,
    }
