"""The JavaScript/TypeScript analyzer: parse-tree rules (tree-sitter) with a regex fallback.

From the tree (:mod:`.js_facts`): eval/Function/vm of decoded data, commands run from
decoded data, module names built from pieces (``require('child'+'_process')``), reads of
credential stores, secrets or the whole environment reaching the network, reverse shells,
persistence writes, and payloads gated on a date or on who/where runs them. A file with
syntax errors is still analysed (tree-sitter recovers), and the regexes below run on its
text as well, so a parse problem never hides the classic shapes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from tank.scanner.analyzers.base import Context, line_at, line_text
from tank.scanner.analyzers.commands import check_commands
from tank.scanner.analyzers.js_bindings import arguments_of, module_kind
from tank.scanner.analyzers.js_control import (
    check_imported_writes,
    check_write,
    embedded_scripts,
    rogue_mcp_servers,
)
from tank.scanner.analyzers.js_dns import dns_tunnels
from tank.scanner.analyzers.js_download import download_exec, eval_download, remote_imports
from tank.scanner.analyzers.js_facts import (
    WEAK_SOURCES,
    JsFile,
    Origin,
    Scope,
    read_file,
    source_of,
)
from tank.scanner.analyzers.js_fold import complete
from tank.scanner.analyzers.js_gates import gate_of, gated_actions, scope_values
from tank.scanner.analyzers.js_modules import link
from tank.scanner.analyzers.js_swap import address_swaps
from tank.scanner.analyzers.js_tree import (
    callee,
    line_of,
    parse_js,
    string_value,
    strings_in,
    text_of,
    walk,
)
from tank.scanner.analyzers.sensitive import (
    PERSISTENCE_COMMAND,
    PERSISTENCE_PATH,
    SHELLS,
)
from tank.scanner.knowledge import collector_host, is_local_host
from tank.scanner.model import Evidence, Finding

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["FALLBACK", "MAX_TREE_CHARS", "analyze_js"]

#: Larger files (bundles, vendored libraries) get the regex pass only: parsing costs about a
#: millisecond per kilobyte, and the parse-tree rules look for hand-written code.
MAX_TREE_CHARS = 256 * 1024

#: Regexes run on the text of a file whose parse tree has errors.
FALLBACK = (
    (
        "js.eval_decoded",
        re.compile(
            r"\b(?:eval|Function|runInNewContext|runInThisContext)\s*\(\s*(?:Buffer\.from|atob"
            r"|decodeURIComponent\s*\(\s*escape|unescape|String\.fromCharCode)"
        ),
    ),
    (
        "js.eval_decoded",
        re.compile(r"\b(?:eval|Function)\s*\([^)]*Buffer\.from\([^)]*['\"](?:base64|hex)['\"]"),
    ),
    (
        "js.obfuscated_require",
        re.compile(r"\brequire\s*\(\s*(?:['\"][\w@/.-]*['\"]\s*\+\s*)+['\"][\w@/.-]*['\"]\s*\)"),
    ),
)
#: What a package name looks like (a path of the skill's own files does not).
_PACKAGE = re.compile(r"^(?:node:)?(?:@[\w.-]+/)?[A-Za-z_][\w.-]*(?:/[\w.-]+)*$")
_FILE_EXTENSIONS = (".js", ".cjs", ".mjs", ".json", ".ts", ".mts", ".cts", ".node", ".jsx", ".tsx")
_NET_TOOL = re.compile(r"\b(?:curl|wget|nc|ncat|scp|ssh|Invoke-WebRequest|iwr)\b")
_PATH_HABITS = re.compile(r"export\s+PATH=|\balias\s|source\s+\S*(?:venv|nvm|cargo|env)\b")


class _Add(Protocol):
    """The ``add`` callback: report ``rule_id`` at ``node``."""

    def __call__(
        self,
        rule_id: str,
        node: Node,
        message: str | None = None,
        evidence: tuple[Evidence, ...] = (),
    ) -> None: ...


def analyze_js(path: str, text: str, context: Context) -> list[Finding]:
    """Findings of the ``js.*`` code rules over one JavaScript or TypeScript file."""
    rules = context.rules
    found: dict[tuple[str, int], Finding] = {}
    broken = True
    if len(text) <= MAX_TREE_CHARS:
        parsed = parse_js(path, text)
        broken = parsed.broken
        js = read_file(parsed, lambda js: link(js, path, context.files))
        _tree_rules(js, text, path, context, found)
    if broken:
        for rule_id, pattern in FALLBACK:
            for match in pattern.finditer(text):
                line = line_at(text, match.start())
                found.setdefault(
                    (rule_id, line),
                    Finding.of(rules[rule_id], path, line, line_text(text, match.start())),
                )
    return list(found.values())


def _tree_rules(
    js: JsFile, text: str, path: str, context: Context, found: dict[tuple[str, int], Finding]
) -> None:
    rules = context.rules

    def add(
        rule_id: str, node: Node, message: str | None = None, evidence: tuple[Evidence, ...] = ()
    ) -> None:
        line = line_of(node)
        snippet = line_text(text, _offset(text, node))
        found.setdefault(
            (rule_id, line),
            Finding.of(rules[rule_id], path, line, snippet, message, evidence=evidence),
        )

    for scope in js.scopes:
        for call in scope.calls:
            _check_call(js, scope, call, add, path)
            for finding in [
                *check_write(js, scope, call, path, context),
                *check_imported_writes(js, scope, call, path, context),
            ]:
                found.setdefault((finding.rule, finding.line), finding)
        values = {**scope_values(js.scopes[0]), **scope_values(scope)}
        for cond, body in scope.gates:
            gate = gate_of(js, cond, values)
            if gate is None:
                continue
            actions = gated_actions(js, scope, body, gate)
            if actions:
                add(
                    "js.gated_payload",
                    cond,
                    f"{', '.join(sorted(actions))} gated on {gate}: hidden behaviour that "
                    "fires only at some date, on some machine or outside CI",
                )
    for finding in [
        *rogue_mcp_servers(js, path, text, context),
        *embedded_scripts(js, path, context),
        *download_exec(js, path, context),
        *eval_download(js, path, context),
        *remote_imports(js, path, context),
        *address_swaps(js, path, text, context),
        *dns_tunnels(js, path, text, context),
    ]:
        found.setdefault((finding.rule, finding.line), finding)
    _reverse_shell(js, add)
    _lookups(js, add)
    commands = [
        (line_of(call), _command(scope, arguments_of(call)))
        for scope in js.scopes
        for call in scope.calls
        if "exec" in js.roles(call, scope)
    ]
    for finding in check_commands(path, commands, context):
        found.setdefault((finding.rule, finding.line), finding)


def _command(scope: Scope, args: list[Node]) -> str:
    """The command line a child_process call runs: literals in order, variables by the
    literal they were set to, ``$X`` for what is known only at run time."""
    pieces: list[str] = []
    for arg in args[:2]:  # the command and its argument list; options follow
        for sub in walk(arg):
            if sub.type == "string":
                pieces.append(string_value(sub) or "")
            elif sub.type == "string_fragment" and sub.parent is not None:
                if sub.parent.type == "template_string":
                    pieces.append(text_of(sub))
            elif sub.type == "identifier":
                pieces.append(scope.paths.get(text_of(sub), "$X"))
    return " ".join(p.strip() for p in pieces if p.strip())


def _offset(text: str, node: Node) -> int:
    # tree-sitter counts bytes; the line's text is what the finding shows.
    row = node.start_point.row
    offset = 0
    for _ in range(row):
        offset = text.find("\n", offset) + 1
    return offset


def _check_call(js: JsFile, scope: Scope, call: Node, add: _Add, path: str) -> None:
    roles = js.roles(call, scope)
    if not roles:
        _wrapped_flow(js, scope, call, add, path)
        return
    args = arguments_of(call)
    network = roles & {"http", "dns", "socket"}
    command = " ".join(s for a in args for s in strings_in(a)) if "exec" in roles else ""
    if network or _NET_TOOL.search(command):
        _flow(js, scope, call, args, add, path)
    if roles & {"eval", "exec", "timer"} and any(js.decoded(a, scope) for a in args):
        verb = "runs decoded data as a command" if "exec" in roles else "evaluates decoded data"
        add("js.eval_decoded", call, f"JavaScript {verb}")
    elif "eval" in roles and args and not _literal(args[0]):
        add("js.dynamic_eval", call)
    if "require" in roles and args and (_built(args[0]) or _folded_module(js, args[0], scope)):
        value = " or ".join(repr(n) for n in js.folder.strings(args[0])[:2])
        add(
            "js.obfuscated_require",
            call,
            f"module name built at run time: {value or text_of(args[0])}",
        )
    if roles & {"dns", "socket"} and any(
        js.env_secret(a) or js.names(a) & scope.env_secret for a in args
    ):
        add("js.exfiltration", call, "a secret leaves through a DNS look-up or a raw socket")
    if "read" in roles:
        for text in js.path_text(args[:1], scope).splitlines():
            source = source_of(text)
            if source is not None and source.kind not in WEAK_SOURCES:
                add("js.sensitive_read", call, f"reads {_shown(text)} ({source.what})")
                break
    if command and (
        PERSISTENCE_COMMAND.search(command)
        or (PERSISTENCE_PATH.search(command) and not _PATH_HABITS.search(command))
    ):
        add("js.persistence", call)


def _flow(js: JsFile, scope: Scope, call: Node, args: list[Node], add: _Add, path: str) -> None:
    """Sensitive data reaching a network call: critical whatever the skill declares.

    A token in an ``Authorization`` header authenticates the request (not its payload). A
    skill's or agent's own configuration (``.env``, agent config files) is how skills find
    their API keys: one field of it sent to an API is use; the whole file sent anywhere, or
    any of it sent by DNS, to a collector host or to a bare IP address, is theft.
    """
    origin = next((o for a in args if (o := js.sent_origin(a, scope)) is not None), None)
    hosts = js.destinations(call, args)
    strong = js.strong_sink(call, hosts)
    if origin is None:
        # A secret variable is sent to the API it is for; to a webhook or paste site, it
        # leaves for whoever holds that URL.
        collector = next((c for h, p in sorted(hosts) if (c := collector_host(h, p))), None)
        secret = next((a for a in args if js.env_secret(a) or js.names(a) & scope.env_secret), None)
        if collector is None or secret is None:
            return
        held = sorted(js.names(secret) & scope.env_secret)
        named = f" (held in {', '.join(held[:3])})" if held else ""
        what = f"a secret environment variable{named}, to a {collector}"
        origin = Origin(line_of(secret), what, "environment")
    if hosts and all(is_local_host(h) for h, _ in hosts):
        return  # to this machine only
    if origin.kind in WEAK_SOURCES and not strong and not origin.whole:
        return
    where = f" to {', '.join(sorted({h for h, _ in hosts}))}" if hosts else ""
    sink = f"{callee(call) or text_of(call)[:40]}{where}"
    add(
        "js.exfiltration",
        call,
        f"{origin.what} (line {origin.line}) is sent out by {sink}",
        (
            Evidence("source", path, origin.line, origin.what),
            Evidence("sink", path, line_of(call), sink),
        ),
    )


def _wrapped_flow(js: JsFile, scope: Scope, call: Node, add: _Add, path: str) -> None:
    """Sensitive data handed to one of the file's own functions that sends it out."""
    name = callee(call)
    resolved = js.resolve(name) if name else None
    if resolved is None:
        return
    owner, function = resolved
    sinks = owner.sink_params(function)
    sink_file = owner.path or path
    for index, arg in enumerate(arguments_of(call)):
        if index not in sinks:
            continue
        origin = js.sent_origin(arg, scope)
        if origin is None:
            continue
        sink_line, sink, strength = sinks[index][:3]
        if origin.kind in WEAK_SOURCES and strength != "strong" and not origin.whole:
            continue
        add(
            "js.exfiltration",
            call,
            f"{origin.what} (line {origin.line}) is handed to {name}(), which sends it out by "
            f"{sink} ({sink_file}:{sink_line})",
            (
                Evidence("source", path, origin.line, origin.what),
                Evidence("step", path, line_of(call), f"passed to {name}()"),
                Evidence("sink", sink_file, sink_line, sink),
            ),
        )
        return


