"""Run a skill's script in the sandbox: bubblewrap around the launcher, limits, live output.

The runner checks the machine (:mod:`tank.sandbox.features`), resolves mounts
(:mod:`tank.sandbox.mounts`), starts the network proxy when hosts are declared, hands the
launcher its configuration through a memory file, streams stdout and stderr as they come
(capped), enforces the wall clock, and returns a :class:`RunResult` with what the layers
reported. ``unsafe=True`` runs the script directly, unconfined (the caller warns and logs).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tank.sandbox import features, mounts, netlog, pidcap
from tank.sandbox.bwrap import Mount, build_argv
from tank.sandbox.entry import Entry
from tank.sandbox.launcher import FAILED
from tank.sandbox.policy import SandboxPolicy
from tank.sandbox.runner_streams import Pump, Reports, Sink

__all__ = ["ProxySeam", "RunRequest", "RunResult", "Sink", "run", "runtime_paths"]

if TYPE_CHECKING:
    from collections.abc import Callable

    from tank.sandbox.proxy_address import AddressCheck, Resolver

_PROXY_DIR = "/run/tank-proxy"
_BRIDGE_PORT = 3128


@dataclass(frozen=True, slots=True)
class RunRequest:
    """One run: ``script`` is the entry's absolute host path (inside ``policy.skill_dir``)."""

    policy: SandboxPolicy
    entry: Entry
    script: str
    args: tuple[str, ...] = ()
    stdin: bytes | None = None  # None: the caller's standard input
    on_stdout: Sink | None = None
    on_stderr: Sink | None = None
    unsafe: bool = False


@dataclass(slots=True)
class RunResult:
    """What happened: exit status, time, captured output and what the sandbox saw."""

    exit_code: int
    duration: float
    stdout: bytes
    stderr: bytes
    sandboxed: bool
    denials: list[dict[str, Any]] = field(default_factory=list)
    limits_hit: list[str] = field(default_factory=list)
    connections: list[dict[str, Any]] = field(default_factory=list)
    landlock_abi: int | None = None
    #: Limits this run could not enforce (``processes`` as root without a pids cgroup).
    limits_unenforced: list[str] = field(default_factory=list)


def _runtime_paths() -> tuple[str, ...]:
    """Folders the launcher's Python needs, read-only: its install, the venv, tank itself."""
    import tank

    src = str(Path(tank.__file__).resolve().parent.parent)
    found = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, src)}
    return tuple(sorted(found))


def runtime_paths() -> tuple[str, ...]:
    """Public spelling of the runtime folders (for building a policy)."""
    return _runtime_paths()


@dataclass(frozen=True, slots=True)
class ProxySeam:
    """How the run's proxy resolves names and which addresses and ports it may reach.

    Only for tests and embedders calling :func:`run` from Python (never read from an option,
    a setting or the environment): ``None`` keeps the strict default (the system resolver,
    public addresses only, ``CONNECT`` to 443 and plain HTTP to 80). The tests reach a
    loopback server through the real sandbox with a resolver and a check of their own.

    ``always`` starts the proxy (and the bridge, and the ``*_PROXY`` variables) even when
    no host is declared, so every host a skill tries through them is recorded (refused:
    ``host not declared``); ``observe`` sees the bytes of each request head and of what a
    refused client still sends, with the host the request named. The registry's
    publish-time behaviour check uses both, with a resolver and an address check that refuse
    everything, so nothing leaves the machine.
    """

    resolver: Resolver | None = None
    check_address: AddressCheck | None = None
    connect_ports: tuple[int, ...] | None = None
    http_ports: tuple[int, ...] | None = None
    always: bool = False
    observe: Callable[[str, bytes], None] | None = None


def _start_proxy(
    policy: SandboxPolicy, folder: str, connections: netlog.ConnectionLog, seam: ProxySeam
) -> Any:
    from tank.sandbox import proxy  # asyncio: imported only for runs that declare hosts

    ports: dict[str, Any] = {}
    if seam.connect_ports is not None:
        ports["connect_ports"] = seam.connect_ports
    if seam.http_ports is not None:
        ports["http_ports"] = seam.http_ports
    hooks: dict[str, Any] = {}
    if seam.resolver is not None:
        hooks["resolver"] = seam.resolver
    if seam.check_address is not None:
        hooks["check_address"] = seam.check_address
    if seam.observe is not None:
        hooks["observe"] = seam.observe
    server = proxy.ProxyServer(
        proxy.ProxyPolicy(policy.network_hosts, policy.max_requests_per_minute, **ports),
        Path(folder) / "proxy.sock",
        connections.add,
        **hooks,
    )
    server.__enter__()
    return server


