"""What a JavaScript file does, read off its parse tree: which modules each name is bound to,
what each call is (eval, exec, network, file read/write), and per-function taint.

A scope is an outermost function (callbacks inside it share its names) or the module's own
top-level code. Taint follows ``const``/``let``/``var`` declarations and assignments inside a
scope, two passes so that order does not matter.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tank.scanner.analyzers.js_bindings import (
    arguments_of,
    bind,
    bind_imports,
    module_call,
    module_of_value,
    required_kind,
)
from tank.scanner.analyzers.js_flow import WEAK_SOURCES, Flow, Origin, source_of
from tank.scanner.analyzers.js_fold import Folder, complete
from tank.scanner.analyzers.js_summary import Summary, node_key, summarize
from tank.scanner.analyzers.js_tree import (
    FUNCTIONS,
    Parsed,
    callee,
    query_nodes,
    string_value,
    walk,
)
from tank.scanner.analyzers.sensitive import SECRET_NAME

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node

__all__ = ["WEAK_SOURCES", "JsFile", "Origin", "Scope", "computed_module", "read_file", "source_of"]


_EXEC = frozenset(
    {"exec", "execSync", "spawn", "spawnSync", "execFile", "execFileSync", "fork", "execa"}
    | {"execaSync", "execaCommand", "execaCommandSync", "$"}
)
_HTTP_GLOBALS = frozenset({"fetch", "axios", "got", "ky", "needle", "superagent", "$fetch"})
_HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "request", "head", "fetch", "stream"}
)
_DNS = frozenset(
    {"lookup", "resolve", "resolve4", "resolve6", "resolveTxt", "resolveAny", "resolveCname"}
    | {"resolveMx", "resolveNs", "reverse"}
)
_READ = frozenset(
    {"readFileSync", "readFile", "createReadStream", "readdirSync", "readdir", "opendir"}
    | {"copyFileSync", "copyFile", "cpSync", "readJson", "readJsonSync", "readJSON"}
)
_WRITE = frozenset(
    {"writeFileSync", "writeFile", "appendFileSync", "appendFile", "createWriteStream"}
    | {"copyFileSync", "copyFile", "symlinkSync", "symlink", "outputFile", "outputFileSync"}
    | {"cpSync", "writeJson", "writeJsonSync"}
)
_DESTROY = frozenset(
    {"rmSync", "rm", "rmdirSync", "rmdir", "unlinkSync", "unlink", "remove", "removeSync"}
    | {"emptyDir", "emptyDirSync", "rimraf", "rimrafSync"}
)
_EVAL = frozenset({"eval", "Function", "window.eval", "globalThis.eval", "global.eval"})
_VM = frozenset(
    {"runInNewContext", "runInThisContext", "runInContext", "compileFunction", "_compile"}
)
_TIMERS = frozenset({"setTimeout", "setInterval", "setImmediate"})
#: Objects whose members looked up by a built name hide what is called (``global['ev'+'al']``).
_GLOBALS = frozenset({"global", "globalThis", "window", "self", "process", "module", "this"})
_DECODERS = frozenset(
    {"atob", "unescape", "fromCharCode", "fromCodePoint", "inflateSync", "gunzipSync"}
    | {"inflateRawSync", "brotliDecompressSync", "unzipSync", "decrypt", "createDecipheriv"}
    | {"reverse", "decodeURIComponent", "hexToString", "b64decode", "base64Decode"}
)


@dataclass(slots=True)
class Scope:
    """One function (or the module body): its assignments, calls, conditions and taint."""

    assigns: list[tuple[set[str], Node, Node]] = field(default_factory=list)
    calls: list[Node] = field(default_factory=list)
    gates: list[tuple[Node, Node]] = field(default_factory=list)
    decoded: set[str] = field(default_factory=set)
    secret: set[str] = field(default_factory=set)
    #: Where each name in ``secret`` got its data.
    origins: dict[str, Origin] = field(default_factory=dict)
    env_secret: set[str] = field(default_factory=set)
    paths: dict[str, str] = field(default_factory=dict)
    sockets: set[str] = field(default_factory=set)


@dataclass(slots=True)
class JsFile(Flow):
    """A parsed file: module bindings (alias -> kind) and its scopes, taint computed."""

    root: Node
    folder: Folder
    #: The file's path in the skill (set for files followed through imports).
    path: str = ""
    #: Names bound to other files of the skill: local name -> (that file, exported name).
    imports: dict[str, tuple[JsFile, str]] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)
    env_aliases: set[str] = field(default_factory=set)
    scopes: list[Scope] = field(default_factory=list)
    lookups: list[Node] = field(default_factory=list)
    summaries: dict[tuple[int, int, str], Summary] = field(default_factory=dict)
    role_cache: dict[tuple[int, int, str, int, int], set[str]] = field(default_factory=dict)
    helpers: dict[tuple[int, int, str], Origin | None] = field(default_factory=dict)
    sinks: dict[tuple[int, int, str], dict[int, Origin]] = field(default_factory=dict)
    #: ``(start, end)`` bytes of the function each of ``scopes[1:]`` is, in order.
    spans: list[tuple[int, int]] = field(default_factory=list)

    # -- what a call is ---------------------------------------------------------------------

    def roles(self, call: Node, scope: Scope | None = None) -> set[str]:
        """``eval``, ``exec``, ``http``, ``dns``, ``socket``, ``read``, ``write``, ``destroy``,
        ``require``, ``timer``: what calling ``call`` does (empty for anything else)."""
        key = (*node_key(call), id(scope) if scope else 0, len(scope.sockets) if scope else 0)
        found = self.role_cache.get(key)
        if found is None:
            found = self.role_cache[key] = self._roles(call, scope)
        return found

    def _roles(self, call: Node, scope: Scope | None) -> set[str]:
        name = callee(call)
        if not name:
            func = call.child_by_field_name("function")
            return {"require"} if func is not None and func.type == "import" else set()
        parts = name.split(".")
        last, root = parts[-1], parts[0]
        kind = self.modules.get(root, "")
        if root == "require()" and len(parts) > 1:
            kind = required_kind(call.child_by_field_name("function"))
        bound = self.functions.get(name, "") if len(parts) == 1 else ""
        out: set[str] = set()
        is_new = call.type == "new_expression"
        if name in _EVAL or last in _VM or (is_new and last == "Script" and kind in ("vm", "")):
            out.add("eval")
        if last in _TIMERS:
            out.add("timer")
        if name in ("require", "module.require", "process.mainModule.require"):
            out.add("require")
        if (kind == "exec" and (last in _EXEC or len(parts) == 1)) or bound == "exec":
            out.add("exec")
        if name in ("Bun.spawn", "Bun.spawnSync", "Deno.run", "Deno.Command", "process.binding"):
            out.add("exec")
        http_call = (kind == "http" or root in _HTTP_GLOBALS) and last in _HTTP_METHODS
        if (len(parts) == 1 and name in _HTTP_GLOBALS) or bound == "http" or http_call:
            out.add("http")
        websocket = is_new and (last in ("WebSocket", "EventSource") or kind == "websocket")
        if name == "navigator.sendBeacon" or websocket:
            out.add("http")
        if ((kind == "dns" or root == "dns") and last in _DNS) or bound == "dns":
            out.add("dns")
        if kind == "socket" and (last in ("connect", "createConnection", "send") or is_new):
            out.add("socket")
        if last in ("write", "end", "send") and self._on_connection(call, root, scope):
            out.add("socket")
        fs_like = kind == "fs" or bound == "fs" or root in ("fs", "fsp", "fse")
        if last in _READ and (fs_like or len(parts) == 1):
            out.add("read")
        if last in _WRITE and (fs_like or len(parts) == 1):
            out.add("write")
        if last in _DESTROY and (fs_like or name in ("rimraf", "rimrafSync")):
            out.add("destroy")
        return out

    def _on_connection(self, call: Node, root: str, scope: Scope | None) -> bool:
        """``req.end(data)`` on a request or socket: named, or chained (``https.request().end``)."""
        if scope is not None and root in scope.sockets:
            return True
        func = call.child_by_field_name("function")
        obj = func.child_by_field_name("object") if func is not None else None
        return (
            obj is not None
            and obj.type in ("call_expression", "new_expression")
            and bool(self.roles(obj, scope) & {"http", "socket"})
        )

    def scope_of(self, node: Node) -> Scope:
        """The scope ``node`` is in: its outermost function's, or the module's."""
        index = bisect.bisect_right([start for start, _ in self.spans], node.start_byte) - 1
        if index >= 0 and node.end_byte <= self.spans[index][1]:
            return self.scopes[index + 1]
        return self.scopes[0]

    def resolve(self, name: str) -> tuple[JsFile, Node] | None:
        """``(file, function)`` for a call of ``name``: this file's own function or one
        imported from another file of the skill."""
        found = self.folder.resolve(name)
        if found is None:
            return None
        if found[0] is self.folder:
            return self, found[1]
        for module, _ in self.imports.values():
            if module.folder is found[0]:
                return module, found[1]
        return None

    def is_decoder(self, call: Node) -> bool:
        """``atob``, ``Buffer.from(x, 'base64')``, ``String.fromCharCode``, zlib inflation…"""
        name = callee(call)
        last = name.rsplit(".", 1)[-1]
        if last in _DECODERS:
            return True
        if name == "Buffer.from":
            args = arguments_of(call)
            encoding = string_value(args[1]) if len(args) > 1 else None
            return encoding in ("base64", "hex", "base64url", "binary", "latin1")
        return False

    # -- what an expression holds -----------------------------------------------------------

    def summary(self, node: Node) -> Summary:
        """The (cached) :class:`Summary` of ``node``."""
        key = node_key(node)
        found = self.summaries.get(key)
        if found is None:
            found = summarize(node, self.env_aliases, self.is_decoder, self._is_read)
            self.summaries[key] = found
        return found

    def _is_read(self, call: Node) -> bool:
        return "read" in self.roles(call)

    def decoded(self, node: Node, scope: Scope) -> bool:
        """Whether ``node`` decodes data, or uses a name that holds decoded data."""
        found = self.summary(node)
        return found.decoder or not found.names.isdisjoint(scope.decoded)

    def path_text(self, nodes: list[Node], scope: Scope, *, fold: bool = True) -> str:
        """The text of path arguments: every folded value (one a line; unless ``fold`` is
        false), then the literal pieces with names resolved to what they were set to."""
        pieces: list[str] = []
        folded: list[str] = []
        for node in nodes:
            found = self.summary(node)
            pieces.extend(found.strings)
            pieces.extend(scope.paths.get(name, "") for name in sorted(found.names))
            if fold:
                folded.extend(self.folder.strings(node))
        return "\n".join([*folded, "/".join(p for p in pieces if p)])

    def names(self, node: Node) -> set[str]:
        """The variables ``node`` reads."""
        return self.summary(node).names

    def env_secret(self, node: Node) -> bool:
        """Whether ``node`` reads a secret-looking variable: ``process.env.GITHUB_TOKEN``."""
        return self.summary(node).env_secret

    def secret(self, node: Node, scope: Scope) -> bool:
        """Credential-store contents or the whole environment, directly or through a name."""
        return self.origin(node, scope) is not None


def read_file(parsed: Parsed, linker: Callable[[JsFile], None] | None = None) -> JsFile:
    """Bindings, scopes and taint of a parsed file; ``linker`` binds its imports of other
    files before taint is computed (see :mod:`.js_modules`)."""
    nodes, functions = query_nodes(parsed)
    js = JsFile(parsed.root, Folder(parsed.root, [*nodes, *functions]))
    module_scope = Scope()
    js.scopes.append(module_scope)
    starts: list[int] = []
    ends: list[int] = []
    for function in functions:  # the outermost functions, in source order
        if not ends or function.start_byte >= ends[-1]:
            starts.append(function.start_byte)
            ends.append(function.end_byte)
            js.scopes.append(Scope())
    for node in nodes:
        index = bisect.bisect_right(starts, node.start_byte) - 1
        inside = index >= 0 and node.end_byte <= ends[index]
        _collect(js, node, js.scopes[index + 1] if inside else module_scope)
    js.spans = list(zip(starts, ends, strict=True))
    js.folder.path_names = {n for n, k in js.modules.items() if k == "path"}
    js.folder.path_functions = {n for n, k in js.functions.items() if k == "path"}
    if linker is not None:
        linker(js)
    _taint(js, module_scope)
    for scope in js.scopes[1:]:  # functions see the module's names (const TOKEN = …)
        scope.decoded |= module_scope.decoded
        scope.secret |= module_scope.secret
        scope.origins = {**module_scope.origins, **scope.origins}
        scope.env_secret |= module_scope.env_secret
        scope.paths = {**module_scope.paths, **scope.paths}
        scope.sockets |= module_scope.sockets
        _taint(js, scope)
    if any(len(scope.origins) > len(module_scope.origins) for scope in js.scopes[1:]):
        # a function holds sensitive data in its own names: what it returns is known only
        # now, so the module's names built from its calls are tainted again
        js.helpers.clear()
        _taint(js, module_scope)
    return js


def _collect(js: JsFile, node: Node, scope: Scope) -> None:
    kind = node.type
    if kind == "import_statement":
        bind_imports(js.modules, js.functions, node)
    elif kind in ("variable_declarator", "assignment_expression"):
        target = node.child_by_field_name("name") or node.child_by_field_name("left")
        value = node.child_by_field_name("value") or node.child_by_field_name("right")
        if target is None or value is None:
            return
        module = module_of_value(value) or computed_module(js, value)
        if module is not None:
            bind(js.modules, js.functions, target, module)
        if value.text == b"process.env" and target.type == "identifier" and target.text:
            js.env_aliases.add(target.text.decode())
        if value.type in FUNCTIONS or value.type == "class":
            return  # a function is not data; its body is analysed on its own
        names = {
            s.text.decode()
            for s in walk(target)
            if s.type in ("identifier", "shorthand_property_identifier_pattern") and s.text
        }
        scope.assigns.append((names, target, value))
    elif kind == "for_in_statement":
        # ``for (const [k, v] of Object.entries(process.env))``: the loop's names hold
        # the items of what it walks
        target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
        if target is not None and value is not None:
            names = {s.text.decode() for s in walk(target) if s.type == "identifier" and s.text}
            scope.assigns.append((names, target, value))
    elif kind in ("call_expression", "new_expression"):
        scope.calls.append(node)
    elif kind == "if_statement":
        cond = node.child_by_field_name("condition")
        body = node.child_by_field_name("consequence")
        if cond is not None and body is not None:
            scope.gates.append((cond, body))
    elif kind in ("binary_expression", "ternary_expression"):
        _gate_expression(node, scope)
    elif kind == "subscript_expression":
        obj = node.child_by_field_name("object")
        if obj is not None and obj.text is not None and obj.text.decode() in _GLOBALS:
            js.lookups.append(node)


def computed_module(js: JsFile, value: Node | None) -> str | None:
    """The module name ``require(…)``/``import(…)`` loads when it is built at run time and
    folds to a single known string (``require(String.fromCharCode(99, 104, …))``)."""
    call = module_call(value)
    args = arguments_of(call) if call is not None else []
    if not args or string_value(args[0]) is not None:
        return None
    names = set(js.folder.strings(args[0]))
    name = names.pop() if len(names) == 1 else None
    return name if name is not None and complete(name) else None


def _gate_expression(node: Node, scope: Scope) -> None:
    """``cond && action()`` and ``cond ? action() : x`` gate the action as ``if`` does."""
    operator = node.child_by_field_name("operator")
    if node.type == "ternary_expression":
        cond, body = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
    elif operator is not None and operator.type == "&&":
        cond, body = node.child_by_field_name("left"), node.child_by_field_name("right")
    else:
        return
    if cond is not None and body is not None:
        scope.gates.append((cond, body))


def _taint(js: JsFile, scope: Scope) -> None:
    for _ in range(2):
        for names, target, value in scope.assigns:
            found = js.summary(value)
            if js.decoded(value, scope):
                scope.decoded |= names
            origin = js.sent_origin(value, scope)
            if origin is not None:
                scope.secret |= names
                for name in names:
                    scope.origins.setdefault(name, origin)
            if target.type == "object_pattern" and value.text == b"process.env":
                scope.env_secret |= {n for n in names if SECRET_NAME.search(n)}
            elif found.env_secret or not found.names.isdisjoint(scope.env_secret):
                scope.env_secret |= names
            text = js.path_text([value], scope, fold=False)
            if text:
                for name in names:
                    scope.paths[name] = text
            if value.type in ("call_expression", "new_expression") and js.roles(value) & {
                "socket",
                "http",
            }:
                scope.sockets |= names
