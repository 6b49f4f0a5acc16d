"""Shared fixtures: real databases (SQLite and PostgreSQL), a real registry subprocess, skills.

PostgreSQL is the server on 127.0.0.1:5432 (trust auth; override with TANK_TEST_PG_DSN). Each
test gets a fresh database cloned from a migrated template (``CREATE DATABASE … TEMPLATE``), so
tests never share state and never mock the database. When PostgreSQL is unreachable the
PostgreSQL-parametrized tests FAIL (they are not skipped): CI must exercise both backends.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

PG_DSN = os.environ.get("TANK_TEST_PG_DSN", "host=127.0.0.1 port=5432 dbname=test user=root")
BACKENDS = ("sqlite", "postgresql")
# Start-up is ~2 s on a quiet machine; a loaded 2-core CI box can take much longer.
STARTUP_TIMEOUT = 120


def _pg_url(dbname: str) -> str:
    parts = dict(item.split("=", 1) for item in PG_DSN.split())
    user = parts.get("user", "root")
    host = parts.get("host", "127.0.0.1")
    port = parts.get("port", "5432")
    return f"postgresql+psycopg://{user}@{host}:{port}/{dbname}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _migrate(url: str) -> None:
    from tank.server.db.engine import make_engine
    from tank.server.db.migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    name = f"tank_tpl_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        _migrate(_pg_url(name))
        yield name
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty registry database: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "registry.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("_pg_template")
    name = f"tank_t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    try:
        yield _pg_url(name)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def registry(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A :class:`tank.server.context.Registry` on ``db_url`` with a temporary blob folder."""
    from tank.server.context import Registry
    from tank.server.settings import load_settings

    reg = Registry.from_settings(
        load_settings(None, database_url=db_url, storage=tmp_path / "blobs")
    )
    yield reg
    reg.engine.dispose()


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_tank(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real ``tank`` CLI in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "tank.cli.main", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        input=input,
        timeout=120,
        check=False,
    )


