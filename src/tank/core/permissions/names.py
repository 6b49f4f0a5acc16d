"""Syntax shared by permission entries: the error an invalid entry raises, and secret names."""

from __future__ import annotations

import re
from typing import Final

#: Longest secret name accepted; real environment variable names are far shorter, and a bound
#: keeps hostile manifests from making us carry megabyte-long "names" around.
MAX_SECRET_LENGTH: Final = 128

_SECRET_RE: Final = re.compile(r"[A-Z_][A-Z0-9_]*")


class InvalidEntry(ValueError):
    """One permission entry (host, path glob, secret name, limit) that is not valid.

    Raised by the canonicalising functions and by the dataclass constructors, so a
    :class:`~tank.core.permissions.Permissions` value can never hold an invalid entry.
    ``parse_permissions`` turns it into a :class:`~tank.core.errors.Problem`.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def canonical_secret(name: object) -> str:
    """Check that ``name`` is an environment variable name (``[A-Z_][A-Z0-9_]*``) and return it.

    Secrets are handed to a skill as environment variables, so a secret is named exactly as the
    variable is. Lower case is refused rather than upper-cased: the variable ``api_key`` is not
    ``API_KEY`` on any POSIX system, and guessing would hand the skill a different value.
    """
    if not isinstance(name, str):
        raise InvalidEntry(f"a secret must be a string, not {type(name).__name__}")
    if len(name) > MAX_SECRET_LENGTH:
        raise InvalidEntry(
            f"secret name is longer than {MAX_SECRET_LENGTH} characters",
            "secrets are environment variable names such as ACME_API_KEY",
        )
    if _SECRET_RE.fullmatch(name) is None:
        upper = name.upper().replace("-", "_").replace(".", "_")
        hint = (
            f'did you mean "{upper}"? secrets are environment variable names: A-Z, 0-9 and _'
            if _SECRET_RE.fullmatch(upper)
            else "secrets are environment variable names: A-Z, 0-9 and _, not starting with a digit"
        )
        raise InvalidEntry(f"{name!r} is not a valid secret name", hint)
    return name
