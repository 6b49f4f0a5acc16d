"""The API token lifecycle: log in for a token, mint a narrower one, list, revoke.

Secrets are shown once (the answer to the creating request) and stored only as a digest
(:mod:`tank.server.services.auth`). A login with a wrong password and one with an unknown
username fail with the same message after the same argon2 work, so answers do not reveal
which usernames exist. The ``admin`` scope is only for administrators. A token can mint a
token for its own user without a password, but never a stronger one: its scopes,
restrictions and expiry must fit inside the minting token's.

Managing tokens (listing them, revoking another) needs an unrestricted token: a token
restricted to some skills is a credential handed to one job, and must not be able to see
or end the user's other credentials. A restricted token may still end itself (log out) and
mint a narrower one, which cannot give more than it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.skillmd import is_valid_name
from tank.server.db.models import Token, User, as_utc
from tank.server.errors import ApiError, Forbidden, NotFound, Unauthorized
from tank.server.services import audit
from tank.server.services.access import find_user
from tank.server.services.auth import TOKEN_SCOPES, Principal, issue_token, verify_password
from tank.server.services.times import rfc3339
from tank.server.settings import Settings

MAX_EXPIRY_DAYS = 3650
BAD_LOGIN = "invalid username or password"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: the secret (shown once) and its stored row."""

    secret: str
    row: Token

    def as_dict(self) -> dict[str, Any]:
        """The 201 answer: the secret once, plus what the token may do."""
        return {"token": self.secret, **token_view(self.row)}


def _invalid(message: str, code: str, hint: str) -> ApiError:
    return ApiError(message, status=422, code=code, hint=hint)


def parse_scopes(scopes: Sequence[str]) -> frozenset[str]:
    """Validate requested token scopes (422 for an unknown or empty list)."""
    wanted = frozenset(scopes)
    unknown = sorted(wanted - TOKEN_SCOPES)
    if unknown:
        raise _invalid(
            f"unknown token scope(s): {', '.join(unknown)}",
            "unknown_scope",
            "use read, publish or admin",
        )
    if not wanted:
        raise _invalid("a token needs at least one scope", "no_scope", "ask for 'read'")
    return wanted


def parse_restrictions(entries: Sequence[str]) -> tuple[str, ...]:
    """Validate ``@scope`` and ``@scope/name`` restrictions; keep order, drop duplicates."""
    out: list[str] = []
    for entry in entries:
        text = entry.strip()
        scope, _, name = text.lstrip("@").partition("/")
        if (
            not text.startswith("@")
            or not is_valid_name(scope)
            or (text.count("/") == 1 and not is_valid_name(name))
            or text.count("/") > 1
        ):
            raise _invalid(
                f"{entry!r} is not a scope or skill name",
                "bad_restriction",
                "restrict a token to '@scope' or '@scope/skill'",
            )
        if text not in out:
            out.append(text)
    return tuple(out)


def _aware(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


def token_view(row: Token) -> dict[str, Any]:
    """A token as listed: never its secret nor its digest."""
    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "scopes": list(row.scopes),
        "restrict_to": list(row.restrict_to),
        "created_at": rfc3339(row.created_at),
        "expires_at": rfc3339(row.expires_at),
        "last_used_at": rfc3339(row.last_used_at),
        "revoked_at": rfc3339(row.revoked_at),
    }


def _expiry_days(settings: Settings, requested: int | None) -> int | None:
    days = requested if requested is not None else settings.token_default_days
    if days is not None and not 1 <= days <= MAX_EXPIRY_DAYS:
        raise _invalid(
            f"expires_in_days must be between 1 and {MAX_EXPIRY_DAYS}",
            "bad_expiry",
            "ask for a shorter lifetime",
        )
    return days


def issue(
    session: Session,
    settings: Settings,
    user: User,
    *,
    scopes: Sequence[str],
    name: str = "",
    expires_in_days: int | None = None,
    restrict_to: Sequence[str] = (),
    principal: Principal | None = None,
    ip: str | None = None,
    via: str = "password",
) -> IssuedToken:
    """Create a token for ``user`` after checking its scopes; record ``token.created``.

    A disabled account gets no token, whichever way it asks (password, token, admin CLI).
    """
    if user.disabled_at is not None:
        raise Unauthorized(
            f"the account {user.username} is disabled",
            code="account_disabled",
            hint="ask the registry admin (`tank registry disable-user --enable`)",
        )
    wanted = parse_scopes(scopes)
    if "admin" in wanted and not user.is_admin:
        raise Forbidden(
            "only registry administrators may hold admin tokens",
            code="admin_scope",
            hint="ask for 'read' and 'publish' only",
        )
    restrictions = parse_restrictions(restrict_to)
    secret, row = issue_token(
        session,
        user,
        scopes=wanted,
        name=name,
        expires_in_days=_expiry_days(settings, expires_in_days),
        restrict_to=restrictions,
    )
    audit.record(
        session,
        "token.created",
        principal=principal,
        subject=user.username,
        ip=ip,
        details={
            "token_id": row.id,
            "name": name,
            "scopes": sorted(wanted),
            "restrict_to": list(restrictions),
            "expires_at": rfc3339(row.expires_at),
            "via": via,
        },
    )
    return IssuedToken(secret, row)


