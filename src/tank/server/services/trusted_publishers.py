"""Trusted publishers: register a CI identity for a skill or scope; exchange OIDC tokens.

Registering, listing and removing need an unrestricted ``publish`` token of an *owner* of
the scope (in an org, the ``owner`` role; a user's own scope, the user): a trusted
publisher is a credential that publishes without a human, so publishers of an org cannot
add one. Removing one revokes every short-lived token it handed out.

The exchange (``POST /v1/oidc/token``) needs no registry token: the OIDC token *is* the
credential. It is verified (:mod:`tank.server.services.oidc`), its claims matched against
the trusted publishers of the skill and of its scope, and exchanged exactly once (its
``jti`` is remembered with the token it bought) for a token that can publish that one skill,
for ``oidc_token_minutes``, as the user who registered the publisher, whose right to
publish into the scope is checked now and again at publish.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tank.core.skillmd import is_valid_name
from tank.core.trusted_publishing import (
    CiIdentity,
    ClaimsRefused,
    TrustedIdentity,
    check_claims,
    identity_from_claims,
    parse_environment,
    parse_issuer,
    parse_repository,
    parse_workflow,
)
from tank.server.db.models import Scope, Token, TrustedPublisher, User, utcnow
from tank.server.errors import ApiError, Conflict, Forbidden, NotFound, Unauthorized
from tank.server.services import audit
from tank.server.services.access import PUBLISH_ROLES, Role, role_in_scope, scope_of
from tank.server.services.auth import TRUSTED_PUBLISH_SCOPE, Principal, issue_token
from tank.server.services.oidc import OidcRefused, trusted_issuers
from tank.server.services.times import rfc3339
from tank.server.services.tokens import require_unrestricted
from tank.server.settings import Settings

__all__ = ["add", "exchange", "identities", "listing", "remove", "view"]

MAX_PER_TARGET = 20


def _invalid(message: str, hint: str | None = None) -> ApiError:
    return ApiError(message, status=422, code="trusted_publisher_invalid", hint=hint)


def parse_target(text: str, *, skill_only: bool = False) -> str:
    """``@scope/name`` (or ``@scope`` unless ``skill_only``), checked."""
    value = text.strip()
    scope, slash, name = value.lstrip("@").partition("/")
    ok = value.startswith("@") and is_valid_name(scope) and "/" not in name
    ok = ok and (is_valid_name(name) if slash else not skill_only)
    if not ok:
        raise _invalid(
            f"{text!r} is not a {'skill' if skill_only else 'skill or scope'} name",
            "name a skill as @scope/name" + ("" if skill_only else " or a scope as @scope"),
        )
    return value


def view(row: TrustedPublisher) -> dict[str, Any]:
    """A trusted publisher as the API answers it."""
    return {
        "id": row.id,
        "target": row.target,
        "issuer": row.issuer,
        "repository": row.repository,
        "workflow": row.workflow,
        "environment": row.environment,
        "created_at": rfc3339(row.created_at),
    }


def _require_owner(session: Session, principal: Principal, target: str) -> None:
    require_unrestricted(principal, "manage trusted publishers")
    if not principal.has_scope("publish"):
        raise Forbidden(
            "this token is read-only",
            code="token_scope",
            hint="use a token with the 'publish' scope",
        )
    scope = session.get(Scope, scope_of(target))
    if scope is None or role_in_scope(session, scope, principal.user_id) is not Role.OWNER:
        raise Forbidden(
            f"only an owner of @{scope_of(target)} may manage its trusted publishers",
            code="scope_forbidden",
            hint="ask an owner of the scope",
        )


def add(
    session: Session,
    settings: Settings,
    principal: Principal,
    *,
    target: str,
    issuer: str,
    repository: str,
    workflow: str,
    environment: str | None = None,
    ip: str | None = None,
) -> TrustedPublisher:
    """Register a trusted publisher for ``target`` (a skill or a scope)."""
    target = parse_target(target)
    try:
        identity = TrustedIdentity(
            issuer=parse_issuer(issuer, allow_loopback_http=settings.oidc_allow_loopback_http),
            repository=parse_repository(repository),
            workflow=parse_workflow(workflow),
            environment=parse_environment(environment),
        )
    except ClaimsRefused as error:
        raise _invalid(error.message, error.hint) from None
    if identity.issuer not in trusted_issuers(settings):
        raise _invalid(
            f"this registry does not trust the OIDC issuer {identity.issuer}",
            "trusted issuers: " + (", ".join(sorted(trusted_issuers(settings))) or "none"),
        )
    _require_owner(session, principal, target)
    count = len(
        session.scalars(select(TrustedPublisher.id).where(TrustedPublisher.target == target)).all()
    )
    if count >= MAX_PER_TARGET:
        raise Conflict(
            f"{target} already has {MAX_PER_TARGET} trusted publishers",
            code="trusted_publisher_limit",
            hint="remove one first (`tank trusted-publisher remove`)",
        )
    row = TrustedPublisher(target=target, created_by=principal.user_id, **identity.as_dict())
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            f"this trusted publisher is already registered for {target}",
            code="trusted_publisher_exists",
        ) from None
    audit.record(
        session,
        "trusted_publisher.added",
        principal=principal,
        subject=target,
        ip=ip,
        details=view(row),
    )
    return row


def listing(session: Session, principal: Principal, target: str | None) -> list[dict[str, Any]]:
    """The trusted publishers of ``target``'s scope (every scope the caller owns without
    one), newest first."""
    require_unrestricted(principal, "list trusted publishers")
    if target is not None:
        _require_owner(session, principal, parse_target(target))
        scopes = [scope_of(target)]
    else:
        scopes = list(
            session.scalars(select(Scope.name).where(Scope.owner_user_id == principal.user_id))
        )
        for scope in session.scalars(select(Scope).where(Scope.owner_org_id.is_not(None))):
            if role_in_scope(session, scope, principal.user_id) is Role.OWNER:
                scopes.append(scope.name)
    if not scopes:
        return []
    terms = [TrustedPublisher.target == f"@{s}" for s in scopes]
    terms += [TrustedPublisher.target.startswith(f"@{s}/") for s in scopes]
    query = select(TrustedPublisher).where(or_(*terms)).order_by(TrustedPublisher.id.desc())
    return [view(r) for r in session.scalars(query)]


def remove(
    session: Session, principal: Principal, publisher_id: int, *, ip: str | None = None
) -> TrustedPublisher:
    """Remove a trusted publisher and revoke the tokens it handed out (404 when it is not
    one the caller may manage)."""
    row = session.get(TrustedPublisher, publisher_id)
    if row is None:
        raise NotFound(f"no trusted publisher {publisher_id}", code="trusted_publisher_not_found")
    try:
        _require_owner(session, principal, row.target)
    except Forbidden as error:
        if error.code != "scope_forbidden":
            raise
        raise NotFound(
            f"no trusted publisher {publisher_id}", code="trusted_publisher_not_found"
        ) from None
    now = utcnow()
    session.execute(
        update(Token)
        .where(Token.trusted_publisher_id == row.id, Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    audit.record(
        session,
        "trusted_publisher.removed",
        principal=principal,
        subject=row.target,
        ip=ip,
        details=view(row),
    )
    session.delete(row)
    session.flush()
    return row


def identities(session: Session, skill: str) -> list[TrustedIdentity]:
    """The trusted publishers of ``skill`` and of its scope, oldest first: the identity
    policy a Sigstore bundle for ``skill`` must match."""
    query = (
        select(TrustedPublisher)
        .where(TrustedPublisher.target.in_([skill, f"@{scope_of(skill)}"]))
        .order_by(TrustedPublisher.id)
    )
    return [
        TrustedIdentity(row.issuer, row.repository, row.workflow, row.environment)
        for row in session.scalars(query)
    ]


def _jti_digest(claims: dict[str, Any]) -> str:
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > 512:
        raise OidcRefused(
            "the OIDC token has no 'jti' claim: it could be replayed",
            hint="use a token issued by the CI platform (GitHub Actions tokens carry one)",
        )
    return hashlib.sha256(f"{claims['iss']}\n{jti}".encode()).hexdigest()


def _match(session: Session, ci: CiIdentity, skill: str) -> TrustedPublisher:
    query = (
        select(TrustedPublisher)
        .where(
            TrustedPublisher.issuer == ci.issuer,
            TrustedPublisher.target.in_([skill, f"@{scope_of(skill)}"]),
        )
        .order_by(TrustedPublisher.id)
    )
    for row in session.scalars(query):
        trusted = TrustedIdentity(row.issuer, row.repository, row.workflow, row.environment)
        try:
            check_claims(trusted, ci)
        except ClaimsRefused:
            continue
        return row
    raise Forbidden(
        f"no trusted publisher of {skill} matches this token (repository {ci.repository}, "
        f"workflow {ci.workflow_ref.split('@', 1)[0]}, environment {ci.environment or 'none'})",
        code="trusted_publisher_mismatch",
        hint="an owner registers the repository, workflow and environment with "
        "`tank trusted-publisher add`",
    )


def exchange(
    session: Session,
    settings: Settings,
    claims: dict[str, Any],
    skill: str,
    *,
    ip: str | None = None,
) -> dict[str, Any]:
    """Exchange *verified* OIDC ``claims`` for a short-lived token publishing ``skill``
    (in the caller's write transaction); return the answer with the secret."""
    skill = parse_target(skill, skill_only=True)
    try:
        ci = identity_from_claims(claims)
    except ClaimsRefused as error:
        raise OidcRefused(error.message, hint=error.hint) from None
    digest = _jti_digest(claims)
    row = _match(session, ci, skill)
    if session.scalars(select(Token.id).where(Token.oidc_jti == digest)).first() is not None:
        raise _replayed()
    user = session.get(User, row.created_by)
    scope = session.get(Scope, scope_of(skill))
    if (
        user is None
        or user.disabled_at is not None
        or scope is None
        or role_in_scope(session, scope, user.id) not in PUBLISH_ROLES
    ):
        raise Forbidden(
            f"the account that registered this trusted publisher may no longer publish {skill}",
            code="trusted_publisher_stale",
            hint="an owner of the scope registers the trusted publisher again",
        )
    secret, token = issue_token(
        session,
        user,
        scopes=frozenset({TRUSTED_PUBLISH_SCOPE}),
        name=f"trusted publisher {row.id}: {ci.repository}"[:128],
        restrict_to=(skill,),
    )
    token.expires_at = utcnow() + timedelta(minutes=settings.oidc_token_minutes)
    token.trusted_publisher_id = row.id
    token.ci_identity = ci.as_dict()
    token.oidc_jti = digest
    try:
        session.flush()
    except IntegrityError:
        raise _replayed() from None
    audit.record(
        session,
        "trusted_publisher.exchanged",
        subject=skill,
        ip=ip,
        details={"trusted_publisher": row.id, "token_id": token.id, **ci.as_dict()},
    )
    return {
        "token": secret,
        "id": token.id,
        "skill": skill,
        "scopes": [TRUSTED_PUBLISH_SCOPE],
        "expires_at": rfc3339(token.expires_at),
        "trusted_publisher": view(row),
    }


def _replayed() -> Unauthorized:
    return OidcRefused(
        "this OIDC token was already exchanged",
        code="oidc_token_replayed",
        hint="request a new OIDC token from the CI platform for each exchange",
    )
