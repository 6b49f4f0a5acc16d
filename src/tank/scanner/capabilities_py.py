"""What Python code uses: the network (calls and the hosts of URLs it builds, folded),
programs it runs, secrets it reads from the environment. Part of capability inference
(:mod:`.capabilities`)."""

from __future__ import annotations

import ast
import re

from tank.core.permissions import canonical_host
from tank.scanner.analyzers.base import parse_python
from tank.scanner.analyzers.python_ast import call_name
from tank.scanner.analyzers.python_fold import Folder, complete
from tank.scanner.analyzers.python_sinks import PY_NETWORK, dns_zone, net_names, sink_of
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.capabilities_model import Capabilities, add_host
from tank.scanner.knowledge import is_local_host, secret_env

__all__ = ["python_uses"]

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


def _link_texts(tree: ast.AST) -> set[int]:
    """The string parts of URLs built only to be shown (``link = f"https://github.com/{r}"``
    then used only inside other text, ``f"released: {link}"``): a link in a message is no
    host the code reaches."""
    built: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.JoinedStr | ast.Constant)
        ):
            built.setdefault(node.targets[0].id, []).append(node.value)
    if not built:
        return set()
    embedded = {
        id(v.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.JoinedStr)
        for v in n.values
        if isinstance(v, ast.FormattedValue)
    }
    uses: dict[str, list[bool]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in built:
            uses.setdefault(node.id, []).append(id(node) in embedded)
    out: set[int] = set()
    for name, values in built.items():
        if uses.get(name) and all(uses[name]):
            out |= {id(part) for value in values for part in ast.walk(value)}
    return out


def python_uses(path: str, text: str, caps: Capabilities) -> None:
    try:
        tree = parse_python(text)
    except (SyntaxError, ValueError):
        return
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    # URLs in a skill's tests are fixtures, and a User-Agent names a homepage: neither is
    # a host the code reaches.
    quiet = docstrings | _user_agents(tree) | _link_texts(tree)
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
                    add_host(match.group(1), (path, node.lineno), caps)
        elif isinstance(node, ast.Call):
            name = call_name(node)
            base = node.func.value if isinstance(node.func, ast.Attribute) else None
            owner = base.id if isinstance(base, ast.Name) else ""
            known = owner in ("os", "subprocess", "pty", "commands") or (
                not owner and name in ("Popen", "check_output", "check_call")
            )
            if name in _SUBPROCESS and known:
                caps.subprocess = caps.subprocess or (path, node.lineno)
                caps.commands_only = False
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
                add_host(host, where, caps)
        elif sink_of(node, nets) is not None:
            for value in folder.strings(node.args[0]):
                for match in URL.finditer(value):
                    if complete(match.group(1)):
                        add_host(match.group(1), where, caps)


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
