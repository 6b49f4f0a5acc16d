"""JavaScript/TypeScript parse trees (tree-sitter), loaded on first use, and node helpers.

The grammars are native extensions that take ~30 ms to import: they load when the first JS
file is scanned, never at ``import tank.scanner`` (``tank scan`` start-up stays fast).
tree-sitter never raises on bad input: it returns a tree with ``ERROR`` nodes, and
:func:`parse_js` says so, so that the caller can add its regex fallback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser, Query

__all__ = [
    "FUNCTIONS",
    "NAMES",
    "Parsed",
    "callee",
    "children",
    "dialect_of",
    "line_of",
    "parse_js",
    "query_nodes",
    "string_value",
    "strings_in",
    "text_of",
    "walk",
]

#: Node types that open a function scope.
FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
    }
)
#: Node types that read a variable: ``x`` and the shorthand ``{ x }``.
NAMES = frozenset({"identifier", "shorthand_property_identifier"})
_LOCK = threading.Lock()


def dialect_of(path: str) -> str:
    """``typescript`` for .ts/.mts/.cts, ``tsx`` for .tsx, else ``javascript`` (JSX included)."""
    lower = path.lower()
    if lower.endswith((".ts", ".mts", ".cts")):
        return "typescript"
    if lower.endswith(".tsx"):
        return "tsx"
    return "javascript"


#: The nodes the analyzer looks at, found by one query run in C (walking every node from
#: Python costs microseconds each; a bundle has hundreds of thousands).
_QUERY = """
[(call_expression) (new_expression) (variable_declarator) (assignment_expression)
 (if_statement) (ternary_expression) (subscript_expression) (import_statement)
 (for_in_statement)] @node
(binary_expression operator: "&&") @node
[(function_declaration) (function_expression) (arrow_function) (method_definition)
 (generator_function_declaration)] @function
"""


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed file: its root, whether it has syntax errors, and its grammar's name."""

    root: Node
    broken: bool
    dialect: str


@lru_cache(maxsize=3)
def _language(dialect: str) -> Language:
    from tree_sitter import Language

    if dialect == "javascript":
        import tree_sitter_javascript as grammar

        return Language(grammar.language())
    import tree_sitter_typescript as ts_grammar

    return Language(
        ts_grammar.language_tsx() if dialect == "tsx" else ts_grammar.language_typescript()
    )


@lru_cache(maxsize=3)
def _parser(dialect: str) -> Parser:
    from tree_sitter import Parser

    return Parser(_language(dialect))


@lru_cache(maxsize=3)
def _query(dialect: str) -> Query:
    from tree_sitter import Query

    return Query(_language(dialect), _QUERY)


def parse_js(path: str, text: str) -> Parsed:
    """Parse ``text`` with the grammar its extension calls for.

    A parser object is not safe to share between threads (the registry scans uploads in
    parallel), so parsing is serialised; it takes about a millisecond per kilobyte.
    """
    dialect = dialect_of(path)
    with _LOCK:
        tree = _parser(dialect).parse(text.encode("utf-8", "surrogatepass"))
    return Parsed(tree.root_node, tree.root_node.has_error, dialect)


def query_nodes(parsed: Parsed) -> tuple[list[Node], list[Node]]:
    """``(nodes, functions)``: the analyzer's nodes and the function nodes, in source order."""
    from tree_sitter import QueryCursor

    with _LOCK:
        captures = QueryCursor(_query(parsed.dialect)).captures(parsed.root)
    order = lambda n: n.start_byte  # noqa: E731 - a sort key
    return sorted(captures.get("node", []), key=order), sorted(
        captures.get("function", []), key=order
    )


def children(node: Node) -> list[Node]:
    """The named children of ``node``."""
    return node.named_children


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every named node under it, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def text_of(node: Node | None) -> str:
    """The source text of ``node`` (``""`` for None)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def line_of(node: Node) -> int:
    """The 1-based line ``node`` starts on."""
    return node.start_point.row + 1


def callee(node: Node) -> str:
    """The called name of a call or ``new`` expression, dotted and without ``?.``:
    ``fs.promises.readFile``; ``""`` when the callee is computed."""
    func = node.child_by_field_name("function") or node.child_by_field_name("constructor")
    return _dotted(func) if func is not None else ""


def _dotted(node: Node) -> str:
    kind = node.type
    if kind in ("identifier", "property_identifier", "this", "super"):
        return text_of(node)
    if kind == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        if obj is None or prop is None:
            return ""
        base = _dotted(obj)
        return f"{base}.{text_of(prop)}" if base else ""
    if kind == "subscript_expression":
        obj, index = node.child_by_field_name("object"), node.child_by_field_name("index")
        value = string_value(index) if index is not None else None
        if obj is None or value is None:
            return ""
        base = _dotted(obj)
        return f"{base}.{value}" if base else ""
    if kind == "parenthesized_expression" and node.named_children:
        return _dotted(node.named_children[-1])  # (0, eval)(x) calls eval
    if kind in ("call_expression", "new_expression"):
        inner = callee(node)
        return f"{inner}()" if inner else ""
    if kind in ("non_null_expression", "as_expression", "satisfies_expression"):
        return _dotted(node.named_children[0]) if node.named_children else ""
    return ""


def string_value(node: Node | None) -> str | None:
    """The value of a string literal or a template without substitutions; else None."""
    if node is None:
        return None
    if node.type == "string":
        return "".join(_fragment(c) for c in node.named_children)
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        return "".join(_fragment(c) for c in node.named_children)
    return None


def _fragment(node: Node) -> str:
    raw = text_of(node)
    if node.type == "escape_sequence":
        try:
            return raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
        except (UnicodeDecodeError, ValueError):
            return raw
    return raw


def strings_in(node: Node) -> list[str]:
    """Every literal piece of text under ``node``: strings and the fixed parts of templates."""
    out = []
    for sub in walk(node):
        if sub.type == "string":
            out.append(string_value(sub) or "")
        elif sub.type == "template_string":
            out.append(
                "".join(
                    _fragment(c) for c in sub.named_children if c.type != "template_substitution"
                )
            )
    return out
