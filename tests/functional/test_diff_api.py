"""``GET /v1/skills/{name}/diff/{v1}/{v2}`` on the real registry (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import update

from tank.server.db.engine import make_engine
from tank.server.db.models import SkillVersion
from tests.conftest import Server, SkillFactory
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]
SECRET_LINE = "print('the secret algorithm')"


def two_versions(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    first = skill_factory(
        scope="alice",
        version="1.0.0",
        files={"scripts/run.py": "print('a')\nprint('same')\n", "old.txt": "bye\n"},
    )
    second = skill_factory(
        scope="alice",
        version="2.0.0",
        permissions={"network": {"outbound": ["api.evil.dev"]}},
        files={
            "scripts/run.py": f"{SECRET_LINE}\nprint('same')\n",
            "assets/logo.bin": b"\x00\x01\x02",
        },
    )
    assert post(alice, pack_skill(first)).status_code == 201
    assert post(alice, pack_skill(second)).status_code == 201


def test_diff_document(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    two_versions(server, skill_factory, pack_skill)
    anyone = server.client()
    answer = anyone.get("/v1/skills/@alice/pdf/diff/1.0.0/2.0.0")
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert (doc["name"], doc["from"], doc["to"]) == ("@alice/pdf", "1.0.0", "2.0.0")
    assert doc["permissions"] == {
        "added": {
            "network.max_requests_per_minute": ["unlimited"],
            "network.outbound": ["api.evil.dev"],
        },
        "removed": {},
        "change": "additive_dangerous",
    }
    assert doc["interface"] == {"changes": []}
    assert doc["required_bump"] == {
        "level": "major",
        "reasons": ["adds network.outbound api.evil.dev, a dangerous permission"],
    }
    assert doc["bump"] == {"actual": "major", "satisfied": True, "suggested": "2.0.0"}
    files = doc["files"]
    assert [(f["path"], f["kind"]) for f in files["added"]] == [("assets/logo.bin", "added")]
    assert files["added"][0]["note"] == "binary, 3 bytes"
    assert [f["path"] for f in files["removed"]] == ["old.txt"]
    changed = {f["path"]: f for f in files["changed"]}
    assert set(changed) == {"scripts/run.py", "skills.json"}
    run = changed["scripts/run.py"]
    assert run["kind"] == "content"
    assert run["diff"] == (
        "--- a/scripts/run.py\n+++ b/scripts/run.py\n@@ -1,2 +1,2 @@\n"
        f"-print('a')\n+{SECRET_LINE}\n print('same')\n"
    )
    assert '+  "version": "2.0.0",' in changed["skills.json"]["diff"]
    # the same through the /api/v1 alias and with the scope url-encoded
    assert anyone.get("/api/v1/skills/%40alice/pdf/diff/1.0.0/2.0.0").json() == doc
    # backwards: no bump to judge, permissions removed
    back = anyone.get("/v1/skills/@alice/pdf/diff/2.0.0/1.0.0").json()
    assert back["bump"] is None and back["permissions"]["change"] == "removal"
    assert back["permissions"]["removed"]["network.outbound"] == ["api.evil.dev"]
    same = anyone.get("/v1/skills/@alice/pdf/diff/1.0.0/1.0.0").json()
    assert same["files"] == {"added": [], "removed": [], "changed": []}
    assert same["required_bump"] == {"level": "patch", "reasons": []}


def test_unknown_deleted_and_failed_versions(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    two_versions(server, skill_factory, pack_skill)
    anyone = server.client()
    for path in ("/v1/skills/@alice/pdf/diff/1.0.0/9.9.9", "/v1/skills/@alice/pdf/diff/x/1.0.0"):
        answer = anyone.get(path)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "version_not_found"
    assert anyone.get("/v1/skills/@alice/nope/diff/1.0.0/2.0.0").status_code == 404
    engine = make_engine(server.db_url)
    with engine.begin() as conn:
        conn.execute(
            update(SkillVersion).where(SkillVersion.version == "2.0.0").values(verdict="fail")
        )
    engine.dispose()
    for path in ("diff/1.0.0/2.0.0", "diff/2.0.0/1.0.0"):
        answer = anyone.get(f"/v1/skills/@alice/pdf/{path}")
        assert answer.status_code == 451
        assert answer.json()["error"]["code"] == "version_unavailable"
        assert "secret algorithm" not in answer.text  # no content of a failed version


def test_unpublished_version_is_gone(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    for version in ("1.0.0", "1.0.1"):
        assert (
            post(alice, pack_skill(skill_factory(scope="alice", version=version))).status_code
            == 201
        )
    assert alice.delete("/v1/skills/@alice/pdf/1.0.1").status_code == 200
    answer = server.client().get("/v1/skills/@alice/pdf/diff/1.0.0/1.0.1")
    assert answer.status_code == 410 and answer.json()["error"]["code"] == "version_deleted"


def test_private_skill_diff_is_404_to_outsiders(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    bob = login(server, "bob")
    for version in ("1.0.0", "1.0.1"):
        data = pack_skill(skill_factory(scope="alice", name="secret", version=version))
        assert post(alice, data, private="true").status_code == 201
    path = "/v1/skills/@alice/secret/diff/1.0.0/1.0.1"
    for outsider in (server.client(), bob):
        answer = outsider.get(path)
        assert answer.status_code == 404, answer.text
        assert answer.json()["error"]["code"] == "skill_not_found"
    # unknown versions of a private skill do not tell it exists either
    assert bob.get("/v1/skills/@alice/secret/diff/1.0.0/7.7.7").json()["error"]["code"] == (
        "skill_not_found"
    )
    mine = alice.get(path)
    assert mine.status_code == 200 and mine.json()["to"] == "1.0.1"


def test_openapi_describes_the_route(server: Server) -> None:
    spec = server.client().get("/v1/openapi.json").json()
    route = spec["paths"]["/v1/skills/{scope}/{name}/diff/{v1}/{v2}"]["get"]
    ok = route["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/VersionDiff"}
    assert {"404", "451"} <= set(route["responses"])
    assert "from" in spec["components"]["schemas"]["VersionDiff"]["properties"]
