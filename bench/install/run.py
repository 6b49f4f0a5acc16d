"""Install 200 small skills: Tank vs npm, pnpm, bun (Verdaccio 5.33) and uv (nginx, PEP 503/658).

    apt-get install -y nginx                                  # once: uv's static index server
    npm install --prefix bench/registry/verdaccio             # once: Verdaccio 5.33 (Node 20)
    npm install --prefix bench/install/tools                  # once: pnpm and bun, pinned
    .venv/bin/python bench/install/run.py [--runs 3] [--tools tank,npm,...] [--readme]

Data (``generate.py``, seeded): 200 skills of 10 files, ~50 KB each, as Tank skills, npm
packages and wheels with the same files. Every server runs on a free port of 127.0.0.1, in its
own process group, stopped in a ``finally`` block:

* Tank: ``tank registry serve`` (SQLite, 1 worker, write rate limits off for the 200
  publishes), the skills published with ``POST /v1/skills`` by user ``bench`` (who owns the
  personal scope ``@bench``);
* Verdaccio 5.33 (one Node process, no uplinks) for npm, pnpm and bun, the packages
  published with the JSON document ``npm publish`` sends, by a user signed up through the npm
  user API (``pnpm-age0`` is pnpm with its default one-day release-age gate turned off);
* nginx (one worker) serving a static PEP 503 index with PEP 658 / 714 metadata for uv.

Published state is kept under ``bench/.work/install/n<count>/`` and reused while the data's
stamp matches, so only the first run publishes.

For each tool, in each of ``--runs`` rounds (tools interleaved within a round, so that load
drifts hit every tool alike; each round waits for the load to settle below ``--max-load``),
these installs are timed, wall clock of the whole process:

1. *cold, no lock*: fresh empty cache and a fresh private ``HOME``, no lockfile, nothing
   installed;
2. *warm, no lock*: same cache, lockfile and install target deleted;
3. *warm, lock*: same cache, lockfile kept, install target deleted;
4. *no-op*: everything in place, the install run again (and a second time, ``noop2``,
   reported under the table);
5. *cold, lock*: fresh empty cache and ``HOME``, lockfile kept, install target deleted.

After every install the harness counts the installed packages (each must hold its 10 files);
a short count fails the install, so a broken install cannot look fast. A failing tool (for
example ``tank install`` before it exists) is reported as *failed* with the tail of its
output; the other tools go on. ``--readme`` writes the tables between the install-results
markers of bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # bench/common.py

from common import free_port, multipart, tail  # noqa: E402
from generate import (  # noqa: E402
    COUNT,
    PUBLISHED_AT,
    SCOPE,
    VERSION,
    WORK,
    dist_names,
    generate,
    skill_names,
)

BENCH = HERE.parent
README = BENCH / "README.md"
BEGIN, END = "<!-- install-results:begin -->", "<!-- install-results:end -->"
VERDACCIO_DIR = BENCH / "registry" / "verdaccio"
VERDACCIO_BIN = VERDACCIO_DIR / "node_modules" / ".bin" / "verdaccio"
TOOLS_BIN = HERE / "tools" / "node_modules" / ".bin"
USER, PASSWORD = SCOPE, "bench-password-1"  # user `bench` owns the personal scope @bench
FILES_PER_SKILL = 10
STATES = ("cold", "cold_lock", "warm", "warm_lock", "noop")
STATE_TITLES = {
    "cold": "cold, no lock (s)",
    "cold_lock": "cold, lock (s)",
    "warm": "warm, no lock (s)",
    "warm_lock": "warm, lock (s)",
    "noop": "no-op (ms)",
}
#: The order the states are measured in within one round (see the module docstring).
#: ``noop2`` is a second re-run straight after the first: what a tool caches during its first
#: re-run (uv: the new venv's interpreter facts) shows up there; it is reported under the table.
SEQUENCE = ("cold", "warm", "warm_lock", "noop", "noop2", "cold_lock")
#: Tank only, after the round: one file edited in each of :data:`DRIFTED` installed skills,
#: then ``tank install`` (which notices and restores them); reported under the table.
ALL_STATES = (*STATES, "noop2", "repair")
DRIFTED = 10
DRIFT_MARK = b"\n<!-- drift -->\n"
INSTALL_TIMEOUT = 600


# --------------------------------------------------------------------------- processes


class Servers:
    """Every server started here, stopped by process group whatever happens."""

    def __init__(self) -> None:
        self.procs: list[tuple[subprocess.Popen[bytes], Any]] = []

    def start(
        self, cmd: list[str], log: Path, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log.parent.mkdir(parents=True, exist_ok=True)
        out = log.open("wb")
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
        self.procs.append((proc, out))
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        for i, (p, out) in enumerate(self.procs):
            if p is proc:
                self._kill(p)
                out.close()
                del self.procs[i]
                return

    def stop_all(self) -> None:
        for proc, out in self.procs:
            self._kill(proc)
            out.close()
        self.procs.clear()

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if proc.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)  # the server's own group (start_new_session)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(wait)
        with contextlib.suppress(ProcessLookupError):  # workers outliving their parent
            os.killpg(proc.pid, signal.SIGKILL)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes]:
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        c.request(method, path, body=body, headers=headers or {})
        resp = c.getresponse()
        return resp.status, resp.read()
    finally:
        if conn is None:
            c.close()


def wait_ready(port: int, path: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; log {log}:\n{tail(log)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if request(port, "GET", path)[0] == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"server on port {port} not ready after 120 s; log {log}:\n{tail(log)}")


def check(cmd: list[str], **kw: Any) -> str:
    proc: subprocess.CompletedProcess[str] = subprocess.run(
        cmd, capture_output=True, text=True, check=False, **kw
    )
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def first_line(cmd: list[str], env: dict[str, str] | None = None) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30, env=env, check=False)
    except OSError:
        return "?"
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    return lines[0].strip() if lines else "?"


# --------------------------------------------------------------------------- servers


@dataclass
class Registries:
    tank: str = ""  # base URLs, no trailing slash
    npm: str = ""
    pypi: str = ""  # the simple index, with its trailing slash
    #: With --count-requests: the access log of each server (key: tank, npm, pypi).
    access_logs: dict[str, Path] = field(default_factory=dict)


def _stamp(data: Path) -> str:
    return (data / "stamp.json").read_text()


def _fresh_or_kept(state: Path, data: Path) -> bool:
    """True if ``state`` already holds what ``data`` publishes; otherwise wipe it."""
    marker = state / "published.json"
    if marker.exists() and marker.read_text() == _stamp(data):
        return True
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    return False


def start_verdaccio(servers: Servers, base: Path, data: Path, access_log: bool) -> str:
    state = base / "verdaccio"
    kept = _fresh_or_kept(state, data)
    # Same settings as bench/registry/verdaccio/config.yaml, with storage of its own here.
    (state / "config.yaml").write_text(
        "storage: ./storage\n"
        "auth:\n  htpasswd:\n    file: ./htpasswd\n    max_users: 100\n"
        "uplinks: {}\n"
        "packages:\n"
        "  '@*/*':\n    access: $all\n    publish: $authenticated\n"
        "  '**':\n    access: $all\n    publish: $authenticated\n"
        "web:\n  enable: false\n"
        "server:\n  keepAliveTimeout: 60\n"
        "max_body_size: 50mb\n"
        # Level http logs one line per request (--count-requests only: it costs time).
        f"log: {{ type: stdout, format: json, level: {'http' if access_log else 'warn'} }}\n"
    )

    def launch() -> tuple[subprocess.Popen[bytes], int]:
        port = free_port()
        log = base / "logs" / "verdaccio.log"
        cmd = [str(VERDACCIO_BIN), "--config", str(state / "config.yaml")]
        proc = servers.start([*cmd, "--listen", f"127.0.0.1:{port}"], log)
        wait_ready(port, "/-/ping", proc, log)
        return proc, port

    if not kept:
        proc, port = launch()
        publish_npm(port, data)
        servers.stop(proc)
        # Verdaccio stamps each version with the time of its publish, i.e. just now. pnpm
        # (since 11) holds back versions younger than its default minimumReleaseAge (1 day)
        # and, non-strict by default, writes each of them into pnpm-workspace.yaml's
        # minimumReleaseAgeExclude. Real dependencies are older than a day: date these too.
        for doc_path in (state / "storage").glob(f"@{SCOPE}/*/package.json"):
            doc = json.loads(doc_path.read_text())
            doc["time"] = dict.fromkeys(doc["time"], PUBLISHED_AT)
            doc_path.write_text(json.dumps(doc, indent=2))
        (state / "published.json").write_text(_stamp(data))
    _, port = launch()
    return f"http://127.0.0.1:{port}"


def publish_npm(port: int, data: Path) -> None:
    """Sign up user ``bench`` and publish every npm package as ``npm publish`` would."""
    url = f"http://127.0.0.1:{port}"
    body = json.dumps({"name": USER, "password": PASSWORD}).encode()
    status, answer = request(
        port, "PUT", f"/-/user/org.couchdb.user:{USER}", body, {"Content-Type": "application/json"}
    )
    if status not in (200, 201):
        raise SystemExit(f"Verdaccio sign-up failed: {status} {answer[:300]!r}")
    token = json.loads(answer)["token"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    index = json.loads((data / "npm" / "index.json").read_text())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for name, entry in index.items():
            tgz = (data / "npm" / entry["file"]).read_bytes()
            path = "/" + urllib.parse.quote(name, safe="@")
            payload = npm_publish_body(name, entry["manifest"], tgz, url)
            status, answer = request(port, "PUT", path, payload, headers, conn=conn)
            if status not in (200, 201):
                raise SystemExit(f"Verdaccio publish {name}: {status} {answer[:300]!r}")
    finally:
        conn.close()


def npm_publish_body(name: str, manifest: dict[str, Any], tgz: bytes, base_url: str) -> bytes:
    """The JSON document ``npm publish`` PUTs to ``/<name>`` (libnpmpublish's shape)."""
    filename = f"{name.rsplit('/', maxsplit=1)[-1]}-{VERSION}.tgz"
    version = dict(manifest)
    version.update(
        {
            "_id": f"{name}@{VERSION}",
            "dist": {
                "integrity": "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode(),
                "shasum": hashlib.sha1(tgz).hexdigest(),  # npm's legacy field
                "tarball": f"{base_url}/{name}/-/{filename}",
            },
        }
    )
    body = {
        "_id": name,
        "name": name,
        "description": manifest["description"],
        "dist-tags": {"latest": VERSION},
        "versions": {VERSION: version},
        "access": "public",
        "_attachments": {
            filename: {
                "content_type": "application/octet-stream",
                "data": base64.b64encode(tgz).decode(),
                "length": len(tgz),
            }
        },
    }
    return json.dumps(body).encode()


def start_tank(servers: Servers, base: Path, data: Path, tank: str) -> str:
    state = base / "tank"
    kept = _fresh_or_kept(state, data)
    db = f"sqlite:///{state / 'registry.db'}"
    port = free_port()
    log = base / "logs" / "tank-registry.log"
    env = dict(os.environ)
    # 200 publishes in a few seconds: the default write limits (60/min per token) would refuse.
    env["TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN"] = "0"
    env["TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP"] = "0"
    cmd = [tank, "registry", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--database-url", db, "--storage", str(state / "blobs"), "--workers", "1"]
    proc = servers.start(cmd, log, env=env)
    wait_ready(port, "/v1/health", proc, log)
    if not kept:
        check([tank, "registry", "create-user", USER, "--password", PASSWORD, "--database-url", db])
        body = json.dumps({"username": USER, "password": PASSWORD, "scopes": ["read", "publish"]})
        status, answer = request(
            port, "POST", "/v1/tokens", body.encode(), {"Content-Type": "application/json"}
        )
        if status not in (200, 201):
            raise SystemExit(f"Tank token: {status} {answer[:300]!r}")
        token = json.loads(answer)["token"]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            for tgz in sorted((data / "tank").glob("*.tgz")):
                payload, ctype = multipart("tarball", tgz.name, tgz.read_bytes())
                headers = {"Authorization": f"Bearer {token}", "Content-Type": ctype}
                status, answer = request(port, "POST", "/v1/skills", payload, headers, conn=conn)
                if status not in (200, 201):
                    raise SystemExit(f"Tank publish {tgz.name}: {status} {answer[:500]!r}")
        finally:
            conn.close()
        (state / "published.json").write_text(_stamp(data))
    return f"http://127.0.0.1:{port}"


def start_nginx(servers: Servers, base: Path, data: Path, access_log: bool) -> str:
    prefix = base / "nginx"
    shutil.rmtree(prefix, ignore_errors=True)
    (prefix / "tmp").mkdir(parents=True)
    port = free_port()
    temp = "\n".join(
        f"  {kind}_temp_path {prefix / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Run as root, nginx would hand its worker to `nobody`; keep it as the invoking user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""daemon off;
{user}worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
  types {{ text/html html; application/octet-stream whl metadata; }}
  default_type application/octet-stream;
  access_log {prefix / "access.log" if access_log else "off"};
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000;
{temp}
  server {{
    listen 127.0.0.1:{port};
    root {data / "pypi"};
    # PyPI's own header on project pages: a warm uv reuses a page for 10 minutes, as it
    # would against PyPI (Verdaccio sends only an ETag: see the README).
    location /simple/ {{ index index.html; add_header Cache-Control "max-age=600, public"; }}
  }}
}}
"""
    )
    log = base / "logs" / "nginx.log"
    proc = servers.start(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], log)
    wait_ready(port, "/simple/", proc, log)
    return f"http://127.0.0.1:{port}/simple/"


# --------------------------------------------------------------------------- tools


@dataclass
class Sample:
    seconds: float | None  # None: the install failed
    error: str = ""
    requests: int | None = None  # HTTP requests the server saw (--count-requests)


def count_requests(log: Path) -> int:
    """Requests in an access log: nginx writes one line each; Verdaccio (JSON lines at level
    http) lines whose message is ``STATUS, user: ..., req: 'GET ...'``."""
    if not log.exists():
        return 0
    with log.open("rb") as f:
        if log.name == "access.log":
            return sum(1 for _ in f)
        # Verdaccio 5.33 logs every request twice (a first line with status 200 and 0 bytes,
        # then the real status and size).
        return sum(1 for line in f if b", req: '" in line) // 2


class Tool:
    """One installer: how to lay out its project, run it, and check what it installed."""

    name = ""
    server = ""
    registry = ""  # key in Registries.access_logs
    lockfiles: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    extra_states: tuple[str, ...] = ()  # measured after SEQUENCE, each after prepare(state)

    def __init__(self, base: Path, regs: Registries, count: int, args: argparse.Namespace) -> None:
        self.base = base / "runs" / self.name
        self.project = self.base / "project"
        self.home = self.base / "home"  # a private HOME (and XDG dirs): nothing global leaks in
        self.cache = self.base / "cache"
        self.regs = regs
        self.count = count
        self.args = args
        self.samples: dict[str, list[Sample]] = {s: [] for s in ALL_STATES}
        self.log = self.base / "last.log"
        self.version_text = self.name
        self.notes: set[str] = set()  # odd things seen: files the tool added, HOME use
        self.project_files: set[str] = set()

    # -- to override
    def version(self) -> str:
        raise NotImplementedError

    def write_project(self) -> None:
        raise NotImplementedError

    def command(self, state: str) -> list[str]:
        raise NotImplementedError

    def tool_env(self) -> dict[str, str]:
        return {}

    def prepare(self, state: str) -> None:
        """Set up an extra state (see ``extra_states``)."""

    def installed(self) -> list[Path]:
        """The folders of the installed packages, one per package."""
        raise NotImplementedError

    def describe(self) -> dict[str, str]:
        """For the README: command without / with lock, and what is fresh when cold."""
        raise NotImplementedError

    # -- shared
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("npm_", "NPM_", "PNPM_", "pnpm_", "BUN_", "UV_", "TANK_", "VIRTUAL_ENV")
            )
            and k not in {"CI", "NODE_OPTIONS", "PYTHONPATH"}
        }
        home = str(self.home)
        env.update(
            HOME=home,
            XDG_CACHE_HOME=f"{home}/.cache",
            XDG_CONFIG_HOME=f"{home}/.config",
            XDG_DATA_HOME=f"{home}/.local/share",
            XDG_STATE_HOME=f"{home}/.local/state",
            PATH=os.pathsep.join([str(TOOLS_BIN), env.get("PATH", "")]),
        )
        env.update(self.tool_env())
        return env

    def fresh_cache(self) -> None:
        for d in (self.home, self.cache):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)

    def reset(self) -> None:
        shutil.rmtree(self.project, ignore_errors=True)
        self.project.mkdir(parents=True)
        self.write_project()
        self.project_files = {p.name for p in self.project.iterdir()}
        self.fresh_cache()

    def delete_target(self) -> None:
        for t in self.targets:
            p = self.project / t
            if p.is_symlink() or p.is_file():
                p.unlink()
            else:
                shutil.rmtree(p, ignore_errors=True)

    def delete_lock(self) -> None:
        for name in self.lockfiles:
            (self.project / name).unlink(missing_ok=True)

    def verify(self) -> str:
        """An error message if the install is not complete, else ''."""
        folders = self.installed()
        if len(folders) != self.count:
            return f"{len(folders)} packages installed, expected {self.count}"
        short = [
            f for f in folders if sum(1 for p in f.rglob("*") if p.is_file()) < FILES_PER_SKILL
        ]
        if short:
            return f"{len(short)} packages with fewer than {FILES_PER_SKILL} files, e.g. {short[0]}"
        outside = [f for f in folders if not f.is_relative_to(self.project)]
        if outside:  # legitimate (a global virtual store), but it changes what is measured
            self.notes.add(f"links {len(outside)} packages to outside the project")
        return ""

    def measure(self, state: str) -> Sample:
        cmd = self.command(state)
        env = self.env()
        access_log = self.regs.access_logs.get(self.registry)
        seen = count_requests(access_log) if access_log else 0
        os.sync()  # the previous install's writeback must not land in this one's time
        with self.log.open("wb") as out:
            # Popen + a blocking wait(), never subprocess.run(timeout=...): with a timeout
            # CPython polls the child with sleeps doubling from 0.5 ms up to 50 ms, which
            # rounds every time up to the next poll (8, 16, 32, 64, 114 ms ...). The timeout is
            # a timer thread killing the tool's process group instead.
            rc: int | str
            start = time.perf_counter()
            try:
                proc = subprocess.Popen(
                    cmd,
                    cwd=self.project,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as exc:
                rc = f"cannot start: {exc}"
            else:
                timer = threading.Timer(INSTALL_TIMEOUT, os.killpg, (proc.pid, signal.SIGKILL))
                timer.start()
                rc = proc.wait()
                timer.cancel()
                if rc == -signal.SIGKILL:
                    rc = f"killed (timeout {INSTALL_TIMEOUT} s?)"
            elapsed = time.perf_counter() - start
        if rc != 0:
            return Sample(None, f"`{' '.join(cmd)}` exited {rc}:\n{tail(self.log)}")
        problem = self.verify()
        if problem:
            return Sample(None, f"`{' '.join(cmd)}` exited 0 but {problem}:\n{tail(self.log)}")
        known = self.project_files | set(self.lockfiles) | set(self.targets)
        for extra in sorted({p.name for p in self.project.iterdir()} - known):
            self.notes.add(f"wrote `{extra}` into the project")
        requests = None
        if access_log:
            time.sleep(0.5)  # let the server flush its log lines
            requests = count_requests(access_log) - seen
        return Sample(elapsed, requests=requests)

    def check_home(self) -> None:
        """Note files the tool left in its private HOME: a cache outside the one it was given."""
        files = [p for p in self.home.rglob("*") if p.is_file() and not p.is_symlink()]
        if files:
            size = sum(p.stat().st_size for p in files)
            tops = sorted({str(p.relative_to(self.home).parent) for p in files})[:3]
            self.notes.add(
                f"left {len(files)} files ({size / 1024:.0f} KiB) in its private HOME "
                f"({', '.join(tops)})"
            )

    def round(self) -> None:
        """One round: the states in SEQUENCE order (see the module docstring)."""
        self.reset()
        for state in SEQUENCE:
            if state == "warm":
                self.delete_target()
                self.delete_lock()
            elif state == "warm_lock":
                self.delete_target()
            elif state == "cold_lock":
                self.delete_target()
                self.fresh_cache()
            sample = self.measure(state)
            self.samples[state].append(sample)
            shown = f"{sample.seconds:.3f} s" if sample.seconds is not None else "FAILED"
            print(f"  {self.name:9} {state:10} {shown}", file=sys.stderr, flush=True)
            if sample.seconds is None:
                print("    " + sample.error.replace("\n", "\n    "), file=sys.stderr, flush=True)
                if state in ("cold", "warm", "warm_lock"):  # the next states build on this one
                    for rest in SEQUENCE[SEQUENCE.index(state) + 1 :]:
                        self.samples[rest].append(Sample(None, f"skipped: {state} failed"))
                    return
        for state in self.extra_states:
            self.prepare(state)
            sample = self.measure(state)
            self.samples[state].append(sample)
            shown = f"{sample.seconds:.3f} s" if sample.seconds is not None else "FAILED"
            print(f"  {self.name:9} {state:10} {shown}", file=sys.stderr, flush=True)
        self.check_home()


def _node_modules_packages(project: Path) -> list[Path]:
    scope = project / "node_modules" / f"@{SCOPE}"
    if not scope.is_dir():
        return []
    # pnpm links node_modules/@bench/x to its virtual store: resolve, and require the files.
    return [p.resolve() for p in scope.iterdir() if (p / "SKILL.md").is_file()]


class Npm(Tool):
    name, server, registry = "npm", "Verdaccio", "npm"
    lockfiles: tuple[str, ...] = ("package-lock.json",)
    targets = ("node_modules",)

    def version(self) -> str:
        return "npm " + first_line(["npm", "--version"], env=self.env())

    def write_project(self) -> None:
        deps = dict.fromkeys(skill_names(self.count), f"^{VERSION}")
        doc = {"name": "bench-project", "version": "1.0.0", "private": True, "dependencies": deps}
        (self.project / "package.json").write_text(json.dumps(doc, indent=2) + "\n")
        # The project's .npmrc names the registry (npm, pnpm and bun all read it); audit and
        # fund are off as in any CI install (Verdaccio without uplinks has no audit endpoint).
        (self.project / ".npmrc").write_text(
            f"registry={self.regs.npm}/\n@{SCOPE}:registry={self.regs.npm}/\n"
            "audit=false\nfund=false\nupdate-notifier=false\n"
        )

    def command(self, state: str) -> list[str]:
        return ["npm", "install", "--cache", str(self.cache)]

    def installed(self) -> list[Path]:
        return _node_modules_packages(self.project)

    def describe(self) -> dict[str, str]:
        return {
            "command": "`npm install --cache CACHE` (lock or not)",
            "cold": "`--cache` (`_cacache`: packuments and tarballs)",
            "lock": "`package-lock.json`",
        }


class Pnpm(Npm):
    name = "pnpm"
    lockfiles = ("pnpm-lock.yaml",)

    def version(self) -> str:
        return "pnpm " + first_line([str(TOOLS_BIN / "pnpm"), "--version"], env=self.env())

    def tool_env(self) -> dict[str, str]:
        # pnpm 12 reads its own settings from config.yaml / pnpm-workspace.yaml / PNPM_CONFIG_*
        # and ignores .npmrc's update-notifier: without this it asks the registry for `pnpm`.
        return {"PNPM_CONFIG_UPDATE_NOTIFIER": "false"}

    def command(self, state: str) -> list[str]:
        # The content-addressed store and the metadata cache both start empty when cold.
        return [
            str(TOOLS_BIN / "pnpm"),
            "install",
            "--store-dir",
            str(self.cache / "store"),
            "--config.cache-dir=" + str(self.cache / "metadata"),
        ]

    def describe(self) -> dict[str, str]:
        return {
            "command": "`pnpm install --store-dir CACHE/store --config.cache-dir=CACHE/metadata`",
            "cold": "`--store-dir` (content-addressed store) and the metadata cache",
            "lock": "`pnpm-lock.yaml`",
        }


class PnpmAge0(Pnpm):
    """pnpm without its default release-age gate: the figure older pnpm versions give."""

    name = "pnpm-age0"

    def tool_env(self) -> dict[str, str]:
        # pnpm 11+ holds back versions younger than a day (minimumReleaseAge 1440, non-strict)
        # and so reads every package's full metadata, even from a lockfile on a cold cache
        # (one more request per package); 0 turns the gate off.
        return {**super().tool_env(), "PNPM_CONFIG_MINIMUM_RELEASE_AGE": "0"}

    def version(self) -> str:
        return super().version() + ", minimumReleaseAge 0"

    def describe(self) -> dict[str, str]:
        return {
            **super().describe(),
            "command": "as pnpm, with `PNPM_CONFIG_MINIMUM_RELEASE_AGE=0`",
        }


class Bun(Npm):
    name = "bun"
    lockfiles = ("bun.lock", "bun.lockb")

    def version(self) -> str:
        return "bun " + first_line([str(TOOLS_BIN / "bun"), "--version"], env=self.env())

    def tool_env(self) -> dict[str, str]:
        return {"BUN_INSTALL_CACHE_DIR": str(self.cache), "BUN_INSTALL": str(self.home / ".bun")}

    def write_project(self) -> None:
        super().write_project()
        (self.project / "bunfig.toml").write_text(f'[install]\nregistry = "{self.regs.npm}/"\n')

    def command(self, state: str) -> list[str]:
        return [str(TOOLS_BIN / "bun"), "install"]

    def describe(self) -> dict[str, str]:
        return {
            "command": "`bun install`",
            "cold": "`BUN_INSTALL_CACHE_DIR` (manifests and extracted packages)",
            "lock": "`bun.lock`",
        }


class Uv(Tool):
    name, server, registry = "uv", "nginx", "pypi"
    lockfiles = ("uv.lock",)
    targets = (".venv",)

    def version(self) -> str:
        return " ".join(first_line([self.args.uv, "--version"]).split()[:2])  # no target triple

    def tool_env(self) -> dict[str, str]:
        return {
            "UV_CACHE_DIR": str(self.cache),
            # Not UV_NO_CONFIG: it would hide the project's own [tool.uv.index] too. The user's
            # uv.toml is out of reach anyway (private HOME / XDG_CONFIG_HOME).
            "UV_PYTHON_DOWNLOADS": "never",
            "UV_PYTHON": self.args.python,
        }

    def write_project(self) -> None:
        deps = "".join(f'  "{n}>={VERSION}",\n' for n in dist_names(self.count))
        (self.project / "pyproject.toml").write_text(
            '[project]\nname = "bench-project"\nversion = "1.0.0"\n'
            f'requires-python = ">={sys.version_info.major}.{sys.version_info.minor}"\n'
            f"dependencies = [\n{deps}]\n\n"
            # No [build-system]: a virtual project, uv installs its dependencies only.
            f'[[tool.uv.index]]\nname = "bench"\nurl = "{self.regs.pypi}"\ndefault = true\n'
        )

    def command(self, state: str) -> list[str]:
        # With a lock: install exactly what uv.lock says, without checking it against
        # pyproject.toml or the index (`--frozen`), as `npm ci` or a frozen lockfile would.
        frozen = ["--frozen"] if state in ("cold_lock", "warm_lock", "noop") else []
        return [self.args.uv, "sync", *frozen]

    def installed(self) -> list[Path]:
        return [p.parent for p in self.project.glob(".venv/lib/python*/site-packages/*/SKILL.md")]

    def describe(self) -> dict[str, str]:
        return {
            "command": "`uv sync` without lock; `uv sync --frozen` with lock and no-op",
            "cold": "`UV_CACHE_DIR` (index pages, wheels, unpacked archives, interpreter info)",
            "lock": "`uv.lock`",
        }


class Tank(Tool):
    name, server, registry = "tank", "Tank registry", "tank"
    lockfiles = ("skills.lock",)
    targets = (".agents", ".claude")
    extra_states = ("repair",)

    @property
    def binary(self) -> str:
        return str(self.args.tank)

    def version(self) -> str:
        return first_line([self.binary, "--version"])

    def drifted(self) -> list[Path]:
        """One reference file in each of the first DRIFTED installed skills."""
        return [
            sorted((folder / "references").glob("*.md"))[0] for folder in self.installed()[:DRIFTED]
        ]

    def prepare(self, state: str) -> None:
        # Appended in place: through the hard link, the cache's copy changes too (the worst
        # case: the cache unpacks those tarballs again before the repair).
        for path in self.drifted():
            with path.open("ab") as handle:
                handle.write(DRIFT_MARK)

    def tool_env(self) -> dict[str, str]:
        return {
            "TANK_REGISTRY": self.regs.tank,
            "TANK_CACHE_DIR": str(self.cache),
            "TANK_CONFIG_DIR": str(self.home / ".config" / "tank"),
            "TANK_HOME": str(self.home),
        }

    def write_project(self) -> None:
        doc = {
            "name": "bench-project",
            "skills": dict.fromkeys(skill_names(self.count), f"^{VERSION}"),
        }
        (self.project / "skills.json").write_text(json.dumps(doc, indent=2) + "\n")

    def command(self, state: str) -> list[str]:
        return [self.binary, "install"]

    def installed(self) -> list[Path]:
        return sorted({p.parent for p in self.project.glob(".agents/skills/**/SKILL.md")})

    def verify(self) -> str:
        problem = super().verify()
        if problem:
            return problem
        links = [
            p for p in (self.project / ".claude" / "skills").glob("*") if (p / "SKILL.md").exists()
        ]
        if len(links) != self.count:
            return f"{len(links)} skills reachable under .claude/skills, expected {self.count}"
        left = [p for p in self.drifted() if p.read_bytes().endswith(DRIFT_MARK)]
        if left and "repair" in self.extra_states:
            return f"{len(left)} drifted files not restored (first: {left[0]})"
        return ""

    def describe(self) -> dict[str, str]:
        return {
            "command": "`tank install`",
            "cold": "`TANK_CACHE_DIR`",
            "lock": "`skills.lock`",
        }


class TankBase(Tank):
    """Another tank client (``--tank-base``, e.g. the commit before a change), run in the
    same rounds against the same registry, so the two are compared under the same load."""

    name = "tank-base"
    extra_states = ()

    @property
    def binary(self) -> str:
        return str(self.args.tank_base)

    def version(self) -> str:
        return super().version() + " (base)"


TOOLS: dict[str, Callable[..., Tool]] = {
    "tank": Tank,
    "tank-base": TankBase,
    "npm": Npm,
    "pnpm": Pnpm,
    "pnpm-age0": PnpmAge0,
    "bun": Bun,
    "uv": Uv,
}


# --------------------------------------------------------------------------- report


def fmt(samples: list[Sample], ms: bool) -> str:
    good = [s.seconds for s in samples if s.seconds is not None]
    if not samples:
        return "—"
    if len(good) < len(samples):
        return "failed"
    value = statistics.median(good)
    return f"{value * 1000:.0f}" if ms else f"{value:.2f}"


def report(tools: list[Tool], facts: str) -> str:
    out = [facts, ""]
    out.append("| tool | server | " + " | ".join(STATE_TITLES[s] for s in STATES) + " |")
    out.append("| --- | --- |" + " ---: |" * len(STATES))
    for t in tools:
        cells = [fmt(t.samples[s], ms=s == "noop") for s in STATES]
        out.append(f"| {t.version_text} | {t.server} | " + " | ".join(cells) + " |")
    again = ", ".join(f"{t.name} {fmt(t.samples['noop2'], ms=True)}" for t in tools)
    out += ["", f"A second no-op straight after the first (ms): {again}."]
    repairs = [f"{t.name} {fmt(t.samples['repair'], ms=True)}" for t in tools if t.extra_states]
    if repairs:
        out += [
            "",
            f"Repair: `tank install` after one file was edited in each of {DRIFTED} installed "
            f"skills (ms): {', '.join(repairs)}.",
        ]
    out += ["", "| tool | command | cold = fresh | lockfile |", "| --- | --- | --- | --- |"]
    for t in tools:
        d = t.describe()
        out.append(f"| {t.name} | {d['command']} | {d['cold']} | {d['lock']} |")
    failures = []
    for t in tools:
        for s in STATES:
            errs = [x.error for x in t.samples[s] if x.seconds is None]
            if errs and not errs[0].startswith("skipped"):
                first = errs[0].splitlines()[0]
                failures.append(f"{t.name} {s}: {first}")
    counted = [t for t in tools if any(x.requests is not None for x in t.samples["cold"])]
    if counted:
        out += ["", "HTTP requests per install (last round, from the server's access log):", ""]
        out.append("| tool | " + " | ".join(STATE_TITLES[s].split(" (")[0] for s in STATES) + " |")
        out.append("| --- |" + " ---: |" * len(STATES))
        for t in counted:
            cells = [
                str(t.samples[s][-1].requests)
                if t.samples[s] and t.samples[s][-1].requests is not None
                else "—"
                for s in STATES
            ]
            out.append(f"| {t.name} | " + " | ".join(cells) + " |")
    notes = [f"{t.name} {n}" for t in tools for n in sorted(t.notes)]
    if notes:
        out += ["", "Seen: " + "; ".join(notes) + "."]
    if failures:
        out += ["", "Failed: " + "; ".join(failures) + "."]
    return "\n".join(out)


def machine(args: argparse.Namespace, servers_v: str) -> str:
    return (
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}, "
        f"Python {platform.python_version()}, Node {first_line(['node', '--version'])}, "
        f"{servers_v}. {args.count} packages, median of {args.runs} run(s) per cell. "
        f"Load average (1 min) {args.load_before:.2f} before the run, at the start of each "
        f"round {', '.join(f'{x:.2f}' for x in args.round_loads)}, {os.getloadavg()[0]:.2f} "
        "after it."
    )


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"{README} has no {BEGIN} ... {END} markers")
    head, rest = readme.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{after}", encoding="utf-8")


#: Where each tool keeps its cache when nothing says otherwise: checked before and after the
#: run, so that a tool silently using a global cache (despite the private HOME) shows up.
GLOBAL_CACHES = (
    "~/.npm",
    "~/.cache/pnpm",
    "~/.local/share/pnpm",
    "~/.bun/install/cache",
    "~/.cache/uv",
    "~/.cache/tank",
)


def global_cache_state() -> dict[str, float]:
    state = {}
    for raw in GLOBAL_CACHES:
        path = Path(raw).expanduser()
        if path.exists():
            state[raw] = max(
                [path.stat().st_mtime] + [p.stat().st_mtime for p in path.iterdir()]
                if path.is_dir()
                else [path.stat().st_mtime]
            )
    return state


# --------------------------------------------------------------------------- main


def wait_for_quiet(max_load: float, patience: float = 300) -> float:
    """Wait (at most ``patience`` s) for the 1-minute load average to fall below ``max_load``.

    The machine is shared: a test suite running beside the benchmark shifts every figure. The
    benchmark's own installs keep the load near 1 for a while after each round, so the wait
    also lets that settle. Returns the load the round starts at (shown in the results).
    """
    deadline = time.monotonic() + patience
    load = os.getloadavg()[0]
    while max_load > 0 and load >= max_load and time.monotonic() < deadline:
        time.sleep(5)
        load = os.getloadavg()[0]
    return load


def preflight(args: argparse.Namespace) -> None:
    problems = []
    node_tools = {"npm", "pnpm", "pnpm-age0", "bun"} & set(args.tools)
    if node_tools and not VERDACCIO_BIN.exists():
        problems.append("Verdaccio is missing: `npm install --prefix bench/registry/verdaccio`")
    if {"pnpm", "pnpm-age0", "bun"} & set(args.tools) and not (TOOLS_BIN / "pnpm").exists():
        problems.append("pnpm and bun are missing: `npm install --prefix bench/install/tools`")
    if "uv" in args.tools and shutil.which("nginx") is None:
        problems.append("nginx is missing: `apt-get install -y nginx`")
    if problems:
        raise SystemExit("cannot run the install benchmark:\n  - " + "\n  - ".join(problems))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds; each cell is their median")
    parser.add_argument("--count", type=int, default=COUNT, help="packages (200; less to try)")
    parser.add_argument(
        "--tools", default="tank,npm,pnpm,pnpm-age0,bun,uv", help=f"of: {', '.join(TOOLS)}"
    )
    parser.add_argument("--tank", default=str(Path(sys.executable).parent / "tank"))
    parser.add_argument(
        "--tank-base", help="another tank binary to compare, run as tool `tank-base`"
    )
    parser.add_argument("--uv", default=str(Path(sys.executable).parent / "uv"))
    parser.add_argument(
        "--python",
        default=os.path.realpath(getattr(sys, "_base_executable", sys.executable)),
        help="the interpreter uv builds its venv on",
    )
    parser.add_argument("--readme", action="store_true", help="write the tables to bench/README.md")
    parser.add_argument(
        "--max-load",
        type=float,
        default=1.5,
        help="before each round wait (up to 5 min) for the 1-min load to drop below this (0: no)",
    )
    parser.add_argument(
        "--count-requests",
        action="store_true",
        help="log and count the HTTP requests of each install (nginx, Verdaccio; slows them)",
    )
    args = parser.parse_args()
    args.tools = [t for t in args.tools.split(",") if t]
    unknown = set(args.tools) - set(TOOLS)
    if unknown:
        raise SystemExit(f"unknown tools: {', '.join(sorted(unknown))}")
    preflight(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind through the finally below

    began = time.monotonic()
    args.load_before = os.getloadavg()[0]
    args.round_loads = []
    base = WORK / f"n{args.count}"
    data = generate(args.count)
    before = global_cache_state()
    servers = Servers()
    regs = Registries()
    try:
        if "tank-base" in args.tools and not args.tank_base:
            raise SystemExit("--tools tank-base needs --tank-base PATH")
        if {"tank", "tank-base"} & set(args.tools):
            regs.tank = start_tank(servers, base, data, args.tank)
        if {"npm", "pnpm", "pnpm-age0", "bun"} & set(args.tools):
            regs.npm = start_verdaccio(servers, base, data, args.count_requests)
            if args.count_requests:
                regs.access_logs["npm"] = base / "logs" / "verdaccio.log"
        if "uv" in args.tools:
            regs.pypi = start_nginx(servers, base, data, args.count_requests)
            if args.count_requests:
                regs.access_logs["pypi"] = base / "nginx" / "access.log"
        print(f"servers ready after {time.monotonic() - began:.1f} s", file=sys.stderr)
        tools = [TOOLS[name](base, regs, args.count, args) for name in args.tools]
        for t in tools:
            t.base.mkdir(parents=True, exist_ok=True)
            t.fresh_cache()
            t.version_text = t.version()
        for r in range(args.runs):
            args.round_loads.append(wait_for_quiet(args.max_load))
            print(f"round {r + 1}/{args.runs} (load {args.round_loads[-1]:.2f})", file=sys.stderr)
            for t in tools:
                t.round()
    finally:
        servers.stop_all()
    served = []  # the other servers' versions (only those this run started)
    if {"npm", "pnpm", "pnpm-age0", "bun"} & set(args.tools):
        verdaccio = VERDACCIO_DIR / "node_modules" / "verdaccio" / "package.json"
        served.append(f"Verdaccio {json.loads(verdaccio.read_text())['version']}")
    if "uv" in args.tools:
        served.append(first_line(["nginx", "-v"]))
    servers_v = ", ".join(served) or "Tank registry only"
    text = report(tools, machine(args, servers_v))
    after = global_cache_state()
    touched = [k for k, v in after.items() if before.get(k) != v]
    if touched:
        text += (
            f"\n\nWarning: these global caches changed during the run (by a tool, or by another "
            f"process on the machine): {', '.join(touched)}."
        )
    results = {t.name: {s: [x.seconds for x in t.samples[s]] for s in ALL_STATES} for t in tools}
    (base / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print(text)
    print(f"\n(total {time.monotonic() - began:.0f} s)", file=sys.stderr)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
