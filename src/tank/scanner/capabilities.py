"""Capability inference: what the code does (hosts, programs, secrets, writes) against what
skills.json declares. Each use beyond the declaration is an ``undeclared`` finding naming the
permission to add: a skill may only do what it declares.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tank.core.permissions import Permissions, canonical_host, domain_matches, path_matches
from tank.scanner.analyzers.base import line_at, parse_python
from tank.scanner.analyzers.python_ast import call_name
from tank.scanner.analyzers.python_fold import Folder, complete
from tank.scanner.analyzers.python_sinks import PY_NETWORK, dns_zone, net_names, sink_of
from tank.scanner.analyzers.sensitive import SECRET_NAME, URL
from tank.scanner.analyzers.shell_parse import DOWNLOADERS, commands_of
from tank.scanner.capabilities_fs import FsUses, file_uses
from tank.scanner.capabilities_hosts import covered_pattern, suffix_of
from tank.scanner.capabilities_paths import covered
from tank.scanner.knowledge import is_local_host, secret_env
from tank.scanner.model import Finding, Severity
from tank.scanner.rules import RuleSet

__all__ = ["Capabilities", "infer", "undeclared"]

Where = tuple[str, int]
_LOCAL = re.compile(
    r"^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|(?:.*\.)?example\.(?:com|org|net))$"
)
_SUBPROCESS = frozenset(
    {
        "system",
        "popen",
        "Popen",
        "run",
        "call",
        "check_call",
        "check_output",
        "spawn",
        "execv",
        "execvp",
        "execl",
        "spawnl",
        "getoutput",
        "getstatusoutput",
    }
)
_JS_NET = re.compile(r"\b(?:fetch|axios|got|request|https?\.(?:get|request)|WebSocket)\s*[.(]")


@dataclass(slots=True)
class Capabilities:
    """Uses found in the code, each with its first location."""

    hosts: dict[str, Where] = field(default_factory=dict)
    network: Where | None = None
    subprocess: Where | None = None
    secrets: dict[str, Where] = field(default_factory=dict)
    writes: dict[str, Where] = field(default_factory=dict)
    reads: dict[str, Where] = field(default_factory=dict)
    #: Hosts built at run time, ``*`` for the unknown labels (``*.mt.acme.dev``).
    host_patterns: dict[str, Where] = field(default_factory=dict)


def infer(files: Mapping[str, tuple[str, str]]) -> Capabilities:
    """Capabilities of ``path -> (kind, text)`` text files (python, shell and js)."""
    caps = Capabilities()
    uses, patterns = FsUses(), dict[str, Where]()
    for path, (kind, text) in sorted(files.items()):
        if kind == "python":
            _python(path, text, caps)
        elif kind == "shell":
            _shell(path, text, caps)
        elif kind == "js":
            _js(path, text, caps)
        file_uses(path, kind, text, uses, patterns)
    caps.reads = uses.reads
    for target, where in uses.writes.items():
        caps.writes.setdefault(target, where)
    for pattern, where in patterns.items():
        if not _LOCAL.match(suffix_of(pattern)):
            caps.host_patterns.setdefault(pattern, where)
    return caps


def _host(url_host: str, where: Where, caps: Capabilities) -> None:
    host = canonical_host(url_host.strip("[]"))
    if host and not _LOCAL.match(host):
        caps.hosts.setdefault(host, where)


def _python(path: str, text: str, caps: Capabilities) -> None:
    try:
        tree = parse_python(text)
    except (SyntaxError, ValueError):
        return
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    # URLs in a skill's tests are fixtures, and a User-Agent names a homepage: neither is
    # a host the code reaches.
    quiet = docstrings | _user_agents(tree)
    testing = _is_test(path)
    network = False
    local = _local_only(tree)
    unix_only = _unix_sockets_only(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            roots = {m.split(".")[0] for m in modules} & PY_NETWORK
            if roots and not (unix_only and roots == {"socket"}):
                network = True
                if not local and not testing:
                    caps.network = caps.network or (path, node.lineno)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in quiet
            and not testing
        ):
            for match in URL.finditer(node.value):
                if network or "requests" in text or "urlopen" in text:
                    _host(match.group(1), (path, node.lineno), caps)
        elif isinstance(node, ast.Call):
            name = call_name(node)
            base = node.func.value if isinstance(node.func, ast.Attribute) else None
            owner = base.id if isinstance(base, ast.Name) else ""
            known = owner in ("os", "subprocess", "pty", "commands") or (
                not owner and name in ("Popen", "check_output", "check_call")
            )
            if name in _SUBPROCESS and known:
                caps.subprocess = caps.subprocess or (path, node.lineno)
            if name in ("getenv", "get", "__getitem__") or (name == "get" and owner == "environ"):
                _secret_arg(node, path, text, caps)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("environ"):
            key = node.slice
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and secret_env(key.value)
            ):
                caps.secrets.setdefault(key.value, (path, node.lineno))
    if network and not testing:
        _folded_hosts(path, tree, caps)


def _is_test(path: str) -> bool:
    parts = path.lower().split("/")
    name = parts[-1]
    return (
        any(p in ("tests", "test", "testing") for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def _user_agents(tree: ast.AST) -> set[int]:
    """Strings that are the value of a ``User-Agent`` header (``{"User-Agent": "x/1 (+https://…)"}``)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and key.value.lower() == "user-agent"
                ):
                    out.update(id(n) for n in ast.walk(value))
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.upper() in ("USER_AGENT", "UA") for t in node.targets
        ):
            out.update(id(n) for n in ast.walk(node.value))
    return out


