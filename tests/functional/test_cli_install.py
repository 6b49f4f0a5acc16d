"""End to end: publish skills to a real registry subprocess, install them with the real CLI.

Every test runs ``tank`` as a subprocess against ``tank registry serve`` on loopback, with
its own config, cache and home folders (the ``client_world`` fixture).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory


def publish(world: ClientWorld, token: str, folder: Path) -> None:
    """Publish ``folder`` with ``tank publish`` as the holder of ``token``."""
    result = world.tank("publish", str(folder), env={"TANK_TOKEN": token})
    assert result.returncode == 0, result.stderr + result.stdout


def snapshot(root: Path) -> dict[str, object]:
    """Every file (bytes), folder and symlink (target) under ``root``, skipping Tank's lock."""
    out: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.name == ".tank-lock":
            continue
        if path.is_symlink():
            out[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            out[rel] = ("dir",)
        else:
            out[rel] = ("file", path.read_bytes(), path.stat().st_mode & 0o777)
    return out


@pytest.fixture
def three(client_world: ClientWorld, skill_factory: SkillFactory) -> tuple[ClientWorld, str]:
    """alice publishes base <- mid <- top (top declares network access)."""
    token = client_world.publisher("alice")
    publish(client_world, token, skill_factory(scope="alice", name="base", files={"ref.md": "b"}))
    mid = skill_factory(scope="alice", name="mid", deps={"@alice/base": "^1.0.0"},
                        files={"scripts/run.sh": "#!/bin/sh\necho mid\n"})  # fmt: skip
    (mid / "scripts/run.sh").chmod(0o755)
    publish(client_world, token, mid)
    publish(
        client_world,
        token,
        skill_factory(
            scope="alice",
            name="top",
            deps={"@alice/mid": "^1.0.0"},
            permissions={"network": {"outbound": ["api.example.com"]}},
        ),
    )
    return client_world, token


def test_install_lock_and_reinstall_byte_for_byte(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    first = world.project("first")
    result = world.tank("install", "@alice/top", cwd=first)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((first / "skills.json").read_text())
    assert manifest["skills"] == {"@alice/top": "^1.0.0"}
    lock = json.loads((first / "skills.lock").read_text())
    assert sorted(lock["skills"]) == ["@alice/base@1.0.0", "@alice/mid@1.0.0", "@alice/top@1.0.0"]
    assert lock["skills"]["@alice/top@1.0.0"]["dependencies"] == {"@alice/mid": "1.0.0"}
    assert lock["skills"]["@alice/mid@1.0.0"]["resolved"] == "/v1/skills/@alice/mid/1.0.0/tarball"
    assert lock["resolved_permissions"] == {"network": {"outbound": ["api.example.com"]}}
    for name in ("base", "mid", "top"):
        assert (first / ".agents/skills" / name / "SKILL.md").is_file()

    # A second project installs from the lockfile alone, to the same bytes.
    second = world.root / "second"
    second.mkdir()
    for name in ("skills.json", "skills.lock"):
        (second / name).write_bytes((first / name).read_bytes())
    again = world.tank("install", "--frozen", cwd=second)
    assert again.returncode == 0, again.stderr
    assert "Downloading" not in again.stderr  # the shared cache already has every tarball
    assert snapshot(second / ".agents/skills") == snapshot(first / ".agents/skills")
    assert snapshot(second / ".claude") == snapshot(first / ".claude")
    assert (second / "skills.lock").read_bytes() == (first / "skills.lock").read_bytes()
    mode = (second / ".agents/skills/mid/scripts/run.sh").stat().st_mode
    assert mode & 0o111  # the executable bit survived pack, cache and link

    # Nothing to do: answered by the fast path.
    noop = world.tank("install", cwd=second)
    assert noop.returncode == 0 and "Already up to date (3 skills)" in noop.stdout


def test_fresh_cache_downloads_and_lock_is_deterministic(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    one, two = (
        world.project("one", {"@alice/top": "^1"}),
        world.project("two", {"@alice/top": "^1"}),
    )
    assert world.tank("install", cwd=one).returncode == 0
    other_cache = {"TANK_CACHE_DIR": str(world.root / "cache-2")}
    result = world.tank("install", cwd=two, env=other_cache)
    assert result.returncode == 0, result.stderr
    assert "Downloading: 3" in result.stderr
    assert (one / "skills.lock").read_bytes() == (two / "skills.lock").read_bytes()


def test_tampered_cache_tarball_fails_naming_the_skill(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    first = world.project("first", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=first).returncode == 0
    lock = json.loads((first / "skills.lock").read_text())
    integrity = lock["skills"]["@alice/mid@1.0.0"]["integrity"]
    from tank.client.cache import ContentCache

    cached = ContentCache(world.root / "cache").tarball_file(integrity)
    data = bytearray(cached.read_bytes())
    data[-10] ^= 0xFF
    cached.write_bytes(bytes(data))

    second = world.root / "second"
    second.mkdir()
    for name in ("skills.json", "skills.lock"):
        (second / name).write_bytes((first / name).read_bytes())
    result = world.tank("install", cwd=second)
    assert result.returncode == ExitCode.INTEGRITY, result.stderr
    assert "@alice/mid@1.0.0" in result.stderr
    assert not (second / ".agents/skills/mid").exists()  # nothing was linked
    assert not (second / ".agents/skills/top").exists()


def test_tampered_registry_blob_fails_naming_the_skill(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    publish(world, token, skill_factory(scope="alice", name="base"))
    blobs = [p for p in world.server.storage.rglob("*") if p.is_file()]
    assert len(blobs) == 1
    # Same length, different bytes: a swapped blob, as a compromised storage would serve.
    data = bytearray(blobs[0].read_bytes())
    data[20] ^= 0x01
    blobs[0].write_bytes(bytes(data))
    project = world.project("p", {"@alice/base": "^1.0.0"})
    result = world.tank("install", cwd=project)
    assert result.returncode == ExitCode.INTEGRITY, result.stderr
    assert "@alice/base@1.0.0" in result.stderr
    assert not (project / ".agents/skills/base").exists()
    assert not (project / "skills.lock").exists()


def test_frozen_fails_on_a_stale_lockfile(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    project = world.project("p", {"@alice/mid": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    before = snapshot(project)
    manifest = json.loads((project / "skills.json").read_text())
    manifest["skills"]["@alice/top"] = "^1.0.0"
    (project / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n")
    before["skills.json"] = ("file", (project / "skills.json").read_bytes(), 0o644)
    for env, args in (({}, ("install", "--frozen")), ({"CI": "true"}, ("install",))):
        result = world.tank(*args, cwd=project, env=env)
        assert result.returncode == ExitCode.INVALID, result.stderr
        assert "@alice/top is required by skills.json but not locked" in result.stderr
        after = snapshot(project)
        after["skills.json"] = before["skills.json"]
        assert after == before


def test_budget_blocks_the_whole_install(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    project = world.project("p")
    manifest = {"name": "p", "skills": {"@alice/top": "^1.0.0"},
                "permissions": {"network": {"outbound": ["*.internal.example"]}}}  # fmt: skip
    (project / "skills.json").write_text(json.dumps(manifest))
    result = world.tank("install", cwd=project)
    assert result.returncode == ExitCode.PERMISSION_BUDGET, result.stderr
    assert "@alice/top@1.0.0" in result.stderr and "api.example.com" in result.stderr
    assert "network.outbound" in result.stderr
    assert not (project / ".agents").exists()
    assert not (project / "skills.lock").exists()
    # Widening the budget lets it through, and the lockfile records the check.
    manifest["permissions"] = {"network": {"outbound": ["api.example.com"]}}
    (project / "skills.json").write_text(json.dumps(manifest))
    assert world.tank("install", cwd=project).returncode == 0
    assert json.loads((project / "skills.lock").read_text())["permission_budget_check"] == "pass"
    shown = json.loads(world.tank("permissions", "--json", cwd=project).stdout)
    assert shown["locked"]["budget_check"] == "pass"
    assert shown["locked"]["permissions"] == {"network": {"outbound": ["api.example.com"]}}


def test_refuses_folders_it_did_not_install(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    project = world.project("p", {"@alice/top": "^1.0.0"})
    mine = project / ".claude/skills/base"
    mine.mkdir(parents=True)
    (mine / "SKILL.md").write_text("my own skill")
    result = world.tank("install", cwd=project)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "was not installed by Tank" in result.stderr and str(mine) in result.stderr
    assert (mine / "SKILL.md").read_text() == "my own skill"
    assert not (project / ".agents/skills/top").exists()


def test_same_skill_name_in_two_scopes_conflicts(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    publish(world, world.publisher("alice"), skill_factory(scope="alice", name="pdf"))
    publish(world, world.publisher("bob"), skill_factory(scope="bob", name="pdf"))
    project = world.project("p", {"@alice/pdf": "^1.0.0", "@bob/pdf": "^1.0.0"})
    result = world.tank("install", cwd=project)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "@alice/pdf" in result.stderr and "@bob/pdf" in result.stderr
    assert not (project / ".agents/skills/pdf").exists()


def test_remove_deletes_folders_links_and_orphans(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    project = world.project("p", {"@alice/top": "^1.0.0"})
    (project / ".windsurf").mkdir()  # a detected agent: gets links too
    assert world.tank("install", cwd=project).returncode == 0
    assert (project / ".windsurf/skills/top").is_symlink()
    result = world.tank("remove", "@alice/top", cwd=project)
    assert result.returncode == 0, result.stderr
    for folder in (".agents/skills", ".claude/skills", ".windsurf/skills"):
        assert list((project / folder).iterdir()) == []
    assert json.loads((project / "skills.json").read_text())["skills"] == {}
    assert json.loads((project / "skills.lock").read_text())["skills"] == {}


def test_update_shows_old_new_and_escalation(
    three: tuple[ClientWorld, str], skill_factory: SkillFactory
) -> None:
    world, token = three
    project = world.project("p", {"@alice/base": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    publish(
        world,
        token,
        skill_factory(scope="alice", name="base", version="2.0.0",
                      permissions={"subprocess": True}),
    )  # fmt: skip
    within = world.tank("update", cwd=project)
    assert within.returncode == 0 and "Already up to date" in within.stdout
    # The first install recorded the budget (base needs nothing): the escalation is refused
    # until the user widens it, then shown.
    refused = world.tank("update", "--latest", cwd=project)
    assert refused.returncode == ExitCode.PERMISSION_BUDGET, refused.stderr
    manifest = json.loads((project / "skills.json").read_text())
    assert manifest["permissions"] == {}
    (project / "skills.json").write_text(
        json.dumps(manifest | {"permissions": {"subprocess": True}})
    )
    result = world.tank("update", "--latest", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["permissions_granted"] == [
        {"permission": "subprocess", "item": "true"}
    ]
    change = json.loads(result.stdout)["changes"][0]
    assert change["from"] == "1.0.0" and change["to"] == "2.0.0"
    assert change["permission_change"] == "additive_dangerous"
    assert change["permissions_added"] == ["subprocess true"]
    assert json.loads((project / "skills.json").read_text())["skills"] == {"@alice/base": "^2.0.0"}


def test_claude_code_and_codex_layouts(three: tuple[ClientWorld, str]) -> None:
    """DESIGN.md: canonical copy in .agents/skills (Codex reads it), relative symlink in
    .claude/skills for Claude Code; the same under the home folder with -g."""
    world, _ = three
    project = world.project("p")
    assert world.tank("install", "@alice/base", cwd=project).returncode == 0
    canonical = project / ".agents/skills/base"
    assert canonical.is_dir() and not canonical.is_symlink()
    assert (canonical / "SKILL.md").read_text().startswith("---\nname: base\n")
    link = project / ".claude/skills/base"
    assert link.is_symlink() and os.readlink(link) == "../../.agents/skills/base"
    assert (link / "SKILL.md").read_bytes() == (canonical / "SKILL.md").read_bytes()

    home = Path(world.env["TANK_HOME"])
    result = world.tank("install", "-g", "@alice/base", cwd=world.root)
    assert result.returncode == 0, result.stderr
    assert (home / ".agents/skills/base/SKILL.md").is_file()
    assert os.readlink(home / ".claude/skills/base") == "../../.agents/skills/base"
    global_manifest = Path(world.env["TANK_CONFIG_DIR"]) / "global" / "skills.json"
    assert json.loads(global_manifest.read_text())["skills"] == {"@alice/base": "^1.0.0"}
    listed = json.loads(world.tank("list", "-g", "--json", cwd=world.root).stdout)
    assert [s["name"] for s in listed["skills"]] == ["@alice/base"]


def test_killed_install_leaves_the_project_as_it_was(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    names = [f"s{i:02d}" for i in range(24)]
    for name in names:
        body = {f"references/{k}.md": os.urandom(4000).hex() for k in range(8)}
        publish(world, token, skill_factory(scope="alice", name=name, files=body))
    project = world.project("p", {"@alice/s00": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    before = snapshot(project)
    manifest = {"name": "p", "skills": {f"@alice/{n}": "^1.0.0" for n in names}}
    (project / "skills.json").write_text(json.dumps(manifest))
    before["skills.json"] = ("file", (project / "skills.json").read_bytes(), 0o644)
    env = {**os.environ, **world.env, "TANK_CACHE_DIR": str(world.root / "cold")}
    outcomes = set()
    for delay in (0.1, 0.4, 0.7, 1.0, 1.3):
        process = subprocess.Popen(
            [sys.executable, "-m", "tank.cli.main", "install"],
            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # The next Tank command recovers a journal left mid-switch; then the project is
        # either exactly as before or completely installed, never a mix.
        from tank.client.installer import recover_project
        from tank.client.paths import project_paths

        recover_project(project_paths(project))
        now = snapshot(project)
        if now == before:
            outcomes.add("unchanged")
        else:
            assert not list((project / ".agents").glob(".tank-*-*")), "leftovers after recovery"
            assert sorted(p.name for p in (project / ".agents/skills").iterdir()) == names
            assert json.loads((project / "skills.lock").read_text())["skills"]
            outcomes.add("complete")
            break
    assert "unchanged" in outcomes


def test_install_from_a_local_folder_and_tarball(
    three: tuple[ClientWorld, str], skill_factory: SkillFactory
) -> None:
    world, _ = three
    project = world.project("p")
    folder = skill_factory(scope="me", name="mine", deps={"@alice/base": "^1.0.0"})
    result = world.tank("install", str(folder), cwd=project)
    assert result.returncode == 0, result.stderr
    spec = json.loads((project / "skills.json").read_text())["skills"]["@me/mine"]
    assert spec.startswith("file:") and spec.endswith("/mine")
    lock = json.loads((project / "skills.lock").read_text())
    assert lock["skills"]["@me/mine@1.0.0"]["resolved"] == spec
    assert lock["skills"]["@me/mine@1.0.0"]["dependencies"] == {"@alice/base": "1.0.0"}
    assert (project / ".agents/skills/mine/SKILL.md").is_file()

    # Editing the folder makes the lockfile stale: frozen fails, a normal install re-locks.
    (folder / "SKILL.md").write_text((folder / "SKILL.md").read_text() + "\nMore steps.\n")
    frozen = world.tank("install", "--frozen", cwd=project)
    assert frozen.returncode == ExitCode.INVALID and "changed since it was locked" in frozen.stderr
    assert world.tank("install", cwd=project).returncode == 0
    assert (project / ".agents/skills/mine/SKILL.md").read_text().endswith("More steps.\n")

    packed = world.tank("pack", str(folder), "--out", str(world.root), "--json")
    tarball = json.loads(packed.stdout)["path"]
    other = world.project("other")
    result = world.tank("install", tarball, cwd=other)
    assert result.returncode == 0, result.stderr
    assert (other / ".agents/skills/mine/SKILL.md").read_text().endswith("More steps.\n")
    removed = world.tank("remove", "@me/mine", cwd=other)
    assert removed.returncode == 0, removed.stderr
    assert not (other / ".agents/skills/mine").exists()
    assert "@me/mine" not in json.loads((other / "skills.json").read_text())["skills"]


def test_lockfile_pointing_at_another_tarball_is_refused(three: tuple[ClientWorld, str]) -> None:
    """Lockfile injection: a lock entry whose resolved path (and integrity) were swapped for
    another package's must not install that other package under this name."""
    world, _ = three
    first = world.project("first", {"@alice/base": "^1.0.0"})
    assert world.tank("install", cwd=first).returncode == 0
    lock = json.loads((first / "skills.lock").read_text())
    entry = lock["skills"]["@alice/base@1.0.0"]
    entry["resolved"] = "/v1/skills/@alice/top/1.0.0/tarball"
    other = world.project("other", {"@alice/base": "^1.0.0"})
    (other / "skills.lock").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    result = world.tank("install", cwd=other, env={"TANK_CACHE_DIR": str(world.root / "c2")})
    assert result.returncode == ExitCode.INTEGRITY, result.stderr
    assert "@alice/base@1.0.0" in result.stderr and "resolves it to" in result.stderr
    assert not (other / ".agents/skills/base").exists()
