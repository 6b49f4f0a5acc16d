"""Where names are bound in one Python module, for :mod:`.python_fold`: every expression
bound to each name per function and at module level (assignments, tuple unpacking, loop
variables over an iterable), the module's functions, and their call sites."""

from __future__ import annotations

import ast

from tank.scanner.analyzers.python_ast import call_name

__all__ = ["Binding", "Function", "Index"]

Function = ast.FunctionDef | ast.AsyncFunctionDef
#: An expression bound to a name, or ``(iterable or tuple, index)``: element ``index`` of it
#: (``-1``: any element, for loop variables).
Binding = ast.expr | tuple[ast.expr, int]


class Index:
    """The bindings of one module, by scope: ``binds[0]`` is the module, ``binds[id(def)]``
    a function's."""

    def __init__(self, tree: ast.Module) -> None:
        self.binds: dict[int, dict[str, list[Binding]]] = {}
        self.owner: dict[int, int] = {}  # id(node) → id of its function (0: module)
        self.functions: dict[str, Function] = {}
        self.by_id: dict[int, Function] = {}
        self.calls: dict[str, list[ast.Call]] = {}  # module function → its call sites
        self.literals: frozenset[str] = frozenset(
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        )
        self._index(tree, 0)

    def _index(self, tree: ast.AST, owner: int) -> None:
        stack: list[tuple[ast.AST, int]] = [(tree, owner)]
        while stack:
            node, scope = stack.pop()
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
            for child in ast.iter_child_nodes(node):
                stack.append((child, scope))

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
