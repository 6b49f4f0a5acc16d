"""The body size middleware in process: declared sizes, streamed sizes, apps that swallow errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from starlette.types import Message, Receive, Scope, Send

from tank.server.api.limits import MULTIPART_OVERHEAD, BodySizeLimit

CALLS: list[int] = []


async def _echo_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the whole body; like FastAPI, turns a failed read into its own 400."""
    size = 0
    try:
        while True:
            message: Message = await receive()
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        status, body = 200, str(size).encode()
    except Exception:
        status, body = 400, b"There was an error parsing the body"
    CALLS.append(size)
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": body})


def _post(
    content: bytes | AsyncIterator[bytes], content_type: str, **headers: str
) -> httpx.Response:
    app = BodySizeLimit(_echo_app, max_upload_bytes=1000, max_json_bytes=100)

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(
                "/", content=content, headers={"content-type": content_type, **headers}
            )

    return asyncio.run(go())


async def _stream(total: int, step: int = 10) -> AsyncIterator[bytes]:
    for _ in range(total // step):
        yield b"x" * step


def test_small_bodies_pass_through() -> None:
    assert _post(b"{}" * 50, "application/json").text == "100"
    assert _post(_stream(100), "application/json").text == "100"
    assert _post(b"x" * 1000, "application/gzip").text == "1000"


def test_declared_size_over_the_limit_is_refused_before_the_app_runs() -> None:
    CALLS.clear()
    answer = _post(b"x" * 101, "application/json")
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert answer.headers["connection"] == "close"
    assert CALLS == []
    assert _post(b"x" * 1001, "application/octet-stream").status_code == 413


def test_streamed_body_is_cut_off_and_answered_413_not_the_apps_400() -> None:
    answer = _post(_stream(500), "application/json")
    assert answer.status_code == 413
    assert answer.json()["error"]["message"].startswith("the request body")
    assert _post(_stream(2000), "application/x-tar").status_code == 413


def test_multipart_gets_the_upload_limit_plus_framing() -> None:
    assert _post(b"x" * (1000 + MULTIPART_OVERHEAD), "multipart/form-data; b=x").status_code == 200
    too_big = _post(b"x" * (1001 + MULTIPART_OVERHEAD), "multipart/form-data; b=x")
    assert too_big.status_code == 413
    # Unknown or missing content types get the small (JSON) limit: fail closed.
    assert _post(b"x" * 101, "text/plain").status_code == 413
