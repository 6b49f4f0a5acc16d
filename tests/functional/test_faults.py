"""Faults of the machine answer as faults, not bugs: 507 for a full disk, 503 for a held lock.

Real faults only: a full file system is a small tmpfs filled on purpose (mounting needs root;
without it these tests are skipped with that reason), a held lock is another connection
holding it. The partial file a killed blob write leaves behind is planted and collected by
the real ``tank registry gc``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Server, _pg_admin, _pg_url, run_tank, start_server

PASSWORD = "correct horse battery staple"
NO_RATE_LIMITS = {
    "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP": "0",
    "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN": "0",
}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[Path, str], Path]]:
    """``mount(path, size)``: a real tmpfs of ``size`` (e.g. "2m") at ``path``."""
    mounted: list[Path] = []

    def mount(path: Path, size: str) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)
        with contextlib.suppress(OSError):
            path.rmdir()  # the mount point (outside pytest's tmp_path for PostgreSQL's sake)


def fill(folder: Path) -> None:
    """Write a file in ``folder`` until its file system has no space left."""
    chunk = os.urandom(64 * 1024)
    with (folder / "filler").open("wb", buffering=0) as out:
        try:
            while True:
                out.write(chunk)
        except OSError:
            pass
        try:
            while True:
                out.write(b"x")
        except OSError:
            pass


def _login(server: Server) -> httpx.Client:
    server.create_user("alice", PASSWORD)
    return server.client(server.token("alice", PASSWORD, ("read", "publish")))


def _publish(client: httpx.Client, data: bytes) -> httpx.Response:
    return client.post("/v1/skills", files={"tarball": ("s.tgz", data, "application/gzip")})


def _assert_storage_full(answer: httpx.Response) -> None:
    assert answer.status_code == 507, answer.text
    assert int(answer.headers["Retry-After"]) > 0
    error = answer.json()["error"]
    assert error["code"] == "storage_full"
    assert "bug" not in error["hint"]
    assert "space" in error["message"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_blob_disk_full_is_507(
    db_url: str,
    tmp_path: Path,
    small_disk: Callable[[Path, str], Path],
    skill_factory: Callable[..., Path],
    pack_skill: Callable[[Path], bytes],
) -> None:
    storage = small_disk(tmp_path / "blobs", "1m")
    server = start_server(db_url, storage, NO_RATE_LIMITS)
    try:
        alice = _login(server)
        fill(storage)
        folder = skill_factory(scope="alice", name="full")
        _assert_storage_full(_publish(alice, pack_skill(folder)))
        assert "blob" in server.log.read_text()  # the operator's log names what filled up
        (storage / "filler").unlink()
        assert _publish(alice, pack_skill(folder)).status_code == 201
    finally:
        server.stop()


def test_database_disk_full_is_507(
    tmp_path: Path,
    _sqlite_template: Path,
    small_disk: Callable[[Path, str], Path],
    skill_factory: Callable[..., Path],
    pack_skill: Callable[[Path], bytes],
) -> None:
    disk = small_disk(tmp_path / "dbdisk", "4m")
    shutil.copyfile(_sqlite_template, disk / "registry.db")
    server = start_server(f"sqlite:///{disk / 'registry.db'}", tmp_path / "blobs", NO_RATE_LIMITS)
    try:
        alice = _login(server)
        fill(disk)
        # A SKILL.md big enough that its transaction needs pages the WAL does not have yet.
        _assert_storage_full(_publish(alice, pack_skill(_big_skill(skill_factory, "big"))))
    finally:
        server.stop()


def _big_skill(skill_factory: Callable[..., Path], name: str) -> Path:
    """A skill whose SKILL.md needs more database pages than a small write has around."""
    body = "".join(f"Step {i}: {os.urandom(24).hex()}\n" for i in range(2000))
    folder = skill_factory(scope="alice", name=name)
    (folder / "SKILL.md").write_text((folder / "SKILL.md").read_text() + body)
    return folder


def test_postgres_disk_full_is_507(
    tmp_path: Path,
    _pg_template: str,
    small_disk: Callable[[Path, str], Path],
    skill_factory: Callable[..., Path],
    pack_skill: Callable[[Path], bytes],
) -> None:
    # The test database lives in a tablespace on a small tmpfs (PostgreSQL's WAL does not:
    # a full WAL disk would stop the whole server, a full tablespace fails the statement).
    tag = uuid.uuid4().hex[:12]
    disk = small_disk(Path(f"/tmp/tank-pgdisk-{tag}"), "64m")
    shutil.chown(disk, "postgres", "postgres")
    space, name = f"tank_ts_{tag}", f"tank_t_{tag}"
    _pg_admin(f"CREATE TABLESPACE {space} LOCATION '{disk}'")
    server = None
    try:
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{_pg_template}" TABLESPACE {space}')
        server = start_server(_pg_url(name), tmp_path / "blobs", NO_RATE_LIMITS)
        alice = _login(server)
        fill(disk)
        _assert_storage_full(_publish(alice, pack_skill(_big_skill(skill_factory, "big"))))
    finally:
        if server is not None:
            server.stop()
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f"DROP TABLESPACE IF EXISTS {space}")


def _hold_write_lock(db_url: str) -> Callable[[], None]:
    """Take the database's write lock from another connection; return its release."""
    if db_url.startswith("sqlite"):
        conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        conn = psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://"))
        conn.execute("LOCK TABLE orgs IN ACCESS EXCLUSIVE MODE")

    def release() -> None:
        conn.rollback()
        conn.close()

    return release


def test_write_lock_held_too_long_is_503(
    db_url: str, server_factory: Callable[..., Server]
) -> None:
    server = server_factory(env={**NO_RATE_LIMITS, "TANK_REGISTRY_DB_LOCK_TIMEOUT_SECONDS": "1"})
    alice = _login(server)
    release = _hold_write_lock(db_url)
    try:
        started = time.monotonic()
        answer = alice.post("/v1/orgs", json={"name": "acme"})
        took = time.monotonic() - started
    finally:
        release()
    assert answer.status_code == 503, answer.text
    assert took < 15, took
    assert int(answer.headers["Retry-After"]) > 0
    error = answer.json()["error"]
    assert error["code"] == "database_busy"
    assert "bug" not in error["hint"]
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201


def test_gc_removes_stale_partial_blob_writes(server: Server) -> None:
    tmp = server.storage / "tmp"
    stale, fresh = tmp / "tmpkilled", tmp / "tmpinflight"
    stale.write_bytes(b"half a tarball")
    fresh.write_bytes(b"a publish in flight")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    args = ["registry", "gc", "--database-url", server.db_url, "--storage", str(server.storage)]
    result = run_tank(*args)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert fresh.exists()  # younger than the grace period: maybe still being written
    assert "tmp/tmpkilled" in result.stdout
