"""Token lifecycle and authentication on real databases: login, mint, revoke, expiry, forgery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tank.server.db.engine import write_session
from tank.server.db.models import AuditEvent, Token
from tank.server.errors import ApiError, Forbidden, NotFound, Unauthorized
from tank.server.services import accounts, tokens
from tank.server.services.auth import TOKEN_PREFIX, Principal, authenticate, token_digest

PASSWORD = "correct horse battery"


def _user(registry, name: str, *, admin: bool = False) -> None:  # type: ignore[no-untyped-def]
    with write_session(registry.sessions) as session:
        accounts.create_user(session, name, PASSWORD, admin=admin)


def _login(registry, username: str, scopes=("read", "publish"), **options) -> str:  # type: ignore[no-untyped-def]
    with write_session(registry.sessions) as session:
        issued = tokens.login(
            session, registry.settings, username, PASSWORD, scopes=scopes, **options
        )
        return issued.secret


def _principal(registry, secret: str) -> Principal:  # type: ignore[no-untyped-def]
    with registry.sessions() as session:
        who = authenticate(session, f"Bearer {secret}")
    assert who is not None
    return who


def test_login_issues_a_token_stored_only_as_a_digest(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    secret = _login(registry, "alice", name="laptop")
    assert secret.startswith(TOKEN_PREFIX) and len(secret) >= 40
    with registry.sessions() as session:
        row = session.scalars(select(Token)).one()
        assert row.digest == token_digest(secret) and secret not in row.digest
        assert secret.startswith(row.prefix) and len(row.prefix) < len(secret) // 3
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "token.created"))
        (event,) = events.all()
    assert event.details["token_id"] == row.id and event.details["scopes"] == ["publish", "read"]
    assert secret not in str(event.details)
    who = _principal(registry, secret)
    assert who.username == "alice" and who.scopes == {"read", "publish"}


def test_wrong_password_and_unknown_user_fail_the_same_way(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    answers = []
    for username, password in (("alice", "wrong password"), ("nobody", PASSWORD), ("", "")):
        with write_session(registry.sessions) as session, pytest.raises(Unauthorized) as caught:
            tokens.login(session, registry.settings, username, password, scopes=["read"])
        answers.append((caught.value.message, caught.value.code))
    assert len(set(answers)) == 1
    with registry.sessions() as session:
        assert session.scalars(select(Token)).all() == []


def test_admin_scope_only_for_admins_and_unknown_scopes_are_422(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _user(registry, "boss", admin=True)
    with write_session(registry.sessions) as session, pytest.raises(Forbidden) as caught:
        tokens.login(session, registry.settings, "alice", PASSWORD, scopes=["admin"])
    assert caught.value.code == "admin_scope"
    for bad in (["superuser"], []):
        with write_session(registry.sessions) as session, pytest.raises(ApiError) as invalid:
            tokens.login(session, registry.settings, "alice", PASSWORD, scopes=bad)
        assert invalid.value.status == 422
    who = _principal(registry, _login(registry, "boss", scopes=["admin"]))
    assert who.is_admin and who.has_scope("publish")


def test_default_and_requested_expiry(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    default_days = registry.settings.token_default_days
    with write_session(registry.sessions) as session:
        row = tokens.login(session, registry.settings, "alice", PASSWORD, scopes=["read"]).row
        short = tokens.login(
            session, registry.settings, "alice", PASSWORD, scopes=["read"], expires_in_days=2
        ).row
        for bad in (0, -5, 100_000):
            with pytest.raises(ApiError):
                tokens.issue(
                    session, registry.settings, row.user, scopes=["read"], expires_in_days=bad
                )
    now = datetime.now(UTC)
    assert row.expires_at is not None and short.expires_at is not None
    assert abs(row.expires_at - (now + timedelta(days=default_days))) < timedelta(minutes=1)
    assert abs(short.expires_at - (now + timedelta(days=2))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "bad", ["acme", "@", "@Acme", "@acme/", "@acme/pdf/x", "@a--b", "@acme/PDF", "@../x"]
)
def test_bad_restrictions_are_refused(bad: str) -> None:
    with pytest.raises(ApiError) as caught:
        tokens.parse_restrictions([bad])
    assert caught.value.status == 422


def test_restrictions_are_kept_and_honoured(registry) -> None:  # type: ignore[no-untyped-def]
    assert tokens.parse_restrictions(["@acme", "@x/pdf", "@acme"]) == ("@acme", "@x/pdf")
    _user(registry, "alice")
    who = _principal(registry, _login(registry, "alice", restrict_to=["@acme", "@x/pdf"]))
    assert who.restrict_to == ("@acme", "@x/pdf")
    assert who.may_touch("@acme/anything") and who.may_touch("@x/pdf")
    assert not who.may_touch("@x/other") and not who.may_touch("@acmex/pdf")


def test_expired_revoked_and_forged_tokens_are_refused(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    expired, revoked = _login(registry, "alice"), _login(registry, "alice")
    with write_session(registry.sessions) as session:
        row = session.scalars(select(Token).where(Token.digest == token_digest(expired))).one()
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with write_session(registry.sessions) as session:
        tokens.revoke(
            session, _principal(registry, revoked), _principal(registry, revoked).token_id
        )
    forged = TOKEN_PREFIX + "A" * 43
    for secret, words in ((expired, "expired"), (revoked, "revoked"), (forged, "unknown")):
        with registry.sessions() as session, pytest.raises(Unauthorized) as caught:
            authenticate(session, f"Bearer {secret}")
        assert words in caught.value.message
    for header in ("Basic abc", "Bearer", "Bearer   ", "tank_x"):
        with registry.sessions() as session, pytest.raises(Unauthorized):
            authenticate(session, header)
    with registry.sessions() as session:
        assert authenticate(session, None) is None


def test_revoke_rules(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _user(registry, "bob")
    _user(registry, "boss", admin=True)
    alice_rw = _principal(registry, _login(registry, "alice"))
    alice_read = _principal(registry, _login(registry, "alice", scopes=["read"]))
    bob = _principal(registry, _login(registry, "bob"))
    root = _principal(registry, _login(registry, "boss", scopes=["admin"]))
    root_plain = _principal(registry, _login(registry, "boss", scopes=["read", "publish"]))
    with write_session(registry.sessions) as session:
        # Someone else's token is "not found", whatever the scope of the caller.
        with pytest.raises(NotFound):
            tokens.revoke(session, bob, alice_rw.token_id)
        with pytest.raises(NotFound):
            tokens.revoke(session, root_plain, alice_rw.token_id)  # admin user, no admin scope
        with pytest.raises(NotFound):
            tokens.revoke(session, bob, 999_999)
        # A read-only token may revoke itself, not its siblings.
        with pytest.raises(Forbidden):
            tokens.revoke(session, alice_read, alice_rw.token_id)
    with write_session(registry.sessions) as session:
        tokens.revoke(session, alice_read, alice_read.token_id)
        tokens.revoke(session, root, bob.token_id)
        tokens.revoke(session, root, bob.token_id)  # idempotent, audited once
    with registry.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "token.revoked").order_by(AuditEvent.id)
        ).all()
    assert [e.details["token_id"] for e in events] == [alice_read.token_id, bob.token_id]
    assert events[1].actor_user_id == root.user_id and events[1].details["by_admin"] is True


def test_list_tokens_never_shows_secrets(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    _user(registry, "bob")
    secret = _login(registry, "alice")
    _login(registry, "bob")
    with registry.sessions() as session:
        listed = tokens.list_tokens(session, _principal(registry, secret))
    assert len(listed) == 1
    assert "token" not in listed[0] and "digest" not in listed[0]
    assert secret not in str(listed) and token_digest(secret) not in str(listed)


def test_mint_never_escalates(registry) -> None:  # type: ignore[no-untyped-def]
    _user(registry, "alice")
    reader = _principal(registry, _login(registry, "alice", scopes=["read"], expires_in_days=3))
    narrow = _principal(registry, _login(registry, "alice", restrict_to=["@acme"]))
    settings = registry.settings
    with write_session(registry.sessions) as session:
        with pytest.raises(Forbidden):
            tokens.mint(session, settings, reader, scopes=["read", "publish"])
        with pytest.raises(Forbidden):
            tokens.mint(session, settings, narrow, scopes=["read"])  # would drop the restriction
        with pytest.raises(Forbidden):
            tokens.mint(session, settings, narrow, scopes=["read"], restrict_to=["@other"])
        child = tokens.mint(session, settings, reader, scopes=["read"], expires_in_days=300).row
        parent = session.get(Token, reader.token_id)
        assert parent is not None  # the child is capped at the parent's expiry
        assert tokens.token_view(child)["expires_at"] == tokens.token_view(parent)["expires_at"]
        ok = tokens.mint(session, settings, narrow, scopes=["read"], restrict_to=["@acme/pdf"])
        assert ok.row.restrict_to == ["@acme/pdf"]
