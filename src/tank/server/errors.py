"""The server's errors: Tank's error family plus an HTTP status, and the one JSON shape.

Every failure answers ``{"error": {"code", "message", "detail", "hint"}}`` (plus ``problems``
for validation reports). Bad input is always a 4xx; a 500 means a bug and never carries a
traceback.
"""

from __future__ import annotations

from tank.core import errors as e


class ApiError(e.TankError):
    """A :class:`~tank.core.errors.TankError` that knows its HTTP status."""

    status = 400
    default_code = "bad_request"

    def __init__(self, message: str, *, status: int | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        if status is not None:
            self.status = status


class Unauthorized(ApiError):
    """No valid credentials (missing, unknown, expired or revoked token)."""

    status = 401
    default_code = "unauthorized"


class Forbidden(ApiError):
    """Valid credentials that do not allow this action."""

    status = 403
    default_code = "forbidden"


class NotFound(ApiError):
    """No such resource (or one the caller may not see: private skills answer 404)."""

    status = 404
    default_code = "not_found"


class Conflict(ApiError):
    """The resource exists or the state does not allow the change."""

    status = 409
    default_code = "conflict"


class Gone(ApiError):
    """The resource existed and was removed (unpublished versions)."""

    status = 410
    default_code = "gone"


class TooLarge(ApiError):
    """A request body over the configured limit."""

    status = 413
    default_code = "too_large"


class RetryLater(ApiError):
    """An error the caller may simply retry: answered with ``Retry-After: retry_after``."""

    def __init__(self, message: str, *, retry_after: int, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class RateLimited(RetryLater):
    """Too many requests; ``retry_after`` seconds until the next one is allowed."""

    status = 429
    default_code = "rate_limited"


class ServiceUnavailable(RetryLater):
    """The registry cannot serve now (the database is locked or unreachable); not a bug."""

    status = 503
    default_code = "unavailable"


class InsufficientStorage(RetryLater):
    """A disk (blob storage or the database's) is full: the operator must free space."""

    status = 507
    default_code = "storage_full"


_STATUS: tuple[tuple[type[e.TankError], int], ...] = (
    (ApiError, 400),  # placeholder: ApiError carries its own status
    (e.ValidationError, 422),
    (e.UnsafeArchiveError, 422),
    (e.PackError, 422),
    (e.IntegrityError, 422),
    (e.ResolutionError, 409),
    (e.PermissionBudgetError, 422),
    (e.UsageError, 400),
)


def status_of(error: e.TankError) -> int:
    """The HTTP status for ``error``."""
    if isinstance(error, ApiError):
        return error.status
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 400


def error_body(error: e.TankError) -> dict[str, object]:
    """The JSON body of an error answer."""
    body = error.as_dict()
    body.setdefault("detail", None)
    body.setdefault("hint", None)
    return {"error": body}
