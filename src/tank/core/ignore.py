"""Which files of a skill folder ``tank pack`` leaves out.

Two layers, checked separately so that the first cannot be undone by the second:

1. :data:`ALWAYS_IGNORED`, at any depth: version-control metadata (``.git``, ``.hg``, ``.svn``:
   history and credentials in ``.git/config`` must never ship), dependency and cache folders
   that are rebuilt on install (``node_modules``, ``__pycache__``, ``*.pyc``), Finder litter
   (``.DS_Store``), and ``.tankignore`` files themselves. A ``!`` pattern in ``.tankignore``
   cannot re-include any of these.
2. The ``.tankignore`` at the folder root, in gitignore syntax (``pathspec``'s git-wildmatch
   implementation, the same rules ``git`` applies, including ``dir/`` matching directories
   only and ``!pattern`` re-including). Like git, a file inside an ignored directory cannot be
   re-included, because the directory is never entered.

``.tankignore`` is not packed (like npm's ``.npmignore``): it instructs the packer and means
nothing to whoever installs the skill, and leaving it out keeps the archive a pure function of
the files that matter. Only the root ``.tankignore`` is read; nested ones are ignored and
omitted. ``.env`` files are not ignored by default: silently dropping a file a skill may need
would be surprising; the scanner flags secrets instead.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tank.core.errors import Location, PackError

if TYPE_CHECKING:
    import pathspec

IGNORE_FILE = ".tankignore"

ALWAYS_IGNORED: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__/",
    "*.pyc",
    ".DS_Store",
    IGNORE_FILE,
)


# pathspec is imported when rules are first compiled (~30 ms): importing the packer for
# canonical_tar (tank run's integrity check) must not pay for it.
@functools.cache
def _always() -> pathspec.GitIgnoreSpec:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(ALWAYS_IGNORED)


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    """The ignore rules of one skill folder: the fixed list plus its ``.tankignore`` lines."""

    patterns: tuple[str, ...] = ()
    _spec: pathspec.GitIgnoreSpec = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Compiled once per rule set; excluded from equality so rules compare by their text.
        import pathspec

        object.__setattr__(self, "_spec", pathspec.GitIgnoreSpec.from_lines(self.patterns))

    def ignores(self, path: str, *, is_dir: bool) -> bool:
        """True when the POSIX ``path`` (relative to the folder root) is left out of the pack."""
        probe = path + "/" if is_dir else path
        if _always().match_file(probe):
            return True
        return bool(self._spec.match_file(probe))

    @classmethod
    def from_lines(cls, lines: Iterable[str], *, file: str = IGNORE_FILE) -> IgnoreRules:
        """Rules from gitignore-syntax ``lines``; raise :class:`PackError` on a bad pattern."""
        import pathspec

        patterns = tuple(line.rstrip("\r\n") for line in lines)
        for number, line in enumerate(patterns, start=1):
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except (ValueError, TypeError) as error:
                raise PackError(
                    f"invalid pattern {line!r} in {file}",
                    code="pack_bad_ignore_pattern",
                    location=Location(file=file, line=number),
                    detail=str(error),
                    hint="Use gitignore syntax; escape a literal '!' or '#' with a backslash.",
                ) from error
        return cls(patterns)


def load_ignore_rules(root: Path) -> IgnoreRules:
    """The rules of the skill folder ``root``: read its ``.tankignore`` if it has one."""
    path = root / IGNORE_FILE
    if path.is_symlink():
        # The packer never follows links, not even to read its own instructions.
        raise PackError(
            f"{IGNORE_FILE} is a symbolic link",
            code="pack_symlink",
            hint=f"Replace {IGNORE_FILE} with a regular file.",
        )
    if not path.is_file():
        return IgnoreRules()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(
            f"cannot read {IGNORE_FILE}: {error}",
            code="pack_unreadable",
            location=Location(file=IGNORE_FILE),
            hint=f"Make {IGNORE_FILE} a readable UTF-8 text file.",
        ) from error
    return IgnoreRules.from_lines(text.splitlines())