def _unix_sockets_only(tree: ast.AST) -> bool:
    """Every socket the file makes is a Unix-domain socket (``AF_UNIX``): local IPC with a
    daemon on this machine, not network access."""
    families = [
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr.startswith("AF_")
    ]
    uses_unix = "AF_UNIX" in families
    others = any(f != "AF_UNIX" for f in families) or any(
        call_name(c) in ("create_connection", "gethostbyname", "getaddrinfo", "create_server")
        for c in ast.walk(tree)
        if isinstance(c, ast.Call)
    )
    return uses_unix and not others


def _folded_hosts(path: str, tree: ast.Module, caps: Capabilities) -> None:
    """Hosts of URLs the code builds at run time (``"".join(chr(c) for c in …)``, a base64
    constant, ``f"https://{HOST}/x"``) and hands to a network call."""
    folder = Folder(tree)
    nets = net_names(tree, folder)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        where = (path, node.lineno)
        if call_name(node) in _HOST_FIRST:  # SMTP("mail.x.io"), connect(("1.2.3.4", 443))
            first = node.args[0]
            pair = isinstance(first, ast.Tuple) and bool(first.elts)
            if call_name(node) in ("connect", "create_connection") and not pair:
                continue  # sqlite3.connect("app.db") is a file
            host = folder.text(first.elts[0] if isinstance(first, ast.Tuple) and pair else first)
            host = host or dns_zone(node, folder)  # f"{data}.{ZONE}": the zone is reached
            named = _HOSTNAME.match(host or "")
            if host and (
                _IPV4.match(host) or (named and named.group(1).lower() not in _FILE_EXTENSIONS)
            ):
                _host(host, where, caps)
        elif sink_of(node, nets) is not None:
            for value in folder.strings(node.args[0]):
                for match in URL.finditer(value):
                    if complete(match.group(1)):
                        _host(match.group(1), where, caps)


#: Network calls whose first argument is a host (or a (host, port) pair), not a URL.
_HOST_FIRST = frozenset(
    {"SMTP", "SMTP_SSL", "FTP", "FTP_TLS", "create_connection", "connect", "HTTPSConnection"}
    | {"HTTPConnection", "gethostbyname", "getaddrinfo"}
)


_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_HOSTNAME = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.([a-z]{2,24})$", re.IGNORECASE)
_FILE_EXTENSIONS = frozenset(
    {"py", "js", "ts", "json", "md", "txt", "pdf", "png", "jpg", "jpeg", "gif", "svg", "html"}
    | {"css", "csv", "xlsx", "docx", "pptx", "yaml", "yml", "toml", "sh", "log", "db", "xml"}
    | {"sqlite", "zip", "gz", "tar", "lock", "ini", "cfg", "env", "exe", "whl", "mp3", "mp4"}
)


def _hosts_named(tree: ast.AST) -> list[str]:
    """Hosts in string constants: URL hosts, IPv4 addresses, ``localhost``, host names."""
    hosts: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        value = node.value.strip()
        hosts.extend(m.group(1).strip("[]") for m in URL.finditer(value))
        named = _HOSTNAME.match(value)
        is_name = named is not None and named.group(1).lower() not in _FILE_EXTENSIONS
        if value in ("localhost", "::1") or _IPV4.match(value) or is_name:
            hosts.append(value)
    return hosts


def _local_only(tree: ast.AST) -> bool:
    """Every host the code names is this machine (a dev server on 127.0.0.1, a port probe):
    talking to itself is not network access to declare. A file that names no host at all
    is not local-only: where it connects is unknown."""
    hosts = _hosts_named(tree)
    return bool(hosts) and all(is_local_host(canonical_host(h) or h) for h in hosts)


def _secret_arg(node: ast.Call, path: str, text: str, caps: Capabilities) -> None:
    target = ast.unparse(node.func)
    if not (target.endswith(("environ.get", "getenv"))) or not node.args:
        return
    key = node.args[0]
    if isinstance(key, ast.Constant) and isinstance(key.value, str) and secret_env(key.value):
        caps.secrets.setdefault(key.value, (path, node.lineno))