def _shown(text: str) -> str:
    return text.replace("\x00", "…")


def _folded_name(js: JsFile, node: Node, scope: Scope) -> bool:
    """A module or global name that is not written out but folds to one (or is decoded)."""
    if js.decoded(node, scope):
        return True
    if string_value(node) is not None or node.type == "identifier":
        return False
    names = js.folder.strings(node)
    return bool(names) and all(complete(n) for n in names)


def _folded_module(js: JsFile, node: Node, scope: Scope) -> bool:
    """A package name (not a path of the skill's own files) that folds from pieces, here or
    in the variable passed (``const k = 'ssecorp_dlihc'.split('').reverse().join('')``)."""
    if node.type == "identifier":
        values = js.folder.definitions(text_of(node))
        built = bool(values) and all(string_value(v) is None for v in values)
        return built and any(module_kind(n) for n in js.folder.strings(node))
    if not _folded_name(js, node, scope):
        return False
    names = js.folder.strings(node)
    return js.decoded(node, scope) or any(
        module_kind(n) or (_PACKAGE.match(n) and not n.endswith(_FILE_EXTENSIONS)) for n in names
    )


def _literal(node: Node) -> bool:
    return string_value(node) is not None or node.type in (
        "arrow_function",
        "function_expression",
        "function",
    )


