"""Read the ``permissions`` object of a skills.json into :class:`Permissions`, with problems.

Codes are stable (scripts match on them):

=========================================  ========  ==============================================
code                                       severity  meaning
=========================================  ========  ==============================================
``permissions.wrong_type``                 error     a value has the wrong JSON type
``permissions.unknown_key``                error     a key Tank does not know (with "did you mean")
``permissions.duplicate``                  warning   an entry listed twice (after canonicalising)
``permissions.network.bad_domain``         error     an outbound entry is not a valid host pattern
``permissions.network.broad_wildcard``     warning   ``*`` or ``*.<tld>``: nearly every host
``permissions.network.bad_rate_limit``     error     max_requests_per_minute not a positive integer
``permissions.network.limit_without_access``  warning  a rate limit with no network access
``permissions.network.true_shorthand``     error     ``"network": true`` (list the hosts instead)
``permissions.filesystem.bad_path``        error     a path glob outside the accepted syntax
``permissions.filesystem.true_shorthand``  error     ``"filesystem": true`` (list the paths)
``permissions.filesystem.temp_dir``        warning   ``/tmp/**`` and the like: needs no grant
``permissions.secrets.bad_name``           error     a secret that is not an env variable name
=========================================  ========  ==============================================

Shorthands: ``"network": false`` and ``"filesystem": false`` mean none (the lockfile example
of the product brief writes them); ``true`` is refused, since "everything" must be spelt out.
Invalid entries are left out of the returned value (never granted); a caller must still
refuse input that produced error problems. A path in the system's temporary directory
(``/tmp/**``, ``/var/tmp/x``) is a warning, not an error: the sandbox gives every skill its own
temporary directory, so the entry grants nothing and is left out (which only narrows).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from difflib import get_close_matches
from typing import Final

from tank.core.errors import Location, Problem, Severity
from tank.core.permissions.domains import canonical_domain, is_broad
from tank.core.permissions.model import (
    FilesystemPermission,
    NetworkPermission,
    Permissions,
    check_rate_limit,
)
from tank.core.permissions.names import InvalidEntry, canonical_secret
from tank.core.permissions.paths import canonical_path_glob

_TOP_KEYS: Final = ("filesystem", "network", "secrets", "subprocess")
_NETWORK_KEYS: Final = ("inbound", "max_requests_per_minute", "outbound")
_FILESYSTEM_KEYS: Final = ("read", "write")
# The system's temporary directory, as authors write it (``/tmp/**``, ``/private/tmp/x``).
_TEMP_DIR: Final = re.compile(r"/(?:private/|var/)?tmp(?:/[^\\]*)?")

# Spellings seen in other tools and in the product brief's YAML sketch, mapped to ours.
_ALIASES: Final[Mapping[str, str]] = {
    "allowed_domains": "outbound",
    "domains": "outbound",
    "hosts": "outbound",
    "rate_limit": "max_requests_per_minute",
    "requests_per_minute": "max_requests_per_minute",
    "env": "secrets",
    "environment": "secrets",
    "shell": "subprocess",
    "exec": "subprocess",
    "fs": "filesystem",
    "net": "network",
}


def _json_type(value: object) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return type(value).__name__


class _Reader:
    """Collects problems while walking the permissions object; one per parse."""

    def __init__(self, file: str | None) -> None:
        self.location = Location(file=file) if file is not None else None
        self.problems: list[Problem] = []

    def report(
        self, code: str, message: str, hint: str | None = None, *, warning: bool = False
    ) -> None:
        self.problems.append(
            Problem(
                code=code,
                message=message,
                severity=Severity.WARNING if warning else Severity.ERROR,
                location=self.location,
                hint=hint,
            )
        )

    def wrong_type(self, where: str, value: object, expected: str, hint: str) -> None:
        self.report(
            "permissions.wrong_type",
            f"{where} must be {expected}, not {_json_type(value)}",
            hint,
        )

    def object_at(self, where: str, value: object, allowed: Sequence[str]) -> dict[str, object]:
        """The entries of a JSON object with known keys; reports unknown keys."""
        if not isinstance(value, Mapping):
            self.wrong_type(where, value, "an object", f"see the format of {where} in DESIGN.md")
            return {}
        known: dict[str, object] = {}
        for key, item in value.items():
            if key in allowed:
                known[key] = item
                continue
            guess = _ALIASES.get(str(key))
            if guess not in allowed:
                close = get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                guess = close[0] if close else None
            hint = f'did you mean "{guess}"?' if guess else f"known keys: {', '.join(allowed)}"
            self.report("permissions.unknown_key", f"{where}: unknown key {key!r}", hint)
        return known

    def boolean(self, where: str, value: object) -> bool:
        """A JSON boolean; anything else is reported and read as False (not granted)."""
        if isinstance(value, bool):
            return value
        self.wrong_type(where, value, "true or false", "write true or false, without quotes")
        return False

    def entries(
        self,
        where: str,
        value: object,
        check: Callable[[object], str],
        code: str,
        example: str,
    ) -> tuple[str, ...]:
        """Valid, canonical entries of a JSON array of strings; reports every bad one."""
        if not isinstance(value, list | tuple):
            hint = f"write a list, e.g. [{example}]"
            if isinstance(value, Mapping) and "required" in value:
                hint = f'write the names as a list: "secrets": [{example}]'
            self.wrong_type(where, value, "an array", hint)
            return ()
        seen: set[str] = set()
        for index, item in enumerate(value):
            try:
                canonical = check(item)
            except InvalidEntry as error:
                self.report(code, f"{where}[{index}]: {error.message}", error.hint)
                continue
            if canonical in seen:
                self.report(
                    "permissions.duplicate",
                    f"{where}[{index}]: {canonical!r} is listed more than once",
                    "remove the duplicate",
                    warning=True,
                )
            seen.add(canonical)
        return tuple(seen)

    def without_temp_dir(self, where: str, value: object) -> object:
        """A path list without entries in the system's temporary directory, each reported as
        a warning: the sandbox gives the skill its own temporary directory, so they grant
        nothing (leaving them out narrows, never widens)."""
        if not isinstance(value, list | tuple):
            return value
        kept: list[object] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and _TEMP_DIR.fullmatch(item):
                self.report(
                    "permissions.filesystem.temp_dir",
                    f"{where}[{index}]: {item!r} needs no grant; the sandbox gives every skill "
                    "its own temporary directory",
                    "remove the entry, and use mktemp or $TMPDIR for temporary files",
                    warning=True,
                )
                continue
            kept.append(item)
        return kept

    def network(self, value: object) -> NetworkPermission | None:
        where = "permissions.network"
        if value is False:
            return None
        if value is True:
            self.report(
                "permissions.network.true_shorthand",
                f"{where}: true would allow every host; list the hosts the skill needs",
                'write "network": {"outbound": ["api.example.com"]} (or ["*"] for any host)',
            )
            return None
        fields = self.object_at(where, value, _NETWORK_KEYS)
        outbound = self.entries(
            f"{where}.outbound",
            fields.get("outbound", []),
            canonical_domain,
            "permissions.network.bad_domain",
            '"api.example.com"',
        )
        for host in sorted(outbound):
            if is_broad(host):
                self.report(
                    "permissions.network.broad_wildcard",
                    f"{where}.outbound: {host!r} allows nearly every host on the internet",
                    "list the hosts the skill really needs",
                    warning=True,
                )
        inbound = self.boolean(f"{where}.inbound", fields.get("inbound", False))
        limit: int | None = None
        if "max_requests_per_minute" in fields:
            try:
                limit = check_rate_limit(fields["max_requests_per_minute"])
            except InvalidEntry as error:
                self.report(
                    "permissions.network.bad_rate_limit",
                    f"{where}.{error.message}",
                    error.hint,
                )
            if limit is not None and not outbound and not inbound:
                self.report(
                    "permissions.network.limit_without_access",
                    f"{where}: max_requests_per_minute is set but no network access is granted",
                    "add hosts to outbound, or remove the limit",
                    warning=True,
                )
        if not outbound and not inbound:
            return None
        return NetworkPermission(outbound, inbound, limit)

    def filesystem(self, value: object) -> FilesystemPermission:
        where = "permissions.filesystem"
        if value is False:
            return FilesystemPermission()
        if value is True:
            self.report(
                "permissions.filesystem.true_shorthand",
                f"{where}: true would allow every file; list the paths the skill needs",
                'write "filesystem": {"read": ["./docs/**"], "write": ["./output/**"]}',
            )
            return FilesystemPermission()
        fields = self.object_at(where, value, _FILESYSTEM_KEYS)
        read, write = (
            self.entries(
                f"{where}.{key}",
                self.without_temp_dir(f"{where}.{key}", fields.get(key, [])),
                canonical_path_glob,
                "permissions.filesystem.bad_path",
                '"./docs/**"',
            )
            for key in _FILESYSTEM_KEYS
        )
        return FilesystemPermission(read, write)


def parse_permissions(
    data: object, *, file: str | None = None
) -> tuple[Permissions, list[Problem]]:
    """Parse the JSON value of a ``permissions`` key into canonical :class:`Permissions`.

    Returns the permissions made of the valid entries only, and every problem found (errors
    and warnings, in a deterministic order). ``file`` goes into each problem's location.
    """
    reader = _Reader(file)
    fields = reader.object_at("permissions", data, _TOP_KEYS)
    network = reader.network(fields["network"]) if "network" in fields else None
    filesystem = reader.filesystem(fields["filesystem"]) if "filesystem" in fields else None
    subprocess = reader.boolean("permissions.subprocess", fields.get("subprocess", False))
    secrets = reader.entries(
        "permissions.secrets",
        fields.get("secrets", []),
        canonical_secret,
        "permissions.secrets.bad_name",
        '"ACME_API_KEY"',
    )
    permissions = Permissions(
        network=network,
        filesystem=filesystem or FilesystemPermission(),
        subprocess=subprocess,
        secrets=secrets,
    )
    return permissions, reader.problems
