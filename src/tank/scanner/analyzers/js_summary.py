"""One walk over an expression, remembered: the names it reads, its literal text, whether it
decodes data, reads the whole environment or a secret variable, and the paths it reads.

Taint asks these questions about every assigned value and call argument, twice; walking the
tree for each question is what made large files slow, so each expression is walked once.
The walk does not enter large nested functions: a callback's body is its own business, and
entering them makes the cost grow with nesting depth (bundled code nests deeply).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tank.scanner.analyzers.js_tree import FUNCTIONS, NAMES, string_value
from tank.scanner.analyzers.sensitive import SECRET_NAME

if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node

__all__ = ["Summary", "node_key", "summarize"]

#: Nested functions larger than this many nodes are not entered.
_MAX_NESTED = 120
_CALLS = ("call_expression", "new_expression")
_MAX_CALLS = 64


@dataclass(slots=True)
class Summary:
    """What one expression holds (see the module docstring)."""

    names: set[str] = field(default_factory=set)
    strings: list[str] = field(default_factory=list)
    decoder: bool = False
    whole_env: bool = False
    env_secret: bool = False
    #: Literal text and names of the arguments of each file read inside the expression.
    reads: list[tuple[list[str], set[str]]] = field(default_factory=list)
    #: The calls inside the expression (the file's own functions may return secrets).
    calls: list[Node] = field(default_factory=list)


def summarize(
    node: Node,
    env_aliases: set[str],
    is_decoder: Callable[[Node], bool],
    is_read: Callable[[Node], bool],
) -> Summary:
    """The :class:`Summary` of ``node``; ``is_decoder``/``is_read`` classify calls."""
    out = Summary()
    stack = [node]
    while stack:
        sub = stack.pop()
        kind = sub.type
        if kind in FUNCTIONS and sub is not node and sub.descendant_count > _MAX_NESTED:
            continue
        if kind in NAMES:
            name = sub.text.decode() if sub.text else ""
            out.names.add(name)
            if name in env_aliases and _used_whole(sub):
                out.whole_env = True
        elif kind in ("string", "template_string"):
            out.strings.append(_literal_text(sub))
        elif kind in _CALLS:
            if len(out.calls) < _MAX_CALLS:
                out.calls.append(sub)
            if is_decoder(sub):
                out.decoder = True
            if is_read(sub):
                args = sub.child_by_field_name("arguments")
                if args is not None:
                    inner = summarize(args, env_aliases, is_decoder, lambda _n: False)
                    out.reads.append((inner.strings, inner.names))
        elif kind == "member_expression" and sub.text == b"process.env":
            if _used_whole(sub):
                out.whole_env = True
        elif kind in ("member_expression", "subscript_expression"):
            out.env_secret = out.env_secret or _secret_read(sub, env_aliases)
        stack.extend(reversed(sub.named_children))  # source order
    return out


def _literal_text(node: Node) -> str:
    value = string_value(node)
    if value is not None:
        return value
    return "".join(
        (c.text or b"").decode("utf-8", "replace")
        for c in node.named_children
        if c.type != "template_substitution"
    )


def _used_whole(node: Node) -> bool:
    """``process.env`` spread, stringified or passed on; not ``process.env.X`` nor an alias."""
    parent = node.parent
    if parent is None:
        return True
    if parent.type in ("member_expression", "subscript_expression"):
        return parent.child_by_field_name("object") != node
    return parent.type != "variable_declarator"


def _secret_read(node: Node, env_aliases: set[str]) -> bool:
    """``process.env.GITHUB_TOKEN`` / ``env['API_KEY']`` (``env`` bound to process.env)."""
    obj = node.child_by_field_name("object")
    base = obj.text.decode() if obj is not None and obj.text is not None else ""
    if base != "process.env" and base not in env_aliases:
        return False
    key = node.child_by_field_name("property") or node.child_by_field_name("index")
    if key is None:
        return False
    name = string_value(key) if key.type == "string" else (key.text or b"").decode()
    return bool(name) and SECRET_NAME.search(name or "") is not None


def node_key(node: Node) -> tuple[int, int, str]:
    """A stable key for a node (tree-sitter makes a new Python object on each access)."""
    return node.start_byte, node.end_byte, node.type
