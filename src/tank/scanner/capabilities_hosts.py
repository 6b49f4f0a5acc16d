"""Hosts a skill builds at run time with a part only known then (``f"https://{region}.api.acme.dev"``,
`` `https://${sub}.acme.dev` ``, ``"https://" + sub + ".acme.dev"``).

The folders (:mod:`.python_fold`, :mod:`.js_fold`) leave a hole where a value is unknown; a
URL whose host holds one is recorded as a pattern with ``*`` for the unknown labels
(``*.api.acme.dev``, ``*-api.acme.dev``) when the rest of the name is known down to a
registrable domain. :func:`covered_pattern` says whether a declared outbound entry allows
every host the pattern can be.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from tank.core.permissions import domain_matches
from tank.scanner.analyzers.js_fold import Folder as JsFolder
from tank.scanner.analyzers.js_tree import callee, line_of, parse_js, query_nodes
from tank.scanner.analyzers.js_values import HOLE as JS_HOLE
from tank.scanner.analyzers.python_fold import Folder, texts
from tank.scanner.analyzers.python_sinks import net_names, sink_of
from tank.scanner.analyzers.python_values import HOLE

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "JsParsed",
    "covered_pattern",
    "host_pattern",
    "js_host_patterns",
    "js_may_reach",
    "js_parse",
    "path_imports",
    "python_host_patterns",
    "suffix_of",
]

Where = tuple[str, int]
MAX_PATTERNS = 32
_URL_HOST = re.compile(r"^\s*(?:https?|wss?)://(?:[^/?#@\s]*@)?([^/?#:\s]+)", re.I)
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_TLD = re.compile(r"^(?:[a-z]{2,24}|xn--[a-z0-9-]+)$")


def host_pattern(url: str) -> str | None:
    """``*.mt.acme.dev`` for a URL whose host has run-time labels, None when the host is
    complete or too unknown to name (no known registrable domain after the holes)."""
    found = _URL_HOST.match(url.replace(JS_HOLE, HOLE))
    if found is None or HOLE not in found.group(1):
        return None
    labels = found.group(1).lower().split(".")
    last = max(i for i, label in enumerate(labels) if HOLE in label)
    suffix = labels[last + 1 :]
    if len(suffix) < 2 or not _TLD.match(suffix[-1]) or not all(_LABEL.match(x) for x in suffix):
        return None
    shown = [re.sub(f"{HOLE}+", "*", label) for label in labels[: last + 1]]
    if any(not re.fullmatch(r"[a-z0-9*-]+", label) for label in shown):
        return None
    return ".".join([*shown, *suffix])


def suffix_of(pattern: str) -> str:
    """The known part of a host pattern: ``mt.acme.dev`` for ``*.mt.acme.dev``."""
    labels = pattern.split(".")
    last = max(i for i, label in enumerate(labels) if "*" in label)
    return ".".join(labels[last + 1 :])


def covered_pattern(pattern: str, outbound: tuple[str, ...]) -> bool:
    """Whether some declared entry allows every host ``pattern`` can be: ``*.acme.dev`` covers
    ``*.mt.acme.dev`` and ``*-api.acme.dev``; an exact ``api.acme.dev`` covers neither."""
    probe = "x." + suffix_of(pattern)
    return any(p.startswith("*") and domain_matches(p, probe) for p in outbound)


#: Keywords that set the server of a client made here (every request goes there).
_BASE_KEYWORDS = frozenset({"base_url", "endpoint_url", "api_base", "base_uri"})


def python_host_patterns(path: str, tree: ast.Module, folder: Folder) -> dict[str, Where]:
    """Host patterns of URLs handed to a network call in a parsed Python file."""
    nets = net_names(tree, folder)
    out: dict[str, Where] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(out) >= MAX_PATTERNS:
            continue
        first = (
            node.args[0]
            if node.args
            else next((k.value for k in node.keywords if k.arg == "url"), None)
        )
        base = next((k.value for k in node.keywords if k.arg in _BASE_KEYWORDS), None)
        if base is not None and nets:  # httpx.Client(base_url=…), boto3 endpoint_url=…
            first = base
        elif first is None or sink_of(node, nets) is None:
            continue
        for value in texts(folder.values(first))[:8]:
            pattern = host_pattern(value)
            if pattern is not None:
                out.setdefault(pattern, (path, node.lineno))
    return out


_JS_NET_CALLS = re.compile(
    r"^(?:fetch|got|ky|request|axios|superagent|needle|WebSocket|EventSource"
    r"|(?:axios|got|ky|request|superagent|needle|https?|client|api|http)\.(?:get|post|put|patch"
    r"|delete|request|head|stream|create))$"
)


JsParsed = tuple[list["Node"], JsFolder]


def js_parse(path: str, text: str) -> JsParsed:
    """The indexed nodes of a JS/TS file and their folder (parsed once per file)."""
    parsed = parse_js(path, text)
    nodes, functions = query_nodes(parsed)
    folder = JsFolder(parsed.root, [*nodes, *functions])
    folder.path_names, folder.path_functions = path_imports(text)
    return nodes, folder


#: ``import path from "node:path"``, ``import * as p from "path"``, ``const p = require("path")``.
_PATH_MODULE = re.compile(
    r"""\bimport\s+(?:\*\s+as\s+)?(\w+)\s+from\s+['"](?:node:)?path(?:/posix)?['"]"""
    r"""|\b(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"](?:node:)?path['"]\s*\)"""
)
#: ``import { join, resolve as r } from "node:path"``, ``const { join } = require("path")``.
_PATH_NAMED = re.compile(
    r"""\bimport\s*\{([^{}]{0,300})\}\s*from\s*['"](?:node:)?path(?:/posix)?['"]"""
    r"""|\b(?:const|let|var)\s*\{([^{}]{0,300})\}\s*=\s*require\(\s*['"](?:node:)?path['"]"""
)


