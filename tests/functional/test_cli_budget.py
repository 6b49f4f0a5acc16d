"""One budget rule for every project (README "Client", docs/formats.md).

A project without ``permissions`` has no budget yet: the first install that locks skills
records one equal to exactly what they need, writes it to skills.json and prints it; from
then on it is enforced. ``tank init --project`` starts a project the same way. Every install
prints the permissions it grants.
"""

from __future__ import annotations

import json

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory
from tests.functional.test_cli_install import publish, three  # noqa: F401 (fixture)

NEEDS = {"network": {"outbound": ["api.example.com"]}}


def test_first_install_records_the_budget_then_enforces_it(
    three: tuple[ClientWorld, str],  # noqa: F811
    skill_factory: SkillFactory,
) -> None:
    world, token = three
    folder = world.root / "fresh"
    folder.mkdir()
    result = world.tank("install", "@alice/top", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Permissions granted" in result.stdout
    assert "network.outbound api.example.com" in result.stdout
    assert "budget" in result.stdout  # says it was recorded in skills.json
    manifest = json.loads((folder / "skills.json").read_text())
    assert manifest["permissions"] == NEEDS
    lock = json.loads((folder / "skills.lock").read_text())
    assert lock["permission_budget_check"] == "pass"

    # From now on the budget is enforced: a skill needing more is refused (no TTY here).
    publish(world, token, skill_factory(scope="alice", name="shell",
                                        permissions={"subprocess": True}))  # fmt: skip
    before = (folder / "skills.json").read_bytes()
    refused = world.tank("install", "@alice/shell", cwd=folder)
    assert refused.returncode == ExitCode.PERMISSION_BUDGET, refused.stderr
    assert "subprocess" in refused.stderr
    assert (folder / "skills.json").read_bytes() == before


def test_init_then_install_matches_install_alone(three: tuple[ClientWorld, str]) -> None:  # noqa: F811
    world, _ = three
    started = world.root / "started"
    started.mkdir()
    init = world.tank("init", "--project", "--yes", cwd=started)
    assert init.returncode == 0, init.stderr + init.stdout
    assert "permissions" not in json.loads((started / "skills.json").read_text())
    result = world.tank("install", "@alice/top", "--json", cwd=started)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["budget"] == "recorded"
    assert {"permission": "network.outbound", "item": "api.example.com"} in report[
        "permissions_granted"
    ]
    assert json.loads((started / "skills.json").read_text())["permissions"] == NEEDS

    # Nothing new: nothing granted, the budget unchanged.
    again = world.tank("install", "--json", cwd=started)
    assert json.loads(again.stdout)["permissions_granted"] == []
    assert json.loads(again.stdout)["budget"] == "unchanged"


def test_an_explicit_empty_budget_denies_everything(three: tuple[ClientWorld, str]) -> None:  # noqa: F811
    world, _ = three
    project = world.project("p")
    manifest = json.loads((project / "skills.json").read_text()) | {"permissions": {}}
    (project / "skills.json").write_text(json.dumps(manifest))
    refused = world.tank("install", "@alice/top", cwd=project)
    assert refused.returncode == ExitCode.PERMISSION_BUDGET, refused.stderr
