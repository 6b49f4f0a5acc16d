"""``tank diff`` end to end: the real CLI in a subprocess against a real registry."""

from __future__ import annotations

import json
from pathlib import Path

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory

NET = {"network": {"outbound": ["api.evil.dev"]}}


def publish(world: ClientWorld, folder: Path) -> None:
    result = world.tank("publish", str(folder))
    assert result.returncode == ExitCode.OK, result.stderr


def test_diff_two_versions_and_a_local_folder(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    assert world.tank("login", "--token-stdin", input=token).returncode == ExitCode.OK
    publish(world, skill_factory(scope="alice", files={"run.py": "print('a')\n"}))
    publish(
        world,
        skill_factory(
            scope="alice",
            version="2.0.0",
            permissions=NET,
            files={"run.py": "print('b')\n\x1b[2Jprint('c')\n"},
        ),
    )

    result = world.tank("diff", "@alice/pdf", "1.0.0", "2.0.0")
    assert result.returncode == ExitCode.OK, result.stderr
    out = result.stdout
    assert out.startswith("@alice/pdf 1.0.0 → 2.0.0\npermissions: additive_dangerous\n")
    assert "  + network.outbound api.evil.dev   [dangerous: escalation]" in out
    assert "required bump: MAJOR\n  - adds network.outbound api.evil.dev" in out
    assert "version bump: MAJOR: enough" in out
    assert "  M run.py" in out and "  M skills.json" in out
    assert "--- a/run.py\n+++ b/run.py\n" in out and "-print('a')\n+print('b')\n" in out
    assert "\x1b" not in out  # registry text cannot drive the terminal
    assert "+?[2Jprint('c')" in out

    stat = world.tank("diff", "@alice/pdf", "1.0.0", "2.0.0", "--stat").stdout
    assert "  M run.py" in stat and "--- a/run.py" not in stat

    as_json = json.loads(world.tank("diff", "@alice/pdf", "1.0.0", "2.0.0", "--json").stdout)
    assert as_json["required_bump"]["level"] == "major"
    assert as_json["permissions"]["added"]["network.outbound"] == ["api.evil.dev"]

    # a local folder that adds subprocess but only bumps the patch: told before publishing
    local = skill_factory(
        scope="alice",
        version="2.0.1",
        permissions={**NET, "subprocess": True},
        files={"run.py": "print('b')\n"},
    )
    result = world.tank("diff", str(local))
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stdout.startswith("@alice/pdf 2.0.0 → 2.0.1\n")
    assert "  + subprocess true   [dangerous: escalation]" in result.stdout
    assert "version bump: PATCH: NOT enough, publish as 3.0.0" in result.stdout
    refused = world.tank("publish", str(local))
    assert refused.returncode != ExitCode.OK
    assert "publish it as 3.0.0 (MAJOR)" in refused.stderr + refused.stdout

    missing = world.tank("diff", "@alice/pdf", "1.0.0", "9.0.0")
    assert missing.returncode == ExitCode.NOT_FOUND
    assert "has no version 9.0.0" in missing.stderr
    bad = world.tank("diff", "@alice/pdf", "1.0.0")
    assert bad.returncode == ExitCode.USAGE and "NAME V1 V2 or one DIR" in bad.stderr


def test_local_folder_with_nothing_published(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    result = world.tank("diff", str(skill_factory(scope="nobody")))
    assert result.returncode == ExitCode.NOT_FOUND
    assert "no skill named @nobody/pdf" in result.stderr
