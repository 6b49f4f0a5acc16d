"""The read side: latest selection, the pre-serialised document, ETag matching, gc."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import select

from tank.server.api.skills_read import etag_matches
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import Skill, SkillVersion
from tank.server.services import manage, skills
from tank.server.services import publish as publish_service
from tank.server.services.pipeline import Upload
from tests.conftest import SkillFactory
from tests.unit.server.test_publish import Pack, make_user


def _row(version: str, *, yanked: bool = False, deleted: bool = False) -> SkillVersion:
    from tank.server.db.models import utcnow

    return SkillVersion(
        version=version, yanked=yanked, verdict="pass", deleted_at=utcnow() if deleted else None
    )


def test_pick_latest_prefers_live_releases() -> None:
    rows = [_row("1.0.0"), _row("1.2.0", yanked=True), _row("1.1.0"), _row("2.0.0-rc.1")]
    assert skills.pick_latest(rows).version == "1.1.0"  # type: ignore[union-attr]
    assert skills.pick_latest([_row("1.0.0-a"), _row("1.0.0-b")]).version == "1.0.0-b"  # type: ignore[union-attr]
    assert skills.pick_latest([_row("1.0.0", deleted=True)]) is None


def test_etag_matching() -> None:
    assert etag_matches('"a"', '"a"')
    assert etag_matches('W/"a", "b"', '"a"')
    assert etag_matches("*", '"a"')
    assert not etag_matches('"b"', '"a"')
    assert not etag_matches(None, '"a"')


def test_document_is_rebuilt_on_every_write(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    for version in ("1.0.0", "1.1.0"):
        data = pack_skill(skill_factory(scope="alice", version=version))
        publish_service.publish(registry, alice, Upload(data))
    with registry.sessions() as session:
        skill = session.scalars(select(Skill)).one()
        before = skill.etag
        document = json.loads(skill.document)
        assert skill.etag == '"' + hashlib.sha256(skill.document).hexdigest() + '"'
    assert document["latest"] == "1.1.0" and list(document["versions"]) == ["1.0.0", "1.1.0"]
    with write_session(registry.sessions) as session:
        manage.set_yanked(session, registry.settings, alice, "@alice/pdf", "1.1.0", yanked=True)
    with registry.sessions() as session:
        skill = session.scalars(select(Skill)).one()
        assert skill.etag != before and skill.latest_version == "1.0.0"
        assert json.loads(skill.document)["versions"]["1.1.0"]["yanked"] is True


def test_full_name_accepts_both_scope_spellings(tmp_path: Path) -> None:
    assert skills.full_name("@acme", "pdf") == skills.full_name("acme", "pdf") == "@acme/pdf"
    assert skills.normalise_version("1.0.0+build") == "1.0.0"
    assert skills.normalise_version("nope") is None
