"""Which addresses the sandbox's proxy may connect to, and how it resolves names.

A declared host name is only a name: DNS decides where it points, and whoever controls the
name's DNS can point it at ``127.0.0.1``, the user's router or a cloud metadata service
("DNS rebinding"). So the proxy resolves the name itself, outside the sandbox, refuses the
request when **any** resolved address is not a public one, and connects to exactly the
addresses it checked (never resolving the name a second time).

:func:`refuse_non_public` is the strict default. It refuses loopback, private, link-local,
multicast, reserved, unspecified and otherwise non-global addresses (shared address space
``100.64.0.0/10``, benchmarking ``198.18.0.0/15``...), and looks inside IPv6 addresses that
carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4
``2002::/16``, Teredo) so ``::ffff:127.0.0.1`` is refused like ``127.0.0.1``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Final

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Resolves ``(host, port)`` to IP address texts, in the order to try them. Runs in a worker
#: thread; raises :class:`OSError` when the name does not resolve.
Resolver = Callable[[str, int], Sequence[str]]

#: The reason an address is refused, or None when the proxy may connect to it.
AddressCheck = Callable[[IPAddress], "str | None"]

#: At most this many addresses of one name are checked and tried (a hostile resolver answer
#: cannot make the proxy try thousands).
MAX_ADDRESSES: Final = 32

_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")


def _category(address: IPAddress) -> str | None:
    """The kind of non-public address ``address`` is, or None when it is global unicast."""
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_private:
        return "private"
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        # e.g. 100.64.0.0/10 (carrier-grade NAT): neither "private" nor reachable publicly.
        return "not globally routable"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped or NAT64 address stands for (the one reached)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refuse_non_public(address: IPAddress) -> str | None:
    """Why the proxy must not connect to ``address``, or None when it is a public address.

    The strict default address check of :class:`~tank.sandbox.proxy.ProxyServer`.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            # ::ffff:8.8.8.8 is "reserved" as an IPv6 address but reaches 8.8.8.8: judge that.
            inner = _category(embedded)
            return None if inner is None else f"{address} is {embedded}, a {inner} address"
        carried = [address.sixtofour, *(address.teredo or ())]
        for ipv4 in carried:
            inner = _category(ipv4) if ipv4 is not None else None
            if inner is not None:
                return f"{address} carries {ipv4}, a {inner} address"
    category = _category(address)
    return None if category is None else f"{address} is a {category} address"


def system_resolver(host: str, port: int) -> list[str]:
    """The TCP addresses of ``host`` from the system resolver, de-duplicated, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: dict[str, None] = {}
    for family, _type, _proto, _name, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


def check_addresses(texts: Sequence[str], check: AddressCheck) -> tuple[list[IPAddress], str]:
    """Parse the resolver's answer and apply ``check`` to every address.

    Returns ``(addresses, "")`` when all may be reached, or ``([], reason)`` when any is
    refused, the answer is empty, too long, or holds something that is not an address.
    """
    if not texts:
        return [], "the name has no address"
    if len(texts) > MAX_ADDRESSES:
        return [], f"the name has more than {MAX_ADDRESSES} addresses"
    addresses: list[IPAddress] = []
    for text in texts:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return [], f"the resolver returned {text!r}, which is not an IP address"
        reason = check(address)
        if reason is not None:
            return [], reason
        addresses.append(address)
    return addresses, ""
