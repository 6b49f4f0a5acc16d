"""Clipboard address swapping ("clippers"): a cryptocurrency-address pattern whose matches
are replaced by a planted value, in a skill that reads or writes the clipboard.

What makes a regular expression an address pattern is what it finds: the example addresses
of ``data/knowledge/clipboard.yaml``, however it is written (``0x[a-f0-9]{40}``,
``[13][a-km-zA-HJ-NP-Z1-9]{25,34}``, a character class spelt out). What makes a replacement
planted: it is decoded at run time (``Buffer.from(…, 'base64')``, ``atob``) or is itself an
address. A redactor replaces addresses with ``[wallet]`` or a masked copy of the match.
"""

from __future__ import annotations

import base64
import re
import warnings
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from tank.core.frontmatter import safe_load
from tank.scanner.analyzers.base import Context
from tank.scanner.analyzers.js_bindings import arguments_of, module_of_value
from tank.scanner.analyzers.js_modules import resolve_spec
from tank.scanner.analyzers.js_tree import callee, line_of, string_value, text_of, walk
from tank.scanner.model import Finding

if TYPE_CHECKING:
    from tree_sitter import Node

    from tank.scanner.analyzers.js_facts import JsFile

__all__ = ["address_chain", "address_swaps", "is_address", "touches_clipboard"]

#: Longest regular expression tried against the examples, and how much of each file is
#: searched for clipboard use (bounded work).
_MAX_PATTERN = 300
_MAX_SEARCH = 200_000
#: A quantified group holding a quantifier (``(a+)+``): catastrophic backtracking; not tried.
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)\s*[*+{]")
_DECODERS = re.compile(r"^(?:Buffer\.from|atob|Buffer\.alloc|decodeURIComponent)$")


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, str], tuple[str, ...], re.Pattern[str]]:
    text = (resources.files("tank.scanner") / "data" / "knowledge" / "clipboard.yaml").read_text(
        "utf-8"
    )
    data = safe_load(text)
    if not isinstance(data, dict):  # pragma: no cover
        raise ValueError("data/knowledge/clipboard.yaml: expected a mapping")
    addresses = {str(k): str(v) for k, v in dict(data.get("addresses") or {}).items()}
    controls = tuple(str(c) for c in data.get("not_addresses") or ())
    words = "|".join(re.escape(str(w)) for w in data.get("clipboard") or ())
    if not addresses or not words:  # pragma: no cover
        raise ValueError("data/knowledge/clipboard.yaml: expected 'addresses' and 'clipboard'")
    return addresses, controls, re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1024)
def address_chain(pattern: str, flags: str = "") -> str | None:
    """The chain whose example address the JavaScript regular expression ``pattern`` finds
    (and no ordinary text), or None."""
    if len(pattern) > _MAX_PATTERN or _NESTED.search(pattern):
        return None
    try:
        with warnings.catch_warnings():  # a skill's `[[` in a class: not ours to warn about
            warnings.simplefilter("ignore", FutureWarning)
            compiled = re.compile(
                pattern.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!"),
                re.IGNORECASE if "i" in flags else 0,
            )
    except (re.error, RecursionError):
        return None
    addresses, controls, _ = _data()
    if any(compiled.search(c) for c in controls):
        return None
    for chain, example in addresses.items():
        found = compiled.search(f" {example} ")
        if found and len(found.group(0)) >= len(example) - 2:
            return chain
    return None


def touches_clipboard(files: Mapping[str, bytes]) -> bool:
    """Whether any of the skill's files reads or writes the clipboard."""
    pattern = _data()[2]
    return any(pattern.search(d[:_MAX_SEARCH].decode("utf-8", "replace")) for d in files.values())


def _regex_chain(node: Node) -> str | None:
    pattern = node.child_by_field_name("pattern")
    flags = node.child_by_field_name("flags")
    return address_chain(text_of(pattern), text_of(flags)) if pattern is not None else None


