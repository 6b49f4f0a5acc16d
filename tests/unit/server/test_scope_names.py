"""Scopes exist only as users and orgs; look-alike and reserved names need the admin's approval.

On the real databases (SQLite and PostgreSQL), through the services the API and CLI call.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tank.server.db.engine import write_session
from tank.server.db.models import Scope, User
from tank.server.errors import ApiError, Forbidden
from tank.server.services import accounts, tokens
from tank.server.services.access import check_publish, find_user
from tank.server.services.auth import Principal, authenticate

PASSWORD = "correct horse battery"
RESERVED = frozenset({"tank", "root"})


def _user(registry, name: str, *, verified: bool = False, approved: bool = False) -> None:  # type: ignore[no-untyped-def]
    with write_session(registry.sessions) as session:
        accounts.create_user(
            session, name, PASSWORD, verified=verified, reserved=RESERVED, approved=approved
        )


def _who(registry, name: str, scopes=("read", "publish")) -> Principal:  # type: ignore[no-untyped-def]
    with write_session(registry.sessions) as session:
        secret = tokens.login(session, registry.settings, name, PASSWORD, scopes=scopes).secret
    with registry.sessions() as session:
        who = authenticate(session, f"Bearer {secret}")
    assert who is not None
    return who


def _org(registry, name: str, owner: str, *, approve: bool = False) -> None:  # type: ignore[no-untyped-def]
    who = _who(registry, owner, scopes=("read", "publish", "admin")) if approve else None
    who = who or _who(registry, owner)
    with write_session(registry.sessions) as session:
        user = find_user(session, owner)
        assert user is not None
        accounts.create_org(
            session, name, owner=user, principal=who, reserved=RESERVED, approve=approve
        )


def _scopes(registry) -> list[str]:  # type: ignore[no-untyped-def]
    with registry.sessions() as session:
        return sorted(session.scalars(select(Scope.name)))


def test_publishing_never_creates_a_scope(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "mallory")
    mallory = _who(registry, "mallory")
    with write_session(registry.sessions) as session, pytest.raises(Forbidden) as caught:
        check_publish(session, mallory, "@acme/x")
    assert caught.value.code == "scope_unknown" and "@acme" in caught.value.message
    assert "POST /v1/orgs" in (caught.value.hint or "")
    assert _scopes(registry) == ["mallory"]


def test_org_creator_publishes_and_others_do_not(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _user(registry, "mallory")
    _org(registry, "acme", "alice")
    alice, mallory = _who(registry, "alice"), _who(registry, "mallory")
    with write_session(registry.sessions) as session:
        assert check_publish(session, alice, "@acme/x").name == "acme"
    with write_session(registry.sessions) as session, pytest.raises(Forbidden) as caught:
        check_publish(session, mallory, "@acme/x")
    assert caught.value.code == "scope_forbidden"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ac-me", "scope_confusable"),
        ("acrne", "scope_confusable"),
        ("\u0430cme", "invalid_name"),  # a Cyrillic a: never a valid name, still named
        ("a\u0441me", "invalid_name"),  # a Cyrillic es
    ],
)
def test_confusable_org_and_user_names_are_refused_naming_the_scope(  # type: ignore[no-untyped-def]
    registry, name: str, code: str
) -> None:
    _user(registry, "alice")
    _user(registry, "mallory")
    _org(registry, "acme", "alice")
    with pytest.raises(ApiError) as caught:
        _org(registry, name, "mallory")
    assert caught.value.code == code and "@acme" in caught.value.message
    if code == "scope_confusable":
        assert caught.value.status == 403 and "--approve" in (caught.value.hint or "")
    with pytest.raises(ApiError) as caught:
        _user(registry, name)
    assert caught.value.code == code and "@acme" in caught.value.message
    assert _scopes(registry) == ["acme", "alice", "mallory"]


def test_one_edit_from_a_verified_scope_needs_approval(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "acmecorp", verified=True)
    _user(registry, "mallory")
    _user(registry, "bob")
    _org(registry, "bobs", "bob")  # bob is not verified: a neighbour of @bob is fine
    with pytest.raises(Forbidden) as caught:
        _org(registry, "acmecorq", "mallory")
    assert caught.value.code == "scope_confusable"
    assert "verified scope @acmecorp" in caught.value.message
    # An org owned by a verified publisher is verified too.
    _org(registry, "widgets", "acmecorp")
    with pytest.raises(Forbidden) as caught:
        _user(registry, "widget")
    assert "@widgets" in caught.value.message


def test_reserved_names_and_the_admin_approval(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    for name in ("tank", "tan-k", "r00t"):
        with pytest.raises(Forbidden) as caught:
            _org(registry, name, "alice")
        assert caught.value.code == "scope_reserved"
    with pytest.raises(Forbidden) as caught:
        _user(registry, "root")
    assert caught.value.code == "scope_reserved" and "@root" in caught.value.message
    # A non-admin cannot approve its own request.
    alice = _who(registry, "alice")
    with write_session(registry.sessions) as session, pytest.raises(Forbidden) as caught:
        user = session.get(User, alice.user_id)
        assert user is not None
        accounts.create_org(
            session, "tank", owner=user, principal=alice, reserved=RESERVED, approve=True
        )
    assert caught.value.code == "approve_forbidden"
    # The admin approves: a user through the admin CLI path, an org with an admin token.
    _user(registry, "root", approved=True)
    with write_session(registry.sessions) as session:
        admin = session.scalars(select(User).where(User.username == "alice")).one()
        admin.is_admin = True
    _org(registry, "tank", "alice", approve=True)
    assert _scopes(registry) == ["alice", "root", "tank"]
