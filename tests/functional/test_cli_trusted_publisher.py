"""``tank trusted-publisher`` end to end: the real CLI, a real registry (SQLite) and a real
OIDC issuer on loopback; the CI side exchanges a token and publishes with ``tank publish``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ClientWorld, SkillFactory, start_server
from tests.functional.test_trusted_publishing import oidc_env
from tests.oidc_issuer import AUDIENCE, Issuer, running_issuer


@pytest.fixture
def oidc_world(tmp_path: Path, _sqlite_template: Path) -> Iterator[tuple[ClientWorld, Issuer]]:
    db = tmp_path / "registry.db"
    shutil.copyfile(_sqlite_template, db)
    with running_issuer() as issuer:
        handle = start_server(f"sqlite:///{db}", tmp_path / "blobs", oidc_env(issuer))
        env = {
            "TANK_CONFIG_DIR": str(tmp_path / "config"),
            "TANK_CACHE_DIR": str(tmp_path / "cache"),
            "TANK_HOME": str(tmp_path / "home"),
            "TANK_NO_KEYRING": "1",
            "TANK_REGISTRY": handle.url,
            "CI": "",
            "TANK_TOKEN": "",
            "TANK_OIDC_TOKEN": "",
            "ACTIONS_ID_TOKEN_REQUEST_URL": "",
            "NO_COLOR": "1",
        }
        (tmp_path / "home").mkdir()
        try:
            yield ClientWorld(handle, tmp_path, env), issuer
        finally:
            handle.stop()


def test_add_list_exchange_publish_remove(
    oidc_world: tuple[ClientWorld, Issuer], skill_factory: SkillFactory
) -> None:
    world, issuer = oidc_world
    owner = {"TANK_TOKEN": world.publisher("alice")}
    added = world.tank(
        "trusted-publisher", "add", "@alice/pdf", "--repository", "acme/pdf-tools",
        "--workflow", ".github/workflows/release.yml", "--environment", "release",
        "--issuer", issuer.url, "--json", env=owner,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr + added.stdout
    row = json.loads(added.stdout)
    assert row["workflow"] == "release.yml" and row["target"] == "@alice/pdf"
    listed = world.tank("trusted-publisher", "list", "--json", env=owner)
    assert [p["id"] for p in json.loads(listed.stdout)["trusted_publishers"]] == [row["id"]]
    human = world.tank("trusted-publisher", "list", env=owner)
    assert "acme/pdf-tools" in human.stdout

    # the CI job: no registry token, only its OIDC token
    ci = {"TANK_OIDC_TOKEN": issuer.token()}
    exchanged = world.tank("trusted-publisher", "exchange", "@alice/pdf", "--audience",
                           AUDIENCE, env=ci)  # fmt: skip
    assert exchanged.returncode == 0, exchanged.stderr
    token = exchanged.stdout.strip()
    assert token.startswith("tank_")
    folder = skill_factory(scope="alice")
    published = world.tank("publish", str(folder), "--json", env={"TANK_TOKEN": token})
    assert published.returncode == 0, published.stderr + published.stdout
    found = world.server.client().get("/v1/skills/@alice/pdf/1.0.0/provenance")
    assert found.status_code == 200

    # a forged token: refused with the registry's reason, no token printed
    bad = world.tank("trusted-publisher", "exchange", "@alice/pdf", "--json",
                     env={"TANK_OIDC_TOKEN": issuer.token(aud="elsewhere")})  # fmt: skip
    assert bad.returncode != 0
    assert "oidc_audience_mismatch" in bad.stdout + bad.stderr
    missing = world.tank("trusted-publisher", "exchange", "@alice/pdf")
    assert missing.returncode != 0 and "TANK_OIDC_TOKEN" in missing.stderr

    removed = world.tank("trusted-publisher", "remove", str(row["id"]), "--json", env=owner)
    assert removed.returncode == 0 and json.loads(removed.stdout)["removed"] is True
    again = world.tank("trusted-publisher", "list", "--json", env=owner)
    assert json.loads(again.stdout)["trusted_publishers"] == []
