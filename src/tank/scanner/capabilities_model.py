"""What capability inference records: each use the code makes, with its first location."""

from __future__ import annotations

from dataclasses import dataclass, field

from tank.core.permissions import canonical_host
from tank.scanner.knowledge import is_local_host

__all__ = ["Capabilities", "Where", "add_host"]

Where = tuple[str, int]


@dataclass(slots=True)
class Capabilities:
    """Uses found in the code, each with its first location."""

    hosts: dict[str, Where] = field(default_factory=dict)
    network: Where | None = None
    subprocess: Where | None = None
    #: The programs run are only a shell script's commands or those SKILL.md tells the agent
    #: to run (no ``subprocess.run`` or ``child_process`` in code).
    commands_only: bool = False
    secrets: dict[str, Where] = field(default_factory=dict)
    writes: dict[str, Where] = field(default_factory=dict)
    reads: dict[str, Where] = field(default_factory=dict)
    #: Of ``writes``, the folders only created (``mkdir -p ~/Library/LaunchAgents``).
    folders: set[str] = field(default_factory=set)
    #: Hosts built at run time, ``*`` for the unknown labels (``*.mt.acme.dev``).
    host_patterns: dict[str, Where] = field(default_factory=dict)


def add_host(url_host: str, where: Where, caps: Capabilities) -> None:
    """Record the host of a URL (canonical; loopback is not the network)."""
    host = canonical_host(url_host.strip("[]"))
    if host and not is_local_host(host):
        caps.hosts.setdefault(host, where)
