"""The second pass over skills.json, section by section, and the problems it collects.

Split from :mod:`tank.core.manifest`, which runs these after the JSON Schema pass: each
``check_*`` reads one top-level key, reports what is wrong with it on a :class:`Context` (which
gives every problem the line of its key) and returns the parsed value, or None or an empty
value when there is none. A key in ``bad`` failed the schema pass and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tank.core import jsonpos
from tank.core.errors import Location, Problem, Severity, UsageError, VersionError
from tank.core.gitsource import is_git_spec, parse_git_source
from tank.core.manifest_model import LOCAL_PREFIX, Interface, ManifestKind
from tank.core.manifest_rules import check_registry_url, is_package_name
from tank.core.permissions import Permissions, parse_permissions
from tank.core.semver import Range, Version, parse_range, parse_version
from tank.core.skillmd import Mode

MESSAGE_MAX = 200
_PERMISSION_PATH = re.compile(r"permissions((?:\.[\w-]+|\[\d+\])*)")
_PATH_STEP = re.compile(r"\.([\w-]+)|\[(\d+)\]")


class Context:
    """Problems of one manifest, with the key positions used to give them a line."""

    def __init__(self, file: str, mode: Mode, text: str | None) -> None:
        self.file, self.mode = file, mode
        self.lines = jsonpos.key_lines(text) if text is not None else jsonpos.KeyLines()
        self.problems: list[Problem] = []

    def add(
        self,
        code: str,
        message: str,
        path: jsonpos.Path = (),
        hint: str | None = None,
        *,
        error: bool = True,
    ) -> None:
        found = jsonpos.locate(self.lines, path)
        location = Location(self.file, *found) if found else Location(self.file)
        severity = Severity.ERROR if error else Severity.WARNING
        self.problems.append(Problem(code, message, severity, location, hint))


def check_name(
    raw: dict[str, Any], kind: ManifestKind, skill_name: str | None, bad: set[str], ctx: Context
) -> str | None:
    name = raw.get("name")
    if "name" in bad:
        return None
    if kind is ManifestKind.PROJECT or not isinstance(name, str):
        if name is None and kind is ManifestKind.PACKAGE:
            expected = f"@<scope>/{skill_name or '<skill-name>'}"
            ctx.add(
                "manifest.name.missing",
                "a package needs a 'name'",
                (),
                f'Add \'"name": "{expected}"\'.',
            )
        return name if isinstance(name, str) else None
    if not is_package_name(name):
        ctx.add(
            "manifest.name.invalid",
            f"'{name}' is not a package name",
            ("name",),
            "Use '@scope/name': scope and name are 1-64 lower case letters, digits and single "
            "'-' (not at the start or end).",
        )
        return None
    scope, _, short = name.partition("/")
    if skill_name is not None and short != skill_name:
        ctx.add(
            "manifest.name.mismatch",
            f"package '{name}' does not match the SKILL.md name '{skill_name}'",
            ("name",),
            f'Use \'"name": "{scope}/{skill_name}"\'.',
        )
    return name


def check_version(
    raw: dict[str, Any], kind: ManifestKind, bad: set[str], ctx: Context
) -> Version | None:
    text = raw.get("version")
    if "version" in bad:
        return None
    if text is None:
        if kind is ManifestKind.PACKAGE:
            ctx.add(
                "manifest.version.missing",
                "a package needs a 'version'",
                (),
                'Add \'"version": "1.0.0"\' (SemVer 2.0.0).',
            )
        return None
    try:
        return parse_version(text)
    except VersionError as exc:
        hint = exc.hint or "Use MAJOR.MINOR.PATCH, e.g. 1.0.0."
        ctx.add("manifest.version.invalid", f"version '{text}' is not SemVer", ("version",), hint)
        return None


def check_skills(
    raw: dict[str, Any], name: str | None, bad: set[str], ctx: Context, kind: ManifestKind
) -> tuple[dict[str, Range], dict[str, str]]:
    out: dict[str, Range] = {}
    local: dict[str, str] = {}
    if "skills" in bad:
        return out, local
    for dep, text in (raw.get("skills") or {}).items():
        if dep == name:
            ctx.add("manifest.skills.self", f"'{dep}' depends on itself", ("skills", dep))
            continue
        if is_git_spec(text.removeprefix(LOCAL_PREFIX)):
            _git_dependency(dep, text, kind, local, ctx)
            continue
        if text.startswith(LOCAL_PREFIX):
            if kind is ManifestKind.PROJECT and text[len(LOCAL_PREFIX) :].strip():
                local[dep] = text[len(LOCAL_PREFIX) :]
            else:
                ctx.add(
                    "manifest.skills.local",
                    f"'{text}': only a project may install a skill from a local path",
                    ("skills", dep),
                    "A published skill must depend on registry versions: use a range.",
                )
            continue
        try:
            out[dep] = parse_range(text)
        except VersionError as exc:
            ctx.add(
                "manifest.skills.range_invalid",
                f"'{text}' is not a version range ({exc.message})",
                ("skills", dep),
                exc.hint or "Use an npm range such as '^1.2.0', '~1.2.0' or '>=1.0.0 <2.0.0'.",
            )
    return out, local


def _git_dependency(
    dep: str, text: str, kind: ManifestKind, local: dict[str, str], ctx: Context
) -> None:
    """A git source (``github:…``, ``git+…``) in a project's skills: kept in ``local``
    as written (validated here, so a bad one is reported with the line of skills.json)."""
    if text.startswith(LOCAL_PREFIX):  # file:github:x would read as a git source later
        ctx.add(
            "manifest.skills.local",
            f"'{text}': a local path may not look like a git source",
            ("skills", dep),
            "Write './' before the path.",
        )
        return
    if kind is not ManifestKind.PROJECT:
        ctx.add(
            "manifest.skills.git",
            f"'{text}': only a project may install a skill from git",
            ("skills", dep),
            "A published skill must depend on registry versions: use a range.",
        )
        return
    try:
        parse_git_source(text)
    except UsageError as bad:
        ctx.add("manifest.skills.git", bad.message, ("skills", dep), bad.hint)
        return
    local[dep] = text


def check_permissions(raw: dict[str, Any], bad: set[str], ctx: Context) -> Permissions:
    if "permissions" not in raw or "permissions" in bad:
        return Permissions.none()
    permissions, problems = parse_permissions(raw["permissions"], file=ctx.file)
    for problem in problems:
        # parse_permissions knows the file but not the text. Its messages start with the
        # path ('permissions.network.outbound[0]: ...'): use it to find the line.
        location = problem.location or Location(ctx.file)
        if location.line is None:
            found = jsonpos.locate(ctx.lines, _permission_path(problem.message))
            if found is not None:
                location = Location(location.file or ctx.file, found[0], found[1])
        ctx.problems.append(replace(problem, location=location))
    return permissions


def _permission_path(message: str) -> jsonpos.Path:
    match = _PERMISSION_PATH.match(message)
    steps = _PATH_STEP.findall(match.group(1)) if match else []
    return ("permissions", *(int(index) if index else key for key, index in steps))


def check_interface(raw: dict[str, Any], bad: set[str], ctx: Context) -> Interface | None:
    value = raw.get("interface")
    if not isinstance(value, dict) or "interface" in bad:
        return None
    from jsonschema import Draft202012Validator  # lazily: ~90 ms to import
    from jsonschema.exceptions import SchemaError

    for part in ("inputs", "outputs"):
        if part in value:
            try:
                Draft202012Validator.check_schema(value[part])
            except SchemaError as exc:
                where = jsonpos.pointer(("interface", part, *exc.absolute_path))
                ctx.add(
                    "manifest.interface.schema_invalid",
                    f"{where} is not a valid JSON Schema: {exc.message[:MESSAGE_MAX]}",
                    ("interface", part, *exc.absolute_path),
                    "Check it against JSON Schema Draft 2020-12.",
                )
    return Interface(value.get("inputs"), value.get("outputs"))


def check_registries(raw: dict[str, Any], bad: set[str], ctx: Context) -> dict[str, str]:
    value = raw.get("registries")
    if not isinstance(value, dict) or "registries" in bad:
        return {}
    for scope, url in value.items():
        for code, message, hint in check_registry_url(url):
            ctx.add(code, f"registry for '{scope}': {message}", ("registries", scope), hint)
    return dict(value)
