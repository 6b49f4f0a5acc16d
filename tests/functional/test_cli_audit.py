"""End to end: ``tank audit``, ``audit.min_score`` at install, and quarantined versions.

A real registry subprocess and the real CLI (the ``client_world`` fixture). A later rescan
is played by changing a version's verdict in the registry's database directly and rebuilding
the skill's document, as the registry does on every write.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory, set_verdict
from tests.functional.test_cli_install import publish, snapshot, three

__all__ = ["three"]  # the fixture, shared with test_cli_install


def copy_project(world: ClientWorld, source: Path, name: str) -> Path:
    """A fresh project with ``source``'s skills.json and skills.lock (nothing installed)."""
    target = world.root / name
    target.mkdir()
    for file in ("skills.json", "skills.lock"):
        shutil.copyfile(source / file, target / file)
    return target


def locked_score(project: Path, key: str) -> float:
    score: float = json.loads((project / "skills.lock").read_text())["skills"][key]["audit_score"]
    return score


def test_audit_shows_verdicts_scores_breakdowns_and_fails_like_npm_audit(
    three: tuple[ClientWorld, str],
) -> None:
    world, _ = three
    project = world.project("p", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    score = locked_score(project, "@alice/top@1.0.0")

    result = world.tank("audit", cwd=project)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    out = result.stdout
    for name in ("@alice/base 1.0.0", "@alice/mid 1.0.0", "@alice/top 1.0.0"):
        assert name in out
    assert f"score: {score}/10" in out and "verdict: pass" in out
    assert "3 skills (3 audited)" in out and "audit passed" in out

    data = json.loads(world.tank("audit", "--json", cwd=project).stdout)
    assert [s["name"] for s in data["skills"]] == ["@alice/base", "@alice/mid", "@alice/top"]
    top = data["skills"][2]
    assert top["audit_score"] == score and top["verdict"] == "pass"
    breakdown = top["score_breakdown"]
    assert set(breakdown) >= {"code_signing", "static_analysis", "sbom", "reproducible_build"}
    assert sum(item["points"] for item in breakdown.values()) == score
    lines = out.split("@alice/top 1.0.0\n", 1)[1].splitlines()
    for name, item in breakdown.items():  # each item: points/max and its note
        fraction = f"{item['points']:g}/{item['max']:g}"
        assert any(ln.split()[:2] == [name, fraction] and item["note"] in ln for ln in lines)
    assert data["summary"]["ok"] is True and data["summary"]["skills"] == 3

    one = world.tank("audit", "@alice/mid", "--json", cwd=project)
    assert [s["name"] for s in json.loads(one.stdout)["skills"]] == ["@alice/mid"]
    unknown = world.tank("audit", "@alice/mdi", cwd=project)
    assert unknown.returncode == ExitCode.NOT_FOUND
    assert "@alice/mdi is not installed" in unknown.stderr and "@alice/mid" in unknown.stderr

    # Below a minimum (the flag, then skills.json's audit.min_score): exit 13, like npm audit.
    strict = world.tank("audit", "--min-score", str(score + 0.5), cwd=project)
    assert strict.returncode == ExitCode.AUDIT, strict.stdout
    assert "3 below min score" in strict.stdout and "audit FAILED" in strict.stdout
    manifest = json.loads((project / "skills.json").read_text())
    manifest["audit"] = {"min_score": score + 0.5}
    (project / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n")
    assert world.tank("audit", cwd=project).returncode == ExitCode.AUDIT

    # A flagged version fails the audit (it still installs: only `fail` is refused).
    manifest.pop("audit")
    (project / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n")
    set_verdict(world.server.db_url, "@alice/mid", "1.0.0", "flagged")
    flagged = world.tank("audit", "--json", cwd=project)
    assert flagged.returncode == ExitCode.AUDIT
    assert json.loads(flagged.stdout)["summary"]["flagged"] == ["@alice/mid@1.0.0"]


def test_quarantined_version_is_refused_from_a_lockfile_and_a_warm_cache(
    three: tuple[ClientWorld, str],
) -> None:
    world, _ = three
    first = world.project("first", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=first).returncode == 0
    set_verdict(world.server.db_url, "@alice/mid", "1.0.0", "fail")  # a later rescan

    for args in (("install",), ("install", "--frozen")):
        fresh = copy_project(world, first, f"fresh-{len(args)}")
        before = snapshot(fresh)
        result = world.tank(*args, cwd=fresh)
        assert result.returncode == ExitCode.AUDIT, result.stderr
        assert "@alice/mid@1.0.0" in result.stderr and "quarantined" in result.stderr
        assert "@alice/top" not in result.stderr.split("\n")[0]
        assert snapshot(fresh) == before  # nothing linked, no file written

    audit = world.tank("audit", "--json", cwd=first)
    assert audit.returncode == ExitCode.AUDIT
    data = json.loads(audit.stdout)
    assert data["summary"]["failed"] == ["@alice/mid@1.0.0"]
    assert {s["name"]: s["verdict"] for s in data["skills"]}["@alice/mid"] == "fail"
    text = world.tank("audit", "@alice/mid", cwd=first).stdout
    assert "verdict: fail" in text and "1 failed" in text


def test_resolution_never_picks_a_failed_version(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    for version in ("1.0.0", "1.1.0"):
        publish(world, token, skill_factory(scope="alice", name="base", version=version))
    project = world.project("p", {"@alice/base": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    assert "@alice/base@1.1.0" in json.loads((project / "skills.lock").read_text())["skills"]

    set_verdict(world.server.db_url, "@alice/base", "1.1.0", "fail")
    fresh = world.project("fresh", {"@alice/base": "^1.0.0"})
    result = world.tank("install", cwd=fresh)
    assert result.returncode == 0, result.stderr
    assert list(json.loads((fresh / "skills.lock").read_text())["skills"]) == ["@alice/base@1.0.0"]
    # The project locked on the failed version: install refuses it, update moves off it.
    refused = world.tank("install", "--refresh", cwd=copy_project(world, project, "copy"))
    assert refused.returncode == ExitCode.AUDIT and "tank update" in refused.stderr
    moved = world.tank("update", "--json", cwd=project)
    assert moved.returncode == 0, moved.stderr
    change = json.loads(moved.stdout)["changes"][0]
    assert (change["from"], change["to"]) == ("1.1.0", "1.0.0")


def test_min_score_is_enforced_on_every_install_path(
    three: tuple[ClientWorld, str], skill_factory: SkillFactory
) -> None:
    world, _ = three
    probe = world.project("probe", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=probe).returncode == 0
    score = locked_score(probe, "@alice/top@1.0.0")
    too_high = score + 0.5

    project = world.root / "p"
    project.mkdir()
    text = json.dumps({"name": "p", "skills": {}, "audit": {"min_score": too_high}}, indent=4)
    (project / "skills.json").write_text(text + "\n")
    before = snapshot(project)
    result = world.tank("install", "@alice/top", cwd=project)
    assert result.returncode == ExitCode.AUDIT, result.stderr
    err = result.stderr
    assert "3 skills score below the project's audit.min_score" in err
    for key in ("@alice/base@1.0.0", "@alice/mid@1.0.0", "@alice/top@1.0.0"):
        assert f"{key} scores {score}/10, below audit.min_score {too_high:g}" in err
    detail = world.server.client().get("/v1/skills/@alice/top/1.0.0").json()
    for name, item in detail["score_breakdown"].items():  # summarised: the items short of max
        if item["points"] < item["max"]:
            assert f"{name} {item['points']:g}/{item['max']:g}" in err
    assert "lower audit.min_score in skills.json" in err and "(file:) are exempt" in err
    assert snapshot(project) == before

    # From a lockfile (also --frozen): the same refusal, before anything is linked.
    for args in (("install",), ("install", "--frozen")):
        fresh = copy_project(world, probe, f"locked-{len(args)}")
        manifest = json.loads((fresh / "skills.json").read_text())
        manifest["audit"] = {"min_score": too_high}
        (fresh / "skills.json").write_text(json.dumps(manifest) + "\n")
        refused = world.tank(*args, cwd=fresh)
        assert refused.returncode == ExitCode.AUDIT, refused.stderr
        assert not (fresh / ".agents").exists()

    # At the minimum it installs; skills from disk are exempt whatever their (no) score.
    text = json.dumps({"name": "p", "skills": {}, "audit": {"min_score": score}}, indent=4)
    (project / "skills.json").write_text(text + "\n")
    assert world.tank("install", "@alice/top", cwd=project).returncode == 0
    assert (project / "skills.json").read_text().startswith('{\n    "name": "p"')  # 4 spaces kept
    mine = skill_factory(scope="me", name="mine")
    local = world.tank("install", str(mine), cwd=project)
    assert local.returncode == 0, local.stderr
    shown = json.loads(world.tank("audit", "--json", "@me/mine", cwd=project).stdout)
    assert shown["skills"][0]["local"] is True and shown["summary"]["ok"] is True
    assert "local (installed from disk), not audited" in world.tank("audit", cwd=project).stdout
