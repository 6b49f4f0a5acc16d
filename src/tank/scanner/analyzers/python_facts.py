"""What one Python expression holds, from one walk of its AST, cached per file: the names it
reads, the functions it calls, whether it decodes data, whether it is a source of secrets
(a credential store, the whole environment, a harvest of secret variables), and which
secret variables it reads. Taint asks these questions about the same expressions in every
pass and every round of the module fixpoint (:mod:`.python_taint`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from tank.scanner.analyzers.python_ast import DECODERS, call_name, dotted
from tank.scanner.analyzers.sensitive import SECRET_NAME, SENSITIVE_PATH

__all__ = ["HARVEST", "Facts", "NodeFacts", "mutated", "own_nodes"]

#: Distinct secret variables in one value that make it a harvest. Two is ordinary (a key and
#: its secret for basic auth); stealers gather every token they can find.
HARVEST = 3


def _env_key(sub: ast.AST) -> str | None:
    """The variable a node reads from the environment: ``os.environ['X']``, ``getenv('X')``."""
    key: ast.AST | None = None
    if isinstance(sub, ast.Subscript) and dotted(sub.value).endswith("environ"):
        key = sub.slice
    elif (
        isinstance(sub, ast.Call)
        and sub.args
        and (call_name(sub) == "getenv" or dotted(sub.func).endswith("environ.get"))
    ):
        key = sub.args[0]
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return None


def _whole_environ(call: ast.Call) -> bool:
    """dict(os.environ), json.dumps(os.environ), os.environ.copy()/items()/values()."""
    if any(dotted(a).endswith("environ") for a in call.args):
        return True
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("copy", "items", "values")
        and dotted(func.value).endswith("environ")
    )


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """What one expression holds, from a single walk (see :class:`Facts`)."""

    names: frozenset[str]
    called: frozenset[str]
    decodes: bool
    source: bool
    env: frozenset[str]


class Facts:
    """Per-file cache of :class:`NodeFacts`: taint asks the same questions about the same
    expressions in every pass and every round of the module fixpoint."""

    def __init__(self) -> None:
        self._nodes: dict[int, tuple[ast.AST, NodeFacts]] = {}
        self._bodies: dict[int, tuple[list[ast.stmt], list[ast.AST]]] = {}

    def of(self, node: ast.AST) -> NodeFacts:
        """The facts of ``node`` (computed on first use)."""
        hit = self._nodes.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        found_names: set[str] = set()
        called: set[str] = set()
        env: set[str] = set()
        # os.environ passed as a value (ctx.update(os.environ)) is the whole environment.
        source = dotted(node).endswith("environ")
        for sub in ast.walk(node):
            if isinstance(sub, ast.Dict) and any(
                k is None and dotted(v).endswith("environ")
                for k, v in zip(sub.keys, sub.values, strict=True)
            ):
                source = True  # {**os.environ, ...}
            if isinstance(sub, ast.Name):
                found_names.add(sub.id)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                source = source or bool(SENSITIVE_PATH.search(sub.value))
            elif isinstance(sub, ast.Call):
                called.add(call_name(sub))
                source = source or _whole_environ(sub)
            key = _env_key(sub) if isinstance(sub, ast.Subscript | ast.Call) else None
            if key is not None and SECRET_NAME.search(key):
                env.add(key)
        facts = NodeFacts(
            frozenset(found_names),
            frozenset(called),
            bool(called & DECODERS),
            source or len(env) >= HARVEST,
            frozenset(env),
        )
        self._nodes[id(node)] = (node, facts)
        return facts

    def bindings(self, body: list[ast.stmt]) -> list[ast.AST]:
        """The assignments, ``with`` and ``for`` statements and container mutations
        (``data.update(…)``) of ``body``, nested blocks included."""
        hit = self._bodies.get(id(body))
        if hit is not None and hit[0] is body:
            return hit[1]
        kinds = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.With, ast.For)
        found: list[ast.AST] = [
            n
            for stmt in body
            for n in ast.walk(stmt)
            if isinstance(n, kinds) or (isinstance(n, ast.Call) and mutated(n) is not None)
        ]
        self._bodies[id(body)] = (body, found)
        return found


#: Methods that put their arguments into the object they are called on.
_MUTATORS = frozenset({"update", "append", "extend", "insert", "add", "setdefault", "write"})


def mutated(call: ast.Call) -> str | None:
    """The name a container-filling call changes: ``ctx`` in ``ctx.update(x)``."""
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr in _MUTATORS
        and isinstance(func.value, ast.Name)
    ):
        return func.value.id
    return None


def own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of ``body`` that is not inside a nested function or class."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                stack.append(child)
