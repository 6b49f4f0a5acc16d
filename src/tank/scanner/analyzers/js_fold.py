"""Constant folding of string building in JavaScript/TypeScript: what a value *is* at run time.

``'child' + '_process'``, templates, tagged templates whose tag joins its parts,
``String.fromCharCode(…)``, arrays of parts with ``.join``/``.reverse``/``.split``,
``Buffer.from(x, 'base64').toString()``, ``atob``, ``path.join(os.homedir(), …)``,
``process.env.HOME``, ``new URL(x).host``, values of variables (where they are declared or
assigned), elements of ``for (const f of [...])`` loops, the return value of the file's own
functions called with folded arguments, and a function's parameters from the arguments of
every call to it. The rules check the folded strings, not the source text.

A value may have several *alternatives* (a parameter takes each call's argument); a part that
is not known is :data:`HOLE`. Everything is bounded: alternatives per value, string length,
recursion depth and steps per file, so that hostile input costs little.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tank.scanner.analyzers.js_bindings import arguments_of, module_of_value
from tank.scanner.analyzers.js_tree import FUNCTIONS, callee, string_value, text_of, walk
from tank.scanner.analyzers.js_values import (
    HOLE,
    MAX_ALTERNATIVES,
    MAX_CHARS,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_STEPS,
    Value,
    as_text,
    clip,
    complete,
    decode,
    fragment,
    join_path,
    product,
    url_part,
)

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["HOLE", "MAX_ALTERNATIVES", "Folder", "Value", "complete", "enclosing_function"]

#: Environment variables that name folders, folded to the form :mod:`tank.scanner.knowledge`
#: normalises (``~``, ``%APPDATA%``), so that per-OS source paths match.
_FOLDER_VARS = {
    "HOME": "~",
    "USERPROFILE": "~",
    "APPDATA": "%APPDATA%",
    "LOCALAPPDATA": "%LOCALAPPDATA%",
    "XDG_CONFIG_HOME": "~/.config",
    "XDG_DATA_HOME": "~/.local/share",
}
_INDEXED = frozenset(
    {"variable_declarator", "assignment_expression", "for_in_statement", "call_expression"}
    | {"new_expression", "function_declaration", "generator_function_declaration"}
)
_STRING_METHODS = frozenset({"toString", "toLowerCase", "toUpperCase", "trim", "valueOf"})
#: Array methods whose callback receives the items (``files.map(f => read(f))``).
_ITERATORS = frozenset({"map", "forEach", "filter", "flatMap", "some", "every", "find"})
#: Array methods that keep (a subset of) the items: folded as the same array.
_KEEPS = frozenset({"filter", "slice", "sort", "flat", "concat"})
_IDENTITY_CALLS = frozenset({"encodeURIComponent", "encodeURI", "String", "decodeURIComponent"})


def enclosing_function(node: Node) -> Node | None:
    """The innermost function around ``node`` (None at module level)."""
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS:
            return current
        current = current.parent
    return None


@dataclass(slots=True)
class Folder:
    """Folds the expressions of one parsed file (``root``); see the module docstring.

    ``path_names`` are the names bound to the ``path`` module (or its ``join``/``resolve``).
    """

    root: Node
    #: The nodes to index (declarations, assignments, loops, functions, calls), from the
    #: parse-tree query when the caller has run it; None to find them by walking.
    nodes: list[Node] | None = None
    path_names: set[str] = field(default_factory=set)
    path_functions: set[str] = field(default_factory=set)
    steps: int = 0
    #: Names bound to another file of the skill: local name -> (its folder, exported name,
    #: ``*`` for the whole module).
    imports: dict[str, tuple[Folder, str]] = field(default_factory=dict)
    _defs: dict[str, list[tuple[str, Node]]] = field(default_factory=dict)
    _functions: dict[str, Node] = field(default_factory=dict)
    _calls: dict[str, list[Node]] | None = None
    _spans: tuple[list[int], list[Node]] | None = None
    _active: set[tuple[int, int]] = field(default_factory=set)
    _cache: dict[tuple[int, int, str], list[Value]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.nodes is None:  # no query results given: find the nodes by walking
            self.nodes = [n for n in walk(self.root) if n.type in _INDEXED]
        for node in self.nodes:
            kind = node.type
            if kind == "variable_declarator":
                self._define(node.child_by_field_name("name"), "value", node, "value")
            elif kind == "assignment_expression":
                self._define(node.child_by_field_name("left"), "value", node, "right")
            elif kind == "for_in_statement" and text_of(node.child_by_field_name("operator")) in (
                "of",
                "",
            ):
                self._define(node.child_by_field_name("left"), "each", node, "right")
            elif kind in ("function_declaration", "generator_function_declaration"):
                declared = node.child_by_field_name("name")
                if declared is not None:
                    self._functions.setdefault(text_of(declared), node)

    def span_index(self) -> tuple[list[int], list[Node]]:
        """The indexed nodes sorted by where they start, and their starts (for bisection)."""
        if self._spans is None:
            ordered = sorted(self.nodes or (), key=lambda n: n.start_byte)
            self._spans = ([n.start_byte for n in ordered], ordered)
        return self._spans

    def _index_calls(self) -> dict[str, list[Node]]:
        """The file's calls by callee name, built on first use (most files never ask)."""
        if self._calls is None:
            self._calls = {}
            for node in self.nodes or ():
                if node.type in ("call_expression", "new_expression"):
                    called = callee(node)
                    if called:
                        self._calls.setdefault(called, []).append(node)
        return self._calls

    def _define(self, target: Node | None, how: str, node: Node, field_name: str) -> None:
        value = node.child_by_field_name(field_name)
        if target is None or value is None:
            return
        if target.type in ("lexical_declaration", "variable_declaration"):
            inner = target.named_children[0] if target.named_children else None
            target = inner.child_by_field_name("name") if inner is not None else None
            if target is None:
                return
        if target.type == "member_expression" and text_of(target.child_by_field_name("object")) in (
            "exports",
            "module.exports",
        ):
            target = target.child_by_field_name("property")  # exports.save = …
        elif text_of(target) == "module.exports" and value.type == "object":
            for pair in value.named_children:  # module.exports = { save, load: read }
                if pair.type == "pair":
                    self._define(pair.child_by_field_name("key"), how, pair, "value")
            return
        if target is None or target.type not in ("identifier", "property_identifier"):
            return
        name = text_of(target)
        if value.type in FUNCTIONS:
            self._functions.setdefault(name, value)
            return
        self._defs.setdefault(name, []).append((how, value))

    # -- public -----------------------------------------------------------------------------

    def function(self, name: str) -> Node | None:
        """The file's own function called ``name`` (declared or assigned), if any."""
        found = self._functions.get(name)
        if found is None and name in self._defs:  # module.exports = { save: saveFile }
            values = [v for how, v in self._defs[name] if v.type == "identifier"]
            if values and text_of(values[0]) != name:
                found = self._functions.get(text_of(values[0]))
        return found

    def resolve(self, name: str) -> tuple[Folder, Node] | None:
        """``(folder, function)`` for a call of ``name``: the file's own function, or one
        imported from another file of the skill (``save`` or ``helpers.save``)."""
        local = self.function(name)
        if local is not None:
            return self, local
        head, _, rest = name.partition(".")
        if head not in self.imports:
            return None
        # ``const seg = require('./seg')`` defines ``seg`` too; any other value shadows it
        if any(module_of_value(v) is None for v in self.definitions(head)):
            return None
        module, exported = self.imports[head]
        wanted = rest if exported == "*" else (exported if not rest else "")
        function = module.function(wanted) if wanted and "." not in wanted else None
        return (module, function) if function is not None else None

    def definitions(self, name: str) -> list[Node]:
        """The values ``name`` is set to in the file (declarations, assignments, loops)."""
        return [value for _how, value in self._defs.get(name, ())]

    def calls_to(self, name: str) -> list[Node]:
        """The calls of ``name`` in the file."""
        return self._index_calls().get(name, [])

    def strings(self, node: Node) -> list[str]:
        """The alternatives of ``node`` as strings (``[]`` when nothing is known)."""
        out = []
        for value in self.values(node):
            text = as_text(value)
            if text and text != HOLE:
                out.append(text)
        return out

    def values(self, node: Node, env: dict[str, list[Value]] | None = None) -> list[Value]:
        """The alternatives of ``node`` (at most :data:`MAX_ALTERNATIVES`)."""
        return self._fold(node, env or {}, 0)

    # -- folding ----------------------------------------------------------------------------

    def _fold(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        self.steps += 1
        if depth > MAX_DEPTH or self.steps > MAX_STEPS:
            return [HOLE]
        key = (node.start_byte, node.end_byte, node.type)
        if not env and key in self._cache:
            return self._cache[key]
        out = self._fold_node(node, env, depth + 1) or [HOLE]
        out = [v if isinstance(v, tuple) else clip(v) for v in out[:MAX_ALTERNATIVES]]
        if not env:
            self._cache[key] = out
        return out

    def _fold_node(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        kind = node.type
        literal = string_value(node)
        if literal is not None:
            return [literal]
        if kind == "number":
            return [text_of(node)]
        if kind == "template_string":
            return self._template(node, env, depth)
        if kind in ("parenthesized_expression", "non_null_expression", "as_expression"):
            inner = node.named_children
            return self._fold(inner[0] if kind != "parenthesized_expression" else inner[-1],
                              env, depth) if inner else []  # fmt: skip
        if kind == "satisfies_expression" and node.named_children:
            return self._fold(node.named_children[0], env, depth)
        if kind == "await_expression" and node.named_children:
            return self._fold(node.named_children[0], env, depth)
        if kind == "identifier":
            return self._name(node, env, depth)
        if kind == "binary_expression":
            return self._binary(node, env, depth)
        if kind == "array":
            return self._array(node, env, depth)
        if kind == "subscript_expression":
            return self._subscript(node, env, depth)
        if kind == "member_expression":
            return self._member(node, env, depth)
        if kind in ("call_expression", "new_expression"):
            return self._call(node, env, depth)
        if kind == "ternary_expression":
            out: list[Value] = []
            for part in ("consequence", "alternative"):
                sub = node.child_by_field_name(part)
                if sub is not None:
                    out.extend(self._fold(sub, env, depth))
            return out
        return []

    def _template(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        options: list[list[Value]] = []
        for child in node.named_children:
            if child.type == "template_substitution":
                inner = child.named_children
                options.append(
                    [as_text(v) for v in self._fold(inner[0], env, depth)] if inner else [HOLE]
                )
            else:
                options.append([fragment(child)])
        return ["".join(str(p) for p in combo) for combo in product(options)]

    def _name(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        name = text_of(node)
        if name in env:
            return env[name]
        param = self._parameter(node, name)
        if param is not None:
            items = self._callback_items(param[0], param[1], depth)
            return items if items is not None else self._arguments(*param, depth=depth)
        return self.named(name, depth)

    def named(self, name: str, depth: int = 0) -> list[Value]:
        """The alternatives of the file's variable ``name`` (or of what it imports as it)."""
        if name not in self._defs and name in self.imports:
            module, exported = self.imports[name]
            return module.named(exported, depth + 1) if exported != "*" else [HOLE]
        out: list[Value] = []
        for how, value in self._defs.get(name, ())[:MAX_ALTERNATIVES]:
            span = (value.start_byte, value.end_byte)
            if span in self._active:
                continue
            self._active.add(span)
            try:
                found = self._fold(value, {}, depth)
            finally:
                self._active.discard(span)
            if how == "each":
                for item in found:
                    out.extend(item if isinstance(item, tuple) else [HOLE])
            else:
                out.extend(found)
        return out[:MAX_ALTERNATIVES]

    def _callback_items(self, function: Node, index: int, depth: int) -> list[Value] | None:
        """``xs.map(f => …)``: the first parameter of a callback takes the array's items."""
        parent = function.parent
        call = parent.parent if parent is not None and parent.type == "arguments" else None
        func = call.child_by_field_name("function") if call is not None else None
        if func is None or func.type != "member_expression" or index != 0:
            return None
        if text_of(func.child_by_field_name("property")) not in _ITERATORS:
            return None
        obj = func.child_by_field_name("object")
        out: list[Value] = []
        for value in self._fold(obj, {}, depth) if obj is not None else ():
            if isinstance(value, tuple):
                out.extend(value)
        return out[:MAX_ALTERNATIVES] or None

    def _parameter(self, node: Node, name: str) -> tuple[Node, int, Node | None] | None:
        """``(function, index, default)`` when ``name`` is a parameter of a function around it."""
        function = enclosing_function(node)
        while function is not None:
            params = function.child_by_field_name("parameters") or function.child_by_field_name(
                "parameter"
            )
            if params is not None:
                items = [params] if params.type == "identifier" else params.named_children
                for index, item in enumerate(items):
                    default = None
                    target = item
                    if item.type in ("required_parameter", "optional_parameter"):
                        target = item.child_by_field_name("pattern") or item
                        default = item.child_by_field_name("value")
                    if target.type == "assignment_pattern":
                        default = target.child_by_field_name("right")
                        target = target.child_by_field_name("left") or target
                    if target.type == "identifier" and text_of(target) == name:
                        return function, index, default
            function = enclosing_function(function)
        return None

    def _arguments(
        self, function: Node, index: int, default: Node | None, depth: int
    ) -> list[Value]:
        """What parameter ``index`` of ``function`` receives, over the file's calls to it."""
        name = _function_name(function)
        out: list[Value] = []
        span = (function.start_byte, function.end_byte + index)
        if span in self._active:
            return [HOLE]
        self._active.add(span)
        try:
            for call in self.calls_to(name) if name else []:
                args = arguments_of(call)
                if index < len(args) and args[index].type != "spread_element":
                    out.extend(self._fold(args[index], {}, depth))
                elif default is not None:
                    out.extend(self._fold(default, {}, depth))
                if len(out) >= MAX_ALTERNATIVES:
                    break
        finally:
            self._active.discard(span)
        return out or ([HOLE] if default is None else self._fold(default, {}, depth))

    def _binary(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        operator = text_of(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return []
        if operator == "+":
            lefts, rights = self._fold(left, env, depth), self._fold(right, env, depth)
            return [as_text(a) + as_text(b) for a, b in product([lefts, rights])]
        if operator in ("??", "||"):
            # ``process.env.REGION ?? 'eu'``: the default, or whatever the unknown left holds
            lefts = self._fold(left, env, depth)
            known = [v for v in lefts if v != HOLE]
            return known or [*self._fold(right, env, depth), HOLE][:MAX_ALTERNATIVES]
        return []

    def _array(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        items: list[Value] = []
        for child in node.named_children[:MAX_ITEMS]:
            if child.type == "spread_element" and child.named_children:
                first = self._fold(child.named_children[0], env, depth)[0]
                items.extend(first if isinstance(first, tuple) else [HOLE])
            elif child.type != "comment":
                items.append(self._fold(child, env, depth)[0])
        return [tuple(items[:MAX_ITEMS])]

    def _subscript(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        obj, index = node.child_by_field_name("object"), node.child_by_field_name("index")
        if obj is None or index is None:
            return []
        if text_of(obj) in ("process.env", "env"):
            key = string_value(index) or ""
            return [_FOLDER_VARS[key]] if key in _FOLDER_VARS else []
        out: list[Value] = []
        for value, position in product(
            [self._fold(obj, env, depth), self._fold(index, env, depth)]
        ):
            if isinstance(position, str) and position.isdigit():
                number = int(position)
                if number < len(value):
                    out.append(value[number])
        return out

    def _member(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        name = text_of(prop)
        if obj is None:
            return []
        if text_of(obj) == "process.env":
            return [_FOLDER_VARS[name]] if name in _FOLDER_VARS else []
        if name in ("host", "hostname", "href", "origin", "pathname"):
            return [url_part(v, name) for v in self._fold(obj, env, depth) if isinstance(v, str)]
        return []

    def _call(self, node: Node, env: dict[str, list[Value]], depth: int) -> list[Value]:
        name = callee(node)
        last = name.rsplit(".", 1)[-1]
        args = arguments_of(node)
        func = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        arguments = node.child_by_field_name("arguments")
        if arguments is not None and arguments.type == "template_string":
            return self._tagged(name, arguments, env, depth)
        if last == "homedir" and not args:
            return ["~"]
        if last == "tmpdir" and not args:
            return ["/tmp"]  # noqa: S108 - the folded value of os.tmpdir(), not a temp file
        if name == "process.cwd":
            return ["."]
        if last in ("fromCharCode", "fromCodePoint"):
            return self._char_codes(args, env, depth)
        if name == "atob" and args:
            return [decode(v, "base64") for v in self._fold(args[0], env, depth)]
        if name in _IDENTITY_CALLS and args:
            return self._fold(args[0], env, depth)
        if name in ("URL", "require('url').URL") and args:
            return self._fold(args[0], env, depth)
        if name == "Buffer.from" and args:
            encoding = string_value(args[1]) if len(args) > 1 else "utf8"
            return [decode(v, encoding or "utf8") for v in self._fold(args[0], env, depth)]
        if self._is_path_join(name, args):
            options = [[as_text(v) for v in self._fold(a, env, depth)] for a in args[:8]]
            return [join_path(combo) for combo in product(options)]  # type: ignore[arg-type]
        obj = (
            func.child_by_field_name("object")
            if func is not None and func.type == "member_expression"
            else None
        )
        # ``helpers.paths()``: a function of another file of the skill, before string methods
        found = self.resolve(name) if name else None
        if obj is not None and func is not None and found is None:
            method = text_of(func.child_by_field_name("property"))
            return self._method(method, obj, args, env, depth)
        if found is not None:
            values = [self._fold(a, env, depth) for a in args[:MAX_ITEMS]]
            return found[0]._returned(found[1], values, depth)
        return []

    def _tagged(
        self, name: str, template: Node, env: dict[str, list[Value]], depth: int
    ) -> list[Value]:
        """``tag`\\`a${x}b\\``` whose tag joins its parts (``String.raw`` or the file's own
        function): the template's text with its holes filled."""
        if name == "String.raw" or (name and self.resolve(name) is not None):
            return self._template(template, env, depth)
        return []

    def _char_codes(self, args: list[Node], env: dict[str, list[Value]], depth: int) -> list[Value]:
        codes: list[str] = []
        for arg in args[:MAX_CHARS]:
            if arg.type == "spread_element" and arg.named_children:
                first = self._fold(arg.named_children[0], env, depth)[0]
                codes.extend(as_text(v) for v in (first if isinstance(first, tuple) else [HOLE]))
            else:
                codes.append(as_text(self._fold(arg, env, depth)[0]))
        try:
            return [
                "".join(
                    chr(int(c, 0) if c.startswith("0") and len(c) > 1 else int(c)) for c in codes
                )
            ]
        except (ValueError, OverflowError):
            return [HOLE]

    def _method(
        self, last: str, obj: Node, args: list[Node], env: dict[str, list[Value]], depth: int
    ) -> list[Value]:
        targets = self._fold(obj, env, depth)
        params = [self._fold(a, env, depth)[0] for a in args[:2]]
        out: list[Value] = []
        for value in targets:
            if last == "join" and isinstance(value, tuple):
                sep = as_text(params[0]) if params else ","
                out.append(clip(sep.join(as_text(v) for v in value)))
            elif last in _KEEPS and last != "concat" and isinstance(value, tuple):
                out.append(value)
            elif last == "reverse" and isinstance(value, tuple):
                out.append(value[::-1])
            elif last == "split" and isinstance(value, str) and params:
                sep = as_text(params[0])
                if complete(value):
                    out.append(
                        tuple(value[:MAX_ITEMS])
                        if sep == ""
                        else tuple(value.split(sep)[:MAX_ITEMS])
                    )
            elif last == "concat":
                out.append(
                    (*value, *params)
                    if isinstance(value, tuple)
                    else as_text(value) + "".join(as_text(p) for p in params)
                )
            elif last in _STRING_METHODS and isinstance(value, str):
                encoding = as_text(params[0]) if params else "utf8"
                if last == "toString" and encoding in ("hex", "base64", "base64url"):
                    out.append(HOLE)  # data encoded for transport: its text is not the point
                elif last == "toLowerCase":
                    out.append(value.lower())
                elif last == "toUpperCase":
                    out.append(value.upper())
                elif last == "trim":
                    out.append(value.strip())
                else:
                    out.append(value)
            elif last == "replace" and isinstance(value, str) and len(params) == 2:
                out.append(value.replace(as_text(params[0]), as_text(params[1]), 1))
        return out

    def _returned(self, function: Node, args: list[list[Value]], depth: int) -> list[Value]:
        """What the file's own ``function`` returns for the folded ``args`` (its single
        returned value)."""
        span = (function.start_byte, function.end_byte)
        if span in self._active:
            return []
        body = function.child_by_field_name("body")
        if body is None:
            return []
        returned = body if body.type != "statement_block" else _single_return(body)
        if returned is None:
            return []
        inner: dict[str, list[Value]] = {}
        params = function.child_by_field_name("parameters") or function.child_by_field_name(
            "parameter"
        )
        items = (
            []
            if params is None
            else ([params] if params.type == "identifier" else params.named_children)
        )
        for index, item in enumerate(items):
            target = item.child_by_field_name("pattern") or item
            if target.type == "rest_pattern" and target.named_children:
                rest = tuple(a[0] for a in args[index:MAX_ITEMS])
                inner[text_of(target.named_children[0])] = [rest]
            elif target.type == "identifier" and index < len(args):
                inner[text_of(target)] = args[index]
        self._active.add(span)
        try:
            return self._fold(returned, inner, depth)
        finally:
            self._active.discard(span)

    def _is_path_join(self, name: str, args: list[Node]) -> bool:
        parts = name.split(".")
        if parts[-1] not in ("join", "resolve", "normalize"):
            return False
        if len(parts) == 1:
            return name in self.path_functions
        return parts[0] in self.path_names or parts[0] == "path" or name.startswith("require().")


def _function_name(function: Node) -> str:
    name = function.child_by_field_name("name")
    if name is not None:
        return text_of(name)
    parent = function.parent
    if parent is not None and parent.type == "variable_declarator":
        return text_of(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "assignment_expression":
        return text_of(parent.child_by_field_name("left"))
    return ""


def _single_return(body: Node) -> Node | None:
    returns = [
        n
        for n in walk(body)
        if n.type == "return_statement" and enclosing_function(n) == body.parent
    ]
    if len(returns) != 1 or not returns[0].named_children:
        return None
    return returns[0].named_children[0]
