"""The values of an SBOM: :class:`PackageRef` (one third-party package) and :class:`Sbom`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["NPM", "PYPI", "PackageRef", "Sbom"]

#: OSV ecosystem names, used everywhere a package's ecosystem is named.
PYPI = "PyPI"
NPM = "npm"


@dataclass(frozen=True, slots=True)
class PackageRef:
    """One Python or npm package a skill needs, as one file declares (or imports) it.

    ``name`` is normalised (PEP 503 for PyPI, npm names as written); ``spec`` is the
    requirement as written (``""`` when the package is only imported); ``version`` is the exact
    version when the spec pins one (``==1.2.3``, a lockfile entry), else ``None``; ``source`` is
    the archive path of the file that declares it.
    """

    ecosystem: str
    name: str
    spec: str
    version: str | None
    source: str

    @property
    def pinned(self) -> bool:
        """True when the package is pinned to one exact version."""
        return self.version is not None


@dataclass(frozen=True, slots=True)
class Sbom:
    """A built SBOM: the CycloneDX 1.6 JSON object plus what the audit score needs.

    ``complete`` is True when every required package is declared and pinned to an exact
    version; ``gaps`` are sentences saying why not (empty when complete).
    """

    document: dict[str, Any]
    packages: tuple[PackageRef, ...]
    complete: bool
    gaps: tuple[str, ...]

    def to_json(self) -> bytes:
        """The document as deterministic bytes: sorted keys, 2-space indent, final newline."""
        text = json.dumps(self.document, indent=2, sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
