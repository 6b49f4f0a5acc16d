"""Which Python and npm packages a skill's files need, and why that list may be incomplete.

:func:`required_packages` combines the declarations (:mod:`tank.core.sbom.python`,
:mod:`tank.core.sbom.javascript`) with the imports found in the scripts:

- a package imported but declared nowhere is a gap (and is listed, unpinned, with the
  importing script as its source, so an advisory check still sees it);
- a declared package that no declaration pins to an exact version is a gap;
- requirements from URLs or local paths, unreadable files and files too large to read are gaps.

Nothing is executed. Files over :data:`~tank.core.limits.DEFAULT_LIMITS` ``max_file_size``, or
past its ``max_files`` count, are not read (and say so in a gap).
"""

from __future__ import annotations

from collections.abc import Mapping

from packaging.utils import canonicalize_name

from tank.core.limits import DEFAULT_LIMITS
from tank.core.sbom.javascript import JS_SUFFIXES, declared_npm, imported_npm
from tank.core.sbom.model import NPM, PYPI, PackageRef
from tank.core.sbom.names import IMPORT_TO_DISTRIBUTION
from tank.core.sbom.python import Import, declared_python, imported_python, local_modules

__all__ = ["required_packages"]

_TEXT_NAMES = ("requirements", "pyproject.toml", "package.json", "package-lock.json")


def _is_relevant(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return path.endswith((".py", ".txt", *JS_SUFFIXES)) or name.startswith(_TEXT_NAMES)


def _texts(files: Mapping[str, bytes], gaps: list[str]) -> dict[str, str]:
    """The relevant files as text, within the archive limits."""
    texts: dict[str, str] = {}
    for count, path in enumerate(sorted(files)):
        if not _is_relevant(path):
            continue
        data = files[path]
        if count >= DEFAULT_LIMITS.max_files or len(data) > DEFAULT_LIMITS.max_file_size:
            gaps.append(f"{path} is too large to read; its dependencies were not checked")
            continue
        texts[path] = data.decode("utf-8", "replace")
    return texts


def _distribution(module: str) -> str:
    return canonicalize_name(IMPORT_TO_DISTRIBUTION.get(module, module))


def _undeclared_python(imports: list[Import], declared: set[str]) -> list[PackageRef]:
    refs: dict[str, PackageRef] = {}
    for found in imports:
        name = _distribution(found.module)
        if name not in declared and name not in refs:
            refs[name] = PackageRef(PYPI, name, "", None, found.source)
    return list(refs.values())


def required_packages(files: Mapping[str, bytes]) -> tuple[tuple[PackageRef, ...], tuple[str, ...]]:
    """The packages ``files`` (archive path -> bytes) declare or import, and the gaps.

    Packages are sorted by (ecosystem, name, source, spec); gaps are sentences, sorted.
    """
    gaps: list[str] = []
    texts = _texts(files, gaps)
    py_refs, py_gaps = declared_python(texts)
    js_refs, js_gaps = declared_npm(texts)
    gaps += py_gaps + js_gaps
    declared_py = {ref.name for ref in py_refs}
    declared_js = {ref.name for ref in js_refs}

    local = local_modules(list(files))
    py_imports: list[Import] = []
    js_imports: list[Import] = []
    for path, text in sorted(texts.items()):
        if path.endswith(".py"):
            imports, bad = imported_python(path, text, local)
            py_imports += imports
            gaps += bad
        elif path.endswith(JS_SUFFIXES):
            js_imports += imported_npm(path, text)

    undeclared = _undeclared_python(py_imports, declared_py)
    for found in py_imports:
        name = _distribution(found.module)
        if name not in declared_py:
            shown = found.module if name == found.module else f"{found.module} ({name})"
            gaps.append(f"{found.source}:{found.line} imports {shown}, declared nowhere")
    seen_js: set[str] = set()
    for found in js_imports:
        if found.module in declared_js:
            continue
        gaps.append(f"{found.source}:{found.line} imports {found.module}, declared nowhere")
        if found.module not in seen_js:
            seen_js.add(found.module)
            undeclared.append(PackageRef(NPM, found.module, "", None, found.source))

    packages = py_refs + js_refs
    pinned = {(ref.ecosystem, ref.name) for ref in packages if ref.version is not None}
    for ref in packages:
        if (ref.ecosystem, ref.name) not in pinned:
            gaps.append(
                f"{ref.source}: {ref.name} is not pinned to an exact version ('{ref.spec}')"
            )
    packages += undeclared
    ordered = sorted(set(packages), key=lambda r: (r.ecosystem, r.name, r.source, r.spec))
    return tuple(ordered), tuple(sorted(set(gaps)))
