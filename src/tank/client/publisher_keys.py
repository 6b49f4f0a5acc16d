"""Signing keys on the registry: register, list and revoke this account's public keys.

The private halves never leave :mod:`tank.client.keystore`; only public keys are sent. Each
call needs the stored login (or ``TANK_TOKEN``), with the ``publish`` scope for changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tank.client import keystore
from tank.client.credentials import token_for
from tank.client.errors import AuthError
from tank.client.http import RegistryClient
from tank.core.errors import UsageError
from tank.core.signing import PublicKey, SignatureError, parse_public_key


def _client(registry: str) -> RegistryClient:
    token = token_for(registry)
    if token is None:
        raise AuthError(
            f"not logged in to {registry}",
            status=401,
            code="not_logged_in",
            hint=f"run `tank login --registry {registry}` (or set TANK_TOKEN in CI)",
        )
    return RegistryClient(registry, token=token)


def public_key_text(key_file: Path | None, ref: str | None = None) -> tuple[PublicKey, str]:
    """The public key to register: read from ``key_file`` (PEM or key JSON), else the local
    key ``ref`` names (default: the newest); returned parsed and as the text to send."""
    if key_file is None:
        local = keystore.find(ref)
        return local.public, json.dumps(local.public.as_dict(), sort_keys=True)
    try:
        text = key_file.read_text(encoding="utf-8")[:8192]
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {key_file}: {error}", code="key_file") from None
    if "PRIVATE KEY" in text:
        raise UsageError(
            f"{key_file} holds a private key; only public keys are registered",
            code="key_file",
            hint="export the public key (`tank keys list --pem`) and pass that file",
        )
    try:
        public = parse_public_key(text.strip())
    except SignatureError as error:
        raise UsageError(f"{key_file}: {error.message}", code="key_file", hint=error.hint) from None
    return public, json.dumps(public.as_dict(), sort_keys=True)


def register(registry: str, key_text: str, name: str) -> dict[str, Any]:
    """``POST /v1/keys``; the registry's view of the key."""
    with _client(registry) as client:
        return client.add_key(key_text, name)


def registered(registry: str) -> list[dict[str, Any]]:
    """The account's keys on ``registry`` (revoked ones included)."""
    with _client(registry) as client:
        keys = client.list_keys().get("keys")
    return [k for k in keys if isinstance(k, dict)] if isinstance(keys, list) else []


def revoke(registry: str, keyid: str) -> dict[str, Any]:
    """``DELETE /v1/keys/{keyid}``; the key as revoked."""
    with _client(registry) as client:
        return client.revoke_key(keyid)


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One line of ``tank keys list``: a key known here, on the registry, or both."""

    keyid: str
    name: str
    local: keystore.LocalKey | None
    remote: dict[str, Any] | None

    @property
    def revoked(self) -> bool:
        """True when the registry marks the key revoked."""
        return bool(self.remote and self.remote.get("revoked"))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "keyid": self.keyid,
            "name": self.name,
            "local": self.local is not None,
            "storage": self.local.storage if self.local else None,
            "encrypted": self.local.encrypted if self.local else None,
            "registered": self.remote is not None,
            "revoked": self.revoked,
            "revoked_at": self.remote.get("revoked_at") if self.remote else None,
        }


def merged(local: list[keystore.LocalKey], remote: list[dict[str, Any]]) -> list[KeyRow]:
    """Local and registered keys side by side, by fingerprint (local order first)."""
    by_id = {str(k.get("keyid")): k for k in remote}
    rows = [KeyRow(k.keyid, k.name, k, by_id.pop(k.keyid, None)) for k in local]
    rows += [KeyRow(i, str(k.get("name") or ""), None, k) for i, k in by_id.items()]
    return rows
