"""Logging in to a registry, out of it, and asking who we are.

The token a login yields goes straight from the registry's answer into
:mod:`tank.client.credentials`; nothing here returns it, so no caller can print it by
mistake. Logging out revokes the token on the registry when it still answers, then forgets it
locally whatever happens: a user who logs out must end up logged out.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Any

from tank.client import credentials
from tank.client.config import registry_map
from tank.client.errors import AuthError, NetworkError, RegistryError
from tank.client.http import RegistryClient
from tank.core.errors import TankError

LOGIN_SCOPES = ("read", "publish")
_TOKEN_NAME_MAX = 128


def registry_url(override: str | None = None) -> str:
    """The registry an account command talks to: ``--registry``, else the default one."""
    return registry_map(override=override).default


def token_name() -> str:
    """The name of a token minted by ``tank login``: says where it lives, for revoking."""
    return f"tank CLI on {socket.gethostname() or 'unknown host'}"[:_TOKEN_NAME_MAX]


@dataclass(frozen=True, slots=True)
class Login:
    """A successful login: who, where, and where the token was stored (never the token)."""

    registry: str
    username: str
    stored_in: str
    token_id: int | None
    scopes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (deliberately without the token)."""
        return {
            "registry": self.registry,
            "username": self.username,
            "stored_in": self.stored_in,
            "token_id": self.token_id,
            "scopes": list(self.scopes),
        }


def login_with_password(registry: str, username: str, password: str) -> Login:
    """Exchange ``username`` and ``password`` for a new read+publish token and store it."""
    with RegistryClient(registry) as client:
        answer = client.create_token(
            {
                "username": username,
                "password": password,
                "scopes": list(LOGIN_SCOPES),
                "name": token_name(),
            }
        )
    token = answer.get("token")
    if not isinstance(token, str) or not token:
        raise AuthError(
            f"the registry at {registry} answered the login without a token",
            status=201,
            code="no_token",
            hint="is this a Tank registry? check the URL",
        )
    where = credentials.store_token(registry, token, username=username)
    return Login(registry, username, where, _int(answer.get("id")), _strings(answer.get("scopes")))


def login_with_token(registry: str, token: str) -> Login:
    """Check ``token`` with ``GET /v1/whoami`` and store it when the registry accepts it."""
    token = token.strip()
    if not token:
        raise AuthError("the token is empty", status=401, code="no_token", hint="paste it again")
    with RegistryClient(registry, token=token) as client:
        me = client.whoami()
    username = str(me.get("username") or "")
    where = credentials.store_token(registry, token, username=username or None)
    return Login(registry, username, where, _int(me.get("token_id")), _strings(me.get("scopes")))


@dataclass(frozen=True, slots=True)
class Logout:
    """What logging out did: was a token stored, and what the registry said about it."""

    registry: str
    was_logged_in: bool
    revoked: bool
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "registry": self.registry,
            "was_logged_in": self.was_logged_in,
            "revoked": self.revoked,
            "note": self.note,
        }


def logout(registry: str) -> Logout:
    """Revoke the stored token on the registry (best effort) and forget it locally.

    Only the token ``tank login`` stored is touched: a ``TANK_TOKEN`` from the environment is
    the caller's to manage (a CI secret must not be revoked by a logout on a laptop).
    """
    token = credentials.stored_token(registry)
    if token is None:
        known = credentials.forget_token(registry)  # a keyring entry that is gone: drop it
        return Logout(registry, known, False)
    revoked, note = False, None
    try:
        with RegistryClient(registry, token=token, retries=1) as client:
            token_id = _int(client.whoami().get("token_id"))
            if token_id is not None:
                client.revoke_token(token_id)
                revoked = True
            else:
                note = "the registry did not say which token this is; revoke it on the registry"
    except AuthError:
        note = "the registry no longer accepted the token (already revoked or expired)"
    except NetworkError:
        note = "the registry could not be reached: the token was forgotten but not revoked"
    except RegistryError as error:
        note = f"the registry did not revoke the token: {error.message}"
    credentials.forget_token(registry)
    return Logout(registry, True, revoked, note)


def whoami(registry: str) -> dict[str, Any]:
    """The registry's ``/v1/whoami`` answer for our token, plus where the token came from."""
    from_env = bool(os.environ.get("TANK_TOKEN"))
    token = credentials.token_for(registry)
    if token is None:
        raise AuthError(
            f"not logged in to {registry}",
            status=401,
            code="not_logged_in",
            hint="run `tank login` (or set TANK_TOKEN in CI)",
        )
    with RegistryClient(registry, token=token) as client:
        me = client.whoami()
    return {**me, "registry": registry, "token_source": "TANK_TOKEN" if from_env else "stored"}


def logged_in_username(registry: str) -> str | None:
    """The username our token has on ``registry``, or None (not logged in, or no answer).

    Only a hint for suggestions (``tank init``): nothing is sent without a token, and any
    failure means "no suggestion" rather than an error.
    """
    token = credentials.token_for(registry)
    if token is None:
        return None
    try:
        with RegistryClient(registry, token=token, timeout=5.0, retries=1) as client:
            name = client.whoami().get("username")
    except TankError:
        return None
    return name if isinstance(name, str) and name else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()
