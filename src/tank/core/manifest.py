"""skills.json: one manifest format for a skill package and for a project.

Validation runs in two passes. The JSON Schema (``schemas/skills.schema.json``, the published
contract) checks the shape and its errors are reported with their JSON path; a key whose shape
is wrong is then left out of the second pass, so one mistake gives one problem. The second pass
is Python: package vs project rules, SemVer, ranges, permissions, interface schemas, paths.
Problems point at the line of the key when the manifest was given as text. This module decodes
the text and runs the schema pass and the key checks; the per-key checks of the second pass are
in :mod:`tank.core.manifest_checks`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from tank.core import boundedjson, jsonpos
from tank.core.errors import Problem, Report, ValidationError
from tank.core.manifest_checks import (
    MESSAGE_MAX,
    Context,
    check_interface,
    check_name,
    check_permissions,
    check_registries,
    check_skills,
    check_version,
)
from tank.core.manifest_model import (
    LOCAL_PREFIX,
    AuditPolicy,
    Interface,
    Manifest,
    ManifestKind,
    dump_manifest,
    with_agents,
    with_dependency,
    with_local_dependency,
    without_dependencies,
)
from tank.core.manifest_rules import (
    PACKAGE_ONLY_KEYS,
    PROJECT_ONLY_KEYS,
    check_run_path,
)
from tank.core.schemas import SKILLS_SCHEMA, load_schema
from tank.core.schemas import skills_validator as _validator
from tank.core.skillmd import Mode

__all__ = [
    "LOCAL_PREFIX",
    "AuditPolicy",
    "Interface",
    "Manifest",
    "ManifestKind",
    "dump_manifest",
    "parse_manifest",
    "with_agents",
    "with_dependency",
    "with_local_dependency",
    "without_dependencies",
]

# In lenient mode a wrongly shaped descriptive key is a warning and is ignored; anything that
# changes what gets installed or granted stays an error (permissions fail closed).
_DESCRIPTIVE_KEYS = frozenset({"description", "license", "repository", "keywords", "$schema"})
#: An enum error lists the allowed values up to this many; past it, the closest ones.
_ENUM_LISTED = 12


def parse_manifest(
    data: str | bytes | Mapping[str, Any],
    *,
    file: str = "skills.json",
    kind: ManifestKind = ManifestKind.AUTO,
    skill_name: str | None = None,
    mode: Mode = Mode.STRICT,
    schema_checked: bool = False,
) -> tuple[Manifest | None, Report]:
    """Parse and validate a skills.json given as text, bytes or an already-decoded object.

    ``kind=AUTO`` reads a package when ``skill_name`` is given (the manifest sits next to a
    SKILL.md) or when ``run``/``interface`` are present and no project-only key is, and a
    project otherwise. ``skill_name`` also checks that a package is ``@scope/<skill_name>``.
    Returns the :class:`Manifest` when the report has no error, else None.

    ``schema_checked=True`` skips the JSON Schema pass, for bytes the caller knows passed it
    before (the client remembers digests of files it validated); every other rule still runs.
    """
    ctx = Context(file, mode, None)
    raw = _decode(data, ctx)
    if raw is None:
        return None, Report(tuple(ctx.problems))
    if kind is ManifestKind.AUTO:
        kind = _guess_kind(raw, skill_name)
    bad = set() if schema_checked else _schema_pass(raw, ctx)
    _check_keys(raw, kind, ctx)
    name = check_name(raw, kind, skill_name, bad, ctx)
    version = check_version(raw, kind, bad, ctx)
    if kind is ManifestKind.PACKAGE and not raw.get("description") and "description" not in bad:
        ctx.add(
            "manifest.description.missing",
            "the package has no description",
            hint="Add a one-line 'description'; the registry shows it in search.",
            error=False,
        )
    skills, local = check_skills(raw, name, bad, ctx, kind)
    permissions = check_permissions(raw, bad, ctx)
    interface = check_interface(raw, bad, ctx)
    run = raw.get("run") if "run" not in bad else None
    if isinstance(run, str):
        for message in check_run_path(run):
            ctx.add("manifest.run.invalid", message, ("run",), "Use e.g. 'scripts/main.py'.")
    registries = check_registries(raw, bad, ctx)
    report = Report(tuple(ctx.problems))
    if not report.ok:
        return None, report

    def good(key: str) -> Any:
        if key in bad or (kind is ManifestKind.PACKAGE and key in PROJECT_ONLY_KEYS):
            return None
        return raw.get(key)

    audit_raw = good("audit")
    manifest = Manifest(
        kind=kind,
        name=name,
        version=version,
        description=good("description"),
        license=good("license"),
        repository=good("repository"),
        keywords=tuple(good("keywords") or ()),
        skills=skills,
        permissions=permissions,
        interface=interface,
        run=run if isinstance(run, str) else None,
        audit=(
            AuditPolicy(audit_raw.get("min_score"), bool(audit_raw.get("require_signing", False)))
            if isinstance(audit_raw, dict)
            else None
        ),
        agents=tuple(good("agents") or ()),
        registries=registries if kind is ManifestKind.PROJECT else {},
        raw=raw,
        local=local,
    )
    return manifest, report


def _decode(data: str | bytes | Mapping[str, Any], ctx: Context) -> dict[str, Any] | None:
    """The JSON object of ``data``, or None after reporting why there is none."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            ctx.add(
                "manifest.encoding",
                f"skills.json is not UTF-8 (byte {exc.start})",
                hint="Save the file as UTF-8.",
            )
            return None
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
        dupes: list[str] = []
        try:
            # Bounded first: depth, size and numbers are checked before json or jsonpos run.
            value = boundedjson.load_file(
                text,
                file=ctx.file,
                code="manifest.json",
                max_bytes=boundedjson.MANIFEST_MAX_BYTES,
                hint="Check for a missing comma or quote, or a trailing comma, near this spot.",
                object_pairs_hook=lambda pairs: _no_dupes(pairs, dupes),
            )
        except ValidationError as bad:
            ctx.problems.append(
                Problem(bad.code, bad.message, location=bad.location, hint=bad.hint)
            )
            return None
        ctx.lines = jsonpos.key_lines(text)
        for key in dupes:
            # Two values for one key are read differently by different tools: never guess.
            ctx.add("manifest.key.duplicate", f"key '{key}' appears more than once")
    else:
        value = copy.deepcopy(dict(data)) if isinstance(data, Mapping) else data
    if not isinstance(value, dict):
        ctx.add("manifest.type", "skills.json must hold a JSON object ({...})")
        return None
    return value


