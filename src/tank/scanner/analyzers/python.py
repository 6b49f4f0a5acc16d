"""The Python analyzer: an AST walk for obfuscated exec, theft, reverse shells, persistence,
and a simple taint from sensitive reads to network calls in the same function."""

from __future__ import annotations

import ast
from collections.abc import Callable

from tank.scanner.analyzers.base import Context, line_text, parse_python
from tank.scanner.analyzers.sensitive import PERSISTENCE_PATH, SENSITIVE_PATH
from tank.scanner.model import Finding

__all__ = ["analyze_python", "call_name"]

_DECODERS = frozenset(
    {
        "b64decode",
        "b32decode",
        "b16decode",
        "b85decode",
        "a85decode",
        "decodebytes",
        "urlsafe_b64decode",
        "fromhex",
        "unhexlify",
        "decompress",
        "loads",
        "decode",
        "rot13",
        "reversed",
        "chr",
    }
)
_EXEC = frozenset({"exec", "eval", "compile", "execfile"})
_SINKS = frozenset(
    {
        "post",
        "put",
        "patch",
        "get",
        "request",
        "urlopen",
        "Request",
        "send",
        "sendall",
        "sendto",
        "sendmail",
        "upload_file",
        "storbinary",
        "connect",
    }
)
_OPENERS = frozenset(
    {
        "open",
        "read_text",
        "read_bytes",
        "Path",
        "expanduser",
        "glob",
        "copy",
        "copyfile",
        "make_archive",
        "listdir",
        "walk",
    }
)
_WRITE_CALLS = frozenset(
    {
        "write_text",
        "write_bytes",
        "write",
        "writelines",
        "system",
        "run",
        "Popen",
        "call",
        "check_call",
        "check_output",
    }
)


def call_name(node: ast.AST) -> str:
    """``a.b.c(...)`` → ``"c"``; ``f(...)`` → ``"f"``; anything else → ``""``."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _calls(node: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


def _is_source(node: ast.AST) -> bool:
    """Reads a credential store, or grabs the whole environment."""
    if any(SENSITIVE_PATH.search(s) for s in _strings(node)):
        return True
    for call in _calls(node):
        # The whole environment: dict(os.environ), json.dumps(os.environ), os.environ.copy().
        if any(_dotted(a).endswith("environ") for a in call.args):
            return True
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("copy", "items", "values")
            and _dotted(func.value).endswith("environ")
        ):
            return True
    return False


def _string_building(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return False
    if isinstance(node, ast.BinOp | ast.JoinedStr):
        return True
    return any(call_name(c) in _DECODERS | {"join"} for c in _calls(node))


class _Scope:
    """Names tainted in one function (or the module body) by decoding or sensitive reads."""

    def __init__(self, body: list[ast.stmt]) -> None:
        self.decoded: set[str] = set()
        self.secret: set[str] = set()
        for _ in range(2):  # two passes: a name may be tainted after its first use
            for stmt in body:
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                        self._assign(node)
                    elif isinstance(node, ast.With | ast.For):
                        self._bind(node)

    def _targets(self, node: ast.AST) -> set[str]:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        return {
            n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)
        }

    def _assign(self, node: ast.AST) -> None:
        value = getattr(node, "value", None)
        if value is None:
            return
        used = _names(value)
        if any(call_name(c) in _DECODERS for c in _calls(value)) or used & self.decoded:
            self.decoded |= self._targets(node)
        if _is_source(value) or used & self.secret:
            self.secret |= self._targets(node)

    def _bind(self, node: ast.With | ast.For) -> None:
        if isinstance(node, ast.For):
            if _is_source(node.iter) or _names(node.iter) & self.secret:
                self.secret |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            return
        for item in node.items:
            if item.optional_vars is not None and (
                _is_source(item.context_expr) or _names(item.context_expr) & self.secret
            ):
                self.secret |= {
                    n.id for n in ast.walk(item.optional_vars) if isinstance(n, ast.Name)
                }


def analyze_python(path: str, text: str, context: Context) -> list[Finding]:
    """Findings of the ``python.*`` code rules; a file that does not parse gets a note."""
    rules = context.rules
    try:
        tree = parse_python(text, path)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        return [Finding.of(rules["python.unparsable"], path, line, line_text(text, 0))]
    out: list[Finding] = []

    def add(rule_id: str, node: ast.AST, message: str | None = None) -> None:
        line = getattr(node, "lineno", 1)
        snippet = ast.get_source_segment(text, node) or ""
        out.append(Finding.of(rules[rule_id], path, line, snippet, message))

    imports = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    imports |= {
        (n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
    }
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    module_body = [
        s
        for s in tree.body
        if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    bodies = [f.body for f in functions] + [module_body]
    names_called = {call_name(c) for c in _calls(tree)}
    if "socket" in imports and ("dup2" in names_called or "spawn" in names_called):
        node = next(c for c in _calls(tree) if call_name(c) in ("dup2", "spawn"))
        add("python.reverse_shell", node)
    for body in bodies:
        scope = _Scope(body)
        for stmt in body:
            for call in _calls(stmt):
                _check_call(call, scope, add)
    writes = bool(names_called & _WRITE_CALLS) or any(
        call_name(c) == "open" and any(m in s for s in _strings(c)[1:] for m in "wa")
        for c in _calls(tree)
    )
    if writes:
        for const in ast.walk(tree):
            if (
                isinstance(const, ast.Constant)
                and isinstance(const.value, str)
                and PERSISTENCE_PATH.search(const.value)
            ):
                add("python.persistence", const)
                break
    return out


def _check_call(call: ast.Call, scope: _Scope, report: Callable[[str, ast.AST], None]) -> None:
    name = call_name(call)
    args = [*call.args, *(k.value for k in call.keywords)]
    if name in _EXEC and args:
        arg = args[0]
        if any(call_name(c) in _DECODERS for c in _calls(arg)) or _names(arg) & scope.decoded:
            report("python.exec_decoded", call)
        elif not isinstance(arg, ast.Constant):
            report("python.dynamic_exec", call)
    elif name in ("__import__", "import_module", "getattr") and len(call.args) >= 1:
        target = call.args[1] if name == "getattr" and len(call.args) > 1 else call.args[0]
        if _string_building(target) or _names(target) & scope.decoded:
            report("python.dynamic_import", call)
    elif name in _SINKS and any(_is_source(a) or _names(a) & scope.secret for a in args):
        report("python.exfiltration", call)
    elif name in _OPENERS and (
        any(SENSITIVE_PATH.search(s) for a in args for s in _strings(a))
        or (
            isinstance(call.func, ast.Attribute)
            and any(SENSITIVE_PATH.search(s) for s in _strings(call.func))
        )
    ):
        report("python.sensitive_read", call)
