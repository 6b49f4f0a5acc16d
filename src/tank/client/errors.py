"""Errors of the client's I/O: a registry that cannot be reached, or that says no.

Kept free of httpx so the CLI's error runner can import it cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tank.core.errors import IntegrityError, TankError, UsageError


class NetworkError(TankError):
    """The registry could not be reached (DNS, connection, timeout) even after retries."""

    default_code = "network"


class DeadlineExceeded(NetworkError):
    """The registry did not finish answering within the request's overall deadline."""

    default_code = "deadline"


class RegistryError(TankError):
    """The registry answered with an error; ``status`` is the HTTP status."""

    default_code = "registry_error"

    def __init__(
        self, message: str, *, status: int, registry: str | None = None, **kwargs: object
    ) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.status = status
        self.registry = registry


class AuthError(RegistryError):
    """Not logged in, a bad or expired token, or not allowed (401/403)."""

    default_code = "auth"


class NotFoundError(RegistryError):
    """The registry has no such skill or version (404) or it is gone (410).

    ``skill`` is the ``@scope/name`` asked for, when known: the CLI then looks for close
    names on the registry and suggests them.
    """

    default_code = "not_found"
    skill: str | None = None


class ScanRefusedError(RegistryError):
    """The registry's scanner refused a publish (422 ``scan_failed``): exits like ``tank scan``
    with a failing verdict, not like any other refusal."""

    default_code = "scan_failed"


class UnknownSkillError(TankError):
    """A skill named on the command line that this project does not list or has not installed
    (same exit code as a skill the registry does not know)."""

    default_code = "not_found"


class UnscopedNameError(UsageError):
    """A skill named without its ``@scope/``: a usage error; ``bare`` is what was typed, so
    the CLI can suggest the scoped skills of that name on the registry."""

    default_code = "bad_spec"

    def __init__(self, text: str, bare: str, *, hint: str) -> None:
        super().__init__(f"{text!r} is not a skill name", hint=hint)
        self.bare = bare


class SignatureRefusedError(IntegrityError):
    """A locked version whose publisher signature does not verify (exit code INTEGRITY)."""

    default_code = "signature_refused"


class AuditPolicyError(TankError):
    """A skill the project's audit policy refuses: quarantined, or scored below the minimum.

    ``breakdowns`` holds each refused version's full score breakdown (``name@version`` →
    items, each rendering as ``name points/max note``). The problems summarise it in one line
    per skill; the CLI prints the breakdowns with ``-v`` and ``--json`` carries them.
    """

    default_code = "audit_policy"

    def __init__(
        self, message: str, *, breakdowns: Mapping[str, Sequence[Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.breakdowns: dict[str, tuple[Any, ...]] = {
            key: tuple(items) for key, items in (breakdowns or {}).items()
        }

    def verbose_lines(self) -> list[str]:
        """What ``-v`` adds: each refused version's breakdown, one item a line."""
        out = []
        for key, items in self.breakdowns.items():
            out.append(f"{key} score breakdown:")
            out += [f"    {item}" for item in items] or ["    (the registry sent no breakdown)"]
        return out

    def as_dict(self) -> dict[str, object]:
        """The shared error shape plus ``score_breakdowns`` (by ``name@version``)."""
        out = super().as_dict()
        if self.breakdowns:
            out["score_breakdowns"] = {
                key: {i.name: {"points": i.points, "max": i.max, "note": i.note} for i in items}
                for key, items in self.breakdowns.items()
            }
        return out
