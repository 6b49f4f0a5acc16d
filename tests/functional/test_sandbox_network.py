"""``tank run`` with real bubblewrap and the real proxy: a probe skill that declares hosts.

Each run is the real CLI in a subprocess (``sandbox_net_entry.py``), through bubblewrap, the
launcher, the in-sandbox bridge, Landlock and seccomp, to the proxy outside. The only seam is
the proxy's resolver and address check (a Python parameter, never an option): the test names
``*.probe.test`` resolve to where the test says, and for the upstreams to be reachable on
loopback the check admits loopback (``loopback: true``); the rebinding tests keep the strict
default check. The servers listen on free ports, which the proxy is told to allow.
"""

from __future__ import annotations

import datetime
import json
import os
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.functional.proxy_upstreams import HttpUpstream, echo_server, http_upstream
from tests.functional.sandbox_world import SandboxWorld, needs_bwrap

pytestmark = needs_bwrap

ENTRY = Path(__file__).with_name("sandbox_net_entry.py")
HOST = "api.probe.test"


@pytest.fixture
def world(tmp_path: Path) -> SandboxWorld:
    return SandboxWorld(tmp_path).setup()


@pytest.fixture
def web() -> Iterator[HttpUpstream]:
    with http_upstream() as upstream:
        yield upstream


@pytest.fixture
def echo() -> Iterator[int]:
    with echo_server() as port:
        yield port


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for :data:`HOST` (the probe trusts it as its ``ca.pem``)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def tls_upstream(folder: Path) -> Iterator[tuple[int, str]]:
    """An HTTPS server for :data:`HOST` on a free loopback port: (port, its certificate)."""
    cert, key = _certificate(folder)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"tls {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], cert.read_text()
    finally:
        server.shutdown()
        server.server_close()


