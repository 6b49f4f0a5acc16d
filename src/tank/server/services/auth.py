"""Passwords, API tokens and the authenticated principal.

Tokens are ``tank_`` + 43 URL-safe characters (256 random bits). Only their SHA-256 digest is
stored; the secret is shown once when created. A token carries scopes (``read``, ``publish``,
``admin``), an optional expiry, and an optional restriction to named skills or scopes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.server.db.models import Token, User, as_utc
from tank.server.errors import Unauthorized

TOKEN_PREFIX = "tank_"  # noqa: S105 - a public prefix, not a secret
TOKEN_SCOPES = frozenset({"read", "publish", "admin"})
#: The one scope of a token a CI job exchanged its OIDC token for (trusted publishing). It
#: is not in TOKEN_SCOPES (nobody can ask for it) and ``has_scope("publish")`` is false for
#: it: it can publish new versions of the one skill it names (``check_publish`` with
#: ``new_version=True``) and nothing else, not even read.
TRUSTED_PUBLISH_SCOPE = "trusted-publish"
_HASHER = PasswordHasher()
# Verify against this when the user does not exist, so timing does not reveal usernames.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the account has none (made on first use: hashing costs
    a third of a second, which every start of the registry and the CLI would pay)."""
    return _HASHER.hash("not a password")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored_hash`` (constant work when there is no hash)."""
    try:
        return _HASHER.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def token_digest(secret: str) -> str:
    """The stored form of a token secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token_secret() -> str:
    """A fresh token secret (shown to the user once)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, through which token, allowed what."""

    user_id: int
    username: str
    token_id: int
    scopes: frozenset[str]
    restrict_to: tuple[str, ...] = ()
    is_admin: bool = False
    stale_last_used: bool = False

    def has_scope(self, scope: str) -> bool:
        """True when the token grants ``scope`` (``admin`` implies the others)."""
        return scope in self.scopes or "admin" in self.scopes

    def may_publish_versions(self) -> bool:
        """True when the token may upload new versions: a ``publish`` token, or a trusted
        publisher's short-lived one (its restriction says which skill)."""
        return self.has_scope("publish") or TRUSTED_PUBLISH_SCOPE in self.scopes

    def may_touch(self, skill_name: str) -> bool:
        """True unless the token is restricted to other skills or scopes.

        Restrictions are exact skill names (``@acme/pdf``) or scopes (``@acme``).
        """
        if not self.restrict_to:
            return True
        scope = skill_name.split("/", 1)[0]
        return skill_name in self.restrict_to or scope in self.restrict_to


def issue_token(
    session: Session,
    user: User,
    *,
    scopes: frozenset[str],
    name: str = "",
    expires_in_days: int | None = None,
    restrict_to: tuple[str, ...] = (),
) -> tuple[str, Token]:
    """Create a token for ``user``; return (secret, row). The secret is not stored."""
    secret = new_token_secret()
    expires = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    row = Token(
        user_id=user.id,
        digest=token_digest(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        name=name,
        scopes=sorted(scopes),
        restrict_to=list(restrict_to),
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    return secret, row


def authenticate(session: Session, authorization: str | None) -> Principal | None:
    """The principal behind an ``Authorization: Bearer <token>`` header, or None without one.

    Raises :class:`Unauthorized` for a malformed header or an unknown, expired or revoked
    token: presenting bad credentials is an error, never a silent downgrade to anonymous.
    """
    if not authorization:
        return None
    kind, _, secret = authorization.partition(" ")
    secret = secret.strip()
    if kind.lower() != "bearer" or not secret:
        raise Unauthorized(
            "the Authorization header must be 'Bearer <token>'",
            hint="log in with `tank login` or create a token with POST /v1/tokens",
        )
    token = session.scalars(select(Token).where(Token.digest == token_digest(secret))).first()
    now = datetime.now(UTC)
    if token is None:
        raise Unauthorized("unknown token", hint="create a new token with `tank login`")
    if token.revoked_at is not None:
        raise Unauthorized("this token was revoked", hint="create a new token with `tank login`")
    if token.expires_at is not None and as_utc(token.expires_at) <= now:
        raise Unauthorized("this token has expired", hint="create a new token with `tank login`")
    # The account row can be gone (deleted by hand; disabling is the supported way) or
    # disabled (its tokens are revoked then, but check anyway: a token must never outlive it).
    if token.user is None:
        raise Unauthorized("this token's account no longer exists", hint="ask the registry admin")
    if token.user.disabled_at is not None:
        raise Unauthorized(
            "this token's account is disabled",
            code="account_disabled",
            hint="ask the registry admin",
        )
    return Principal(
        user_id=token.user_id,
        username=token.user.username,
        token_id=token.id,
        scopes=frozenset(token.scopes),
        restrict_to=tuple(token.restrict_to),
        is_admin=token.user.is_admin,
        stale_last_used=token.last_used_at is None
        or now - as_utc(token.last_used_at) > _LAST_USED_RESOLUTION,
    )


def touch_token(session: Session, token_id: int) -> None:
    """Record that a token was used now (callers do it at most once a minute per token,
    in a write transaction of its own, so busy readers do not turn every GET into a write)."""
    token = session.get(Token, token_id)
    if token is not None:
        token.last_used_at = datetime.now(UTC)
