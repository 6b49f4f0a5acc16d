"""Where data leaves the machine from Python: HTTP clients, raw sockets, DNS lookups, mail,
FTP, cloud uploads and commands that upload (``git push``, ``curl``, ``scp``).

A method name alone does not make a sink: ``config.get("x")`` is a dictionary and
``queue.send(x)`` may be anything. ``get``/``post``/``send``… count only on a network module
(``requests.post``), on a name imported from one (``from requests import post``) or on an
object made by one (``s = requests.Session()``, ``with httpx.Client() as c``). A few names
are unambiguous wherever they appear (``urlopen``, ``sendall``, ``gethostbyname``).
"""

from __future__ import annotations

import ast
import re

from tank.scanner.analyzers.python_ast import call_name, dotted
from tank.scanner.analyzers.python_fold import Folder
from tank.scanner.analyzers.python_values import HOLE, complete
from tank.scanner.analyzers.sensitive import NETWORK_MODULES, URL
from tank.scanner.knowledge import collector_host

__all__ = [
    "PY_NETWORK",
    "NetNames",
    "command_sink",
    "net_names",
    "sink_of",
    "uploaded_paths",
    "url_of",
]

NetNames = frozenset[str]

#: Methods that send when called on a network module or client.
_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "request", "stream", "send", "sendall"}
    | {"sendto", "sendmail", "send_message", "connect", "storbinary", "storlines", "upload_file"}
    | {"upload_fileobj", "put_object", "urlopen", "Request", "resolve", "query", "ws_connect"}
    | {"create_connection", "gethostbyname", "gethostbyname_ex", "getaddrinfo", "fetch"}
)
#: Names that send wherever they are called from.
_ALWAYS = frozenset(
    {"urlopen", "sendall", "sendto", "sendmail", "send_message", "storbinary", "upload_file"}
    | {"upload_fileobj", "gethostbyname", "gethostbyname_ex", "getaddrinfo", "create_connection"}
    | {"Request"}
)
#: Verbs that send on anything that looks like an HTTP client (``self._session.post``) —
#: not ``get``, which every dictionary has.
_SENDING = frozenset({"post", "put", "patch", "request", "upload_file", "sendmail"})
_CLIENTISH = re.compile(r"session|client|http|api|conn", re.IGNORECASE)
_DNS = frozenset({"gethostbyname", "gethostbyname_ex", "getaddrinfo", "resolve", "query"})
_MAIL = frozenset({"sendmail", "send_message"})
#: Commands that send data out (the command-line side of the sinks).
_UPLOADERS = re.compile(
    r"\b(?:curl|wget|nc|ncat|scp|rsync|sftp|ftp|Invoke-WebRequest|Invoke-RestMethod)\b"
    r"|\bgit\b(?:(?!&&|;|\|).)*\b(?:push|send-email|remote\s+(?:add|set-url))\b"
    # DNS and ping carry data in names and padding; cloud and forge uploads
    r"|^(?:nslookup|dig|host|ping|Resolve-DnsName)\b"
    r"|^(?:aws\s+s3\s+(?:cp|sync|mv)|gsutil\s+(?:-m\s+)?(?:cp|rsync)|rclone\s+(?:copy|sync|move))\b"
    r"|^gh\s+(?:gist\s+create|api|issue\s+(?:create|comment)|release\s+upload)\b",
)
#: Modules whose clients send data out, besides the network modules capability inference
#: knows (cloud SDKs and chat APIs).
PY_NETWORK = NETWORK_MODULES | {"boto3", "botocore", "pysftp", "slack_sdk", "telegram", "discord"}
PY_NETWORK |= {"tweepy", "dropbox", "grpc", "pika", "kafka", "nats", "zmq"}


def net_names(tree: ast.Module, folder: Folder | None = None) -> NetNames:
    """Names that stand for a network module (also one imported by a built name:
    ``r = importlib.import_module("req" + "uests")``), a name imported from one, or a
    client object."""
    out: set[str] = set()
    bindings: list[tuple[ast.expr, list[ast.expr]]] = []
    for node in folder.nodes if folder is not None else ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PY_NETWORK:
                    out.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PY_NETWORK:
            out.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call | ast.Await):
            bindings.append((node.value, node.targets))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            bindings.append((node.context_expr, [node.optional_vars]))
    # Clients: s = requests.Session(), c = httpx.Client(), smtp = smtplib.SMTP(...).
    for _ in range(2):
        for value, targets in bindings:
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            if _network_import(value, folder):
                out.update(names)
                continue
            call = value.value if isinstance(value, ast.Await) else value
            if isinstance(call, ast.Call) and _root(call.func) in out:
                out.update(names)
                # self.session = requests.Session(): the attribute is a client
                out.update(dotted(t) for t in targets if isinstance(t, ast.Attribute) and dotted(t))
    return frozenset(out)


def _network_import(value: ast.expr, folder: Folder | None) -> bool:
    """``importlib.import_module(<a network module>)`` / ``__import__(…)``, name folded."""
    if not (isinstance(value, ast.Call) and value.args and folder is not None):
        return False
    if call_name(value) not in ("import_module", "__import__"):
        return False
    return any(s.split(".")[0] in PY_NETWORK for s in folder.strings(value.args[0]))


def _root(func: ast.expr) -> str:
    while isinstance(func, ast.Attribute | ast.Call):
        func = func.value if isinstance(func, ast.Attribute) else func.func
    return func.id if isinstance(func, ast.Name) else ""


