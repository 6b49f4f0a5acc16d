"""Test-only entry point: the real ``tank`` CLI, with the run's proxy told about test names.

``python sandbox_net_entry.py SPEC tank-args...``. ``SPEC`` is JSON: ``names`` (test host
name → the address it resolves to), ``ports`` (the ports the proxy may reach, for both kinds
of request: the test servers listen on free loopback ports), and ``loopback`` (whether the
address check admits loopback; false keeps the strict default check). Everything else is the
real path: the CLI, ``run_skill``, the runner, bubblewrap, the launcher, the bridge, Landlock
and seccomp. The seam is the Python parameter ``run_skill(proxy=ProxySeam(...))``: no option
or environment variable of Tank can weaken the proxy's checks.
"""

from __future__ import annotations

import functools
import json
import sys

from tank.cli.main import main
from tank.runtime import runs
from tank.sandbox.proxy_address import IPAddress, refuse_non_public
from tank.sandbox.runner import ProxySeam


def allow_loopback(address: IPAddress) -> str | None:
    """The strict check, except that loopback (where the test servers are) may be reached."""
    return None if address.is_loopback else refuse_non_public(address)


def seam(spec: dict[str, object]) -> ProxySeam:
    names = dict(spec["names"])  # type: ignore[call-overload]

    def resolver(host: str, port: int) -> list[str]:
        if host not in names:
            raise OSError(f"{host} is not a test name")
        return [str(names[host])]

    ports = tuple(int(p) for p in spec["ports"])  # type: ignore[attr-defined]
    return ProxySeam(
        resolver=resolver,
        check_address=allow_loopback if spec.get("loopback") else None,
        connect_ports=ports,
        http_ports=ports,
    )


if __name__ == "__main__":
    runs.run_skill = functools.partial(runs.run_skill, proxy=seam(json.loads(sys.argv[1])))
    main(sys.argv[2:])
