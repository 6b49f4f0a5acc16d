"""Reading skills over HTTP: documents, versions, tarballs, files, deps, private skills."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tank.core.integrity import sri_sha512
from tests.conftest import Server, SkillFactory
from tests.functional.test_publish_api import PASSWORD, login, post

Pack = Callable[[Path], bytes]
IMMUTABLE = "public, max-age=31536000, immutable"


def test_document_version_tarball_and_files(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    folder = skill_factory(
        scope="alice",
        files={"references/guide.md": "héllo\n", "assets/logo.bin": b"\xff\xfe\x00\x01"},
    )
    data = pack_skill(folder)
    assert post(alice, data).status_code == 201
    anon = server.client()

    # the document: pre-serialised, strong ETag, 304 on revalidation
    first = anon.get("/v1/skills/@alice/pdf")
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == "public, max-age=300"  # npm registry: 300 s
    assert first.json()["versions"]["1.0.0"]["verdict"] == "pass"
    again = anon.get("/v1/skills/@alice/pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    assert (
        anon.get("/v1/skills/@alice/pdf", headers={"If-None-Match": '"other"'}).status_code == 200
    )
    # URL-encoded forms and the alias reach the same resource
    for path in ("/v1/skills/%40alice/pdf", "/v1/skills/@alice%2Fpdf", "/api/v1/skills/@alice/pdf"):
        assert anon.get(path).headers["etag"] == etag, path

    # the version
    version = anon.get("/v1/skills/@alice/pdf/1.0.0").json()
    assert version["integrity"] == sri_sha512(data)
    assert version["publisher"] == "alice" and version["published_at"].endswith("Z")
    assert {f["path"] for f in version["files"]} == {
        "SKILL.md",
        "skills.json",
        "references/guide.md",
        "assets/logo.bin",
    }
    assert all(len(f["sha256"]) == 64 for f in version["files"])
    assert set(version) >= {
        "manifest",
        "permissions",
        "verdict",
        "audit_score",
        "score_breakdown",
        "dependencies",
        "yanked",
        "reproducible",
    }
    assert anon.get("/v1/skills/@alice/pdf/9.9.9").status_code == 404
    assert anon.get("/v1/skills/@alice/pdf/not-a-version").status_code == 404

    # the tarball: the uploaded bytes, immutable caching, strong ETag
    tar = anon.get("/v1/skills/@alice/pdf/1.0.0/tarball")
    assert tar.status_code == 200 and tar.content == data
    assert tar.headers["content-type"] == "application/gzip"
    assert tar.headers["cache-control"] == IMMUTABLE
    assert tar.headers["etag"] == f'"{sri_sha512(data)}"'
    cached = anon.get(
        "/v1/skills/@alice/pdf/1.0.0/tarball", headers={"If-None-Match": tar.headers["etag"]}
    )
    assert cached.status_code == 304

    # files, by archive member name
    text = anon.get("/v1/skills/@alice/pdf/1.0.0/files/references/guide.md")
    assert text.status_code == 200 and text.text == "héllo\n"
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.headers["x-content-type-options"] == "nosniff"
    binary = anon.get("/v1/skills/@alice/pdf/1.0.0/files/assets/logo.bin")
    assert binary.headers["content-type"] == "application/octet-stream"
    assert binary.content == b"\xff\xfe\x00\x01"
    for bad in (
        "nope.md",
        "references",
        "../../etc/passwd",
        "references/%2e%2e/SKILL.md",
        "%2e%2e/%2e%2e/etc/passwd",
    ):
        assert anon.get(f"/v1/skills/@alice/pdf/1.0.0/files/{bad}").status_code == 404, bad


def test_list_and_pagination(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    for name in ("a-one", "b-two", "c-three"):
        assert post(alice, pack_skill(skill_factory(scope="alice", name=name))).status_code == 201
    anon = server.client()
    page = anon.get("/v1/skills", params={"per_page": 2}).json()
    assert page["total"] == 3 and [i["name"] for i in page["items"]] == [
        "@alice/a-one",
        "@alice/b-two",
    ]
    page2 = anon.get("/v1/skills", params={"per_page": 2, "page": 2}).json()
    assert [i["name"] for i in page2["items"]] == ["@alice/c-three"]
    assert page2["items"][0]["latest_version"] == "1.0.0"
    assert anon.get("/v1/skills", params={"per_page": 1000}).status_code == 422


def test_private_skill_never_leaks(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    bob = login(server, "bob")
    data = pack_skill(skill_factory(scope="alice", name="secret"))
    assert post(alice, data, private="true").status_code == 201
    assert post(alice, pack_skill(skill_factory(scope="alice", name="open"))).status_code == 201
    # A private document is never stored by shared caches nor reused unasked.
    assert alice.get("/v1/skills/@alice/secret").headers["cache-control"] == "private, no-cache"
    paths = [
        "/v1/skills/@alice/secret",
        "/v1/skills/@alice/secret/1.0.0",
        "/v1/skills/@alice/secret/1.0.0/tarball",
        "/v1/skills/@alice/secret/1.0.0/files/SKILL.md",
        "/v1/skills/@alice/secret/deps",
    ]
    outsiders = [server.client(), bob]
    for client in outsiders:
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 404, (path, answer.status_code)
            # the same answer as for a skill that does not exist
            missing = client.get(path.replace("secret", "missing"))
            assert answer.json()["error"]["code"] == missing.json()["error"]["code"]
        names = [i["name"] for i in client.get("/v1/skills").json()["items"]]
        assert names == ["@alice/open"]
    for path in paths:
        answer = alice.get(path)
        assert answer.status_code == 200, path
    assert alice.get(paths[2]).headers["cache-control"] == "private"
    assert [i["name"] for i in alice.get("/v1/skills").json()["items"]] == [
        "@alice/open",
        "@alice/secret",
    ]
    # bob cannot publish a version into it either
    assert (
        post(
            bob, pack_skill(skill_factory(scope="alice", name="secret", version="2.0.0"))
        ).status_code
        == 403
    )
    # a token without the read scope is an outsider too
    publish_only = server.client(server.token("alice", PASSWORD, ("publish",)))
    assert publish_only.get(paths[0]).status_code == 404


def test_dependency_tree(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    for name, version, deps in (
        ("base", "1.0.0", {}),
        ("base", "1.2.0", {}),
        ("base", "2.0.0", {}),
        ("mid", "1.0.0", {"@alice/base": "^1.0.0"}),
        ("top", "1.0.0", {"@alice/mid": "^1.0.0", "@alice/base": "~1.2.0"}),
        ("broken", "1.0.0", {"@alice/base": ">=2.0.0"}),
    ):
        folder = skill_factory(scope="alice", name=name, version=version, deps=deps)
        assert post(alice, pack_skill(folder)).status_code == 201
    # Yanking the only version in broken's range leaves it nothing to resolve to.
    assert alice.post("/v1/skills/@alice/base/2.0.0/yank").status_code == 200
    anon = server.client()
    tree = anon.get("/v1/skills/@alice/top/deps").json()
    assert tree["resolution"] == {"@alice/base": "1.2.0", "@alice/mid": "1.0.0"}
    root = tree["tree"]
    assert root["name"] == "@alice/top" and root["version"] == "1.0.0"
    children = {c["name"]: c for c in root["dependencies"]}
    assert children["@alice/base"]["version"] == "1.2.0"
    assert children["@alice/mid"]["dependencies"][0]["name"] == "@alice/base"
    assert (
        anon.get("/v1/skills/@alice/base/deps", params={"version": "1.0.0"}).json()["resolution"]
        == {}
    )
    failed = anon.get("/v1/skills/@alice/broken/deps")
    assert failed.status_code == 409
    assert failed.json()["error"]["code"] == "resolution_failed"
    assert "base" in failed.json()["error"]["message"]
