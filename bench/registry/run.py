"""Registry reads and publishes: Tank (SQLite, PostgreSQL; 1, 2, 4 workers) vs Verdaccio.

    apt-get install -y wrk                               # once: the load generator
    npm install --prefix bench/registry/verdaccio        # once: Verdaccio 5.33 (Node 20)
    .venv/bin/python bench/registry/run.py [--duration 8] [--readme]

In one run, on 127.0.0.1 only:

* Verdaccio (one Node process, offline: no uplinks) is started on a free port with a fresh
  storage under ``bench/.work/registry``; a user is signed up through the npm user API and 3
  packages x 10 versions are published with the same JSON document ``npm publish`` sends
  (timed one by one); then ``wrk`` loads the packument of ``@bench/skill-1`` and one tarball.
* Tank: for SQLite and PostgreSQL, each with 1, 2 and 4 uvicorn workers, ``tank registry
  serve`` on a fresh database and storage; ``tank registry create-user``, a token from
  ``POST /v1/tokens``, the same 30 publishes (``POST /v1/skills``, tarballs made by ``tank
  pack``), then ``wrk`` on ``GET /v1/skills/@bench/skill-1`` and on one tarball.

Publishes are timed from this process over one kept-alive HTTP connection (the server's
time plus loopback, no client start-up). ``wrk`` runs 2 threads and 32 connections for
``--duration`` seconds after a 1-second warm-up; wrk shares the machine's cores with the
server, as in every loopback benchmark. PostgreSQL must accept ``root`` on 127.0.0.1:5432
(trust); the run creates and drops the database ``tank_bench``.

Every server runs in its own process group and is stopped (SIGTERM, then SIGKILL) in a
``finally`` block, on errors and Ctrl-C too. ``--readme`` writes the table into the
Registry section of bench/README.md between the registry-results markers.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # bench/common.py

from common import free_port, multipart, tail  # noqa: E402
from skills import Release, build, npm_publish_body  # noqa: E402

BENCH = HERE.parent
WORK = BENCH / ".work" / "registry"
README = BENCH / "README.md"
BEGIN, END = "<!-- registry-results:begin -->", "<!-- registry-results:end -->"
VERDACCIO_DIR = HERE / "verdaccio"
VERDACCIO_BIN = VERDACCIO_DIR / "node_modules" / ".bin" / "verdaccio"
PG_ADMIN = ["-h", "127.0.0.1", "-p", "5432", "-U", "root"]
PG_DB = "tank_bench"
PG_URL = f"postgresql+psycopg://root@127.0.0.1:5432/{PG_DB}"
USER, PASSWORD = "bench", "bench-password-1"
SKILLS, VERSIONS = 3, 10  # 30 publishes per server; reads hit @bench/skill-1 (10 versions)

WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99)))
end
"""


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


@dataclass
class Row:
    server: str
    db: str
    workers: str
    meta: Load | None = None
    tarball: Load | None = None
    publish_ms: list[float] = field(default_factory=list)
    meta_bytes: int = 0
    meta_compact: int = 0  # Verdaccio indents its JSON: the same document without it
    tarball_bytes: int = 0
    note: str = ""


# --------------------------------------------------------------------------- processes


class Servers:
    """Every process started here, stopped by process group whatever happens."""

    def __init__(self) -> None:
        self.procs: list[tuple[subprocess.Popen[bytes], Any]] = []

    def start(
        self, cmd: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.Popen[bytes]:
        log.parent.mkdir(parents=True, exist_ok=True)
        out = log.open("wb")
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env, cwd=cwd
        )
        self.procs.append((proc, out))
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if proc.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)  # the group is the server's own (start_new_session)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(wait)
        # uvicorn's worker processes share the group: make sure none survives its parent.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        for i, (p, out) in enumerate(self.procs):
            if p is proc:
                out.close()
                del self.procs[i]
                break

    def stop_all(self) -> None:
        for proc, _ in list(self.procs):
            self.stop(proc)


