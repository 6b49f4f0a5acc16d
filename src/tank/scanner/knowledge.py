"""What the analyzers know about the world, kept as data: sensitive sources, sinks, secret names.

The facts live in ``tank/scanner/data/knowledge/*.yaml`` (loaded on first use) so that every
language's analyzer asks the same questions of the same lists:

* :func:`sensitive_source` — does this path (or string) name a credential store or private
  data (SSH keys, cloud CLI credentials, browser profiles, wallets, agent secrets…)?
* :func:`control_target` — is it a persistence or agent-control location (shell rc, cron,
  launchd, systemd, ``authorized_keys``, git hooks, ``.claude/settings.json``, MCP configs)?
* :func:`collector_host` — is this host (and path) a service that receives data for whoever
  holds the URL (webhooks, paste sites, request catchers, tunnels, file drops)?
* :func:`secret_env` — does this environment variable name hold a secret?
* :func:`is_local_host` — only loopback is local; every other host, including reserved
  documentation names (``example.com``, ``*.test``), is an outside host.

Paths are compared after :func:`normalize_path`, so ``%USERPROFILE%\\.aws\\credentials``,
``$HOME/.aws/credentials`` and ``os.homedir() + "/.aws/credentials"`` (once folded) match alike.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from tank.core.frontmatter import safe_load
from tank.scanner.prefilter import required_literals

__all__ = [
    "Source",
    "Target",
    "collector_host",
    "control_target",
    "is_local_host",
    "normalize_path",
    "secret_env",
    "sensitive_source",
    "sources",
    "targets",
]

#: Longest text matched against the lists: a longer string is cut (bounded work per call).
MAX_TEXT = 4096


@dataclass(frozen=True, slots=True)
class _Patterns:
    """A kind's regexes, each with the literals one of which any match contains (or None).

    ``re`` tries every alternative at every position; most paths hold none of a pattern's
    words, and ``needle in text`` runs in C, so a pattern runs only where it could match.
    """

    parts: tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]

    def search(self, path: str) -> bool:
        folded = path.casefold()
        for pattern, needles in self.parts:
            if needles is not None and not any(n in folded for n in needles):
                continue
            if pattern.search(path):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Source:
    """A kind of sensitive data: ``kind`` (short id), ``what`` (words), and its patterns."""

    kind: str
    what: str
    pattern: _Patterns


@dataclass(frozen=True, slots=True)
class Target:
    """A persistence or agent-control location: ``kind``, ``what``, and its patterns."""

    kind: str
    what: str
    pattern: _Patterns


@dataclass(frozen=True, slots=True)
class _Collector:
    what: str
    hosts: tuple[str, ...]
    paths: tuple[str, ...]


def load_knowledge(name: str) -> Mapping[str, Any]:
    """A file of ``data/knowledge/`` (each caller caches what it builds from it)."""
    text = (resources.files("tank.scanner") / "data" / "knowledge" / name).read_text("utf-8")
    loaded = safe_load(text)
    if not isinstance(loaded, dict):  # pragma: no cover - shipped data, checked by tests
        raise ValueError(f"data/knowledge/{name}: expected a mapping at the top")
    return loaded


#: What ``$`` means in a data pattern: the end of the path, which inside a command line or a
#: longer string is also a space, a quote or a shell operator (``>> ~/.bashrc; …``).
_PATH_END = r"(?=$|[\s'\"`;|&)>,\]])"
#: …and ``(?:^|/)``, the start of a path segment, is also a space, a quote, ``=`` or ``(``.
_SEGMENT_START = r"(?:^|(?<=[/\s'\"`=:(<]))"


def _compile(patterns: Sequence[str]) -> _Patterns:
    parts = []
    for raw in patterns:
        for branch in _branches(raw):
            text = branch.replace("(?:^|/)", _SEGMENT_START).replace("$", _PATH_END)
            pattern = re.compile(text, re.IGNORECASE)
            parts.append((pattern, required_literals(pattern)))
    return _Patterns(tuple(parts))


def _branches(pattern: str) -> list[str]:
    """The top-level ``|`` alternatives of ``pattern`` (each gets its own needles)."""
    out, depth, start, escaped = [], 0, 0, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:index])
            start = index + 1
    out.append(pattern[start:])
    return out


@lru_cache(maxsize=1)
def sources() -> tuple[Source, ...]:
    """Every kind of sensitive source, in the order of ``sources.yaml``."""
    return tuple(
        Source(str(e["kind"]), str(e["what"]), _compile(e["patterns"]))
        for e in load_knowledge("sources.yaml")["sources"]
    )


@lru_cache(maxsize=1)
def _secret_commands() -> tuple[Source, ...]:
    return tuple(
        Source(str(e["kind"]), str(e["what"]), _compile(e["patterns"]))
        for e in load_knowledge("sources.yaml").get("commands", [])
    )


def secret_command(text: str) -> Source | None:
    """The kind of secret a command line (program and words, ``text``) prints, if any:
    ``gpg --export-secret-keys`` is a read of the GPG secret keys (``sources.yaml``)."""
    cut = text[:MAX_TEXT]
    return next((c for c in _secret_commands() if c.pattern.search(cut)), None)


@lru_cache(maxsize=1)
def targets() -> tuple[Target, ...]:
    """Every persistence and agent-control location kind, in the order of ``sinks.yaml``."""
    return tuple(
        Target(str(e["kind"]), str(e["what"]), _compile(e["patterns"]))
        for e in load_knowledge("sinks.yaml")["targets"]
    )


@lru_cache(maxsize=1)
def _collectors() -> tuple[_Collector, ...]:
    return tuple(
        _Collector(
            str(e["what"]),
            tuple(str(h).lower() for h in e["hosts"]),
            tuple(str(p) for p in e.get("paths") or ()),
        )
        for e in load_knowledge("sinks.yaml")["collectors"]
    )


_HOME_VARS = re.compile(
    r"\$\{?HOME\}?|\$env:(?:USERPROFILE|HOME)|%USERPROFILE%|%HOMEDRIVE%%HOMEPATH%"
    r"|\$\{?USERPROFILE\}?|^~(?=/|$)",
    re.IGNORECASE,
)
_WIN_DIRS = (
    (re.compile(r"%APPDATA%|\$env:APPDATA|\$\{?APPDATA\}?", re.I), "~/AppData/Roaming"),
    (
        re.compile(r"%LOCALAPPDATA%|\$env:LOCALAPPDATA|\$\{?LOCALAPPDATA\}?", re.I),
        "~/AppData/Local",
    ),
)


def normalize_path(text: str) -> str:
    """``text`` with ``\\`` made ``/``, quotes stripped and home/AppData variables made ``~``."""
    cut = text[:MAX_TEXT].strip().strip("'\"`")
    out = cut.replace("\\\\", "/").replace("\\", "/")
    for pattern, replacement in _WIN_DIRS:
        out = pattern.sub(replacement, out)
    out = _HOME_VARS.sub("~", out)
    return re.sub(r"/{2,}", "/", out)


def sensitive_source(text: str) -> Source | None:
    """The kind of sensitive data ``text`` (a path, or a string holding one) names, if any."""
    path = normalize_path(text)
    for source in sources():
        if source.pattern.search(path):
            return source
    return None


def control_target(text: str) -> Target | None:
    """The persistence or agent-control location ``text`` (a path) names, if any."""
    path = normalize_path(text)
    for target in targets():
        if target.pattern.search(path):
            return target
    return None


def _host_matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


def collector_host(host: str, path: str = "") -> str | None:
    """What collecting service ``host`` (with URL ``path``) is, or None for any other host.

    ``discord.com`` is only a collector under ``/api/webhooks``: the rest of it is a website.
    """
    name = host.strip().lower().rstrip(".")
    for collector in _collectors():
        if any(_host_matches(name, h) for h in collector.hosts) and (
            not collector.paths or any(path.startswith(p) for p in collector.paths)
        ):
            return collector.what
    return None


#: A secret word must be a whole ``_``-separated word of the name: vendor prefixes alone
#: (``AWS_REGION``, ``ANTHROPIC_MODEL``, ``GITHUB_REPOSITORY``) are configuration, and so is
#: ``PWD`` (the working directory, not a password).
_SECRET_WORD = re.compile(
    r"(?:^|_)(?:KEY|APIKEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|PAT|COOKIE"
    r"|WEBHOOK|DSN|PRIVATE_KEY|ACCESS_KEY|SESSION)(?:_|$)|(?:^|_)AUTH$|^DATABASE_URL$",
)
#: …unless a suffix says the variable holds *where* or *what kind of* secret, not the secret.
_NOT_THE_SECRET = re.compile(
    r"_(?:PATH|FILE|DIR|DIRECTORY|NAME|TYPE|HEADER|PREFIX|VAR|ENV|LEN|LENGTH|COUNT|EXPIRY"
    r"|EXPIRES|EXPIRES_AT|TTL|ID_PATH|LOCATION|HELPER|COMMAND|CMD)$"
)


def secret_env(name: str) -> bool:
    """True when an environment variable called ``name`` holds a secret (``GITHUB_TOKEN``,
    ``SLACK_WEBHOOK_URL``, ``DATABASE_URL``), not its path or kind (``KUBE_TOKEN_PATH``)."""
    upper = name.upper()
    return bool(_SECRET_WORD.search(upper)) and not _NOT_THE_SECRET.search(upper)


def is_local_host(host: str) -> bool:
    """True only for loopback (``localhost``, ``*.localhost``, 127.0.0.0/8, ``::1``) and the
    unspecified address (``0.0.0.0``, which reaches this machine). Reserved documentation
    names (``example.com``, ``*.example``, ``*.invalid``, ``*.test``) are outside hosts."""
    name = host.strip().lower().rstrip(".").strip("[]")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
