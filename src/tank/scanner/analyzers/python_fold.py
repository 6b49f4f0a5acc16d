"""Constant folding and propagation of string building in Python, within bounds.

Scanners that look only at literals miss what a script assembles at run time: a path built
with ``Path.home() / ".ssh"``, a host from ``chr`` codes, ``getattr(os, "sy" + "stem")``.
:class:`Folder` computes the strings (and bytes, ints and tuples of them) an expression can
hold, following names through every assignment of the function and of the module, loop
variables over literal lists, the parameters of module functions (every value passed at
their call sites) and what functions return. Names a module imports from a sibling module
of the same skill (``from util import BASE``) resolve through ``imported``.

A name bound several times holds any of its values: the result is a tuple of *choices*, at
most :data:`MAX_CHOICES`. Every fold is bounded (:data:`MAX_DEPTH`, :data:`MAX_STEPS`,
:data:`MAX_LEN`): past a bound a value is unknown (the empty tuple), never an error, so a
file built to blow up the folder costs a bounded amount of time.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from tank.scanner.analyzers.python_ast import call_name, dotted
from tank.scanner.analyzers.python_index import Binding, Function, Index
from tank.scanner.analyzers.python_values import (
    DECODE,
    HOLE,
    MAX_CHOICES,
    MAX_LEN,
    Choices,
    Value,
    apply,
    bounded,
    builtin,
    codec,
    combos,
    complete,
    join_path,
    mapped,
    method,
    pick,
    product,
    texts,
)

__all__ = [
    "HOLE",
    "MAX_CHOICES",
    "MAX_DEPTH",
    "MAX_LEN",
    "MAX_STEPS",
    "Choices",
    "Folder",
    "Value",
    "complete",
    "texts",
]

Env = Mapping[str, Choices]
Callable = Function | ast.Lambda

MAX_DEPTH = 24  # nesting of folds (names through names through calls…)
MAX_STEPS = 20_000  # folds per file
_NONE: Choices = ()
_HOLE: Choices = (HOLE,)

_SAME = frozenset({"expanduser", "expandvars", "abspath", "realpath", "normpath", "resolve"})
_SAME |= {"absolute", "str", "fspath", "PurePath", "PosixPath", "WindowsPath", "as_posix"}
_SAME |= {"strip", "lstrip", "rstrip", "lower", "upper", "casefold", "__str__", "__fspath__"}
_HOME_VARS = frozenset({"HOME", "USERPROFILE"})


class Folder:
    """The values expressions of one module can hold (see the module docstring)."""

    def __init__(
        self,
        tree: ast.Module,
        imported: Mapping[str, Choices] | None = None,
        returns: Mapping[str, Choices] | None = None,
    ) -> None:
        self.imported: Mapping[str, Choices] = imported or {}
        #: What imported functions return, by the name called here (``home``, ``util.home``).
        self.returns: Mapping[str, Choices] = returns or {}
        self.steps = 0
        index = Index(tree)
        self._binds, self._owner, self._calls = index.binds, index.owner, index.calls
        self._functions, self._by_id = index.functions, index.by_id
        #: Every string written in the clear in the module, and every call.
        self.literals = index.literals
        self.nodes = index.nodes
        self.calls: list[ast.Call] = sorted(
            (n for n in index.nodes if isinstance(n, ast.Call)),
            key=lambda n: (n.lineno, n.col_offset),
        )  # in source order: command checks read commands in the order they run
        self._memo: dict[int, Choices] = {}
        self._active: set[tuple[int, str]] = set()

    # -- folding -------------------------------------------------------------------------

    def values(self, node: ast.AST, env: Env | None = None) -> Choices:
        """The values ``node`` can hold (empty: unknown)."""
        return self._fold(node, env or {}, 0)

    def strings(self, node: ast.AST) -> list[str]:
        """The strings ``node`` can hold (see :func:`texts`)."""
        return texts(self.values(node))

    def module_names(self) -> list[str]:
        """Names bound at the module's top level."""
        return list(self._binds.get(0, {}))

    def function_names(self) -> list[str]:
        """The module's top-level functions."""
        return list(self._functions)

    def value_of(self, name: str) -> Choices:
        """The values a module-level name holds."""
        bound = self._binds.get(0, {}).get(name)
        return bounded(self._bound(0, name, bound, 0)) if bound else _NONE

    def value_strings(self, name: str) -> list[str]:
        """The strings a module-level name holds (:meth:`value_of`, as text)."""
        return texts(self.value_of(name))

    def returned(self, name: str) -> Choices:
        """What a module function returns, its parameters unknown."""
        function = self._functions.get(name)
        if function is None:
            return _NONE
        return bounded(self._returns(function, ast.Call(ast.Name(name), [], []), 0))

    def text(self, node: ast.AST) -> str | None:
        """The one complete string ``node`` holds, or None (unknown, partial or several)."""
        found = [s for s in self.strings(node) if complete(s)]
        return found[0] if len(found) == 1 else None

    def argv(self, node: ast.AST) -> str | None:
        """A command held in one value: a string, or a list of strings (``cmd = ["curl",
        …]`` … ``run(cmd)``) joined by spaces; None when unknown or several."""
        values = self.values(node)
        if len(values) != 1:
            return None
        value = values[0]
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            return " ".join(str(v) for v in value)
        return value if isinstance(value, str) and complete(value) else None

    def _fold(self, node: ast.AST, env: Env, depth: int) -> Choices:
        if depth > MAX_DEPTH or self.steps > MAX_STEPS:
            return _NONE
        self.steps += 1
        if not env:
            hit = self._memo.get(id(node))
            if hit is not None:
                return hit
        found = bounded(self._eval(node, env, depth + 1))
        if not env:
            self._memo[id(node)] = found
        return found

    def _eval(self, node: ast.AST, env: Env, depth: int) -> Choices:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, str | bytes | int):
                return _NONE
            return (value,)
        if isinstance(node, ast.Name):
            return self._name(node, env, depth)
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node, env, depth)
        if isinstance(node, ast.BinOp):
            return self._binop(node, env, depth)
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return self._sequence(node.elts, env, depth)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, env, depth)
        if isinstance(node, ast.Call):
            return self._call(node, env, depth)
        if isinstance(node, ast.Attribute):
            return self.imported.get(dotted(node), _NONE)  # util.BASE
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return tuple(-v for v in self._fold(node.operand, env, depth) if isinstance(v, int))
        if isinstance(node, ast.IfExp):
            return self._fold(node.body, env, depth) + self._fold(node.orelse, env, depth)
        if isinstance(node, ast.BoolOp):
            return tuple(v for value in node.values for v in self._fold(value, env, depth))
        return _NONE

    def _name(self, node: ast.Name, env: Env, depth: int) -> Choices:
        if node.id in env:
            return env[node.id]
        scope = self._owner.get(id(node), 0)
        for where in (scope, 0) if scope else (0,):
            bound = self._binds.get(where, {}).get(node.id)
            if bound:
                return self._bound(where, node.id, bound, depth)
            if where and node.id in self._params(where):
                return self._param(where, node.id, depth)
        return self.imported.get(node.id, _NONE)

    def _bound(self, where: int, name: str, bound: list[Binding], depth: int) -> Choices:
        key = (where, name)
        if key in self._active:  # x = x + "a": a cycle has no constant value
            return _NONE
        self._active.add(key)
        try:
            out: list[Value] = []
            for item in bound:
                if isinstance(item, tuple):
                    expr, *indexes = item
                    values = self._fold(expr, {}, depth)
                    for index in indexes:
                        values = tuple(v for value in values for v in pick(value, index))
                    out.extend(values)
                else:
                    out.extend(self._fold(item, {}, depth))
            return tuple(out)
        finally:
            self._active.discard(key)

    def _params(self, where: int) -> list[str]:
        function = self._by_id.get(where)
        return [] if function is None else [a.arg for a in function.args.args]

    def _param(self, where: int, name: str, depth: int) -> Choices:
        """A parameter holds what its call sites pass (the module's own calls only)."""
        function = self._by_id[where]
        index = [a.arg for a in function.args.args].index(name)
        key = (where, "(" + name)
        if key in self._active:
            return _NONE
        self._active.add(key)
        try:
            out: list[Value] = []
            for call in self._calls.get(function.name, [])[:MAX_CHOICES]:
                if index < len(call.args):
                    out.extend(self._fold(call.args[index], {}, depth))
                else:
                    out.extend(
                        v
                        for k in call.keywords
                        if k.arg == name
                        for v in self._fold(k.value, {}, depth)
                    )
            return tuple(out)
        finally:
            self._active.discard(key)

    def _fstring(self, node: ast.JoinedStr, env: Env, depth: int) -> Choices:
        parts: list[Choices] = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                folded = self._fold(value.value, env, depth)
                parts.append(tuple(str(v) for v in folded if not isinstance(v, tuple)) or _HOLE)
            else:
                parts.append(self._fold(value, env, depth))
        if all(p == _HOLE for p in parts):
            return _NONE
        return product(parts, "")

    def _binop(self, node: ast.BinOp, env: Env, depth: int) -> Choices:
        left = self._fold(node.left, env, depth)
        right = self._fold(node.right, env, depth)
        if isinstance(node.op, ast.Add | ast.Div) and bool(left) != bool(right):
            known = left or right
            if all(isinstance(v, str) for v in known):
                left, right = left or _HOLE, right or _HOLE
        out: list[Value] = []
        for a in left:
            for b in right:
                out.extend(apply(node.op, a, b))
                if len(out) >= MAX_CHOICES:
                    return tuple(out)
        return tuple(out)

    def _sequence(self, elts: list[ast.expr], env: Env, depth: int) -> Choices:
        items: list[Choices] = []
        for elt in elts[:256]:
            folded = self._fold(elt, env, depth)
            if not folded or isinstance(elt, ast.Starred):
                return _NONE
            items.append(folded[:1] if len(folded) == 1 else folded)
        if all(len(i) == 1 for i in items):
            return (tuple(i[0] for i in items),)
        # A list of alternatives ([".ssh", NAME]) keeps every element reachable.
        return (tuple(v for i in items for v in i),)

    def _subscript(self, node: ast.Subscript, env: Env, depth: int) -> Choices:
        base = node.value
        if dotted(base).endswith("environ") and isinstance(node.slice, ast.Constant):
            return ("~",) if node.slice.value in _HOME_VARS else _NONE
        values = self._fold(base, env, depth)
        if isinstance(node.slice, ast.Slice):
            bounds: list[int | None] = []
            for b in (node.slice.lower, node.slice.upper, node.slice.step):
                got = self._fold(b, env, depth) if b is not None else None
                if got is not None and (not got or not isinstance(got[0], int)):
                    return _NONE
                bounds.append(got[0] if got is not None and isinstance(got[0], int) else None)
            cut = slice(*bounds)
            return tuple(v[cut] for v in values if isinstance(v, str | bytes | tuple))
        index = self._fold(node.slice, env, depth)
        if len(index) != 1 or not isinstance(index[0], int):
            return _NONE
        out: list[Value] = []
        for value in values:
            if isinstance(value, str | bytes | tuple) and -len(value) <= index[0] < len(value):
                item = value[index[0]]
                out.append(item)
        return tuple(out)

    def _call(self, node: ast.Call, env: Env, depth: int) -> Choices:
        name = call_name(node)
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        args = node.args
        if name in ("home", "gettempdir") and owner is not None:
            return ("~",) if name == "home" else ("/tmp",)  # noqa: S108 - a folded name
        if name in ("cwd", "getcwd"):
            return (".",)
        if name in ("getenv",) or dotted(node.func).endswith("environ.get"):
            key = args[0] if args else None
            if isinstance(key, ast.Constant) and key.value in _HOME_VARS:
                return ("~",)
            return self._fold(args[1], env, depth) if len(args) > 1 else _NONE
        if name in ("join", "joinpath") and owner is not None and dotted(owner).endswith("path"):
            return self._path(args, env, depth)
        if name in ("Path", "PurePosixPath", "PureWindowsPath") or name == "joinpath":
            base = [owner] if name == "joinpath" and owner is not None else []
            return self._path([*base, *args], env, depth)
        if name in _SAME:
            if owner is not None and not args:
                return self._fold(owner, env, depth)
            if owner is not None and dotted(owner) not in ("os.path", "path", "os"):
                return _NONE if args else self._fold(owner, env, depth)
            return (
                tuple(v for v in self._fold(args[0], env, depth) if isinstance(v, str))
                if args
                else _NONE
            )
        if name == "join" and owner is not None and len(args) == 1:
            return self._strjoin(owner, args[0], env, depth)
        if name == "split" and owner is not None and len(args) <= 1:
            return self._split(owner, args, env, depth)
        if name in ("chr", "bytes", "bytearray", "fromhex", "reversed", "list", "tuple"):
            return self._builtin(name, args, env, depth)
        if name in DECODE and args:
            return mapped(self._fold(args[0], env, depth), DECODE[name])
        if name in ("decode", "encode") and dotted(owner or node.func) == "codecs" and args:
            return self._codec(name, args[0], args[1:], env, depth)  # codecs.decode(s, "rot13")
        if name in ("decode", "encode") and owner is not None:
            return self._codec(name, owner, args, env, depth)
        if name in ("replace", "format") and owner is not None:
            return self._method(name, owner, node, env, depth)
        if name in ("glob", "rglob") and owner is not None and len(args) == 1:
            # HOME.glob(".ssh/id_*"): the paths it yields, each one element of the result
            return (tuple(self._path([owner, args[0]], env, depth)),)
        if name in ("items", "keys", "values") and owner is not None and not args:
            return self._mapping(name, owner, env, depth)
        if name == "map" and len(args) == 2 and isinstance(args[0], ast.Name):
            return self._map(args[0].id, args[1], env, depth)
        if isinstance(node.func, ast.Name) and node.func.id in self._functions:
            return self._returns(self._functions[node.func.id], node, depth)
        if isinstance(node.func, ast.Name):
            lambdas = [b for b in self.bindings(node.func) if isinstance(b, ast.Lambda)]
            if lambdas:
                return tuple(v for f in lambdas[:2] for v in self._returns(f, node, depth))
        return self.returns.get(dotted(node.func), _NONE)

    def _split(self, owner: ast.expr, args: list[ast.expr], env: Env, depth: int) -> Choices:
        """``s.split(sep)``: the parts, a tuple. ``os.pathsep`` splits a path list
        (``$KUBECONFIG``): a folded home path has no ``:`` to split on."""
        sep: str | None = None
        if args and dotted(args[0]) == "os.pathsep":
            sep = ":"
        elif args:
            seps = self._fold(args[0], env, depth)
            if len(seps) != 1 or not isinstance(seps[0], str) or not seps[0]:
                return _NONE
            sep = seps[0]
        return tuple(
            tuple(v.split(sep)) for v in self._fold(owner, env, depth) if isinstance(v, str)
        )

    def _mapping(self, view: str, owner: ast.expr, env: Env, depth: int) -> Choices:
        """``D.keys()``, ``D.values()``, ``D.items()`` of a dict written in the module (or
        bound to a name): a tuple of its keys, values or ``(key, value)`` pairs."""
        found = [owner] if isinstance(owner, ast.Dict) else []
        if isinstance(owner, ast.Name):
            found = [b for b in self.bindings(owner) if isinstance(b, ast.Dict)]
        if len(found) != 1 or None in found[0].keys:
            return _NONE
        keys = [k for k in found[0].keys if k is not None][:256]
        if view == "keys":
            return self._sequence(keys, env, depth)
        if view == "values":
            return self._sequence(found[0].values[:256], env, depth)
        pairs: list[Value] = []
        for key, value in zip(keys, found[0].values, strict=False):
            k, v = self._fold(key, env, depth)[:1], self._fold(value, env, depth)[:1]
            if k and v:
                pairs.append((k[0], v[0]))
        return (tuple(pairs),) if pairs else _NONE

    def _path(self, parts: list[ast.expr], env: Env, depth: int) -> Choices:
        folded = [tuple(texts(self._fold(p, env, depth))) or (HOLE,) for p in parts]
        if not folded or all(f == _HOLE for f in folded):
            return _NONE
        out: list[Value] = []
        for combo in combos(folded):
            out.append(join_path(list(combo)))
        return tuple(out)

    def _strjoin(self, sep: ast.expr, items: ast.expr, env: Env, depth: int) -> Choices:
        seps = self._fold(sep, env, depth)
        if isinstance(items, ast.GeneratorExp | ast.ListComp) and len(items.generators) == 1:
            gen = items.generators[0]
            if not isinstance(gen.target, ast.Name) or gen.ifs:
                return _NONE
            pieces: list[str] = []
            for source in self._fold(gen.iter, env, depth)[:1]:
                for element in pick(source, -1)[:MAX_LEN]:
                    got = self._fold(items.elt, {**env, gen.target.id: (element,)}, depth)
                    if len(got) != 1 or not isinstance(got[0], str):
                        return _NONE
                    pieces.append(got[0])
            elements: Choices = (tuple(pieces),) if pieces else _NONE
        else:
            elements = self._fold(items, env, depth)
        out: list[Value] = []
        for s in seps:
            for value in elements:
                if not isinstance(value, tuple | str):
                    continue
                if isinstance(s, str) and all(isinstance(v, str) for v in value):
                    out.append(s.join(str(v) for v in value))
                elif isinstance(s, bytes) and all(isinstance(v, bytes) for v in value):
                    out.append(s.join(v for v in value if isinstance(v, bytes)))
        return tuple(out)

    def _builtin(self, name: str, args: list[ast.expr], env: Env, depth: int) -> Choices:
        if not args:
            return _NONE
        found = (builtin(name, v, len(args) > 1) for v in self._fold(args[0], env, depth))
        return tuple(v for v in found if v is not None)

    def _codec(
        self, name: str, owner: ast.expr, args: list[ast.expr], env: Env, depth: int
    ) -> Choices:
        encoding = self._fold(args[0], env, depth) if args else ("utf-8",)
        found = (
            codec(name, value, enc)
            for value in self._fold(owner, env, depth)
            for enc in encoding
            if isinstance(enc, str)
        )
        return tuple(v for v in found if v is not None)

    def _method(self, name: str, owner: ast.expr, node: ast.Call, env: Env, depth: int) -> Choices:
        args = [self._fold(a, env, depth) for a in node.args]
        if any(not a for a in args) or any(isinstance(a, ast.Starred) for a in node.args):
            return _NONE
        kwargs = {k.arg: self._fold(k.value, env, depth) for k in node.keywords if k.arg}
        if any(not v for v in kwargs.values()) or len(kwargs) != len(node.keywords):
            return _NONE
        first = [a[0] for a in args]
        named = {k: v[0] for k, v in kwargs.items()}
        found = (method(name, base, first, named) for base in self._fold(owner, env, depth))
        return tuple(v for v in found if v is not None)

    def _returns(self, function: Callable, call: ast.Call, depth: int) -> Choices:
        """What ``function`` (a def or a lambda) returns for ``call``'s arguments."""
        key = (id(function), ")")
        if key in self._active:
            return _NONE
        self._active.add(key)
        try:
            params = [a.arg for a in function.args.args]
            env: dict[str, Choices] = {}
            for param, arg in zip(params, call.args, strict=False):
                env[param] = self._fold(arg, {}, depth)
            if function.args.vararg is not None:  # def f(*parts): the extra arguments
                extra = [self._fold(a, {}, depth) for a in call.args[len(params) :]]
                if all(extra):
                    env[function.args.vararg.arg] = (tuple(e[0] for e in extra),)
            if isinstance(function, ast.Lambda):
                return self._fold(function.body, env, depth)
            out: list[Value] = []
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and node.value is not None:
                    out.extend(self._fold(node.value, env, depth))
            return tuple(out)
        finally:
            self._active.discard(key)

    def _map(self, function: str, items: ast.expr, env: Env, depth: int) -> Choices:
        """``map(chr, [104, 116])`` → ``("h", "t")``."""
        out: list[Value] = []
        for value in self._fold(items, env, depth):
            if isinstance(value, tuple):
                mapped_items = [
                    builtin(function, v, False) if function != "str" else str(v) for v in value
                ]
                if all(m is not None for m in mapped_items):
                    out.append(tuple(m for m in mapped_items if m is not None))
        return tuple(out)

    def bindings(self, node: ast.Name) -> list[ast.expr]:
        """The expressions ``node``'s name is bound to (in its function, else the module)."""
        scope = self._owner.get(id(node), 0)
        for where in (scope, 0) if scope else (0,):
            bound = self._binds.get(where, {}).get(node.id)
            if bound:
                return [b for b in bound if not isinstance(b, tuple)]
        return []
