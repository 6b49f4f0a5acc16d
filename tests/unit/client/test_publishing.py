"""The publish plan: what is uploaded, claimed and shown, built offline from a real folder."""

from __future__ import annotations

import pytest

from tank.client.config import RegistryMap
from tank.client.publishing import human_size, plan_publish
from tank.core.errors import ValidationError
from tank.core.integrity import sri_sha512
from tests.conftest import SkillFactory

ROUTES = RegistryMap("https://default.example", {"@corp": "https://corp.example"})


def test_plan_claims_the_hash_of_the_bytes_it_uploads(skill_factory: SkillFactory) -> None:
    folder = skill_factory(
        scope="corp", permissions={"subprocess": True}, files={"scripts/a.sh": "echo hi\n"}
    )
    plan = plan_publish(folder, routes=ROUTES)
    assert (plan.name, plan.version, plan.registry) == (
        "@corp/pdf",
        "1.0.0",
        "https://corp.example",
    )
    assert plan.integrity == sri_sha512(plan.data)
    assert plan.fields() == {"name": "@corp/pdf", "version": "1.0.0", "integrity": plan.integrity}
    assert plan.filename == "corp-pdf-1.0.0.tgz"
    summary = plan.as_dict()
    assert summary["dangerous"] is True and summary["permissions"] == {"subprocess": True}
    assert [f["path"] for f in summary["files"]] == ["SKILL.md", "scripts/a.sh", "skills.json"]
    assert summary["size"] == len(plan.data)
    assert "token" not in str(summary)


def test_private_is_claimed_only_when_asked(skill_factory: SkillFactory) -> None:
    plan = plan_publish(skill_factory(scope="acme"), routes=ROUTES, private=True)
    assert plan.registry == "https://default.example"
    assert plan.fields()["private"] == "true"


def test_an_invalid_skill_is_refused_before_anything_else(skill_factory: SkillFactory) -> None:
    folder = skill_factory(scope="acme")
    (folder / "skills.json").write_text('{"name": "@acme/other", "version": "one"}')
    with pytest.raises(ValidationError) as caught:
        plan_publish(folder, routes=ROUTES)
    assert len(caught.value.problems) >= 2


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_234_567, "1.2 MB")]
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text