def run(request: RunRequest, *, proxy: ProxySeam | None = None) -> RunResult:
    """Run the request and wait for it. Raises :class:`features.SandboxUnavailableError`
    before anything runs when the sandbox cannot be set up. ``proxy``: see
    :class:`ProxySeam` (the strict defaults when None)."""
    if request.unsafe:
        return _run_unsafe(request)
    found = features.check()
    policy = request.policy
    seam = proxy or ProxySeam()
    connections = netlog.ConnectionLog()
    with tempfile.TemporaryDirectory(prefix="tank-run-") as scratch:
        Path(scratch).chmod(0o700)
        server = None
        extra: tuple[Mount, ...] = ()
        proxied = policy.network or seam.always
        if proxied:
            server = _start_proxy(policy, scratch, connections, seam)
            extra = (Mount("bind", _PROXY_DIR, scratch),)
        try:
            plan = mounts.layout(policy, request.entry, extra=extra)
            return _run_bwrap(request, found, plan, connections, proxied=proxied)
        finally:
            if server is not None:
                server.__exit__(None, None, None)


def _config(
    request: RunRequest, plan: mounts.Layout, report_fd: int, *, proxied: bool
) -> dict[str, Any]:
    policy = request.policy
    env = dict(policy.env)
    network = None
    if proxied:
        url = f"http://127.0.0.1:{_BRIDGE_PORT}"
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env[name] = env[name.lower()] = url
        env["NO_PROXY"] = env["no_proxy"] = ""
        network = {"socket": f"{_PROXY_DIR}/proxy.sock", "port": _BRIDGE_PORT}
    return {
        "entry": {
            "in_process": request.entry.in_process,
            "script": request.script,
            "interpreter": plan.interpreter,
            "options": list(request.entry.options),
        },
        "argv": list(request.args),
        "cwd": policy.project,
        "env": env,
        "report_fd": report_fd,
        "landlock": [{"path": r.path, "access": r.access} for r in plan.rules],
        "subprocess": policy.subprocess,
        "limits": policy.limits.to_json(),
        "network": network,
    }


def _run_bwrap(
    request: RunRequest,
    found: features.Features,
    plan: mounts.Layout,
    connections: netlog.ConnectionLog,
    *,
    proxied: bool,
) -> RunResult:
    policy = request.policy
    report_r, report_w = os.pipe()
    config_fd = os.memfd_create("tank-run-config", 0)
    config = _config(request, plan, report_w, proxied=proxied)
    os.write(config_fd, json.dumps(config).encode())
    os.lseek(config_fd, 0, os.SEEK_SET)
    src = [p for p in _runtime_paths() if (Path(p) / "tank" / "__init__.py").is_file()]
    boot = f"import sys;sys.path.insert(0,{src[0]!r});from tank.sandbox.launcher import main;main()"
    argv = build_argv(
        found.bwrap,
        policy,
        system=plan.system,
        binds=plan.binds,
        command=[sys.executable, "-I", "-c", boot, str(config_fd)],
    )
    cap = pidcap.make(policy.limits.processes) if pidcap.needed() else None
    started = time.monotonic()
    capped = False
    try:
        process = _start(request, cap.wrap(argv) if cap else argv, (config_fd, report_w))
        os.close(config_fd)
        os.close(report_w)
        result = _supervise(request, plan, connections, process, report_r, started)
    finally:
        if cap is not None:
            capped = cap.hit()
            cap.remove()  # the sandbox's processes died with its PID namespace
    if capped:
        result.limits_hit.append("processes")
    if pidcap.needed() and cap is None:
        result.limits_unenforced.append("processes")
    return result


def _start(request: RunRequest, argv: list[str], fds: tuple[int, int]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if request.stdin is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=fds,
        env={"PATH": "/usr/bin:/bin"},  # bubblewrap's own environment is /proc/1/environ inside
        start_new_session=False,
    )


