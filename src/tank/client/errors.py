"""Errors of the client's I/O: a registry that cannot be reached, or that says no.

Kept free of httpx so the CLI's error runner can import it cheaply.
"""

from __future__ import annotations

from tank.core.errors import TankError


class NetworkError(TankError):
    """The registry could not be reached (DNS, connection, timeout) even after retries."""

    default_code = "network"


class DeadlineExceeded(NetworkError):
    """The registry did not finish answering within the request's overall deadline."""

    default_code = "deadline"


class RegistryError(TankError):
    """The registry answered with an error; ``status`` is the HTTP status."""

    default_code = "registry_error"

    def __init__(self, message: str, *, status: int, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.status = status


class AuthError(RegistryError):
    """Not logged in, a bad or expired token, or not allowed (401/403)."""

    default_code = "auth"


class NotFoundError(RegistryError):
    """The registry has no such skill or version (404) or it is gone (410)."""

    default_code = "not_found"


class AuditPolicyError(TankError):
    """A skill the project's audit policy refuses: quarantined, or scored below the minimum."""

    default_code = "audit_policy"
