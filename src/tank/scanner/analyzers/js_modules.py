"""Imports between a skill's own JavaScript/TypeScript files: ``require('./lib/x')``,
``import { save } from './util.js'``, ``import * as h from '../helpers'``.

Each imported file of the skill is parsed and its facts computed, and the importer's names
are bound to it, so that folding, sources and sinks follow values and functions across
files: a constant defined in one file and used in another, a helper that reads a credential
file, a helper that posts its argument somewhere. Imports are followed :data:`MAX_DEPTH`
files away (an imported file's own imports, not theirs), at most :data:`MAX_IMPORTS` files in
all, each within the parse-tree size limit.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from tank.scanner.analyzers.js_bindings import module_of_value
from tank.scanner.analyzers.js_facts import JsFile, read_file
from tank.scanner.analyzers.js_tree import parse_js, string_value, text_of, walk

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["MAX_DEPTH", "MAX_IMPORTS", "link", "local_imports", "resolve_spec"]

MAX_IMPORTS = 16
#: How many files away imports are followed (an importer's import's imports: 2).
MAX_DEPTH = 2
#: Imported files larger than this are not followed (bundles are not hand-written helpers).
MAX_MODULE_CHARS = 256 * 1024
_EXTENSIONS = ("", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")


def local_imports(nodes: Iterable[Node]) -> list[tuple[str, str, str]]:
    """``(local name, specifier, exported name)`` for each relative import among ``nodes``
    (a file's import statements and declarations); ``*`` for a whole module
    (``import * as m``, ``const m = require('./m')``)."""
    out: list[tuple[str, str, str]] = []
    for node in nodes:
        if len(out) >= MAX_IMPORTS * 4:
            break
        if node.type == "import_statement":
            spec = string_value(node.child_by_field_name("source"))
            if spec and spec.startswith("."):
                out.extend((local, spec, exported) for local, exported in _import_names(node))
        elif node.type == "variable_declarator":
            spec = module_of_value(node.child_by_field_name("value"))
            target = node.child_by_field_name("name")
            if spec and spec.startswith(".") and target is not None:
                out.extend((local, spec, exported) for local, exported in _pattern_names(target))
    return out


def _import_names(node: Node) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for sub in walk(node):
        if sub.type == "namespace_import" and sub.named_children:
            out.append((text_of(sub.named_children[0]), "*"))
        elif sub.type == "import_specifier":
            name = sub.child_by_field_name("name")
            alias = sub.child_by_field_name("alias") or name
            out.append((text_of(alias), text_of(name)))
        elif (
            sub.type == "identifier"
            and sub.parent is not None
            and (sub.parent.type == "import_clause")
        ):
            out.append((text_of(sub), "default"))
    return out


def _pattern_names(target: Node) -> list[tuple[str, str]]:
    if target.type == "identifier":
        return [(text_of(target), "*")]
    out: list[tuple[str, str]] = []
    for sub in target.named_children:
        if sub.type == "shorthand_property_identifier_pattern":
            out.append((text_of(sub), text_of(sub)))
        elif sub.type == "pair_pattern":
            key, value = sub.child_by_field_name("key"), sub.child_by_field_name("value")
            if key is not None and value is not None and value.type == "identifier":
                out.append((text_of(value), text_of(key)))
    return out


def resolve_spec(importer: str, spec: str, files: Mapping[str, bytes]) -> str | None:
    """The skill file ``spec`` names from ``importer`` (Node's and TypeScript's rules:
    extensions tried, ``index`` files, ``./x.js`` meaning ``./x.ts``), or None."""
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    if base.startswith(".."):
        return None
    stem = base.rsplit(".", 1)[0] if base.endswith((".js", ".mjs", ".cjs", ".jsx")) else base
    for candidate in (base, stem):
        for ext in _EXTENSIONS:
            for path in (candidate + ext, f"{candidate}/index{ext}" if ext else ""):
                if path and path in files:
                    return path
    return None


def link(
    js: JsFile,
    path: str,
    files: Mapping[str, bytes],
    depth: int = 0,
    loaded: dict[str, JsFile] | None = None,
) -> None:
    """Bind ``js``'s imports of the skill's own files (see the module docstring)."""
    if not files:
        return
    loaded = {} if loaded is None else loaded
    for local, spec, exported in local_imports(js.folder.nodes or walk(js.root)):
        target = resolve_spec(path, spec, files)
        if target is None or target == path:
            continue
        module = loaded.get(target)
        if module is None:
            if len(loaded) >= MAX_IMPORTS or len(files[target]) > MAX_MODULE_CHARS:
                continue
            text = files[target].decode("utf-8", "replace")
            # the imported file's own imports too, up to MAX_DEPTH files away (a helper
            # that reads paths it takes from a third file); files are shared and counted
            linker = (
                None
                if depth + 1 >= MAX_DEPTH
                else partial(link, path=target, files=files, depth=depth + 1, loaded=loaded)
            )
            module = loaded[target] = read_file(parse_js(target, text), linker)
            module.path = target
        js.imports[local] = (module, exported)
        js.folder.imports[local] = (module.folder, exported)