def _supervise(
    request: RunRequest,
    plan: mounts.Layout,
    connections: netlog.ConnectionLog,
    process: subprocess.Popen[bytes],
    report_r: int,
    started: float,
) -> RunResult:
    """Stream the sandbox's output, feed its input, wait for it; the result."""
    policy = request.policy
    limits_hit: list[str] = []

    def over_output() -> None:
        if "output" not in limits_hit:
            limits_hit.append("output")
        process.kill()

    assert process.stdout is not None and process.stderr is not None
    out = Pump(process.stdout, request.on_stdout, policy.limits.output_bytes, over_output)
    err = Pump(process.stderr, request.on_stderr, policy.limits.output_bytes, over_output)
    out.hold()
    err.hold()

    def ready() -> None:
        out.release()
        err.release()

    reports = Reports(report_r, ready)
    for thread in (reports, out, err):
        thread.start()
    if request.stdin is not None and process.stdin is not None:
        _feed(process.stdin, request.stdin)
    code = _wait(process, policy.limits.wall_seconds, limits_hit)
    for thread in (out, err, reports):
        thread.join(timeout=5)
    duration = time.monotonic() - started
    if reports.ready is None:
        stderr = err.release(forward=False).decode("utf-8", "replace")
        if reports.error is not None:
            raise features.unavailable(
                "the sandbox's launcher could not lock the process down",
                reports.error,
                "check that Landlock and seccomp are enabled in this kernel",
            )
        if "wall_clock" in limits_hit:
            raise features.unavailable("the sandbox did not start in time", stderr, "retry")
        raise features.explain_bwrap_failure(stderr)
    if code == 128 + signal.SIGXCPU or (code == 128 + signal.SIGKILL and not limits_hit):
        limits_hit.append("cpu_time" if code == 128 + signal.SIGXCPU else "killed")
    denials = [{"kind": "grant", "detail": why, "source": "runner"} for why in plan.refused]
    return RunResult(
        exit_code=code if code != FAILED else FAILED,
        duration=duration,
        stdout=bytes(out.data),
        stderr=bytes(err.data),
        sandboxed=True,
        denials=denials + reports.denials.records(),
        limits_hit=limits_hit,
        connections=connections.records(),
        landlock_abi=int(reports.ready.get("landlock_abi") or 0),
    )


def _wait(process: subprocess.Popen[bytes], seconds: float, limits_hit: list[str]) -> int:
    """Wait for ``process``, killing it after ``seconds`` (a timer: ``Popen.wait`` with a
    timeout polls, which adds up to 50 ms to every run)."""

    def expire() -> None:
        if process.poll() is None:
            limits_hit.append("wall_clock")
            process.kill()

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        return process.wait()
    finally:
        timer.cancel()


def _feed(pipe: IO[bytes], data: bytes) -> None:
    def write() -> None:
        try:
            pipe.write(data)
            pipe.close()
        except OSError:
            pass

    threading.Thread(target=write, daemon=True).start()


def _run_unsafe(request: RunRequest) -> RunResult:
    """Run the script directly (no sandbox): the same environment shaping, wall clock and
    output cap only. The caller must have warned loudly."""
    policy = request.policy
    entry = request.entry
    if entry.in_process:
        command = [sys.executable, "-I", request.script, *request.args]
    else:
        command = [mounts.find_interpreter(entry), *entry.options, request.script, *request.args]
    started = time.monotonic()
    limits_hit: list[str] = []
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if request.stdin is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=policy.project,
        env=dict(policy.env),
    )

    def over_output() -> None:
        limits_hit.append("output")
        process.kill()

    assert process.stdout is not None and process.stderr is not None
    out = Pump(process.stdout, request.on_stdout, policy.limits.output_bytes, over_output)
    err = Pump(process.stderr, request.on_stderr, policy.limits.output_bytes, over_output)
    out.start()
    err.start()
    if request.stdin is not None and process.stdin is not None:
        _feed(process.stdin, request.stdin)
    code = _wait(process, policy.limits.wall_seconds, limits_hit)
    out.join(timeout=5)
    err.join(timeout=5)
    return RunResult(
        exit_code=code if code >= 0 else 128 - code,
        duration=time.monotonic() - started,
        stdout=bytes(out.data),
        stderr=bytes(err.data),
        sandboxed=False,
        limits_hit=limits_hit,
    )