def check_password(session: Session, username: str, password: str) -> User:
    """The user whose credentials these are; 401 (one message for every failure) otherwise.

    Call it in a read transaction: argon2 takes tens of milliseconds and must not hold
    SQLite's write lock.
    """
    user = find_user(session, username)
    # verify_password does the same argon2 work when there is no such user.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthorized(
            BAD_LOGIN, code="bad_credentials", hint="check the username and password"
        )
    return user


def login(
    session: Session,
    settings: Settings,
    username: str,
    password: str,
    *,
    scopes: Sequence[str],
    name: str = "",
    expires_in_days: int | None = None,
    restrict_to: Sequence[str] = (),
    ip: str | None = None,
) -> IssuedToken:
    """Exchange a username and password for a new token (401 for either being wrong)."""
    user = check_password(session, username, password)
    return issue(
        session,
        settings,
        user,
        scopes=scopes,
        name=name,
        expires_in_days=expires_in_days,
        restrict_to=restrict_to,
        ip=ip,
    )


def mint(
    session: Session,
    settings: Settings,
    principal: Principal,
    *,
    scopes: Sequence[str],
    name: str = "",
    expires_in_days: int | None = None,
    restrict_to: Sequence[str] = (),
    ip: str | None = None,
) -> IssuedToken:
    """A new token for the caller's own user, no stronger than the calling token."""
    wanted = parse_scopes(scopes)
    stronger = sorted(s for s in wanted if not principal.has_scope(s))
    if stronger:
        raise Forbidden(
            f"this token cannot grant {', '.join(stronger)}",
            code="token_scope",
            hint="log in with your password for a token with more scopes",
        )
    restrictions = parse_restrictions(restrict_to)
    if principal.restrict_to:
        outside = [r for r in restrictions if not principal.may_touch(r)]
        if not restrictions or outside:
            raise Forbidden(
                f"this token is restricted to {', '.join(principal.restrict_to)}",
                code="token_restricted",
                hint="restrict the new token to the same skills or scopes, or fewer",
            )
    parent = session.get(Token, principal.token_id)
    user = session.get(User, principal.user_id)
    if parent is None or user is None:
        raise Unauthorized("this token no longer exists")
    issued = issue(
        session,
        settings,
        user,
        scopes=sorted(wanted),
        name=name,
        expires_in_days=expires_in_days,
        restrict_to=restrictions,
        principal=principal,
        ip=ip,
        via="token",
    )
    # Never outlive the token that made it.
    parent_end = _aware(parent.expires_at)
    child_end = _aware(issued.row.expires_at)
    if parent_end is not None and (child_end is None or child_end > parent_end):
        issued.row.expires_at = parent_end
    return issued


def require_unrestricted(principal: Principal, action: str) -> None:
    """Raise :class:`Forbidden` when ``principal``'s token is restricted to some skills."""
    if principal.restrict_to:
        raise Forbidden(
            f"a token restricted to {', '.join(principal.restrict_to)} cannot {action}",
            code="token_restricted",
            hint="manage tokens with an unrestricted token (get one with `tank login`)",
        )


def list_tokens(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The caller's tokens, newest first (an unrestricted token only)."""
    require_unrestricted(principal, "list tokens")
    rows = session.scalars(
        select(Token).where(Token.user_id == principal.user_id).order_by(Token.id.desc())
    ).all()
    return [token_view(row) for row in rows]


def revoke(
    session: Session, principal: Principal, token_id: int, *, ip: str | None = None
) -> Token:
    """Revoke a token: any token itself; the user's others with a write token; anyone's
    with an administrator's admin token. Others' tokens answer 404 (no existence leak).
    Revoking any token but itself needs an unrestricted token."""
    if token_id != principal.token_id:
        require_unrestricted(principal, "revoke other tokens")
    row = session.get(Token, token_id)
    admin = principal.is_admin and principal.has_scope("admin")
    if row is None or (row.user_id != principal.user_id and not admin):
        raise NotFound(f"no token {token_id} of yours", code="token_not_found")
    if row.id != principal.token_id and not principal.has_scope("publish"):
        raise Forbidden(
            "a read-only token may revoke only itself",
            code="token_scope",
            hint="use a token with the 'publish' scope",
        )
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        audit.record(
            session,
            "token.revoked",
            principal=principal,
            subject=row.user.username,
            ip=ip,
            details={
                "token_id": row.id,
                "prefix": row.prefix,
                "by_admin": row.user_id != principal.user_id,
            },
        )
    return row