def _no_dupes(pairs: list[tuple[str, Any]], dupes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            dupes.append(key)
        out[key] = value
    return out


def _guess_kind(raw: dict[str, Any], skill_name: str | None) -> ManifestKind:
    if skill_name is not None:
        return ManifestKind.PACKAGE
    if PROJECT_ONLY_KEYS & raw.keys():
        return ManifestKind.PROJECT
    if PACKAGE_ONLY_KEYS & raw.keys():
        return ManifestKind.PACKAGE
    return ManifestKind.PROJECT


def _schema_pass(raw: dict[str, Any], ctx: Context) -> set[str]:
    """Report shape errors; return the top-level keys whose shape is wrong."""
    bad: set[str] = set()
    errors = sorted(_validator().iter_errors(raw), key=lambda e: jsonpos.pointer(tuple(e.path)))
    for err in errors:
        path: jsonpos.Path = tuple(err.absolute_path)
        if not path and err.validator == "additionalProperties":
            continue  # unknown top-level keys: reported by _check_keys with a did-you-mean
        top = str(path[0]) if path else "document"
        bad.add(top)
        message = err.message if len(err.message) <= MESSAGE_MAX else err.message[:MESSAGE_MAX]
        hint = None
        if err.validator == "enum" and isinstance(err.validator_value, list):
            message, hint = _enum_problem(err.instance, err.validator_value, top)
            message = message or err.message[:MESSAGE_MAX]
        elif err.validator == "propertyNames":
            hint = "Names are '@scope/name' with lower case letters, digits and '-'."
        where = jsonpos.pointer(path) or "/"
        error = not (ctx.mode is Mode.LENIENT and top in _DESCRIPTIVE_KEYS)
        ctx.add(f"manifest.{top}.invalid", f"{where}: {message}", path, hint, error=error)
    return bad


def _enum_problem(value: Any, allowed: list[Any], top: str) -> tuple[str | None, str]:
    """The message (``None``: the validator's) and hint for a value outside an enum: the
    list itself when short; for a long one (the ~80 agents) the closest values instead."""
    if len(allowed) <= _ENUM_LISTED:
        return None, "Use one of: " + ", ".join(str(v) for v in allowed) + "."
    import difflib

    close = difflib.get_close_matches(str(value).lower(), [str(v) for v in allowed], n=3)
    guess = f"Did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    where = "`tank agents` lists them" if top == "agents" else "the schema lists them"
    shown = repr(value)[:60]
    return f"{shown} is not one of the {len(allowed)} allowed values", f"{guess}{where}."


def _check_keys(raw: dict[str, Any], kind: ManifestKind, ctx: Context) -> None:
    # The schema's own property list (the JSON file, not the compiled validator: building
    # that imports jsonschema, which a schema-checked manifest never needs).
    known = list(load_schema(SKILLS_SCHEMA)["properties"])
    for key in raw:
        if key not in known:
            import difflib  # only for a typo: skills.json is parsed on every `tank run`

            close = difflib.get_close_matches(key, known, n=1)
            ctx.add(
                "manifest.key.unknown",
                f"unknown key '{key}'",
                (key,),
                f"Did you mean '{close[0]}'?" if close else "Remove it.",
                error=ctx.mode is Mode.STRICT,
            )
        elif kind is ManifestKind.PACKAGE and key in PROJECT_ONLY_KEYS:
            ctx.add(
                "manifest.key.project_only",
                f"'{key}' belongs in a project's skills.json, not in a skill package",
                (key,),
                "Remove it from the package; set it in the project that installs the skill.",
                # Reading someone's package: warn and ignore it (a package never gets to pick
                # registries or agents for the project that installs it).
                error=ctx.mode is Mode.STRICT,
            )
        elif kind is ManifestKind.PROJECT and key in PACKAGE_ONLY_KEYS:
            ctx.add(
                "manifest.key.package_only",
                f"'{key}' only means something in a skill package; a project ignores it",
                (key,),
                error=False,
            )
