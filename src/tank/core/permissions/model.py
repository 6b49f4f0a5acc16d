"""The permission values: what a skill may do, or (for a project) the budget it must fit in.

All values are frozen and canonical: every list is a sorted, de-duplicated tuple of validated
entries (hosts lower-cased), so two equal permission sets compare equal, hash equal and
serialise to the same bytes. Constructors validate and raise :class:`InvalidEntry`; an invalid
entry can never reach the sandbox. ``parse_permissions`` is the friendly way in from JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tank.core.permissions.domains import canonical_domain
from tank.core.permissions.names import InvalidEntry, canonical_secret
from tank.core.permissions.paths import canonical_path_glob


def _canonical_tuple(items: Iterable[str], check: Callable[[object], str]) -> tuple[str, ...]:
    """Validate each item with ``check`` and return the sorted, de-duplicated tuple."""
    if isinstance(items, str):
        # A lone string would iterate as characters; this is always a caller's mistake.
        raise InvalidEntry(f"expected a list of strings, got the string {items!r}")
    return tuple(sorted({check(item) for item in items}))


def check_rate_limit(value: object) -> int:
    """Check that ``value`` is a positive whole number of requests per minute and return it."""
    # bool is an int subclass; "max_requests_per_minute": true is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidEntry(
            f"max_requests_per_minute must be a positive whole number, not {value!r}",
            'write e.g. "max_requests_per_minute": 60, or leave it out for no limit',
        )
    return value


@dataclass(frozen=True, slots=True)
class NetworkPermission:
    """Network access: hosts the skill may reach, whether it may listen, and its rate limit.

    ``max_requests_per_minute`` of None means no limit is declared (unlimited). Both
    ``outbound`` and ``inbound`` are dangerous; see the package docs for ``inbound``.
    """

    outbound: tuple[str, ...] = ()
    inbound: bool = False
    max_requests_per_minute: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outbound", _canonical_tuple(self.outbound, canonical_domain))
        if not isinstance(self.inbound, bool):
            raise InvalidEntry(f"inbound must be true or false, not {self.inbound!r}")
        if self.max_requests_per_minute is not None:
            check_rate_limit(self.max_requests_per_minute)

    @property
    def grants_access(self) -> bool:
        """True when any host may be reached or connections may be accepted."""
        return bool(self.outbound) or self.inbound

    def to_json(self) -> dict[str, Any]:
        """Canonical JSON object: sorted keys, only what is granted."""
        out: dict[str, Any] = {}
        if self.inbound:
            out["inbound"] = True
        if self.max_requests_per_minute is not None:
            out["max_requests_per_minute"] = self.max_requests_per_minute
        if self.outbound:
            out["outbound"] = list(self.outbound)
        return out


@dataclass(frozen=True, slots=True)
class FilesystemPermission:
    """Path globs the skill may read and write. Writing does not imply reading (fail closed)."""

    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "read", _canonical_tuple(self.read, canonical_path_glob))
        object.__setattr__(self, "write", _canonical_tuple(self.write, canonical_path_glob))

    @property
    def is_empty(self) -> bool:
        """True when no path may be read or written."""
        return not self.read and not self.write

    def to_json(self) -> dict[str, Any]:
        """Canonical JSON object: sorted keys, only what is granted."""
        out: dict[str, Any] = {}
        if self.read:
            out["read"] = list(self.read)
        if self.write:
            out["write"] = list(self.write)
        return out


@dataclass(frozen=True, slots=True)
class Permissions:
    """Everything a skill may do (or, for a project, the budget every skill must fit in).

    An omitted permission is not granted. A ``network`` that grants no access (no outbound
    host, no inbound) is normalised to None, dropping any rate limit with it: a limit on
    nothing means nothing, and one spelling per meaning keeps equality honest.
    """

    network: NetworkPermission | None = None
    filesystem: FilesystemPermission = field(default_factory=FilesystemPermission)
    subprocess: bool = False
    secrets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.network is not None and not self.network.grants_access:
            object.__setattr__(self, "network", None)
        if not isinstance(self.subprocess, bool):
            raise InvalidEntry(f"subprocess must be true or false, not {self.subprocess!r}")
        object.__setattr__(self, "secrets", _canonical_tuple(self.secrets, canonical_secret))

    @classmethod
    def none(cls) -> Permissions:
        """No permission at all (the default of a skill that declares none)."""
        return cls()

    @property
    def is_empty(self) -> bool:
        """True when nothing is granted."""
        return self == Permissions()

    @property
    def is_dangerous(self) -> bool:
        """True when network access (outbound or inbound) or subprocess is granted."""
        return self.network is not None or self.subprocess

    @property
    def outbound(self) -> tuple[str, ...]:
        """The outbound host patterns (empty when there is no network access)."""
        return self.network.outbound if self.network is not None else ()

    @property
    def inbound(self) -> bool:
        """Whether inbound connections are allowed."""
        return self.network is not None and self.network.inbound

    @property
    def max_requests_per_minute(self) -> int | None:
        """The declared rate limit; None when there is no network or no declared limit."""
        return self.network.max_requests_per_minute if self.network is not None else None

    def to_json(self) -> dict[str, Any]:
        """Canonical JSON: sorted keys and lists, nothing that is not granted, ``{}`` for none."""
        out: dict[str, Any] = {}
        if not self.filesystem.is_empty:
            out["filesystem"] = self.filesystem.to_json()
        if self.network is not None:
            out["network"] = self.network.to_json()
        if self.secrets:
            out["secrets"] = list(self.secrets)
        if self.subprocess:
            out["subprocess"] = True
        return out

    @classmethod
    def from_json(cls, data: object, *, file: str | None = None) -> Permissions:
        """Parse ``data``; raise :class:`~tank.core.errors.ValidationError` on any error.

        Warnings are dropped; use :func:`parse_permissions` to see them.
        """
        from tank.core.errors import ValidationError, errors_of
        from tank.core.permissions.parse import parse_permissions

        permissions, problems = parse_permissions(data, file=file)
        errors = errors_of(problems)
        if errors:
            raise ValidationError(
                f"invalid permissions: {errors[0].message}",
                code=errors[0].code,
                hint=errors[0].hint,
                location=errors[0].location,
                problems=problems,
            )
        return permissions


def union(items: Iterable[Permissions]) -> Permissions:
    """The least permission set covering every one of ``items`` (``none()`` for no items).

    Lists are merged, ``subprocess`` and ``inbound`` are OR-ed. The rate limit is the
    *maximum* of the skills' limits, or unlimited (None) when any skill with network access
    declares none. Not the sum: a budget's limit is a per-skill ceiling (the sandbox limits
    each skill on its own), so the union — the smallest budget admitting every skill — needs
    the largest limit. The max also keeps ``union`` idempotent (``union([x, x]) == x``).
    """
    outbound: set[str] = set()
    inbound = False
    limits: list[int | None] = []
    read: set[str] = set()
    write: set[str] = set()
    subprocess = False
    secrets: set[str] = set()
    for item in items:
        if item.network is not None:
            outbound.update(item.network.outbound)
            inbound = inbound or item.network.inbound
            limits.append(item.network.max_requests_per_minute)
        read.update(item.filesystem.read)
        write.update(item.filesystem.write)
        subprocess = subprocess or item.subprocess
        secrets.update(item.secrets)
    limit: int | None = None
    if limits and None not in limits:
        limit = max(x for x in limits if x is not None)
    network = NetworkPermission(tuple(outbound), inbound, limit) if (outbound or inbound) else None
    return Permissions(
        network=network,
        filesystem=FilesystemPermission(tuple(read), tuple(write)),
        subprocess=subprocess,
        secrets=tuple(secrets),
    )
