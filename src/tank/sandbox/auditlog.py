"""The run log: one JSON line per ``tank run``, appended under the user's state folder.

Each record says which skill ran (name, version, integrity), when, how it ended, whether it
was sandboxed, every denial and limit the layers observed and every connection the proxy
allowed or refused. Never the arguments, inputs, outputs or environment values: they may hold
secrets. Appends are single ``write`` calls on an ``O_APPEND`` file, so concurrent runs do not
interleave; the file rotates once past :data:`MAX_BYTES` (one previous file is kept).
Reading is bounded: lines past :data:`MAX_LINE` bytes or not JSON objects are skipped.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAX_BYTES = 16 << 20
MAX_LINE = 64 << 10
LOG_NAME = "runs.jsonl"


def log_path(state_dir: Path) -> Path:
    """The run log inside a state folder."""
    return state_dir / "logs" / LOG_NAME


def append(path: Path, record: dict[str, Any]) -> None:
    """Append ``record`` as one line (the folder is made, private to the user)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    data = (line[: MAX_LINE - 1] if len(line) >= MAX_LINE else line).encode() + b"\n"
    try:
        if path.stat().st_size + len(data) > MAX_BYTES:
            path.replace(path.with_name(path.name + ".1"))
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _parse(line: bytes) -> dict[str, Any] | None:
    if len(line) > MAX_LINE:
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def matches(record: dict[str, Any], name: str | None) -> bool:
    """Whether ``record`` is about the skill ``name`` (package or folder name); all when None."""
    if name is None:
        return True
    skill = str(record.get("skill") or "")
    return name in (skill, skill.rpartition("/")[2], str(record.get("folder") or ""))


def read(path: Path, name: str | None = None) -> list[dict[str, Any]]:
    """Every record (oldest first), only ``name``'s when given."""
    out: list[dict[str, Any]] = []
    for file in (path.with_name(path.name + ".1"), path):
        try:
            with file.open("rb") as handle:
                for line in handle:
                    record = _parse(line)
                    if record is not None and matches(record, name):
                        out.append(record)
        except FileNotFoundError:
            continue
    return out


def follow(
    path: Path, name: str | None = None, *, poll: float = 0.25, stop_after: float | None = None
) -> Iterator[dict[str, Any]]:
    """New records as they are appended (from the end of the file), until ``stop_after``
    seconds pass (forever when None). Survives rotation."""
    started = time.monotonic()
    position = path.stat().st_size if path.exists() else 0
    pending = b""
    while stop_after is None or time.monotonic() - started < stop_after:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = 0
        if size < position:  # rotated
            position = 0
        if size > position:
            with path.open("rb") as handle:
                handle.seek(position)
                pending += handle.read(size - position)
                position = size
            *lines, pending = pending.split(b"\n")
            for line in lines:
                record = _parse(line)
                if record is not None and matches(record, name):
                    yield record
            if len(pending) > MAX_LINE:
                pending = b""
        time.sleep(poll)
