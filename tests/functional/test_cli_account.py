"""``tank login / logout / whoami / config`` against a real registry process.

The token must never reach the terminal: every test that holds one checks stdout and stderr.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import stat
import subprocess
import sys
import time
from pathlib import Path

from tank.cli.exit_codes import ExitCode
from tests.conftest import CLIENT_PASSWORD, ClientWorld, run_tank


def credentials(world: ClientWorld) -> dict[str, dict[str, object]]:
    path = world.root / "config" / "credentials.json"
    data: dict[str, dict[str, object]] = json.loads(path.read_text())
    return data


def assert_secret_absent(secret: str, *results: subprocess.CompletedProcess[str]) -> None:
    assert len(secret) > 16  # a real token, so the check below means something
    for result in results:
        assert secret not in result.stdout
        assert secret not in result.stderr


def test_password_login_whoami_logout_round_trip(client_world: ClientWorld) -> None:
    world = client_world
    world.publisher("alice")
    login = world.tank("login", "-u", "alice", "--password-stdin", input=CLIENT_PASSWORD + "\n")
    assert login.returncode == ExitCode.OK, login.stderr
    assert f"Logged in to {world.server.url} as alice" in login.stdout
    assert "credentials.json" in login.stdout  # says where the token went

    # the token is stored 0600 in a 0700 folder, under the registry's URL
    path = world.root / "config" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    entry = credentials(world)[world.server.url]
    token = entry["token"]
    assert isinstance(token, str) and entry["username"] == "alice"

    # the registry knows it as this machine's CLI token, read+publish
    listed = world.server.client(token).get("/v1/tokens").json()["tokens"]
    mine = [t for t in listed if t["name"].startswith("tank CLI on ")]
    assert len(mine) == 1 and sorted(mine[0]["scopes"]) == ["publish", "read"]

    who = world.tank("whoami")
    who_json = world.tank("-v", "whoami", "--json")
    assert who.returncode == ExitCode.OK, who.stderr
    assert who.stdout.startswith(f"alice on {world.server.url}")
    assert "@alice" in who.stdout
    data = json.loads(who_json.stdout)
    assert data["username"] == "alice" and data["token_source"] == "stored"
    assert data["registry"] == world.server.url
    assert_secret_absent(token, login, who, who_json)

    out = world.tank("logout")
    assert out.returncode == ExitCode.OK, out.stderr
    assert "token revoked" in out.stdout
    assert world.server.url not in credentials(world)
    # revoked on the registry, not only forgotten here
    assert world.server.client(token).get("/v1/whoami").status_code == 401
    after = world.tank("whoami")
    assert after.returncode == ExitCode.AUTH
    assert "not logged in" in after.stderr and "tank login" in after.stderr
    again = world.tank("logout")
    assert again.returncode == ExitCode.OK and "Not logged in" in again.stdout


def test_token_login_checks_the_token_and_never_prints_it(client_world: ClientWorld) -> None:
    world = client_world
    token = world.publisher("bob")
    login = world.tank("login", "--token", token, "--json")
    assert login.returncode == ExitCode.OK, login.stderr
    answer = json.loads(login.stdout)
    assert answer["username"] == "bob" and answer["registry"] == world.server.url
    assert answer["token_id"] is not None
    piped = world.tank("-v", "login", "--token-stdin", input=token + "\n")
    assert piped.returncode == ExitCode.OK, piped.stderr
    assert "as bob" in piped.stdout
    assert credentials(world)[world.server.url]["token"] == token
    assert_secret_absent(token, login, piped)


def test_forged_revoked_and_wrong_credentials_exit_auth(client_world: ClientWorld) -> None:
    world = client_world
    token = world.publisher("carol")
    forged = "tank_" + "A" * 40
    bad = world.tank("login", "--token", forged)
    assert bad.returncode == ExitCode.AUTH
    assert "unknown token" in bad.stderr and "hint:" in bad.stderr
    assert not (world.root / "config" / "credentials.json").exists()  # nothing stored
    assert_secret_absent(forged, bad)

    wrong = world.tank("login", "-u", "carol", "--password-stdin", input="not the password\n")
    assert wrong.returncode == ExitCode.AUTH
    assert "error:" in wrong.stderr

    env_forged = world.tank("whoami", env={"TANK_TOKEN": forged})
    assert env_forged.returncode == ExitCode.AUTH
    assert_secret_absent(forged, env_forged)

    # a token revoked on the registry (say, from another machine) stops working here
    assert world.tank("login", "--token", token).returncode == ExitCode.OK
    me = world.server.client(token).get("/v1/whoami").json()
    assert world.server.client(token).delete(f"/v1/tokens/{me['token_id']}").status_code == 200
    revoked = world.tank("whoami", "--json")
    assert revoked.returncode == ExitCode.AUTH
    error = json.loads(revoked.stdout)["error"]
    assert error["code"] == "unauthorized" and "revoked" in error["message"]
    assert_secret_absent(token, revoked)
    # logout still forgets it, and says the registry had already dropped it
    out = world.tank("logout")
    assert out.returncode == ExitCode.OK
    assert "no longer accepted" in out.stderr
    assert world.server.url not in credentials(world)


def test_tank_token_env_wins_and_logout_leaves_it_alone(client_world: ClientWorld) -> None:
    world = client_world
    alice = world.publisher("alice")
    bob = world.publisher("bob")
    assert world.tank("login", "--token", alice).returncode == ExitCode.OK
    who = world.tank("whoami", "--json", env={"TANK_TOKEN": bob})
    assert json.loads(who.stdout)["username"] == "bob"
    assert json.loads(who.stdout)["token_source"] == "TANK_TOKEN"
    out = world.tank("logout", env={"TANK_TOKEN": bob})
    assert out.returncode == ExitCode.OK
    assert "TANK_TOKEN is still set" in out.stderr
    # alice's stored token was revoked; bob's CI token was not touched
    assert world.server.client(alice).get("/v1/whoami").status_code == 401
    assert world.server.client(bob).get("/v1/whoami").status_code == 200
    assert_secret_absent(bob, who, out)


def test_login_without_credentials_off_a_terminal_is_a_usage_error(
    client_world: ClientWorld,
) -> None:
    world = client_world
    result = world.tank("login", input="")
    assert result.returncode == ExitCode.USAGE
    assert "hint:" in result.stderr and "--password-stdin" in result.stderr
    both = world.tank("login", "--token", "x" * 20, "-u", "alice")
    assert both.returncode == ExitCode.USAGE
    http = world.tank("login", "--registry", "http://evil.example", "--token", "x" * 20)
    assert http.returncode == ExitCode.USAGE
    assert "https" in http.stderr


def test_logout_when_the_registry_is_down_still_forgets(client_world: ClientWorld) -> None:
    world = client_world
    token = world.publisher("alice")
    assert world.tank("login", "--token", token).returncode == ExitCode.OK
    world.server.stop()
    out = world.tank("logout")
    assert out.returncode == ExitCode.OK
    assert "not revoked" in out.stderr
    assert world.server.url not in credentials(world)


# ---------------------------------------------------------------- tank config (no registry needed)


def config_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "TANK_CONFIG_DIR": str(tmp_path / "config"),
        "TANK_CACHE_DIR": str(tmp_path / "cache"),
        "TANK_REGISTRY": "",
        "TANK_NO_KEYRING": "1",
        **extra,
    }


def test_config_set_get_list_delete(tmp_path: Path) -> None:
    env = config_env(tmp_path)
    listed = json.loads(run_tank("config", "list", "--json", env=env).stdout)
    assert listed["settings"] == [
        {"key": "registry", "value": "http://127.0.0.1:8800", "source": "built-in default"}
    ]

    assert (
        run_tank("config", "set", "registry", "https://tank.example.com/", env=env).returncode == 0
    )
    assert (
        run_tank("config", "set", "@corp:registry", "https://corp.example", env=env).returncode == 0
    )
    config_file = tmp_path / "config" / "config.toml"
    text = config_file.read_text()
    assert 'registry = "https://tank.example.com"' in text  # normalised: no trailing slash
    assert run_tank("config", "get", "registry", env=env).stdout == "https://tank.example.com\n"
    scoped = json.loads(run_tank("config", "get", "@corp:registry", "--json", env=env).stdout)
    assert scoped == {
        "key": "@corp:registry",
        "value": "https://corp.example",
        "source": str(config_file),
    }
    # an unset scope falls back to the default registry, and says so
    other = json.loads(run_tank("config", "get", "@other:registry", "--json", env=env).stdout)
    assert other["value"] == "https://tank.example.com"
    assert other["source"].startswith("default registry")

    # the environment wins over the file, and list says where each value comes from
    env_over = {**env, "TANK_REGISTRY": "http://localhost:9000"}
    plain = run_tank("config", "list", env=env_over).stdout
    assert "registry       = http://localhost:9000  (environment TANK_REGISTRY)" in plain
    assert f"@corp:registry = https://corp.example  ({config_file})" in plain

    deleted = run_tank("config", "delete", "@corp:registry", env=env)
    assert deleted.returncode == 0 and "deleted" in deleted.stdout
    assert "@corp" not in config_file.read_text()
    missing = run_tank("config", "delete", "@corp:registry", env=env)
    assert missing.returncode == 0 and "not set" in missing.stdout


def test_config_refuses_insecure_urls_and_unknown_keys(tmp_path: Path) -> None:
    env = config_env(tmp_path)
    for url in (
        "http://evil.example",
        "https://user:pw@tank.example.com",
        "https://tank.example.com/?x=1",
        "not a url",
    ):
        result = run_tank("config", "set", "registry", url, env=env)
        assert result.returncode == ExitCode.USAGE, url
        assert "hint:" in result.stderr
    scoped = run_tank("config", "set", "@corp:registry", "http://evil.example", env=env)
    assert scoped.returncode == ExitCode.USAGE
    assert not (tmp_path / "config" / "config.toml").exists()  # nothing was written
    unknown = run_tank("config", "set", "token", "abc", env=env)
    assert unknown.returncode == ExitCode.USAGE and "unknown config key" in unknown.stderr
    assert run_tank("config", "get", "Registry", env=env).returncode == ExitCode.USAGE
    # plain http is fine for the local machine (a registry under development)
    ok = run_tank("config", "set", "registry", "http://localhost:8800", env=env)
    assert ok.returncode == ExitCode.OK


def test_config_file_that_is_not_toml_is_a_clear_error(tmp_path: Path) -> None:
    env = config_env(tmp_path)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("registry = [unclosed\n")
    result = run_tank("config", "list", env=env)
    assert result.returncode == ExitCode.INVALID
    assert "config.toml" in result.stderr and "hint:" in result.stderr


def test_interactive_login_prompts_and_hides_the_password(client_world: ClientWorld) -> None:
    world = client_world
    world.publisher("alice")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tank.cli.main", "login"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, **world.env},
    )
    os.close(follower)
    seen = b""

    def expect(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while text not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                seen += os.read(leader, 4096)
        assert text in seen, seen

    expect(b"Username: ")
    os.write(leader, b"alice\n")
    expect(b"Password: ")
    os.write(leader, CLIENT_PASSWORD.encode() + b"\n")
    expect(b"Logged in to")
    assert process.wait(timeout=60) == ExitCode.OK
    with contextlib.suppress(OSError):
        seen += os.read(leader, 4096)
    os.close(leader)
    assert b"as alice" in seen
    assert CLIENT_PASSWORD.encode() not in seen  # typed, but never echoed
    assert isinstance(credentials(world)[world.server.url]["token"], str)
