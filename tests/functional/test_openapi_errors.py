"""The OpenAPI document declares what the API answers: 415 on publish, 400 for malformed JSON.

A malformed JSON body is a 400 (the body is not JSON at all); well-formed JSON that does not
match the schema stays a 422. The code matches the document.
"""

from __future__ import annotations

from tests.conftest import Server


def test_openapi_declares_415_and_400(server: Server) -> None:
    spec = server.client().get("/v1/openapi.json").json()
    publish = spec["paths"]["/v1/skills"]["post"]["responses"]
    assert "415" in publish and "400" in publish
    json_operations = [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]
    assert len(json_operations) >= 6
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert {"503", "507"} <= set(operation["responses"]), f"{method} {path}"
    for method, path, operation in json_operations:
        declared = operation["responses"].get("400")
        assert declared is not None, f"{method.upper()} {path} does not declare 400"
        assert declared["content"]["application/json"]["schema"]["$ref"].endswith("ErrorResponse")


def test_malformed_json_is_400_well_formed_but_wrong_is_422(server: Server) -> None:
    client = server.client()
    headers = {"Content-Type": "application/json"}
    for path in ("/v1/tokens", "/v1/status", "/v1/verify"):
        answer = client.post(path, content=b'{"username": ', headers=headers)
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert error["code"] == "bad_json"
        assert set(error) >= {"code", "message", "detail", "hint"}
        assert "JSON" in error["message"]
    answer = client.post("/v1/tokens", json={"username": ["not", "text"]})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "bad_request"
    answer = client.post("/v1/skills", content=b"{}", headers=headers)
    assert answer.status_code in (401, 415), answer.text
