"""Trusted publishing end to end: a real registry process, a real OIDC issuer on loopback
(its discovery document and JWKS served over HTTP, tokens signed with PyJWT), real
SQLite and PostgreSQL. The registry verifies every token with its production code path."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from tank.core.integrity import sri_sha512
from tank.core.signing import check_subject, parse_public_key, verify_envelope
from tank.core.trusted_publishing import SLSA_PROVENANCE
from tank.server.db.engine import make_engine, session_factory, write_session
from tank.server.db.models import Token
from tests.conftest import Server, SkillFactory
from tests.oidc_issuer import AUDIENCE, SHA, Issuer, new_key, running_issuer

Pack = Callable[[Path], bytes]
PASSWORD = "correct horse battery"


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    with running_issuer() as handle:
        yield handle


def oidc_env(*issuers: Issuer) -> dict[str, str]:
    return {
        "TANK_REGISTRY_OIDC_ISSUERS": json.dumps([i.url for i in issuers]),
        "TANK_REGISTRY_OIDC_ALLOW_LOOPBACK_HTTP": "true",
        "TANK_REGISTRY_OIDC_AUDIENCE": AUDIENCE,
        "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN": "0",
        "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP": "0",
    }


def owner(server: Server, name: str = "alice") -> httpx.Client:
    from tank.server.admin import create_user

    create_user(server.db_url, name, PASSWORD)
    return server.client(server.token(name, PASSWORD, ("read", "publish")))


def register(client: httpx.Client, issuer: Issuer, **fields: Any) -> dict[str, Any]:
    body = {
        "target": "@alice/pdf",
        "issuer": issuer.url,
        "repository": "acme/pdf-tools",
        "workflow": "release.yml",
        "environment": "release",
        **fields,
    }
    answer = client.post("/v1/trusted-publishers", json=body)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


def exchange(server: Server, token: str, skill: str = "@alice/pdf") -> httpx.Response:
    return server.client().post("/v1/oidc/token", json={"token": token, "skill": skill})


def publish(client: httpx.Client, data: bytes) -> httpx.Response:
    return client.post("/v1/skills", files={"tarball": ("skill.tgz", data)})


def error_code(answer: httpx.Response) -> str:
    return str(answer.json()["error"]["code"])


def payload(envelope: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(base64.b64decode(envelope["payload"]))
    return result


@pytest.fixture
def world(
    server_factory: Callable[..., Server], issuer: Issuer
) -> tuple[Server, httpx.Client, Issuer]:
    server = server_factory(env=oidc_env(issuer))
    alice = owner(server)
    register(alice, issuer)
    return server, alice, issuer


def test_a_trusted_publish_carries_signed_slsa_provenance(
    world: tuple[Server, httpx.Client, Issuer], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    server, _, issuer = world
    answer = exchange(server, issuer.token())
    assert answer.status_code == 201, answer.text
    granted = answer.json()
    assert granted["skill"] == "@alice/pdf" and granted["scopes"] == ["trusted-publish"]
    expires = datetime.fromisoformat(granted["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=14) < expires - datetime.now(UTC) <= timedelta(minutes=15)

    data = pack_skill(skill_factory(scope="alice"))
    published = publish(server.client(granted["token"]), data)
    assert published.status_code == 201, published.text
    assert published.json()["publisher"] == "alice"

    reader = server.client()
    keys = [parse_public_key(k["key"]) for k in reader.get("/v1/registry/keys").json()["keys"]]
    found = reader.get("/v1/skills/@alice/pdf/1.0.0/provenance")
    assert found.status_code == 200, found.text
    document = found.json()
    verified = verify_envelope(document["envelope"], keys)
    statement = verified.statement
    check_subject(statement, "@alice/pdf", "1.0.0", sri_sha512(data))
    assert statement["predicateType"] == SLSA_PROVENANCE
    build = statement["predicate"]["buildDefinition"]
    workflow = build["externalParameters"]["workflow"]
    assert workflow == {
        "ref": "refs/tags/v1.0.0",
        "repository": f"{issuer.url}/acme/pdf-tools",
        "path": ".github/workflows/release.yml",
    }
    assert build["resolvedDependencies"][0]["digest"] == {"gitCommit": SHA}
    builder = statement["predicate"]["runDetails"]["builder"]["id"]
    assert builder.endswith("acme/pdf-tools/.github/workflows/release.yml@refs/tags/v1.0.0")

    # The registry attestation names the provenance and the CI identity as the publisher.
    attested = reader.get("/v1/skills/@alice/pdf/1.0.0/attestations").json()["attestations"]
    predicate = verify_envelope(attested[-1]["envelope"], keys).statement["predicate"]
    assert predicate["provenance"] == {
        "predicate_type": SLSA_PROVENANCE,
        "digest": document["digest"],
    }
    assert predicate["publisher"]["trusted_publisher"]["repository"] == "acme/pdf-tools"
    assert predicate["publisher"]["trusted_publisher"]["sha"] == SHA


def test_the_exchanged_token_publishes_that_skill_only_and_expires(
    world: tuple[Server, httpx.Client, Issuer], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    server, alice, issuer = world
    granted = exchange(server, issuer.token()).json()
    ci = server.client(granted["token"])
    other = publish(ci, pack_skill(skill_factory(scope="alice", name="other")))
    assert other.status_code == 403 and error_code(other) == "token_restricted"
    # nothing but publishing: no token minting, no yanking, no trusted-publisher changes
    mint = ci.post("/v1/tokens", json={"scopes": ["publish"], "restrict_to": ["@alice/pdf"]})
    assert mint.status_code in (403, 422), mint.text
    assert ci.get("/v1/tokens").status_code == 403
    assert ci.get("/v1/trusted-publishers").status_code == 403
    assert publish(ci, pack_skill(skill_factory(scope="alice"))).status_code == 201
    yank = ci.post("/v1/skills/@alice/pdf/1.0.0/yank", json={"reason": "x"})
    assert yank.status_code == 403, yank.text
    # a version published with a personal token carries no provenance
    alice_publish = publish(alice, pack_skill(skill_factory(scope="alice", version="1.1.0")))
    assert alice_publish.status_code == 201
    none = server.client().get("/v1/skills/@alice/pdf/1.1.0/provenance")
    assert none.status_code == 404 and error_code(none) == "no_provenance"
    # expiry is enforced: move the token's end into the past, as 15 minutes would
    engine = make_engine(server.db_url)
    try:
        with write_session(session_factory(engine)) as session:
            past = datetime.now(UTC) - timedelta(seconds=1)
            session.execute(update(Token).where(Token.id == granted["id"]).values(expires_at=past))
    finally:
        engine.dispose()
    late = publish(ci, pack_skill(skill_factory(scope="alice", version="1.2.0")))
    assert late.status_code == 401 and "expired" in late.json()["error"]["message"]


def test_one_oidc_token_is_exchanged_once(world: tuple[Server, httpx.Client, Issuer]) -> None:
    server, _, issuer = world
    token = issuer.token()
    assert exchange(server, token).status_code == 201
    again = exchange(server, token)
    assert again.status_code == 401 and error_code(again) == "oidc_token_replayed"
    no_jti = exchange(server, issuer.token(jti=None))
    assert no_jti.status_code == 401


FORGERIES = [
    ("wrong_issuer", 401, "oidc_issuer_untrusted"),
    ("wrong_audience", 401, "oidc_audience_mismatch"),
    ("expired", 401, "oidc_token_expired"),
    ("not_yet_valid", 401, "oidc_token_invalid"),
    ("other_key", 401, "oidc_token_invalid"),
    ("unknown_kid", 401, "oidc_token_invalid"),
    ("alg_none", 401, "oidc_token_invalid"),
    ("unregistered_repository", 403, "trusted_publisher_mismatch"),
    ("wrong_workflow", 403, "trusted_publisher_mismatch"),
    ("workflow_of_another_repository", 403, "trusted_publisher_mismatch"),
    ("wrong_environment", 403, "trusted_publisher_mismatch"),
    ("no_environment", 403, "trusted_publisher_mismatch"),
    ("another_skill", 403, "trusted_publisher_mismatch"),
]


def forged(issuer: Issuer, forge: str) -> tuple[str, str]:
    """A token forged as ``forge`` says, and the skill it asks for."""
    now = int(datetime.now(UTC).timestamp())
    skill = "@alice/pdf"
    if forge == "wrong_issuer":
        token = issuer.token(iss="http://127.0.0.1:1")
    elif forge == "wrong_audience":
        token = issuer.token(aud="another-registry")
    elif forge == "expired":
        token = issuer.token(iat=now - 900, nbf=now - 900, exp=now - 300)
    elif forge == "not_yet_valid":
        token = issuer.token(nbf=now + 900, iat=now + 900, exp=now + 1200)
    elif forge == "other_key":  # same kid, another key: a bad signature
        token = issuer.token(key=new_key())
    elif forge == "unknown_kid":
        token = issuer.token(key=new_key(), kid="attacker")
    elif forge == "alg_none":
        header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=")
        body = base64.urlsafe_b64encode(json.dumps(issuer.claims()).encode()).rstrip(b"=")
        token = f"{header.decode()}.{body.decode()}."
    elif forge == "unregistered_repository":
        ref = "mallory/pdf-tools/.github/workflows/release.yml@refs/heads/main"
        token = issuer.token(repository="mallory/pdf-tools", job_workflow_ref=ref)
    elif forge == "wrong_workflow":
        ref = "acme/pdf-tools/.github/workflows/test.yml@refs/heads/main"
        token = issuer.token(job_workflow_ref=ref)
    elif forge == "workflow_of_another_repository":
        ref = "mallory/tools/.github/workflows/release.yml@refs/heads/main"
        token = issuer.token(job_workflow_ref=ref)
    elif forge == "wrong_environment":
        token = issuer.token(environment="staging")
    elif forge == "no_environment":
        token = issuer.token(environment=None)
    else:
        token, skill = issuer.token(), "@alice/other"
    return token, skill


def test_forged_tokens_are_refused(world: tuple[Server, httpx.Client, Issuer]) -> None:
    # One registry for every forgery (a registry process per case would cost minutes).
    server, _, issuer = world
    for forge, status, code in FORGERIES:
        answer = exchange(server, *forged(issuer, forge))
        assert (answer.status_code, error_code(answer)) == (status, code), (forge, answer.text)
        assert "token" not in answer.json()
    # and none of them bought a token
    engine = make_engine(server.db_url)
    try:
        with session_factory(engine)() as session:
            assert session.query(Token).filter(Token.oidc_jti.is_not(None)).count() == 0
    finally:
        engine.dispose()


def test_a_scope_wide_publisher_and_removal_revokes_its_tokens(
    server_factory: Callable[..., Server],
    issuer: Issuer,
    skill_factory: SkillFactory,
    pack_skill: Pack,
) -> None:
    server = server_factory(env=oidc_env(issuer))
    alice = owner(server)
    bob = owner(server, "bob")
    # only an owner of the scope may register, and only a trusted issuer
    refused = bob.post(
        "/v1/trusted-publishers",
        json={
            "target": "@alice",
            "issuer": issuer.url,
            "repository": "acme/pdf-tools",
            "workflow": "release.yml",
        },
    )
    assert refused.status_code == 403
    untrusted = alice.post(
        "/v1/trusted-publishers",
        json={
            "target": "@alice",
            "issuer": "https://evil.example",
            "repository": "acme/pdf-tools",
            "workflow": "release.yml",
        },
    )
    assert untrusted.status_code == 422
    row = register(alice, issuer, target="@alice", environment=None)
    listed = alice.get("/v1/trusted-publishers").json()["trusted_publishers"]
    assert [p["id"] for p in listed] == [row["id"]]
    assert bob.get("/v1/trusted-publishers").json()["trusted_publishers"] == []
    assert bob.delete(f"/v1/trusted-publishers/{row['id']}").status_code == 404

    granted = exchange(server, issuer.token(), "@alice/charts").json()
    ci = server.client(granted["token"])
    data = pack_skill(skill_factory(scope="alice", name="charts"))
    assert publish(ci, data).status_code == 201
    assert alice.delete(f"/v1/trusted-publishers/{row['id']}").status_code == 200
    after = publish(ci, pack_skill(skill_factory(scope="alice", name="charts", version="1.0.1")))
    assert after.status_code == 401
    refused_now = exchange(server, issuer.token(), "@alice/charts")
    assert refused_now.status_code == 403
    # the provenance of the version published before the removal still verifies
    found = server.client().get("/v1/skills/@alice/charts/1.0.0/provenance")
    assert found.status_code == 200


def test_jwks_is_cached_and_refetched_when_the_issuer_rotates(
    world: tuple[Server, httpx.Client, Issuer],
) -> None:
    server, _, issuer = world
    assert exchange(server, issuer.token()).status_code == 201
    assert exchange(server, issuer.token()).status_code == 201
    assert issuer.jwks_fetches == 1  # cached
    # The issuer rotates to a new key: the cached set lacks its kid; the registry refetches
    # (once its minimum refresh interval has passed) rather than trusting anything.
    rotated = new_key()
    issuer.key, issuer.kid = rotated, "key-2"
    refused = exchange(server, issuer.token())
    assert refused.status_code == 401  # within the refresh interval: refused, not refetched
    assert issuer.jwks_fetches == 1