def _built(node: Node) -> bool:
    """A name assembled from literal pieces: ``'child' + '_process'``, ``['c','p'].join('')``,
    a template whose holes are literals. Never a path built from variables."""
    if node.type == "binary_expression":
        parts = node.named_children
        return bool(parts) and all(
            string_value(p) is not None or (p.type == "binary_expression" and _built(p))
            for p in parts
        )
    if node.type == "template_string":
        holes = [c for c in node.named_children if c.type == "template_substitution"]
        return bool(holes) and all(
            all(string_value(h) is not None for h in hole.named_children) for hole in holes
        )
    if node.type == "call_expression":
        func = node.child_by_field_name("function")
        if func is not None and func.type == "member_expression":
            prop, obj = func.child_by_field_name("property"), func.child_by_field_name("object")
            if prop is not None and text_of(prop) == "join" and obj is not None:
                return obj.type == "array" and all(
                    string_value(e) is not None for e in obj.named_children
                )
    return False


def _reverse_shell(js: JsFile, add: _Add) -> None:
    """A socket and a shell started in the same file: the shell's streams go to the socket."""
    calls = [c for s in js.scopes for c in s.calls]
    sockets = [c for c in calls if "socket" in js.roles(c)]
    if not sockets:
        return
    for call in calls:
        if "exec" not in js.roles(call):
            continue
        words = {
            s.strip().rsplit("/", 1)[-1].lower() for a in arguments_of(call) for s in strings_in(a)
        }
        if words & SHELLS:
            add("js.reverse_shell", call)
            return


def _lookups(js: JsFile, add: _Add) -> None:
    """``global['ev' + 'al']``, ``process[atob('…')]``: globals looked up by a built name."""
    for node in js.lookups:
        index = node.child_by_field_name("index")
        if index is not None and (_built(index) or _folded_name(js, index, js.scopes[0])):
            add("js.obfuscated_require", node, f"global looked up by a built name: {text_of(node)}")
