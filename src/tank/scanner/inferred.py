"""The permissions a skill without skills.json needs, inferred from its code.

A third-party skill from git rarely has a skills.json. Tank still budgets and sandboxes it:
:func:`inferred_permissions` runs the same capability inference as the scanner's
``capability.undeclared_*`` rules and grants exactly what they would ask to declare (each
host reached, ``*.<suffix>`` for hosts built at run time, ``*`` for network use to an unknown
host, ``subprocess`` for programs run, each secret read, each path under ``./`` or ``~/``
read or written). So a skill that calls ``api.acme.dev`` is inferred to need
``network.outbound: ["api.acme.dev"]`` and the project's budget must allow that host, like
any declared permission. Uses that no permission can express (an absolute path) are left
out: the scanner's other rules judge them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tank.core.errors import errors_of
from tank.core.permissions import Permissions, parse_permissions
from tank.scanner.analyzers.base import file_kind
from tank.scanner.analyzers.binary import is_binary
from tank.scanner.analyzers.installed import installed_as_code
from tank.scanner.capabilities import infer
from tank.scanner.capabilities_hosts import suffix_of
from tank.scanner.knowledge import sensitive_source

__all__ = ["inferred_permissions"]


def inferred_permissions(files: Mapping[str, bytes]) -> Permissions:
    """What ``files`` (``path -> bytes``, as packed) use, as the permissions to grant."""
    texts: dict[str, tuple[str, str]] = {}
    installed = installed_as_code(files)
    for path, data in sorted(files.items()):
        if is_binary(data):
            continue
        text = data.decode("utf-8", "replace")
        kind = file_kind(path, text)
        if kind == "any" and path in installed:
            kind = "shell"
        texts[path] = (kind, text)
    caps = infer(texts)
    outbound = set(caps.hosts)
    outbound.update("*." + suffix_of(p) for p in caps.host_patterns)
    if caps.network and not outbound:
        outbound.add("*")  # it connects, to hosts the code does not name
    reads = {t for t in caps.reads if not (t.startswith("/") and sensitive_source(t) is None)}
    raw: dict[str, Any] = {
        "network": {"outbound": sorted(outbound)},
        "filesystem": {
            "read": sorted(reads),
            "write": sorted(t for t in caps.writes if t not in caps.folders),
        },
        "subprocess": caps.subprocess is not None,
        "secrets": sorted(caps.secrets),
    }
    permissions, problems = parse_permissions(raw, file="skills.json")
    if not errors_of(problems):
        return permissions
    return parse_permissions(_valid_only(raw), file="skills.json")[0]


def _valid_only(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` keeping only the entries that parse on their own (a path no permission can
    grant, ``/etc/x``, is dropped rather than failing the whole inference)."""
    out: dict[str, Any] = {
        "network": {"outbound": []},
        "filesystem": {"read": [], "write": []},
        "subprocess": raw["subprocess"],
        "secrets": [],
    }
    candidates: list[tuple[list[str], dict[str, Any]]] = []
    for host in raw["network"]["outbound"]:
        candidates.append((out["network"]["outbound"], {"network": {"outbound": [host]}}))
    for kind in ("read", "write"):
        for path in raw["filesystem"][kind]:
            candidates.append((out["filesystem"][kind], {"filesystem": {kind: [path]}}))
    for name in raw["secrets"]:
        candidates.append((out["secrets"], {"secrets": [name]}))
    for into, alone in candidates:
        _, problems = parse_permissions(alone, file="skills.json")
        if not errors_of(problems):
            into.append(_only_item(alone))
    return out


def _only_item(alone: dict[str, Any]) -> str:
    value: Any = alone
    while isinstance(value, dict):
        value = next(iter(value.values()))
    assert isinstance(value, list)
    return str(value[0])
