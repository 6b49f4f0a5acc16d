"""Users, orgs, members and the scopes they own.

A user's name doubles as a personal scope (``@alice``), made with the account; an org's name
is a scope owned by the org, its creator its first owner. These are the only ways a scope
comes to exist (publishing never makes one). Names share one namespace: a new user or org
cannot take a name held by a user, an org or a scope, and a reserved name or one that could
pass for an existing scope needs the registry admin's approval (:mod:`.scope_names`).

Callers are either an authenticated :class:`Principal` (the HTTP API) or the admin CLI, which
passes ``principal=None`` together with ``trusted=True``: without both, nothing is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tank.core.scopes import RESERVED_SCOPES
from tank.core.skillmd import is_valid_name
from tank.server.db.models import Org, OrgMember, Scope, User
from tank.server.errors import ApiError, Conflict, Forbidden, NotFound, Unauthorized
from tank.server.services import audit, scope_names
from tank.server.services.access import Role, find_org, find_user
from tank.server.services.auth import Principal, hash_password
from tank.server.services.times import rfc3339

MIN_PASSWORD = 8
MAX_PASSWORD = 1024


def _invalid(message: str, code: str, hint: str) -> ApiError:
    return ApiError(message, status=422, code=code, hint=hint)


def check_name(name: str, what: str, resembles: str | None = None) -> None:
    """Raise a 422 unless ``name`` is a valid user/org/scope name (naming a scope it mimics)."""
    if not is_valid_name(name):
        also = f" (and it could pass for @{resembles})" if resembles else ""
        raise _invalid(
            f"{name!r} is not a valid {what} name{also}",
            "invalid_name",
            "use 1-64 characters of a-z, 0-9 and '-', not starting or ending with '-'",
        )


def _check_new_name(session: Session, name: str, what: str, reserved: Iterable[str]) -> None:
    # An invalid name is refused as such, but still says whom it imitates (Cyrillic "аcme").
    if not is_valid_name(name):
        found = scope_names.find_resemblance(session, name, reserved)
        check_name(name, what, found.resembles if found else None)


def parse_role(role: str) -> Role:
    """The :class:`Role` called ``role`` (422 otherwise)."""
    try:
        return Role(role)
    except ValueError:
        raise _invalid(
            f"unknown role {role!r}",
            "unknown_role",
            "use one of: " + ", ".join(r.value for r in Role),
        ) from None


def _is_admin(principal: Principal | None) -> bool:
    return principal is not None and principal.is_admin and principal.has_scope("admin")


def _writer(principal: Principal | None, trusted: bool, target: str) -> None:
    """Fail closed: the admin CLI (trusted), or a token allowed to write for ``target``."""
    if principal is None:
        if trusted:
            return
        raise Unauthorized("this needs a token", hint="send 'Authorization: Bearer <token>'")
    if not principal.has_scope("publish"):
        raise Forbidden(
            "this token is read-only",
            code="token_scope",
            hint="use a token with the 'publish' scope for account changes",
        )
    if not principal.may_touch(target):
        raise Forbidden(
            f"this token is restricted to {', '.join(principal.restrict_to)}",
            code="token_restricted",
            hint=f"use a token allowed to manage {target}",
        )


def _flush_or_conflict(session: Session, message: str, code: str) -> None:
    # Two concurrent creations of one name: the unique constraint decides, the loser gets 409.
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(message, code=code) from None


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    admin: bool = False,
    verified: bool = False,
    email: str | None = None,
    reserved: Iterable[str] = RESERVED_SCOPES,
    approved: bool = False,
) -> User:
    """Create a user and its personal scope. Raises 409 when the name is taken, 403 when it
    is reserved or resembles an existing scope and the admin did not approve it."""
    _check_new_name(session, username, "user", reserved)
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise _invalid(
            "the password must be 8 to 1024 characters long",
            "bad_password",
            "use at least 8 characters",
        )
    if find_user(session, username) is not None:
        raise Conflict(f"the user {username!r} already exists", code="user_exists")
    if find_org(session, username) is not None or session.get(Scope, username) is not None:
        raise Conflict(
            f"the name {username!r} is taken by an org or a scope",
            code="name_taken",
            hint="pick another username",
        )
    scope_names.guard_new_name(session, username, what="user", reserved=reserved, approved=approved)
    user = User(
        username=username,
        password_hash=hash_password(password),
        is_admin=admin,
        verified=verified,
        email=email,
    )
    session.add(user)
    _flush_or_conflict(session, f"the user {username!r} already exists", "user_exists")
    session.add(Scope(name=username, owner_user_id=user.id))
    _flush_or_conflict(session, f"the scope @{username} is taken", "scope_taken")
    audit.record(
        session,
        "user.created",
        subject=username,
        details={"admin": admin, "verified": verified, "scope": f"@{username}"},
    )
    return user


def create_org(
    session: Session,
    name: str,
    *,
    owner: User,
    principal: Principal | None,
    reserved: frozenset[str],
    trusted: bool = False,
    approve: bool = False,
    ip: str | None = None,
) -> Org:
    """Create org ``name`` owned by ``owner`` and its scope ``@name``.

    A reserved name, or one that could pass for an existing scope, needs ``approve`` from the
    admin CLI (``trusted``) or an admin token; anyone else asking to approve is refused.
    """
    _writer(principal, trusted, f"@{name}")
    if approve and not (trusted or _is_admin(principal)):
        raise Forbidden(
            "only the registry admin may approve a name",
            code="approve_forbidden",
            hint="leave out 'approve', or ask the registry admin to create the org",
        )
    _check_new_name(session, name, "org", reserved)
    if find_org(session, name) is not None:
        raise Conflict(f"the org {name!r} already exists", code="org_exists")
    if session.get(Scope, name) is not None or find_user(session, name) is not None:
        raise Conflict(
            f"the scope @{name} is already taken",
            code="scope_taken",
            hint="pick another org name",
        )
    scope_names.guard_new_name(session, name, what="org", reserved=reserved, approved=approve)
    org = Org(name=name)
    session.add(org)
    _flush_or_conflict(session, f"the org {name!r} already exists", "org_exists")
    session.add(Scope(name=name, owner_org_id=org.id))
    session.add(OrgMember(org_id=org.id, user_id=owner.id, role=Role.OWNER.value))
    _flush_or_conflict(session, f"the scope @{name} is already taken", "scope_taken")
    audit.record(
        session,
        "org.created",
        principal=principal,
        subject=name,
        ip=ip,
        details={"owner": owner.username, "scope": f"@{name}"},
    )
    return org


def _org_for_change(session: Session, name: str) -> Org:
    org = find_org(session, name)
    if org is None:
        raise NotFound(f"no org called {name!r}", code="org_not_found")
    # Lock the org row: concurrent role changes must not both pass the last-owner check.
    session.scalars(select(Org).where(Org.id == org.id).with_for_update()).first()
    return org


def _member(session: Session, org: Org, user_id: int) -> OrgMember | None:
    return session.scalars(
        select(OrgMember).where(OrgMember.org_id == org.id, OrgMember.user_id == user_id)
    ).first()


def _require_owner(session: Session, org: Org, principal: Principal | None, trusted: bool) -> None:
    if principal is None and trusted:
        return
    if _is_admin(principal):
        return
    assert principal is not None  # _writer refused anonymous callers already
    member = _member(session, org, principal.user_id)
    if member is None or member.role != Role.OWNER.value:
        raise Forbidden(
            f"only owners of {org.name!r} may manage its members",
            code="not_org_owner",
            hint="ask an owner of the org",
        )


def _owner_count(session: Session, org: Org) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(OrgMember)
            .where(OrgMember.org_id == org.id, OrgMember.role == Role.OWNER.value)
        )
        or 0
    )


def _last_owner() -> Conflict:
    return Conflict(
        "an org must keep at least one owner",
        code="last_owner",
        hint="make another member an owner first",
    )


def set_member(
    session: Session,
    org_name: str,
    username: str,
    role: str,
    *,
    principal: Principal | None,
    trusted: bool = False,
    ip: str | None = None,
) -> tuple[OrgMember, bool]:
    """Add ``username`` to the org or change their role; return (member, added)."""
    _writer(principal, trusted, f"@{org_name}")
    wanted = parse_role(role)
    org = _org_for_change(session, org_name)
    _require_owner(session, org, principal, trusted)
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"no user called {username!r}", code="user_not_found")
    member = _member(session, org, user.id)
    if member is None:
        member = OrgMember(org_id=org.id, user_id=user.id, role=wanted.value)
        session.add(member)
        session.flush()
        action, details = "org.member_added", {"role": wanted.value}
    elif member.role == wanted.value:
        return member, False
    else:
        if member.role == Role.OWNER.value and _owner_count(session, org) <= 1:
            raise _last_owner()
        details = {"role": wanted.value, "previous": member.role}
        member.role = wanted.value
        action = "org.member_role_changed"
    audit.record(
        session,
        action,
        principal=principal,
        subject=f"{org.name}/{username}",
        ip=ip,
        details={"org": org.name, "username": username, **details},
    )
    return member, action == "org.member_added"


def remove_member(
    session: Session,
    org_name: str,
    username: str,
    *,
    principal: Principal | None,
    trusted: bool = False,
    ip: str | None = None,
) -> None:
    """Remove ``username`` from the org (owners only; never the last owner)."""
    _writer(principal, trusted, f"@{org_name}")
    org = _org_for_change(session, org_name)
    _require_owner(session, org, principal, trusted)
    user = find_user(session, username)
    member = _member(session, org, user.id) if user is not None else None
    if member is None:
        raise NotFound(f"{username!r} is not a member of {org.name!r}", code="member_not_found")
    if member.role == Role.OWNER.value and _owner_count(session, org) <= 1:
        raise _last_owner()
    session.delete(member)
    audit.record(
        session,
        "org.member_removed",
        principal=principal,
        subject=f"{org.name}/{username}",
        ip=ip,
        details={"org": org.name, "username": username, "role": member.role},
    )


def org_view(session: Session, name: str, principal: Principal | None) -> dict[str, Any]:
    """The public view of an org; members (and the caller's role) only for members/admins."""
    org = find_org(session, name)
    if org is None:
        raise NotFound(f"no org called {name!r}", code="org_not_found")
    scopes = session.scalars(
        select(Scope.name).where(Scope.owner_org_id == org.id).order_by(Scope.name)
    ).all()
    view: dict[str, Any] = {
        "name": org.name,
        "created_at": rfc3339(org.created_at),
        "scopes": [f"@{s}" for s in scopes],
    }
    if principal is not None and not principal.may_touch(f"@{org.name}"):
        return view  # a token restricted to other skills or scopes reads only the public view
    mine = _member(session, org, principal.user_id) if principal is not None else None
    if mine is None and not _is_admin(principal):
        return view
    rows = session.execute(
        select(User.username, OrgMember.role, OrgMember.created_at)
        .join(User, User.id == OrgMember.user_id)
        .where(OrgMember.org_id == org.id)
        .order_by(User.username)
    ).all()
    view["role"] = mine.role if mine is not None else None
    view["members"] = [{"username": u, "role": r, "since": rfc3339(at)} for u, r, at in rows]
    return view


def whoami(session: Session, principal: Principal) -> dict[str, Any]:
    """Who the token belongs to, what it may do, and what the user owns."""
    user = session.get(User, principal.user_id)
    if user is None:  # the account was deleted after the token was checked
        raise Unauthorized("this token's account no longer exists")
    orgs = session.execute(
        select(Org.name, OrgMember.role)
        .join(OrgMember, OrgMember.org_id == Org.id)
        .where(OrgMember.user_id == user.id)
        .order_by(Org.name)
    ).all()
    owned = session.scalars(
        select(Scope.name).where(Scope.owner_user_id == user.id).order_by(Scope.name)
    ).all()
    return {
        "username": user.username,
        "token_id": principal.token_id,
        "scopes": sorted(principal.scopes),
        "restrict_to": list(principal.restrict_to),
        "orgs": [{"name": name, "role": role, "scope": f"@{name}"} for name, role in orgs],
        "scopes_owned": [f"@{s}" for s in owned],
        "is_admin": user.is_admin,
        "verified": user.verified,
    }