def run(
    world: SandboxWorld,
    *probe: str,
    names: dict[str, str] | None = None,
    ports: tuple[int, ...] = (),
    loopback: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the probe with ``--json`` through the test entry; (its verdict, the run record)."""
    spec = {"names": names or {HOST: "127.0.0.1"}, "ports": ports or (80,), "loopback": loopback}
    result = subprocess.run(
        [sys.executable, str(ENTRY), json.dumps(spec), "run", "./probe", "--json", "--", *probe],
        capture_output=True,
        text=True,
        env={**os.environ, **world.env},
        cwd=world.project,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    record: dict[str, Any] = json.loads(result.stdout)
    verdict: dict[str, Any] = json.loads(record["output"].strip().splitlines()[-1])
    return verdict, record


def connections(record: dict[str, Any], host: str) -> list[dict[str, Any]]:
    return [c for c in record["connections"] if c["host"] == host]


def test_a_declared_host_is_reached_through_the_proxy(
    world: SandboxWorld, web: HttpUpstream, echo: int, tmp_path: Path
) -> None:
    with tls_upstream(tmp_path) as (tls_port, cert):
        world.skill({"network": {"outbound": [HOST]}}, files={"scripts/ca.pem": cert})
        ports = (web.port, tls_port, echo)
        plain, record = run(world, "get", f"http://{HOST}:{web.port}/hello", ports=ports)
        assert plain["ok"] and plain["detail"].startswith("200 "), plain
        assert json.loads(plain["detail"][4:])["path"] == "/hello"
        assert [s.path for s in web.seen] == ["/hello"]
        assert [(c["method"], c["allowed"], c["reason"]) for c in record["connections"]] == [
            ("GET", True, "allowed")
        ]
        assert record["connections"][0]["address"] == "127.0.0.1"
        # the probe connected to the bridge's numeric address: no DNS denial is reported
        assert record["denials"] == [], record["denials"]
        tls, record = run(world, "get", f"https://{HOST}:{tls_port}/secure", ports=ports)
        assert tls == {"ok": True, "detail": "200 tls /secure"}, tls
        assert [(c["method"], c["port"]) for c in record["connections"]] == [("CONNECT", tls_port)]
        assert record["denials"] == []
    tunnel, record = run(world, "tunnel", f"{HOST}:{echo}", ports=ports)
    assert tunnel == {"ok": True, "detail": "through the tunnel"}, tunnel
    assert record["connections"][0]["allowed"]


def test_an_undeclared_host_is_refused_and_logged(world: SandboxWorld, web: HttpUpstream) -> None:
    world.skill({"network": {"outbound": [HOST]}})
    names = {HOST: "127.0.0.1", "evil.probe.test": "127.0.0.1"}
    verdict, record = run(
        world, "get", f"http://evil.probe.test:{web.port}/x", names=names, ports=(web.port,)
    )
    assert not verdict["ok"] and verdict["detail"].startswith("RuntimeError: 403 ")
    assert "host not declared" in verdict["detail"]
    assert web.seen == []
    [refused] = connections(record, "evil.probe.test")
    assert not refused["allowed"] and refused["reason"] == "host not declared"
    assert "not declared in permissions.network.outbound" in refused["detail"]
    tunnel, record = run(world, "tunnel", f"evil.probe.test:{web.port}", names=names)
    assert not tunnel["ok"] and "403" in tunnel["detail"]
    assert connections(record, "evil.probe.test")[0]["method"] == "CONNECT"
    logs = world.tank("logs", "probe")
    assert "refused (host not declared) GET evil.probe.test" in logs.stdout, logs.stdout
    logged = [
        json.loads(line) for line in world.tank("logs", "probe", "--json").stdout.splitlines()
    ]
    assert logged[-1]["connections"][0]["reason"] == "host not declared"


@pytest.mark.parametrize(
    ("address", "loopback", "why"),
    [
        ("127.0.0.1", False, "loopback"),  # the strict default check, as a real run has it
        ("::ffff:127.0.0.1", False, "loopback"),
        ("10.0.0.5", True, "private"),  # even where the test admits loopback
        ("169.254.169.254", True, "link-local"),  # a cloud metadata service
    ],
)
def test_a_declared_host_resolving_to_a_private_address_is_refused(
    world: SandboxWorld, web: HttpUpstream, address: str, loopback: bool, why: str
) -> None:
    world.skill({"network": {"outbound": [HOST]}})
    verdict, record = run(
        world,
        "get",
        f"http://{HOST}:{web.port}/",
        names={HOST: address},
        ports=(web.port,),
        loopback=loopback,
    )
    assert not verdict["ok"] and "403" in verdict["detail"], verdict
    assert web.seen == []
    [refused] = record["connections"]
    assert refused["reason"] == "address not public" and why in refused["detail"], refused


def test_the_request_rate_is_limited(world: SandboxWorld, web: HttpUpstream) -> None:
    world.skill({"network": {"outbound": [HOST], "max_requests_per_minute": 3}})
    verdict, record = run(world, "get-many", f"5 http://{HOST}:{web.port}/", ports=(web.port,))
    assert verdict["detail"] == "200,200,200,429,429", verdict
    assert len(web.seen) == 3
    limited = [c for c in record["connections"] if not c["allowed"]]
    assert [c["reason"] for c in limited] == ["rate limit", "rate limit"]
    assert limited[0]["detail"] == "over 3 requests per minute"


def test_no_direct_connection_and_no_dns_even_with_declared_hosts(
    world: SandboxWorld, web: HttpUpstream
) -> None:
    world.skill({"network": {"outbound": [HOST]}})
    verdict, record = run(world, "connect", str(web.port), ports=(web.port,))
    assert not verdict["ok"], verdict
    assert web.seen == [] and record["connections"] == []
    assert [d["kind"] for d in record["denials"]] == ["network"]
    assert f"127.0.0.1', {web.port}" in record["denials"][0]["detail"]
    resolved, record = run(world, "resolve", HOST)
    assert not resolved["ok"] and "gaierror" in resolved["detail"], resolved
    assert record["denials"] == [
        {"kind": "dns", "detail": f"resolve '{HOST}'", "source": "launcher"}
    ]
    assert record["connections"] == []  # the proxy was never asked either
    assert not run(world, "udp")[0]["ok"]


def test_refusals_of_a_looping_skill_are_capped_in_the_log(
    world: SandboxWorld, web: HttpUpstream
) -> None:
    world.skill({"network": {"outbound": [HOST]}})
    names = {HOST: "127.0.0.1", "evil.probe.test": "127.0.0.1"}
    url = f"http://evil.probe.test:{web.port}/"
    verdict, record = run(world, "get-many", f"30 {url}", names=names, ports=(web.port,))
    assert verdict["detail"] == ",".join(["403"] * 30)
    refused = connections(record, "evil.probe.test")
    assert len(refused) == 6
    assert all(c["reason"] == "host not declared" for c in refused)
    assert [c.get("suppressed") for c in refused] == [None] * 5 + [25]
    assert "25 more refused" in refused[-1]["detail"]
    assert "(and 25 more)" in world.tank("logs", "probe").stdout
