"""``tank install --offline``: skills.lock and the cache, no network, loud about what it
skipped; and a plain install with the registry down fails closed, pointing at --offline.

A real registry subprocess is used once to warm the cache, then stopped; the offline
installs point at a listening socket that records any connection (there must be none).
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory
from tests.functional.test_cli_install import publish


@pytest.fixture
def listener() -> Iterator[tuple[str, socket.socket]]:
    """A loopback socket that listens but is never served: a connection would queue."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", sock
    sock.close()


def connected(sock: socket.socket) -> bool:
    """True when anything connected to ``sock``."""
    try:
        conn, _ = sock.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def copy_project(source: Path, target: Path) -> Path:
    """A new project folder with ``source``'s skills.json and skills.lock."""
    target.mkdir()
    for name in ("skills.json", "skills.lock"):
        shutil.copyfile(source / name, target / name)
    return target


def test_offline_install_from_lockfile_and_cache(
    client_world: ClientWorld,
    skill_factory: SkillFactory,
    listener: tuple[str, socket.socket],
) -> None:
    world = client_world
    token = world.publisher("alice")
    publish(world, token, skill_factory(scope="alice", name="base"))
    publish(world, token, skill_factory(scope="alice", name="top", deps={"@alice/base": "^1"}))
    first = world.project("first", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=first).returncode == 0  # the cache is warm
    world.server.stop()

    # The registry is down: a plain install fails closed, and says how to go on.
    down = world.tank("install", cwd=copy_project(first, world.root / "down"))
    assert down.returncode == ExitCode.NETWORK, down.stderr
    assert "cannot reach the registry" in down.stderr
    assert "tank install --offline" in down.stderr
    assert not (world.root / "down/.agents").exists()

    url, sock = listener
    env = {"TANK_REGISTRY": url}
    second = copy_project(first, world.root / "second")
    result = world.tank("install", "--offline", cwd=second, env=env)
    assert result.returncode == 0, result.stderr
    assert "offline install" in result.stderr and "NOT made" in result.stderr
    assert "quarantine" in result.stderr and "POST /v1/status" in result.stderr
    for name in ("base", "top"):
        assert (second / ".agents/skills" / name / "SKILL.md").is_file()
    assert (second / "skills.lock").read_bytes() == (first / "skills.lock").read_bytes()

    # TANK_OFFLINE=1 does the same; --json reports the skipped checks too.
    third = copy_project(first, world.root / "third")
    shown = world.tank("install", "--json", cwd=third, env={**env, "TANK_OFFLINE": "1"})
    assert shown.returncode == 0, shown.stderr
    skipped = json.loads(shown.stdout)["offline_skipped_checks"]
    assert len(skipped) == 3 and skipped[0].startswith("quarantine")
    assert skipped[1].startswith("transparency log")
    assert skipped[2].startswith("signed metadata")
    assert "NOT made" in shown.stderr
    assert not connected(sock)  # not one connection was attempted

    # An empty cache: refused, naming every skill missing from it.
    fourth = copy_project(first, world.root / "fourth")
    empty = {**env, "TANK_CACHE_DIR": str(world.root / "empty-cache")}
    missing = world.tank("install", "--offline", cwd=fourth, env=empty)
    assert missing.returncode == ExitCode.NETWORK, missing.stderr
    assert "@alice/base@1.0.0" in missing.stderr and "@alice/top@1.0.0" in missing.stderr
    assert "not in the local cache" in missing.stderr
    assert not (fourth / ".agents").exists()

    # Adding a skill, or a lockfile that no longer satisfies skills.json, needs the registry.
    added = world.tank("install", "--offline", "@alice/other", cwd=second, env=env)
    assert added.returncode == ExitCode.USAGE, added.stderr
    manifest = json.loads((second / "skills.json").read_text())
    manifest["skills"]["@alice/new"] = "^1.0.0"
    (second / "skills.json").write_text(json.dumps(manifest))
    stale = world.tank("install", "--offline", cwd=second, env=env)
    assert stale.returncode == ExitCode.NETWORK, stale.stderr
    assert "@alice/new is required by skills.json but not locked" in stale.stderr
    assert not connected(sock)
