"""Installed skills as MCP resources, after the MCP Skills Extension (SEP-2640).

Each file of a skill installed in the project is a resource ``skill://<name>/<path>`` (its
instructions are ``skill://<name>/SKILL.md``). The extension's ``skills/list`` and
``skills/get`` answer with skill entries: the SKILL.md URI, its frontmatter as JSON, and every
file's URI with its ``sha256:`` digest (:func:`entries`, :func:`entry`).

Only what Tank installed is served: the canonical folder ``.agents/skills/<name>`` of a skill
the install state records. A read is bounded (:data:`MAX_FILE_BYTES`; listings stop at
:data:`MAX_FILES` per skill), refuses ``..``, empty and hidden-by-encoding segments, and
never follows a symlink: every component of the path must be a real folder or file inside
the skill folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tank.client.paths import ProjectPaths
from tank.core.errors import TankError, UsageError
from tank.core.skillmd import is_valid_name

SCHEME = "skill://"
MAX_FILE_BYTES = 1 << 20
MAX_FILES = 500
MAX_DEPTH = 16
MAX_URI = 2048


class ResourceError(UsageError):
    """A ``skill://`` URI that names nothing this server serves, or may not be read."""

    default_code = "mcp.resource"


@dataclass(frozen=True, slots=True)
class SkillFile:
    """One listed file of an installed skill."""

    uri: str
    skill: str
    path: str
    size: int
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Contents:
    """What a read returns: text (UTF-8) or bytes, with a MIME type."""

    uri: str
    mime_type: str
    text: str | None
    data: bytes | None


_MIME = {
    ".md": "text/markdown",
    ".json": "application/json",
    ".py": "text/x-python",
    ".sh": "text/x-shellscript",
    ".txt": "text/plain",
    ".yaml": "text/yaml",
    ".yml": "text/yaml",
    ".js": "text/javascript",
    ".ts": "text/typescript",
    ".html": "text/html",
    ".csv": "text/csv",
}


def mime_of(path: str) -> str:
    """The MIME type served for ``path`` (by extension; ``text/plain`` for unknown text)."""
    return _MIME.get(Path(path).suffix.lower(), "text/plain")


def installed_skills(paths: ProjectPaths) -> dict[str, Path]:
    """Folder name → canonical folder of every skill Tank installed here and is present."""
    from tank.client.state import read_state

    state = read_state(paths.state)
    out: dict[str, Path] = {}
    for folder in sorted(state.skills):
        path = paths.canonical / folder
        if is_valid_name(folder) and path.is_dir() and not path.is_symlink():
            out[folder] = path
    return out


def _description(folder: Path) -> str | None:
    """The SKILL.md description (lenient reading), or None when it cannot be read."""
    from tank.core.skillmd import Mode, parse_skill_md

    try:
        data = _read_inside(folder, ["SKILL.md"])
        doc, _ = parse_skill_md(data.decode("utf-8", "replace"), mode=Mode.LENIENT)
    except (TankError, OSError, ValueError):
        return None
    return doc.description if doc is not None else None


def _walk(folder: Path) -> list[tuple[str, int]]:
    """``(relative path, size)`` of the regular files under ``folder``, SKILL.md first,
    symlinks skipped, at most :data:`MAX_FILES`."""
    found: list[tuple[str, int]] = []
    stack: list[tuple[str, int]] = [("", 0)]
    while stack and len(found) < MAX_FILES:
        rel, depth = stack.pop()
        with os.scandir(folder / rel if rel else folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                child = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False) and depth < MAX_DEPTH:
                    stack.append((child, depth + 1))
                elif entry.is_file(follow_symlinks=False):
                    found.append((child, entry.stat(follow_symlinks=False).st_size))
    found.sort(key=lambda item: (item[0] != "SKILL.md", item[0]))
    return found[:MAX_FILES]


def list_files(paths: ProjectPaths) -> list[SkillFile]:
    """Every served file of every installed skill (SKILL.md carries the description)."""
    out: list[SkillFile] = []
    for name, folder in installed_skills(paths).items():
        for rel, size in _walk(folder):
            description = _description(folder) if rel == "SKILL.md" else None
            out.append(SkillFile(f"{SCHEME}{name}/{rel}", name, rel, size, description))
    return out


def parse_uri(uri: str) -> tuple[str, list[str]]:
    """``skill://<name>/<path>`` → (name, path segments); a :class:`ResourceError` for
    anything else (another scheme, a bad name, ``..``, ``.``, empty or encoded separators)."""
    if len(uri) > MAX_URI or not uri.startswith(SCHEME):
        raise ResourceError(
            f"{uri[:200]!r} is not a skill:// resource of this server",
            hint="list the resources: skill://<name>/SKILL.md and the skill's files",
        )
    raw = uri[len(SCHEME) :].split("?", 1)[0].split("#", 1)[0]
    parts = [unquote(part) for part in raw.split("/")]
    if len(parts) < 2 or not is_valid_name(parts[0]):
        raise ResourceError(
            f"{uri[:200]!r} names no skill",
            hint="skill URIs are skill://<skill-name>/<path inside the skill>",
        )
    segments = parts[1:]
    for segment in segments:
        if segment in ("", ".", "..") or "/" in segment or "\\" in segment or "\x00" in segment:
            raise ResourceError(
                f"{uri[:200]!r} is not a plain path inside the skill",
                code="mcp.resource.path",
                hint="no '..', '.', empty or encoded separators: name a file of the skill",
            )
    if len(segments) > MAX_DEPTH + 1:
        raise ResourceError(f"{uri[:200]!r} is nested too deep", code="mcp.resource.path")
    return parts[0], segments


