"""``tank run`` with real bubblewrap: a probe skill tries each thing a skill must not do
without declaring it, and must be refused; declared, the same thing works.

Each test runs the real CLI in a subprocess, with a temporary HOME holding a planted
``~/.ssh/id_rsa``. Reaching servers through the proxy is tested in test_sandbox_network.py;
here that there is no network at all without declared hosts, and that declared ones go
through the proxy.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.sandbox_world import SSH_KEY, SandboxWorld, needs_bwrap

pytestmark = needs_bwrap


@pytest.fixture
def world(tmp_path: Path) -> SandboxWorld:
    return SandboxWorld(tmp_path).setup()


# ------------------------------------------------------------------ files


def test_the_planted_ssh_key_is_absent_unless_declared(world: SandboxWorld) -> None:
    world.skill()
    denied = world.probe("read", "~/.ssh/id_rsa")
    assert not denied["ok"]
    assert "FileNotFoundError" in denied["detail"]  # simply absent, not merely unreadable
    assert not world.probe("listdir", "~")["ok"] or world.probe("listdir", "~")["detail"] == ""
    world.skill({"filesystem": {"read": ["~/.ssh/**"]}})
    allowed = world.probe("read", "~/.ssh/id_rsa")
    assert allowed == {"ok": True, "detail": SSH_KEY, "stderr": allowed["stderr"]}


def test_writes_land_only_in_declared_paths(world: SandboxWorld) -> None:
    world.skill()
    assert not world.probe("write", "out.txt")["ok"]
    assert not world.probe("write", f"{world.project}/../out.txt")["ok"]
    assert world.probe("write", "$TMPDIR/scratch.txt")["ok"]  # the private temporary folder
    world.skill({"filesystem": {"write": ["./out/**"]}})
    assert world.probe("write", "out/result.txt")["ok"]
    assert (world.project / "out/result.txt").read_text() == "probe"
    # next to it, or climbing out with .., stays refused
    assert not world.probe("write", "notes.txt")["ok"]
    assert not world.probe("write", "out/../notes.txt")["ok"]
    assert not (world.project / "notes.txt").exists()
    # the skill folder stays read-only even inside a writable project
    world.skill({"filesystem": {"write": ["./**"]}})
    assert world.probe("write", "notes.txt")["ok"]
    assert not world.probe("write", "probe/scripts/probe.py")["ok"]


def test_write_only_paths_cannot_be_read(world: SandboxWorld) -> None:
    (world.project / "drop").mkdir()
    (world.project / "drop/old.txt").write_text("earlier data")
    world.skill({"filesystem": {"write": ["./drop/**"]}})
    assert world.probe("write", "drop/new.txt")["ok"]
    assert not world.probe("read", "drop/old.txt")["ok"]  # Landlock: write does not imply read


def test_undeclared_project_files_are_hidden(world: SandboxWorld) -> None:
    (world.project / ".env").write_text("API_KEY=hunter2")
    (world.project / "docs").mkdir()
    (world.project / "docs/guide.md").write_text("# Guide")
    world.skill()
    assert not world.probe("read", ".env")["ok"]
    assert not world.probe("read", "docs/guide.md")["ok"]
    world.skill({"filesystem": {"read": ["./docs/**"]}})
    assert world.probe("read", "docs/guide.md")["ok"]
    assert not world.probe("read", ".env")["ok"]
    assert not world.probe("read", "docs/../.env")["ok"]


def test_a_symlink_cannot_widen_a_grant(world: SandboxWorld) -> None:
    (world.project / "docs").symlink_to(world.home / ".ssh")
    world.skill({"filesystem": {"read": ["./docs/**"]}})
    verdict = world.probe("read", "docs/id_rsa")
    assert not verdict["ok"]
    assert "denied (grant)" in verdict["stderr"] and "leads outside" in verdict["stderr"]
    # a link inside a granted folder points at a path the sandbox does not have
    (world.project / "docs").unlink()
    (world.project / "docs").mkdir()
    (world.project / "docs/key").symlink_to(world.home / ".ssh/id_rsa")
    assert not world.probe("read", "docs/key")["ok"]


# ------------------------------------------------------------------ processes, secrets, calls


def test_no_subprocess_unless_declared(world: SandboxWorld) -> None:
    world.skill()
    verdict = world.probe("spawn", "/bin/true")
    assert not verdict["ok"] and "PermissionError" in verdict["detail"]
    assert "denied (subprocess)" in verdict["stderr"]
    world.skill({"subprocess": True})
    assert world.probe("spawn", "/bin/true")["ok"]


def test_shell_entry_runs_builtins_but_no_programs(world: SandboxWorld) -> None:
    script = "#!/bin/sh\necho builtin-ok\n/bin/ls /usr >/dev/null && echo ls-ran\nexit 0\n"
    world.skill(files={"scripts/main.sh": script})
    result = world.tank("run", "./probe", "--script", "scripts/main.sh")
    assert "builtin-ok" in result.stdout and "ls-ran" not in result.stdout
    assert "Cannot fork" in result.stderr  # dash gives up on the script: no new process
    world.skill({"subprocess": True}, files={"scripts/main.sh": script})
    result = world.tank("run", "./probe", "--script", "scripts/main.sh")
    assert "ls-ran" in result.stdout, result.stderr


def test_undeclared_secrets_are_nowhere(world: SandboxWorld) -> None:
    env = {"PROBE_SECRET": "s3cr3t-value", "OTHER_TOKEN": "t0ken"}
    world.skill()
    verdict = world.probe("env", "PROBE_SECRET", env=env)
    assert not verdict["ok"], verdict
    assert "/proc/1/environ" in verdict["detail"] or "absent" in verdict["detail"]
    world.skill({"secrets": ["PROBE_SECRET"]})
    assert world.probe("env", "PROBE_SECRET", env=env)["detail"] == "os.environ"
    assert not world.probe("env", "OTHER_TOKEN", env=env)["ok"]


@pytest.mark.parametrize("call", ["ptrace", "unshare", "mount", "bpf", "keyctl"])
def test_dangerous_system_calls_fail_with_eperm(world: SandboxWorld, call: str) -> None:
    world.skill({"subprocess": True, "filesystem": {"write": ["./**"]}})
    verdict = world.probe("syscall", call)
    assert not verdict["ok"]
    assert "Operation not permitted" in verdict["detail"], verdict


# ------------------------------------------------------------------ network


@pytest.fixture
def loopback_server() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conn.sendall(b"host-secret")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


def test_no_network_at_all_without_declared_hosts(
    world: SandboxWorld, loopback_server: int
) -> None:
    with socket.create_connection(("127.0.0.1", loopback_server)) as sock:
        assert sock.recv(16) == b"host-secret"  # the server answers from the host
    world.skill({"subprocess": True})
    verdict = world.probe("connect", str(loopback_server))
    assert not verdict["ok"] and "host-secret" not in verdict["detail"]
    assert "denied (network)" in verdict["stderr"]
    resolved = world.probe("resolve", "example.com")
    assert not resolved["ok"] and "denied (dns)" in resolved["stderr"]
    assert not world.probe("udp")["ok"]


def test_declared_hosts_go_through_the_proxy(world: SandboxWorld) -> None:
    """The real `tank run`, nothing injected: the proxy resolves with the system resolver
    and admits public addresses only (test_sandbox_network.py reaches servers through it).
    ``.invalid`` never resolves (RFC 6761), with or without internet."""
    world.skill({"network": {"outbound": ["api.example.invalid"]}})
    assert world.probe("env", "HTTPS_PROXY")["detail"] == "os.environ"
    declared = world.probe("get", "http://api.example.invalid/")
    assert not declared["ok"] and "resolve failed" in declared["detail"], declared
    assert declared["detail"].startswith(("RuntimeError: 502 ", "RuntimeError: 504 "))
    assert "tank: refused (resolve failed): GET api.example.invalid:80" in declared["stderr"]
    other = world.probe("get", "http://other.example.invalid/")
    assert other["detail"].startswith("RuntimeError: 403 ") and "not declared" in other["detail"]
    assert "tank: refused (host not declared)" in other["stderr"]
    resolved = world.probe("resolve", "api.example.invalid")  # no DNS inside, declared or not
    assert not resolved["ok"] and "denied (dns)" in resolved["stderr"]
    assert "denied (dns): resolve '127.0.0.1'" not in declared["stderr"]


# ------------------------------------------------------------------ the log


def test_every_run_is_logged_without_arguments_or_secrets(world: SandboxWorld) -> None:
    world.skill()
    world.probe("read", "~/.ssh/id_rsa", env={"PROBE_SECRET": "s3cr3t-value"})
    world.probe("spawn", "/bin/true")
    result = world.tank("logs", "probe", "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["skill"] for r in records] == ["@test/probe", "@test/probe"]
    assert all(r["sandboxed"] and r["landlock_abi"] >= 1 and r["exit"] == 0 for r in records)
    assert records[1]["denials"][0]["kind"] == "subprocess"
    assert "s3cr3t" not in result.stdout and "id_rsa" not in result.stdout
    text = world.tank("logs").stdout
    assert "@test/probe@1.0.0" in text and "denied subprocess" in text
    assert world.tank("logs", "other", "--json").stdout == ""
    assert os.stat(world.root / "config/state/logs/runs.jsonl").st_mode & 0o077 == 0