def _finds_addresses(node: Node) -> bool:
    """Whether a ``.replace`` pattern argument may be an address pattern of the file: one
    itself, or a name or element (``for (const [re, k] of table) s.replace(re, …)``); a
    literal string or another regular expression is not."""
    if node.type == "regex":
        return _regex_chain(node) is not None
    return node.type in ("identifier", "member_expression", "subscript_expression")


def _address_data(js: JsFile, path: str, files: Mapping[str, bytes]) -> set[str]:
    """Names bound to a data file of the skill (``require('./table.json')``) that holds
    addresses, written out or base64-encoded."""
    out: set[str] = set()
    for node in walk(js.root):
        if node.type != "variable_declarator":
            continue
        spec = module_of_value(node.child_by_field_name("value"))
        target = node.child_by_field_name("name")
        if not spec or not spec.startswith(".") or target is None:
            continue
        found = resolve_spec(path, spec, files)
        if found is None or not found.endswith(".json"):
            continue
        data = files[found][:_MAX_SEARCH].decode("utf-8", "replace")
        words = re.findall(r"[A-Za-z0-9+/=_-]{25,120}", data)
        if any(is_address(w) or is_address(_b64(w)) for w in words[:256]):
            out.add(text_of(target))
    return out


def _b64(word: str) -> str:
    try:
        return base64.b64decode(word + "=" * (-len(word) % 4), validate=False).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return ""


def _planted(node: Node, data_names: AbstractSet[str] = frozenset()) -> bool:
    """Whether a replacement puts a value of its own: decoded at run time, an address, or
    a value of a data file holding addresses."""
    for sub in walk(node):
        if sub.type in ("call_expression", "new_expression") and _DECODERS.match(callee(sub)):
            return True
        if sub.type == "identifier" and text_of(sub) in data_names:
            return True
        value = string_value(sub) if sub.type in ("string", "template_string") else None
        if value and is_address(value):
            return True
    return False


def is_address(value: str) -> bool:
    """Whether ``value`` is (exactly) an address of a known chain's shape."""
    value = value.strip()
    return 25 <= len(value) <= 110 and any(
        _same_shape(value, example) for example in _data()[0].values()
    )


def _same_shape(value: str, example: str) -> bool:
    if example.startswith("0x"):
        return bool(re.fullmatch(r"0x[0-9a-fA-F]{40}", value))
    if example.startswith("bc1"):
        return bool(re.fullmatch(r"bc1[02-9ac-hj-np-z]{25,87}", value))
    return (
        len(value) == len(example)
        and value[0] == example[0]
        and bool(re.fullmatch(r"[1-9A-HJ-NP-Za-km-z]+", value))
    )


def address_swaps(js: JsFile, path: str, text: str, context: Context) -> list[Finding]:
    """``js.address_swap``: a ``.replace`` of cryptocurrency addresses by planted values."""
    chains: dict[str, Node] = {}
    for node in walk(js.root):
        if node.type == "regex":
            chain = _regex_chain(node)
            if chain:
                chains.setdefault(chain, node)
    if not chains:
        return []
    data_names = _address_data(js, path, context.files)
    planted = [
        call
        for call in walk(js.root)
        if call.type == "call_expression"
        and callee(call).rsplit(".", 1)[-1] in ("replace", "replaceAll")
        and len(args := arguments_of(call)) >= 2
        and _finds_addresses(args[0])
        and _planted(args[1], data_names)
    ]
    if not planted or not touches_clipboard(context.files or {path: text.encode()}):
        return []
    first = min(chains.values(), key=line_of)
    names = ", ".join(sorted(chains))
    lines = text.split("\n")
    snippet = lines[line_of(first) - 1][:300] if line_of(first) <= len(lines) else ""
    return [
        Finding.of(
            context.rules["js.address_swap"],
            path,
            line_of(first),
            snippet,
            f"finds {names} addresses and replaces them with planted values, in a skill that "
            "reads or writes the clipboard",
        )
    ]
