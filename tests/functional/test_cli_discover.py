"""``tank search`` and ``tank info`` against a real registry process."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tank.cli.exit_codes import ExitCode
from tank.core.integrity import sri_sha512
from tests.conftest import ClientWorld, SkillFactory

Pack = Callable[[Path], bytes]


def publish(client: httpx.Client, data: bytes) -> None:
    answer = client.post("/v1/skills", files={"tarball": ("skill.tgz", data)})
    assert answer.status_code == 201, answer.text


@pytest.fixture
def catalogue(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> tuple[ClientWorld, str]:
    """@alice/base 1.0.0; @alice/pdf 1.0.0 (yanked), 1.2.0 (tag stable), 1.10.0; a private one."""
    world = client_world
    token = world.publisher("alice")
    alice = world.server.client(token)
    publish(alice, pack_skill(skill_factory(scope="alice", name="base")))
    for version in ("1.0.0", "1.2.0", "1.10.0"):
        folder = skill_factory(
            scope="alice",
            name="pdf",
            version=version,
            deps={"@alice/base": "^1.0.0"} if version == "1.10.0" else None,
            permissions={"network": {"outbound": ["api.pdf.example"]}, "subprocess": True},
            description="Fill [bold]PDF[/bold] forms and extract tables from PDF files.",
        )
        publish(alice, pack_skill(folder))
    yank = alice.post("/v1/skills/@alice/pdf/1.0.0/yank", json={"reason": "broken parser"})
    assert yank.status_code == 200, yank.text
    tag = alice.put("/v1/skills/@alice/pdf/dist-tags/stable", json={"version": "1.2.0"})
    assert tag.status_code == 200, tag.text
    hidden = skill_factory(scope="alice", name="hidden", description="A private pdf helper.")
    answer = alice.post(
        "/v1/skills",
        files={"tarball": ("s.tgz", pack_skill(hidden))},
        data={"private": "true"},
    )
    assert answer.status_code == 201, answer.text
    return world, token


def registry_score(world: ClientWorld, name: str, version: str) -> float:
    """The audit score the registry computed for ``name@version`` (checked to be a real one)."""
    with world.server.client() as http:
        answer = http.get(f"/v1/skills/{name}/{version}")
    assert answer.status_code == 200, answer.text
    score = answer.json()["audit_score"]
    assert isinstance(score, float) and 0 < score <= 10
    return score


def test_search_plain_json_pages_and_private(catalogue: tuple[ClientWorld, str]) -> None:
    world, token = catalogue
    found = world.tank("search", "pdf")
    assert found.returncode == ExitCode.OK, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0].split() == ["NAME", "VERSION", "SCORE", "DESCRIPTION"]
    row = next(line for line in lines if line.startswith("@alice/pdf"))
    score = registry_score(world, "@alice/pdf", "1.10.0")
    assert row.split()[:3] == ["@alice/pdf", "1.10.0", f"{score:.1f}"]
    assert "@alice/hidden" not in found.stdout  # private: not for anonymous callers
    assert lines[-1] == "page 1 of 1 (1 skill)"
    # columns line up: every row's VERSION starts where the header's does
    column = lines[0].index("VERSION")
    assert all(line[column - 2 : column] == "  " for line in lines[1:-1])

    data = json.loads(world.tank("search", "", "--json").stdout)
    assert data["total"] == 2 and {r["name"] for r in data["results"]} == {
        "@alice/base",
        "@alice/pdf",
    }
    second = world.tank("search", "", "--per-page", "1", "--page", "2")
    assert second.stdout.splitlines()[-1] == "page 2 of 2 (2 skills)"
    assert len(second.stdout.splitlines()) == 3  # header, one row, footer

    mine = world.tank("search", "pdf", env={"TANK_TOKEN": token})
    assert "@alice/hidden" in mine.stdout and "(private)" in mine.stdout
    none = world.tank("search", "zzzzqqq")
    assert none.returncode == ExitCode.OK and none.stdout == "no skills match 'zzzzqqq'\n"
    bad = world.tank("search", "x", "--page", "0")
    assert bad.returncode == ExitCode.USAGE


def run_in_terminal(world: ClientWorld, *args: str) -> str:
    """Run ``tank`` with its standard output on a real pseudo-terminal; return what it drew."""
    leader, follower = pty.openpty()
    env = {**os.environ, **world.env, "COLUMNS": "160", "LINES": "50", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tank.cli.main", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode()


def test_search_on_a_terminal_draws_a_table_without_registry_markup(
    catalogue: tuple[ClientWorld, str],
) -> None:
    world, _ = catalogue
    drawn = run_in_terminal(world, "search", "pdf")
    assert "\x1b[1mNAME" in drawn  # rich's bold header: a table, not the plain text of pipes
    assert "@alice/pdf" in drawn and "1.10.0" in drawn
    # rich markup in a description is shown as text, never interpreted
    assert "[bold]PDF[/bold]" in drawn


def test_info_shows_versions_permissions_score_and_dependencies(
    catalogue: tuple[ClientWorld, str],
) -> None:
    world, _ = catalogue
    result = world.tank("info", "@alice/pdf")
    assert result.returncode == ExitCode.OK, result.stderr
    out = result.stdout
    assert out.startswith("@alice/pdf@1.10.0\n")
    assert "latest:      1.10.0" in out
    assert "dist-tags:   latest=1.10.0, stable=1.2.0" in out
    # newest first by semver (not text order), the yanked one marked with its reason
    assert "versions:    1.10.0, 1.2.0, 1.0.0 (yanked: broken parser)" in out
    score = registry_score(world, "@alice/pdf", "1.10.0")
    assert "verdict:     pass" in out and f"audit score: {score:.1f}/10" in out
    assert "static_analysis" in out  # the breakdown is shown with the score
    assert "reproducible_build        1/1" in out
    assert "publisher:   alice" in out and "published:   20" in out
    assert "network.outbound  api.pdf.example   [dangerous]" in out
    assert "subprocess        yes   [dangerous]" in out
    assert "dependencies:\n    @alice/base  ^1.0.0" in out
    integrity = world.server.client().get("/v1/skills/@alice/pdf/1.10.0").json()["integrity"]
    assert f"integrity:   {integrity}" in out

    yanked = world.tank("info", "@alice/pdf@1.0.0")
    assert yanked.stdout.startswith("@alice/pdf@1.0.0\n")
    assert "YANKED:      broken parser" in yanked.stdout
    assert "dependencies: none" in yanked.stdout
    tagged = world.tank("info", "@alice/pdf@stable", "--json")
    data = json.loads(tagged.stdout)
    assert data["version"]["version"] == "1.2.0" and data["skill"]["latest"] == "1.10.0"
    assert data["version"]["permissions"]["subprocess"] is True
    assert data["version"]["score_breakdown"]["reproducible_build"]["points"] == 1
    base = json.loads(world.tank("info", "@alice/base", "--json").stdout)["version"]
    assert base["integrity"] == sri_sha512(
        world.server.client().get("/v1/skills/@alice/base/1.0.0/tarball").content
    )


def test_info_errors_and_private_skills(catalogue: tuple[ClientWorld, str]) -> None:
    world, token = catalogue
    missing = world.tank("info", "@alice/nope")
    assert missing.returncode == ExitCode.NOT_FOUND and "@alice/nope" in missing.stderr
    no_version = world.tank("info", "@alice/pdf@9.9.9", "--json")
    assert no_version.returncode == ExitCode.NOT_FOUND
    assert "error" in json.loads(no_version.stdout)
    bad = world.tank("info", "alice/pdf")
    assert bad.returncode == ExitCode.USAGE and "@scope/name" in bad.stderr
    # private: invisible without a token that may read it, shown with one
    assert world.tank("info", "@alice/hidden").returncode == ExitCode.NOT_FOUND
    shown = world.tank("info", "@alice/hidden", env={"TANK_TOKEN": token})
    assert shown.returncode == ExitCode.OK and "(private)" in shown.stdout.splitlines()[0]
    assert token not in shown.stdout + shown.stderr
    # a registry that is down: a network error, after retries, not a traceback
    down = world.tank("info", "@alice/pdf", "--registry", "http://127.0.0.1:9")
    assert down.returncode == ExitCode.NETWORK
    assert "cannot reach the registry" in down.stderr and "Traceback" not in down.stderr
