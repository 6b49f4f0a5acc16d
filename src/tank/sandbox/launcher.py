"""The first program inside the sandbox: lock the process down, then run the skill's entry.

Started by bubblewrap as ``python -I -c <boot> <config-fd>`` (see :mod:`tank.sandbox.runner`)
with the standard library only. Steps, in order, each failing closed (exit 125 with a report):

1. read the configuration from an inherited memory file (environment with the declared
   secrets, entry, grants) and close it: secrets never appear on a command line, where
   ``/proc/<pid>/cmdline`` would show them;
2. set the resource limits (CPU, address space, processes, file size);
3. start the network bridge when hosts are declared (a loopback port relayed to the proxy's
   Unix socket), before anything forbids ``fork``;
4. apply Landlock (:mod:`tank.sandbox.landlock`) and seccomp (:mod:`tank.sandbox.seccomp`);
5. report ``ready`` and run the entry: Python in this interpreter, anything else through one
   ``execve`` of its interpreter.

For Python entries an audit hook reports the undeclared actions the skill attempts (starting
a program, resolving a name, connecting anywhere but the proxy); the kernel layers deny them.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
from typing import Any

FAILED = 125  # the launcher could not set the sandbox up (the entry never ran)
_MAX_REPORTS = 100


class _Reporter:
    """JSON lines to the runner over an inherited pipe (bounded)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.count = 0

    def send(self, **record: Any) -> None:
        if self.fd < 0 or self.count >= _MAX_REPORTS:
            return
        self.count += 1
        line = json.dumps(record, default=str)[:2000] + "\n"
        try:
            os.write(self.fd, line.encode())
        except OSError:
            self.fd = -1


def _read_config(fd: int) -> dict[str, Any]:
    with os.fdopen(fd, "rb") as handle:
        data: dict[str, Any] = json.loads(handle.read(1 << 20))
    return data


def _set_limits(limits: dict[str, int]) -> None:
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"], limits["memory_bytes"]))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_bytes"], limits["file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _start_bridge(unix_path: str, port: int) -> None:
    """Fork a process relaying ``127.0.0.1:port`` to the proxy's Unix socket
    (:mod:`tank.sandbox.proxy_bridge`). It listens before the fork, so once the launcher
    reports ready the port answers."""
    import signal
    from pathlib import Path

    from tank.sandbox.proxy_bridge import Bridge

    bridge = Bridge(Path(unix_path), port)
    if os.fork():
        bridge.release()  # the skill keeps no copy of the listener
        return
    try:  # the bridge: never returns
        import ctypes  # only here: the skill's side of the fork does not pay for it

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the launcher
        bridge.serve_forever()
    finally:
        os._exit(0)


def _restrict(config: dict[str, Any]) -> int:
    from tank.sandbox import landlock, seccomp

    seccomp.load_library()  # before Landlock: loading a library must still be allowed
    rules = [landlock.Rule(r["path"], int(r["access"])) for r in config["landlock"]]
    network = config.get("network")
    ports = [int(network["port"])] if network else []
    abi = landlock.restrict(rules, connect_ports=ports)
    entry = config["entry"]
    seccomp.apply(subprocess=bool(config["subprocess"]), allow_one_exec=not entry["in_process"])
    return abi


def _numeric(host: object) -> bool:
    """Whether ``host`` is an IP address (or None): looking it up asks no DNS server."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    import socket

    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host.partition("%")[0])  # fe80::1%lo: a scoped address
        except (OSError, ValueError):
            continue
        return True
    return False


def _make_hook(config: dict[str, Any], report: _Reporter) -> Any:
    """The audit hook reporting the undeclared actions a Python entry attempts."""
    subprocess_ok = bool(config["subprocess"])
    network = config.get("network")
    proxy = ("127.0.0.1", int(network["port"])) if network else None
    spawn = {"os.exec", "os.posix_spawn", "os.fork", "os.forkpty", "os.system", "os.spawn"}
    spawn |= {"subprocess.Popen", "pty.spawn"}
    inet, stream = (2, 10), 1  # AF_INET, AF_INET6; SOCK_STREAM
    lookups = {"socket.getaddrinfo", "socket.gethostbyname"}  # forward: numeric ones are no DNS

    def hook(event: str, args: tuple[Any, ...]) -> None:
        try:
            if event in spawn and not subprocess_ok:
                report.send(event="denied", kind="subprocess", detail=f"{event} {args[0]!r}"[:300])
            elif (event in lookups and not _numeric(args[0])) or event == "socket.gethostbyaddr":
                report.send(event="denied", kind="dns", detail=f"resolve {args[0]!r}"[:300])
            elif event == "socket.connect":
                address = args[1]
                if isinstance(address, tuple) and tuple(address[:2]) != proxy:
                    report.send(event="denied", kind="network", detail=f"connect {address!r}")
            elif event == "socket.__new__" and args[1] in inet and args[2] & 0xF != stream:
                report.send(event="denied", kind="network", detail="a UDP or raw socket")
        except Exception:  # noqa: S110 - a hook that raises would break the skill, not report
            pass

    return hook


def _audit_hook(config: dict[str, Any], report: _Reporter) -> None:
    """Report the undeclared actions a Python entry attempts (the kernel denies them)."""
    sys.addaudithook(_make_hook(config, report))


def _run_python(script: str, argv: list[str], cwd: str) -> int:
    import runpy

    sys.argv = [script, *argv]
    sys.path[0:0] = [os.path.dirname(script)]
    sys.dont_write_bytecode = True  # the skill folder is read-only
    os.chdir(cwd)
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as stop:
        code = stop.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        sys.stderr.write(f"{code}\n")
        return 1
    except MemoryError:
        sys.stderr.write("tank: the skill ran out of memory (the sandbox's limit)\n")
        return 1
    except BaseException:
        import traceback

        traceback.print_exc()
        return 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    return 0


def main() -> None:
    """Set the sandbox up from the configuration on the fd in ``sys.argv[1]``, run the entry."""
    config = _read_config(int(sys.argv[1]))
    report = _Reporter(int(config["report_fd"]))
    entry = config["entry"]
    try:
        _set_limits(config["limits"])
        network = config.get("network")
        if network:
            _start_bridge(network["socket"], int(network["port"]))
        abi = _restrict(config)
    except Exception as failure:
        report.send(event="error", message=f"{type(failure).__name__}: {failure}")
        os._exit(FAILED)
    report.send(event="ready", landlock_abi=abi, seccomp=True, pid=os.getpid())
    env: dict[str, str] = config["env"]
    if entry["in_process"]:
        os.environ.clear()
        os.environ.update(env)
        _audit_hook(config, report)
        code = _run_python(entry["script"], config["argv"], config["cwd"])
        os._exit(code & 0xFF)
    os.close(report.fd)
    os.chdir(config["cwd"])
    program = entry["interpreter"]
    try:
        command = [program, *entry["options"], entry["script"], *config["argv"]]
        os.execve(program, command, env)  # noqa: S606 - the interpreter the runner resolved
    except OSError as failure:
        sys.stderr.write(f"tank: cannot start {program}: {failure}\n")
        os._exit(FAILED)


if __name__ == "__main__":
    main()