def _shell(path: str, text: str, caps: Capabilities) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for var in re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", line):
            if SECRET_NAME.search(var):
                caps.secrets.setdefault(var, (path, number))
        if re.search(r"\b(?:curl|wget|nc|ncat|ssh|scp|rsync)\b", line):
            names = {c.name for p in commands_of(stripped) for c in p for c in c.walk()}
            if names & (DOWNLOADERS | {"nc", "ncat", "ssh", "scp", "rsync"}):
                caps.network = caps.network or (path, number)
                for match in URL.finditer(line):
                    _host(match.group(1), (path, number), caps)
        for target in re.findall(r">>?\s*(~/[^\s;&|]+)", line):
            caps.writes.setdefault(target, (path, number))


#: JS test files: the URLs in them are fixtures, not hosts the skill reaches.
_JS_TEST = re.compile(r"(?:^|/)(?:__tests__|tests?|spec)/|\.(?:test|spec)\.[cm]?[jt]sx?$")
#: A URL inside a User-Agent string (``'User-Agent': 'x (https://…)'``, ``'x/1.0 (+https://…'``)
#: names the client's home page: the request goes elsewhere. Only the text *before* the URL
#: counts, inside the same string, so a trailing comment cannot hide a host.
_JS_NOT_A_HOST = re.compile(
    r"User-Agent['\"]?\s*[:=,]\s*['\"`][^'\"`]*$|['\"`][\w.-]+/[\w.-]+\s*\(\+?$", re.IGNORECASE
)


def _js(path: str, text: str, caps: Capabilities) -> None:
    network = bool(_JS_NET.search(text))
    if network:
        caps.network = caps.network or (path, line_at(text, _JS_NET.search(text).start()))  # type: ignore[union-attr]
    for match in URL.finditer(text) if not _JS_TEST.search(path) else ():
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()].lstrip()
        if network and not line.startswith(("//", "*", "/*")) and not _JS_NOT_A_HOST.search(line):
            _host(match.group(1), (path, line_at(text, match.start())), caps)
    found = re.search(r"child_process|\bexecSync\b|\bspawnSync\b", text)
    if found:
        caps.subprocess = caps.subprocess or (path, line_at(text, found.start()))
    for match in re.finditer(r"process\.env(?:\.|\[['\"])([A-Z][A-Z0-9_]*)", text):
        if secret_env(match.group(1)):
            caps.secrets.setdefault(match.group(1), (path, line_at(text, match.start())))


def undeclared(caps: Capabilities, declared: Permissions | None, rules: RuleSet) -> list[Finding]:
    """A finding per use beyond ``declared``; low notes when there is no skills.json at all."""
    granted = declared or Permissions.none()
    severity = None if declared is not None else Severity.LOW
    suffix = "" if declared is not None else " (the skill has no skills.json)"
    out: list[Finding] = []

    def add(rule_id: str, where: Where, message: str) -> None:
        out.append(
            Finding.of(
                rules[rule_id], where[0], where[1], message, message + suffix, severity=severity
            )
        )

    for host, where in sorted(caps.hosts.items()):
        if not any(domain_matches(p, host) for p in granted.outbound):
            add(
                "capability.undeclared_network",
                where,
                f'reaches {host}: add "{host}" to permissions.network.outbound',
            )
    for pattern, where in sorted(caps.host_patterns.items()):
        if not covered_pattern(pattern, granted.outbound):
            wildcard = "*." + suffix_of(pattern)
            add(
                "capability.undeclared_network",
                where,
                f"builds hosts like {pattern} at run time: add "
                f'"{wildcard}" to permissions.network.outbound',
            )
    if caps.network and not (caps.hosts or caps.host_patterns) and granted.network is None:
        add(
            "capability.undeclared_network",
            caps.network,
            "uses the network: declare the hosts it reaches in permissions.network.outbound",
        )
    if caps.subprocess and not granted.subprocess:
        add(
            "capability.undeclared_subprocess",
            caps.subprocess,
            'runs other programs: set "subprocess": true in permissions',
        )
    for name, where in sorted(caps.secrets.items()):
        if name not in granted.secrets:
            add(
                "capability.undeclared_secret",
                where,
                f'reads the secret {name}: add "{name}" to permissions.secrets',
            )
    for target, where in sorted(caps.writes.items()):
        if not any(path_matches(g, target) for g in granted.filesystem.write) and not covered(
            target, granted.filesystem.write
        ):
            add("capability.undeclared_write", where, _path_message("writes", target, "write"))
    for target, where in sorted(caps.reads.items()):
        if not covered(target, granted.filesystem.read):
            add("capability.undeclared_read", where, _path_message("reads", target, "read"))
    return out


def _path_message(verb: str, target: str, kind: str) -> str:
    if target.startswith("/"):
        return (
            f"{verb} {target}, outside the project and the home folder, which no permission "
            f"grants: use a path under ./ or ~/ and add it to permissions.filesystem.{kind}"
        )
    return f'{verb} {target}: add "{target}" to permissions.filesystem.{kind}'
