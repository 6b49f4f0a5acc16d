"""End to end: what the install policies and the resolver say when they refuse.

A real registry subprocess and the real CLI. The refusals must name what the user can act
on: a ``min_score`` refusal is one line per skill (``-v`` for the full breakdowns), a budget
violation of a dependency names the skill that pulled it in, a range typed on the command
line is blamed on the command line (not skills.json), and the score breakdown reads in the
score table's order whether it came from the registry or from the cache.
"""

from __future__ import annotations

import json

import pytest

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory
from tests.functional.test_cli_audit import locked_score
from tests.functional.test_cli_install import publish, snapshot, three

__all__ = ["three"]  # the fixture, shared with test_cli_install

#: The score table's order (docs/audit-score.md; the registry's scoring module).
TABLE_ORDER = [
    "code_signing",
    "static_analysis",
    "no_install_scripts",
    "reproducible_build",
    "sbom",
    "test_coverage",
    "community_reviews",
    "verified_publisher",
    "no_known_vulnerabilities",
]


@pytest.fixture
def chain(client_world: ClientWorld, skill_factory: SkillFactory) -> ClientWorld:
    """alice publishes base (asks for network) <- mid <- top (asks for nothing)."""
    token = client_world.publisher("alice")
    base = skill_factory(
        scope="alice", name="base", permissions={"network": {"outbound": ["api.example.com"]}}
    )
    publish(client_world, token, base)
    mid = skill_factory(scope="alice", name="mid", deps={"@alice/base": "^1.0.0"})
    publish(client_world, token, mid)
    top = skill_factory(scope="alice", name="top", deps={"@alice/mid": "^1"})
    publish(client_world, token, top)
    return client_world


def test_min_score_refusal_is_one_line_per_skill_and_v_shows_the_breakdowns(
    three: tuple[ClientWorld, str],
) -> None:
    world, _ = three
    probe = world.project("probe", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=probe).returncode == 0
    score = locked_score(probe, "@alice/top@1.0.0")
    too_high = score + 0.5
    detail = world.server.client().get("/v1/skills/@alice/top/1.0.0").json()
    missing = [n for n, i in detail["score_breakdown"].items() if i["points"] < i["max"]]
    assert missing  # the fixture's skills do not score 10

    project = world.root / "p"
    project.mkdir()
    text = json.dumps({"name": "p", "skills": {}, "audit": {"min_score": too_high}})
    (project / "skills.json").write_text(text + "\n")
    before = snapshot(project)
    result = world.tank("install", "@alice/top", cwd=project)
    assert result.returncode == ExitCode.AUDIT, result.stderr
    err = result.stderr
    for key in ("@alice/base@1.0.0", "@alice/mid@1.0.0", "@alice/top@1.0.0"):
        [line] = [ln for ln in err.splitlines() if f"{key} scores {score}/10" in ln]
        assert f"below audit.min_score {too_high:g}" in line
        assert "missing" in line and all(name in line for name in missing), line
    # No breakdown lines (one per item, under each skill) without -v: a pointer to -v instead.
    notes = [i["note"] for i in detail["score_breakdown"].values() if i["note"]]
    assert not any(note in err for note in notes), err
    assert "tank -v install" in err
    assert snapshot(project) == before

    verbose = world.tank("-v", "install", "@alice/top", cwd=project)
    assert verbose.returncode == ExitCode.AUDIT
    for name, item in detail["score_breakdown"].items():
        line = f"{name} {item['points']:g}/{item['max']:g} {item['note']}".rstrip()
        assert verbose.stderr.count(line) == 3, verbose.stderr  # once per refused skill
    assert snapshot(project) == before

    as_json = world.tank("install", "@alice/top", "--json", cwd=project)
    problems = json.loads(as_json.stdout)["error"]["problems"]
    assert len(problems) == 3 and all(missing[0] in p["message"] for p in problems)
    breakdowns = json.loads(as_json.stdout)["error"]["score_breakdowns"]
    assert breakdowns["@alice/top@1.0.0"] == detail["score_breakdown"]


def test_a_budget_violation_of_a_dependency_names_the_skills_that_pulled_it_in(
    chain: ClientWorld,
) -> None:
    world = chain
    project = world.root / "p"
    project.mkdir()
    (project / "skills.json").write_text('{"name": "p", "skills": {}, "permissions": {}}\n')
    result = world.tank("install", "@alice/top", cwd=project)
    assert result.returncode == ExitCode.PERMISSION_BUDGET, result.stderr
    assert (
        "@alice/base@1.0.0 (required by @alice/mid, via @alice/top) needs network.outbound "
        "api.example.com" in result.stderr
    ), result.stderr
    shown = world.tank("install", "@alice/top", "--json", cwd=project)
    [problem] = json.loads(shown.stdout)["error"]["problems"]
    assert "(required by @alice/mid, via @alice/top)" in problem["message"]

    # A skill the project asks for itself is named alone: nothing pulled it in.
    direct = world.tank("install", "@alice/base", cwd=project)
    assert "@alice/base@1.0.0 needs network.outbound api.example.com" in direct.stderr


def test_a_range_typed_on_the_command_line_is_blamed_on_the_command_line(
    chain: ClientWorld,
) -> None:
    world = chain
    project = world.project("p", {})
    typed = world.tank("install", "@alice/mid@^9", cwd=project)
    assert typed.returncode == ExitCode.RESOLUTION, typed.stderr
    hint = typed.stderr.split("hint: ", 1)[1]
    assert "@alice/mid@^9" in hint and "tank info @alice/mid" in hint, hint
    assert "skills.json" not in hint, hint
    unknown = world.tank("install", "@alice/nope@^1", cwd=project)
    assert unknown.returncode != ExitCode.OK
    assert "skills.json" not in unknown.stderr.split("hint: ", 1)[1], unknown.stderr

    # From skills.json, skills.json is still what to change.
    listed = world.project("q", {"@alice/mid": "^9"})
    result = world.tank("install", cwd=listed)
    assert result.returncode == ExitCode.RESOLUTION, result.stderr
    assert "loosen the version ranges in skills.json" in result.stderr


def test_the_breakdown_reads_in_table_order_fresh_and_from_the_cache(
    three: tuple[ClientWorld, str],
) -> None:
    world, _ = three
    project = world.project("p", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0

    def order(output: str) -> list[str]:
        lines = output.split("@alice/top 1.0.0\n", 1)[1].splitlines()
        return [ln.split()[0] for ln in lines if ln.split() and ln.split()[0] in TABLE_ORDER]

    fresh = world.tank("audit", "@alice/top", "--refresh", cwd=project)
    cached = world.tank("audit", "@alice/top", cwd=project)
    assert fresh.returncode == cached.returncode == ExitCode.OK, fresh.stderr + cached.stderr
    assert order(fresh.stdout) == order(cached.stdout) == TABLE_ORDER, fresh.stdout


def test_registry_hints_name_cli_commands_not_api_routes(chain: ClientWorld) -> None:
    world = chain
    project = world.project("p", {})
    for args in (("info", "@alice/base@9.9.9"), ("sbom", "@alice/base@9.9.9")):
        result = world.tank(*args, cwd=project)
        assert result.returncode == ExitCode.NOT_FOUND, result.stderr
        assert "/v1/" not in result.stderr.split("hint: ", 1)[1], result.stderr
        assert "`tank info @alice/base`" in result.stderr, result.stderr
