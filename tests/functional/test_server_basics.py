"""The registry process itself: starts on each backend, health, aliases, the error shape."""

from __future__ import annotations

from tests.conftest import Server


def test_health_and_alias(server: Server) -> None:
    client = server.client()
    for prefix in ("/v1", "/api/v1"):
        answer = client.get(f"{prefix}/health")
        assert answer.status_code == 200
        body = answer.json()
        assert body["status"] == "ok"
        assert body["database"] in ("sqlite", "postgresql")
    assert (server.db_url.startswith("sqlite")) == (
        client.get("/v1/health").json()["database"] == "sqlite"
    )


def test_unknown_route_uses_the_error_shape(server: Server) -> None:
    answer = server.client().get("/v1/definitely-not-a-route")
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert set(error) >= {"code", "message", "detail", "hint"}
    assert error["code"] == "not_found"


def test_openapi_is_published_without_the_alias(server: Server) -> None:
    spec = server.client().get("/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/v1/health" in spec["paths"]
    assert not any(path.startswith("/api/v1") for path in spec["paths"])


def test_bad_bearer_is_401_not_anonymous(server: Server) -> None:
    forged = server.client(token="tank_forgedforgedforgedforgedforgedforgedforge")
    # A public route that reads the caller: presented credentials are checked, never
    # silently downgraded to anonymous.
    assert server.client().get("/v1/search", params={"q": "x"}).status_code == 200
    answer = forged.get("/v1/search", params={"q": "x"})
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"]["code"] == "unauthorized"
    # Health never reads credentials (monitors probe it with whatever they hold).
    assert forged.get("/v1/health").status_code == 200
