"""Reading a project's skills.json and skills.lock, and holding its install lock.

Schema-checked bytes are remembered by digest (:mod:`tank.client.validated`), so an unchanged
manifest or lockfile skips the JSON Schema pass on the next command.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from tank.client import validated
from tank.client.installer import recover_project
from tank.client.paths import ProjectPaths, cache_dir
from tank.client.transaction import Recovery
from tank.core.errors import UsageError, ValidationError
from tank.core.lockfile import Lockfile, parse_lockfile
from tank.core.manifest import Manifest, ManifestKind, parse_manifest


def read_manifest_bytes(paths: ProjectPaths, *, create: bool) -> bytes:
    """skills.json's bytes; a minimal one when missing and ``create`` (npm's behaviour)."""
    try:
        return paths.manifest.read_bytes()
    except FileNotFoundError:
        if not create:
            raise UsageError(
                f"no skills.json in {paths.meta_root}",
                code="no_manifest",
                hint="run `tank init --project` or `tank install NAME` to start one",
            ) from None
    name = "global" if paths.is_global else (paths.meta_root.name or "project")
    return (dump_manifest_dict({"name": name, "skills": {}})).encode()


def dump_manifest_dict(data: Mapping[str, object]) -> str:
    """A new skills.json's text (same layout as :func:`dump_manifest`)."""
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def parse_project(data: bytes, paths: ProjectPaths) -> Manifest:
    """The project manifest, or a ValidationError listing every problem."""
    checked = validated.seen("manifest", data)
    manifest, report = parse_manifest(
        data, file=str(paths.manifest), kind=ManifestKind.PROJECT, schema_checked=checked
    )
    if manifest is not None and not checked:
        validated.remember("manifest", data)
    if manifest is None:
        raise ValidationError(
            f"{paths.manifest} is not a valid project manifest",
            problems=report.problems,
            hint="fix the problems above (`tank validate` shows them too)",
        )
    return manifest


def read_lock(paths: ProjectPaths) -> tuple[bytes | None, Lockfile | None]:
    """skills.lock's bytes and value (``None, None`` when there is none)."""
    try:
        data = paths.lockfile.read_bytes()
    except FileNotFoundError:
        return None, None
    checked = validated.seen("lock", data)
    lock = parse_lockfile(data, file=str(paths.lockfile), schema_checked=checked)
    if not checked:
        validated.remember("lock", data)
    return data, lock


@contextmanager
def locked(
    paths: ProjectPaths, on_recover: Callable[[Recovery], None] | None = None
) -> Iterator[None]:
    """Hold the project's install lock (another Tank process waits), and recover a killed
    install's journal first (``on_recover`` is told what the rollback did).

    The lock file lives in the cache folder, keyed by the project's path, so a command that
    fails its checks leaves the project without a single new file.
    """
    import hashlib

    key = hashlib.sha256(str(paths.link_root.resolve()).encode()).hexdigest()[:32]
    lock_file = cache_dir() / "locks" / f"{key}.lock"
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            recovery = recover_project(paths)
            if recovery is not None and on_recover is not None:
                on_recover(recovery)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
