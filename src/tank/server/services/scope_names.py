"""Which new scope names need the registry admin's approval, against the scopes that exist.

A new user or org name becomes a scope. One that is reserved, confusable with an existing
scope, or one edit away from a verified one (:mod:`tank.core.scopes`) is refused unless the
registry admin approves it: ``--approve`` on ``tank registry create-user``/``create-org``, or
``"approve": true`` in ``POST /v1/orgs`` with an admin token. The error names the scope the
name resembles.

Every scope name is read for each check: creating accounts and orgs is rare, and a skeleton
column would need a migration each time the confusables table changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.scopes import Reason, Resemblance, resemblance
from tank.server.db.models import OrgMember, Scope, User
from tank.server.errors import Forbidden


def verified_scopes(session: Session) -> set[str]:
    """Scopes of verified publishers: their own, and orgs one of them owns."""
    personal = select(Scope.name).join(User, User.id == Scope.owner_user_id).where(User.verified)
    org_owned = (
        select(Scope.name)
        .join(OrgMember, OrgMember.org_id == Scope.owner_org_id)
        .join(User, User.id == OrgMember.user_id)
        .where(User.verified, OrgMember.role == "owner")
    )
    return set(session.scalars(personal)) | set(session.scalars(org_owned))


def find_resemblance(session: Session, name: str, reserved: Iterable[str]) -> Resemblance | None:
    """The existing or reserved scope ``name`` could pass for, if any."""
    return resemblance(
        name,
        existing=session.scalars(select(Scope.name)),
        verified=verified_scopes(session),
        reserved=reserved,
    )


def guard_new_name(
    session: Session, name: str, *, what: str, reserved: Iterable[str], approved: bool
) -> None:
    """Refuse ``name`` for a new ``what`` (user/org) when it needs approval and has none."""
    if approved:
        return
    found = find_resemblance(session, name, reserved)
    if found is None:
        return
    code = "scope_reserved" if found.reason is Reason.RESERVED else "scope_confusable"
    raise Forbidden(
        f"{found.describe()}: a new {what} name needs the registry admin's approval",
        code=code,
        hint="pick another name, or ask the registry admin to create it with --approve "
        f"('tank registry create-{what} {name} ... --approve') after checking it is "
        f"legitimately distinct from @{found.resembles}",
    )
