"""Importing other manifests into skills.json: the phase-1 plan's ``skill.yaml`` and skillrt's
structured SKILL.md frontmatter (``tank init --from skill.yaml``).

Neither format has a published schema (the phase-1 plan says only "extended metadata with
versioning, dependencies"; skillrt's spec is a draft), so this module reads the fields both
documents describe and says what it did with everything else. ``skill.yaml``:

- ``name`` (``pdf`` or ``@acme/pdf``), ``version``, ``description``, ``license``,
  ``repository`` (or ``homepage``), ``keywords`` (or ``tags``), ``author`` (dropped: the
  registry knows the publisher);
- ``dependencies``: a map ``{"@scope/name": "^1.0"}`` or a list of ``"@scope/name@^1.0"``;
- ``permissions`` in skillrt's words, and ``inputs``/``outputs`` (JSON Schemas).

skillrt frontmatter (``version``, ``inputs``, ``outputs``, ``permissions``, ``dependencies``)
fills what skill.yaml leaves out. Permissions map onto Tank's: ``network`` (a list of hosts,
or ``{"outbound": [...]}``) → ``network.outbound``; ``fs``/``filesystem`` ``{read, write}``
→ ``filesystem``; ``env``/``secrets`` → ``secrets``; ``subprocess``/``exec`` (bool) →
``subprocess``. ``network: true`` (any host) has no Tank equivalent and is refused: Tank
grants hosts by name. Dependencies on tools or MCP servers are not skills: they are dropped
with a note. The result is a plain dict, validated by the caller with the manifest parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tank.core.errors import Location, ValidationError

#: Largest skill.yaml read (real ones are under a few KiB).
MAX_BYTES = 256 * 1024
_KNOWN = {
    "name", "scope", "version", "description", "license", "repository", "homepage",
    "keywords", "tags", "author", "authors", "dependencies", "permissions", "inputs", "outputs",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Imported:
    """A skills.json object and notes on what was dropped or changed."""

    manifest: dict[str, Any]
    notes: tuple[str, ...]


def load_skill_yaml(data: bytes, *, file: str = "skill.yaml") -> dict[str, Any]:
    """Read a skill.yaml (bounded: size, depth, no aliases) into a mapping."""
    import yaml

    from tank.core.frontmatter import safe_load

    def bad(message: str, hint: str) -> ValidationError:
        return ValidationError(
            message, code="skill_yaml.invalid", location=Location(file), hint=hint
        )

    if len(data) > MAX_BYTES:
        raise bad(f"skill.yaml is {len(data)} bytes (limit {MAX_BYTES})", "keep it to metadata")
    try:
        loaded = safe_load(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad("skill.yaml is not UTF-8", "save it as UTF-8") from None
    except yaml.YAMLError as error:
        raise bad(f"skill.yaml cannot be read: {str(error)[:200]}", "fix the YAML") from None
    if not isinstance(loaded, dict):
        raise bad("skill.yaml must be a mapping", "write key: value lines")
    return loaded


def import_manifest(
    skill_yaml: Mapping[str, Any],
    frontmatter: Mapping[str, Any],
    *,
    scope: str | None,
    file: str = "skill.yaml",
) -> Imported:
    """The skills.json of a skill described by ``skill_yaml`` and its SKILL.md
    ``frontmatter`` (either may be empty; skill.yaml wins where both say something)."""
    notes: list[str] = []

    def bad(message: str, hint: str) -> ValidationError:
        return ValidationError(
            message, code="skill_yaml.invalid", location=Location(file), hint=hint
        )

    def pick(*keys: str) -> Any:
        for source in (skill_yaml, frontmatter):
            for key in keys:
                if source.get(key) is not None:
                    return source[key]
        return None

    name = pick("name")
    if not isinstance(name, str) or not name:
        raise bad("no name in skill.yaml or SKILL.md", "add name: my-skill")
    if not name.startswith("@"):
        given = scope or skill_yaml.get("scope")
        if not isinstance(given, str) or not given:
            raise bad(f"{name} has no scope", "pass --scope NAME (or write name: @scope/name)")
        name = f"@{given.lstrip('@')}/{name}"
    version = pick("version")
    out: dict[str, Any] = {
        "name": name,
        "version": str(version) if version is not None else "0.1.0",
    }
    if version is None:
        notes.append("no version given: 0.1.0")
    for key, keys in (("description", ("description",)), ("license", ("license",)),
                      ("repository", ("repository", "homepage"))):  # fmt: skip
        value = pick(*keys)
        if value is not None:
            if not isinstance(value, str):
                raise bad(f"{key} must be a string", f"write {key}: text")
            out[key] = value
    keywords = pick("keywords", "tags")
    if keywords is not None:
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise bad("keywords/tags must be a list of strings", "write tags: [pdf, docs]")
        out["keywords"] = keywords
    if pick("author", "authors") is not None:
        notes.append("author dropped: the registry records who publishes")
    out["skills"] = _dependencies(pick("dependencies"), notes, bad)
    out["permissions"] = _permissions(pick("permissions") or {}, bad)
    interface = {k: pick(k) for k in ("inputs", "outputs") if pick(k) is not None}
    for key, schema in interface.items():
        if not isinstance(schema, dict):
            raise bad(f"{key} must be a JSON Schema object", f"write {key}: {{type: object}}")
    if interface:
        out["interface"] = interface
    unknown = sorted(set(skill_yaml) - _KNOWN - {"scope"})
    if unknown:
        notes.append("ignored skill.yaml keys: " + ", ".join(str(k) for k in unknown))
    return Imported(out, tuple(notes))


def _dependencies(value: Any, notes: list[str], bad: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, dict) and set(value) <= {"skills", "tools", "mcp", "mcp_servers"}:
        dropped = sorted(k for k in value if k != "skills" and value[k])
        if dropped:
            notes.append("dependencies dropped (not skills): " + ", ".join(dropped))
        value = value.get("skills") or {}
    if isinstance(value, list):
        pairs: dict[str, str] = {}
        for item in value:
            if not isinstance(item, str):
                raise bad("dependencies must be strings like @scope/name@^1.0", "quote each one")
            at = item.find("@", 1)
            pairs[item if at == -1 else item[:at]] = "*" if at == -1 else item[at + 1 :]
        value = pairs
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float) for k, v in value.items()
    ):
        raise bad("dependencies must map @scope/name to a range", 'write "@acme/x": "^1.0"')
    return {k: str(v) for k, v in value.items()}


def _permissions(value: Any, bad: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad("permissions must be a mapping", "write permissions: {network: [host]}")
    out: dict[str, Any] = {}
    network = value.get("network")
    if network is True:
        raise bad(
            "network: true (any host) cannot be imported",
            "list the hosts the skill calls: network: [api.example.com]",
        )
    if isinstance(network, dict):
        network = network.get("outbound")
    if isinstance(network, list) and network:
        out["network"] = {"outbound": [str(h) for h in network]}
    elif network not in (None, False, []):
        raise bad("network must be a list of hosts", "write network: [api.example.com]")
    fs = value.get("filesystem", value.get("fs"))
    if isinstance(fs, dict):
        paths = {k: [str(p) for p in fs.get(k) or []] for k in ("read", "write") if fs.get(k)}
        if paths:
            out["filesystem"] = paths
    elif fs is not None:
        raise bad("fs must be a mapping with read and write lists", "write fs: {read: [./docs/**]}")
    secrets = value.get("secrets", value.get("env"))
    if isinstance(secrets, list) and secrets:
        out["secrets"] = [str(s) for s in secrets]
    elif secrets not in (None, []):
        raise bad("env must be a list of variable names", "write env: [API_KEY]")
    run = value.get("subprocess", value.get("exec"))
    if run is not None:
        if not isinstance(run, bool):
            raise bad("subprocess must be true or false", "write subprocess: true")
        out["subprocess"] = run
    return out