def sink_of(call: ast.Call, nets: NetNames, folder: Folder | None = None) -> str | None:
    """What ``call`` does when it sends data out ("HTTP post to x.io", "DNS lookup"), or
    None when it is not a network sink."""
    name = call_name(call)
    func = call.func
    if isinstance(func, ast.Name):
        if name not in _ALWAYS and name not in nets:
            return None
    elif isinstance(func, ast.Attribute):
        owner = dotted(func.value)
        if owner == "webbrowser":
            return f"a URL opened in the browser ({_where(call, folder)})"
        client = (
            _root(func) in nets
            or owner in nets
            or (name in _SENDING and _CLIENTISH.search(owner.rsplit(".", 1)[-1]) is not None)
            or _network_import(func.value, folder)
        )
        if name not in _ALWAYS and not (name in _VERBS and client):
            return None
    else:
        return None
    if name in _DNS:
        zone = dns_zone(call, folder)
        return f"a DNS lookup{f' under {zone}' if zone else ''} (the name carries the data)"
    if name in _MAIL:
        return "mail (SMTP)"
    url = url_of(call, folder)
    host = url[0] if url else None
    verb = name.upper() if name in ("get", "post", "put", "patch", "delete") else name
    if url is not None and (collector := collector_host(*url)) is not None:
        return f"{verb} to {host} ({collector})"
    return f"{verb} to {host}" if host else f"the network ({dotted(func) or name})"


def dns_zone(call: ast.Call, folder: Folder | None) -> str | None:
    """The fixed end of a looked-up name built at run time: ``f"{data}.{ZONE}"`` → ZONE."""
    if folder is None or not call.args:
        return None
    for value in folder.strings(call.args[0]):
        tail = value.rsplit(HOLE, 1)[-1].strip(".")
        if "." in tail and tail != value:
            return tail
    return None


def _where(call: ast.Call, folder: Folder | None) -> str:
    url = url_of(call, folder)
    return url[0] if url else "a built URL"


def url_of(call: ast.Call, folder: Folder | None) -> tuple[str, str] | None:
    """``(host, path)`` of the URL a network call is given (folded), when it is known."""
    for arg in [*call.args[:1], *(k.value for k in call.keywords if k.arg == "url")]:
        values = folder.strings(arg) if folder is not None else []
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            values = [arg.value, *values]
        for value in values:
            found = URL.search(value)
            if found and complete(found.group(1)):
                rest = value[found.end() :]
                return found.group(1), rest.split("?", 1)[0] if rest.startswith("/") else "/"
    return None


_CURL_FILE = re.compile(
    r"(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form)\s*['\"]?(?:[\w.-]+=)?@([^\s'\"]+)"
    r"|(?:-T|--upload-file)\s+['\"]?([^\s'\"]+)"
)
_COPIERS = re.compile(
    r"^(?:scp|rsync|sftp|aws\s+s3\s+(?:cp|sync|mv)|gsutil\s+(?:-m\s+)?(?:cp|rsync)"
    r"|rclone\s+(?:copy|sync|move))\b"
)
_SENDS_ALL = re.compile(r"^(?:gh\s+gist\s+create|gh\s+release\s+upload\s+\S+)\b")


def uploaded_paths(command: str) -> list[str]:
    """Local files a command sends: ``curl -F f=@x``, ``curl -T x``, the sources of
    ``scp``/``rsync`` (every path argument but the last, options and their values aside)."""
    out = [a or b for a, b in _CURL_FILE.findall(command)]
    copier = _COPIERS.match(command) or _SENDS_ALL.match(command)
    if copier:
        words = command[copier.end() :].split()
        args: list[str] = []
        skip = False
        for word in words:
            if skip:
                skip = False
            elif word.startswith("-"):
                skip = word in ("-i", "-e", "-P", "-p", "-o", "-F", "--rsh", "-c")
            else:
                args.append(word)
        out += args if _SENDS_ALL.match(command) else args[:-1]
    return out


#: Git commands that store data in the repository (its object store, index or history),
#: from where a later ``git push`` sends it.
_REPO_STORES = re.compile(
    r"^git\b(?:(?!&&|;|\|).)*\b(?:add|commit|notes\s+add)\b"
    # plumbing, also as the arguments of a ``git(*args)`` helper
    r"|^(?:git\b(?:(?!&&|;|\|).)*)?\b(?:hash-object\b.*\s-w\b|update-index\b.*\s--add\b)"
)


#: ``git push``, also as the arguments of a ``git(*args)`` helper (``git("push", remote)``).
_REPO_PUSH = re.compile(r"^(?:git\b(?:(?!&&|;|\|).)*\s)?push\b")


def repo_push(command: str) -> bool:
    """``command`` pushes the git repository (``git push``, ``git -C x push``)."""
    return _REPO_PUSH.search(command) is not None


def repo_store(command: str) -> bool:
    """``command`` stores what it is given in the git repository (``git hash-object -w``,
    ``git add``, ``git commit``)."""
    return _REPO_STORES.search(command) is not None


def command_sink(command: str) -> str | None:
    """What a command line does when it sends data out (``git push``, ``curl``), or None."""
    found = _UPLOADERS.search(command)
    if found is None:
        return None
    return f"the command `{command[:80]}`"
