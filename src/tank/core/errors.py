"""One error family that explains itself.

Every failure a user can meet is a :class:`TankError` (or a :class:`Problem` collected in a
report) carrying a stable ``code``, a ``message`` saying what went wrong, an optional
``location`` saying where (file and line), and a ``hint`` saying how to fix it. The CLI renders
these and maps each error class to a named exit code; the server maps the same errors to one
JSON error shape. Tracebacks are for ``-v`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors block, warnings inform."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file (relative to what the user named) and 1-based line/column."""

    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view (keys with no value are left out)."""
        out: dict[str, object] = {}
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        return out


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of a validator: stable code, message, where, and how to fix it."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    location: Location | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        """True when this problem blocks (as opposed to a warning)."""
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view with stable keys."""
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.location is not None:
            out.update(self.location.as_dict())
        if self.hint:
            out["hint"] = self.hint
        return out


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    """The blocking problems among ``problems``, in order."""
    return [p for p in problems if p.is_error]


def warnings_of(problems: Iterable[Problem]) -> list[Problem]:
    """The non-blocking problems among ``problems``, in order."""
    return [p for p in problems if not p.is_error]


class TankError(Exception):
    """Base of every error Tank raises on purpose.

    ``code`` is stable and documented (scripts may match on it); ``message`` says what went
    wrong; ``hint`` how to fix it; ``location`` where; ``problems`` carries the full list when
    the error sums up a validation report.
    """

    default_code = "tank_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        hint: str | None = None,
        location: Location | None = None,
        detail: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.hint = hint
        self.location = location
        self.detail = detail
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message}"

    def as_dict(self) -> dict[str, object]:
        """The one error shape shared by ``--json`` output and the server's API."""
        out: dict[str, object] = {"code": self.code, "message": self.message}
        if self.detail:
            out["detail"] = self.detail
        if self.hint:
            out["hint"] = self.hint
        if self.location is not None:
            out["location"] = self.location.as_dict()
        if self.problems:
            out["problems"] = [p.as_dict() for p in self.problems]
        return out


class UsageError(TankError):
    """The user asked for something that cannot be done as asked (bad argument, bad input)."""

    default_code = "usage"


class NotInstalledError(TankError):
    """A command needs an optional part of Tank (an extra such as ``tank[registry]``) that is
    not installed; the hint names the install command."""

    default_code = "not_installed"


class ValidationError(TankError):
    """A file (SKILL.md, skills.json, skills.lock) does not meet its format."""

    default_code = "invalid"


class VersionError(ValidationError):
    """A version or version range that does not parse."""

    default_code = "invalid_version"


class ResolutionError(TankError):
    """No set of versions satisfies the requirements; ``message`` explains why."""

    default_code = "resolution_failed"


class PermissionBudgetError(TankError):
    """Resolved skills need more than the project's permission budget allows."""

    default_code = "permission_budget_exceeded"


class IntegrityError(TankError):
    """Bytes do not match the digest they were promised to have."""

    default_code = "integrity_mismatch"


class UnsafeArchiveError(TankError):
    """An archive that would write outside its target, hold links or devices, or is a bomb."""

    default_code = "unsafe_archive"


class PackError(TankError):
    """A folder that cannot be packed (symlink, special file, too big, too many files)."""

    default_code = "pack_failed"


@dataclass(frozen=True, slots=True)
class Report:
    """The result of a validation: every problem found, errors and warnings together."""

    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when no problem is an error."""
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        """The blocking problems."""
        return errors_of(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        """The warnings."""
        return warnings_of(self.problems)
