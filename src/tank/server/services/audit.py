"""The append-only audit log: every write records who did what, when, from where."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tank.server.db.models import AuditEvent
from tank.server.services.auth import Principal


def record(
    session: Session,
    action: str,
    *,
    principal: Principal | None = None,
    subject: str = "",
    ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to ``session``'s transaction (it commits, or vanishes, with the write)."""
    session.add(
        AuditEvent(
            action=action,
            actor_user_id=principal.user_id if principal else None,
            # token 0: the admin CLI, which acts without a token (no row has id 0).
            actor_token_id=(principal.token_id or None) if principal else None,
            ip=ip,
            subject=subject,
            details=details or {},
        )
    )
