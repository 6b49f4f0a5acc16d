"""The registry as a Claude Code plugin marketplace: the catalogue, read back with Tank's own
strict parser, and the plugin repositories it points at, cloned with the real git client."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tank.core.marketplace import parse_marketplace
from tank.core.pack import pack_folder
from tests.conftest import Server, SkillFactory, set_verdict
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]
CATALOGUE = "/v1/marketplace/{}/.claude-plugin/marketplace.json"


def _clone(url: str, target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", url, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"GIT_TERMINAL_PROMPT": "0", "PATH": "/usr/bin:/bin", "HOME": str(target.parent)},
    )


def test_marketplace_lists_clean_latest_versions_and_serves_them_by_git(
    server_factory: Callable[..., Server],
    skill_factory: SkillFactory,
    pack_skill: Pack,
    tmp_path: Path,
) -> None:
    curated = json.dumps(["@alice/pdf", "@alice/flag", "@nobody/none"])
    server = server_factory(env={"TANK_REGISTRY_MARKETPLACE_CURATED": curated})
    alice = login(server, "alice")
    pdf = skill_factory(scope="alice", name="pdf", files={"scripts/run.sh": "#!/bin/sh\necho hi\n"})
    (pdf / "scripts" / "run.sh").chmod(0o755)
    assert post(alice, pack_skill(pdf)).status_code == 201
    for version in ("1.0.0", "1.1.0"):
        assert post(alice, pack_skill(skill_factory(scope="alice", name="old", version=version)))
    assert alice.post("/v1/skills/@alice/old/1.1.0/yank", json={"reason": "bad"}).is_success
    assert post(alice, pack_skill(skill_factory(scope="alice", name="flag"))).status_code == 201
    set_verdict(server.db_url, "@alice/flag", "1.0.0", "flagged")
    hidden = pack_skill(skill_factory(scope="alice", name="hidden"))
    assert post(alice, hidden, private="true").status_code == 201
    assert post(alice, pack_skill(skill_factory(scope="alice", name="noted"))).status_code == 201
    set_verdict(server.db_url, "@alice/noted", "1.0.0", "pass_with_notes")

    answer = server.client().get(CATALOGUE.format("@alice"))
    assert answer.status_code == 200, answer.text
    market = parse_marketplace(answer.content)
    assert market.name == "tank-alice" and market.owner.name == "@alice"
    listed = {p.name: p for p in market.plugins}
    assert sorted(listed) == ["noted", "old", "pdf"]  # flagged and private: not listed
    assert listed["old"].version == "1.0.0"  # 1.1.0 is yanked
    source = listed["pdf"].source
    assert source.kind == "url"
    assert source.location == f"{server.url}/v1/marketplace/@alice/pdf.git"

    clone = tmp_path / "clone"
    done = _clone(source.location, clone)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((clone / ".claude-plugin" / "plugin.json").read_text())
    assert manifest["name"] == "pdf" and manifest["version"] == "1.0.0"
    assert (clone / ".plugin" / "plugin.json").read_bytes() == (
        clone / ".claude-plugin" / "plugin.json"
    ).read_bytes()
    assert (clone / "skills/pdf/scripts/run.sh").stat().st_mode & 0o100
    # The skill inside the plugin is the published one, byte for byte.
    published = server.client().get("/v1/skills/@alice/pdf/1.0.0").json()["integrity"]
    assert pack_folder(clone / "skills" / "pdf").integrity == published

    for name in ("flag", "hidden"):
        refused = _clone(f"{server.url}/v1/marketplace/@alice/{name}.git", tmp_path / name)
        assert refused.returncode != 0 and not (tmp_path / name / "skills").exists()

    curated_market = parse_marketplace(server.client().get(CATALOGUE.format("curated")).content)
    assert [p.name for p in curated_market.plugins] == ["pdf"]
    assert server.client().get(CATALOGUE.format("alice")).status_code == 404
    empty = parse_marketplace(server.client().get(CATALOGUE.format("@nobody")).content)
    assert empty.plugins == ()
