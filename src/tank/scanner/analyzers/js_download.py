"""Download-then-run in JavaScript ("updaters"): a file that fetches something from an
outside host, writes a file, and runs or loads that same file (``node file``, ``sh file``,
``require(file)``, ``import(file)``, ``chmod`` then exec).

The written and the run path are compared after folding (:mod:`.js_fold`), so a path
built with ``path.join(os.tmpdir(), '.x-' + process.pid + '.js')`` and passed on through a
variable or an argument list is recognised. Unknown parts (the pid) compare equal to
themselves, which is what makes the two the same path.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from tank.scanner.analyzers.base import Context
from tank.scanner.analyzers.js_bindings import arguments_of
from tank.scanner.analyzers.js_fold import HOLE, Value, enclosing_function
from tank.scanner.analyzers.js_tree import NAMES, callee, line_of, string_value, text_of, walk
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.knowledge import is_local_host
from tank.scanner.model import Evidence, Finding

if TYPE_CHECKING:
    from tree_sitter import Node

    from tank.scanner.analyzers.js_facts import JsFile

__all__ = ["download_exec", "eval_download", "remote_imports"]

#: Folded paths shorter than this (``a``, ``x.js``) are too common to tie a write to a run.
_MIN_PATH = 4


def download_exec(js: JsFile, path: str, context: Context) -> list[Finding]:
    """``js.download_exec`` findings: a file written and then run, in a file that downloads."""
    download = _download(js)
    if download is None:
        return []
    written: dict[str, Node] = {}
    names: dict[str, Node] = {}
    for scope in js.scopes:
        for call in scope.calls:
            if "write" not in js.roles(call, scope):
                continue
            args = arguments_of(call)
            if not args:
                continue
            for text in js.folder.strings(args[0]):
                if len(text.replace(HOLE, "")) >= _MIN_PATH:
                    written.setdefault(text, call)
            if args[0].type == "identifier":
                names.setdefault(text_of(args[0]), call)
    if not written and not names:
        return []
    out = []
    for scope in js.scopes:
        for call in scope.calls:
            roles = js.roles(call, scope)
            if not roles & {"exec", "require", "eval"}:
                continue
            args = arguments_of(call)[:2]
            runs = {t for a in args for v in js.folder.values(a) for t in _flat(v)}
            hit = next((written[t] for t in runs if t in written), None)
            if hit is None:
                used = {text_of(n) for a in args for n in walk(a) if n.type in NAMES}
                hit = next((names[n] for n in sorted(used) if n in names), None)
            if hit is None:
                continue
            line = line_of(call)
            out.append(
                Finding.of(
                    context.rules["js.download_exec"],
                    path,
                    line,
                    text_of(call).splitlines()[0][:200],
                    f"downloads from {download[1]} (line {line_of(download[0])}), writes a file "
                    f"(line {line_of(hit)}) and runs it",
                    evidence=(
                        Evidence(
                            "source", path, line_of(download[0]), f"download from {download[1]}"
                        ),
                        Evidence("step", path, line_of(hit), "writes the file"),
                        Evidence("sink", path, line, "runs the written file"),
                    ),
                )
            )
            break
    return out


def eval_download(js: JsFile, path: str, context: Context) -> list[Finding]:
    """``js.download_exec`` for code fetched and evaluated without a file: ``eval`` /
    ``new Function`` / ``vm`` of a value that came from a request, or called inside the
    callback of a request (``https.get(u, r => { … r.on('end', () => eval(d)) })``)."""
    downloaded = _downloaded_names(js)
    out = []
    for scope in js.scopes:
        for call in scope.calls:
            roles = js.roles(call, scope)
            if "eval" not in roles:
                continue
            args = arguments_of(call)
            # ``new Function('require', 'ctx', body)``: the code is the last argument
            args = args[-1:] if text_of(call).startswith("new ") else args[:1]
            if not args or string_value(args[0]) is not None:
                continue
            request = _request_around(js, call)
            names = js.names(args[0]) & downloaded
            if (
                request is None
                and not names
                and not any("http" in js.roles(c) for c in js.summary(args[0]).calls)
            ):
                continue
            line = line_of(call)
            where = (
                f"the response of line {line_of(request)}"
                if request is not None
                else (
                    f"{', '.join(sorted(names)[:3])}, fetched from the network"
                    if names
                    else "a request"
                )
            )
            out.append(
                Finding.of(
                    context.rules["js.download_exec"],
                    path,
                    line,
                    text_of(call).splitlines()[0][:200],
                    f"evaluates code from {where}",
                    evidence=(Evidence("sink", path, line, "evaluates downloaded code"),),
                )
            )
    return out


def remote_imports(js: JsFile, path: str, context: Context) -> list[Finding]:
    """``js.download_exec`` for ``import('https://…')`` / ``require('http://…')``: a module
    loaded from an outside host runs whatever that host serves."""
    out = []
    for scope in js.scopes:
        for call in scope.calls:
            if "require" not in js.roles(call, scope):
                continue
            args = arguments_of(call)[:1]
            hosts = [
                m.group(1)
                for a in args
                for t in js.folder.strings(a)
                for m in URL.finditer(t)
                if m.start() == 0 and not is_local_host(m.group(1))
            ]
            if not hosts:
                continue
            line = line_of(call)
            out.append(
                Finding.of(
                    context.rules["js.download_exec"],
                    path,
                    line,
                    text_of(call).splitlines()[0][:200],
                    f"loads a module from {hosts[0]}: it runs whatever that host serves",
                    evidence=(Evidence("sink", path, line, f"module loaded from {hosts[0]}"),),
                )
            )
    return out


def _downloaded_names(js: JsFile, depth: int = 0) -> set[str]:
    """Names holding what a request returned: ``const r = await fetch(u)``, then
    ``const code = await r.text()`` (followed twice, so that order does not matter), or
    what a function of the skill returns that itself returns a response
    (``const tpl = await loadTemplates()`` with ``loadTemplates`` in another file)."""
    out: set[str] = set()
    for _ in range(2):
        for scope in js.scopes:
            for names, _target, value in scope.assigns:
                found = js.summary(value)
                if not found.names.isdisjoint(out) or any(
                    "http" in js.roles(c) or _returns_download(js, c, depth) for c in found.calls
                ):
                    out |= names
    return out


#: How many functions deep a returned response is followed (a helper calling a helper).
_MAX_RETURN_DEPTH = 2
#: Nodes of a function's body searched for its ``return`` statements.
_MAX_BODY_WALK = 20_000


def _returns_download(js: JsFile, call: Node, depth: int) -> bool:
    """Whether ``call`` calls a function of the skill (this file's own or one imported from
    another of its files) that returns what a request returned."""
    name = callee(call)
    if depth >= _MAX_RETURN_DEPTH or not name or "." in name:
        return False
    found = js.resolve(name)
    if found is None:
        return False
    module, function = found
    body = function.child_by_field_name("body")
    if body is None:
        return False
    if body.type != "statement_block":  # ``() => fetch(u).then(r => r.text())``
        returned = [body]
    else:
        returned = [
            n.named_children[0]
            for n in itertools.islice(walk(body), _MAX_BODY_WALK)
            if n.type == "return_statement"
            and n.named_children
            and enclosing_function(n) == function
        ]
    if not returned:
        return False
    downloaded = _downloaded_names(module, depth + 1)
    for value in returned:
        summary = module.summary(value)
        if not summary.names.isdisjoint(downloaded) or any(
            "http" in module.roles(c) for c in summary.calls
        ):
            return True
    return False


_MAX_PARENTS = 64


def _request_around(js: JsFile, call: Node) -> Node | None:
    """The request whose arguments (its callback) ``call`` is inside, if any."""
    current = call.parent
    for _ in range(_MAX_PARENTS):
        if current is None:
            return None
        if current.type == "arguments" and current.parent is not None:
            outer = current.parent
            if outer.type in ("call_expression", "new_expression") and "http" in js.roles(outer):
                return outer
        current = current.parent
    return None


def _download(js: JsFile) -> tuple[Node, str] | None:
    """The first network call of the file that reaches an outside host, and that host."""
    for scope in js.scopes:
        for call in scope.calls:
            if "http" not in js.roles(call, scope):
                continue
            for arg in arguments_of(call)[:1]:
                for text in js.folder.strings(arg):
                    for match in URL.finditer(text):
                        if not is_local_host(match.group(1)):
                            return call, match.group(1)
    return None


def _flat(value: Value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [t for v in value for t in _flat(v)]
