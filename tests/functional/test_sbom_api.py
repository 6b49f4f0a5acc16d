"""``GET /v1/skills/{name}/{version}/sbom`` against a real registry, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from tank.core.integrity import sri_sha512
from tests.conftest import Server, SkillFactory, set_verdict
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]
SBOM = "/v1/skills/@alice/pdf/1.0.0/sbom"
FILES = {
    "scripts/main.py": "import requests\nimport yaml\n",
    "scripts/requirements.txt": "requests==2.31.0\nPyYAML>=6\n",
}


def files_of(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return {
            m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile()
        }


def test_sbom_of_a_published_version(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    core = login(server, "core")  # a dependency must exist to be published against
    assert post(core, pack_skill(skill_factory(scope="core", name="markdown"))).status_code == 201
    folder = skill_factory(
        scope="alice",
        files=FILES,
        deps={"@core/markdown": "^1.0.0"},
        permissions={"network": {"outbound": ["api.example.com"]}},
    )
    data = pack_skill(folder)
    assert post(alice, data).status_code == 201
    anon = server.client()

    answer = anon.get(SBOM)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/vnd.cyclonedx+json"
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = answer.headers["etag"]
    assert sri_sha512(data) in etag and not etag.startswith("W/")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(answer.text) is None
    doc = answer.json()

    # every file of the stored tarball, with hashes that match its bytes
    published = files_of(data)
    listed = {c["name"]: c for c in doc["components"] if c["type"] == "file"}
    assert set(listed) == set(published)
    for path, content in published.items():
        hashes = {h["alg"]: h["content"] for h in listed[path]["hashes"]}
        assert hashes == {
            "SHA-256": hashlib.sha256(content).hexdigest(),
            "SHA-512": hashlib.sha512(content).hexdigest(),
        }
    skill = doc["metadata"]["component"]
    assert skill["purl"] == "pkg:generic/%40alice/pdf@1.0.0"
    assert skill["hashes"] == [{"alg": "SHA-512", "content": hashlib.sha512(data).hexdigest()}]
    assert {"name": "tank:permission:network.outbound", "value": "api.example.com"} in skill[
        "properties"
    ]
    refs = {c["bom-ref"] for c in doc["components"]}
    assert {"skill:@core/markdown", "pkg:pypi/requests@2.31.0", "pkg:pypi/pyyaml"} <= refs
    # the publish time, from the version row
    version_doc = anon.get("/v1/skills/@alice/pdf/1.0.0").json()
    assert doc["metadata"]["timestamp"][:19] == version_doc["published_at"][:19]

    # stable: the same bytes again, a 304 on revalidation, and the /api/v1 alias
    assert anon.get(SBOM).content == answer.content
    again = anon.get(SBOM, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert anon.get("/api/v1/skills/@alice/pdf/1.0.0/sbom").content == answer.content


def test_sbom_access_rules(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    bob = login(server, "bob")
    anon = server.client()
    secret = pack_skill(skill_factory(scope="alice", name="secret"))
    assert post(alice, secret, private="true").status_code == 201
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        data = pack_skill(skill_factory(scope="alice", version=version))
        assert post(alice, data).status_code == 201

    # unknown skill / version: 404
    assert anon.get("/v1/skills/@alice/nope/1.0.0/sbom").status_code == 404
    assert anon.get("/v1/skills/@alice/pdf/9.9.9/sbom").json()["error"]["code"] == (
        "version_not_found"
    )
    # private: 404 to outsiders, exactly like a missing skill; served privately to the owner
    for client in (anon, bob):
        answer = client.get("/v1/skills/@alice/secret/1.0.0/sbom")
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "skill_not_found"
    mine = alice.get("/v1/skills/@alice/secret/1.0.0/sbom")
    assert mine.status_code == 200 and mine.headers["cache-control"] == "private"
    # unpublished: 410
    assert alice.delete("/v1/skills/@alice/pdf/1.2.0").status_code in (200, 204)
    gone = anon.get("/v1/skills/@alice/pdf/1.2.0/sbom")
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "version_deleted"
    # failed scan: 451, even for the publisher
    set_verdict(server.db_url, "@alice/pdf", "1.1.0", "fail")
    for client in (anon, alice):
        failed = client.get("/v1/skills/@alice/pdf/1.1.0/sbom")
        assert failed.status_code == 451
        assert failed.json()["error"]["code"] == "version_unavailable"
    assert anon.get(SBOM).status_code == 200