@dataclass
class Server:
    """A running ``tank registry serve`` subprocess on loopback."""

    url: str
    db_url: str
    storage: Path
    process: subprocess.Popen[bytes]
    log: Path
    _clients: list[httpx.Client] = field(default_factory=list)

    def create_user(self, name: str, password: str, *, admin: bool = False) -> None:
        """Create a user with the admin CLI (a real subprocess on the real database)."""
        args = [
            "registry",
            "create-user",
            name,
            "--password",
            password,
            "--database-url",
            self.db_url,
        ]
        result = run_tank(*args, *(["--admin"] if admin else []))
        assert result.returncode == 0, result.stderr

    def token(self, name: str, password: str, scopes: tuple[str, ...] = ("read", "publish")) -> str:
        """Log in over HTTP and return a fresh token."""
        answer = httpx.post(
            f"{self.url}/v1/tokens",
            json={"username": name, "password": password, "scopes": list(scopes)},
            timeout=30,
        )
        assert answer.status_code in (200, 201), answer.text
        token: str = answer.json()["token"]
        return token

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client for this server, authenticated when ``token`` is given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=self.url, headers=headers, timeout=60)
        self._clients.append(client)
        return client

    def stop(self) -> None:
        """Stop the server (and its workers) and close clients."""
        for client in self._clients:
            client.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(
    db_url: str, storage: Path, env: dict[str, str] | None = None, workers: int = 1
) -> Server:
    """Start ``tank registry serve`` and wait until ``/v1/health`` answers."""
    port = free_port()
    log = storage.parent / f"server-{port}.log"
    args = [
        sys.executable, "-m", "tank.cli.main", "registry", "serve", "--host", "127.0.0.1",
        "--port", str(port), "--database-url", db_url, "--storage", str(storage),
        "--workers", str(workers),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    server = Server(f"http://127.0.0.1:{port}", db_url, storage, process, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"registry exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{server.url}/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"registry did not start in {STARTUP_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[Server]:
    """A real registry subprocess on a free loopback port, on each database backend."""
    handle = start_server(db_url, tmp_path / "blobs")
    yield handle
    handle.stop()


@pytest.fixture
def server_factory(db_url: str, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start registries with custom environment (e.g. small rate limits): ``factory(env=...)``."""
    started: list[Server] = []

    def factory(env: dict[str, str] | None = None, workers: int = 1) -> Server:
        handle = start_server(db_url, tmp_path / f"blobs-{len(started)}", env, workers)
        started.append(handle)
        return handle

    yield factory
    for handle in started:
        handle.stop()


SkillFactory = Callable[..., Path]


def make_skill(
    root: Path,
    scope: str = "acme",
    name: str = "pdf",
    version: str = "1.0.0",
    deps: dict[str, str] | None = None,
    permissions: dict[str, object] | None = None,
    files: dict[str, str | bytes] | None = None,
    description: str | None = None,
) -> Path:
    """A valid skill folder under ``root`` (``files`` are written last: they may replace the
    generated SKILL.md)."""
    folder = root / "skills" / f"{scope}-{name}-{version}-{uuid.uuid4().hex[:6]}" / name
    folder.mkdir(parents=True)
    text = description or f"The {name} skill of @{scope}: use it for {name} work."
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: {json.dumps(text)}\n---\n\n# {name}\n\n"
        "Follow these steps carefully.\n",
        encoding="utf-8",
    )
    manifest = {
        "name": f"@{scope}/{name}",
        "version": version,
        "description": text,
        "skills": deps or {},
        "permissions": permissions or {},
    }
    (folder / "skills.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    for rel, content in (files or {}).items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def skill_factory(tmp_path: Path) -> SkillFactory:
    """Make a valid skill folder: ``skill_factory(scope="acme", name="pdf", version="1.0.0")``."""
    return functools.partial(make_skill, tmp_path)


@pytest.fixture
def pack_skill() -> Callable[[Path], bytes]:
    """Pack a skill folder into its canonical tarball bytes."""
    from tank.core.pack import pack_folder

    def pack(folder: Path) -> bytes:
        return pack_folder(folder).data

    return pack


# ---------------------------------------------------------------- the client against a registry

CLIENT_PASSWORD = "correct horse battery staple"


@dataclass
class ClientWorld:
    """A real registry (SQLite) plus an isolated client home: config, cache and home folders.

    ``tank(...)`` runs the real CLI in a subprocess with ``TANK_CONFIG_DIR``,
    ``TANK_CACHE_DIR``, ``TANK_HOME`` pointing into the test's temporary folder, the keyring
    disabled, ``CI`` unset, and ``TANK_REGISTRY`` set to the server.
    """

    server: Server
    root: Path
    env: dict[str, str]

    def tank(
        self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:  # fmt: skip
        """Run ``tank`` as this world's user."""
        return run_tank(*args, env={**self.env, **(env or {})}, cwd=cwd, input=input)

    def publisher(self, name: str) -> str:
        """Create user ``name`` (owner of scope ``@name``) and return a publish token."""
        self.server.create_user(name, CLIENT_PASSWORD)
        return self.server.token(name, CLIENT_PASSWORD, ("read", "publish"))

    def project(self, name: str = "project", skills: dict[str, str] | None = None) -> Path:
        """A new project folder with a skills.json requiring ``skills``."""
        folder = self.root / name
        folder.mkdir(parents=True)
        manifest = {"name": name, "skills": skills or {}}
        (folder / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n")
        return folder


@pytest.fixture
def client_world(tmp_path: Path, _sqlite_template: Path) -> Iterator[ClientWorld]:
    """A registry subprocess on SQLite and an isolated client (see :class:`ClientWorld`)."""
    db = tmp_path / "registry.db"
    shutil.copyfile(_sqlite_template, db)
    handle = start_server(f"sqlite:///{db}", tmp_path / "blobs")
    env = {
        "TANK_CONFIG_DIR": str(tmp_path / "config"),
        "TANK_CACHE_DIR": str(tmp_path / "cache"),
        "TANK_HOME": str(tmp_path / "home"),
        "TANK_NO_KEYRING": "1",
        "TANK_REGISTRY": handle.url,
        "CI": "",
        "TANK_TOKEN": "",
        "NO_COLOR": "1",
    }
    (tmp_path / "home").mkdir()
    yield ClientWorld(handle, tmp_path, env)
    handle.stop()


def set_verdict(db_url: str, name: str, version: str, verdict: str) -> None:
    """A later rescan's outcome: change ``name@version``'s verdict in the registry's real
    database and rebuild the skill's document, as the rescan service does."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from tank.server.db.engine import make_engine
    from tank.server.db.models import Skill, SkillVersion
    from tank.server.services.skills import refresh

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            skill = session.scalars(select(Skill).where(Skill.name == name)).one()
            row = session.scalars(
                select(SkillVersion).where(
                    SkillVersion.skill_id == skill.id, SkillVersion.version == version
                )
            ).one()
            row.verdict = verdict
            session.flush()
            refresh(session, skill)
            session.commit()
    finally:
        engine.dispose()
