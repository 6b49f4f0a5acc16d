"""Host patterns of ``network.outbound``: syntax, matching a host, and covering another pattern.

A pattern is one of

* ``*`` — any host (allowed, but it makes the permission as wide as it gets);
* ``*.acme.dev`` — every sub-domain of ``acme.dev`` at any depth (``a.acme.dev``,
  ``a.b.acme.dev``), never ``acme.dev`` itself;
* ``api.acme.dev`` — exactly that host;
* an IPv4 or IPv6 literal (``10.0.0.7``, ``::1``; IPv6 may be written in brackets) — exactly
  that address. A wildcard never applies to an address.

Decisions, all made to fail closed:

* Host names are ASCII: labels of ``a-z 0-9 -`` (1–63 characters, no ``-`` at either end),
  253 characters at most; internationalised names are written in their ``xn--`` (punycode)
  form. Upper case is accepted and lower-cased (DNS is case-insensitive).
* No scheme, path, port, user info or trailing dot in a pattern. Ports are not part of a
  permission: a granted host is granted as a whole and the sandbox's proxy decides which ports
  it forwards. Refusing ``host:port`` beats silently ignoring the port the author meant.
* A final label that looks like a number (``1``, ``0x7f``) is refused unless the whole text is
  a canonical dotted-quad address: URL parsers turn ``0x7f.1`` or ``2130706433`` into
  ``127.0.0.1``, so such "names" would smuggle addresses past a name-based check.
* ``*`` is only allowed as the whole pattern or as the whole first label (``*.``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from functools import lru_cache
from typing import Final

from tank.core.permissions.names import InvalidEntry

#: The pattern matching any host.
ANY_HOST: Final = "*"

HOST_ONLY_HINT: Final = "write the host only, e.g. api.acme.dev"

_MAX_NAME: Final = 253
_LABEL_RE: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# WHATWG URL parsing reads a final label of digits or 0x-hex as an IPv4 number.
_NUMERIC_LABEL_RE: Final = re.compile(r"[0-9]+|0x[0-9a-f]*")


def _parse_ip(text: str) -> str | None:
    """The canonical text of an IP literal, or None when ``text`` is not one."""
    bracketed = text.startswith("[") and text.endswith("]")
    inner = text[1:-1] if bracketed else text
    if "%" in inner:
        raise InvalidEntry(f"{text!r}: IPv6 zone identifiers are not allowed", HOST_ONLY_HINT)
    try:
        address = ipaddress.ip_address(inner)
    except ValueError:
        if bracketed:
            raise InvalidEntry(f"{text!r} is not an IPv6 address", HOST_ONLY_HINT) from None
        return None
    if bracketed and address.version != 6:
        raise InvalidEntry(f"{text!r}: only IPv6 addresses go in brackets", HOST_ONLY_HINT)
    return str(address)


def _check_name(name: str, original: str) -> None:
    """Raise unless ``name`` is a lower-case ASCII host name (no wildcard, no trailing dot)."""
    if len(name) > _MAX_NAME:
        raise InvalidEntry(f"{original!r} is longer than {_MAX_NAME} characters")
    labels = name.split(".")
    for label in labels:
        if not label:
            raise InvalidEntry(f"{original!r} has an empty label", HOST_ONLY_HINT)
        if _LABEL_RE.fullmatch(label) is None:
            hint = HOST_ONLY_HINT
            if "_" in label:
                hint = "host names may not contain '_'; " + hint
            elif len(label) > 63:
                hint = "each dot-separated part of a host name is at most 63 characters"
            raise InvalidEntry(f"{original!r} is not a valid host name", hint)
    if _NUMERIC_LABEL_RE.fullmatch(labels[-1]):
        raise InvalidEntry(
            f"{original!r} looks like a number, not a host name",
            "write an IP address as four decimal numbers, e.g. 10.0.0.7, or use a host name",
        )


def canonical_domain(text: object) -> str:
    """Validate the host pattern ``text`` and return its canonical form.

    Raises :class:`InvalidEntry` (with a hint) when ``text`` is not a valid pattern.
    """
    if not isinstance(text, str):
        raise InvalidEntry(f"a host must be a string, not {type(text).__name__}")
    if text == ANY_HOST:
        return ANY_HOST
    if not text:
        raise InvalidEntry("empty host", HOST_ONLY_HINT)
    if "://" in text or "/" in text or "@" in text or "?" in text or "#" in text:
        raise InvalidEntry(f"{text!r} is not a host name", HOST_ONLY_HINT)
    if not text.isascii():
        hint = "write internationalised names in their xn-- form"
        with contextlib.suppress(UnicodeError):
            hint += f', e.g. "{text.encode("idna").decode("ascii")}"'
        raise InvalidEntry(f"{text!r} is not an ASCII host name", hint)
    if any(c.isspace() or not c.isprintable() for c in text):
        raise InvalidEntry(f"{text!r} contains spaces or control characters", HOST_ONLY_HINT)
    lowered = text.lower()
    address = _parse_ip(lowered)
    if address is not None:
        return address
    if ":" in lowered:
        raise InvalidEntry(
            f"{text!r} names a port; ports are not part of a permission",
            f"write the host only, e.g. {lowered.rsplit(':', 1)[0] or 'api.acme.dev'}",
        )
    if lowered.endswith("."):
        raise InvalidEntry(f"{text!r} ends with a dot", f"write {lowered.rstrip('.')!r}")
    wildcard = lowered.startswith("*.")
    body = lowered[2:] if wildcard else lowered
    if "*" in body:
        raise InvalidEntry(
            f"{text!r}: '*' is allowed only as the whole first label, as in *.acme.dev",
            "write *.acme.dev for every sub-domain of acme.dev, or * for any host",
        )
    if wildcard:
        try:
            is_address = _parse_ip(body) is not None
        except InvalidEntry:
            is_address = False
        if is_address:
            raise InvalidEntry(f"{text!r}: a wildcard cannot apply to an IP address")
    _check_name(body, text)
    return lowered


@lru_cache(maxsize=4096)
def _pattern_or_none(pattern: str) -> str | None:
    try:
        return canonical_domain(pattern)
    except InvalidEntry:
        return None


@lru_cache(maxsize=4096)
def canonical_host(host: str) -> str | None:
    """The canonical form of a concrete host (as a proxy sees it), or None when invalid.

    Case is folded and one trailing dot is dropped (``api.acme.dev.`` is the same host in
    DNS). Wildcards, ports and anything that is not a host name or IP literal give None.
    """
    if not isinstance(host, str) or "*" in host:
        return None
    text = host[:-1] if host.endswith(".") and not host.endswith("..") else host
    try:
        return canonical_domain(text)
    except InvalidEntry:
        return None


def domain_matches(pattern: str, host: str) -> bool:
    """Whether the concrete ``host`` is allowed by the host ``pattern``.

    Fails closed: an invalid pattern or host matches nothing. ``*.acme.dev`` matches
    sub-domains only: ``a.acme.dev`` and ``evil.com.acme.dev`` (a sub-domain too), but not
    ``acme.dev``, ``xacme.dev`` or ``acme.dev.evil.com``.
    """
    canonical = _pattern_or_none(pattern)
    concrete = canonical_host(host)
    if canonical is None or concrete is None:
        return False
    if canonical == ANY_HOST:
        return True
    if canonical.startswith("*."):
        # canonical[1:] is ".acme.dev": the leading dot pins the match to a label boundary.
        return concrete.endswith(canonical[1:])
    return concrete == canonical


def domain_covered(pattern: str, budget_pattern: str) -> bool:
    """Whether every host ``pattern`` matches is also matched by ``budget_pattern``.

    Exact for this pattern language: ``*`` covers everything; ``*.acme.dev`` covers
    ``api.acme.dev``, ``*.acme.dev`` and ``*.eu.acme.dev``; ``api.acme.dev`` covers only
    itself, never ``*.acme.dev``. Invalid input is never covered.
    """
    item = _pattern_or_none(pattern)
    budget = _pattern_or_none(budget_pattern)
    if item is None or budget is None:
        return False
    if budget == ANY_HOST:
        return True
    if item == ANY_HOST:
        return False
    if budget.startswith("*."):
        return item.endswith(budget[1:])
    return item == budget


def is_broad(pattern: str) -> bool:
    """Whether ``pattern`` is ``*`` or a wildcard over a single label (``*.com``, ``*.dev``)."""
    return pattern == ANY_HOST or (pattern.startswith("*.") and "." not in pattern[2:])