def phase(what: str, since: float) -> float:
    """Log a finished phase with its duration to stderr; return the new start time."""
    now = time.monotonic()
    print(f"  {what}: {now - since:.1f} s", file=sys.stderr, flush=True)
    return now


def wait_ready(
    port: int, path: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; log {log}:\n{tail(log)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _, _ = request(port, "GET", path, timeout=2)
            if status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(
        f"server on port {port} not ready after {timeout:.0f} s; log {log}:\n{tail(log)}"
    )


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        resp = c.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        if own:
            c.close()


def run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc


# --------------------------------------------------------------------------- measuring


def wrk(
    port: int,
    path: str,
    duration: int,
    threads: int,
    conns: int,
    headers: dict[str, str] | None = None,
) -> Load:
    script = WORK / "report.lua"
    script.write_text(WRK_LUA)
    url = f"http://127.0.0.1:{port}{path}"
    hdr: list[str] = []
    for k, v in (headers or {}).items():
        hdr += ["-H", f"{k}: {v}"]
    base = ["wrk", f"-t{threads}", f"-c{conns}", "--timeout", "5s", "-s", str(script), *hdr]
    run([*base, "-d1s", url], timeout=30)  # warm-up: connections, worker caches, JIT
    out = run([*base, f"-d{duration}s", url], timeout=duration + 30).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"no summary from wrk:\n{out}")
    r = json.loads(line[len("WRKJSON ") :])
    errors = sum(r[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Load(
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50"] / 1000,
        p99_ms=r["p99"] / 1000,
        errors=errors,
        requests=r["requests"],
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]  # nearest-rank


# --------------------------------------------------------------------------- Verdaccio


def bench_verdaccio(
    servers: Servers, releases: list[Release], args: argparse.Namespace, label: str
) -> Row:
    row = Row(label, "files", "1")
    state = WORK / "verdaccio"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    port = free_port()
    log = WORK / "logs" / "verdaccio.log"
    proc = servers.start(
        [
            str(VERDACCIO_BIN),
            "--config",
            str(VERDACCIO_DIR / "config.yaml"),
            "--listen",
            f"127.0.0.1:{port}",
        ],
        log,
    )
    try:
        wait_ready(port, "/-/ping", proc, log)
        body = json.dumps({"name": USER, "password": PASSWORD}).encode()
        status, _, data = request(
            port,
            "PUT",
            f"/-/user/org.couchdb.user:{USER}",
            body,
            {"Content-Type": "application/json"},
        )
        if status not in (200, 201):
            raise SystemExit(f"Verdaccio sign-up failed: {status} {data[:300]!r}")
        token = json.loads(data)["token"]
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        base = f"http://127.0.0.1:{port}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for rel in releases:
                payload = npm_publish_body(rel, base)
                path = "/" + urllib.parse.quote(rel.name, safe="@")
                start = time.perf_counter()
                status, _, data = request(port, "PUT", path, payload, auth, conn=conn)
                row.publish_ms.append((time.perf_counter() - start) * 1000)
                if status not in (200, 201):
                    raise SystemExit(
                        f"Verdaccio publish {rel.name}@{rel.version}: {status} {data[:300]!r}"
                    )
        finally:
            conn.close()
        name = releases[0].name
        meta_path = "/" + urllib.parse.quote(name, safe="@")  # /@bench%2Fskill-1, as npm asks
        status, _, data = request(port, "GET", meta_path)
        doc = json.loads(data)
        if status != 200 or len(doc.get("versions", {})) != VERSIONS:
            raise SystemExit(f"Verdaccio packument: {status} {data[:300]!r}")
        row.meta_bytes = len(data)
        row.meta_compact = len(json.dumps(doc, separators=(",", ":")))
        last = doc["dist-tags"]["latest"]
        tar_path = urllib.parse.urlsplit(doc["versions"][last]["dist"]["tarball"]).path
        status, _, data = request(port, "GET", tar_path)
        if status != 200:
            raise SystemExit(f"Verdaccio tarball {tar_path}: {status}")
        row.tarball_bytes = len(data)
        if not args.skip_npm_check:  # the real npm client reads what was published
            out = run(
                [
                    "npm",
                    "view",
                    name,
                    "versions",
                    "--json",
                    "--registry",
                    base + "/",
                    "--userconfig",
                    str(state / "npmrc"),
                ],
                timeout=60,
                cwd=state,
            ).stdout
            if len(json.loads(out)) != VERSIONS:
                raise SystemExit(f"npm view saw {out}")
        row.meta = wrk(port, meta_path, args.duration, args.threads, args.connections)
        row.tarball = wrk(port, tar_path, args.duration, args.threads, args.connections)
    finally:
        servers.stop(proc)
    return row


# --------------------------------------------------------------------------- Tank


@contextlib.contextmanager
def database(kind: str, workers: int) -> Iterator[str]:
    if kind == "sqlite":
        folder = WORK / f"tank-sqlite-{workers}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        yield f"sqlite:///{(folder / 'tank.db').resolve()}"
        return
    run(["dropdb", *PG_ADMIN, "--if-exists", PG_DB])
    run(["createdb", *PG_ADMIN, PG_DB])
    try:
        yield PG_URL
    finally:
        subprocess.run(
            ["dropdb", *PG_ADMIN, "--if-exists", "--force", PG_DB], capture_output=True, check=False
        )


def bench_tank(
    servers: Servers, releases: list[Release], kind: str, workers: int, args: argparse.Namespace
) -> Row:
    row = Row("Tank", "SQLite" if kind == "sqlite" else "PostgreSQL", str(workers))
    storage = WORK / f"tank-storage-{kind}-{workers}"
    shutil.rmtree(storage, ignore_errors=True)
    storage.mkdir(parents=True)
    with database(kind, workers) as url:
        port = free_port()
        log = WORK / "logs" / f"tank-{kind}-{workers}.log"
        proc = servers.start(
            [
                args.tank,
                "registry",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--database-url",
                url,
                "--storage",
                str(storage),
                "--workers",
                str(workers),
            ],
            log,
        )
        try:
            t = time.monotonic()
            wait_ready(port, "/v1/health", proc, log)
            t = phase("start", t)
            run(
                [
                    args.tank,
                    "registry",
                    "create-user",
                    USER,
                    "--password",
                    PASSWORD,
                    "--database-url",
                    url,
                ],
                timeout=60,
            )
            body = json.dumps(
                {"username": USER, "password": PASSWORD, "scopes": ["read", "publish"]}
            ).encode()
            status, _, data = request(
                port, "POST", "/v1/tokens", body, {"Content-Type": "application/json"}
            )
            if status not in (200, 201):
                raise SystemExit(f"Tank token: {status} {data[:300]!r}")
            token = json.loads(data)["token"]
            t = phase("user + token", t)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                for rel in releases:
                    payload, ctype = multipart(
                        "tarball", rel.tank_tgz.name, rel.tank_tgz.read_bytes()
                    )
                    headers = {"Authorization": f"Bearer {token}", "Content-Type": ctype}
                    start = time.perf_counter()
                    status, _, data = request(
                        port, "POST", "/v1/skills", payload, headers, conn=conn
                    )
                    row.publish_ms.append((time.perf_counter() - start) * 1000)
                    if status not in (200, 201):
                        raise SystemExit(
                            f"Tank publish {rel.name}@{rel.version}: {status} {data[:500]!r}"
                        )
            finally:
                conn.close()
            name, last = releases[0].name, releases[VERSIONS - 1].version
            meta_path = None
            for candidate in (
                f"/v1/skills/{name}",
                "/v1/skills/" + urllib.parse.quote(name, safe=""),
            ):
                status, _, data = request(port, "GET", candidate)
                if status == 200:
                    meta_path = candidate
                    row.meta_bytes = len(data)
                    break
            if meta_path is None:
                raise SystemExit(f"Tank metadata for {name}: {status} {data[:300]!r}")
            tar_path = f"{meta_path}/{last}/tarball"
            status, headers, data = request(port, "GET", tar_path)
            if status != 200:
                raise SystemExit(f"Tank tarball {tar_path}: {status} {headers} {data[:200]!r}")
            if data != releases[VERSIONS - 1].tank_tgz.read_bytes():
                row.note = "tarball bytes differ from tank pack output"
            row.tarball_bytes = len(data)
            t = phase("publish x30", t)
            row.meta = wrk(port, meta_path, args.duration, args.threads, args.connections)
            row.tarball = wrk(port, tar_path, args.duration, args.threads, args.connections)
            t = phase("wrk", t)
        finally:
            servers.stop(proc)
            phase("stop", t)
    return row


# --------------------------------------------------------------------------- report


def version_of(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "?"
    text = (proc.stdout + proc.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


def machine(args: argparse.Namespace) -> str:
    verdaccio = json.loads(
        (VERDACCIO_DIR / "node_modules" / "verdaccio" / "package.json").read_text()
    )["version"]
    wrk_v = version_of(["wrk", "-v"]).split(" [")[0]
    pg = version_of(["psql", *PG_ADMIN, "-d", "postgres", "-tAc", "show server_version"])
    try:
        import uvicorn

        uv_v = uvicorn.__version__
    except ImportError:
        uv_v = "?"
    return (
        f"Machine: {os.cpu_count()} CPUs (nproc {version_of(['nproc'])}), {platform.machine()}, "
        f"{platform.system()}, Python {platform.python_version()}, uvicorn {uv_v}, "
        f"PostgreSQL {pg.split(' ')[0]}, Node {version_of(['node', '--version'])}, "
        f"Verdaccio {verdaccio}, {wrk_v}. wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s on the same machine; {SKILLS * VERSIONS} publishes per server. "
        f"Load average (1 min) {args.load_before:.2f} before the run, {os.getloadavg()[0]:.2f} "
        "after it (the machine is shared)."
    )


def fmt_load(load: Load | None) -> tuple[str, str]:
    if load is None:
        return "—", "—"
    rps = f"{load.rps:,.0f}" + (f" ({load.errors} errors)" if load.errors else "")
    return rps, f"{load.p50_ms:.1f} / {load.p99_ms:.1f}"


def table(rows: list[Row], facts: str) -> str:
    out = [
        facts,
        "",
        "| server | db | workers | metadata req/s | metadata p50 / p99 ms | tarball req/s "
        "| tarball p50 / p99 ms | publish p50 / p95 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        m_rps, m_lat = fmt_load(r.meta)
        t_rps, t_lat = fmt_load(r.tarball)
        pub = (
            f"{statistics.median(r.publish_ms):.1f} / {percentile(r.publish_ms, 95):.1f}"
            if r.publish_ms
            else "—"
        )
        out.append(
            f"| {r.server} | {r.db} | {r.workers} | {m_rps} | {m_lat} | {t_rps} | {t_lat} | {pub} |"
        )
    out.append("")
    sizes = ", ".join(
        f"{r.server.split(' ')[0]} {r.db}: metadata {r.meta_bytes:,} B"
        + (f" ({r.meta_compact:,} B unindented)" if r.meta_compact else "")
        + f", tarball {r.tarball_bytes:,} B"
        for r in rows
        if r.workers == "1" and "again" not in r.server
    )
    out.append(f"Response sizes (`@bench/skill-1`, 10 versions): {sizes}.")
    verd = next((r for r in rows if r.server.startswith("Verdaccio") and r.meta), None)
    if verd and verd.meta and verd.tarball:
        for r in rows:
            if r.server == "Tank" and r.workers == "1" and r.meta and r.tarball:
                out.append(
                    f"At one process, Tank/{r.db} vs Verdaccio: metadata "
                    f"{r.meta.rps / verd.meta.rps:.2f}×, tarball "
                    f"{r.tarball.rps / verd.tarball.rps:.2f}×, publish p50 "
                    f"{statistics.median(r.publish_ms) / statistics.median(verd.publish_ms):.2f}× "
                    "the time."
                )
    notes = [f"{r.server} {r.db} {r.workers}: {r.note}" for r in rows if r.note]
    if notes:
        out.append("Notes: " + "; ".join(notes) + ".")
    return "\n".join(out)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"{README} has no {BEGIN} ... {END} markers")
    head, rest = readme.split(BEGIN, 1)
    _, tail_ = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail_}", encoding="utf-8")


# --------------------------------------------------------------------------- main


def preflight(args: argparse.Namespace) -> None:
    problems = []
    if shutil.which("wrk") is None:
        problems.append("wrk is missing: install it with `apt-get install -y wrk`")
    if not args.skip_verdaccio and not VERDACCIO_BIN.exists():
        problems.append(
            "Verdaccio is not installed: run `npm install --prefix bench/registry/verdaccio`"
        )
    if (
        args.dbs
        and subprocess.run(
            [args.tank, "registry", "serve", "--help"], capture_output=True, check=False
        ).returncode
        != 0
    ):
        problems.append(f"`{args.tank} registry serve` is not available")
    if (
        "postgresql" in args.dbs
        and subprocess.run(
            ["psql", *PG_ADMIN, "-d", "postgres", "-tAc", "select 1"],
            capture_output=True,
            check=False,
        ).returncode
        != 0
    ):
        problems.append("PostgreSQL on 127.0.0.1:5432 (user root, trust) is not reachable")
    if problems:
        raise SystemExit("cannot run the registry benchmark:\n  - " + "\n  - ".join(problems))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per URL")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", default="1,2,4", help="uvicorn worker counts for Tank")
    parser.add_argument(
        "--dbs",
        default="sqlite,postgresql",
        help="comma-separated: sqlite, postgresql (empty: Verdaccio only)",
    )
    parser.add_argument("--skip-verdaccio", action="store_true")
    parser.add_argument(
        "--skip-npm-check", action="store_true", help="do not run `npm view` against Verdaccio"
    )
    parser.add_argument(
        "--tank", default=str(Path(sys.executable).parent / "tank"), help="the tank executable"
    )
    parser.add_argument("--readme", action="store_true", help="write the table to bench/README.md")
    args = parser.parse_args()
    args.dbs = [d for d in args.dbs.split(",") if d]
    workers = [int(w) for w in args.workers.split(",") if w]
    preflight(args)

    WORK.mkdir(parents=True, exist_ok=True)
    # Ctrl-C and SIGTERM unwind through the finally below, which stops every server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    args.load_before = os.getloadavg()[0]
    releases = build(WORK, args.tank, SKILLS, VERSIONS)
    servers = Servers()
    rows: list[Row] = []
    try:
        if not args.skip_verdaccio:
            print("Verdaccio ...", file=sys.stderr, flush=True)
            rows.append(bench_verdaccio(servers, releases, args, "Verdaccio 5 (1 process)"))
        for kind in args.dbs:
            for n in workers:
                print(f"Tank {kind} {n} worker(s) ...", file=sys.stderr, flush=True)
                rows.append(bench_tank(servers, releases, kind, n, args))
        if not args.skip_verdaccio and args.dbs:
            # Verdaccio again, last: the spread between its two rows is the run's noise.
            print("Verdaccio again ...", file=sys.stderr, flush=True)
            rows.append(bench_verdaccio(servers, releases, args, "Verdaccio 5, again at the end"))
    finally:
        servers.stop_all()
    text = table(rows, machine(args))
    print(text)
    print(f"\n(total {time.monotonic() - began:.0f} s)", file=sys.stderr)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
