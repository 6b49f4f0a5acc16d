"""Who may do what to which scope and skill.

Scopes belong to one user or one org. A user-owned scope is its owner's alone; in an org
scope, ``owner`` and ``publisher`` members may publish, ``reader`` members may only read
private skills. A token restricted to some skills or scopes is restricted for reads as for
writes: it reads only the private skills its restriction names (public skills stay readable,
as they are to anyone). A scope exists only as a user (made with the account) or an org
(created explicitly): publishing never creates one, so nobody can squat a name by publishing
into it first. Everything here fails closed: an unknown role grants nothing.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from tank.server.db.models import Org, OrgMember, Scope, Skill, User
from tank.server.errors import Forbidden
from tank.server.services.auth import Principal


class Role(StrEnum):
    """A member's role in an org."""

    OWNER = "owner"
    PUBLISHER = "publisher"
    READER = "reader"


PUBLISH_ROLES = frozenset({Role.OWNER, Role.PUBLISHER})
READ_ROLES = frozenset({Role.OWNER, Role.PUBLISHER, Role.READER})


def scope_of(name: str) -> str:
    """``@acme/pdf`` → ``acme``."""
    return name.split("/", 1)[0].lstrip("@")


def role_in_scope(session: Session, scope: Scope, user_id: int) -> Role | None:
    """The caller's role in ``scope``: OWNER for the owning user, the member role in an org."""
    if scope.owner_user_id is not None:
        return Role.OWNER if scope.owner_user_id == user_id else None
    if scope.owner_org_id is None:
        return None
    role = session.scalars(
        select(OrgMember.role).where(
            OrgMember.org_id == scope.owner_org_id, OrgMember.user_id == user_id
        )
    ).first()
    try:
        return Role(role) if role else None
    except ValueError:
        return None


def can_read_private(
    session: Session, principal: Principal | None, scope_name: str, skill_name: str | None = None
) -> bool:
    """True when ``principal`` holds a read token of a member of the skill's scope, and the
    token's restriction (if any) covers ``skill_name``.

    Without ``skill_name`` the question is about every private skill of the scope (search),
    so a restricted token must name the scope itself. The restriction is checked before any
    query and the queries depend only on the names, so asking about a skill that exists and
    one that does not costs the same (private 404s must not be told apart by timing).
    """
    if principal is None or not principal.has_scope("read"):
        return False
    if not principal.may_touch(skill_name or f"@{scope_name}"):
        return False
    if principal.is_admin and principal.has_scope("admin"):
        return True
    scope = session.get(Scope, scope_name)
    return scope is not None and role_in_scope(session, scope, principal.user_id) in READ_ROLES


def check_as_if_private(session: Session, principal: Principal | None, name: str) -> None:
    """Run :func:`can_read_private` for a skill that does not exist, and ignore the answer.

    A private skill the caller may not read answers the same 404 as a missing one; doing the
    same access check (same statements, same rows: the scope in the name) for the missing
    one keeps the two from being told apart by timing. Call it on every not-found path that
    a private skill's 404 could take instead.
    """
    can_read_private(session, principal, scope_of(name), name)


def readable_filter(session: Session, principal: Principal | None) -> ColumnElement[bool]:
    """A WHERE term over ``skills``: public skills plus the private ones ``principal`` may read.

    The same rule as :func:`can_read_private`, for listing many skills at once.
    """
    public = Skill.private.is_(False)
    if principal is None or not principal.has_scope("read"):
        return public
    admin = principal.is_admin and principal.has_scope("admin")
    if admin and not principal.restrict_to:
        return true()
    member: set[str] | None = None  # None: every scope (administrators)
    if not admin:
        owned = select(Scope.name).where(Scope.owner_user_id == principal.user_id)
        in_org = (
            select(Scope.name)
            .join(OrgMember, OrgMember.org_id == Scope.owner_org_id)
            .where(OrgMember.user_id == principal.user_id, OrgMember.role.in_(sorted(READ_ROLES)))
        )
        member = set(session.scalars(owned.union(in_org)))
    if not principal.restrict_to:
        return or_(public, Skill.scope.in_(sorted(member or ())))
    scopes = {r.lstrip("@") for r in principal.restrict_to if "/" not in r}
    names = {r for r in principal.restrict_to if "/" in r}
    if member is not None:
        scopes &= member
        names = {n for n in names if scope_of(n) in member}
    return or_(public, Skill.scope.in_(sorted(scopes)), Skill.name.in_(sorted(names)))


def check_publish(
    session: Session, principal: Principal, skill_name: str, *, new_version: bool = False
) -> Scope:
    """The scope of ``skill_name``, locked, if ``principal`` may publish into it.

    ``new_version`` is for uploading a version: the one action a trusted publisher's
    short-lived token may take (every other write needs the ``publish`` scope). Raises
    :class:`Forbidden` with the reason otherwise; an unknown scope is never created here
    (see the module docstring).
    """
    allowed = principal.may_publish_versions() if new_version else principal.has_scope("publish")
    if not allowed:
        raise Forbidden(
            "this token cannot publish",
            code="token_scope",
            hint="create a token with the 'publish' scope",
        )
    if not principal.may_touch(skill_name):
        raise Forbidden(
            f"this token is restricted to {', '.join(principal.restrict_to)}",
            code="token_restricted",
            hint=f"use a token allowed to publish {skill_name}",
        )
    name = scope_of(skill_name)
    scope = session.get(Scope, name, with_for_update=True)
    if scope is None:
        raise Forbidden(
            f"the scope @{name} does not exist",
            code="scope_unknown",
            hint=f"publish under your own scope (@{principal.username}/...), or create the org "
            f'@{name} first: POST /v1/orgs with {{"name": "{name}"}} makes you its owner',
        )
    if role_in_scope(session, scope, principal.user_id) not in PUBLISH_ROLES:
        raise Forbidden(
            f"you may not publish into @{name}",
            code="scope_forbidden",
            hint=f"ask an owner of @{name} to add you as a publisher",
        )
    return scope


def find_user(session: Session, username: str) -> User | None:
    """The user called ``username``."""
    return session.scalars(select(User).where(User.username == username)).first()


def find_org(session: Session, name: str) -> Org | None:
    """The org called ``name``."""
    return session.scalars(select(Org).where(Org.name == name)).first()
