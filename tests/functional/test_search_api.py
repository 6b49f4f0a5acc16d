"""``GET /v1/search`` and ``GET /v1/tags`` against the real registry subprocess, both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tank.server.db.engine import make_engine, session_factory, write_session
from tank.server.db.models import User
from tank.server.services.auth import hash_password
from tests.conftest import Server
from tests.unit.server.search_support import org_scope, publish

PASSWORD = "correct horse battery staple"


@pytest.fixture
def seeded(server: Server) -> Iterator[Server]:
    """A registry holding public and private skills of @acme (alice) and @corp (org)."""
    engine = make_engine(server.db_url)
    try:
        with write_session(session_factory(engine)) as db:
            for name in ("alice", "bob", "carol"):
                db.add(User(username=name, password_hash=hash_password(PASSWORD)))
            db.flush()
            org_scope(db, "corp", {"carol": "reader"})
            publish(db, "@acme/pdf-tools", description="Split and merge PDF files.",
                    keywords=["pdf", "documents"], minutes=1)  # fmt: skip
            publish(db, "@acme/notes", description="Take notes.", body="Exports to pdf.",
                    keywords=["pdf", "notes"], score=5.0, verdict="flagged", minutes=2)  # fmt: skip
            publish(db, "@acme/pdf-secret", description="Internal PDF stamping.",
                    keywords=["pdf", "internal"], private=True, minutes=3)  # fmt: skip
            publish(db, "@corp/pdf-vault", description="Corporate PDF vault.",
                    keywords=["vault"], private=True, publisher="carol", minutes=4)  # fmt: skip
    finally:
        engine.dispose()
    yield server


def _names(answer: dict[str, object]) -> list[str]:
    results = answer["results"]
    assert isinstance(results, list)
    return [r["name"] for r in results]


def test_search_ranks_and_describes_results(seeded: Server) -> None:
    anon = seeded.client()
    answer = anon.get("/v1/search", params={"q": "pdf-too"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == 1 and body["page"] == 1 and body["pages"] == 1
    [hit] = body["results"]
    assert hit["name"] == "@acme/pdf-tools"
    assert hit["version"] == "1.0.0"
    assert hit["keywords"] == ["pdf", "documents"]
    assert hit["audit_score"] == 8.0 and hit["verdict"] == "pass" and hit["score"] > 0
    assert set(hit) == {
        "name", "version", "description", "keywords", "audit_score", "verdict", "private",
        "published_at", "score",
    }  # fmt: skip
    # The name match ranks above the body match.
    assert _names(anon.get("/v1/search", params={"q": "pdf"}).json()) == [
        "@acme/pdf-tools", "@acme/notes",
    ]  # fmt: skip
    # Filters and the /api/v1 alias.
    flagged = anon.get("/api/v1/search", params={"q": "pdf", "verdict": "flagged"}).json()
    assert _names(flagged) == ["@acme/notes"]
    assert _names(anon.get("/v1/search", params={"min_score": 6}).json()) == ["@acme/pdf-tools"]
    assert _names(anon.get("/v1/search", params={"keyword": "NOTES"}).json()) == ["@acme/notes"]
    # Browsing (no words): newest first, paginated.
    page = anon.get("/v1/search", params={"per_page": 1, "page": 2}).json()
    assert _names(page) == ["@acme/pdf-tools"] and page["total"] == 2 and page["pages"] == 2


def test_private_skills_are_found_only_by_readers(seeded: Server) -> None:
    def found(token: str | None) -> list[str]:
        answer = seeded.client(token).get("/v1/search", params={"q": "pdf", "per_page": 100})
        assert answer.status_code == 200, answer.text
        return sorted(_names(answer.json()))

    public = ["@acme/notes", "@acme/pdf-tools"]
    assert found(None) == public
    assert found(seeded.token("bob", PASSWORD)) == public  # a stranger to both scopes
    assert found(seeded.token("alice", PASSWORD)) == sorted([*public, "@acme/pdf-secret"])
    assert found(seeded.token("carol", PASSWORD)) == sorted([*public, "@corp/pdf-vault"])
    assert found(seeded.token("alice", PASSWORD, scopes=("publish",))) == public
    anon = seeded.client()
    assert anon.get("/v1/search", params={"q": "vault"}).json()["total"] == 0
    assert anon.get("/v1/search", params={"scope": "@corp"}).json()["results"] == []
    bad = seeded.client("tank_" + "x" * 43).get("/v1/search", params={"q": "pdf"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthorized"


def test_tags(seeded: Server) -> None:
    anon = seeded.client()
    answer = anon.get("/v1/tags")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "tags": [
            {"name": "pdf", "count": 2},
            {"name": "documents", "count": 1},
            {"name": "notes", "count": 1},
        ]
    }  # private skills' keywords ("internal", "vault") are not counted
    assert anon.get("/v1/tags", params={"prefix": "No"}).json()["tags"] == [
        {"name": "notes", "count": 1}
    ]
    assert anon.get("/v1/tags", params={"prefix": "%"}).json()["tags"] == []


HOSTILE = [
    '"', "'", "NEAR(pdf tools)", "pdf*", "*", ":", "pdf:*", "&|!", "!(pdf)", "<->",
    "'; DROP TABLE skills; --", "\" OR 1=1 --", "\\", "%", "\x00", "pdf\x00", "漢字 😀",
    "a" * 256, "pdf " * 60,
]  # fmt: skip


def test_hostile_queries_never_fail(seeded: Server) -> None:
    anon = seeded.client()
    for text in HOSTILE:
        answer = anon.get("/v1/search", params={"q": text})
        assert answer.status_code == 200, (text, answer.text)
        assert answer.json()["total"] <= 2
    assert _names(anon.get("/v1/search", params={"q": "pdf"}).json())  # the data survived


BAD_PARAMETERS = [
    ("/v1/search", {"q": "a" * 257}, "query.q"),
    ("/v1/search", {"per_page": 101}, "query.per_page"),
    ("/v1/search", {"per_page": 0}, "query.per_page"),
    ("/v1/search", {"page": 0}, "query.page"),
    ("/v1/search", {"page": "two"}, "query.page"),
    ("/v1/search", {"scope": "'; drop table skills"}, "query.scope"),
    ("/v1/search", {"keyword": "a\x00b"}, "query.keyword"),
    ("/v1/search", {"min_score": "nan"}, "query.min_score"),
    ("/v1/search", {"min_score": 11}, "query.min_score"),
    ("/v1/search", {"verdict": "fail"}, "query.verdict"),
    ("/v1/tags", {"prefix": "\x00"}, "query.prefix"),
    ("/v1/tags", {"limit": 0}, "query.limit"),
]


def test_bad_parameters_are_422_in_the_error_shape(server: Server) -> None:
    client = server.client()
    for path, params, where in BAD_PARAMETERS:
        answer = client.get(path, params=params)  # type: ignore[arg-type]
        assert answer.status_code == 422, (params, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "bad_request"
        assert [p["location"] for p in error["problems"]] == [where], params


def test_publish_yank_and_unpublish_keep_search_in_step(
    server: Server,
    skill_factory: Callable[..., Path],
    pack_skill: Callable[[Path], bytes],
) -> None:
    """The real pipeline: publish indexes, yank and unpublish re-index the latest version."""
    server.create_user("alice", PASSWORD)
    owner = server.client(server.token("alice", PASSWORD))
    assert owner.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    for version, words in (("1.0.0", "older quince"), ("1.1.0", "newer quince")):
        folder = skill_factory(scope="acme", name="quince", version=version, description=words)
        answer = owner.post(
            "/v1/skills", files={"tarball": ("q.tgz", pack_skill(folder), "application/gzip")}
        )
        assert answer.status_code == 201, answer.text
    anon = server.client()

    def shown() -> list[tuple[str, str]]:
        body = anon.get("/v1/search", params={"q": "quince"}).json()
        return [(hit["version"], hit["description"]) for hit in body["results"]]

    assert shown() == [("1.1.0", "newer quince")]
    assert owner.post("/v1/skills/@acme/quince/1.1.0/yank").status_code == 200
    assert shown() == [("1.0.0", "older quince")]
    assert owner.delete("/v1/skills/@acme/quince/1.0.0").status_code == 200
    assert shown() == []
    assert anon.get("/v1/tags").json() == {"tags": []}
    assert owner.post("/v1/skills/@acme/quince/1.1.0/unyank").status_code == 200
    assert shown() == [("1.1.0", "newer quince")]
