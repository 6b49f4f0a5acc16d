"""``POST /v1/verify`` over HTTP, on both databases: many ``{name, version, integrity}`` items
checked against what the registry computed at publish."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tank.core.integrity import sri_sha512
from tests.conftest import Server, SkillFactory, set_verdict
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]
RESULT = {
    "name",
    "version",
    "integrity",
    "known",
    "integrity_match",
    "verdict",
    "audit_score",
    "quarantined",
    "yanked",
    "deleted",
    "signature",
    "attestation",
    "ok",
}


def item(name: str, version: str, integrity: str) -> dict[str, str]:
    return {"name": name, "version": version, "integrity": integrity}


def test_verify_known_unknown_mismatch_quarantined_yanked_private(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    reader = login(server, "reader", ("read",))
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    assert alice.put("/v1/orgs/acme/members/reader", json={"role": "reader"}).status_code == 200
    integrity = {}
    for version in ("1.0.0", "1.1.0", "1.2.0", "1.3.0"):
        data = pack_skill(skill_factory(scope="alice", name="pdf", version=version))
        assert post(alice, data).status_code == 201
        integrity[version] = sri_sha512(data)
    secret = pack_skill(skill_factory(scope="acme", name="secret"))
    assert post(alice, secret, private="true").status_code == 201
    assert alice.delete("/v1/skills/@alice/pdf/1.1.0").status_code == 200
    set_verdict(server.db_url, "@alice/pdf", "1.2.0", "fail")
    yank = alice.post("/v1/skills/@alice/pdf/1.3.0/yank", json={"reason": "broken"})
    assert yank.status_code == 200, yank.text
    other = sri_sha512(b"a different tarball")

    items = [
        item("@alice/pdf", "1.0.0", integrity["1.0.0"]),
        item("@alice/pdf", "1.0.0", other),  # integrity mismatch
        item("@alice/pdf", "1.1.0", integrity["1.1.0"]),  # unpublished
        item("@alice/pdf", "1.2.0", integrity["1.2.0"]),  # quarantined by a rescan
        item("@alice/pdf", "1.3.0", integrity["1.3.0"]),  # yanked: still ok
        item("@alice/pdf", "9.9.9", integrity["1.0.0"]),  # unknown version
        item("@nobody/none", "1.0.0", other),  # unknown skill
        item("@acme/secret", "1.0.0", sri_sha512(secret)),  # private to @acme
        item("@alice/pdf", "1.0.0+build.7", integrity["1.0.0"]),
    ]
    anonymous = server.client().post("/v1/verify", json={"items": items})
    assert anonymous.status_code == 200, anonymous.text
    assert anonymous.headers["cache-control"] == "no-store"
    results = anonymous.json()["results"]
    assert len(results) == len(items)
    assert all(set(r) == RESULT for r in results)
    good, mismatch, gone, failed, yanked, unknown, nobody, private, build = results
    assert good["known"] is True and good["integrity_match"] is True and good["ok"] is True
    assert good["verdict"] == "pass" and good["quarantined"] is False and good["yanked"] is False
    assert good["signature"] is None  # no verified publisher signature stored
    attestation = good["attestation"]
    assert set(attestation) == {"digest", "key", "reason", "log_index"}
    assert attestation["reason"] == "publish" and isinstance(attestation["log_index"], int)
    envelopes = server.client().get("/v1/skills/@alice/pdf/1.0.0/attestations").json()
    assert attestation["digest"] == envelopes["attestations"][-1]["digest"]
    assert attestation["key"] == envelopes["attestations"][-1]["keyid"]
    assert mismatch["attestation"] == attestation  # the same version: the same attestation
    assert yanked["attestation"]["log_index"] != attestation["log_index"]
    assert isinstance(good["audit_score"], float | int)
    assert mismatch["integrity_match"] is False and mismatch["ok"] is False
    assert mismatch["integrity"] == other  # as asked
    assert gone["deleted"] is True and gone["integrity_match"] is True and gone["ok"] is False
    assert failed["quarantined"] is True and failed["verdict"] == "fail"
    assert failed["ok"] is False
    assert yanked["yanked"] is True and yanked["ok"] is True
    for missing in (unknown, nobody, private):
        assert missing["known"] is False and missing["ok"] is False
        assert missing["integrity_match"] is None and missing["verdict"] is None
    assert build["version"] == "1.0.0" and build["ok"] is True
    # A member of @acme sees its private skill; everything else answers the same.
    member = reader.post("/v1/verify", json={"items": items}).json()["results"]
    assert member[7]["known"] is True and member[7]["integrity_match"] is True
    assert member[:7] == results[:7]
    # The /api/v1 alias, and an empty batch.
    alias = server.client().post("/api/v1/verify", json={"items": items})
    assert alias.json() == {"results": results}
    assert server.client().post("/v1/verify", json={"items": []}).json() == {"results": []}
    assert (
        server.client("tank_nonsense").post("/v1/verify", json={"items": items}).status_code == 401
    )


def test_bad_and_oversize_batches_are_refused(server_factory: Callable[..., Server]) -> None:
    server = server_factory(env={"TANK_REGISTRY_MAX_JSON_BYTES": str(200_000)})
    anon = server.client()
    good = item("@a/b", "1.0.0", sri_sha512(b"x"))
    bodies: list[object] = [
        {},
        {"items": good},
        {"items": [{"name": "@a/b", "version": "1.0.0"}]},
        {"items": [{**good, "extra": 1}]},
        {"items": [good], "other": 1},
        {"items": [{**good, "integrity": "x" * 201}]},
        {"items": [{**good, "name": "@a/b\x00"}]},
        [good],
    ]
    for body in bodies:
        answer = anon.post("/v1/verify", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert "error" in answer.json()
    for bad in (
        {"name": "a/b"},
        {"version": "latest"},
        {"integrity": "sha512-nope"},
        {"integrity": sri_sha512(b"x").replace("sha512", "sha1")},
        {"integrity": "sha256-" + "A" * 43 + "="},
    ):
        answer = anon.post("/v1/verify", json={"items": [good, {**good, **bad}]})
        assert answer.status_code == 422, (bad, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "bad_verify_item"
        assert [p["message"][:9] for p in error["problems"]] == ["items[1]:"]
    many = anon.post("/v1/verify", json={"items": [good] * 1001})
    assert many.status_code == 422 and many.json()["error"]["code"] == "too_many_items"
    most = anon.post("/v1/verify", json={"items": [good] * 1000})
    assert most.status_code == 200 and len(most.json()["results"]) == 1000
    # Over the JSON body limit: refused before the body is read (413), counted or declared.
    big = json.dumps({"items": [{**good, "name": "@a/" + "b" * 200}] * 1000}).encode()
    assert len(big) > 200_000
    answer = anon.post("/v1/verify", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"
    assert anon.get("/v1/health").status_code == 200


def test_verify_is_in_the_openapi(server: Server) -> None:
    spec = server.client().get("/v1/openapi.json").json()
    operation = spec["paths"]["/v1/verify"]["post"]
    assert {"200", "413", "422"} <= set(operation["responses"])
    schemas = spec["components"]["schemas"]
    assert set(schemas["VerifyResult"]["properties"]) == RESULT
    assert {"verified", "fingerprint"} <= set(schemas["SignatureInfo"]["properties"])
    assert set(schemas["AttestationInfo"]["properties"]) == {"digest", "key", "reason", "log_index"}
