"""Where sensitive data comes from and where it goes, in one JavaScript file and the skill
files it imports: the source of a value (a credential file read, the whole environment, a
helper that returns such data), what a request carries as payload (not the token it
presents in an ``Authorization`` header), where a request goes, and which parameters of the
file's own functions reach a network call (wrappers such as ``post(data)``).

:class:`Flow` is a mixin of :class:`.js_facts.JsFile`; it needs the file's facts (roles of
calls, summaries, folded values) and adds the questions about flow.
"""

from __future__ import annotations

import bisect
import ipaddress
import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from tank.scanner.analyzers.js_bindings import arguments_of
from tank.scanner.analyzers.js_fold import HOLE, Value, complete
from tank.scanner.analyzers.js_summary import node_key
from tank.scanner.analyzers.js_tree import callee, line_of, string_value, text_of, walk
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.knowledge import (
    Source,
    collector_host,
    is_local_host,
    secret_command,
    sensitive_source,
)

if TYPE_CHECKING:
    from tree_sitter import Node

    from tank.scanner.analyzers.js_facts import JsFile, Scope
    from tank.scanner.analyzers.js_fold import Folder
    from tank.scanner.analyzers.js_summary import Summary

__all__ = ["AUTH_KEYS", "WEAK_SOURCES", "Env", "Flow", "Origin", "parameters", "source_of"]

#: Objects and methods that read the clipboard (npm clipboardy, the browser, Electron).
_CLIPBOARDS = frozenset({"clipboardy", "clipboard", "clipboardService"})
_CLIPBOARD_READS = frozenset({"read", "readSync", "readText", "readHTML", "readImage"})
_CLIPBOARD_COMMAND = re.compile(
    r"\bpbpaste\b|\bxclip\b[^|;&]*-o\b|\bxsel\b[^|;&]*(?:-o|--output)\b|\bwl-paste\b"
    r"|\bGet-Clipboard\b",
    re.IGNORECASE,
)
#: Values of a function's parameters, by name (see :class:`.js_fold.Folder`).
Env = dict[str, list[Value]]
#: Source kinds that are a skill's or agent's own configuration, where skills find their API
#: keys: they count as stolen when they leave by DNS, a raw socket, a collector host or a
#: bare IP address (see :meth:`Flow.strong_sink`).
WEAK_SOURCES = frozenset({"agent-secrets", "env-file"})


class Origin(NamedTuple):
    """Where sensitive data comes from: its line, what it is in words, and its kind
    (:attr:`tank.scanner.knowledge.Source.kind`, or ``environment``)."""

    line: int
    what: str
    kind: str = ""
    #: The data as read (a file's contents, a parsed file), not one field picked out of it
    #: (``config.apiKey``): a whole configuration file sent anywhere is theft.
    whole: bool = True
    #: Found in what a function returns (not only read in its body): as whole as returned.
    returned: bool = False


#: Keys under which a credential is presented to the service it is for (request headers,
#: axios ``auth``): what is sent there authenticates the request, it is not its payload.
AUTH_KEYS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-auth-token", "auth"}
    | {"x-goog-api-key", "private-token", "x-access-token", "x-figma-token", "xi-api-key"}
)
#: How many functions deep a source is followed through the file's own helpers.
_MAX_HELPER_DEPTH = 4
#: Nodes of a function body looked at for its parameters' flow (bounded work per function).
_MAX_BODY_NODES = 4000


@lru_cache(maxsize=4096)
def source_of(text: str) -> Source | None:
    """:func:`tank.scanner.knowledge.sensitive_source`, remembered (paths repeat a lot)."""
    return sensitive_source(text)


