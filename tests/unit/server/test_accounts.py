"""Users, orgs, roles and scope ownership on real databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tank.server.db.engine import write_session
from tank.server.db.models import AuditEvent, OrgMember, Scope
from tank.server.errors import ApiError, Conflict, Forbidden, NotFound, Unauthorized
from tank.server.services import accounts, tokens
from tank.server.services.access import check_publish, find_user
from tank.server.services.auth import Principal, authenticate

PASSWORD = "correct horse battery"
NO_RESERVED: frozenset[str] = frozenset()


def _user(registry, name: str, *, admin: bool = False) -> None:  # type: ignore[no-untyped-def]
    with write_session(registry.sessions) as session:
        accounts.create_user(session, name, PASSWORD, admin=admin)


def _who(registry, name: str, scopes=("read", "publish"), **options) -> Principal:  # type: ignore[no-untyped-def]
    with write_session(registry.sessions) as session:
        secret = tokens.login(
            session, registry.settings, name, PASSWORD, scopes=scopes, **options
        ).secret
    with registry.sessions() as session:
        who = authenticate(session, f"Bearer {secret}")
    assert who is not None
    return who


def _org(registry, name: str, owner: str, *, reserved=NO_RESERVED) -> None:  # type: ignore[no-untyped-def]
    who = _who(registry, owner)
    with write_session(registry.sessions) as session:
        user = find_user(session, owner)
        assert user is not None
        accounts.create_org(session, name, owner=user, principal=who, reserved=reserved)


def _actions(registry) -> list[str]:  # type: ignore[no-untyped-def]
    with registry.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_user_creation_claims_the_personal_scope(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    with registry.sessions() as session:
        scope = session.get(Scope, "alice")
        assert scope is not None and scope.owner_user_id is not None
    with pytest.raises(Conflict):
        _user(registry, "alice")
    for bad_name, bad_password in (("Alice", PASSWORD), ("-x", PASSWORD), ("bob", "short")):
        with pytest.raises(ApiError) as caught, write_session(registry.sessions) as session:
            accounts.create_user(session, bad_name, bad_password)
        assert caught.value.status == 422
    assert _actions(registry) == ["user.created"]


def test_org_creation_makes_the_creator_owner_of_the_scope(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _org(registry, "acme", "alice")
    with registry.sessions() as session:
        scope = session.get(Scope, "acme")
        assert scope is not None and scope.owner_org_id is not None
        view = accounts.org_view(session, "acme", _who(registry, "alice"))
    assert view["members"] == [
        {"username": "alice", "role": "owner", "since": view["members"][0]["since"]}
    ]
    assert view["scopes"] == ["@acme"] and view["role"] == "owner"
    assert "org.created" in _actions(registry)


def test_org_cannot_take_a_user_scope_an_org_or_a_reserved_name(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _user(registry, "bob")
    _org(registry, "acme", "alice")
    with pytest.raises(Conflict):
        _org(registry, "alice", "bob")  # a user's personal scope
    with pytest.raises(Conflict):
        _org(registry, "acme", "bob")  # an existing org
    with pytest.raises(Forbidden) as caught:
        _org(registry, "tank", "bob", reserved=frozenset({"tank"}))
    assert caught.value.code == "scope_reserved"
    with pytest.raises(ApiError):
        _org(registry, "Bad_Name", "bob")
    # The trusted admin CLI may create a reserved org when it approves the name.
    with write_session(registry.sessions) as session:
        owner = find_user(session, "bob")
        assert owner is not None
        with pytest.raises(Forbidden):
            accounts.create_org(
                session, "tank", owner=owner, principal=None, trusted=True,
                reserved=frozenset({"tank"}),
            )  # fmt: skip
        accounts.create_org(
            session, "tank", owner=owner, principal=None, trusted=True, approve=True,
            reserved=frozenset({"tank"}),
        )  # fmt: skip


def test_untrusted_anonymous_and_read_only_callers_cannot_write(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _org(registry, "acme", "alice")
    reader_token = _who(registry, "alice", scopes=["read"])
    restricted = _who(registry, "alice", restrict_to=["@other"])
    with write_session(registry.sessions) as session:
        with pytest.raises(Unauthorized):
            accounts.set_member(session, "acme", "alice", "reader", principal=None)
        with pytest.raises(Forbidden):
            accounts.set_member(session, "acme", "alice", "reader", principal=reader_token)
        with pytest.raises(Forbidden):
            accounts.set_member(session, "acme", "alice", "reader", principal=restricted)


def test_roles_decide_who_publishes_into_an_org_scope(registry) -> None:  # type: ignore[no-untyped-def]
    for name in ("alice", "pub", "reader", "stranger"):
        _user(registry, name)
    _org(registry, "acme", "alice")
    owner = _who(registry, "alice")
    with write_session(registry.sessions) as session:
        _, added = accounts.set_member(session, "acme", "pub", "publisher", principal=owner)
        assert added
        accounts.set_member(session, "acme", "reader", "reader", principal=owner)
    for name, allowed in (("alice", True), ("pub", True), ("reader", False), ("stranger", False)):
        who = _who(registry, name)
        with write_session(registry.sessions) as session:
            if allowed:
                assert check_publish(session, who, "@acme/pdf").name == "acme"
            else:
                with pytest.raises(Forbidden):
                    check_publish(session, who, "@acme/pdf")


def test_only_owners_manage_members_and_the_last_owner_stays(registry) -> None:  # type: ignore[no-untyped-def]
    for name in ("alice", "bob", "carol"):
        _user(registry, name)
    _org(registry, "acme", "alice")
    alice = _who(registry, "alice")
    bob = _who(registry, "bob")
    with write_session(registry.sessions) as session:
        accounts.set_member(session, "acme", "bob", "publisher", principal=alice)
    with write_session(registry.sessions) as session:
        with pytest.raises(Forbidden):
            accounts.set_member(session, "acme", "carol", "owner", principal=bob)
        with pytest.raises(Forbidden):
            accounts.remove_member(session, "acme", "alice", principal=bob)
        with pytest.raises(Conflict):
            accounts.remove_member(session, "acme", "alice", principal=alice)
        with pytest.raises(Conflict):
            accounts.set_member(session, "acme", "alice", "reader", principal=alice)
        with pytest.raises(NotFound):
            accounts.set_member(session, "acme", "nobody", "reader", principal=alice)
        with pytest.raises(NotFound):
            accounts.set_member(session, "nope", "bob", "reader", principal=alice)
        with pytest.raises(NotFound):
            accounts.remove_member(session, "acme", "carol", principal=alice)
        with pytest.raises(ApiError) as bad_role:
            accounts.set_member(session, "acme", "bob", "superuser", principal=alice)
        assert bad_role.value.status == 422
    with write_session(registry.sessions) as session:
        accounts.set_member(session, "acme", "bob", "owner", principal=alice)
        accounts.set_member(session, "acme", "bob", "owner", principal=alice)  # no change
    with write_session(registry.sessions) as session:
        accounts.remove_member(session, "acme", "alice", principal=bob)  # bob is owner now
    with registry.sessions() as session:
        roles = session.scalars(select(OrgMember.role)).all()
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("org.member%")).order_by(AuditEvent.id)
        ).all()
    assert roles == ["owner"]
    assert [(e.action, e.details.get("role")) for e in events] == [
        ("org.member_added", "publisher"),
        ("org.member_role_changed", "owner"),
        ("org.member_removed", "owner"),
    ]
    assert events[0].actor_user_id == alice.user_id


def test_members_are_visible_to_members_only(registry) -> None:  # type: ignore[no-untyped-def]
    for name in ("alice", "bob", "boss"):
        _user(registry, name, admin=name == "boss")
    _org(registry, "acme", "alice")
    with registry.sessions() as session:
        public = accounts.org_view(session, "acme", None)
        stranger = accounts.org_view(session, "acme", _who(registry, "bob"))
        admin = accounts.org_view(session, "acme", _who(registry, "boss", scopes=["admin"]))
        with pytest.raises(NotFound):
            accounts.org_view(session, "nope", None)
    assert "members" not in public and "members" not in stranger
    assert public["scopes"] == ["@acme"]
    assert [m["username"] for m in admin["members"]] == ["alice"]


def test_whoami_lists_orgs_and_owned_scopes(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _org(registry, "acme", "alice")
    with registry.sessions() as session:
        me = accounts.whoami(session, _who(registry, "alice", scopes=["read"]))
    assert me["username"] == "alice" and me["scopes"] == ["read"]
    assert me["orgs"] == [{"name": "acme", "role": "owner", "scope": "@acme"}]
    assert me["scopes_owned"] == ["@alice"]
    assert me["is_admin"] is False and me["verified"] is False
