"""npm requirements of a skill: package.json declarations, lockfile pins and bare imports.

``package.json`` ``dependencies`` and ``optionalDependencies`` are declarations
(``devDependencies`` are not needed to run a skill); a ``package-lock.json`` beside it pins
them (``packages["node_modules/<name>"].version``, or the v1 ``dependencies`` map). Imports are
found with a deliberately simple scan of ``.js``/``.mjs``/``.cjs``/``.ts`` sources for
``require('x')``, ``import ... from 'x'``, ``import('x')`` and ``export ... from 'x'``: only
bare specifiers count (not ``./local``, not ``node:`` or other built-ins).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from tank.core import boundedjson
from tank.core.errors import VersionError
from tank.core.sbom.model import NPM, PackageRef
from tank.core.sbom.names import package_of
from tank.core.sbom.python import Import
from tank.core.semver import parse_version

__all__ = ["JS_SUFFIXES", "declared_npm", "imported_npm"]

JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_SECTIONS = ("dependencies", "optionalDependencies")
_NOT_REGISTRY = re.compile(r"^(?:file:|link:|workspace:|git|github:|https?:|npm:|[^@\s]+/[^@\s]+$)")
#: Comments and string literals, scanned left to right so each hides the other correctly.
#: Every alternative always matches once started (closing quote optional), so the scan is
#: linear even on hostile input.
_NOISE = re.compile(
    r"""/\*(?:.*?\*/|.*)|//[^\n]*|'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?|`(?:\\.|[^`\\])*`?""",
    re.DOTALL,
)
_BEFORE_SPECIFIER = re.compile(r"(?:\brequire\s*\(|\bimport\s*\(|\bfrom|\bimport)\s*$")
_TYPE_ONLY = re.compile(r"\b(?:import|export)\s+type\b[^;]*$")


def _exact(spec: str) -> str | None:
    text = spec.strip().removeprefix("=").removeprefix("v")
    try:
        return str(parse_version(text))
    except VersionError:
        return None


def _locked(lock: Any, name: str) -> str | None:
    """The version ``package-lock.json`` pins for a direct dependency ``name``, if any."""
    if not isinstance(lock, dict):
        return None
    entry = (lock.get("packages") or {}).get(f"node_modules/{name}")
    if not isinstance(entry, dict):
        entry = (lock.get("dependencies") or {}).get(name)
    version = entry.get("version") if isinstance(entry, dict) else None
    return _exact(version) if isinstance(version, str) else None


def _load(path: str, text: str, gaps: list[str]) -> Any:
    try:
        return boundedjson.loads_skill_file(text)
    except ValueError as error:
        gaps.append(f"{path} is not valid JSON ({error}); its dependencies were not read")
        return None


def declared_npm(texts: Mapping[str, str]) -> tuple[list[PackageRef], list[str]]:
    """The npm packages declared by every ``package.json`` of the skill, and the gaps."""
    refs: list[PackageRef] = []
    gaps: list[str] = []
    for path in sorted(texts):
        if posixpath.basename(path) != "package.json" or "node_modules/" in path:
            continue
        data = _load(path, texts[path], gaps)
        if not isinstance(data, dict):
            if data is not None:
                gaps.append(f"{path} is not a JSON object; its dependencies were not read")
            continue
        lock_path = posixpath.join(posixpath.dirname(path), "package-lock.json")
        lock = _load(lock_path, texts[lock_path], gaps) if lock_path in texts else None
        for section in _SECTIONS:
            deps = data.get(section)
            if not isinstance(deps, dict):
                continue
            for name, spec in sorted(deps.items()):
                if not isinstance(spec, str):
                    gaps.append(f"{path}: {section}.{name} is not a string")
                    continue
                if _NOT_REGISTRY.match(spec.strip()):
                    gaps.append(
                        f"{path}: {name} comes from '{spec}', not the npm registry, "
                        "so it cannot be checked"
                    )
                    continue
                version = _exact(spec) or _locked(lock, name)
                refs.append(PackageRef(NPM, name, spec, version, path))
    return refs, gaps


def _specifiers(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, specifier)`` of every string literal in a module-specifier position:
    after ``require(``, ``import(``, ``import`` or ``from`` (type-only imports left out)."""
    for match in _NOISE.finditer(text):
        token, start = match.group(), match.start()
        if token[0] not in "'\"" or len(token) < 2 or token[-1] != token[0]:
            continue
        before = text[max(0, start - 200) : start]
        if not _BEFORE_SPECIFIER.search(before[-40:]):
            continue
        if "type" in before and before.rstrip().endswith("from") and _TYPE_ONLY.search(before):
            continue
        yield start, token[1:-1]


def imported_npm(path: str, text: str) -> list[Import]:
    """The npm packages ``path`` requires or imports by bare specifier (first use of each)."""
    found: dict[str, Import] = {}
    for offset, specifier in _specifiers(text):
        package = package_of(specifier)
        if package is None or package in found:
            continue
        found[package] = Import(package, path, text.count("\n", 0, offset) + 1)
    return sorted(found.values(), key=lambda i: (i.line, i.module))
