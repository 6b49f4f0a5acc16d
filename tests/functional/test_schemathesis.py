"""Property-based API conformance: schemathesis against the real server and its own OpenAPI.

The registry's published document (``/v1/openapi.json``) is the contract. Schemathesis
generates requests for every GET operation and for ``POST /v1/tokens`` (valid and invalid
data, deterministic seed, bounded examples) and checks each answer:

* ``not_a_server_error``: bad input is a 4xx, never a 5xx;
* ``response_schema_conformance``: documented answers match their declared schema;
* ``status_code_conformance``: only documented statuses, for the operations in
  :data:`STATUS_CHECKED` (every route should join it once it declares its error answers
  with ``tank.server.api.schemas.error_responses``).

It runs once anonymously and once with a real token on a registry holding a published
skill, so authenticated routes and existing resources are reached too; the JSON write routes
(orgs and members, status, verify, dist-tags, yank, unpublish, review) are fuzzed with a token. Both
databases get the same runs: unvalidated input used to reach PostgreSQL only and answer 500
there. About two minutes in all on two quiet cores (four when loaded). It is an ordinary test
(no marker): CI runs it with the rest.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import Server

ST = Path(sys.executable).with_name("st")
SEED = "20250101"
#: Operations schemathesis exercises.
SELECTED = r"^(GET .*|POST /v1/tokens)$"
#: Operations that also must answer only documented statuses.
STATUS_CHECKED = r"^(GET /v1/.*|POST /v1/tokens)$"
#: JSON write operations, fuzzed with a token on both databases (not DELETE /v1/tokens/{id}:
#: revoking the run's own token would leave the rest of the run at 401).
WRITES = (
    r"^(POST /v1/orgs|PUT /v1/orgs/.*|DELETE /v1/orgs/.*|POST /v1/status|POST /v1/verify"
    r"|PUT /v1/skills/.*|POST /v1/skills/.+|DELETE /v1/skills/.*)$"
)
NO_RATE_LIMITS = {
    "TANK_REGISTRY_RATE_LIMIT_SEARCH_PER_IP": "0",
    "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP": "0",
    "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN": "0",
}


def schemathesis(
    server: Server, *, select: str, checks: str, examples: int, token: str | None = None
) -> None:
    """Run the schemathesis CLI against ``server``; fail the test with its report on failure."""
    args = [
        str(ST), "run", f"{server.url}/v1/openapi.json",
        "--include-name-regex", select,
        "--checks", checks,
        "--max-examples", str(examples),
        "--seed", SEED,
        "--phases", "examples,coverage,fuzzing",
        "--workers", "1",  # its multi-threaded generator is not reliable on Python 3.11
        "--request-timeout", "20",
        "--generation-database", "none",
        "--no-color",
        "--warnings", "off",
    ]  # fmt: skip
    if token is not None:
        args += ["--header", f"Authorization: Bearer {token}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=150, check=False)
    report = result.stdout[-20_000:] + result.stderr[-5_000:]
    assert result.returncode == 0, f"schemathesis found problems:\n{report}"


@pytest.fixture
def populated(
    server_factory: Callable[..., Server],
    skill_factory: Callable[..., Path],
    pack_skill: Callable[[Path], bytes],
) -> tuple[Server, str]:
    """A registry without rate limits holding @acme/pdf-tools, and a token of its owner."""
    server = server_factory(env=NO_RATE_LIMITS)
    server.create_user("alice", "correct horse battery staple")
    token = server.token("alice", "correct horse battery staple", ("read", "publish"))
    auth = {"Authorization": f"Bearer {token}"}
    org = httpx.post(f"{server.url}/v1/orgs", headers=auth, json={"name": "acme"}, timeout=60)
    assert org.status_code == 201, org.text  # a scope exists only as a user or a created org
    folder = skill_factory(scope="acme", name="pdf-tools", version="1.0.0")
    answer = httpx.post(
        f"{server.url}/v1/skills",
        headers={"Authorization": f"Bearer {token}"},
        files={"tarball": ("pdf-tools.tgz", pack_skill(folder), "application/gzip")},
        timeout=60,
    )
    assert answer.status_code == 201, answer.text
    return server, token


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_api_conforms_to_its_openapi(populated: tuple[Server, str], db_url: str) -> None:
    server, token = populated
    base = "not_a_server_error,response_schema_conformance"
    schemathesis(server, select=SELECTED, checks=base, examples=30)
    schemathesis(server, select=SELECTED, checks=base, examples=30, token=token)
    schemathesis(
        server, select=STATUS_CHECKED, checks=base + ",status_code_conformance", examples=50
    )


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_write_routes_never_answer_5xx(populated: tuple[Server, str], db_url: str) -> None:
    server, token = populated
    schemathesis(
        server,
        select=WRITES,
        checks="not_a_server_error,response_schema_conformance",
        examples=25,
        token=token,
    )
