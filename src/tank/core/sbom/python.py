"""Python requirements of a skill: what its files declare and what its scripts import.

Declarations come from ``requirements*.txt`` (with ``-r`` includes inside the skill),
``pyproject.toml`` ``[project].dependencies`` and PEP 723 inline script metadata
(``# /// script``). Imports come from parsing each ``.py`` file with :mod:`ast` (never
executing it): standard-library modules, relative imports, the skill's own modules and
imports guarded by ``try: ... except ImportError`` (optional by construction) are left out.
"""

from __future__ import annotations

import ast
import posixpath
import re
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from tank.core.sbom.model import PYPI, PackageRef

__all__ = ["Import", "declared_python", "imported_python", "local_modules", "pinned_version"]

_PEP723 = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
_REQUIREMENTS = re.compile(r"(^|/)requirements[^/]*\.txt$")
_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(?P<path>\S+)$")
_URLISH = re.compile(r"^(?:-e\b|--editable\b|[a-z+]+://|\.{0,2}/|file:)", re.IGNORECASE)
_MAX_INCLUDE_DEPTH = 8
_OPTIONAL = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@dataclass(frozen=True, slots=True)
class Import:
    """A third-party top-level module imported by ``source`` at ``line``."""

    module: str
    source: str
    line: int


def pinned_version(requirement: Requirement) -> str | None:
    """The exact version ``requirement`` pins (``==1.2`` or ``===1.2``, no wildcard), or None."""
    specifiers = list(requirement.specifier)
    if len(specifiers) != 1:
        return None
    spec = specifiers[0]
    if spec.operator in ("==", "===") and not spec.version.endswith(".*"):
        return spec.version
    return None


def _ref(text: str, requirement: Requirement, source: str) -> PackageRef:
    return PackageRef(
        ecosystem=PYPI,
        name=canonicalize_name(requirement.name),
        spec=text,
        version=pinned_version(requirement),
        source=source,
    )


def _parse_line(
    text: str, source: str, where: str, refs: list[PackageRef], gaps: list[str]
) -> None:
    if _URLISH.match(text) or " @ " in text or "://" in text:
        gaps.append(f"{where}: '{text}' installs from a URL or a local path (not checkable)")
        return
    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        gaps.append(f"{where}: cannot read requirement '{text}' ({error})")
        return
    refs.append(_ref(text, requirement, source))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, content)`` with comments removed and ``\\`` continuations joined."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined = (pending + line).strip()
        pending = ""
        if joined:
            yield start, joined
    if pending.strip():
        yield start, pending.strip()


def _requirements_file(
    files: Mapping[str, str],
    path: str,
    seen: set[str],
    depth: int,
    refs: list[PackageRef],
    gaps: list[str],
) -> None:
    seen.add(path)
    for number, line in _logical_lines(files[path]):
        where = f"{path}:{number}"
        include = _INCLUDE.match(line)
        if include:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), include["path"]))
            if target not in files:
                gaps.append(f"{where}: includes '{include['path']}', which is not in the skill")
            elif depth >= _MAX_INCLUDE_DEPTH:
                gaps.append(f"{where}: '-r' includes nest deeper than {_MAX_INCLUDE_DEPTH}")
            elif target not in seen:
                _requirements_file(files, target, seen, depth + 1, refs, gaps)
            continue
        if line.startswith(("-c", "--constraint")):
            continue  # constraints narrow versions but declare nothing
        if line.startswith("-") and not line.startswith(("-e", "--editable")):
            continue  # --index-url, --hash and other pip options
        # Per-requirement options (``--hash=...``) follow the requirement itself.
        _parse_line(line.split(" --", 1)[0].strip(), path, where, refs, gaps)


def _pyproject(path: str, text: str, refs: list[PackageRef], gaps: list[str]) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        gaps.append(f"{path} is not valid TOML ({error}); its dependencies were not read")
        return
    project = data.get("project")
    deps = project.get("dependencies", []) if isinstance(project, dict) else []
    if not isinstance(deps, list):
        gaps.append(f"{path}: [project].dependencies is not a list")
        return
    for item in deps:
        if isinstance(item, str):
            _parse_line(item.strip(), path, path, refs, gaps)


def _inline_metadata(path: str, text: str, refs: list[PackageRef], gaps: list[str]) -> None:
    for match in _PEP723.finditer(text):
        if match["type"] != "script":
            continue
        body = "".join(
            line[2:] if line.startswith("# ") else line[1:]
            for line in match["content"].splitlines(keepends=True)
        )
        try:
            data = tomllib.loads(body)
        except tomllib.TOMLDecodeError as error:
            gaps.append(f"{path}: the '# /// script' block is not valid TOML ({error})")
            continue
        deps = data.get("dependencies", [])
        for item in deps if isinstance(deps, list) else []:
            if isinstance(item, str):
                _parse_line(item.strip(), path, f"{path} (inline script metadata)", refs, gaps)


def declared_python(texts: Mapping[str, str]) -> tuple[list[PackageRef], list[str]]:
    """The Python packages declared by the skill's files (path -> text), and the gaps."""
    refs: list[PackageRef] = []
    gaps: list[str] = []
    included: set[str] = set()
    for path in sorted(texts):
        name = posixpath.basename(path)
        if _REQUIREMENTS.search(path) and path not in included:
            _requirements_file(texts, path, included, 0, refs, gaps)
        elif name == "pyproject.toml":
            _pyproject(path, texts[path], refs, gaps)
        elif path.endswith(".py"):
            _inline_metadata(path, texts[path], refs, gaps)
    return refs, gaps


def local_modules(paths: Iterator[str] | list[str]) -> set[str]:
    """Top-level names the skill itself provides: its .py files and folders holding them."""
    names: set[str] = set()
    for path in paths:
        if not path.endswith(".py"):
            continue
        parts = path.split("/")
        names.add(parts[-1][:-3])
        names.update(parts[:-1])
    return names


def _optional_nodes(tree: ast.AST) -> set[int]:
    """ids of import nodes inside a ``try`` whose handlers catch an import failure."""
    optional: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught: set[str] = set()
        for handler in node.handlers:
            if handler.type is None:
                caught.add("BaseException")
            for item in ast.walk(handler.type) if handler.type is not None else ():
                if isinstance(item, ast.Name):
                    caught.add(item.id)
        if caught & _OPTIONAL:
            for statement in node.body:
                optional.update(id(n) for n in ast.walk(statement))
    return optional


def imported_python(path: str, text: str, local: set[str]) -> tuple[list[Import], list[str]]:
    """The third-party modules ``path`` imports unconditionally, and the gaps (unparsable)."""
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        why = str(error) or type(error).__name__
        return [], [f"{path} does not parse as Python ({why}); its imports were not checked"]
    optional = _optional_nodes(tree)
    found: dict[str, Import] = {}
    for node in ast.walk(tree):
        if id(node) in optional or not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif node.level == 0 and node.module:
            modules = [node.module]
        for module in modules:
            top = module.split(".", 1)[0]
            if top in sys.stdlib_module_names or top == "__future__" or top in local:
                continue
            if top not in found or node.lineno < found[top].line:
                found[top] = Import(top, path, node.lineno)
    return sorted(found.values(), key=lambda i: (i.line, i.module)), []
