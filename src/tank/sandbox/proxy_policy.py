"""What the sandbox's proxy allows, what it reports, and how far it lets a client go.

Pure values (no I/O): :class:`ProxyPolicy` built from a skill's ``network`` permission,
:class:`ProxyEvent` for each decision, :class:`ProxyLimits` for the bounds on what a client
may send. The server is :mod:`tank.sandbox.proxy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from tank.core.permissions import (
    InvalidEntry,
    NetworkPermission,
    canonical_domain,
    domain_matches,
)
from tank.core.permissions.model import check_rate_limit

#: Ports a ``CONNECT`` may reach unless the policy names others: HTTPS only. Anything else
#: (SSH on 22, SMTP on 25, a database) through a tunnel is a way around an HTTP-level policy.
DEFAULT_CONNECT_PORTS: Final = (443,)
#: Ports a plain HTTP request may reach unless the policy names others.
DEFAULT_HTTP_PORTS: Final = (80,)


def _check_ports(ports: tuple[int, ...], name: str) -> tuple[int, ...]:
    for port in ports:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise InvalidEntry(f"{name}: {port!r} is not a TCP port (1-65535)")
    return tuple(sorted(set(ports)))


@dataclass(frozen=True)
class ProxyPolicy:
    """The hosts the proxy forwards to, the rate limit, and the ports per kind of request.

    ``hosts`` are ``network.outbound`` patterns (``api.acme.dev``, ``*.acme.dev``, ``*``, IP
    literals), matched with :func:`tank.core.permissions.domain_matches`. An empty tuple
    allows nothing. ``max_requests_per_minute`` None means no limit. The constructor
    canonicalises and validates, raising :class:`InvalidEntry`.
    """

    hosts: tuple[str, ...]
    max_requests_per_minute: int | None
    connect_ports: tuple[int, ...] = DEFAULT_CONNECT_PORTS
    http_ports: tuple[int, ...] = DEFAULT_HTTP_PORTS

    def __post_init__(self) -> None:
        hosts_value: object = self.hosts
        if isinstance(hosts_value, str):
            # A lone string would iterate as characters; always a caller's mistake.
            raise InvalidEntry(f"hosts must be a tuple of patterns, not the string {hosts_value!r}")
        hosts = tuple(sorted({canonical_domain(host) for host in self.hosts}))
        object.__setattr__(self, "hosts", hosts)
        if self.max_requests_per_minute is not None:
            check_rate_limit(self.max_requests_per_minute)
        object.__setattr__(self, "connect_ports", _check_ports(self.connect_ports, "connect_ports"))
        object.__setattr__(self, "http_ports", _check_ports(self.http_ports, "http_ports"))

    @classmethod
    def from_permission(cls, network: NetworkPermission | None) -> ProxyPolicy:
        """The policy of a skill's ``network`` permission (None: nothing is reachable)."""
        if network is None:
            return cls(hosts=(), max_requests_per_minute=None)
        return cls(network.outbound, network.max_requests_per_minute)

    def matching(self, host: str) -> str | None:
        """The first pattern that allows the concrete ``host``, or None."""
        return next((pattern for pattern in self.hosts if domain_matches(pattern, host)), None)


@dataclass(frozen=True)
class ProxyEvent:
    """One decision of the proxy, for the run's audit log.

    ``allowed`` is True when the request was forwarded (a tunnel opened, or a plain request
    sent upstream). ``reason`` is short and stable (``allowed``, ``host not declared``,
    ``port not allowed``, ``rate limit``, ``address not public``, ``resolve failed``,
    ``connect failed``, ``malformed request``, ``request head too large``, ``too many
    headers``, ``idle timeout``, ``too many connections``, ``bad upstream response``); ``detail``
    says more (the matching pattern, the refused address...). ``address`` is the IP address
    connected to. ``host``/``port``/``method`` are empty/0 when the request never named them.
    """

    time: str
    host: str
    port: int
    method: str
    allowed: bool
    reason: str
    detail: str = ""
    address: str = ""

    def to_json(self) -> dict[str, Any]:
        """The event as a JSON object (for the audit log's JSON lines)."""
        return {
            "time": self.time,
            "host": self.host,
            "port": self.port,
            "method": self.method,
            "allowed": self.allowed,
            "reason": self.reason,
            "detail": self.detail,
            "address": self.address,
        }


def now_text() -> str:
    """The current UTC time as ISO 8601 with milliseconds and ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class ProxyLimits:
    """Bounds on what one client may make the proxy do (seconds, bytes, counts).

    ``head_timeout`` bounds the time to send a whole request head (a slow client cannot hold
    a connection by trickling bytes); ``idle_timeout`` closes a tunnel or body with no bytes
    moving either way; ``connect_timeout`` bounds resolving plus connecting upstream.
    """

    max_head_bytes: int = 16 * 1024
    max_headers: int = 100
    max_response_head_bytes: int = 64 * 1024
    head_timeout: float = 30.0
    idle_timeout: float = 120.0
    connect_timeout: float = 10.0
    max_connections: int = 64
