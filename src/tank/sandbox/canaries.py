"""Canaries for the publish-time behaviour check: planted secrets, and how to notice them used.

A behaviour check runs a skill in the sandbox with a fake home holding files an attacker
wants (an SSH key, cloud credentials, a browser profile) and fake secret variables. Each
canary carries a unique random token, so it can be recognised wherever it turns up.

Two detectors, both outside the sandbox, so nothing the skill does inside can silence them:

* **reads**: an inotify watch (``IN_OPEN``, one-shot) on every canary file. inotify watches
  inodes, and bubblewrap binds the same inodes into the sandbox, so an ``open`` from inside
  (any interpreter, any library, even a raw system call) is seen here. Listing a folder or
  ``stat`` is not a read and is not reported.
* **sends**: :class:`TokenWatch` scans bytes (what the proxy saw, what the skill printed) for
  each token, as sent and in the encodings an exfiltration would use (hex, base64 in its
  three alignments), across chunk boundaries, with bounded memory.
"""

from __future__ import annotations

import base64
import ctypes
import os
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final, Self

__all__ = [
    "CANARY_DIRS",
    "CANARY_SECRETS",
    "Canary",
    "OpenWatch",
    "TokenWatch",
    "plant",
]

#: Folders of the fake home holding canary files (made visible read-only to the skill).
CANARY_DIRS: Final = (".ssh", ".aws", ".config/gcloud", ".config/google-chrome")
#: Secret variables always planted (with fake values) besides the ones a skill declares: only
#: declared ones reach the sandbox, so one of these turning up means the sandbox leaked it.
CANARY_SECRETS: Final = (
    "AWS_SECRET_ACCESS_KEY",
    "GITHUB_TOKEN",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
)

_IN_OPEN: Final = 0x20
_IN_ONESHOT: Final = 0x80000000
_IN_NONBLOCK: Final = os.O_NONBLOCK
_IN_CLOEXEC: Final = os.O_CLOEXEC
_EVENT: Final = struct.Struct("iIII")


@dataclass(frozen=True, slots=True)
class Canary:
    """One planted secret: ``where`` is a home-relative path (``~/.ssh/id_rsa``) or a variable
    name (``$GITHUB_TOKEN``); ``token`` the unique text it contains."""

    where: str
    token: str

    @property
    def is_file(self) -> bool:
        """True for a file in the fake home, False for an environment variable."""
        return self.where.startswith("~/")


def _token(kind: str) -> str:
    return f"tankcanary{kind}{secrets.token_hex(12)}"


def _files() -> dict[str, tuple[str, str]]:
    """Home-relative path → (token kind, content template with ``{t}`` for the token)."""
    return {
        ".ssh/id_rsa": (
            "ssh",
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{t}\n-----END OPENSSH PRIVATE KEY-----\n",
        ),
        ".aws/credentials": (
            "aws",
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {t}\n",
        ),
        ".config/gcloud/application_default_credentials.json": (
            "gcloud",
            '{{"type": "authorized_user", "client_id": "x.apps.googleusercontent.com", '
            '"client_secret": "{t}", "refresh_token": "{t}"}}\n',
        ),
        ".config/google-chrome/Default/Login Data": ("chromelogin", "SQLite format 3\0{t}\n"),
        ".config/google-chrome/Default/Cookies": ("chromecookies", "SQLite format 3\0{t}\n"),
    }


def plant(home: Path, secret_names: tuple[str, ...] = ()) -> tuple[list[Canary], dict[str, str]]:
    """Write the canary files under ``home`` and make fake values for ``secret_names`` and
    :data:`CANARY_SECRETS`. Returns the canaries and the environment holding the variables."""
    canaries: list[Canary] = []
    for rel, (kind, template) in _files().items():
        token = _token(kind)
        path = home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(t=token), encoding="latin-1")
        canaries.append(Canary(f"~/{rel}", token))
    environ: dict[str, str] = {}
    for name in sorted({*secret_names, *CANARY_SECRETS}):
        token = _token("env")
        environ[name] = token
        canaries.append(Canary(f"${name}", token))
    return canaries, environ


def _encodings(token: str) -> list[bytes]:
    """``token`` as sent, hex-encoded, and the part of its base64 that does not depend on the
    bytes around it, for each of the three alignments it may have in a longer text."""
    raw = token.encode()
    found = [raw, raw.hex().encode()]
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * shift + raw)
            full = (shift + len(raw)) // 3 * 4  # characters covering only whole groups
            start = 4 if shift else 0
            middle = text[start:full]
            if len(middle) >= 16:
                found.append(middle)
    return list(dict.fromkeys(found))


class TokenWatch:
    """Which canaries' tokens appear in a stream of bytes fed in chunks (thread-safe enough:
    each :meth:`feed` only adds to a set).

    Memory is bounded: only the last few bytes of each stream are kept to match a token that
    spans two chunks.
    """

    def __init__(self, canaries: list[Canary]) -> None:
        self._patterns = [(c, p) for c in canaries for p in _encodings(c.token)]
        self._keep = max((len(p) for _, p in self._patterns), default=1) - 1
        self.found: dict[str, set[str]] = {}
        self._tails: dict[str, bytes] = {}

    def feed(self, data: bytes, channel: str = "network") -> None:
        """Scan ``data``, the next chunk of ``channel`` (``network``, ``stdout``...)."""
        window = self._tails.get(channel, b"") + data
        for canary, pattern in self._patterns:
            if pattern in window:
                self.found.setdefault(canary.where, set()).add(channel)
        self._tails[channel] = window[-self._keep :] if self._keep else b""

    def seen(self) -> list[tuple[str, str]]:
        """``(canary, channel)`` pairs found so far, sorted."""
        return sorted((where, ch) for where, chans in self.found.items() for ch in chans)


class OpenWatch:
    """inotify ``IN_OPEN`` watches on canary files; :meth:`opened` says which were opened.

    One-shot watches: each file reports its first open and nothing more, so a skill opening a
    canary in a loop cannot overflow the event queue and hide another one.
    """

    def __init__(self, home: Path, canaries: list[Canary]) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._fd = int(self._libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC))
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._watches: dict[int, str] = {}
        self._opened: set[str] = set()
        try:
            for canary in canaries:
                if not canary.is_file:
                    continue
                path = os.fsencode(home / canary.where[2:])
                wd = int(self._libc.inotify_add_watch(self._fd, path, _IN_OPEN | _IN_ONESHOT))
                if wd < 0:
                    raise OSError(ctypes.get_errno(), f"inotify_add_watch {canary.where} failed")
                self._watches[wd] = canary.where
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def opened(self) -> list[str]:
        """The canaries opened since the watches were made, sorted."""
        while self._fd >= 0:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            offset = 0
            while offset + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size + length
                if mask & _IN_OPEN and wd in self._watches:
                    self._opened.add(self._watches[wd])
        return sorted(self._opened)

    def close(self) -> None:
        """Release the inotify instance (its watches go with it). Safe to call twice."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
