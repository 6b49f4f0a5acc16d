"""The plugin layout: one skill (or several) as an agent plugin.

Two manifests say the same thing, so one folder works for both kinds of reader:

- ``.plugin/plugin.json``: the vendor-neutral Open Plugins 1.0 manifest (the "Agent Plugins"
  layout; ``plugin.json`` at the root is read too, as some tools write it there);
- ``.claude-plugin/plugin.json``: Claude Code's manifest, same fields.

Skills sit at ``skills/<name>/`` (each the whole skill folder: SKILL.md, skills.json, the
rest), which both specifications discover without a ``skills`` key in the manifest. Writing
is :func:`plugin_files` (pure: files in, files out); reading is :func:`plugin_skills`, which
refuses a malformed manifest and returns each skill's files exactly as packed, so the skill's
canonical tarball, and its integrity, survive the round trip.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tank.core import boundedjson
from tank.core.errors import Location, ValidationError
from tank.core.marketplace import KEBAB

#: Manifest paths, the first found wins when reading; every one is written.
MANIFESTS = (".plugin/plugin.json", ".claude-plugin/plugin.json", "plugin.json")
WRITTEN = MANIFESTS[:2]
#: Largest plugin.json read.
MAX_MANIFEST_BYTES = 256 * 1024
_KEYS = {
    "$schema",
    "name",
    "version",
    "description",
    "author",
    "homepage",
    "repository",
    "license",
    "keywords",
    "skills",
    "commands",
    "agents",
    "hooks",
    "mcpServers",
    "lspServers",
    "outputStyles",
    "rules",
    "logo",
    "userConfig",
}

Files = Mapping[str, tuple[bytes, bool]]


@dataclass(frozen=True, slots=True)
class PluginManifest:
    """What a plugin.json says about the plugin (the fields Tank reads)."""

    name: str
    version: str | None
    description: str | None


def manifest_document(
    name: str, version: str, description: str, extra: Mapping[str, Any]
) -> dict[str, Any]:
    """A plugin.json: ``name``, ``version``, ``description`` and the ``extra`` fields that are
    set (``license``, ``homepage``, ``repository``, ``keywords``, ``author``)."""
    doc: dict[str, Any] = {"name": name, "version": version, "description": description}
    for key in ("author", "homepage", "repository", "license", "keywords"):
        if extra.get(key):
            doc[key] = extra[key]
    return doc


def plugin_files(
    manifest: Mapping[str, Any], skills: Mapping[str, Files]
) -> dict[str, tuple[bytes, bool]]:
    """The plugin layout of ``skills`` (SKILL.md name → the skill folder's files)."""
    text = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    out: dict[str, tuple[bytes, bool]] = dict.fromkeys(WRITTEN, (text, False))
    for name, files in skills.items():
        for path, entry in files.items():
            out[f"skills/{name}/{path}"] = entry
    return out


def plugin_skills(
    files: Files, *, where: str = "plugin"
) -> tuple[PluginManifest, dict[str, dict[str, tuple[bytes, bool]]]]:
    """The manifest and the skills (folder name → its files) of a plugin layout; raises
    :class:`ValidationError` when there is no manifest, it is malformed or no skill is found."""
    found = next((path for path in MANIFESTS if path in files), None)
    if found is None:
        raise ValidationError(
            f"{where} has no plugin.json",
            code="plugin.no_manifest",
            location=Location(where),
            hint="a plugin holds .plugin/plugin.json or .claude-plugin/plugin.json",
        )
    manifest = parse_manifest(files[found][0], file=f"{where}/{found}")
    skills: dict[str, dict[str, tuple[bytes, bool]]] = {}
    for path, entry in files.items():
        parts = path.split("/", 2)
        if len(parts) == 3 and parts[0] == "skills":
            skills.setdefault(parts[1], {})[parts[2]] = entry
    skills = {name: content for name, content in skills.items() if "SKILL.md" in content}
    if not skills:
        raise ValidationError(
            f"{where} holds no skill",
            code="plugin.no_skills",
            location=Location(where),
            hint="put each skill at skills/<name>/SKILL.md",
        )
    return manifest, dict(sorted(skills.items()))


def parse_manifest(data: bytes, *, file: str = "plugin.json") -> PluginManifest:
    """Read a plugin.json strictly: an object, a kebab-case ``name``, string
    ``version``/``description``, no unknown keys."""
    raw = boundedjson.load_file(
        data,
        file=file,
        code="plugin",
        max_bytes=MAX_MANIFEST_BYTES,
        max_depth=16,
        hint="plugin.json is one JSON object with at least a name",
    )

    def bad(message: str, hint: str) -> ValidationError:
        return ValidationError(message, code="plugin.invalid", location=Location(file), hint=hint)

    if not isinstance(raw, dict):
        raise bad("plugin.json must be a JSON object", 'write {"name": "my-plugin"}')
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise bad(f"unknown key {unknown[0][:80]!r}", "allowed: " + ", ".join(sorted(_KEYS)))
    name = raw.get("name")
    if not isinstance(name, str) or len(name) > 64 or not KEBAB.match(name):
        raise bad("name must be a kebab-case string", "1-64 characters of a-z, 0-9 and hyphens")
    for key in ("version", "description"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 4096):
            raise bad(f"{key} must be a string (at most 4096 characters)", "write a JSON string")
    return PluginManifest(name, raw.get("version"), raw.get("description"))
