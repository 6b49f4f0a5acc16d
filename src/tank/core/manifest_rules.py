"""Small rules of skills.json that other modules reuse: names, paths, registry URLs.

The agents a project may name are data: :mod:`tank.core.agents`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tank.core.skillmd import is_valid_name

#: Keys that only a project may hold.
PROJECT_ONLY_KEYS = frozenset({"audit", "agents", "registries"})
#: Keys that only mean something in a package.
PACKAGE_ONLY_KEYS = frozenset({"run", "interface"})

# Plain http is allowed only to the local machine, for running a registry while developing.
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_DRIVE = re.compile(r"[A-Za-z]:")


def is_scope(scope: str) -> bool:
    """True for ``@scope``: the scope follows the skill name rule (1-64 of ``a-z 0-9 -``)."""
    return scope.startswith("@") and is_valid_name(scope[1:])


def is_package_name(name: str) -> bool:
    """True for ``@scope/name`` where scope and name each follow the skill name rule."""
    scope, slash, short = name.partition("/")
    return bool(slash) and is_scope(scope) and is_valid_name(short)


def split_package_name(name: str) -> tuple[str, str]:
    """``("@scope", "name")`` of a valid package name; raises ValueError otherwise."""
    if not is_package_name(name):
        raise ValueError(f"not a package name: {name!r}")
    scope, _, short = name.partition("/")
    return scope, short


def check_run_path(path: str) -> list[str]:
    """Why ``path`` is not a safe relative path inside a package (empty list when it is)."""
    reasons: list[str] = []
    if "\\" in path:
        reasons.append(f"'{path}' uses '\\'; use '/' between folders")
    if path.startswith("/") or _DRIVE.match(path):
        reasons.append(f"'{path}' is absolute; it must be relative to the package folder")
    parts = path.replace("\\", "/").split("/")
    if ".." in parts:
        reasons.append(f"'{path}' contains '..'; it must stay inside the package folder")
    if "\x00" in path or any(part in ("", ".") for part in parts[1:]) or path.endswith("/"):
        reasons.append(f"'{path}' is not a plain file path")
    return reasons


def check_registry_url(url: str) -> list[tuple[str, str, str]]:
    """Problems ``(code, message, hint)`` with a registry base URL (empty when it is fine)."""
    if "://" not in url:  # `host:port` parses as scheme `host`: name the real mistake
        return [
            (
                "manifest.registries.url_invalid",
                f"'{url}' has no scheme",
                f"Write https://{url} (or http://{url} for localhost and 127.0.0.1).",
            )
        ]
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return [("manifest.registries.url_invalid", f"'{url}' is not a URL", "Use https://…")]
    if not host:
        return [("manifest.registries.url_invalid", f"'{url}' has no host", "Use https://host/")]
    problems: list[tuple[str, str, str]] = []
    if parts.scheme != "https" and not (parts.scheme == "http" and host in _LOCAL_HOSTS):
        problems.append(
            (
                "manifest.registries.insecure",
                f"'{url}' is not https",
                "Use https:// (plain http is allowed only for localhost and 127.0.0.1).",
            )
        )
    if parts.username or parts.password:
        # skills.json is committed: a token in it would be published with the project.
        problems.append(
            (
                "manifest.registries.credentials",
                "the URL holds credentials",
                "Remove them; give tokens through `tank login` or the environment.",
            )
        )
    if parts.query or parts.fragment:
        problems.append(
            (
                "manifest.registries.url_invalid",
                f"'{url}' has a query or fragment",
                "Give the base URL only.",
            )
        )
    return problems