def path_imports(text: str) -> tuple[set[str], set[str]]:
    """The names bound to Node's ``path`` module, and to its ``join``/``resolve`` functions
    (``import { join } from "node:path"``), so ``join(homedir(), ".config")`` folds."""
    modules = {m.group(1) or m.group(2) for m in _PATH_MODULE.finditer(text)}
    functions: set[str] = set()
    for match in _PATH_NAMED.finditer(text):
        for item in (match.group(1) or match.group(2)).split(","):
            name, _, alias = item.strip().partition(" as ")
            name, _, renamed = name.partition(":")  # const { join: j } = require("path")
            if name.strip() in ("join", "resolve", "normalize"):
                functions.add((alias or renamed or name).strip())
    return modules, functions


def js_may_reach(text: str) -> bool:
    """Whether a JS/TS file may build a URL at run time: it names a scheme and joins strings
    (a template hole or ``+``). Linear in the file: checked before parsing it."""
    return "://" in text and ("${" in text or _JOIN.search(text) is not None)


_JOIN = re.compile(r"['\"`]\s*\+|\+\s*['\"`]")


def js_host_patterns(path: str, parsed: JsParsed) -> dict[str, Where]:
    """Host patterns of URLs handed to a network call in a parsed JS/TS file."""
    nodes, folder = parsed
    out: dict[str, Where] = {}
    for node in nodes:
        if node.type not in ("call_expression", "new_expression") or len(out) >= MAX_PATTERNS:
            continue
        if not _JS_NET_CALLS.match(callee(node)):
            continue
        args = node.child_by_field_name("arguments")
        values = [a for a in (args.named_children if args is not None else []) if a.is_named]
        if not values:
            continue
        target = _base_url(values[0]) if values[0].type == "object" else values[0]
        for value in folder.values(target)[:8] if target is not None else ():
            pattern = host_pattern(value) if isinstance(value, str) else None
            if pattern is not None:
                out.setdefault(pattern, (path, line_of(node)))
    return out


def _base_url(options: Node) -> Node | None:
    """The ``baseURL`` (or ``url``) of an options object: ``axios.create({baseURL: …})``."""
    for pair in options.named_children:
        key = pair.child_by_field_name("key") if pair.type == "pair" else None
        if key is not None and key.text is not None:
            name = key.text.decode("utf-8", "replace").strip("'\"")
            if name in ("baseURL", "baseUrl", "url", "prefixUrl"):
                return pair.child_by_field_name("value")
    return None
