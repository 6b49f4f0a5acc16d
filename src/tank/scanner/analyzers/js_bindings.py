"""Which module each name of a JavaScript file is bound to: ``require('child_process')``,
``import * as fs from 'node:fs'``, ``const { exec: run } = require('child_process')``.

Modules are reduced to kinds (``exec``, ``http``, ``socket``, ``dns``, ``fs``, ``vm``,
``os``): that is all the analyzer needs to know what a call does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tank.scanner.analyzers.js_tree import NAMES, callee, string_value, walk

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "arguments_of",
    "bind",
    "bind_imports",
    "module_call",
    "module_kind",
    "module_of_value",
    "required_kind",
]

_MODULES = {
    "child_process": "exec",
    "execa": "exec",
    "shelljs": "exec",
    "cross-spawn": "exec",
    "http": "http",
    "https": "http",
    "http2": "http",
    "undici": "http",
    "node-fetch": "http",
    "cross-fetch": "http",
    "axios": "http",
    "got": "http",
    "request": "http",
    "superagent": "http",
    "needle": "http",
    "ky": "http",
    "net": "socket",
    "tls": "socket",
    "dgram": "socket",
    "ws": "websocket",
    "dns": "dns",
    "dns/promises": "dns",
    "fs": "fs",
    "fs/promises": "fs",
    "fs-extra": "fs",
    "graceful-fs": "fs",
    "vm": "vm",
    "os": "os",
    "path": "path",
}


def module_kind(name: str) -> str:
    """The kind of the module ``name`` (``node:``-prefixed or a sub-path), ``""`` if none."""
    name = name.removeprefix("node:")
    return _MODULES.get(name, _MODULES.get(name.split("/")[0], ""))


def arguments_of(call: Node) -> list[Node]:
    """The argument nodes of a call or ``new`` expression (tagged templates: the template)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    if args.type == "template_string":
        return [args]
    return [a for a in args.named_children if a.type != "comment"]


def required_kind(node: Node | None) -> str:
    """The module kind of ``require('x')`` at the root of a member chain."""
    while node is not None and node.type == "member_expression":
        node = node.child_by_field_name("object")
    if node is None or node.type != "call_expression" or callee(node) != "require":
        return ""
    args = arguments_of(node)
    value = string_value(args[0]) if args else None
    return module_kind(value) if value else ""


def bind(modules: dict[str, str], functions: dict[str, str], target: Node, module: str) -> None:
    """Record what ``target = require(module)`` binds: a module object or its functions."""
    kind = module_kind(module)
    if not kind:
        return
    if target.type == "identifier" and target.text is not None:
        modules[target.text.decode()] = kind
        return
    for sub in walk(target):  # const { exec, spawn: run } = require('child_process')
        if sub.type in ("shorthand_property_identifier_pattern", "identifier") and sub.text:
            functions[sub.text.decode()] = kind


def bind_imports(modules: dict[str, str], functions: dict[str, str], node: Node) -> None:
    """Record what an ``import`` statement binds (default, namespace and named imports)."""
    source = string_value(node.child_by_field_name("source"))
    if not source:
        return
    for sub in walk(node):
        if sub.type == "namespace_import" or (
            sub.type in NAMES and sub.parent is not None and sub.parent.type == "import_clause"
        ):
            name = sub.named_children[0] if sub.type == "namespace_import" else sub
            if name.text is not None and module_kind(source):
                modules[name.text.decode()] = module_kind(source)
        elif sub.type == "import_specifier":
            alias = sub.child_by_field_name("alias") or sub.child_by_field_name("name")
            if alias is not None and alias.text is not None and module_kind(source):
                functions[alias.text.decode()] = module_kind(source)


def module_call(value: Node | None) -> Node | None:
    """The ``require(…)``/``import(…)`` call under ``value`` (through ``await`` and member
    access: ``(await import(x)).default``, ``require(x).promises``), or None."""
    while value is not None and value.type in ("await_expression", "member_expression"):
        value = value.named_children[0] if value.named_children else None
    if value is None or value.type != "call_expression":
        return None
    func = value.child_by_field_name("function")
    if func is None or not (func.type == "import" or callee(value) == "require"):
        return None
    return value


def module_of_value(value: Node | None) -> str | None:
    """``require('x')``, ``await import('x')``, ``require('x').promises`` → ``"x"``."""
    call = module_call(value)
    args = arguments_of(call) if call is not None else []
    return string_value(args[0]) if args else None
