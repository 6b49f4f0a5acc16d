"""What the registry's database can hold, checked on a validated skill before it is stored.

The skill formats allow things no database column can take: PostgreSQL refuses a NUL byte in
any text (SQLite stores it), and the columns have lengths (a version is at most 128
characters). Checked here, after the format validation and before anything is written, so
both backends answer the same 422 with the usual problem list instead of a database error.
"""

from __future__ import annotations

from typing import Any

from tank.core.errors import Location, Problem, ValidationError
from tank.server.services.pipeline.candidate import Candidate

#: Column sizes (see :mod:`tank.server.db.models`).
MAX_NAME = 140
MAX_VERSION = 128
MAX_RANGE = 256


def _nul_paths(value: Any) -> list[str]:
    """JSON paths (``keywords[0]``) of every key or string in ``value`` holding a NUL."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:  # iterative: the nesting depth of the document is not ours to trust
        path, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                found.append(path or "(the document)")
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    found.append(child_path)
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
    return sorted(found)


def _problem(code: str, message: str, file: str, line: int | None, hint: str) -> Problem:
    return Problem(code, message, location=Location(file=file, line=line), hint=hint)


def storable_problems(candidate: Candidate) -> list[Problem]:
    """Everything in ``candidate`` the registry's database could not store."""
    problems: list[Problem] = []
    text = candidate.skill_md
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(
            _problem(
                "storage.nul",
                "SKILL.md holds a NUL character, which the registry cannot store",
                "SKILL.md",
                line,
                "remove the NUL byte (a binary file pasted into the text?)",
            )
        )
    manifest = candidate.manifest
    if manifest is not None:
        problems += [
            _problem(
                "storage.nul",
                f"skills.json: {path} holds a NUL character, which the registry cannot store",
                "skills.json",
                None,
                "remove the \\u0000 escape",
            )
            for path in _nul_paths(manifest.raw)
        ]
        for dep, version_range in manifest.skills.items():
            if len(dep) > MAX_NAME or len(str(version_range)) > MAX_RANGE:
                problems.append(
                    _problem(
                        "storage.too_long",
                        f"skills.json: the dependency {dep[:MAX_NAME]!r} has a name longer "
                        f"than {MAX_NAME} or a range longer than {MAX_RANGE} characters",
                        "skills.json",
                        None,
                        "shorten it",
                    )
                )
    if len(candidate.version) > MAX_VERSION:
        problems.append(
            _problem(
                "storage.too_long",
                f"the version has {len(candidate.version)} characters; the registry stores "
                f"at most {MAX_VERSION}",
                "skills.json",
                None,
                "use a shorter pre-release label",
            )
        )
    if len(candidate.name) > MAX_NAME:
        problems.append(
            _problem(
                "storage.too_long",
                f"the name has {len(candidate.name)} characters; at most {MAX_NAME} are stored",
                "skills.json",
                None,
                "use a shorter name",
            )
        )
    return problems


def check_storable(candidate: Candidate) -> None:
    """Raise a 422 :class:`ValidationError` listing what the database could not store."""
    problems = storable_problems(candidate)
    if problems:
        raise ValidationError(
            f"the skill cannot be stored: {problems[0].message}",
            code="unstorable",
            hint="fix every problem listed and publish again",
            problems=problems,
        )
