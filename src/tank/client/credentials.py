"""Where login tokens live: the system keyring when one works, else a 0600 file.

``credentials.json`` in the config folder maps registry URL to either the token itself
(file storage, mode 0600, in a 0700 folder) or the marker ``{"keyring": true}``, so reading a
token only imports the keyring library when the token really is in the keyring. ``TANK_TOKEN``
in the environment wins over both (CI). Tokens are never printed or logged.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from tank.client.paths import config_dir
from tank.core.errors import TankError

CREDENTIALS_FILE = "credentials.json"
KEYRING_SERVICE = "tank"


def _file() -> Path:
    return config_dir() / CREDENTIALS_FILE


def _read() -> dict[str, dict[str, Any]]:
    path = _file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as bad:
        raise TankError(
            f"cannot read {path}: {bad}",
            code="credentials_invalid",
            hint=f"delete {path} and log in again with `tank login`",
        ) from None
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def _write(entries: dict[str, dict[str, Any]]) -> None:
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # The folder may exist already (config.toml made it with the umask's mode): tighten it,
    # so no other user can even list it.
    if path.parent.stat().st_mode & 0o077:
        with contextlib.suppress(OSError):  # not ours to change: the file is 0600 anyway
            path.parent.chmod(0o700)
    temp = path.with_name(f".{path.name}.tmp")
    # Created 0600 from the start (a fresh file, never a leftover or a link): the token is
    # never readable by others, not even briefly.
    temp.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(entries, out, indent=2, sort_keys=True)
            out.write("\n")
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def system_keyring() -> Any | None:
    """The keyring module when a real backend is available (also for signing keys)."""
    return _keyring()


def _keyring() -> Any | None:
    """The keyring module when a real backend is available (not the fail/null ones)."""
    if os.environ.get("TANK_NO_KEYRING"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or "null" in type(backend).__module__:
        return None
    return keyring


def token_for(registry: str, *, env_allowed: bool = True) -> str | None:
    """The token for ``registry``: ``TANK_TOKEN``, else the stored one, else ``None``.

    ``env_allowed=False`` for a registry that only a project's skills.json named: a cloned
    project must not be able to route the CI's ``TANK_TOKEN`` to a host of its choosing.
    Stored tokens are bound to the URL they were made for, so they are always safe to send.
    """
    env = os.environ.get("TANK_TOKEN")
    if env and env_allowed:
        return env
    return stored_token(registry)


def stored_token(registry: str) -> str | None:
    """The token stored by ``tank login`` for ``registry`` (``TANK_TOKEN`` is ignored)."""
    entry = _read().get(registry)
    if not entry:
        return None
    if entry.get("keyring"):
        ring = _keyring()
        if ring is None:
            return None
        with contextlib.suppress(Exception):
            value = ring.get_password(KEYRING_SERVICE, registry)
            return value if isinstance(value, str) else None
        return None
    token = entry.get("token")
    return token if isinstance(token, str) else None


def username_for(registry: str) -> str | None:
    """The username recorded at login for ``registry`` (for messages only)."""
    name = _read().get(registry, {}).get("username")
    return name if isinstance(name, str) else None


def store_token(registry: str, token: str, *, username: str | None) -> str:
    """Remember ``token`` for ``registry``; return where it went (``keyring`` or the file)."""
    entries = _read()
    ring = _keyring()
    entry: dict[str, Any] = {"username": username} if username else {}
    where = str(_file())
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, registry, token)
            entry["keyring"] = True
            where = "the system keyring"
        except Exception:  # a locked or broken keyring: fall back to the file
            entry["token"] = token
    else:
        entry["token"] = token
    entries[registry] = entry
    _write(entries)
    return where


def forget_token(registry: str) -> bool:
    """Remove the stored token of ``registry``; True when there was one."""
    entries = _read()
    entry = entries.pop(registry, None)
    if entry is None:
        return False
    if entry.get("keyring"):
        ring = _keyring()
        if ring is not None:
            with contextlib.suppress(Exception):
                ring.delete_password(KEYRING_SERVICE, registry)
    _write(entries)
    return True