def _open_inside(folder: Path, segments: list[str]) -> io.BufferedReader:
    """``folder/segments...`` opened for reading one component at a time with ``O_NOFOLLOW``
    (a symlink anywhere on the way is refused); a :class:`ResourceError` unless it is a
    regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    directory = os.open(folder, flags | getattr(os, "O_DIRECTORY", 0))
    try:
        for segment in segments[:-1]:
            inner = os.open(segment, flags | getattr(os, "O_DIRECTORY", 0), dir_fd=directory)
            os.close(directory)
            directory = inner
        handle = os.open(segments[-1], flags | getattr(os, "O_NONBLOCK", 0), dir_fd=directory)
    finally:
        os.close(directory)
    file = os.fdopen(handle, "rb")
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        file.close()
        raise ResourceError("not a regular file", code="mcp.resource.path")
    return file


def _read_inside(folder: Path, segments: list[str]) -> bytes:
    """The bytes of ``folder/segments...`` (see :func:`_open_inside`), up to the bound."""
    with _open_inside(folder, segments) as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise ResourceError(
                f"the file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit",
                code="mcp.resource.too_large",
                hint="read the file from the project folder itself",
            )
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ResourceError("the file grew past the size limit", code="mcp.resource.too_large")
    return data


def _digest(folder: Path, rel: str) -> str:
    """``sha256:<hex>`` of a file of the skill (streamed: no size bound needed to hash)."""
    with _open_inside(folder, rel.split("/")) as file:
        return "sha256:" + hashlib.file_digest(file, "sha256").hexdigest()


def _skill_folder(paths: ProjectPaths, name: str) -> Path:
    folder = installed_skills(paths).get(name)
    if folder is None:
        raise ResourceError(
            f"no skill named {name!r} is installed in {paths.meta_root}",
            code="mcp.resource.not_found",
            hint="skills/list (or resources/list) names the installed skills",
        )
    return folder


def _frontmatter(folder: Path) -> dict[str, Any]:
    """The SKILL.md frontmatter as a JSON object (lenient reading; empty when unreadable)."""
    from tank.core.frontmatter import read_frontmatter

    try:
        text = _read_inside(folder, ["SKILL.md"]).decode("utf-8", "replace")
    except (TankError, OSError):
        return {}
    values = read_frontmatter(text, lenient=True)[0].values
    loaded: dict[str, Any] = json.loads(json.dumps(values, default=str))
    return loaded


def entry(paths: ProjectPaths, uri: str) -> dict[str, Any]:
    """``skills/get``: the entry of the skill whose SKILL.md is ``uri``: ``uri``,
    ``frontmatter`` and ``resources`` (every file with its digest; left out when the skill
    has more files than are listed, as the extension allows for incomplete sets)."""
    name, segments = parse_uri(uri)
    if segments != ["SKILL.md"]:
        raise ResourceError(
            f"{uri[:200]!r} is not a skill's SKILL.md", hint="skill URIs end in /SKILL.md"
        )
    return _entry(name, _skill_folder(paths, name))


def _entry(name: str, folder: Path) -> dict[str, Any]:
    found: dict[str, Any] = {"uri": f"{SCHEME}{name}/SKILL.md", "frontmatter": _frontmatter(folder)}
    files = _walk(folder)
    if len(files) < MAX_FILES:
        found["resources"] = [
            {"uri": f"{SCHEME}{name}/{rel}", "digest": _digest(folder, rel)} for rel, _ in files
        ]
    return found


def entries(paths: ProjectPaths) -> list[dict[str, Any]]:
    """``skills/list``: the entry of every installed skill holding a SKILL.md."""
    return [
        _entry(name, folder)
        for name, folder in installed_skills(paths).items()
        if (folder / "SKILL.md").is_file()
    ]


def read(paths: ProjectPaths, uri: str) -> Contents:
    """The contents of ``uri``, a file of an installed skill."""
    name, segments = parse_uri(uri)
    folder = _skill_folder(paths, name)
    rel = "/".join(segments)
    try:
        data = _read_inside(folder, segments)
    except (FileNotFoundError, NotADirectoryError):
        raise ResourceError(
            f"{name} has no file {rel}",
            code="mcp.resource.not_found",
            hint="the resource list names every file of the skill",
        ) from None
    except OSError as refused:  # ELOOP: a symlink on the way
        raise ResourceError(
            f"{name}/{rel} cannot be served: {refused.strerror or refused}",
            code="mcp.resource.path",
            hint="symlinks inside a skill are never followed",
        ) from None
    try:
        return Contents(uri, mime_of(rel), data.decode("utf-8"), None)
    except UnicodeDecodeError:
        return Contents(uri, "application/octet-stream", None, data)
