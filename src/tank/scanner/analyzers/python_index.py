"""Where names are bound in one Python module, for :mod:`.python_fold`: every expression
bound to each name per function and at module level (assignments, tuple unpacking, loop
variables over an iterable), the module's functions, and their call sites."""

from __future__ import annotations

import ast

from tank.scanner.analyzers.python_ast import call_name
from tank.scanner.analyzers.python_values import HOLE

__all__ = ["Binding", "Function", "Index"]

Function = ast.FunctionDef | ast.AsyncFunctionDef
#: An expression bound to a name, or ``(iterable or tuple, index, …)``: element ``index`` of
#: it (``-1``: any element, for loop variables), then element ``index`` of that, and so on
#: (``for label, path in PAIRS``: ``path`` is ``(PAIRS, -1, 1)``).
Binding = ast.expr | tuple[ast.expr, int] | tuple[ast.expr, int, int]


class Index:
    """The bindings of one module, by scope: ``binds[0]`` is the module, ``binds[id(def)]``
    a function's."""

    def __init__(self, tree: ast.Module) -> None:
        self.binds: dict[int, dict[str, list[Binding]]] = {}
        self.owner: dict[int, int] = {}  # id(node) → id of its function (0: module)
        self.functions: dict[str, Function] = {}
        self.by_id: dict[int, Function] = {}
        self.calls: dict[str, list[ast.Call]] = {}  # module function → its call sites
        #: Every node of the module, in one list (analyses walk it instead of the tree).
        self.nodes: list[ast.AST] = []
        self._index(tree, 0)
        self.literals: frozenset[str] = frozenset(
            n.value for n in self.nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)
        )

    def _index(self, tree: ast.AST, owner: int) -> None:
        stack: list[tuple[ast.AST, int]] = [(tree, owner)]
        while stack:
            node, scope = stack.pop()
            self.nodes.append(node)
            self.owner[id(node)] = scope
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if scope == 0:
                    self.functions[node.name] = node
                    self.by_id[id(node)] = node
                inner = id(node)
                self.binds.setdefault(inner, {})
                for child in ast.iter_child_nodes(node):
                    stack.append((child, inner))
                continue
            binds = self.binds.setdefault(scope, {})
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(binds, target, node.value)
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
                self._bind(binds, node.target, node.value)
            elif isinstance(node, ast.For | ast.comprehension):
                self._bind_each(binds, node.target, node.iter)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                self.calls.setdefault(node.func.id, []).append(node)
            elif isinstance(node, ast.If) and not _skips(node.body):
                self._narrow(binds, node.test)
            for child in ast.iter_child_nodes(node):
                stack.append((child, scope))

    def _narrow(self, binds: dict[str, list[Binding]], test: ast.expr) -> None:
        """``if name in ("id_rsa", "credentials"):`` … — inside, ``name`` is one of those;
        ``if name.endswith(".env"):`` — a name ending so. (Skip guards, ``if … : continue``,
        say the opposite and are left out by the caller.)"""
        for part in test.values if isinstance(test, ast.BoolOp) else [test]:
            if (
                isinstance(part, ast.Compare)
                and isinstance(part.left, ast.Name)
                and len(part.ops) == 1
                and isinstance(part.ops[0], ast.In | ast.Eq)
            ):
                other = part.comparators[0]
                item: Binding = (other, -1) if isinstance(part.ops[0], ast.In) else other
                binds.setdefault(part.left.id, []).append(item)
            elif (
                isinstance(part, ast.Call)
                and call_name(part) == "endswith"
                and isinstance(part.func, ast.Attribute)
                and isinstance(part.func.value, ast.Name)
                and part.args
                and isinstance(part.args[0], ast.Constant)
                and isinstance(part.args[0].value, str)
            ):
                ending = ast.Constant(HOLE + part.args[0].value)
                binds.setdefault(part.func.value.id, []).append(ending)

    def _bind(
        self,
        binds: dict[str, list[Binding]],
        target: ast.AST,
        value: ast.expr,
    ) -> None:
        if isinstance(target, ast.Name):
            binds.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            for i, elt in enumerate(target.elts):
                if isinstance(elt, ast.Name):
                    binds.setdefault(elt.id, []).append((value, i))

    def _bind_each(
        self,
        binds: dict[str, list[Binding]],
        target: ast.AST,
        iterable: ast.expr,
    ) -> None:
        # A loop variable holds any element: bound to the iterable with index -1.
        if isinstance(target, ast.Name):
            binds.setdefault(target.id, []).append((iterable, -1))
        elif (
            isinstance(target, ast.Tuple)
            and isinstance(iterable, ast.Call)
            and call_name(iterable) == "enumerate"
            and len(target.elts) == 2
            and iterable.args
            and isinstance(target.elts[1], ast.Name)
        ):
            binds.setdefault(target.elts[1].id, []).append((iterable.args[0], -1))
        elif isinstance(target, ast.Tuple):  # for name, path in PAIRS / in D.items()
            for i, elt in enumerate(target.elts):
                if isinstance(elt, ast.Name):
                    binds.setdefault(elt.id, []).append((iterable, -1, i))


def _skips(block: list[ast.stmt]) -> bool:
    """The block only leaves (``continue``, ``return``…): a skip guard, not a selection."""
    return bool(block) and isinstance(
        block[-1], ast.Continue | ast.Return | ast.Break | ast.Raise | ast.Pass
    )
