"""Claude Code plugin marketplaces (``.claude-plugin/marketplace.json``), read strictly.

A marketplace is a catalogue: a ``name`` (kebab-case), an ``owner`` (``{"name": ...}``) and
``plugins``, each with a ``name`` and a ``source`` saying where Claude Code fetches it from:
a relative path inside the marketplace repository (``"./plugins/x"``), or an object whose
``source`` is ``github`` (``repo``), ``url`` (a git URL ending ``.git``), ``git-subdir``
(``url`` + ``path``) or ``npm`` (``package``), optionally pinned with ``ref``/``sha``.

The file comes from outside, so :func:`parse_marketplace` bounds it (size, nesting, number of
plugins, string lengths), refuses wrong types and unknown keys with the JSON path of the
offending value, and returns frozen dataclasses. The registry serves marketplaces in this
shape (``GET /marketplace/{scope}/.claude-plugin/marketplace.json``); installing from one
goes through :func:`skill_sources`, which lists what each plugin entry points at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tank.core import boundedjson
from tank.core.errors import Location, ValidationError

#: Largest marketplace.json read, in bytes (real ones are a few KiB; the largest public
#: catalogues list a few hundred plugins).
MAX_BYTES = 4 * 1024 * 1024
#: Deepest nesting: a plugin entry's component fields (hooks, mcpServers) nest a few levels.
MAX_DEPTH = 16
#: Most plugins in one marketplace.
MAX_PLUGINS = 5_000
#: Longest string field.
MAX_STRING = 4_096

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SHA = re.compile(r"^[0-9a-f]{40}$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")

_TOP_KEYS = {"$schema", "name", "owner", "metadata", "description", "version", "plugins"}
_OWNER_KEYS = {"name", "email", "url"}
_METADATA_KEYS = {"description", "version", "pluginRoot"}
# Plugin entries may carry any plugin.json field (Claude Code merges them) plus the entry's own.
_ENTRY_TEXT = ("description", "version", "homepage", "repository", "license", "category")
_ENTRY_COMPONENTS = {
    "commands",
    "agents",
    "skills",
    "hooks",
    "mcpServers",
    "lspServers",
    "outputStyles",
}
_ENTRY_KEYS = (
    {"name", "source", "author", "keywords", "tags", "strict"}
    | set(_ENTRY_TEXT)
    | _ENTRY_COMPONENTS
)
_SOURCE_KEYS: Mapping[str, tuple[set[str], set[str]]] = {
    # kind: (required keys, optional keys) besides "source"
    "github": ({"repo"}, {"ref", "sha", "path"}),
    "url": ({"url"}, {"ref", "sha"}),
    "git-subdir": ({"url", "path"}, {"ref", "sha"}),
    "npm": ({"package"}, {"version", "registry"}),
}


@dataclass(frozen=True, slots=True)
class Owner:
    """Who maintains the marketplace."""

    name: str
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class PluginSource:
    """Where a plugin comes from.

    ``kind`` is ``path`` (``location`` is relative to the marketplace root), ``github``
    (``location`` is ``owner/repo``), ``url`` or ``git-subdir`` (``location`` is the git URL,
    ``path`` the folder inside it) or ``npm`` (``location`` is the package name).
    """

    kind: str
    location: str
    ref: str | None = None
    sha: str | None = None
    path: str | None = None
    registry: str | None = None


@dataclass(frozen=True, slots=True)
class PluginEntry:
    """One plugin of a marketplace."""

    name: str
    source: PluginSource
    description: str | None = None
    version: str | None = None
    author: str | None = None
    homepage: str | None = None
    repository: str | None = None
    license: str | None = None
    category: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Marketplace:
    """A parsed marketplace.json."""

    name: str
    owner: Owner
    plugins: tuple[PluginEntry, ...]
    description: str | None = None
    version: str | None = None
    plugin_root: str | None = None


class _Reader:
    """Type checks that raise with the JSON path of the value and the file it came from."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, message: str, hint: str) -> ValidationError:
        return ValidationError(
            f"{path}: {message}",
            code="marketplace.invalid",
            location=Location(self.file),
            hint=hint,
        )

    def obj(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(
                path, f"must be an object, not {_kind(value)}", "see docs/marketplace.md"
            )
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(
                path,
                f"unknown key {unknown[0]!r}",
                "allowed: " + ", ".join(sorted(allowed)),
            )
        return value

    def text(self, value: Any, path: str, *, required: bool = False) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            what = "a non-empty string" if required else "a string"
            raise self.fail(path, f"must be {what}, not {_kind(value)}", "write a JSON string")
        if len(value) > MAX_STRING:
            raise self.fail(
                path, f"is {len(value)} characters long (limit {MAX_STRING})", "shorten it"
            )
        return value

    def name(self, value: Any, path: str) -> str:
        text = self.text(value, path, required=True)
        assert text is not None
        if len(text) > 64 or not KEBAB.match(text):
            raise self.fail(
                path,
                f"{text[:80]!r} is not a kebab-case name",
                "use 1-64 characters of a-z, 0-9 and single hyphens",
            )
        return text

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or len(value) > 100:
            raise self.fail(path, "must be a list of at most 100 strings", 'e.g. ["pdf"]')
        out = []
        for i, item in enumerate(value):
            text = self.text(item, f"{path}[{i}]", required=True)
            assert text is not None
            out.append(text)
        return tuple(out)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def parse_marketplace(data: str | bytes, *, file: str = "marketplace.json") -> Marketplace:
    """Parse a marketplace.json, or raise :class:`ValidationError` (``marketplace.*`` codes)
    naming the JSON path that is wrong and how to fix it."""
    raw = boundedjson.load_file(
        data,
        file=file,
        code="marketplace",
        max_bytes=MAX_BYTES,
        max_depth=MAX_DEPTH,
        hint="a marketplace.json is one JSON object; see docs/marketplace.md",
    )
    r = _Reader(file)
    top = r.obj(raw, "$", _TOP_KEYS)
    owner = r.obj(top.get("owner"), "$.owner", _OWNER_KEYS)
    metadata = r.obj(top.get("metadata", {}), "$.metadata", _METADATA_KEYS)
    plugins = top.get("plugins")
    if not isinstance(plugins, list):
        raise r.fail("$.plugins", f"must be an array, not {_kind(plugins)}", 'write "plugins": []')
    if len(plugins) > MAX_PLUGINS:
        raise r.fail("$.plugins", f"lists {len(plugins)} plugins (limit {MAX_PLUGINS})", "split it")
    entries = tuple(_entry(r, item, f"$.plugins[{i}]") for i, item in enumerate(plugins))
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if entry.name in seen:
            raise r.fail(f"$.plugins[{i}].name", f"{entry.name!r} is listed twice", "keep one")
        seen.add(entry.name)
    owner_name = r.text(owner.get("name"), "$.owner.name", required=True)
    assert owner_name is not None
    return Marketplace(
        name=r.name(top.get("name"), "$.name"),
        owner=Owner(
            owner_name,
            r.text(owner.get("email"), "$.owner.email"),
            r.text(owner.get("url"), "$.owner.url"),
        ),
        plugins=entries,
        description=r.text(top.get("description", metadata.get("description")), "$.description"),
        version=r.text(top.get("version", metadata.get("version")), "$.version"),
        plugin_root=r.text(metadata.get("pluginRoot"), "$.metadata.pluginRoot"),
    )


def _entry(r: _Reader, value: Any, path: str) -> PluginEntry:
    item = r.obj(value, path, _ENTRY_KEYS)
    author = item.get("author")
    if isinstance(author, dict):
        author = r.obj(author, f"{path}.author", _OWNER_KEYS).get("name")
    strict = item.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise r.fail(f"{path}.strict", f"must be a boolean, not {_kind(strict)}", "true or false")
    text = {key: r.text(item.get(key), f"{path}.{key}") for key in _ENTRY_TEXT}
    return PluginEntry(
        name=r.name(item.get("name"), f"{path}.name"),
        source=_source(r, item.get("source"), f"{path}.source"),
        author=r.text(author, f"{path}.author"),
        keywords=r.strings(item.get("keywords"), f"{path}.keywords"),
        **text,
    )


def _source(r: _Reader, value: Any, path: str) -> PluginSource:
    if isinstance(value, str):
        _relative(r, value, path)
        return PluginSource("path", value)
    if not isinstance(value, dict):
        raise r.fail(
            path,
            f"must be a relative path or an object, not {_kind(value)}",
            'e.g. "./plugins/x" or {"source": "github", "repo": "owner/repo"}',
        )
    kind = value.get("source")
    if not isinstance(kind, str) or kind not in _SOURCE_KEYS:
        raise r.fail(
            f"{path}.source",
            f"unknown source type {str(kind)[:40]!r}",
            "use one of: " + ", ".join(sorted(_SOURCE_KEYS)),
        )
    required, optional = _SOURCE_KEYS[kind]
    item = r.obj(value, path, {"source"} | required | optional)
    keys = sorted(required | set(item))
    fields = {k: r.text(item.get(k), f"{path}.{k}", required=k in required) for k in keys}
    sha = fields.get("sha")
    if sha is not None and not _SHA.match(sha):
        raise r.fail(f"{path}.sha", "must be a full 40-character commit id", "copy it from git")
    if kind == "github" and not _REPO.match(fields["repo"] or ""):
        raise r.fail(f"{path}.repo", "must be owner/repo", 'e.g. "acme/pdf-tools"')
    if kind in ("url", "git-subdir") and not (fields["url"] or "").startswith(
        ("https://", "http://", "git@", "ssh://", "file://")
    ):
        raise r.fail(f"{path}.url", "must be a git URL", 'e.g. "https://host/team/plugin.git"')
    if fields.get("path") is not None:
        _relative(r, fields["path"] or "", f"{path}.path", dot=False)
    location = fields.get("repo") or fields.get("url") or fields.get("package") or ""
    return PluginSource(
        kind,
        location,
        ref=fields.get("ref"),
        sha=sha,
        path=fields.get("path"),
        registry=fields.get("registry"),
    )


def _relative(r: _Reader, value: str, path: str, *, dot: bool = True) -> None:
    parts = value.replace("\\", "/").split("/")
    if (dot and not value.startswith("./")) or value.startswith("/") or ".." in parts:
        raise r.fail(
            path,
            f"{value[:80]!r} must be a relative path inside the marketplace",
            'start it with "./" and never use ".."' if dot else 'never use ".." or a leading "/"',
        )


def skill_sources(market: Marketplace) -> tuple[tuple[str, PluginSource], ...]:
    """Each plugin's name and where to fetch it, in catalogue order (what ``tank install``
    resolves, one git or path source per plugin, then reads the plugin's ``skills/``)."""
    return tuple((entry.name, entry.source) for entry in market.plugins)