class Flow:
    """The flow questions of a :class:`.js_facts.JsFile` (see the module docstring)."""

    __slots__ = ()

    if TYPE_CHECKING:
        folder: Folder
        scopes: list[Scope]
        imports: dict[str, tuple[JsFile, str]]
        path: str
        helpers: dict[tuple[int, int, str], Origin | None]
        sinks: dict[tuple[int, int, str], dict[int, Origin]]

        def roles(self, call: Node, scope: Scope | None = None) -> set[str]: ...
        def summary(self, node: Node) -> Summary: ...
        def names(self, node: Node) -> set[str]: ...
        def path_text(self, nodes: list[Node], scope: Scope) -> str: ...
        def resolve(self, name: str) -> tuple[JsFile, Node] | None: ...
        def scope_of(self, node: Node) -> Scope: ...

    def destinations(self, call: Node, args: list[Node]) -> set[tuple[str, str]]:
        """The hosts a network call goes to: URLs its arguments fold to, ``host``/``hostname``
        fields of an options object, and for ``req.end(data)`` those of the request it ends."""
        nodes = list(args)
        func = call.child_by_field_name("function")
        obj = func.child_by_field_name("object") if func is not None else None
        if obj is not None and obj.type == "identifier":
            nodes.extend(
                arg
                for value in self.folder.definitions(text_of(obj))[:4]
                if value.type in ("call_expression", "new_expression")
                for arg in arguments_of(value)[:3]
            )
        hosts: set[tuple[str, str]] = set()
        for node in nodes:
            for text in self.folder.strings(node):
                hosts |= {(m.group(1), _path_after(text, m.end())) for m in URL.finditer(text)}
                if _is_address(text):  # net.connect(443, '203.0.113.7')
                    hosts.add((text, ""))
            if node.type == "object":
                for pair in node.named_children:
                    key = pair.child_by_field_name("key") if pair.type == "pair" else None
                    value = pair.child_by_field_name("value") if key is not None else None
                    if value is not None and text_of(key) in ("host", "hostname"):
                        hosts |= {(h, "") for h in self.folder.strings(value) if complete(h)}
        return hosts

    def nodes_in(self, node: Node) -> list[Node]:
        """The file's indexed nodes (calls, declarations, assignments…) inside ``node``, in
        source order, at most :data:`_MAX_BODY_NODES`; found by bisection, not by a walk."""
        index = self.folder.span_index()
        first = bisect.bisect_left(index[0], node.start_byte)
        last = bisect.bisect_left(index[0], node.end_byte, first)
        return index[1][first : min(last, first + _MAX_BODY_NODES)]

    def strong_sink(self, call: Node, hosts: set[tuple[str, str]]) -> bool:
        """Whether ``call`` sends where no configured API lives: a DNS look-up, a collector
        host (webhook, paste site…) or a bare IP address (raw sockets go to one)."""
        if "dns" in self.roles(call):
            return True
        return any(collector_host(h, p) or _is_address(h) for h, p in hosts)

    def sink_params(self, function: Node, depth: int = 0) -> dict[int, Origin]:
        """The parameters of the file's own ``function`` that reach a network call inside
        it (directly, through its local variables, or through another such function):
        index -> (line, what the call is). ``post(d) { fetch(URL, {body: d}) }`` -> {0: …}."""
        key = node_key(function)
        if key in self.sinks:
            return self.sinks[key]
        self.sinks[key] = {}  # recursion guard
        params = parameters(function)
        body = function.child_by_field_name("body")
        if body is None or not any(params):
            return {}
        carried = {p: i for i, p in enumerate(params) if p}
        nodes = self.nodes_in(body)
        for _ in range(2):  # local variables built from the parameters carry them
            for node in nodes:
                if node.type != "variable_declarator":
                    continue
                target = node.child_by_field_name("name")
                value = node.child_by_field_name("value")
                if target is None or value is None or target.type != "identifier":
                    continue
                used = self.names(value) & carried.keys()
                if used:
                    carried.setdefault(text_of(target), carried[min(used)])
        found: dict[int, Origin] = {}
        requests = self._requests_in(nodes)
        for node in nodes:
            if node.type not in ("call_expression", "new_expression"):
                continue
            roles = self.roles(node)
            dotted = callee(node).split(".")
            if len(dotted) == 2 and dotted[0] in requests and dotted[1] in ("write", "end", "send"):
                roles = roles | {"http"}  # req.end(body) on the function's own request
            inner: dict[int, Origin] = {}
            if roles & {"http", "dns", "socket"} and not self._local_only(node):
                what = f"{callee(node) or 'a network call'} (in {_function_label(function)})"
                args = arguments_of(node)
                strength = "strong" if self.strong_sink(node, self.destinations(node, args)) else ""
                inner = {i: Origin(line_of(node), what, strength) for i in range(len(args))}
            elif depth < _MAX_HELPER_DEPTH and callee(node):
                other = self.resolve(callee(node))
                if other is not None and other[1] != function:
                    inner = other[0].sink_params(other[1], depth + 1)
            for index, arg in enumerate(arguments_of(node)):
                if index in inner:
                    for name in sorted(_payload_names(arg) & carried.keys()):
                        found.setdefault(carried[name], inner[index])
        self.sinks[key] = found
        return found

    def _requests_in(self, nodes: list[Node]) -> set[str]:
        """Names a function binds to a request or socket it opens (``const req =
        https.request(…)``): what is written to them is sent."""
        out: set[str] = set()
        for node in nodes:
            if node.type != "variable_declarator":
                continue
            target = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if (
                target is not None
                and target.type == "identifier"
                and value is not None
                and value.type in ("call_expression", "new_expression")
                and self.roles(value) & {"http", "socket"}
            ):
                out.add(text_of(target))
        return out

    def _local_only(self, call: Node) -> bool:
        """Whether a network call's URL is known and on this machine (loopback)."""
        args = arguments_of(call)
        texts = self.folder.strings(args[0]) if args else []
        hosts = {m.group(1) for t in texts for m in URL.finditer(t)}
        return bool(hosts) and all(is_local_host(h) for h in hosts)

    def sent_origin(self, node: Node, scope: Scope) -> Origin | None:
        """:meth:`origin` of what a request or an assignment carries as data: in an object
        literal, values under :data:`AUTH_KEYS` (a token presented to its service) are not
        the payload."""
        if node.type != "object":
            return self.origin(node, scope)
        for child in node.named_children:
            if child.type == "pair":
                key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
                if _key_name(key) in AUTH_KEYS or value is None:
                    continue
                hit = self.sent_origin(value, scope)
            elif child.type == "shorthand_property_identifier" and _key_name(child) in AUTH_KEYS:
                continue
            else:
                hit = self.origin(child, scope)
            if hit is not None:
                return hit
        return None

    def origin(self, node: Node, scope: Scope, depth: int = 0) -> Origin | None:
        """Where the sensitive data ``node`` holds comes from: a read of a sensitive file
        (its path folded), the whole environment, a name holding such data, or a call of the
        file's own function that returns it; None when it holds none. Of several, the first
        that is not a skill's own configuration (:data:`WEAK_SOURCES`) is the one named."""
        found = self.summary(node)
        if found.whole_env:
            return Origin(line_of(node), "the whole environment (process.env)", "environment")
        weak: Origin | None = None
        for name in sorted(found.names & scope.secret):
            hit = scope.origins.get(name, Origin(line_of(node), f"{name} (sensitive data)"))
            if hit.kind not in WEAK_SOURCES:
                return hit
            if hit.whole and not _used_whole(node, name):
                hit = hit._replace(whole=False)  # config.apiKey: one field of it
            weak = weak if weak is not None and weak.whole else hit
        for call in found.calls:
            returned = self.call_origin(call, scope, depth)
            if returned is not None and returned.kind not in WEAK_SOURCES:
                return returned
            weak = weak or returned
        return weak

    def call_origin(
        self, call: Node, scope: Scope, depth: int = 0, env: Env | None = None
    ) -> Origin | None:
        """The sensitive data a call returns: a read of a sensitive path, or a call of one of
        the file's own functions whose body reads one (followed a few helpers deep). ``env``
        gives the parameters of the function ``call`` is in (a helper in another file)."""
        clipboard = self._clipboard(call)
        if clipboard is not None:
            return clipboard
        if "read" in self.roles(call):
            args = arguments_of(call)
            if env:
                texts = (
                    "\n".join(_flat(v) for v in self.folder.values(args[0], env)) if args else ""
                )
            else:
                texts = self.path_text(args[:1], scope) if args else ""
            for text in texts.splitlines():
                source = source_of(text)
                if source is not None:
                    shown = text.replace(chr(0), "…")
                    return Origin(line_of(call), f"reads {shown} ({source.what})", source.kind)
            return None
        name = callee(call)
        resolved = self.resolve(name) if name else None
        if resolved is None or depth >= _MAX_HELPER_DEPTH:
            return None
        if resolved[0] is not self:  # a helper in another file of the skill
            module = resolved[0]
            names = parameters(resolved[1])
            args = arguments_of(call)
            given = {n: self.folder.values(a) for n, a in zip(names, args, strict=False) if n}
            found = module.call_origin_of(resolved[1], depth + 1, given)
            if found is None:
                return None
            where = f"{found.what} in {module.path}:{found.line}, via {name}()"
            return Origin(line_of(call), where, found.kind, whole=False)
        found = self.call_origin_of(resolved[1], depth)
        # What a helper returns may be one field of what it reads (getApiKey()), unless its
        # return statement was seen to hand the data back itself.
        if found is None or found.returned:
            return found
        return found._replace(whole=False)

    def _clipboard(self, call: Node) -> Origin | None:
        """A read of the clipboard: ``clipboardy.read()``, ``navigator.clipboard.readText()``,
        or a command that prints it (``pbpaste``, ``xclip -o``, ``Get-Clipboard``)."""
        name = callee(call)
        parts = name.split(".")
        if len(parts) >= 2 and parts[-2] in _CLIPBOARDS and parts[-1] in _CLIPBOARD_READS:
            return Origin(line_of(call), f"the clipboard ({name}())", "clipboard")
        if "exec" in self.roles(call):
            args = arguments_of(call)[:2]
            words = " ".join(t for a in args for t in self.folder.strings(a))
            found = _CLIPBOARD_COMMAND.search(words)
            if found:
                return Origin(line_of(call), f"the clipboard ({found.group(0)})", "clipboard")
            secret = secret_command(words)
            if secret is not None:
                return Origin(line_of(call), f"runs {words[:80]} ({secret.what})", secret.kind)
        return None

    def call_origin_of(self, function: Node, depth: int, env: Env | None = None) -> Origin | None:
        """The sensitive data this file's ``function`` reads (and so may return), its
        parameters taking the values in ``env`` when given."""
        scope = self.scopes[0]
        key = node_key(function)
        if env:
            if depth > _MAX_HELPER_DEPTH:
                return None
            body = function.child_by_field_name("body")
            nodes = self.nodes_in(body) if body is not None else []
            calls = (n for n in nodes if n.type in ("call_expression", "new_expression"))
            return next(
                (o for n in calls if (o := self.call_origin(n, scope, depth + 1, env))), None
            )
        if key in self.helpers:
            return self.helpers[key]
        self.helpers[key] = None  # recursion guard
        hit: Origin | None = None
        body = function.child_by_field_name("body")
        nodes = self.nodes_in(body) if body is not None else []
        for sub in nodes:
            if sub.type in ("call_expression", "new_expression"):
                hit = self.call_origin(sub, scope, depth + 1)
                if hit is not None:
                    break
        if hit is None and body is not None:
            hit = self._returned_origin(function, body)
        self.helpers[key] = hit
        return hit

    def _returned_origin(self, function: Node, body: Node) -> Origin | None:
        """What a function returns of the sensitive data its own names hold (``return
        encode(pick)`` after copying secret variables of ``process.env`` into ``pick``)."""
        scope = self.scope_of(function)
        if body.type != "statement_block":
            found = self.origin(body, scope)
            return found._replace(returned=True) if found is not None else None
        for sub in itertools.islice(walk(body), _MAX_USE_NODES * 5):
            if sub.type == "return_statement" and sub.named_children:
                found = self.origin(sub.named_children[0], scope)
                if found is not None:
                    return found._replace(returned=True)
        return None


