"""A registry that trickles its answers (one byte every half second) must not hang the CLI:
every request has an overall deadline, and a slow one is announced after a second.

The registry is a real HTTP server on loopback (:mod:`tests.functional.fake_registry`);
``tank`` runs as a real subprocess with ``TANK_HTTP_DEADLINE`` lowered to 2 s.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from tank.cli.exit_codes import ExitCode
from tests.conftest import SkillFactory, run_tank
from tests.functional.fake_registry import serve


def client_env(root: Path, url: str) -> dict[str, str]:
    """An isolated client (own config, cache, home) pointed at ``url``."""
    (root / "home").mkdir(exist_ok=True)
    return {
        "TANK_CONFIG_DIR": str(root / "config"),
        "TANK_CACHE_DIR": str(root / "cache"),
        "TANK_HOME": str(root / "home"),
        "TANK_NO_KEYRING": "1",
        "TANK_REGISTRY": url,
        "CI": "",
        "TANK_TOKEN": "",
        "NO_COLOR": "1",
    }


def test_trickling_registry_fails_within_the_deadline_and_says_so(
    skill_factory: SkillFactory, pack_skill: Callable[[Path], bytes], tmp_path: Path
) -> None:
    with serve() as registry:
        registry.add("@slow/tool", "1.0.0", pack_skill(skill_factory(scope="slow", name="tool")))
        registry.trickle = 0.5
        project = tmp_path / "p"
        project.mkdir()
        (project / "skills.json").write_text(json.dumps({"name": "p", "skills": {}}))
        env = {**client_env(tmp_path, registry.url), "TANK_HTTP_DEADLINE": "2"}
        began = time.monotonic()
        result = run_tank("install", "@slow/tool", cwd=project, env=env)
        took = time.monotonic() - began
    assert result.returncode == ExitCode.NETWORK, result.stderr
    assert took < 15, took  # 2 s of deadline plus start-up, on a loaded machine
    assert f"the registry at {registry.url} did not finish answering" in result.stderr
    assert "within 2 s" in result.stderr and "TANK_HTTP_DEADLINE" in result.stderr
    # Slower than a second: the user was told the client is waiting, and for how long.
    assert f"Waiting for the registry at {registry.url}" in result.stderr
    assert "giving up after 2 s" in result.stderr
    assert not (project / "skills.lock").exists()


def test_trickling_tarball_download_is_cut_off(
    skill_factory: SkillFactory, pack_skill: Callable[[Path], bytes], tmp_path: Path
) -> None:
    with serve() as registry:
        registry.add("@slow/tool", "1.0.0", pack_skill(skill_factory(scope="slow", name="tool")))
        project = tmp_path / "p"
        project.mkdir()
        (project / "skills.json").write_text(json.dumps({"name": "p", "skills": {}}))
        env = {**client_env(tmp_path, registry.url), "TANK_HTTP_DEADLINE": "2"}
        registry.trickle, registry.trickle_only = 0.5, "/tarball"  # documents answer at once
        began = time.monotonic()
        result = run_tank("install", "@slow/tool", cwd=project, env=env)
        took = time.monotonic() - began
    assert result.returncode == ExitCode.NETWORK, result.stderr
    assert took < 20, took
    assert "@slow/tool@1.0.0's tarball within" in result.stderr, result.stderr
    assert not (project / ".agents").exists()
