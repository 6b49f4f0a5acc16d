"""DNS tunnelling: data encoded reversibly (hex, base64, base32) and cut into label-sized
chunks, in a file that looks up names it computes. Each look-up carries a piece of the data
to whoever runs the name server of the zone, past proxies and firewalls that let DNS out.

The three parts are the technique itself, not any one program's spelling: an encoding of
data (``Buffer.from(x).toString('hex')``; a digest such as ``createHash().digest('hex')`` is
one-way and does not count), a cut into pieces no longer than a DNS label (63 characters:
``s.slice(i, i + 60)``, ``s.match(/.{1,63}/g)``), and a DNS query whose name is not constant.
Where the data comes from is found by the flow rules when they can follow it; this rule
holds when they cannot (data kept on an object, passed through classes).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tank.scanner.analyzers.base import Context
from tank.scanner.analyzers.js_bindings import arguments_of
from tank.scanner.analyzers.js_tree import callee, line_of, string_value, text_of, walk
from tank.scanner.model import Finding

if TYPE_CHECKING:
    from tree_sitter import Node

    from tank.scanner.analyzers.js_facts import JsFile

__all__ = ["dns_tunnels"]

#: The longest DNS label.
_LABEL = 63
_ENCODINGS = frozenset({"hex", "base64", "base64url", "base32"})
_CHUNKS = re.compile(r"^\.\{(?:0|1),(\d+)\}$|^\[\^?[^\]]*\]\{(?:0|1),(\d+)\}$")


def _reversible_encoding(call: Node) -> bool:
    """``x.toString('hex')`` of data, not of a digest (``….digest()`` / ``.digest('hex')``
    is itself one-way; ``hash.digest().toString('hex')`` too)."""
    if callee(call).rsplit(".", 1)[-1] != "toString":
        return False
    args = arguments_of(call)
    if not args or (string_value(args[0]) or "").lower() not in _ENCODINGS:
        return False
    receiver = text_of(call.child_by_field_name("function"))
    return "digest(" not in receiver and "createHash" not in receiver


def _label_chunks(node: Node) -> bool:
    """A cut into pieces of at most a DNS label: ``slice(i, i + N)`` / ``substr(i, N)`` with
    N <= 63, or ``match(/.{1,N}/g)``."""
    if node.type != "call_expression":
        return False
    method = callee(node).rsplit(".", 1)[-1]
    args = arguments_of(node)
    if method in ("slice", "substring", "substr") and len(args) == 2:
        # a walk along the data: slice(i, i + 60), substr(i, 60); not slice(0, 8)
        start, end = args
        if start.type != "identifier":
            return False
        sizes = [int(n) for n in re.findall(r"\b\d+\b", text_of(end))]
        along = method == "substr" or (
            end.type == "binary_expression" and text_of(start) in text_of(end)
        )
        return along and bool(sizes) and all(0 < n <= _LABEL for n in sizes)
    if method == "match" and args and args[0].type == "regex":
        pattern = text_of(args[0].child_by_field_name("pattern"))
        found = _CHUNKS.match(pattern)
        return found is not None and 0 < int(found.group(1) or found.group(2)) <= _LABEL
    return False


def _computed_name(call: Node) -> bool:
    """Whether a look-up's name is built at run time around labels (a template with
    substitutions, a concatenation with a dotted part), not a constant or a host name."""
    args = arguments_of(call)
    if not args:
        return False
    name = args[0]
    if name.type == "template_string":
        return any(c.type == "template_substitution" for c in name.named_children)
    # ``chunk + '.' + zone``: a name put together around a label
    return name.type == "binary_expression" and "." in "".join(
        string_value(n) or "" for n in walk(name) if n.type == "string"
    )


def dns_tunnels(js: JsFile, path: str, text: str, context: Context) -> list[Finding]:
    """``js.dns_tunnel`` at the first computed look-up of a file that also encodes data and
    cuts it into label-sized chunks."""
    calls = [n for n in walk(js.root) if n.type == "call_expression"]
    lookups = [c for c in calls if "dns" in js.roles(c) and _computed_name(c)]
    if not lookups:
        return []
    if not any(_reversible_encoding(c) for c in calls) or not any(_label_chunks(c) for c in calls):
        return []
    first = min(lookups, key=line_of)
    lines = text.split("\n")
    snippet = lines[line_of(first) - 1][:300] if line_of(first) <= len(lines) else ""
    return [
        Finding.of(
            context.rules["js.dns_tunnel"],
            path,
            line_of(first),
            snippet,
            f"{callee(first)} looks up names built from data encoded and cut into "
            "label-sized chunks: each look-up carries a piece of the data to the zone's "
            "name server",
        )
    ]