def _path_after(text: str, end: int) -> str:
    return text[end:].split("?", 1)[0].split(HOLE, 1)[0][:200]


#: Parents under which a name is only partly used: ``cfg.key``, ``cfg['key']``.
_PICKS = ("member_expression", "subscript_expression")
_MAX_USE_NODES = 2000


def _used_whole(node: Node, name: str) -> bool:
    """Whether ``node`` uses the value of ``name`` itself, not only fields of it."""
    for sub in itertools.islice(walk(node), _MAX_USE_NODES):
        if sub.type not in ("identifier", "shorthand_property_identifier") or text_of(sub) != name:
            continue
        parent = sub.parent
        if parent is None or parent.type not in _PICKS:
            return True
        if parent.child_by_field_name("object") != sub:
            return True
    return False


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def parameters(function: Node) -> list[str]:
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return []
    items = [params] if params.type == "identifier" else params.named_children
    out = []
    for item in items:
        target = item.child_by_field_name("pattern") or item
        if target.type == "assignment_pattern":
            target = target.child_by_field_name("left") or target
        out.append(text_of(target) if target.type == "identifier" else "")
    return out


def _key_name(node: Node | None) -> str:
    if node is None:
        return ""
    value = string_value(node) if node.type == "string" else text_of(node)
    return (value or "").lower()


def _payload_names(node: Node) -> set[str]:
    """The names ``node`` reads, leaving out values under :data:`AUTH_KEYS`."""
    out: set[str] = set()
    stack = [node]
    while stack and len(out) < 256:
        current = stack.pop()
        if current.type == "pair" and _key_name(current.child_by_field_name("key")) in AUTH_KEYS:
            continue
        if current.type in ("identifier", "shorthand_property_identifier"):
            out.add(text_of(current))
        stack.extend(current.named_children)
    return out


def _flat(value: Value) -> str:
    return value if isinstance(value, str) else "\n".join(_flat(v) for v in value)


def _function_label(function: Node) -> str:
    name = function.child_by_field_name("name")
    parent = function.parent
    if name is None and parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
    return f"{text_of(name)}()" if name is not None else "a function"
