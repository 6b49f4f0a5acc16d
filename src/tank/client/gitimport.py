"""What ``tank registry import`` reads: the skills git sources name, packed as Tank packs
them for ``tank install``, with the git URL, commit and folder each came from.

The registry never reads git itself (the server does not import the client): the admin CLI
reads here and hands the tarballs and their provenance to ``tank.server.admin``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tank.client.gitsrc import discover
from tank.core.errors import UsageError
from tank.core.gitsource import parse_git_source, parse_resolved

__all__ = ["GitSkill", "read_sources"]


@dataclass(frozen=True, slots=True)
class GitSkill:
    """One skill read from git for an import."""

    name: str
    version: str
    data: bytes
    integrity: str
    url: str
    commit: str
    path: str


def _scope(scope: str | None) -> str | None:
    """``@acme`` or ``acme`` → ``acme``."""
    if scope is None:
        return None
    bare = scope.removeprefix("@")
    if not bare or "/" in bare:
        raise UsageError(f"{scope!r} is not a scope", code="bad_scope", hint="write it as @acme")
    return bare


def read_sources(
    specs: Sequence[str],
    cache: Path,
    *,
    every: bool = False,
    scope: str | None = None,
    version: str | None = None,
) -> list[GitSkill]:
    """The skills ``specs`` name (each one skill, or with ``every`` all of a repository's),
    at the commit each ref names now. A skill without skills.json is named under ``scope``
    (refused without one) with ``version`` or ``0.0.0+g<commit>``."""
    if version is not None:
        from tank.core.semver import parse_version

        parse_version(version)  # refuse a bad --version before any git command runs
    bare = _scope(scope)
    found: list[GitSkill] = []
    for spec in specs:
        source = parse_git_source(spec)
        for package in discover(source, cache, every=every, scope=bare, version=version):
            resolved = parse_resolved(package.meta().resolved)
            found.append(
                GitSkill(
                    name=package.name,
                    version=str(package.version),
                    data=package.data,
                    integrity=package.integrity,
                    url=resolved.url,
                    commit=resolved.commit,
                    path=resolved.path,
                )
            )
    return found
