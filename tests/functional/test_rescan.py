"""Rescan + quarantine: a stricter rule set fails a stored version, which stops being served."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import select

from tank.core.errors import UsageError
from tank.scanner import RuleSet
from tank.scanner.rules import parse_rules
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import AuditEvent, Scope, User
from tank.server.errors import NotFound
from tank.server.services import publish as publish_service
from tank.server.services.auth import Principal
from tank.server.services.pipeline import Upload
from tank.server.services.rescan import parse_target, rescan
from tests.conftest import Server, SkillFactory

Pack = Callable[[Path], bytes]
MARKER = "zebra-protocol"
STRICT_RULE = f"""\
rules:
  - id: strict.zebra
    title: The zebra protocol
    category: malware
    severity: critical
    confidence: high
    description: A phrase a newer rule set learnt to distrust.
    remediation: Remove it.
    kinds: [markdown]
    patterns: ['{MARKER}']
    samples:
      malicious: [{{file: SKILL.md, text: "use the {MARKER}"}}]
      benign: [{{file: SKILL.md, text: "use the zebra"}}]
"""


def stricter_rules() -> RuleSet:
    """The shipped rules plus one that fails the marker phrase."""
    folder = resources.files("tank.scanner") / "rules"
    texts = {
        f"rules/{item.name}": item.read_text(encoding="utf-8")
        for item in folder.iterdir()
        if item.name.endswith(".yaml")
    }
    return parse_rules({**texts, "rules/strict.yaml": STRICT_RULE})


def make_user(reg: Registry, name: str = "alice") -> Principal:
    with write_session(reg.sessions) as session:
        user = User(username=name, password_hash="x")
        session.add(user)
        session.flush()
        session.add(Scope(name=name, owner_user_id=user.id))  # made with the account
        return Principal(user.id, name, 1, frozenset({"read", "publish"}))


def test_a_stricter_rescan_quarantines_and_moves_latest(
    server: Server, registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    notes = {"docs/notes.md": f"This skill speaks the {MARKER} when asked.\n"}
    for version, files in (("1.0.0", None), ("1.1.0", notes)):
        folder = skill_factory(scope="alice", version=version, files=files)
        doc = publish_service.publish(registry, alice, Upload(pack_skill(folder)))
        assert doc["verdict"] == "pass"  # the shipped rules do not mind the marker
    anon = server.client()
    assert anon.get("/v1/skills/@alice/pdf").json()["dist_tags"]["latest"] == "1.1.0"

    # The shipped rules change nothing.
    same = rescan(registry, "@alice/pdf")
    assert (same.scanned, same.changed, same.quarantined, same.errors) == (2, [], [], [])

    report = rescan(registry, "@alice/pdf", rules=stricter_rules())
    assert report.scanned == 2 and report.errors == []
    assert report.quarantined == ["@alice/pdf@1.1.0"]
    [change] = report.changed
    assert change["version"] == "1.1.0"
    assert change["before"]["verdict"] == "pass" and change["after"]["verdict"] == "fail"

    # Quarantined: never served, the documents say fail, latest moved to 1.0.0.
    tarball = anon.get("/v1/skills/@alice/pdf/1.1.0/tarball")
    assert tarball.status_code == 451, tarball.text
    assert tarball.json()["error"]["code"] == "version_unavailable"
    assert anon.get("/v1/skills/@alice/pdf/1.1.0/files/docs/notes.md").status_code == 451
    assert anon.get("/v1/skills/@alice/pdf/1.0.0/tarball").status_code == 200
    document = anon.get("/v1/skills/@alice/pdf").json()
    assert document["versions"]["1.1.0"]["verdict"] == "fail"
    assert document["dist_tags"]["latest"] == "1.0.0" and document["latest"] == "1.0.0"
    version = anon.get("/v1/skills/@alice/pdf/1.1.0").json()
    assert version["verdict"] == "fail"
    assert [f["rule"] for f in version["findings"]] == ["strict.zebra"]
    assert version["score_breakdown"]["static_analysis"]["points"] == 0

    # The audit history explains it (findings shown, content never).
    audit = anon.get("/v1/skills/@alice/pdf/audit").json()
    quarantined = audit["versions"][0]
    assert quarantined["version"] == "1.1.0" and quarantined["quarantined"] is True
    assert [h["reason"] for h in quarantined["history"]] == ["rescan", "rescan", "publish"]
    assert quarantined["history"][0]["verdict"] == "fail"
    assert quarantined["history"][0]["details"]["before"]["verdict"] == "pass"
    assert quarantined["findings"][0]["file"] == "docs/notes.md"
    with registry.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith("skill.quarantined"))
        ).all()
    assert [e.subject for e in events] == ["@alice/pdf@1.1.0"]

    # Rescanning again changes nothing more; one version alone can be named.
    again = rescan(registry, "@alice/pdf@1.1.0", rules=stricter_rules())
    assert (again.scanned, again.changed, again.quarantined) == (1, [], [])


def test_targets_are_checked(registry: Registry) -> None:
    assert parse_target("@a/b") == ("@a/b", None)
    assert parse_target("@a/b@1.2.3") == ("@a/b", "1.2.3")
    for bad in ("a/b", "@a", "@a/b@"):
        with pytest.raises(UsageError):
            parse_target(bad)
    with pytest.raises(UsageError):
        rescan(registry)  # neither a target nor --all
    with pytest.raises(NotFound):
        rescan(registry, "@nobody/nothing")
    assert rescan(registry, every=True).scanned == 0
