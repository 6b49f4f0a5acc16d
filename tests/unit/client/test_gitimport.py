"""What ``tank registry import`` reads from real git repositories on disk: names under the
import's scope, versions, and the provenance of each skill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.client.gitimport import read_sources
from tank.core.errors import TankError, UsageError
from tests.gitrepos import Repo, make_repo, skill_md

OWN = {"name": "@acme/own", "version": "1.2.0", "description": "Its own skills.json."}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    made = make_repo(tmp_path_factory.mktemp("git"))
    made.commit(
        {
            "skills/pdf/SKILL.md": skill_md("pdf"),
            "skills/own/SKILL.md": skill_md("own"),
            "skills/own/skills.json": json.dumps(OWN),
        }
    )
    return made


def test_skills_are_named_under_the_scope_with_their_provenance(repo: Repo, tmp_path: Path) -> None:
    found = read_sources([repo.url], tmp_path, every=True, scope="@mirror")
    by_name = {s.name: s for s in found}
    assert set(by_name) == {"@mirror/pdf", "@acme/own"}
    pdf, own = by_name["@mirror/pdf"], by_name["@acme/own"]
    assert pdf.url == f"file://{repo.bare}" and pdf.path == "skills/pdf"
    assert len(pdf.commit) == 40 and pdf.version == f"0.0.0+g{pdf.commit[:12]}"
    assert own.version == "1.2.0" and own.commit == pdf.commit
    assert pdf.integrity.startswith("sha512-")
    # The same commit packs to the same bytes: what makes a re-import a no-op.
    again = read_sources([f"{repo.url}#:skills/pdf"], tmp_path, scope="mirror")
    assert [(s.name, s.integrity) for s in again] == [("@mirror/pdf", pdf.integrity)]


def test_version_override_names_only_skills_without_skills_json(repo: Repo, tmp_path: Path) -> None:
    [pdf] = read_sources([f"{repo.url}#:skills/pdf"], tmp_path, scope="@m", version="2.0.0")
    assert pdf.version == "2.0.0"
    with pytest.raises(UsageError) as given:
        read_sources([f"{repo.url}#:skills/own"], tmp_path, version="2.0.0")
    assert given.value.code == "git_version_given"


@pytest.mark.parametrize(
    ("scope", "version", "code"),
    [
        (None, None, "git_needs_scope"),
        ("@a/b", None, "bad_scope"),
        ("@m", "one", "invalid_version"),
    ],
)
def test_refusals(
    repo: Repo, tmp_path: Path, scope: str | None, version: str | None, code: str
) -> None:
    with pytest.raises(TankError) as refused:
        read_sources([f"{repo.url}#:skills/pdf"], tmp_path, scope=scope, version=version)
    assert refused.value.code == code
