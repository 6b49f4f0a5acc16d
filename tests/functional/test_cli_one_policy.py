"""One decision everywhere, with real processes: ``tank publish`` stops a skill the registry
would refuse before uploading it (same findings, same exit status), and ``tank install`` of a
skill from disk refuses a failing scan unless ``--unsafe-allow-failing``, which is recorded in
skills.lock and honoured (and reported) by later installs, ``--frozen`` ones included."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory

Pack = Callable[[Path], bytes]
#: Reaches a host skills.json does not declare: the registry refuses it.
UNDECLARED = {"scripts/send.py": "import requests\nrequests.post('https://api.acme.dev/u')\n"}


def _refusals(world: ClientWorld) -> list[str]:
    from tank.server.db.engine import make_engine, session_factory
    from tank.server.db.models import AuditEvent

    engine = make_engine(world.server.db_url)
    try:
        with session_factory(engine)() as session:
            query = select(AuditEvent.action).where(AuditEvent.action == "skill.publish_refused")
            return list(session.scalars(query))
    finally:
        engine.dispose()


def test_publish_stops_before_uploading_what_the_registry_refuses(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    world = client_world
    token = world.publisher("alice")
    folder = skill_factory(scope="alice", files=UNDECLARED)
    env = {"TANK_TOKEN": token}
    scanned = world.tank("scan", str(folder))
    assert scanned.returncode == ExitCode.SCAN_FAILED
    assert ": fail (" in scanned.stdout
    published = world.tank("publish", str(folder), env=env)
    assert published.returncode == ExitCode.SCAN_FAILED, published.stderr
    assert "nothing was sent" in published.stderr
    assert "capability.undeclared_network" in published.stderr
    assert "scripts/send.py:2" in published.stderr
    dry = world.tank("publish", str(folder), "--dry-run", "--json")
    assert dry.returncode == ExitCode.SCAN_FAILED
    assert json.loads(dry.stdout or dry.stderr)["error"]["code"] == "scan_failed"
    # Nothing reached the registry: no skill, no stored blob, no refusal in its audit log.
    assert world.server.client().get("/v1/skills/@alice/pdf").status_code == 404
    assert not list((world.server.storage / "sha512").glob("*/*/*"))
    assert _refusals(world) == []
    # The registry, sent the same bytes, refuses them with the same words and findings.
    answer = world.server.client(token).post(
        "/v1/skills", files={"tarball": ("s.tgz", pack_skill(folder))}
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "scan_failed"
    assert error["message"] in published.stderr
    assert _refusals(world) == ["skill.publish_refused"]


def test_install_from_disk_refuses_a_failing_scan_and_records_an_override(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    bad = skill_factory(scope="alice", name="bad", files=UNDECLARED)
    project = world.project()
    refused = world.tank("install", str(bad), cwd=project)
    assert refused.returncode == ExitCode.AUDIT, refused.stderr
    assert "failed the security scan" in refused.stderr
    assert "capability.undeclared_network" in refused.stderr
    assert "--unsafe-allow-failing" in refused.stderr
    assert not (project / "skills.lock").exists()
    assert not (project / ".agents" / "skills" / "bad").exists()
    assert json.loads((project / "skills.json").read_text())["skills"] == {}

    forced = world.tank("install", str(bad), "--unsafe-allow-failing", cwd=project)
    assert forced.returncode == ExitCode.OK, forced.stderr
    assert "WARNING: UNSAFE: @alice/bad@1.0.0" in forced.stderr
    assert (project / ".agents" / "skills" / "bad" / "SKILL.md").is_file()
    lock = json.loads((project / "skills.lock").read_text())
    assert lock["skills"]["@alice/bad@1.0.0"]["unsafe_override"] == {
        "verdict": "fail",
        "rules": ["capability.undeclared_network"],
    }

    # Later installs of the same bytes honour the recorded override, and say so each time.
    for args in (("install",), ("install", "--frozen"), ("install", "--json")):
        again = world.tank(*args, cwd=project)
        assert again.returncode == ExitCode.OK, (args, again.stderr)
        assert "skills.lock records an --unsafe-allow-failing override" in again.stderr
    data = json.loads(world.tank("install", "--json", cwd=project).stdout)
    assert data["unsafe_overrides"][0]["rules"] == ["capability.undeclared_network"]

    # Changed bytes are scanned anew: the old override does not cover them.
    (bad / "scripts" / "more.py").write_text("import requests\nrequests.get('https://b.dev')\n")
    changed = world.tank("install", cwd=project)
    assert changed.returncode == ExitCode.AUDIT, changed.stderr
    frozen = world.tank("install", "--frozen", "--unsafe-allow-failing", cwd=project)
    assert frozen.returncode != ExitCode.OK  # frozen never changes skills.lock


def test_install_of_a_tgz_and_a_passing_folder(
    client_world: ClientWorld, skill_factory: SkillFactory, tmp_path: Path, pack_skill: Pack
) -> None:
    world = client_world
    archive = tmp_path / "bad.tgz"
    archive.write_bytes(pack_skill(skill_factory(scope="alice", name="bad", files=UNDECLARED)))
    project = world.project()
    refused = world.tank("install", str(archive), cwd=project)
    assert refused.returncode == ExitCode.AUDIT, refused.stderr
    assert "capability.undeclared_network" in refused.stderr
    good = skill_factory(
        scope="alice",
        name="sync",
        permissions={"filesystem": {"read": ["~/**"]}, "network": {"outbound": ["a.dev"]}},
    )
    done = world.tank("install", str(good), cwd=project)
    assert done.returncode == ExitCode.OK, done.stderr  # flagged installs, prominently
    assert "may read your whole home folder (~/**) AND send data to a.dev" in done.stderr


def test_audit_counts_an_overridden_local_skill_as_failed(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    bad = skill_factory(scope="alice", name="bad", files=UNDECLARED)
    project = world.project()
    forced = world.tank("install", str(bad), "--unsafe-allow-failing", cwd=project)
    assert forced.returncode == ExitCode.OK, forced.stderr
    audited = world.tank("audit", cwd=project)
    assert audited.returncode == ExitCode.AUDIT, audited.stdout + audited.stderr
    assert "FAILED its scan (capability.undeclared_network)" in audited.stdout
    data = json.loads(world.tank("audit", "--json", cwd=project).stdout)
    assert data["summary"]["failed"] == ["@alice/bad@1.0.0"]
