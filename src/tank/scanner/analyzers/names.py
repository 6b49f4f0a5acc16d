"""Names that imitate well-known ones: the skill's own name (SKILL.md, skills.json), the
skills it depends on, and the packages its requirements.txt, pyproject.toml and
package.json pull in (see :mod:`.typosquat`)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator

from tank.core import boundedjson
from tank.scanner.analyzers.base import Context, line_at
from tank.scanner.analyzers.typosquat import squatted
from tank.scanner.model import Finding

__all__ = ["analyze_names", "is_names_file"]

_REQUIREMENTS = re.compile(r"(?:^|/)(?:requirements[\w.-]*\.(?:txt|in)|requirements/[\w.-]+\.txt)$")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_NPM_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


def is_names_file(path: str) -> bool:
    """Whether ``path`` is one of the files this analyzer reads."""
    base = path.rsplit("/", 1)[-1]
    return (
        base.lower() == "skill.md"
        or base in ("skills.json", "package.json", "pyproject.toml")
        or bool(_REQUIREMENTS.search(path))
    )


def analyze_names(path: str, text: str, context: Context) -> list[Finding]:
    """``typosquat.skill_name`` and ``typosquat.dependency`` findings for one file."""
    base = path.rsplit("/", 1)[-1]
    if base.lower() == "skill.md":
        found = list(_skill_md(text))
    elif base == "skills.json":
        found = list(_skills_json(text))
    elif base == "package.json":
        found = list(_package_json(text))
    elif base == "pyproject.toml":
        found = list(_pyproject(text))
    else:
        found = list(_requirements(text))
    out = []
    for name, kind, offset in found:
        known = squatted(name, kind)
        if known is None:
            continue
        rule = "typosquat.skill_name" if kind == "skills" else "typosquat.dependency"
        what = "skill" if kind == "skills" else f"{kind} package"
        out.append(
            Finding.of(
                context.rules[rule],
                path,
                line_at(text, offset),
                name,
                f"{name!r} is one slip away from the well-known {what} {known!r}",
            )
        )
    return out


def _skill_md(text: str) -> Iterator[tuple[str, str, int]]:
    from tank.core.frontmatter import read_frontmatter

    front, _ = read_frontmatter(text, file="SKILL.md", lenient=True)
    name = front.values.get("name")
    if isinstance(name, str) and name.strip():
        yield name.strip(), "skills", max(text.find(name.strip()), 0)


def _skills_json(text: str) -> Iterator[tuple[str, str, int]]:
    data = _json(text)
    name = data.get("name")
    if isinstance(name, str) and name:
        yield name.rsplit("/", 1)[-1], "skills", max(text.find(f'"{name}"'), 0)
    deps = data.get("skills") or data.get("dependencies")
    if isinstance(deps, dict):
        for dep in deps:
            if isinstance(dep, str):
                yield dep.rsplit("/", 1)[-1], "skills", max(text.find(f'"{dep}"'), 0)


def _package_json(text: str) -> Iterator[tuple[str, str, int]]:
    data = _json(text)
    for section in _NPM_SECTIONS:
        deps = data.get(section)
        if isinstance(deps, dict):
            for dep in deps:
                if isinstance(dep, str):
                    yield dep, "npm", max(text.find(f'"{dep}"'), 0)


def _pyproject(text: str) -> Iterator[tuple[str, str, int]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    project = _table(data, "project")
    listed = project.get("dependencies")
    specs: list[object] = list(listed) if isinstance(listed, list) else []
    for group in _table(project, "optional-dependencies").values():
        specs.extend(group if isinstance(group, list) else [])
    poetry = _table(_table(data, "tool"), "poetry")
    specs.extend(k for k in _table(poetry, "dependencies") if k.lower() != "python")
    for spec in specs:
        match = _NAME.match(spec) if isinstance(spec, str) else None
        if match:
            yield match.group(1), "pypi", max(text.find(match.group(1)), 0)


def _requirements(text: str) -> Iterator[tuple[str, str, int]]:
    offset = 0
    for line in text.split("\n"):
        stripped = line.split("#", 1)[0].strip()
        match = _NAME.match(stripped)
        if match and not stripped.startswith("-"):
            yield match.group(1), "pypi", offset
        offset += len(line) + 1


def _table(data: dict[str, object], key: str) -> dict[str, object]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _json(text: str) -> dict[str, object]:
    try:
        data = boundedjson.loads_skill_file(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
